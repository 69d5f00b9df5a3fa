// K8S001: a log shipper runs as a regular container beside the app, without preStop coordination.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/log_shipper.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.runs_to_completion()) return;  // a Job's sidecar never lets it finish: K8S013
  if (workload.is_fragment()) return;          // a patch: the base may hold the preStop
  for (const k8s::Container& container : workload.containers) {
    if (container.pre_stop) continue;  // coordinated by hand (waits for the app's port or an exit marker)
    auto words = container.command_line().value_or(std::vector<std::string>{});
    detect::LogContainer role = detect::classify_log_container(container.image_text(), words, false);
    if (role.role != detect::LogContainerRole::LogShipperSidecar || !role.shipper) continue;
    const k8s::Container* app = nullptr;
    for (const k8s::Container& other : workload.containers)
      if (&other != &container) {
        auto other_words = other.command_line().value_or(std::vector<std::string>{});
        if (detect::classify_log_container(other.image_text(), other_words, false).role ==
            detect::LogContainerRole::Application) {
          app = &other;
          break;
        }
      }
    if (!app) continue;  // a log-shipping pod of its own (a DaemonSet, an aggregator)
    std::string_view app_name = app->name_text();
    Finding& finding = context.report(
        *container.node,
        fmt::format("{} runs {} ({}) as a regular container: at shutdown Kubernetes sends SIGTERM to every container "
                    "at once, so the shipper can exit before {} has written its last lines and they are lost; "
                    "move it to initContainers with restartPolicy: Always (a native sidecar, Kubernetes 1.29+: "
                    "started before the app and stopped after it), or give it a preStop hook that waits for the "
                    "app to finish",
                    k8s::describe_container(workload, container), role.shipper->product, role.shipper->evidence,
                    app_name.empty() ? std::string("the app") : fmt::format("\"{}\"", app_name)));
    RuleContext::relate(finding, *app->node, "the app container whose logs it ships");
  }
}

const RuleRegistration registration{{
    .id = "K8S001",
    .slug = "log-sidecar-not-native",
    .severity = Severity::Warning,
    .summary = "A log shipper runs as a regular container (not a native sidecar) with no preStop coordination",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
