// SL003 is reported by the engine after it applied a file's inline suppressions
// (analyzer/engine/suppression.cpp): a directive that silenced nothing is noise, or a typo.
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {
const RuleRegistration registration{{
    .id = "SL003",
    .slug = "unused-suppression",
    .severity = Severity::Note,
    .summary = "An inline shiftlint-ignore comment matched no finding, or names an unknown rule",
}};
}  // namespace
}  // namespace shiftlint
