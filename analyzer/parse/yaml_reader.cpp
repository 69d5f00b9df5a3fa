#include "analyzer/parse/yaml_reader.h"

// The reader follows yaml-cpp 0.7's own state machine, because the located tree must not depend
// on which front end read a file: tokens with the same positions (block collections open where
// their first key or `-` stands and close where the next less indented token starts), the same
// "simple key" bookkeeping (a scalar at the start of a line is a key only when a `:` follows on
// the same line), the same scalar folding, and a parser that turns tokens into events in the
// order yaml-cpp's SingleDocParser does, empty values included. What differs is the cost: the
// text is read in place, runs of plain characters are copied at once, and nothing goes through
// yaml-cpp's character-by-character regular expressions.
//
// Wherever yaml-cpp would throw, and for every construct outside the subset read here, the
// reader throws Decline; read_yaml turns that into `false` and the loader asks yaml-cpp.
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "analyzer/source/utf8.h"

namespace shiftlint {
namespace {

struct Decline {
  size_t at;
};

enum class TokenType : uint8_t {
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMapStart,
  BlockSequenceEnd,
  BlockMapEnd,
  BlockEntry,
  FlowSequenceStart,
  FlowMapStart,
  FlowSequenceEnd,
  FlowMapEnd,
  FlowEntry,
  Key,
  Value,
  Tag,
  Anchor,
  Alias,
  PlainScalar,
  NonPlainScalar,  // quoted or block
};

enum class TokenStatus : uint8_t { Valid, Invalid, Unverified };

struct Token {
  TokenType type;
  TokenStatus status = TokenStatus::Valid;
  size_t mark = 0;
  std::string value;  // a scalar's value; a tag as yaml-cpp spells it; an anchor's name
};

enum class IndentKind : uint8_t { Map, Sequence, None };
enum class IndentStatus : uint8_t { Valid, Invalid, Unknown };

// An open block collection (or a potential one, pushed for a key not yet confirmed).
struct Indent {
  int column = -1;
  IndentKind kind = IndentKind::None;
  IndentStatus status = IndentStatus::Valid;
  uint64_t serial = 0;
  size_t start_token = SIZE_MAX;
};

// A scalar, tag or flow collection that becomes a mapping key if a `:` follows on its line.
struct SimpleKey {
  size_t mark = 0;
  uint32_t line = 0;
  size_t flow_level = 0;
  size_t indent_depth = SIZE_MAX;  // the indent it pushed, if any, by stack depth and serial
  uint64_t indent_serial = 0;
  size_t map_start = SIZE_MAX;  // the BlockMapStart token it pushed, if any
  size_t key = SIZE_MAX;        // its Key token
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}



// Characters yaml-cpp reads differently from what the text says: 0x04 is its end-of-stream
// marker, a lone CR is not a line break for it (but is for the tree's positions), and a first
// byte above ASCII goes through its encoding detection.
bool unread_at(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == 0x7F) return true;
  if (c >= 0x20 || c == '\n' || c == '\t') return false;
  return !(c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
}

bool has_unread_characters(std::string_view text) {
  if (!text.empty() && static_cast<unsigned char>(text[0]) >= 0x80) return true;
  // Eight bytes at a time: only a word holding a byte below 0x20 (a line break, mostly) or 0x7F
  // is looked at byte by byte.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
    const uint64_t xor_delete = word ^ (kOnes * 0x7F);
    const uint64_t is_delete = (xor_delete - kOnes) & ~xor_delete & kHighBits;
    if ((below_space | is_delete) == 0) continue;
    for (size_t j = i; j < i + 8; ++j)
      if (unread_at(text, j)) return true;
  }
  for (; i < text.size(); ++i)
    if (unread_at(text, i)) return true;
  return false;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  // Block scalars indented where yaml-cpp's indentation would differ (scan_block_scalar).
  size_t departures() const { return departures_; }

  [[noreturn]] void decline(size_t at) const { throw Decline{at}; }
  [[noreturn]] void decline() const { throw Decline{pos_}; }

  // The parser's view: the first token that is settled, or none at the end of the stream.
  bool empty() {
    ensure_tokens();
    return head_ == tokens_.size();
  }
  Token& peek() {
    ensure_tokens();
    return tokens_[head_];
  }
  void pop() {
    ensure_tokens();
    if (head_ < tokens_.size()) ++head_;
  }
  // Where yaml-cpp's input stands: the offset an empty node at the end of the stream gets.
  size_t position() const { return pos_; }

 private:
  // ---- reading the text ----------------------------------------------------------------------
  size_t size() const { return text_.size(); }
  // '\0' past the end: the text has no NUL bytes (the loader refuses them).
  char at(size_t offset) const { return offset < text_.size() ? text_[offset] : '\0'; }
  bool at_end(size_t offset) const { return offset >= text_.size(); }
  int column() const { return static_cast<int>(pos_ - line_start_); }
  int column_of(size_t offset) const { return static_cast<int>(offset - line_start_); }

  // Length of the line break at `offset` (a lone CR never reaches the reader), 0 when none.
  size_t break_length(size_t offset) const {
    const char c = at(offset);
    if (c == '\n') return 1;
    if (c == '\r') return 2;
    return 0;
  }
  bool is_break(size_t offset) const { return break_length(offset) > 0; }
  bool blank_or_break(size_t offset) const { return is_blank(at(offset)) || is_break(offset); }
  bool blank_break_or_end(size_t offset) const { return at_end(offset) || blank_or_break(offset); }

  void eat_break() {
    pos_ += break_length(pos_);
    line_start_ = pos_;
    ++line_;
  }

  bool document_indicator(size_t offset) const {
    if (offset != line_start_ || offset + 3 > size()) return false;
    std::string_view marker = text_.substr(offset, 3);
    return (marker == "---" || marker == "...") && blank_break_or_end(offset + 3);
  }

  // ---- the token queue ------------------------------------------------------------------------
  size_t push_token(TokenType type, size_t mark, TokenStatus status = TokenStatus::Valid) {
    tokens_.push_back(Token{type, status, mark, {}});
    return tokens_.size() - 1;
  }

  void ensure_tokens() {
    while (true) {
      while (head_ < tokens_.size() && tokens_[head_].status == TokenStatus::Invalid) ++head_;
      if (head_ < tokens_.size()) {
        if (tokens_[head_].status == TokenStatus::Valid) return;
        // An unverified key: yaml-cpp would hand it out as a key at the end of the stream.
        if (ended_) decline();
      } else if (simple_keys_.empty()) {
        tokens_.clear();
        head_ = 0;
      }
      if (ended_) return;
      scan_next_token();
    }
  }

  bool in_flow() const { return !flows_.empty(); }
  bool in_block() const { return flows_.empty(); }

  // ---- indentation ----------------------------------------------------------------------------
  Indent& top_indent() { return indents_.back(); }
  int top_indent_column() const { return indents_.empty() ? 0 : indents_.back().column; }

  // Opens a block collection at `column` when it is deeper than the current one (or a sequence
  // at a map's column); returns its stack depth, SIZE_MAX when nothing opened.
  size_t push_indent_to(int indent_column, IndentKind kind) {
    if (in_flow()) return SIZE_MAX;
    const Indent& last = indents_.back();
    if (indent_column < last.column) return SIZE_MAX;
    if (indent_column == last.column && !(kind == IndentKind::Sequence && last.kind == IndentKind::Map))
      return SIZE_MAX;
    Indent indent;
    indent.column = indent_column;
    indent.kind = kind;
    indent.serial = ++indent_serial_;
    indent.start_token =
        push_token(kind == IndentKind::Sequence ? TokenType::BlockSequenceStart : TokenType::BlockMapStart, pos_);
    indents_.push_back(indent);
    return indents_.size() - 1;
  }

  void pop_indent() {
    const Indent indent = indents_.back();
    indents_.pop_back();
    if (indent.status != IndentStatus::Valid) {
      invalidate_simple_key();
      return;
    }
    if (indent.kind == IndentKind::Sequence) push_token(TokenType::BlockSequenceEnd, pos_);
    if (indent.kind == IndentKind::Map) push_token(TokenType::BlockMapEnd, pos_);
  }

  void pop_indent_to_here() {
    if (in_flow()) return;
    while (!indents_.empty()) {
      const Indent& indent = indents_.back();
      if (indent.column < column()) break;
      const bool entry_here = at(pos_) == '-' && blank_break_or_end(pos_ + 1);
      if (indent.column == column() && !(indent.kind == IndentKind::Sequence && !entry_here)) break;
      pop_indent();
    }
    while (!indents_.empty() && indents_.back().status == IndentStatus::Invalid) pop_indent();
  }

  void pop_all_indents() {
    if (in_flow()) return;
    while (!indents_.empty() && indents_.back().kind != IndentKind::None) pop_indent();
  }

  // ---- simple keys ----------------------------------------------------------------------------
  void insert_potential_simple_key() {
    if (!simple_key_allowed_) return;
    if (!simple_keys_.empty() && simple_keys_.back().flow_level == flows_.size()) return;
    SimpleKey key;
    key.mark = pos_;
    key.line = line_;
    key.flow_level = flows_.size();
    if (in_block()) {
      const size_t depth = push_indent_to(column(), IndentKind::Map);
      if (depth != SIZE_MAX) {
        Indent& indent = indents_[depth];
        indent.status = IndentStatus::Unknown;
        key.indent_depth = depth;
        key.indent_serial = indent.serial;
        key.map_start = indent.start_token;
        tokens_[key.map_start].status = TokenStatus::Unverified;
      }
    }
    key.key = push_token(TokenType::Key, pos_, TokenStatus::Unverified);
    simple_keys_.push_back(key);
  }

  void settle(const SimpleKey& key, bool valid) {
    if (key.indent_depth < indents_.size() && indents_[key.indent_depth].serial == key.indent_serial)
      indents_[key.indent_depth].status = valid ? IndentStatus::Valid : IndentStatus::Invalid;
    const TokenStatus status = valid ? TokenStatus::Valid : TokenStatus::Invalid;
    if (key.map_start != SIZE_MAX) tokens_[key.map_start].status = status;
    tokens_[key.key].status = status;
  }

  void invalidate_simple_key() {
    if (simple_keys_.empty() || simple_keys_.back().flow_level != flows_.size()) return;
    settle(simple_keys_.back(), false);
    simple_keys_.pop_back();
  }

  bool verify_simple_key() {
    if (simple_keys_.empty() || simple_keys_.back().flow_level != flows_.size()) return false;
    const SimpleKey key = simple_keys_.back();
    simple_keys_.pop_back();
    const bool valid = line_ == key.line && pos_ - key.mark <= 1024;
    settle(key, valid);
    return valid;
  }

  // yaml-cpp forgets pending keys here, leaving their tokens unverified for ever; a text where
  // that matters is not read.
  void drop_all_simple_keys() {
    if (!simple_keys_.empty()) decline();
  }

  // ---- tokens ---------------------------------------------------------------------------------
  void scan_next_token() {
    if (ended_) return;
    if (!started_) {
      started_ = true;
      simple_key_allowed_ = true;
      indents_.push_back(Indent{});
      return;
    }
    scan_to_next_token();
    pop_indent_to_here();
    if (at_end(pos_)) {
      pop_all_indents();
      drop_all_simple_keys();
      simple_key_allowed_ = false;
      ended_ = true;
      return;
    }
    const char c = text_[pos_];
    const char next = at(pos_ + 1);
    if (pos_ == line_start_ && c == '%') decline();  // a directive
    if (document_indicator(pos_)) {
      if (in_flow()) decline();
      pop_all_indents();
      drop_all_simple_keys();
      simple_key_allowed_ = false;
      can_be_json_flow_ = false;
      push_token(c == '-' ? TokenType::DocumentStart : TokenType::DocumentEnd, pos_);
      pos_ += 3;
      return;
    }
    if (c == '[' || c == '{') return scan_flow_start(c);
    if (c == ']' || c == '}') return scan_flow_end(c);
    if (c == ',') return scan_flow_entry();
    if (c == '-' && blank_break_or_end(pos_ + 1)) return scan_block_entry();
    if (c == '?' && blank_or_break(pos_ + 1)) decline();  // an explicit key
    if (c == ':') {
      const bool value = in_block()            ? blank_break_or_end(pos_ + 1)
                         : can_be_json_flow_ ? true
                                             : blank_or_break(pos_ + 1) || next == ',' || next == ']' || next == '}';
      if (value) return scan_value();
    }
    if (c == '&' || c == '*') return scan_anchor_or_alias(c);
    if (c == '!') return scan_tag();
    if (in_block() && (c == '|' || c == '>')) return scan_block_scalar();
    if (c == '\'' || c == '"') return scan_quoted_scalar(c);
    if (plain_scalar_starts_here()) return scan_plain_scalar();
    decline();
  }

  void scan_to_next_token() {
    while (true) {
      while (pos_ < size() && is_blank(text_[pos_])) {
        if (text_[pos_] == '\t' && in_block()) simple_key_allowed_ = false;
        ++pos_;
      }
      if (at(pos_) == '#')
        while (pos_ < size() && !is_break(pos_)) ++pos_;
      if (!is_break(pos_)) return;
      eat_break();
      invalidate_simple_key();
      if (in_block()) simple_key_allowed_ = true;
    }
  }

  bool plain_scalar_starts_here() const {
    const char c = at(pos_);
    switch (c) {
      case ',': case '[': case ']': case '{': case '}': case '#': case '&': case '*': case '!':
      case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
        return false;
      default: break;
    }
    if (in_block()) {
      if ((c == '-' || c == '?' || c == ':') && blank_break_or_end(pos_ + 1)) return false;
    } else {
      if (c == '?') return false;
      if ((c == '-' || c == ':') && (at_end(pos_ + 1) || is_blank(at(pos_ + 1)))) return false;
    }
    return true;
  }

  void scan_flow_start(char c) {
    insert_potential_simple_key();
    simple_key_allowed_ = true;
    can_be_json_flow_ = false;
    flows_.push_back(c == '{');
    push_token(c == '[' ? TokenType::FlowSequenceStart : TokenType::FlowMapStart, pos_);
    ++pos_;
  }

  void scan_flow_end(char c) {
    if (in_block()) decline();
    if (flows_.back() && verify_simple_key())
      push_token(TokenType::Value, pos_);
    else if (!flows_.back())
      invalidate_simple_key();
    simple_key_allowed_ = false;
    can_be_json_flow_ = true;
    if (flows_.back() != (c == '}')) decline();
    flows_.pop_back();
    push_token(c == ']' ? TokenType::FlowSequenceEnd : TokenType::FlowMapEnd, pos_);
    ++pos_;
  }

  void scan_flow_entry() {
    if (in_block()) decline();  // yaml-cpp takes it as a token its parser then rejects
    if (flows_.back() && verify_simple_key())
      push_token(TokenType::Value, pos_);
    else if (!flows_.back())
      invalidate_simple_key();
    simple_key_allowed_ = true;
    can_be_json_flow_ = false;
    push_token(TokenType::FlowEntry, pos_);
    ++pos_;
  }

  void scan_block_entry() {
    if (in_flow() || !simple_key_allowed_) decline();
    push_indent_to(column(), IndentKind::Sequence);
    simple_key_allowed_ = true;
    can_be_json_flow_ = false;
    push_token(TokenType::BlockEntry, pos_);
    ++pos_;
  }

  void scan_value() {
    const bool simple_key = verify_simple_key();
    can_be_json_flow_ = false;
    // A `:` without a key before it on its line (an empty key, or a key that spans lines):
    // legal in places, never seen in real files.
    if (!simple_key) decline();
    simple_key_allowed_ = false;
    push_token(TokenType::Value, pos_);
    ++pos_;
  }

  void scan_tag() {
    insert_potential_simple_key();
    simple_key_allowed_ = false;
    can_be_json_flow_ = false;
    const size_t mark = pos_;
    size_t cursor = pos_ + 1;
    std::string tag;
    if (at(cursor) == '!') {
      // `!!type`: a type of the core schema.
      ++cursor;
      const size_t begin = cursor;
      while (is_word(at(cursor))) ++cursor;
      if (cursor == begin) decline(cursor);
      tag = "tag:yaml.org,2002:";
      tag.append(text_.substr(begin, cursor - begin));
    } else {
      // `!Name`: a local tag such as CloudFormation's `!Ref`.
      const size_t begin = cursor;
      while (is_word(at(cursor))) ++cursor;
      if (cursor == begin) decline(cursor);  // `!` alone, `!<verbatim>`
      tag = "!";
      tag.append(text_.substr(begin, cursor - begin));
    }
    // Tag characters beyond letters, digits and '-' (`!Fn::Sub`, `!a!b`) follow rules not read here.
    if (!blank_break_or_end(cursor)) decline(cursor);
    const size_t index = push_token(TokenType::Tag, mark);
    tokens_[index].value = std::move(tag);
    pos_ = cursor;
  }

  void scan_anchor_or_alias(char indicator) {
    insert_potential_simple_key();
    simple_key_allowed_ = false;
    can_be_json_flow_ = false;
    const size_t mark = pos_;
    size_t cursor = pos_ + 1;
    while (cursor < size()) {
      const char c = text_[cursor];
      if (c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || is_blank(c) || is_break(cursor)) break;
      ++cursor;
    }
    if (cursor == pos_ + 1) decline(cursor);  // no name
    if (!at_end(cursor)) {
      const char c = text_[cursor];
      const bool ends = c == '?' || c == ':' || c == ',' || c == ']' || c == '}' || c == '%' || c == '@' ||
                        c == '`' || blank_or_break(cursor);
      if (!ends) decline(cursor);
    }
    const size_t index = push_token(indicator == '&' ? TokenType::Anchor : TokenType::Alias, mark);
    tokens_[index].value.assign(text_.substr(pos_ + 1, cursor - pos_ - 1));
    pos_ = cursor;
  }

  // ---- scalars --------------------------------------------------------------------------------
  // Where a plain scalar stops on its line: `: `, ` #`, and in flow also `,[]{}?` and `:` before
  // a flow indicator.
  bool plain_scalar_ends_at(size_t offset, bool flow) const {
    const char c = at(offset);
    if (c == ':') {
      const char next = at(offset + 1);
      if (blank_break_or_end(offset + 1)) return true;
      if (flow && (next == ',' || next == ']' || next == '}')) return true;
      return false;
    }
    if (flow && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}')) return true;
    if (is_blank(c) || c == '\n') return at(offset + 1) == '#';
    if (c == '\r') return at(offset + 2) == '#';
    return false;
  }

  // The indentation a plain scalar's continuation lines must exceed. A tag or anchor before the
  // scalar (`k:` then `  !!str a` and `  b` on the next lines, or `!Sub` in CloudFormation) opened a
  // potential key, and with it a possible mapping at its own column; the scalar then continues
  // under the block around it, as it does when the scalar opens the key itself (scan_plain_scalar
  // takes the indent before that). yaml-cpp judges it against the possible mapping and rejects
  // valid YAML that go-yaml, PyYAML and CloudFormation read.
  int continuation_indent_column() const {
    if (!simple_keys_.empty()) {
      const SimpleKey& key = simple_keys_.back();
      if (key.flow_level == flows_.size() && key.indent_depth != SIZE_MAX && key.indent_depth > 0 &&
          key.indent_depth + 1 == indents_.size() && indents_[key.indent_depth].serial == key.indent_serial &&
          indents_[key.indent_depth].status == IndentStatus::Unknown)
        return indents_[key.indent_depth - 1].column;
    }
    return top_indent_column();
  }

  void scan_plain_scalar() {
    const bool flow = in_flow();
    const int indent = flow ? 0 : continuation_indent_column() + 1;
    insert_potential_simple_key();
    const size_t mark = pos_;

    std::string value;
    bool empty_line = false;
    bool leading_spaces = false;
    while (!at_end(pos_)) {
      size_t last_non_blank = value.size();
      // The rest of the line, up to a break or the end of the scalar.
      if (!(pos_ == line_start_ && document_indicator(pos_))) {
        const size_t run = pos_;
        size_t run_end = pos_;  // past the last non-blank character of the run
        while (pos_ < size()) {
          const char c = text_[pos_];
          if (c == '\n' || c == '\r') {
            if (plain_scalar_ends_at(pos_, flow)) break;
            break;
          }
          if (plain_scalar_ends_at(pos_, flow)) break;
          ++pos_;
          if (!is_blank(c)) run_end = pos_;
        }
        value.append(text_.substr(run, pos_ - run));
        if (run_end > run) last_non_blank = value.size() - (pos_ - run_end);
      }
      if (at_end(pos_)) break;
      if (document_indicator(pos_)) break;
      if (plain_scalar_ends_at(pos_, flow)) break;
      // A line break: fold it.
      value.erase(last_non_blank);
      eat_break();
      while (at(pos_) == ' ' && column() < indent && !plain_scalar_ends_at(pos_, flow)) ++pos_;
      while (is_blank(at(pos_))) {
        if (at(pos_) == '\t' && column() < indent) decline();
        if (plain_scalar_ends_at(pos_, flow)) break;
        ++pos_;
      }
      const bool next_empty_line = is_break(pos_);
      if (next_empty_line)
        value += '\n';
      else if (!empty_line)
        value += ' ';
      empty_line = next_empty_line;
      if (!empty_line && column() < indent) {
        leading_spaces = true;
        break;
      }
    }
    // Trailing spaces and line breaks go.
    size_t keep = value.find_last_not_of(" \t");
    value.erase(keep == std::string::npos ? 0 : keep + 1);
    keep = value.find_last_not_of('\n');
    value.erase(keep == std::string::npos ? 0 : keep + 1);

    simple_key_allowed_ = leading_spaces;
    can_be_json_flow_ = false;
    const size_t index = push_token(TokenType::PlainScalar, mark);
    tokens_[index].value = std::move(value);
  }

  // A `\` escape of a double-quoted scalar at pos_, appended decoded.
  void read_escape(std::string& value) {
    const size_t start = pos_;
    const char c = at(pos_ + 1);
    pos_ += 2;
    switch (c) {
      case '0': value += '\0'; return;
      case 'a': value += '\x07'; return;
      case 'b': value += '\x08'; return;
      case 't': case '\t': value += '\x09'; return;
      case 'n': value += '\x0A'; return;
      case 'v': value += '\x0B'; return;
      case 'f': value += '\x0C'; return;
      case 'r': value += '\x0D'; return;
      case 'e': value += '\x1B'; return;
      case ' ': value += ' '; return;
      case '"': value += '"'; return;
      case '\'': value += '\''; return;
      case '\\': value += '\\'; return;
      case '/': value += '/'; return;
      case 'N': value += '\x85'; return;  // yaml-cpp writes these two as single bytes
      case '_': value += '\xA0'; return;
      case 'L': value += "\xE2\x80\xA8"; return;
      case 'P': value += "\xE2\x80\xA9"; return;
      case 'x':
      case 'u':
      case 'U': {
        const int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        uint32_t code_point = 0;
        for (int i = 0; i < digits; ++i) {
          const int digit = hex_digit_value(at(pos_));
          if (digit < 0) decline(start);
          code_point = code_point * 16 + static_cast<uint32_t>(digit);
          ++pos_;
        }
        if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) decline(start);
        append_utf8(value, code_point);
        return;
      }
      default: decline(start);
    }
  }

  void scan_quoted_scalar(char quote) {
    const bool single = quote == '\'';
    insert_potential_simple_key();
    const size_t mark = pos_;
    ++pos_;
    auto ends_here = [&](size_t offset) {
      return at(offset) == quote && !(single && at(offset + 1) == '\'');
    };

    std::string value;
    size_t last_escaped = std::string::npos;
    bool empty_line = false;
    while (true) {
      if (at_end(pos_)) decline(mark);  // never closed
      size_t last_non_blank = value.size();
      bool escaped_break = false;
      while (!ends_here(pos_) && !is_break(pos_)) {
        if (at_end(pos_)) decline(mark);
        if (pos_ == line_start_ && document_indicator(pos_)) decline();
        const char c = text_[pos_];
        if (!single && c == '\\' && is_break(pos_ + 1)) {
          ++pos_;
          last_non_blank = last_escaped = value.size();
          escaped_break = true;
          break;
        }
        if (single && c == '\'') {  // '' inside single quotes
          value += '\'';
          pos_ += 2;
          last_non_blank = last_escaped = value.size();
          continue;
        }
        if (!single && c == '\\') {
          read_escape(value);
          last_non_blank = last_escaped = value.size();
          continue;
        }
        // Copy the run of ordinary characters at once.
        const size_t run = pos_;
        while (pos_ < size()) {
          const char d = text_[pos_];
          if (d == quote || d == '\n' || d == '\r' || (!single && d == '\\')) break;
          ++pos_;
          if (!is_blank(d)) last_non_blank = value.size() + (pos_ - run);
        }
        value.append(text_.substr(run, pos_ - run));
      }
      if (ends_here(pos_)) {
        ++pos_;
        break;
      }
      value.erase(last_non_blank);
      eat_break();
      while (is_blank(at(pos_))) ++pos_;
      const bool next_empty_line = is_break(pos_);
      if (next_empty_line)
        value += '\n';
      else if (!empty_line && !escaped_break)
        value += ' ';
      empty_line = next_empty_line;
    }
    // yaml-cpp clips trailing line breaks of quoted scalars to one (escaped ones stay).
    size_t keep = value.find_last_not_of('\n');
    if (last_escaped != std::string::npos && (keep == std::string::npos || keep < last_escaped)) keep = last_escaped;
    if (keep == std::string::npos)
      value.clear();
    else if (keep + 1 < value.size())
      value.erase(keep + 2);

    simple_key_allowed_ = false;
    can_be_json_flow_ = true;
    const size_t index = push_token(TokenType::NonPlainScalar, mark);
    tokens_[index].value = std::move(value);
  }

  void scan_block_scalar() {
    const size_t mark = pos_;
    const bool folded = text_[pos_] == '>';
    ++pos_;
    enum class Chomping { Clip, Strip, Keep } chomping = Chomping::Clip;
    int indent = 1;
    bool detect_indent = true;
    // Chomping and indentation indicators, in either order, one of each at most.
    auto read_indicator = [&](bool chomp) {
      const char c = at(pos_);
      if (chomp && (c == '+' || c == '-')) {
        chomping = c == '+' ? Chomping::Keep : Chomping::Strip;
        ++pos_;
        return true;
      }
      if (!chomp && c >= '0' && c <= '9') {
        if (c == '0') decline();
        indent = c - '0';
        detect_indent = false;
        ++pos_;
        return true;
      }
      return false;
    };
    if (read_indicator(true))
      read_indicator(false);
    else if (read_indicator(false))
      read_indicator(true);
    while (is_blank(at(pos_))) ++pos_;
    if (at(pos_) == '#')
      while (pos_ < size() && !is_break(pos_)) ++pos_;
    if (!at_end(pos_) && !is_break(pos_)) decline();
    // yaml-cpp measures the block from the innermost indentation, which after a tag or an anchor
    // (`- !Sub |`, `- &script |`) is the map that would open at the tag's column if a `:`
    // followed: content indented less than the tag then ends the scalar, and valid YAML (content
    // two columns past the dash, as CloudFormation is written) fails with "end of sequence not
    // found" (yaml-cpp issue #1163). A block scalar is never a key, so such a potential map does
    // not count: the reader departs from yaml-cpp here, where yaml-cpp throws or misreads.
    int base = top_indent_column();
    for (size_t depth = indents_.size(); depth-- > 0;) {
      if (indents_[depth].status == IndentStatus::Unknown) continue;
      base = indents_[depth].column;
      break;
    }
    if (base != top_indent_column()) ++departures_;
    if (base >= 0) indent += base;

    std::string value;
    bool found_non_empty_line = false;
    bool past_opening_break = false;
    bool empty_line = false;
    bool more_indented = false;
    int folded_newlines = 0;
    bool folded_newlines_started_more_indented = false;
    while (!at_end(pos_)) {
      if (!is_break(pos_)) {
        found_non_empty_line = true;
        past_opening_break = true;
        const size_t run = pos_;
        while (pos_ < size() && !is_break(pos_)) ++pos_;
        value.append(text_.substr(run, pos_ - run));
      }
      if (at_end(pos_)) break;
      eat_break();
      while (at(pos_) == ' ' && (column() < indent || (detect_indent && !found_non_empty_line))) ++pos_;
      if (detect_indent && !found_non_empty_line) indent = std::max(indent, column());
      if (at(pos_) == '\t' && column() < indent) decline();
      const bool next_empty_line = is_break(pos_);
      const bool next_more_indented = is_blank(at(pos_));
      if (folded && folded_newlines == 0 && next_empty_line) folded_newlines_started_more_indented = more_indented;
      if (past_opening_break) {
        if (!folded) {
          value += '\n';
        } else {
          if (!empty_line && !next_empty_line && !more_indented && !next_more_indented && column() >= indent)
            value += ' ';
          else if (next_empty_line)
            ++folded_newlines;
          else
            value += '\n';
          if (!next_empty_line && folded_newlines > 0) {
            value.append(static_cast<size_t>(folded_newlines - 1), '\n');
            if (folded_newlines_started_more_indented || next_more_indented || !found_non_empty_line) value += '\n';
            folded_newlines = 0;
          }
        }
      }
      empty_line = next_empty_line;
      more_indented = next_more_indented;
      past_opening_break = true;
      if (!empty_line && column() < indent) break;
    }
    if (chomping != Chomping::Keep) {
      const size_t keep = value.find_last_not_of('\n');
      if (keep == std::string::npos)
        value.clear();
      else if (chomping == Chomping::Strip)
        value.erase(keep + 1);
      else if (keep + 1 < value.size())
        value.erase(keep + 2);
    }

    simple_key_allowed_ = true;
    can_be_json_flow_ = false;
    const size_t index = push_token(TokenType::NonPlainScalar, mark);
    tokens_[index].value = std::move(value);
  }

  std::string_view text_;
  size_t departures_ = 0;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  uint32_t line_ = 0;
  bool started_ = false;
  bool ended_ = false;
  bool simple_key_allowed_ = false;
  bool can_be_json_flow_ = false;
  std::vector<Token> tokens_;
  size_t head_ = 0;
  std::vector<Indent> indents_;
  uint64_t indent_serial_ = 0;
  std::vector<SimpleKey> simple_keys_;
  std::vector<bool> flows_;  // true: a flow map
};

// Tokens to events, in the order yaml-cpp's SingleDocParser produces them.
class Parser {
 public:
  Parser(Scanner& scanner, YamlEvents& events, size_t max_depth)
      : scanner_(scanner), events_(events), max_depth_(max_depth) {}

  void read_stream() {
    while (!scanner_.empty()) read_document();
  }

 private:
  enum class Collection : uint8_t { BlockMap, BlockSequence, FlowMap, FlowSequence };

  void read_document() {
    anchors_.clear();
    last_anchor_ = 0;
    events_.document_start(scanner_.peek().mark);
    if (scanner_.peek().type == TokenType::DocumentStart) scanner_.pop();
    read_node(0, false);
    events_.document_end();
    while (!scanner_.empty() && scanner_.peek().type == TokenType::DocumentEnd) scanner_.pop();
  }

  void read_node(size_t depth, bool is_key) {
    if (depth > max_depth_) scanner_.decline();
    if (scanner_.empty()) {
      events_.null_value(scanner_.position(), 0);
      return;
    }
    const size_t mark = scanner_.peek().mark;
    if (scanner_.peek().type == TokenType::Value) scanner_.decline(mark);  // `: value` without a key
    if (scanner_.peek().type == TokenType::Alias) {
      if (is_key) scanner_.decline(mark);
      auto known = anchors_.find(scanner_.peek().value);
      if (known == anchors_.end()) scanner_.decline(mark);  // yaml-cpp reports the unknown anchor
      events_.alias(mark, known->second);
      scanner_.pop();
      return;
    }

    std::string tag;
    size_t anchor = 0;
    while (!scanner_.empty() &&
           (scanner_.peek().type == TokenType::Tag || scanner_.peek().type == TokenType::Anchor)) {
      Token& property = scanner_.peek();
      if (property.type == TokenType::Tag) {
        if (!tag.empty()) scanner_.decline(property.mark);  // two tags
        tag = std::move(property.value);
      } else {
        if (anchor != 0) scanner_.decline(property.mark);  // two anchors
        anchor = ++last_anchor_;
        anchors_[property.value] = anchor;
      }
      scanner_.pop();
    }
    if (scanner_.empty()) {
      events_.null_value(mark, anchor);
      return;
    }
    Token& token = scanner_.peek();
    // Keys other than plain untagged scalars (`[a, b]: c`, `!!str 1: c`, `&a k: v`) are left to
    // yaml-cpp, and so is an alias after properties.
    if (is_key && (!tag.empty() || anchor != 0 ||
                   (token.type != TokenType::PlainScalar && token.type != TokenType::NonPlainScalar)))
      scanner_.decline(mark);
    if (token.type == TokenType::Alias) scanner_.decline(mark);
    if (tag.empty()) tag = token.type == TokenType::NonPlainScalar ? "!" : "?";
    switch (token.type) {
      case TokenType::PlainScalar:
        if (tag == "?" && is_null_spelling(token.value)) {
          events_.null_value(mark, anchor);
          scanner_.pop();
          return;
        }
        [[fallthrough]];
      case TokenType::NonPlainScalar: {
        std::string value = std::move(token.value);
        scanner_.pop();
        events_.scalar(mark, tag, anchor, std::move(value));
        return;
      }
      case TokenType::FlowSequenceStart:
      case TokenType::BlockSequenceStart: {
        const bool flow = token.type == TokenType::FlowSequenceStart;
        events_.sequence_start(mark, tag, anchor, flow);
        if (flow)
          read_flow_sequence(depth);
        else
          read_block_sequence(depth);
        events_.sequence_end();
        return;
      }
      case TokenType::FlowMapStart:
      case TokenType::BlockMapStart: {
        const bool flow = token.type == TokenType::FlowMapStart;
        events_.map_start(mark, tag, anchor, flow);
        if (flow)
          read_flow_map(depth);
        else
          read_block_map(depth);
        events_.map_end();
        return;
      }
      case TokenType::Key:
        // `[a: 1]`: a single-pair map inside a flow sequence.
        if (!collections_.empty() && collections_.back() == Collection::FlowSequence) scanner_.decline(mark);
        break;
      default: break;
    }
    if (tag == "?")
      events_.null_value(mark, anchor);
    else
      events_.scalar(mark, tag, anchor, std::string());
  }

  static bool is_null_spelling(std::string_view value) {
    return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
  }

  void read_block_sequence(size_t depth) {
    scanner_.pop();
    collections_.push_back(Collection::BlockSequence);
    while (true) {
      if (scanner_.empty()) scanner_.decline();
      const Token& token = scanner_.peek();
      if (token.type != TokenType::BlockEntry && token.type != TokenType::BlockSequenceEnd)
        scanner_.decline(token.mark);
      const bool end = token.type == TokenType::BlockSequenceEnd;
      scanner_.pop();
      if (end) break;
      if (!scanner_.empty()) {
        const Token& next = scanner_.peek();
        if (next.type == TokenType::BlockEntry || next.type == TokenType::BlockSequenceEnd) {
          events_.null_value(next.mark, 0);
          continue;
        }
      }
      read_node(depth + 1, false);
    }
    collections_.pop_back();
  }

  void read_flow_sequence(size_t depth) {
    scanner_.pop();
    collections_.push_back(Collection::FlowSequence);
    while (true) {
      if (scanner_.empty()) scanner_.decline();
      if (scanner_.peek().type == TokenType::FlowSequenceEnd) {
        scanner_.pop();
        break;
      }
      read_node(depth + 1, false);
      if (scanner_.empty()) scanner_.decline();
      const Token& token = scanner_.peek();
      if (token.type == TokenType::FlowEntry)
        scanner_.pop();
      else if (token.type != TokenType::FlowSequenceEnd)
        scanner_.decline(token.mark);
    }
    collections_.pop_back();
  }

  void read_block_map(size_t depth) {
    scanner_.pop();
    collections_.push_back(Collection::BlockMap);
    while (true) {
      if (scanner_.empty()) scanner_.decline();
      const Token& token = scanner_.peek();
      if (token.type == TokenType::BlockMapEnd) {
        scanner_.pop();
        break;
      }
      if (token.type != TokenType::Key) scanner_.decline(token.mark);
      const size_t key_mark = token.mark;
      scanner_.pop();
      read_node(depth + 1, true);
      if (!scanner_.empty() && scanner_.peek().type == TokenType::Value) {
        scanner_.pop();
        read_node(depth + 1, false);
      } else {
        events_.null_value(key_mark, 0);
      }
    }
    collections_.pop_back();
  }

  void read_flow_map(size_t depth) {
    scanner_.pop();
    collections_.push_back(Collection::FlowMap);
    while (true) {
      if (scanner_.empty()) scanner_.decline();
      const Token& token = scanner_.peek();
      const size_t mark = token.mark;
      if (token.type == TokenType::FlowMapEnd) {
        scanner_.pop();
        break;
      }
      if (token.type != TokenType::Key) scanner_.decline(mark);
      scanner_.pop();
      read_node(depth + 1, true);
      if (!scanner_.empty() && scanner_.peek().type == TokenType::Value) {
        scanner_.pop();
        read_node(depth + 1, false);
      } else {
        events_.null_value(mark, 0);
      }
      if (scanner_.empty()) scanner_.decline();
      const Token& next = scanner_.peek();
      if (next.type == TokenType::FlowEntry)
        scanner_.pop();
      else if (next.type != TokenType::FlowMapEnd)
        scanner_.decline(next.mark);
    }
    collections_.pop_back();
  }

  Scanner& scanner_;
  YamlEvents& events_;
  size_t max_depth_;
  std::vector<Collection> collections_;
  std::unordered_map<std::string, size_t> anchors_;  // name -> number, per document
  size_t last_anchor_ = 0;
};

}  // namespace

bool read_yaml(std::string_view text, YamlEvents& events, size_t max_depth, size_t* declined_at,
               size_t* departures) {
  if (departures) *departures = 0;
  if (has_unread_characters(text)) {
    if (declined_at) *declined_at = 0;
    return false;
  }
  try {
    Scanner scanner(text);
    Parser parser(scanner, events, max_depth);
    parser.read_stream();
    if (departures) *departures = scanner.departures();
    return true;
  } catch (const Decline& decline) {
    if (declined_at) *declined_at = decline.at;
    return false;
  }
}

}  // namespace shiftlint
