#pragma once
// The Dockerfile parser: reads a Dockerfile the way BuildKit's parser (moby/buildkit,
// frontend/dockerfile/parser) does, and keeps where everything came from.
//
// What BuildKit's parser accepts, this accepts, with the same quirks: parser directives only before
// anything else, continuation lines that skip comment and blank lines, heredocs only on RUN, COPY
// and ADD (and ONBUILD of those) in shell form, JSON form only when the whole argument is a valid
// JSON array, flags taken from any instruction. What BuildKit's parser rejects is an error value
// here (an SL001 finding), and parsing goes on at the next instruction, so one typo does not hide
// the rest of the file. What parses but `docker build` then refuses (an unknown instruction,
// `FROM a b`, an unknown flag) is not an error here: it is the DKR019 rule's job.
//
// Positions: every instruction, keyword, flag, argument and heredoc keeps its file span (1-based
// lines, byte columns, end exclusive). An instruction's logical line — its physical lines joined
// the way BuildKit joins them — is a TextMap, so an offset anywhere in it maps back to the file.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::docker {

// How an instruction's command is written: `RUN apt-get update` (shell) or
// `CMD ["nginx", "-g", "daemon off;"]` (exec, a JSON array of strings).
enum class Form : uint8_t { None, Shell, Exec };

// A piece of an instruction's logical line: an argument, a key or value, a JSON string.
struct Word {
  // Shell form: the text as written (quotes and escapes kept; expand it with docker::expand).
  // Exec form: the decoded JSON string.
  std::string text;
  Span span;
  // Offsets in the instruction's `line` text, for slicing the TextMap.
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Flag {
  std::string name;                  // without the dashes: "mount", "from", "platform"
  std::optional<std::string> value;  // after '=', quotes and escapes removed; nullopt without '='
  Span span;                         // `--mount=type=cache,target=/root/.npm` as written
  Span name_span;                    // `--mount`
  Span value_span;                   // the value as written; empty Span when there is none
};

// `ENV a=b`, `ENV a b` (legacy), `LABEL k=v`, `ARG name` / `ARG name=default`.
struct KeyValue {
  Word key;
  Word value;             // as written (quotes kept); for legacy `ENV a b c`, all of "b c"
  bool has_value = true;  // false for `ARG name` with no default
  Span span;              // the whole pair
};

struct Heredoc {
  std::string name;              // the delimiter, quotes removed: EOF for <<"EOF"
  bool strip_tabs = false;       // <<-EOF: leading tabs are removed from body lines and terminator
  bool expand = true;            // false when the delimiter was quoted: no variable expansion in the body
  uint32_t file_descriptor = 0;  // 3<<EOF → 3; 0 when not written (stdin)
  Span word_span;                // `<<EOF` in the instruction
  // The body as BuildKit hands it on: each line with its line break, leading tabs removed for <<-.
  TextMap body;
  uint32_t first_line = 0;  // the file line of the first body line
  uint32_t line_count = 0;  // body lines
  Span terminator_span;     // the closing delimiter; empty Span when the heredoc is unterminated
};

struct Instruction {
  std::string keyword;  // upper case: "RUN" (as written: the file text at keyword_span)
  Span keyword_span;
  // From the keyword to the end of its last line: continuation lines and heredoc terminators included.
  Span span;
  // The logical line as BuildKit sees it: physical lines joined, escape-newline pairs, comment and
  // blank lines inside the continuation removed. Words and flags are offsets into it.
  TextMap line;
  std::vector<Flag> flags;
  // RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD, COPY, ADD, VOLUME: how the arguments are written.
  Form form = Form::None;
  // By instruction, as BuildKit splits them:
  //   RUN/CMD/ENTRYPOINT/SHELL   shell form: one word, the command as written; exec form: the strings
  //   COPY/ADD/VOLUME            exec form: the strings; else split at white space
  //   FROM/EXPOSE                split at white space
  //   USER/WORKDIR/STOPSIGNAL/MAINTAINER   one word, the rest of the line
  //   HEALTHCHECK                the type (CMD/NONE), then the command as for CMD
  //   ENV/LABEL/ARG              empty: see `pairs`
  //   ONBUILD                    empty: see `trigger`
  //   unknown keywords           split at white space (BuildKit ignores them; DKR019 reports them)
  std::vector<Word> arguments;
  std::vector<KeyValue> pairs;
  bool legacy_pair = false;  // `ENV name value` (one pair, the value is the rest of the line)
  std::vector<Heredoc> heredocs;
  std::shared_ptr<const Instruction> trigger;  // ONBUILD's instruction
  // The arguments part of `line` (after the keyword and flags, trimmed).
  uint32_t arguments_begin = 0;
  uint32_t arguments_end = 0;
  // False when BuildKit's parser rejects this instruction (see the file's errors); its arguments
  // are then empty. It is kept so that stages and line numbers stay right.
  bool valid = true;
  // Set by the Dockerfile model (build_dockerfile), not the parser: the stage's SHELL where this
  // instruction stands is PowerShell or cmd (`SHELL ["powershell", "-Command"]`), so its shell
  // form is no sh script.
  bool windows_shell = false;

  bool is(std::string_view upper_keyword) const { return keyword == upper_keyword; }
  std::string_view arguments_text() const {
    return std::string_view(line.text()).substr(arguments_begin, arguments_end - arguments_begin);
  }
  // The arguments as a TextMap of their own: the shell command of a shell-form RUN or CMD.
  TextMap arguments_map() const { return line.slice(arguments_begin, arguments_end); }
  TextMap word_map(const Word& word) const { return line.slice(word.begin, word.end); }
  // The last flag of that name (BuildKit: the last one wins), nullptr when absent.
  const Flag* flag(std::string_view name) const;
};

struct ParserDirective {
  std::string name;   // lower case: syntax, escape, check
  std::string value;  // trimmed
  Span span;          // the whole comment line
  Span value_span;
};

struct ParsedDockerfile {
  std::vector<ParserDirective> directives;
  char escape = '\\';  // '\\' or '`' (from `# escape=`)
  std::vector<Instruction> instructions;
  std::vector<ParseDiagnostic> errors;  // what BuildKit's parser rejects; at most kMaxErrors
  bool ok() const { return errors.empty(); }
};

// BuildKit reads lines with a 64 KiB buffer: a longer line is a parse error there.
inline constexpr size_t kMaxLineBytes = 65535;
// Real Dockerfiles hold a few hundred instructions; past this many the rest of the file is not
// analysed (a parse error says so), which bounds memory on generated or hostile input.
inline constexpr size_t kMaxInstructions = 100000;

ParsedDockerfile parse_dockerfile(const SourceFile& file);

// The instructions `docker build` knows (upper case).
bool is_known_instruction(std::string_view upper_keyword);

// Heredocs on these instructions (in shell form) are read by BuildKit.
bool takes_heredocs(std::string_view upper_keyword);

}  // namespace shiftlint::docker
