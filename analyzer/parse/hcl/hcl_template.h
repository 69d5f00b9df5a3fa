#pragma once
// A template file (what Terraform's templatefile() reads): literal text with `${...}`
// interpolations and `%{if}`/`%{for}` directives, no backslash escapes. Parsed into one Template
// expression whose spans and offsets are those of the file itself.
#include <memory>
#include <string>

#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::hcl {

struct TemplateParse {
  std::unique_ptr<Expression> body;  // nullptr when the template has a syntax error
  std::string error;                 // "line:column: message" of the first syntax error
};

TemplateParse parse_template(const SourceFile& file, const LoadLimits& limits = {});

}  // namespace shiftlint::hcl
