#include "analyzer/parse/shell/syntax_tree_cache.h"

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "analyzer/source/text_hash.h"

namespace shiftlint::shell {

namespace {

// What the cache may hold, texts and nodes together: above a repository's distinct shell text
// (the 997 Dockerfiles of bench/README.md and their entrypoints need about 4 MB), well below the
// peak memory of a run (a repository of unique scripts fills it and starts again: it was 32 MB,
// a quarter of the peak of an 80,000-file run).
constexpr size_t kBudgetBytes = 8u << 20;

// A kept text with the hash it was filed under: looking it up again hashes nothing.
struct StoredKey {
  std::string text;
  size_t hash = 0;
};

struct KeyHash {
  using is_transparent = void;
  size_t operator()(const StoredKey& key) const { return key.hash; }
  size_t operator()(const TreeCacheKey& key) const { return key.hash; }
};

struct KeyEqual {
  using is_transparent = void;
  static std::string_view text(const StoredKey& key) { return key.text; }
  static std::string_view text(const TreeCacheKey& key) { return key.text; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return text(a) == text(b);
  }
};

struct Cache {
  std::mutex mutex;
  std::unordered_map<StoredKey, std::shared_ptr<const CachedTree>, KeyHash, KeyEqual> entries;
  size_t bytes = 0;
};

Cache& cache() {
  static Cache instance;
  return instance;
}

size_t cost_of(std::string_view text, const SyntaxTree& tree) {
  return text.size() + tree.nodes.size() * sizeof(SyntaxNode) + sizeof(CachedTree) + 96;
}

}  // namespace

TreeCacheKey tree_cache_key(std::string_view text) { return {text, hash_text(text)}; }

std::shared_ptr<const CachedTree> find_cached_tree(const TreeCacheKey& key) {
  Cache& shared = cache();
  std::lock_guard lock(shared.mutex);
  auto found = shared.entries.find(key);
  if (found == shared.entries.end()) return nullptr;
  return found->second;
}

void remember_tree(const TreeCacheKey& key, const SyntaxTree& tree, bool from_tree_sitter) {
  size_t cost = cost_of(key.text, tree);
  if (cost > kBudgetBytes / 4) return;
  auto entry = std::make_shared<CachedTree>();
  entry->tree = tree;
  entry->from_tree_sitter = from_tree_sitter;
  Cache& shared = cache();
  std::lock_guard lock(shared.mutex);
  if (shared.bytes + cost > kBudgetBytes) {
    shared.entries.clear();
    shared.bytes = 0;
  }
  if (shared.entries.find(key) != shared.entries.end()) return;
  shared.entries.emplace(StoredKey{std::string(key.text), key.hash}, std::move(entry));
  shared.bytes += cost;
}

void forget_trees() {
  Cache& shared = cache();
  std::lock_guard lock(shared.mutex);
  shared.entries = {};  // clear() would keep the buckets
  shared.bytes = 0;
}

}  // namespace shiftlint::shell
