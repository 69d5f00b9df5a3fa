#pragma once
// LSP positions are 0-based lines and 0-based UTF-16 code-unit offsets; shiftlint's are 1-based
// lines and 1-based byte columns. These convert using the text the findings were computed on.
#include <cstdint>

#include "analyzer/source/source_file.h"

namespace shiftlint::lsp {

struct LspPosition {
  uint32_t line = 0;
  uint32_t character = 0;
  friend bool operator==(const LspPosition&, const LspPosition&) = default;
  friend auto operator<=>(const LspPosition&, const LspPosition&) = default;
};

struct LspRange {
  LspPosition start;
  LspPosition end;
  friend bool operator==(const LspRange&, const LspRange&) = default;
};

// A byte position in `file`. Column 0 (a whole line) is the start of the line; line 0 (no
// position) is the start of the file; a line past the end is the end of the file.
LspPosition to_lsp_position(const SourceFile& file, Position position);
// A span: a span without columns covers its lines entirely; an empty span is the file's start.
LspRange to_lsp_range(const SourceFile& file, Span span);

// The byte position of an LSP position: a character inside a surrogate pair moves past it, one
// past the end of a line stays at the end of the line, a line past the end is the end of the file.
Position from_lsp_position(const SourceFile& file, LspPosition position);

}  // namespace shiftlint::lsp
