// K8S009: an autoscaler scales a queue-worker workload on CPU or memory only.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/worker_process.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.autoscalers.empty()) return;
  const k8s::Container* worker_container = nullptr;
  std::optional<detect::WorkerProcess> worker;
  for (const k8s::Container& container : workload.containers) {
    auto words = container.command_line();
    if (!words || words->empty()) continue;
    worker = detect::detect_worker_process(*words, k8s::environment_of(container));
    if (worker) {
      worker_container = &container;
      break;
    }
  }
  if (!worker) return;
  for (const k8s::Autoscaler* autoscaler : workload.autoscalers) {
    if (!autoscaler->scales_on_resources_only()) continue;
    bool memory_only = !autoscaler->metrics.empty() &&
                       std::all_of(autoscaler->metrics.begin(), autoscaler->metrics.end(),
                                   [](const k8s::Metric& metric) { return metric.kind == k8s::MetricKind::Memory; });
    std::string_view on = autoscaler->metrics.empty() ? "CPU (its default, with no metrics given)"
                          : memory_only                ? "memory only"
                                                       : "CPU/memory only";
    const Node& at = autoscaler->metrics_node ? *autoscaler->metrics_node : *autoscaler->node;
    Finding& finding = context.report_key(
        at, fmt::format("{} {}scales {} on {}, but it runs {}: a queue worker's CPU says little about its backlog (jobs "
                        "waiting on I/O or an API use no CPU while the queue grows; a burst of jobs scales out only "
                        "after they have waited), so it scales late or not at all; scale on the queue instead "
                        "(queue length or latency as an External metric from an exporter, or a KEDA ScaledObject "
                        "with a trigger for the queue)",
                        autoscaler->kind,
                        autoscaler->name && autoscaler->name->is_string() ? fmt::format("\"{}\" ", autoscaler->name->text) : "",
                        workload.label(), on, worker->name));
    RuleContext::relate(finding, *worker_container->node, "the worker container");
  }
}

const RuleRegistration registration{{
    .id = "K8S009",
    .slug = "cpu-hpa-for-queue-worker",
    .severity = Severity::Note,
    .summary = "An autoscaler scales a queue-worker workload on CPU/memory only, not on its queue",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
