// K8S008: a Deployment that runs (or can scale to) several replicas runs DB migrations at start.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/startup_work.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.kind != k8s::WorkloadKind::Deployment) return;
  auto replicas = workload.max_replicas();
  if (!replicas || *replicas <= 1) return;
  std::string scaled = workload.autoscalers.empty() ? fmt::format("runs {} replicas", *replicas)
                                                    : fmt::format("scales up to {} replicas", *replicas);
  for (const std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers}) {
    for (const k8s::Container& container : *list) {
      for (const std::vector<std::string>& command : k8s::commands_run(container)) {
        for (const detect::StartupWork& work : detect::detect_startup_work(command)) {
          if (work.kind != detect::StartupWorkKind::Migration) continue;
          std::string_view word = work.word < command.size() ? std::string_view(command[work.word]) : "";
          context.report(k8s::command_location(container, word),
                         fmt::format("{} runs `{}` at every pod start, and the {} {}: replicas starting together race "
                                     "to migrate the same database, pods of the old revision keep serving on the "
                                     "new schema during the rollout, and a slow migration fails the pod's probes; "
                                     "run it once per release in a Job (a Helm pre-upgrade hook, an Argo CD PreSync "
                                     "hook or a pipeline step) before the rollout",
                                     k8s::describe_container(workload, container), work.description,
                                     k8s::to_string(workload.kind), scaled));
        }
      }
    }
  }
}

const RuleRegistration registration{{
    .id = "K8S008",
    .slug = "deployment-migrates-at-startup",
    .severity = Severity::Warning,
    .summary = "A Deployment with several replicas (or an autoscaler) runs database migrations when its pods start",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
