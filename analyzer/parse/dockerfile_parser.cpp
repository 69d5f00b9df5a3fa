#include "analyzer/parse/dockerfile_parser.h"

#include "analyzer/source/utf8.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>

#include <fmt/format.h>

#include "analyzer/source/ascii_case.h"

namespace shiftlint::docker {

namespace {

constexpr size_t kMaxErrors = 20;
// ONBUILD ONBUILD ... is parsed this deep (BuildKit recurses without limit; `docker build` then
// rejects any chaining, which DKR019 reports).
constexpr int kMaxTriggerDepth = 8;
// Go's encoding/json refuses deeper nesting; BuildKit then reads the argument as shell form.
constexpr size_t kMaxJsonDepth = 10000;

constexpr std::array<std::string_view, 18> kInstructions = {
    "ADD",  "ARG",     "CMD",   "COPY",       "ENTRYPOINT", "ENV",  "EXPOSE", "FROM",   "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",      "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"};

// The multi-byte white space of Go's unicode.IsSpace at text[at] (space_at's rare case).
size_t unicode_space_at(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
  unsigned c = byte(at);
  if (c == 0xC2 && (byte(at + 1) == 0x85 || byte(at + 1) == 0xA0)) return 2;  // NEL, NBSP
  if (c == 0xE1 && byte(at + 1) == 0x9A && byte(at + 2) == 0x80) return 3;      // U+1680
  if (c == 0xE2) {
    unsigned c1 = byte(at + 1), c2 = byte(at + 2);
    if (c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) return 3;
    if (c1 == 0x81 && c2 == 0x9F) return 3;  // U+205F
  }
  if (c == 0xE3 && byte(at + 1) == 0x80 && byte(at + 2) == 0x80) return 3;  // U+3000
  return 0;
}

// Go's unicode.IsSpace at text[at], which BuildKit uses to trim lines: the length in bytes of the
// white-space character starting there, 0 when there is none. Asked of nearly every byte: the
// ASCII answer is inline.
inline size_t space_at(std::string_view text, size_t at) {
  if (at >= text.size()) return 0;
  auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r') ? 1 : 0;
  return unicode_space_at(text, at);
}

size_t skip_spaces(std::string_view text, size_t at, size_t end) {
  while (at < end) {
    // Spaces and tabs (nearly all the white space there is), and the printable ASCII byte that
    // ends the run, without space_at's general test.
    auto c = static_cast<unsigned char>(text[at]);
    if (c == ' ' || c == '\t') {
      ++at;
      continue;
    }
    if (c > ' ' && c < 0x80) break;
    size_t length = space_at(text, at);
    if (length == 0) break;
    at += length;
  }
  return at;
}

size_t trim_spaces_back(std::string_view text, size_t begin, size_t end) {
  while (end > begin) {
    if (space_at(text, end - 1) == 1) --end;
    else if (end - begin >= 2 && space_at(text, end - 2) == 2) end -= 2;
    else if (end - begin >= 3 && space_at(text, end - 3) == 3) end -= 3;
    else break;
  }
  return end;
}

// The bytes that may end a plain run of a word outside quotes (scan_words), besides the escape
// character: the quotes, ASCII white space, and the lead bytes of Go's multi-byte white space.
constexpr std::array<bool, 256> kMayEndPlainRun = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {'\'', '"', ' ', '\t', '\n', '\v', '\f', '\r'}) table[c] = true;
  for (int c : {0xC2, 0xE1, 0xE2, 0xE3}) table[static_cast<size_t>(c)] = true;
  return table;
}();

// BuildKit's `[\t\v\f\r ]`: the white space that separates the keyword and plain word lists.
bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }
bool is_ascii_space(char c) { return is_separator(c) || c == '\n'; }

// --- JSON form ---------------------------------------------------------------------------------
// BuildKit reads an argument as exec form when the whole of it is a valid JSON array
// (encoding/json): then every element must be a string, else the Dockerfile is rejected. Anything
// that is not valid JSON — a missing quote, single quotes, a trailing comma — is shell form.

struct JsonArray {
  enum class Outcome { NotJson, NotStrings, Strings } outcome = Outcome::NotJson;
  std::vector<Word> strings;  // offsets set; text decoded; spans filled by the caller
  size_t offending_begin = 0, offending_end = 0;  // the first element that is not a string
};

class JsonScanner {
 public:
  JsonScanner(std::string_view text, size_t end) : text_(text), end_(end) {}

  JsonArray scan(size_t begin) {
    JsonArray result;
    pos_ = begin;
    if (pos_ >= end_ || text_[pos_] != '[') return result;
    // The open brackets: a string, whose in-place buffer holds the nesting of any real array
    // without an allocation.
    std::string stack;
    bool need_value = true;
    bool non_string = false;
    while (true) {
      if (need_value) {
        skip_whitespace();
        if (pos_ >= end_) return result;
        char c = text_[pos_];
        // An element of the top-level array: it must be a string.
        bool element = stack.size() == 1;
        size_t value_begin = pos_;
        if (element && c != '"') note_non_string(result, non_string, value_begin);
        if (c == '[' || c == '{') {
          if (stack.size() >= kMaxJsonDepth) return result;
          stack.push_back(c);
          ++pos_;
          skip_whitespace();
          char close = c == '[' ? ']' : '}';
          if (pos_ < end_ && text_[pos_] == close) {
            ++pos_;
            stack.pop_back();
            need_value = false;
          } else if (c == '{' && !object_key()) {
            return result;
          }
          continue;
        }
        if (c == '"') {
          std::string decoded;
          if (!string(decoded)) return result;
          if (element) result.strings.push_back({std::move(decoded), {}, static_cast<uint32_t>(value_begin),
                                                 static_cast<uint32_t>(pos_)});
        } else if (!scalar()) {
          return result;
        }
        if (stack.empty()) return result;  // unreachable: the top level is an array
        need_value = false;
        continue;
      }
      // After a value: a separator, a close, or the end of the top-level array.
      if (stack.empty()) break;
      skip_whitespace();
      if (pos_ >= end_) return result;
      char c = text_[pos_++];
      if (c == ',') {
        if (stack.back() == '{' && !object_key()) return result;
        need_value = true;
      } else if ((c == ']' && stack.back() == '[') || (c == '}' && stack.back() == '{')) {
        stack.pop_back();
      } else {
        return result;
      }
    }
    skip_whitespace();
    if (pos_ != end_) return result;
    if (non_string) {
      result.outcome = JsonArray::Outcome::NotStrings;
    } else {
      result.outcome = JsonArray::Outcome::Strings;
    }
    return result;
  }

 private:
  void note_non_string(JsonArray& result, bool& non_string, size_t at) {
    if (non_string) return;
    non_string = true;
    result.offending_begin = at;
    result.offending_end = at + 1;
  }

  void skip_whitespace() {
    while (pos_ < end_ && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  // After `{` or `,` in an object: a string key and a colon; leaves pos_ at the value.
  bool object_key() {
    skip_whitespace();
    std::string ignored;
    if (pos_ >= end_ || text_[pos_] != '"' || !string(ignored)) return false;
    skip_whitespace();
    if (pos_ >= end_ || text_[pos_] != ':') return false;
    ++pos_;
    return true;
  }

  int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(uint32_t& value) {
    if (end_ - pos_ < 4) return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = hex(text_[pos_ + i]);
      if (digit < 0) return false;
      value = value * 16 + static_cast<uint32_t>(digit);
    }
    pos_ += 4;
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    while (pos_ < end_) {
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        // The bytes up to the next quote, escape or control character, appended as one run.
        size_t run_end = pos_ + 1;
        while (run_end < end_) {
          auto b = static_cast<unsigned char>(text_[run_end]);
          if (b == '"' || b == '\\' || b < 0x20) break;
          ++run_end;
        }
        out.append(text_.substr(pos_, run_end - pos_));
        pos_ = run_end;
        continue;
      }
      if (++pos_ >= end_) return false;
      char escaped = text_[pos_++];
      switch (escaped) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t unit;
          if (!hex4(unit)) return false;
          if (unit >= 0xD800 && unit < 0xDC00) {
            // A high surrogate pairs with a following \u low surrogate; alone it is U+FFFD (as Go).
            uint32_t low = 0;
            size_t save = pos_;
            if (end_ - pos_ >= 6 && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
              pos_ += 2;
              if (hex4(low) && low >= 0xDC00 && low < 0xE000) {
                append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                break;
              }
              pos_ = save;
            }
            append_utf8(out, 0xFFFD);
          } else if (unit >= 0xDC00 && unit < 0xE000) {
            append_utf8(out, 0xFFFD);
          } else {
            append_utf8(out, unit);
          }
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  bool digits() {
    size_t start = pos_;
    while (pos_ < end_ && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  // A number or a literal (true, false, null).
  bool scalar() {
    for (std::string_view literal : {"true", "false", "null"}) {
      if (text_.substr(pos_, literal.size()) == literal && pos_ + literal.size() <= end_) {
        pos_ += literal.size();
        return true;
      }
    }
    if (pos_ < end_ && text_[pos_] == '-') ++pos_;
    if (pos_ >= end_) return false;
    if (text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (pos_ < end_ && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (pos_ < end_ && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < end_ && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return false;
    }
    return true;
  }

  std::string_view text_;
  size_t end_;
  size_t pos_ = 0;
};

// --- heredoc words -------------------------------------------------------------------------------
// BuildKit finds heredocs by splitting the whole logical line into shell words (quotes and escapes
// kept, `<<` glued to the word after it) and matching each against `^(\d*)<<(-?)\s*([^<]*)$`.

struct RawWord {
  size_t begin, end;
};

// Splits like BuildKit's shell lexer with raw quotes and escapes; false when the lexer would fail
// (an unterminated quote or `${`), in which case BuildKit finds no heredoc at all.
bool split_shell_words(std::string_view text, size_t begin, size_t end, std::vector<RawWord>& words) {
  size_t word_begin = std::string_view::npos;
  auto start = [&](size_t at) {
    if (word_begin == std::string_view::npos) word_begin = at;
  };
  auto finish = [&](size_t at) {
    if (word_begin != std::string_view::npos) words.push_back({word_begin, at});
    word_begin = std::string_view::npos;
  };
  size_t pos = begin;
  while (pos < end) {
    char c = text[pos];
    if (size_t space = space_at(text, pos); space > 0 && pos + space <= end) {
      finish(pos);
      pos += space;
      continue;
    }
    start(pos);
    if (c == '\\') {
      pos += pos + 1 < end ? 2 : 1;
    } else if (c == '\'') {
      size_t close = text.find('\'', pos + 1);
      if (close == std::string_view::npos || close >= end) return false;
      pos = close + 1;
    } else if (c == '"') {
      ++pos;
      while (pos < end && text[pos] != '"') pos += (text[pos] == '\\' && pos + 1 < end) ? 2 : 1;
      if (pos >= end) return false;
      ++pos;
    } else if (c == '$' && pos + 1 < end && text[pos + 1] == '{') {
      if (pos + 2 >= end) return false;
      char first = text[pos + 2];
      if (first == '{' || first == '}' || first == ':') return false;
      int depth = 1;
      pos += 2;
      while (pos < end && depth > 0) {
        if (text[pos] == '$' && pos + 1 < end && text[pos + 1] == '{') {
          ++depth;
          pos += 2;
          continue;
        }
        if (text[pos] == '}') --depth;
        ++pos;
      }
      if (depth > 0) return false;
    } else if (c == '<' && pos + 1 < end && text[pos + 1] == '<') {
      pos += 2;
      while (pos < end && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r')) ++pos;
    } else {
      ++pos;
    }
  }
  finish(end);
  return true;
}

// The shell word `text` with quotes and escapes removed; `count` is how many words it makes. As in
// BuildKit's lexer, a word counts only when it has content: `""` makes none.
std::string unquote_shell_word(std::string_view text, int& count) {
  std::string out;
  count = 0;
  size_t word_start = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (out.size() > word_start) ++count;
      word_start = out.size();
      continue;
    }
    if (c == '\\') {
      if (pos + 1 < text.size()) out += text[++pos];
    } else if (c == '\'') {
      while (++pos < text.size() && text[pos] != '\'') out += text[pos];
    } else if (c == '"') {
      while (++pos < text.size() && text[pos] != '"') {
        if (text[pos] == '\\' && pos + 1 < text.size() &&
            (text[pos + 1] == '"' || text[pos + 1] == '$' || text[pos + 1] == '\\'))
          ++pos;
        out += text[pos];
      }
    } else {
      out += c;
    }
  }
  if (out.size() > word_start) ++count;
  return out;
}

struct HeredocWord {
  size_t begin, end;
  Heredoc heredoc;
};

std::optional<HeredocWord> match_heredoc(std::string_view text, RawWord word) {
  std::string_view raw = text.substr(word.begin, word.end - word.begin);
  size_t pos = 0;
  uint32_t descriptor = 0;
  while (pos < raw.size() && raw[pos] >= '0' && raw[pos] <= '9') {
    descriptor = std::min<uint32_t>(descriptor * 10 + static_cast<uint32_t>(raw[pos] - '0'), 1u << 20);
    ++pos;
  }
  if (raw.substr(pos, 2) != "<<") return std::nullopt;
  pos += 2;
  bool strip_tabs = pos < raw.size() && raw[pos] == '-';
  if (strip_tabs) ++pos;
  while (pos < raw.size() && (raw[pos] == ' ' || raw[pos] == '\t' || raw[pos] == '\n' || raw[pos] == '\f' ||
                              raw[pos] == '\r'))
    ++pos;
  std::string_view rest = raw.substr(pos);
  if (rest.empty() || rest.find('<') != std::string_view::npos) return std::nullopt;
  int count = 0;
  std::string name = unquote_shell_word(rest, count);
  if (count != 1) return std::nullopt;
  auto quotes = [](std::string_view s) { return std::count(s.begin(), s.end(), '\'') + std::count(s.begin(), s.end(), '"'); };
  HeredocWord found{word.begin, word.end, {}};
  found.heredoc.name = std::move(name);
  found.heredoc.strip_tabs = strip_tabs;
  found.heredoc.expand = quotes(found.heredoc.name) == quotes(rest);
  found.heredoc.file_descriptor = descriptor;
  return found;
}

// --- the parser ----------------------------------------------------------------------------------

struct PhysicalLine {
  size_t begin = 0;
  size_t content_end = 0;  // without the trailing \r and \n characters
  size_t next = 0;         // the start of the following line
  uint32_t number = 0;     // 0-based, as in the file's line index
};

class Parser {
 public:
  explicit Parser(const SourceFile& file) : file_(file), text_(file.text()) {}

  ParsedDockerfile run() {
    reserve_instructions();
    while (position_ < text_.size()) {
      PhysicalLine first = read_line();
      size_t begin = skip_spaces(text_, first.begin, first.content_end);
      std::string_view content = text_.substr(begin, first.content_end - begin);
      if (!directives_done_) check_directive(content, begin, first);
      if (!content.empty() && content.front() == '#') continue;
      auto [piece_end, continues] = trim_continuation(begin, first.content_end);
      if (!continues && piece_end == begin) continue;
      if (result_.instructions.size() == kMaxInstructions) {
        error(file_.span_of(begin, first.content_end),
              fmt::format("more than {} instructions: the rest of the file is not analysed", kMaxInstructions));
        break;
      }
      read_instruction(begin, piece_end, continues, first);
    }
    if (result_.instructions.empty() && result_.errors.empty()) {
      Position at = file_.position_at(text_.size());
      error({at, at}, "the Dockerfile has no instructions: BuildKit rejects an empty file (\"file with no instructions\")");
    }
    return std::move(result_);
  }

 private:
  // Sizes the instruction list once: an Instruction is large, and moving every one at each growth
  // of the vector cost 3.7 M instructions on 997 Dockerfiles. Keywords start their line (an
  // indented one only costs a growth), so the lines that start with a letter bound the count.
  void reserve_instructions() {
    size_t lines_with_letter = 0;
    for (uint32_t line = 0; line < file_.line_count(); ++line) {
      size_t at = file_.line_start(line);
      char lower = at < text_.size() ? static_cast<char>(text_[at] | 0x20) : '\0';
      lines_with_letter += lower >= 'a' && lower <= 'z';
    }
    result_.instructions.reserve(std::min(lines_with_letter, kMaxInstructions));
  }

  void error(Span span, std::string message) {
    if (result_.errors.size() < kMaxErrors) result_.errors.push_back({span, std::move(message)});
  }

  PhysicalLine read_line() {
    PhysicalLine line;
    line.begin = position_;
    line.number = line_number_;
    // The file has found every line break already (its line index): no search of the text per line.
    bool last = line_number_ + 1 >= file_.line_count();
    size_t newline = last ? std::string_view::npos : file_.line_start(line_number_ + 1) - 1;
    if (!last) ++line_number_;
    size_t end = newline == std::string_view::npos ? text_.size() : newline;
    line.next = newline == std::string_view::npos ? text_.size() : newline + 1;
    line.content_end = end;
    while (line.content_end > line.begin && (text_[line.content_end - 1] == '\r' || text_[line.content_end - 1] == '\n'))
      --line.content_end;
    if (end - line.begin > kMaxLineBytes) {
      Position at = file_.position_at(line.begin);
      error({at, {at.line, at.column + 1}},
            fmt::format("line {} is {} bytes long: BuildKit reads at most {} bytes per line and rejects the file",
                        at.line, end - line.begin, kMaxLineBytes));
    }
    position_ = line.next;
    return line;
  }

  // BuildKit's parser directives: `# name=value` lines before anything else (a blank line, another
  // comment or an instruction ends them).
  void check_directive(std::string_view content, size_t begin, const PhysicalLine& line) {
    if (content.empty() || content.front() != '#') {
      directives_done_ = true;
      return;
    }
    size_t pos = skip_spaces(content, 1, content.size());
    size_t key_begin = pos;
    if (pos >= content.size() || !std::isalpha(static_cast<unsigned char>(content[pos]))) {
      directives_done_ = true;
      return;
    }
    while (pos < content.size() && std::isalnum(static_cast<unsigned char>(content[pos]))) ++pos;
    std::string key = to_lower_ascii(content.substr(key_begin, pos - key_begin));
    auto regex_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; };
    while (pos < content.size() && regex_space(content[pos])) ++pos;
    if (pos >= content.size() || content[pos] != '=') {
      directives_done_ = true;
      return;
    }
    ++pos;
    size_t value_begin = pos;
    while (value_begin < content.size() && regex_space(content[value_begin])) ++value_begin;
    size_t value_end = content.size();
    while (value_end > value_begin && regex_space(content[value_end - 1])) --value_end;
    if (value_begin == value_end) {
      // `(.+?)` needs one character: the regex backtracks into the spaces when there are some.
      if (value_begin == pos) {
        directives_done_ = true;
        return;
      }
      --value_begin;
      value_end = value_begin + 1;
    }
    if (key != "syntax" && key != "escape" && key != "check") {
      directives_done_ = true;
      return;
    }
    Span span = file_.span_of(begin, line.content_end);
    Span value_span = file_.span_of(begin + value_begin, begin + value_end);
    std::string value(content.substr(value_begin, value_end - value_begin));
    for (const ParserDirective& seen : result_.directives) {
      if (seen.name == key) {
        error(span, fmt::format("only one {} parser directive can be used; BuildKit rejects the file", key));
        return;
      }
    }
    if (key == "escape") {
      if (value != "\\" && value != "`") {
        error(value_span, fmt::format("invalid escape token '{}': the escape directive accepts only ` or \\", value));
        return;
      }
      result_.escape = value[0];
    }
    result_.directives.push_back({key, std::move(value), span, value_span});
  }

  // BuildKit's continuation test: the line ends with the escape character (then only spaces and
  // tabs), and that character is not itself escaped. Returns where the kept text ends.
  std::pair<size_t, bool> trim_continuation(size_t begin, size_t end) const {
    size_t last = end;
    while (last > begin && (text_[last - 1] == ' ' || text_[last - 1] == '\t')) --last;
    if (last > begin && text_[last - 1] == result_.escape &&
        (last - 1 == begin || text_[last - 2] != result_.escape))
      return {last - 1, true};
    return {end, false};
  }

  void read_instruction(size_t begin, size_t piece_end, bool continues, const PhysicalLine& first) {
    // Built in its place in the list (reserved): no move of a finished Instruction into it, and no
    // destruction of the moved-from one (0.9 M instructions on 997 Dockerfiles).
    Instruction& instruction = result_.instructions.emplace_back();
    // The kept part of each physical line, gathered first so that the logical line is sized once.
    line_pieces_.clear();
    line_pieces_.push_back({begin, piece_end, first.number});
    size_t line_bytes = piece_end - begin;
    size_t last_end = first.content_end;
    uint32_t last_line = first.number;
    while (continues && position_ < text_.size()) {
      PhysicalLine next = read_line();
      // Comment lines and blank lines inside the continuation are dropped: one look at the line's
      // leading white space tells both.
      size_t content = skip_spaces(text_, next.begin, next.content_end);
      if (content == next.content_end || text_[content] == '#') continue;
      auto [end, more] = trim_continuation(next.begin, next.content_end);
      line_pieces_.push_back({next.begin, end, next.number});
      line_bytes += end - next.begin;
      last_end = next.content_end;
      last_line = next.number;
      continues = more;
    }
    instruction.line.reserve(line_bytes, line_pieces_.size());
    piece_lines_.clear();
    for (const LinePiece& piece : line_pieces_) {
      // An empty piece adds no TextMap piece; pieces of different lines never merge (a line break
      // lies between them), so piece_lines_ stays parallel to the map's pieces.
      if (piece.end == piece.begin) continue;
      instruction.line.append_copy(text_.substr(piece.begin, piece.end - piece.begin), piece.begin);
      piece_lines_.push_back(piece.line);
    }
    std::string_view line = instruction.line.text();
    size_t command_begin = skip_spaces(line, 0, line.size());
    if (command_begin == line.size()) {  // only escape characters and blank lines
      result_.instructions.pop_back();
      return;
    }
    parse_command(instruction, command_begin, trim_spaces_back(line, 0, line.size()), 0);
    instruction.span = {instruction.keyword_span.begin, position_on_line(last_line, last_end)};

    const Instruction* heredoc_owner = &instruction;
    if (instruction.is("ONBUILD") && instruction.trigger) heredoc_owner = instruction.trigger.get();
    if (takes_heredocs(heredoc_owner->keyword) && heredoc_owner->form != Form::Exec &&
        line.find("<<") != std::string_view::npos)
      read_heredocs(instruction, command_begin, line.size());
  }

  void read_heredocs(Instruction& instruction, size_t begin, size_t end) {
    std::string_view line = instruction.line.text();
    std::vector<RawWord> words;
    if (!split_shell_words(line, begin, end, words)) return;
    for (const RawWord& word : words) {
      std::optional<HeredocWord> found = match_heredoc(line, word);
      if (!found) continue;
      Heredoc heredoc = std::move(found->heredoc);
      heredoc.word_span = instruction.line.span_of(file_, found->begin, found->end);
      bool terminated = read_heredoc_body(heredoc);
      if (heredoc.terminator_span.empty()) {
        instruction.span.end = file_.position_at(position_);
      } else {
        instruction.span.end = heredoc.terminator_span.end;
      }
      if (instruction.is("ONBUILD") && instruction.trigger) {
        auto trigger = std::make_shared<Instruction>(*instruction.trigger);
        trigger->heredocs.push_back(heredoc);
        instruction.trigger = std::move(trigger);
      }
      instruction.heredocs.push_back(std::move(heredoc));
      if (!terminated) return;
    }
  }

  // Reads the body up to the line equal to the delimiter. Unterminated, BuildKit rejects the file;
  // we report it and resume at the first body line that starts with an upper-case instruction
  // keyword, so the rest of the file is still analysed.
  bool read_heredoc_body(Heredoc& heredoc) {
    heredoc.first_line = file_.position_at(position_).line;
    size_t resume_at = std::string_view::npos;
    size_t body_length_at_resume = 0;
    uint32_t lines_at_resume = 0;
    uint32_t resume_line = 0;
    while (position_ < text_.size()) {
      PhysicalLine body = read_line();
      size_t content_begin = body.begin;
      if (heredoc.strip_tabs)
        while (content_begin < body.content_end && text_[content_begin] == '\t') ++content_begin;
      std::string_view candidate = text_.substr(content_begin, body.content_end - content_begin);
      if (candidate == heredoc.name) {
        heredoc.terminator_span = file_.span_of(content_begin, body.content_end);
        return true;
      }
      if (resume_at == std::string_view::npos && starts_with_instruction(body)) {
        resume_at = body.begin;
        resume_line = body.number;
        body_length_at_resume = heredoc.body.text().size();
        lines_at_resume = heredoc.line_count;
      }
      heredoc.body.append_copy(text_.substr(content_begin, body.next - content_begin), content_begin);
      ++heredoc.line_count;
    }
    Span where = heredoc.word_span;
    error(where, fmt::format("unterminated heredoc: no line \"{}\" closes it before the end of the file; "
                             "BuildKit rejects the file",
                             heredoc.name));
    if (resume_at != std::string_view::npos) {
      position_ = resume_at;
      line_number_ = resume_line;
      heredoc.body = heredoc.body.slice(0, body_length_at_resume);
      heredoc.line_count = lines_at_resume;
    }
    return false;
  }

  bool starts_with_instruction(const PhysicalLine& line) const {
    size_t end = line.begin;
    while (end < line.content_end && std::isupper(static_cast<unsigned char>(text_[end]))) ++end;
    if (end == line.begin || (end < line.content_end && !is_ascii_space(text_[end]))) return false;
    return is_known_instruction(text_.substr(line.begin, end - line.begin));
  }

  // The position of file offset `offset`, which lies on 0-based line `line` (up to its end).
  Position position_on_line(uint32_t line, size_t offset) const {
    return {line + 1, static_cast<uint32_t>(offset - file_.line_start(line) + 1)};
  }

  // instruction.line.span_of(file_, begin, end), without its searches: the parser knows the file
  // line of every piece of the logical line it is parsing (piece_lines_), so no position needs a
  // search of the file's line index. Asked for every keyword, word, key and value (about 40,000
  // times on 997 Dockerfiles, 220 instructions each through TextMap::span_of).
  Span span(const Instruction& instruction, size_t begin, size_t end) const {
    const std::vector<TextMap::Piece>& pieces = instruction.line.pieces();
    if (pieces.empty() || pieces.size() != piece_lines_.size()) return instruction.line.span_of(file_, begin, end);
    size_t size = instruction.line.text().size();
    begin = std::min(begin, size);
    end = std::max(begin, std::min(end, size));
    // The last piece that starts at or before `at`, searched from piece `from` (which does): a few
    // steps find it in the usual few pieces or near `from` (a keyword or word in the first lines),
    // a binary search in a long RUN of many.
    auto piece_at = [&](size_t at, size_t from) {
      size_t index = from;
      for (int step = 0; step < 4; ++step, ++index)
        if (index + 1 == pieces.size() || pieces[index + 1].text_offset > at) return index;
      auto next = std::upper_bound(pieces.begin() + static_cast<std::ptrdiff_t>(index), pieces.end(), at,
                                   [](size_t offset, const TextMap::Piece& piece) { return offset < piece.text_offset; });
      return static_cast<size_t>(next - pieces.begin()) - 1;
    };
    size_t first = piece_at(begin, 0);
    const TextMap::Piece& piece = pieces[first];
    size_t file_begin = piece.file_offset + std::min<size_t>(begin - piece.text_offset, piece.length);
    Position begin_position = position_on_line(piece_lines_[first], file_begin);
    if (end == begin) return {begin_position, begin_position};
    // The range's last byte decides the piece of its end (TextMap::file_end_offset).
    size_t last = piece_at(end - 1, first);
    size_t file_end = std::max<size_t>(file_begin, pieces[last].file_offset + (end - pieces[last].text_offset));
    return {begin_position, position_on_line(piece_lines_[last], file_end)};
  }

  Word word(const Instruction& instruction, size_t begin, size_t end) const {
    std::string_view line = instruction.line.text();
    return {std::string(line.substr(begin, end - begin)), span(instruction, begin, end), static_cast<uint32_t>(begin),
            static_cast<uint32_t>(end)};
  }

  void reject(Instruction& instruction, Span where, std::string message) {
    error(where, std::move(message));
    instruction.valid = false;
    instruction.arguments.clear();
    instruction.pairs.clear();
  }

  // `KEYWORD [--flag...] arguments` in line[begin, end) (trimmed).
  void parse_command(Instruction& instruction, size_t begin, size_t end, int depth) {
    std::string_view line = instruction.line.text();
    size_t keyword_end = begin;
    while (keyword_end < end && !is_separator(line[keyword_end])) ++keyword_end;
    instruction.keyword = to_upper_ascii(line.substr(begin, keyword_end - begin));
    instruction.keyword_span = span(instruction, begin, keyword_end);
    size_t rest = keyword_end;
    while (rest < end && is_separator(line[rest])) ++rest;
    size_t arguments = parse_flags(instruction, rest, end);
    instruction.arguments_begin = static_cast<uint32_t>(skip_spaces(line, arguments, end));
    instruction.arguments_end = static_cast<uint32_t>(std::max<size_t>(instruction.arguments_begin, end));
    size_t a = instruction.arguments_begin, e = instruction.arguments_end;

    std::string_view k = instruction.keyword;  // compared with literals of known length: no strlen per test
    if (k == "RUN" || k == "CMD" || k == "ENTRYPOINT" || k == "SHELL") {
      parse_maybe_json(instruction, a, e, false);
    } else if (k == "COPY" || k == "ADD" || k == "VOLUME") {
      parse_maybe_json(instruction, a, e, true);
    } else if (k == "ENV" || k == "LABEL") {
      parse_name_value(instruction, a, e);
    } else if (k == "ARG") {
      scan_words(line, a, e, [&](size_t word_begin, size_t word_end, std::string& text) {
        instruction.pairs.push_back(split_pair(instruction, word_begin, word_end, text));
        return true;
      });
    } else if (k == "HEALTHCHECK") {
      size_t type_end = a;
      while (type_end < e && !is_ascii_space(line[type_end])) ++type_end;
      if (type_end == a) return;
      instruction.arguments.push_back(word(instruction, a, type_end));
      parse_maybe_json(instruction, skip_spaces(line, type_end, e), e, false);
    } else if (k == "MAINTAINER" || k == "STOPSIGNAL" || k == "USER" || k == "WORKDIR") {
      if (a < e) instruction.arguments.push_back(word(instruction, a, e));
    } else if (k == "ONBUILD") {
      if (a >= e || depth >= kMaxTriggerDepth) return;
      auto trigger = std::make_shared<Instruction>();
      trigger->line = instruction.line;
      parse_command(*trigger, a, e, depth + 1);
      trigger->span = {trigger->keyword_span.begin, span(instruction, a, e).end};
      if (!trigger->valid) instruction.valid = false;
      instruction.trigger = std::move(trigger);
    } else {
      // FROM, EXPOSE, and what BuildKit ignores (unknown keywords): plain white-space lists.
      split_separated(instruction, a, e);
    }
  }

  // BuildKit takes `--name[=value]` words from the start of every instruction's arguments, up to
  // the first word that does not start with `--` (or a lone `--`). Returns where arguments start.
  size_t parse_flags(Instruction& instruction, size_t pos, size_t end) {
    std::string_view line = instruction.line.text();
    const char escape = result_.escape;
    while (true) {
      while (pos < end && is_ascii_space(line[pos])) ++pos;
      if (pos >= end) return end;
      if (!(line[pos] == '-' && pos + 1 < end && line[pos + 1] == '-')) return pos;
      size_t word_begin = pos;
      std::string decoded;
      size_t equals_at = std::string_view::npos;  // file-text offset of the first '=' decoded
      char quote = 0;
      while (pos < end) {
        char c = line[pos];
        if (!quote) {
          if (is_ascii_space(c)) break;
          if (c == '\'' || c == '"') {
            quote = c;
            ++pos;
            continue;
          }
        } else if (c == quote) {
          quote = 0;
          ++pos;
          continue;
        }
        if (c == escape) {
          if (pos + 1 == end) {
            ++pos;
            quote = 0;
            continue;
          }
          ++pos;
          c = line[pos];
        }
        if (c == '=' && equals_at == std::string_view::npos) equals_at = pos;
        decoded += c;
        ++pos;
      }
      if (decoded == "--") return pos;
      Flag flag;
      size_t name_end = decoded.find('=');
      flag.name = decoded.substr(2, name_end == std::string::npos ? std::string::npos : name_end - 2);
      flag.span = span(instruction, word_begin, pos);
      if (name_end == std::string::npos) {
        flag.name_span = flag.span;
      } else {
        flag.value = decoded.substr(name_end + 1);
        flag.name_span = span(instruction, word_begin, equals_at);
        flag.value_span = span(instruction, equals_at + 1, pos);
      }
      instruction.flags.push_back(std::move(flag));
    }
  }

  void parse_maybe_json(Instruction& instruction, size_t begin, size_t end, bool to_list) {
    if (begin >= end) return;
    std::string_view line = instruction.line.text();
    JsonArray json = JsonScanner(line, end).scan(begin);
    if (json.outcome == JsonArray::Outcome::Strings) {
      instruction.form = Form::Exec;
      for (Word& item : json.strings) item.span = span(instruction, item.begin, item.end);
      // The words are the arguments (after HEALTHCHECK's type, they follow it): moved as a whole.
      if (instruction.arguments.empty()) {
        instruction.arguments = std::move(json.strings);
      } else {
        instruction.arguments.insert(instruction.arguments.end(), std::make_move_iterator(json.strings.begin()),
                                     std::make_move_iterator(json.strings.end()));
      }
      return;
    }
    if (json.outcome == JsonArray::Outcome::NotStrings) {
      instruction.form = Form::Exec;
      reject(instruction, span(instruction, json.offending_begin, json.offending_end),
             fmt::format("{} in JSON (exec) form takes only strings: BuildKit rejects an array with other values; "
                         "quote each element",
                         instruction.keyword));
      return;
    }
    instruction.form = Form::Shell;
    if (to_list) split_separated(instruction, begin, end);
    else instruction.arguments.push_back(word(instruction, begin, end));
  }

  void split_separated(Instruction& instruction, size_t pos, size_t end) {
    std::string_view line = instruction.line.text();
    // Room for the usual few words at once (FROM image AS name, COPY source destination, EXPOSE
    // port): the list grew by one, two, then four, moving its words each time.
    if (instruction.arguments.empty()) instruction.arguments.reserve(4);
    while (pos < end) {
      while (pos < end && is_separator(line[pos])) ++pos;
      size_t begin = pos;
      while (pos < end && !is_separator(line[pos])) ++pos;
      if (pos > begin) instruction.arguments.push_back(word(instruction, begin, pos));
    }
  }

  // BuildKit's word splitting for ENV, LABEL and ARG: white space separates words except inside
  // quotes; quotes and escapes stay in the word (they are removed when the value is expanded).
  // Calls take(begin, end, text) for each word in order (text may be moved from) until it returns
  // false: the caller takes each word as it comes, with no list of them made first (`ENV name value`
  // needs only the first word to know it is legacy).
  template <typename Take>
  void scan_words(std::string_view line, size_t pos, size_t end, Take take) const {
    const char escape = result_.escape;
    enum { Spaces, InWord, InQuote } phase = Spaces;
    char quote = 0;
    bool blank_ok = false;
    bool stopped = false;
    size_t word_begin = pos;
    std::string text;
    auto emit = [&](size_t at) {
      if (blank_ok || !text.empty()) stopped = !take(word_begin, at, text);
      text.clear();
      blank_ok = false;
    };
    // The bytes a word takes as they are, up to the next one that needs a decision: appended as
    // one run (LABEL and ENV values are long), not byte by byte. Outside quotes a byte is tested
    // against a table of the ones that may stop the run (one load where space_at was a call per
    // byte); the lead byte of a multi-byte character then gets the full white-space test.
    auto plain_run = [&](size_t from, bool quoted) {
      size_t at = from;
      if (quoted) {
        while (at < end) {
          auto b = static_cast<unsigned char>(line[at]);
          if (b == static_cast<unsigned char>(quote) || (b == static_cast<unsigned char>(escape) && quote != '\'')) break;
          ++at;
        }
        return at;
      }
      while (at < end) {
        auto b = static_cast<unsigned char>(line[at]);
        if (kMayEndPlainRun[b] || b == static_cast<unsigned char>(escape)) {
          if (b < 0x80 || b == static_cast<unsigned char>(escape) || unicode_space_at(line, at)) break;
        }
        ++at;
      }
      return at;
    };
    while (pos < end && !stopped) {
      if (phase != Spaces) {
        size_t run_end = plain_run(pos, phase == InQuote);
        if (run_end > pos) {
          text.append(line.substr(pos, run_end - pos));
          pos = run_end;
          continue;
        }
      }
      size_t space = space_at(line, pos);
      if (phase == Spaces) {
        if (space) {
          pos += space;
          continue;
        }
        phase = InWord;
        word_begin = pos;
      }
      char c = line[pos];
      if (phase == InWord) {
        if (space) {
          emit(pos);
          phase = Spaces;
          pos += space;
          continue;
        }
        if (c == '\'' || c == '"') {
          quote = c;
          blank_ok = true;
          phase = InQuote;
        } else if (c == escape) {
          if (pos + 1 == end) {
            ++pos;
            continue;
          }
          text += c;
          c = line[++pos];
        }
        text += c;
        ++pos;
        continue;
      }
      // InQuote
      if (c == quote) {
        phase = InWord;
      } else if (c == escape && quote != '\'') {
        if (pos + 1 == end) {
          phase = InWord;
          ++pos;
          continue;
        }
        text += c;
        c = line[++pos];
      }
      text += c;
      ++pos;
    }
    if (phase != Spaces && !stopped) emit(end);
  }

  // A `name=value` word of ENV, LABEL or ARG as a pair; without '=', a key alone (`ARG name`).
  // `text` is the word as scan_words gives it.
  KeyValue split_pair(const Instruction& instruction, size_t begin, size_t end, std::string& text) const {
    KeyValue pair;
    pair.span = span(instruction, begin, end);
    size_t equals = text.find('=');
    if (equals == std::string::npos) {
      pair.key = {std::move(text), pair.span, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
      pair.has_value = false;
      return pair;
    }
    pair.key = word(instruction, begin, begin + equals);
    size_t value_begin = begin + equals + 1;
    pair.value = {text.substr(equals + 1), span(instruction, value_begin, end), static_cast<uint32_t>(value_begin),
                  static_cast<uint32_t>(end)};
    return pair;
  }

  void parse_name_value(Instruction& instruction, size_t begin, size_t end) {
    std::string_view line = instruction.line.text();
    bool first = true;
    bool legacy = false;
    scan_words(line, begin, end, [&](size_t word_begin, size_t word_end, std::string& text) {
      bool has_equals = text.find('=') != std::string::npos;
      if (first && !has_equals) {
        legacy = true;
        return false;
      }
      first = false;
      if (!has_equals) {
        reject(instruction, span(instruction, word_begin, word_end),
               fmt::format("{}: \"{}\" has no '=': when one pair is written name=value, every pair must be "
                           "(BuildKit rejects the mix)",
                           instruction.keyword, text));
        return false;
      }
      instruction.pairs.push_back(split_pair(instruction, word_begin, word_end, text));
      return true;
    });
    if (!legacy) return;
    // Legacy `ENV name value...`: the value is the rest of the line after the first white space.
    size_t key_end = begin;
    while (key_end < end && !is_separator(line[key_end])) ++key_end;
    size_t value_begin = key_end;
    while (value_begin < end && is_separator(line[value_begin])) ++value_begin;
    if (key_end == end) {
      reject(instruction, span(instruction, begin, end),
             fmt::format("{} {} has no value: write {} {}=value (BuildKit rejects a name alone)", instruction.keyword,
                         line.substr(begin, end - begin), instruction.keyword, line.substr(begin, end - begin)));
      return;
    }
    KeyValue pair;
    pair.key = word(instruction, begin, key_end);
    pair.value = word(instruction, value_begin, end);
    pair.span = span(instruction, begin, end);
    instruction.pairs.push_back(std::move(pair));
    instruction.legacy_pair = true;
  }

  const SourceFile& file_;
  std::string_view text_;
  size_t position_ = 0;      // always the start of a line
  uint32_t line_number_ = 0;  // position_'s line, 0-based
  bool directives_done_ = false;
  ParsedDockerfile result_;
  struct LinePiece {
    size_t begin, end;  // the kept part of a physical line
    uint32_t line;      // its 0-based file line
  };
  std::vector<LinePiece> line_pieces_;  // read_instruction's, kept for its capacity
  // The file line of each piece of the logical line being parsed (of instruction.line.pieces()).
  std::vector<uint32_t> piece_lines_;
};

}  // namespace

const Flag* Instruction::flag(std::string_view name) const {
  const Flag* found = nullptr;
  for (const Flag& candidate : flags)
    if (candidate.name == name) found = &candidate;
  return found;
}

bool is_known_instruction(std::string_view upper_keyword) {
  return std::find(kInstructions.begin(), kInstructions.end(), upper_keyword) != kInstructions.end();
}

bool takes_heredocs(std::string_view upper_keyword) {
  return upper_keyword == "RUN" || upper_keyword == "COPY" || upper_keyword == "ADD";
}

ParsedDockerfile parse_dockerfile(const SourceFile& file) { return Parser(file).run(); }

}  // namespace shiftlint::docker
