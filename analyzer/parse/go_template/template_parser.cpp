#include "analyzer/parse/go_template/template_parser.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace shiftlint::go_template {

namespace {

// ---------------------------------------------------------------------------------------------
// Lexer: the whole text into items, as Go's text/template/parse lexer does (text, delimiters and
// the tokens inside actions, spaces included because they separate arguments).

enum class Item : uint8_t {
  Text,
  LeftDelimiter,
  RightDelimiter,
  Space,
  Identifier,  // also keywords: the parser tells them apart
  Field,       // ".name"
  Variable,    // "$name" or "$"
  Dot,
  String,  // decoded value in `value`
  Char,    // decoded rune in `value` as a number
  Number,
  Boolean,
  Nil,
  Pipe,
  LeftParen,
  RightParen,
  Declare,
  Assign,
  Comma,
  End,
};

struct Token {
  Item type = Item::End;
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string value;
};

struct LexError {
  uint32_t offset;
  std::string message;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alphanumeric(char c) {
  return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes a Go quoted string or char literal body (between the quotes). nullopt when an escape
// is malformed.
std::optional<std::string> unquote(std::string_view body, char quote) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= body.size()) return std::nullopt;
    char e = body[i];
    switch (e) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '\'':
      case '"':
        if (e != quote) return std::nullopt;
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t value = 0;
        for (size_t k = 1; k <= digits; ++k) {
          if (i + k >= body.size()) return std::nullopt;
          int h = hex_value(body[i + k]);
          if (h < 0) return std::nullopt;
          value = value * 16 + h;
        }
        i += digits;
        if (e == 'x') out += static_cast<char>(value);
        else append_utf8(out, value);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          if (i + 2 >= body.size()) return std::nullopt;
          uint32_t value = 0;
          for (size_t k = 0; k < 3; ++k) {
            char o = body[i + k];
            if (o < '0' || o > '7') return std::nullopt;
            value = value * 8 + (o - '0');
          }
          if (value > 255) return std::nullopt;
          i += 2;
          out += static_cast<char>(value);
          break;
        }
        return std::nullopt;
    }
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // All items, or the first error.
  std::optional<LexError> run(std::vector<Token>& items) {
    items_ = &items;
    while (position_ < text_.size()) {
      if (!lex_text()) break;
      if (error_) return error_;
    }
    if (error_) return error_;
    items.push_back({Item::End, static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(text_.size()), {}});
    return std::nullopt;
  }

 private:
  char at(size_t offset) const { return offset < text_.size() ? text_[offset] : '\0'; }
  bool starts_with(size_t offset, std::string_view prefix) const {
    return text_.substr(std::min(offset, text_.size())).starts_with(prefix);
  }
  bool left_trim_marker(size_t offset) const { return at(offset) == '-' && is_space(at(offset + 1)); }
  bool right_trim_marker(size_t offset) const {
    return is_space(at(offset)) && at(offset + 1) == '-' && starts_with(offset + 2, "}}");
  }
  void emit(Item type, size_t begin, size_t end, std::string value = {}) {
    items_->push_back({type, static_cast<uint32_t>(begin), static_cast<uint32_t>(end), std::move(value)});
  }
  void fail(size_t offset, std::string message) {
    if (!error_) error_ = LexError{static_cast<uint32_t>(offset), std::move(message)};
  }

  // Text up to the next `{{`, then the action. Returns false at the end of the input.
  bool lex_text() {
    size_t delimiter = text_.find("{{", position_);
    size_t text_end = delimiter == std::string_view::npos ? text_.size() : delimiter;
    size_t kept_end = text_end;
    if (delimiter != std::string_view::npos && left_trim_marker(delimiter + 2))
      while (kept_end > position_ && is_space(text_[kept_end - 1])) --kept_end;
    if (kept_end > position_) emit(Item::Text, position_, kept_end);
    if (delimiter == std::string_view::npos) {
      position_ = text_.size();
      return false;
    }
    position_ = delimiter + 2;
    size_t after_marker = left_trim_marker(position_) ? 2 : 0;
    if (starts_with(position_ + after_marker, "/*")) return lex_comment(delimiter, position_ + after_marker);
    emit(Item::LeftDelimiter, delimiter, position_ + after_marker);
    position_ += after_marker;
    return lex_inside_action(delimiter);
  }

  bool lex_comment(size_t delimiter, size_t start) {
    size_t close = text_.find("*/", start + 2);
    if (close == std::string_view::npos) {
      fail(delimiter, "unclosed comment");
      return false;
    }
    position_ = close + 2;
    if (right_trim_marker(position_)) {
      position_ += 4;
      skip_leading_space();
    } else if (starts_with(position_, "}}")) {
      position_ += 2;
    } else {
      fail(delimiter, "comment ends before closing delimiter");
      return false;
    }
    return true;
  }

  void skip_leading_space() {
    while (position_ < text_.size() && is_space(text_[position_])) ++position_;
  }

  bool lex_inside_action(size_t action_start) {
    int paren_depth = 0;
    while (true) {
      if (right_trim_marker(position_) || starts_with(position_, "}}")) {
        if (paren_depth > 0) {
          fail(position_, "unclosed left paren");
          return false;
        }
        bool trim = right_trim_marker(position_);
        size_t begin = position_;
        position_ += trim ? 4 : 2;
        emit(Item::RightDelimiter, begin, position_);
        if (trim) skip_leading_space();
        return true;
      }
      if (position_ >= text_.size()) {
        fail(action_start, "unclosed action");
        return false;
      }
      size_t begin = position_;
      char c = text_[position_];
      if (is_space(c)) {
        while (position_ < text_.size() && is_space(text_[position_]) && !right_trim_marker(position_)) ++position_;
        emit(Item::Space, begin, position_);
      } else if (c == '=') {
        ++position_;
        emit(Item::Assign, begin, position_);
      } else if (c == ':') {
        if (at(position_ + 1) != '=') {
          fail(position_, "expected :=");
          return false;
        }
        position_ += 2;
        emit(Item::Declare, begin, position_);
      } else if (c == '|') {
        ++position_;
        emit(Item::Pipe, begin, position_);
      } else if (c == '"') {
        if (!lex_quoted(begin)) return false;
      } else if (c == '`') {
        size_t close = text_.find('`', position_ + 1);
        if (close == std::string_view::npos) {
          fail(begin, "unterminated raw quoted string");
          return false;
        }
        position_ = close + 1;
        emit(Item::String, begin, position_, std::string(text_.substr(begin + 1, close - begin - 1)));
      } else if (c == '\'') {
        if (!lex_char(begin)) return false;
      } else if (c == '$') {
        ++position_;
        while (position_ < text_.size() && is_alphanumeric(text_[position_])) ++position_;
        emit(Item::Variable, begin, position_, std::string(text_.substr(begin, position_ - begin)));
      } else if (c == '.' && !is_digit(at(position_ + 1))) {
        ++position_;
        if (!is_alphanumeric(at(position_))) {
          emit(Item::Dot, begin, position_);
        } else {
          while (position_ < text_.size() && is_alphanumeric(text_[position_])) ++position_;
          if (!at_terminator()) {
            fail(position_, "bad character after field");
            return false;
          }
          emit(Item::Field, begin, position_, std::string(text_.substr(begin + 1, position_ - begin - 1)));
        }
      } else if (c == '+' || c == '-' || c == '.' || is_digit(c)) {
        if (!lex_number(begin)) return false;
      } else if (is_alphanumeric(c)) {
        while (position_ < text_.size() && is_alphanumeric(text_[position_])) ++position_;
        if (!at_terminator()) {
          fail(position_, "bad character in identifier");
          return false;
        }
        std::string word(text_.substr(begin, position_ - begin));
        if (word == "true" || word == "false") emit(Item::Boolean, begin, position_, std::move(word));
        else if (word == "nil") emit(Item::Nil, begin, position_, std::move(word));
        else emit(Item::Identifier, begin, position_, std::move(word));
      } else if (c == '(') {
        ++paren_depth;
        ++position_;
        emit(Item::LeftParen, begin, position_);
      } else if (c == ')') {
        if (--paren_depth < 0) {
          fail(position_, "unexpected right paren");
          return false;
        }
        ++position_;
        emit(Item::RightParen, begin, position_);
      } else if (c == ',') {
        ++position_;
        emit(Item::Comma, begin, position_);
      } else {
        fail(position_, std::string("unrecognized character in action: '") + c + "'");
        return false;
      }
    }
  }

  // After an identifier or field: what may follow without a space.
  bool at_terminator() const {
    char c = at(position_);
    if (position_ >= text_.size() || is_space(c)) return true;
    switch (c) {
      case '.': case ',': case '|': case ':': case ')': case '(': case '=': return true;
      default: return starts_with(position_, "}}");
    }
  }

  bool lex_quoted(size_t begin) {
    size_t i = begin + 1;
    while (true) {
      if (i >= text_.size() || text_[i] == '\n') {
        fail(begin, "unterminated quoted string");
        return false;
      }
      if (text_[i] == '\\') {
        i += 2;
        continue;
      }
      if (text_[i] == '"') break;
      ++i;
    }
    auto value = unquote(text_.substr(begin + 1, i - begin - 1), '"');
    if (!value) {
      fail(begin, "invalid escape in quoted string");
      return false;
    }
    position_ = i + 1;
    emit(Item::String, begin, position_, std::move(*value));
    return true;
  }

  bool lex_char(size_t begin) {
    size_t i = begin + 1;
    while (i < text_.size() && text_[i] != '\'' && text_[i] != '\n') i += text_[i] == '\\' ? 2 : 1;
    if (i >= text_.size() || text_[i] != '\'') {
      fail(begin, "unterminated character constant");
      return false;
    }
    auto value = unquote(text_.substr(begin + 1, i - begin - 1), '\'');
    if (!value || value->empty()) {
      fail(begin, "malformed character constant");
      return false;
    }
    // The rune's code point.
    const auto* bytes = reinterpret_cast<const unsigned char*>(value->data());
    uint32_t code = bytes[0];
    if (code >= 0xF0 && value->size() >= 4) code = ((code & 7) << 18) | ((bytes[1] & 63) << 12) | ((bytes[2] & 63) << 6) | (bytes[3] & 63);
    else if (code >= 0xE0 && value->size() >= 3) code = ((code & 15) << 12) | ((bytes[1] & 63) << 6) | (bytes[2] & 63);
    else if (code >= 0xC0 && value->size() >= 2) code = ((code & 31) << 6) | (bytes[1] & 63);
    position_ = i + 1;
    emit(Item::Char, begin, position_, std::to_string(code));
    return true;
  }

  bool lex_number(size_t begin) {
    size_t i = begin;
    if (at(i) == '+' || at(i) == '-') ++i;
    std::string_view digits = "0123456789_";
    // Go's lexer: `e` exponents follow decimal digits, `p` exponents hex ones, and octal or binary
    // literals have none.
    enum class Base { Decimal, Hex, Other } base = Base::Decimal;
    if (at(i) == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X')) {
      i += 2;
      digits = "0123456789abcdefABCDEF_";
      base = Base::Hex;
    } else if (at(i) == '0' && (at(i + 1) == 'o' || at(i + 1) == 'O')) {
      i += 2;
      digits = "01234567_";
      base = Base::Other;
    } else if (at(i) == '0' && (at(i + 1) == 'b' || at(i + 1) == 'B')) {
      i += 2;
      digits = "01_";
      base = Base::Other;
    }
    auto run = [&](std::string_view set) {
      while (i < text_.size() && set.find(text_[i]) != std::string_view::npos) ++i;
    };
    run(digits);
    if (at(i) == '.') {
      ++i;
      run(digits);
    }
    if ((base == Base::Decimal && (at(i) == 'e' || at(i) == 'E')) || (base == Base::Hex && (at(i) == 'p' || at(i) == 'P'))) {
      ++i;
      if (at(i) == '+' || at(i) == '-') ++i;
      run("0123456789_");
    }
    if (at(i) == 'i') ++i;
    if (is_alphanumeric(at(i)) || i == begin || (i == begin + 1 && (at(begin) == '+' || at(begin) == '-'))) {
      fail(begin, "bad number syntax: " + std::string(text_.substr(begin, i - begin + 1)));
      return false;
    }
    position_ = i;
    emit(Item::Number, begin, i, std::string(text_.substr(begin, i - begin)));
    return true;
  }

  std::string_view text_;
  size_t position_ = 0;
  std::vector<Token>* items_ = nullptr;
  std::optional<LexError> error_;
};

// ---------------------------------------------------------------------------------------------
// Parser

struct ParseFailure {
  uint32_t offset;
  std::string message;
};

// Go allows `_` in a number literal only as a separator: between two digits, or between a base
// prefix and a digit ("1_000", "0x_1F"); "1__0", "_1" and "1_" are not numbers.
bool underscores_are_separators(std::string_view body) {
  bool hex = false;
  size_t i = 0;
  // What came before the current character: 'd' a digit or base prefix, '_' a separator, 'o' other.
  char previous = 'o';
  if (body.size() >= 2 && body[0] == '0' && std::string_view("xXoObB").find(body[1]) != std::string_view::npos) {
    hex = body[1] == 'x' || body[1] == 'X';
    previous = 'd';
    i = 2;
  }
  for (; i < body.size(); ++i) {
    char c = body[i];
    bool digit = (c >= '0' && c <= '9') || (hex && std::isxdigit(static_cast<unsigned char>(c)));
    if (digit) {
      previous = 'd';
    } else if (c == '_') {
      if (previous != 'd') return false;
      previous = '_';
    } else {
      if (previous == '_') return false;
      previous = 'o';
    }
  }
  return previous != '_';
}

// A number literal as Go's text/template reads it: an integer literal (decimal, 0x, 0o, 0b or a
// leading 0 for octal, with `_` separators) is an int and must fit in one; a literal with `.`, an
// exponent (`e`, or `p` for hex floats such as 0x1p60) is a float64 even when its value is whole.
// Returns an error message, empty when the literal is a number.
std::string parse_number(const std::string& literal, Argument& argument) {
  std::string illegal = "illegal number syntax: \"" + literal + "\"";
  if (!literal.empty() && literal.back() == 'i') return illegal;  // complex numbers: not in Helm
  std::string_view body = literal;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (!underscores_are_separators(body)) return illegal;
  std::string cleaned;  // sign kept, separators dropped
  if (negative) cleaned += '-';
  for (char c : body)
    if (c != '_') cleaned += c;
  std::string_view digits = std::string_view(cleaned).substr(negative ? 1 : 0);

  int base = 10;
  size_t prefix_length = 0;  // "0x", "0o" or "0b"
  bool is_float = false;
  if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    prefix_length = 2;
    is_float = digits.find_first_of("pP.") != std::string_view::npos;
    // A hex mantissa needs a binary exponent: "0x1.8" is not a number, "0x1.8p1" is 3.
    if (is_float && digits.find_first_of("pP") == std::string_view::npos) return illegal;
  } else if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
    base = 8;
    prefix_length = 2;
  } else if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
    base = 2;
    prefix_length = 2;
  } else {
    is_float = digits.find_first_of(".eE") != std::string_view::npos;
    if (!is_float && digits.size() > 1 && digits[0] == '0') base = 8;  // Go: a leading 0 is octal
  }

  if (!is_float) {
    std::string_view magnitude = digits.substr(prefix_length);
    uint64_t value = 0;
    auto [end, error] = std::from_chars(magnitude.data(), magnitude.data() + magnitude.size(), value, base);
    if (magnitude.empty() || end != magnitude.data() + magnitude.size()) return illegal;
    uint64_t largest = static_cast<uint64_t>(INT64_MAX) + (negative ? 1 : 0);
    if (error == std::errc::result_out_of_range || value > largest) return literal + " overflows int";
    if (error != std::errc()) return illegal;
    argument.is_integer = true;
    argument.integer = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
    argument.real = static_cast<double>(argument.integer);
    return {};
  }
  // strtod reads decimal and C99 hex floats ("0x1.8p1") alike; the lexer has already made sure the
  // text has Go's shape, so what strtod must still reject is a value out of a float64's range.
  char* end = nullptr;
  double value = std::strtod(cleaned.c_str(), &end);
  if (end != cleaned.c_str() + cleaned.size()) return illegal;
  if (std::isinf(value)) return illegal;
  argument.is_integer = false;
  argument.real = value;
  return {};
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> items) : text_(text), items_(std::move(items)) {}

  void parse(ParsedTemplate& result) {
    while (peek().type != Item::End) {
      if (peek().type == Item::LeftDelimiter) {
        size_t saved = index_;
        const Token& delimiter = advance();
        const Token& word = next_non_space();
        if (word.type == Item::Identifier && word.value == "define") {
          parse_definition(delimiter, result);
          continue;
        }
        index_ = saved;
      }
      std::optional<TemplateNode> node = text_or_action(&result);
      if (node) result.body.push_back(std::move(*node));
      else if (pending_terminator_ == Terminator::End) fail(last_.begin, "unexpected {{end}}");
      else fail(last_.begin, "unexpected {{else}}");
    }
  }

 private:
  enum class Terminator { None, Else, End };

  const Token& peek() const { return items_[index_]; }
  const Token& next_non_space() {
    while (peek().type == Item::Space) advance();
    return advance();
  }
  const Token& peek_non_space() {
    while (peek().type == Item::Space) advance();
    return peek();
  }
  const Token& advance() {
    const Token& token = items_[index_];
    last_ = token;
    if (token.type != Item::End) ++index_;
    return token;
  }

  [[noreturn]] void fail(uint32_t offset, std::string message) { throw ParseFailure{offset, std::move(message)}; }

  // if/range/with/block bodies and parentheses are parsed (and later executed) recursively: a
  // bound on their nesting keeps a hostile template (a hundred thousand `(` or `{{if}}`) an error
  // instead of a stack overflow. Real charts nest a few levels.
  static constexpr int kMaxNesting = 1000;
  class Nested {
   public:
    Nested(Parser& parser, uint32_t offset) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting)
        parser_.fail(offset, "max expression depth exceeded: actions and parentheses nest deeper than " +
                                 std::to_string(kMaxNesting) + " levels");
    }
    ~Nested() { --parser_.nesting_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Parser& parser_;
  };

  std::string describe(const Token& token) const {
    switch (token.type) {
      case Item::End: return "EOF";
      case Item::RightDelimiter: return "}}";
      case Item::RightParen: return ")";
      case Item::LeftParen: return "(";
      case Item::Pipe: return "|";
      case Item::Comma: return ",";
      case Item::Declare: return ":=";
      case Item::Assign: return "=";
      default: return "\"" + std::string(text_.substr(token.begin, token.end - token.begin)) + "\"";
    }
  }

  void expect(Item type, const char* context) {
    const Token& token = next_non_space();
    if (token.type != type) fail(token.begin, "unexpected " + describe(token) + " in " + context);
  }

  void parse_definition(const Token& delimiter, ParsedTemplate& result) {
    const Token& name = next_non_space();
    if (name.type != Item::String) fail(name.begin, "name of define clause must be a string");
    Definition definition;
    definition.name = name.value;
    definition.offset = delimiter.begin;
    expect(Item::RightDelimiter, "define clause");
    open_actions_.emplace_back(delimiter.begin, "define");
    Terminator terminator = item_list(definition.body, &result);
    open_actions_.pop_back();
    if (terminator != Terminator::End) fail(last_.begin, "unexpected {{else}} in define clause");
    result.definitions.push_back(std::move(definition));
  }

  // Nodes up to {{else}} or {{end}} (the terminator is returned), failing at the end of input.
  Terminator item_list(std::vector<TemplateNode>& list, ParsedTemplate* result) {
    while (true) {
      if (peek().type == Item::End) {
        if (!open_actions_.empty())
          fail(open_actions_.back().first,
               "{{" + open_actions_.back().second + "}} has no matching {{end}} (unexpected end of the template)");
        fail(peek().begin, "unexpected EOF");
      }
      std::optional<TemplateNode> node = text_or_action(result);
      if (!node) return pending_terminator_;
      list.push_back(std::move(*node));
    }
  }

  // One node, or nullopt at {{else}}/{{end}} (pending_terminator_ says which).
  std::optional<TemplateNode> text_or_action(ParsedTemplate* result) {
    const Token& token = advance();
    if (token.type == Item::Text) {
      TemplateNode node;
      node.type = NodeType::Text;
      node.offset = token.begin;
      node.end = token.end;
      return node;
    }
    if (token.type != Item::LeftDelimiter) fail(token.begin, "unexpected " + describe(token));
    return action(token.begin, result);
  }

  std::optional<TemplateNode> action(uint32_t start, ParsedTemplate* result) {
    const Token& word = peek_non_space();
    if (word.type == Item::Identifier) {
      const std::string& keyword = word.value;
      if (keyword == "end" || keyword == "else") {
        advance();
        pending_terminator_ = keyword == "end" ? Terminator::End : Terminator::Else;
        if (keyword == "end") {
          expect(Item::RightDelimiter, "end");
        } else {
          const Token& after = peek_non_space();
          bool chained = after.type == Item::Identifier && (after.value == "if" || after.value == "with");
          if (!chained) expect(Item::RightDelimiter, "else");
        }
        return std::nullopt;
      }
      if (keyword == "if" || keyword == "range" || keyword == "with") {
        advance();
        return control(keyword == "if" ? NodeType::If : keyword == "range" ? NodeType::Range : NodeType::With, start,
                       result);
      }
      if (keyword == "template" || keyword == "block") {
        advance();
        return template_call(keyword == "block", start, result);
      }
      if (keyword == "break" || keyword == "continue") {
        advance();
        if (range_depth_ == 0) fail(word.begin, "{{" + keyword + "}} outside {{range}}");
        expect(Item::RightDelimiter, keyword.c_str());
        TemplateNode node;
        node.type = keyword == "break" ? NodeType::Break : NodeType::Continue;
        node.offset = start;
        node.end = last_.end;
        return node;
      }
      if (keyword == "define") fail(word.begin, "unexpected <define> in command");
    }
    TemplateNode node;
    node.type = NodeType::Action;
    node.offset = start;
    node.pipeline = pipeline("command", Item::RightDelimiter, start);
    node.end = last_.end;
    return node;
  }

  TemplateNode control(NodeType type, uint32_t start, ParsedTemplate* result) {
    const char* context = type == NodeType::If ? "if" : type == NodeType::Range ? "range" : "with";
    Nested nested(*this, start);
    TemplateNode node;
    node.type = type;
    node.offset = start;
    node.pipeline = pipeline(context, Item::RightDelimiter, start);
    node.end = last_.end;
    if (type == NodeType::Range) ++range_depth_;
    open_actions_.emplace_back(start, context);
    Terminator terminator = item_list(node.list, result);
    if (type == NodeType::Range) --range_depth_;
    if (terminator == Terminator::Else) {
      const Token& after = peek_non_space();
      bool chain = after.type == Item::Identifier &&
                   ((type == NodeType::If && after.value == "if") || (type == NodeType::With && after.value == "with"));
      if (chain) {
        uint32_t chained_start = after.begin;
        advance();
        // `{{else if b}}` is `{{else}}{{if b}}...{{end}}` sharing the outer {{end}}.
        node.else_list.push_back(control(type, chained_start, result));
        open_actions_.pop_back();
        return node;
      }
      terminator = item_list(node.else_list, result);
      if (terminator != Terminator::End) fail(last_.begin, std::string("expected end; found {{else}} in ") + context);
    }
    open_actions_.pop_back();
    return node;
  }

  TemplateNode template_call(bool is_block, uint32_t start, ParsedTemplate* result) {
    const char* context = is_block ? "block clause" : "template clause";
    const Token& name = next_non_space();
    if (name.type != Item::String) fail(name.begin, std::string("unexpected ") + describe(name) + " in " + context);
    TemplateNode node;
    node.type = NodeType::Template;
    node.offset = start;
    node.name = name.value;
    if (peek_non_space().type != Item::RightDelimiter) node.pipeline = pipeline(context, Item::RightDelimiter, start);
    else advance();
    node.end = last_.end;
    if (is_block) {
      Nested nested(*this, start);
      Definition definition;
      definition.name = node.name;
      definition.offset = start;
      Terminator terminator = item_list(definition.body, result);
      if (terminator != Terminator::End) fail(last_.begin, "unexpected {{else}} in block clause");
      if (result) result->definitions.push_back(std::move(definition));
    }
    return node;
  }

  std::shared_ptr<Pipeline> pipeline(const char* context, Item end, uint32_t start) {
    auto pipe = std::make_shared<Pipeline>();
    pipe->offset = start;
    // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
    if (peek_non_space().type == Item::Variable) {
      size_t saved = index_;
      const Token& variable = advance();
      std::string name = variable.value;
      const Token& after = peek_non_space();
      if (after.type == Item::Declare || after.type == Item::Assign) {
        pipe->is_assignment = after.type == Item::Assign;
        advance();
        pipe->variables.push_back(name);
      } else if (after.type == Item::Comma) {
        advance();
        pipe->variables.push_back(name);
        if (std::string_view(context) != "range") fail(after.begin, std::string("too many declarations in ") + context);
        const Token& second = next_non_space();
        if (second.type != Item::Variable) fail(second.begin, "range can only initialize variables");
        pipe->variables.push_back(second.value);
        const Token& operation = next_non_space();
        if (operation.type != Item::Declare && operation.type != Item::Assign)
          fail(operation.begin, "range can only initialize variables");
        pipe->is_assignment = operation.type == Item::Assign;
      } else {
        index_ = saved;
      }
    }
    while (true) {
      const Token& token = peek_non_space();
      if (token.type == end) {
        advance();
        break;
      }
      switch (token.type) {
        case Item::Boolean: case Item::Char: case Item::Dot: case Item::Field: case Item::Identifier:
        case Item::Number: case Item::Nil: case Item::String: case Item::Variable: case Item::LeftParen:
          pipe->commands.push_back(command(context));
          break;
        default:
          fail(token.begin, "unexpected " + describe(token) + " in " + context);
      }
    }
    if (pipe->commands.empty()) fail(start, std::string("missing value for ") + context);
    for (size_t i = 1; i < pipe->commands.size(); ++i) {
      ArgumentKind first = pipe->commands[i].arguments.front().kind;
      if (first == ArgumentKind::Boolean || first == ArgumentKind::Dot || first == ArgumentKind::Nil ||
          first == ArgumentKind::Number || first == ArgumentKind::String)
        fail(pipe->commands[i].offset, "non executable command in pipeline stage " + std::to_string(i + 1));
    }
    return pipe;
  }

  Command command(const char* context) {
    Command command;
    command.offset = peek_non_space().begin;
    while (true) {
      peek_non_space();
      std::optional<Argument> argument = operand(context);
      if (argument) command.arguments.push_back(std::move(*argument));
      const Token& token = peek();
      if (token.type == Item::Space) {
        advance();
        if (peek_non_space().type == Item::Pipe) {
          advance();
          break;
        }
        if (peek().type == Item::RightDelimiter || peek().type == Item::RightParen) break;
        continue;
      }
      if (token.type == Item::RightDelimiter || token.type == Item::RightParen) break;
      if (token.type == Item::Pipe) {
        advance();
        break;
      }
      fail(token.begin, "unexpected " + describe(token) + " in operand");
    }
    if (command.arguments.empty()) fail(command.offset, "empty command");
    return command;
  }

  std::optional<Argument> operand(const char* context) {
    std::optional<Argument> term = this->term(context);
    if (!term) return std::nullopt;
    if (peek().type == Item::Field) {
      switch (term->kind) {
        case ArgumentKind::Field: case ArgumentKind::Variable: case ArgumentKind::Pipeline: break;
        case ArgumentKind::Identifier: {
          // `fn.Field`: Go calls fn without arguments, then takes the field of its result.
          auto call = std::make_shared<Pipeline>();
          call->offset = term->offset;
          Command command;
          command.offset = term->offset;
          command.arguments.push_back(std::move(*term));
          call->commands.push_back(std::move(command));
          Argument chain;
          chain.kind = ArgumentKind::Pipeline;
          chain.offset = call->offset;
          chain.pipeline = std::move(call);
          term = std::move(chain);
          break;
        }
        default: fail(peek().begin, "unexpected . after term " + describe(last_));
      }
      while (peek().type == Item::Field) term->fields.push_back(advance().value);
    }
    return term;
  }

  std::optional<Argument> term(const char* context) {
    const Token& token = peek();
    Argument argument;
    argument.offset = token.begin;
    switch (token.type) {
      case Item::Identifier:
        if (is_keyword(token.value)) fail(token.begin, "unexpected <" + token.value + "> in " + context);
        argument.kind = ArgumentKind::Identifier;
        argument.text = advance().value;
        return argument;
      case Item::Dot:
        advance();
        argument.kind = ArgumentKind::Dot;
        return argument;
      case Item::Nil:
        advance();
        argument.kind = ArgumentKind::Nil;
        return argument;
      case Item::Variable:
        argument.kind = ArgumentKind::Variable;
        argument.text = advance().value;
        return argument;
      case Item::Field:
        argument.kind = ArgumentKind::Field;
        argument.fields.push_back(advance().value);
        return argument;
      case Item::Boolean:
        argument.kind = ArgumentKind::Boolean;
        argument.boolean = advance().value == "true";
        return argument;
      case Item::Char:
        argument.kind = ArgumentKind::Number;
        argument.text = advance().value;
        argument.is_integer = true;
        argument.integer = std::stoll(argument.text);
        argument.real = static_cast<double>(argument.integer);
        return argument;
      case Item::Number:
        argument.kind = ArgumentKind::Number;
        argument.text = advance().value;
        if (std::string problem = parse_number(argument.text, argument); !problem.empty()) fail(token.begin, problem);
        return argument;
      case Item::String:
        argument.kind = ArgumentKind::String;
        argument.text = advance().value;
        return argument;
      case Item::LeftParen: {
        uint32_t start = advance().begin;
        Nested nested(*this, start);
        argument.kind = ArgumentKind::Pipeline;
        argument.pipeline = pipeline("parenthesized pipeline", Item::RightParen, start);
        return argument;
      }
      default: return std::nullopt;
    }
  }

  static bool is_keyword(const std::string& word) {
    return word == "if" || word == "else" || word == "end" || word == "range" || word == "with" ||
           word == "define" || word == "template" || word == "block" || word == "break" || word == "continue";
  }

  std::string_view text_;
  std::vector<Token> items_;
  size_t index_ = 0;
  Token last_;
  Terminator pending_terminator_ = Terminator::None;
  int range_depth_ = 0;
  int nesting_ = 0;
  // The if/range/with actions still waiting for their {{end}}: where, and which keyword.
  std::vector<std::pair<uint32_t, std::string>> open_actions_;
};

}  // namespace

ParsedTemplate parse_template(std::string_view text) {
  ParsedTemplate result;
  std::vector<Token> items;
  Lexer lexer(text);
  if (std::optional<LexError> error = lexer.run(items)) {
    result.errors.push_back({error->offset, std::move(error->message)});
    return result;
  }
  Parser parser(text, std::move(items));
  try {
    parser.parse(result);
  } catch (const ParseFailure& failure) {
    result.body.clear();
    result.definitions.clear();
    result.errors.push_back({failure.offset, failure.message});
  }
  return result;
}

}  // namespace shiftlint::go_template
