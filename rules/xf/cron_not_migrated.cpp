#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/project/parity_findings.h"

namespace shiftlint {
namespace {

using project::NewSidePlace;
using project::ParityItem;

void check(const project::Project& project, RuleContext& context) {
  project::report_parity_gaps(project, project::HostItemCategory::CronJob, context,
                              [](const ParityItem& item, const NewSidePlace*) {
    const project::HostItem& host = item.item;
    bool worker_tier = host.detail == "cron.yaml";
    std::string job = worker_tier ? fmt::format("the worker-tier task that POSTs to {}", host.name)
                                  : fmt::format("the cron job `{}`", host.name);
    std::string schedule = host.value.empty() ? "" : fmt::format(" ({})", host.value);
    std::string fix = worker_tier ? "create an EventBridge Scheduler schedule (or a CronJob) that runs the job's code as "
                                    "a task, or sends the request to the app as the worker daemon did"
                                  : "create an EventBridge Scheduler schedule that runs the app's task definition with "
                                    "this command (or a CronJob with this command), rather than cron inside a container";
    return fmt::format("{}{} has no scheduled task or Kubernetes CronJob running it in app {}: after the move nothing "
                       "runs it, and nothing fails loudly; {}",
                       job, schedule, item.app_name, fix);
  });
}

const RuleRegistration registration{{
    .id = "XF005",
    .slug = "cron-not-migrated",
    .severity = Severity::Note,
    .summary = "an Elastic Beanstalk cron job has no scheduled task or CronJob running the same command",
    .check_project = check,
}};

}  // namespace
}  // namespace shiftlint
