#pragma once
// JSON inside Terraform: jsonencode() text, and JSON text decoded back into the located tree with
// positions in the file the text came from (a JSON file read with file(), a template rendered by
// templatefile(), a heredoc in a .tf file).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/model/located_tree.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::terraform {

// Puts a value under a key written at `key_span` in `key_file`. A node has one file for its value and
// its key: when the value comes from another file (a variable set in terraform.tfvars), the key's
// span is dropped and findings point at the value, where it was written.
inline void place_under_key(Node& value, std::string key, Span key_span, const SourceFile* key_file) {
  value.key = std::move(key);
  value.key_span = value.file == key_file ? key_span : Span{};
}

// Whether the value is Unknown or holds an Unknown anywhere inside.
bool contains_unknown(const Node& value);

// jsonencode(): compact JSON with object keys sorted, as Terraform writes it. Unknown values are
// written as null (callers check contains_unknown first when that matters).
std::string encode_json(const Node& value);

// Text assembled from a template (or a heredoc) with the way back to the file it was written in:
// literal pieces are copies of file bytes, interpolated values stand for their `${...}`.
// Interpolations whose value is not known are written as placeholders, so the JSON structure
// around them can still be read; decode_rendered_json() turns them into Unknown nodes.
class RenderedText {
 public:
  explicit RenderedText(const SourceFile* file) : file_(file) {}

  void append_copy(std::string_view text, size_t file_offset);
  // Text that stands for the file bytes [file_offset, file_offset + file_length): an interpolated
  // value stands for its `${...}`. `origin` is where the value itself was written (a variable's
  // default, a local), when it was: a JSON value that is the whole of it is placed there.
  void append_inserted(std::string_view text, size_t file_offset, size_t file_length = 1, const Node* origin = nullptr);
  void append_unknown(std::string description, size_t file_offset, size_t file_length = 1);

  const std::string& text() const { return text_; }
  const SourceFile* file() const { return file_; }
  bool has_unknowns() const { return !unknowns_.empty(); }
  // The text with each placeholder replaced by what it stands for (`${var.image}`), for messages.
  std::string readable() const;

  // The file offset of text()[offset].
  size_t file_offset(size_t offset) const;
  // The file span of text()[begin, end).
  Span span_of(size_t begin, size_t end) const;
  // Where the value inserted as exactly text()[begin, end) was written (its `origin`); false when
  // that text is not one inserted value with an origin.
  bool origin_of(size_t begin, size_t end, const SourceFile** file, Span* span) const;

  const std::vector<std::pair<std::string, std::string>>& unknowns() const { return unknowns_; }

 private:
  struct Piece {
    uint32_t text_offset = 0;
    uint32_t file_offset = 0;
    uint32_t length = 0;
    uint32_t file_length = 0;  // inserted pieces: the extent of what they stand for
    bool copy = false;
    uint32_t origin = UINT32_MAX;  // index in origins_
  };
  // The file offset just past the byte before text()[offset].
  size_t file_end_offset(size_t offset) const;
  void track_json_string(std::string_view text);

  const SourceFile* file_;
  std::string text_;
  std::vector<Piece> pieces_;
  std::vector<std::pair<const SourceFile*, Span>> origins_;
  std::vector<std::pair<std::string, std::string>> unknowns_;  // placeholder, description
  bool in_json_string_ = false;
  bool escaped_ = false;
};

// Decodes rendered JSON into the located tree, spans mapped back into the rendered text's file.
// Placeholders become Unknown nodes. On a syntax error returns false with `error` set.
bool decode_rendered_json(const RenderedText& rendered, Node& result, std::string& error);

// Decodes JSON text that has no way back to a file (a string built by functions): every node gets
// `file` and `span`. On a syntax error returns false with `error` set.
bool decode_json_text(std::string_view text, const SourceFile* file, Span span, Node& result, std::string& error);

// Decodes JSON text taken from a string value of `file` with the way back to it (a YAML block scalar
// or a quoted string, exact_yaml_scalar_text): every node gets its own span in the file. On a
// syntax error returns false with `error` set.
bool decode_json_text(const TextMap& text, const SourceFile& file, Node& result, std::string& error);

// Whether text starts (after white space) like a JSON object or array: worth decoding eagerly.
bool looks_like_json(std::string_view text);

}  // namespace shiftlint::terraform
