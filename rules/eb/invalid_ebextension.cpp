#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// The model records what EB's validation rejects (model/eb/extension.cpp); this rule says what it
// costs: not that one key, the whole file.
void check(const eb::BundleFile& bundle, RuleContext& context) {
  if (bundle.kind != eb::BundleFileKind::Extension) return;
  for (const eb::ShapeProblem& problem : bundle.extension.problems)
    context.report(*bundle.file, problem.span,
                   fmt::format("{}: Elastic Beanstalk ignores this WHOLE file, so nothing in it is applied (only a "
                               "warning event says so){}",
                               problem.message,
                               problem.suggestion.empty() ? "" : fmt::format("; did you mean `{}`?", problem.suggestion)));
}

const RuleRegistration registration{{
    .id = "EB001",
    .slug = "invalid-ebextension",
    .severity = Severity::Error,
    .summary = "an .ebextensions file EB rejects: unknown key or wrong shape, so none of the file is applied",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
