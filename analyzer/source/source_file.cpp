#include "analyzer/source/source_file.h"

#include <algorithm>

namespace shiftlint {

SourceFile::SourceFile(std::string path, std::string display_path, std::string text)
    : path_(std::move(path)), display_path_(std::move(display_path)), text_(std::move(text)) {
  if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    text_.erase(0, 3);
    had_byte_order_mark_ = true;
  }
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      line_starts_.push_back(static_cast<uint32_t>(i + 1));
      if (i > 0 && text_[i - 1] == '\r') uses_crlf_ = true;
    }
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

Position SourceFile::position_at(size_t offset) const {
  offset = std::min(offset, text_.size());
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto index = static_cast<uint32_t>(next - line_starts_.begin());  // 1-based line
  return {index, static_cast<uint32_t>(offset - line_starts_[index - 1] + 1)};
}

size_t SourceFile::offset_of(Position position) const {
  if (position.line == 0) return 0;
  if (position.line > line_starts_.size()) return text_.size();
  return std::min<size_t>(line_starts_[position.line - 1] + position.column - 1, text_.size());
}

}  // namespace shiftlint
