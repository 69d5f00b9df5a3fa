#include "analyzer/parse/shell/syntax_tree_cache.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace shiftlint::shell {

namespace {

// What the cache may hold, texts and nodes together: far above a repository's distinct shell text
// (the 997 Dockerfiles of bench/README.md and their entrypoints need about 4 MB), far below the
// peak memory a run may use.
constexpr size_t kBudgetBytes = 32u << 20;

struct Entry {
  SyntaxTree tree;
  bool from_tree_sitter = false;
};

struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries;
  size_t bytes = 0;
};

Cache& cache() {
  static Cache instance;
  return instance;
}

size_t cost_of(std::string_view text, const SyntaxTree& tree) {
  return text.size() + tree.nodes.size() * sizeof(SyntaxNode) + sizeof(Entry) + 64;
}

}  // namespace

bool find_cached_tree(std::string_view text, SyntaxTree& tree, bool& from_tree_sitter) {
  Cache& shared = cache();
  std::lock_guard lock(shared.mutex);
  auto found = shared.entries.find(text);
  if (found == shared.entries.end()) return false;
  const SyntaxTree& cached = found->second.tree;
  tree.nodes.assign(cached.nodes.begin(), cached.nodes.end());
  tree.has_error = cached.has_error;
  tree.first_error_begin = cached.first_error_begin;
  tree.first_error_end = cached.first_error_end;
  from_tree_sitter = found->second.from_tree_sitter;
  return true;
}

void remember_tree(std::string_view text, const SyntaxTree& tree, bool from_tree_sitter) {
  size_t cost = cost_of(text, tree);
  if (cost > kBudgetBytes / 4) return;
  Cache& shared = cache();
  std::lock_guard lock(shared.mutex);
  if (shared.bytes + cost > kBudgetBytes) {
    shared.entries.clear();
    shared.bytes = 0;
  }
  auto [entry, inserted] = shared.entries.try_emplace(std::string(text));
  if (!inserted) return;
  entry->second.tree = tree;
  entry->second.from_tree_sitter = from_tree_sitter;
  shared.bytes += cost;
}

}  // namespace shiftlint::shell
