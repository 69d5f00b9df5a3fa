#pragma once
// Shell text → Script (analyzer/parse/shell/command.h), with tree-sitter-bash.
//
// The text is whatever a shell will run: a whole script file, or text assembled from pieces of a
// file (a Dockerfile RUN joined over continuation lines, a YAML block scalar without its
// indentation). The TextMap says where each byte of the text came from; every span in the result
// is a span of `file`.
//
// Never fails: syntax errors leave what could be parsed plus Script::has_syntax_errors. Bounded on
// hostile input: nesting deeper than the limits below is not walked (Script::truncated), and a
// `sh -c` string is parsed again only up to kMaxShellStringDepth levels.
#include <cstdint>

#include "analyzer/parse/shell/command.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::shell {

// How deep statements, words and substitutions may nest before the walk stops.
inline constexpr uint32_t kMaxNestingDepth = 200;
// How many `sh -c "sh -c '...'"` levels are parsed.
inline constexpr uint32_t kMaxShellStringDepth = 4;

// `text.text()` is the shell text; `text` maps it back into `file`.
Script parse_shell(const SourceFile& file, const TextMap& text);

// The whole file is the script (an entrypoint script, a platform hook).
Script parse_shell_file(const SourceFile& file);

// A TextMap covering `file` bytes [begin, end) unchanged.
TextMap text_map_of_range(const SourceFile& file, size_t begin, size_t end);

// Appends text()[begin, end) of `from` to `to`, keeping where each byte came from: the way to build
// the map of a string found inside already-assembled text.
void append_mapped(TextMap& to, const TextMap& from, size_t begin, size_t end);

}  // namespace shiftlint::shell
