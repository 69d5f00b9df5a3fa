#include "analyzer/parse/shell/shell_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/shell_reader.h"
#include "analyzer/parse/shell/syntax_tree.h"
#include "analyzer/parse/shell/syntax_tree_cache.h"

namespace shiftlint::shell {

namespace {

inline constexpr uint32_t kNoNode = std::numeric_limits<uint32_t>::max();

// A command runs a shell string only through an option holding a 'c' (`sh -c`, `bash -xc`,
// `su -c`, `runuser --command`): without one, effective_command need not be asked.
bool may_run_shell_string(const Command& command) {
  for (const Word& argument : command.arguments) {
    std::string_view value = argument.value;
    if (value.size() > 1 && value[0] == '-' && value.find('c') != std::string_view::npos) return true;
  }
  return false;
}

bool is_statement(NodeKind kind) {
  switch (kind) {
    case NodeKind::Command:
    case NodeKind::RedirectedStatement:
    case NodeKind::List:
    case NodeKind::Pipeline:
    case NodeKind::Subshell:
    case NodeKind::CompoundStatement:
    case NodeKind::IfStatement:
    case NodeKind::WhileStatement:
    case NodeKind::ForStatement:
    case NodeKind::CStyleForStatement:
    case NodeKind::CaseStatement:
    case NodeKind::FunctionDefinition:
    case NodeKind::NegatedCommand:
    case NodeKind::TestCommand:
    case NodeKind::VariableAssignment:
    case NodeKind::VariableAssignments:
    case NodeKind::DeclarationCommand:
    case NodeKind::UnsetCommand:
    case NodeKind::Error:
      return true;
    default:
      return false;
  }
}

// What run() counts of a node, by its kind: a command node (bit 0), a `$( )`, backtick or `<( )`
// node (bit 1).
inline constexpr uint8_t kCountsCommand = 1;
inline constexpr uint8_t kCountsSubstitution = 2;
inline constexpr std::array<uint8_t, 256> kNodeCounts = [] {
  std::array<uint8_t, 256> counts{};
  counts[static_cast<uint8_t>(NodeKind::Command)] = kCountsCommand;
  counts[static_cast<uint8_t>(NodeKind::DeclarationCommand)] = kCountsCommand;
  counts[static_cast<uint8_t>(NodeKind::UnsetCommand)] = kCountsCommand;
  counts[static_cast<uint8_t>(NodeKind::CommandSubstitution)] = kCountsSubstitution;
  counts[static_cast<uint8_t>(NodeKind::ProcessSubstitution)] = kCountsSubstitution;
  return counts;
}();

bool is_expansion(NodeKind kind) {
  return kind == NodeKind::SimpleExpansion || kind == NodeKind::Expansion || kind == NodeKind::CommandSubstitution ||
         kind == NodeKind::ProcessSubstitution || kind == NodeKind::ArithmeticExpansion || kind == NodeKind::BraceExpression;
}

// Where a command runs, handed down the walk.
struct Context {
  bool background = false;
  uint32_t background_job = kNoParent;  // Command::background_job
  bool in_pipeline = false;
  bool in_condition = false;
  bool in_branch = false;
  bool in_loop = false;
  bool in_endless_loop = false;
  bool in_subshell = false;
  bool in_command_substitution = false;
  bool in_process_substitution = false;
  bool tail = false;  // the statement may be the last one the script (or function body) runs
  bool tail_of_function = false;  // `tail` is about the enclosing function body, not the script
  // Only the first command of this list is a pipeline stage: `cat <<EOF | sh && echo done`, which
  // the grammar nests as `cat <<EOF` + `| (sh && echo done)`.
  bool pipeline_head = false;
  std::string_view function_name;
  uint32_t case_branch = kNoParent;  // Command::case_branch
  uint32_t if_branch = kNoParent;    // Command::if_branch
  // Inside an elif or else clause: the Script::if_branches index of its statement's `if` branch.
  uint32_t if_statement = kNoParent;
  uint32_t parent = kNoParent;
  Nesting nesting = Nesting::None;
  const std::vector<Redirection>* inherited_redirections = nullptr;
};

// Builds a word's value, and optionally the TextMap of that value (for a `sh -c` string). A value
// that is one run of the text as written (most words: `apt-get`, `'a b'`, `"$HOME"`) is a view of
// that text; only a value that quote removal or an escape changed is built, then kept in the
// Script's storage.
class ValueBuilder {
 public:
  // `text` is `source.text()` as kept in the Script's storage; `scratch` holds a built value.
  ValueBuilder(std::string_view text, const TextMap& source, TextMap* map, std::string& scratch)
      : text_(text), source_(source), map_(map), scratch_(scratch) {}
  void copy(size_t begin, size_t end) {
    if (begin >= end) return;
    if (map_) append_mapped(*map_, source_, begin, end);
    if (!built_) {
      if (run_begin_ == run_end_) {
        run_begin_ = begin;
        run_end_ = end;
        return;
      }
      if (begin == run_end_) {
        run_end_ = end;
        return;
      }
      start_building();
    }
    scratch_.append(text_.substr(begin, end - begin));
  }
  void insert(std::string_view text, size_t at) {
    if (!built_) start_building();
    scratch_.append(text);
    if (map_ && !text.empty()) map_->append_inserted(text, source_.file_offset(at));
  }
  std::string_view take(TextStorage& storage) {
    if (!built_) return text_.substr(run_begin_, run_end_ - run_begin_);
    return storage.keep(scratch_);
  }

 private:
  void start_building() {
    scratch_.assign(text_.substr(run_begin_, run_end_ - run_begin_));
    built_ = true;
  }

  std::string_view text_;
  const TextMap& source_;
  TextMap* map_;
  std::string& scratch_;
  size_t run_begin_ = 0;
  size_t run_end_ = 0;
  bool built_ = false;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}


class Walker {
 public:
  Walker(const SourceFile& file, const TextMap& map, Script& out, uint32_t shell_string_depth,
         ShellFrontEnd front_end)
      : file_(file),
        map_(map),
        text_(kept_text(out, map.text())),
        out_(out),
        shell_string_depth_(shell_string_depth),
        front_end_(front_end),
        trees_(trees_for_depth(shell_string_depth)),
        tree_(&trees_.tree) {}

  // Script::if_branches and Command::if_branch are filled (parse_shell's IfBranches).
  bool record_if_branches_ = true;

  // Parses the text and walks it. False when only the hand-written reader was allowed and it
  // declined the text.
  bool run(const Context& context) {
    // The differential check and tests choose a front end: only the automatic one uses the cache.
    bool cacheable = front_end_ == ShellFrontEnd::Automatic && text_.size() >= kMinCachedTextBytes;
    TreeCacheKey key;
    if (cacheable) {
      key = tree_cache_key(text_);
      cached_tree_ = find_cached_tree(key);
    }
    bool from_tree_sitter = false;
    if (cached_tree_) {
      tree_ = &cached_tree_->tree;
      from_tree_sitter = cached_tree_->from_tree_sitter;
    } else {
      SyntaxTree& parsed = trees_.tree;
      parsed.clear();
      bool read = front_end_ != ShellFrontEnd::TreeSitter && read_shell(text_, parsed);
      if (!read) {
        if (front_end_ == ShellFrontEnd::HandWrittenOnly && shell_string_depth_ == 0) return false;
        parse_with_tree_sitter(text_, parsed);
        // Where tree-sitter fails on valid shell, its error recovery can drop every command after
        // the error; the reader may read it without a tree to match.
        if (parsed.has_error && front_end_ == ShellFrontEnd::Automatic) {
          SyntaxTree past;
          if (read_shell_past_tree_sitter(text_, past)) {
            parsed = std::move(past);
            read = true;
          }
        }
      }
      from_tree_sitter = !read;
      if (cacheable) remember_tree(key, parsed, from_tree_sitter);
      tree_ = &parsed;
    }
    ++(from_tree_sitter ? thread_statistics().tree_sitter_texts : thread_statistics().hand_written_texts);
    const SyntaxTree& tree = *tree_;
    if (tree.has_error) {
      out_.has_syntax_errors = true;
      if (out_.first_syntax_error.empty()) out_.first_syntax_error = span_of(tree.first_error_begin, tree.first_error_end);
    }
    if (tree.nodes.empty()) return true;
    // Every command node becomes a Command (substitutions and `sh -c` strings add theirs later).
    // One table look-up per node tells both counts (comparing each kind cost 3.4 M instructions on
    // the 997 Dockerfiles).
    size_t commands = 0;
    std::vector<uint32_t>& substitutions = trees_.substitutions_before;
    substitutions.resize(tree.nodes.size() + 1);
    uint32_t seen = 0;
    for (size_t i = 0; i < tree.nodes.size(); ++i) {
      uint8_t counts = kNodeCounts[static_cast<uint8_t>(tree.nodes[i].kind)];
      commands += counts & kCountsCommand;
      substitutions[i] = seen;
      seen += counts >> 1;
    }
    substitutions[tree.nodes.size()] = seen;
    if (out_.commands.capacity() - out_.commands.size() < commands) out_.commands.reserve(out_.commands.size() + commands);
    statements(0, context);
    return true;
  }

 private:
  // The text as kept in the Script's storage: words and values are views of it.
  static std::string_view kept_text(Script& out, std::string_view text) {
    if (!out.storage) out.storage = std::make_shared<TextStorage>();
    return out.storage->keep(text);
  }

  // The tree of a text, and for each node how many `$( )`, backtick and `<( )` nodes come before
  // it in pre-order: a subtree holds one when the counts at its two ends differ.
  struct Trees {
    SyntaxTree tree;
    std::vector<uint32_t> substitutions_before;  // one more than the nodes
  };

  // One per `sh -c` level, kept per thread so their storage is reused from text to text.
  static Trees& trees_for_depth(uint32_t depth) {
    thread_local std::vector<std::unique_ptr<Trees>> trees;
    while (trees.size() <= depth) trees.push_back(std::make_unique<Trees>());
    return *trees[depth];
  }

  // Whether the subtree at `index` holds a command or process substitution.
  bool holds_substitution(uint32_t index) const {
    return trees_.substitutions_before[index + tree_->nodes[index].size] != trees_.substitutions_before[index];
  }

  // --- the tree ---------------------------------------------------------------------------------
  const SyntaxNode& node(uint32_t index) const { return tree_->nodes[index]; }
  NodeKind kind(uint32_t index) const { return tree_->nodes[index].kind; }
  NodeField field(uint32_t index) const { return tree_->nodes[index].field; }
  bool named(uint32_t index) const { return tree_->nodes[index].named; }
  uint32_t first_child(uint32_t index) const { return index + 1; }
  uint32_t next(uint32_t index) const { return index + tree_->nodes[index].size; }
  uint32_t children_end(uint32_t index) const { return index + tree_->nodes[index].size; }

  // --- positions --------------------------------------------------------------------------------
  // Text offsets [begin, last] of one copied piece whose file offsets lie on one file line: a range
  // [b, e) with begin <= b < e <= last is on that line, from column b + column_shift to column
  // e + column_shift.
  struct LineRange {
    int64_t begin = 1;  // empty: begin > last
    int64_t last = 0;
    int64_t column_shift = 0;
    uint32_t line = 0;
    size_t piece = 0;
    bool holds(size_t b, size_t e) const {
      return static_cast<int64_t>(b) >= begin && static_cast<int64_t>(e) <= last && b < e;
    }
    Span span(size_t b, size_t e) const { return {position(b), position(e)}; }
    // The line holds offset b as the start of a range (its byte is in the piece, before the line's end).
    bool holds_begin(size_t b) const { return static_cast<int64_t>(b) >= begin && static_cast<int64_t>(b) < last; }
    // The line holds offset e as the end of a range (its last byte is in the piece).
    bool holds_end(size_t e) const { return static_cast<int64_t>(e) > begin && static_cast<int64_t>(e) <= last; }
    Position position(size_t offset) const {
      return {line, static_cast<uint32_t>(static_cast<int64_t>(offset) + column_shift)};
    }
  };

  // map_.span_of, without its search for the piece when the range lies in the piece the previous
  // one did (consecutive words of a line) or the next one (the next line of a RUN body): the same
  // file offsets, then the same positions as file.span_of.
  Span span_of(size_t begin, size_t end) const {
    // Most ranges (the next word of the line) lie on the line of one piece the last range ended
    // in, or on the line after it (the next line of a RUN body): their positions are the offsets'
    // distance to that line's start, without the search for the piece or the line (span_of cost
    // 15.3 M instructions on the 997 Dockerfiles).
    if (same_line_.holds(begin, end)) return same_line_.span(begin, end);
    return span_off_line(begin, end);
  }
  // span_of for a range off the remembered line: on the line after it, which becomes the
  // remembered one, or searched for. Kept out of line, so that the check above is all most words'
  // spans cost where they are asked for.
  [[gnu::noinline]] Span span_off_line(size_t begin, size_t end) const {
    if (!next_line_known_) {
      next_line_ = following_line_range();
      next_line_known_ = true;
    }
    if (!next_line_.holds(begin, end)) return span_of_searched(begin, end);
    same_line_ = next_line_;
    next_line_known_ = false;
    piece_hint_ = same_line_.piece;
    line_number_ = same_line_.line;
    line_begin_ = file_.line_start(line_number_ - 1);
    line_end_ = line_number_ < file_.line_count() ? file_.line_start(line_number_) : file_.text().size();
    return same_line_.span(begin, end);
  }
  [[gnu::noinline]] Span span_of_searched(size_t begin, size_t end) const {
    const std::vector<TextMap::Piece>& pieces = map_.pieces();
    if (pieces.empty() || end <= begin || end > text_.size()) return map_.span_of(file_, begin, end);
    auto holds = [&](size_t piece) {
      return piece < pieces.size() && begin >= pieces[piece].text_offset &&
             begin < static_cast<size_t>(pieces[piece].text_offset) + pieces[piece].length;
    };
    if (!holds(piece_hint_)) {
      if (holds(piece_hint_ + 1)) {
        ++piece_hint_;
      } else {
        auto next = std::upper_bound(pieces.begin(), pieces.end(), begin,
                                     [](size_t offset, const TextMap::Piece& piece) { return offset < piece.text_offset; });
        piece_hint_ = next == pieces.begin() ? 0 : static_cast<size_t>(next - pieces.begin()) - 1;
      }
    }
    const TextMap::Piece& piece = pieces[piece_hint_];
    size_t piece_end = static_cast<size_t>(piece.text_offset) + piece.length;
    if (piece.inserted || begin < piece.text_offset || end > piece_end) {
      return map_.span_of(file_, begin, end);
    }
    Span span{position_at(piece.file_offset + (begin - piece.text_offset)),
              position_at(piece.file_offset + (end - piece.text_offset))};
    // The line position_at answered last (the one after it is found when first asked for).
    same_line_ = line_range(piece_hint_, line_number_, line_begin_, line_end_);
    next_line_known_ = false;
    return span;
  }
  // The text offsets of copied piece `piece_index` whose file offsets lie on file line `line`,
  // [line_begin, line_end) in the file. A range may end at the piece's end, and must end before the
  // line's end (an offset there is on the next line).
  LineRange line_range(size_t piece_index, uint32_t line, size_t line_begin, size_t line_end) const {
    const TextMap::Piece& piece = map_.pieces()[piece_index];
    LineRange range;
    if (piece.inserted || line_end <= line_begin || line_end <= piece.file_offset) return range;
    // Text offset t is file offset t + shift: its column is t + shift - line_begin + 1.
    int64_t shift = static_cast<int64_t>(piece.file_offset) - static_cast<int64_t>(piece.text_offset);
    range.begin = std::max<int64_t>(piece.text_offset, static_cast<int64_t>(line_begin) - shift);
    range.last = std::min<int64_t>(static_cast<int64_t>(piece.text_offset) + piece.length,
                                   static_cast<int64_t>(line_end) - shift - 1);
    range.column_shift = shift - static_cast<int64_t>(line_begin) + 1;
    range.line = line;
    range.piece = piece_index;
    return range;
  }
  // The line after same_line_'s: in the same piece when the piece goes on past that line's end,
  // else in the next piece.
  LineRange following_line_range() const {
    const LineRange& current = same_line_;
    uint32_t count = file_.line_count();
    if (current.begin > current.last || current.line >= count) return {};
    const std::vector<TextMap::Piece>& pieces = map_.pieces();
    const TextMap::Piece& piece = pieces[current.piece];
    size_t piece_index = current.piece;
    if (current.last >= static_cast<int64_t>(piece.text_offset) + piece.length) {
      if (++piece_index >= pieces.size()) return {};
    }
    uint32_t index = current.line;  // 0-based: the line after it
    size_t line_end = index + 1 < count ? file_.line_start(index + 1) : file_.text().size();
    return line_range(piece_index, index + 1, file_.line_start(index), line_end);
  }
  // file_.position_at, answered without a search while the offsets stay on the line of the last
  // answer: the words of a command mostly share a line.
  Position position_at(size_t offset) const {
    if (offset >= line_begin_ && offset < line_end_) {
      return {line_number_, static_cast<uint32_t>(offset - line_begin_ + 1)};
    }
    return position_on_other_line(offset);
  }
  // A line a few lines after the last answer's (the next lines of a RUN body, past its comment
  // lines) or before it (where a command that spans lines began) is found by stepping through the
  // file's line starts; only a farther one is searched for (SourceFile::position_at and
  // SourceFile::offset_of cost 1.4 M instructions here on the 997 Dockerfiles).
  [[gnu::noinline]] Position position_on_other_line(size_t offset) const {
    if (offset >= file_.text().size()) return file_.position_at(offset);  // the end: not kept
    constexpr uint32_t kMaxSteps = 8;
    uint32_t count = file_.line_count();
    uint32_t index = 0;  // 0-based: the line holding offset is the last one starting at or before it
    bool found = false;
    if (line_end_ > line_begin_ && offset >= line_end_) {
      // Line line_number_ (0-based: the next one) starts at line_end_, at or before offset.
      index = line_number_;
      for (uint32_t step = 0; step < kMaxSteps && index + 1 < count && file_.line_start(index + 1) <= offset; ++step) ++index;
      found = index + 1 >= count || file_.line_start(index + 1) > offset;
    } else if (line_end_ > line_begin_ && offset < line_begin_ && line_number_ >= 2) {
      // The line before the last answer's: 0-based line_number_ - 2.
      index = line_number_ - 2;
      for (uint32_t step = 0; step < kMaxSteps && index > 0 && file_.line_start(index) > offset; ++step) --index;
      found = file_.line_start(index) <= offset;
    }
    if (!found) index = file_.position_at(offset).line - 1;
    line_number_ = index + 1;
    line_begin_ = file_.line_start(index);
    line_end_ = index + 1 < count ? file_.line_start(index + 1) : file_.text().size();
    return {line_number_, static_cast<uint32_t>(offset - line_begin_ + 1)};
  }
  Span span_of(uint32_t index) const { return span_of(node(index).begin, node(index).end); }
  std::string_view text_of(uint32_t index) const {
    return text_.substr(node(index).begin, node(index).end - node(index).begin);
  }

  // Guards every recursive step: nesting is attacker-controlled.
  struct DepthGuard {
    Walker& walker;
    bool ok;
    explicit DepthGuard(Walker& w) : walker(w), ok(++w.depth_ <= kMaxNestingDepth) {
      if (!ok) w.out_.truncated = true;
    }
    ~DepthGuard() { --walker.depth_; }
  };

  // --- statements -------------------------------------------------------------------------------

  // The statements of a program, group, branch or loop body, with what separates them.
  void statements(uint32_t container, const Context& context) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    NodeKind container_kind = kind(container);
    bool in_if = container_kind == NodeKind::IfStatement || container_kind == NodeKind::ElifClause;
    bool seen_then = false;
    uint32_t if_branch = kNoParent;  // the branch `then` opens, in an if or elif
    auto commands_before = static_cast<uint32_t>(out_.commands.size());  // before an if statement's test
    bool first = true;
    uint32_t end = children_end(container);
    for (uint32_t child = first_child(container); child < end; child = next(child)) {
      NodeKind child_kind = kind(child);
      if (child_kind == NodeKind::Then && !seen_then) {
        seen_then = true;
        if (in_if && record_if_branches_) if_branch = add_if_branch(container, child, context, commands_before);
      }
      if (!is_statement(child_kind)) {
        if (child_kind == NodeKind::ElifClause || child_kind == NodeKind::ElseClause) {
          Context branch = context;
          branch.in_branch = true;
          uint32_t statement = container_kind == NodeKind::IfStatement ? if_branch : context.if_statement;
          branch.if_statement = statement;
          if (child_kind == NodeKind::ElseClause && statement != kNoParent) {
            IfBranch otherwise;
            otherwise.first_of_statement = statement;
            otherwise.enclosing = out_.if_branches[statement].enclosing;
            otherwise.first_command = out_.if_branches[statement].first_command;
            otherwise.is_else = true;
            out_.if_branches.push_back(otherwise);
            branch.if_branch = static_cast<uint32_t>(out_.if_branches.size() - 1);
          }
          pending_ = Connector::Sequence;
          statements(child, branch);
        } else if (container_kind == NodeKind::Error) {
          scan_substitutions(child, context);
        }
        continue;
      }
      // The statement is backgrounded when `&` follows it; it is the last of its run when no other
      // statement follows before a keyword (`fi`, `else`, `}`, `done`, `;;`) or the end.
      bool background = false;
      bool last = true;
      for (uint32_t after = next(child); after < end; after = next(after)) {
        NodeKind following = kind(after);
        if (following == NodeKind::Comment) continue;
        if (following == NodeKind::Ampersand && after == next(child)) background = true;
        if (is_statement(following)) last = false;
        if (is_statement(following) || following == NodeKind::Keyword || following == NodeKind::Then ||
            following == NodeKind::ElifClause || following == NodeKind::ElseClause) {
          break;
        }
      }
      Context inner = context;
      inner.background = context.background || background;
      if (background && !context.background) inner.background_job = static_cast<uint32_t>(out_.commands.size());
      if (in_if) {
        inner.in_condition = context.in_condition || !seen_then;
        inner.in_branch = context.in_branch || seen_then;
        if (seen_then && if_branch != kNoParent) inner.if_branch = if_branch;
      }
      inner.tail = context.tail && last && !(in_if && !seen_then) && !background;
      if (container_kind == NodeKind::CaseItem) inner.in_branch = true;
      if (!first) pending_ = Connector::Sequence;
      first = false;
      statement(child, child_kind, inner);
    }
  }

  // The branch a `then` of an if or elif clause opens: its test as written, from the keyword to
  // `then` (without the `;` or line break before it).
  uint32_t add_if_branch(uint32_t clause, uint32_t then, const Context& context, uint32_t commands_before) {
    IfBranch branch;
    branch.first_command = commands_before;
    uint32_t keyword = first_child(clause);
    size_t begin = keyword < then ? node(keyword).end : node(clause).begin;
    size_t end = std::max<size_t>(begin, node(then).begin);
    std::string_view condition = text_.substr(begin, end - begin);
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!condition.empty() && blank(condition.front())) condition.remove_prefix(1);
    // A line continuation before `then` is a blank too.
    while (!condition.empty() && (blank(condition.back()) || condition.back() == ';' || condition.back() == '\\'))
      condition.remove_suffix(1);
    branch.condition = condition;
    if (kind(clause) == NodeKind::ElifClause && context.if_statement != kNoParent) {
      branch.first_of_statement = context.if_statement;
      branch.enclosing = out_.if_branches[context.if_statement].enclosing;
      branch.first_command = out_.if_branches[context.if_statement].first_command;
    } else {
      branch.first_of_statement = static_cast<uint32_t>(out_.if_branches.size());
      branch.enclosing = context.if_branch;
    }
    out_.if_branches.push_back(branch);
    return static_cast<uint32_t>(out_.if_branches.size() - 1);
  }

  void statement(uint32_t index, NodeKind statement_kind, const Context& context) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    switch (statement_kind) {
      case NodeKind::Command:
        command(index, context, kNoNode);
        break;
      case NodeKind::RedirectedStatement:
        redirected_statement(index, context);
        break;
      case NodeKind::List:
        list(index, context);
        break;
      case NodeKind::Pipeline:
        pipeline(index, context);
        break;
      case NodeKind::Subshell: {
        Context inner = context;
        inner.in_subshell = true;
        statements(index, inner);
        break;
      }
      case NodeKind::CompoundStatement:
      case NodeKind::Error:
        statements(index, context);
        break;
      case NodeKind::IfStatement:
        statements(index, context);
        break;
      case NodeKind::WhileStatement:
        while_statement(index, context);
        break;
      case NodeKind::ForStatement:
      case NodeKind::CStyleForStatement:
        for_statement(index, context);
        break;
      case NodeKind::CaseStatement:
        case_statement(index, context);
        break;
      case NodeKind::FunctionDefinition:
        function_definition(index, context);
        break;
      case NodeKind::NegatedCommand:
        for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
          if (is_statement(kind(child))) statement(child, kind(child), context);
        }
        break;
      case NodeKind::TestCommand:
        scan_substitutions(index, context);
        break;
      case NodeKind::VariableAssignment:
        out_.assignments.push_back(assignment(index, ""));
        scan_substitutions(index, context);
        break;
      case NodeKind::VariableAssignments:
        for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
          if (kind(child) == NodeKind::VariableAssignment) out_.assignments.push_back(assignment(child, ""));
        }
        scan_substitutions(index, context);
        break;
      case NodeKind::DeclarationCommand:
      case NodeKind::UnsetCommand:
        declaration(index, context);
        break;
      default:
        break;
    }
  }

  // `a && b || c`: tree-sitter nests lists to the left, one level per operator. Walked iteratively so
  // that a long chain of `&&` costs no depth.
  // `redirected`: the redirected statement around the list, when tree-sitter hangs redirections
  // written after the list's last command on the whole list (`a && b > f` is
  // redirected_statement(list(a, b), > f)); the shell applies them to that command only.
  void list(uint32_t index, const Context& context, uint32_t redirected = kNoNode) {
    // The chain of left-nested lists, outermost first: each one's first child is the next.
    uint32_t innermost = index;
    uint32_t levels = 1;
    while (node(innermost).child_count > 0 && kind(first_child(innermost)) == NodeKind::List) {
      innermost = first_child(innermost);
      ++levels;
    }
    // A command that succeeds skips every `|| x` after it: in a list that ends the script, a
    // command followed by `||` operators only may be the last one run (`npm start || { echo
    // failed; exit 1; }` ends with npm when it succeeds). `or_only_above` tells it of the operators
    // of the outer levels, which follow everything of this one.
    auto or_operators_only = [&](uint32_t from, uint32_t end) {
      for (uint32_t at = from; at < end; at = next(at))
        if (kind(at) == NodeKind::AndAnd) return false;
      return true;
    };
    bool or_only_above = true;
    std::vector<bool> or_only_from_level;  // by level: whether the levels above it hold `||` only
    if (context.tail) {
      or_only_from_level.assign(levels, true);
      uint32_t current = index;
      for (uint32_t level = 0; level < levels; ++level) {
        or_only_from_level[level] = or_only_above;
        or_only_above = or_only_above && or_operators_only(first_child(current), children_end(current));
        current = first_child(current);
      }
    }
    // Walked innermost first: the left-nested lists are each other's first child, so level k's
    // node is found by descending k times from the outermost.
    for (uint32_t level = levels; level-- > 0;) {
      uint32_t current = index;
      for (uint32_t step = 0; step < level; ++step) current = first_child(current);
      uint32_t end = children_end(current);
      bool first = true;
      for (uint32_t child = first_child(current); child < end; child = next(child)) {
        bool is_first = first;
        first = false;
        if (is_first && level + 1 < levels) continue;  // the inner list, already walked
        NodeKind child_kind = kind(child);
        if (child_kind == NodeKind::AndAnd) {
          pending_ = Connector::And;
        } else if (child_kind == NodeKind::OrOr) {
          pending_ = Connector::Or;
        } else if (is_statement(child_kind)) {
          Context inner = context;
          inner.tail = context.tail && or_only_from_level[level] && or_operators_only(next(child), end);
          inner.pipeline_head = false;
          if (context.pipeline_head && level + 1 == levels && is_first) inner.in_pipeline = true;
          if (redirected == kNoNode || level != 0 || next(child) != end) {
            statement(child, child_kind, inner);
          } else if (child_kind == NodeKind::Command) {
            DepthGuard guard(*this);
            if (guard.ok) command(child, inner, redirected);
          } else if (child_kind == NodeKind::Pipeline) {
            DepthGuard guard(*this);
            if (guard.ok) pipeline(child, inner, redirected);
          } else {
            redirected_stage(child, inner, redirected, context);
          }
        }
      }
    }
  }

  // `redirected`: the redirected statement around the pipeline, when tree-sitter hangs redirections
  // written after the last stage on the whole pipeline (`cat x | grep y > out` is
  // redirected_statement(pipeline, > out)); the shell applies them to that stage only.
  void pipeline(uint32_t index, const Context& context, uint32_t redirected = kNoNode) {
    uint32_t end = children_end(index);
    uint32_t last_statement = end;
    for (uint32_t child = first_child(index); child < end; child = next(child)) {
      if (is_statement(kind(child))) last_statement = child;
    }
    for (uint32_t child = first_child(index); child < end; child = next(child)) {
      NodeKind child_kind = kind(child);
      if (child_kind == NodeKind::Bar || child_kind == NodeKind::BarAmpersand) {
        pending_ = Connector::Pipe;
      } else if (is_statement(child_kind)) {
        Context inner = context;
        if (child_kind == NodeKind::List) {
          inner.pipeline_head = true;
        } else {
          inner.in_pipeline = true;
        }
        inner.tail = context.tail && child == last_statement;
        if (child != last_statement || redirected == kNoNode) {
          statement(child, child_kind, inner);
        } else if (child_kind == NodeKind::Command) {
          // The stage's own redirections, as if written on a redirected command alone.
          DepthGuard guard(*this);
          if (guard.ok) command(child, inner, redirected);
        } else {
          redirected_stage(child, inner, redirected, context);
        }
      }
    }
  }

  // What every command inside a loop or group redirected by `redirected`'s own redirections gets:
  // those of the enclosing groups, then these (heredocs are the loop's or group's own input).
  std::vector<Redirection> redirections_for_group(uint32_t redirected, const Context& context) {
    std::vector<Redirection> inherited;
    if (context.inherited_redirections) inherited = *context.inherited_redirections;
    for (uint32_t part = first_child(redirected), end = children_end(redirected); part < end; part = next(part)) {
      if (!is_redirect(kind(part)) || kind(part) == NodeKind::HeredocRedirect) continue;
      Redirection redirection = redirection_of(part);
      redirection.from_enclosing_group = true;
      inherited.push_back(std::move(redirection));
    }
    return inherited;
  }

  // The last stage of a redirected pipeline when it is a loop or a group: every command in it gets
  // the redirections, as from an enclosing group.
  [[gnu::noinline]] void redirected_stage(uint32_t stage, const Context& inner, uint32_t redirected,
                                          const Context& context) {
    std::vector<Redirection> inherited = redirections_for_group(redirected, context);
    Context group = inner;
    group.inherited_redirections = &inherited;
    statement(stage, kind(stage), group);
    for (uint32_t part = first_child(redirected), end = children_end(redirected); part < end; part = next(part)) {
      if (is_redirect(kind(part))) scan_substitutions(part, context);
    }
  }

  void while_statement(uint32_t index, const Context& context) {
    bool endless = condition_never_changes(index);
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      Context inner = context;
      inner.tail = false;
      if (kind(child) == NodeKind::DoGroup) {
        inner.in_loop = true;
        inner.in_endless_loop = inner.in_endless_loop || endless;
        pending_ = Connector::Sequence;
        statements(child, inner);
      } else if (is_statement(kind(child))) {
        inner.in_condition = true;
        statement(child, kind(child), inner);
      }
    }
  }

  // The condition of a while/until loop is one statement whose outcome is fixed: `true`, `:`,
  // `[ 1 ]`, `[[ yes ]]`, `test 1` (one non-empty literal operand is always true) for `while`,
  // `false` for `until`. Read from the text, since `[ ]` is not a command in the model.
  bool condition_never_changes(uint32_t index) const {
    uint32_t condition = kNoNode;
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      if (kind(child) == NodeKind::DoGroup) break;
      if (!is_statement(kind(child))) continue;
      if (condition != kNoNode) return false;  // `while a; b; do`
      condition = child;
    }
    if (condition == kNoNode) return false;
    bool until = text_of(index).substr(0, 5) == "until";
    std::vector<std::string_view> words;
    std::string_view text = text_of(condition);
    for (size_t at = 0; at < text.size();) {
      while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
      size_t begin = at;
      while (at < text.size() && text[at] != ' ' && text[at] != '\t') ++at;
      if (at > begin) words.push_back(text.substr(begin, at - begin));
    }
    if (words.size() == 1) {
      std::string_view program = words.front().substr(words.front().rfind('/') + 1);
      return until ? program == "false" : (program == "true" || words.front() == ":");
    }
    if (until) return false;
    bool test = (words.size() == 3 && ((words[0] == "[" && words[2] == "]") || (words[0] == "[[" && words[2] == "]]"))) ||
                (words.size() == 2 && words[0] == "test");
    if (!test) return false;
    std::string_view operand = words[1];
    if (operand.size() >= 2 && (operand.front() == '"' || operand.front() == '\'') && operand.back() == operand.front())
      operand = operand.substr(1, operand.size() - 2);
    return !operand.empty() && operand.front() != '-' && operand.find_first_of("$`\"'") == std::string_view::npos;
  }

  void for_statement(uint32_t index, const Context& context) {
    Context inner = context;
    inner.tail = false;
    std::string_view variable;
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      if (kind(child) == NodeKind::DoGroup || kind(child) == NodeKind::CompoundStatement) {
        Context body = inner;
        body.in_loop = true;
        statements(child, body);
      } else if (field(child) == NodeField::Value) {
        // Each value the loop variable takes, as an assignment declared by `for`
        // (`for f in /docker-entrypoint.d/*.sh`: the start-up model runs the files it matches).
        if (!variable.empty() && kind(index) == NodeKind::ForStatement) {
          Assignment assignment;
          assignment.name = variable;
          assignment.value = word(child);
          assignment.span = span_of(child);
          assignment.declaration = "for";
          assignment.shell_string_depth = shell_string_depth_;
          out_.assignments.push_back(std::move(assignment));
        }
        scan_substitutions(child, inner);
      } else if (variable.empty() && named(child) && kind(child) != NodeKind::Comment) {
        variable = text_of(child);
      }
    }
  }

  void case_statement(uint32_t index, const Context& context) {
    std::string_view subject;
    auto first_of_statement = static_cast<uint32_t>(out_.case_branches.size());
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      if (kind(child) == NodeKind::CaseItem) {
        CaseBranch branch;
        branch.first_of_statement = first_of_statement;
        branch.subject = subject;
        for (uint32_t part = first_child(child), part_end = children_end(child); part < part_end; part = next(part))
          if (field(part) == NodeField::Value) branch.patterns.push_back(text_of(part));
        out_.case_branches.push_back(std::move(branch));
        Context item = context;
        item.in_branch = true;
        item.case_branch = static_cast<uint32_t>(out_.case_branches.size() - 1);
        pending_ = Connector::Sequence;
        statements(child, item);
      } else if (field(child) == NodeField::Value) {
        subject = text_of(child);
        scan_substitutions(child, context);
      }
    }
  }

  void function_definition(uint32_t index, const Context& context) {
    out_.defines_functions = true;
    Context inner = context;
    inner.tail = true;
    inner.tail_of_function = true;
    inner.background = false;
    uint32_t end = children_end(index);
    for (uint32_t child = first_child(index); child < end; child = next(child)) {
      if (field(child) == NodeField::Name) inner.function_name = text_of(child);
    }
    for (uint32_t child = first_child(index); child < end; child = next(child)) {
      if (field(child) != NodeField::Body) continue;
      Connector saved = pending_;
      pending_ = Connector::None;
      if (kind(child) == NodeKind::CompoundStatement || kind(child) == NodeKind::Subshell) {
        Context body = inner;
        body.in_subshell = kind(child) == NodeKind::Subshell;
        statements(child, body);
      } else {
        statement(child, kind(child), inner);
      }
      pending_ = saved;
    }
  }

  bool is_redirect(NodeKind redirect_kind) const {
    return redirect_kind == NodeKind::FileRedirect || redirect_kind == NodeKind::HeredocRedirect ||
           redirect_kind == NodeKind::HerestringRedirect;
  }

  // Text after a heredoc operator on its line (`cat <<EOF | sh`, `cat <<EOF && x`) is nested in
  // the heredoc redirect by the grammar.
  bool is_heredoc_trailer(uint32_t part) const {
    return kind(part) == NodeKind::Pipeline || field(part) == NodeField::Right || field(part) == NodeField::Operator;
  }

  void redirected_statement(uint32_t index, const Context& context) {
    uint32_t end = children_end(index);
    uint32_t body = kNoNode;
    bool has_trailing = false;
    bool trailing_pipe = false;
    for (uint32_t child = first_child(index); child < end; child = next(child)) {
      if (field(child) == NodeField::Body) {
        body = child;
      } else if (kind(child) == NodeKind::HeredocRedirect) {
        for (uint32_t part = first_child(child), part_end = children_end(child); part < part_end; part = next(part)) {
          if (!is_heredoc_trailer(part)) continue;
          has_trailing = true;
          if (kind(part) == NodeKind::Pipeline) trailing_pipe = true;
        }
      }
    }
    Context head = context;
    if (has_trailing) head.tail = false;
    if (trailing_pipe) head.in_pipeline = true;
    if (body != kNoNode && kind(body) == NodeKind::Command) {
      command(body, head, index);
    } else if (body != kNoNode && kind(body) == NodeKind::Pipeline) {
      DepthGuard guard(*this);
      if (guard.ok) pipeline(body, head, index);
    } else if (body != kNoNode && kind(body) == NodeKind::List) {
      DepthGuard guard(*this);
      if (guard.ok) list(body, head, index);
    } else if (body != kNoNode) {
      std::vector<Redirection> inherited = redirections_for_group(index, context);
      Context group = head;
      group.inherited_redirections = &inherited;
      statement(body, kind(body), group);
      for (uint32_t child = first_child(index); child < end; child = next(child)) {
        if (is_redirect(kind(child))) scan_substitutions(child, context);
      }
    }
    if (!has_trailing) return;
    for (uint32_t child = first_child(index); child < end; child = next(child)) {
      if (kind(child) != NodeKind::HeredocRedirect) continue;
      for (uint32_t part = first_child(child), part_end = children_end(child); part < part_end; part = next(part)) {
        if (!is_heredoc_trailer(part)) continue;
        NodeKind part_kind = kind(part);
        if (part_kind == NodeKind::AndAnd) {
          pending_ = Connector::And;
        } else if (part_kind == NodeKind::OrOr) {
          pending_ = Connector::Or;
        } else if (is_statement(part_kind)) {
          statement(part, part_kind, context);
        }
      }
    }
  }

  // --- commands ---------------------------------------------------------------------------------

  // The parts of a command that may hold substitutions, in the order they are scanned: its own
  // children (assignments, name, arguments, redirects, statements), then the redirects of the
  // redirected statement around it.
  template <typename Visit>
  void for_each_part(uint32_t index, uint32_t outer, Visit&& visit) {
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      NodeKind child_kind = kind(child);
      NodeField child_field = field(child);
      if (child_kind == NodeKind::VariableAssignment || child_field == NodeField::Name ||
          child_field == NodeField::Argument || child_field == NodeField::Redirect || is_statement(child_kind)) {
        visit(child, false);
      }
    }
    if (outer == kNoNode) return;
    for (uint32_t child = first_child(outer), end = children_end(outer); child < end; child = next(child)) {
      if (is_redirect(kind(child))) visit(child, true);
    }
  }

  // `outer`: the redirected statement around the command, or kNoNode.
  void command(uint32_t index, const Context& context, uint32_t outer) {
    // Built in place: nothing below adds a command before it is complete.
    auto command_index = static_cast<uint32_t>(out_.commands.size());
    Command& result = out_.commands.emplace_back();
    // Sized exactly: a command of up to WordList::kInPlace arguments then needs no allocation (and
    // one of no more children than that cannot have more arguments: they are not counted).
    if (node(index).child_count > WordList::kInPlace) {
      uint32_t argument_count = 0;
      for (uint32_t child = first_child(index), child_end = children_end(index); child < child_end; child = next(child)) {
        argument_count += field(child) == NodeField::Argument;
      }
      result.arguments.reserve(argument_count);
    }
    uint32_t end = node(index).end;
    auto add_redirect = [&](uint32_t redirect) {
      if (kind(redirect) == NodeKind::HeredocRedirect) {
        for (uint32_t part = first_child(redirect), part_end = children_end(redirect); part < part_end; part = next(part)) {
          if (kind(part) == NodeKind::HeredocStart) end = std::max(end, node(part).end);
          if (kind(part) == NodeKind::FileRedirect || kind(part) == NodeKind::HerestringRedirect) {
            result.redirections.push_back(redirection_of(part));
            end = std::max(end, node(part).end);
          }
        }
        return;
      }
      result.redirections.push_back(redirection_of(redirect));
      end = std::max(end, node(redirect).end);
    };
    // A remembered line that holds the command's first byte (span_of keeps the line of the last
    // word placed: the name's, or the line before), for the span of a command written over several
    // lines.
    uint32_t command_begin = node(index).begin;
    LineRange begin_line;
    // The heredocs are the heredoc redirects among the parts for_each_part visits, in its order:
    // taken in the same passes.
    for (uint32_t child = first_child(index), child_end = children_end(index); child < child_end; child = next(child)) {
      NodeKind child_kind = kind(child);
      NodeField child_field = field(child);
      if (child_kind == NodeKind::VariableAssignment) {
        result.environment.push_back(assignment(child, ""));
        continue;
      }
      if (child_field == NodeField::Name) {
        result.name = word(child);
        if (same_line_.holds_begin(command_begin)) begin_line = same_line_;
      } else if (child_field == NodeField::Argument) {
        result.arguments.push_back(word(child));
      } else if (child_field == NodeField::Redirect) {
        add_redirect(child);
      } else {
        continue;
      }
      if (child_kind == NodeKind::HeredocRedirect) result.heredocs.push_back(heredoc_of(child));
    }
    if (outer != kNoNode) {
      for (uint32_t child = first_child(outer), child_end = children_end(outer); child < child_end; child = next(child)) {
        if (!is_redirect(kind(child))) continue;
        add_redirect(child);
        if (kind(child) == NodeKind::HeredocRedirect) result.heredocs.push_back(heredoc_of(child));
      }
    }
    if (context.inherited_redirections) {
      result.redirections.insert(result.redirections.end(), context.inherited_redirections->begin(),
                                 context.inherited_redirections->end());
    }
    // Its first byte on an earlier line than its last, each on a remembered line: the positions
    // there are those span_of would find, after a search for the first (multi-line commands' spans
    // cost 0.9 M instructions on the 997 Dockerfiles). An end in a later piece than the beginning
    // is mapped through the piece holding its last byte, as TextMap::span_of does.
    if (begin_line.holds_begin(command_begin) && same_line_.holds_end(end) && same_line_.line > begin_line.line &&
        begin_line.piece <= same_line_.piece) {
      result.span = {begin_line.position(command_begin), same_line_.position(end)};
    } else {
      result.span = span_of(command_begin, end);
    }
    apply(context, result);
    remember_chain(result);
    // `set` or `/bin/set`: only a name ending in "set" is worth program_name's search for a slash.
    std::string_view name = out_.commands[command_index].name.value;
    if (name.ends_with("set") && program_name(out_.commands[command_index].name) == "set") shell_options(command_index);

    Context inner = context;
    inner.parent = command_index;
    inner.tail = false;
    inner.in_pipeline = false;
    inner.inherited_redirections = nullptr;
    if (holds_substitution(outer == kNoNode ? index : outer)) {
      for_each_part(index, outer, [&](uint32_t part, bool) { scan_substitutions(part, inner); });
    }
    parse_shell_string(command_index, index, context);
    parse_shell_input(command_index, context);
  }

  void apply(const Context& context, Command& command) {
    command.connector = pending_;
    pending_ = Connector::None;
    command.background = context.background;
    command.background_job = context.background ? context.background_job : kNoParent;
    command.in_pipeline = context.in_pipeline;
    command.in_condition = context.in_condition;
    command.in_branch = context.in_branch;
    command.case_branch = context.case_branch;
    command.if_branch = context.if_branch;
    command.in_loop = context.in_loop;
    command.in_endless_loop = context.in_endless_loop;
    command.in_subshell = context.in_subshell;
    command.in_command_substitution = context.in_command_substitution;
    command.in_process_substitution = context.in_process_substitution;
    command.function_name = context.function_name;
    command.ends_script = context.tail && !context.tail_of_function;
    command.ends_function = context.tail && context.tail_of_function;
    command.parent = context.parent;
    command.nesting = context.nesting;
    command.shell_string_depth = shell_string_depth_;
  }

  // `export A=1 B`, `local -r x=$(y)`, `unset A`: a command named by the builtin, plus the
  // assignments it declares.
  void declaration(uint32_t index, const Context& context) {
    Command result;
    bool has_name = false;
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      if (!has_name && !named(child)) {
        result.name = literal_word(child);
        has_name = true;
        continue;
      }
      if (kind(child) == NodeKind::Comment) continue;
      result.arguments.push_back(word(child));
      if (kind(child) == NodeKind::VariableAssignment && kind(index) == NodeKind::DeclarationCommand) {
        out_.assignments.push_back(assignment(child, result.name.value));
      }
    }
    result.span = span_of(index);
    apply(context, result);
    auto command_index = static_cast<uint32_t>(out_.commands.size());
    out_.commands.push_back(std::move(result));
    remember_chain(out_.commands[command_index]);
    Context inner = context;
    inner.parent = command_index;
    inner.tail = false;
    inner.in_pipeline = false;
    scan_substitutions(index, inner);
  }

  // `sh -c "..."`: the string is shell too. Parsed with a map into the string literal, so its
  // commands land on the file's columns.
  void parse_shell_string(uint32_t command_index, uint32_t syntax_node, const Context& context) {
    if (!may_run_shell_string(out_.commands[command_index])) return;
    if (shell_string_depth_ >= kMaxShellStringDepth) {
      if (effective_command(out_.commands[command_index]).shell_string) out_.truncated = true;
      return;
    }
    const Command& command = out_.commands[command_index];
    const Word* string = effective_command(command).shell_string;
    if (!string) return;
    size_t position = string == &command.name ? 0 : static_cast<size_t>(string - command.arguments.data()) + 1;
    // The word's node: the name, then the arguments, in order.
    uint32_t word_node = kNoNode;
    size_t seen = 0;
    for (uint32_t child = first_child(syntax_node), end = children_end(syntax_node); child < end; child = next(child)) {
      if (field(child) != NodeField::Name && field(child) != NodeField::Argument) continue;
      if (seen++ == position) {
        word_node = child;
        break;
      }
    }
    if (word_node == kNoNode) return;
    TextMap inner_map;
    ValueBuilder builder(text_, map_, &inner_map, scratch_);
    decode(word_node, builder, nullptr);
    walk_nested_script(command_index, inner_map, context);
  }

  // `bash <<EOF`, `sh -eux <<'EOF'` (a Dockerfile's `RUN <<EOF bash`): a shell given no script
  // operand reads its script from standard input, here the heredoc, so the body is shell too and is
  // walked like a `sh -c` string. The outer shell would first expand an unquoted body; the text as
  // written is what the script's author reads, and what rules see.
  void parse_shell_input(uint32_t command_index, const Context& context) {
    const Command& command = out_.commands[command_index];
    if (command.heredocs.size() != 1 || !reads_script_from_input(command)) return;
    if (shell_string_depth_ >= kMaxShellStringDepth) {
      out_.truncated = true;
      return;
    }
    TextMap body = command.heredocs.front().body;  // a copy: out_.commands grows during the walk
    walk_nested_script(command_index, body, context);
  }

  // Whether `command` is a shell reading its script from standard input: options only (`-e`,
  // `-o pipefail`, `--norc`), or `-s` / `-` and then the script's positional parameters.
  static bool reads_script_from_input(const Command& command) {
    EffectiveCommand effective = effective_command(command);
    if (!effective.program || effective.shell_string || effective.program->has_expansion) return false;
    if (!is_shell(effective.program_name())) return false;
    for (size_t i = 0; i < effective.arguments.size(); ++i) {
      const Word& argument = effective.arguments[i];
      std::string_view value = argument.value;
      if (argument.has_expansion) return false;
      if (value == "-s" || value == "-") return true;
      if (value.size() < 2 || (value[0] != '-' && value[0] != '+') || value == "--") return false;  // a script file
      if (value[0] == '-' && value[1] != '-' && value.find('c') != std::string_view::npos) return false;  // -c
      if (value == "-o" || value == "+o" || value == "-O" || value == "+O") ++i;  // the option's name
    }
    return true;
  }

  // Walks `script` (the string of `sh -c`, the heredoc of `bash <<EOF`) as commands nested in
  // `command_index`, one shell level deeper, on the file's lines and columns.
  void walk_nested_script(uint32_t command_index, const TextMap& script, const Context& context) {
    Context inner;
    inner.background = context.background;
    inner.in_condition = context.in_condition;
    inner.in_branch = context.in_branch;
    inner.case_branch = context.case_branch;
    inner.if_branch = context.if_branch;
    inner.in_loop = context.in_loop;
    inner.in_endless_loop = context.in_endless_loop;
    inner.in_subshell = context.in_subshell;
    inner.in_command_substitution = context.in_command_substitution;
    inner.in_process_substitution = context.in_process_substitution;
    inner.function_name = context.function_name;
    inner.tail = true;
    inner.tail_of_function = false;
    inner.parent = command_index;
    inner.nesting = Nesting::ShellString;
    Walker nested(file_, script, out_, shell_string_depth_ + 1, front_end_);
    nested.depth_ = depth_;
    nested.record_if_branches_ = record_if_branches_;
    nested.run(inner);
  }

  void shell_options(uint32_t index) {
    static const std::unordered_map<char, std::string_view> letters = {
        {'a', "allexport"}, {'b', "notify"},     {'e', "errexit"},   {'f', "noglob"},     {'h', "hashall"},
        {'k', "keyword"},   {'m', "monitor"},    {'n', "noexec"},    {'p', "privileged"}, {'t', "onecmd"},
        {'u', "nounset"},   {'v', "verbose"},    {'x', "xtrace"},    {'B', "braceexpand"}, {'C', "noclobber"},
        {'E', "errtrace"},  {'H', "histexpand"}, {'P', "physical"},  {'T', "functrace"},
    };
    const WordList& arguments = out_.commands[index].arguments;
    for (size_t i = 0; i < arguments.size(); ++i) {
      const Word& argument = arguments[i];
      std::string_view value = argument.value;
      if (argument.has_expansion || value.size() < 2 || (value[0] != '-' && value[0] != '+') || value == "--") break;
      bool enabled = value[0] == '-';
      bool takes_name = false;
      for (char letter : value.substr(1)) {
        if (letter == 'o') {
          takes_name = true;
        } else if (auto found = letters.find(letter); found != letters.end()) {
          out_.options.push_back({found->second, enabled, argument.span, index});
        }
      }
      if (takes_name && i + 1 < arguments.size()) {
        ++i;
        out_.options.push_back({arguments[i].value, enabled, arguments[i].span, index});
      }
    }
  }

  // --- substitutions ----------------------------------------------------------------------------

  // Finds `$( )`, backticks and `<( )` in a word, expression or redirection, and walks the commands
  // inside as nested in context.parent.
  void scan_substitutions(uint32_t index, const Context& context) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    NodeKind node_kind = kind(index);
    if (node_kind == NodeKind::CommandSubstitution || node_kind == NodeKind::ProcessSubstitution) {
      Context inner = context;
      inner.tail = false;
      inner.in_pipeline = false;
      inner.inherited_redirections = nullptr;
      inner.nesting = node_kind == NodeKind::CommandSubstitution ? Nesting::CommandSubstitution
                                                                 : Nesting::ProcessSubstitution;
      if (node_kind == NodeKind::CommandSubstitution) inner.in_command_substitution = true;
      if (node_kind == NodeKind::ProcessSubstitution) inner.in_process_substitution = true;
      Connector saved = pending_;
      pending_ = Connector::None;
      statements(index, inner);
      pending_ = saved;
      return;
    }
    if (!holds_substitution(index)) return;
    uint32_t end = children_end(index);
    if (node_kind == NodeKind::HeredocRedirect) {
      // A quoted delimiter turns expansion off in the body.
      bool quoted = false;
      for (uint32_t child = first_child(index); child < end; child = next(child)) {
        if (kind(child) == NodeKind::HeredocStart) quoted = text_of(child).find_first_of("'\"\\") != std::string_view::npos;
      }
      for (uint32_t child = first_child(index); child < end; child = next(child)) {
        if (kind(child) == NodeKind::HeredocBody && quoted) continue;
        if (kind(child) == NodeKind::Pipeline || is_statement(kind(child))) continue;  // walked as statements
        scan_substitutions(child, context);
      }
      return;
    }
    for (uint32_t child = first_child(index); child < end; child = next(child)) scan_substitutions(child, context);
  }

  // --- words ------------------------------------------------------------------------------------

  Word word(uint32_t index) {
    Word result;
    result.text = text_of(index);
    result.span = span_of(index);
    // Most words are a bare word (or a command name holding just one): the value is the text.
    uint32_t plain = index;
    while (kind(plain) == NodeKind::CommandName && node(plain).child_count == 1 &&
           node(plain + 1).begin == node(plain).begin && node(plain + 1).end == node(plain).end) {
      ++plain;
    }
    if (kind(plain) == NodeKind::Word && node(plain).child_count == 0 &&
        result.text.find('\\') == std::string_view::npos) {
      result.value = result.text;
      return result;
    }
    ValueBuilder builder(text_, map_, nullptr, scratch_);
    decode(index, builder, &result.has_expansion);
    result.value = builder.take(*out_.storage);
    return result;
  }

  Word literal_word(uint32_t index) {
    Word result;
    result.text = text_of(index);
    result.value = result.text;
    result.span = span_of(index);
    return result;
  }

  // Quote removal and escapes; expansions are kept as written.
  void decode(uint32_t index, ValueBuilder& out, bool* has_expansion) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    NodeKind node_kind = kind(index);
    uint32_t begin = node(index).begin, end = node(index).end;
    uint32_t children = children_end(index);
    switch (node_kind) {
      case NodeKind::RawString:
        // 'text': everything between the quotes, as is.
        if (end - begin >= 2 && text_[end - 1] == '\'') {
          out.copy(begin + 1, end - 1);
        } else {
          out.copy(begin + 1, end);
        }
        return;
      case NodeKind::String:
      case NodeKind::TranslatedString: {
        uint32_t open = begin + (text_[begin] == '$' ? 2 : 1);
        uint32_t close = end > open && text_[end - 1] == '"' ? end - 1 : end;
        if (node_kind == NodeKind::TranslatedString) {
          // $"..." holds a string node.
          for (uint32_t child = first_child(index); child < children; child = next(child)) {
            if (kind(child) == NodeKind::String) decode(child, out, has_expansion);
          }
          return;
        }
        uint32_t at = open;
        std::string_view inside = text_.substr(open, close - open);
        // Two memchr calls: the byte-by-byte test of each character cost more on the strings of RUN
        // bodies.
        if (inside.find('$') == std::string_view::npos && inside.find('`') == std::string_view::npos) {
          double_quoted(open, close, out);
          return;
        }
        for (uint32_t child = first_child(index); child < children; child = next(child)) {
          uint32_t child_begin = node(child).begin, child_end = node(child).end;
          if (!is_expansion(kind(child)) || child_begin < open || child_end > close) continue;
          double_quoted(at, child_begin, out);
          if (has_expansion) *has_expansion = true;
          out.copy(child_begin, child_end);
          at = child_end;
        }
        double_quoted(at, close, out);
        return;
      }
      case NodeKind::AnsiCString:
        ansi_c(begin, end, out);
        return;
      case NodeKind::SimpleExpansion:
      case NodeKind::Expansion:
      case NodeKind::CommandSubstitution:
      case NodeKind::ProcessSubstitution:
      case NodeKind::ArithmeticExpansion:
      case NodeKind::BraceExpression:
        if (has_expansion) *has_expansion = true;
        out.copy(begin, end);
        return;
      default:
        break;
    }
    // A word, a concatenation, a command name: the gaps between named children are unquoted text;
    // anonymous tokens stay part of the gaps.
    uint32_t at = begin;
    for (uint32_t child = first_child(index); child < children; child = next(child)) {
      uint32_t child_begin = node(child).begin;
      if (child_begin < at || !named(child)) continue;
      unquoted(at, child_begin, out);
      decode(child, out, has_expansion);
      at = node(child).end;
    }
    unquoted(at, end, out);
  }

  // The first backslash in [from, end) with a character after it, else end. Found with memchr:
  // a byte-by-byte loop over each quoted string cost 0.6 M instructions on the 997 Dockerfiles.
  uint32_t next_backslash(uint32_t from, uint32_t end) const {
    if (from + 1 >= end) return end;
    const void* found = std::memchr(text_.data() + from, '\\', end - 1 - from);
    return found ? static_cast<uint32_t>(static_cast<const char*>(found) - text_.data()) : end;
  }

  // Unquoted text: a backslash keeps the next character literally; backslash-newline vanishes.
  void unquoted(uint32_t begin, uint32_t end, ValueBuilder& out) {
    uint32_t run = begin;
    for (uint32_t i = next_backslash(begin, end); i < end; i = next_backslash(i + 2, end)) {
      out.copy(run, i);
      run = text_[i + 1] == '\n' ? i + 2 : i + 1;
    }
    out.copy(run, end);
  }

  // Inside double quotes a backslash escapes only $ ` " \ and newline.
  void double_quoted(uint32_t begin, uint32_t end, ValueBuilder& out) {
    uint32_t run = begin;
    for (uint32_t i = next_backslash(begin, end); i < end;) {
      char next = text_[i + 1];
      if (next != '$' && next != '`' && next != '"' && next != '\\' && next != '\n') {
        i = next_backslash(i + 1, end);
        continue;
      }
      out.copy(run, i);
      run = next == '\n' ? i + 2 : i + 1;
      i = next_backslash(i + 2, end);
    }
    out.copy(run, end);
  }

  // $'...': C escapes.
  void ansi_c(uint32_t begin, uint32_t end, ValueBuilder& out) {
    uint32_t open = begin + 2;
    uint32_t close = end > open && text_[end - 1] == '\'' ? end - 1 : end;
    uint32_t run = open;
    for (uint32_t i = open; i < close; ++i) {
      if (text_[i] != '\\' || i + 1 >= close) continue;
      out.copy(run, i);
      char next = text_[i + 1];
      uint32_t consumed = 2;
      std::string replacement;
      switch (next) {
        case 'n': replacement = "\n"; break;
        case 't': replacement = "\t"; break;
        case 'r': replacement = "\r"; break;
        case 'a': replacement = "\a"; break;
        case 'b': replacement = "\b"; break;
        case 'e':
        case 'E': replacement = "\x1b"; break;
        case 'f': replacement = "\f"; break;
        case 'v': replacement = "\v"; break;
        case 'x': {
          int value = 0, digits = 0;
          while (digits < 2 && i + 2 + digits < close && hex_digit(text_[i + 2 + digits]) >= 0) {
            value = value * 16 + hex_digit(text_[i + 2 + digits]);
            ++digits;
          }
          if (digits == 0) {
            replacement = "\\x";
          } else {
            replacement = std::string(1, static_cast<char>(value));
            consumed += digits;
          }
          break;
        }
        default:
          if (next >= '0' && next <= '7') {
            int value = 0, digits = 0;
            while (digits < 3 && i + 1 + digits < close && text_[i + 1 + digits] >= '0' && text_[i + 1 + digits] <= '7') {
              value = value * 8 + (text_[i + 1 + digits] - '0');
              ++digits;
            }
            replacement = std::string(1, static_cast<char>(value));
            consumed = 1 + digits;
          } else {
            // \\ \' \" \? and unknown escapes: the character itself.
            out.copy(i + 1, i + 2);
            run = i + 2;
            ++i;
            continue;
          }
      }
      out.insert(replacement, i);
      run = i + consumed;
      i += consumed - 1;
    }
    out.copy(run, close);
  }

  Assignment assignment(uint32_t index, std::string_view declaration) {
    Assignment result;
    result.span = span_of(index);
    result.declaration = declaration;
    result.shell_string_depth = shell_string_depth_;
    uint32_t value_at = node(index).end;
    bool has_value = false;
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      if (field(child) == NodeField::Name) {
        result.name = text_of(child);
      } else if (kind(child) == NodeKind::PlusEquals) {
        result.appends = true;
        value_at = node(child).end;
      } else if (!named(child)) {
        value_at = node(child).end;  // `=`
      } else if (field(child) == NodeField::Value) {
        result.value = word(child);
        has_value = true;
      }
    }
    if (!has_value) result.value.span = span_of(value_at, value_at);
    return result;
  }

  Redirection redirection_of(uint32_t index) {
    Redirection result;
    result.span = span_of(index);
    bool has_descriptor = false;
    bool target_set = false;
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      if (field(child) == NodeField::Descriptor || kind(child) == NodeKind::FileDescriptor) {
        std::string_view digits = text_of(child);
        int value = -1;
        auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        result.descriptor = error == std::errc() && ptr == digits.data() + digits.size() ? value : -1;
        has_descriptor = true;
      } else if (!named(child)) {
        result.operator_text = text_of(child);
      } else if (!target_set && kind(child) != NodeKind::Comment) {
        result.target = word(child);
        target_set = true;
      }
    }
    std::string_view op = result.operator_text;
    bool numeric_target = !result.target.value.empty() &&
                          std::all_of(result.target.value.begin(), result.target.value.end(),
                                      [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    int default_descriptor = 1;
    if (kind(index) == NodeKind::HerestringRedirect) {
      result.kind = RedirectionKind::HereString;
      default_descriptor = 0;
    } else if (op == "<") {
      result.kind = RedirectionKind::Input;
      default_descriptor = 0;
    } else if (op == ">>") {
      result.kind = RedirectionKind::Append;
    } else if (op == "&>") {
      result.kind = RedirectionKind::OutputAndError;
    } else if (op == "&>>") {
      result.kind = RedirectionKind::AppendOutputAndError;
    } else if (op == "<>") {
      result.kind = RedirectionKind::ReadWrite;
      default_descriptor = 0;
    } else if (op == ">&" || op == ">&-") {
      result.kind = numeric_target || op == ">&-" || has_descriptor ? RedirectionKind::DuplicateOutput
                                                                   : RedirectionKind::OutputAndError;
    } else if (op == "<&" || op == "<&-") {
      result.kind = RedirectionKind::DuplicateInput;
      default_descriptor = 0;
    } else {
      result.kind = RedirectionKind::Output;  // > and >|
    }
    if (!has_descriptor) result.descriptor = default_descriptor;
    return result;
  }

  Heredoc heredoc_of(uint32_t index) {
    Heredoc result;
    uint32_t operator_begin = node(index).begin;
    uint32_t operator_end = operator_begin;
    uint32_t body_begin = 0, body_end = 0;
    bool has_body = false, has_end = false;
    for (uint32_t child = first_child(index), end = children_end(index); child < end; child = next(child)) {
      std::string_view token = text_of(child);
      if (!named(child) && (token == "<<" || token == "<<-")) {
        result.strip_tabs = token == "<<-";
      } else if (kind(child) == NodeKind::HeredocStart) {
        operator_end = node(child).end;
        result.quoted = token.find_first_of("'\"\\") != std::string_view::npos;
        for (char c : token) {
          if (c != '\'' && c != '"' && c != '\\') result.delimiter += c;
        }
      } else if (kind(child) == NodeKind::HeredocBody) {
        body_begin = node(child).begin;
        body_end = node(child).end;
        has_body = true;
      } else if (kind(child) == NodeKind::HeredocEnd) {
        body_end = node(child).begin;
        if (!has_body) body_begin = body_end;
        has_body = true;
        has_end = true;
      }
    }
    result.operator_span = span_of(operator_begin, operator_end);
    result.terminated = has_end;
    if (has_body) {
      // The body ends with the line break before the delimiter line (whose tabs `<<-` strips).
      if (has_end) {
        while (body_end > body_begin && text_[body_end - 1] != '\n') --body_end;
      }
      size_t line = body_begin;
      while (line < body_end) {
        size_t next_line = text_.find('\n', line);
        next_line = next_line == std::string_view::npos || next_line >= body_end ? body_end : next_line + 1;
        size_t content = line;
        if (result.strip_tabs) {
          while (content < next_line && text_[content] == '\t') ++content;
        }
        append_mapped(result.body, map_, content, next_line);
        line = next_line;
      }
      result.body_span = span_of(body_begin, body_end);
    }
    return result;
  }

  const SourceFile& file_;
  const TextMap& map_;
  std::string_view text_;
  Script& out_;
  uint32_t shell_string_depth_;
  ShellFrontEnd front_end_;
  Trees& trees_;
  // The tree walked: trees_.tree, or a tree kept in the cache (held by cached_tree_).
  const SyntaxTree* tree_;
  std::shared_ptr<const CachedTree> cached_tree_;
  uint32_t depth_ = 0;
  Connector pending_ = Connector::None;
  std::string scratch_;  // a value being built (ValueBuilder)
  mutable size_t piece_hint_ = 0;  // the piece of map_ the last span_of was in
  // The file line of the last position_at answer: file offsets [line_begin_, line_end_).
  mutable size_t line_begin_ = 0;
  mutable size_t line_end_ = 0;
  mutable uint32_t line_number_ = 0;
  // The text offsets whose ranges span_of places without a search: on the line of the last range
  // placed, and on the line after it. Empty until a range was placed.
  mutable LineRange same_line_;
  mutable LineRange next_line_;
  mutable bool next_line_known_ = false;  // next_line_ follows same_line_
};

}  // namespace

ShellParseStatistics& thread_statistics() {
  thread_local ShellParseStatistics statistics;
  return statistics;
}

Script parse_shell(const SourceFile& file, const TextMap& text, IfBranches if_branches) {
  Script script;
  Walker walker(file, text, script, 0, ShellFrontEnd::Automatic);
  walker.record_if_branches_ = if_branches == IfBranches::Recorded;
  Context context;
  context.tail = true;
  walker.run(context);
  mark_optional_wrapper_names(script);
  return script;
}

std::optional<Script> parse_shell_with(const SourceFile& file, const TextMap& text, ShellFrontEnd front_end) {
  Script script;
  Walker walker(file, text, script, 0, front_end);
  Context context;
  context.tail = true;
  if (!walker.run(context)) return std::nullopt;
  mark_optional_wrapper_names(script);
  return script;
}

Script parse_shell_file(const SourceFile& file) {
  return parse_shell(file, text_map_of_range(file, 0, file.text().size()));
}

TextMap exec_form_text(std::span<const ExecWord> words) {
  TextMap text;
  for (const ExecWord& word : words) {
    if (!text.empty()) text.append_inserted(" ", word.file_begin);
    text.append_inserted("'", word.file_begin);
    std::string_view value = word.value.text();
    size_t run = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] != '\'') continue;
      append_mapped(text, word.value, run, i);
      text.append_inserted("'\\''", word.value.file_offset(i));
      run = i + 1;
    }
    append_mapped(text, word.value, run, value.size());
    text.append_inserted("'", word.file_end);
  }
  return text;
}

Script parse_exec_form(const SourceFile& file, std::span<const ExecWord> words) {
  TextMap text = exec_form_text(words);
  if (text.empty()) return {};
  return parse_shell(file, text);
}

TextMap text_map_of_range(const SourceFile& file, size_t begin, size_t end) {
  TextMap map;
  end = std::min(end, file.text().size());
  if (begin < end) map.append_copy(file.text().substr(begin, end - begin), begin);
  return map;
}

void append_mapped(TextMap& to, const TextMap& from, size_t begin, size_t end) {
  const auto& pieces = from.pieces();
  end = std::min(end, from.text().size());
  if (begin >= end) return;
  auto piece = std::upper_bound(pieces.begin(), pieces.end(), begin,
                                [](size_t offset, const TextMap::Piece& p) { return offset < p.text_offset; });
  if (piece != pieces.begin()) --piece;
  std::string_view text = from.text();
  for (; piece != pieces.end() && piece->text_offset < end; ++piece) {
    size_t piece_end = static_cast<size_t>(piece->text_offset) + piece->length;
    size_t from_begin = std::max<size_t>(begin, piece->text_offset);
    size_t from_end = std::min(end, piece_end);
    if (from_begin >= from_end) continue;
    std::string_view part = text.substr(from_begin, from_end - from_begin);
    if (piece->inserted) {
      to.append_inserted(part, piece->file_offset);
    } else {
      to.append_copy(part, piece->file_offset + (from_begin - piece->text_offset));
    }
  }
}

}  // namespace shiftlint::shell
