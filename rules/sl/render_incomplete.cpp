// SL002 is reported by the engine itself (analyzer/engine/terraform_phase.cpp) from the evaluator's
// failures: a value shiftlint could not compute is unknown, and the rules that would read it skip it.
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {
const RuleRegistration registration{{
    .id = "SL002",
    .slug = "render-incomplete",
    .severity = Severity::Warning,
    .summary = "A Terraform expression or a Helm template could not be evaluated (unsupported function, file "
               "outside the scan, missing dependency, cycle, limit); the rules that need it skip it",
}};
}  // namespace
}  // namespace shiftlint
