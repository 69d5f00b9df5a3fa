// K8S003: a queue worker whose pod's terminationGracePeriodSeconds is missing or shorter than the
// worker's own shutdown timeout + 5 s.
#include <fmt/format.h>

#include "analyzer/detect/worker_process.h"
#include "analyzer/edit/tree_edit.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

constexpr int64_t kDefaultGracePeriod = 30;
constexpr int64_t kMarginSeconds = 5;

void check(const k8s::Workload& workload, RuleContext& context) {
  std::optional<int64_t> grace_period;
  const Node* grace_node = workload.termination_grace_period_seconds;
  if (grace_node && !grace_node->is_null()) {
    grace_period = grace_node->as_integer();
    if (!grace_period) return;  // a value the renderer could not evaluate
  }
  for (const k8s::Container& container : workload.containers) {
    auto words = container.command_line();
    if (!words || words->empty()) continue;  // the image's own CMD: not visible here
    auto worker = detect::detect_worker_process(*words, k8s::environment_of(container));
    if (!worker) continue;
    const std::string subject = k8s::describe_container(workload, container);
    std::string runs = detect::describe_shutdown(*worker);
    std::optional<int64_t> needed = detect::required_stop_seconds(worker->timeout, kMarginSeconds);
    // The preStop hook runs first and its time counts against the grace period.
    int64_t pre_stop = k8s::pre_stop_sleep_seconds(container).value_or(0);
    if (needed && pre_stop > 0) {
      *needed += pre_stop;
      runs += fmt::format(" after a {} s preStop sleep", pre_stop);
    }
    const std::string margin = pre_stop > 0 ? fmt::format("the preStop sleep + the worker's timeout + {} s", kMarginSeconds)
                                            : fmt::format("the worker's timeout + {} s", kMarginSeconds);

    if (grace_period) {
      if (!needed || *grace_period >= *needed) continue;  // unbounded or unreadable: an explicit value is a choice
      Finding& finding = context.report(*grace_node,
                     fmt::format("{} runs {} but terminationGracePeriodSeconds is {}: Kubernetes sends SIGKILL {} s "
                                 "after it starts stopping the pod (preStop hooks included), before the worker's own "
                                 "shutdown ends, so jobs in flight are cut off; set terminationGracePeriodSeconds: {} ({})",
                                 subject, runs, *grace_period, *grace_period, *needed, margin));
      if (workload.pod_spec && edit::written_within(*grace_node, *workload.pod_spec))
        if (auto edit = edit::replace_scalar(*grace_node, edit::Value::number(*needed)))
          finding.fix = Fix{fmt::format("Set terminationGracePeriodSeconds to {}", *needed), {*edit}};
      continue;
    }
    if (workload.is_fragment()) continue;  // a patch without the field: its base may set it
    const Node& block = workload.pod_spec_block();
    if (needed) {
      if (*needed <= kDefaultGracePeriod) continue;  // the default 30 s is enough
      Finding& finding =
          context.report_key(block, fmt::format("{} runs {} but the pod has no terminationGracePeriodSeconds: "
                                                "Kubernetes sends SIGKILL 30 s after SIGTERM by default, before the "
                                                "worker's own shutdown ends, so jobs in flight are cut off; set "
                                                "terminationGracePeriodSeconds: {} ({})",
                                                subject, runs, *needed, margin));
      // Added beside the pod spec's other fields, in a manifest (never in a Helm template).
      if (workload.pod_spec && !grace_node)
        if (auto edit = edit::insert_member(*workload.pod_spec, "terminationGracePeriodSeconds",
                                            edit::Value::number(*needed)))
          finding.fix = Fix{fmt::format("Set terminationGracePeriodSeconds to {}", *needed), {*edit}};
    } else if (worker->timeout.origin == detect::TimeoutOrigin::Unbounded) {
      context.report_key(block, fmt::format("{} runs {}, but the pod has no terminationGracePeriodSeconds: "
                                            "Kubernetes sends SIGKILL 30 s after SIGTERM by default, so longer jobs "
                                            "are cut off; bound the jobs ({}) and set terminationGracePeriodSeconds "
                                            "to that bound + {} s",
                                            subject, runs, worker->timeout_knob, kMarginSeconds));
    } else {
      context.report_key(block, fmt::format("{} runs {} but the pod has no terminationGracePeriodSeconds: Kubernetes "
                                            "sends SIGKILL 30 s after SIGTERM by default; set "
                                            "terminationGracePeriodSeconds to the worker's timeout + {} s",
                                            subject, runs, kMarginSeconds));
    }
  }
}

const RuleRegistration registration{{
    .id = "K8S003",
    .slug = "grace-period-short-for-worker",
    .severity = Severity::Warning,
    .summary = "A queue worker's pod has no terminationGracePeriodSeconds, or one shorter than the worker's shutdown "
               "timeout + 5 s",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
