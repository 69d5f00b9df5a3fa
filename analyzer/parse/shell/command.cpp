#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

std::vector<uint32_t> Script::nested_in(uint32_t index) const {
  std::vector<uint32_t> nested;
  // Pre-order: what a command holds follows it, before the next command that it does not hold.
  for (size_t i = static_cast<size_t>(index) + 1; i < commands.size(); ++i) {
    uint32_t parent = commands[i].parent;
    if (parent == kNoParent || parent < index) break;
    nested.push_back(static_cast<uint32_t>(i));
  }
  return nested;
}

std::string_view program_name(const Word& word) {
  std::string_view value = word.value;
  size_t slash = value.rfind('/');
  return slash == std::string_view::npos ? value : value.substr(slash + 1);
}

}  // namespace shiftlint::shell
