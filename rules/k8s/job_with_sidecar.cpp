// K8S013: a Job or CronJob pod runs a long-running sidecar as a regular container.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/sidecar.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

std::optional<detect::Sidecar> sidecar_of(const k8s::Container& container) {
  return detect::detect_sidecar(container.image_text(), container.command_line().value_or(std::vector<std::string>{}));
}

// "cloud-sql-proxy (a database proxy, image gcr.io/...)", "`tail -f` (a command that never exits)".
std::string describe(const detect::Sidecar& sidecar) {
  if (sidecar.kind == detect::SidecarKind::KeepAlive)
    return fmt::format("`{}` (a command that never exits)", sidecar.product);
  return fmt::format("{} ({}, {})", sidecar.product, detect::to_string(sidecar.kind), sidecar.evidence);
}

bool runs_one_of(const std::vector<std::string>& command, std::initializer_list<std::string_view> programs) {
  if (command.empty()) return false;
  std::string_view program = detect::program_basename(command.front());
  for (std::string_view name : programs)
    if (program == name) return true;
  return false;
}

bool any_word_contains(const std::vector<std::string>& command, std::string_view text) {
  for (const std::string& word : command)
    if (word.find(text) != std::string::npos) return true;
  return false;
}

// The ways a Job's pod ends a sidecar itself, from before native sidecars (the Kubernetes and Istio
// docs describe them; real charts use each):
//  - the sidecar's own script watches for a file the work container writes when it is done, and
//    kills the process it started (`proxy & ... while [ ! -f /shared/done ]; ... kill $PID`);
//  - the pod shares one process namespace (`shareProcessNamespace: true`) and another container
//    kills the sidecar's process (`pkill`, `killall`, or a script handed the process's name);
//  - another container asks a proxy to quit through its admin port: Envoy's and Istio's
//    `/quitquitquit` (`pilot-agent request POST quitquitquit` too), the Cloud SQL Auth Proxy's
//    `--quitquitquit` endpoint, Linkerd's `/shutdown` or `linkerd-await --shutdown`.
// Any of them means the Job was written to complete: reporting it would be a false error.
bool stopped_on_purpose(const k8s::Workload& workload, const k8s::Container& sidecar_container,
                        const detect::Sidecar& sidecar) {
  std::vector<std::vector<std::string>> own = k8s::commands_run(sidecar_container);
  for (const std::vector<std::string>& command : own)
    if (runs_one_of(command, {"kill", "pkill", "killall"})) return true;

  const Node* shared = workload.pod_spec ? workload.pod_spec->find("shareProcessNamespace") : nullptr;
  bool shares_processes = shared && shared->as_boolean().value_or(false);
  // The program the sidecar runs as other containers would name it ("cloud_sql_proxy"); too short a
  // name ("sh") would match anything.
  std::string_view program = own.empty() ? std::string_view() : detect::program_basename(own.front().front());
  if (program.size() < 4) program = {};
  bool is_proxy = sidecar.kind == detect::SidecarKind::MeshProxy || sidecar.kind == detect::SidecarKind::ReverseProxy ||
                  sidecar.kind == detect::SidecarKind::DatabaseProxy;

  for (const k8s::Container& other : workload.containers) {
    if (&other == &sidecar_container) continue;
    for (const std::vector<std::string>& command : k8s::commands_run(other)) {
      if (shares_processes && runs_one_of(command, {"kill", "pkill", "killall"})) return true;
      if (shares_processes && !program.empty() && any_word_contains(command, program)) return true;
      if (!is_proxy) continue;
      if (any_word_contains(command, "quitquitquit")) return true;
      if (runs_one_of(command, {"linkerd-await"}) && any_word_contains(command, "--shutdown")) return true;
      for (const std::string& word : command)
        if (word.ends_with("/shutdown") &&
            (word.find("localhost:") != std::string::npos || word.find("127.0.0.1:") != std::string::npos))
          return true;
    }
  }
  return false;
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
    if (!sidecar || stopped_on_purpose(workload, container, *sidecar)) continue;
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
