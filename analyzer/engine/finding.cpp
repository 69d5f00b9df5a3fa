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
    for (size_t i = begin + keep; i < end; ++i) line[i] = '*';
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
