#include "analyzer/lsp/text_positions.h"

#include <algorithm>

#include "analyzer/report/columns.h"

namespace shiftlint::lsp {

namespace {

// The position just after the last character: on the last line, after its last byte.
LspPosition end_of_file(const SourceFile& file) {
  uint32_t last = file.line_count();
  return {last - 1, utf16_column(file.line(last), static_cast<uint32_t>(file.line(last).size()) + 1) - 1};
}

}  // namespace

LspPosition to_lsp_position(const SourceFile& file, Position position) {
  if (position.line == 0) return {0, 0};
  if (position.line > file.line_count()) return end_of_file(file);
  if (position.column == 0) return {position.line - 1, 0};
  std::string_view line = file.line(position.line);
  // Past the end of the line (a span ending at its terminator): the end of the line.
  uint32_t column = std::min<uint32_t>(position.column, static_cast<uint32_t>(line.size()) + 1);
  return {position.line - 1, utf16_column(line, column) - 1};
}

LspRange to_lsp_range(const SourceFile& file, Span span) {
  if (span.empty()) return {};
  LspRange range{to_lsp_position(file, span.begin), to_lsp_position(file, span.end)};
  if (span.end.column == 0 && span.end.line >= 1 && span.end.line <= file.line_count())
    range.end = to_lsp_position(file, {span.end.line, static_cast<uint32_t>(file.line(span.end.line).size()) + 1});
  if (range.end < range.start) range.end = range.start;
  return range;
}

Position from_lsp_position(const SourceFile& file, LspPosition position) {
  if (position.line >= file.line_count()) {
    uint32_t last = file.line_count();
    return {last, static_cast<uint32_t>(file.line(last).size()) + 1};
  }
  std::string_view line = file.line(position.line + 1);
  uint32_t units = 0;
  size_t offset = 0;
  while (offset < line.size() && units < position.character) {
    Utf8Sequence sequence = decode_utf8(line, offset);
    units += utf16_length(sequence.code_point);
    offset += sequence.length;
  }
  return {position.line + 1, static_cast<uint32_t>(offset) + 1};
}

}  // namespace shiftlint::lsp
