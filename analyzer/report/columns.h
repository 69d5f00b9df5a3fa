#pragma once
// Findings count columns in bytes (1-based, as compilers do). SARIF and LSP count UTF-16 code
// units, and a terminal counts cells; these helpers convert using the text of the line.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shiftlint {

struct Utf8Sequence {
  char32_t code_point = 0;  // U+FFFD for an invalid byte
  uint32_t length = 1;      // bytes consumed: 1 to 4, always 1 for an invalid byte
  bool valid = true;
};

// Decodes the sequence starting at `offset` (which must be < text.size()). An invalid byte, a
// truncated sequence, an overlong form or an encoded surrogate yields one invalid byte at a time.
Utf8Sequence decode_utf8(std::string_view text, size_t offset);

// The number of UTF-16 code units of a code point: 2 above U+FFFF, else 1.
inline uint32_t utf16_length(char32_t code_point) { return code_point > 0xFFFF ? 2 : 1; }

// The 1-based UTF-16 column of a 1-based byte column on `line_text`. Invalid bytes count as one
// unit each. A column inside a character moves to the character's end; a column past the end of
// the line stays that many units past it (one per byte). Column 0 (no position) stays 0.
uint32_t utf16_column(std::string_view line_text, uint32_t byte_column);

}  // namespace shiftlint
