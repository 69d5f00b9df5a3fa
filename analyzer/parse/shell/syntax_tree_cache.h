#pragma once
// Syntax trees of shell texts already parsed in this process, by the text itself.
//
// Real repositories hold the same shell text many times: docker-library's postgres keeps one
// identical 14 KB docker-entrypoint.sh per version folder, and its Dockerfiles repeat the same RUN
// bodies. The tree depends on the text alone (both front ends are deterministic), so a text seen
// before is walked on the tree kept here instead of being parsed again; the walk into a Script,
// which maps positions into each file, still runs per file.
//
// Shared by every worker thread; bounded in memory (it forgets everything when full).
#include <cstddef>
#include <memory>
#include <string_view>

#include "analyzer/parse/shell/syntax_tree.h"

namespace shiftlint::shell {

// Texts shorter than this are parsed again: hashing and copying would cost about as much as the
// hand-written reader does on them.
inline constexpr size_t kMinCachedTextBytes = 32;

// A text and its hash, computed once for the lookup and for keeping the tree after a miss.
struct TreeCacheKey {
  std::string_view text;
  size_t hash = 0;
};
TreeCacheKey tree_cache_key(std::string_view text);

// A tree kept in the cache: shared, so that it outlives the cache forgetting it while a walk reads it.
struct CachedTree {
  SyntaxTree tree;
  bool from_tree_sitter = false;  // which front end produced it
};

// The tree of `key.text` when it was parsed before, else null.
std::shared_ptr<const CachedTree> find_cached_tree(const TreeCacheKey& key);

// Keeps a copy of the tree of `key.text`.
void remember_tree(const TreeCacheKey& key, const SyntaxTree& tree, bool from_tree_sitter);

// Forgets every tree: for a check run past the files whose shell texts repeat, so that the rest of
// it does not carry them.
void forget_trees();

}  // namespace shiftlint::shell
