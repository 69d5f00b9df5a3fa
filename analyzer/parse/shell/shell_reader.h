#pragma once
// A hand-written reader for the shell real Dockerfiles and entrypoint scripts are written in:
// simple commands and their words, lists, pipelines, redirections, heredocs, compound commands,
// functions. It fills the same SyntaxTree tree-sitter-bash would (syntax_tree.h), as far as the walk
// in shell_parser.cpp reads it, at a small fraction of the cost and without a heap allocation per
// token.
//
// It declines (returns false) whatever it cannot parse exactly as tree-sitter-bash does: syntax
// errors, constructs it does not cover (arithmetic commands, `select`, `coproc`, arrays, extglob,
// unusual heredocs, ...), nesting beyond its limits. The caller then parses the text with
// tree-sitter, so declining never changes a result. One shape it reads as the shell does where
// tree-sitter does not: a pipeline of three or more stages before `&&`/`||` ending the text
// (bench/README.md, "The one it corrects").
#include <cstddef>
#include <string_view>

#include "analyzer/parse/shell/syntax_tree.h"

namespace shiftlint::shell {

// Fills `tree` (replacing what it held) and returns true, or returns false and leaves `tree` in an
// unspecified state; `declined_at`, when given, receives the offset where the reader gave up (for
// finding which constructs are worth covering next).
bool read_shell(std::string_view text, SyntaxTree& tree, size_t* declined_at = nullptr);

}  // namespace shiftlint::shell
