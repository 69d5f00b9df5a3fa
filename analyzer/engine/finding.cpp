#include "analyzer/engine/finding.h"

#include <algorithm>
#include <tuple>

namespace shiftlint {

Location make_location(const SourceFile& file, Span span) {
  Location location{file.display_path(), span, std::string(file.line(span.begin.line)), {}};
  location.end_line_text = span.end.line == span.begin.line ? location.begin_line_text
                                                            : std::string(file.line(span.end.line));
  return location;
}

void redact_sensitive_text(Finding& finding) {
  if (!finding.sensitive) return;
  const Span& span = finding.location.span;
  auto mask = [](std::string& line, size_t begin, size_t end) {
    begin = std::min(begin, line.size());
    end = std::min(end, line.size());
    if (begin >= end) return;
    size_t length = end - begin;
    // Quoted values keep their quotes; the same prefix rule as the messages (4, 2 or 0 characters).
    if (length >= 2 && (line[begin] == '"' || line[begin] == '\'') && line[end - 1] == line[begin]) {
      ++begin;
      --end;
      length -= 2;
    }
    size_t keep = length >= 16 ? 4 : length >= 8 ? 2 : 0;
    // Each character is replaced by one of the same UTF-8 length and the same UTF-16 length, so
    // byte columns (text, JSON) and UTF-16 columns (SARIF, LSP) of the span stay right.
    size_t i = begin + keep;
    while (i < end && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;  // not mid-character
    while (i < end) {
      auto lead = static_cast<unsigned char>(line[i]);
      size_t width = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
      if (i + width > end) width = 1;
      static constexpr std::string_view kMasks[] = {"", "*", "\u00b7", "\u2022", "\u00b7\u00b7"};  // ·  •  ··
      line.replace(i, width, kMasks[width]);
      i += width;
    }
  };
  Location& location = finding.location;
  if (span.begin.line == span.end.line) {
    mask(location.begin_line_text, span.begin.column - 1, span.end.column - 1);
    location.end_line_text = location.begin_line_text;
  } else {
    mask(location.begin_line_text, span.begin.column - 1, location.begin_line_text.size());
    mask(location.end_line_text, 0, span.end.column - 1);
  }
}

bool finding_order(const Finding& a, const Finding& b) {
  return std::tie(a.location.path, a.location.span.begin, a.rule_id, a.message) <
         std::tie(b.location.path, b.location.span.begin, b.rule_id, b.message);
}

}  // namespace shiftlint
