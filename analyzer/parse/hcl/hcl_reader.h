#pragma once
// A hand-written reader for the HCL that Terraform files are written in. tree-sitter-hcl spends
// about 2,500 instructions per byte (its GLR stack and external scanner), which made parsing the
// floor of a Terraform lint; this reader reads the same files in a small fraction of that.
//
// It gives exactly the File that tree-sitter-hcl and the builder of hcl_loader.cpp give — same
// blocks, attributes, expressions, decoded strings, spans and offsets, including the builder's
// conventions (a parenthesised expression starts at its `(` but ends with its content) — or
// nothing: it declines whatever it is not certain to read the same way (a syntax error, `.tfvars`
// written as one object, identifiers or white space outside ASCII, `$$`/`%%` escapes, ambiguous
// heredoc ends, nesting past a safe depth...), and load_hcl hands that file to tree-sitter, which
// also gives the error messages. bench/hcl_differential.cpp compares the two on real files.
#include <memory>
#include <optional>

#include "analyzer/parse/document.h"
#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::hcl {

std::optional<File> read_hcl(const std::shared_ptr<const SourceFile>& file, const LoadLimits& limits = {});

}  // namespace shiftlint::hcl
