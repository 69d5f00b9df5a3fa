#include "analyzer/source/utf8.h"

namespace shiftlint {

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point > 0x10FFFF) code_point = 0xFFFD;
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::pair<uint32_t, size_t> decode_rune(std::string_view text) {
  constexpr uint32_t kReplacement = 0xFFFD;
  auto byte = [&](size_t index) { return static_cast<unsigned char>(text[index]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  size_t length = lead >= 0xF0 && lead <= 0xF4   ? 4
                  : lead >= 0xE0 && lead <= 0xEF ? 3
                  : lead >= 0xC2 && lead <= 0xDF ? 2
                                                 : 0;
  if (length == 0 || length > text.size()) return {kReplacement, 1};
  uint32_t value = lead & (0x7F >> length);
  for (size_t index = 1; index < length; ++index) {
    if ((byte(index) & 0xC0) != 0x80) return {kReplacement, 1};
    value = (value << 6) | (byte(index) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid either.
  if ((length == 3 && value < 0x800) || (length == 4 && (value < 0x10000 || value > 0x10FFFF)) ||
      (value >= 0xD800 && value <= 0xDFFF))
    return {kReplacement, 1};
  return {value, length};
}

bool is_valid_runes(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    auto [value, length] = decode_rune(text.substr(i));
    if (value == 0xFFFD && length == 1) return false;
    i += length;
  }
  return true;
}

std::string replace_invalid_runes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto [value, length] = decode_rune(text.substr(i));
    if (value == 0xFFFD && length == 1) out += "\xEF\xBF\xBD";
    else out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::optional<size_t> find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    unsigned char c = bytes[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4 || i + length > size) return i;
    for (size_t k = 1; k < length; ++k)
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
    i += length;
  }
  return std::nullopt;
}

}  // namespace shiftlint
