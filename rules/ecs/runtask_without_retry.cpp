#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

// Error names that cover RunTask's capacity errors (ECS.AmazonECSException).
bool covers_ecs_errors(std::string_view error) {
  return error == "ECS.AmazonECSException" || error == "States.ALL" || error == "States.TaskFailed";
}

// Whether a Retry list retries ECS's errors; nullopt when it cannot be read.
std::optional<bool> retries_ecs_errors(const Node& retry) {
  if (retry.is_unknown()) return std::nullopt;
  if (!retry.is_list()) return false;
  for (const Node& retrier : retry.children) {
    const Node* errors = retrier.find("ErrorEquals");
    if (!errors) continue;
    if (errors->is_unknown()) return std::nullopt;
    for (const Node& error : errors->children) {
      if (error.is_unknown()) return std::nullopt;
      if (auto name = error.as_string(); name && covers_ecs_errors(*name)) {
        const Node* attempts = retrier.find("MaxAttempts");
        if (attempts && attempts->as_integer() == 0) continue;  // MaxAttempts 0 never retries
        return true;
      }
    }
  }
  return false;
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::StateMachine& machine : infrastructure.state_machines) {
    for (const aws::StepFunctionsState& state : machine.states) {
      if (aws::ecs_run_task_integration(state.resource) == aws::EcsIntegration::None) continue;
      constexpr std::string_view kWhy =
          "RunTask fails now and then when Fargate or the cluster has no capacity at that moment "
          "(ECS.AmazonECSException), and without a retry the execution fails and the job is skipped";
      constexpr std::string_view kFix =
          "add \"Retry\": [{\"ErrorEquals\": [\"ECS.AmazonECSException\"], \"IntervalSeconds\": 10, "
          "\"MaxAttempts\": 5, \"BackoffRate\": 2}]";
      if (!state.retry) {
        context.report(*state.node, fmt::format("state \"{}\" of {} runs an ECS task with no Retry: {}; {}",
                                                state.name, machine.display_name, kWhy, kFix));
        continue;
      }
      auto covered = retries_ecs_errors(*state.retry);
      if (!covered || *covered) continue;
      context.report_key(*state.retry,
                         fmt::format("state \"{}\" of {} runs an ECS task, but its Retry does not cover "
                                     "ECS.AmazonECSException (nor States.TaskFailed or States.ALL): {}; {}",
                                     state.name, machine.display_name, kWhy, kFix));
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS105",
    .slug = "runtask-without-retry",
    .severity = Severity::Warning,
    .summary = "A Step Functions ecs:runTask state has no Retry covering ECS.AmazonECSException",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
