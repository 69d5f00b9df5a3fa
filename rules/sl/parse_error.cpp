// SL001 is reported by the engine itself (analyzer/engine/check_run.cpp) from the loaders'
// diagnostics: a file that cannot be parsed has no model for other rules to check.
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {
const RuleRegistration registration{{
    .id = "SL001",
    .slug = "parse-error",
    .severity = Severity::Error,
    .summary = "A file of a known kind cannot be parsed; it is not linted until it is fixed",
}};
}  // namespace
}  // namespace shiftlint
