#include "analyzer/source/text_map.h"

#include <algorithm>

namespace shiftlint {

void TextMap::append_copy(std::string_view piece, size_t file_offset) {
  if (piece.empty()) return;
  auto text_offset = static_cast<uint32_t>(text_.size());
  text_.append(piece);
  if (!pieces_.empty()) {
    Piece& last = pieces_.back();
    if (!last.inserted && last.file_offset + last.length == file_offset) {
      last.length += static_cast<uint32_t>(piece.size());
      return;
    }
  }
  pieces_.push_back({text_offset, static_cast<uint32_t>(file_offset), static_cast<uint32_t>(piece.size()), false});
}

void TextMap::append_inserted(std::string_view piece, size_t file_offset) {
  if (piece.empty()) return;
  auto text_offset = static_cast<uint32_t>(text_.size());
  text_.append(piece);
  pieces_.push_back({text_offset, static_cast<uint32_t>(file_offset), static_cast<uint32_t>(piece.size()), true});
}

void TextMap::append(const TextMap& other) {
  for (const Piece& piece : other.pieces_) {
    std::string_view text = std::string_view(other.text_).substr(piece.text_offset, piece.length);
    if (piece.inserted) append_inserted(text, piece.file_offset);
    else append_copy(text, piece.file_offset);
  }
}

TextMap TextMap::slice(size_t begin, size_t end) const {
  TextMap result;
  end = std::min(end, text_.size());
  if (begin >= end) return result;
  // The text is one run of text_, and the pieces are this map's own cut at both ends: cutting never
  // makes two of them mergeable (append_copy merged whatever was adjacent in the file), so they are
  // copied at once instead of appended one by one (a RUN over many continuation lines has as many).
  size_t first = piece_at(begin);
  size_t last = piece_at(end - 1);
  result.text_.assign(text_, begin, end - begin);
  result.pieces_.assign(pieces_.begin() + static_cast<std::ptrdiff_t>(first),
                        pieces_.begin() + static_cast<std::ptrdiff_t>(last) + 1);
  for (Piece& piece : result.pieces_) {
    size_t from = std::max<size_t>(begin, piece.text_offset);
    size_t to = std::min<size_t>(end, piece.text_offset + piece.length);
    if (!piece.inserted) piece.file_offset += static_cast<uint32_t>(from - piece.text_offset);
    piece.text_offset = static_cast<uint32_t>(from - begin);
    piece.length = static_cast<uint32_t>(to - from);
  }
  return result;
}

size_t TextMap::piece_at(size_t text_offset) const {
  // The last piece whose start is at or before text_offset.
  auto next = std::upper_bound(pieces_.begin(), pieces_.end(), text_offset,
                               [](size_t offset, const Piece& piece) { return offset < piece.text_offset; });
  return next == pieces_.begin() ? 0 : static_cast<size_t>(next - pieces_.begin()) - 1;
}

size_t TextMap::file_offset(size_t text_offset) const {
  if (pieces_.empty()) return 0;
  text_offset = std::min(text_offset, text_.size());
  const Piece& piece = pieces_[piece_at(text_offset)];
  if (piece.inserted) return piece.file_offset;
  return piece.file_offset + std::min<size_t>(text_offset - piece.text_offset, piece.length);
}

size_t TextMap::file_end_offset(size_t text_offset) const {
  if (pieces_.empty()) return 0;
  text_offset = std::min(text_offset, text_.size());
  if (text_offset == 0) return pieces_.front().file_offset;
  // The byte before the end decides the piece, so an end at a piece boundary stays in the piece
  // that holds the range's last byte.
  const Piece& piece = pieces_[piece_at(text_offset - 1)];
  if (piece.inserted) return piece.file_offset;
  return piece.file_offset + (text_offset - piece.text_offset);
}

Span TextMap::span_of(const SourceFile& file, size_t begin, size_t end) const {
  if (pieces_.empty()) return {};
  begin = std::min(begin, text_.size());
  end = std::max(begin, std::min(end, text_.size()));
  // One search for the piece holding the first byte; the last byte is usually in the same piece.
  size_t index = piece_at(begin);
  const Piece& piece = pieces_[index];
  size_t file_begin = piece.inserted ? piece.file_offset
                                     : piece.file_offset + std::min<size_t>(begin - piece.text_offset, piece.length);
  size_t file_end = file_begin;
  if (end != begin) {
    bool same_piece = end - 1 >= piece.text_offset && end - 1 < static_cast<size_t>(piece.text_offset) + piece.length &&
                      (index + 1 == pieces_.size() || end - 1 < pieces_[index + 1].text_offset);
    if (!same_piece) {
      file_end = file_end_offset(end);
    } else {
      file_end = piece.inserted ? piece.file_offset : piece.file_offset + (end - piece.text_offset);
    }
  }
  return file.span_of(file_begin, std::max(file_begin, file_end));
}

}  // namespace shiftlint
