#pragma once
// One input file held in memory, with a line index for turning byte offsets into positions.
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint {

// 1-based line and column. Columns count bytes (as compilers do); reports that need UTF-16 units
// (SARIF, LSP) convert with the line's text.
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
  friend bool operator==(const Position&, const Position&) = default;
  friend auto operator<=>(const Position&, const Position&) = default;
};

// A half-open range: `end` is the position just after the last byte.
struct Span {
  Position begin;
  Position end;
  friend bool operator==(const Span&, const Span&) = default;
  bool empty() const { return begin.line == 0; }
};

class SourceFile {
 public:
  // `path` opens the file; `display_path` is how reports name it (relative to the scan root, '/').
  // A UTF-8 byte order mark is dropped from `text`: editors do not count it as a column.
  SourceFile(std::string path, std::string display_path, std::string text);
  SourceFile(const SourceFile& other);
  SourceFile& operator=(const SourceFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& display_path() const { return display_path_; }
  std::string_view text() const { return text_; }
  bool had_byte_order_mark() const { return had_byte_order_mark_; }
  bool uses_crlf() const { return uses_crlf_; }

  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  // Where the line of 0-based `index` (below line_count()) starts: for a reader walking the lines.
  size_t line_start(uint32_t index) const { return line_starts_[index]; }
  // The line's text without its line terminator; empty for a line number out of range.
  std::string_view line(uint32_t number) const;
  Position position_at(size_t offset) const;
  size_t offset_of(Position position) const;
  Span span_of(size_t begin_offset, size_t end_offset) const;
  // The span of `written[begin, end)`, where `written` is a word that starts at `word.begin` in this
  // file as text that may have lost line continuations on the way (a Dockerfile RUN reaches the
  // shell with `\` and its line break removed, and the comment lines inside dropped): the file is
  // followed along the text, skipping those. `word` itself when the text cannot be followed there.
  Span span_within(Span word, std::string_view written, size_t begin, size_t end, char escape = '\\') const;

 private:
  std::string path_;
  std::string display_path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
  // The 0-based line of the last position_at answer: loaders ask in increasing offsets, so the
  // next answer is usually on that line or the next few (shared by threads: relaxed is enough).
  mutable std::atomic<uint32_t> last_line_{0};
  bool had_byte_order_mark_ = false;
  bool uses_crlf_ = false;
};

}  // namespace shiftlint
