// K8S007: a long-running container with a livenessProbe and no startupProbe, where the app may need
// longer to start than the liveness probe allows.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/startup_work.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

constexpr int64_t kShortDelaySeconds = 15;

// The first build, install or migration the container does at start, if any.
std::optional<detect::StartupWork> startup_work_of(const k8s::Container& container) {
  for (const std::vector<std::string>& command : k8s::commands_run(container))
    for (const detect::StartupWork& work : detect::detect_startup_work(command)) return work;
  return std::nullopt;
}

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.runs_to_completion() || workload.is_fragment()) return;  // a patch: the base may have the probe
  for (const std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers}) {
    for (const k8s::Container& container : *list) {
      if (!container.is_long_running() || !container.liveness_probe || container.startup_probe) continue;
      const Node& probe = *container.liveness_probe->node;
      const std::string subject = k8s::describe_container(workload, container);
      if (auto work = startup_work_of(container)) {
        context.report_key(probe, fmt::format("{} runs `{}` ({}) at every start and has a livenessProbe but no "
                                              "startupProbe: while the {} runs, the liveness probe fails, the kubelet "
                                              "restarts the container and the work starts over (a crash loop on a "
                                              "slow day); do the work at image build or in a Job, or add a "
                                              "startupProbe whose failureThreshold x periodSeconds covers it",
                                              subject, work->description, detect::startup_work_kind_name(work->kind),
                                              detect::startup_work_kind_name(work->kind)));
        continue;
      }
      const Node* delay = container.liveness_probe->initial_delay_seconds;
      std::optional<int64_t> seconds = 0;
      if (delay && !delay->is_null()) seconds = delay->as_integer();
      if (!seconds || *seconds > kShortDelaySeconds) continue;
      std::string delay_text = delay && !delay->is_null() ? fmt::format("initialDelaySeconds: {}", *seconds)
                                                          : std::string("no initialDelaySeconds");
      Finding& finding = context.report_key(
          probe, fmt::format("{} has a livenessProbe ({}) and no startupProbe: an app that starts slowly (a cold "
                             "JVM, a large Rails boot, a cache warm-up, a slow node) fails the liveness probe and is "
                             "restarted before it ever serves, over and over; add a startupProbe (same check, "
                             "failureThreshold x periodSeconds longer than the slowest start), which holds the "
                             "liveness probe back until the app is up",
                             subject, delay_text));
      // A probe printed whole from a chart's values: the delay is what this finding is about.
      if (delay) context.relate_value_source(finding, *delay, "initialDelaySeconds is set here");
    }
  }
}

const RuleRegistration registration{{
    .id = "K8S007",
    .slug = "slow-start-without-startup-probe",
    .severity = Severity::Warning,
    .summary = "A long-running container has a livenessProbe but no startupProbe, with a short initial delay or "
               "build/migration work at start",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
