#include "analyzer/parse/json_syntax.h"

#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace shiftlint {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string describe(std::string_view text, size_t at) {
  if (at >= text.size()) return "end of file";
  char c = text[at];
  if (c == '"') {
    size_t end = at + 1;
    while (end < text.size() && end - at < 30 && text[end] != '"' && text[end] != '\n') ++end;
    return fmt::format("'{}'", text.substr(at, end - at + (end < text.size() && text[end] == '"')));
  }
  auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte >= 0x7F) return fmt::format("byte 0x{:02x}", byte);
  size_t end = at;
  while (end < text.size() && end - at < 20 && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    ++end;
  if (end == at) end = at + 1;
  return fmt::format("'{}'", text.substr(at, end - at));
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::optional<JsonSyntaxError> run() {
    enum class Expect { Value, ValueOrClose, KeyOrClose, Key, Colon, CommaOrClose, End };
    std::vector<char> stack;  // '{' or '['
    Expect expect = Expect::Value;
    while (true) {
      if (auto comment = skip_space()) return comment;
      if (pos_ >= text_.size()) {
        if (expect == Expect::End) return std::nullopt;
        if (stack.empty()) return error(pos_, 0, pos_ == 0 ? "empty file: expected a JSON value"
                                                            : "unexpected end of file: expected a value");
        return error(pos_, 0, fmt::format("unexpected end of file: the {} opened at line {} is not closed",
                                          stack.back() == '{' ? "object" : "list", line_of(open_offsets_.back())));
      }
      char c = text_[pos_];
      switch (expect) {
        case Expect::End:
          return error(pos_, 1, fmt::format("unexpected {} after the end of the JSON value", describe(text_, pos_)));
        case Expect::Colon:
          if (c != ':') return error(pos_, 1, fmt::format("expected ':' after the object key, found {}", describe(text_, pos_)));
          ++pos_;
          expect = Expect::Value;
          continue;
        case Expect::Key:
        case Expect::KeyOrClose:
          if (c == '}' && expect == Expect::KeyOrClose) break;
          if (c == '}') return error(last_comma_, 1, "trailing comma before '}': JSON does not allow it");
          if (c == '\'') return error(pos_, 1, "strings must use double quotes in JSON");
          if (c != '"') return error(pos_, 1, fmt::format("expected a string key, found {}", describe(text_, pos_)));
          if (auto bad = scan_string()) return bad;
          expect = Expect::Colon;
          after_comma_ = false;
          continue;
        case Expect::CommaOrClose:
          if (c == ',') {
            last_comma_ = pos_++;
            expect = stack.back() == '{' ? Expect::Key : Expect::Value;
            after_comma_ = true;
            continue;
          }
          if ((c == '}' && stack.back() == '{') || (c == ']' && stack.back() == '[')) break;
          if (c == '}' || c == ']')
            return error(pos_, 1, fmt::format("'{}' does not close the {} opened at line {}", c,
                                              stack.back() == '{' ? "object" : "list", line_of(open_offsets_.back())));
          return error(pos_, 1, fmt::format("expected ',' or '{}' {}, found {}: is a comma missing at the end of the previous line?",
                                            stack.back() == '{' ? '}' : ']',
                                            stack.back() == '{' ? "after an object member" : "after a list item",
                                            describe(text_, pos_)));
        case Expect::Value:
        case Expect::ValueOrClose:
          if (c == ']' && expect == Expect::ValueOrClose) break;
          if (c == ']' && after_comma_) return error(last_comma_, 1, "trailing comma before ']': JSON does not allow it");
          if (c == '{' || c == '[') {
            if (stack.size() >= 100000) return error(pos_, 1, "nesting is too deep");
            stack.push_back(c);
            open_offsets_.push_back(pos_);
            ++pos_;
            expect = c == '{' ? Expect::KeyOrClose : Expect::ValueOrClose;
            after_comma_ = false;
            continue;
          }
          if (auto bad = scan_scalar()) return bad;
          expect = stack.empty() ? Expect::End : Expect::CommaOrClose;
          after_comma_ = false;
          continue;
      }
      // A closing bracket that matches.
      ++pos_;
      stack.pop_back();
      open_offsets_.pop_back();
      expect = stack.empty() ? Expect::End : Expect::CommaOrClose;
      after_comma_ = false;
    }
  }

 private:
  JsonSyntaxError error(size_t offset, size_t length, std::string message) const {
    return {offset, length, std::move(message)};
  }

  size_t line_of(size_t offset) const {
    size_t line = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) line += text_[i] == '\n';
    return line;
  }

  std::optional<JsonSyntaxError> skip_space() {
    while (pos_ < text_.size()) {
      if (is_space(text_[pos_])) {
        ++pos_;
      } else if (text_[pos_] == '/' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '/' || text_[pos_ + 1] == '*')) {
        return error(pos_, 2, "comments are not allowed in JSON");
      } else {
        break;
      }
    }
    return std::nullopt;
  }

  std::optional<JsonSyntaxError> scan_string() {
    size_t start = pos_++;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return std::nullopt;
      }
      if (c == '\n') break;
      if (static_cast<unsigned char>(c) < 0x20)
        return error(pos_, 1, "control characters must be escaped in JSON strings");
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        char escape = text_[pos_ + 1];
        if (escape == 'u') {
          for (size_t k = 2; k < 6; ++k)
            if (pos_ + k >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[pos_ + k])))
              return error(pos_, 2, "invalid \\u escape in JSON string");
          pos_ += 6;
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(escape) == std::string_view::npos)
          return error(pos_, 2, fmt::format("invalid escape '\\{}' in JSON string", escape));
        pos_ += 2;
        continue;
      }
      ++pos_;
    }
    return error(start, 1, "unterminated string: the closing '\"' is missing");
  }

  std::optional<JsonSyntaxError> scan_scalar() {
    char c = text_[pos_];
    if (c == '"') return scan_string();
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        size_t end = pos_ + word.size();
        if (end < text_.size() && std::isalnum(static_cast<unsigned char>(text_[end]))) break;
        pos_ = end;
        return std::nullopt;
      }
    }
    if (c == '-' || is_digit(c)) {
      size_t start = pos_;
      if (text_[pos_] == '-') ++pos_;
      if (pos_ >= text_.size() || !is_digit(text_[pos_])) return error(start, 1, "invalid number");
      if (text_[pos_] == '0' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))
        return error(start, 1, "numbers cannot have leading zeros in JSON");
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) return error(start, pos_ - start, "invalid number: digits expected after '.'");
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      }
      if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) return error(start, pos_ - start, "invalid number: digits expected in the exponent");
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      }
      return std::nullopt;
    }
    if (c == '\'') return error(pos_, 1, "strings must use double quotes in JSON");
    return error(pos_, 1, fmt::format("expected a value, found {}", describe(text_, pos_)));
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t last_comma_ = 0;
  bool after_comma_ = false;
  std::vector<size_t> open_offsets_;
};

}  // namespace

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text) { return Scanner(text).run(); }

}  // namespace shiftlint
