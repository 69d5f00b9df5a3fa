#include "analyzer/parse/yaml_loader.h"

#include "analyzer/parse/yaml_reader.h"

// yaml-cpp's event API gives each node's kind, tag, anchor and the 0-based byte offset where it
// starts; everything else a finding needs (where a node ends, where an empty value sits, which
// spelling a scalar had) is read back from the source text here. The tree is built with an
// explicit stack, so nothing in this file recurses deeper than `max_depth`.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <istream>
#include <limits>
#include <new>
#include <optional>
#include <streambuf>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/core.h>

namespace shiftlint {
namespace {

constexpr size_t kNone = std::string_view::npos;

// ----------------------------------------------------------------------------------------------
// Reading the source text

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_flow_indicator(char c) {
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

class Text {
 public:
  explicit Text(std::string_view text) : text_(text) {}

  size_t size() const { return text_.size(); }
  // '\0' past the end: the loader refuses files that contain NUL bytes, so it means "end".
  char at(size_t offset) const { return offset < text_.size() ? text_[offset] : '\0'; }
  std::string_view view() const { return text_; }

  size_t clamp(int offset) const {
    if (offset < 0) return 0;
    return std::min(static_cast<size_t>(offset), text_.size());
  }

  // Offset of the '\n' ending the line that holds `offset` (or the end of the text).
  size_t line_end(size_t offset) const {
    size_t end = text_.find('\n', offset);
    return end == kNone ? text_.size() : end;
  }
  size_t line_start(size_t offset) const {
    if (offset == 0) return 0;
    size_t newline = text_.rfind('\n', offset - 1);
    return newline == kNone ? 0 : newline + 1;
  }
  // `end` moved back over trailing spaces, tabs and a CR.
  size_t trim_back(size_t begin, size_t end) const {
    while (end > begin && is_blank(text_[end - 1])) --end;
    return end;
  }
  bool starts_comment(size_t offset) const {
    return at(offset) == '#' && (offset == 0 || is_blank(text_[offset - 1]));
  }

  size_t skip_blanks_and_comments(size_t offset) const {
    while (offset < text_.size()) {
      char c = text_[offset];
      if (is_blank(c)) {
        ++offset;
      } else if (starts_comment(offset)) {
        offset = line_end(offset);
      } else {
        break;
      }
    }
    return offset;
  }

  // Past a node's properties (`!tag`, `&anchor`, in any order, possibly on separate lines), to the
  // end of the last one; `offset` itself when the node has none.
  size_t skip_properties(size_t offset) const {
    size_t end = offset;
    size_t cursor = offset;
    while (true) {
      char c = at(cursor);
      if (c != '!' && c != '&') break;
      size_t token_end = cursor + 1;
      if (c == '!' && at(token_end) == '<') {
        size_t close = text_.find('>', token_end);
        token_end = close == kNone ? text_.size() : close + 1;
      } else {
        while (token_end < text_.size() && !is_blank(text_[token_end]) &&
               !is_flow_indicator(text_[token_end]))
          ++token_end;
      }
      end = token_end;
      cursor = skip_blanks_and_comments(token_end);
    }
    return end;
  }

  // End of a `*alias` token.
  size_t alias_end(size_t offset) const {
    size_t end = offset + 1;
    while (end < text_.size() && !is_blank(text_[end]) && !is_flow_indicator(text_[end])) ++end;
    return end;
  }

  // End (just past the closing quote) of a quoted scalar starting at `offset`; kNone when the
  // quote is never closed (yaml-cpp 0.7 accepts that silently, reading to the end of the file).
  size_t double_quoted_end(size_t offset) const {
    for (size_t i = offset + 1; i < text_.size(); ++i) {
      if (text_[i] == '\\') {
        ++i;
      } else if (text_[i] == '"') {
        return i + 1;
      }
    }
    return kNone;
  }
  size_t single_quoted_end(size_t offset) const {
    for (size_t i = offset + 1; i < text_.size(); ++i) {
      if (text_[i] != '\'') continue;
      if (at(i + 1) == '\'') {
        ++i;
        continue;
      }
      return i + 1;
    }
    return kNone;
  }

  // End of a block scalar (`|`, `>`, with indicators) whose header starts at `offset`: the end of
  // its last non-blank content line, or of the header when it has no content. `parent_indent` is
  // the column of the enclosing block collection (-1 at the document level): content lines are
  // indented deeper than it.
  size_t block_scalar_end(size_t offset, int parent_indent) const {
    size_t cursor = offset + 1;
    int explicit_indent = 0;
    while (true) {
      char c = at(cursor);
      if (c == '+' || c == '-') {
        ++cursor;
      } else if (c >= '1' && c <= '9') {
        explicit_indent = c - '0';
        ++cursor;
      } else {
        break;
      }
    }
    const size_t header_end = cursor;
    size_t line = line_end(offset);
    if (line >= text_.size()) return header_end;
    line += 1;  // the first line after the header

    int content_indent = -1;
    if (explicit_indent > 0) content_indent = std::max(parent_indent, 0) + explicit_indent;
    size_t last_end = kNone;
    while (line < text_.size()) {
      size_t end = line_end(line);
      size_t first = line;
      while (first < end && text_[first] == ' ') ++first;
      size_t content = first;
      while (content < end && is_blank(text_[content])) ++content;
      const int indent = static_cast<int>(first - line);
      if (content < end) {
        if (content_indent < 0) content_indent = indent;  // auto-detected from the first line
        if (indent < content_indent || indent <= parent_indent) break;
        if (indent == 0 && is_document_marker(line)) break;
        last_end = trim_back(line, end);
      }
      line = end + 1;
    }
    return last_end == kNone ? header_end : last_end;
  }

  // End of a plain scalar starting at `offset` whose folded value is `value`. Plain scalars have
  // no escapes: walking the value against the text, treating any run of whitespace and line
  // breaks as one fold, lands exactly on its last character. O(length of the scalar).
  size_t plain_scalar_end(size_t offset, std::string_view value, bool in_flow) const {
    size_t i = offset;
    size_t j = 0;
    size_t last = offset;
    while (j < value.size() && i < text_.size()) {
      if (text_[i] == value[j]) {
        ++i;
        ++j;
        last = i;
        continue;
      }
      bool progressed = false;
      while (i < text_.size() && is_blank(text_[i])) {
        ++i;
        progressed = true;
      }
      while (j < value.size() && (value[j] == ' ' || value[j] == '\n')) {
        ++j;
        progressed = true;
      }
      if (!progressed) break;
    }
    if (j == value.size()) return last;
    // Not expected for yaml-cpp's output; fall back to the rest of the line.
    size_t end = line_end(offset);
    for (size_t k = offset; k < end; ++k) {
      if (starts_comment(k) || (in_flow && is_flow_indicator(text_[k]))) {
        end = k;
        break;
      }
    }
    return std::max(trim_back(offset, end), std::min(offset + 1, text_.size()));
  }

  bool is_document_marker(size_t line) const {
    if (line + 3 > text_.size()) return false;
    std::string_view marker = text_.substr(line, 3);
    if (marker != "---" && marker != "...") return false;
    char next = at(line + 3);
    return next == '\0' || is_blank(next);
  }

 private:
  std::string_view text_;
};

// Length of the UTF-8 sequence starting with `lead` (1 for anything invalid).
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

// An error's span: [begin, end), or the one character at `begin` when `end` is not after it, so
// a code frame has something to underline (nothing at the end of a line or of the file).
Span error_span(const SourceFile& file, size_t begin, size_t end) {
  if (end <= begin) {
    const Text text(file.text());
    const char c = text.at(begin);
    end = (c == '\0' || c == '\n' || c == '\r') ? begin : begin + utf8_length(c);
    end = std::min(end, text.line_end(begin));
  }
  return file.span_of(begin, end);
}

// ----------------------------------------------------------------------------------------------
// Refusing pathologically deep input before yaml-cpp sees it. yaml-cpp's parser recurses once per
// nesting level; a cheap single pass over the text estimates the nesting (flow brackets plus
// indentation levels) so a `[[[[...` file gets an error at its first too-deep bracket. The estimate
// errs low; the tree builder checks the exact depth.

size_t skip_block_scalar_lines(std::string_view text, size_t line, int parent_indent) {
  Text source(text);
  while (line < text.size()) {
    size_t end = source.line_end(line);
    size_t first = line;
    while (first < end && text[first] == ' ') ++first;
    size_t content = first;
    while (content < end && is_blank(text[content])) ++content;
    if (content < end) {
      int indent = static_cast<int>(first - line);
      if (indent <= parent_indent) break;
      if (indent == 0 && source.is_document_marker(line)) break;
    }
    line = end + 1;
  }
  return line;
}

std::optional<size_t> find_too_deep_nesting(std::string_view text, uint32_t max_depth) {
  const Text source(text);
  const size_t size = text.size();
  std::vector<uint32_t> block;  // columns of the open block levels
  uint32_t flow = 0;
  auto depth = [&] { return static_cast<uint64_t>(block.empty() ? 0 : block.size() - 1) + flow; };
  bool node_start = true;
  size_t p = 0;
  while (p < size) {
    const size_t line = p;
    size_t eol = source.line_end(p);
    if (flow == 0) {
      size_t first = p;
      while (first < eol && text[first] == ' ') ++first;
      size_t content = first;
      while (content < eol && is_blank(text[content])) ++content;
      if (content >= eol || source.starts_comment(content)) {
        p = eol + 1;
        continue;
      }
      const auto indent = static_cast<uint32_t>(first - line);
      if (indent == 0 && source.is_document_marker(line)) {
        block.clear();
        first += 3;
      } else {
        while (!block.empty() && block.back() > indent) block.pop_back();
        if (block.empty() || block.back() < indent) block.push_back(indent);
        if (depth() > max_depth) return first;
      }
      p = first;
      node_start = true;
    }
    bool block_scalar = false;
    while (p < eol) {
      const char c = text[p];
      const char next = source.at(p + 1);
      if (is_blank(c)) {
        ++p;
        continue;
      }
      if (source.starts_comment(p)) {
        p = eol;
        break;
      }
      if (c == '[' || c == '{') {
        if (node_start || flow > 0) {
          ++flow;
          if (depth() > max_depth) return p;
          node_start = true;
        }
        ++p;
        continue;
      }
      if (node_start) {
        if (c == '"' || c == '\'') {
          size_t end = c == '"' ? source.double_quoted_end(p) : source.single_quoted_end(p);
          p = end == kNone ? size : end;
          if (p > eol) eol = source.line_end(p);
          node_start = false;
          continue;
        }
        if ((c == '|' || c == '>') && flow == 0) {
          block_scalar = true;
          break;
        }
        if (c == '!' || c == '&') {
          while (p < eol && !is_blank(text[p]) && !(flow > 0 && is_flow_indicator(text[p]))) ++p;
          continue;
        }
        if ((c == '-' || c == '?') && (next == '\0' || is_blank(next))) {
          if (flow == 0) {
            size_t entry = p + 1;
            while (entry < eol && is_space(text[entry])) ++entry;
            if (entry < eol && text[entry] != '\r' && !source.starts_comment(entry)) {
              const auto column = static_cast<uint32_t>(entry - line);
              if (block.empty() || block.back() < column) block.push_back(column);
              if (depth() > max_depth) return entry;
            }
          }
          ++p;
          continue;
        }
      }
      if (flow > 0) {
        if (c == ']' || c == '}') {
          --flow;
          node_start = false;
          ++p;
          continue;
        }
        if (c == ',') {
          node_start = true;
          ++p;
          continue;
        }
      }
      if (c == ':' && (next == '\0' || is_blank(next) || (flow > 0 && is_flow_indicator(next)))) {
        node_start = true;
        ++p;
        continue;
      }
      node_start = false;
      ++p;
    }
    p = eol + 1;
    if (block_scalar) {
      int parent = block.empty() ? -1 : static_cast<int>(block.back());
      p = skip_block_scalar_lines(text, p, parent);
    }
  }
  return std::nullopt;
}

// ----------------------------------------------------------------------------------------------
// Scalars: YAML 1.2 core schema

bool is_digits(std::string_view text, bool (*digit)(char)) {
  if (text.empty()) return false;
  for (char c : text)
    if (!digit(c)) return false;
  return true;
}
bool decimal_digit(char c) { return c >= '0' && c <= '9'; }
bool octal_digit(char c) { return c >= '0' && c <= '7'; }
bool hex_digit(char c) {
  return decimal_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

double accumulate_digits(std::string_view digits, int base) {
  double value = 0;
  for (char c : digits) {
    int digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    value = value * base + digit;
  }
  return value;
}

std::optional<double> parse_core_integer(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && text[1] == 'x' && is_digits(text.substr(2), hex_digit))
    return accumulate_digits(text.substr(2), 16);
  if (text.size() > 2 && text[0] == '0' && text[1] == 'o' && is_digits(text.substr(2), octal_digit))
    return accumulate_digits(text.substr(2), 8);
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (!is_digits(digits, decimal_digit)) return std::nullopt;
  double value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return negative ? -value : value;
}

std::optional<double> parse_core_float(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN")
    return std::numeric_limits<double>::quiet_NaN();
  // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  size_t i = 0;
  size_t integer_digits = 0;
  while (i < body.size() && decimal_digit(body[i])) ++i, ++integer_digits;
  size_t fraction_digits = 0;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && decimal_digit(body[i])) ++i, ++fraction_digits;
    if (integer_digits == 0 && fraction_digits == 0) return std::nullopt;
  } else if (integer_digits == 0) {
    return std::nullopt;
  }
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    size_t exponent_digits = 0;
    while (i < body.size() && decimal_digit(body[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  double value = 0;
  auto result = std::from_chars(body.data(), body.data() + body.size(), value);
  if (result.ec == std::errc::result_out_of_range)
    value = std::numeric_limits<double>::infinity();  // 1e999: as large as a double gets
  else if (result.ec != std::errc())
    return std::nullopt;
  return negative ? -value : value;
}

std::optional<bool> parse_core_boolean(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool is_null_literal(std::string_view text) {
  return text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// Resolves a plain scalar per the core schema into `node` (text already set).
void resolve_plain(Node& node) {
  if (is_null_literal(node.text) || node.text.empty()) {
    node.kind = NodeKind::Null;
  } else if (auto flag = parse_core_boolean(node.text)) {
    node.kind = NodeKind::Boolean;
    node.boolean = *flag;
  } else if (auto integer = parse_core_integer(node.text)) {
    node.kind = NodeKind::Number;
    node.number = *integer;
  } else if (auto real = parse_core_float(node.text)) {
    node.kind = NodeKind::Number;
    node.number = *real;
  } else {
    node.kind = NodeKind::String;
  }
}

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

// yaml-cpp expands `!!str` to `tag:yaml.org,2002:str`; nodes keep the tag as users write it.
std::string tag_as_written(std::string_view tag) {
  if (tag == "?" || tag == "!") return {};
  if (tag.substr(0, kCoreTagPrefix.size()) == kCoreTagPrefix)
    return "!!" + std::string(tag.substr(kCoreTagPrefix.size()));
  return std::string(tag);
}

bool is_intrinsic_tag(std::string_view tag) {
  if (tag.size() < 3 || tag[0] != '!' || tag[1] == '!') return false;
  static constexpr std::string_view kIntrinsics[] = {
      "!Ref",    "!Sub",  "!GetAtt", "!Join",   "!If",  "!Select", "!Split",
      "!FindInMap", "!ImportValue", "!GetAZs", "!Base64", "!Cidr", "!Equals",
      "!And",    "!Or",   "!Not",    "!Condition", "!Transform"};
  for (std::string_view intrinsic : kIntrinsics)
    if (tag == intrinsic) return true;
  return false;
}

// ----------------------------------------------------------------------------------------------
// Short renderings: complex keys, and intrinsics for messages

bool needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  for (char c : text)
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == ':' || c == '#' ||
        c == '"' || c == '\n')
      return true;
  return false;
}

void render(const Node& node, std::string& out, size_t limit) {
  if (out.size() > limit) return;
  switch (node.kind) {
    case NodeKind::Null: out += node.text.empty() ? "null" : node.text; return;
    case NodeKind::Boolean:
    case NodeKind::Number: out += node.text; return;
    case NodeKind::Unknown:
      if (!node.text.empty()) {
        out += node.text;
        return;
      }
      break;
    case NodeKind::String:
      if (!needs_quotes(node.text)) {
        out += node.text;
        return;
      }
      out += '"';
      for (char c : node.text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
          out += "\\n";
          continue;
        }
        out += c;
      }
      out += '"';
      return;
    default: break;
  }
  if (!node.tag.empty()) out += node.tag + " ";
  const bool map = node.kind == NodeKind::Map;
  out += map ? '{' : '[';
  bool first = true;
  for (const Node& child : node.children) {
    if (out.size() > limit) break;
    if (!first) out += ", ";
    first = false;
    if (map) {
      out += child.key;
      out += ": ";
    }
    render(child, out, limit);
  }
  out += map ? '}' : ']';
}

std::string rendering(const Node& node, size_t limit) {
  std::string out;
  render(node, out, limit);
  if (out.size() > limit) {
    out.resize(limit);
    out += "...";
  }
  return out;
}

// ----------------------------------------------------------------------------------------------
// The tree builder

constexpr uint64_t kAliasBudgetFloor = 100'000;
constexpr uint64_t kAliasBudgetRatio = 100;
// Nodes the text itself can hold: every written node takes at least one byte of the text, except
// the empty values after `key:`, `?` or `-` (YAML cannot pack two nodes into less than a byte each).
// yaml-cpp 0.7 emits null nodes without end on some malformed plain scalars (`,ResourcesAWS::`
// made 5 million of them, 1.4 GB, from 15 bytes): past this many per byte the parse is stopped.
constexpr uint64_t kWrittenNodesPerByte = 4;
constexpr uint64_t kWrittenNodesSlack = 64;

// Thrown from an event handler after a limit error was recorded: stops the parse at once.
struct StopParsing {};

struct AnchoredNode {
  Node node;
  uint64_t size = 0;    // nodes in the subtree
  uint32_t height = 0;  // nesting levels in the subtree (a scalar has 0)
  bool complete = false;
};

void measure(const Node& node, uint64_t& size, uint32_t& height, uint32_t level) {
  ++size;
  if (node.kind == NodeKind::List || node.kind == NodeKind::Map ||
      (node.kind == NodeKind::Unknown && !node.children.empty()))
    height = std::max(height, level + 1);
  for (const Node& child : node.children) measure(child, size, height, level + 1);
}

struct Frame {
  Node node;
  size_t begin = 0;     // where the node starts, its properties included
  size_t content = 0;   // the first `-`, key, `[` or `{`
  size_t last_end = 0;  // end of the last child (or of the opening bracket)
  int indent = 0;       // column of `content`: block scalars inside are indented deeper
  YAML::anchor_t anchor = 0;
  bool brackets = false;  // a `[...]`/`{...}` collection, which ends at its closing bracket
  bool flow = false;
  // Maps: the key waiting for its value.
  bool expecting_value = false;
  bool key_is_merge = false;
  std::string key;
  Span key_span;
  size_t key_end = 0;
  // `<<` merge sources in priority order, spliced in where the first `<<` stood.
  std::vector<Node> merge_sources;
  size_t merge_index = kNone;
  // Key -> index in children, built once a map is large enough for linear scans to hurt.
  std::unordered_map<std::string, size_t> key_index;
  // A key at the start of a line that begins with `---` (`---apiVersion: v1`): a document separator
  // without its line break, so the next document's keys land in this map.
  std::optional<Span> glued_separator;
};

// Builds the located tree from the events of either front end: yaml-cpp's (YAML::EventHandler)
// or the hand-written reader's (YamlEvents), which reports the same events at the same offsets.
class TreeBuilder final : public YAML::EventHandler, public YamlEvents {
 public:
  TreeBuilder(const SourceFile& file, const LoadLimits& limits, Document& document)
      : file_(file), text_(file.text()), limits_(limits), document_(document) {}

  void OnDocumentStart(const YAML::Mark& mark) override { document_start(text_.clamp(mark.pos)); }
  void OnDocumentEnd() override { document_end(); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add_null(text_.clamp(mark.pos), anchor);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    add_scalar(text_.clamp(mark.pos), tag, anchor, value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(text_.clamp(mark.pos), tag, anchor, style == YAML::EmitterStyle::Flow, NodeKind::List);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(text_.clamp(mark.pos), tag, anchor, style == YAML::EmitterStyle::Flow, NodeKind::Map);
  }
  void OnMapEnd() override { close(); }

  void document_start(size_t offset) override {
    document_start_ = offset;
    stack_.clear();
    anchors_.clear();
    root_.reset();
  }

  void document_end() override {
    if (root_) document_.roots.push_back(std::move(*root_));
    root_.reset();
    anchors_.clear();
  }

  void null_value(size_t offset, size_t anchor) override { add_null(offset, anchor); }
  void alias(size_t offset, size_t anchor) override { add_alias(offset, anchor); }
  void scalar(size_t offset, std::string_view tag, size_t anchor, std::string value) override {
    add_scalar(offset, tag, anchor, std::move(value));
  }
  void sequence_start(size_t offset, std::string_view tag, size_t anchor, bool flow) override {
    open(offset, tag, anchor, flow, NodeKind::List);
  }
  void sequence_end() override { close(); }
  void map_start(size_t offset, std::string_view tag, size_t anchor, bool flow) override {
    open(offset, tag, anchor, flow, NodeKind::Map);
  }
  void map_end() override { close(); }

  void add_null(size_t begin, YAML::anchor_t anchor) {
    count_nodes(1, begin, false);
    Node node = make_node(NodeKind::Null);

    const bool is_value = stack_.empty() || stack_.back().node.kind != NodeKind::Map ||
                          stack_.back().expecting_value;
    const size_t properties_end = text_.skip_properties(begin);
    const bool has_properties = properties_end > begin;
    const size_t literal = has_properties ? text_.skip_blanks_and_comments(properties_end) : begin;
    size_t literal_length = null_literal_length(literal, is_value);
    if (has_properties && literal_length > 0 && text_.line_end(properties_end) < literal &&
        !on_deeper_line(literal))
      literal_length = 0;

    size_t node_begin = begin;
    size_t node_end = begin;
    if (literal_length > 0) {
      node.text = std::string(text_.view().substr(literal, literal_length));
      node_end = literal + literal_length;
    } else if (has_properties) {
      node_end = properties_end;
    } else {
      // An empty value: yaml-cpp marks it where the next token starts; it belongs right after
      // its `:` or `-` (or the document's `---`).
      node_begin = node_end = empty_value_position(is_value, begin);
    }
    node.span = file_.span_of(node_begin, node_end);
    complete(std::move(node), node_begin, node_end, anchor, false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add_alias(text_.clamp(mark.pos), anchor);
  }

  void add_alias(size_t begin, YAML::anchor_t anchor) {
    const size_t end = text_.alias_end(begin);
    const AnchoredNode* target = anchor < anchors_.size() ? &anchors_[anchor] : nullptr;
    if (!target || !target->complete) {
      std::string name(text_.view().substr(begin + 1, end - begin - 1));
      add_error(begin, end,
                fmt::format("alias *{} refers to its own anchor, which is not complete yet", name));
      count_nodes(1, begin, false);
      Node node = make_node(NodeKind::Null);
      node.span = file_.span_of(begin, end);
      complete(std::move(node), begin, end, 0, false);
      return;
    }
    count_nodes(target->size, begin, true);
    if (stack_.size() + target->height > limits_.max_depth) {
      add_error(begin, end, fmt::format("YAML nesting deeper than {} levels", limits_.max_depth));
      throw StopParsing{};
    }
    complete(Node(target->node), begin, end, 0, false);
  }

  void add_scalar(size_t begin, std::string_view tag, YAML::anchor_t anchor, std::string value) {
    count_nodes(1, begin, false);

    // Find the scalar itself behind its properties and tell its style from its first character.
    const size_t properties_end = text_.skip_properties(begin);
    size_t start = properties_end > begin ? text_.skip_blanks_and_comments(properties_end) : begin;
    if (value.empty() && properties_end > begin && text_.line_end(properties_end) < start)
      start = properties_end;  // `key: !!str` with nothing after the tag
    const char first = text_.at(start);
    bool plain = false;
    size_t end = start;
    if (start == properties_end && value.empty() && properties_end > begin) {
      plain = tag != "!";
    } else if (first == '"' || first == '\'') {
      end = first == '"' ? text_.double_quoted_end(start) : text_.single_quoted_end(start);
      if (end == kNone) {
        add_error(start, start + 1,
                  fmt::format("missing closing quote ({}) for the string starting here", first));
        end = text_.trim_back(start, text_.size());
      }
    } else if ((first == '|' || first == '>') && tag != "?") {
      end = text_.block_scalar_end(start, parent_indent());
    } else {
      plain = tag != "!";
      end = value.empty() ? start : text_.plain_scalar_end(start, value, in_flow());
    }

    const bool merge_marker = tag == "?" && value == "<<";
    Node node = make_node(NodeKind::String);
    node.text = std::move(value);
    node.tag = tag_as_written(tag);
    node.span = file_.span_of(begin, end);

    if (is_intrinsic_tag(node.tag)) {
      count_nodes(1, begin, false);
      Node argument = make_node(NodeKind::String);
      argument.text = std::move(node.text);
      argument.span = file_.span_of(start, end);
      const bool short_form = argument.text.size() <= 80 && argument.text.find('\n') == std::string::npos;
      node.kind = NodeKind::Unknown;
      node.text = short_form ? node.tag + " " + argument.text : node.tag + " ...";
      node.children.push_back(std::move(argument));
    } else {
      resolve_scalar(node, tag, plain);
    }
    complete(std::move(node), begin, end, anchor, merge_marker);
  }

  // Where the innermost open collection starts: the best place for an error yaml-cpp reports
  // without a useful position.
  std::optional<size_t> innermost_collection() const {
    if (stack_.empty()) return std::nullopt;
    return stack_.back().content;
  }

  void add_error(size_t begin, size_t end, std::string message) {
    document_.errors.push_back({error_span(file_, begin, end), std::move(message)});
  }

 private:
  Node make_node(NodeKind kind) const {
    Node node;
    node.kind = kind;
    node.file = &file_;
    return node;
  }

  bool in_flow() const { return !stack_.empty() && stack_.back().flow; }
  int parent_indent() const { return stack_.empty() ? -1 : stack_.back().indent; }

  // Whether `offset` sits on a line indented deeper than the enclosing collection (so a null
  // literal there can still belong to the current node rather than to the next entry).
  bool on_deeper_line(size_t offset) const {
    const size_t line = text_.line_start(offset);
    size_t first = line;
    while (first < offset && text_.at(first) == ' ') ++first;
    return first == offset && static_cast<int>(offset - line) > parent_indent();
  }

  // Length of a null literal (`~`, `null`, ...) written at `offset`, 0 when there is none. A
  // literal followed by `:` is the next entry's key, not this value.
  size_t null_literal_length(size_t offset, bool is_value) const {
    size_t end = offset;
    while (end < text_.size() && !is_blank(text_.at(end)) &&
           !(in_flow() && is_flow_indicator(text_.at(end))) && text_.at(end) != ':')
      ++end;
    if (end == offset || !is_null_literal(text_.view().substr(offset, end - offset))) return 0;
    if (is_value) {
      size_t after = end;
      while (is_space(text_.at(after))) ++after;
      if (text_.at(after) == ':') return 0;
    }
    return end - offset;
  }

  size_t empty_value_position(bool is_value, size_t mark) const {
    if (stack_.empty()) {
      size_t start = document_start_;
      return text_.view().substr(start, 3) == "---" ? start + 3 : std::min(start, mark);
    }
    const Frame& parent = stack_.back();
    if (parent.node.kind == NodeKind::Map) {
      if (!is_value) return mark;  // an empty key (`: value`)
      size_t colon = text_.skip_blanks_and_comments(parent.key_end);
      return text_.at(colon) == ':' ? colon + 1 : parent.key_end;
    }
    if (!parent.brackets) {
      size_t dash = text_.skip_blanks_and_comments(parent.last_end);
      if (text_.at(dash) == '-') return dash + 1;
    }
    return parent.last_end;
  }

  void resolve_scalar(Node& node, std::string_view tag, bool plain) {
    if (tag == "?" || tag == "!") {
      if (plain) resolve_plain(node);
      return;
    }
    if (tag.substr(0, kCoreTagPrefix.size()) != kCoreTagPrefix) {
      // A local tag (`!foo`): the value as it would read without the tag.
      if (plain) resolve_plain(node);
      return;
    }
    std::string_view type = tag.substr(kCoreTagPrefix.size());
    if (type == "int") {
      if (auto integer = parse_core_integer(node.text)) {
        node.kind = NodeKind::Number;
        node.number = *integer;
      }
    } else if (type == "float") {
      auto real = parse_core_float(node.text);
      if (!real) real = parse_core_integer(node.text);
      if (real) {
        node.kind = NodeKind::Number;
        node.number = *real;
      }
    } else if (type == "bool") {
      if (auto flag = parse_core_boolean(node.text)) {
        node.kind = NodeKind::Boolean;
        node.boolean = *flag;
      }
    } else if (type == "null") {
      node.kind = NodeKind::Null;
    }
    // `!!str` and every other core tag (binary, timestamp, ...) stay strings.
  }

  // Every node created counts against `max_nodes`. Nodes copied by aliases also count against a
  // budget proportional to the nodes written in the file (as Go's yaml.v3 does): a Node is ~200
  // bytes, so 5M copies would be a gigabyte, while real files that reuse anchors copy far less
  // than a hundred times what they write.
  void count_nodes(uint64_t count, size_t at, bool alias) {
    nodes_ += count;
    if (!alias) {
      written_nodes_ += count;
      if (written_nodes_ > kWrittenNodesPerByte * file_.text().size() + kWrittenNodesSlack) {
        add_error(at, at, "the YAML parser keeps producing values without reading the text (a yaml-cpp loop on "
                          "malformed input): check the syntax here");
        throw StopParsing{};
      }
      if (nodes_ <= limits_.max_nodes) return;
      add_error(at, at, fmt::format("YAML document has more than {} nodes", limits_.max_nodes));
      throw StopParsing{};
    }
    alias_nodes_ += count;
    const uint64_t budget = std::min<uint64_t>(
        limits_.max_nodes, std::max(kAliasBudgetFloor, kAliasBudgetRatio * written_nodes_));
    if (alias_nodes_ <= budget && nodes_ <= limits_.max_nodes) return;
    add_error(at, text_.alias_end(at),
              fmt::format("YAML alias expansion exceeds {} nodes (alias bomb?)",
                          alias_nodes_ > budget ? budget : limits_.max_nodes));
    throw StopParsing{};
  }

  void open(size_t begin, std::string_view tag, YAML::anchor_t anchor, bool flow, NodeKind kind) {
    count_nodes(1, begin, false);
    const size_t properties_end = text_.skip_properties(begin);
    const size_t content =
        properties_end > begin ? text_.skip_blanks_and_comments(properties_end) : begin;
    if (stack_.size() + 1 > limits_.max_depth) {
      add_error(content, content,
                fmt::format("YAML nesting deeper than {} levels", limits_.max_depth));
      throw StopParsing{};
    }
    Frame frame;
    frame.node = make_node(kind);
    frame.node.tag = tag_as_written(tag);
    frame.begin = begin;
    frame.content = content;
    frame.anchor = anchor;
    frame.flow = flow;
    const char opener = kind == NodeKind::List ? '[' : '{';
    frame.brackets = frame.flow && text_.at(content) == opener;
    frame.last_end = frame.brackets ? content + 1 : content;
    frame.indent = static_cast<int>(content - text_.line_start(content));
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (!frame.merge_sources.empty()) apply_merges(frame);

    size_t end = frame.last_end;
    if (frame.brackets) {
      const char closer = frame.node.kind == NodeKind::List ? ']' : '}';
      size_t cursor = frame.last_end;
      while (true) {
        cursor = text_.skip_blanks_and_comments(cursor);
        if (text_.at(cursor) != ',') break;
        ++cursor;
      }
      if (text_.at(cursor) == closer) end = cursor + 1;
    }
    Node node = std::move(frame.node);
    node.span = file_.span_of(frame.begin, end);
    if (is_intrinsic_tag(node.tag)) {
      std::string shown = rendering(node, 200);
      node.kind = NodeKind::Unknown;
      node.text = shown.size() <= 80 ? std::move(shown) : node.tag + " ...";
    }
    complete(std::move(node), frame.begin, end, frame.anchor, false);
  }

  // A finished node goes to its parent: a list item, a map key, a map value, or the root.
  void complete(Node node, size_t begin, size_t end, YAML::anchor_t anchor, bool merge_marker) {
    if (anchor != 0) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      AnchoredNode& stored = anchors_[anchor];
      stored.size = 0;
      stored.height = 0;
      measure(node, stored.size, stored.height, 0);
      stored.node = node;
      stored.complete = true;
    }
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    parent.last_end = end;
    if (parent.node.kind == NodeKind::List) {
      parent.node.children.push_back(std::move(node));
      return;
    }
    if (!parent.expecting_value) {
      parent.expecting_value = true;
      parent.key_is_merge = merge_marker;
      parent.key = node.is_scalar() && node.kind != NodeKind::Unknown ? std::move(node.text)
                                                                      : rendering(node, 200);
      parent.key_span = file_.span_of(begin, end);
      parent.key_end = end;
      return;
    }
    parent.expecting_value = false;
    add_entry(parent, std::move(node));
  }

  void add_entry(Frame& map, Node value) {
    if (map.key_is_merge && (value.is_map() || value.is_list())) {
      if (map.merge_index == kNone) map.merge_index = map.node.children.size();
      if (value.is_map()) {
        map.merge_sources.push_back(std::move(value));
      } else {
        for (Node& item : value.children)
          if (item.is_map()) map.merge_sources.push_back(std::move(item));
      }
      return;
    }
    value.key = std::move(map.key);
    value.key_span = map.key_span;
    if (!map.glued_separator && value.key.size() > 3 && value.key.starts_with("---") && value.key_span.begin.column == 1)
      map.glued_separator = value.key_span;
    std::vector<Node>& children = map.node.children;

    constexpr size_t kLinearScanLimit = 16;
    const Node* first = nullptr;
    if (children.size() < kLinearScanLimit) {
      for (const Node& entry : children)
        if (entry.key == value.key) {
          first = &entry;
          break;
        }
    } else {
      if (map.key_index.empty())
        for (size_t i = 0; i < children.size(); ++i) map.key_index.emplace(children[i].key, i);
      auto [it, inserted] = map.key_index.emplace(value.key, children.size());
      if (!inserted) first = &children[it->second];
    }
    if (first) {
      std::string message =
          fmt::format("duplicate key \"{}\" (first defined at line {}): YAML requires unique keys and "
                      "readers differ on which value wins (most keep the last, so the first is lost); keep one",
                      value.key, first->key_span.begin.line);
      if (map.glued_separator && map.glued_separator->begin.line < value.key_span.begin.line)
        message += fmt::format(
            " (line {} starts with `---` and a key on the same line, which YAML reads as one key, so the document "
            "there goes on as this one: put a line break after `---`)",
            map.glued_separator->begin.line);
      add_error(file_.offset_of(value.key_span.begin), file_.offset_of(value.key_span.end), std::move(message));
      document_.errors.back().duplicate_key = true;
      document_.errors.back().first_key = first->key_span;
    }
    children.push_back(std::move(value));
  }

  // `<<` merge keys (https://yaml.org/type/merge.html): keys written in the map win over merged
  // ones, and an earlier source wins over a later one.
  void apply_merges(Frame& map) {
    std::vector<Node>& children = map.node.children;
    std::unordered_set<std::string> present;
    for (const Node& entry : children) present.insert(entry.key);
    std::vector<Node> merged;
    for (Node& source : map.merge_sources)
      for (Node& entry : source.children)
        if (present.insert(entry.key).second) merged.push_back(std::move(entry));
    map.merge_sources.clear();
    const size_t at = std::min(map.merge_index, children.size());
    children.insert(children.begin() + static_cast<std::ptrdiff_t>(at),
                    std::make_move_iterator(merged.begin()), std::make_move_iterator(merged.end()));
  }

  const SourceFile& file_;
  Text text_;
  const LoadLimits& limits_;
  Document& document_;
  size_t document_start_ = 0;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::vector<AnchoredNode> anchors_;  // by yaml-cpp's anchor id (per document)
  // Counted over the whole file: every root stays in memory.
  uint64_t nodes_ = 0;
  uint64_t written_nodes_ = 0;
  uint64_t alias_nodes_ = 0;
};

// ----------------------------------------------------------------------------------------------
// yaml-cpp's terse messages, in the words users know from other YAML tools.

// For "mapping values are not allowed here" at `at`: when the key on that line is indented under a
// `key: value` line, whose value is already given, the fix is the indentation (a manifest's `kind:`
// pushed under `apiVersion: apps/v1`). Returns that key line's text, or "" for any other case.
std::string_view key_line_with_value_above(std::string_view text, size_t at) {
  if (at >= text.size()) return {};
  auto line_start = [&](size_t offset) {
    size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
    return newline == std::string_view::npos ? size_t{0} : newline + 1;
  };
  auto indent_of = [&](size_t start) {
    size_t column = start;
    while (column < text.size() && text[column] == ' ') ++column;
    return column - start;
  };
  size_t start = line_start(at);
  size_t indent = indent_of(start);
  if (at <= start + indent) return {};
  std::string_view key = text.substr(start + indent, at - start - indent);
  if (key.empty() || key.find_first_of(":#'\"{}[]") != std::string_view::npos) return {};
  // The nearest line above that holds something other than a comment.
  size_t previous = start;
  while (previous > 0) {
    size_t previous_start = line_start(previous - 1);
    size_t previous_end = previous - 1;  // the line break
    std::string_view line = text.substr(previous_start, previous_end - previous_start);
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') {
      if (indent_of(previous_start) >= indent || line.substr(first, 2) == "- ") return {};
      size_t colon = line.find(": ", first);
      if (colon == std::string_view::npos) return {};
      std::string_view value = line.substr(colon + 2);
      size_t value_first = value.find_first_not_of(' ');
      // A block scalar, an anchor or a tag may be followed by indented lines.
      if (value_first == std::string_view::npos || std::string_view("|>&!#").find(value[value_first]) != std::string_view::npos)
        return {};
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      return line.substr(first);
    }
    previous = previous_start;
  }
  return {};
}

std::string readable_message(const std::string& message, std::string_view text, size_t at) {
  if (message == "illegal map value")
    if (std::string_view above = key_line_with_value_above(text, at); !above.empty())
      return fmt::format("mapping values are not allowed here: this key is indented under `{}`, which already has "
                         "a value; indent it like the key above",
                         above);
  struct Translation {
    std::string_view from;
    std::string_view to;
  };
  static constexpr Translation kTranslations[] = {
      {"illegal map value", "mapping values are not allowed here (quote a value that contains \": \")"},
      {"end of map not found", "bad indentation of a mapping entry"},
      {"end of sequence not found", "bad indentation of a sequence entry"},
      {"end of map flow not found", "expected ',' or '}' in a flow mapping"},
      {"end of sequence flow not found", "expected ',' or ']' in a flow sequence"},
      {"illegal block entry", "a sequence entry (\"- \") is not allowed here"},
      {"illegal map key", "a mapping key is not allowed here"},
      {"illegal flow end", "unexpected closing bracket"},
      {"illegal EOF in scalar", "unexpected end of file inside a quoted string"},
      {"illegal document indicator in scalar", "document marker (--- or ...) inside a quoted string"},
      {"illegal tab when looking for indentation", "tab characters must not be used for indentation"},
      {"unknown token", "unexpected character"},
      {"illegal character in scalar", "unexpected character in a scalar"},
      {"invalid character in single-quoted string", "invalid character in a single-quoted string"},
  };
  for (const Translation& translation : kTranslations)
    if (message == translation.from) return std::string(translation.to);
  if (message == YAML::ErrorMsg::UNKNOWN_ANCHOR && at < text.size() && text[at] == '*') {
    size_t end = at + 1;
    while (end < text.size() && !is_blank(text[end]) && !is_flow_indicator(text[end])) ++end;
    std::string_view name = text.substr(at + 1, end - at - 1);
    return fmt::format("unknown anchor: *{} is used but &{} is not defined before it", name, name);
  }
  const std::string escape = YAML::ErrorMsg::INVALID_ESCAPE;
  if (message.compare(0, escape.size(), escape) == 0)
    return "unknown escape sequence \\" + message.substr(escape.size()) +
           " in a double-quoted string";
  return message;
}

// Reads a string without copying it into a stringstream.
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* data = const_cast<char*>(text.data());
    setg(data, data, data + text.size());
  }
};

// The hand-written reader: true when it read the whole text; false when it declined it (or a
// limit was reached: yaml-cpp then reports the limit where it stops), leaving `document` to be
// discarded.
bool load_with_reader(const SourceFile& file, const LoadLimits& limits, Document& document) {
  TreeBuilder builder(file, limits, document);
  try {
    return read_yaml(file.text(), builder);
  } catch (const StopParsing&) {
    return false;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

void load_with_yaml_cpp(const SourceFile& file, const LoadLimits& limits, Document& document) {
  const std::string_view text = file.text();
  TreeBuilder builder(file, limits, document);
  try {
    TextBuffer buffer(text);
    std::istream input(&buffer);
    YAML::Parser parser(input);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const StopParsing&) {
    // The limit error is recorded already.
  } catch (const YAML::DeepRecursion&) {
    size_t at = builder.innermost_collection().value_or(0);
    builder.add_error(at, at, "YAML nesting too deep (the parser stops at 500 levels)");
  } catch (const YAML::Exception& error) {
    size_t at = error.mark.is_null() ? text.size()
                                     : std::min(static_cast<size_t>(std::max(error.mark.pos, 0)),
                                                text.size());
    builder.add_error(at, at, readable_message(error.msg, text, at));
  } catch (const std::bad_alloc&) {
    document.errors.push_back({error_span(file, 0, 0), "out of memory while parsing YAML"});
  } catch (const std::exception& error) {
    document.errors.push_back({error_span(file, 0, 0), std::string("YAML parser failed: ") + error.what()});
  }
}

}  // namespace

YamlLoadStatistics& yaml_thread_statistics() {
  thread_local YamlLoadStatistics statistics;
  return statistics;
}

std::optional<Document> load_yaml_with(std::shared_ptr<const SourceFile> file, const LoadLimits& limits,
                                       YamlFrontEnd front_end) {
  Document document;
  document.file = file;
  if (!file) return document;
  const std::string_view text = file->text();

  auto error_at = [&](size_t offset, std::string message) {
    document.errors.push_back({error_span(*file, offset, offset), std::move(message)});
  };
  // yaml-cpp decodes UTF-16/32 when it sees their byte order marks or NUL patterns, which would
  // put its offsets out of step with the text; NUL bytes are not allowed in YAML anyway.
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    error_at(static_cast<size_t>(static_cast<const char*>(nul) - text.data()),
             "file contains NUL bytes: binary, or not UTF-8 (UTF-16/UTF-32 YAML is not supported)");
    return document;
  }
  if (text.size() >= 2 && ((text[0] == '\xFE' && text[1] == '\xFF') ||
                           (text[0] == '\xFF' && text[1] == '\xFE'))) {
    error_at(0, "file starts with a UTF-16 byte order mark: save it as UTF-8");
    return document;
  }
  // The pre-scan runs for both front ends: its estimate of the depth can exceed the real one
  // (brackets on the continuation lines of a plain scalar), and the tree must not depend on
  // which front end read the file.
  if (auto deep = find_too_deep_nesting(text, limits.max_depth)) {
    error_at(*deep, fmt::format("YAML nesting deeper than {} levels", limits.max_depth));
    return document;
  }
  if (front_end != YamlFrontEnd::YamlCpp) {
    if (load_with_reader(*file, limits, document)) {
      ++yaml_thread_statistics().hand_written_files;
      return document;
    }
    if (front_end == YamlFrontEnd::HandWrittenOnly) return std::nullopt;
    document.roots.clear();
    document.errors.clear();
  }
  ++yaml_thread_statistics().yaml_cpp_files;
  load_with_yaml_cpp(*file, limits, document);
  return document;
}

Document load_yaml(std::shared_ptr<const SourceFile> file, const LoadLimits& limits) {
  return *load_yaml_with(std::move(file), limits, YamlFrontEnd::Automatic);
}

bool only_duplicate_keys(const Document& document) {
  if (document.errors.empty()) return false;
  for (const ParseDiagnostic& error : document.errors)
    if (!error.duplicate_key) return false;
  return true;
}

void keep_last_of_duplicate_keys(Node& root) {
  std::vector<Node*> pending{&root};
  while (!pending.empty()) {
    Node* node = pending.back();
    pending.pop_back();
    if (node->is_map() && node->children.size() > 1) {
      std::unordered_set<std::string_view> later;
      std::vector<bool> keep(node->children.size(), true);
      bool dropped = false;
      for (size_t i = node->children.size(); i-- > 0;)
        if (!later.insert(node->children[i].key).second) {
          keep[i] = false;
          dropped = true;
        }
      if (dropped) {
        std::vector<Node> kept;
        kept.reserve(node->children.size());
        for (size_t i = 0; i < node->children.size(); ++i)
          if (keep[i]) kept.push_back(std::move(node->children[i]));
        node->children = std::move(kept);
      }
    }
    for (Node& child : node->children) pending.push_back(&child);
  }
}

}  // namespace shiftlint
