#include "analyzer/engine/finding.h"

#include <tuple>

namespace shiftlint {

Location make_location(const SourceFile& file, Span span) {
  Location location{file.display_path(), span, std::string(file.line(span.begin.line)), {}};
  location.end_line_text = span.end.line == span.begin.line ? location.begin_line_text
                                                            : std::string(file.line(span.end.line));
  return location;
}

bool finding_order(const Finding& a, const Finding& b) {
  return std::tie(a.location.path, a.location.span.begin, a.rule_id, a.message) <
         std::tie(b.location.path, b.location.span.begin, b.rule_id, b.message);
}

}  // namespace shiftlint
