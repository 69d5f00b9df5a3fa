// ECS003: stopTimeout above Fargate's 120 s ceiling on a Fargate-compatible task definition.
#include <fmt/format.h>

#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

constexpr int64_t kFargateMaxStopTimeout = 120;

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  if (!context.runs_on_fargate(task)) return;
  const std::string_view field = task.carrier == ecs::Carrier::CloudFormation ? "StopTimeout" : "stopTimeout";
  for (const ecs::ContainerDefinition& container : task.containers) {
    if (!container.stop_timeout) continue;
    auto seconds = container.stop_timeout->as_integer();
    if (!seconds || *seconds <= kFargateMaxStopTimeout) continue;
    context.report(*container.stop_timeout,
                   fmt::format("{} has {} {}, above Fargate's maximum of {} s: Fargate never waits "
                               "longer between SIGTERM and SIGKILL, so the value is invalid there; set it to {} at "
                               "most, and make work that needs longer resumable or run it on the EC2 launch type",
                               container.label(), field, *seconds, kFargateMaxStopTimeout,
                               kFargateMaxStopTimeout));
  }
}

const RuleRegistration registration{{
    .id = "ECS003",
    .slug = "stop-timeout-over-fargate-max",
    .severity = Severity::Error,
    .summary = "stopTimeout is above Fargate's 120 s maximum on a Fargate-compatible task definition",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
