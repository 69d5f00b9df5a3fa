#pragma once
// Reading a whole file into memory with plain read(2) calls, straight into the string that keeps it.
//
// A Dockerfile run reads a thousand small files (the files and the build context scripts they
// copy): through stdio each read went through a FILE buffer and a 64 KiB bounce buffer, which
// cost more than the system calls. The size fstat(2) reports sizes the string once.
#include <cstdint>
#include <string>

namespace shiftlint {

// Reads `path` into `text`. Stops as soon as more than `limit` bytes have been read, so a caller
// tells a file over its limit by text.size() > limit without holding all of it. Returns 0, or the
// errno of the open or read that failed (`text` then holds what was read before it).
int read_whole_file(const std::string& path, uint64_t limit, std::string& text);

}  // namespace shiftlint
