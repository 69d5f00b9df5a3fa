#pragma once
// UTF-8 encoding and validation shared by the loaders (JSON escapes, HCL and Dockerfile strings).
//
// Two checks, for two questions:
// - find_invalid_utf8 asks "is this text, or bytes?": it checks the shape of each sequence (a lead
//   byte and its continuation bytes) and so also lets through forms that the UTF-8 standard
//   (RFC 3629) refuses but no reader chokes on: overlong 3- and 4-byte forms, UTF-16 surrogates
//   (ED A0..BF ..), values past U+10FFFF (F4 90.. and above). The JSON loader and the HCL reader
//   use it to send a file that is not text to an error or to tree-sitter, not to reject strict-UTF-8
//   violations; making it strict would change which files load.
// - decode_rune, is_valid_runes and replace_invalid_runes ask "what does Go see?": they follow Go's
//   unicode/utf8, which is RFC 3629 strict. Use them where the output must match Helm byte for byte.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace shiftlint {

// Appends a code point as UTF-8; code points past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, uint32_t code_point);

// The offset of the first byte that is not part of a well-formed sequence (see above: the shape
// only), or nullopt.
std::optional<size_t> find_invalid_utf8(std::string_view text);

// The code point at the start of `text` (not empty) and its length in bytes, as Go's
// utf8.DecodeRuneInString gives them: a byte that starts no valid sequence (a stray or truncated
// byte, an overlong form, a surrogate, a value past U+10FFFF) is U+FFFD of length 1.
std::pair<uint32_t, size_t> decode_rune(std::string_view text);

// Whether `text` is valid UTF-8 in decode_rune's (Go's) sense.
bool is_valid_runes(std::string_view text);

// `text` with every byte that starts no valid sequence replaced by U+FFFD, one per byte: how Go's
// encoding/json coerces the strings it writes (and so Helm's toYaml, which goes through JSON).
std::string replace_invalid_runes(std::string_view text);

// The value of a hexadecimal digit, or -1.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace shiftlint
