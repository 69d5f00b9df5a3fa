// A TOML 1.0 reader for fromToml. It keeps the rules that make a document invalid (a key or table
// defined twice, a table extended through dotted keys or an inline table, leading zeros,
// underscores not between digits, control characters in strings), since Helm's fromToml returns
// an error for such a document instead of a value.
#include "analyzer/model/helm/toml_reader.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>
#include <vector>

#include <fmt/format.h>

namespace shiftlint::helm {

namespace {

struct TomlProblem {
  std::string message;
};

bool is_bare_key_character(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) out += static_cast<char>(code);
  else if (code < 0x800) out += static_cast<char>(0xC0 | (code >> 6)), out += static_cast<char>(0x80 | (code & 0x3F));
  else if (code < 0x10000)
    out += static_cast<char>(0xE0 | (code >> 12)), out += static_cast<char>(0x80 | ((code >> 6) & 0x3F)),
        out += static_cast<char>(0x80 | (code & 0x3F));
  else
    out += static_cast<char>(0xF0 | (code >> 18)), out += static_cast<char>(0x80 | ((code >> 12) & 0x3F)),
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F)), out += static_cast<char>(0x80 | (code & 0x3F));
}

class TomlReader {
 public:
  TomlReader(std::string_view text, MakeTime make_time) : text_(text), make_time_(make_time) {}

  Value parse() {
    Value root = Value::new_map();
    current_ = root.map.get();
    while (true) {
      skip_blank_lines();
      if (at_end()) break;
      if (peek() == '[') header(*root.map);
      else key_value(*current_, false, 0);
      end_of_line();
    }
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw TomlProblem{fmt::format("toml: line {}: {}", line_, message)}; }

  bool at_end() const { return position_ >= text_.size(); }
  char peek(size_t ahead = 0) const { return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0'; }
  bool looking_at(std::string_view word) const { return text_.substr(position_).starts_with(word); }
  void advance(size_t count = 1) {
    for (size_t i = 0; i < count && position_ < text_.size(); ++i)
      if (text_[position_++] == '\n') ++line_;
  }

  void skip_spaces() {
    while (peek() == ' ' || peek() == '\t') advance();
  }
  void skip_comment() {
    if (peek() != '#') return;
    while (!at_end() && peek() != '\n') {
      unsigned char c = static_cast<unsigned char>(peek());
      if ((c < 0x20 && c != '\t' && !(c == '\r' && peek(1) == '\n')) || c == 0x7F) fail("control character in a comment");
      advance();
    }
  }
  bool take_newline() {
    if (peek() == '\n') return advance(), true;
    if (peek() == '\r' && peek(1) == '\n') return advance(2), true;
    return false;
  }
  void skip_blank_lines() {
    while (true) {
      skip_spaces();
      skip_comment();
      if (!take_newline()) return;
    }
  }
  // Inside arrays: white space, comments and line breaks.
  void skip_array_space() { skip_blank_lines(); }
  void end_of_line() {
    skip_spaces();
    skip_comment();
    if (!at_end() && !take_newline()) fail(fmt::format("expected the end of the line, found '{}'", peek()));
  }

  // key = a.b."c d".'e'
  std::vector<std::string> key() {
    std::vector<std::string> parts;
    while (true) {
      skip_spaces();
      if (peek() == '"') {
        if (looking_at("\"\"\"")) fail("a key cannot be a multi-line string");
        parts.push_back(basic_string());
      } else if (peek() == '\'') {
        if (looking_at("'''")) fail("a key cannot be a multi-line string");
        parts.push_back(literal_string());
      } else {
        size_t begin = position_;
        while (is_bare_key_character(peek())) advance();
        if (position_ == begin) fail(at_end() || peek() == '\n' ? "expected a key" : fmt::format("invalid character '{}' in a key", peek()));
        parts.emplace_back(text_.substr(begin, position_ - begin));
      }
      skip_spaces();
      if (peek() != '.') return parts;
      advance();
    }
  }

  // The table `parts` names from `table`, made (implicitly) where missing, for a header.
  ValueMap* walk(ValueMap* table, const std::vector<std::string>& parts, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      auto found = table->find(parts[i]);
      if (found == table->end()) {
        Value created = Value::new_map();
        implicit_.insert(created.map.get());
        table->emplace(parts[i], created);
        table = created.map.get();
        continue;
      }
      Value& existing = found->second;
      if (existing.kind == ValueKind::Map && !inline_.count(existing.map.get())) {
        table = existing.map.get();
      } else if (existing.kind == ValueKind::List && table_arrays_.count(existing.list.get())) {
        table = existing.list->back().map.get();
      } else {
        fail(fmt::format("key \"{}\" is already defined and is not a table", parts[i]));
      }
    }
    return table;
  }

  void header(ValueMap& root) {
    bool array = looking_at("[[");
    advance(array ? 2 : 1);
    std::vector<std::string> parts = key();
    if (array ? !looking_at("]]") : peek() != ']') fail(array ? "expected ']]' to end the header" : "expected ']' to end the header");
    advance(array ? 2 : 1);
    ValueMap* parent = walk(&root, parts, parts.size() - 1);
    const std::string& name = parts.back();
    auto found = parent->find(name);
    if (array) {
      if (found == parent->end()) {
        Value list = Value::from_list({});
        table_arrays_.insert(list.list.get());
        found = parent->emplace(name, list).first;
      } else if (found->second.kind != ValueKind::List || !table_arrays_.count(found->second.list.get())) {
        fail(fmt::format("key \"{}\" is already defined and is not an array of tables", name));
      }
      Value table = Value::new_map();
      found->second.list->push_back(table);
      current_ = table.map.get();
      return;
    }
    if (found == parent->end()) {
      Value table = Value::new_map();
      parent->emplace(name, table);
      current_ = table.map.get();
    } else if (found->second.kind == ValueKind::Map && implicit_.count(found->second.map.get())) {
      implicit_.erase(found->second.map.get());  // made by an earlier [a.b.c]; [a.b] now defines it
      current_ = found->second.map.get();
    } else {
      fail(fmt::format("table \"{}\" is already defined", name));
    }
  }

  // key = value into `table`; dotted keys make (or extend) tables that only dotted keys made.
  void key_value(ValueMap& table, bool in_inline_table, int depth) {
    std::vector<std::string> parts = key();
    if (peek() != '=') fail(fmt::format("expected '=' after the key \"{}\"", parts.back()));
    advance();
    skip_spaces();
    ValueMap* target = &table;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      auto found = target->find(parts[i]);
      if (found == target->end()) {
        Value created = Value::new_map();
        dotted_.insert(created.map.get());
        if (in_inline_table) inline_.insert(created.map.get());
        target->emplace(parts[i], created);
        target = created.map.get();
      } else if (found->second.kind == ValueKind::Map && dotted_.count(found->second.map.get()) &&
                 (in_inline_table || !inline_.count(found->second.map.get()))) {
        target = found->second.map.get();
      } else {
        fail(fmt::format("key \"{}\" is already defined", parts[i]));
      }
    }
    Value item = value(depth);
    if (!target->emplace(parts.back(), std::move(item)).second) fail(fmt::format("key \"{}\" is already defined", parts.back()));
  }

  Value value(int depth) {
    if (depth > kMaxValueDepth) fail(fmt::format("values nest deeper than {} levels", kMaxValueDepth));
    char c = peek();
    if (c == '"') return Value::from_string(looking_at("\"\"\"") ? multi_line_basic_string() : basic_string());
    if (c == '\'') return Value::from_string(looking_at("'''") ? multi_line_literal_string() : literal_string());
    if (c == '[') return array(depth);
    if (c == '{') return inline_table(depth);
    if (looking_at("true") && !is_bare_key_character(peek(4))) return advance(4), Value::from_bool(true);
    if (looking_at("false") && !is_bare_key_character(peek(5))) return advance(5), Value::from_bool(false);
    if (is_digit(c) && is_digit(peek(1)) && peek(2) == ':') return local_time_value();
    if (is_digit(c) && is_digit(peek(1)) && is_digit(peek(2)) && is_digit(peek(3)) && peek(4) == '-') return date_time_value();
    return number();
  }

  std::string basic_string() {
    advance();  // "
    std::string out;
    while (true) {
      if (at_end() || peek() == '\n') fail("a string is not closed on its line");
      char c = peek();
      if (c == '"') {
        advance();
        return out;
      }
      if (c == '\\') {
        escape(out);
        continue;
      }
      check_string_character(c);
      out += c;
      advance();
    }
  }

  void check_string_character(char c) const {
    unsigned char byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F) fail(fmt::format("control character 0x{:02x} in a string", byte));
  }

  void escape(std::string& out) {
    advance();  // backslash
    char c = peek();
    advance();
    switch (c) {
      case 'b': out += '\b'; return;
      case 't': out += '\t'; return;
      case 'n': out += '\n'; return;
      case 'f': out += '\f'; return;
      case 'r': out += '\r'; return;
      case '"': out += '"'; return;
      case '\\': out += '\\'; return;
      case 'u':
      case 'U': {
        size_t digits = c == 'u' ? 4 : 8;
        uint32_t code = 0;
        for (size_t i = 0; i < digits; ++i) {
          char h = peek();
          int value = is_digit(h) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
          if (value < 0) fail("a \\u or \\U escape needs hexadecimal digits");
          code = code * 16 + static_cast<uint32_t>(value);
          advance();
        }
        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) fail(fmt::format("escape \\{}{:X} is not a Unicode scalar value", c, code));
        append_utf8(out, code);
        return;
      }
      default: fail(fmt::format("invalid escape \\{}", c));
    }
  }

  std::string literal_string() {
    advance();  // '
    size_t begin = position_;
    while (peek() != '\'') {
      if (at_end() || peek() == '\n') fail("a string is not closed on its line");
      check_string_character(peek());
      advance();
    }
    std::string out(text_.substr(begin, position_ - begin));
    advance();
    return out;
  }

  // Up to two quotes may stand right before the closing three.
  bool closes_multi_line(char quote, std::string& out) {
    if (!(peek() == quote && peek(1) == quote && peek(2) == quote)) return false;
    size_t run = 3;
    while (peek(run) == quote) ++run;
    if (run > 5) fail("too many quotes at the end of a multi-line string");
    out.append(run - 3, quote);
    advance(run);
    return true;
  }

  std::string multi_line_basic_string() {
    advance(3);
    take_newline();
    std::string out;
    while (true) {
      if (at_end()) fail("a multi-line string is not closed");
      if (closes_multi_line('"', out)) return out;
      char c = peek();
      if (c == '\\') {
        // A backslash at the end of a line drops the line break and the white space after it.
        size_t ahead = 1;
        while (peek(ahead) == ' ' || peek(ahead) == '\t') ++ahead;
        if (peek(ahead) == '\n' || (peek(ahead) == '\r' && peek(ahead + 1) == '\n')) {
          advance(ahead);
          while (peek() == ' ' || peek() == '\t' || take_newline()) {
            if (peek() == ' ' || peek() == '\t') advance();
          }
          continue;
        }
        escape(out);
        continue;
      }
      if (take_newline()) {
        out += '\n';
        continue;
      }
      check_string_character(c);
      out += c;
      advance();
    }
  }

  std::string multi_line_literal_string() {
    advance(3);
    take_newline();
    std::string out;
    while (true) {
      if (at_end()) fail("a multi-line string is not closed");
      if (closes_multi_line('\'', out)) return out;
      if (take_newline()) {
        out += '\n';
        continue;
      }
      check_string_character(peek());
      out += peek();
      advance();
    }
  }

  Value array(int depth) {
    advance();  // [
    ValueList items;
    while (true) {
      skip_array_space();
      if (peek() == ']') break;
      items.push_back(value(depth + 1));
      skip_array_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() != ']') fail("expected ',' or ']' in an array");
      break;
    }
    advance();
    return Value::from_list(std::move(items));
  }

  Value inline_table(int depth) {
    advance();  // {
    Value table = Value::new_map();
    inline_.insert(table.map.get());
    skip_spaces();
    if (peek() == '}') return advance(), table;
    while (true) {
      key_value_inline(*table.map, depth);
      skip_spaces();
      if (peek() == ',') {
        advance();
        skip_spaces();
        if (peek() == '}') fail("an inline table cannot end with a comma");
        continue;
      }
      if (peek() != '}') fail("expected ',' or '}' in an inline table");
      advance();
      return table;
    }
  }

  void key_value_inline(ValueMap& table, int depth) { key_value(table, true, depth + 1); }

  // Integers (decimal with optional sign, 0x, 0o, 0b) and floats (with a fraction or exponent,
  // inf, nan); `_` only between digits, no leading zeros.
  Value number() {
    size_t begin = position_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_' || peek() == '+' || peek() == '-' || peek() == '.'))
      advance();
    std::string token(text_.substr(begin, position_ - begin));
    if (token.empty()) fail(at_end() || peek() == '\n' ? "expected a value" : fmt::format("unexpected character '{}' where a value should be", peek()));
    std::string unsigned_part = token[0] == '+' || token[0] == '-' ? token.substr(1) : token;
    if (unsigned_part == "inf" || unsigned_part == "nan") {
      double real = unsigned_part == "inf" ? INFINITY : NAN;
      return Value::from_float(token[0] == '-' ? -real : real);
    }
    auto invalid = [&] { fail(fmt::format("invalid number \"{}\"", token)); };
    if (unsigned_part.size() > 2 && unsigned_part[0] == '0' && (unsigned_part[1] == 'x' || unsigned_part[1] == 'o' || unsigned_part[1] == 'b')) {
      if (token[0] == '+' || token[0] == '-') invalid();
      int base = unsigned_part[1] == 'x' ? 16 : unsigned_part[1] == 'o' ? 8 : 2;
      std::string digits = without_underscores(unsigned_part.substr(2), invalid);
      int64_t value = 0;
      auto [end, problem] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
      if (problem == std::errc::result_out_of_range) fail(fmt::format("number \"{}\" is out of range for int64", token));
      if (problem != std::errc() || end != digits.data() + digits.size()) invalid();
      return Value::from_int64(value);
    }
    // [+-] integer-part [. digits] [e [+-] digits]
    size_t i = 0;
    auto digit_run = [&](std::string_view text, size_t& at) {
      size_t start = at;
      while (at < text.size() && (is_digit(text[at]) || text[at] == '_')) ++at;
      std::string_view run = text.substr(start, at - start);
      if (run.empty() || run.front() == '_' || run.back() == '_' || run.find("__") != std::string_view::npos) invalid();
      return run;
    };
    std::string_view whole = digit_run(unsigned_part, i);
    if (whole.size() > 1 && whole[0] == '0') invalid();  // leading zeros
    bool is_float = false;
    if (i < unsigned_part.size() && unsigned_part[i] == '.') {
      ++i;
      digit_run(unsigned_part, i);
      is_float = true;
    }
    if (i < unsigned_part.size() && (unsigned_part[i] == 'e' || unsigned_part[i] == 'E')) {
      ++i;
      if (i < unsigned_part.size() && (unsigned_part[i] == '+' || unsigned_part[i] == '-')) ++i;
      digit_run(unsigned_part, i);
      is_float = true;
    }
    if (i != unsigned_part.size()) invalid();
    std::string plain = without_underscores(token, invalid);
    if (is_float) return Value::from_float(std::strtod(plain.c_str(), nullptr));
    int64_t value = 0;
    const char* first = plain.data() + (plain[0] == '+');
    auto [end, problem] = std::from_chars(first, plain.data() + plain.size(), value);
    if (problem == std::errc::result_out_of_range) fail(fmt::format("number \"{}\" is out of range for int64", token));
    if (problem != std::errc() || end != plain.data() + plain.size()) invalid();
    return Value::from_int64(value);
  }

  template <typename Invalid>
  static std::string without_underscores(const std::string& text, Invalid invalid) {
    if (text.empty() || text.front() == '_' || text.back() == '_' || text.find("__") != std::string::npos) invalid();
    std::string out;
    for (char c : text)
      if (c != '_') out += c;
    return out;
  }

  int fixed_digits(size_t count, const char* what) {
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
      if (!is_digit(peek())) fail(fmt::format("invalid {} in a date-time", what));
      value = value * 10 + (peek() - '0');
      advance();
    }
    return value;
  }

  // HH:MM:SS[.fraction] (TOML 1.0 requires the seconds).
  void time_of_day(int& hour, int& minute, int& second, int& nanos) {
    hour = fixed_digits(2, "hour");
    if (peek() != ':') fail("expected ':' in a time");
    advance();
    minute = fixed_digits(2, "minute");
    if (peek() != ':') fail("expected ':' in a time");
    advance();
    second = fixed_digits(2, "second");
    nanos = 0;
    if (peek() == '.') {
      advance();
      if (!is_digit(peek())) fail("expected digits after '.' in a time");
      int count = 0;
      while (is_digit(peek())) {
        if (count < 9) nanos = nanos * 10 + (peek() - '0'), ++count;
        advance();
      }
      for (; count < 9; ++count) nanos *= 10;
    }
    if (hour > 23 || minute > 59 || second > 60) fail("a time is out of range");
  }

  Value local_time_value() {
    int hour, minute, second, nanos;
    time_of_day(hour, minute, second, nanos);
    return make_time_(time_of(0, 1, 1, hour, minute, second, nanos));
  }

  Value date_time_value() {
    int year = fixed_digits(4, "year");
    if (peek() != '-') fail("expected '-' in a date");
    advance();
    int month = fixed_digits(2, "month");
    if (peek() != '-') fail("expected '-' in a date");
    advance();
    int day = fixed_digits(2, "day");
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap))
      fail("a date is out of range");
    int hour = 0, minute = 0, second = 0, nanos = 0;
    int64_t offset = 0;
    bool with_time = peek() == 'T' || peek() == 't' || (peek() == ' ' && is_digit(peek(1)));
    if (with_time) {
      advance();
      time_of_day(hour, minute, second, nanos);
      if (peek() == 'Z' || peek() == 'z') {
        advance();
      } else if (peek() == '+' || peek() == '-') {
        bool negative = peek() == '-';
        advance();
        int hours = fixed_digits(2, "offset");
        if (peek() != ':') fail("expected ':' in a time offset");
        advance();
        int minutes = fixed_digits(2, "offset");
        if (hours > 23 || minutes > 59) fail("a time offset is out of range");
        offset = (hours * 60 + minutes) * 60 * (negative ? -1 : 1);
      }
    }
    GoTime time = time_of(year, month, day, hour, minute, second, nanos);
    time.seconds -= offset;
    return make_time_(time);
  }

  std::string_view text_;
  MakeTime make_time_;
  size_t position_ = 0;
  int line_ = 1;
  ValueMap* current_ = nullptr;
  std::set<const ValueMap*> implicit_;      // made as the parent of a header, still open to a [header]
  std::set<const ValueMap*> dotted_;        // made by dotted keys: extended only by dotted keys
  std::set<const ValueMap*> inline_;        // inline tables: closed
  std::set<const ValueList*> table_arrays_; // made by [[headers]]: the only lists [[ ]] extends
};

}  // namespace

std::optional<Value> parse_toml(std::string_view text, MakeTime make_time, std::string& error) {
  try {
    return TomlReader(text, make_time).parse();
  } catch (const TomlProblem& problem) {
    error = problem.message;
    return std::nullopt;
  }
}

}  // namespace shiftlint::helm
