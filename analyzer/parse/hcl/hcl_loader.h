#pragma once
// HCL (Terraform .tf and .tfvars) into the syntax tree of hcl_syntax.h: read by the hand-written
// reader (hcl_reader.h) when it is certain, else parsed with tree-sitter-hcl.
// Syntax errors are diagnostics with positions and a readable message; the blocks and attributes
// that parsed cleanly are still returned. Nesting deeper than the limit is an error, never a
// stack overflow.
#include <memory>

#include "analyzer/parse/document.h"
#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::hcl {

File load_hcl(std::shared_ptr<const SourceFile> file, const LoadLimits& limits = {});
// tree-sitter-hcl alone: what the reader must match (bench/hcl_differential.cpp), and its fallback.
File load_hcl_with_tree_sitter(std::shared_ptr<const SourceFile> file, const LoadLimits& limits = {});

// The decoded text of a quoted string literal's content, HCL escapes applied (`\n`, `\"`, `\u00e9`,
// `$${` for a literal `${`). Exposed for tests and for the tfvars JSON reader.
std::string decode_quoted(std::string_view raw);

}  // namespace shiftlint::hcl
