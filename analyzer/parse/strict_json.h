#pragma once
// The primary JSON parser: strict RFC 8259, non-recursive, building the located tree directly.
// It stops at the FIRST syntax error and says what was expected there (tree-sitter's error
// recovery can place a missing comma lines early, at the start of the enclosing object). It is
// also several times faster and leaner than going through a tree-sitter tree, which matters for
// 50 MB describe-task-definition dumps. tree-sitter-json stays the recovery parser: on a broken
// file it still yields a partial tree for the editor.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/parse/document.h"

namespace shiftlint {

struct StrictJsonResult {
  std::optional<Node> root;                 // set when the text is valid JSON
  std::vector<ParseDiagnostic> diagnostics;  // the syntax error, or duplicate keys
  bool syntax_error = false;                 // the text is not JSON (root is then empty)
};

StrictJsonResult parse_strict_json(const SourceFile& file, const LoadLimits& limits);

}  // namespace shiftlint
