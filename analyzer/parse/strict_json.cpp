#include "analyzer/parse/strict_json.h"

#include <cctype>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>

#include "analyzer/source/utf8.h"

namespace shiftlint {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Small objects (nearly all of them) find duplicate keys by scanning; large ones use an index.
constexpr size_t kIndexedObjectSize = 16;

struct Frame {
  Node node;
  std::string pending_key;  // an object member's key, waiting for its value
  Span pending_key_span;
  std::unordered_map<std::string, size_t> key_index;  // only for large objects
};

class Parser {
 public:
  Parser(const SourceFile& file, const LoadLimits& limits, StrictJsonResult& result)
      : file_(file), text_(file.text()), limits_(limits), result_(result) {}

  void run() {
    enum class Expect { Value, ValueOrClose, KeyOrClose, Key, Colon, CommaOrClose, End };
    Expect expect = Expect::Value;
    while (true) {
      if (!skip_space()) return;
      if (pos_ >= text_.size()) {
        if (expect == Expect::End) return;
        if (stack_.empty()) return fail(pos_, 0, "empty file: expected a JSON value");
        return fail(pos_, 0, fmt::format("unexpected end of file: the {} opened at line {} is not closed",
                                         stack_.back().node.is_map() ? "object" : "list",
                                         stack_.back().node.span.begin.line));
      }
      char c = text_[pos_];
      switch (expect) {
        case Expect::End:
          return fail(pos_, 1, fmt::format("more than one top-level JSON value: unexpected {} after the end of the "
                                           "first", describe(pos_)));
        case Expect::Colon:
          if (c != ':') return fail(pos_, 1, fmt::format("expected ':' after the object key, found {}", describe(pos_)));
          ++pos_;
          expect = Expect::Value;
          continue;
        case Expect::Key:
        case Expect::KeyOrClose: {
          if (c == '}' && expect == Expect::KeyOrClose) break;
          if (c == '}') return fail(last_comma_, 1, "trailing comma before '}': JSON does not allow it");
          if (c == '\'') return fail(pos_, 1, "strings must use double quotes in JSON");
          if (c != '"') return fail(pos_, 1, fmt::format("expected a string key, found {}", describe(pos_)));
          Position begin = here();
          std::string key;
          if (!scan_string(key)) return;
          Frame& frame = stack_.back();
          frame.pending_key = std::move(key);
          frame.pending_key_span = {begin, here()};
          expect = Expect::Colon;
          after_comma_ = false;
          continue;
        }
        case Expect::CommaOrClose: {
          bool in_object = stack_.back().node.is_map();
          if (c == ',') {
            last_comma_ = pos_++;
            expect = in_object ? Expect::Key : Expect::Value;
            after_comma_ = true;
            continue;
          }
          if ((c == '}' && in_object) || (c == ']' && !in_object)) break;
          if (c == '}' || c == ']')
            return fail(pos_, 1, fmt::format("'{}' does not close the {} opened at line {}", c,
                                             in_object ? "object" : "list", stack_.back().node.span.begin.line));
          return fail(pos_, 1, fmt::format("expected ',' or '{}' {}, found {}: is a comma missing at the end of the "
                                           "previous line?", in_object ? '}' : ']',
                                           in_object ? "after an object member" : "after a list item", describe(pos_)));
        }
        case Expect::Value:
        case Expect::ValueOrClose: {
          if (c == ']' && expect == Expect::ValueOrClose) break;
          if (c == ']' && after_comma_) return fail(last_comma_, 1, "trailing comma before ']': JSON does not allow it");
          after_comma_ = false;
          if (c == '{' || c == '[') {
            if (stack_.size() >= limits_.max_depth)
              return fail(pos_, 1, fmt::format("JSON nests deeper than {} levels here", limits_.max_depth));
            Frame frame;
            frame.node.kind = c == '{' ? NodeKind::Map : NodeKind::List;
            frame.node.file = &file_;
            frame.node.span.begin = here();
            stack_.push_back(std::move(frame));
            ++pos_;
            expect = c == '{' ? Expect::KeyOrClose : Expect::ValueOrClose;
            continue;
          }
          Node value;
          if (!scan_scalar(value)) return;
          add_value(std::move(value));
          expect = stack_.empty() ? Expect::End : Expect::CommaOrClose;
          continue;
        }
      }
      // A closing bracket that matches the innermost open container.
      ++pos_;
      Frame frame = std::move(stack_.back());
      stack_.pop_back();
      frame.node.span.end = here();
      add_value(std::move(frame.node));
      expect = stack_.empty() ? Expect::End : Expect::CommaOrClose;
    }
  }

 private:
  Position here() const {
    return {line_, static_cast<uint32_t>(pos_ - line_start_ + 1)};
  }

  Span span_at(size_t offset, size_t length) const {
    Position begin{line_, static_cast<uint32_t>(offset - line_start_ + 1)};
    return {begin, {line_, static_cast<uint32_t>(begin.column + length)}};
  }

  void fail(size_t offset, size_t length, std::string message) {
    // Every error is found on the current line: the scanner never looks back across a newline.
    size_t line_start = line_start_;
    uint32_t line = line_;
    if (offset < line_start) {
      // The trailing comma may sit on an earlier line: recount to it.
      Position position = file_.position_at(offset);
      result_.diagnostics.push_back({{position, {position.line, position.column + static_cast<uint32_t>(length)}},
                                     std::move(message)});
    } else {
      Position begin{line, static_cast<uint32_t>(offset - line_start + 1)};
      result_.diagnostics.push_back({{begin, {line, begin.column + static_cast<uint32_t>(length)}}, std::move(message)});
    }
    result_.syntax_error = true;
    stack_.clear();
  }

  std::string describe(size_t at) const {
    if (at >= text_.size()) return "end of file";
    char c = text_[at];
    if (c == '"') {
      size_t end = at + 1;
      while (end < text_.size() && end - at < 30 && text_[end] != '"' && text_[end] != '\n') ++end;
      return fmt::format("'{}'", text_.substr(at, end - at + (end < text_.size() && text_[end] == '"')));
    }
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) return fmt::format("byte 0x{:02x}", byte);
    size_t end = at;
    while (end < text_.size() && end - at < 20 && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
      ++end;
    if (end == at) end = at + 1;
    return fmt::format("'{}'", text_.substr(at, end - at));
  }

  // Skips white space, counting lines. False (after reporting) on a comment.
  bool skip_space() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '/' || text_[pos_ + 1] == '*')) {
        fail(pos_, 2, "comments are not allowed in JSON");
        return false;
      } else {
        break;
      }
    }
    return true;
  }

  void add_value(Node value) {
    if (stack_.empty()) {
      result_.root = std::move(value);
      return;
    }
    Frame& frame = stack_.back();
    if (!frame.node.is_map()) {
      frame.node.children.push_back(std::move(value));
      return;
    }
    value.key = std::move(frame.pending_key);
    value.key_span = frame.pending_key_span;
    std::vector<Node>& members = frame.node.children;
    const Node* first = nullptr;
    if (members.size() < kIndexedObjectSize) {
      for (const Node& member : members)
        if (member.key == value.key) first = &member;
    } else {
      if (frame.key_index.empty())
        for (size_t i = 0; i < members.size(); ++i) frame.key_index.emplace(members[i].key, i);
      auto found = frame.key_index.find(value.key);
      if (found != frame.key_index.end()) first = &members[found->second];
    }
    if (first) {
      result_.diagnostics.push_back(
          {value.key_span, fmt::format("duplicate key \"{}\" (first defined at line {}); most readers keep only the "
                                       "last value", value.key, first->key_span.begin.line)});
    }
    members.push_back(std::move(value));
    // The index keeps each key's first position, for the message above.
    if (!frame.key_index.empty()) frame.key_index.emplace(members.back().key, members.size() - 1);
  }

  // Reads a string starting at the opening quote into `out` (decoded). False after reporting.
  bool scan_string(std::string& out) {
    size_t start = pos_++;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\n') break;
      if (static_cast<unsigned char>(c) < 0x20) {
        fail(pos_, 1, "control characters must be escaped in JSON strings");
        return false;
      }
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= text_.size()) break;
      char escape = text_[pos_ + 1];
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
          if (!read_hex4(pos_ + 2, unit)) {
            fail(pos_, 2, "invalid \\u escape in JSON string");
            return false;
          }
          pos_ += 6;
          uint32_t code_point = unit;
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            uint32_t low = 0;
            if (pos_ + 1 < text_.size() && text_[pos_] == '\\' && text_[pos_ + 1] == 'u' && read_hex4(pos_ + 2, low) &&
                low >= 0xDC00 && low <= 0xDFFF) {
              code_point = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
              pos_ += 6;
            } else {
              code_point = 0xFFFD;  // a lone surrogate is valid JSON but not a character
            }
          } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            code_point = 0xFFFD;
          }
          append_utf8(out, code_point);
          continue;
        }
        default:
          fail(pos_, 2, fmt::format("invalid escape '\\{}' in JSON string", escape));
          return false;
      }
      pos_ += 2;
    }
    fail(start, 1, "unterminated string: the closing '\"' is missing");
    return false;
  }

  bool read_hex4(size_t at, uint32_t& value) const {
    if (at + 4 > text_.size()) return false;
    value = 0;
    for (size_t i = at; i < at + 4; ++i) {
      int digit = hex_digit_value(text_[i]);
      if (digit < 0) return false;
      value = value * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  bool scan_scalar(Node& value) {
    value.file = &file_;
    Position begin = here();
    char c = text_[pos_];
    if (c == '"') {
      value.kind = NodeKind::String;
      if (!scan_string(value.text)) return false;
      value.span = {begin, here()};
      return true;
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.compare(pos_, word.size(), word) != 0) continue;
      size_t end = pos_ + word.size();
      if (end < text_.size() && std::isalnum(static_cast<unsigned char>(text_[end]))) break;
      value.kind = word == "null" ? NodeKind::Null : NodeKind::Boolean;
      value.boolean = word == "true";
      pos_ = end;
      value.span = {begin, here()};
      return true;
    }
    if (c == '-' || is_digit(c)) {
      size_t start = pos_;
      if (text_[pos_] == '-') ++pos_;
      if (pos_ >= text_.size() || !is_digit(text_[pos_])) {
        fail(start, 1, "invalid number");
        return false;
      }
      if (text_[pos_] == '0' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])) {
        fail(start, 1, "numbers cannot have leading zeros in JSON");
        return false;
      }
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) {
          fail(start, pos_ - start, "invalid number: digits expected after '.'");
          return false;
        }
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      }
      if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) {
          fail(start, pos_ - start, "invalid number: digits expected in the exponent");
          return false;
        }
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      }
      value.kind = NodeKind::Number;
      value.text = std::string(text_.substr(start, pos_ - start));
      value.number = std::strtod(value.text.c_str(), nullptr);
      value.span = {begin, here()};
      return true;
    }
    if (c == '\'') {
      fail(pos_, 1, "strings must use double quotes in JSON");
      return false;
    }
    fail(pos_, 1, fmt::format("expected a value, found {}", describe(pos_)));
    return false;
  }

  const SourceFile& file_;
  std::string_view text_;
  const LoadLimits& limits_;
  StrictJsonResult& result_;
  std::vector<Frame> stack_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  size_t last_comma_ = 0;
  bool after_comma_ = false;
};

}  // namespace

StrictJsonResult parse_strict_json(const SourceFile& file, const LoadLimits& limits) {
  StrictJsonResult result;
  Parser(file, limits, result).run();
  if (result.syntax_error) result.root.reset();
  return result;
}

}  // namespace shiftlint
