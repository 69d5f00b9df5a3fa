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
// The same for a regular file whose size the caller has just had from stat(2) (a build context
// file): no fstat of its own. A file that changed since is still read as it is now (up to `limit`):
// the size only sizes the string and spares the read that would see the end.
int read_whole_file(const std::string& path, uint64_t limit, std::string& text, uint64_t known_size);

}  // namespace shiftlint
