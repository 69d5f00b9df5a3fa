#pragma once
// What a loader returns: the parsed roots of one file plus what went wrong, as values. A loader
// never throws across this edge; a file that cannot be parsed still yields a Document whose
// diagnostics say where and why (they become SL001 findings).
#include <memory>
#include <string>
#include <vector>

#include "analyzer/model/located_tree.h"
#include "analyzer/source/source_file.h"

namespace shiftlint {

struct ParseDiagnostic {
  Span span;
  std::string message;
  // A key written twice in one map: the tree is whole (it keeps both entries); only which of the
  // two values counts is in doubt.
  bool duplicate_key = false;
  Span first_key{};  // a duplicate key: where the map first holds it
};

struct Document {
  std::shared_ptr<const SourceFile> file;
  // One root per document: JSON has one, YAML one per `---` document.
  std::vector<Node> roots;
  std::vector<ParseDiagnostic> errors;
  bool ok() const { return errors.empty(); }
};

// Limits that keep a hostile file from exhausting the machine. A file past a limit gets an error
// diagnostic naming the limit; the run goes on.
struct LoadLimits {
  uint32_t max_depth = 512;          // nesting of lists/maps
  uint64_t max_nodes = 5'000'000;    // nodes after YAML alias expansion
};

}  // namespace shiftlint
