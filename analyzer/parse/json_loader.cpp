#include "analyzer/parse/json_loader.h"

#include "analyzer/parse/json_syntax.h"
#include "analyzer/parse/tree_sitter_support.h"
#include "analyzer/source/utf8.h"

#include <tree_sitter/api.h>

#include <cstring>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

extern "C" const TSLanguage* tree_sitter_json();

namespace shiftlint {

namespace {

constexpr size_t kMaxErrors = 20;

// Symbol ids looked up once: comparing ids is much cheaper than comparing type names.
struct JsonSymbols {
  TSSymbol object, pair, array, string, string_content, escape_sequence, number, true_value,
      false_value, null_value, comment, document;
  JsonSymbols() {
    const TSLanguage* language = tree_sitter_json();
    auto named = [&](const char* name) {
      return ts_language_symbol_for_name(language, name, static_cast<uint32_t>(std::strlen(name)), true);
    };
    object = named("object");
    pair = named("pair");
    array = named("array");
    string = named("string");
    string_content = named("string_content");
    escape_sequence = named("escape_sequence");
    number = named("number");
    true_value = named("true");
    false_value = named("false");
    null_value = named("null");
    comment = named("comment");
    document = named("document");
  }
};

const JsonSymbols& symbols() {
  static const JsonSymbols instance;
  return instance;
}

bool read_hex4(std::string_view text, size_t at, uint32_t& value) {
  if (at + 4 > text.size()) return false;
  value = 0;
  for (size_t i = at; i < at + 4; ++i) {
    int digit = hex_digit_value(text[i]);
    if (digit < 0) return false;
    value = value * 16 + static_cast<uint32_t>(digit);
  }
  return true;
}

// Strict RFC 8259 number syntax: tree-sitter-json's token is more lenient.
bool is_strict_json_number(std::string_view text) {
  size_t i = 0;
  auto digit = [&](size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '9'; };
  if (i < text.size() && text[i] == '-') ++i;
  if (!digit(i)) return false;
  if (text[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == text.size();
}

// Finds the first place where brackets nest deeper than the limit, without recursion, so that a
// file of a million `[` is refused before any recursive step can exhaust the stack.
std::optional<size_t> find_excessive_depth(std::string_view text, uint32_t max_depth) {
  uint32_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

class JsonBuilder {
 public:
  JsonBuilder(const SourceFile& file, Document& document)
      : file_(file), text_(file.text()), document_(document), symbols_(symbols()) {}

  void error(TSNode at, std::string message) { error(span_of(at), std::move(message)); }
  void error(Span span, std::string message) {
    if (document_.errors.size() < kMaxErrors) document_.errors.push_back({span, std::move(message)});
  }

  std::string_view source(TSNode node) const {
    uint32_t begin = ts_node_start_byte(node);
    uint32_t end = ts_node_end_byte(node);
    return text_.substr(begin, end - begin);
  }

  // Reports syntax errors (ERROR and MISSING nodes) and comments anywhere in the tree, iteratively.
  void report_syntax_errors(TSNode root) {
    if (!ts_node_has_error(root) && !has_comments_) return;
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    bool descend = true;
    while (document_.errors.size() < kMaxErrors) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      bool interesting = ts_node_has_error(node) || ts_node_symbol(node) == symbols_.comment ||
                         ts_node_child_count(node) > 0;
      if (ts_node_is_missing(node)) {
        error(node, fmt::format("syntax error: missing {}", describe_missing(node)));
        interesting = false;
      } else if (ts_node_is_error(node)) {
        error(node, fmt::format("syntax error: unexpected {}", describe_unexpected(node)));
        interesting = false;  // one message per ERROR region
      } else if (ts_node_symbol(node) == symbols_.comment) {
        error(node, "comments are not allowed in JSON");
      }
      if (descend && interesting && ts_tree_cursor_goto_first_child(&cursor)) continue;
      descend = true;
      if (ts_tree_cursor_goto_next_sibling(&cursor)) continue;
      bool done = true;
      while (ts_tree_cursor_goto_parent(&cursor)) {
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          done = false;
          break;
        }
      }
      if (done) break;
    }
    ts_tree_cursor_delete(&cursor);
  }

  std::string describe_missing(TSNode node) const {
    std::string_view type = ts_node_type(node);
    if (type.size() <= 2) return fmt::format("'{}'", type);
    return std::string(type);
  }

  std::string describe_unexpected(TSNode node) const {
    std::string_view text = source(node);
    // Show the first token-ish piece of the unexpected text.
    size_t length = 0;
    while (length < text.size() && length < 24 && text[length] != '\n' && text[length] != '\r') ++length;
    std::string_view shown = text.substr(0, length);
    if (shown.empty()) return "end of file";
    if (shown.size() == 1 && (shown[0] == ',')) return "',' (trailing commas are not allowed in JSON)";
    std::string printable;
    for (char c : shown) {
      auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F) printable += fmt::format("\\x{:02x}", byte);
      else printable += c;
    }
    return fmt::format("'{}'", printable);
  }

  Node build_value(TSNode node) {
    Node result;
    result.file = &file_;
    result.span = span_of(node);
    TSSymbol symbol = ts_node_symbol(node);
    if (symbol == symbols_.object) {
      result.kind = NodeKind::Map;
      build_object(node, result);
    } else if (symbol == symbols_.array) {
      result.kind = NodeKind::List;
      result.children.reserve(ts_node_named_child_count(node));
      for_each_child(node, [&](TSNode child) {
        if (is_value(child)) result.children.push_back(build_value(child));
      });
    } else if (symbol == symbols_.string) {
      result.kind = NodeKind::String;
      result.text = decode_string(node);
    } else if (symbol == symbols_.number) {
      result.kind = NodeKind::Number;
      result.text = std::string(source(node));
      if (!is_strict_json_number(result.text))
        error(node, fmt::format("invalid JSON number '{}'", result.text));
      result.number = std::strtod(result.text.c_str(), nullptr);
    } else if (symbol == symbols_.true_value || symbol == symbols_.false_value) {
      result.kind = NodeKind::Boolean;
      result.boolean = symbol == symbols_.true_value;
    } else {
      result.kind = NodeKind::Null;
    }
    return result;
  }

  bool is_value(TSNode node) const {
    if (ts_node_is_missing(node) || ts_node_is_error(node)) return false;
    TSSymbol symbol = ts_node_symbol(node);
    return symbol == symbols_.object || symbol == symbols_.array || symbol == symbols_.string ||
           symbol == symbols_.number || symbol == symbols_.true_value ||
           symbol == symbols_.false_value || symbol == symbols_.null_value;
  }

  void build_object(TSNode node, Node& result) {
    uint32_t count = ts_node_named_child_count(node);
    result.children.reserve(count);
    // Small objects (the common case) check duplicates by scanning; large ones use a map.
    std::unordered_map<std::string_view, size_t> seen;
    for_each_child(node, [&](TSNode pair) { build_member(pair, count, result, seen); });
  }

  void build_member(TSNode pair, uint32_t count, Node& result,
                    std::unordered_map<std::string_view, size_t>& seen) {
    {
      if (ts_node_symbol(pair) != symbols_.pair || ts_node_is_missing(pair)) return;
      TSNode key{}, value{};
      bool has_key = false, has_value = false;
      for_each_child(pair, [&](TSNode child) {
        if (!ts_node_is_named(child)) return;
        if (!has_key) {
          key = child;
          has_key = true;
        } else if (!has_value) {
          value = child;
          has_value = true;
        }
      });
      if (!has_key || !has_value || !is_value(value)) return;
      if (ts_node_symbol(key) != symbols_.string) {
        error(key, "object keys must be strings in JSON");
        return;
      }
      Node child = build_value(value);
      child.key = decode_string(key);
      child.key_span = span_of(key);
      const Node* first = nullptr;
      if (count < 16) {
        for (const Node& previous : result.children)
          if (previous.key == child.key) first = &previous;
      } else if (auto found = seen.find(child.key); found != seen.end()) {
        first = &result.children[found->second];
      }
      if (first) {
        error(child.key_span, fmt::format("duplicate key \"{}\" (first defined at line {}); most "
                                          "readers keep only the last value",
                                          child.key, first->key_span.begin.line));
      }
      result.children.push_back(std::move(child));
      // The children were reserved up front, so these views into their keys stay valid.
      if (count >= 16 && !first) seen.emplace(result.children.back().key, result.children.size() - 1);
    }
  }

  std::string decode_string(TSNode node) {
    std::string_view raw = source(node);
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') raw = raw.substr(1, raw.size() - 2);
    else if (!raw.empty() && raw.front() == '"') raw.remove_prefix(1);
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (static_cast<unsigned char>(c) < 0x20) {
        if (!reported_control_character_) {
          error(node, "control characters must be escaped in JSON strings");
          reported_control_character_ = true;
        }
        out += c;
        continue;
      }
      if (c != '\\' || i + 1 >= raw.size()) {
        out += c;
        continue;
      }
      char escape = raw[++i];
      switch (escape) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t unit = 0;
          if (!read_hex4(raw, i + 1, unit)) {
            error(node, "invalid \\u escape in JSON string");
            break;
          }
          i += 4;
          uint32_t code_point = unit;
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            uint32_t low = 0;
            if (i + 2 < raw.size() && raw[i + 1] == '\\' && raw[i + 2] == 'u' &&
                read_hex4(raw, i + 3, low) && low >= 0xDC00 && low <= 0xDFFF) {
              code_point = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
              i += 6;
            } else {
              code_point = 0xFFFD;  // a lone surrogate is valid JSON but not a character
            }
          } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            code_point = 0xFFFD;
          }
          append_utf8(out, code_point);
          break;
        }
        default:
          error(node, fmt::format("invalid escape '\\{}' in JSON string", escape));
          out += escape;
      }
    }
    return out;
  }

  void set_has_comments(bool value) { has_comments_ = value; }
  bool has_comments() const { return has_comments_; }

 private:
  const SourceFile& file_;
  std::string_view text_;
  Document& document_;
  const JsonSymbols& symbols_;
  bool has_comments_ = false;
  bool reported_control_character_ = false;
};

}  // namespace

Document load_json(std::shared_ptr<const SourceFile> file, const LoadLimits& limits) {
  Document document;
  document.file = file;
  std::string_view text = file->text();

  if (auto offset = find_excessive_depth(text, limits.max_depth)) {
    Position at = file->position_at(*offset);
    document.errors.push_back(
        {{at, {at.line, at.column + 1}},
         fmt::format("JSON nests deeper than {} levels here; the file is not analysed further",
                     limits.max_depth)});
    return document;
  }
  if (auto offset = find_invalid_utf8(text)) {
    Position at = file->position_at(*offset);
    document.errors.push_back(
        {{at, {at.line, at.column + 1}},
         fmt::format("invalid UTF-8 byte 0x{:02x}: JSON text must be UTF-8",
                     static_cast<unsigned char>(text[*offset]))});
  }
  if (text.size() > UINT32_MAX) {
    document.errors.push_back({{{1, 1}, {1, 1}}, "file is too large to parse"});
    return document;
  }

  TSParser* parser = thread_parser<tree_sitter_json>();
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (!tree) {
    document.errors.push_back({{{1, 1}, {1, 1}}, "the JSON parser gave up on this file"});
    return document;
  }
  TSNode root = ts_tree_root_node(tree);
  JsonBuilder builder(*file, document);
  builder.set_has_comments(text.find("//") != std::string_view::npos ||
                           text.find("/*") != std::string_view::npos);
  if (ts_node_has_error(root) || builder.has_comments()) {
    // tree-sitter knows something is wrong but may place it lines early; the strict scanner finds
    // the first real mistake. If it finds none (it should), fall back to tree-sitter's view.
    if (auto syntax = find_json_syntax_error(text)) {
      builder.error(file->span_of(syntax->offset, std::min(text.size(), syntax->offset + syntax->length)),
                    syntax->message);
    } else if (ts_node_has_error(root)) {
      builder.report_syntax_errors(root);
    }
  }

  bool extra_value_reported = false;
  for_each_child(root, [&](TSNode child) {
    if (!builder.is_value(child) || extra_value_reported) return;
    if (!document.roots.empty()) {
      builder.error(child, "more than one top-level JSON value");
      extra_value_reported = true;
      return;
    }
    document.roots.push_back(builder.build_value(child));
  });
  if (document.roots.empty() && document.errors.empty()) {
    bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
    document.errors.push_back({{{1, 1}, {1, 1}}, blank ? "empty file: expected a JSON value"
                                                       : "no JSON value found"});
  }
  ts_tree_delete(tree);
  return document;
}

}  // namespace shiftlint
