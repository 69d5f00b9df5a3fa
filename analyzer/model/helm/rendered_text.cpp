#include "analyzer/model/helm/rendered_text.h"

#include <algorithm>

namespace shiftlint::helm {

void RenderedText::append_copy(std::string_view piece, const SourceFile* file, uint32_t file_offset) {
  if (piece.empty()) return;
  if (!segments.empty()) {
    OutputSegment& last = segments.back();
    if (last.copied && !last.printed_by && last.file == file && last.file_offset + last.length == file_offset &&
        last.output_offset + last.length == text.size()) {
      last.length += static_cast<uint32_t>(piece.size());
      text.append(piece);
      return;
    }
  }
  segments.push_back({static_cast<uint32_t>(text.size()), static_cast<uint32_t>(piece.size()), file, file_offset,
                      file_offset + static_cast<uint32_t>(piece.size()), true, nullptr});
  text.append(piece);
}

void RenderedText::append_inserted(std::string_view piece, const SourceFile* file, uint32_t file_offset,
                                   uint32_t file_end, const Node* origin) {
  if (piece.empty()) return;
  segments.push_back({static_cast<uint32_t>(text.size()), static_cast<uint32_t>(piece.size()), file, file_offset,
                      file_end, false, origin});
  text.append(piece);
}

void RenderedText::append(const RenderedText& other) {
  uint32_t shift = static_cast<uint32_t>(text.size());
  for (OutputSegment segment : other.segments) {
    segment.output_offset += shift;
    segments.push_back(segment);
  }
  text += other.text;
}

void RenderedText::append_printed(const RenderedText& other, const SourceFile* file, uint32_t at, uint32_t end) {
  uint32_t shift = static_cast<uint32_t>(text.size());
  // No reserve: one output takes thousands of these appends, and reserving each one's exact size
  // would reallocate on every call.
  for (OutputSegment segment : other.segments) {
    segment.output_offset += shift;
    if (segment.file && segment.file != file) {
      segment.printed_by = file;
      segment.printed_at = at;
      segment.printed_end = end;
    }
    segments.push_back(segment);
  }
  text += other.text;
}

RenderedText RenderedText::slice(size_t begin, size_t end) const {
  RenderedText result;
  end = std::min(end, text.size());
  if (begin >= end) return result;
  // From the segment holding `begin`: slicing line by line (indent_rendered) stays linear.
  auto first = std::upper_bound(segments.begin(), segments.end(), begin,
                                [](size_t value, const OutputSegment& segment) { return value < segment.output_offset; });
  if (first != segments.begin()) --first;
  for (auto at = first; at != segments.end(); ++at) {
    const OutputSegment& segment = *at;
    size_t segment_begin = segment.output_offset;
    size_t segment_end = segment_begin + segment.length;
    if (segment_begin >= end) break;
    if (segment_end <= begin) continue;
    size_t from = std::max(segment_begin, begin);
    size_t to = std::min(segment_end, end);
    OutputSegment piece = segment;
    piece.output_offset = static_cast<uint32_t>(result.text.size());
    piece.length = static_cast<uint32_t>(to - from);
    if (segment.copied) piece.file_offset += static_cast<uint32_t>(from - segment_begin);
    result.segments.push_back(piece);
    result.text.append(text, from, to - from);
  }
  return result;
}

const OutputSegment* RenderedText::segment_at(size_t offset) const {
  if (segments.empty()) return nullptr;
  auto after = std::upper_bound(segments.begin(), segments.end(), offset,
                                [](size_t value, const OutputSegment& segment) { return value < segment.output_offset; });
  if (after == segments.begin()) return &segments.front();
  return &*(after - 1);
}

RenderedText::Place RenderedText::place_of(size_t offset) const {
  const OutputSegment* segment = segment_at(offset);
  if (!segment) return {};
  if (!segment->copied) return {segment->file, segment->file_offset, segment->origin};
  size_t within = std::min<size_t>(offset - std::min<size_t>(offset, segment->output_offset), segment->length);
  return {segment->file, segment->file_offset + within, nullptr};
}

const OutputSegment* RenderedText::printing_segment(size_t offset) const {
  const OutputSegment* segment = segment_at(offset);
  return segment && segment->printed_by ? segment : nullptr;
}

RenderedText::Place RenderedText::end_place_of(size_t offset) const {
  if (offset == 0) return place_of(0);
  const OutputSegment* segment = segment_at(offset - 1);
  if (!segment) return {};
  if (!segment->copied) return {segment->file, segment->file_end, segment->origin};
  size_t within = std::min<size_t>(offset - segment->output_offset, segment->length);
  return {segment->file, segment->file_offset + within, nullptr};
}

RenderedText indent_rendered(const RenderedText& source, std::string_view prefix, bool at_start) {
  RenderedText result;
  result.text.reserve(source.text.size() + prefix.size() * 8);
  // The prefix maps to the point where the line it indents starts.
  auto add_prefix = [&](size_t at) {
    if (prefix.empty()) return;
    RenderedText::Place place = source.place_of(at);
    result.append_inserted(prefix, place.file, static_cast<uint32_t>(place.file_offset),
                           static_cast<uint32_t>(place.file_offset), nullptr);
  };
  if (at_start) add_prefix(0);
  size_t line_start = 0;
  while (line_start <= source.text.size()) {
    size_t newline = source.text.find('\n', line_start);
    size_t line_end = newline == std::string::npos ? source.text.size() : newline + 1;
    result.append(source.slice(line_start, line_end));
    if (newline == std::string::npos) break;
    line_start = newline + 1;
    add_prefix(line_start < source.text.size() ? line_start : newline);
  }
  return result;
}

}  // namespace shiftlint::helm
