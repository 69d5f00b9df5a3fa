#include "analyzer/parse/json_loader.h"

#include "analyzer/parse/strict_json.h"
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

// Builds what it can from tree-sitter's error-recovered tree of a broken file, so that the editor
// still has a model while the user types. Errors are the strict parser's job: none are reported here.
class RecoveryBuilder {
 public:
  explicit RecoveryBuilder(const SourceFile& file) : file_(file), text_(file.text()), symbols_(symbols()) {}

  bool is_value(TSNode node) const {
    if (ts_node_is_missing(node) || ts_node_is_error(node)) return false;
    TSSymbol symbol = ts_node_symbol(node);
    return symbol == symbols_.object || symbol == symbols_.array || symbol == symbols_.string ||
           symbol == symbols_.number || symbol == symbols_.true_value || symbol == symbols_.false_value ||
           symbol == symbols_.null_value;
  }

  // Depth is bounded: load_json refuses files nested deeper than the limit before parsing.
  Node build_value(TSNode node) const {
    Node result;
    result.file = &file_;
    result.span = span_of(node);
    TSSymbol symbol = ts_node_symbol(node);
    if (symbol == symbols_.object) {
      result.kind = NodeKind::Map;
      for_each_child(node, [&](TSNode pair) { add_member(pair, result); });
    } else if (symbol == symbols_.array) {
      result.kind = NodeKind::List;
      for_each_child(node, [&](TSNode child) {
        if (is_value(child)) result.children.push_back(build_value(child));
      });
    } else if (symbol == symbols_.string) {
      result.kind = NodeKind::String;
      result.text = decode_string(node);
    } else if (symbol == symbols_.number) {
      result.kind = NodeKind::Number;
      result.text = std::string(source(node));
      result.number = std::strtod(result.text.c_str(), nullptr);
    } else if (symbol == symbols_.true_value || symbol == symbols_.false_value) {
      result.kind = NodeKind::Boolean;
      result.boolean = symbol == symbols_.true_value;
    }
    return result;
  }

 private:
  std::string_view source(TSNode node) const {
    uint32_t begin = ts_node_start_byte(node);
    return text_.substr(begin, ts_node_end_byte(node) - begin);
  }

  void add_member(TSNode pair, Node& object) const {
    // Recovery wraps the members before a mistake in an ERROR node: take what is inside.
    if (ts_node_is_error(pair)) {
      for_each_child(pair, [&](TSNode child) { add_member(child, object); });
      return;
    }
    if (ts_node_symbol(pair) != symbols_.pair || ts_node_is_missing(pair)) return;
    TSNode key{}, value{};
    int named = 0;
    for_each_child(pair, [&](TSNode child) {
      if (!ts_node_is_named(child)) return;
      if (named == 0) key = child;
      if (named == 1) value = child;
      ++named;
    });
    if (named < 2 || ts_node_symbol(key) != symbols_.string || !is_value(value)) return;
    Node member = build_value(value);
    member.key = decode_string(key);
    member.key_span = span_of(key);
    object.children.push_back(std::move(member));
  }

  // The string's value with escapes decoded as far as they are valid.
  std::string decode_string(TSNode node) const {
    std::string_view raw = source(node);
    if (!raw.empty() && raw.front() == '"') raw.remove_prefix(1);
    if (!raw.empty() && raw.back() == '"') raw.remove_suffix(1);
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\' || i + 1 >= raw.size()) {
        out += raw[i];
        continue;
      }
      char escape = raw[++i];
      switch (escape) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t unit = 0;
          if (read_hex4(raw, i + 1, unit)) {
            append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? 0xFFFD : unit);
            i += 4;
          }
          break;
        }
        default: out += escape;
      }
    }
    return out;
  }

  const SourceFile& file_;
  std::string_view text_;
  const JsonSymbols& symbols_;
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

  StrictJsonResult strict = parse_strict_json(*file, limits);
  for (ParseDiagnostic& diagnostic : strict.diagnostics) {
    if (document.errors.size() >= kMaxErrors) break;
    document.errors.push_back(std::move(diagnostic));
  }
  if (strict.root) {
    document.roots.push_back(std::move(*strict.root));
    return document;
  }
  if (text.size() > UINT32_MAX) return document;

  // Not JSON. The strict parser said where and why; tree-sitter's error recovery still gives the
  // editor a partial tree of what parses.
  TSParser* parser = thread_parser<tree_sitter_json>();
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (!tree) return document;
  RecoveryBuilder builder(*file);
  for_each_child(ts_tree_root_node(tree), [&](TSNode child) {
    if (document.roots.empty() && builder.is_value(child)) document.roots.push_back(builder.build_value(child));
  });
  ts_tree_delete(tree);
  return document;
}

}  // namespace shiftlint
