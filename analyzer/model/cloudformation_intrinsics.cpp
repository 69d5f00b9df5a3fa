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

}  // namespace shiftlint
