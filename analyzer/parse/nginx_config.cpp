#include "analyzer/parse/nginx_config.h"

#include <fmt/format.h>

namespace shiftlint::nginx {

namespace {

constexpr size_t kMaxErrors = 20;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

class Parser {
 public:
  Parser(const SourceFile& file, const TextMap& text_map)
      : file_(file), map_(text_map), text_(text_map.text()) {}

  Config parse() {
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (is_space(c)) {
        ++position_;
      } else if (c == '#') {
        skip_comment();
      } else if (c == ';') {
        end_statement(false);
      } else if (c == '{') {
        end_statement(true);
      } else if (c == '}') {
        close_block();
      } else {
        read_word();
      }
    }
    if (!words_.empty()) error(words_.front().span, "unexpected end of file, expecting \";\" or \"}\"");
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
      if (*it == kNoParent) continue;  // a stray `{`, already reported where it stands
      const Directive& block = config_.directives[*it];
      error(block.name_span, fmt::format("unexpected end of file: the \"{}\" block opened here is not closed with "
                                         "\"}}\"", block.name));
    }
    return std::move(config_);
  }

 private:
  Span span(size_t begin, size_t end) const { return map_.span_of(file_, begin, end); }

  void error(Span where, std::string message) {
    if (config_.errors.size() < kMaxErrors) config_.errors.push_back({where, std::move(message)});
  }

  void skip_comment() {
    while (position_ < text_.size() && text_[position_] != '\n') ++position_;
  }

  void read_word() {
    size_t begin = position_;
    Argument word;
    char quote = text_[position_];
    if (quote == '"' || quote == '\'') {
      word.quoted = true;
      ++position_;
      bool closed = false;
      while (position_ < text_.size()) {
        char c = text_[position_++];
        if (c == '\\' && position_ < text_.size()) {
          char next = text_[position_++];
          // nginx decodes \" \' \\ \t \r \n in quoted strings; any other pair stays as written.
          switch (next) {
            case '"': case '\'': case '\\': word.value += next; break;
            case 't': word.value += '\t'; break;
            case 'r': word.value += '\r'; break;
            case 'n': word.value += '\n'; break;
            default: word.value += '\\'; word.value += next;
          }
        } else if (c == quote) {
          closed = true;
          break;
        } else {
          word.value += c;
        }
      }
      if (!closed) error(span(begin, begin + 1), "unterminated quoted string");
    } else {
      while (position_ < text_.size()) {
        char c = text_[position_];
        if (is_space(c) || c == ';' || c == '{' || c == '}') {
          // `${name}` is a variable, not a block.
          if (c == '{' && position_ > begin && text_[position_ - 1] == '$') {
            size_t close = text_.find('}', position_);
            if (close == std::string_view::npos) break;
            word.value.append(text_.substr(position_, close + 1 - position_));
            position_ = close + 1;
            continue;
          }
          break;
        }
        if (c == '\\' && position_ + 1 < text_.size()) {
          word.value += text_[position_ + 1];
          position_ += 2;
          continue;
        }
        word.value += c;
        ++position_;
      }
    }
    word.span = span(begin, position_);
    if (words_.empty()) statement_begin_ = begin;
    words_.push_back(std::move(word));
  }

  void end_statement(bool opens_block) {
    size_t at = position_++;
    if (words_.empty()) {
      error(span(at, at + 1), fmt::format("unexpected \"{}\"", text_[at]));
      if (opens_block) open_.push_back(kNoParent);  // keep braces balanced
      return;
    }
    Directive directive;
    directive.name = std::move(words_.front().value);
    directive.name_span = words_.front().span;
    for (size_t i = 1; i < words_.size(); ++i) directive.arguments.push_back(std::move(words_[i]));
    words_.clear();
    directive.span = span(statement_begin_, at + 1);
    directive.block = opens_block;
    directive.parent = current_parent();
    directive.depth = depth();
    uint32_t index = static_cast<uint32_t>(config_.directives.size());

    if (opens_block && ends_with(directive.name, "_by_lua_block")) {
      // Lua code, not nginx syntax: skip to the matching brace.
      config_.directives.push_back(std::move(directive));
      skip_raw_block(index, true);
      return;
    }
    if (opens_block && depth() >= kMaxBlockDepth) {
      error(directive.name_span, fmt::format("blocks nested deeper than {} levels are not read", kMaxBlockDepth));
      config_.directives.push_back(std::move(directive));
      skip_raw_block(index, false);
      return;
    }
    config_.directives.push_back(std::move(directive));
    if (opens_block) open_.push_back(index);
  }

  // From just after a `{` to just after its matching `}`, without reading directives. Comments are
  // `#` in nginx syntax, `--` in Lua.
  void skip_raw_block(uint32_t index, bool lua) {
    size_t level = 1;
    char quote = 0;
    while (position_ < text_.size() && level > 0) {
      char c = text_[position_++];
      if (quote) {
        if (c == '\\') ++position_;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (lua ? (c == '-' && position_ < text_.size() && text_[position_] == '-') : c == '#') {
        skip_comment();
      } else if (c == '{') {
        ++level;
      } else if (c == '}') {
        --level;
      }
    }
    if (level == 0) config_.directives[index].block_end = span(position_ - 1, position_);
    else error(config_.directives[index].name_span, "unexpected end of file in this block");
  }

  void close_block() {
    size_t at = position_++;
    if (!words_.empty()) {
      error(words_.front().span, fmt::format("\"{}\" has no \";\" before \"}}\"", words_.front().value));
      words_.clear();
    }
    if (open_.empty()) {
      error(span(at, at + 1), "unexpected \"}\"");
      return;
    }
    uint32_t index = open_.back();
    open_.pop_back();
    if (index != kNoParent) config_.directives[index].block_end = span(at, at + 1);
  }

  uint32_t current_parent() const {
    for (auto it = open_.rbegin(); it != open_.rend(); ++it)
      if (*it != kNoParent) return *it;
    return kNoParent;
  }
  uint32_t depth() const { return static_cast<uint32_t>(open_.size()); }

  const SourceFile& file_;
  const TextMap& map_;
  std::string_view text_;
  size_t position_ = 0;
  std::vector<Argument> words_;
  size_t statement_begin_ = 0;
  std::vector<uint32_t> open_;  // indices of open block directives (kNoParent for a stray `{`)
  Config config_;
};

}  // namespace

std::vector<uint32_t> Config::find(std::string_view name) const {
  std::vector<uint32_t> found;
  for (uint32_t i = 0; i < directives.size(); ++i)
    if (directives[i].name == name) found.push_back(i);
  return found;
}

uint32_t Config::enclosing(uint32_t index, std::string_view name) const {
  if (index >= directives.size()) return kNoParent;
  for (uint32_t at = directives[index].parent; at != kNoParent; at = directives[at].parent)
    if (directives[at].name == name) return at;
  return kNoParent;
}

Config parse_nginx_config(const SourceFile& file, const TextMap& text_map) { return Parser(file, text_map).parse(); }

Config parse_nginx_config(const SourceFile& file) {
  TextMap map;
  if (!file.text().empty()) map.append_copy(file.text(), 0);
  return parse_nginx_config(file, map);
}

}  // namespace shiftlint::nginx
