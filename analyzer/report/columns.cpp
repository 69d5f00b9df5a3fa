#include "analyzer/report/columns.h"

namespace shiftlint {

Utf8Sequence decode_utf8(std::string_view text, size_t offset) {
  constexpr Utf8Sequence invalid{U'\uFFFD', 1, false};
  auto byte = [&](size_t index) { return static_cast<unsigned char>(text[index]); };
  const unsigned char lead = byte(offset);
  if (lead < 0x80) return {lead, 1, true};

  uint32_t length = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;  // the smallest code point that needs this many bytes (no overlong forms)
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return invalid;
  }
  if (offset + length > text.size()) return invalid;
  for (uint32_t i = 1; i < length; ++i) {
    const unsigned char next = byte(offset + i);
    if ((next & 0xC0) != 0x80) return invalid;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF))
    return invalid;
  return {code_point, length, true};
}

uint32_t utf16_column(std::string_view line_text, uint32_t byte_column) {
  if (byte_column == 0) return 0;
  const size_t target = byte_column - 1;  // bytes before the column
  uint32_t units = 0;
  size_t offset = 0;
  while (offset < target && offset < line_text.size()) {
    const Utf8Sequence sequence = decode_utf8(line_text, offset);
    units += sequence.valid ? utf16_length(sequence.code_point) : 1;
    offset += sequence.length;
  }
  if (target > offset) units += static_cast<uint32_t>(target - offset);
  return units + 1;
}

}  // namespace shiftlint
