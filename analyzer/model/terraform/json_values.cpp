#include "analyzer/model/terraform/json_values.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "analyzer/parse/json_loader.h"

namespace shiftlint::terraform {

namespace {

constexpr std::string_view kPlaceholderPrefix = "@@shiftlint-unknown-";

void encode_string(std::string_view text, std::string& out) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      // Terraform (Go's encoder) escapes these so the JSON can be embedded in HTML.
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  out += '"';
}

void encode_number(const Node& value, std::string& out) {
  double number = value.number;
  if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 1e15) {
    out += fmt::format("{}", static_cast<int64_t>(number));
  } else if (std::isfinite(number)) {
    out += fmt::format("{}", number);
  } else {
    out += "null";
  }
}

void encode(const Node& value, std::string& out, uint32_t depth) {
  if (depth > 1000) {
    out += "null";
    return;
  }
  switch (value.kind) {
    case NodeKind::Null:
    case NodeKind::Unknown: out += "null"; return;
    case NodeKind::Boolean: out += value.boolean ? "true" : "false"; return;
    case NodeKind::Number: encode_number(value, out); return;
    case NodeKind::String: encode_string(value.text, out); return;
    case NodeKind::List: {
      out += '[';
      for (size_t i = 0; i < value.children.size(); ++i) {
        if (i) out += ',';
        encode(value.children[i], out, depth + 1);
      }
      out += ']';
      return;
    }
    case NodeKind::Map: {
      std::vector<const Node*> members;
      members.reserve(value.children.size());
      for (const Node& child : value.children) members.push_back(&child);
      std::stable_sort(members.begin(), members.end(),
                       [](const Node* a, const Node* b) { return a->key < b->key; });
      out += '{';
      for (size_t i = 0; i < members.size(); ++i) {
        if (i) out += ',';
        encode_string(members[i]->key, out);
        out += ':';
        encode(*members[i], out, depth + 1);
      }
      out += '}';
      return;
    }
  }
}

bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }

// In place: moving the string in and out trips a false -Warray-bounds of gcc 12 at -O2.
void replace_placeholders(std::string& text, const std::vector<std::pair<std::string, std::string>>& unknowns) {
  for (const auto& [placeholder, description] : unknowns) {
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + description.size()))
      text.replace(at, placeholder.size(), description);
  }
}

// Turns placeholders back into Unknown nodes. A map with a key that is not known could hold any
// key, so the whole map becomes Unknown.
void resolve_placeholders(Node& node, const std::vector<std::pair<std::string, std::string>>& unknowns,
                          uint32_t depth) {
  if (depth > 1000) return;
  if (node.kind == NodeKind::String && contains(node.text, kPlaceholderPrefix)) {
    node.kind = NodeKind::Unknown;
    replace_placeholders(node.text, unknowns);
    // Its literal parts are known, as in a string template (`"image": "${var.repo}:latest"`).
    Node parts;
    parts.kind = NodeKind::String;
    parts.text = node.text;
    parts.file = node.file;
    parts.span = node.span;
    node.tag = std::string(kTemplateWithUnknownPartsTag);
    node.children.push_back(std::move(parts));
    return;
  }
  if (node.kind == NodeKind::Map) {
    for (const Node& child : node.children) {
      if (contains(child.key, kPlaceholderPrefix)) {
        node.kind = NodeKind::Unknown;
        node.text = "an object with a key that is not known";
        node.children.clear();
        return;
      }
    }
  }
  for (Node& child : node.children) resolve_placeholders(child, unknowns, depth + 1);
}

template <typename Visit>
void visit_nodes(Node& node, Visit& visit, uint32_t depth) {
  if (depth > 1000) return;
  visit(node);
  for (Node& child : node.children) visit_nodes(child, visit, depth + 1);
}

}  // namespace

bool contains_unknown(const Node& value) {
  if (value.kind == NodeKind::Unknown) return true;
  if (value.kind != NodeKind::List && value.kind != NodeKind::Map) return false;
  for (const Node& child : value.children)
    if (contains_unknown(child)) return true;
  return false;
}

std::string encode_json(const Node& value) {
  std::string out;
  encode(value, out, 0);
  return out;
}

bool looks_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

void RenderedText::track_json_string(std::string_view text) {
  for (char c : text) {
    if (escaped_) {
      escaped_ = false;
    } else if (in_json_string_ && c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_json_string_ = !in_json_string_;
    }
  }
}

void RenderedText::append_copy(std::string_view text, size_t file_offset) {
  if (text.empty()) return;
  auto offset = static_cast<uint32_t>(text_.size());
  if (!pieces_.empty()) {
    Piece& last = pieces_.back();
    if (last.copy && last.text_offset + last.length == offset && last.file_offset + last.length == file_offset) {
      last.length += static_cast<uint32_t>(text.size());
      text_.append(text);
      track_json_string(text);
      return;
    }
  }
  pieces_.push_back({offset, static_cast<uint32_t>(file_offset), static_cast<uint32_t>(text.size()),
                     static_cast<uint32_t>(text.size()), true});
  text_.append(text);
  track_json_string(text);
}

void RenderedText::append_inserted(std::string_view text, size_t file_offset, size_t file_length, const Node* origin) {
  if (text.empty()) return;
  pieces_.push_back({static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(file_offset),
                     static_cast<uint32_t>(text.size()), static_cast<uint32_t>(file_length), false});
  if (origin && origin->file && !origin->span.empty()) {
    pieces_.back().origin = static_cast<uint32_t>(origins_.size());
    origins_.emplace_back(origin->file, origin->span);
  }
  text_.append(text);
  track_json_string(text);
}

void RenderedText::append_unknown(std::string description, size_t file_offset, size_t file_length) {
  std::string placeholder = fmt::format("{}{}@@", kPlaceholderPrefix, unknowns_.size());
  // Outside a JSON string the placeholder must still be a JSON value: a string of its own.
  std::string written = in_json_string_ ? placeholder : "\"" + placeholder + "\"";
  pieces_.push_back({static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(file_offset),
                     static_cast<uint32_t>(written.size()), static_cast<uint32_t>(file_length), false});
  text_.append(written);
  unknowns_.emplace_back(std::move(placeholder), std::move(description));
}

std::string RenderedText::readable() const {
  std::string text = text_;
  replace_placeholders(text, unknowns_);
  return text;
}

size_t RenderedText::file_offset(size_t offset) const {
  if (pieces_.empty()) return 0;
  auto after = std::upper_bound(pieces_.begin(), pieces_.end(), offset,
                                [](size_t value, const Piece& piece) { return value < piece.text_offset; });
  if (after == pieces_.begin()) return pieces_.front().file_offset;
  const Piece& piece = *(after - 1);
  if (!piece.copy) return piece.file_offset;
  return piece.file_offset + std::min<size_t>(offset - piece.text_offset, piece.length);
}

size_t RenderedText::file_end_offset(size_t offset) const {
  if (pieces_.empty() || offset == 0) return file_offset(offset);
  size_t last = offset - 1;
  auto after = std::upper_bound(pieces_.begin(), pieces_.end(), last,
                                [](size_t value, const Piece& piece) { return value < piece.text_offset; });
  if (after == pieces_.begin()) return pieces_.front().file_offset;
  const Piece& piece = *(after - 1);
  if (!piece.copy) return piece.file_offset + std::max<uint32_t>(piece.file_length, 1);
  return piece.file_offset + std::min<size_t>(last - piece.text_offset, piece.length) + 1;
}

Span RenderedText::span_of(size_t begin, size_t end) const {
  if (!file_) return {};
  size_t file_begin = file_offset(begin);
  size_t file_end = end > begin ? file_end_offset(end) : file_begin;
  if (file_end < file_begin) file_end = file_begin;
  return file_->span_of(file_begin, file_end);
}

bool RenderedText::origin_of(size_t begin, size_t end, const SourceFile** file, Span* span) const {
  if (origins_.empty() || end <= begin) return false;
  auto after = std::upper_bound(pieces_.begin(), pieces_.end(), begin,
                                [](size_t value, const Piece& piece) { return value < piece.text_offset; });
  if (after == pieces_.begin()) return false;
  const Piece& piece = *(after - 1);
  if (piece.copy || piece.origin == UINT32_MAX || piece.text_offset != begin || piece.length != end - begin) return false;
  *file = origins_[piece.origin].first;
  *span = origins_[piece.origin].second;
  return true;
}

bool decode_rendered_json(const RenderedText& rendered, Node& result, std::string& error) {
  auto virtual_file = std::make_shared<const SourceFile>(
      rendered.file() ? rendered.file()->path() : "", rendered.file() ? rendered.file()->display_path() : "",
      rendered.text());
  Document document = load_json(virtual_file);
  if (!document.ok() || document.roots.size() != 1) {
    if (!document.errors.empty()) {
      const ParseDiagnostic& first = document.errors.front();
      Position at = rendered.file() ? rendered.span_of(virtual_file->offset_of(first.span.begin),
                                                       virtual_file->offset_of(first.span.begin))
                                          .begin
                                    : first.span.begin;
      error = fmt::format("{} (at {}:{})", first.message, at.line, at.column);
    } else {
      error = "no JSON value";
    }
    return false;
  }
  result = std::move(document.roots.front());
  const SourceFile* file = rendered.file();
  auto remap = [&](Node& node) {
    auto map_span = [&](Span& span) {
      if (span.empty()) return;
      span = rendered.span_of(virtual_file->offset_of(span.begin), virtual_file->offset_of(span.end));
    };
    // A value that is all one interpolation (`"image": "${var.app_image}"`) is placed where that
    // value was written, as jsonencode() places it: the variable's default is the line to change.
    if (node.children.empty() && !node.span.empty()) {
      size_t begin = virtual_file->offset_of(node.span.begin);
      size_t end = virtual_file->offset_of(node.span.end);
      std::string_view text = rendered.text();
      if (node.kind == NodeKind::String && end >= begin + 2 && end <= text.size() && text[begin] == '"' &&
          text[end - 1] == '"') {
        ++begin;
        --end;
      }
      const SourceFile* origin_file = nullptr;
      Span origin_span;
      if (rendered.origin_of(begin, end, &origin_file, &origin_span)) {
        map_span(node.key_span);
        node.file = origin_file;
        node.span = origin_span;
        if (origin_file != file) node.key_span = {};  // one file per node (place_under_key)
        return;
      }
    }
    node.file = file;
    map_span(node.span);
    map_span(node.key_span);
  };
  visit_nodes(result, remap, 0);
  if (rendered.has_unknowns()) resolve_placeholders(result, rendered.unknowns(), 0);
  return true;
}

namespace {

// Parses `text` as one JSON value, its nodes located in the returned text (nullptr on a syntax error,
// with `error` set): the callers move the spans to where the text came from.
std::shared_ptr<const SourceFile> parse_json_value(std::string_view text, Node& result, std::string& error) {
  auto virtual_file = std::make_shared<const SourceFile>("", "", std::string(text));
  Document document = load_json(virtual_file);
  if (!document.ok() || document.roots.size() != 1) {
    error = document.errors.empty() ? "no JSON value" : document.errors.front().message;
    return nullptr;
  }
  result = std::move(document.roots.front());
  return virtual_file;
}

}  // namespace

bool decode_json_text(std::string_view text, const SourceFile* file, Span span, Node& result, std::string& error) {
  if (!parse_json_value(text, result, error)) return false;
  auto relocate = [&](Node& node) {
    node.file = file;
    node.span = span;
    if (!node.key_span.empty()) node.key_span = span;
  };
  visit_nodes(result, relocate, 0);
  return true;
}

bool decode_json_text(const TextMap& text, const SourceFile& file, Node& result, std::string& error) {
  std::shared_ptr<const SourceFile> virtual_file = parse_json_value(text.text(), result, error);
  if (!virtual_file) return false;
  auto relocate = [&](Node& node) {
    auto map_span = [&](Span& span) {
      if (span.empty()) return;
      span = text.span_of(file, virtual_file->offset_of(span.begin), virtual_file->offset_of(span.end));
    };
    node.file = &file;
    map_span(node.span);
    map_span(node.key_span);
  };
  visit_nodes(result, relocate, 0);
  return true;
}

}  // namespace shiftlint::terraform
