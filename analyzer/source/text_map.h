#pragma once
// Text assembled from pieces of one file, with the way back to the file.
//
// A Dockerfile `RUN` spread over continuation lines reaches the shell as one string: the escape
// character and its newline are removed, comment lines inside the continuation are dropped, a
// `<<-EOF` heredoc body loses its leading tabs. Whoever analyses that string (the bash parser, a
// rule looking for `ulimit`) gets offsets into it; a TextMap turns them back into file offsets, so a
// finding lands on the line and column where the user wrote the text.
//
// The text is built by appending pieces in order. Each piece is either a copy of file bytes that are
// contiguous in the file (`append_copy`) or text that stands for a single point of the file
// (`append_inserted`: a separator the joiner added, an escape that was decoded). Lookups are a
// binary search over the pieces: O(log pieces).
//
//   TextMap map;
//   map.append_copy(file.text().substr(10, 8), 10);   // "apt-get "
//   map.append_copy(file.text().substr(25, 7), 25);   // "install" (after "\\\n    ")
//   Span where = map.span_of(file, 8, 15);            // "install" on its own line
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/source_file.h"

namespace shiftlint {

class TextMap {
 public:
  struct Piece {
    uint32_t text_offset = 0;  // where the piece starts in text()
    uint32_t file_offset = 0;  // where it starts in the file (inserted: the point it stands for)
    uint32_t length = 0;       // bytes in text()
    bool inserted = false;     // not a copy of file bytes: every byte maps to file_offset
  };

  TextMap() = default;

  // Appends file bytes `piece` that start at `file_offset` in the file. Adjacent copies that are
  // also adjacent in the file are merged into one piece.
  void append_copy(std::string_view piece, size_t file_offset);
  // Appends text that is not in the file as written; all of it maps to `file_offset`.
  void append_inserted(std::string_view piece, size_t file_offset);
  // Room for `text_bytes` of text in `pieces` pieces, for a caller that knows them before appending.
  void reserve(size_t text_bytes, size_t pieces) {
    text_.reserve(text_bytes);
    pieces_.reserve(pieces);
  }
  // Appends another map of the same file (e.g. a heredoc body after the command that reads it).
  void append(const TextMap& other);
  // The map of text()[begin, end): a word of an instruction, its shell command after the flags.
  TextMap slice(size_t begin, size_t end) const;
  // Moves every piece by `delta` bytes in the file: the same text found at another place of another
  // file (a parse kept for text that repeats, docker::instruction_script). The caller keeps every
  // offset inside the file.
  void shift_file_offsets(int64_t delta) {
    for (Piece& piece : pieces_) piece.file_offset = static_cast<uint32_t>(static_cast<int64_t>(piece.file_offset) + delta);
  }

  const std::string& text() const { return text_; }
  const std::vector<Piece>& pieces() const { return pieces_; }
  bool empty() const { return text_.empty(); }

  // The file offset of the byte at `text_offset` (for the start of a range). An offset at the end
  // of the text maps just past the last piece.
  size_t file_offset(size_t text_offset) const;
  // The file offset just after the byte before `text_offset` (for the exclusive end of a range):
  // a token that ends where a continuation line break was removed ends on its own line, not at the
  // start of the next one.
  size_t file_end_offset(size_t text_offset) const;
  // The file span of text()[begin, end).
  Span span_of(const SourceFile& file, size_t begin, size_t end) const;
  // The file span of the whole text; empty Span when the text is empty.
  Span span(const SourceFile& file) const { return span_of(file, 0, text_.size()); }

 private:
  // Index of the piece holding text_offset (the last piece when text_offset == text size).
  size_t piece_at(size_t text_offset) const;

  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace shiftlint
