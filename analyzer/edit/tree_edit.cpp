#include "analyzer/edit/tree_edit.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "analyzer/source/classify.h"

namespace shiftlint::edit {

Value Value::number(int64_t value) { return Value{Kind::Number, std::to_string(value), {}, {}}; }
Value Value::string(std::string value) { return Value{Kind::String, std::move(value), {}, {}}; }
Value Value::boolean(bool value) { return Value{Kind::Boolean, value ? "true" : "false", {}, {}}; }
Value Value::list(std::vector<Value> items) { return Value{Kind::List, {}, {}, std::move(items)}; }
Value Value::map(std::vector<ValueMember> members) {
  return Value{Kind::Map, {}, std::move(members), {}};
}

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\r': quoted += "\\r"; break;
      default:
        if (c < 0x20) quoted += fmt::format("\\u{:04x}", c);
        else quoted += static_cast<char>(c);
    }
  }
  return quoted + "\"";
}

// A YAML plain scalar that reads back as the same string (not a number, boolean or null, no
// indicator characters); anything else is double-quoted.
bool yaml_plain_safe(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != '/') return false;
  if (!std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view reserved : {"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
    if (lower == reserved) return false;
  return true;
}

bool hcl_identifier(std::string_view text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text.front())) || text.front() == '_')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string render_key(std::string_view key, DocumentSyntax syntax, bool quoted_keys) {
  switch (syntax) {
    case DocumentSyntax::Json: return json_string(key);
    case DocumentSyntax::Yaml: return yaml_plain_safe(key) ? std::string(key) : json_string(key);
    case DocumentSyntax::Hcl: return quoted_keys || !hcl_identifier(key) ? json_string(key) : std::string(key);
  }
  return std::string(key);
}

std::string render_flow(const Value& value, DocumentSyntax syntax) {
  switch (value.kind) {
    case Value::Kind::Number:
    case Value::Kind::Boolean: return value.text;
    case Value::Kind::String:
      return syntax == DocumentSyntax::Yaml && yaml_plain_safe(value.text) ? value.text : json_string(value.text);
    case Value::Kind::List: {
      std::string text = "[";
      for (size_t i = 0; i < value.items.size(); ++i) text += (i ? ", " : "") + render_flow(value.items[i], syntax);
      return text + "]";
    }
    case Value::Kind::Map: {
      std::string text = syntax == DocumentSyntax::Hcl ? "{ " : "{";
      for (size_t i = 0; i < value.members.size(); ++i) {
        const auto& [key, member] = value.members[i];
        text += i ? ", " : "";
        text += render_key(key, syntax, false);
        text += syntax == DocumentSyntax::Hcl ? " = " : ": ";
        text += render_flow(member, syntax);
      }
      return text + (syntax == DocumentSyntax::Hcl ? " }" : "}");
    }
  }
  return {};
}

// HCL strings are templates: `${` and `%{` would start an interpolation.
bool renderable(const Value& value, DocumentSyntax syntax) {
  if (value.kind == Value::Kind::String && syntax == DocumentSyntax::Hcl &&
      (value.text.find("${") != std::string::npos || value.text.find("%{") != std::string::npos))
    return false;
  for (const Value& item : value.items)
    if (!renderable(item, syntax)) return false;
  for (const auto& [key, member] : value.members)
    if (!renderable(member, syntax)) return false;
  return true;
}

// A block-style YAML value after `Key:` (" value" for scalars and flow, an indented block for a
// list of maps), lines ending with `newline`. `indentation`: the column of the key (0-based).
std::string render_yaml_block_value(const Value& value, size_t indentation, size_t sequence_offset,
                                    const std::string& newline) {
  if (value.kind != Value::Kind::List || value.items.empty()) return " " + render_flow(value, DocumentSyntax::Yaml);
  std::string text;
  std::string dash(indentation + sequence_offset, ' ');
  for (const Value& item : value.items) {
    text += newline + dash + "- ";
    if (item.kind != Value::Kind::Map || item.members.empty()) {
      text += render_flow(item, DocumentSyntax::Yaml);
      continue;
    }
    std::string continuation(dash.size() + 2, ' ');
    for (size_t i = 0; i < item.members.size(); ++i) {
      const auto& [key, member] = item.members[i];
      if (i) text += newline + continuation;
      text += render_key(key, DocumentSyntax::Yaml, false) + ":" + " " + render_flow(member, DocumentSyntax::Yaml);
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Reading the document around a node
// ---------------------------------------------------------------------------------------------

struct Text {
  const SourceFile& file;
  std::string_view text;
  size_t offset(Position position) const { return file.offset_of(position); }
  std::string newline() const { return file.uses_crlf() ? "\r\n" : "\n"; }
  // The whitespace that starts the line holding `offset`.
  std::string indentation_of_line(size_t offset) const {
    size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    start = start == std::string_view::npos || offset == 0 ? 0 : start + 1;
    size_t end = start;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
    return std::string(text.substr(start, end - start));
  }
  size_t line_start(size_t offset) const {
    if (offset == 0) return 0;
    size_t newline = text.rfind('\n', offset - 1);
    return newline == std::string_view::npos ? 0 : newline + 1;
  }
  size_t line_end(size_t offset) const {
    size_t newline = text.find('\n', offset);
    return newline == std::string_view::npos ? text.size() : newline;
  }
  // Whether only blanks come before `offset` on its line.
  bool first_on_line(size_t offset) const {
    for (size_t i = line_start(offset); i < offset; ++i)
      if (text[i] != ' ' && text[i] != '\t') return false;
    return true;
  }
};

bool within(const Span& inner, const Span& outer) {
  return !inner.empty() && !(inner.begin < outer.begin) && !(outer.end < inner.end);
}

// Whether `text` holds only what may separate members: blanks, line breaks, commas (when allowed),
// and comments of the syntax.
bool only_separators(std::string_view text, DocumentSyntax syntax, bool commas) {
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (commas && c == ',')) {
      ++i;
    } else if (c == '#' && syntax != DocumentSyntax::Json) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (syntax == DocumentSyntax::Hcl && text.substr(i, 2) == "//") {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (syntax == DocumentSyntax::Hcl && text.substr(i, 2) == "/*") {
      size_t close = text.find("*/", i + 2);
      if (close == std::string_view::npos) return false;
      i = close + 2;
    } else {
      return false;
    }
  }
  return true;
}

// The members of a map or list written in `container`'s own text, in order, none taken from
// elsewhere (a merge key, a reference, an alias). Values of HCL members may be references to
// other literals (`logConfiguration = local.log_configuration`): only their keys must be here.
bool members_written_here(const Node& container, DocumentSyntax syntax) {
  Position previous = container.span.begin;
  for (const Node& child : container.children) {
    if (child.file != container.file) {
      if (!(syntax == DocumentSyntax::Hcl && container.is_map())) return false;
    }
    const Span& own = container.is_map() ? child.key_span : child.span;
    if (!within(own, container.span) || own.begin < previous) return false;
    previous = own.end;
    bool value_here = child.file == container.file && within(child.span, container.span);
    if (container.is_map()) {
      if (value_here) {
        if (child.span.begin < child.key_span.end) return false;
        previous = child.span.end;
      } else if (syntax != DocumentSyntax::Hcl) {
        return false;
      }
    }
  }
  return true;
}

bool is_flow(const Text& text, const Node& container) {
  size_t begin = text.offset(container.span.begin), end = text.offset(container.span.end);
  if (end <= begin || end > text.text.size()) return false;
  char open = container.is_map() ? '{' : '[', close = container.is_map() ? '}' : ']';
  return text.text[begin] == open && text.text[end - 1] == close;
}

// The last line holding any part of `node` (its values, keys, nested members), as an offset just
// past that line's content.
Position last_position(const Node& node, const SourceFile* file) {
  Position last = node.file == file ? node.span.end : Position{};
  if (node.file == file && !node.key_span.empty() && last < node.key_span.end) last = node.key_span.end;
  for (const Node& child : node.children) {
    Position child_last = last_position(child, file);
    if (last < child_last) last = child_last;
  }
  return last;
}

// Where a new member goes in a flow container, and the text before the member: after the last
// member, or right after the opening bracket when empty. nullopt when the layout is not clear.
struct FlowInsertion {
  size_t offset = 0;
  std::string prefix;  // ",\n    " / ", " / "" / "\n    " (HCL, no comma)
  std::string suffix;
};

std::optional<FlowInsertion> plan_flow_insertion(const Text& text, const Node& container, DocumentSyntax syntax) {
  size_t begin = text.offset(container.span.begin), end = text.offset(container.span.end);
  size_t close = end - 1;
  if (container.children.empty()) {
    if (!only_separators(text.text.substr(begin + 1, close - begin - 1), syntax, false)) return std::nullopt;
    FlowInsertion insertion{begin + 1, syntax == DocumentSyntax::Hcl && container.is_map() ? " " : "", ""};
    if (syntax == DocumentSyntax::Hcl && container.is_map()) insertion.suffix = " ";
    return insertion;
  }
  const Node& first = container.children.front();
  const Node& last = container.children.back();
  Span first_span = container.is_map() ? first.key_span : first.span;
  Span last_own = container.is_map() ? last.key_span : last.span;
  if (!only_separators(text.text.substr(begin + 1, text.offset(first_span.begin) - begin - 1), syntax, false))
    return std::nullopt;
  bool multi_line = last_own.begin.line > container.span.begin.line;
  std::string indentation = text.indentation_of_line(text.offset(last_own.begin));
  bool last_value_here = last.file == container.file && within(last.span, container.span);

  if (syntax == DocumentSyntax::Hcl && container.is_map()) {
    // HCL members are separated by line breaks: go before the closing brace.
    if (multi_line && text.first_on_line(close)) {
      size_t at = text.line_start(close);
      if (last_value_here && !only_separators(text.text.substr(text.offset(last.span.end), at - text.offset(last.span.end)),
                                              syntax, true))
        return std::nullopt;
      return FlowInsertion{at, indentation, text.newline()};
    }
    if (multi_line) return std::nullopt;
    size_t at = close;
    while (at > begin + 1 && (text.text[at - 1] == ' ' || text.text[at - 1] == '\t')) --at;
    if (last_value_here && !only_separators(text.text.substr(text.offset(last.span.end), at - text.offset(last.span.end)),
                                            syntax, true))
      return std::nullopt;
    return FlowInsertion{at, text.text[at - 1] == ',' ? " " : ", ", ""};
  }

  if (!last_value_here) return std::nullopt;
  size_t after_last = text.offset(last.span.end);
  if (!only_separators(text.text.substr(after_last, close - after_last), syntax, syntax != DocumentSyntax::Json))
    return std::nullopt;
  if (multi_line) return FlowInsertion{after_last, "," + text.newline() + indentation, ""};
  return FlowInsertion{after_last, ", ", ""};
}

// The text between a map member's key and its value (`": "`, `" = "`), when it is on one line.
std::string separator_after_key(const Text& text, const Node& member, DocumentSyntax syntax) {
  std::string fallback = syntax == DocumentSyntax::Hcl ? " = " : ": ";
  if (member.key_span.empty()) return fallback;
  size_t key_end = text.offset(member.key_span.end);
  // The exact text between key and value when the value is written right there.
  if (member.file == &text.file && member.span.begin.line == member.key_span.end.line &&
      member.key_span.end < member.span.begin) {
    std::string_view gap = text.text.substr(key_end, text.offset(member.span.begin) - key_end);
    size_t separator = gap.find_first_of(syntax == DocumentSyntax::Hcl ? "=:" : ":");
    if (separator != std::string_view::npos && gap.find_first_not_of(" \t=:") == std::string_view::npos)
      return std::string(gap);
  }
  size_t line_end = text.line_end(key_end);
  std::string_view rest = text.text.substr(key_end, line_end - key_end);
  size_t separator = rest.find_first_not_of(" \t");
  if (separator == std::string_view::npos) return fallback;
  char c = rest[separator];
  if (c != ':' && c != '=') return fallback;
  if (syntax != DocumentSyntax::Hcl && c != ':') return fallback;
  return std::string(rest.substr(0, separator)) + c + " ";
}

bool key_quoted(const Text& text, const Node& member) {
  if (member.key_span.empty()) return false;
  size_t at = text.offset(member.key_span.begin);
  return at < text.text.size() && (text.text[at] == '"' || text.text[at] == '\'');
}

std::optional<TextEdit> insertion_at(const SourceFile& file, size_t offset, std::string text) {
  Position at = file.position_at(offset);
  return TextEdit{Span{at, at}, std::move(text)};
}

// `key: value` into a YAML block map: on a new line after everything the map holds.
std::optional<TextEdit> insert_into_yaml_block(const Text& text, const Node& map, std::string_view key,
                                               const Value& value) {
  if (map.children.empty()) return std::nullopt;
  uint32_t column = map.children.front().key_span.begin.column;
  for (size_t i = 0; i < map.children.size(); ++i) {
    const Node& child = map.children[i];
    if (child.key_span.begin.column != column) return std::nullopt;
    if (i > 0 && !text.first_on_line(text.offset(child.key_span.begin))) return std::nullopt;
  }
  Position last = last_position(map, map.file);
  // A span that ends at the start of a line (a block scalar's last line break) ends on the line before.
  uint32_t last_line = last.column == 1 && last.line > map.span.begin.line ? last.line - 1 : last.line;
  size_t indentation = column - 1;
  // How this document indents a sequence under its key: measured on a block list among the members.
  size_t sequence_offset = 2;
  for (const Node& child : map.children) {
    if (!child.is_list() || child.children.empty() || is_flow(text, child)) continue;
    size_t item = text.offset(child.children.front().span.begin);
    size_t dash = text.text.rfind('-', item);
    if (dash != std::string_view::npos && dash >= text.line_start(item))
      sequence_offset = dash - text.line_start(dash) >= indentation ? dash - text.line_start(dash) - indentation : 0;
    break;
  }
  size_t first_key = text.offset(map.children.front().key_span.begin);
  // The members' own indentation (tabs and all) when the first one starts its line; spaces when it
  // follows a list dash (`- Name: app`).
  std::string line = text.first_on_line(first_key) ? text.indentation_of_line(first_key) : std::string(indentation, ' ');
  line += render_key(key, DocumentSyntax::Yaml, false) + ":" +
          render_yaml_block_value(value, indentation, sequence_offset, text.newline());
  const SourceFile& file = text.file;
  if (last_line >= file.line_count()) {
    std::string insertion = text.text.empty() || text.text.back() == '\n' ? line + text.newline() : text.newline() + line;
    return insertion_at(file, text.text.size(), std::move(insertion));
  }
  return insertion_at(file, file.offset_of({last_line + 1, 1}), line + text.newline());
}

// A new item at the end of a YAML block list: `- item` at the dash column of the items.
std::optional<TextEdit> append_to_yaml_block(const Text& text, const Node& list, const Value& value) {
  if (list.children.empty()) return std::nullopt;
  std::optional<size_t> dash_column;
  for (const Node& item : list.children) {
    size_t at = text.offset(item.span.begin);
    size_t start = text.line_start(at);
    size_t dash = text.text.rfind('-', at);
    if (dash == std::string_view::npos || dash < start) return std::nullopt;
    if (!text.first_on_line(dash) || !only_separators(text.text.substr(dash + 1, at - dash - 1), DocumentSyntax::Yaml, false))
      return std::nullopt;
    if (dash_column && *dash_column != dash - start) return std::nullopt;
    dash_column = dash - start;
  }
  const Node& last_item = list.children.back();
  Position last = last_position(list, list.file);
  uint32_t last_line = last.column == 1 && last.line > list.span.begin.line ? last.line - 1 : last.line;
  std::string dash(*dash_column, ' ');
  std::string line;
  bool flow_items = last_item.is_scalar() || is_flow(text, last_item);
  if (flow_items || value.kind != Value::Kind::Map || value.members.empty()) {
    line = dash + "- " + render_flow(value, DocumentSyntax::Yaml);
  } else {
    // A block map item: the dash, the gap and the members' column as the existing items have them.
    size_t content = last_item.span.begin.column - 1;
    if (content <= *dash_column) return std::nullopt;
    std::string first = dash + "-" + std::string(content - *dash_column - 1, ' ');
    std::string continuation = text.newline() + std::string(content, ' ');
    for (size_t i = 0; i < value.members.size(); ++i) {
      const auto& [key, member] = value.members[i];
      line += (i ? continuation : first) + render_key(key, DocumentSyntax::Yaml, false) + ": " +
              render_flow(member, DocumentSyntax::Yaml);
    }
  }
  const SourceFile& file = text.file;
  if (last_line >= file.line_count()) {
    std::string insertion = text.text.empty() || text.text.back() == '\n' ? line + text.newline() : text.newline() + line;
    return insertion_at(file, text.text.size(), std::move(insertion));
  }
  return insertion_at(file, file.offset_of({last_line + 1, 1}), line + text.newline());
}

// The heredoc marker a line opens (`<<EOF`, `<<-EOT` at its end), or "".
std::string_view heredoc_opened(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  size_t end = line.size(), begin = end;
  while (begin > 0 && (std::isalnum(static_cast<unsigned char>(line[begin - 1])) || line[begin - 1] == '_')) --begin;
  if (begin == end) return {};
  size_t arrows = begin;
  if (arrows > 0 && line[arrows - 1] == '-') --arrows;
  if (arrows < 2 || line.substr(arrows - 2, 2) != "<<") return {};
  return line.substr(begin);
}

// What the module's own code does not own, or what is not HCL syntax: a literal in a .tfvars file
// or in a `variable` block's default (an input other callers set differently), or JSON inside a
// heredoc string. Top-level blocks start at column 1 in any formatted Terraform file; the nearest
// one above decides, and the heredocs opened between it and the node tell whether it is in one.
bool terraform_input_or_string(const Node& node) {
  std::string_view path = node.file->display_path();
  if (!ends_with(path, ".tf")) return true;
  uint32_t block = 0;
  for (uint32_t line = node.span.begin.line; line >= 1; --line) {
    std::string_view text = node.file->line(line);
    if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text.front())))) continue;
    if (text.rfind("variable", 0) == 0 && (text.size() == 8 || text[8] == ' ' || text[8] == '"')) return true;
    block = line;
    break;
  }
  if (block == 0) return false;
  std::string_view open_marker;
  for (uint32_t line = block; line < node.span.begin.line; ++line) {
    std::string_view text = node.file->line(line);
    if (open_marker.empty()) {
      open_marker = heredoc_opened(text);
      continue;
    }
    size_t first = text.find_first_not_of(" \t");
    size_t last = text.find_last_not_of(" \t\r");
    if (first != std::string_view::npos && text.substr(first, last - first + 1) == open_marker) open_marker = {};
  }
  return !open_marker.empty();
}

// The syntax to edit `node` in, when it may be edited at all.
std::optional<DocumentSyntax> editable_syntax(const Node& node) {
  auto syntax = syntax_of_node(node);
  if (syntax == DocumentSyntax::Hcl && terraform_input_or_string(node)) return std::nullopt;
  return syntax;
}

}  // namespace

bool written_within(const Node& node, const Node& owner) {
  return node.file && node.file == owner.file && within(node.span, owner.span);
}

std::optional<DocumentSyntax> syntax_of_node(const Node& node) {
  if (!node.file) return std::nullopt;
  std::string_view path = node.file->display_path();
  if (ends_with(path, ".tf") || ends_with(path, ".tfvars")) return DocumentSyntax::Hcl;
  // Never a template: a Helm chart's templates are Go templates that render YAML (they can look
  // like a manifest), and a rendered node's span in them is no place for a YAML edit.
  if (node.file->text().find("{{") != std::string_view::npos) return std::nullopt;
  switch (syntax_of(classify(path, node.file->text().substr(0, 1 << 16)))) {
    case Syntax::Json: return DocumentSyntax::Json;
    case Syntax::Yaml: return DocumentSyntax::Yaml;
    case Syntax::None: break;  // a file read through another (Terraform's file()): its name says
    default: return std::nullopt;
  }
  if (ends_with(path, ".json")) return DocumentSyntax::Json;
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return DocumentSyntax::Yaml;
  return std::nullopt;
}

std::string render_inline(const Value& value, DocumentSyntax syntax) { return render_flow(value, syntax); }

std::optional<TextEdit> insert_member(const Node& map, std::string_view key, const Value& value) {
  auto syntax = editable_syntax(map);
  if (!syntax || !map.is_map() || map.span.empty() || !renderable(value, *syntax)) return std::nullopt;
  if (map.find(key)) return std::nullopt;
  Text text{*map.file, map.file->text()};
  if (!members_written_here(map, *syntax)) return std::nullopt;
  if (!is_flow(text, map)) {
    if (*syntax != DocumentSyntax::Yaml) return std::nullopt;
    return insert_into_yaml_block(text, map, key, value);
  }
  auto insertion = plan_flow_insertion(text, map, *syntax);
  if (!insertion) return std::nullopt;
  const Node* last = map.children.empty() ? nullptr : &map.children.back();
  std::string separator = last ? separator_after_key(text, *last, *syntax) : (*syntax == DocumentSyntax::Hcl ? " = " : ": ");
  std::string rendered_key = render_key(key, *syntax, last && key_quoted(text, *last));
  if (*syntax == DocumentSyntax::Hcl && last) {
    // Keep `=` aligned as `terraform fmt` does when the neighbours align it.
    size_t equals = separator.find_first_of("=:");
    size_t column = text.offset(last->key_span.end) - text.offset(last->key_span.begin) + equals;
    size_t padding = equals == 0 ? 0 : column > rendered_key.size() ? column - rendered_key.size() : 1;
    separator = std::string(padding, ' ') + separator.substr(equals);
  }
  std::string member = rendered_key + separator + render_flow(value, *syntax);
  return insertion_at(*map.file, insertion->offset, insertion->prefix + member + insertion->suffix);
}

std::optional<TextEdit> append_item(const Node& list, const Value& value) {
  auto syntax = editable_syntax(list);
  if (!syntax || !list.is_list() || list.span.empty() || !renderable(value, *syntax)) return std::nullopt;
  Text text{*list.file, list.file->text()};
  for (const Node& item : list.children)
    if (item.file != list.file) return std::nullopt;
  if (!members_written_here(list, *syntax)) return std::nullopt;
  if (!is_flow(text, list)) {
    if (*syntax != DocumentSyntax::Yaml) return std::nullopt;
    return append_to_yaml_block(text, list, value);
  }
  if (list.children.empty()) {
    auto insertion = plan_flow_insertion(text, list, *syntax);
    if (!insertion) return std::nullopt;
    return insertion_at(*list.file, insertion->offset, render_flow(value, *syntax));
  }
  const Node& last = list.children.back();
  size_t begin = text.offset(list.span.begin), close = text.offset(list.span.end) - 1;
  if (!only_separators(text.text.substr(begin + 1, text.offset(list.children.front().span.begin) - begin - 1), *syntax,
                       false))
    return std::nullopt;
  size_t after_last = text.offset(last.span.end);
  if (!only_separators(text.text.substr(after_last, close - after_last), *syntax, *syntax != DocumentSyntax::Json))
    return std::nullopt;
  bool multi_line = last.span.begin.line > list.span.begin.line;
  std::string prefix = multi_line ? "," + text.newline() + text.indentation_of_line(text.offset(last.span.begin)) : ", ";
  return insertion_at(*list.file, after_last, prefix + render_flow(value, *syntax));
}

std::optional<TextEdit> replace_scalar(const Node& scalar, const Value& value) {
  auto syntax = editable_syntax(scalar);
  if (!syntax || scalar.span.empty() || !scalar.tag.empty() || !renderable(value, *syntax)) return std::nullopt;
  if (value.kind == Value::Kind::List || value.kind == Value::Kind::Map) return std::nullopt;
  Text text{*scalar.file, scalar.file->text()};
  size_t begin = text.offset(scalar.span.begin), end = text.offset(scalar.span.end);
  if (end <= begin || end > text.text.size()) return std::nullopt;
  std::string_view written = text.text.substr(begin, end - begin);
  // The text must be the literal itself, not an expression or a reference that evaluated to it.
  bool quoted = written.size() >= 2 && (written.front() == '"' || written.front() == '\'') && written.back() == written.front();
  std::string_view inner = quoted ? written.substr(1, written.size() - 2) : written;
  switch (scalar.kind) {
    case NodeKind::Number:
      if (inner != scalar.text) return std::nullopt;
      break;
    case NodeKind::Boolean:
      if (inner != (scalar.boolean ? "true" : "false")) return std::nullopt;
      break;
    case NodeKind::String:
      if (!quoted && *syntax != DocumentSyntax::Yaml) return std::nullopt;
      if (inner != scalar.text) return std::nullopt;
      break;
    default: return std::nullopt;
  }
  std::string replacement = render_flow(value, *syntax);
  // A quoted number or boolean stays quoted: the document chose a string there.
  if (quoted && value.kind != Value::Kind::String) replacement = std::string(1, written.front()) + value.text + written.front();
  return TextEdit{scalar.span, std::move(replacement)};
}

}  // namespace shiftlint::edit
