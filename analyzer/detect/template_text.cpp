#include "analyzer/detect/template_text.h"

#include "analyzer/model/cloudformation_intrinsics.h"

namespace shiftlint::detect {

std::optional<std::string_view> text_with_placeholders(const Node& value) {
  if (!value.is_unknown()) return value.as_string();
  if (const Node* text = sub_template(value)) return std::string_view(text->text);
  if (value.tag == kTemplateWithUnknownPartsTag && value.children.size() == 1 && value.children.front().is_string())
    return std::string_view(value.children.front().text);
  return std::nullopt;
}

}  // namespace shiftlint::detect
