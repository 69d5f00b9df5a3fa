#include "analyzer/model/docker/substitution.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace shiftlint::docker {

namespace {

// `${a:-${b:-${c}}}` nests; hostile words cannot nest deeper than this.
constexpr int kMaxNesting = 32;
// Pattern operators (# % /) on longer values are not evaluated (the result is marked incomplete):
// they cost a few passes per character of the value.
constexpr size_t kMaxPatternValue = 1024;
// Values substituted into one word stop counting past this (`ENV A=$A$A` doubles per line): the
// result is then incomplete rather than huge.
constexpr size_t kMaxSubstituted = 64 * 1024;

// BuildKit turns a substitution pattern into a regex where only `*` and `?` are wildcards and the
// escape character quotes the next one. Match the whole of `text`.
bool glob_match(std::string_view pattern, std::string_view text) {
  struct Token {
    char c;
    bool any_run;
    bool any_one;
  };
  std::vector<Token> tokens;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) tokens.push_back({pattern[++i], false, false});
    else if (c == '*') tokens.push_back({0, true, false});
    else if (c == '?') tokens.push_back({0, false, true});
    else tokens.push_back({c, false, false});
  }
  size_t t = 0, p = 0, star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < tokens.size() && !tokens[p].any_run && (tokens[p].any_one || tokens[p].c == text[t])) {
      ++t;
      ++p;
    } else if (p < tokens.size() && tokens[p].any_run) {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < tokens.size() && tokens[p].any_run) ++p;
  return p == tokens.size();
}

// [A-Za-z0-9_], as a table: one load per byte of a variable name.
constexpr std::array<bool, 256> kNameCharacters = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c)
    table[static_cast<size_t>(c)] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return table;
}();

class Expander {
 public:
  Expander(std::string_view word, char escape, const VariableLookup& lookup)
      : word_(word), escape_(escape), lookup_(lookup) {}

  Expansion run() {
    Expansion result;
    bool stopped = false;
    result.text = process_until(0, false, stopped);
    result.complete = complete_;
    result.error = error_;
    return result;
  }

 private:
  bool at_end() const { return pos_ >= word_.size() || !error_.empty(); }
  char peek() const { return pos_ < word_.size() ? word_[pos_] : '\0'; }

  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  // Reads up to `stop` (consumed; 0: the end of the word). `raw_escapes` keeps escape characters
  // (pattern operands keep them so the pattern can quote its wildcards).
  std::string process_until(char stop, bool raw_escapes, bool& stopped) {
    std::string out;
    // The whole word's expansion is about as long as the word: room for it at once, not growth
    // by steps as it is appended.
    if (!stop) out.reserve(word_.size());
    stopped = false;
    while (!at_end()) {
      char c = peek();
      if (stop && c == stop) {
        ++pos_;
        stopped = true;
        return out;
      }
      if (c == '$') {
        out += dollar();
      } else if (c == '\'') {
        out += single_quoted();
      } else if (c == '"') {
        out += double_quoted();
      } else if (c != escape_) {
        // Plain text up to the next character that means something here, appended at once.
        size_t end = pos_ + 1;
        while (end < word_.size() && word_[end] != '$' && word_[end] != '\'' && word_[end] != '"' &&
               word_[end] != escape_ && !(stop && word_[end] == stop))
          ++end;
        out.append(word_.substr(pos_, end - pos_));
        pos_ = end;
      } else {
        ++pos_;
        if (c == escape_) {
          if (raw_escapes) out += c;
          if (pos_ >= word_.size()) break;
          c = word_[pos_++];
        }
        out += c;
      }
    }
    if (stop && error_.empty()) fail(fmt::format("unexpected end of statement while looking for matching {}", stop));
    return out;
  }

  std::string single_quoted() {
    size_t close = word_.find('\'', pos_ + 1);
    if (close == std::string_view::npos) {
      fail("unexpected end of statement while looking for matching single-quote");
      pos_ = word_.size();
      return {};
    }
    std::string out(word_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return out;
  }

  std::string double_quoted() {
    std::string out;
    ++pos_;
    while (true) {
      if (at_end()) {
        fail("unexpected end of statement while looking for matching double-quote");
        return out;
      }
      char c = peek();
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '$') {
        out += dollar();
        continue;
      }
      if (c != escape_) {
        size_t end = pos_ + 1;
        while (end < word_.size() && word_[end] != '"' && word_[end] != '$' && word_[end] != escape_) ++end;
        out.append(word_.substr(pos_, end - pos_));
        pos_ = end;
        continue;
      }
      ++pos_;
      if (c == escape_ && pos_ < word_.size()) {
        char next = word_[pos_];
        if (next == '"' || next == '$' || next == escape_) {
          c = next;
          ++pos_;
        }
      } else if (c == escape_) {
        continue;  // an escape at the end of the word is dropped
      }
      out += c;
    }
  }

  // ASCII tests (what <cctype> answers in the C locale the program runs in), inline: a variable
  // name was a library call per character.
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool is_name_character(char c) { return kNameCharacters[static_cast<unsigned char>(c)]; }

  // The variable name at pos_, a view of the word (names are looked up, not kept).
  std::string_view name() {
    size_t begin = pos_;
    if (pos_ < word_.size() && is_digit(word_[pos_])) {
      while (pos_ < word_.size() && is_digit(word_[pos_])) ++pos_;
      return word_.substr(begin, pos_ - begin);
    }
    if (pos_ < word_.size() && std::string_view("@*#?-$!0").find(word_[pos_]) != std::string_view::npos)
      return word_.substr(pos_++, 1);
    size_t end = pos_;  // a local: the loop does not reload pos_ after each byte it reads
    while (end < word_.size() && is_name_character(word_[end])) ++end;
    pos_ = end;
    return word_.substr(begin, pos_ - begin);
  }

  struct Value {
    std::string text;
    bool set = false;
    bool known = true;
  };

  Value lookup(std::string_view variable) {
    std::optional<VariableValue> found = lookup_(variable);
    if (!found) return {};
    if (substituted_ + found->value.size() > kMaxSubstituted) {
      complete_ = false;
      return {std::string(), true, false};
    }
    substituted_ += found->value.size();
    if (!found->known) complete_ = false;
    return {std::string(found->value), true, found->known};
  }

  std::string dollar() {
    ++pos_;  // '$'
    if (peek() != '{') {
      std::string_view variable = name();
      if (variable.empty()) return "$";
      return lookup(variable).text;
    }
    ++pos_;  // '{'
    if (pos_ >= word_.size()) {
      fail("syntax error: missing '}'");
      return {};
    }
    if (peek() == '{' || peek() == '}' || peek() == ':') {
      fail("syntax error: bad substitution");
      return {};
    }
    if (++depth_ > kMaxNesting) {
      fail("substitutions nested too deep");
      return {};
    }
    std::string result = braced(name());
    --depth_;
    return result;
  }

  std::string braced(std::string_view variable) {
    if (pos_ >= word_.size()) {
      fail("syntax error: missing '}'");
      return {};
    }
    char op = word_[pos_++];
    if (op == '}') return lookup(variable).text;
    bool null_is_unset = false;
    std::string op_text(1, op);
    if (op == ':') {
      null_is_unset = true;
      op = pos_ < word_.size() ? word_[pos_++] : '\0';
      op_text += op;
    }
    if (op == '/' && !null_is_unset) return replace(variable);
    if (op != '-' && op != '+' && op != '?' && op != '#' && op != '%') {
      fail(fmt::format("unsupported modifier ({}) in substitution", op_text));
      return {};
    }
    bool pattern = op == '#' || op == '%';
    if (null_is_unset && pattern) {
      fail(fmt::format("unsupported modifier ({}) in substitution", op_text));
      return {};
    }
    bool stopped = false;
    std::string operand = process_until('}', pattern, stopped);
    if (!stopped) {
      error_.clear();
      fail("syntax error: missing '}'");
      return {};
    }
    Value value = lookup(variable);
    bool empty = !value.set || (null_is_unset && value.text.empty());
    switch (op) {
      case '-': return empty ? operand : value.text;
      case '+': return empty ? std::string() : operand;
      case '?':
        if (empty && value.known) {
          fail(fmt::format("{}: {}", variable,
                           operand.empty() ? (value.set ? "is not allowed to be empty" : "is not allowed to be unset")
                                           : operand));
          return {};
        }
        return value.text;
      default: break;
    }
    bool greedy = !operand.empty() && operand.front() == op;
    if (greedy) operand.erase(0, 1);
    return trim(value.text, operand, op == '#', greedy);
  }

  // ${VAR#pattern} ${VAR##pattern} (prefix), ${VAR%pattern} ${VAR%%pattern} (suffix).
  std::string trim(const std::string& value, const std::string& pattern, bool prefix, bool greedy) {
    if (value.size() > kMaxPatternValue) {
      complete_ = false;
      return value;
    }
    size_t n = value.size();
    for (size_t step = 0; step <= n; ++step) {
      size_t length = greedy ? n - step : step;
      std::string_view part = prefix ? std::string_view(value).substr(0, length)
                                     : std::string_view(value).substr(n - length);
      if (glob_match(pattern, part)) return prefix ? value.substr(length) : value.substr(0, n - length);
    }
    return value;
  }

  // ${VAR/pattern/replacement}, ${VAR//pattern/replacement}.
  std::string replace(std::string_view variable) {
    bool all = peek() == '/';
    if (all) ++pos_;
    bool stopped = false;
    std::string pattern = process_until('/', true, stopped);
    if (!stopped) {
      error_.clear();
      fail("syntax error: missing '/' in ${}");
      return {};
    }
    std::string replacement = process_until('}', true, stopped);
    if (!stopped) {
      error_.clear();
      fail("syntax error: missing '}'");
      return {};
    }
    Value value = lookup(variable);
    if (value.text.size() > kMaxPatternValue / 4) {
      complete_ = false;
      return value.text;
    }
    std::string out;
    const std::string& text = value.text;
    size_t at = 0;
    bool replaced = false;
    while (at <= text.size()) {
      size_t match_end = std::string::npos;
      if (!replaced || all) {
        for (size_t end = text.size() + 1; end-- > at;) {
          if (glob_match(pattern, std::string_view(text).substr(at, end - at))) {
            match_end = end;
            break;
          }
        }
      }
      if (match_end != std::string::npos && (match_end > at || !pattern.empty())) {
        out += replacement;
        replaced = true;
        if (match_end == at) {
          if (at < text.size()) out += text[at];
          ++at;
        } else {
          at = match_end;
        }
        continue;
      }
      if (at < text.size()) out += text[at];
      ++at;
    }
    return out;
  }

  std::string_view word_;
  char escape_;
  const VariableLookup& lookup_;
  size_t pos_ = 0;
  int depth_ = 0;
  size_t substituted_ = 0;
  bool complete_ = true;
  std::string error_;
};

}  // namespace

Expansion expand_word(std::string_view word, char escape, const VariableLookup& lookup) {
  if (!needs_expansion(word, escape)) return {std::string(word), true, {}};
  return Expander(word, escape, lookup).run();
}

bool needs_expansion(std::string_view word, char escape) {
  // Every word of every instruction is asked: eight bytes are tested at once for the four
  // characters (find_first_of would call memchr on the four for every byte). Each test is exact as
  // a yes/no, whatever the bytes.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  auto has_byte = [&](uint64_t chunk, char c) {
    uint64_t x = chunk ^ (kOnes * static_cast<unsigned char>(c));
    return ((x - kOnes) & ~x & kHighBits) != 0;
  };
  size_t at = 0;
  for (uint64_t chunk; at + 8 <= word.size(); at += 8) {
    std::memcpy(&chunk, word.data() + at, 8);
    if (has_byte(chunk, '$') || has_byte(chunk, '\'') || has_byte(chunk, '"') || has_byte(chunk, escape)) return true;
  }
  for (char c : word.substr(at))
    if (c == '$' || c == '\'' || c == '"' || c == escape) return true;
  return false;
}

}  // namespace shiftlint::docker
