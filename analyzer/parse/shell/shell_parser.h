#pragma once
// Shell text → Script (analyzer/parse/shell/command.h): a hand-written reader for the shell people
// commonly write, tree-sitter-bash for the rest (syntax_tree.h).
//
// The text is whatever a shell will run: a whole script file, or text assembled from pieces of a
// file (a Dockerfile RUN joined over continuation lines, a YAML block scalar without its
// indentation). The TextMap says where each byte of the text came from; every span in the result
// is a span of `file`.
//
// Never fails: syntax errors leave what could be parsed plus Script::has_syntax_errors. Bounded on
// hostile input: nesting deeper than the limits below is not walked (Script::truncated), and a
// `sh -c` string is parsed again only up to kMaxShellStringDepth levels.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "analyzer/parse/shell/command.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::shell {

// How deep statements, words and substitutions may nest before the walk stops.
inline constexpr uint32_t kMaxNestingDepth = 200;
// How many `sh -c "sh -c '...'"` levels are parsed.
inline constexpr uint32_t kMaxShellStringDepth = 4;

// `text.text()` is the shell text; `text` maps it back into `file`.
// Whether the Script keeps its if statements' branches (Script::if_branches, Command::if_branch).
// Only a script the image runs is judged by the arguments it is given; Dockerfile instruction
// bodies (thousands of RUN texts in a repository) skip them: recording them there cost about 1% of
// a run over Dockerfiles.
enum class IfBranches : uint8_t { Recorded, Skipped };

Script parse_shell(const SourceFile& file, const TextMap& text, IfBranches if_branches = IfBranches::Recorded);

// Which parser reads the text. Automatic: the hand-written reader (shell_reader.h), and
// tree-sitter-bash for any text it declines; both give the same Script (but for `a | b | c && d`,
// where tree-sitter marks commands after the `&&` as pipeline stages, and valid shell tree-sitter
// reports errors on: shell_reader.h). The others are for the differential check and tests.
enum class ShellFrontEnd : uint8_t {
  Automatic,
  TreeSitter,       // tree-sitter-bash only
  HandWrittenOnly,  // the reader only: no Script when it declines the text (a `sh -c` string it
                    // declines inside an accepted text still goes to tree-sitter)
};

// parse_shell with a chosen front end; std::nullopt only for HandWrittenOnly on a declined text.
std::optional<Script> parse_shell_with(const SourceFile& file, const TextMap& text, ShellFrontEnd front_end);

// How many texts (`sh -c` strings included) each front end parsed on this thread, for the
// differential check and benchmarks.
struct ShellParseStatistics {
  uint64_t hand_written_texts = 0;
  uint64_t tree_sitter_texts = 0;
};
ShellParseStatistics& thread_statistics();

// The whole file is the script (an entrypoint script, a platform hook).
Script parse_shell_file(const SourceFile& file);

// One word of an exec-form command (a Kubernetes `command:`/`args:` item, an ECS `command` array
// element, a Dockerfile `CMD ["..."]` string): its decoded value mapped to the file, and the file
// range of the word as written (quotes included), which an empty value cannot give.
struct ExecWord {
  TextMap value;
  size_t file_begin = 0;
  size_t file_end = 0;
};

// The words as shell text that parses back to exactly these words: each one single-quoted (a quote
// inside becomes '\''). No shell runs an exec form, but parsing it this way gives rules one shape:
// a Script whose first command is the program and its arguments, with a `sh -c` string parsed
// into commands at their columns. Each word's span covers the word as written.
TextMap exec_form_text(std::span<const ExecWord> words);

// parse_shell(file, exec_form_text(words)).
Script parse_exec_form(const SourceFile& file, std::span<const ExecWord> words);

// A TextMap covering `file` bytes [begin, end) unchanged.
TextMap text_map_of_range(const SourceFile& file, size_t begin, size_t end);

// Appends text()[begin, end) of `from` to `to`, keeping where each byte came from: the way to build
// the map of a string found inside already-assembled text.
void append_mapped(TextMap& to, const TextMap& from, size_t begin, size_t end);

}  // namespace shiftlint::shell
