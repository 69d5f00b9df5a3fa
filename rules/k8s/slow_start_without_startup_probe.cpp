// K8S007: a long-running container with a livenessProbe and no startupProbe, where the app may need
// longer to start than the liveness probe allows.
#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/startup_work.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

// The rule's bound: an initial delay of 15 s or less with the probe's defaults (a check every 10 s,
// restart after 3 failures) lets the liveness probe restart the container 45 s after it starts, or
// sooner. A probe whose period or threshold gives the app longer than that is left alone (Sentry's
// chart checks every 320 s).
constexpr int64_t kShortDelaySeconds = 15;
constexpr int64_t kDefaultPeriodSeconds = 10;
constexpr int64_t kDefaultFailureThreshold = 3;
constexpr int64_t kShortestSafeWindowSeconds = kShortDelaySeconds + kDefaultPeriodSeconds * kDefaultFailureThreshold;

// A probe's number, or `fallback` when the field is absent or null; nullopt when it is not a number.
std::optional<int64_t> seconds_or(const Node* value, int64_t fallback) {
  if (!value || value->is_null()) return fallback;
  return value->as_integer();
}

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
      // How long the app has to come up before the liveness probe can restart it: the delay, then
      // failureThreshold failed checks periodSeconds apart. A value that is not a number (a chart's
      // expression left as text) leaves the window unknown, and nothing is reported.
      const k8s::Probe& liveness = *container.liveness_probe;
      std::optional<int64_t> delay = seconds_or(liveness.initial_delay_seconds, 0);
      std::optional<int64_t> period = seconds_or(liveness.period_seconds, kDefaultPeriodSeconds);
      std::optional<int64_t> threshold = seconds_or(liveness.failure_threshold, kDefaultFailureThreshold);
      if (!delay || !period || !threshold || *delay > kShortDelaySeconds) continue;
      int64_t window = *delay + std::max<int64_t>(*period, 1) * std::max<int64_t>(*threshold, 1);
      if (window > kShortestSafeWindowSeconds) continue;
      const Node* delay_node = liveness.initial_delay_seconds;
      bool delay_set = delay_node && !delay_node->is_null();
      Finding& finding = context.report_key(
          probe, fmt::format("{} has a livenessProbe that can restart it {} s after it starts ({}, then {} failed "
                             "checks {} s apart) and no startupProbe: an app that starts slowly (a cold JVM, a large "
                             "Rails boot, a cache warm-up, a slow node) fails the liveness probe and is restarted "
                             "before it ever serves, over and over; add a startupProbe (same check, failureThreshold "
                             "x periodSeconds longer than the slowest start), which holds the liveness probe back "
                             "until the app is up",
                             subject, window,
                             delay_set ? fmt::format("initialDelaySeconds: {}", *delay)
                                       : std::string("no initialDelaySeconds"),
                             *threshold, *period));
      // A probe printed whole from a chart's values: the delay is what this finding is about.
      if (delay_node) context.relate_value_source(finding, *delay_node, "initialDelaySeconds is set here");
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
