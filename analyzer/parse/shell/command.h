#pragma once
// What a shell script does, as rules need it: a flat list of simple commands in source order, each
// with its words, prefixed environment, redirections, heredocs and the context it runs in.
//
// The same shape comes out of a Dockerfile RUN body, an entrypoint script, an .ebextensions
// `commands:` block scalar, a platform hook or a Kubernetes `sh -c` string: rules never see the tree
// the grammar produced. Every span points into the file the text came from (through the TextMap the
// caller built), including the commands found inside a `sh -c "..."` string.
//
// Pointers handed out by the helpers (effective_command, package installs, ...) point into a
// Script's vectors: they stay valid while the Script lives (moving it is fine, copying is not).
//
// Text (a word as written and its value, names, operators) is held as string_views into the
// Script's TextStorage: the parsed text itself, plus a copy of each value that quote removal or
// escapes changed. They stay valid while the Script or any copy of it lives.
#include <atomic>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::shell {

// The characters a Script's string_views point into: appended, never moved or freed before the
// storage is (it grows by whole blocks).
class TextStorage {
 public:
  TextStorage() = default;
  TextStorage(const TextStorage&) = delete;
  TextStorage& operator=(const TextStorage&) = delete;
  // A copy of `text` that lives as long as the storage.
  std::string_view keep(std::string_view text);
  size_t bytes() const { return bytes_; }  // of its blocks

 private:
  size_t bytes_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;
  size_t left_ = 0;
  size_t next_block_ = 256;
};

// One word of a command line.
struct Word {
  // As written, quotes and all: `"$HOME/x"`, `'a b'`.
  std::string_view text;
  // After quote removal and backslash escapes; expansions are kept as written: `'a b'` → `a b`,
  // `"$HOME/x"` → `$HOME/x`, `\*` → `*`.
  std::string_view value;
  // Holds a parameter, command, arithmetic or brace expansion: `value` is not what the program will
  // receive, only what was written.
  bool has_expansion = false;
  Span span;

  bool is_literal() const { return !has_expansion; }
  bool empty() const { return span.empty(); }
};

// A command's arguments: a vector of Words that keeps the first few in place, so that the common
// command (`rm -rf /var/lib/apt/lists/*`, `chmod +x /entrypoint.sh`) costs no allocation of its
// own. Contiguous, with pointer iterators: a std::span<const Word> views it.
class WordList {
 public:
  static constexpr uint32_t kInPlace = 4;

  WordList() = default;
  WordList(const WordList& other) { assign(other.begin(), other.end()); }
  WordList(WordList&& other) noexcept { take(other); }
  WordList& operator=(const WordList& other) {
    if (this != &other) assign(other.begin(), other.end());
    return *this;
  }
  WordList& operator=(WordList&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~WordList() { release(); }

  Word* begin() { return data(); }
  Word* end() { return data() + size_; }
  const Word* begin() const { return data(); }
  const Word* end() const { return data() + size_; }
  Word* data() { return heap_ ? heap_ : in_place(); }
  const Word* data() const { return heap_ ? heap_ : in_place(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Word& operator[](size_t index) { return data()[index]; }
  const Word& operator[](size_t index) const { return data()[index]; }
  Word& front() { return data()[0]; }
  const Word& front() const { return data()[0]; }
  Word& back() { return data()[size_ - 1]; }
  const Word& back() const { return data()[size_ - 1]; }

  void reserve(size_t capacity) {
    if (capacity > capacity_) grow(capacity);
  }
  void push_back(const Word& word) {
    if (size_ == capacity_) grow(static_cast<size_t>(capacity_) * 2);
    new (data() + size_) Word(word);
    ++size_;
  }
  template <typename... Arguments>
  Word& emplace_back(Arguments&&... arguments) {
    if (size_ == capacity_) grow(static_cast<size_t>(capacity_) * 2);
    Word* word = new (data() + size_) Word{std::forward<Arguments>(arguments)...};
    ++size_;
    return *word;
  }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }

 private:
  static_assert(std::is_trivially_copyable_v<Word> && std::is_trivially_destructible_v<Word>);
  Word* in_place() { return reinterpret_cast<Word*>(storage_); }
  const Word* in_place() const { return reinterpret_cast<const Word*>(storage_); }
  void assign(const Word* first, const Word* last) {
    size_ = 0;
    reserve(static_cast<size_t>(last - first));
    if (first != last) std::memcpy(static_cast<void*>(data()), first, static_cast<size_t>(last - first) * sizeof(Word));
    size_ = static_cast<uint32_t>(last - first);
  }
  void grow(size_t capacity) {
    Word* bigger = static_cast<Word*>(::operator new(capacity * sizeof(Word)));
    if (size_ > 0) std::memcpy(static_cast<void*>(bigger), data(), size_ * sizeof(Word));
    release();
    heap_ = bigger;
    capacity_ = static_cast<uint32_t>(capacity);
  }
  void release() {
    if (heap_) ::operator delete(heap_);
    heap_ = nullptr;
    capacity_ = kInPlace;
  }
  void take(WordList& other) {
    size_ = other.size_;
    if (other.heap_) {
      heap_ = other.heap_;
      capacity_ = other.capacity_;
      other.heap_ = nullptr;
      other.capacity_ = kInPlace;
    } else if (size_ > 0) {
      std::memcpy(static_cast<void*>(in_place()), other.in_place(), size_ * sizeof(Word));
    }
    other.size_ = 0;
  }

  Word* heap_ = nullptr;  // null while the words fit in storage_
  uint32_t size_ = 0;
  uint32_t capacity_ = kInPlace;
  alignas(Word) unsigned char storage_[kInPlace * sizeof(Word)];
};

// `NAME=value`: a prefix of a command (`TZ=UTC date`), a statement (`X=1`), or part of a declaration
// (`export X=1`, `local -r X=1`).
struct Assignment {
  std::string_view name;
  Word value;
  Span span;  // the whole `NAME=value`
  // The declaring builtin: "export", "declare", "local", "readonly", "typeset"; "for" for each
  // value a for loop's variable takes (`for f in /etc/init.d/*.sh`); empty for a plain assignment
  // or a command prefix.
  std::string_view declaration;
  bool appends = false;  // `NAME+=value`
  uint32_t shell_string_depth = 0;
};

enum class RedirectionKind : uint8_t {
  Input,                 // < file
  Output,                // > file, >| file
  Append,                // >> file
  OutputAndError,        // &> file, >& file (a file, not a descriptor number)
  AppendOutputAndError,  // &>> file
  ReadWrite,             // <> file
  DuplicateOutput,       // 2>&1, >&2, 1>&-
  DuplicateInput,        // 0<&3
  HereString,            // <<< word
};

struct Redirection {
  RedirectionKind kind = RedirectionKind::Output;
  // The descriptor redirected: as written (`2>`), else the operator's default (0 for input, 1 for
  // output). -1 when written as `{var}>`.
  int descriptor = 1;
  std::string_view operator_text;  // ">", ">>", ">&", "&>", ...
  // The file, the descriptor number (`1` in `2>&1`) or the here-string.
  Word target;
  Span span;  // the whole redirection
  // Written on an enclosing group and inherited: `{ a; b; } > log` gives both commands the `> log`.
  bool from_enclosing_group = false;

  // Opens `target` as a file for writing.
  bool writes_file() const {
    return kind == RedirectionKind::Output || kind == RedirectionKind::Append ||
           kind == RedirectionKind::OutputAndError || kind == RedirectionKind::AppendOutputAndError ||
           kind == RedirectionKind::ReadWrite;
  }
  bool appends() const {
    return kind == RedirectionKind::Append || kind == RedirectionKind::AppendOutputAndError;
  }
};

// `<<EOF` ... `EOF` attached to a command.
struct Heredoc {
  std::string delimiter;  // without quotes
  bool quoted = false;    // `<<'EOF'`, `<<"EOF"`, `<<\EOF`: the body is not expanded
  bool strip_tabs = false;  // `<<-EOF`: leading tabs are removed from every line (already done in `body`)
  Span operator_span;       // `<<EOF`
  // The lines between the operator line and the delimiter line, with their line breaks, mapped to
  // the file: `body.span_of(file, a, b)` places any part of it. A consumer can parse it again
  // (`bash <<EOF`, a crontab fed by `crontab - <<EOF`).
  TextMap body;
  Span body_span;
  bool terminated = true;  // the delimiter line was found
};

// How a command is joined to the command that ran before it at the same level.
enum class Connector : uint8_t {
  None,      // the first command of the script, group or substitution
  Sequence,  // after `;`, `&` or a line break
  And,       // after `&&`: runs only if the previous one succeeded
  Or,        // after `||`: runs only if the previous one failed
  Pipe,      // after `|` or `|&`: reads the previous command's output
};

// How a command is nested in the command that holds it (`parent`).
enum class Nesting : uint8_t {
  None,                  // a command of the script itself
  CommandSubstitution,   // inside `$( )` or backticks in one of the parent's words
  ProcessSubstitution,   // inside `<( )` or `>( )`
  ShellString,           // inside the string of `sh -c "..."` run by the parent, or the heredoc
                         // of `bash <<EOF` (the script a shell reads from its input)
};

inline constexpr uint32_t kNoParent = std::numeric_limits<uint32_t>::max();

// What effective_command (effective_command.h) reads in a command's own words, found once when the
// command is parsed: rules and finders ask it of every command, many times per file. Words are
// named by position (0 is the name, i is arguments[i - 1]) so that moving the Command keeps it true.
struct CommandChain {
  static constexpr uint16_t kNoWord = std::numeric_limits<uint16_t>::max();
  static constexpr size_t kMaxWrappers = 4;
  static constexpr size_t kMaxEnvironment = 4;
  // False when the chain did not fit here (more wrappers or `env` assignments than kept, a word past
  // kNoWord): effective_command then reads the words again on each call.
  bool known = false;
  bool exec = false;
  uint8_t wrapper_count = 0;
  uint8_t environment_count = 0;
  uint16_t program = kNoWord;
  uint16_t program_name_begin = 0;  // where program_name starts in the program word's value
  uint16_t shell_string = kNoWord;
  uint8_t wrapper_kinds[kMaxWrappers] = {};  // WrapperKind values, outermost first
  uint16_t wrapper_words[kMaxWrappers] = {};
  uint16_t environment_words[kMaxEnvironment] = {};
};

// One item of a `case` statement: what the statement tests and the item's patterns, as written
// (`case "$1" in app:start|start)`). An entrypoint script's run modes are picked this way.
struct CaseBranch {
  uint32_t first_of_statement = 0;  // index of its statement's first item in Script::case_branches
  std::string_view subject;         // `"$1"`
  std::vector<std::string_view> patterns;  // `app:start`, `start`, `*`
};

// One branch of an `if` statement: the test that picks it, as written (`[ -z "$1" ]`, `test "$1" =
// worker`), and the branches before it in the same statement. Entrypoint scripts pick run modes
// this way as often as with `case` (huginn's `if [ -z "$1" ]; then ... exec puma`).
struct IfBranch {
  uint32_t first_of_statement = 0;  // index of its statement's `if` branch in Script::if_branches
  uint32_t enclosing = kNoParent;   // the if branch holding the statement, if any
  // Script::commands before this index ran before the statement's first test (`set --`, `shift`
  // there change what `$1` is).
  uint32_t first_command = 0;
  // The statements between `if`/`elif` and `then`, as written, without the `;` before `then`;
  // empty for `else`.
  std::string_view condition;
  bool is_else = false;
};

struct Command {
  Word name;  // as written: `/usr/bin/env`, `$CMD`
  WordList arguments;
  std::vector<Assignment> environment;  // `FOO=1 BAR=2 cmd`
  std::vector<Redirection> redirections;
  std::vector<Heredoc> heredocs;
  Span span;  // the name, the arguments and the redirections on the command's own line(s)

  Connector connector = Connector::None;
  // Runs asynchronously: the statement it belongs to ends with `&` (or an enclosing one does).
  bool background = false;
  // For a background command, the first command of the statement sent to the background: `a && b &`
  // is one job, whose commands run one after the other and share this index.
  uint32_t background_job = kNoParent;
  bool in_pipeline = false;             // one stage of `a | b`
  bool in_condition = false;            // the test of an if/elif/while/until
  bool in_branch = false;               // a then/elif/else body or a case item
  uint32_t case_branch = kNoParent;     // the innermost case item holding it (Script::case_branches)
  uint32_t if_branch = kNoParent;       // the innermost then/elif/else body holding it (Script::if_branches)
  bool in_loop = false;                 // the body of a for/while/until loop
  // The body of a loop whose condition never changes: `while true`, `while :`, `while [ 1 ]`,
  // `while test yes`, `until false` (a keep-alive when its body only sleeps).
  bool in_endless_loop = false;
  bool in_subshell = false;             // inside `( ... )`
  bool in_command_substitution = false; // inside `$( )` or backticks, at any depth
  bool in_process_substitution = false; // inside `<( )` / `>( )`, at any depth
  std::string_view function_name;       // non-empty inside the body of that function definition
  // May be the last command the script runs: the last statement of the script, or the tail of the
  // list, pipeline, group or if/case branch that is. Relative to the command's own script, so the
  // last command inside a `sh -c` string ends that string's script.
  bool ends_script = false;
  // The same, for the body of the function it is in: postgres' and mysql's docker-entrypoint.sh end
  // with `_main "$@"`, and `_main` ends with `exec "$@"`.
  bool ends_function = false;

  // For nested commands: the index of the command holding it, and how; kNoParent otherwise.
  uint32_t parent = kNoParent;
  Nesting nesting = Nesting::None;
  uint32_t shell_string_depth = 0;  // 0 for the script itself, 1 inside `sh -c "..."`, ...

  // The name is a variable the script only ever sets to nothing or to a wrapper (`_PREFIX=""`,
  // `_PREFIX="sudo"`, then `${_PREFIX} service docker start`): the program is the next word.
  bool name_is_optional_wrapper = false;
  // With name_is_optional_wrapper: every value the variable takes starts with `exec` (neo4j's
  // `exec_cmd="exec gosu neo4j:neo4j"` or `exec_cmd="exec"`, then `${exec_cmd} "$@"`): the program
  // replaces the shell.
  bool optional_wrapper_execs = false;
  CommandChain chain;  // for effective_command; not part of the Command's meaning

  bool in_function() const { return !function_name.empty(); }
  // Runs only under a condition a reader cannot see from the line alone.
  bool runs_conditionally() const {
    return connector == Connector::And || connector == Connector::Or || in_condition || in_branch ||
           in_loop || in_function();
  }
};

// `set -e`, `set -o pipefail`, `set +x`.
struct ShellOption {
  std::string_view name;  // the long name: "errexit", "nounset", "xtrace", "pipefail", "noclobber", ...
  bool enabled = true;
  Span span;  // the word that sets it
  uint32_t command = kNoParent;  // index of the `set` command
};

struct PackageInstall;
struct PathWrite;
struct ServiceStart;

// What find_package_installs, find_path_writes and find_service_starts (package_install.h,
// path_write.h, service_start.h) found in one Script, kept for the next caller: several rules ask
// each of them of every script of a Dockerfile. Filled on first use, safely from any thread. A
// copied Script starts without: the findings point into the Script they were found in (a moved
// Script keeps them, its vectors keep their storage).
class ScriptFindings {
 public:
  struct Slots;
  ScriptFindings() = default;
  ~ScriptFindings();
  ScriptFindings(const ScriptFindings&) {}
  ScriptFindings& operator=(const ScriptFindings& other);
  ScriptFindings(ScriptFindings&& other) noexcept;
  ScriptFindings& operator=(ScriptFindings&& other) noexcept;
  Slots& slots() const;

 private:
  mutable std::atomic<Slots*> slots_{nullptr};
};

struct Script {
  std::vector<Command> commands;  // every simple command, pre-order (a parent before what it holds)
  std::vector<Assignment> assignments;  // statements and declarations; not command prefixes
  std::vector<ShellOption> options;
  std::vector<CaseBranch> case_branches;  // in the order written; Command::case_branch indexes them
  // In the order their `then` or `else` is written (a nested statement's branches come between its
  // enclosing statement's); Command::if_branch indexes them.
  std::vector<IfBranch> if_branches;
  // The grammar could not parse some of the text: what could be parsed is above. Not an SL001:
  // Docker and Kubernetes hand the text to a shell at run time, they never parse it.
  bool has_syntax_errors = false;
  Span first_syntax_error;
  // A nesting or size limit stopped the walk: deeper commands are missing.
  bool truncated = false;
  // Some command is in the body of a function definition (Command::function_name is set).
  bool defines_functions = false;

  ScriptFindings findings;  // for the finders named above; not part of the Script's value
  // What the string_views above point into; shared by copies of the Script.
  std::shared_ptr<TextStorage> storage;

  // The commands nested in commands[index] (substitutions in its words, its `sh -c` string), at
  // any depth: they follow it in `commands`.
  std::vector<uint32_t> nested_in(uint32_t index) const;
};

// Moves every position of `script` by `lines` lines and every file offset (heredoc bodies) by
// `bytes`: the script of a text that starts `lines` lines and `bytes` bytes further on in another
// file, where the text and the line breaks before it on its first line are the same. A field with a
// position added to the structs above must be moved here too (shell_parser_test checks a moved
// parse against a fresh one).
void shift_positions(Script& script, int32_t lines, int64_t bytes);

// About how much memory `script` holds, itself included (for caches that keep scripts within a
// budget): its lists and text storage, not what its finders memoized.
size_t approximate_bytes(const Script& script);

// The last path component of a command word's value: `/usr/bin/apt-get` → `apt-get`.
std::string_view program_name(const Word& word);

}  // namespace shiftlint::shell
