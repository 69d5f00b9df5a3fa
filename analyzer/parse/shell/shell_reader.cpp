#include "analyzer/parse/shell/shell_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>
#include <algorithm>
#include <array>

namespace shiftlint::shell {

namespace {

// Thrown inside the reader when the text leaves what it parses exactly as tree-sitter-bash does;
// caught in read_shell, which then returns false.
struct Decline {
  size_t position = 0;
};

// How deep statements and substitutions may nest before the reader hands the text to tree-sitter.
constexpr uint32_t kMaxReaderDepth = 64;

// Shell name characters as a table: the reader asks at every word whether it starts an assignment.
constexpr std::array<bool, 256> kNameCharacters = [] {
  std::array<bool, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  table['_'] = true;
  return table;
}();

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return kNameCharacters[static_cast<unsigned char>(c)]; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

// Characters that end a bare word in tree-sitter-bash's `word` token (besides whitespace), as a
// table: the reader asks for every character of every word.
constexpr std::array<bool, 256> kWordBreakers = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("'\"<>{}[]()`$|&;\\ \t\n\v\f\r")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_word_breaker(char c) { return kWordBreakers[static_cast<unsigned char>(c)]; }

// Characters bare text runs over without a second look: ASCII, neither a word breaker nor one of
// `{ } [ ] \`.
constexpr std::array<bool, 256> kPlainCharacters = [] {
  std::array<bool, 256> table{};
  for (int c = 1; c < 0x80; ++c) table[c] = !kWordBreakers[c];
  for (char c : std::string_view("{}[]\\")) table[static_cast<unsigned char>(c)] = false;
  return table;
}();

// The characters string() stops at inside double quotes; it passes over the others.
constexpr std::array<bool, 256> kStringStops = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("\"\\$`\r")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// The characters expansion() looks at inside `${...}`; it passes over the others (one at a time
// through its switch, about 0.3 M instructions more on the 997 Dockerfiles).
constexpr std::array<bool, 256> kExpansionStops = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("}\\${\"'`\n\r+[]:")) table[static_cast<unsigned char>(c)] = true;
  for (int c = 0x80; c < 256; ++c) table[c] = true;
  return table;
}();

// A command's first word is read once for both: the characters that end a bare word
// (kWordBreakers) and the signs tree-sitter reads its own way in a command name (`=`, `@`, `%`, `?`,
// the `+` of `+:`), which are then looked for only in the names holding one (about 1 M
// instructions on the 997 Dockerfiles). kNotPlain marks the characters that are not
// kPlainCharacters: a name without them is one plain run.
enum : uint8_t { kBreaksWord = 1, kNameSign = 2, kNotPlain = 4 };
constexpr std::array<uint8_t, 256> kCommandNameCharacters = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = kWordBreakers[c] ? kBreaksWord : (kPlainCharacters[c] ? 0 : kNotPlain);
  }
  for (char c : std::string_view("=@%?+")) table[static_cast<unsigned char>(c)] |= kNameSign;
  return table;
}();

// text.find_first_of(set) != npos without libstdc++'s memchr call per character of `text`: the
// sets here are a few characters, compared inline.
bool holds_any_of(std::string_view text, std::string_view set) {
  for (char c : text) {
    for (char wanted : set) {
      if (c == wanted) return true;
    }
  }
  return false;
}

// `word` (of the literal's length, which the caller checked) spells `literal`: a memcmp of a
// constant size, which the compiler turns into a load and a compare instead of a call.
template <size_t N>
bool spells(std::string_view word, const char (&literal)[N]) {
  return std::memcmp(word.data(), literal, N - 1) == 0;
}

// Reserved words that start or end a compound command where a command name could stand: if then
// elif else fi for while until do done case esac in function select coproc { } [ [[ ] ]] ! ((.
bool is_reserved(std::string_view word) {
  switch (word.size()) {
    case 1:
      return word[0] == '{' || word[0] == '}' || word[0] == '[' || word[0] == ']' || word[0] == '!';
    case 2:
      return spells(word, "if") || spells(word, "fi") || spells(word, "do") || spells(word, "in") ||
             spells(word, "[[") || spells(word, "]]") || spells(word, "((");
    case 3:
      return spells(word, "for");
    case 4:
      return spells(word, "then") || spells(word, "elif") || spells(word, "else") || spells(word, "done") ||
             spells(word, "case") || spells(word, "esac");
    case 5:
      return spells(word, "while") || spells(word, "until");
    case 6:
      return spells(word, "select") || spells(word, "coproc");
    case 8:
      return spells(word, "function");
    default:
      return false;
  }
}

bool is_declaration(std::string_view word) {
  switch (word.size()) {
    case 5:
      return spells(word, "local");
    case 6:
      return spells(word, "export");
    case 7:
      return spells(word, "declare") || spells(word, "typeset");
    case 8:
      return spells(word, "readonly");
    default:
      return false;
  }
}

class Reader {
 public:
  Reader(std::string_view text, SyntaxTree& tree, bool past_tree_sitter = false)
      : text_(text), nodes_(tree.nodes), past_tree_sitter_(past_tree_sitter) {}

  size_t steps() const { return steps_; }

  void program() {
    uint32_t root = open(NodeKind::Program, NodeField::None, 0);
    statements(Closer::End);
    if (position_ < text_.size()) decline();
    close(root, static_cast<uint32_t>(text_.size()));
  }

 private:
  // What ends a run of statements (not consumed by `statements`).
  enum class Closer : uint8_t {
    End,          // the end of the text
    Parenthesis,  // `)` of a subshell or `$(...)`
    Backtick,     // the closing backtick
    Brace,        // `}`
    Then,         // `then` after an if/elif condition
    ElseOrFi,     // `elif`, `else` or `fi` after a then-body
    Fi,           // `fi` after an else-body
    Do,           // `do` after a while/until condition
    Done,         // `done`
    CaseItem,     // `;;`, `;&`, `;;&` or `esac`
  };

  // Closers after which tree-sitter wants every statement terminated (`_terminated_statement`).
  static bool needs_terminator(Closer closer) {
    return closer != Closer::End && closer != Closer::Parenthesis && closer != Closer::Backtick &&
           closer != Closer::CaseItem;
  }

  [[noreturn]] void decline() const { throw Decline{position_}; }

  // --- the tree ---------------------------------------------------------------------------------

  uint32_t open(NodeKind kind, NodeField field, size_t begin, bool named = true) {
    uint32_t index = static_cast<uint32_t>(nodes_.size());
    append_node(kind, field, begin, begin, named);
    return index;
  }

  // The vector grows out of line: with its reallocation inlined here, every node paid for saving
  // and restoring the registers that path needs (about 1.5 M instructions on the 997 Dockerfiles).
  void append_node(NodeKind kind, NodeField field, size_t begin, size_t end, bool named) {
    if (nodes_.size() == nodes_.capacity()) [[unlikely]] grow_nodes();
    SyntaxNode& node = nodes_.emplace_back();
    node.begin = static_cast<uint32_t>(begin);
    node.end = static_cast<uint32_t>(end);
    node.kind = kind;
    node.field = field;
    node.named = named;
  }

  [[gnu::noinline]] void grow_nodes() { nodes_.reserve(std::max<size_t>(64, 2 * nodes_.capacity())); }

  // Sets the subtree size, end and child count of `index`, whose descendants are all the nodes
  // after it.
  void close(uint32_t index, size_t end) {
    SyntaxNode& node = nodes_[index];
    node.end = static_cast<uint32_t>(end);
    node.size = static_cast<uint32_t>(nodes_.size()) - index;
    uint32_t count = 0;
    for (uint32_t child = index + 1; child < nodes_.size(); child += nodes_[child].size) ++count;
    nodes_[index].child_count = count;
    steps_ += count;
  }

  // close() for `index` after children were appended to it, from `first_new_child` on: what close()
  // would set, counting only the new children.
  void extend(uint32_t index, uint32_t first_new_child) {
    uint32_t count = 0;
    uint32_t end = nodes_[index].end;
    for (uint32_t child = first_new_child; child < nodes_.size(); child += nodes_[child].size) {
      ++count;
      end = std::max(end, nodes_[child].end);
    }
    steps_ += count;
    SyntaxNode& node = nodes_[index];
    node.end = end;
    node.size = static_cast<uint32_t>(nodes_.size()) - index;
    node.child_count += count;
  }

  void leaf(NodeKind kind, NodeField field, size_t begin, size_t end, bool named = true) {
    append_node(kind, field, begin, end, named);
  }

  // Makes the subtree at `first` (and everything after it) the children of a new node inserted in
  // its place; the new node takes the subtree's field, the subtree gets `inner_field`. Returns the
  // new node's index (== first); close it when its children are complete.
  uint32_t wrap(uint32_t first, NodeKind kind, NodeField inner_field) {
    SyntaxNode node;
    node.begin = nodes_[first].begin;
    node.end = nodes_[first].end;
    node.kind = kind;
    node.field = nodes_[first].field;
    nodes_[first].field = inner_field;
    steps_ += nodes_.size() - first;
    nodes_.insert(nodes_.begin() + first, node);
    return first;
  }

  // The head of a statement being read: the node at `index` is the statement so far, and the
  // `free_slots` nodes before it are placeholders kept for the wrappers its later `&&`, `||`, `|`
  // and redirections add. Each of those wraps the whole statement, so inserting one node at a time
  // in front of it would move the statement once per operator (quadratic on `a && b > f && ...`
  // repeated); reserving slots in batches that grow with the statement moves it a bounded number of
  // times per doubling.
  struct StatementHead {
    uint32_t index = 0;
    uint32_t free_slots = 0;
    uint32_t wraps = 0;
  };

  // wrap() for the statement at `head`, taking a reserved slot (reserving more when none is left).
  void wrap_statement(StatementHead& head, NodeKind kind, NodeField inner_field) {
    ++head.wraps;
    if (head.free_slots == 0) {
      // A few operators are the usual case: one slot at a time, as wrap() does, so those statements
      // are never moved again; past that, as many slots as wraps so far.
      uint32_t reserve = head.wraps <= kSlotsOneByOne ? 1 : head.wraps;
      steps_ += nodes_.size() - head.index;
      nodes_.insert(nodes_.begin() + head.index, reserve, SyntaxNode{});
      head.index += reserve;
      head.free_slots = reserve;
    }
    SyntaxNode& inner = nodes_[head.index];
    SyntaxNode node;
    node.begin = inner.begin;
    node.end = inner.end;
    node.kind = kind;
    node.field = inner.field;
    inner.field = inner_field;
    --head.index;
    --head.free_slots;
    nodes_[head.index] = node;
  }

  // Drops the slots the statement at `head` did not use; returns the statement's index.
  uint32_t settle_statement(StatementHead& head) {
    if (head.free_slots > 0) {
      steps_ += nodes_.size() - head.index;
      nodes_.erase(nodes_.begin() + (head.index - head.free_slots), nodes_.begin() + head.index);
      head.index -= head.free_slots;
      head.free_slots = 0;
    }
    return head.index;
  }

  static constexpr uint32_t kSlotsOneByOne = 8;

  uint32_t last_child(uint32_t index) const {
    uint32_t last = index + 1;
    for (uint32_t child = index + 1; child < index + nodes_[index].size; child += nodes_[child].size) last = child;
    return last;
  }

  // --- characters -------------------------------------------------------------------------------

  char peek(size_t offset = 0) const {
    size_t at = position_ + offset;
    return at < text_.size() ? text_[at] : '\0';
  }
  bool at_end() const { return position_ >= text_.size(); }
  bool looking_at(std::string_view token) const { return text_.substr(position_, token.size()) == token; }
  // The same for a literal token: a constant-size compare, no call (the reader asks at every word).
  template <size_t N>
  bool looking_at(const char (&token)[N]) const {
    return position_ <= text_.size() && text_.size() - position_ >= N - 1 &&
           std::memcmp(text_.data() + position_, token, N - 1) == 0;
  }

  // Blanks and line continuations: what may separate the words of one command.
  void skip_inline() {
    // On locals: the reader asks at every word (0.3 M instructions fewer on the 997 Dockerfiles).
    size_t at = position_;
    size_t size = text_.size();
    while (at < size) {
      char c = text_[at];
      if (is_blank(c)) {
        ++at;
      } else if (c == '\\' && at + 1 < size && text_[at + 1] == '\n') {
        at += 2;
      } else {
        break;
      }
    }
    position_ = at;
  }

  // What may follow `&&`, `||` and `|`. A backslash-blank on the operator's own line (`&& \ useradd`,
  // a line continuation that a Dockerfile's continuation joined) is skipped as tree-sitter skips
  // it; after a line break tree-sitter reads one another way (left to it: bare_text() declines).
  void skip_after_operator() {
    skip_inline();
    while (peek() == '\\' && is_blank(peek(1))) {
      position_ += 2;
      skip_inline();
    }
    skip_blank();
  }

  void skip_comment() {
    while (position_ < text_.size() && text_[position_] != '\n') ++position_;
  }

  // Blanks, line breaks and comments: what may stand between statements, and after `&&`, `||`, `|`.
  void skip_blank() {
    for (;;) {
      skip_inline();
      char c = peek();
      if (c == '\n') {
        ++position_;
      } else if (c == '#') {
        skip_comment();
      } else {
        return;
      }
    }
  }

  // --- statements -------------------------------------------------------------------------------

  // Whether `word` stands at the position as a whole bare word (a reserved word where one may be).
  bool at_word(std::string_view word) const { return looking_at(word) && ends_word(position_ + word.size()); }
  template <size_t N>
  bool at_word(const char (&word)[N]) const { return looking_at(word) && ends_word(position_ + N - 1); }

  // Whether a bare word ends before `after` (a reserved word stands alone there).
  bool ends_word(size_t after) const {
    if (after >= text_.size()) return true;
    char c = text_[after];
    return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == ')' || c == '<' || c == '>' ||
           c == '`';
  }

  bool at_closer(Closer closer) const {
    switch (closer) {
      case Closer::End: return false;
      case Closer::Parenthesis: return peek() == ')';
      case Closer::Backtick: return peek() == '`';
      case Closer::Brace: return at_word("}");
      case Closer::Then: return at_word("then");
      case Closer::ElseOrFi: return at_word("elif") || at_word("else") || at_word("fi");
      case Closer::Fi: return at_word("fi");
      case Closer::Do: return at_word("do");
      case Closer::Done: return at_word("done");
      case Closer::CaseItem:
        return (peek() == ';' && (peek(1) == ';' || peek(1) == '&')) || at_word("esac");
    }
    return false;
  }

  // Statements up to the closer (not consumed), each followed by `;`, `&` or a line break.
  // Returns how many.
  uint32_t statements(Closer closer) {
    DepthGuard guard(*this);
    uint32_t count = 0;
    for (;;) {
      skip_blank();
      if (at_end()) {
        if (closer != Closer::End) decline();
        return count;
      }
      if (closer != Closer::End && at_closer(closer)) {  // false for the end: not asked at every statement
        end_of_run(closer);
        return count;
      }
      if (pipeline_line_depth_ >= depth_ && at_settling_statement()) pipeline_line_depth_ = 0;
      uint32_t pipes_before = pipe_operators_;
      uint32_t current = statement();
      ++count;
      // A pipeline of three or more stages holds two `|` at least: without them the statement's
      // nodes need no scan (scanning every statement cost 3 M instructions on the 997 Dockerfiles).
      if (pipe_operators_ - pipes_before >= 2 && has_long_pipeline_list(current)) {
        // A list holding a pipeline of three or more stages (see statement()), redirected or not: after it,
        // tree-sitter joins or nests what follows in ways that depend on how its parser versions
        // merge, even past a `&` or a subshell. Read only as the last statement of the text.
        size_t after = position_;
        skip_blank();
        if (closer != Closer::End || !at_end()) decline();
        position_ = after;
      }
      skip_inline();
      char c = peek();
      if (c == '#') {
        skip_comment();
        c = peek();
      }
      if (c == '\n') {
        // A line ending in a pipeline of three or more stages: tree-sitter may join the lines after
        // it to the pipeline's last command when a redirection, `&&` or `||` follows (`a | b | c`, a
        // line break, `d >f` is read as `a | b | c d >f`), depending on how its parser versions
        // merge. Until a `;`, `&`, compound command or closing keyword settles that, those are left
        // to it.
        if (ends_in_long_pipeline(current) && (pipeline_line_depth_ == 0 || depth_ < pipeline_line_depth_)) {
          pipeline_line_depth_ = depth_;
        }
        ++position_;
      } else if (c == ';') {
        if (peek(1) == ';' || peek(1) == '&') {  // case terminators
          if (closer != Closer::CaseItem || redirected_long_pipeline(current)) decline();
          end_of_run(closer);
          return count;
        }
        if (pipeline_line_depth_ == depth_) pipeline_line_depth_ = 0;
        ++position_;
        skip_inline();
        if (closer == Closer::CaseItem && at_closer(closer)) continue;  // `a; ;;`
        forbid_empty_statement();
      } else if (c == '&') {
        // `&&` and `&>` were taken by the statement.
        if (pipeline_line_depth_ == depth_) pipeline_line_depth_ = 0;
        leaf(NodeKind::Ampersand, NodeField::None, position_, position_ + 1, false);
        ++position_;
        forbid_empty_statement();
      } else if ((at_end() || at_closer(closer)) && !needs_terminator(closer)) {
        // `( a | b | c > f )`: tree-sitter nests the redirection around `b | c` there.
        if (!at_end() && redirected_long_pipeline(current)) decline();
        continue;
      } else if (!at_end() && at_closer(closer) && ends_in_compound_command(current)) {
        // `if a; then if b; then c; fi fi`, `done done`, `( ... ) else`: after a compound command
        // the shell needs no `;` before the closing keyword (a RUN body's continuation lines joined
        // leave these), where tree-sitter reports an error. The tree is the one with the `;`.
        continue;
      } else {
        decline();
      }
    }
  }

  // Whether the statement at `index` ends in a compound command that is not redirected (`a && if
  // b; then c; fi`, `a | while b; do c; done`, `{ a; }`, `( a )`): the shell reads a reserved word
  // right after it (`fi`, `done`, `else`...) as one. Not after `[[ ]]`, `(( ))` or a function
  // definition, which the shell also allows but real texts do not need.
  bool ends_in_compound_command(uint32_t index) const {
    uint32_t last = index;
    while (nodes_[last].kind == NodeKind::List || nodes_[last].kind == NodeKind::Pipeline ||
           nodes_[last].kind == NodeKind::NegatedCommand) {
      last = last_child(last);
    }
    switch (nodes_[last].kind) {
      case NodeKind::IfStatement:
      case NodeKind::WhileStatement:
      case NodeKind::ForStatement:
      case NodeKind::CaseStatement:
      case NodeKind::Subshell:
        return true;
      case NodeKind::CompoundStatement:
        return text_[nodes_[last].begin] == '{';  // not `(( ... ))`
      default:
        return false;
    }
  }

  // Whether the statement at `index` ends in a pipeline of three or more stages, redirected or not
  // (`a && b | c | d`, `a | b | c > f`).
  bool ends_in_long_pipeline(uint32_t index) const {
    uint32_t last = index;
    for (;;) {
      if (nodes_[last].kind == NodeKind::List) {
        last = last_child(last);
      } else if (nodes_[last].kind == NodeKind::RedirectedStatement) {
        last = first_child_of(last);
      } else {
        return nodes_[last].kind == NodeKind::Pipeline && pipeline_stages(last) >= 3;
      }
    }
  }

  // Whether the statement at `index` ends in a pipeline of three or more stages none of which is
  // redirected, nor the pipeline itself (`a && b | c | d`, not `a | b 2>e | c` or `a | b | c > f`).
  bool ends_in_unredirected_long_pipeline(uint32_t index) const {
    uint32_t last = index;
    while (nodes_[last].kind == NodeKind::List) last = last_child(last);
    if (nodes_[last].kind != NodeKind::Pipeline || pipeline_stages(last) < 3) return false;
    for (uint32_t child = last + 1; child < last + nodes_[last].size; child += nodes_[child].size) {
      if (nodes_[child].kind == NodeKind::RedirectedStatement) return false;
    }
    return true;
  }

  // Whether the statement at `index` is a list (`a && b`, `a || b`, nested to the left) in which a
  // pipeline of three or more stages is followed by `&&` or `||` (`a | b | c && d`): tree-sitter
  // may nest the rest of the list inside that pipeline.
  bool holds_long_pipeline(uint32_t index) const {
    if (nodes_[index].kind != NodeKind::List) return false;
    uint32_t last = last_child(index);  // nothing follows it inside the list
    // Down the chain of left-nested lists (each one's first child is the next), without recursion.
    for (uint32_t list = index; nodes_[list].kind == NodeKind::List; list = first_child_of(list)) {
      for (uint32_t child = list + 1; child < list + nodes_[list].size; child += nodes_[child].size) {
        if (child != last && nodes_[child].kind != NodeKind::List && ends_in_long_pipeline(child)) return true;
      }
    }
    return false;
  }

  // Whether any list in the statement at `index`, redirected ones included (`a | b | c && d > f &&
  // e`, discourse's vips checks), holds a pipeline of three or more stages followed by `&&` or
  // `||`. One pass over the subtree's nodes.
  bool has_long_pipeline_list(uint32_t index) const {
    for (uint32_t node = index; node < index + nodes_[index].size; ++node) {
      if (nodes_[node].kind != NodeKind::List) continue;
      uint32_t last = last_child(node);
      for (uint32_t child = node + 1; child < node + nodes_[node].size; child += nodes_[child].size) {
        if (child != last && ends_in_long_pipeline(child)) return true;  // `&&` or `||` follows it
      }
    }
    return false;
  }

  // A redirected pipeline of three or more stages (`a | b | c > f`).
  bool redirected_long_pipeline(uint32_t index) const {
    if (nodes_[index].kind != NodeKind::RedirectedStatement) return false;
    uint32_t body = first_child_of(index);
    return nodes_[body].kind == NodeKind::Pipeline && pipeline_stages(body) >= 3;
  }

  // The stages of a pipeline, counting those of a redirected pipeline it starts with
  // (`a | b 2>f | c` is pipeline(redirected(pipeline(a, b)), c): three).
  uint32_t pipeline_stages(uint32_t pipeline) const {
    uint32_t stages = (nodes_[pipeline].child_count + 1) / 2;
    uint32_t first = first_child_of(pipeline);
    if (nodes_[first].kind == NodeKind::RedirectedStatement &&
        nodes_[first_child_of(first)].kind == NodeKind::Pipeline) {
      stages += pipeline_stages(first_child_of(first)) - 1;
    }
    return stages;
  }

  // A run of statements ended at its closer: a closing keyword settles a pending pipeline line
  // (see statements()); `then`, `do`, `else` and `elif` were not seen to, and `}` only in some
  // places.
  void end_of_run(Closer closer) {
    if (pipeline_line_depth_ < depth_) return;
    if (closer == Closer::Then || closer == Closer::Do || (closer == Closer::ElseOrFi && !at_word("fi"))) return;
    if (closer == Closer::Brace) {
      // tree-sitter may join a `}` to the pipeline as a word (with a `{`, `}` or `! {` after it):
      // settled only by a `}` ending its line before a line starting with a word, or the end.
      size_t after = position_ + 1;
      while (after < text_.size() && is_blank(text_[after])) ++after;
      if (after < text_.size() && text_[after] != '\n') return;
      for (;;) {
        while (after < text_.size() && (is_blank(text_[after]) || text_[after] == '\n')) ++after;
        if (after < text_.size() && text_[after] == '#') {
          while (after < text_.size() && text_[after] != '\n') ++after;
          continue;
        }
        break;
      }
      if (after < text_.size()) {
        char c = text_[after];
        if (!(is_name_char(c) || c == '$' || c == '"' || c == '\'')) return;
      }
    }
    pipeline_line_depth_ = 0;
  }

  // A statement that settles a pending pipeline line starts at the position: a subshell, `name()`
  // or `case` (tree-sitter joins `{`, `if`, `while`, `for` to the line before as words).
  bool at_settling_statement() const {
    return (peek() == '(' && peek(1) != '(') || at_word("case") || at_function_name();
  }

  // After `;` or `&`: another statement, a line break, a comment or the end; never `;` again.
  void forbid_empty_statement() {
    skip_inline();
    char c = peek();
    if (c == ';' || c == '&') decline();
  }

  // A statement with its lists, pipelines and redirections. tree-sitter-bash nests them its own
  // way: `a && b | c` is list(a, pipeline(b, c)), but `a && b > f` is redirected(list(a, b)) and
  // `a | b > f | c` is pipeline(redirected(pipeline(a, b)), c).
  uint32_t statement() {
    uint32_t pipes_before = pipe_operators_;
    StatementHead head;
    head.index = at_heredoc() ? leading_heredoc_statement() : unit();
    uint32_t& current = head.index;
    // Whether a `&&` or `||` followed a pipeline of three or more stages so far: what
    // has_long_pipeline_list(current) would say, kept as the statement grows (asking it at each
    // redirection would rescan the statement every time).
    bool holds_long_list = false;
    for (;;) {
      skip_inline();
      char c = peek();
      char next = peek(1);
      if ((c == '&' && next == '&') || (c == '|' && next == '|')) {
        // tree-sitter's parse of a pipeline of three or more stages followed by `&&` or `||` depends
        // on how its parser versions merge (`a | b | c && d` nests the list inside the pipeline,
        // and so does `{ a; } && b | c | d | e | f && g`, but not `x && a | b | c && d`). Where no
        // stage is redirected, its nestings differ from the shell's only in marking commands after
        // the `&&` as pipeline stages (`a | b | c && d | e && f`: `f`), so the reader parses these
        // as the shell does (the one decision where it departs from tree-sitter: bench/README.md).
        // With a redirection, tree-sitter moves it between stages: left to it.
        // Asked once, and only with two `|` in the statement (see statements()).
        bool long_pipeline = pipe_operators_ - pipes_before >= 2 && ends_in_long_pipeline(current);
        if (long_pipeline && !ends_in_unredirected_long_pipeline(current)) decline();
        if (pipeline_line_depth_ > 0) decline();  // see statements()
        if (long_pipeline) holds_long_list = true;
        wrap_statement(head, NodeKind::List, NodeField::None);
        leaf(c == '&' ? NodeKind::AndAnd : NodeKind::OrOr, NodeField::None, position_, position_ + 2, false);
        position_ += 2;
        skip_after_operator();
        unit();
        close_subtree(current);
      } else if (c == '|') {
        bool with_error = next == '&';
        uint32_t target = current;
        if (nodes_[current].kind == NodeKind::List) target = last_child(current);
        if (nodes_[target].kind == NodeKind::RedirectedStatement &&
            nodes_[first_child_of(target)].kind == NodeKind::List) {
          decline();
        }
        uint32_t pipeline = target;
        bool new_pipeline = nodes_[target].kind != NodeKind::Pipeline;
        uint32_t first_new_child = static_cast<uint32_t>(nodes_.size());
        if (new_pipeline) {
          if (target == current) {
            wrap_statement(head, NodeKind::Pipeline, NodeField::None);
            pipeline = current;
          } else {
            pipeline = wrap(target, NodeKind::Pipeline, NodeField::None);
          }
        }
        pipe_operator(with_error);
        skip_after_operator();
        unit();
        if (new_pipeline) {
          close_subtree(pipeline);
        } else {
          extend(pipeline, first_new_child);  // closing it again would count every stage again
        }
        if (pipeline != current) close_subtree(current);
      } else if (past_tree_sitter_ && nodes_[current].kind == NodeKind::List && at_file_redirect()) {
        // With no tree-sitter tree to match, redirections after `a || b` go with `b`, as the shell
        // reads them (`[ x ] || mongod --help 2>&1 | grep -q tls`): tree-sitter's tree puts them
        // around the whole list, which a later `|` cannot extend.
        uint32_t target = wrap(last_child(current), NodeKind::RedirectedStatement, NodeField::Body);
        while (at_file_redirect()) {
          file_redirect();
          skip_inline();
        }
        if (at_heredoc() || looking_at("<<")) decline();
        close_subtree(target);
        close_subtree(current);
      } else if ((is_digit(c) || c == '<' || c == '>' || c == '&') && (at_file_redirect() || at_heredoc())) {
        // After a list holding a long pipeline, file redirections only (the text's last statement:
        // statements()); where tree-sitter puts a heredoc there is not known.
        bool long_list = holds_long_list;
        wrap_statement(head, NodeKind::RedirectedStatement, NodeField::Body);
        bool heredoc = false;
        while (!heredoc && (at_file_redirect() || at_heredoc())) {
          if (at_heredoc()) {
            if (long_list) decline();
            heredoc_redirect();
            heredoc = true;
          } else {
            file_redirect();
          }
          skip_inline();
        }
        if (looking_at("<<")) decline();  // a here-string after file redirects, a second heredoc
        close_subtree(current);
      } else if (c == '<' && next == '<') {
        decline();  // a here-string after a compound command
      } else {
        return settle_statement(head);
      }
    }
  }

  uint32_t first_child_of(uint32_t index) const { return index + 1; }

  // `|` or `|&` between two pipeline stages, counted for statements().
  void pipe_operator(bool with_error) {
    ++pipe_operators_;
    leaf(with_error ? NodeKind::BarAmpersand : NodeKind::Bar, NodeField::None, position_,
         position_ + (with_error ? 2 : 1), false);
    position_ += with_error ? 2 : 1;
  }

  // close() for `index` at the end of the last node of its subtree, which runs to the end of the
  // array: one walk over the children finds the end and counts them (two walks, one for each, cost
  // about 0.7 M instructions on the 997 Dockerfiles). `steps_` counts the children twice, as
  // before.
  void close_subtree(uint32_t index) {
    uint32_t end = nodes_[index].end;
    uint32_t count = 0;
    uint32_t size = static_cast<uint32_t>(nodes_.size());
    for (uint32_t child = index + 1; child < size; child += nodes_[child].size) {
      end = std::max(end, nodes_[child].end);
      ++count;
    }
    steps_ += 2 * static_cast<size_t>(count);
    SyntaxNode& node = nodes_[index];
    node.end = end;
    node.size = size - index;
    node.child_count = count;
  }

  // One pipeline stage: a simple command, an assignment, a declaration, `! command`, a compound
  // command, a test, a function definition.
  uint32_t unit() {
    skip_inline();
    if (at_end()) decline();
    char c = peek();
    if (c == '!' && (is_blank(peek(1)) || peek(1) == '\n')) {
      uint32_t negated = open(NodeKind::NegatedCommand, NodeField::None, position_);
      leaf(NodeKind::Other, NodeField::None, position_, position_ + 1, false);
      ++position_;
      skip_inline();
      uint32_t inner;
      if (at_word("[") || at_word("[[")) {
        inner = test_command();
      } else if (peek() == '(' && peek(1) != '(') {
        inner = subshell();
      } else if (at_word("{") && past_tree_sitter_) {
        // With no tree-sitter tree to match, as the shell reads it: the group negated
        // (docker-library mongo's `if ! { [ -s "$pidfile" ] && ps ...; }; then`).
        inner = compound_statement();
      } else if (at_word("{")) {
        // tree-sitter reads `! { a | b; }` as the command `{ a` negated, piped to `b`, and `}` as a
        // command of its own. Inside a brace group, which `}` closes what is left to it, and so is
        // a `{` before anything but a plain word (`! { [ ... ]; }` makes `{ [` one word).
        if (brace_depth_ > 0) decline();
        size_t word = position_ + 1;
        while (word < text_.size() && is_blank(text_[word])) ++word;
        if (word >= text_.size() || !(is_name_char(text_[word]) || text_[word] == '/' || text_[word] == '.')) decline();
        inner = simple_command(true);
        ++brace_commands_;
      } else {
        inner = simple_command(false, true);
        if (nodes_[inner].kind != NodeKind::Command && nodes_[inner].kind != NodeKind::VariableAssignment) decline();
      }
      close(negated, nodes_[inner].end);
      return negated;
    }
    if (brace_commands_ > 0 && at_word("}")) {
      // Only a `}` that ends its statement (tree-sitter reads `} }` as one word).
      size_t after = position_ + 1;
      while (after < text_.size() && is_blank(text_[after])) ++after;
      char c = after < text_.size() ? text_[after] : '\n';
      if (c != '\n' && c != ';' && c != '&' && c != '|') decline();
      --brace_commands_;
      return simple_command(true);
    }
    if (c == '(') {
      if (peek(1) == '(') return arithmetic_command();
      return subshell();
    }
    // Reserved words by their first letter: most statements are simple commands.
    switch (c) {
      case '{':
        if (at_word("{")) return compound_statement();
        break;
      case '[':
        if (at_word("[") || at_word("[[")) return test_command();
        break;
      case 'i':
        if (at_word("if")) return if_statement();
        break;
      case 'w':
      case 'u':
        if (at_word("while") || at_word("until")) return while_statement();
        break;
      case 'f':
        if (at_word("for")) return for_statement();
        if (at_word("function")) return function_definition(true);
        break;
      case 'c':
        if (at_word("case")) return case_statement();
        break;
      default:
        break;
    }
    // The first word is read once, for both questions.
    CommandWord word = command_word(position_);
    if (at_function_name(word)) return function_definition(false);
    return simple_command(false, false, &word);
  }

  // --- compound commands ------------------------------------------------------------------------

  void keyword(std::string_view word) {
    if (!at_word(word)) decline();
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + word.size(), false);
    position_ += word.size();
  }

  // The statements of a body up to `closer`; tree-sitter accepts some empty bodies bash rejects,
  // which the reader leaves to it.
  void body(Closer closer) {
    if (statements(closer) == 0) decline();
    if (!at_closer(closer)) decline();
  }

  // `(( expression ))`: a compound_statement to tree-sitter, holding the expression, which the
  // walk does not read. Covered for names, numbers, `$NAME`, blanks and operators; parentheses,
  // quotes and substitutions inside are left to tree-sitter.
  uint32_t arithmetic_command() {
    uint32_t node = open(NodeKind::CompoundStatement, NodeField::None, position_);
    leaf(NodeKind::Other, NodeField::None, position_, position_ + 2, false);
    position_ += 2;
    size_t begin = position_;
    while (position_ < text_.size() && text_[position_] != ')') {
      char c = text_[position_];
      if (c == '$') {
        if (!is_name_start(peek(1))) decline();
      } else if (!(is_name_char(c) || is_blank(c) || c == '+' || c == '-' || c == '*' || c == '/' || c == '%' ||
                   c == '<' || c == '>' || c == '=' || c == '!' || c == '&' || c == '|' || c == '^' || c == '~' ||
                   c == '?' || c == ':' || c == ',')) {
        decline();
      }
      ++position_;
    }
    if (!looking_at("))")) decline();
    size_t end = position_;
    while (end > begin && is_blank(text_[end - 1])) --end;
    size_t first = begin;
    while (first < end && is_blank(text_[first])) ++first;
    if (first == end) decline();
    leaf(NodeKind::Other, NodeField::None, first, end);
    leaf(NodeKind::Other, NodeField::None, position_, position_ + 2, false);
    position_ += 2;
    close(node, position_);
    return node;
  }

  uint32_t subshell() {
    uint32_t node = open(NodeKind::Subshell, NodeField::None, position_);
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
    ++position_;
    body(Closer::Parenthesis);
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
    ++position_;
    close(node, position_);
    return node;
  }

  uint32_t compound_statement() {
    uint32_t node = open(NodeKind::CompoundStatement, NodeField::None, position_);
    keyword("{");
    ++brace_depth_;
    body(Closer::Brace);
    --brace_depth_;
    keyword("}");
    close(node, position_);
    return node;
  }

  uint32_t if_statement() {
    uint32_t node = open(NodeKind::IfStatement, NodeField::None, position_);
    keyword("if");
    body(Closer::Then);
    leaf(NodeKind::Then, NodeField::None, position_, position_ + 4, false);
    position_ += 4;
    body(Closer::ElseOrFi);
    while (at_word("elif")) {
      uint32_t clause = open(NodeKind::ElifClause, NodeField::None, position_);
      keyword("elif");
      body(Closer::Then);
      leaf(NodeKind::Then, NodeField::None, position_, position_ + 4, false);
      position_ += 4;
      body(Closer::ElseOrFi);
      close_subtree(clause);
    }
    if (at_word("else")) {
      uint32_t clause = open(NodeKind::ElseClause, NodeField::None, position_);
      keyword("else");
      body(Closer::Fi);
      close_subtree(clause);
    }
    keyword("fi");
    close(node, position_);
    return node;
  }

  void do_group() {
    skip_blank();
    uint32_t group = open(NodeKind::DoGroup, NodeField::Body, position_);
    keyword("do");
    body(Closer::Done);
    keyword("done");
    close(group, position_);
  }

  uint32_t while_statement() {
    uint32_t node = open(NodeKind::WhileStatement, NodeField::None, position_);
    keyword(at_word("while") ? "while" : "until");
    body(Closer::Do);
    do_group();
    close(node, position_);
    return node;
  }

  uint32_t for_statement() {
    uint32_t node = open(NodeKind::ForStatement, NodeField::None, position_);
    keyword("for");
    skip_inline();
    if (peek() == '(') decline();  // for ((...))
    size_t name_end = position_;
    while (name_end < text_.size() && is_name_char(text_[name_end])) ++name_end;
    if (name_end == position_ || !(name_end >= text_.size() || is_blank(text_[name_end]) ||
                                   text_[name_end] == '\n' || text_[name_end] == ';')) {
      decline();
    }
    leaf(NodeKind::Other, NodeField::None, position_, name_end);
    position_ = name_end;
    skip_inline();
    if (at_word("in")) {
      keyword("in");
      uint32_t values = 0;
      for (;;) {
        skip_inline();
        if (!starts_literal()) break;
        literal(NodeField::Value);
        ++values;
      }
      if (values == 0) decline();
    }
    skip_inline();
    if (peek() == ';') {
      ++position_;
    } else if (peek() == '\n') {
      ++position_;
    } else {
      decline();
    }
    do_group();
    close(node, position_);
    return node;
  }

  uint32_t case_statement() {
    uint32_t node = open(NodeKind::CaseStatement, NodeField::None, position_);
    keyword("case");
    skip_inline();
    if (!starts_literal()) decline();
    literal(NodeField::Value);
    skip_blank();
    keyword("in");
    skip_blank();
    uint32_t items = 0;
    while (!at_word("esac")) {
      if (at_end()) decline();
      case_item();
      ++items;
      skip_blank();
    }
    if (items == 0) decline();
    keyword("esac");
    close(node, position_);
    return node;
  }

  void case_item() {
    uint32_t item = open(NodeKind::CaseItem, NodeField::None, position_);
    if (peek() == '(') {
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
    }
    for (;;) {
      skip_inline();
      case_pattern();
      skip_inline();
      if (peek() == '|') {
        leaf(NodeKind::Bar, NodeField::None, position_, position_ + 1, false);
        ++position_;
        continue;
      }
      if (peek() != ')') decline();
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
      break;
    }
    statements(Closer::CaseItem);
    if (at_word("esac")) {
      close_subtree(item);
      return;
    }
    size_t length = looking_at(";;&") ? 3 : 2;
    if (!(looking_at(";;") || looking_at(";&"))) decline();
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + length, false);
    position_ += length;
    close(item, position_);
  }

  // A case pattern: tree-sitter reads these with its own pattern tokens; only plain ones are
  // covered. Nothing in them is walked, so one leaf stands for the pattern.
  void case_pattern() {
    size_t begin = position_;
    for (;;) {
      char c = peek();
      if (is_name_char(c) || c == '*' || c == '?' || c == '.' || c == '-' || c == '/' || c == '+' || c == ':' ||
          c == '=' || c == '@' || c == '%' || c == ',') {
        ++position_;
      } else if (c == '\\' && position_ > begin && (is_name_char(peek(1)) || peek(1) == '.' || peek(1) == '*')) {
        position_ += 2;  // `4\.2)`: an escaped character inside the pattern
      } else if (c == '"' || c == '\'') {
        size_t close_quote = text_.find(c, position_ + 1);
        if (close_quote == std::string_view::npos) decline();
        std::string_view inside = text_.substr(position_ + 1, close_quote - position_ - 1);
        // Parameter expansions in double quotes (`"$checkArg"=*)`, docker-library's mongo
        // entrypoint) are covered: nothing in a pattern is walked. Not substitutions.
        for (size_t at = 0; c == '"' && at < inside.size(); ++at) {
          if (inside[at] != '$') continue;
          if (at + 1 < inside.size() && is_name_start(inside[at + 1])) continue;
          if (at + 1 < inside.size() && inside[at + 1] == '{') {
            size_t close_brace = inside.find('}', at);
            if (close_brace == std::string_view::npos) decline();
            for (size_t name = at + 2; name < close_brace; ++name)
              if (!is_name_char(inside[name])) decline();
            continue;
          }
          decline();
        }
        if (inside.find_first_of(c == '"' ? "\\`\n\"'" : "\\$`\n\"'") != std::string_view::npos) decline();
        position_ = close_quote + 1;
      } else {
        break;
      }
    }
    if (position_ == begin) decline();
    if (text_.substr(begin, position_ - begin) == "esac") decline();
    leaf(NodeKind::Other, NodeField::Value, begin, position_);
  }

  // A command's first word, up to its first word breaker: unit() and simple_command() read it once
  // for what each asks (each reading it, and literal() again, cost about 0.3 M instructions more on
  // the 997 Dockerfiles).
  struct CommandWord {
    size_t begin = 0;
    size_t end = 0;
    uint8_t flags = 0;  // kCommandNameCharacters' flags of its characters
  };

  // The word at the position, read from `from` on (the characters before it are name characters,
  // which have no flags).
  CommandWord command_word(size_t from) const {
    CommandWord word;
    word.begin = position_;
    size_t at = from;
    uint8_t seen = 0;
    const char* text = text_.data();
    size_t size = text_.size();
    auto flags_at = [&](size_t i) { return kCommandNameCharacters[static_cast<unsigned char>(text[i])]; };
    // Four at a time while no breaker is among them, as plain_run_end() does.
    while (at + 4 <= size) {
      uint8_t four = flags_at(at) | flags_at(at + 1) | flags_at(at + 2) | flags_at(at + 3);
      if (four & kBreaksWord) break;
      seen |= four;
      at += 4;
    }
    for (; at < size; ++at) {
      uint8_t flags = flags_at(at);
      if (flags & kBreaksWord) break;
      seen |= flags;
    }
    word.end = at;
    word.flags = seen;
    return word;
  }

  // `name()` at the position (blanks allowed inside the parentheses' pair); not `name=(`, an array.
  bool at_function_name() const { return at_function_name(command_word(position_)); }
  // The same, given command_word() at the position.
  bool at_function_name(const CommandWord& word) const {
    size_t at = word.end;
    if (at == position_) return false;
    while (at < text_.size() && is_blank(text_[at])) ++at;
    // The `(` first: rare after a command's first word, where the assignment test would run at
    // every command (about 1 M instructions on the 997 Dockerfiles).
    return at < text_.size() && text_[at] == '(' && assignment_name_length() == 0;
  }

  uint32_t function_definition(bool with_keyword) {
    uint32_t node = open(NodeKind::FunctionDefinition, NodeField::None, position_);
    if (with_keyword) {
      leaf(NodeKind::Other, NodeField::None, position_, position_ + 8, false);
      position_ += 8;
      skip_inline();
    }
    size_t name_end = position_;
    while (name_end < text_.size() && !is_word_breaker(text_[name_end])) ++name_end;
    if (name_end == position_) decline();
    std::string_view name = text_.substr(position_, name_end - position_);
    if (is_reserved(name) || name.find('=') != std::string_view::npos || name[0] == '#') decline();
    for (char c : name) {
      if (static_cast<unsigned char>(c) >= 0x80) decline();
    }
    leaf(NodeKind::Word, NodeField::Name, position_, name_end);
    position_ = name_end;
    skip_inline();
    if (peek() == '(') {
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
      skip_inline();
      if (peek() != ')') decline();
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
      skip_inline();
    } else if (!with_keyword) {
      decline();
    }
    uint32_t function_body;
    if (at_word("{")) {
      function_body = compound_statement();
    } else if (peek() == '(' && peek(1) != '(') {
      function_body = subshell();
    } else if (at_word("if")) {
      function_body = if_statement();
    } else if (at_word("[") || at_word("[[")) {
      function_body = test_command();
    } else {
      decline();
    }
    nodes_[function_body].field = NodeField::Body;
    skip_inline();
    if (at_file_redirect()) {
      file_redirect();
      skip_inline();
      if (at_file_redirect() || peek() == '<') decline();
    }
    close_subtree(node);
    return node;
  }

  // --- tests ------------------------------------------------------------------------------------

  // `[ ... ]` and `[[ ... ]]`. tree-sitter parses their inside as an expression; the reader
  // accepts the common shapes (unary and binary tests joined by -a/-o, &&/||, negated with `!`)
  // and keeps each operand's node so that substitutions inside are walked in order.
  uint32_t test_command() {
    bool double_bracket = at_word("[[");
    uint32_t node = open(NodeKind::TestCommand, NodeField::None, position_);
    size_t bracket = double_bracket ? 2 : 1;
    leaf(NodeKind::Other, NodeField::None, position_, position_ + bracket, false);
    position_ += bracket;
    test_or(double_bracket);
    skip_inline();
    std::string_view closing = double_bracket ? "]]" : "]";
    if (!at_word(closing)) decline();
    leaf(NodeKind::Other, NodeField::None, position_, position_ + closing.size(), false);
    position_ += closing.size();
    close(node, position_);
    return node;
  }

  // A bare word of letters and signs at the position, when followed by a blank (an operator).
  std::string_view operator_word() const {
    size_t at = position_;
    while (at < text_.size() && !is_blank(text_[at]) && text_[at] != '\n') ++at;
    if (at >= text_.size() || !is_blank(text_[at])) return {};
    return text_.substr(position_, at - position_);
  }

  static bool is_test_operator(std::string_view word) {
    if (word.size() < 2 || word[0] != '-') return false;
    for (char c : word.substr(1)) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  }

  void test_token(std::string_view word) {
    leaf(NodeKind::Other, NodeField::None, position_, position_ + word.size(), false);
    position_ += word.size();
  }

  void test_or(bool double_bracket) {
    test_and(double_bracket);
    for (;;) {
      skip_inline();
      std::string_view word = operator_word();
      if (!(word == "-o" || (double_bracket && word == "||"))) return;
      test_token(word);
      test_and(double_bracket);
    }
  }

  void test_and(bool double_bracket) {
    test_unary(double_bracket);
    for (;;) {
      skip_inline();
      std::string_view word = operator_word();
      if (!(word == "-a" || (double_bracket && word == "&&"))) return;
      test_token(word);
      test_unary(double_bracket);
    }
  }

  void test_unary(bool double_bracket) {
    skip_inline();
    if (double_bracket && peek() == '(' && is_blank(peek(1))) {
      // `( expression )`: tree-sitter's parenthesized_expression.
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
      test_or(double_bracket);
      skip_inline();
      if (peek() != ')' || !is_blank(peek(1))) decline();
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
      return;
    }
    std::string_view word = operator_word();
    if (word == "!") {
      test_token(word);
      test_unary(double_bracket);
      return;
    }
    if (is_test_operator(word) && word != "-a" && word != "-o") {
      test_token(word);
      test_operand(double_bracket);
      return;
    }
    test_operand(double_bracket);
    skip_inline();
    word = operator_word();
    if (double_bracket && word == "=~") {
      test_token(word);
      test_regex();
      return;
    }
    if (word == "=" || word == "!=" || word == "==" || (is_test_operator(word) && word != "-a" && word != "-o")) {
      test_token(word);
      if (double_bracket && (word == "==" || word == "!=" || word == "=")) {
        test_pattern();
      } else {
        test_operand(double_bracket);
      }
    }
  }

  void test_operand(bool double_bracket) {
    skip_inline();
    if (at_word("]") || at_word("]]") || !starts_literal()) decline();
    // Operands starting with other characters (`^`, `%`, `?`, `~`, brackets...) are errors or
    // other nodes to tree-sitter.
    char c = peek();
    if (!(is_name_char(c) || c == '/' || c == '.' || c == '$' || c == '"' || c == '\'' || c == '-')) decline();
    std::string_view word = operator_word();
    // `=` after a bare start (`k=v''`) is read otherwise.
    if (is_name_char(c) && word.find('=') != std::string_view::npos) decline();
    // `/` followed by a blank, `=`, `/`... is an operator to tree-sitter (`[ -d / ]`).
    char after_slash = peek(1);
    if (c == '/' && !(is_name_char(after_slash) || after_slash == '.' || after_slash == '-' || after_slash == '$' ||
                      after_slash == '"' || after_slash == '\'')) {
      decline();
    }
    if (c == '-' && !is_test_operator(word)) decline();
    if (double_bracket && (word == "&&" || word == "||")) decline();
    size_t before = position_;
    literal(NodeField::None);
    // Brackets, `?` and `@` in an operand's bare text (`$b[a]`, `x?y`, `1@x`) are read otherwise;
    // inside quotes and `${...}` they are fine.
    std::string_view written = text_.substr(before, position_ - before);
    for (size_t at = 0; at < written.size(); ++at) {
      char w = written[at];
      if (w == '\\') {
        ++at;
      } else if (w == '"' || w == '\'') {
        size_t close_quote = written.find(w, at + 1);
        while (w == '"' && close_quote != std::string_view::npos && written[close_quote - 1] == '\\') {
          close_quote = written.find(w, close_quote + 1);
        }
        if (close_quote == std::string_view::npos) break;
        at = close_quote;
      } else if (w == '$' && at + 1 < written.size()) {
        if (written[at + 1] != '{') {
          ++at;  // `$?`, `$@`, `$NAME`: the character after `$` is part of the expansion
          continue;
        }
        size_t close_brace = written.find('}', at);
        if (close_brace == std::string_view::npos) break;
        at = close_brace;
      } else if (w == '[' || w == ']' || w == '?' || w == '@') {
        decline();
      }
    }
  }

  // The right side of `==`/`!=` in `[[ ]]`: a glob pattern, tree-sitter's extglob_pattern token,
  // or a quoted string or expansion.
  void test_pattern() {
    skip_inline();
    if (past_tree_sitter_) {
      // Any pattern as one word, quotes and all (`*" "*`, which tree-sitter-bash cannot read
      // after `=`): nothing in it is walked.
      size_t begin = position_;
      skip_pattern_word();
      if (position_ == begin || !(position_ < text_.size() && is_blank(text_[position_]))) decline();
      leaf(NodeKind::Other, NodeField::None, begin, position_);
      return;
    }
    char c = peek();
    if (c == '"' || c == '\'' || c == '$') {
      size_t before = nodes_.size();
      literal(NodeField::None);
      if (nodes_[before].size == nodes_.size() - before && nodes_[before].kind != NodeKind::Other) return;  // one piece
      // A concatenation: only a quoted prefix before a star (`"--"*`, `'-'*`) is covered; tree-sitter
      // reads the first as a concatenation, the second as a regex, both ending where the reader's
      // node ends, with nothing inside that the walk reads but substitutions.
      if (c == '$' || nodes_[before].kind != NodeKind::Other || nodes_[before].child_count != 1) decline();
      uint32_t quoted = static_cast<uint32_t>(before) + 1;
      NodeKind quoted_kind = nodes_[quoted].kind;
      if ((quoted_kind != NodeKind::String && quoted_kind != NodeKind::RawString) ||
          nodes_[quoted].begin != nodes_[before].begin) {
        decline();
      }
      size_t stars = nodes_[quoted].end;
      for (size_t at = stars; at < position_; ++at) {
        if (text_[at] != '*') decline();
      }
      return;
    }
    size_t begin = position_;
    while (position_ < text_.size()) {
      char d = text_[position_];
      if (!(is_name_char(d) || d == '*' || d == '?' || d == '.' || d == '-' || d == '/' || d == '+' || d == ':' ||
            d == '@' || d == '%' || d == ',' || d == '=')) {
        break;
      }
      ++position_;
    }
    if (position_ == begin || !(position_ < text_.size() && is_blank(text_[position_]))) decline();
    leaf(NodeKind::Other, NodeField::None, begin, position_);
  }

  // Moves past one shell word of a test pattern: up to a blank, a line break or `;` outside quotes,
  // with backslash escapes and `${...}`.
  void skip_pattern_word() {
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (is_blank(c) || c == '\n' || c == ';') return;
      if (c == '\\') {
        position_ = std::min(text_.size(), position_ + 2);
      } else if (c == '\'' || c == '"') {
        size_t close_quote = position_ + 1;
        while (close_quote < text_.size() && text_[close_quote] != c) close_quote += c == '"' && text_[close_quote] == '\\' ? 2 : 1;
        if (close_quote >= text_.size()) decline();
        position_ = close_quote + 1;
      } else if (c == '$' && peek(1) == '{') {
        size_t close_brace = text_.find('}', position_);
        if (close_brace == std::string_view::npos) decline();
        position_ = close_brace + 1;
      } else {
        ++position_;
      }
    }
  }

  // The right side of `=~`: tree-sitter's regex token (or an expansion). Covered when it is one
  // run of name characters, `^ . * + ? - / : , @ %`, bracket expressions of name characters, `-`
  // and `:`, `$NAME` and a final `$`, not starting with `-`; nothing in it is walked.
  void test_regex() {
    skip_inline();
    size_t begin = position_;
    if (past_tree_sitter_) {
      // Any regex as one word, as bash reads it: quoted parts, and parentheses whose insides may
      // hold blanks and `|` (`"$old"=(.*)`, which tree-sitter-bash cannot read): nothing in it is
      // walked.
      int depth = 0;
      if (peek() == ']' || peek() == '-') decline();  // `[[ $x =~ ] ]]`: no regex
      while (position_ < text_.size()) {
        char c = text_[position_];
        if (depth == 0 && (is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|')) break;
        if (c == '\n') decline();
        if (c == '(') {
          ++depth;
          ++position_;
        } else if (c == ')') {
          if (depth == 0) break;
          --depth;
          ++position_;
        } else if (c == '\\') {
          position_ = std::min(text_.size(), position_ + 2);
        } else if (c == '\'' || c == '"') {
          size_t close_quote = position_ + 1;
          while (close_quote < text_.size() && text_[close_quote] != c)
            close_quote += c == '"' && text_[close_quote] == '\\' ? 2 : 1;
          if (close_quote >= text_.size()) decline();
          position_ = close_quote + 1;
        } else {
          ++position_;
        }
      }
      if (depth != 0 || position_ == begin || !(position_ < text_.size() && is_blank(text_[position_]))) decline();
      leaf(NodeKind::Other, NodeField::None, begin, position_);
      return;
    }
    if (peek() == '-') decline();
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (c == '[') {
        size_t close_bracket = position_ + 1;
        if (close_bracket < text_.size() && text_[close_bracket] == '^') ++close_bracket;
        size_t inside = close_bracket;
        while (close_bracket < text_.size() &&
               (is_name_char(text_[close_bracket]) || text_[close_bracket] == '-' || text_[close_bracket] == ':')) {
          ++close_bracket;
        }
        if (close_bracket == inside || close_bracket >= text_.size() || text_[close_bracket] != ']') decline();
        position_ = close_bracket + 1;
      } else if (c == '$') {
        if (is_name_start(peek(1))) {
          position_ += 2;
          while (is_name_char(peek())) ++position_;
        } else if (is_blank(peek(1))) {
          ++position_;
        } else {
          decline();
        }
      } else if (is_name_char(c) || c == '^' || c == '.' || c == '*' || c == '+' || c == '?' || c == '-' ||
                 c == '/' || c == ':' || c == ',' || c == '@' || c == '%') {
        ++position_;
      } else {
        break;
      }
    }
    if (position_ == begin || !(position_ < text_.size() && is_blank(text_[position_]))) decline();
    leaf(NodeKind::Other, NodeField::None, begin, position_);
  }

  // --- commands ---------------------------------------------------------------------------------

  // `NAME=` or `NAME+=` at the position: the length of NAME, else 0.
  // With a subscript (`NAME[i]=`), the length of `NAME[i]`: tree-sitter's subscript node, whose
  // index is covered when it is a plain word or expansion (no substitution, no blank).
  size_t assignment_name_length() const { return assignment_name_length(name_run_length()); }
  // The same, given name_run_length() at the position.
  size_t assignment_name_length(size_t name_length) const {
    if (name_length == 0) return 0;
    size_t length = name_length;
    if (peek(length) == '[') {
      size_t index = length + 1;
      for (;; ++index) {
        char c = peek(index);
        if (c == ']') break;
        if (!(is_name_char(c) || c == '$' || c == '{' || c == '}' || c == '@' || c == '*' || c == '"')) return 0;
      }
      if (index == length + 1) return 0;
      length = index + 1;
    }
    if (peek(length) == '=' || (peek(length) == '+' && peek(length + 1) == '=')) return length;
    return 0;
  }

  // The length of the shell name (a name start, then name characters) at the position, else 0.
  size_t name_run_length() const {
    if (!is_name_start(peek())) return 0;
    size_t end = position_ + 1;
    while (end < text_.size() && is_name_char(text_[end])) ++end;
    return end - position_;
  }

  // `name_length`: assignment_name_length(), which the caller asked already.
  void assignment(NodeField field, size_t name_length) {
    bool subscripted = text_[position_ + name_length - 1] == ']';
    uint32_t node = open(NodeKind::VariableAssignment, field, position_);
    if (subscripted) {
      // subscript(name, `[`, index, `]`): the index is read as a word ending at the bracket.
      size_t close_bracket = position_ + name_length - 1;
      size_t open_bracket = text_.find('[', position_);
      uint32_t subscript = open(NodeKind::Other, NodeField::Name, position_);
      leaf(NodeKind::Other, NodeField::Name, position_, open_bracket);
      leaf(NodeKind::Other, NodeField::None, open_bracket, open_bracket + 1, false);
      position_ = open_bracket + 1;
      std::string_view whole = text_;
      text_ = text_.substr(0, close_bracket);
      literal(NodeField::None);
      text_ = whole;
      if (position_ != close_bracket) decline();
      leaf(NodeKind::Other, NodeField::None, close_bracket, close_bracket + 1, false);
      position_ = close_bracket + 1;
      close(subscript, position_);
    } else {
      leaf(NodeKind::Other, NodeField::Name, position_, position_ + name_length);
      position_ += name_length;
    }
    if (peek() == '+') {
      leaf(NodeKind::PlusEquals, NodeField::None, position_, position_ + 2, false);
      position_ += 2;
    } else {
      leaf(NodeKind::Other, NodeField::None, position_, position_ + 1, false);
      position_ += 1;
    }
    char c = peek();
    if (c == '#') decline();  // comment-like values
    if (c == '(' && subscripted) decline();  // an array into an element
    if (c == '(') {
      array();
    } else if (starts_literal()) {
      literal(NodeField::Value);
    } else if (c == ')') {
      decline();  // `$(a=)`: tree-sitter reports a missing value there
    }
    close_subtree(node);
  }

  // `(a "b c" $d)`: an array value, its elements words separated by blanks, line breaks and
  // comments (`[k]=v` is a word to tree-sitter too). Nested parentheses are left to it.
  void array() {
    uint32_t node = open(NodeKind::Other, NodeField::Value, position_);
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
    ++position_;
    for (;;) {
      skip_inline();
      char c = peek();
      if (c == '\n') {
        ++position_;
        continue;
      }
      if (c == '#') {
        size_t begin = position_;
        skip_comment();
        leaf(NodeKind::Comment, NodeField::None, begin, position_);
        continue;
      }
      if (c == ')') break;
      if (!starts_literal() || (c == '[' && text_.substr(position_, 2) == "[[")) decline();
      literal(NodeField::None);
    }
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
    ++position_;
    char after = peek();
    if (!(at_end() || is_blank(after) || after == '\n' || after == ';' || after == '&' || after == '|' ||
          after == ')' || (after == '`' && backtick_depth_ > 0))) {
      decline();
    }
    close(node, position_);
  }

  // Whether a word (literal) starts at the position.
  bool starts_literal() const {
    char c = peek();
    if ((c == '<' || c == '>') && peek(1) == '(') return true;  // a process substitution
    if (at_end() || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
        c == '>' || c == '(' || c == ')' || c == '#' || c == '\v' || c == '\f') {
      return false;
    }
    return true;
  }

  // `NAME[` at the position: a subscript assignment, which the reader leaves to tree-sitter.
  bool at_subscript() const {
    size_t name_length = name_run_length();
    return at_subscript(name_length, assignment_name_length(name_length));
  }
  // The same, given name_run_length() and assignment_name_length() at the position.
  bool at_subscript(size_t name_length, size_t assignment_length) const {
    return name_length > 0 && assignment_length == 0 && peek(name_length) == '[';
  }

  // `brace_word`: the command is named `{` or `}` (see unit()). `negated`: after `!`, where
  // tree-sitter reads `export`, `local`, `unset`... as plain command names.
  // `first_word`: command_word() at the position, when the caller read it.
  uint32_t simple_command(bool brace_word = false, bool negated = false, const CommandWord* first_word = nullptr) {
    // A redirection, a descriptor or a here-string starts with a digit, `<`, `>` or `&`: asked only
    // there, here and for the arguments below (asked at every word, these tests cost about 1.5 M
    // instructions on the 997 Dockerfiles). The assignment test is asked once per word.
    char c = peek();
    if ((is_digit(c) || c == '<' || c == '>' || c == '&') &&
        (at_file_redirect() || descriptor_length() > 0 || at_here_string())) {
      decline();
    }
    // An assignment or a subscript needs `=` or `+` in the first word, or `[` (a word breaker) right
    // after it: without them, as in most commands, the name is not read again (0.8 M instructions
    // on the 997 Dockerfiles).
    size_t name_length = 0;
    size_t assignment_length = 0;
    if (first_word == nullptr || first_word->begin != position_ || (first_word->flags & kNameSign) ||
        (first_word->end < text_.size() && text_[first_word->end] == '[')) {
      name_length = name_run_length();
      assignment_length = assignment_name_length(name_length);
      if (at_subscript(name_length, assignment_length)) decline();
    }
    size_t begin = position_;
    uint32_t first = static_cast<uint32_t>(nodes_.size());
    uint32_t assignments = 0;
    while (assignment_length > 0) {
      assignment(NodeField::None, assignment_length);
      ++assignments;
      if (peek() == '[') decline();
      skip_inline();
      name_length = name_run_length();
      assignment_length = assignment_name_length(name_length);
      if (at_subscript(name_length, assignment_length)) decline();
    }
    if (assignments > 0 && descriptor_length() > 0) decline();  // `A=1 2>&1`
    if (assignments > 0 && !starts_literal()) {
      if (at_file_redirect() || looking_at("<")) decline();
      if (assignments == 1) return first;
      uint32_t group = wrap(first, NodeKind::VariableAssignments, NodeField::None);
      close_subtree(group);
      return group;
    }
    if (!starts_literal()) decline();  // a redirect before the name, `(`, an operator
    // The name: reserved and declaring words are only seen as such when written bare.
    size_t name_begin = position_;
    CommandWord word = first_word != nullptr && first_word->begin == name_begin ? *first_word
                                                                               : command_word(name_begin + name_length);
    size_t bare_end = word.end;
    uint8_t seen = word.flags;
    std::string_view bare = text_.substr(name_begin, bare_end - name_begin);
    bool whole_word = bare_end >= text_.size() || is_blank(text_[bare_end]) || text_[bare_end] == '\n' ||
                      text_[bare_end] == ';' || text_[bare_end] == '&' || text_[bare_end] == '|' ||
                      text_[bare_end] == ')' || text_[bare_end] == '`' || text_[bare_end] == '>' ||
                      text_[bare_end] == '<';
    // tree-sitter joins `\. a` on the next line to the command before it.
    if (!brace_word && !at_template_word() &&
        (peek() == '{' || peek() == '}' || peek() == '[' || peek() == ']' || peek() == '!' || peek() == '\\')) {
      decline();
    }
    // tree-sitter reads `--name=`, `1=x`, `@a=` where a command name could stand as assignments,
    // and ends or splits names with `@`, `%`, `?` or brackets in its own ways; but a whole name of
    // `@` then name characters, `.`, `-` or `/` (jq's `@sh` after `|` in docker-library's
    // templates) is one word to it.
    bool at_name = whole_word && bare.size() > 1 && bare[0] == '@' &&
                   std::all_of(bare.begin() + 1, bare.end(), [](char c) {
                     return is_name_char(c) || c == '.' || c == '-' || c == '/';
                   });
    bool signs = (seen & kNameSign) != 0;
    if ((!at_name && signs && holds_any_of(bare, "=@%?")) || (signs && bare.find("+:") != std::string_view::npos) ||
        (bare_end < text_.size() && (text_[bare_end] == '[' || text_[bare_end] == ']'))) {
      decline();
    }
    if (whole_word && !bare.empty()) {
      if (is_reserved(bare) && !brace_word) decline();
      if (assignments == 0 && !negated && is_declaration(bare)) return declaration(NodeKind::DeclarationCommand);
      if (assignments == 0 && !negated && (bare == "unset" || bare == "unsetenv")) {
        return declaration(NodeKind::UnsetCommand);
      }
      if (assignments > 0 && (is_declaration(bare) || bare == "unset" || bare == "unsetenv")) decline();
    }
    uint32_t command = first == nodes_.size() ? open(NodeKind::Command, NodeField::None, begin)
                                              : wrap(first, NodeKind::Command, NodeField::None);
    uint32_t name = open(NodeKind::CommandName, NodeField::Name, position_);
    // A name of plain characters only is its own plain run, read above.
    literal_after_run(NodeField::None, true, (seen & kNotPlain) ? plain_run_end(name_begin) : bare_end);
    close(name, nodes_[name + 1].end);
    if (peek() == '(') decline();  // a function definition
    for (;;) {
      skip_inline();
      if (at_end()) break;
      char c = peek();
      if (c == '#' || c == '\n' || c == ';' || c == '&' || c == '|' || c == ')' || (c == '`' && backtick_depth_ > 0)) {
        break;
      }
      // Here-strings and descriptors start with a digit or `<`: asked only there.
      bool digit = is_digit(c);
      if ((digit || c == '<') && at_here_string()) {
        here_string();
        continue;
      }
      if (((c == '<' || c == '>') && peek(1) != '(') || (digit && descriptor_length() > 0)) break;
      if (c == '(') decline();
      if (c == '=' && (peek(1) == '=' || peek(1) == '~')) decline();  // `==` and `=~` are tokens of their own
      size_t before = position_;
      literal(NodeField::Argument);
      // tree-sitter drops a lone `-` (and the like) before `2>&1`.
      if (position_ == before + 1 && !is_name_char(text_[before])) {
        skip_inline();
        if (descriptor_length() > 0) decline();
      }
    }
    close_subtree(command);
    return command;
  }

  // A name starting with `{{` (`{{ dnf_install }} "mysql-server"`, the placeholders of Dockerfile
  // templates such as docker-library's): to the shell a plain word, not the `{` of a group, so the
  // command is named `{{` and `}}` is an argument. tree-sitter reads a `{` there and reports an
  // error; the reader reads what the shell reads (shell_reader.h). Only words of braces, `-` and
  // name characters ending at a blank or an operator: `{{x}}>f` (a bash `{name}>` redirection's
  // shape) and `{{$x` are left to tree-sitter.
  bool at_template_word() const {
    if (!looking_at("{{")) return false;
    size_t end = position_;
    while (end < text_.size() && (text_[end] == '{' || text_[end] == '}' || text_[end] == '-' || is_name_char(text_[end]))) {
      ++end;
    }
    char after = end < text_.size() ? text_[end] : '\n';
    return is_blank(after) || after == '\n' || after == ';' || after == '&' || after == '|' || after == ')';
  }

  uint32_t declaration(NodeKind kind) {
    uint32_t node = open(kind, NodeField::None, position_);
    size_t keyword_end = position_;
    while (keyword_end < text_.size() && !is_word_breaker(text_[keyword_end])) ++keyword_end;
    leaf(NodeKind::Other, NodeField::None, position_, keyword_end, false);
    position_ = keyword_end;
    for (;;) {
      skip_inline();
      if (at_end()) break;
      char c = peek();
      if (c == '#' || c == '\n' || c == ';' || c == '&' || c == '|' || c == ')' || (c == '`' && backtick_depth_ > 0) ||
          c == '<' || c == '>' || descriptor_length() > 0) {
        break;
      }
      if (c == '(') decline();
      if (size_t length = kind == NodeKind::DeclarationCommand ? assignment_name_length() : 0; length > 0) {
        assignment(NodeField::None, length);
        if (peek() == '[') decline();
        continue;
      }
      if (at_subscript()) decline();  // `NAME[ 1]=x`: a subscript assignment all the same
      size_t before = position_;
      literal(NodeField::None);
      // `NAME[1]=x` is a subscript assignment.
      std::string_view written = text_.substr(before, position_ - before);
      if (written.find('[') != std::string_view::npos && written.find('=') != std::string_view::npos) decline();
    }
    close_subtree(node);
    return node;
  }

  // --- redirections -----------------------------------------------------------------------------

  // Digits right before `<` or `>`: a file descriptor. Returns their count, 0 when none.
  size_t descriptor_length() const {
    size_t length = 0;
    while (is_digit(peek(length))) ++length;
    if (length == 0) return 0;
    char c = peek(length);
    return c == '<' || c == '>' ? length : 0;
  }

  bool at_here_string() const {
    size_t digits = descriptor_length();
    return text_.substr(position_ + digits, 3) == "<<<";
  }

  // A file redirection (not a heredoc, not a here-string) starts at the position.
  bool at_file_redirect() const {
    size_t digits = descriptor_length();
    size_t at = position_ + digits;
    if (at >= text_.size()) return false;
    char c = text_[at];
    char next = at + 1 < text_.size() ? text_[at + 1] : '\0';
    if (c == '>') return next != '(' || digits > 0;  // `>(` is a process substitution
    if (c == '<') return next != '<' && next != '(';
    if (c == '&' && digits == 0) return next == '>';
    return false;
  }

  void file_redirect() {
    if (pipeline_line_depth_ > 0) decline();
    uint32_t node = open(NodeKind::FileRedirect, NodeField::Redirect, position_);
    size_t digits = descriptor_length();
    if (digits > 0) {
      leaf(NodeKind::FileDescriptor, NodeField::Descriptor, position_, position_ + digits);
      position_ += digits;
    }
    static constexpr std::string_view operators[] = {"&>>", "<&-", ">&-", ">>", "&>", "<&", ">&", ">|", "<", ">"};
    std::string_view found;
    for (std::string_view candidate : operators) {
      if (looking_at(candidate)) {
        found = candidate;
        break;
      }
    }
    if (found.empty() || looking_at("<>") || looking_at(">(") || looking_at("<(")) decline();
    leaf(NodeKind::Other, NodeField::None, position_, position_ + found.size(), false);
    position_ += found.size();
    bool closes = found == "<&-" || found == ">&-";
    skip_inline();
    uint32_t destinations = 0;
    while (starts_literal() && !at_file_redirect() && !at_here_string()) {
      literal(NodeField::Destination);
      ++destinations;
      skip_inline();
      if (closes) break;
    }
    if (destinations == 0 && !closes) decline();
    close_subtree(node);
  }

  void here_string() {
    uint32_t node = open(NodeKind::HerestringRedirect, NodeField::Redirect, position_);
    size_t digits = descriptor_length();
    if (digits > 0) {
      leaf(NodeKind::FileDescriptor, NodeField::Descriptor, position_, position_ + digits);
      position_ += digits;
    }
    leaf(NodeKind::Other, NodeField::None, position_, position_ + 3, false);
    position_ += 3;
    skip_inline();
    if (!starts_literal()) decline();
    literal(NodeField::None);
    close_subtree(node);
  }

  // --- heredocs ---------------------------------------------------------------------------------

  bool at_heredoc() const { return looking_at("<<") && !looking_at("<<<"); }

  // `<<EOF` (or `<<-EOF`, quoted delimiters) with what follows it on its line, the body lines and
  // the delimiter line, as tree-sitter nests them: the rest of the operator's line (`| sh`,
  // `&& next`, `> file`, arguments) is part of the redirect. Only plain heredocs are covered: one
  // per line, outside substitutions, a body without substitutions and without lines that
  // tree-sitter and bash end differently.
  void heredoc_redirect() {
    if (in_heredoc_line_ || backtick_depth_ > 0 || pipeline_line_depth_ > 0) decline();
    in_heredoc_line_ = true;
    uint32_t node = open(NodeKind::HeredocRedirect, NodeField::Redirect, position_);
    HeredocOperator heredoc = heredoc_operator();
    leaf(NodeKind::Other, NodeField::None, heredoc.operator_begin, heredoc.operator_end, false);
    leaf(NodeKind::HeredocStart, NodeField::None, heredoc.start_begin, heredoc.start_end);
    std::string_view delimiter = heredoc.delimiter;
    bool quoted = heredoc.quoted;
    bool strip_tabs = heredoc.strip_tabs;
    size_t line_end = text_.find('\n', position_);
    if (line_end == std::string_view::npos) decline();
    // The rest of the line.
    skip_inline();
    char c = peek();
    if (c == '|' && peek(1) != '|') {
      uint32_t pipeline = open(NodeKind::Pipeline, NodeField::None, position_);
      pipe_operator(peek(1) == '&');
      statement();
      close_subtree(pipeline);
    } else if ((c == '&' && peek(1) == '&') || (c == '|' && peek(1) == '|')) {
      heredoc_expression();
    } else if (at_file_redirect()) {
      while (at_file_redirect()) {
        file_redirect();
        skip_inline();
      }
      if ((peek() == '&' && peek(1) == '&') || (peek() == '|' && peek(1) == '|')) heredoc_expression();
    } else if (c != '\n') {
      while (starts_literal() && !at_here_string()) {
        literal(NodeField::Argument);
        skip_inline();
      }
    }
    skip_inline();
    if (position_ != line_end) decline();  // more on the line, or a continuation into the body
    ++position_;
    heredoc_body(delimiter, quoted, strip_tabs);
    close(node, position_);
    in_heredoc_line_ = false;
  }

  // `<<EOF`, `<<-'EOF'`, `<<\EOF` at the position: read up to the end of the delimiter word, no node
  // made.
  struct HeredocOperator {
    size_t operator_begin = 0, operator_end = 0;  // `<<` or `<<-`
    size_t start_begin = 0, start_end = 0;        // the delimiter word as written
    std::string_view delimiter;
    bool quoted = false;
    bool strip_tabs = false;
  };
  HeredocOperator heredoc_operator() {
    HeredocOperator heredoc;
    heredoc.strip_tabs = looking_at("<<-");
    heredoc.operator_begin = position_;
    position_ += heredoc.strip_tabs ? 3 : 2;
    heredoc.operator_end = position_;
    while (is_blank(peek())) ++position_;
    heredoc.start_begin = position_;
    char quote = peek();
    if (quote == '\'' || quote == '"') {
      size_t close_quote = text_.find(quote, position_ + 1);
      if (close_quote == std::string_view::npos) decline();
      heredoc.delimiter = text_.substr(position_ + 1, close_quote - position_ - 1);
      position_ = close_quote + 1;
      heredoc.quoted = true;
    } else if (quote == '\\') {
      // `<<\EOF`: the backslash quotes the delimiter as quotes would.
      size_t end = position_ + 1;
      while (end < text_.size() && (is_name_char(text_[end]) || text_[end] == '-' || text_[end] == '.')) ++end;
      heredoc.delimiter = text_.substr(position_ + 1, end - position_ - 1);
      position_ = end;
      heredoc.quoted = true;
    } else {
      size_t end = position_;
      while (end < text_.size() && (is_name_char(text_[end]) || text_[end] == '-' || text_[end] == '.')) ++end;
      heredoc.delimiter = text_.substr(position_, end - position_);
      position_ = end;
    }
    if (heredoc.delimiter.empty()) decline();
    for (char c : heredoc.delimiter) {
      if (!(is_name_char(c) || c == '-' || c == '.')) decline();
    }
    if (!(at_end() || is_blank(peek()) || peek() == '\n')) decline();
    heredoc.start_end = position_;
    return heredoc;
  }

  // A statement starting with its heredoc, then a simple command alone on the line (`<<EOT bash`:
  // BuildKit's `RUN <<EOT bash` form, where bash reads the body as its script). To the shell the
  // command `bash` with the heredoc as input, as `bash <<EOT` is; tree-sitter reports an error.
  // The tree is the one of `bash <<EOT`: a redirected statement whose body is the command, then the
  // heredoc (its range before the command's).
  uint32_t leading_heredoc_statement() {
    if (in_heredoc_line_ || backtick_depth_ > 0 || pipeline_line_depth_ > 0 || substitution_depth_ > 0) decline();
    size_t begin = position_;
    HeredocOperator heredoc = heredoc_operator();
    size_t line_end = text_.find('\n', position_);
    if (line_end == std::string_view::npos) decline();
    uint32_t node = open(NodeKind::RedirectedStatement, NodeField::None, begin);
    skip_inline();
    in_heredoc_line_ = true;
    uint32_t command = simple_command();
    in_heredoc_line_ = false;
    if (nodes_[command].kind != NodeKind::Command) decline();
    nodes_[command].field = NodeField::Body;
    skip_inline();
    if (position_ != line_end) decline();  // operators, redirections, a comment: not covered
    ++position_;
    uint32_t redirect = open(NodeKind::HeredocRedirect, NodeField::Redirect, begin);
    leaf(NodeKind::Other, NodeField::None, heredoc.operator_begin, heredoc.operator_end, false);
    leaf(NodeKind::HeredocStart, NodeField::None, heredoc.start_begin, heredoc.start_end);
    heredoc_body(heredoc.delimiter, heredoc.quoted, heredoc.strip_tabs, true);
    close(redirect, position_);
    close(node, position_);
    return node;
  }

  void heredoc_expression() {
    bool and_and = peek() == '&';
    leaf(and_and ? NodeKind::AndAnd : NodeKind::OrOr, NodeField::Operator, position_, position_ + 2, false);
    position_ += 2;
    skip_inline();
    uint32_t right = statement();
    nodes_[right].field = NodeField::Right;
  }

  // `continued_lines`: a line ending in a backslash is read (as text of the body) unless the
  // delimiter line follows it, where the shell and tree-sitter end the body differently; else such
  // lines are left to tree-sitter.
  void heredoc_body(std::string_view delimiter, bool quoted, bool strip_tabs, bool continued_lines = false) {
    size_t body_begin = position_;
    // The body starts at its first character that is not a blank or a line break: tree-sitter's
    // scanner skips them.
    size_t first = body_begin;
    while (first < text_.size() && (is_blank(text_[first]) || text_[first] == '\n')) ++first;
    // tree-sitter loses a body that starts with a backslash (empty, or joined to the next command).
    if (first < text_.size() && text_[first] == '\\') decline();
    uint32_t body = open(NodeKind::HeredocBody, NodeField::None, first);
    size_t line = position_;
    // A line of blanks only makes tree-sitter miss the delimiter line after an expansion, and read
    // a `$(` starting the next line as text: with an expansion, left to it.
    bool blank_line = false;
    bool expansion = false;
    for (;;) {
      if (line >= text_.size()) decline();  // not terminated
      size_t line_end = text_.find('\n', line);
      if (line_end == std::string_view::npos) line_end = text_.size();
      size_t content = line;
      while (content < line_end && is_blank(text_[content])) ++content;
      std::string_view rest = text_.substr(content, line_end - content);
      if (rest.substr(0, delimiter.size()) == delimiter) {
        // tree-sitter ends the body at any line that starts with the delimiter after blanks.
        bool exact = rest.size() == delimiter.size();
        std::string_view indent = text_.substr(line, content - line);
        bool indent_allowed = strip_tabs ? indent.find_first_not_of('\t') == std::string_view::npos : indent.empty();
        if (!exact || !indent_allowed) decline();
        if (first >= line) decline();  // an empty body, or only blanks
        if (blank_line && expansion) decline();
        close(body, line);
        leaf(NodeKind::HeredocEnd, NodeField::None, content, content + delimiter.size());
        position_ = content + delimiter.size();
        return;
      }
      std::string_view whole = text_.substr(line, line_end - line);
      if (!whole.empty() && whole.back() == '\\') {
        if (!continued_lines || line_end >= text_.size()) decline();
        size_t next_line = line_end + 1;
        while (next_line < text_.size() && is_blank(text_[next_line])) ++next_line;
        if (text_.substr(next_line, delimiter.size()) == delimiter) decline();
      }
      if (!whole.empty() && content == line_end) blank_line = true;
      if (!quoted && whole.find('$') != std::string_view::npos) {
        expansion = true;
        heredoc_dollars(line, line_end);
        // tree-sitter reads a `$(` right after blanks it skipped as text: at the body's start when
        // the lines before it hold blanks, and with `<<` after any line's indentation.
        size_t skipped_to = std::string_view::npos;
        if (first >= line && first < line_end) {
          std::string_view before = text_.substr(body_begin, first - body_begin);
          if (before.find_first_of(" \t\v\f") != std::string_view::npos) skipped_to = first;
        } else if (!strip_tabs && content > line) {
          skipped_to = content;
        }
        heredoc_substitutions(line, line_end, skipped_to);
      }
      line = line_end + 1;
    }
  }

  // The `$(...)` of an unquoted heredoc body's line, as children of the body. Backticks are text
  // to tree-sitter there, and so is a `$(` at `skipped_to`.
  // Escapes, `$$(` and `$((` (a subshell to tree-sitter) are left to it, and so is a substitution
  // that runs past its line.
  void heredoc_dollars(size_t line, size_t line_end) {
    // Every `$` must start an expansion tree-sitter reads as such (`$}` or a `$` ending the line
    // are errors to it), and `${` must close on its line.
    for (size_t at = text_.find('$', line); at != std::string_view::npos && at < line_end; at = text_.find('$', at + 1)) {
      // An escaped `\$` is text to both (`\${ORACLE_HOME}`, jupyter's oracledb recipe).
      size_t backslashes = 0;
      while (at - backslashes > line && text_[at - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 1) continue;
      char next = at + 1 < line_end ? text_[at + 1] : '\n';
      if (next == '{') {
        size_t close_brace = text_.find('}', at);
        char first = at + 2 < line_end ? text_[at + 2] : '\n';
        if (close_brace == std::string_view::npos || close_brace >= line_end ||
            !(is_name_char(first) || first == '#' || first == '!' || first == '@' || first == '*' || first == '?') ||
            text_.substr(at + 2, close_brace - at - 2).find('{') != std::string_view::npos) {
          decline();
        }
      } else if (!(is_name_char(next) || next == '(' || next == '@' || next == '*' || next == '#' || next == '?' ||
                   next == '!')) {
        decline();
      }
    }
  }

  void heredoc_substitutions(size_t line, size_t line_end, size_t skipped_to) {
    std::string_view whole = text_.substr(line, line_end - line);
    // Without a `$(`, the line gives the body no node: its escapes (`\$INTERFACE`, `\${HOME}`, the
    // tinc and oracledb heredocs) matter to neither front end's walk.
    if (whole.find("$(") == std::string_view::npos) return;
    if (whole.find('\\') != std::string_view::npos || whole.find("$$(") != std::string_view::npos ||
        whole.find("$((") != std::string_view::npos) {
      decline();
    }
    size_t saved = position_;
    for (size_t at = text_.find("$(", line); at != std::string_view::npos && at < line_end;
         at = text_.find("$(", position_)) {
      position_ = at;
      if (at == skipped_to) {
        position_ += 2;  // tree-sitter reads `$(` right after the blanks it skipped as text
        continue;
      }
      command_substitution();
      if (position_ > line_end) decline();
    }
    position_ = saved;
  }

  // --- words ------------------------------------------------------------------------------------

  // One shell word: bare text, quotes and expansions with nothing between them (`command_name`:
  // where a command's name stands, which tree-sitter reads its own way). A single piece
  // becomes that piece's node; several become a concatenation whose named children are the quoted
  // and expanded pieces (bare text between them decodes the same as the gaps of the node).
  void literal(NodeField field, bool command_name = false) {
    literal_after_run(field, command_name, plain_run_end(position_));
  }

  // literal(), given plain_run_end() at the position. Inlined: most words end in it.
  [[gnu::always_inline]] void literal_after_run(NodeField field, bool command_name, size_t run) {
    size_t begin = position_;
    // Most words are one run of plain characters ending at a blank or an operator: the loop in
    // literal_pieces() would read them as a single bare piece, a word node. Taken directly (the
    // loop's tests per piece, and the call, cost about 5 M instructions on the 997 Dockerfiles).
    if (run > begin && text_[begin] != '#' && ends_bare_word(run)) {
      leaf(NodeKind::Word, field, begin, run);
      position_ = run;
      return;
    }
    literal_pieces(field, command_name);
  }

  [[gnu::noinline]] void literal_pieces(NodeField field, bool command_name) {
    size_t begin = position_;
    uint32_t first = static_cast<uint32_t>(nodes_.size());
    uint32_t pieces = 0;
    uint32_t tree_sitter_pieces = 0;  // the concatenation's children in tree-sitter's tree
    bool only_bare = true;
    bool previous_bare = false;  // the piece before this one was bare text
    for (;;) {
      char c = peek();
      if ((c == '<' || c == '>') && peek(1) == '(') {
        if (pieces > 0 && is_digit(text_[position_ - 1])) decline();  // `1<(b)`
        if (pieces > 0) break;  // `a<(b)` is two words to tree-sitter
        process_substitution();
        only_bare = false;
        previous_bare = false;
        ++pieces;
        ++tree_sitter_pieces;
        continue;
      }
      if (at_end() || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
          c == '>' || c == ')' || c == '\v' || c == '\f') {
        break;
      }
      // An extended glob, `!("conf")` or `+([0-9])` once `shopt -s extglob` is on (OCS Inventory's
      // entrypoints): bash reads the parenthesised patterns as part of the word; tree-sitter cannot.
      if (c == '(' && past_tree_sitter_ && position_ > begin &&
          std::string_view("?*+@!").find(text_[position_ - 1]) != std::string_view::npos) {
        size_t close = extended_glob_end(position_);
        if (close == 0) decline();
        position_ = close;
        ++pieces;
        previous_bare = true;
        continue;
      }
      if (c == '(') decline();
      if (c == '#' && pieces == 0) decline();
      if (c == '{' && !command_name && brace_range_length() > 0) {
        brace_expression();
        only_bare = false;
        previous_bare = false;
        ++pieces;
        ++tree_sitter_pieces;
        continue;
      }
      if (c == '`' && backtick_depth_ > 0) break;  // the end of the substitution
      // tree-sitter joins a`b` only in some cases: after one run of bare text in an argument when a
      // blank or a line break follows the closing backtick (`--index=`mktemp -u` `, checked below).
      if (c == '`' && pieces > 0 && !(pieces == 1 && only_bare && !command_name)) decline();
      if (c == '\'') {
        raw_string();
        only_bare = false;
      } else if (c == '"') {
        string();
        only_bare = false;
      } else if (c == '$') {
        // In a command name tree-sitter splits at more characters: left to it.
        if (tree_sitter_pieces >= 2 && command_name) decline();
        if (tree_sitter_pieces >= 2 && dollar_ends_word()) {
          ++position_;  // the `$` ends this word (decoded as text), the name starts the next one
          break;
        }
        dollar(false);
        only_bare = false;
      } else if (c == '`') {
        backticks();
        only_bare = false;
        // tree-sitter joins `` `a` `b` `` (blanks between) into one word.
        size_t next = position_;
        while (next < text_.size() && is_blank(text_[next])) ++next;
        if (next > position_ && next < text_.size() && text_[next] == '`' && backtick_depth_ == 0) decline();
        char after = peek();
        if (!(at_end() || is_blank(after) || after == '\n' || after == ';' || after == '&' || after == '|' ||
              after == ')')) {
          decline();
        }
        // Joined to the bare text before it only when a blank or a line break follows.
        if (pieces > 0 && !(is_blank(after) || after == '\n')) decline();
      } else {
        // tree-sitter ends the word at a backslash right after a quote or expansion, unless it
        // escapes a quote or a backslash.
        if (c == '\\' && pieces > 0 && !previous_bare && peek(1) != '"' && peek(1) != '\'' && peek(1) != '\\') {
          decline();
        }
        tree_sitter_pieces += bare_text(pieces == 0) - 1;
      }
      // `mail$$`: tree-sitter ends the word with a bare `$` there.
      if (c == '$' && pieces > 0 && nodes_.back().kind == NodeKind::SimpleExpansion &&
          !is_name_char(text_[nodes_.back().begin + 1])) {
        decline();
      }
      previous_bare = c != '\'' && c != '"' && c != '$' && c != '`';
      ++pieces;
      ++tree_sitter_pieces;
    }
    if (pieces == 0) decline();
    if (only_bare) {
      leaf(NodeKind::Word, field, begin, position_);
      return;
    }
    if (pieces == 1 && nodes_.size() > first) {
      nodes_[first].field = field;
      return;
    }
    uint32_t concatenation = wrap(first, NodeKind::Other, NodeField::None);
    nodes_[concatenation].field = field;
    close(concatenation, position_);
    nodes_[concatenation].begin = static_cast<uint32_t>(begin);
  }

  // Whether literal() ends a word after bare text at `at`: the end, a blank or an operator other
  // than a process substitution's `<(` or `>(`.
  bool ends_bare_word(size_t at) const {
    if (at >= text_.size()) return true;
    switch (text_[at]) {
      case ' ': case '\t': case '\n': case ';': case '&': case '|': case ')': case '\v': case '\f':
        return true;
      case '<': case '>':
        return at + 1 >= text_.size() || text_[at + 1] != '(';
      default:
        return false;
    }
  }

  // At a `$` that would be a word's third piece or later: whether tree-sitter ends the word with
  // that `$` as bare text and starts a new word at the name after it. It does so for `$NAME`
  // followed by one of a few characters (`a/$b/$c/d` is two words, `a/$b/$c:d` one); which
  // characters was found by trying them all. Special parameters there (`$1`, `$@`, `$_`) follow
  // other rules, and `$NAME+`/`$NAME?` depend on what comes after: left to tree-sitter.
  bool dollar_ends_word() const {
    char next = peek(1);
    bool letter = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
    if (!letter) {
      if (is_name_char(next) || next == '@' || next == '*' || next == '?' || next == '!' || next == '-' ||
          next == '#' || next == '$') {
        decline();
      }
      return false;
    }
    size_t length = 2;
    while (is_name_char(peek(length))) ++length;
    switch (peek(length)) {
      case '!': case '*': case ',': case '-': case '.': case '/': case '^': case '~':
        return true;
      case '+': case '?':
        decline();
      default:
        return false;
    }
  }

  // Bare characters and backslash escapes, up to a quote, an expansion or a breaker. Returns how
  // many pieces tree-sitter makes of them: each of `{ } [ ]` is a word of its own, and so is each
  // run of other characters between them.
  // The end of the run of plain characters (kPlainCharacters) from `at`: four at a time while four
  // remain, so most of a word costs one bounds test per four characters.
  size_t plain_run_end(size_t at) const {
    const char* text = text_.data();
    size_t size = text_.size();
    auto plain = [&](size_t i) { return kPlainCharacters[static_cast<unsigned char>(text[i])]; };
    while (at + 4 <= size && plain(at) && plain(at + 1) && plain(at + 2) && plain(at + 3)) at += 4;
    while (at < size && plain(at)) ++at;
    return at;
  }

  uint32_t bare_text(bool starts_word) {
    size_t begin = position_;
    uint32_t pieces = 0;
    bool in_run = false;
    for (;;) {
      size_t run = plain_run_end(position_);
      if (run > position_) {
        if (!in_run) ++pieces;
        in_run = true;
        position_ = run;
      }
      char c = peek();
      if (at_end()) break;
      if (c == '\\') {
        if (!in_run) ++pieces;
        in_run = true;
        char escaped = peek(1);
        if (escaped == '\0' || escaped == '\n' || escaped == '\r') decline();
        if ((escaped == ' ' || escaped == '\t' || escaped == '\v' || escaped == '\f') && position_ == begin &&
            starts_word) {
          decline();  // tree-sitter skips a backslash-blank before a word
        }
        position_ += 2;
        continue;
      }
      if (c == '{' || c == '}' || c == '[' || c == ']') {
        if (c == '{' && brace_range_follows()) {
          if (position_ > begin && brace_range_length() > 0) break;  // literal() reads `{1..3}`
          decline();
        }
        ++position_;
        ++pieces;
        in_run = false;
        continue;
      }
      if (is_word_breaker(c)) break;
      if (static_cast<unsigned char>(c) >= 0x80) decline();
      if (!in_run) ++pieces;
      in_run = true;
      ++position_;
    }
    if (position_ == begin) decline();
    return pieces;
  }

  // The length of `{1..3}` (digits, `..`, digits) at the position, else 0: tree-sitter's
  // brace_expression. `{-1..3}`, `{1..3..2}` and `{a..c}` are plain words to it.
  size_t brace_range_length() const {
    size_t at = position_ + 1;
    auto digits = [&] {
      size_t first = at;
      while (at < text_.size() && is_digit(text_[at])) ++at;
      return at > first;
    };
    if (!digits() || text_.substr(at, 2) != "..") return 0;
    at += 2;
    if (!digits() || at >= text_.size() || text_[at] != '}') return 0;
    return at + 1 - position_;
  }

  // `{1..3}`: `{`, a number, `..`, a number, `}`.
  void brace_expression() {
    size_t begin = position_;
    size_t end = begin + brace_range_length();
    size_t dots = text_.find("..", begin);
    uint32_t expression = open(NodeKind::BraceExpression, NodeField::None, begin);
    leaf(NodeKind::Keyword, NodeField::None, begin, begin + 1, false);
    leaf(NodeKind::Other, NodeField::None, begin + 1, dots);
    leaf(NodeKind::Other, NodeField::None, dots, dots + 2, false);
    leaf(NodeKind::Other, NodeField::None, dots + 2, end - 1);
    leaf(NodeKind::Keyword, NodeField::None, end - 1, end, false);
    position_ = end;
    close(expression, end);
  }

  // `{1..3}`, or what tree-sitter may take for one: `{` then a digit or `-`.
  bool brace_range_follows() const {
    size_t at = position_ + 1;
    if (at < text_.size() && text_[at] == '-') ++at;
    return at < text_.size() && is_digit(text_[at]);
  }

  void raw_string() {
    size_t end = text_.find('\'', position_ + 1);
    if (end == std::string_view::npos) decline();
    leaf(NodeKind::RawString, NodeField::None, position_, end + 1);
    position_ = end + 1;
  }

  void ansi_c_string() {
    size_t at = position_ + 2;
    for (;;) {
      if (at >= text_.size()) decline();
      if (text_[at] == '\\' && at + 1 < text_.size()) {
        at += 2;
        continue;
      }
      if (text_[at] == '\'') break;
      ++at;
    }
    leaf(NodeKind::AnsiCString, NodeField::None, position_, at + 1);
    position_ = at + 1;
  }

  void string() {
    uint32_t node = open(NodeKind::String, NodeField::None, position_);
    ++position_;
    for (;;) {
      // Up to the next character the tests below look at (one at a time, about 0.3 M instructions
      // more on the 997 Dockerfiles).
      while (position_ < text_.size() && !kStringStops[static_cast<unsigned char>(text_[position_])]) ++position_;
      if (at_end()) decline();
      char c = peek();
      if (c == '"') {
        ++position_;
        break;
      }
      if (c == '\\') {
        // tree-sitter reads a backslash-newline inside double quotes its own way (as part of a
        // neighbouring expansion's name in some cases).
        if (position_ + 1 >= text_.size() || text_[position_ + 1] == '\n') decline();
        position_ += 2;
        continue;
      }
      if (c == '$') {
        dollar(true);
        continue;
      }
      if (c == '`') {
        if (backtick_depth_ > 0) decline();
        backticks();
        // tree-sitter reads "`a``b`" and "`a` `b`" as one substitution running `a``b` or `a` `b`,
        // without an error.
        size_t next = position_;
        while (next < text_.size() && is_blank(text_[next])) ++next;
        if (next < text_.size() && text_[next] == '`') decline();
        continue;
      }
      if (c == '\r') decline();
      ++position_;
    }
    close(node, position_);
  }

  // `$NAME`, `${...}`, `$(...)`, `$((...))`, `$'...'`; inside double quotes a `$` that starts none
  // of them is text.
  void dollar(bool in_string) {
    char next = peek(1);
    if (is_name_char(next)) {
      size_t end = position_ + 2;
      while (end < text_.size() && is_name_char(text_[end])) ++end;
      leaf(NodeKind::SimpleExpansion, NodeField::None, position_, end);
      position_ = end;
      return;
    }
    switch (next) {
      case '@': case '*': case '?': case '#': case '$': case '!': case '-':
        leaf(NodeKind::SimpleExpansion, NodeField::None, position_, position_ + 2);
        position_ += 2;
        return;
      case '{':
        expansion();
        return;
      case '(':
        if (peek(2) == '(') {
          arithmetic();
        } else {
          command_substitution();
        }
        return;
      case '\'':
        if (in_string) break;
        ansi_c_string();
        return;
      case '"':
        if (in_string) break;
        decline();  // $"...": a translated string
      default:
        break;
    }
    // A bare `$`: text in double quotes before these characters (tree-sitter reads `"$ b"` as an
    // expansion of ` b`, `"$-"` and `"$["` as others); outside quotes, left to tree-sitter.
    if (!in_string) decline();
    switch (next) {
      case '"': case '%': case '&': case ')': case '+': case ',': case '.': case '/': case ':': case ';':
      case '<': case '=': case '>': case ']': case '^': case '|': case '}': case '~': case '\'': case '\\':
        ++position_;
        return;
      default:
        decline();
    }
  }

  // `${...}` up to its matching brace. The walk reads nothing inside but the command substitutions
  // (their commands run when the expansion does), so the node holds those, and the `${...}` and
  // `"..."` around them, as children; the rest is text whose end must be exact.
  //
  // Parentheses in the word are text to the shell (`${OPTS:+(options: ${OPTS})}`, jupyter's
  // start.sh), where tree-sitter-bash reports an error in some cases: the reader reads what the
  // shell reads there (bench/README.md, "Valid shell tree-sitter rejects"). A backtick
  // substitution is no substitution to tree-sitter there, without an error: left to it.
  void expansion() {
    DepthGuard guard(*this);
    uint32_t node = open(NodeKind::Expansion, NodeField::None, position_);
    position_ += 2;
    if (peek() == '}') decline();  // `${}`
    bool in_subscript = false;  // `${a[$b:$c]}`: a `:` in the subscript is an error to tree-sitter
    for (;;) {
      // Up to the next character the switch below looks at (kExpansionStops).
      while (position_ < text_.size() && !kExpansionStops[static_cast<unsigned char>(text_[position_])]) ++position_;
      if (at_end()) decline();
      char c = peek();
      switch (c) {
        case '}':
          ++position_;
          close(node, position_);
          return;
        case '\\':
          position_ += 2;
          continue;
        case '$':
          if (peek(1) == '{') {
            expansion();
            continue;
          }
          if (peek(1) == '(') {
            if (peek(2) == '(') decline();  // `$((...))`
            command_substitution();
            continue;
          }
          break;
        case '{':
          decline();
        case '"':
          quoted_in_expansion();
          continue;
        case '\'': {
          size_t close_quote = text_.find(c, position_ + 1);
          if (close_quote == std::string_view::npos) decline();
          std::string_view inside = text_.substr(position_ + 1, close_quote - position_ - 1);
          if (inside.find_first_of("}{`\\\n") != std::string_view::npos) decline();
          if (inside.find("$(") != std::string_view::npos) decline();
          position_ = close_quote + 1;
          continue;
        }
        case '`':
        case '\n':
        case '\r':
          decline();
        case '+':
          if (peek(1) == '+') decline();  // `${s:i++%n:1}`: an error to tree-sitter
          break;
        case '[':
          in_subscript = true;
          break;
        case ']':
          in_subscript = false;
          break;
        case ':':
          if (in_subscript) decline();
          break;
        default:
          if (static_cast<unsigned char>(c) >= 0x80) decline();
          break;
      }
      ++position_;
    }
  }

  // `"..."` inside `${...}`. Without `$(` it is text; with one, a string node holding the
  // substitution, as tree-sitter nests it (`${A:-"$(hostname)"}`). Braces, backslashes, backticks
  // and line breaks in it are read otherwise by tree-sitter: left to it.
  void quoted_in_expansion() {
    size_t begin = position_;
    size_t before = nodes_.size();
    string();
    // The text of the string outside the substitutions in it.
    size_t at = begin;
    auto check = [&](size_t from, size_t to) {
      std::string_view part = text_.substr(from, to - from);
      if (part.find_first_of("}{`\\\n") != std::string_view::npos) decline();
    };
    bool substitution = false;
    for (uint32_t child = static_cast<uint32_t>(before) + 1; child < nodes_.size(); child += nodes_[child].size) {
      if (nodes_[child].kind != NodeKind::CommandSubstitution) continue;  // `$B` is text to the walk
      substitution = true;
      check(at, nodes_[child].begin);
      at = nodes_[child].end;
    }
    check(at, position_);
    if (!substitution) nodes_.resize(before);  // text: no node
  }

  void arithmetic() {
    size_t at = position_ + 3;
    uint32_t depth = 2;
    while (depth > 0) {
      if (at >= text_.size()) decline();
      char c = text_[at];
      if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
        if (depth == 1) {
          // The inner `)` of `))` must be followed by the outer one.
          if (at + 1 >= text_.size() || text_[at + 1] != ')') decline();
        }
      } else if (c == '`' || c == '\'' || c == '"' || c == '\\' || c == '\n' || c == '\r' ||
                 static_cast<unsigned char>(c) >= 0x80 || (c == '$' && at + 1 < text_.size() && text_[at + 1] == '(')) {
        decline();
      }
      ++at;
    }
    leaf(NodeKind::ArithmeticExpansion, NodeField::None, position_, at);
    position_ = at;
  }

  void command_substitution() {
    uint32_t node = open(NodeKind::CommandSubstitution, NodeField::None, position_);
    position_ += 2;
    // `$(< file)`: the redirection alone, as tree-sitter nests it.
    skip_inline();
    if (peek() == '<' && peek(1) != '<' && peek(1) != '(' && peek(1) != '&' && peek(1) != '>') {
      file_redirect();
      skip_inline();
      if (peek() != ')') decline();
      leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
      ++position_;
      close(node, position_);
      return;
    }
    substitution_body(node);
  }

  // `<(...)` and `>(...)`.
  void process_substitution() {
    uint32_t node = open(NodeKind::ProcessSubstitution, NodeField::None, position_);
    leaf(NodeKind::Other, NodeField::None, position_, position_ + 2, false);
    position_ += 2;
    substitution_body(node);
  }

  // The statements of `$(...)`, `<(...)` or `>(...)` after the opening, then the `)` that closes `node`.
  void substitution_body(uint32_t node) {
    ++substitution_depth_;
    if (statements(Closer::Parenthesis) == 0) decline();
    --substitution_depth_;
    if (peek() != ')') decline();
    leaf(NodeKind::Keyword, NodeField::None, position_, position_ + 1, false);
    ++position_;
    close(node, position_);
  }

  void backticks() {
    size_t close_tick = text_.find('`', position_ + 1);
    if (close_tick == std::string_view::npos) decline();
    // Escapes inside backticks are unescaped before the inner text is parsed: not covered.
    if (text_.substr(position_ + 1, close_tick - position_ - 1).find('\\') != std::string_view::npos) decline();
    uint32_t node = open(NodeKind::CommandSubstitution, NodeField::None, position_);
    ++position_;
    ++backtick_depth_;
    ++substitution_depth_;
    if (statements(Closer::Backtick) == 0) decline();
    --substitution_depth_;
    --backtick_depth_;
    if (peek() != '`') decline();
    ++position_;
    close(node, position_);
  }

  struct DepthGuard {
    Reader& reader;
    explicit DepthGuard(Reader& r) : reader(r) {
      if (++reader.depth_ > kMaxReaderDepth) reader.decline();
    }
    ~DepthGuard() { --reader.depth_; }
  };

  std::string_view text_;
  std::vector<SyntaxNode>& nodes_;
  // Nodes moved to insert a parent and children visited to close one: the reader's work beyond
  // appending nodes, which must stay linear in the text (read_shell's `steps`).
  mutable size_t steps_ = 0;  // counted in const lookups too
  size_t position_ = 0;
  uint32_t depth_ = 0;
  uint32_t backtick_depth_ = 0;  // inside `...`: a backtick closes, never opens
  uint32_t substitution_depth_ = 0;
  bool in_heredoc_line_ = false;
  // The statement depth of a line that ended in a long pipeline, 0 when none is pending (see
  // statements()): redirections are left to tree-sitter meanwhile.
  uint32_t pipeline_line_depth_ = 0;
  uint32_t brace_depth_ = 0;     // inside `{ ...; }` groups
  uint32_t brace_commands_ = 0;  // `! {` read as a command, whose `}` is a command too
  uint32_t pipe_operators_ = 0;  // the `|` and `|&` between pipeline stages read so far
  // Past the `)` that closes the extended glob opening at `open`: its patterns hold no blanks or
  // line breaks outside quotes; 0 when it does not close on the line.
  size_t extended_glob_end(size_t open) const {
    int depth = 0;
    char quote = 0;
    for (size_t at = open; at < text_.size(); ++at) {
      char c = text_[at];
      if (quote) {
        if (c == quote) quote = 0;
        else if (c == '\n') return 0;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
      else if (c == '(') ++depth;
      else if (c == ')' && --depth == 0) return at + 1;
      else if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&') return 0;
    }
    return 0;
  }

  // read_shell_past_tree_sitter: tree-sitter could not read the text, so there is no tree to match.
  bool past_tree_sitter_ = false;
};

// What the reader never covers, checked once over the whole text: carriage returns (tree-sitter
// reads them as blanks, bash as part of words) and NUL bytes. Bytes outside ASCII are checked where
// bare words are read (they are fine in quotes and comments).
bool has_uncovered_bytes(std::string_view text) {
  return text.find('\r') != std::string_view::npos || text.find('\0') != std::string_view::npos;
}

}  // namespace

bool read_shell_past_tree_sitter(std::string_view text, SyntaxTree& tree, size_t* declined_at) {
  tree.clear();
  if (text.size() >= (1u << 24) || has_uncovered_bytes(text)) return false;
  try {
    Reader reader(text, tree, true);
    reader.program();
  } catch (const Decline& declined) {
    if (declined_at) *declined_at = declined.position;
    return false;
  }
  return true;
}

bool read_shell(std::string_view text, SyntaxTree& tree, size_t* declined_at, size_t* steps) {
  tree.clear();
  if (declined_at) *declined_at = 0;
  if (steps) *steps = 0;
  if (text.size() >= (1u << 24) || has_uncovered_bytes(text)) return false;
  try {
    Reader reader(text, tree);
    reader.program();
    if (steps) *steps = reader.steps();
  } catch (const Decline& declined) {
    if (declined_at) *declined_at = declined.position;
    return false;
  }
  return true;
}

}  // namespace shiftlint::shell
