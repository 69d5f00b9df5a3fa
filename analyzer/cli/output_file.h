#pragma once
#include <string>

namespace shiftlint {

// Writes `content` to a temporary file beside `path`, then renames it over `path`, so a reader
// never sees a half-written file and a failure leaves the old file intact. Returns "" on success,
// else the reason.
std::string write_file_atomically(const std::string& path, const std::string& content);

}  // namespace shiftlint
