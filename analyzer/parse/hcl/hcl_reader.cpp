#include "analyzer/parse/hcl/hcl_reader.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/parse/hcl/template_parts.h"
#include "analyzer/source/utf8.h"

namespace shiftlint::hcl {

namespace {

// Nesting past this depth is left to tree-sitter, which enforces the loader's depth limit with its
// message: the reader recurses a few frames per level and must stay far from a thread's stack end.
constexpr uint32_t kMaxDepth = 160;

// Thrown inside the reader only and caught by read_hcl: "not certain to read this the way
// tree-sitter-hcl does; let it read the file". Declining is rare on real files.
struct Declined {};

bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_char(char c) { return is_identifier_start(c) || is_digit(c) || c == '-'; }
bool is_alphanumeric(char c) { return is_identifier_start(c) || is_digit(c); }

// A directive tag that ends a template section: `%{ else }`, `%{ endif }`, `%{ endfor }`.
enum class SectionEnd { Text, Else, EndIf, EndFor };
struct Tag {
  size_t begin = 0;
  size_t end = 0;
  bool strip_before = false;
  bool strip_after = false;
};

class Reader {
 public:
  Reader(const SourceFile& file, uint32_t max_depth) : file_(file), text_(file.text()), max_depth_(max_depth) {}

  Body read_file() {
    Body body;
    skip_trivia();
    if (at_end()) return body;
    if (peek() == '{') decline();  // a .tfvars written as one object: rare, tree-sitter reads it
    read_body(body, 0, false);
    return body;
  }

 private:
  [[noreturn]] static void decline() { throw Declined{}; }

  // ---- characters ---------------------------------------------------------------------------------
  bool at_end() const { return position_ >= text_.size(); }
  char peek(size_t ahead = 0) const {
    return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0';
  }
  void expect(char c) {
    if (peek() != c) decline();
    ++position_;
  }
  Span span(size_t begin, size_t end) const { return file_.span_of(begin, end); }
  void check_depth(uint32_t depth) const {
    if (depth > max_depth_) decline();
  }

  // White space and comments, as tree-sitter-hcl's extras: `#` and `//` to the end of the line,
  // `/* */` blocks. Anything outside ASCII here may be Unicode white space or an identifier.
  void skip_trivia() {
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        ++position_;
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        skip_line_comment();
      } else if (c == '/' && peek(1) == '*') {
        size_t close = text_.find("*/", position_ + 2);
        if (close == std::string_view::npos) decline();
        position_ = close + 2;
      } else {
        return;
      }
    }
  }
  void skip_line_comment() {
    while (position_ < text_.size() && text_[position_] != '\n' && text_[position_] != '\r') {
      // U+2028/U+2029 end a line for the grammar's `.*`: too rare to mirror.
      if (static_cast<unsigned char>(text_[position_]) == 0xE2 && peek(1) == '\x80' &&
          (peek(2) == '\xA8' || peek(2) == '\xA9'))
        decline();
      ++position_;
    }
  }

  // An identifier: a letter or `_`, then letters, digits, `_`, `-` and `::` (provider functions).
  std::string_view read_identifier() {
    size_t begin = position_;
    if (!is_identifier_start(peek())) decline();
    ++position_;
    for (;;) {
      char c = peek();
      if (is_identifier_char(c)) {
        ++position_;
      } else if (c == ':' && peek(1) == ':') {
        position_ += 2;
      } else {
        break;
      }
    }
    if (static_cast<unsigned char>(peek()) >= 0x80) decline();  // may continue a Unicode identifier
    return text_.substr(begin, position_ - begin);
  }
  // Whether the next token is the word `word` (and not a longer identifier).
  bool at_word(std::string_view word) const {
    if (text_.compare(position_, word.size(), word) != 0) return false;
    char after = position_ + word.size() < text_.size() ? text_[position_ + word.size()] : '\0';
    return !is_identifier_char(after) && after != ':' && static_cast<unsigned char>(after) < 0x80;
  }
  void expect_word(std::string_view word) {
    if (!at_word(word)) decline();
    position_ += word.size();
  }

  // A backslash escape in a quoted string; tree-sitter-hcl rejects the ones HCL does not define.
  void skip_escape() {
    switch (peek(1)) {
      case 'n':
      case 'r':
      case 't':
      case '"':
      case '\\':
      case 'u':
      case 'U': position_ += 2; return;
      default: decline();
    }
  }

  // ---- bodies ---------------------------------------------------------------------------------------
  void read_body(Body& body, uint32_t depth, bool in_block) {
    check_depth(depth);
    for (;;) {
      skip_trivia();
      if (at_end()) {
        if (in_block) decline();
        return;
      }
      if (peek() == '}') {
        if (!in_block) decline();
        return;
      }
      size_t name_begin = position_;
      std::string_view name = read_identifier();
      size_t name_end = position_;
      skip_trivia();
      if (peek() == '=') {
        if (peek(1) == '=' || peek(1) == '>') decline();
        ++position_;
        Attribute attribute;
        attribute.name = std::string(name);
        attribute.name_span = span(name_begin, name_end);
        size_t end = 0;
        attribute.value = read_expression(depth + 1, end);
        attribute.span = span(name_begin, end);
        body.attributes.push_back(std::move(attribute));
        continue;
      }
      Block block;
      block.type = std::string(name);
      block.type_span = span(name_begin, name_end);
      while (peek() != '{') {
        size_t label_begin = position_;
        if (peek() == '"') {
          block.labels.push_back(read_label_string());
        } else {
          block.labels.emplace_back(read_identifier());
        }
        block.label_spans.push_back(span(label_begin, position_));
        skip_trivia();
      }
      ++position_;  // `{`
      read_body(block.body, depth + 1, true);
      ++position_;  // `}`
      block.span = span(name_begin, position_);
      body.blocks.push_back(std::move(block));
    }
  }

  // A block label: a quoted string without interpolations (tree-sitter-hcl's string_lit).
  std::string read_label_string() {
    size_t content_begin = ++position_;
    for (;;) {
      char c = peek();
      if (c == '"') break;
      if (c == '\0' || c == '\n' || c == '\r') decline();
      if (c == '\\') {
        skip_escape();
        continue;
      }
      if ((c == '$' || c == '%') && (peek(1) == '{' || peek(1) == c)) decline();
      ++position_;
    }
    size_t content_end = position_++;
    return decode_template_literal(text_.substr(content_begin, content_end - content_begin), true);
  }

  // ---- expressions ----------------------------------------------------------------------------------
  // Each reader returns the expression and sets `end` to where its syntax ends: after a closing
  // parenthesis that, by the builder's convention, the expression's own span leaves out.
  Expression read_expression(uint32_t depth, size_t& end) {
    check_depth(depth);
    Expression condition = read_binary(0, depth, end);
    skip_trivia();
    if (peek() != '?') return condition;
    ++position_;
    size_t true_end = 0;
    Expression when_true = read_expression(depth + 1, true_end);
    skip_trivia();
    if (peek() != ':' || peek(1) == ':') decline();
    ++position_;
    Expression when_false = read_expression(depth + 1, end);
    return chain_conditional(std::move(condition), std::move(when_true), std::move(when_false));
  }

  // The binary operator at the cursor and its precedence (tree-sitter-hcl's table), or 0.
  int binary_operator(std::string_view& symbol) const {
    char c = peek(), next = peek(1);
    auto take = [&](size_t length, int precedence) {
      symbol = text_.substr(position_, length);
      return precedence;
    };
    switch (c) {
      case '*':
      case '/':
      case '%': return take(1, 6);
      case '+':
      case '-': return take(1, 5);
      case '>': return next == '=' ? take(2, 4) : take(1, 4);
      case '<':
        if (next == '<') decline();
        return next == '=' ? take(2, 4) : take(1, 4);
      case '=': return next == '=' ? take(2, 3) : 0;
      case '!': return next == '=' ? take(2, 3) : 0;
      case '&': return next == '&' ? take(2, 2) : 0;
      case '|': return next == '|' ? take(2, 1) : 0;
      default: return 0;
    }
  }

  Expression read_binary(int min_precedence, uint32_t depth, size_t& end) {
    Expression left = read_unary(depth, end);
    for (;;) {
      skip_trivia();
      std::string_view symbol;
      int precedence = binary_operator(symbol);
      if (precedence == 0 || precedence < min_precedence) return left;
      position_ += symbol.size();
      size_t right_end = 0;
      Expression right = read_binary(precedence + 1, depth + 1, right_end);
      Expression binary;
      binary.kind = ExpressionKind::Binary;
      binary.text = std::string(symbol);
      binary.begin_offset = left.begin_offset;
      binary.end_offset = static_cast<uint32_t>(right_end);
      binary.span = {left.span.begin, file_.position_at(right_end)};
      binary.operands.push_back(std::move(left));
      binary.operands.push_back(std::move(right));
      left = std::move(binary);
      end = right_end;
    }
  }

  Expression read_unary(uint32_t depth, size_t& end) {
    check_depth(depth);
    skip_trivia();
    char c = peek();
    if (c != '-' && c != '!') return read_postfix(depth, end);
    if (c == '!' && peek(1) == '=') decline();
    size_t begin = position_++;
    Expression operand = read_unary(depth + 1, end);
    Expression unary;
    unary.kind = ExpressionKind::Unary;
    unary.text = std::string(1, c);
    unary.begin_offset = static_cast<uint32_t>(begin);
    unary.end_offset = static_cast<uint32_t>(end);
    unary.span = span(begin, end);
    unary.operands.push_back(std::move(operand));
    return unary;
  }

  // `object` followed by `.name`, `.0`, `[index]`: located from the object's start to the postfix's end.
  Expression traverse(Expression object, ExpressionKind kind, size_t end) {
    Expression result;
    result.kind = kind;
    result.begin_offset = object.begin_offset;
    result.end_offset = static_cast<uint32_t>(end);
    result.span = {object.span.begin, file_.position_at(end)};
    result.operands.push_back(std::move(object));
    return result;
  }

  // One get_attr or index at the cursor (after skipped trivia), applied to `object`; false when the
  // cursor holds neither (a splat, `...`, anything else), with the cursor left where it was.
  bool read_traversal_step(Expression& object, uint32_t depth) {
    size_t save = position_;
    skip_trivia();
    char c = peek();
    if (c == '.' && peek(1) != '*' && peek(1) != '.') {
      size_t dot = position_++;
      if (is_digit(peek())) {  // the legacy index `.0`
        size_t digits_begin = position_;
        while (is_digit(peek())) ++position_;
        if (is_identifier_char(peek())) decline();
        Expression key;
        key.kind = ExpressionKind::Number;
        key.text = std::string(text_.substr(digits_begin, position_ - digits_begin));
        key.number = std::strtod(key.text.c_str(), nullptr);
        key.begin_offset = static_cast<uint32_t>(dot);
        key.end_offset = static_cast<uint32_t>(position_);
        key.span = span(dot, position_);
        object = traverse(std::move(object), ExpressionKind::Index, position_);
        object.operands.push_back(std::move(key));
        return true;
      }
      skip_trivia();
      std::string_view name = read_identifier();
      object = traverse(std::move(object), ExpressionKind::GetAttr, position_);
      object.text = std::string(name);
      return true;
    }
    if (c == '[' && !(peek(1) == '*' && peek(2) == ']')) {
      ++position_;
      size_t index_end = 0;
      Expression index = read_expression(depth + 1, index_end);
      skip_trivia();
      expect(']');
      object = traverse(std::move(object), ExpressionKind::Index, position_);
      object.operands.push_back(std::move(index));
      return true;
    }
    position_ = save;
    return false;
  }

  Expression read_postfix(uint32_t depth, size_t& end) {
    Expression current = read_primary(depth, end);
    for (;;) {
      if (read_traversal_step(current, depth)) {
        end = current.end_offset;
        continue;
      }
      size_t save = position_;
      skip_trivia();
      bool attribute_splat = peek() == '.' && peek(1) == '*';
      bool full_splat = peek() == '[' && peek(1) == '*' && peek(2) == ']';
      if (!attribute_splat && !full_splat) {
        position_ = save;
        return current;
      }
      current = read_splat(std::move(current), attribute_splat, depth);
      end = current.end_offset;
    }
  }

  // `source.*.name` or `source[*].name[0]`: the traversal after the splat applies to each element.
  Expression read_splat(Expression source, bool attribute_splat, uint32_t depth) {
    size_t splat_begin = position_;
    position_ += attribute_splat ? 2 : 3;
    Expression traversal;
    traversal.kind = ExpressionKind::SplatItem;
    traversal.begin_offset = static_cast<uint32_t>(splat_begin);
    traversal.end_offset = static_cast<uint32_t>(splat_begin);
    traversal.span.begin = file_.position_at(splat_begin);
    size_t splat_end = position_;
    while (read_traversal_step(traversal, depth)) splat_end = position_;
    // The item is located on the whole splat (its offsets stay empty at the splat's start).
    Expression* item = &traversal;
    while (item->kind != ExpressionKind::SplatItem) item = &item->operands[0];
    item->span.end = file_.position_at(splat_end);
    Expression result;
    result.kind = ExpressionKind::Splat;
    result.splat_attribute_only = attribute_splat;
    result.begin_offset = source.begin_offset;
    result.end_offset = static_cast<uint32_t>(splat_end);
    result.span = {source.span.begin, file_.position_at(splat_end)};
    result.operands.push_back(std::move(source));
    result.operands.push_back(std::move(traversal));
    return result;
  }

  Expression located(ExpressionKind kind, size_t begin, size_t end) const {
    Expression expression;
    expression.kind = kind;
    expression.begin_offset = static_cast<uint32_t>(begin);
    expression.end_offset = static_cast<uint32_t>(end);
    expression.span = span(begin, end);
    return expression;
  }

  Expression read_primary(uint32_t depth, size_t& end) {
    check_depth(depth);
    skip_trivia();
    size_t begin = position_;
    char c = peek();
    if (c == '(') {
      ++position_;
      size_t inner_end = 0;
      Expression inner = read_expression(depth + 1, inner_end);
      skip_trivia();
      expect(')');
      // Read from the opening parenthesis, but ending with the content (the builder's convention).
      inner.begin_offset = static_cast<uint32_t>(begin);
      inner.span.begin = file_.position_at(begin);
      inner.parenthesized = true;
      end = position_;
      return inner;
    }
    Expression expression;
    if (is_digit(c)) {
      expression = read_number();
    } else if (c == '"') {
      expression = read_quoted(depth);
    } else if (c == '<' && peek(1) == '<') {
      expression = read_heredoc(depth);
    } else if (c == '[') {
      expression = read_tuple(depth);
    } else if (c == '{') {
      expression = read_object(depth);
    } else if (is_identifier_start(c)) {
      std::string_view name = read_identifier();
      size_t name_end = position_;
      if (name == "true" || name == "false") {
        expression = located(ExpressionKind::Boolean, begin, name_end);
        expression.boolean = name == "true";
      } else if (name == "null") {
        expression = located(ExpressionKind::Null, begin, name_end);
      } else if (name == "for" || name == "in" || name == "if") {
        decline();  // keywords where tree-sitter may read them as such
      } else {
        skip_trivia();
        if (peek() == '(') {
          expression = read_call(name, begin, depth);
        } else {
          position_ = name_end;
          expression = located(ExpressionKind::Variable, begin, name_end);
          expression.text = std::string(name);
        }
      }
    } else {
      decline();
    }
    end = position_;
    return expression;
  }

  // numeric_lit: digits with an optional fraction (and exponent only after one), or 0x hex digits.
  Expression read_number() {
    size_t begin = position_;
    bool hexadecimal = peek() == '0' && peek(1) == 'x' && is_alphanumeric(peek(2));
    if (hexadecimal) {
      position_ += 2;
      while (is_alphanumeric(peek())) ++position_;
    } else {
      while (is_digit(peek())) ++position_;
      if (peek() == '.' && is_digit(peek(1))) {
        ++position_;
        while (is_digit(peek())) ++position_;
        if ((peek() == 'e' || peek() == 'E')) {
          size_t sign = (peek(1) == '+' || peek(1) == '-') ? 1 : 0;
          if (!is_digit(peek(1 + sign))) decline();
          position_ += 1 + sign;
          while (is_digit(peek())) ++position_;
        }
      }
      if (is_identifier_char(peek())) decline();  // `1e5`, `10m`: not one numeric literal
    }
    Expression number = located(ExpressionKind::Number, begin, position_);
    number.text = std::string(text_.substr(begin, position_ - begin));
    number.number = hexadecimal ? static_cast<double>(std::strtoull(number.text.c_str() + 2, nullptr, 16))
                                : std::strtod(number.text.c_str(), nullptr);
    return number;
  }

  Expression read_call(std::string_view name, size_t begin, uint32_t depth) {
    Expression call;
    call.kind = ExpressionKind::FunctionCall;
    call.text = std::string(name);
    ++position_;  // `(`
    skip_trivia();
    if (peek() != ')') {
      for (;;) {
        size_t argument_end = 0;
        call.operands.push_back(read_expression(depth + 1, argument_end));
        skip_trivia();
        if (peek() == '.' && peek(1) == '.' && peek(2) == '.') {
          position_ += 3;
          call.expand_final = true;
          skip_trivia();
          break;
        }
        if (peek() == ',') {
          ++position_;
          skip_trivia();
          if (peek() == ')') break;
          continue;
        }
        break;
      }
    }
    expect(')');
    call.begin_offset = static_cast<uint32_t>(begin);
    call.end_offset = static_cast<uint32_t>(position_);
    call.span = span(begin, position_);
    return call;
  }

  Expression read_tuple(uint32_t depth) {
    size_t begin = position_++;
    skip_trivia();
    if (at_word("for")) return read_for(begin, false, depth);
    Expression tuple;
    tuple.kind = ExpressionKind::Tuple;
    while (peek() != ']') {
      size_t item_end = 0;
      tuple.operands.push_back(read_expression(depth + 1, item_end));
      skip_trivia();
      if (peek() == ',') {
        ++position_;
        skip_trivia();
      } else if (peek() != ']') {
        decline();
      }
    }
    ++position_;
    tuple.begin_offset = static_cast<uint32_t>(begin);
    tuple.end_offset = static_cast<uint32_t>(position_);
    tuple.span = span(begin, position_);
    return tuple;
  }

  Expression read_object(uint32_t depth) {
    size_t begin = position_++;
    skip_trivia();
    if (at_word("for")) return read_for(begin, true, depth);
    Expression object;
    object.kind = ExpressionKind::Object;
    while (peek() != '}') {
      size_t key_end = 0;
      Expression key = read_expression(depth + 1, key_end);
      // A bare identifier as a key is the key's name, not a reference (`{ cpu = 256 }`).
      if (key.kind == ExpressionKind::Variable && !key.parenthesized) key.kind = ExpressionKind::String;
      skip_trivia();
      if (peek() == '=' && peek(1) != '=' && peek(1) != '>') {
        ++position_;
      } else if (peek() == ':' && peek(1) != ':') {
        ++position_;
      } else {
        decline();
      }
      size_t value_end = 0;
      Expression value = read_expression(depth + 1, value_end);
      object.operands.push_back(std::move(key));
      object.operands.push_back(std::move(value));
      skip_trivia();
      if (peek() == ',') {
        ++position_;
        skip_trivia();
      }
      if (at_end()) decline();
    }
    ++position_;
    object.begin_offset = static_cast<uint32_t>(begin);
    object.end_offset = static_cast<uint32_t>(position_);
    object.span = span(begin, position_);
    return object;
  }

  // `for key, value in collection :` (the cursor on `for`) into operands [key, value, collection];
  // the key is an unlocated Invalid when the loop names only a value, as the builder leaves it.
  void read_for_intro(Expression& loop, uint32_t depth, bool directive) {
    expect_word("for");
    skip_trivia();
    size_t first_begin = position_;
    std::string_view first = read_identifier();
    size_t first_end = position_;
    skip_trivia();
    Expression key, value;
    key.kind = ExpressionKind::Invalid;
    if (peek() == ',') {
      ++position_;
      skip_trivia();
      key = located(ExpressionKind::Variable, first_begin, first_end);
      key.text = std::string(first);
      size_t second_begin = position_;
      std::string_view second = read_identifier();
      value = located(ExpressionKind::Variable, second_begin, position_);
      value.text = std::string(second);
      skip_trivia();
    } else {
      value = located(ExpressionKind::Variable, first_begin, first_end);
      value.text = std::string(first);
    }
    expect_word("in");
    size_t collection_end = 0;
    Expression collection = read_expression(depth + 1, collection_end);
    loop.operands.push_back(std::move(key));
    loop.operands.push_back(std::move(value));
    loop.operands.push_back(std::move(collection));
    if (directive) return;
    skip_trivia();
    if (peek() != ':' || peek(1) == ':') decline();
    ++position_;
  }

  Expression read_for(size_t begin, bool object, uint32_t depth) {
    Expression loop;
    loop.kind = object ? ExpressionKind::ForObject : ExpressionKind::ForTuple;
    read_for_intro(loop, depth, false);
    size_t result_end = 0;
    loop.operands.push_back(read_expression(depth + 1, result_end));
    skip_trivia();
    if (object) {
      if (peek() != '=' || peek(1) != '>') decline();
      position_ += 2;
      loop.operands.push_back(read_expression(depth + 1, result_end));
      skip_trivia();
      if (peek() == '.' && peek(1) == '.' && peek(2) == '.') {
        position_ += 3;
        loop.expand_final = true;
        skip_trivia();
      }
    }
    if (at_word("if")) {
      position_ += 2;
      size_t condition_end = 0;
      loop.operands.push_back(read_expression(depth + 1, condition_end));
      skip_trivia();
    }
    expect(object ? '}' : ']');
    loop.begin_offset = static_cast<uint32_t>(begin);
    loop.end_offset = static_cast<uint32_t>(position_);
    loop.span = span(begin, position_);
    return loop;
  }

  // ---- templates ------------------------------------------------------------------------------------
  Expression read_quoted(uint32_t depth) {
    size_t begin = position_++;
    size_t content_begin = position_;
    TemplateContext context;
    context.quoted = true;
    context.content_begin = content_begin;
    std::vector<PlacedElement> elements;
    Tag tag;
    if (read_section(elements, context, std::string_view::npos, depth + 1, tag) != SectionEnd::Text) decline();
    size_t content_end = position_++;  // the closing quote
    return finish_template(file_, template_section(file_, context, content_begin, content_end, std::move(elements),
                                                   false, false),
                           begin, position_, false);
  }

  Expression read_heredoc(uint32_t depth) {
    size_t begin = position_;
    position_ += 2;
    bool flush = peek() == '-';
    if (flush) ++position_;
    size_t marker_begin = position_;
    if (!is_identifier_start(peek())) decline();
    while (is_alphanumeric(peek())) ++position_;
    std::string_view marker = text_.substr(marker_begin, position_ - marker_begin);
    while (peek() == ' ' || peek() == '\t') ++position_;
    if (peek() == '\r') ++position_;
    if (peek() != '\n') decline();
    size_t content_begin = position_ + 1;
    // The closing marker: alone on a line (indentation allowed). A line that starts with the marker
    // and goes on with something else is not certain to read the same way: decline.
    size_t content_end = std::string_view::npos, closing_end = 0;
    for (size_t line = content_begin; line < text_.size();) {
      size_t at = line;
      while (at < text_.size() && (text_[at] == ' ' || text_[at] == '\t')) ++at;
      size_t line_end = text_.find('\n', line);
      if (line_end == std::string_view::npos) line_end = text_.size();
      if (text_.compare(at, marker.size(), marker) == 0) {
        size_t after = at + marker.size();
        if (after == line_end || (text_[after] == '\r' && after + 1 == line_end)) {
          content_end = line;
          closing_end = after;
          break;
        }
        if (!is_identifier_char(text_[after])) decline();
      }
      line = line_end + 1;
    }
    if (content_end == std::string_view::npos) decline();
    TemplateContext context;
    context.quoted = false;
    context.content_begin = content_begin;
    if (flush) context.flush_indent = common_indent(text_, content_begin, content_end);
    position_ = content_begin;
    std::vector<PlacedElement> elements;
    Tag tag;
    if (read_section(elements, context, content_end, depth + 1, tag) != SectionEnd::Text) decline();
    if (position_ != content_end) decline();
    position_ = closing_end;
    return finish_template(file_, template_section(file_, context, content_begin, content_end, std::move(elements),
                                                   false, false),
                           begin, closing_end, true);
  }

  // Reads template text from the cursor, collecting its interpolations and directives, up to the
  // closing quote (quoted templates), `limit` (heredocs), or a tag that closes a directive's
  // section (returned, with `tag` set and the cursor after it).
  SectionEnd read_section(std::vector<PlacedElement>& elements, const TemplateContext& context, size_t limit,
                          uint32_t depth, Tag& tag) {
    check_depth(depth);
    for (;;) {
      if (position_ >= limit) {
        if (position_ > limit) decline();
        return SectionEnd::Text;
      }
      if (at_end()) decline();
      char c = text_[position_];
      if (context.quoted) {
        if (c == '"') return SectionEnd::Text;
        if (c == '\n' || c == '\r') decline();
        if (c == '\\') {
          skip_escape();
          continue;
        }
      }
      if ((c == '$' || c == '%') && peek(1) == c) decline();  // `$${` escapes and the like
      if (c == '$' && peek(1) == '{') {
        elements.push_back(read_interpolation(depth));
        continue;
      }
      if (c == '%' && peek(1) == '{') {
        size_t begin = position_;
        position_ += 2;
        skip_trivia();
        bool strip_before = false;
        if (peek() == '~') {
          strip_before = true;
          ++position_;
          skip_trivia();
        }
        SectionEnd closing = at_word("else")    ? SectionEnd::Else
                             : at_word("endif") ? SectionEnd::EndIf
                             : at_word("endfor") ? SectionEnd::EndFor
                                                 : SectionEnd::Text;
        if (closing != SectionEnd::Text) {
          position_ += closing == SectionEnd::Else ? 4 : closing == SectionEnd::EndIf ? 5 : 6;
          tag.begin = begin;
          tag.strip_before = strip_before;
          tag.strip_after = read_tag_close();
          tag.end = position_;
          return closing;
        }
        elements.push_back(read_directive(begin, strip_before, context, limit, depth));
        continue;
      }
      ++position_;
    }
  }

  // The end of a tag: an optional strip marker, then `}`. Returns whether the marker was there.
  bool read_tag_close() {
    skip_trivia();
    bool strip = false;
    if (peek() == '~') {
      strip = true;
      ++position_;
      skip_trivia();
    }
    expect('}');
    return strip;
  }

  PlacedElement read_interpolation(uint32_t depth) {
    PlacedElement element;
    element.begin = position_;
    position_ += 2;
    skip_trivia();
    if (peek() == '~') {
      element.strip_before = true;
      ++position_;
    }
    size_t inner_end = 0;
    Expression inner = read_expression(depth + 1, inner_end);
    element.strip_after = read_tag_close();
    element.end = position_;
    element.expression = located(ExpressionKind::Interpolation, element.begin, element.end);
    element.expression.operands.push_back(std::move(inner));
    return element;
  }

  // `%{ if }`...`%{ else }`...`%{ endif }` or `%{ for }`...`%{ endfor }`, the cursor after the
  // opening tag's `%{` (and strip marker).
  PlacedElement read_directive(size_t begin, bool strip_before, const TemplateContext& context, size_t limit,
                               uint32_t depth) {
    PlacedElement element;
    element.begin = begin;
    element.strip_before = strip_before;
    Expression directive;
    Tag tag;
    if (at_word("if")) {
      position_ += 2;
      directive.kind = ExpressionKind::TemplateIf;
      size_t condition_end = 0;
      directive.operands.push_back(read_expression(depth + 1, condition_end));
      bool open_strip_after = read_tag_close();
      size_t then_begin = position_;
      std::vector<PlacedElement> then_elements;
      SectionEnd closing = read_section(then_elements, context, limit, depth + 1, tag);
      if (closing == SectionEnd::Else) {
        Tag else_tag = tag;
        directive.operands.push_back(make_template(
            file_,
            template_section(file_, context, then_begin, else_tag.begin, std::move(then_elements), open_strip_after,
                             else_tag.strip_before),
            then_begin, else_tag.begin));
        std::vector<PlacedElement> else_elements;
        if (read_section(else_elements, context, limit, depth + 1, tag) != SectionEnd::EndIf) decline();
        directive.operands.push_back(make_template(
            file_,
            template_section(file_, context, else_tag.end, tag.begin, std::move(else_elements), else_tag.strip_after,
                             tag.strip_before),
            else_tag.end, tag.begin));
      } else if (closing == SectionEnd::EndIf) {
        directive.operands.push_back(make_template(
            file_,
            template_section(file_, context, then_begin, tag.begin, std::move(then_elements), open_strip_after,
                             tag.strip_before),
            then_begin, tag.begin));
        directive.operands.push_back(make_template(file_, {}, tag.begin, tag.begin));
      } else {
        decline();
      }
    } else if (at_word("for")) {
      directive.kind = ExpressionKind::TemplateFor;
      read_for_intro(directive, depth, true);
      bool open_strip_after = read_tag_close();
      size_t body_begin = position_;
      std::vector<PlacedElement> body_elements;
      if (read_section(body_elements, context, limit, depth + 1, tag) != SectionEnd::EndFor) decline();
      directive.operands.push_back(make_template(
          file_,
          template_section(file_, context, body_begin, tag.begin, std::move(body_elements), open_strip_after,
                           tag.strip_before),
          body_begin, tag.begin));
    } else {
      decline();
    }
    element.end = tag.end;
    element.strip_after = tag.strip_after;
    directive.begin_offset = static_cast<uint32_t>(begin);
    directive.end_offset = static_cast<uint32_t>(tag.end);
    directive.span = span(begin, tag.end);
    element.expression = std::move(directive);
    return element;
  }

  const SourceFile& file_;
  std::string_view text_;
  uint32_t max_depth_;
  size_t position_ = 0;
};

}  // namespace

std::optional<File> read_hcl(const std::shared_ptr<const SourceFile>& file, const LoadLimits& limits) {
  std::string_view text = file->text();
  if (text.size() > UINT32_MAX || find_invalid_utf8(text)) return std::nullopt;
  // The builder counts up to about three levels per nesting level of the text: stay below its limit.
  Reader reader(*file, std::min<uint32_t>(kMaxDepth, limits.max_depth / 3));
  try {
    File result;
    result.source = file;
    result.body = reader.read_file();
    return result;
  } catch (const Declined&) {
    return std::nullopt;
  }
}

}  // namespace shiftlint::hcl
