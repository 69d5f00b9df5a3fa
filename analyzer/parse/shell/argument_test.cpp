#include "analyzer/parse/shell/argument_test.h"

#include <fnmatch.h>

#include <charconv>
#include <cstdint>
#include <vector>

namespace shiftlint::shell {

namespace {

// Three-valued: a test of something other than the arguments is neither true nor false here.
using Truth = std::optional<bool>;

Truth both(Truth left, Truth right) {
  if (left == false || right == false) return false;
  if (left && right) return true;
  return std::nullopt;
}

Truth either(Truth left, Truth right) {
  if (left == true || right == true) return true;
  if (left && right) return false;
  return std::nullopt;
}

Truth negated(Truth value) { return value ? Truth(!*value) : std::nullopt; }

// A word of the condition: `raw` as written; `connector` for `&&`, `||` and `;` between commands.
struct Token {
  std::string_view raw;
  bool connector = false;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits the condition into words and connectors the way the shell does, quotes kept in the words.
// Nullopt for what this reader does not evaluate: substitutions, redirections, pipes, subshells,
// background jobs.
std::optional<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  bool in_double_brackets = false;  // `&&` and `||` inside `[[ ]]` are the test's own
  bool command_start = true;
  size_t at = 0;
  while (at < text.size()) {
    char c = text[at];
    if (is_blank(c) || (c == '\\' && at + 1 < text.size() && text[at + 1] == '\n')) {
      at += c == '\\' ? 2 : 1;
      continue;
    }
    if (c == '#' && command_start) return std::nullopt;  // a comment: not worth reading around
    bool pair = at + 1 < text.size() && text[at + 1] == c;
    if (!in_double_brackets && (c == ';' || c == '\n' || ((c == '&' || c == '|') && pair))) {
      size_t length = (c == '&' || c == '|') ? 2 : 1;
      tokens.push_back({text.substr(at, length), true});
      at += length;
      command_start = true;
      continue;
    }
    if (in_double_brackets && (c == '&' || c == '|') && pair) {
      tokens.push_back({text.substr(at, 2), false});
      at += 2;
      continue;
    }
    if (c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')' || c == '`') return std::nullopt;
    size_t begin = at;
    while (at < text.size()) {
      char d = text[at];
      if (is_blank(d) || d == '\n' || d == ';' || d == '&' || d == '|' || d == '<' || d == '>' || d == '(' ||
          d == ')' || d == '`')
        break;
      if (d == '\\') {
        at += 2;
      } else if (d == '\'') {
        size_t close = text.find('\'', at + 1);
        if (close == std::string_view::npos) return std::nullopt;
        at = close + 1;
      } else if (d == '"') {
        ++at;
        while (at < text.size() && text[at] != '"') {
          if (text[at] == '`' || (text[at] == '$' && at + 1 < text.size() && text[at + 1] == '(')) return std::nullopt;
          at += text[at] == '\\' ? 2 : 1;
        }
        if (at >= text.size()) return std::nullopt;
        ++at;
      } else if (d == '$' && at + 1 < text.size() && text[at + 1] == '(') {
        return std::nullopt;
      } else {
        ++at;
      }
    }
    at = std::min(at, text.size());
    std::string_view word = text.substr(begin, at - begin);
    if (word == "[[") in_double_brackets = true;
    if (word == "]]") in_double_brackets = false;
    tokens.push_back({word, false});
    command_start = false;
  }
  return tokens;
}

// A word's value once the shell has expanded it, with the positional parameters known. `pattern`
// is the same value with every quoted character escaped, for `[[ x == pattern ]]`.
struct Expanded {
  std::string value;
  std::string pattern;
};

class Expander {
 public:
  Expander(std::span<const std::string> arguments, bool splits) : arguments_(arguments), splits_(splits) {}

  // Nullopt when the word holds an expansion other than the positional parameters, or (`splits`,
  // inside `[` and `test`) an unquoted expansion whose value the shell would split or drop.
  std::optional<Expanded> expand(std::string_view raw) const {
    Expanded out;
    size_t at = 0;
    while (at < raw.size()) {
      char c = raw[at];
      if (c == '\'') {
        size_t close = raw.find('\'', at + 1);
        append_quoted(out, raw.substr(at + 1, close - at - 1));
        at = close + 1;
      } else if (c == '"') {
        ++at;
        while (at < raw.size() && raw[at] != '"') {
          if (raw[at] == '\\' && at + 1 < raw.size() && std::string_view("$`\"\\").find(raw[at + 1]) != std::string_view::npos) {
            append_quoted(out, raw.substr(at + 1, 1));
            at += 2;
          } else if (raw[at] == '$') {
            std::optional<std::string> value = parameter(raw, at, true);
            if (!value) return std::nullopt;
            append_quoted(out, *value);
          } else {
            append_quoted(out, raw.substr(at, 1));
            ++at;
          }
        }
        ++at;
      } else if (c == '\\') {
        if (at + 1 < raw.size()) append_quoted(out, raw.substr(at + 1, 1));
        at += 2;
      } else if (c == '$') {
        std::optional<std::string> value = parameter(raw, at, false);
        if (!value) return std::nullopt;
        if (splits_ && (value->empty() || value->find_first_of(" \t\n*?[") != std::string::npos)) return std::nullopt;
        out.value += *value;
        out.pattern += *value;  // an unquoted expansion is a pattern in `[[ == ]]`
      } else {
        out.value += c;
        out.pattern += c;
        ++at;
      }
    }
    return out;
  }

 private:
  static void append_quoted(Expanded& out, std::string_view text) {
    out.value.append(text);
    for (char c : text) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.pattern += '\\';
      out.pattern += c;
    }
  }

  // The positional parameter number `digits` names, or nullopt when it is not one.
  static std::optional<size_t> position_of(std::string_view digits) {
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    size_t number = 0;
    for (char d : digits) {
      if (d < '0' || d > '9') return std::nullopt;
      number = number * 10 + static_cast<size_t>(d - '0');
    }
    if (number == 0) return std::nullopt;  // $0: the script's name, not an argument
    return number;
  }

  std::string joined() const {
    std::string text;
    for (size_t index = 0; index < arguments_.size(); ++index) {
      if (index > 0) text += ' ';
      text += arguments_[index];
    }
    return text;
  }

  // `$@` and `$*` as one word: exact for `"$*"`, and for `"$@"` only with one argument (none gives
  // no word at all, several give several).
  std::optional<std::string> all(char which, bool quoted) const {
    if (which == '@' && quoted && arguments_.size() != 1) return std::nullopt;
    if (!quoted && arguments_.size() != 1) return std::nullopt;
    return joined();
  }

  // Removes the shortest (or longest) prefix or suffix matching `pattern`, as `${1#-}` does.
  static std::string trimmed(const std::string& value, std::string_view operation, const std::string& pattern) {
    bool prefix = operation[0] == '#';
    bool longest = operation.size() == 2;
    size_t size = value.size();
    for (size_t step = 0; step <= size; ++step) {
      size_t length = longest ? size - step : step;
      std::string part = prefix ? value.substr(0, length) : value.substr(size - length);
      if (fnmatch(pattern.c_str(), part.c_str(), 0) == 0) return prefix ? value.substr(length) : value.substr(0, size - length);
    }
    return value;
  }

  // The expansion at raw[at] (a `$`); moves `at` past it.
  std::optional<std::string> parameter(std::string_view raw, size_t& at, bool quoted) const {
    if (at + 1 >= raw.size()) {  // a lone `$` is itself
      ++at;
      return std::string("$");
    }
    char next = raw[at + 1];
    if (next >= '0' && next <= '9') {
      at += 2;
      std::optional<size_t> position = position_of(std::string_view(&next, 1));
      if (!position) return std::nullopt;
      return *position <= arguments_.size() ? arguments_[*position - 1] : std::string();
    }
    if (next == '#') {
      at += 2;
      return std::to_string(arguments_.size());
    }
    if (next == '@' || next == '*') {
      at += 2;
      return all(next, quoted);
    }
    if (next != '{') return std::nullopt;  // a variable, `$'...'`, `$"..."`
    size_t close = raw.find('}', at + 2);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inside = raw.substr(at + 2, close - at - 2);
    at = close + 1;
    if (inside.find_first_of("$`") != std::string_view::npos) return std::nullopt;
    if (inside == "#") return std::to_string(arguments_.size());
    if (inside == "@" || inside == "*") return all(inside[0], quoted);
    size_t digits = 0;
    while (digits < inside.size() && inside[digits] >= '0' && inside[digits] <= '9') ++digits;
    std::optional<size_t> position = position_of(inside.substr(0, digits));
    if (!position) return std::nullopt;
    bool set = *position <= arguments_.size();
    std::string value = set ? arguments_[*position - 1] : std::string();
    std::string_view operation = inside.substr(digits);
    if (operation.empty()) return value;
    std::string word;  // the operand, quotes removed
    auto operand = [&](size_t skip) {
      for (char c : operation.substr(skip))
        if (c != '"' && c != '\'') word += c;
    };
    if (operation.starts_with(":-")) {
      operand(2);
      return value.empty() ? word : value;
    }
    if (operation.starts_with(":+")) {
      operand(2);
      return value.empty() ? std::string() : word;
    }
    if (operation[0] == '-') {
      operand(1);
      return set ? value : word;
    }
    if (operation[0] == '+') {
      operand(1);
      return set ? word : std::string();
    }
    if (operation[0] == '#' || operation[0] == '%') {
      size_t width = operation.size() > 1 && operation[1] == operation[0] ? 2 : 1;
      operand(width);
      return trimmed(value, operation.substr(0, width), word);
    }
    if (operation[0] == ':') {  // `${1:0:1}`: offset and length, both plain numbers
      std::string_view numbers = operation.substr(1);
      size_t colon = numbers.find(':');
      size_t offset = 0;
      size_t length = std::string::npos;
      std::string_view first = numbers.substr(0, colon);
      if (std::from_chars(first.data(), first.data() + first.size(), offset).ptr != first.data() + first.size() ||
          first.empty())
        return std::nullopt;
      if (colon != std::string_view::npos) {
        std::string_view second = numbers.substr(colon + 1);
        if (second.empty() || std::from_chars(second.data(), second.data() + second.size(), length).ptr !=
                                  second.data() + second.size())
          return std::nullopt;
      }
      return offset >= value.size() ? std::string() : value.substr(offset, length);
    }
    return std::nullopt;  // `:=`, `?`, case changes, substitutions
  }

  std::span<const std::string> arguments_;
  bool splits_;
};

std::optional<long long> number(const std::string& text) {
  long long value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  while (begin < end && is_blank(*begin)) ++begin;
  if (begin < end && *begin == '+') ++begin;
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || ptr == begin || ptr != end) return std::nullopt;
  return value;
}

Truth compare(const Expanded& left, std::string_view op, const Expanded& right, bool double_brackets) {
  if (op == "=" || op == "==" || op == "!=") {
    bool equal = double_brackets ? fnmatch(right.pattern.c_str(), left.value.c_str(), 0) == 0 : left.value == right.value;
    return op == "!=" ? !equal : equal;
  }
  static constexpr std::string_view kNumeric[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
  for (std::string_view numeric : kNumeric) {
    if (op != numeric) continue;
    std::optional<long long> a = number(left.value);
    std::optional<long long> b = number(right.value);
    if (!a || !b) return std::nullopt;  // the shell reports an error
    if (op == "-eq") return *a == *b;
    if (op == "-ne") return *a != *b;
    if (op == "-lt") return *a < *b;
    if (op == "-le") return *a <= *b;
    if (op == "-gt") return *a > *b;
    return *a >= *b;
  }
  return std::nullopt;  // `<`, `>`, `=~`, `-nt`, ...
}

// One test without -a/-o (or && / || inside `[[ ]]`): read by its number of words, as POSIX does.
Truth primary(std::span<const std::string_view> words, const Expander& expander, bool double_brackets) {
  if (!words.empty() && words.front() == "!") return negated(primary(words.subspan(1), expander, double_brackets));
  std::vector<Expanded> values;
  for (std::string_view word : words) {
    std::optional<Expanded> value = expander.expand(word);
    if (!value) return std::nullopt;
    values.push_back(std::move(*value));
  }
  switch (words.size()) {
    case 0:
      return false;
    case 1:
      return !values[0].value.empty();
    case 2:
      if (words[0] == "-z") return values[1].value.empty();
      if (words[0] == "-n") return !values[1].value.empty();
      return std::nullopt;  // file tests and the like
    case 3:
      return compare(values[0], words[1], values[2], double_brackets);
    default:
      return std::nullopt;
  }
}

// `a -o b -a c` (or `a || b && c` inside `[[ ]]`): and before or.
Truth expression(std::span<const std::string_view> words, const Expander& expander, bool double_brackets) {
  std::string_view or_word = double_brackets ? "||" : "-o";
  std::string_view and_word = double_brackets ? "&&" : "-a";
  Truth result = false;
  size_t start = 0;
  for (size_t at = 0; at <= words.size(); ++at) {
    if (at < words.size() && words[at] != or_word) continue;
    std::span<const std::string_view> alternative = words.subspan(start, at - start);
    Truth all = true;
    size_t begin = 0;
    for (size_t inner = 0; inner <= alternative.size(); ++inner) {
      if (inner < alternative.size() && alternative[inner] != and_word) continue;
      all = both(all, primary(alternative.subspan(begin, inner - begin), expander, double_brackets));
      begin = inner + 1;
    }
    result = either(result, all);
    start = at + 1;
  }
  return result;
}

// One command of the condition: `[ ... ]`, `[[ ... ]]` or `test ...`, maybe after `!`.
Truth test_command(std::span<const std::string_view> words, std::span<const std::string> arguments) {
  if (words.empty()) return std::nullopt;
  if (words.front() == "!") return negated(test_command(words.subspan(1), arguments));
  std::string_view name = words.front();
  if (name == "[[" && words.back() == "]]" && words.size() >= 2)
    return expression(words.subspan(1, words.size() - 2), Expander(arguments, false), true);
  if (name == "[" && words.back() == "]" && words.size() >= 2)
    return expression(words.subspan(1, words.size() - 2), Expander(arguments, true), false);
  if (name == "test") return expression(words.subspan(1), Expander(arguments, true), false);
  return std::nullopt;
}


// Whether the text names a positional parameter at all (`$1`, `${1:-x}`, `$#`, `"$@"`): most tests
// in entrypoint scripts are of other variables and files, and are not read further.
bool names_positional_parameter(std::string_view text) {
  for (size_t at = text.find('$'); at != std::string_view::npos && at + 1 < text.size(); at = text.find('$', at + 1)) {
    char next = text[at + 1];
    if (next == '{' && at + 2 < text.size()) next = text[at + 2];
    if ((next >= '1' && next <= '9') || next == '#' || next == '@' || next == '*') return true;
  }
  return false;
}

}  // namespace

std::optional<bool> evaluate_argument_test(std::string_view condition, std::span<const std::string> arguments) {
  if (!names_positional_parameter(condition)) return std::nullopt;
  std::optional<std::vector<Token>> tokens = tokenize(condition);
  if (!tokens || tokens->empty()) return std::nullopt;
  // Commands joined by `&&` and `||` (equal precedence, from the left) and `;` (the last decides).
  Truth result;
  std::string_view pending = ";";
  std::vector<std::string_view> words;
  for (size_t at = 0; at <= tokens->size(); ++at) {
    if (at < tokens->size() && !(*tokens)[at].connector) {
      words.push_back((*tokens)[at].raw);
      continue;
    }
    size_t name = 0;
    while (name < words.size() && words[name] == "!") ++name;
    // Anything but a test may have done something (`shift`, `set --`): the rest is not read.
    if (name == words.size() || (words[name] != "[" && words[name] != "[[" && words[name] != "test"))
      return std::nullopt;
    Truth value = test_command(words, arguments);
    if (pending == "&&") result = both(result, value);
    else if (pending == "||") result = either(result, value);
    else result = value;
    words.clear();
    if (at < tokens->size()) pending = (*tokens)[at].raw;
  }
  return result;
}

}  // namespace shiftlint::shell
