#pragma once
// Syntax trees of shell texts already parsed in this process, by the text itself.
//
// Real repositories hold the same shell text many times: docker-library's postgres keeps one
// identical 14 KB docker-entrypoint.sh per version folder, and its Dockerfiles repeat the same RUN
// bodies. The tree depends on the text alone (both front ends are deterministic), so a text seen
// before gets a copy of its tree instead of a second parse; the walk into a Script, which maps
// positions into each file, still runs per file.
//
// Shared by every worker thread; bounded in memory (it forgets everything when full).
#include <string_view>

#include "analyzer/parse/shell/syntax_tree.h"

namespace shiftlint::shell {

// Texts shorter than this are parsed again: hashing and copying would cost about as much as the
// hand-written reader does on them.
inline constexpr size_t kMinCachedTextBytes = 32;

// Copies the tree of `text` into `tree` and returns true when it was parsed before; `from_tree_sitter`
// says which front end produced it.
bool find_cached_tree(std::string_view text, SyntaxTree& tree, bool& from_tree_sitter);

// Keeps a copy of the tree of `text`.
void remember_tree(std::string_view text, const SyntaxTree& tree, bool from_tree_sitter);

}  // namespace shiftlint::shell
