#include "analyzer/parse/yaml_scalar_text.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/utf8.h"

namespace shiftlint {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// One physical line of the scalar: [begin, end) without its line break; `newline` is the offset of
// the '\n' that ends it (the file size when it has none).
struct Line {
  size_t begin = 0;
  size_t end = 0;
  size_t newline = 0;
};

std::vector<Line> split_lines(std::string_view text, size_t begin, size_t end) {
  std::vector<Line> lines;
  size_t at = begin;
  while (at < end) {
    size_t newline = text.find('\n', at);
    if (newline == std::string_view::npos || newline >= end) newline = std::min(end, text.size());
    size_t line_end = newline;
    if (line_end > at && text[line_end - 1] == '\r') --line_end;
    lines.push_back({at, line_end, newline});
    at = newline + 1;
  }
  return lines;
}

// The scalar itself, behind its tag and anchor (`!Sub |`, `&script |`).
size_t skip_properties(std::string_view text, size_t at, size_t end) {
  while (at < end && (text[at] == '!' || text[at] == '&')) {
    while (at < end && !is_blank(text[at]) && text[at] != '\n' && text[at] != '\r') ++at;
    while (at < end && (is_blank(text[at]) || text[at] == '\n' || text[at] == '\r')) ++at;
  }
  return at;
}

// Appends `value` and the line breaks the decoding kept at its end: the built text without its
// trailing line breaks must be a prefix of the value, and the rest of the value only line breaks
// (how many depends on the chomping indicator and blank lines past the scalar's span).
std::optional<TextMap> finish_with_trailing_breaks(const TextMap& built, const std::string& value, size_t end_offset) {
  size_t kept = built.text().size();
  while (kept > 0 && built.text()[kept - 1] == '\n') --kept;
  TextMap result = built.slice(0, kept);
  if (value.compare(0, kept, built.text(), 0, kept) != 0 || value.size() < kept) return std::nullopt;
  std::string_view rest = std::string_view(value).substr(kept);
  if (rest.find_first_not_of('\n') != std::string_view::npos) return std::nullopt;
  // Map the kept breaks to the file's own breaks where there are some.
  size_t from_file = std::min(rest.size(), built.text().size() - kept);
  TextMap tail = built.slice(kept, kept + from_file);
  result.append(tail);
  if (rest.size() > from_file) result.append_inserted(rest.substr(from_file), end_offset);
  return result;
}

std::optional<TextMap> block_scalar(const SourceFile& file, size_t start, size_t end, const std::string& value) {
  std::string_view text = file.text();
  const char style = text[start];
  // Header: `|` or `>`, then a chomping indicator and an indentation digit in either order.
  size_t at = start + 1;
  int explicit_indent = 0;
  while (at < end && (text[at] == '+' || text[at] == '-' || (text[at] >= '1' && text[at] <= '9'))) {
    if (text[at] >= '1' && text[at] <= '9') explicit_indent = text[at] - '0';
    ++at;
  }
  size_t header_end = text.find('\n', at);
  if (header_end == std::string_view::npos || header_end >= end) return value.empty() ? std::optional(TextMap()) : std::nullopt;
  std::vector<Line> lines = split_lines(text, header_end + 1, end);

  size_t indent = 0;
  if (explicit_indent > 0) {
    // Relative to the indentation of the line holding the header (the parent's key).
    size_t line_start = text.rfind('\n', start);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    size_t parent = 0;
    while (line_start + parent < start && text[line_start + parent] == ' ') ++parent;
    indent = parent + static_cast<size_t>(explicit_indent);
  } else {
    for (const Line& line : lines) {
      size_t spaces = 0;
      while (line.begin + spaces < line.end && text[line.begin + spaces] == ' ') ++spaces;
      if (line.begin + spaces < line.end) {
        indent = spaces;
        break;
      }
    }
  }

  auto content_of = [&](const Line& line) -> std::optional<size_t> {
    // The offset where the line's content starts, or nullopt for a blank line.
    size_t spaces = 0;
    while (line.begin + spaces < line.end && text[line.begin + spaces] == ' ') ++spaces;
    if (line.begin + spaces >= line.end && spaces <= indent) return std::nullopt;
    if (spaces < indent) return std::nullopt;  // a less indented line ends the scalar; not ours
    return line.begin + indent;
  };

  TextMap built;
  auto append_break = [&](const Line& line) {
    if (line.newline < text.size() && text[line.newline] == '\n') built.append_copy("\n", line.newline);
    else built.append_inserted("\n", line.end);
  };
  if (style == '|') {
    for (const Line& line : lines) {
      if (auto content = content_of(line)) built.append_copy(text.substr(*content, line.end - *content), *content);
      append_break(line);
    }
  } else {
    enum class Previous { None, Text, Spaced } previous = Previous::None;
    std::vector<const Line*> pending_blank;
    const Line* previous_line = nullptr;
    for (const Line& line : lines) {
      auto content = content_of(line);
      if (!content) {
        pending_blank.push_back(&line);
        continue;
      }
      Previous kind = *content < line.end && is_blank(text[*content]) ? Previous::Spaced : Previous::Text;
      if (previous == Previous::None) {
        for (const Line* blank : pending_blank) built.append_inserted("\n", blank->newline);
      } else if (previous == Previous::Text && kind == Previous::Text) {
        if (pending_blank.empty()) built.append_inserted(" ", previous_line->newline);
        for (const Line* blank : pending_blank) built.append_inserted("\n", blank->newline);
      } else {
        built.append_inserted("\n", previous_line->newline);
        for (const Line* blank : pending_blank) built.append_inserted("\n", blank->newline);
      }
      pending_blank.clear();
      built.append_copy(text.substr(*content, line.end - *content), *content);
      previous = kind;
      previous_line = &line;
    }
    if (previous_line) built.append_inserted("\n", previous_line->newline);
    for (const Line* blank : pending_blank) built.append_inserted("\n", blank->newline);
  }
  return finish_with_trailing_breaks(built, value, end);
}

// Decodes one double-quoted escape at `at` (the backslash) into `out`; returns the offset after it,
// or nullopt for an escape this reader does not know.
std::optional<size_t> decode_escape(std::string_view text, size_t at, size_t end, std::string& out) {
  if (at + 1 >= end) return std::nullopt;
  char c = text[at + 1];
  auto hex = [&](size_t digits) -> std::optional<uint32_t> {
    if (at + 2 + digits > end) return std::nullopt;
    uint32_t code = 0;
    for (size_t i = 0; i < digits; ++i) {
      int digit = hex_digit_value(text[at + 2 + i]);
      if (digit < 0) return std::nullopt;
      code = code * 16 + static_cast<uint32_t>(digit);
    }
    return code;
  };
  switch (c) {
    case '0': out += '\0'; return at + 2;
    case 'a': out += '\a'; return at + 2;
    case 'b': out += '\b'; return at + 2;
    case 't': case '\t': out += '\t'; return at + 2;
    case 'n': out += '\n'; return at + 2;
    case 'v': out += '\v'; return at + 2;
    case 'f': out += '\f'; return at + 2;
    case 'r': out += '\r'; return at + 2;
    case 'e': out += '\x1b'; return at + 2;
    case ' ': case '"': case '/': case '\\': out += c; return at + 2;
    case 'N': append_utf8(out, 0x85); return at + 2;
    case '_': append_utf8(out, 0xA0); return at + 2;
    case 'L': append_utf8(out, 0x2028); return at + 2;
    case 'P': append_utf8(out, 0x2029); return at + 2;
    case 'x': if (auto code = hex(2)) { append_utf8(out, *code); return at + 4; } return std::nullopt;
    case 'U': if (auto code = hex(8)) { append_utf8(out, *code); return at + 10; } return std::nullopt;
    case 'u': {
      auto code = hex(4);
      if (!code) return std::nullopt;
      size_t next = at + 6;
      // A JSON surrogate pair: \uD83D\uDE00.
      if (*code >= 0xD800 && *code <= 0xDBFF && next + 6 <= end && text[next] == '\\' && text[next + 1] == 'u') {
        std::string ignored;
        size_t low_at = next;
        uint32_t low = 0;
        bool ok = true;
        for (size_t i = 0; i < 4; ++i) {
          int digit = hex_digit_value(text[low_at + 2 + i]);
          if (digit < 0) ok = false;
          else low = low * 16 + static_cast<uint32_t>(digit);
        }
        if (ok && low >= 0xDC00 && low <= 0xDFFF) {
          append_utf8(out, 0x10000 + ((*code - 0xD800) << 10) + (low - 0xDC00));
          return next + 6;
        }
      }
      append_utf8(out, *code);
      return next;
    }
    default: return std::nullopt;
  }
}

// Plain and quoted scalars: lines fold into one (a break becomes a space, a blank line a break),
// leading and trailing white space of inner lines is dropped. `quote` is 0, '\'' or '"'.
std::optional<TextMap> flow_scalar(const SourceFile& file, size_t begin, size_t end, char quote) {
  std::string_view text = file.text();
  std::vector<Line> lines = split_lines(text, begin, end);
  TextMap built;
  size_t blank_lines = 0;
  bool have_content = false;
  bool escaped_break = false;  // the previous line ended with `\` (double-quoted): no fold
  size_t last_newline = begin;
  for (size_t index = 0; index < lines.size(); ++index) {
    const Line& line = lines[index];
    size_t from = line.begin;
    size_t to = line.end;
    const bool first = index == 0, last = index + 1 == lines.size();
    if (!first) while (from < to && is_blank(text[from])) ++from;
    if (!last) while (to > from && is_blank(text[to - 1])) --to;
    if (from == to && !first && !last) {
      ++blank_lines;
      continue;
    }
    if (!first) {
      if (escaped_break) {
        for (size_t i = 0; i < blank_lines; ++i) built.append_inserted("\n", last_newline);
      } else if (blank_lines == 0) {
        if (have_content || quote) built.append_inserted(" ", last_newline);
      } else {
        for (size_t i = 0; i < blank_lines; ++i) built.append_inserted("\n", last_newline);
      }
    }
    blank_lines = 0;
    escaped_break = false;
    // Copy the line, decoding what the style escapes.
    size_t run = from;
    for (size_t at = from; at < to;) {
      if (quote == '\'' && text[at] == '\'' && at + 1 < to && text[at + 1] == '\'') {
        built.append_copy(text.substr(run, at + 1 - run), run);
        at += 2;
        run = at;
      } else if (quote == '"' && text[at] == '\\') {
        built.append_copy(text.substr(run, at - run), run);
        if (at + 1 == to && !last) {  // `\` at the end of a line: the break is escaped away
          escaped_break = true;
          at = to;
          run = to;
          break;
        }
        std::string decoded;
        auto next = decode_escape(text, at, to, decoded);
        if (!next) return std::nullopt;
        built.append_inserted(decoded, at);
        at = *next;
        run = at;
      } else {
        ++at;
      }
    }
    built.append_copy(text.substr(run, to - run), run);
    have_content = have_content || to > from;
    last_newline = line.newline;
  }
  return built;
}

}  // namespace

std::optional<TextMap> exact_yaml_scalar_text(const SourceFile& file, const Node& node) {
  if (node.kind != NodeKind::String || node.file != &file || node.span.empty()) return std::nullopt;
  std::string_view text = file.text();
  size_t begin = file.offset_of(node.span.begin);
  size_t end = std::min(file.offset_of(node.span.end), text.size());
  if (begin >= end) return node.text.empty() ? std::optional(TextMap()) : std::nullopt;
  size_t start = skip_properties(text, begin, end);
  if (start >= end) return node.text.empty() ? std::optional(TextMap()) : std::nullopt;
  std::optional<TextMap> built;
  char first = text[start];
  if (first == '|' || first == '>') {
    // The node's span ends at its last non-blank character, but a block scalar keeps the blanks
    // that end its last line (`*/5 * * * * root job.sh   `): they are part of the value.
    size_t line_end = end;
    while (line_end < text.size() && is_blank(text[line_end])) ++line_end;
    if (line_end == text.size() || text[line_end] == '\n' || text[line_end] == '\r') end = line_end;
    return block_scalar(file, start, end, node.text);
  } else if ((first == '"' || first == '\'') && end - start >= 2 && text[end - 1] == first) {
    built = flow_scalar(file, start + 1, end - 1, first);
  } else {
    built = flow_scalar(file, start, end, 0);
  }
  if (!built || built->text() != node.text) return std::nullopt;
  return built;
}

TextMap yaml_scalar_text(const SourceFile& file, const Node& node) {
  if (auto exact = exact_yaml_scalar_text(file, node)) return std::move(*exact);
  TextMap coarse;
  if (!node.text.empty()) {
    size_t at = node.span.empty() ? 0 : file.offset_of(node.span.begin);
    coarse.append_inserted(node.text, at);
  }
  return coarse;
}

bool yaml_scalar_text_is_exact(const SourceFile& file, const Node& node) {
  return exact_yaml_scalar_text(file, node).has_value();
}

}  // namespace shiftlint
