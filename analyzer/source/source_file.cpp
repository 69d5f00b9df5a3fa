#include "analyzer/source/source_file.h"

#include <algorithm>
#include <cstring>

namespace shiftlint {

SourceFile::SourceFile(std::string path, std::string display_path, std::string text)
    : path_(std::move(path)), display_path_(std::move(display_path)), text_(std::move(text)) {
  if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    text_.erase(0, 3);
    had_byte_order_mark_ = true;
  }
  line_starts_.push_back(0);
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  for (const char* at = begin; (at = static_cast<const char*>(std::memchr(at, '\n', end - at))) != nullptr; ++at) {
    line_starts_.push_back(static_cast<uint32_t>(at - begin + 1));
    if (at > begin && at[-1] == '\r') uses_crlf_ = true;
  }
}

std::string_view SourceFile::line(uint32_t number) const {
  if (number == 0 || number > line_starts_.size()) return {};
  size_t begin = line_starts_[number - 1];
  size_t end = number < line_starts_.size() ? line_starts_[number] : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  if (!view.empty() && view.back() == '\n') view.remove_suffix(1);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

SourceFile::SourceFile(const SourceFile& other)
    : path_(other.path_),
      display_path_(other.display_path_),
      text_(other.text_),
      line_starts_(other.line_starts_),
      had_byte_order_mark_(other.had_byte_order_mark_),
      uses_crlf_(other.uses_crlf_) {}

Position SourceFile::position_at(size_t offset) const {
  offset = std::min(offset, text_.size());
  auto answer = [&](uint32_t line) {  // 0-based line
    last_line_.store(line, std::memory_order_relaxed);
    return Position{line + 1, static_cast<uint32_t>(offset - line_starts_[line] + 1)};
  };
  size_t count = line_starts_.size();
  uint32_t line = last_line_.load(std::memory_order_relaxed);
  if (line < count && line_starts_[line] <= offset) {
    for (uint32_t end = std::min<uint32_t>(line + 4, static_cast<uint32_t>(count)); line < end; ++line)
      if (line + 1 == count || offset < line_starts_[line + 1]) return answer(line);
  }
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return answer(static_cast<uint32_t>(next - line_starts_.begin()) - 1);
}

Span SourceFile::span_of(size_t begin_offset, size_t end_offset) const {
  Position begin = position_at(begin_offset);
  // Most spans (a word, a key) end on the line they begin on: no second search for it.
  size_t line_start = line_starts_[begin.line - 1];
  size_t end = std::min(end_offset, text_.size());
  if (end >= line_start + begin.column - 1 && (begin.line >= line_starts_.size() || end < line_starts_[begin.line]))
    return {begin, {begin.line, static_cast<uint32_t>(end - line_start + 1)}};
  return {begin, position_at(end_offset)};
}

size_t SourceFile::offset_of(Position position) const {
  if (position.line == 0) return 0;
  if (position.line > line_starts_.size()) return text_.size();
  return std::min<size_t>(line_starts_[position.line - 1] + position.column - 1, text_.size());
}

Span SourceFile::span_within(Span word, std::string_view written, size_t begin, size_t end, char escape) const {
  if (word.empty() || begin >= end || end > written.size()) return word;
  std::string_view text = text_;
  size_t at = offset_of(word.begin);
  size_t limit = std::min(offset_of(word.end), text.size());
  size_t begin_offset = 0;
  size_t end_offset = 0;
  for (size_t index = 0; index < end; ++index) {
    while (at < limit && text[at] != written[index]) {
      // Only a line continuation may stand in the file where the text has none of it.
      if (text[at] != escape) return word;
      size_t next = at + 1;
      while (next < limit && (text[next] == ' ' || text[next] == '\t')) ++next;
      if (next < limit && text[next] == '\r') ++next;
      if (next >= limit || text[next] != '\n') return word;
      at = next + 1;
      // Blank and comment lines inside a continuation are not part of the instruction.
      for (;;) {
        size_t first = at;
        while (first < limit && (text[first] == ' ' || text[first] == '\t')) ++first;
        bool blank = first < limit && (text[first] == '\n' || text[first] == '\r');
        bool comment = first < limit && text[first] == '#' && written.substr(index, 1) != "#";
        if (!blank && !comment) break;
        size_t line_end = text.find('\n', first);
        if (line_end == std::string_view::npos || line_end >= limit) return word;
        at = line_end + 1;
      }
    }
    if (at >= limit) return word;
    if (index == begin) begin_offset = at;
    ++at;
    end_offset = at;
  }
  return span_of(begin_offset, end_offset);
}

}  // namespace shiftlint
