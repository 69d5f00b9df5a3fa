#include "analyzer/model/cloudformation_intrinsics.h"

namespace shiftlint {

// Recursion is bounded: loaders reject trees deeper than LoadLimits::max_depth.
void mark_cloudformation_intrinsics(Node& node) {
  if (node.is_map() && node.children.size() == 1) {
    const std::string& key = node.children.front().key;
    if (key == "Ref" || key == "Condition" || key.rfind("Fn::", 0) == 0) {
      std::string shown = key;
      if (auto text = node.children.front().as_string()) shown += " " + std::string(*text);
      node.kind = NodeKind::Unknown;
      node.text = shown;
      return;
    }
  }
  for (Node& child : node.children) mark_cloudformation_intrinsics(child);
}

const Node* sub_template(const Node& value) {
  if (!value.is_unknown() || value.children.empty()) return nullptr;
  const Node& first = value.children.front();
  // The YAML loader keeps a tagged scalar as the one child and a tagged sequence's items as the
  // children: either way the template comes first.
  if (value.tag == "!Sub") return first.is_string() ? &first : nullptr;
  // A map marked Unknown keeps its one member: the argument, under its key.
  if (value.children.size() != 1 || first.key != "Fn::Sub") return nullptr;
  if (first.is_string()) return &first;
  if (first.is_list() && !first.children.empty() && first.children.front().is_string())
    return &first.children.front();
  return nullptr;
}

}  // namespace shiftlint
