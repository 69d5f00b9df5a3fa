// K8S005: a container runs a cron daemon (cron, crond, supercronic...) instead of a CronJob.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/cron_usage.h"
#include "analyzer/detect/worker_process.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

void check(const k8s::Workload& workload, RuleContext& context) {
  for (const std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers}) {
    for (const k8s::Container& container : *list) {
      if (!container.is_long_running()) continue;
      for (const std::vector<std::string>& command : k8s::commands_run(container)) {
        std::string_view program = detect::program_basename(command[0]);
        if (!detect::is_cron_program(program) && !detect::is_supercronic_binary(command[0])) continue;
        context.report(k8s::command_location(container, program),
                       fmt::format("{} runs {}: the jobs run in every replica (twice with 2 replicas, never while the "
                                   "pod is down or rescheduled), their output goes to the container's cron log "
                                   "rather than to Kubernetes, and a failed job is seen by nobody; turn each crontab "
                                   "line into a CronJob (schedule, concurrencyPolicy, history limits)",
                                   k8s::describe_container(workload, container), program));
        break;
      }
    }
  }
}

const RuleRegistration registration{{
    .id = "K8S005",
    .slug = "pod-runs-cron",
    .severity = Severity::Warning,
    .summary = "A container runs cron, crond or supercronic: schedule the jobs as Kubernetes CronJobs",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
