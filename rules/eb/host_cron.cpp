#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

constexpr std::string_view kWhereItGoes =
    "a container runs no cron daemon (and with one, every replica would run the job): schedule it as an ECS "
    "scheduled task (EventBridge Scheduler running a one-off task with this command) or a Kubernetes CronJob";

std::string describe(const eb::CronJob& job) {
  switch (job.source) {
    case eb::CronSource::CronFile: {
      if (job.command.empty()) return fmt::format("{} writes a cron table into {} on the instance", job.place.origin, job.place_name);
      // `files: /etc/cron.d/app` already names the table.
      std::string by = job.place.origin == "files: " + job.place_name ? "" : fmt::format(", written by {}", job.place.origin);
      return fmt::format("cron job `{} {}` runs from {} on the instance{}", job.schedule, job.command, job.place_name, by);
    }
    case eb::CronSource::PeriodicScript: {
      std::string by = job.place.origin == "files: " + job.command ? "" : fmt::format(" ({})", job.place.origin);
      return fmt::format("{} runs {} from the instance's cron{}", job.command.empty() ? "a script" : job.command,
                         job.schedule, by);
    }
    case eb::CronSource::CrontabCommand:
      if (job.command.empty()) return fmt::format("{} installs a cron table with `crontab` on the instance", job.place.origin);
      return fmt::format("cron job `{} {}` is installed with `crontab` on the instance ({})", job.schedule, job.command,
                         job.place.origin);
    case eb::CronSource::CronFileCopy:
      return fmt::format("{} puts {} into {} on the instance", job.place.origin,
                         job.command.empty() ? std::string("a cron table") : job.command, job.place_name);
    case eb::CronSource::ScheduleFile:
      return fmt::format("{} writes the crontab from {} with `whenever` on the instance: each `every` block there is a "
                         "cron job",
                         job.place.origin, job.place_name);
    case eb::CronSource::WorkerTier: break;
  }
  return "";
}

void check(const eb::BundleFile& bundle, RuleContext& context) {
  for (const eb::CronJob& job : eb::host_evidence(bundle).cron_jobs) {
    // cron.yaml is EB's own scheduler (the worker daemon POSTs to a URL), not cron on the host:
    // the parity rule (XF005) follows it.
    if (job.source == eb::CronSource::WorkerTier) continue;
    context.report(*job.place.file, job.place.span, fmt::format("{}; {}", describe(job), kWhereItGoes));
  }
}

const RuleRegistration registration{{
    .id = "EB002",
    .slug = "host-cron",
    .severity = Severity::Warning,
    .summary = "cron jobs defined on the Elastic Beanstalk instance: they do not move into a container",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
