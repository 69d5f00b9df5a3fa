#pragma once
#include <string_view>
#include <vector>

namespace shiftlint {

struct RuleDoc {
  std::string_view id;
  std::string_view path;  // rules/<family>/<slug>.md, relative to the repository
  std::string_view markdown;
};

// Generated at configure time from rules/**/*.md (cmake/EmbedRuleDocs.cmake).
const std::vector<RuleDoc>& embedded_rule_docs();

}  // namespace shiftlint
