#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::hcl {

const Attribute* Body::find_attribute(std::string_view name) const {
  for (const Attribute& attribute : attributes)
    if (attribute.name == name) return &attribute;
  return nullptr;
}

const Block* Body::find_block(std::string_view type) const {
  for (const Block& block : blocks)
    if (block.type == type) return &block;
  return nullptr;
}

std::string_view source_text(const SourceFile& file, const Expression& expression) {
  std::string_view text = file.text();
  if (expression.end_offset > text.size() || expression.begin_offset > expression.end_offset) return {};
  return text.substr(expression.begin_offset, expression.end_offset - expression.begin_offset);
}

}  // namespace shiftlint::hcl
