#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::RunTask& run : infrastructure.run_tasks) {
    if (run.source != aws::RunTaskSource::EventBridgeTarget && run.source != aws::RunTaskSource::SchedulerTarget)
      continue;
    std::string_view service =
        run.source == aws::RunTaskSource::SchedulerTarget ? "EventBridge Scheduler" : "EventBridge";
    context.report(*run.node,
                   fmt::format("{} starts an ECS task on a schedule: {} delivers at least once, so now and then "
                               "the same run starts twice (or again after a retry); make the job idempotent — a "
                               "lock or a run record keyed by the scheduled time — so a duplicate does no harm",
                               run.display_name, service));
  }
}

const RuleRegistration registration{{
    .id = "ECS107",
    .slug = "scheduled-task-not-idempotent",
    .severity = Severity::Note,
    .summary = "An EventBridge rule or Scheduler target starts an ECS task: delivery is at least once (off by "
               "default)",
    .check_infrastructure = check,
    .enabled_by_default = false,
}};

}  // namespace
}  // namespace shiftlint
