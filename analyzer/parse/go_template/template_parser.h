#pragma once
// Parses Go text/template source (Helm templates, `tpl` strings) into a syntax tree with offsets.
// Errors are values: a template that does not parse yields its errors (offset + message, worded
// like Go's own), and no body.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/go_template/template_syntax.h"

namespace shiftlint::go_template {

struct TemplateSyntaxError {
  uint32_t offset = 0;
  std::string message;
};

struct ParsedTemplate {
  std::vector<TemplateNode> body;  // the text outside any {{define}}
  std::vector<Definition> definitions;  // {{define}} and {{block}}, in source order
  std::vector<TemplateSyntaxError> errors;  // the first error stops the parse, as in Go
  bool ok() const { return errors.empty(); }
};

ParsedTemplate parse_template(std::string_view text);

}  // namespace shiftlint::go_template
