#pragma once
// UTF-8 encoding and validation shared by the loaders (JSON escapes, HCL and Dockerfile strings).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint {

// Appends a code point as UTF-8; code points past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, uint32_t code_point);

// The offset of the first byte that is not part of a valid UTF-8 sequence, or nullopt.
std::optional<size_t> find_invalid_utf8(std::string_view text);

// The value of a hexadecimal digit, or -1.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace shiftlint
