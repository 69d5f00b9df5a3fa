#pragma once
// What every tree-sitter-based loader needs: a parser per thread and language, spans, and child
// iteration that stays linear.
#include <tree_sitter/api.h>

#include <vector>

#include "analyzer/source/source_file.h"

namespace shiftlint {

// One parser per thread and language: parsers are not thread-safe, and creating one per file is
// wasted work. `language` is the grammar's entry point, e.g. tree_sitter_json.
template <const TSLanguage* (*language)()>
TSParser* thread_parser() {
  struct Holder {
    TSParser* parser = ts_parser_new();
    Holder() { ts_parser_set_language(parser, language()); }
    ~Holder() { ts_parser_delete(parser); }
  };
  thread_local Holder holder;
  return holder.parser;
}

// A node's span: tree-sitter points are 0-based rows and byte columns.
inline Span span_of(TSNode node) {
  TSPoint begin = ts_node_start_point(node);
  TSPoint end = ts_node_end_point(node);
  return {{begin.row + 1, begin.column + 1}, {end.row + 1, end.column + 1}};
}

// Visits the direct children with a cursor: ts_node_child(node, i) walks from the first child
// each time, which makes long lists quadratic.
template <typename Visit>
void for_each_child(TSNode node, Visit visit) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      visit(ts_tree_cursor_current_node(&cursor));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

inline std::vector<TSNode> children_of(TSNode node) {
  std::vector<TSNode> children;
  children.reserve(ts_node_child_count(node));
  for_each_child(node, [&](TSNode child) { children.push_back(child); });
  return children;
}

}  // namespace shiftlint
