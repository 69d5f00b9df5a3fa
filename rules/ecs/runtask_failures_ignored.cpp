#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

// Whether anything in the definition reads RunTask's `Failures` output: a ResultSelector, a Choice
// rule or a JSONata condition that names it (`$.Failures`, `$.result.Failures[0]`...). Parameters of
// the state itself do not count.
bool mentions_failures(const Node& node, const Node* skip, int depth) {
  if (&node == skip || depth > 64) return false;
  if (node.key.find("Failures") != std::string::npos) return true;
  if ((node.is_string() || node.is_unknown()) && node.text.find("Failures") != std::string::npos) return true;
  for (const Node& child : node.children)
    if (mentions_failures(child, skip, depth + 1)) return true;
  return false;
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::StateMachine& machine : infrastructure.state_machines) {
    for (const aws::StepFunctionsState& state : machine.states) {
      if (aws::ecs_run_task_integration(state.resource) != aws::EcsIntegration::RequestResponse) continue;
      if (mentions_failures(*machine.definition, state.parameters, 0)) continue;
      const Node& at = state.resource ? *state.resource : *state.node;
      context.report(at, fmt::format("state \"{}\" of {} calls RunTask request-response (no .sync): when ECS cannot "
                                     "place the task it still returns success, with the reason in \"Failures\" and "
                                     "no task, so the execution goes on as if the job had started; check "
                                     "$.Failures in a Choice state (and fail or retry when it is not empty), or "
                                     "use arn:aws:states:::ecs:runTask.sync to wait for the task and fail with it",
                                     state.name, machine.display_name));
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS106",
    .slug = "runtask-failures-ignored",
    .severity = Severity::Warning,
    .summary = "A request-response ecs:runTask state whose Failures output is not checked",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
