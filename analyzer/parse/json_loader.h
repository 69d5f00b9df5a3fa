#pragma once
#include <memory>

#include "analyzer/parse/document.h"

namespace shiftlint {

// Strict JSON (RFC 8259) into the located tree, parsed with tree-sitter-json. Syntax errors,
// comments, trailing commas, duplicate keys and excessive nesting are reported as errors with
// their positions; whatever could be recovered is still returned in `roots`.
Document load_json(std::shared_ptr<const SourceFile> file, const LoadLimits& limits = {});

}  // namespace shiftlint
