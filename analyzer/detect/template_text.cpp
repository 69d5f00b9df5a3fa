#include "analyzer/detect/template_text.h"

namespace shiftlint::detect {

namespace {
// `!Sub "text"`, `!Sub ["text", {vars}]`, `{"Fn::Sub": "text"}`, `{"Fn::Sub": ["text", {vars}]}`.
std::optional<std::string_view> sub_template(const Node& argument) {
  if (argument.is_string()) return std::string_view(argument.text);
  if (argument.is_list() && !argument.children.empty() && argument.children.front().is_string())
    return std::string_view(argument.children.front().text);
  return std::nullopt;
}
}  // namespace

std::optional<std::string_view> text_with_placeholders(const Node& value) {
  if (!value.is_unknown()) return value.as_string();
  if (value.children.size() != 1) return std::nullopt;
  const Node& argument = value.children.front();
  if (value.tag == "!Sub" || argument.key == "Fn::Sub") return sub_template(argument);
  return std::nullopt;
}

}  // namespace shiftlint::detect
