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
// tree-sitter, so declining never changes a result. Where it departs from tree-sitter it reads
// what the shell reads: a pipeline of three or more stages before `&&`/`||` ending the text, a
// file redirection on a later command of that list included (bench/README.md, "The one it
// corrects"), and valid shell on which tree-sitter reports an error (parentheses in a `${X:+(...)}`
// word, a closing keyword right after a compound command: `fi fi`, `done done`, `) else`; a
// command named `{{`, a template placeholder; a heredoc before the command name, `<<EOT bash`),
// where tree-sitter's tree holds ERROR nodes instead of the commands (bench/README.md, "Valid
// shell tree-sitter rejects").
#include <cstddef>
#include <string_view>

#include "analyzer/parse/shell/syntax_tree.h"

namespace shiftlint::shell {

// Fills `tree` (replacing what it held) and returns true, or returns false and leaves `tree` in an
// unspecified state; `declined_at`, when given, receives the offset where the reader gave up (for
// finding which constructs are worth covering next). `steps`, when given, receives the nodes the
// reader moved and the children it visited to build the tree (its work beyond appending nodes,
// which hostile-input tests keep linear in the text).
bool read_shell(std::string_view text, SyntaxTree& tree, size_t* declined_at = nullptr, size_t* steps = nullptr);

// For a text whose tree-sitter parse has errors: reads it as read_shell does, and also what it
// declines only for want of a tree-sitter tree to match, and which tree-sitter-bash gets wrong: a
// `[[ ]]` pattern with quotes inside (`[[ $f = *" "* ]]`), where tree-sitter's error recovery drops
// every command after it. False when the text is not read either (`declined_at` as read_shell's).
bool read_shell_past_tree_sitter(std::string_view text, SyntaxTree& tree, size_t* declined_at = nullptr);

}  // namespace shiftlint::shell
