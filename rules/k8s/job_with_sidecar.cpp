// K8S013: a Job or CronJob pod runs a long-running sidecar as a regular container.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/sidecar.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

std::optional<detect::Sidecar> sidecar_of(const k8s::Container& container) {
  return detect::detect_sidecar(container.image_text(), container.command_line().value_or(std::vector<std::string>{}));
}

// "cloud-sql-proxy (a database proxy, image gcr.io/...)", "`tail -f` (a command that only waits)".
std::string describe(const detect::Sidecar& sidecar) {
  if (sidecar.kind == detect::SidecarKind::KeepAlive)
    return fmt::format("`{}` (a command that only waits)", sidecar.product);
  return fmt::format("{} ({}, {})", sidecar.product, detect::to_string(sidecar.kind), sidecar.evidence);
}

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.kind != k8s::WorkloadKind::Job && workload.kind != k8s::WorkloadKind::CronJob) return;
  if (workload.containers.size() < 2) return;
  const k8s::Container* job = nullptr;
  for (const k8s::Container& container : workload.containers)
    if (!sidecar_of(container)) {
      job = &container;
      break;
    }
  if (!job) return;  // every container is a helper: nothing says which one does the work
  for (const k8s::Container& container : workload.containers) {
    auto sidecar = sidecar_of(container);
    if (!sidecar) continue;
    std::string_view job_name = job->name_text();
    Finding& finding = context.report(
        *container.node,
        fmt::format("{} runs {} as a regular container: a Job completes only when all its containers have "
                    "exited, and this one never does, so the Job hangs after {} finishes (and a CronJob piles up "
                    "runs or skips them under concurrencyPolicy: Forbid); move it to initContainers with "
                    "restartPolicy: Always (a native sidecar, Kubernetes 1.29+), which is stopped once the main "
                    "containers exit",
                    k8s::describe_container(workload, container), describe(*sidecar),
                    job_name.empty() ? std::string("the job container") : fmt::format("\"{}\"", job_name)));
    RuleContext::relate(finding, *job->node, "the container doing the Job's work");
  }
}

const RuleRegistration registration{{
    .id = "K8S013",
    .slug = "job-with-sidecar",
    .severity = Severity::Error,
    .summary = "A Job or CronJob pod runs a long-running sidecar as a regular container, so the Job never completes",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
