#include "analyzer/report/xml_text.h"

#include <charconv>

#include "analyzer/source/utf8.h"

namespace shiftlint {

void append_xml_text(std::string& out, std::string_view text) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  size_t index = 0;
  while (index < text.size()) {
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte < 0x80) {
      switch (byte) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\t':
        case '\n':
        case '\r': out += static_cast<char>(byte); break;
        default:
          if (byte < 0x20) out += kReplacement;
          else out += static_cast<char>(byte);
      }
      ++index;
      continue;
    }
    auto [code_point, length] = decode_rune(text.substr(index));
    bool allowed = code_point != 0xFFFD || text.substr(index, length) == kReplacement;
    if (code_point == 0xFFFE || code_point == 0xFFFF) allowed = false;
    if (allowed) out.append(text.substr(index, length));
    else out += kReplacement;
    index += length;
  }
}

void append_xml_number(std::string& out, uint64_t value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

}  // namespace shiftlint
