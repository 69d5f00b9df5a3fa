#include "analyzer/parse/apache_config.h"

#include <fmt/format.h>

#include "analyzer/source/ascii_case.h"

namespace shiftlint::apache {

namespace {

constexpr size_t kMaxErrors = 20;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

class Parser {
 public:
  Parser(const SourceFile& file, const TextMap& text_map) : file_(file), map_(text_map), text_(text_map.text()) {}

  Config parse() {
    size_t position = 0;
    while (position < text_.size()) {
      // One logical line: physical lines joined where one ends in a backslash.
      pieces_.clear();
      while (position < text_.size()) {
        size_t end = text_.find('\n', position);
        if (end == std::string_view::npos) end = text_.size();
        size_t content_end = end;
        while (content_end > position && text_[content_end - 1] == '\r') --content_end;
        bool continues = content_end > position && text_[content_end - 1] == '\\' && end < text_.size();
        pieces_.push_back({position, continues ? content_end - 1 : content_end});
        position = end < text_.size() ? end + 1 : end;
        if (!continues) break;
      }
      read_line();
    }
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
      const Directive& section = config_.directives[*it];
      error(section.name_span, fmt::format("<{}> is not closed with </{}>", section.name, section.name));
    }
    return std::move(config_);
  }

 private:
  struct Piece {
    size_t begin;
    size_t end;
  };

  Span span(size_t begin, size_t end) const { return map_.span_of(file_, begin, end); }

  void error(Span where, std::string message) {
    if (config_.errors.size() < kMaxErrors) config_.errors.push_back({where, std::move(message)});
  }

  // Tokens of the logical line, with text offsets (a token never spans a continuation: httpd
  // replaces the backslash-newline by nothing, but a config that splits a word that way is rare
  // enough to split it here).
  struct Token {
    std::string value;
    size_t begin;
    size_t end;
    bool quoted;
  };

  std::vector<Token> tokens() const {
    std::vector<Token> result;
    for (const Piece& piece : pieces_) {
      size_t at = piece.begin;
      while (at < piece.end) {
        char c = text_[at];
        if (is_space(c)) {
          ++at;
          continue;
        }
        Token token{{}, at, at, false};
        if (c == '"' || c == '\'') {
          token.quoted = true;
          ++at;
          while (at < piece.end && text_[at] != c) {
            if (text_[at] == '\\' && at + 1 < piece.end && (text_[at + 1] == c || text_[at + 1] == '\\')) ++at;
            token.value += text_[at++];
          }
          if (at < piece.end) ++at;
        } else {
          while (at < piece.end && !is_space(text_[at])) token.value += text_[at++];
        }
        token.end = at;
        result.push_back(std::move(token));
      }
    }
    return result;
  }

  void read_line() {
    std::vector<Token> words = tokens();
    if (words.empty() || (!words.front().quoted && words.front().value[0] == '#')) return;
    Token& first = words.front();
    size_t line_end = pieces_.back().end;

    if (first.value.size() >= 2 && first.value[0] == '<' && first.value[1] == '/') {
      close_section(first, line_end);
      return;
    }
    Directive directive;
    directive.span = span(first.begin, line_end);
    directive.parent = open_.empty() ? kNoParent : open_.back();
    directive.depth = static_cast<uint32_t>(open_.size());
    if (first.value[0] == '<') {
      directive.section = true;
      // `<VirtualHost *:80>`: the name after '<', the last argument without its '>'.
      std::string name = first.value.substr(1);
      bool closed_on_name = !name.empty() && name.back() == '>';
      if (closed_on_name) name.pop_back();
      directive.name = name;
      directive.name_span = span(first.begin, first.end - (closed_on_name ? 1 : 0));
      for (size_t i = 1; i < words.size(); ++i) {
        Token& word = words[i];
        size_t end = word.end;
        if (i + 1 == words.size() && !word.quoted && !word.value.empty() && word.value.back() == '>') {
          word.value.pop_back();
          --end;
          if (word.value.empty()) continue;
        }
        directive.arguments.push_back({std::move(word.value), span(word.begin, end), word.quoted});
      }
    } else {
      directive.name = first.value;
      directive.name_span = span(first.begin, first.end);
      for (size_t i = 1; i < words.size(); ++i)
        directive.arguments.push_back({std::move(words[i].value), span(words[i].begin, words[i].end), words[i].quoted});
    }
    uint32_t index = static_cast<uint32_t>(config_.directives.size());
    bool section = directive.section;
    config_.directives.push_back(std::move(directive));
    if (!section) return;
    if (open_.size() >= kMaxSectionDepth) {
      if (!depth_reported_) error(config_.directives[index].name_span,
                                  fmt::format("sections nested deeper than {} levels are not read", kMaxSectionDepth));
      depth_reported_ = true;
      ++ignored_depth_;
      return;
    }
    open_.push_back(index);
  }

  void close_section(const Token& token, size_t line_end) {
    std::string name = token.value.substr(2);
    if (!name.empty() && name.back() == '>') name.pop_back();
    if (ignored_depth_ > 0) {
      --ignored_depth_;
      return;
    }
    if (open_.empty()) {
      error(span(token.begin, token.end), fmt::format("</{}> without a matching <{}>", name, name));
      return;
    }
    // httpd requires the names to match; a mismatch closes the innermost section anyway.
    Directive& section = config_.directives[open_.back()];
    if (!equal_ignoring_case(section.name, name))
      error(span(token.begin, token.end), fmt::format("</{}> closes <{}>", name, section.name));
    section.section_end = span(token.begin, line_end);
    open_.pop_back();
  }

  const SourceFile& file_;
  const TextMap& map_;
  std::string_view text_;
  std::vector<Piece> pieces_;
  std::vector<uint32_t> open_;
  size_t ignored_depth_ = 0;
  bool depth_reported_ = false;
  Config config_;
};

}  // namespace

bool Directive::is(std::string_view directive_name) const { return equal_ignoring_case(name, directive_name); }

std::vector<uint32_t> Config::find(std::string_view name) const {
  std::vector<uint32_t> found;
  for (uint32_t i = 0; i < directives.size(); ++i)
    if (directives[i].is(name)) found.push_back(i);
  return found;
}

uint32_t Config::enclosing(uint32_t index, std::string_view name) const {
  if (index >= directives.size()) return kNoParent;
  for (uint32_t at = directives[index].parent; at != kNoParent; at = directives[at].parent)
    if (directives[at].is(name)) return at;
  return kNoParent;
}

Config parse_apache_config(const SourceFile& file, const TextMap& text_map) { return Parser(file, text_map).parse(); }

Config parse_apache_config(const SourceFile& file) {
  TextMap map;
  if (!file.text().empty()) map.append_copy(file.text(), 0);
  return parse_apache_config(file, map);
}

}  // namespace shiftlint::apache
