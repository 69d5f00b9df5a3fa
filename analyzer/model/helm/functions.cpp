// The functions a Helm template can call: Go's builtins, the Sprig library Helm ships, and Helm's
// own (include, tpl, required, toYaml...). Random functions and `now` are deterministic, `lookup`
// finds nothing (there is no cluster), and nothing here reads the environment or the network.
//
// Arguments are converted leniently (a number where a string is expected is printed): a linter
// that renders a little more than Helm would is more useful than one that gives up.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/model/helm/aes.h"
#include "analyzer/model/helm/encoding.h"
#include "analyzer/model/helm/executor.h"
#include "analyzer/model/helm/go_time.h"
#include "analyzer/model/helm/semantic_version.h"
#include "analyzer/model/helm/toml_reader.h"

namespace shiftlint::helm {

namespace {

using Arguments = std::vector<Value>;

[[noreturn]] void error(std::string message) { throw FunctionError{std::move(message)}; }

void expect_count(const FunctionCall& call, size_t count) {
  if (call.arguments.size() != count)
    error(fmt::format("wrong number of args for {}: want {} got {}", call.name, count, call.arguments.size()));
}
void expect_at_least(const FunctionCall& call, size_t count) {
  if (call.arguments.size() < count)
    error(fmt::format("wrong number of args for {}: want at least {} got {}", call.name, count, call.arguments.size()));
}

// Sprig's strval / Go's conversion of an argument to a string parameter.
std::string to_text(const Value& value) {
  if (value.kind == ValueKind::String) return value.text;
  if (value.is_nil()) return "";
  return print_value(value);
}

std::optional<int64_t> parse_integer(std::string_view text) {
  std::string cleaned(text);
  // cast.ToInt trims a zero decimal ("3.0" is 3).
  if (size_t point = cleaned.find('.'); point != std::string::npos) {
    bool zeros = cleaned.find_first_not_of('0', point + 1) == std::string::npos;
    if (zeros) cleaned.erase(point);
  }
  if (cleaned.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(cleaned.c_str(), &end, 0);
  if (errno != 0 || end != cleaned.c_str() + cleaned.size()) return std::nullopt;
  return value;
}

// cast.ToInt64: strings are parsed (0 when they do not parse), floats truncated, bools 0/1.
int64_t to_integer(const Value& value) {
  switch (value.kind) {
    case ValueKind::Integer: return value.integer;
    case ValueKind::Float:
      if (std::isnan(value.real)) return 0;
      return static_cast<int64_t>(value.real);
    case ValueKind::Boolean: return value.boolean ? 1 : 0;
    case ValueKind::String: return parse_integer(value.text).value_or(0);
    default: return 0;
  }
}

double to_real(const Value& value) {
  switch (value.kind) {
    case ValueKind::Integer: return static_cast<double>(value.integer);
    case ValueKind::Float: return value.real;
    case ValueKind::Boolean: return value.boolean ? 1 : 0;
    case ValueKind::String: {
      char* end = nullptr;
      double real = std::strtod(value.text.c_str(), &end);
      return end == value.text.c_str() + value.text.size() ? real : 0;
    }
    default: return 0;
  }
}

// Sprig's list helpers accept any slice; nil is an empty list.
const ValueList& as_list(const Value& value, std::string_view function) {
  static const ValueList kEmpty;
  if (value.kind == ValueKind::List) return *value.list;
  if (value.is_nil()) return kEmpty;
  error(fmt::format("Cannot {} on type {}", function, type_name(value)));
}

ValueMap& as_map(const Value& value, std::string_view function) {
  if (value.kind == ValueKind::Map && value.map && !value.is_struct) return *value.map;
  error(fmt::format("{} expects a map, got {}", function, type_name(value)));
}

// A string result that keeps the values.yaml origin of the value it was made from.
Value derived_string(std::string text, const Value& from) { return Value::from_string(std::move(text), from.origin); }

// Where one argument landed in a string a function assembled from several.
struct Piece {
  size_t begin;
  size_t end;
  const Value* from;
};
using Pieces = std::vector<Piece>;

bool has_rendering(const Value& value) {
  return value.kind == ValueKind::String && value.rendering && value.rendering->text.size() == value.text.size();
}

// A string assembled from its arguments (`print $registry "/" $repository ":" $tag`, `printf`,
// `quote`) keeps each piece's source: the values node it was printed from, or the template lines
// of an included string. A finding on the printed scalar then names the last values line in it
// (the tag), as it does for `{{ .repository }}:{{ .tag }}` written in the template.
Value assembled_string(std::string text, const Pieces& pieces, const PlacedValues& placed) {
  const Node* origin = nullptr;
  bool located = false;
  for (const Piece& piece : pieces) {
    if (piece.from->origin) origin = placed.values_origin_of(piece.from->origin);
    located = located || piece.from->origin || has_rendering(*piece.from);
  }
  if (!located) return Value::from_string(std::move(text));
  auto rendering = std::make_shared<RenderedText>();
  std::string_view all(text);
  size_t position = 0;
  for (const Piece& piece : pieces) {
    if (piece.begin < position || piece.end > all.size()) continue;
    rendering->append_inserted(all.substr(position, piece.begin - position), nullptr, 0, 0, nullptr);
    std::string_view bytes = all.substr(piece.begin, piece.end - piece.begin);
    if (has_rendering(*piece.from) && bytes == piece.from->text) rendering->append(*piece.from->rendering);
    else rendering->append_inserted(bytes, nullptr, 0, 0, placed.values_origin_of(piece.from->origin));
    position = piece.end;
  }
  rendering->append_inserted(all.substr(position), nullptr, 0, 0, nullptr);
  Value result = Value::from_string(std::move(text), origin);
  result.rendering = std::move(rendering);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Comparison (Go's eq/ne/lt/le/gt/ge): values of different basic kinds cannot be compared,
// except nil with anything for eq/ne.

enum class BasicKind { Invalid, Boolean, Integer, Float, String, Other };

BasicKind basic_kind(const Value& value) {
  switch (value.kind) {
    case ValueKind::Nil: return BasicKind::Invalid;
    case ValueKind::Boolean: return BasicKind::Boolean;
    case ValueKind::Integer: return BasicKind::Integer;
    case ValueKind::Float: return BasicKind::Float;
    case ValueKind::String: return BasicKind::String;
    default: return BasicKind::Other;
  }
}

bool values_equal(const Value& a, const Value& b) {
  BasicKind ka = basic_kind(a), kb = basic_kind(b);
  if (ka != kb) {
    if (ka != BasicKind::Invalid && kb != BasicKind::Invalid) error("incompatible types for comparison");
    return false;
  }
  switch (ka) {
    case BasicKind::Invalid: return true;
    case BasicKind::Boolean: return a.boolean == b.boolean;
    case BasicKind::Integer: return a.integer == b.integer;
    case BasicKind::Float: return a.real == b.real;
    case BasicKind::String: return a.text == b.text;
    case BasicKind::Other:
      if (a.kind == ValueKind::Map || a.kind == ValueKind::List) error("non-comparable type");
      return a.object == b.object;
  }
  return false;
}

bool deep_equal(const Value& a, const Value& b, int depth = 0) {
  if (a.kind != b.kind) return false;
  if ((a.kind == ValueKind::List && a.list == b.list) || (a.kind == ValueKind::Map && a.map == b.map)) return true;
  if (depth > kMaxValueDepth) error(fmt::format("the values nest deeper than {} levels", kMaxValueDepth));
  switch (a.kind) {
    case ValueKind::Nil: return true;
    case ValueKind::Boolean: return a.boolean == b.boolean;
    case ValueKind::Integer: return a.integer == b.integer;
    case ValueKind::Float: return a.real == b.real;
    case ValueKind::String: return a.text == b.text;
    case ValueKind::List:
      if (a.list->size() != b.list->size()) return false;
      for (size_t i = 0; i < a.list->size(); ++i)
        if (!deep_equal((*a.list)[i], (*b.list)[i], depth + 1)) return false;
      return true;
    case ValueKind::Map:
      if (a.map->size() != b.map->size()) return false;
      for (const auto& [key, value] : *a.map) {
        const Value* other = b.find(key);
        if (!other || !deep_equal(value, *other, depth + 1)) return false;
      }
      return true;
    case ValueKind::Object: return a.object == b.object;
  }
  return false;
}

int compare_ordered(const Value& a, const Value& b) {
  BasicKind ka = basic_kind(a), kb = basic_kind(b);
  if (ka != kb) error("incompatible types for comparison");
  switch (ka) {
    case BasicKind::Integer: return a.integer < b.integer ? -1 : a.integer > b.integer;
    case BasicKind::Float: return a.real < b.real ? -1 : a.real > b.real;
    case BasicKind::String: return a.text.compare(b.text) < 0 ? -1 : a.text.compare(b.text) > 0;
    default: error("invalid type for comparison");
  }
}

Value eq(FunctionCall& call) {
  expect_at_least(call, 2);
  const Value& first = call.arguments[0];
  for (size_t i = 1; i < call.arguments.size(); ++i)
    if (values_equal(first, call.arguments[i])) return Value::from_bool(true);
  return Value::from_bool(false);
}
Value ne(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(!values_equal(call.arguments[0], call.arguments[1]));
}
Value lt(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(compare_ordered(call.arguments[0], call.arguments[1]) < 0);
}
Value le(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(compare_ordered(call.arguments[0], call.arguments[1]) <= 0);
}
Value gt(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(compare_ordered(call.arguments[0], call.arguments[1]) > 0);
}
Value ge(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(compare_ordered(call.arguments[0], call.arguments[1]) >= 0);
}

// ---------------------------------------------------------------------------------------------
// Go builtins

Value not_(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_bool(!is_true(call.arguments[0]));
}

Value len(FunctionCall& call) {
  expect_count(call, 1);
  const Value& value = call.arguments[0];
  switch (value.kind) {
    case ValueKind::String: return Value::from_int(static_cast<int64_t>(value.text.size()));
    case ValueKind::List: return Value::from_int(static_cast<int64_t>(value.list->size()));
    case ValueKind::Map: return Value::from_int(static_cast<int64_t>(value.map->size()));
    case ValueKind::Object:
      if (std::optional<ValueMap> entries = value.object->entries()) return Value::from_int(static_cast<int64_t>(entries->size()));
      error(fmt::format("len of type {}", type_name(value)));
    default: error(fmt::format("len of type {}", type_name(value)));
  }
}

Value index(FunctionCall& call) {
  expect_at_least(call, 1);
  Value current = call.arguments[0];
  for (size_t i = 1; i < call.arguments.size(); ++i) {
    const Value& key = call.arguments[i];
    if (current.kind == ValueKind::Map) {
      if (key.kind != ValueKind::String) error(fmt::format("value has type {}; should be string", type_name(key)));
      const Value* found = current.find(key.text);
      current = found ? *found : Value();
    } else if (current.kind == ValueKind::List || current.kind == ValueKind::String) {
      if (key.kind != ValueKind::Integer) error("cannot index slice/array with type " + type_name(key));
      int64_t size = current.kind == ValueKind::List ? static_cast<int64_t>(current.list->size())
                                                     : static_cast<int64_t>(current.text.size());
      if (key.integer < 0 || key.integer >= size) error(fmt::format("index out of range: {}", key.integer));
      current = current.kind == ValueKind::List ? (*current.list)[key.integer]
                                                : Value::from_int(static_cast<unsigned char>(current.text[key.integer]));
    } else if (current.is_nil()) {
      error("index of untyped nil");
    } else {
      error(fmt::format("can't index item of type {}", type_name(current)));
    }
  }
  return current;
}

Value slice(FunctionCall& call) {
  expect_at_least(call, 1);
  const Value& value = call.arguments[0];
  int64_t size = value.kind == ValueKind::List     ? static_cast<int64_t>(value.list->size())
                 : value.kind == ValueKind::String ? static_cast<int64_t>(value.text.size())
                                                   : -1;
  if (size < 0) error(fmt::format("can't slice item of type {}", type_name(value)));
  int64_t begin = call.arguments.size() > 1 ? to_integer(call.arguments[1]) : 0;
  int64_t end = call.arguments.size() > 2 ? to_integer(call.arguments[2]) : size;
  if (begin < 0 || end > size || begin > end) error(fmt::format("index out of range: {}", begin < 0 ? begin : end));
  if (value.kind == ValueKind::String) return derived_string(value.text.substr(begin, end - begin), value);
  return Value::from_list(ValueList(value.list->begin() + begin, value.list->begin() + end));
}

// Go's fmt.Sprint: spaces between operands when neither is a string.
std::string sprint(const Arguments& arguments, Pieces* pieces = nullptr) {
  std::string out;
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (i > 0 && arguments[i].kind != ValueKind::String && arguments[i - 1].kind != ValueKind::String) out += ' ';
    size_t begin = out.size();
    out += print_value(arguments[i]);
    if (pieces) pieces->push_back({begin, out.size(), &arguments[i]});
  }
  return out;
}

Value print(FunctionCall& call) {
  Pieces pieces;
  std::string text = sprint(call.arguments, &pieces);
  return assembled_string(std::move(text), pieces, call.executor.placed_values());
}

Value println(FunctionCall& call) {
  std::string out;
  for (size_t i = 0; i < call.arguments.size(); ++i) {
    if (i > 0) out += ' ';
    out += print_value(call.arguments[i]);
  }
  return Value::from_string(out + "\n");
}

std::string quote_go(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7F) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Go's fmt.Sprintf for the verbs templates use.
std::string sprintf(std::string_view format, const Arguments& arguments, size_t first, Pieces* pieces = nullptr) {
  std::string out;
  size_t next = first;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (++i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    std::string flags;
    while (i < format.size() && std::string_view("+-# 0").find(format[i]) != std::string_view::npos) flags += format[i++];
    int width = -1, precision = -1;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
      width = (width < 0 ? 0 : width * 10) + (format[i++] - '0');
    }
    if (i < format.size() && format[i] == '.') {
      ++i;
      precision = 0;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) precision = precision * 10 + (format[i++] - '0');
    }
    if (i >= format.size()) break;
    char verb = format[i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (next >= arguments.size()) {
      out += fmt::format("%!{}(MISSING)", verb);
      continue;
    }
    const Value& argument = arguments[next++];
    std::string piece;
    switch (verb) {
      case 'v':
        piece = flags.find('#') != std::string::npos && argument.kind == ValueKind::String ? quote_go(argument.text)
                                                                                            : print_value(argument);
        break;
      case 's':
        if (argument.kind == ValueKind::String || argument.kind == ValueKind::List || argument.kind == ValueKind::Map ||
            argument.kind == ValueKind::Object)
          piece = print_value(argument);
        else if (argument.is_nil()) piece = "%!s(<nil>)";
        else piece = fmt::format("%!s({}={})", type_name(argument), print_value(argument));
        if (precision >= 0 && piece.size() > static_cast<size_t>(precision)) piece.resize(precision);
        break;
      case 'q':
        if (argument.kind == ValueKind::String) piece = quote_go(argument.text);
        else if (argument.kind == ValueKind::Integer) piece = "'" + std::string(1, static_cast<char>(argument.integer)) + "'";
        else piece = fmt::format("%!q({}={})", type_name(argument), print_value(argument));
        break;
      case 'd':
        if (argument.kind == ValueKind::Integer) {
          piece = std::to_string(argument.integer);
          if (flags.find('+') != std::string::npos && argument.integer >= 0) piece = "+" + piece;
        } else {
          piece = argument.is_nil() ? "%!d(<nil>)" : fmt::format("%!d({}={})", type_name(argument), print_value(argument));
        }
        break;
      case 't':
        piece = argument.kind == ValueKind::Boolean ? (argument.boolean ? "true" : "false")
                                                     : fmt::format("%!t({}={})", type_name(argument), print_value(argument));
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'g':
        if (argument.kind == ValueKind::Float) {
          if (verb == 'g' && precision < 0) piece = format_float_shortest(argument.real);
          else if (verb == 'e') piece = fmt::format("{:.{}e}", argument.real, precision < 0 ? 6 : precision);
          else if (verb == 'g') piece = fmt::format("{:.{}g}", argument.real, precision);
          else piece = fmt::format("{:.{}f}", argument.real, precision < 0 ? 6 : precision);
        } else {
          piece = argument.is_nil() ? fmt::format("%!{}(<nil>)", verb)
                                    : fmt::format("%!{}({}={})", verb, type_name(argument), print_value(argument));
        }
        break;
      case 'x':
      case 'X':
        if (argument.kind == ValueKind::Integer) piece = verb == 'x' ? fmt::format("{:x}", argument.integer) : fmt::format("{:X}", argument.integer);
        else if (argument.kind == ValueKind::String) {
          for (unsigned char ch : argument.text) piece += verb == 'x' ? fmt::format("{:02x}", ch) : fmt::format("{:02X}", ch);
        } else piece = fmt::format("%!{}({}={})", verb, type_name(argument), print_value(argument));
        break;
      case 'o':
        piece = argument.kind == ValueKind::Integer ? fmt::format("{:o}", argument.integer) : print_value(argument);
        break;
      case 'c':
        piece = argument.kind == ValueKind::Integer ? std::string(1, static_cast<char>(argument.integer)) : print_value(argument);
        break;
      case 'T': piece = type_name(argument); break;
      default: piece = fmt::format("%!{}({}={})", verb, type_name(argument), print_value(argument));
    }
    if (width > 0 && piece.size() < static_cast<size_t>(width)) {
      bool left = flags.find('-') != std::string::npos;
      bool zero = flags.find('0') != std::string::npos && !left && verb != 's' && verb != 'v' && verb != 'q';
      std::string padding(width - piece.size(), zero ? '0' : ' ');
      if (left) piece += padding;
      else if (zero && !piece.empty() && (piece[0] == '-' || piece[0] == '+')) piece = piece[0] + padding + piece.substr(1);
      else piece = padding + piece;
    }
    if (pieces) pieces->push_back({out.size(), out.size() + piece.size(), &argument});
    out += piece;
  }
  if (next < arguments.size()) {
    out += "%!(EXTRA ";
    for (size_t k = next; k < arguments.size(); ++k) {
      if (k > next) out += ", ";
      out += type_name(arguments[k]) + "=" + print_value(arguments[k]);
    }
    out += ")";
  }
  return out;
}

Value printf(FunctionCall& call) {
  expect_at_least(call, 1);
  Pieces pieces;
  std::string text = sprintf(to_text(call.arguments[0]), call.arguments, 1, &pieces);
  return assembled_string(std::move(text), pieces, call.executor.placed_values());
}

Value html(FunctionCall& call) {
  std::string text = sprint(call.arguments), out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      case '\0': out += "\uFFFD"; break;
      default: out += c;
    }
  }
  return Value::from_string(out);
}

Value js(FunctionCall& call) {
  std::string text = sprint(call.arguments), out;
  for (unsigned char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '"': out += "\\\""; break;
      case '<': out += "\\u003C"; break;
      case '>': out += "\\u003E"; break;
      case '&': out += "\\u0026"; break;
      case '=': out += "\\u003D"; break;
      case '\n': out += "\\u000A"; break;
      case '\r': out += "\\u000D"; break;
      case '\t': out += "\\u0009"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04X}", c);
        else out += static_cast<char>(c);
    }
  }
  return Value::from_string(out);
}

std::string query_escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else if (c == ' ') out += '+';
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

Value urlquery(FunctionCall& call) { return Value::from_string(query_escape(sprint(call.arguments))); }

// ---------------------------------------------------------------------------------------------
// Strings

std::string_view trim_set(std::string_view text, std::string_view set) {
  size_t begin = text.find_first_not_of(set);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(set);
  return text.substr(begin, end - begin + 1);
}

constexpr std::string_view kUnicodeSpace = " \t\n\v\f\r";

// A string function whose result is a piece of its input keeps the input's source map.
Value sliced_string(const Value& from, size_t begin, size_t end) {
  Value result = derived_string(from.text.substr(begin, end - begin), from);
  if (from.rendering && from.rendering->text.size() == from.text.size())
    result.rendering = std::make_shared<RenderedText>(from.rendering->slice(begin, end));
  return result;
}

Value trim(FunctionCall& call) {
  expect_count(call, 1);
  const Value& value = call.arguments[0];
  if (value.kind != ValueKind::String) return Value::from_string(std::string(trim_set(to_text(value), kUnicodeSpace)));
  std::string_view trimmed = trim_set(value.text, kUnicodeSpace);
  if (trimmed.empty()) return Value::from_string("");
  size_t begin = trimmed.data() - value.text.data();
  return sliced_string(value, begin, begin + trimmed.size());
}

Value trimAll(FunctionCall& call) {
  expect_count(call, 2);
  return derived_string(std::string(trim_set(to_text(call.arguments[1]), to_text(call.arguments[0]))), call.arguments[1]);
}

Value trimPrefix(FunctionCall& call) {
  expect_count(call, 2);
  std::string prefix = to_text(call.arguments[0]);
  const Value& value = call.arguments[1];
  std::string text = to_text(value);
  if (!text.starts_with(prefix)) return value.kind == ValueKind::String ? value : Value::from_string(text);
  if (value.kind == ValueKind::String) return sliced_string(value, prefix.size(), text.size());
  return Value::from_string(text.substr(prefix.size()));
}

Value trimSuffix(FunctionCall& call) {
  expect_count(call, 2);
  std::string suffix = to_text(call.arguments[0]);
  const Value& value = call.arguments[1];
  std::string text = to_text(value);
  if (!text.ends_with(suffix)) return value.kind == ValueKind::String ? value : Value::from_string(text);
  if (value.kind == ValueKind::String) return sliced_string(value, 0, text.size() - suffix.size());
  return Value::from_string(text.substr(0, text.size() - suffix.size()));
}

Value upper(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_text(call.arguments[0]);
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return derived_string(text, call.arguments[0]);
}

Value lower(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_text(call.arguments[0]);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return derived_string(text, call.arguments[0]);
}

Value title(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_text(call.arguments[0]);
  bool start = true;
  for (char& c : text) {
    if (start && std::isalpha(static_cast<unsigned char>(c))) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = std::isspace(static_cast<unsigned char>(c)) != 0;
  }
  return derived_string(text, call.arguments[0]);
}

Value untitle(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_text(call.arguments[0]);
  bool start = true;
  for (char& c : text) {
    if (start) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    start = std::isspace(static_cast<unsigned char>(c)) != 0;
  }
  return derived_string(text, call.arguments[0]);
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool separator = c == '_' || c == '-' || c == ' ' || c == '.';
    bool boundary = std::isupper(static_cast<unsigned char>(c)) && !current.empty() &&
                    !std::isupper(static_cast<unsigned char>(current.back()));
    if (separator || boundary) {
      if (!current.empty()) words.push_back(current);
      current.clear();
      if (separator) continue;
    }
    current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!current.empty()) words.push_back(current);
  return words;
}

Value snakecase(FunctionCall& call) {
  expect_count(call, 1);
  std::string out;
  for (const std::string& word : words_of(to_text(call.arguments[0]))) out += (out.empty() ? "" : "_") + word;
  return Value::from_string(out);
}

Value kebabcase(FunctionCall& call) {
  expect_count(call, 1);
  std::string out;
  for (const std::string& word : words_of(to_text(call.arguments[0]))) out += (out.empty() ? "" : "-") + word;
  return Value::from_string(out);
}

Value camelcase(FunctionCall& call) {
  expect_count(call, 1);
  std::string out;
  for (std::string word : words_of(to_text(call.arguments[0]))) {
    word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    out += word;
  }
  return Value::from_string(out);
}

Value replace(FunctionCall& call) {
  expect_count(call, 3);
  std::string from = to_text(call.arguments[0]), to = to_text(call.arguments[1]), text = to_text(call.arguments[2]);
  if (from.empty()) return derived_string(text, call.arguments[2]);
  std::string out;
  size_t start = 0;
  while (true) {
    size_t found = text.find(from, start);
    if (found == std::string::npos) break;
    out.append(text, start, found - start);
    out += to;
    start = found + from.size();
    call.executor.check_size(out.size());
  }
  out.append(text, start);
  return derived_string(out, call.arguments[2]);
}

Value repeat(FunctionCall& call) {
  expect_count(call, 2);
  int64_t count = to_integer(call.arguments[0]);
  std::string text = to_text(call.arguments[1]);
  if (count < 0) error("negative Repeat count");
  call.executor.check_size(static_cast<size_t>(count) * text.size());
  std::string out;
  for (int64_t i = 0; i < count; ++i) out += text;
  return Value::from_string(out);
}

Value substr(FunctionCall& call) {
  expect_count(call, 3);
  int64_t begin = to_integer(call.arguments[0]), end = to_integer(call.arguments[1]);
  std::string text = to_text(call.arguments[2]);
  int64_t size = static_cast<int64_t>(text.size());
  if (begin < 0) return Value::from_string(text.substr(0, std::clamp<int64_t>(end, 0, size)));
  if (end < 0 || end > size) return Value::from_string(begin < size ? text.substr(begin) : "");
  if (begin > end) return Value::from_string("");
  return Value::from_string(text.substr(begin, end - begin));
}

Value trunc(FunctionCall& call) {
  expect_count(call, 2);
  int64_t length = to_integer(call.arguments[0]);
  const Value& value = call.arguments[1];
  std::string text = to_text(value);
  int64_t size = static_cast<int64_t>(text.size());
  if (length < 0 && size + length > 0) return derived_string(text.substr(size + length), value);
  if (length >= 0 && size > length) {
    if (value.kind == ValueKind::String) return sliced_string(value, 0, length);
    return Value::from_string(text.substr(0, length));
  }
  return value.kind == ValueKind::String ? value : Value::from_string(text);
}

Value nospace(FunctionCall& call) {
  expect_count(call, 1);
  std::string out;
  for (char c : to_text(call.arguments[0]))
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return Value::from_string(out);
}

Value contains(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(to_text(call.arguments[1]).find(to_text(call.arguments[0])) != std::string::npos);
}

Value hasPrefix(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(to_text(call.arguments[1]).starts_with(to_text(call.arguments[0])));
}

Value hasSuffix(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(to_text(call.arguments[1]).ends_with(to_text(call.arguments[0])));
}

// Sprig's quote/squote: each non-nil argument quoted (Go %q), joined by spaces.
// An argument that needs no escaping keeps its source inside the quotes (`{{ include "x.image" . | quote }}`).
Value quote(FunctionCall& call) {
  std::string out;
  Pieces pieces;
  for (const Value& argument : call.arguments) {
    if (argument.is_nil()) continue;
    if (!out.empty()) out += ' ';
    std::string text = to_text(argument);
    std::string quoted = quote_go(text);
    bool plain = quoted.size() == text.size() + 2;
    size_t begin = out.size() + (plain ? 1 : 0);
    out += quoted;
    pieces.push_back({begin, plain ? begin + text.size() : out.size(), &argument});
  }
  return assembled_string(std::move(out), pieces, call.executor.placed_values());
}

Value squote(FunctionCall& call) {
  std::string out;
  Pieces pieces;
  for (const Value& argument : call.arguments) {
    if (argument.is_nil()) continue;
    if (!out.empty()) out += ' ';
    std::string text = to_text(argument);
    pieces.push_back({out.size() + 1, out.size() + 1 + text.size(), &argument});
    out += "'" + text + "'";
  }
  return assembled_string(std::move(out), pieces, call.executor.placed_values());
}

Value cat(FunctionCall& call) {
  std::string out;
  for (const Value& argument : call.arguments) {
    if (argument.is_nil()) continue;
    if (!out.empty()) out += ' ';
    out += to_text(argument);
  }
  return Value::from_string(out);
}

Value indent_value(const Value& value, int64_t spaces, bool newline_first, Executor& executor) {
  if (spaces < 0) spaces = 0;
  executor.check_size(static_cast<size_t>(spaces));
  std::string prefix(static_cast<size_t>(spaces), ' ');
  std::string text = to_text(value);
  std::string out = newline_first ? "\n" + prefix : prefix;
  for (char c : text) {
    out += c;
    if (c == '\n') out += prefix;
  }
  executor.check_size(out.size());
  Value result = derived_string(out, value);
  if (value.kind == ValueKind::String && value.rendering && value.rendering->text.size() == value.text.size()) {
    RenderedText indented = indent_rendered(*value.rendering, prefix, true);
    if (newline_first) {
      RenderedText with_newline;
      RenderedText::Place place = value.rendering->place_of(0);
      with_newline.append_inserted("\n", place.file, static_cast<uint32_t>(place.file_offset),
                                   static_cast<uint32_t>(place.file_offset), nullptr);
      with_newline.append(indented);
      indented = std::move(with_newline);
    }
    if (indented.text == out) result.rendering = std::make_shared<RenderedText>(std::move(indented));
  }
  return result;
}

Value indent(FunctionCall& call) {
  expect_count(call, 2);
  return indent_value(call.arguments[1], to_integer(call.arguments[0]), false, call.executor);
}

Value nindent(FunctionCall& call) {
  expect_count(call, 2);
  return indent_value(call.arguments[1], to_integer(call.arguments[0]), true, call.executor);
}

// goutils.WrapCustom, which Sprig's wrap (a line break, long words kept whole) and wrapWith (a
// given separator, long words cut) call: each line ends at its last space within `width`.
std::string wrap_custom(const std::string& text, int64_t width, std::string separator, bool cut_long_words) {
  if (text.empty()) return "";
  if (separator.empty()) separator = "\n";
  size_t length = static_cast<size_t>(std::max<int64_t>(width, 1));
  size_t offset = 0;
  std::string out;
  while (text.size() - offset > length) {
    if (text[offset] == ' ') {
      ++offset;
      continue;
    }
    size_t space = text.substr(offset, length + 1).rfind(' ');
    if (space != std::string::npos) {
      out.append(text, offset, space);
      out += separator;
      offset += space + 1;
    } else if (cut_long_words) {
      out.append(text, offset, length);
      out += separator;
      offset += length;
    } else {
      size_t next = text.find(' ', offset + length);
      if (next == std::string::npos) {
        out.append(text, offset);
        offset = text.size();
      } else {
        out.append(text, offset, next - offset);
        out += separator;
        offset = next + 1;
      }
    }
  }
  out.append(text, offset);
  return out;
}

Value wrap(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_string(wrap_custom(to_text(call.arguments[1]), to_integer(call.arguments[0]), "", false));
}

Value wrapWith(FunctionCall& call) {
  expect_count(call, 3);
  std::string separator = to_text(call.arguments[1]);
  std::string text = to_text(call.arguments[2]);
  call.executor.check_size(text.size() * (separator.size() + 1));
  return Value::from_string(wrap_custom(text, to_integer(call.arguments[0]), separator, true));
}

// goutils.AbbreviateFull: `width` characters at most, with "..." where text was left out, the
// kept part starting near `offset`. Its errors (a width under 4, or under 7 with an offset) are "".
std::string abbreviate_full(const std::string& text, int64_t offset, int64_t width) {
  int64_t size = static_cast<int64_t>(text.size());
  if (text.empty() || width < 4) return "";
  if (size <= width) return text;
  offset = std::clamp<int64_t>(offset, 0, size);  // a negative offset acts as 0
  if (size - offset < width - 3) offset = size - (width - 3);
  if (offset <= 4) return text.substr(0, width - 3) + "...";
  if (width < 7) return "";
  if (offset + width - 3 < size) return "..." + abbreviate_full(text.substr(offset), 0, width - 3);
  return "..." + text.substr(size - (width - 3));
}

Value abbrevboth(FunctionCall& call) {
  expect_count(call, 3);
  int64_t left = to_integer(call.arguments[0]), right = to_integer(call.arguments[1]);
  std::string text = to_text(call.arguments[2]);
  if (right < 4 || (left > 0 && right < 7)) return Value::from_string(text);
  return Value::from_string(abbreviate_full(text, left, right));
}

// goutils.SwapCase for ASCII letters (as upper and lower here): other bytes are kept.
Value swapcase(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_text(call.arguments[0]);
  for (char& c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (std::isupper(byte)) c = static_cast<char>(std::tolower(byte));
    else if (std::islower(byte)) c = static_cast<char>(std::toupper(byte));
  }
  return derived_string(text, call.arguments[0]);
}

Value abbrev(FunctionCall& call) {
  expect_count(call, 2);
  int64_t width = to_integer(call.arguments[0]);
  std::string text = to_text(call.arguments[1]);
  if (width < 4 || static_cast<int64_t>(text.size()) <= width) return Value::from_string(text);
  return Value::from_string(text.substr(0, width - 3) + "...");
}

Value plural(FunctionCall& call) {
  expect_count(call, 3);
  return to_integer(call.arguments[2]) == 1 ? Value::from_string(to_text(call.arguments[0]))
                                            : Value::from_string(to_text(call.arguments[1]));
}

Value initials(FunctionCall& call) {
  expect_count(call, 1);
  std::string out;
  bool start = true;
  for (char c : to_text(call.arguments[0])) {
    if (start && !std::isspace(static_cast<unsigned char>(c))) out += c;
    start = std::isspace(static_cast<unsigned char>(c)) != 0;
  }
  return Value::from_string(out);
}

Value splitList(FunctionCall& call) {
  expect_count(call, 2);
  std::string separator = to_text(call.arguments[0]), text = to_text(call.arguments[1]);
  ValueList items;
  if (separator.empty()) {
    for (char c : text) items.push_back(Value::from_string(std::string(1, c)));
    return Value::from_list(std::move(items));
  }
  size_t start = 0;
  while (true) {
    size_t found = text.find(separator, start);
    items.push_back(Value::from_string(text.substr(start, found == std::string::npos ? std::string::npos : found - start)));
    if (found == std::string::npos) break;
    start = found + separator.size();
  }
  return Value::from_list(std::move(items));
}

// Sprig's split: a dict {_0: ..., _1: ...}.
Value split_to_map(std::string_view separator, const std::string& text, int64_t limit) {
  Value result = Value::new_map();
  size_t start = 0;
  int64_t count = 0;
  while (true) {
    size_t found = separator.empty() ? std::string::npos : text.find(separator, start);
    if (limit > 0 && count + 1 >= limit) found = std::string::npos;
    (*result.map)["_" + std::to_string(count++)] =
        Value::from_string(text.substr(start, found == std::string::npos ? std::string::npos : found - start));
    if (found == std::string::npos) break;
    start = found + separator.size();
  }
  return result;
}

Value split(FunctionCall& call) {
  expect_count(call, 2);
  return split_to_map(to_text(call.arguments[0]), to_text(call.arguments[1]), -1);
}

Value splitn(FunctionCall& call) {
  expect_count(call, 3);
  return split_to_map(to_text(call.arguments[0]), to_text(call.arguments[2]), to_integer(call.arguments[1]));
}

Value join(FunctionCall& call) {
  expect_count(call, 2);
  std::string separator = to_text(call.arguments[0]), out;
  const Value& items = call.arguments[1];
  if (items.kind == ValueKind::String) return items;
  bool first = true;
  for (const Value& item : as_list(items, "join")) {
    if (!first) out += separator;
    first = false;
    out += item.is_nil() ? "" : to_text(item);
  }
  return Value::from_string(out);
}

Value toString(FunctionCall& call) {
  expect_count(call, 1);
  const Value& value = call.arguments[0];
  if (value.kind == ValueKind::String) return value;
  return derived_string(value.is_nil() ? "<nil>" : print_value(value), value);
}

Value toStrings(FunctionCall& call) {
  expect_count(call, 1);
  ValueList items;
  for (const Value& item : as_list(call.arguments[0], "toStrings"))
    items.push_back(Value::from_string(item.is_nil() ? "<nil>" : to_text(item)));
  return Value::from_list(std::move(items));
}

// ---------------------------------------------------------------------------------------------
// Regular expressions (Go's regexp is RE2)

std::unique_ptr<RE2> compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(pattern, options);
  if (!regex->ok()) error(fmt::format("error parsing regexp: {}", regex->error()));
  return regex;
}

Value regexMatch(FunctionCall& call) {
  expect_count(call, 2);
  auto regex = compile(to_text(call.arguments[0]));
  return Value::from_bool(RE2::PartialMatch(to_text(call.arguments[1]), *regex));
}

Value regexFind(FunctionCall& call) {
  expect_count(call, 2);
  auto regex = compile(to_text(call.arguments[0]));
  std::string text = to_text(call.arguments[1]);
  re2::StringPiece match;
  if (!regex->Match(text, 0, text.size(), RE2::UNANCHORED, &match, 1)) return Value::from_string("");
  return Value::from_string(std::string(match.data(), match.size()));
}

Value regexFindAll(FunctionCall& call) {
  expect_count(call, 3);
  auto regex = compile(to_text(call.arguments[0]));
  std::string text = to_text(call.arguments[1]);
  int64_t limit = to_integer(call.arguments[2]);
  ValueList items;
  size_t position = 0;
  re2::StringPiece match;
  while (position <= text.size() && (limit < 0 || static_cast<int64_t>(items.size()) < limit) &&
         regex->Match(text, position, text.size(), RE2::UNANCHORED, &match, 1)) {
    items.push_back(Value::from_string(std::string(match.data(), match.size())));
    size_t end = match.data() - text.data() + match.size();
    position = match.empty() ? end + 1 : end;
  }
  return Value::from_list(std::move(items));
}

// Go's Regexp.ReplaceAllString: $1, ${name} in the replacement (literal when `literal`).
std::string replace_all(const RE2& regex, const std::string& text, const std::string& replacement, bool literal,
                        Executor& executor) {
  std::string out;
  size_t position = 0;
  int groups = regex.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> match(groups + 1);
  size_t last_end = 0;
  while (position <= text.size() && regex.Match(text, position, text.size(), RE2::UNANCHORED, match.data(), groups + 1)) {
    size_t begin = match[0].data() - text.data();
    size_t end = begin + match[0].size();
    out.append(text, last_end, begin - last_end);
    if (literal) {
      out += replacement;
    } else {
      for (size_t i = 0; i < replacement.size(); ++i) {
        if (replacement[i] != '$' || i + 1 >= replacement.size()) {
          out += replacement[i];
          continue;
        }
        size_t j = i + 1;
        std::string name;
        if (replacement[j] == '{') {
          size_t close = replacement.find('}', j);
          if (close == std::string::npos) {
            out += '$';
            continue;
          }
          name = replacement.substr(j + 1, close - j - 1);
          i = close;
        } else if (replacement[j] == '$') {
          out += '$';
          i = j;
          continue;
        } else {
          while (j < replacement.size() && (std::isalnum(static_cast<unsigned char>(replacement[j])) || replacement[j] == '_')) ++j;
          name = replacement.substr(i + 1, j - i - 1);
          i = j - 1;
        }
        int group = -1;
        if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
          group = std::atoi(name.c_str());
        else if (auto found = regex.NamedCapturingGroups().find(name); found != regex.NamedCapturingGroups().end())
          group = found->second;
        if (group >= 0 && group <= groups) out.append(match[group].data(), match[group].size());
      }
    }
    executor.check_size(out.size());
    last_end = end;
    if (end == begin) {
      if (end < text.size()) out += text[end];
      last_end = end + 1;
      position = end + 1;
    } else {
      position = end;
    }
  }
  if (last_end < text.size()) out.append(text, last_end);
  return out;
}

Value regexReplaceAll(FunctionCall& call) {
  expect_count(call, 3);
  auto regex = compile(to_text(call.arguments[0]));
  return derived_string(replace_all(*regex, to_text(call.arguments[1]), to_text(call.arguments[2]), false, call.executor),
                        call.arguments[1]);
}

Value regexReplaceAllLiteral(FunctionCall& call) {
  expect_count(call, 3);
  auto regex = compile(to_text(call.arguments[0]));
  return derived_string(replace_all(*regex, to_text(call.arguments[1]), to_text(call.arguments[2]), true, call.executor),
                        call.arguments[1]);
}

Value regexSplit(FunctionCall& call) {
  expect_count(call, 3);
  auto regex = compile(to_text(call.arguments[0]));
  std::string text = to_text(call.arguments[1]);
  int64_t limit = to_integer(call.arguments[2]);
  ValueList items;
  size_t start = 0, position = 0;
  re2::StringPiece match;
  while ((limit < 0 || static_cast<int64_t>(items.size()) + 1 < limit) && position <= text.size() &&
         regex->Match(text, position, text.size(), RE2::UNANCHORED, &match, 1)) {
    size_t begin = match.data() - text.data();
    if (match.empty()) {
      position = begin + 1;
      if (begin == 0 || begin >= text.size()) continue;
    } else {
      position = begin + match.size();
    }
    items.push_back(Value::from_string(text.substr(start, begin - start)));
    start = begin + match.size();
  }
  items.push_back(Value::from_string(text.substr(std::min(start, text.size()))));
  return Value::from_list(std::move(items));
}

Value regexQuoteMeta(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(RE2::QuoteMeta(to_text(call.arguments[0])));
}

// ---------------------------------------------------------------------------------------------
// Defaults, conversion, types

// Sprig's empty: zero values, empty collections, nil.
bool is_empty(const Value& value) { return !is_true(value); }

Value default_(FunctionCall& call) {
  expect_at_least(call, 1);
  if (call.arguments.size() == 1) return call.arguments[0];  // `default "x"` with nothing piped: nil given
  const Value& given = call.arguments.back();
  return is_empty(given) ? call.arguments[0] : given;
}

Value empty(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_bool(is_empty(call.arguments[0]));
}

Value coalesce(FunctionCall& call) {
  for (const Value& argument : call.arguments)
    if (!is_empty(argument)) return argument;
  return {};
}

Value all(FunctionCall& call) {
  for (const Value& argument : call.arguments)
    if (is_empty(argument)) return Value::from_bool(false);
  return Value::from_bool(true);
}

Value any(FunctionCall& call) {
  for (const Value& argument : call.arguments)
    if (!is_empty(argument)) return Value::from_bool(true);
  return Value::from_bool(false);
}

Value ternary(FunctionCall& call) {
  expect_count(call, 3);
  return is_true(call.arguments[2]) ? call.arguments[0] : call.arguments[1];
}

Value atoi(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_int(parse_integer(to_text(call.arguments[0])).value_or(0));
}

Value int_(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_int(to_integer(call.arguments[0]));
}

Value int64_(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_int64(to_integer(call.arguments[0]));
}

Value float64(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_float(to_real(call.arguments[0]));
}

Value toDecimal(FunctionCall& call) {
  expect_count(call, 1);
  char* end = nullptr;
  std::string text = to_text(call.arguments[0]);
  long long value = std::strtoll(text.c_str(), &end, 8);
  return Value::from_int64(end == text.c_str() + text.size() ? value : 0);
}

Value kindOf(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(kind_name(call.arguments[0]));
}

Value kindIs(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(kind_name(call.arguments[1]) == to_text(call.arguments[0]));
}

Value typeOf(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(type_name(call.arguments[0]));
}

Value typeIs(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(type_name(call.arguments[1]) == to_text(call.arguments[0]));
}

Value typeIsLike(FunctionCall& call) {
  expect_count(call, 2);
  std::string wanted = to_text(call.arguments[0]), type = type_name(call.arguments[1]);
  return Value::from_bool(type == wanted || "*" + type == wanted);
}

Value deepEqual(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_bool(deep_equal(call.arguments[0], call.arguments[1]));
}

// ---------------------------------------------------------------------------------------------
// Lists

Value list(FunctionCall& call) { return Value::from_list(call.arguments); }

Value append(FunctionCall& call) {
  expect_count(call, 2);
  ValueList items = as_list(call.arguments[0], "append");
  items.push_back(call.arguments[1]);
  call.executor.check_size(items.size());
  return Value::from_list(std::move(items));
}

Value prepend(FunctionCall& call) {
  expect_count(call, 2);
  ValueList items;
  items.push_back(call.arguments[1]);
  const ValueList& rest = as_list(call.arguments[0], "prepend");
  items.insert(items.end(), rest.begin(), rest.end());
  return Value::from_list(std::move(items));
}

Value first(FunctionCall& call) {
  expect_count(call, 1);
  const ValueList& items = as_list(call.arguments[0], "first");
  return items.empty() ? Value() : items.front();
}

Value last(FunctionCall& call) {
  expect_count(call, 1);
  const ValueList& items = as_list(call.arguments[0], "last");
  return items.empty() ? Value() : items.back();
}

Value rest(FunctionCall& call) {
  expect_count(call, 1);
  const ValueList& items = as_list(call.arguments[0], "rest");
  if (items.empty()) return {};
  return Value::from_list(ValueList(items.begin() + 1, items.end()));
}

Value initial(FunctionCall& call) {
  expect_count(call, 1);
  const ValueList& items = as_list(call.arguments[0], "initial");
  if (items.empty()) return {};
  return Value::from_list(ValueList(items.begin(), items.end() - 1));
}

bool list_contains(const ValueList& items, const Value& needle) {
  return std::any_of(items.begin(), items.end(), [&](const Value& item) { return deep_equal(item, needle); });
}

Value uniq(FunctionCall& call) {
  expect_count(call, 1);
  ValueList items;
  for (const Value& item : as_list(call.arguments[0], "uniq"))
    if (!list_contains(items, item)) items.push_back(item);
  return Value::from_list(std::move(items));
}

Value has(FunctionCall& call) {
  expect_count(call, 2);
  if (call.arguments[1].is_nil()) return Value::from_bool(false);
  return Value::from_bool(list_contains(as_list(call.arguments[1], "has"), call.arguments[0]));
}

Value without(FunctionCall& call) {
  expect_at_least(call, 1);
  ValueList removed(call.arguments.begin() + 1, call.arguments.end());
  ValueList items;
  for (const Value& item : as_list(call.arguments[0], "without"))
    if (!list_contains(removed, item)) items.push_back(item);
  return Value::from_list(std::move(items));
}

Value compact(FunctionCall& call) {
  expect_count(call, 1);
  ValueList items;
  for (const Value& item : as_list(call.arguments[0], "compact"))
    if (!is_empty(item)) items.push_back(item);
  return Value::from_list(std::move(items));
}

Value concat(FunctionCall& call) {
  ValueList items;
  for (const Value& argument : call.arguments) {
    const ValueList& part = as_list(argument, "concat");
    items.insert(items.end(), part.begin(), part.end());
    call.executor.check_size(items.size());
  }
  return Value::from_list(std::move(items));
}

Value sortAlpha(FunctionCall& call) {
  expect_count(call, 1);
  ValueList items;
  for (const Value& item : as_list(call.arguments[0], "sortAlpha")) items.push_back(Value::from_string(to_text(item)));
  std::sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return a.text < b.text; });
  return Value::from_list(std::move(items));
}

Value reverse(FunctionCall& call) {
  expect_count(call, 1);
  ValueList items = as_list(call.arguments[0], "reverse");
  std::reverse(items.begin(), items.end());
  return Value::from_list(std::move(items));
}

// Sprig's chunk: lists of `size` items, the last one shorter.
Value chunk(FunctionCall& call) {
  expect_count(call, 2);
  int64_t size = to_integer(call.arguments[0]);
  const Value& list = call.arguments[1];
  if (list.kind != ValueKind::List) error(fmt::format("Cannot chunk type {}", kind_name(list)));
  // Go's make fails for the count a size under 1 gives.
  if (size < 1 && !list.list->empty()) error("runtime error: makeslice: len out of range");
  ValueList chunks;
  for (size_t begin = 0; begin < list.list->size(); begin += static_cast<size_t>(size)) {
    size_t end = std::min(list.list->size(), begin + static_cast<size_t>(size));
    chunks.push_back(Value::from_list(ValueList(list.list->begin() + begin, list.list->begin() + end)));
  }
  return Value::from_list(std::move(chunks));
}

Value make_range(int64_t start, int64_t stop, int64_t step, Executor& executor) {
  ValueList items;
  if (step == 0) return Value::from_list(std::move(items));
  int64_t count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                           : (start > stop ? (start - stop - step - 1) / -step : 0);
  if (static_cast<uint64_t>(count) > executor.limits().max_collection_size)
    error(fmt::format("a list of {} items is over the limit of {}", count, executor.limits().max_collection_size));
  for (int64_t value = start; step > 0 ? value < stop : value > stop; value += step) items.push_back(Value::from_int(value));
  return Value::from_list(std::move(items));
}

Value until(FunctionCall& call) {
  expect_count(call, 1);
  int64_t count = to_integer(call.arguments[0]);
  return make_range(0, count, count >= 0 ? 1 : -1, call.executor);
}

Value untilStep(FunctionCall& call) {
  expect_count(call, 3);
  return make_range(to_integer(call.arguments[0]), to_integer(call.arguments[1]), to_integer(call.arguments[2]),
                    call.executor);
}

Value seq(FunctionCall& call) {
  std::vector<int64_t> numbers;
  for (const Value& argument : call.arguments) numbers.push_back(to_integer(argument));
  int64_t start = 1, step = 1, end = 0;
  if (numbers.size() == 1) end = numbers[0];
  else if (numbers.size() == 2) start = numbers[0], end = numbers[1], step = start <= end ? 1 : -1;
  else if (numbers.size() == 3) start = numbers[0], step = numbers[1], end = numbers[2];
  else return Value::from_string("");
  if (numbers.size() == 1 && end < 1) step = -1;
  if (step == 0) return Value::from_string("");
  Value range = make_range(start, step > 0 ? end + 1 : end - 1, step, call.executor);
  std::string out;
  for (const Value& item : *range.list) out += (out.empty() ? "" : " ") + std::to_string(item.integer);
  return Value::from_string(out);
}

Value shuffle(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(to_text(call.arguments[0]));  // deterministic: unchanged
}

// ---------------------------------------------------------------------------------------------
// Dicts

Value dict(FunctionCall& call) {
  Value result = Value::new_map();
  for (size_t i = 0; i < call.arguments.size(); i += 2) {
    std::string key = to_text(call.arguments[i]);
    (*result.map)[key] = i + 1 < call.arguments.size() ? call.arguments[i + 1] : Value::from_string("");
  }
  return result;
}

Value get(FunctionCall& call) {
  expect_count(call, 2);
  const Value* found = call.arguments[0].find(to_text(call.arguments[1]));
  return found ? *found : Value::from_string("");
}

Value set(FunctionCall& call) {
  expect_count(call, 3);
  ValueMap& map = as_map(call.arguments[0], "set");
  // Go would keep the cycle and hang or crash on the first walk over it (toYaml, printing).
  if (reaches(call.arguments[2], call.arguments[0]))
    error("the value contains the dict itself; a dict that contains itself cannot be rendered");
  map[to_text(call.arguments[1])] = call.arguments[2];
  return call.arguments[0];
}

Value unset(FunctionCall& call) {
  expect_count(call, 2);
  as_map(call.arguments[0], "unset").erase(to_text(call.arguments[1]));
  return call.arguments[0];
}

Value hasKey(FunctionCall& call) {
  expect_count(call, 2);
  if (call.arguments[0].is_nil()) return Value::from_bool(false);
  return Value::from_bool(as_map(call.arguments[0], "hasKey").count(to_text(call.arguments[1])) > 0);
}

Value keys(FunctionCall& call) {
  ValueList items;
  for (const Value& argument : call.arguments)
    for (const auto& [key, value] : as_map(argument, "keys")) items.push_back(Value::from_string(key));
  return Value::from_list(std::move(items));
}

Value values(FunctionCall& call) {
  expect_count(call, 1);
  ValueList items;
  for (const auto& [key, value] : as_map(call.arguments[0], "values")) items.push_back(value);
  return Value::from_list(std::move(items));
}

Value pick(FunctionCall& call) {
  expect_at_least(call, 1);
  Value result = Value::new_map();
  ValueMap& source = as_map(call.arguments[0], "pick");
  for (size_t i = 1; i < call.arguments.size(); ++i) {
    auto found = source.find(to_text(call.arguments[i]));
    if (found != source.end()) (*result.map)[found->first] = found->second;
  }
  return result;
}

Value omit(FunctionCall& call) {
  expect_at_least(call, 1);
  std::set<std::string, std::less<>> removed;
  for (size_t i = 1; i < call.arguments.size(); ++i) removed.insert(to_text(call.arguments[i]));
  Value result = Value::new_map();
  for (const auto& [key, value] : as_map(call.arguments[0], "omit"))
    if (!removed.count(key)) (*result.map)[key] = value;
  return result;
}

// Sprig's merge functions are mergo's map merge, key by key: nested maps on both sides are merged
// recursively; otherwise with `overwrite` (mergeOverwrite) any source value replaces the
// destination's, false, 0, "" and [] included, and without it (merge) the source only fills a key
// that is missing or empty (so a source true does replace a destination false). A nil source
// value is skipped without `overwrite`, and with it sets the key to nil.
void merge_into(ValueMap& destination, const ValueMap& source, bool overwrite, int depth) {
  if (depth > 200) error("maps nest too deeply to merge");
  for (const auto& [key, value] : source) {
    auto found = destination.find(key);
    if (value.is_nil()) {
      if (overwrite) destination[key] = Value();
      continue;
    }
    if (found == destination.end()) {
      destination[key] = deep_copy(value);
      continue;
    }
    Value& existing = found->second;
    if (existing.kind == ValueKind::Map && value.kind == ValueKind::Map && !existing.is_struct && existing.map &&
        value.map) {
      if (!existing.map.unique()) existing.map = std::make_shared<ValueMap>(*existing.map);
      merge_into(*existing.map, *value.map, overwrite, depth + 1);
    } else if (overwrite || is_empty(existing)) {
      existing = deep_copy(value);
    }
  }
}

Value merge(FunctionCall& call) {
  expect_at_least(call, 1);
  ValueMap& destination = as_map(call.arguments[0], call.name);
  bool overwrite = call.name == "mergeOverwrite" || call.name == "mustMergeOverwrite";
  for (size_t i = 1; i < call.arguments.size(); ++i) {
    if (call.arguments[i].is_nil()) continue;
    merge_into(destination, as_map(call.arguments[i], call.name), overwrite, 0);
  }
  return call.arguments[0];
}

Value deepCopy(FunctionCall& call) {
  expect_count(call, 1);
  return deep_copy(call.arguments[0]);
}

Value dig(FunctionCall& call) {
  expect_at_least(call, 3);
  const Value& dictionary = call.arguments.back();
  const Value& fallback = call.arguments[call.arguments.size() - 2];
  const Value* current = &dictionary;
  for (size_t i = 0; i + 2 < call.arguments.size(); ++i) {
    if (current->kind != ValueKind::Map) return fallback;
    current = current->find(to_text(call.arguments[i]));
    if (!current) return fallback;
  }
  return *current;
}

Value pluck(FunctionCall& call) {
  expect_at_least(call, 1);
  ValueList items;
  std::string key = to_text(call.arguments[0]);
  for (size_t i = 1; i < call.arguments.size(); ++i)
    if (const Value* found = call.arguments[i].find(key)) items.push_back(*found);
  return Value::from_list(std::move(items));
}

// ---------------------------------------------------------------------------------------------
// Math (Sprig's integer functions convert to int64; the *f ones to float64)

Value add(FunctionCall& call) {
  int64_t sum = 0;
  for (const Value& argument : call.arguments) sum += to_integer(argument);
  return Value::from_int64(sum);
}

Value add1(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_int64(to_integer(call.arguments[0]) + 1);
}

Value sub(FunctionCall& call) {
  expect_count(call, 2);
  return Value::from_int64(to_integer(call.arguments[0]) - to_integer(call.arguments[1]));
}

Value mul(FunctionCall& call) {
  int64_t product = 1;
  for (const Value& argument : call.arguments) product *= to_integer(argument);
  return Value::from_int64(product);
}

Value div(FunctionCall& call) {
  expect_count(call, 2);
  int64_t divisor = to_integer(call.arguments[1]);
  if (divisor == 0) error("runtime error: integer divide by zero");
  return Value::from_int64(to_integer(call.arguments[0]) / divisor);
}

Value mod(FunctionCall& call) {
  expect_count(call, 2);
  int64_t divisor = to_integer(call.arguments[1]);
  if (divisor == 0) error("runtime error: integer divide by zero");
  return Value::from_int64(to_integer(call.arguments[0]) % divisor);
}

Value max(FunctionCall& call) {
  expect_at_least(call, 1);
  int64_t result = to_integer(call.arguments[0]);
  for (const Value& argument : call.arguments) result = std::max(result, to_integer(argument));
  return Value::from_int64(result);
}

Value min(FunctionCall& call) {
  expect_at_least(call, 1);
  int64_t result = to_integer(call.arguments[0]);
  for (const Value& argument : call.arguments) result = std::min(result, to_integer(argument));
  return Value::from_int64(result);
}

Value addf(FunctionCall& call) {
  double sum = 0;
  for (const Value& argument : call.arguments) sum += to_real(argument);
  return Value::from_float(sum);
}

Value subf(FunctionCall& call) {
  expect_at_least(call, 1);
  double result = to_real(call.arguments[0]);
  for (size_t i = 1; i < call.arguments.size(); ++i) result -= to_real(call.arguments[i]);
  return Value::from_float(result);
}

Value mulf(FunctionCall& call) {
  double product = 1;
  for (const Value& argument : call.arguments) product *= to_real(argument);
  return Value::from_float(product);
}

Value divf(FunctionCall& call) {
  expect_at_least(call, 1);
  double result = to_real(call.arguments[0]);
  for (size_t i = 1; i < call.arguments.size(); ++i) result /= to_real(call.arguments[i]);
  return Value::from_float(result);
}

Value maxf(FunctionCall& call) {
  expect_at_least(call, 1);
  double result = to_real(call.arguments[0]);
  for (const Value& argument : call.arguments) result = std::max(result, to_real(argument));
  return Value::from_float(result);
}

Value minf(FunctionCall& call) {
  expect_at_least(call, 1);
  double result = to_real(call.arguments[0]);
  for (const Value& argument : call.arguments) result = std::min(result, to_real(argument));
  return Value::from_float(result);
}

Value floor(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_float(std::floor(to_real(call.arguments[0])));
}

Value ceil(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_float(std::ceil(to_real(call.arguments[0])));
}

Value round(FunctionCall& call) {
  expect_at_least(call, 2);
  double value = to_real(call.arguments[0]);
  int64_t precision = to_integer(call.arguments[1]);
  double scale = std::pow(10.0, static_cast<double>(precision));
  double half = call.arguments.size() > 2 ? to_real(call.arguments[2]) : 0.5;
  double scaled = value * scale;
  double whole = std::floor(scaled);
  if (scaled - whole >= half) whole += 1;
  return Value::from_float(whole / scale);
}

// ---------------------------------------------------------------------------------------------
// Encoding

Value toYaml(FunctionCall& call) {
  expect_count(call, 1);
  auto rendered = std::make_shared<RenderedText>(to_yaml_rendered(call.arguments[0], &call.executor.placed_values()));
  call.executor.check_size(rendered->text.size());
  Value result = derived_string(rendered->text, call.arguments[0]);
  result.rendering = std::move(rendered);
  return result;
}

// Helm's toYamlPretty: go-yaml v3 with an indent of two (encoding.h says how it differs from toYaml).
Value toYamlPretty(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_yaml_pretty(call.arguments[0]);
  call.executor.check_size(text.size());
  return derived_string(std::move(text), call.arguments[0]);
}

Value toJson(FunctionCall& call) {
  expect_count(call, 1);
  bool raw = call.name == "toRawJson" || call.name == "mustToRawJson";
  bool pretty = call.name == "toPrettyJson" || call.name == "mustToPrettyJson";
  return derived_string(to_json(call.arguments[0], !raw, pretty), call.arguments[0]);
}

// Helm's fromYaml/fromJson: on failure a map with the error under "Error".
Value from_document(FunctionCall& call, bool json, bool want_list) {
  expect_count(call, 1);
  std::string problem;
  std::string text = to_text(call.arguments[0]);
  const Value& argument = call.arguments[0];
  std::optional<Value> value =
      json                      ? parse_json_value(text, problem)
      : has_rendering(argument) ? parse_placed_yaml_value(text, *argument.rendering, call.executor.placed_values(), problem)
                                : parse_yaml_value(text, problem);
  if (value && value->is_nil() && !want_list) return Value::new_map();
  if (value && value->is_nil() && want_list) return Value::from_list({});
  if (value && (want_list ? value->kind == ValueKind::List : value->kind == ValueKind::Map)) return *value;
  if (value) problem = want_list ? "cannot unmarshal into a list" : "cannot unmarshal into a map";
  if (want_list) return Value::from_list({Value::from_string(problem)});
  Value result = Value::new_map();
  (*result.map)["Error"] = Value::from_string(problem);
  return result;
}

Value fromYaml(FunctionCall& call) { return from_document(call, false, false); }
Value fromYamlArray(FunctionCall& call) { return from_document(call, false, true); }
Value fromJson(FunctionCall& call) { return from_document(call, true, false); }
Value fromJsonArray(FunctionCall& call) { return from_document(call, true, true); }

// Helm replaces only Sprig's fromJson with its map-only one; mustFromJson stays Sprig's, which
// decodes any JSON value (a list, a string, a number, null) and fails the render on bad JSON.
Value mustFromJson(FunctionCall& call) {
  expect_count(call, 1);
  std::string problem;
  std::optional<Value> value = parse_json_value(to_text(call.arguments[0]), problem);
  if (!value) error(problem);
  return *value;
}

Value time_value(GoTime time);  // (dates, below)

// Helm's fromToml: the document as a map; text that is not TOML gives a map with the error under
// "Error", as its other from* functions do.
Value fromToml(FunctionCall& call) {
  expect_count(call, 1);
  std::string problem;
  std::optional<Value> value = parse_toml(to_text(call.arguments[0]), time_value, problem);
  if (value) return *value;
  Value result = Value::new_map();
  (*result.map)["Error"] = Value::from_string(problem);
  return result;
}

Value b64enc(FunctionCall& call) {
  expect_count(call, 1);
  return derived_string(base64_encode(to_text(call.arguments[0])), call.arguments[0]);
}

Value b64dec(FunctionCall& call) {
  expect_count(call, 1);
  std::optional<std::string> decoded = base64_decode(to_text(call.arguments[0]));
  return Value::from_string(decoded ? *decoded : "illegal base64 data at input byte 0");
}

Value b32enc(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(base32_encode(to_text(call.arguments[0])));
}

Value b32dec(FunctionCall& call) {
  expect_count(call, 1);
  std::variant<std::string, size_t> decoded = base32_decode(to_text(call.arguments[0]));
  if (const size_t* offset = std::get_if<size_t>(&decoded))
    return Value::from_string(fmt::format("illegal base32 data at input byte {}", *offset));
  return Value::from_string(std::get<std::string>(decoded));
}

Value sha512sum(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(sha512_hex(to_text(call.arguments[0])));
}

Value sha256sum(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(sha256_hex(to_text(call.arguments[0])));
}

Value sha1sum(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(sha1_hex(to_text(call.arguments[0])));
}

Value adler32sum(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(std::to_string(adler32(to_text(call.arguments[0]))));
}

// ---------------------------------------------------------------------------------------------
// Deterministic stand-ins for random, time and crypto functions: a linter needs a stable shape,
// not secrets. Each is derived from its arguments so the same chart renders the same way.

std::string deterministic_characters(int64_t count, std::string_view alphabet, std::string_view seed) {
  std::string digest = sha256_hex(seed);
  std::string out;
  for (int64_t i = 0; i < count; ++i) {
    unsigned value = static_cast<unsigned char>(digest[i % digest.size()]) + static_cast<unsigned>(i) * 7;
    out += alphabet[value % alphabet.size()];
  }
  return out;
}

Value random_string(FunctionCall& call) {
  expect_count(call, 1);
  int64_t count = std::clamp<int64_t>(to_integer(call.arguments[0]), 0, 1 << 16);
  std::string_view alphabet = call.name == "randAlpha"     ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              : call.name == "randNumeric" ? "0123456789"
                              : call.name == "randAscii"
                                  ? "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
                                  : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Value::from_string(deterministic_characters(count, alphabet, call.name));
}

Value uuidv4(FunctionCall&) { return Value::from_string("00000000-0000-4000-8000-000000000000"); }

// `now` is a fixed moment, 2024-01-01T00:00:00Z, so a chart renders the same on every run. The
// other date functions compute from their arguments as Sprig does; Go's "Local" zone, and any
// zone a template names, is UTC (go_time.h).
constexpr GoTime kNow{1704067200, 0};

class Time : public Object {
 public:
  explicit Time(GoTime time) : time_(time) {}
  const GoTime& time() const { return time_; }
  std::string_view type_name() const override { return "time.Time"; }
  std::string print() const override { return time_string(time_); }
  std::optional<Value> field(std::string_view name) const override {
    CivilTime civil = civil_of(time_);
    if (name == "Unix") return Value::from_int64(time_.seconds);
    if (name == "UnixMilli")
      return Value::from_int64(static_cast<int64_t>(static_cast<uint64_t>(time_.seconds) * 1000u + time_.nanoseconds / 1'000'000));
    // Go's UnixNano wraps outside 1678-2262; so does this.
    if (name == "UnixNano")
      return Value::from_int64(static_cast<int64_t>(static_cast<uint64_t>(time_.seconds) * 1'000'000'000u + time_.nanoseconds));
    if (name == "Year") return Value::from_int(civil.year);
    if (name == "Month") return Value::from_string(format_time(time_, "January"));  // time.Month prints its name
    if (name == "Day") return Value::from_int(civil.day);
    if (name == "Hour") return Value::from_int(civil.hour);
    if (name == "Minute") return Value::from_int(civil.minute);
    if (name == "Second") return Value::from_int(civil.second);
    if (name == "Nanosecond") return Value::from_int(time_.nanoseconds);
    if (name == "YearDay") return Value::from_int(civil.year_day);
    if (name == "Weekday") return Value::from_string(format_time(time_, "Monday"));
    if (name == "IsZero") return Value::from_bool(time_ == GoTime{});
    if (name == "String") return Value::from_string(print());
    if (name == "UTC" || name == "Local") return Value::from_object(std::make_shared<Time>(time_));
    return std::nullopt;
  }
  bool has_method(std::string_view name) const override {
    return name == "Format" || name == "Add" || name == "AddDate" || name == "Before" || name == "After" || name == "Equal";
  }
  Value call(std::string_view name, const std::vector<Value>& arguments) const override;

 private:
  GoTime time_;
};

Value time_value(GoTime time) { return Value::from_object(std::make_shared<Time>(time)); }

const Time* as_time(const Value& value) {
  return value.kind == ValueKind::Object ? dynamic_cast<const Time*>(value.object.get()) : nullptr;
}

// A parameter Go declares as time.Time: anything else is the error text/template gives.
GoTime expect_time(const Value& value) {
  if (const Time* time = as_time(value)) return time->time();
  error(fmt::format("wrong type for value; expected time.Time; got {}", type_name(value)));
}

Value Time::call(std::string_view name, const std::vector<Value>& arguments) const {
  auto argument = [&](size_t i) { return i < arguments.size() ? arguments[i] : Value(); };
  if (name == "Format") return Value::from_string(format_time(time_, to_text(argument(0))));
  if (name == "Add") return time_value(add_duration(time_, to_integer(argument(0))));
  if (name == "AddDate") {
    // Far-off dates are clamped rather than overflowing the seconds count.
    auto part = [&](size_t i) { return std::clamp<int64_t>(to_integer(argument(i)), -1'000'000'000, 1'000'000'000); };
    CivilTime civil = civil_of(time_);
    return time_value(time_of(civil.year + part(0), civil.month + part(1), civil.day + part(2), civil.hour, civil.minute,
                              civil.second, time_.nanoseconds));
  }
  GoTime other = expect_time(argument(0));
  int64_t difference = nanoseconds_between(other, time_);
  if (name == "Before") return Value::from_bool(difference < 0);
  if (name == "After") return Value::from_bool(difference > 0);
  return Value::from_bool(difference == 0);  // Equal
}

// Sprig's date arguments: a time, or an int as seconds since the epoch; anything else (a string,
// a float64 from values.yaml) is time.Now(), here the fixed `now`.
GoTime moment_of(const Value& value) {
  if (const Time* time = as_time(value)) return time->time();
  if (value.kind == ValueKind::Integer) return {value.integer, 0};
  return kNow;
}

Value now(FunctionCall& call) {
  expect_count(call, 0);
  return time_value(kNow);
}

// date FORMAT TIME, dateInZone FORMAT TIME ZONE, htmlDate TIME, htmlDateInZone TIME ZONE.
Value date(FunctionCall& call) {
  bool html = call.name == "htmlDate" || call.name == "htmlDateInZone";
  bool zone = call.name == "dateInZone" || call.name == "date_in_zone" || call.name == "htmlDateInZone";
  expect_count(call, (html ? 1 : 2) + (zone ? 1 : 0));
  std::string layout = html ? "2006-01-02" : to_text(call.arguments[0]);
  return Value::from_string(format_time(moment_of(call.arguments[html ? 0 : 1]), layout));
}

Value unixEpoch(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(std::to_string(expect_time(call.arguments[0]).seconds));
}

// toDate LAYOUT TEXT: Go's zero time when the text does not fit (mustToDate: an error).
Value toDate(FunctionCall& call) {
  expect_count(call, 2);
  std::string problem;
  std::optional<GoTime> parsed = parse_time(to_text(call.arguments[0]), to_text(call.arguments[1]), problem);
  if (!parsed && call.name == "mustToDate") error(problem);
  return time_value(parsed.value_or(GoTime{}));
}

// dateModify DURATION TIME: the time unchanged when the duration does not parse (mustDateModify:
// an error).
Value dateModify(FunctionCall& call) {
  expect_count(call, 2);
  GoTime time = expect_time(call.arguments[1]);
  std::string problem;
  std::optional<int64_t> duration = parse_duration(to_text(call.arguments[0]), problem);
  if (!duration) {
    if (call.name == "mustDateModify" || call.name == "must_date_modify") error(problem);
    return time_value(time);
  }
  return time_value(add_duration(time, *duration));
}

// How long before `now` a time (or epoch seconds) is, to the second.
Value ago(FunctionCall& call) {
  expect_count(call, 1);
  int64_t since = nanoseconds_between(moment_of(call.arguments[0]), kNow);
  return Value::from_string(format_duration(round_duration(since, 1'000'000'000)));
}

// strconv.ParseInt(text, 10, 64) as Sprig ignores its error: 0 when it is no number, the nearest
// int64 when it is too large.
int64_t parse_int64_saturating(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return 0;
  int64_t value = 0;
  auto [end, problem] = std::from_chars(text.data() + (text[0] == '+'), text.data() + text.size(), value);
  if (problem == std::errc::result_out_of_range)
    return negative ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  return value;
}

// duration SECONDS: a string or an integer number of seconds as Go prints a duration ("1h1m1s").
// Sprig takes only int64 and strings (a float64 from values.yaml is 0s); an int written in the
// template is Go's int there, which Sprig also reads as 0, but this engine does not tell int from
// int64 and gives the duration.
Value duration(FunctionCall& call) {
  expect_count(call, 1);
  const Value& value = call.arguments[0];
  int64_t seconds = value.kind == ValueKind::String ? parse_int64_saturating(value.text)
                    : value.kind == ValueKind::Integer ? value.integer
                                                       : 0;
  return Value::from_string(format_duration(static_cast<int64_t>(static_cast<uint64_t>(seconds) * 1'000'000'000u)));
}

// durationRound: a duration string, nanoseconds, or the time since a time, as its largest unit.
Value durationRound(FunctionCall& call) {
  expect_count(call, 1);
  const Value& value = call.arguments[0];
  int64_t nanoseconds = 0;
  std::string problem;
  if (value.kind == ValueKind::String) nanoseconds = parse_duration(value.text, problem).value_or(0);
  else if (value.kind == ValueKind::Integer) nanoseconds = value.integer;
  else if (const Time* time = as_time(value)) nanoseconds = nanoseconds_between(time->time(), kNow);
  uint64_t magnitude = nanoseconds < 0 ? 0 - static_cast<uint64_t>(nanoseconds) : static_cast<uint64_t>(nanoseconds);
  constexpr uint64_t kSecond = 1'000'000'000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;
  static const std::pair<uint64_t, std::string_view> kUnits[] = {
      {365 * kDay, "y"}, {30 * kDay, "mo"}, {kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}};
  for (const auto& [unit, suffix] : kUnits)
    if (magnitude > unit) return Value::from_string(std::to_string(magnitude / unit) + std::string(suffix));
  return Value::from_string("0s");
}

// genCA, genSignedCert, genSelfSignedCert: an object with Cert and Key in PEM form whose content
// is a deterministic placeholder (the rendered Secret keeps its shape; nothing real is generated).
class Certificate : public Object {
 public:
  explicit Certificate(std::string seed) : seed_(std::move(seed)) {}
  std::string_view type_name() const override { return "sprig.certificate"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Cert") return Value::from_string(pem("CERTIFICATE"));
    if (name == "Key") return Value::from_string(pem("RSA PRIVATE KEY"));
    return std::nullopt;
  }
  std::string print() const override { return "{" + pem("CERTIFICATE") + " " + pem("RSA PRIVATE KEY") + "}"; }

 private:
  std::string pem(std::string_view kind) const {
    return fmt::format("-----BEGIN {}-----\n{}\n-----END {}-----\n", kind, base64_encode(sha256_hex(seed_ + std::string(kind))), kind);
  }
  std::string seed_;
};

Value certificate(FunctionCall& call) {
  std::string seed(call.name);
  for (const Value& argument : call.arguments) seed += print_value(argument);
  return Value::from_object(std::make_shared<Certificate>(seed));
}

Value genPrivateKey(FunctionCall& call) {
  std::string seed = call.arguments.empty() ? "rsa" : to_text(call.arguments[0]);
  return Value::from_string(fmt::format("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
                                        base64_encode(sha256_hex(seed))));
}

// bcrypt's shape ($2a$, cost 10, 22 characters of salt and 31 of hash in bcrypt's alphabet),
// derived from the password: there is no random salt to draw, and no Blowfish here. Like Go's
// bcrypt (x/crypto since 2022), a password over 72 bytes is refused; Sprig prints the error.
std::string bcrypt_stand_in(const std::string& password) {
  if (password.size() > 72) return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
  static constexpr std::string_view kAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return "$2a$10$" + deterministic_characters(53, kAlphabet, "bcrypt" + password);
}

Value bcrypt(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(bcrypt_stand_in(to_text(call.arguments[0])));
}

Value htpasswd(FunctionCall& call) {
  expect_count(call, 2);
  std::string user = to_text(call.arguments[0]);
  if (user.find(':') != std::string::npos) return Value::from_string("invalid username: " + user);
  return Value::from_string(user + ":" + bcrypt_stand_in(to_text(call.arguments[1])));
}

// randInt MIN MAX: a number in [MIN, MAX), derived from the bounds. Go's rand.Intn fails on an
// empty range.
Value randInt(FunctionCall& call) {
  expect_count(call, 2);
  int64_t low = to_integer(call.arguments[0]), high = to_integer(call.arguments[1]);
  if (high <= low) error("invalid argument to Intn");
  std::string digest = sha256_hex(fmt::format("randInt {} {}", low, high));
  uint64_t spread = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  return Value::from_int(static_cast<int64_t>(static_cast<uint64_t>(low) + std::stoull(digest.substr(0, 15), nullptr, 16) % spread));
}

// randBytes COUNT: COUNT bytes in base64, as Sprig gives them; the bytes derive from COUNT.
Value randBytes(FunctionCall& call) {
  expect_count(call, 1);
  int64_t count = to_integer(call.arguments[0]);
  if (count < 0) error("runtime error: makeslice: len out of range");
  call.executor.check_size(static_cast<size_t>(count) / 3 * 4 + 4);
  std::string bytes;
  for (int64_t block = 0; static_cast<int64_t>(bytes.size()) < count; ++block) {
    std::string digest = sha256_hex(fmt::format("randBytes {}", block));
    for (size_t i = 0; i + 1 < digest.size() && static_cast<int64_t>(bytes.size()) < count; i += 2)
      bytes += static_cast<char>(std::stoi(digest.substr(i, 2), nullptr, 16));
  }
  return Value::from_string(base64_encode(bytes));
}

// Helm resolves names only with --enable-dns; `helm template` without it gets "" for every name,
// and this renderer never reaches the network.
Value getHostByName(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string("");
}

// Sprig's AES key: the password's bytes in 32, cut or filled with zeros.
std::string aes_key(const std::string& password) {
  std::string key = password.substr(0, 32);
  key.resize(32, '\0');
  return key;
}

// encryptAES PASSWORD TEXT: base64 of a 16-byte IV and the AES-256-CBC encryption of the text
// padded to whole blocks (PKCS#7), as Sprig writes it. Sprig's IV is random; here it derives from
// the arguments, so the output is stable and Helm's decryptAES reads it.
Value encryptAES(FunctionCall& call) {
  expect_count(call, 2);
  std::string password = to_text(call.arguments[0]), text = to_text(call.arguments[1]);
  if (text.empty()) return Value::from_string("");
  call.executor.check_size((text.size() + 32) / 3 * 4 + 4);
  size_t padding = 16 - text.size() % 16;
  std::string padded = text + std::string(padding, static_cast<char>(padding));
  std::string digest = sha256_hex("encryptAES " + password + " " + text), iv;
  for (size_t i = 0; i < 32; i += 2) iv += static_cast<char>(std::stoi(digest.substr(i, 2), nullptr, 16));
  return Value::from_string(base64_encode(iv + aes256_cbc_encrypt(aes_key(password), iv, padded)));
}

// decryptAES PASSWORD BASE64: the text, with the padding removed as Sprig removes it (the last
// byte says how many bytes to drop). Input Sprig panics on is an error with Go's wording.
Value decryptAES(FunctionCall& call) {
  expect_count(call, 2);
  std::string password = to_text(call.arguments[0]), encoded = to_text(call.arguments[1]);
  if (encoded.empty()) return Value::from_string("");
  std::optional<std::string> data = base64_decode(encoded);
  if (!data) error("illegal base64 data at input byte 0");
  if (data->size() < 16) error(fmt::format("runtime error: slice bounds out of range [:16] with capacity {}", data->size()));
  std::string_view body = std::string_view(*data).substr(16);
  if (body.size() % 16 != 0) error("crypto/cipher: input not full blocks");
  if (body.empty()) error("runtime error: index out of range [-1]");
  std::string plain = aes256_cbc_decrypt(aes_key(password), std::string_view(*data).substr(0, 16), body);
  size_t drop = static_cast<unsigned char>(plain.back());
  if (drop > plain.size())
    error(fmt::format("runtime error: slice bounds out of range [:{}]", static_cast<int64_t>(plain.size()) - static_cast<int64_t>(drop)));
  plain.resize(plain.size() - drop);
  return Value::from_string(plain);
}

// Go's call builtin: the first argument must be a function, and no value a chart can reach is one
// (values come from YAML, and .Files or .Capabilities methods are called, not passed), so in Helm
// every `call` fails. The messages are Go's.
Value call_(FunctionCall& call) {
  expect_at_least(call, 1);
  const Value& function = call.arguments[0];
  if (function.is_nil()) error("call of nil");
  error(fmt::format("non-function of type {} (no value in a Helm chart is a function)", type_name(function)));
}

Value derivePassword(FunctionCall& call) {
  std::string seed;
  for (const Value& argument : call.arguments) seed += print_value(argument);
  return Value::from_string(base64_encode(sha256_hex(seed)).substr(0, 20));
}

// ---------------------------------------------------------------------------------------------
// Paths and URLs

// Go's path.Clean: one slash between names, no `.`, `..` resolved lexically, "." for nothing.
std::string clean_path(const std::string& path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

// Go's path.Base: the last name, trailing slashes dropped; "/" for slashes only.
Value base(FunctionCall& call) {
  expect_count(call, 1);
  std::string path = to_text(call.arguments[0]);
  if (path.empty()) return Value::from_string(".");
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/") return Value::from_string("/");
  size_t slash = path.rfind('/');
  return Value::from_string(slash == std::string::npos ? path : path.substr(slash + 1));
}

// Go's path.Dir: everything before the last slash, cleaned.
Value dir(FunctionCall& call) {
  expect_count(call, 1);
  std::string path = to_text(call.arguments[0]);
  size_t slash = path.rfind('/');
  return Value::from_string(clean_path(slash == std::string::npos ? "" : path.substr(0, slash + 1)));
}

Value ext(FunctionCall& call) {
  expect_count(call, 1);
  std::string path = to_text(call.arguments[0]);
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return Value::from_string("");
  return Value::from_string(path.substr(dot));
}

Value clean(FunctionCall& call) {
  expect_count(call, 1);
  return Value::from_string(clean_path(to_text(call.arguments[0])));
}

Value isAbs(FunctionCall& call) {
  expect_count(call, 1);
  std::string path = to_text(call.arguments[0]);
  return Value::from_bool(!path.empty() && path[0] == '/');
}

Value urlParse(FunctionCall& call) {
  expect_count(call, 1);
  std::string url = to_text(call.arguments[0]);
  Value result = Value::new_map();
  auto put = [&](const char* key, std::string value) { (*result.map)[key] = Value::from_string(std::move(value)); };
  std::string rest = url;
  std::string scheme, host, path, query, fragment, userinfo;
  if (size_t colon = rest.find("://"); colon != std::string::npos) {
    scheme = rest.substr(0, colon);
    rest = rest.substr(colon + 3);
    size_t slash = rest.find_first_of("/?#");
    host = rest.substr(0, slash);
    rest = slash == std::string::npos ? "" : rest.substr(slash);
    if (size_t at = host.find('@'); at != std::string::npos) {
      userinfo = host.substr(0, at);
      host = host.substr(at + 1);
    }
  }
  if (size_t hash = rest.find('#'); hash != std::string::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  if (size_t question = rest.find('?'); question != std::string::npos) {
    query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  path = rest;
  put("scheme", scheme);
  put("host", host);
  put("hostname", host.substr(0, host.find(':')));
  put("path", path);
  put("query", query);
  put("fragment", fragment);
  put("userinfo", userinfo);
  put("opaque", "");
  return result;
}

Value urlJoin(FunctionCall& call) {
  expect_count(call, 1);
  const Value& parts = call.arguments[0];
  auto text = [&](const char* key) {
    const Value* found = parts.find(key);
    return found ? to_text(*found) : std::string();
  };
  std::string out;
  if (!text("scheme").empty()) out += text("scheme") + "://";
  if (!text("userinfo").empty()) out += text("userinfo") + "@";
  out += text("host") + text("path");
  if (!text("query").empty()) out += "?" + text("query");
  if (!text("fragment").empty()) out += "#" + text("fragment");
  return Value::from_string(out);
}

// ---------------------------------------------------------------------------------------------
// Semantic versions

Value semverCompare(FunctionCall& call) {
  expect_count(call, 2);
  std::optional<SemanticVersion> version = parse_semantic_version(to_text(call.arguments[1]));
  if (!version) error(fmt::format("Invalid Semantic Version"));
  std::string problem;
  std::optional<bool> matches = semantic_version_satisfies(*version, to_text(call.arguments[0]), problem);
  if (!matches) error(problem);
  return Value::from_bool(*matches);
}

class VersionObject : public Object {
 public:
  explicit VersionObject(SemanticVersion version) : version_(std::move(version)) {}
  std::string_view type_name() const override { return "*semver.Version"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Major") return Value::from_int(version_.major);
    if (name == "Minor") return Value::from_int(version_.minor);
    if (name == "Patch") return Value::from_int(version_.patch);
    if (name == "Prerelease") return Value::from_string(version_.prerelease);
    if (name == "Metadata") return Value::from_string(version_.metadata);
    if (name == "Original") return Value::from_string(version_.original);
    if (name == "String") return Value::from_string(print());
    return std::nullopt;
  }
  std::string print() const override {
    std::string out = fmt::format("{}.{}.{}", version_.major, version_.minor, version_.patch);
    if (!version_.prerelease.empty()) out += "-" + version_.prerelease;
    if (!version_.metadata.empty()) out += "+" + version_.metadata;
    return out;
  }

 private:
  SemanticVersion version_;
};

Value semver(FunctionCall& call) {
  expect_count(call, 1);
  std::optional<SemanticVersion> version = parse_semantic_version(to_text(call.arguments[0]));
  if (!version) error("Invalid Semantic Version");
  return Value::from_object(std::make_shared<VersionObject>(*version));
}

// ---------------------------------------------------------------------------------------------
// Helm's own

// Sprig's own example function, which Helm keeps.
Value hello(FunctionCall& call) {
  expect_count(call, 0);
  return Value::from_string("Hello!");
}

Value include(FunctionCall& call) {
  expect_count(call, 2);
  return call.executor.include(to_text(call.arguments[0]), call.arguments[1]);
}

Value tpl(FunctionCall& call) {
  expect_count(call, 2);
  return call.executor.tpl(call.arguments[0], call.arguments[1]);
}

Value required(FunctionCall& call) {
  expect_count(call, 2);
  const Value& value = call.arguments[1];
  if (value.is_nil() || (value.kind == ValueKind::String && value.text.empty())) error(to_text(call.arguments[0]));
  return value;
}

Value fail(FunctionCall& call) {
  expect_count(call, 1);
  error(to_text(call.arguments[0]));
}

// There is no cluster to ask: lookup finds nothing, as with `helm template`.
Value lookup(FunctionCall&) { return Value::new_map(); }

Value toToml(FunctionCall& call) {
  expect_count(call, 1);
  std::string text = to_toml(call.arguments[0]);
  call.executor.check_size(text.size());
  return derived_string(std::move(text), call.arguments[0]);
}

// Sprig's must* variants behave the same here (errors are already errors).
const std::unordered_map<std::string_view, Function>& function_table() {
  static const std::unordered_map<std::string_view, Function> table = {
      // Go builtins
      {"not", not_}, {"len", len}, {"index", index}, {"slice", slice}, {"print", print}, {"printf", printf},
      {"println", println}, {"eq", eq}, {"ne", ne}, {"lt", lt}, {"le", le}, {"gt", gt}, {"ge", ge},
      {"html", html}, {"js", js}, {"urlquery", urlquery},
      // strings
      {"trim", trim}, {"trimAll", trimAll}, {"trimall", trimAll}, {"trimPrefix", trimPrefix},
      {"trimSuffix", trimSuffix}, {"upper", upper}, {"lower", lower}, {"title", title}, {"untitle", untitle},
      {"snakecase", snakecase}, {"kebabcase", kebabcase}, {"camelcase", camelcase}, {"replace", replace},
      {"repeat", repeat}, {"substr", substr}, {"trunc", trunc}, {"nospace", nospace}, {"contains", contains},
      {"hasPrefix", hasPrefix}, {"hasSuffix", hasSuffix}, {"quote", quote}, {"squote", squote}, {"cat", cat},
      {"indent", indent}, {"nindent", nindent}, {"wrap", wrap}, {"wrapWith", wrapWith}, {"abbrev", abbrev},
      {"abbrevboth", abbrevboth}, {"swapcase", swapcase}, {"plural", plural},
      {"initials", initials}, {"splitList", splitList}, {"split", split}, {"splitn", splitn}, {"join", join},
      {"toString", toString}, {"toStrings", toStrings}, {"shuffle", shuffle},
      // regular expressions
      {"regexMatch", regexMatch}, {"mustRegexMatch", regexMatch}, {"regexFind", regexFind},
      {"mustRegexFind", regexFind}, {"regexFindAll", regexFindAll}, {"mustRegexFindAll", regexFindAll},
      {"regexReplaceAll", regexReplaceAll}, {"mustRegexReplaceAll", regexReplaceAll},
      {"regexReplaceAllLiteral", regexReplaceAllLiteral}, {"mustRegexReplaceAllLiteral", regexReplaceAllLiteral},
      {"regexSplit", regexSplit}, {"mustRegexSplit", regexSplit}, {"regexQuoteMeta", regexQuoteMeta},
      // defaults, conversion, types
      {"default", default_}, {"empty", empty}, {"coalesce", coalesce}, {"all", all}, {"any", any},
      {"ternary", ternary}, {"atoi", atoi}, {"int", int_}, {"int64", int64_}, {"float64", float64},
      {"toDecimal", toDecimal}, {"kindOf", kindOf}, {"kindIs", kindIs}, {"typeOf", typeOf}, {"typeIs", typeIs},
      {"typeIsLike", typeIsLike}, {"deepEqual", deepEqual},
      // lists
      {"list", list}, {"tuple", list}, {"append", append}, {"push", append}, {"mustAppend", append},
      {"mustPush", append}, {"prepend", prepend}, {"mustPrepend", prepend}, {"first", first},
      {"mustFirst", first}, {"last", last}, {"mustLast", last}, {"rest", rest}, {"mustRest", rest},
      {"initial", initial}, {"mustInitial", initial}, {"uniq", uniq}, {"mustUniq", uniq}, {"has", has},
      {"mustHas", has}, {"without", without}, {"mustWithout", without}, {"compact", compact},
      {"mustCompact", compact}, {"concat", concat}, {"sortAlpha", sortAlpha}, {"reverse", reverse},
      {"mustReverse", reverse}, {"chunk", chunk}, {"mustChunk", chunk}, {"until", until}, {"untilStep", untilStep}, {"seq", seq}, {"mustSlice", slice},
      // dicts
      {"dict", dict}, {"get", get}, {"set", set}, {"unset", unset}, {"hasKey", hasKey}, {"keys", keys},
      {"values", values}, {"pick", pick}, {"omit", omit}, {"merge", merge}, {"mustMerge", merge},
      {"mergeOverwrite", merge}, {"mustMergeOverwrite", merge}, {"deepCopy", deepCopy}, {"mustDeepCopy", deepCopy},
      {"dig", dig}, {"pluck", pluck},
      // math
      {"add", add}, {"add1", add1}, {"sub", sub}, {"mul", mul}, {"div", div}, {"mod", mod}, {"max", max},
      {"min", min}, {"biggest", max}, {"addf", addf}, {"add1f", addf}, {"subf", subf}, {"mulf", mulf},
      {"divf", divf}, {"maxf", maxf}, {"minf", minf}, {"floor", floor}, {"ceil", ceil}, {"round", round},
      // encoding
      {"toYaml", toYaml}, {"mustToYaml", toYaml}, {"toYamlPretty", toYamlPretty}, {"toJson", toJson}, {"mustToJson", toJson},
      {"toPrettyJson", toJson}, {"mustToPrettyJson", toJson}, {"toRawJson", toJson}, {"mustToRawJson", toJson},
      {"fromYaml", fromYaml}, {"fromYamlArray", fromYamlArray}, {"fromJson", fromJson},
      {"mustFromJson", mustFromJson}, {"fromJsonArray", fromJsonArray}, {"toToml", toToml}, {"fromToml", fromToml}, {"b64enc", b64enc},
      {"b64dec", b64dec}, {"b32enc", b32enc}, {"b32dec", b32dec}, {"sha256sum", sha256sum}, {"sha1sum", sha1sum},
      {"sha512sum", sha512sum},
      {"adler32sum", adler32sum},
      // deterministic stand-ins
      {"randAlphaNum", random_string}, {"randAlpha", random_string}, {"randNumeric", random_string},
      {"randAscii", random_string}, {"uuidv4", uuidv4}, {"now", now},
      // dates
      {"date", date}, {"dateInZone", date}, {"date_in_zone", date}, {"htmlDate", date}, {"htmlDateInZone", date},
      {"unixEpoch", unixEpoch}, {"toDate", toDate}, {"mustToDate", toDate}, {"dateModify", dateModify},
      {"date_modify", dateModify}, {"mustDateModify", dateModify}, {"must_date_modify", dateModify}, {"ago", ago},
      {"duration", duration}, {"durationRound", durationRound},
      {"genCA", certificate}, {"genCAWithKey", certificate}, {"genSignedCert", certificate},
      {"genSignedCertWithKey", certificate}, {"genSelfSignedCert", certificate},
      {"genSelfSignedCertWithKey", certificate}, {"buildCustomCert", certificate},
      {"genPrivateKey", genPrivateKey}, {"htpasswd", htpasswd}, {"derivePassword", derivePassword},
      {"bcrypt", bcrypt}, {"randInt", randInt}, {"randBytes", randBytes}, {"getHostByName", getHostByName},
      {"encryptAES", encryptAES}, {"decryptAES", decryptAES},
      // paths, URLs, versions
      // the os* forms are Go's path/filepath, which on Linux (where Helm renders for) is path's
      {"base", base}, {"dir", dir}, {"ext", ext}, {"clean", clean}, {"isAbs", isAbs}, {"osBase", base},
      {"osDir", dir}, {"osExt", ext}, {"osClean", clean}, {"osIsAbs", isAbs}, {"urlParse", urlParse},
      {"urlJoin", urlJoin}, {"semverCompare", semverCompare}, {"semver", semver},
      // Helm
      {"include", include}, {"tpl", tpl}, {"required", required}, {"fail", fail}, {"lookup", lookup},
      {"call", call_}, {"hello", hello},
  };
  return table;
}

}  // namespace

Function find_function(std::string_view name) {
  const auto& table = function_table();
  auto found = table.find(name);
  return found == table.end() ? nullptr : found->second;
}

}  // namespace shiftlint::helm
