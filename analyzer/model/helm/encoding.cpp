#include "analyzer/model/helm/encoding.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/model/helm/executor.h"
#include "analyzer/model/helm/located_manifest.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/source/utf8.h"

namespace shiftlint::helm {

namespace {

// ---------------------------------------------------------------------------------------------
// YAML (go-yaml v2's emitter, as Helm's toYaml reaches it through sigs.k8s.io/yaml)

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether go-yaml v2 would read the plain scalar `text` as something other than a string (null,
// bool, int, float, timestamp, merge key): such strings are written double-quoted.
bool resolves_to_non_string(std::string_view text) {
  if (text.empty()) return true;
  static constexpr std::string_view kWords[] = {
      "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
      "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf",
      "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<"};
  for (std::string_view word : kWords)
    if (text == word) return true;
  char first = text[0];
  if (!(is_digit(first) || first == '+' || first == '-' || first == '.')) return false;
  std::string cleaned;
  for (char c : text)
    if (c != '_') cleaned += c;
  std::string_view body = cleaned;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (body.empty()) return false;
  auto all = [](std::string_view s, auto predicate) {
    if (s.empty()) return false;
    for (char c : s)
      if (!predicate(c)) return false;
    return true;
  };
  if (all(body, is_digit)) return true;  // decimal or octal int
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
    return all(body.substr(2), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B'))
    return all(body.substr(2), [](char c) { return c == '0' || c == '1'; });
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O'))
    return all(body.substr(2), [](char c) { return c >= '0' && c <= '7'; });
  // float: (\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  size_t i = 0;
  size_t integer_digits = 0;
  while (i < body.size() && is_digit(body[i])) ++i, ++integer_digits;
  size_t fraction_digits = 0;
  bool point = false;
  if (i < body.size() && body[i] == '.') {
    point = true;
    ++i;
    while (i < body.size() && is_digit(body[i])) ++i, ++fraction_digits;
  }
  bool mantissa = integer_digits > 0 || (point && fraction_digits > 0);
  if (mantissa && i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    size_t j = i + 1;
    if (j < body.size() && (body[j] == '+' || body[j] == '-')) ++j;
    size_t exponent_digits = 0;
    while (j < body.size() && is_digit(body[j])) ++j, ++exponent_digits;
    if (exponent_digits > 0) i = j;
  }
  if (mantissa && i == body.size()) return true;
  // Base 60 (1:20, 190:20:30) and timestamps (2001-12-14, 2001-12-14T21:59:43.10Z).
  if (is_digit(text[0])) {
    bool base60 = true;
    bool colon = false;
    for (char c : text) {
      if (c == ':') colon = true;
      else if (!is_digit(c) && c != '_' && c != '.') base60 = false;
    }
    if (base60 && colon) return true;
    if (text.size() >= 8 && is_digit(text[1]) && is_digit(text[2]) && is_digit(text[3]) && text[4] == '-') {
      size_t k = 5;
      size_t month = 0;
      while (k < text.size() && is_digit(text[k])) ++k, ++month;
      if (month >= 1 && month <= 2 && k < text.size() && text[k] == '-') {
        ++k;
        size_t day = 0;
        while (k < text.size() && is_digit(text[k])) ++k, ++day;
        if (day >= 1 && day <= 2 && (k == text.size() || text[k] == 'T' || text[k] == 't' || text[k] == ' '))
          return true;
      }
    }
  }
  return false;
}

bool is_printable_byte_sequence(std::string_view text, size_t i) {
  auto b = [&](size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0; };
  unsigned char c = b(i);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && b(i + 1) >= 0xA0) || (c > 0xC2 && c < 0xED) ||
         (c == 0xED && b(i + 1) < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(b(i + 1) == 0xBB && b(i + 2) == 0xBF) && !(b(i + 1) == 0xBF && (b(i + 2) == 0xBE || b(i + 2) == 0xBF)));
}

size_t utf8_width(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

// The bytes of the character at `i`: its lead byte's width when the continuation bytes follow, else
// 1, so that a stray or truncated byte is escaped on its own and nothing past the text is read.
size_t sequence_width(std::string_view text, size_t i) {
  size_t width = utf8_width(static_cast<unsigned char>(text[i]));
  if (width > text.size() - i) return 1;
  for (size_t k = 1; k < width; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 1;
  return width;
}

enum class ScalarStyle { Plain, SingleQuoted, DoubleQuoted, Literal };

// go-yaml's scalar analysis: which styles can carry this text.
struct ScalarAnalysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

ScalarAnalysis analyze(std::string_view value) {
  ScalarAnalysis result;
  if (value.empty()) return result;
  if (value.starts_with("---") || value.starts_with("...")) result.block_plain_allowed = false;
  bool block_indicators = false;
  bool special_characters = false;
  bool line_breaks = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, previous_space = false, previous_break = false;
  bool preceded_by_whitespace = true;
  for (size_t i = 0; i < value.size();) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    size_t width = utf8_width(c);
    size_t next = i + width;
    bool followed_by_whitespace = next >= value.size() || value[next] == ' ' || value[next] == '\t' ||
                                  value[next] == '\n' || value[next] == '\r';
    if (i == 0) {
      switch (c) {
        case '#': case ',': case '[': case ']': case '{': case '}': case '&': case '*': case '!': case '|':
        case '>': case '\'': case '"': case '%': case '@': case '`':
          block_indicators = true;
          break;
        case '?': case ':':
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) block_indicators = true;
          break;
        default: break;
      }
    } else {
      if (c == ':' && followed_by_whitespace) block_indicators = true;
      if (c == '#' && preceded_by_whitespace) block_indicators = true;
    }
    if (!is_printable_byte_sequence(value, i)) special_characters = true;
    if (c == '\n') line_breaks = true;
    if (c == ' ') {
      if (i == 0) leading_space = true;
      if (next >= value.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (c == '\n' || c == '\r') {
      if (i == 0) leading_break = true;
      if (next >= value.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = false;
      previous_break = false;
    }
    preceded_by_whitespace = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    i = next;
  }
  result.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) result.block_plain_allowed = false;
  if (trailing_space) result.block_allowed = false;
  if (break_space) result.block_plain_allowed = result.single_quoted_allowed = false;
  if (space_break || special_characters) {
    result.block_plain_allowed = result.single_quoted_allowed = result.block_allowed = false;
  }
  if (line_breaks) result.block_plain_allowed = false;
  if (block_indicators) result.block_plain_allowed = false;
  return result;
}

ScalarStyle choose_style(std::string_view text, bool simple_key) {
  ScalarAnalysis analysis = analyze(text);
  bool can_use_plain = !resolves_to_non_string(text);
  ScalarStyle style = text.find('\n') != std::string_view::npos ? ScalarStyle::Literal
                      : can_use_plain                          ? ScalarStyle::Plain
                                                               : ScalarStyle::DoubleQuoted;
  if (style == ScalarStyle::Plain && (!analysis.block_plain_allowed || (simple_key && analysis.multiline)))
    style = ScalarStyle::SingleQuoted;
  if (style == ScalarStyle::Literal && (!analysis.block_allowed || simple_key)) style = ScalarStyle::DoubleQuoted;
  if (style == ScalarStyle::SingleQuoted && (!analysis.single_quoted_allowed || (simple_key && analysis.multiline)))
    style = ScalarStyle::DoubleQuoted;
  return style;
}

void append_double_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t width = sequence_width(text, i);
    if (is_printable_byte_sequence(text, i) && c != '\n' && c != '"' && c != '\\') {
      out.append(text.substr(i, width));
      i += width;
      continue;
    }
    switch (c) {
      case 0: out += "\\0"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\v': out += "\\v"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case 0x1B: out += "\\e"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (width == 1) {
          out += fmt::format("\\x{:02X}", c);
        } else {
          uint32_t code = 0;
          if (width == 2) code = ((c & 0x1F) << 6) | (text[i + 1] & 0x3F);
          else if (width == 3) code = ((c & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F);
          else code = ((c & 0x07) << 18) | ((text[i + 1] & 0x3F) << 12) | ((text[i + 2] & 0x3F) << 6) | (text[i + 3] & 0x3F);
          if (code == 0x85) out += "\\N";
          else if (code == 0xA0) out += "\\_";
          else if (code == 0x2028) out += "\\L";
          else if (code == 0x2029) out += "\\P";
          else if (code <= 0xFF) out += fmt::format("\\x{:02X}", code);
          else if (code <= 0xFFFF) out += fmt::format("\\u{:04X}", code);
          else out += fmt::format("\\U{:08X}", code);
        }
    }
    i += width;
  }
  out += '"';
}

// A string scalar after `key:` or `-` (the caller wrote the indicator, not the space).
void append_string_scalar(std::string& out, std::string_view text, int indent, bool simple_key) {
  // Helm's toYaml marshals to JSON first (sigs.k8s.io/yaml), and encoding/json replaces every byte
  // that starts no valid UTF-8 sequence with U+FFFD; go-yaml then sees only valid text.
  std::string coerced;
  if (!is_valid_runes(text)) {
    coerced = replace_invalid_runes(text);
    text = coerced;
  }
  switch (choose_style(text, simple_key)) {
    case ScalarStyle::Plain: out += text; return;
    case ScalarStyle::SingleQuoted:
      out += '\'';
      for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
      }
      out += '\'';
      return;
    case ScalarStyle::DoubleQuoted: append_double_quoted(out, text); return;
    case ScalarStyle::Literal: {
      out += '|';
      if (text[0] == ' ' || text[0] == '\n') out += '2';
      size_t trailing_breaks = 0;
      while (trailing_breaks < text.size() && text[text.size() - 1 - trailing_breaks] == '\n') ++trailing_breaks;
      if (trailing_breaks == 0) out += '-';
      else if (trailing_breaks > 1) out += '+';
      out += '\n';
      std::string_view body = text;
      if (trailing_breaks > 0) body.remove_suffix(1);
      size_t start = 0;
      while (true) {
        size_t newline = body.find('\n', start);
        std::string_view line = body.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
        if (!line.empty()) out.append(indent, ' ');
        out += line;
        if (newline == std::string_view::npos) break;
        out += '\n';
        start = newline + 1;
      }
      // The caller ends the line; a `|-` scalar's last line has no newline of its own.
      return;
    }
  }
}

// toYaml is go-yaml v2 fed through JSON; toYamlPretty is go-yaml v3 on the values themselves,
// with an indent of two. Where their output differs:
struct YamlLayout {
  bool indent_sequences = false;   // v3 indents a list under a key; v2 writes it at the key's column
  bool go_numbers = false;         // v3 prints a float64 as Go does (1e+06); JSON turns 1e+06 into 1000000
  bool natural_key_order = false;  // v3 sorts keys with runs of digits compared as numbers (a2 < a10)
};

// go-yaml v3's key order (its sorter's keyList.Less for two strings): letters before other
// characters, digit runs by value. Characters beyond ASCII count as letters here.
bool natural_key_less(std::string_view a, std::string_view b) {
  auto letter = [](unsigned char c) { return std::isalpha(c) || c >= 0x80; };
  auto digit = [](unsigned char c) { return std::isdigit(c) != 0; };
  bool digits = false;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    unsigned char ca = a[i], cb = b[i];
    if (ca == cb) {
      digits = digit(ca);
      continue;
    }
    bool la = letter(ca), lb = letter(cb);
    if (la && lb) return ca < cb;
    if (la || lb) return digits ? la : lb;
    int64_t na = 0, nb = 0;
    if (ca == '0' || cb == '0') {
      for (size_t j = i; j-- > 0 && digit(a[j]);) {
        if (a[j] != '0') {
          na = nb = 1;
          break;
        }
      }
    }
    size_t ia = i, ib = i;
    for (; ia < a.size() && digit(a[ia]); ++ia) na = na * 10 + (a[ia] - '0');
    for (; ib < b.size() && digit(b[ib]); ++ib) nb = nb * 10 + (b[ib] - '0');
    if (na != nb) return na < nb;
    if (ia != ib) return ia < ib;
    return ca < cb;
  }
  return a.size() < b.size();
}

// A map's entries in the order the encoder writes them.
std::vector<const std::pair<const std::string, Value>*> ordered_entries(const ValueMap& map, const YamlLayout& layout) {
  std::vector<const std::pair<const std::string, Value>*> entries;
  entries.reserve(map.size());
  for (const auto& entry : map) entries.push_back(&entry);
  if (layout.natural_key_order)
    std::stable_sort(entries.begin(), entries.end(), [](const auto* x, const auto* y) { return natural_key_less(x->first, y->first); });
  return entries;
}

// Numbers as they come out of JSON and back through go-yaml: an integral float is an int. With
// go_numbers, as go-yaml v3 prints a float64 itself.
std::string yaml_number(const Value& value, const YamlLayout& layout) {
  if (value.kind == ValueKind::Integer) return std::to_string(value.integer);
  double real = value.real;
  if (std::isnan(real)) return ".nan";
  if (std::isinf(real)) return real > 0 ? ".inf" : "-.inf";
  if (layout.go_numbers) return format_float_shortest(real);
  if (real == std::floor(real) && std::fabs(real) < 1e21) return fmt::format("{:.0f}", real);
  return format_float_shortest(real);
}

bool is_empty_collection(const Value& value) {
  return (value.kind == ValueKind::Map && (!value.map || value.map->empty())) ||
         (value.kind == ValueKind::List && (!value.list || value.list->empty()));
}

// Where each scalar of the output came from (its values.yaml node), for the source map. A key
// and a list's dash carry the collection they belong to.
struct OriginRange {
  size_t begin;
  size_t end;
  const Node* origin;
  // The node whose place the text has: the value for a scalar, the entry for a key (its key_span).
  const Node* placed = nullptr;
  bool key = false;
};
using Origins = std::vector<OriginRange>;

void emit_block(const Value& value, int indent, std::string& out, Origins* origins, const YamlLayout& layout);

void record(Origins* origins, size_t begin, size_t end, const Node* origin, const Node* placed = nullptr,
            bool key = false) {
  if (origins && (origin || placed) && end > begin) origins->push_back({begin, end, origin, placed, key});
}

// toYaml and toJson walk values recursively, and a value whose sub-values are shared level after
// level encodes exponentially long: both stop with an error past these bounds.
constexpr size_t kMaxEncodedBytes = 32u << 20;
void check_encoding_bounds(int depth, const std::string& out) {
  if (depth > kMaxValueDepth)
    throw FunctionError{fmt::format("the value nests deeper than {} levels", kMaxValueDepth)};
  if (out.size() > kMaxEncodedBytes)
    throw FunctionError{fmt::format("the encoded value is larger than {} MiB", kMaxEncodedBytes >> 20)};
}

// A scalar or empty collection after `key:` or `-` (with the separating space).
void emit_inline(const Value& value, int indent, std::string& out, Origins* origins, const YamlLayout& layout) {
  size_t begin = out.size();
  switch (value.kind) {
    case ValueKind::Nil: out += "null"; break;
    case ValueKind::Boolean: out += value.boolean ? "true" : "false"; break;
    case ValueKind::Integer:
    case ValueKind::Float: out += yaml_number(value, layout); break;
    case ValueKind::String: append_string_scalar(out, value.text, indent, false); break;
    case ValueKind::Object: append_string_scalar(out, value.object->print(), indent, false); break;
    case ValueKind::List: out += "[]"; break;
    case ValueKind::Map: out += "{}"; break;
  }
  record(origins, begin, out.size(), value.origin, value.origin);
}

void emit_map(const Value& value, int indent, std::string& out, Origins* origins, const YamlLayout& layout) {
  check_encoding_bounds(indent / 2, out);  // each level indents by two (a list under a key shares its key's)
  for (const auto* entry : ordered_entries(*value.map, layout)) {
    const auto& [key, item] = *entry;
    out.append(indent, ' ');
    size_t key_begin = out.size();
    append_string_scalar(out, key, indent, true);
    // A key belongs to the map that holds it: the map's first byte is its first key, and a finding
    // on the map (a probe printed whole) names the map, not whichever entry sorts first.
    record(origins, key_begin, out.size(), value.origin, item.origin, true);
    out += ':';
    if (item.kind == ValueKind::Map && !is_empty_collection(item)) {
      out += '\n';
      emit_map(item, indent + 2, out, origins, layout);
    } else if (item.kind == ValueKind::List && !is_empty_collection(item)) {
      out += '\n';
      emit_block(item, layout.indent_sequences ? indent + 2 : indent, out, origins, layout);  // v2 does not indent it
    } else {
      out += ' ';
      emit_inline(item, indent + 2, out, origins, layout);
      out += '\n';
    }
  }
}

void emit_list(const Value& value, int indent, std::string& out, Origins* origins, const YamlLayout& layout) {
  check_encoding_bounds(indent / 2, out);
  for (const Value& item : *value.list) {
    if ((item.kind == ValueKind::Map || item.kind == ValueKind::List) && !is_empty_collection(item)) {
      std::string nested;
      size_t mark = origins ? origins->size() : 0;
      emit_block(item, indent + 2, nested, origins, layout);
      size_t shift = out.size();  // nested[p] lands at out[shift + p]: "- " replaces its indentation
      if (origins)
        for (size_t i = mark; i < origins->size(); ++i) (*origins)[i].begin += shift, (*origins)[i].end += shift;
      out.append(indent, ' ');
      record(origins, out.size(), out.size() + 2, value.origin);  // the list starts at its first dash
      out += "- ";
      out.append(nested, indent + 2, std::string::npos);
    } else {
      out.append(indent, ' ');
      record(origins, out.size(), out.size() + 2, value.origin);
      out += "- ";
      emit_inline(item, indent + 2, out, origins, layout);
      out += '\n';
    }
  }
}

void emit_block(const Value& value, int indent, std::string& out, Origins* origins, const YamlLayout& layout) {
  if (value.kind == ValueKind::Map && !is_empty_collection(value)) emit_map(value, indent, out, origins, layout);
  else if (value.kind == ValueKind::List && !is_empty_collection(value)) emit_list(value, indent, out, origins, layout);
  else {
    // Only a document's root scalar gets here. go-yaml indents a block scalar's body one step
    // deeper than its node even at the root, so `key: {{ toYaml .text }}` keeps the body under
    // the key; at the root's own indent its lines would read as keys of the enclosing map.
    out.append(indent, ' ');
    emit_inline(value, indent + 2, out, origins, layout);
    out += '\n';
  }
}

// Whether a string is written as a literal block scalar with keep chomping (`|+`, two or more
// final newlines). nullopt when it is not a block scalar at all.
std::optional<bool> literal_keeps_final_breaks(std::string_view text) {
  std::string coerced;
  if (!is_valid_runes(text)) {
    coerced = replace_invalid_runes(text);
    text = coerced;
  }
  if (choose_style(text, false) != ScalarStyle::Literal) return std::nullopt;
  return text.size() >= 2 && text.ends_with("\n\n");
}

// go-yaml marks a document "open ended" when it writes a `|+` scalar (its trailing blank lines
// would otherwise run into whatever follows) and clears the mark at the next block scalar; a
// document still open at the end gets the end marker `...`. This finds the last block scalar in
// the order emit_block writes them.
std::optional<bool> last_literal_keeps_final_breaks(const Value& value, const YamlLayout& layout) {
  switch (value.kind) {
    case ValueKind::String: return literal_keeps_final_breaks(value.text);
    case ValueKind::Object: return literal_keeps_final_breaks(value.object->print());
    case ValueKind::List:
      if (value.list)
        for (auto item = value.list->rbegin(); item != value.list->rend(); ++item)
          if (std::optional<bool> found = last_literal_keeps_final_breaks(*item, layout)) return found;
      return std::nullopt;
    case ValueKind::Map:
      // Keys are simple keys, never block scalars.
      if (value.map) {
        auto entries = ordered_entries(*value.map, layout);
        for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry)
          if (std::optional<bool> found = last_literal_keeps_final_breaks((*entry)->second, layout)) return found;
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

// emit_block's text with go-yaml's document end marker when the document is left open.
void emit_document(const Value& value, std::string& out, Origins* origins, const YamlLayout& layout = {}) {
  emit_block(value, 0, out, origins, layout);
  if (last_literal_keeps_final_breaks(value, layout).value_or(false)) out += "...\n";
}

// ---------------------------------------------------------------------------------------------
// JSON (Go's encoding/json)

void append_json_string(std::string& out, std::string_view text, bool escape_html) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || (escape_html && (c == '<' || c == '>' || c == '&'))) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      continue;
    }
    if (c >= 0x80) {
      // Go coerces strings to valid UTF-8: a byte that starts no valid sequence is written as
      // \ufffd; U+2028 and U+2029 are escaped (JavaScript would end a line there).
      auto [code_point, length] = decode_rune(text.substr(i));
      if (code_point == 0xFFFD && length == 1) out += "\\ufffd";
      else if (code_point == 0x2028 || code_point == 0x2029) out += code_point == 0x2028 ? "\\u2028" : "\\u2029";
      else out.append(text.substr(i, length));
      i += length - 1;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
}

std::string json_float(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e21) return fmt::format("{:.0f}", value);
  double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
    std::string text = format_float_shortest(value);  // has an exponent in this range
    // Go writes e-07 as e-7.
    size_t e = text.find('e');
    if (e != std::string::npos && e + 2 < text.size() && text[e + 2] == '0') text.erase(e + 2, 1);
    return text;
  }
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, end);
}

void emit_json(const Value& value, std::string& out, bool escape_html, bool pretty, int depth) {
  check_encoding_bounds(depth, out);
  auto newline = [&](int level) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<size_t>(level) * 2, ' ');
  };
  switch (value.kind) {
    case ValueKind::Nil: out += "null"; return;
    case ValueKind::Boolean: out += value.boolean ? "true" : "false"; return;
    case ValueKind::Integer: out += std::to_string(value.integer); return;
    case ValueKind::Float:
      if (std::isnan(value.real) || std::isinf(value.real)) {
        out += "null";
        return;
      }
      out += json_float(value.real);
      return;
    case ValueKind::String: append_json_string(out, value.text, escape_html); return;
    case ValueKind::Object: append_json_string(out, value.object->print(), escape_html); return;
    case ValueKind::List: {
      if (!value.list || value.list->empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const Value& item : *value.list) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        emit_json(item, out, escape_html, pretty, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case ValueKind::Map: {
      if (!value.map || value.map->empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, item] : *value.map) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        append_json_string(out, key, escape_html);
        out += pretty ? ": " : ":";
        emit_json(item, out, escape_html, pretty, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
  }
}

Value value_from_json(const nlohmann::json& json, int depth = 0) {
  if (depth > kMaxValueDepth)
    throw FunctionError{fmt::format("the JSON nests deeper than {} levels", kMaxValueDepth)};
  switch (json.type()) {
    case nlohmann::json::value_t::null: return {};
    case nlohmann::json::value_t::boolean: return Value::from_bool(json.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return Value::from_float(json.get<double>());
    case nlohmann::json::value_t::string: return Value::from_string(json.get<std::string>());
    case nlohmann::json::value_t::array: {
      ValueList items;
      for (const auto& item : json) items.push_back(value_from_json(item, depth + 1));
      return Value::from_list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      Value map = Value::new_map();
      for (auto it = json.begin(); it != json.end(); ++it) (*map.map)[it.key()] = value_from_json(it.value(), depth + 1);
      return map;
    }
    default: return {};
  }
}

void clear_origins(Value& value) {
  value.origin = nullptr;
  if (value.kind == ValueKind::List)
    for (Value& item : *value.list) clear_origins(item);
  if (value.kind == ValueKind::Map)
    for (auto& [key, item] : *value.map) clear_origins(item);
}

// ---------------------------------------------------------------------------------------------
// Digests

struct Sha256 {
  uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  static uint32_t rotate(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  void block(const unsigned char* data) {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t(data[i * 4]) << 24) | (uint32_t(data[i * 4 + 1]) << 16) | (uint32_t(data[i * 4 + 2]) << 8) | data[i * 4 + 3];
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25);
      uint32_t choose = (e & f) ^ (~e & g);
      uint32_t t1 = h + s1 + choose + k[i] + w[i];
      uint32_t s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22);
      uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = s0 + majority;
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  }
};

struct Sha1 {
  uint32_t state[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  static uint32_t rotate(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
  void block(const unsigned char* data) {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t(data[i * 4]) << 24) | (uint32_t(data[i * 4 + 1]) << 16) | (uint32_t(data[i * 4 + 2]) << 8) | data[i * 4 + 3];
    for (int i = 16; i < 80; ++i) w[i] = rotate(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      uint32_t t = rotate(a, 5) + f + e + k + w[i];
      e = d; d = c; c = rotate(b, 30); b = a; a = t;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e;
  }
};

// SHA-512: SHA-256's structure with 64-bit words, 80 rounds and 128-byte blocks.
struct Sha512 {
  uint64_t state[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                       0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
  static uint64_t rotate(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }
  void block(const unsigned char* data) {
    // The first 64 bits of the fractional parts of the cube roots of the first 80 primes.
    static constexpr uint64_t k[80] = {
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};
    uint64_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 8; ++b) w[i] = (w[i] << 8) | data[i * 8 + b];
    }
    for (int i = 16; i < 80; ++i) {
      uint64_t s0 = rotate(w[i - 15], 1) ^ rotate(w[i - 15], 8) ^ (w[i - 15] >> 7);
      uint64_t s1 = rotate(w[i - 2], 19) ^ rotate(w[i - 2], 61) ^ (w[i - 2] >> 6);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint64_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 80; ++i) {
      uint64_t s1 = rotate(e, 14) ^ rotate(e, 18) ^ rotate(e, 41);
      uint64_t choose = (e & f) ^ (~e & g);
      uint64_t t1 = h + s1 + choose + k[i] + w[i];
      uint64_t s0 = rotate(a, 28) ^ rotate(a, 34) ^ rotate(a, 39);
      uint64_t majority = (a & b) ^ (a & c) ^ (b & c);
      uint64_t t2 = s0 + majority;
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  }
};

// Merkle–Damgård padding shared by SHA-1 and SHA-256 (both big-endian, 64-byte blocks).
template <typename Digest>
std::string digest_hex(std::string_view data, int words) {
  Digest digest;
  size_t full = data.size() / 64;
  for (size_t i = 0; i < full; ++i) digest.block(reinterpret_cast<const unsigned char*>(data.data()) + i * 64);
  unsigned char tail[128] = {};
  size_t rest = data.size() - full * 64;
  std::memcpy(tail, data.data() + full * 64, rest);
  tail[rest] = 0x80;
  size_t tail_size = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (size_t offset = 0; offset < tail_size; offset += 64) digest.block(tail + offset);
  std::string hex;
  for (int i = 0; i < words; ++i) hex += fmt::format("{:08x}", digest.state[i]);
  return hex;
}

// SHA-512's padding: 128-byte blocks and a 128-bit length (whose upper half is 0 here).
std::string sha512_digest_hex(std::string_view data) {
  Sha512 digest;
  size_t full = data.size() / 128;
  for (size_t i = 0; i < full; ++i) digest.block(reinterpret_cast<const unsigned char*>(data.data()) + i * 128);
  unsigned char tail[256] = {};
  size_t rest = data.size() - full * 128;
  std::memcpy(tail, data.data() + full * 128, rest);
  tail[rest] = 0x80;
  size_t tail_size = rest + 17 <= 128 ? 128 : 256;
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (size_t offset = 0; offset < tail_size; offset += 128) digest.block(tail + offset);
  std::string hex;
  for (uint64_t word : digest.state) hex += fmt::format("{:016x}", word);
  return hex;
}

// ---------------------------------------------------------------------------------------------
// TOML (Helm's toToml: BurntSushi/toml's encoder as Helm 3 ships it, v1.3-v1.5)

struct TomlError {
  std::string message;
};

class TomlWriter {
 public:
  std::string out;

  void encode(const std::vector<std::string>& key, const Value& value) {
    check_encoding_bounds(static_cast<int>(key.size()), out);
    switch (value.kind) {
      case ValueKind::Nil: return;
      case ValueKind::List:
        if (is_table_array(value, 0)) array_of_tables(key, value);
        else key_value(key, value, false);
        return;
      case ValueKind::Map: table(key, value); return;
      default: key_value(key, value, false);
    }
  }

 private:
  // A key part written bare when it is only letters, digits, '_' and '-'.
  static std::string key_part(const std::string& part) {
    if (part.empty()) return "\"\"";
    for (char c : part)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return quoted(part);
    return part;
  }
  static std::string key_path(const std::vector<std::string>& key) {
    std::string path;
    for (size_t i = 0; i < key.size(); ++i) path += (i ? "." : "") + key_part(key[i]);
    return path;
  }
  static std::string quoted(std::string_view text) {
    std::string result = "\"";
    for (unsigned char c : text) {
      switch (c) {
        case '"': result += "\\\""; break;
        case '\\': result += "\\\\"; break;
        case '\b': result += "\\b"; break;
        case '\t': result += "\\t"; break;
        case '\n': result += "\\n"; break;
        case '\f': result += "\\f"; break;
        case '\r': result += "\\r"; break;
        default:
          if (c < 0x20 || c == 0x7F) result += fmt::format("\\u{:04x}", c);
          else result += static_cast<char>(c);
      }
    }
    return result + "\"";
  }
  // Every entry a map (and at least one): written as [[key]] sections. A nil entry anywhere in a
  // list is an error, as in the encoder.
  static bool is_table_array(const Value& list, int depth) {
    if (depth > kMaxValueDepth) throw FunctionError{fmt::format("the value nests deeper than {} levels", kMaxValueDepth)};
    bool all_maps = !list.list->empty();
    for (const Value& item : *list.list) {
      if (item.is_nil()) throw TomlError{"toml: cannot encode array with nil element"};
      if (item.kind == ValueKind::List) is_table_array(item, depth + 1);
      if (item.kind != ValueKind::Map) all_maps = false;
    }
    return all_maps;
  }
  static bool is_table(const Value& value) {
    return value.kind == ValueKind::Map || (value.kind == ValueKind::List && is_table_array(value, 0));
  }
  void newline() {
    if (!out.empty()) out += '\n';
  }
  std::string indent(const std::vector<std::string>& key) const { return std::string(2 * (key.size() - 1), ' '); }

  void table(const std::vector<std::string>& key, const Value& map) {
    if (key.size() == 1) newline();  // a blank line before each top-level table
    if (!key.empty()) {
      out += indent(key) + "[" + key_path(key) + "]";
      newline();
    }
    body(key, map, false, static_cast<int>(key.size()));
  }

  void array_of_tables(const std::vector<std::string>& key, const Value& list) {
    if (key.empty()) throw TomlError{"toml: top-level values must be Go maps or structs"};
    for (const Value& item : *list.list) {
      newline();
      out += indent(key) + "[[" + key_path(key) + "]]";
      newline();
      body(key, item, false, static_cast<int>(key.size()));
    }
  }

  // A map's keys in order, those that are not tables first (they must come before any header).
  void body(const std::vector<std::string>& key, const Value& map, bool inline_table, int depth) {
    std::vector<const std::pair<const std::string, Value>*> direct, tables;
    for (const auto& entry : *map.map) (is_table(entry.second) ? tables : direct).push_back(&entry);
    auto write = [&](const auto& entries, bool comma_after_last) {
      for (size_t i = 0; i < entries.size(); ++i) {
        const auto& [name, value] = *entries[i];
        if (value.is_nil()) continue;
        std::vector<std::string> child = key;
        child.push_back(name);
        if (inline_table) {
          key_value({name}, value, true, depth + 1);
          if (comma_after_last || i + 1 != entries.size()) out += ", ";
        } else {
          encode(child, value);
        }
      }
    };
    if (inline_table) out += '{';
    write(direct, !tables.empty());
    write(tables, false);
    if (inline_table) out += '}';
  }

  void key_value(const std::vector<std::string>& key, const Value& value, bool inline_entry, int depth = 0) {
    if (key.empty()) {
      element(value, depth);
      return;
    }
    out += indent(key) + key_part(key.back()) + " = ";
    element(value, std::max(depth, static_cast<int>(key.size())));
    if (!inline_entry) newline();
  }

  void element(const Value& value, int depth) {
    check_encoding_bounds(depth, out);
    switch (value.kind) {
      case ValueKind::Nil: throw TomlError{"toml: cannot encode array with nil element"};
      case ValueKind::Boolean: out += value.boolean ? "true" : "false"; break;
      case ValueKind::Integer: out += std::to_string(value.integer); break;
      case ValueKind::Float: {
        double real = value.real;
        if (std::isnan(real)) out += std::signbit(real) ? "-nan" : "nan";
        else if (std::isinf(real)) out += real < 0 ? "-inf" : "inf";
        else {
          // strconv.FormatFloat(f, 'f', -1, 64): the shortest digits, never an exponent; and a
          // decimal point, as TOML floats need one.
          char buffer[400];
          auto [end, problem] = std::to_chars(buffer, buffer + sizeof buffer, real, std::chars_format::fixed);
          std::string text(buffer, end);
          if (text.find('.') == std::string::npos) text += ".0";
          out += text;
        }
        break;
      }
      case ValueKind::String: out += quoted(value.text); break;
      case ValueKind::Object:
        if (value.object->type_name() == "time.Time") out += value.object->call("Format", {Value::from_string("2006-01-02T15:04:05.999999999Z07:00")}).text;
        else out += quoted(value.object->print());
        break;
      case ValueKind::List:
        out += '[';
        for (size_t i = 0; i < value.list->size(); ++i) {
          element((*value.list)[i], depth + 1);
          if (i + 1 != value.list->size()) out += ", ";
        }
        out += ']';
        break;
      case ValueKind::Map: body({}, value, true, depth + 1); break;
    }
  }
};

}  // namespace

std::string to_yaml(const Value& value) {
  std::string out;
  emit_document(value, out, nullptr);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string to_yaml_pretty(const Value& value) {
  std::string out;
  emit_document(value, out, nullptr, YamlLayout{true, true, true});
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

RenderedText to_yaml_rendered(const Value& value, const PlacedValues* placed) {
  std::string out;
  Origins origins;
  emit_document(value, out, &origins);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  std::sort(origins.begin(), origins.end(), [](const OriginRange& a, const OriginRange& b) { return a.begin < b.begin; });
  auto values_origin = [&](const Node* node) { return placed ? placed->values_origin_of(node) : node; };
  const Node* around = values_origin(value.origin);
  RenderedText rendered;
  size_t position = 0;
  for (const OriginRange& range : origins) {
    if (range.begin < position || range.end > out.size()) continue;
    rendered.append_inserted(std::string_view(out).substr(position, range.begin - position), nullptr, 0, 0, around);
    std::string_view piece = std::string_view(out).substr(range.begin, range.end - range.begin);
    const Node* at = placed && placed->is_placed(range.placed) ? range.placed : nullptr;
    Span span = at ? (range.key ? at->key_span : at->span) : Span{};
    if (at && at->file && !span.empty()) {
      // Parsed by fromYaml from an include's output: printed back where it was written.
      rendered.append_inserted(piece, at->file, static_cast<uint32_t>(at->file->offset_of(span.begin)),
                               static_cast<uint32_t>(at->file->offset_of(span.end)), values_origin(range.origin));
    } else {
      rendered.append_inserted(piece, nullptr, 0, 0, values_origin(range.origin));
    }
    position = range.end;
  }
  rendered.append_inserted(std::string_view(out).substr(position), nullptr, 0, 0, around);
  return rendered;
}

std::string to_json(const Value& value, bool escape_html, bool pretty) {
  std::string out;
  emit_json(value, out, escape_html, pretty, 0);
  return out;
}

std::optional<Value> parse_yaml_value(std::string_view text, std::string& error) {
  auto file = std::make_shared<const SourceFile>("fromYaml", "fromYaml", std::string(text));
  Document document = load_yaml(file);
  if (!document.ok()) {
    error = document.errors.front().message;
    return std::nullopt;
  }
  if (document.roots.empty()) return Value();
  Value value = value_from_node(document.roots.front());
  clear_origins(value);  // the text is gone after this call
  return value;
}

std::optional<Value> parse_placed_yaml_value(std::string_view text, const RenderedText& rendering,
                                             PlacedValues& placed, std::string& error) {
  if (!placed.has_room(text.size())) return parse_yaml_value(text, error);
  auto file = std::make_shared<const SourceFile>("fromYaml", "fromYaml", std::string(text));
  auto document = std::make_unique<Document>(load_yaml(file));
  if (!document->ok()) {
    error = document->errors.front().message;
    return std::nullopt;
  }
  if (document->roots.empty()) return Value();
  // Each node moves to the template place its text came from, and remembers the values node
  // printed there (the last one in a scalar: "{{ .repo }}:{{ .tag }}" is about the tag).
  std::unordered_map<const Node*, const Node*> values_origin;
  std::vector<Node*> pending{&document->roots.front()};
  while (!pending.empty()) {
    Node& node = *pending.back();
    pending.pop_back();
    Span parsed = node.span;
    const Node* origin = nullptr;
    size_t begin = file->offset_of(parsed.begin), end = file->offset_of(parsed.end);
    if (node.is_scalar()) {
      for (const OutputSegment* segment = rendering.segment_at(begin);
           segment && segment < rendering.segments.data() + rendering.segments.size() &&
           segment->output_offset < std::max(end, begin + 1);
           ++segment)
        if (segment->origin) origin = segment->origin;
    } else if (const OutputSegment* first = rendering.segment_at(begin);
               first && first->origin && !first->copied && !first->origin->is_scalar()) {
      origin = first->origin;
    }
    auto [value_file, value_span] = template_span(*file, rendering, parsed);
    auto [key_file, key_span] = template_span(*file, rendering, node.key_span);
    if (key_file && key_file != value_file) {
      // A key written in one template, its value printed from another (a library helper): the
      // key is where this value is asked for, as locate_manifest places it.
      node.file = key_file;
      node.span = key_span;
      node.key_span = key_span;
    } else {
      node.file = value_file;
      node.span = value_file ? value_span : Span{};
      node.key_span = key_file ? key_span : Span{};
    }
    values_origin[&node] = origin;
    for (Node& child : node.children) pending.push_back(&child);
  }
  Value value = value_from_node(document->roots.front());
  placed.keep(file, std::move(document), std::move(values_origin));
  return value;
}

std::optional<Value> parse_json_value(std::string_view text, std::string& error) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    error = "invalid JSON";
    return std::nullopt;
  }
  try {
    return value_from_json(json);
  } catch (const FunctionError& too_deep) {
    error = too_deep.message;
    return std::nullopt;
  }
}

std::string base64_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) n |= uint8_t(data[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding) return std::nullopt;
    int value = value_of(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if ((text.size() % 4) != 0) return std::nullopt;
  return out;
}

std::string base32_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint64_t buffer = 0;
  int bits = 0;
  for (unsigned char c : data) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kAlphabet[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  while (out.size() % 8) out += '=';
  return out;
}

// Go's base32.StdEncoding.DecodeString: line breaks are dropped first, then the text is read in
// groups of eight with `=` padding only in the last; the error names the first bad byte's offset
// in the text without line breaks.
std::variant<std::string, size_t> base32_decode(std::string_view text) {
  std::string input;
  for (char c : text)
    if (c != '\r' && c != '\n') input += c;
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
  };
  std::string out;
  size_t position = 0;
  const size_t size = input.size();
  bool end = false;
  while (position < size && !end) {
    int group[8] = {};
    int length = 8;
    for (int j = 0; j < 8;) {
      if (position >= size) return size - static_cast<size_t>(j);  // padding missing
      char c = input[position++];
      size_t remaining = size - position;
      if (c == '=' && j >= 2 && remaining < 8) {
        if (remaining + j < 7) return size;  // not enough padding
        for (size_t k = 0; k + 1 + j < 8; ++k)
          if (k < remaining && input[position + k] != '=') return position + k - 1;  // a byte after the padding (Go names the one before)
        length = j;
        end = true;
        if (length == 1 || length == 3 || length == 6) return position - 1;
        break;
      }
      int value = value_of(c);
      if (value < 0) return position - 1;
      group[j++] = value;
    }
    uint64_t bits = 0;
    for (int value : group) bits = (bits << 5) | static_cast<uint64_t>(value);
    static constexpr int kBytes[] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
    for (int i = 0; i < kBytes[length]; ++i) out += static_cast<char>((bits >> (32 - 8 * i)) & 0xFF);
  }
  return out;
}

std::string to_toml(const Value& value) {
  TomlWriter writer;
  try {
    writer.encode({}, value);
  } catch (const TomlError& problem) {
    return problem.message;  // Helm's toToml prints the encoder's error
  }
  return writer.out;
}

std::string sha256_hex(std::string_view data) { return digest_hex<Sha256>(data, 8); }
std::string sha1_hex(std::string_view data) { return digest_hex<Sha1>(data, 5); }
std::string sha512_hex(std::string_view data) { return sha512_digest_hex(data); }

uint32_t adler32(std::string_view data) {
  uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

}  // namespace shiftlint::helm
