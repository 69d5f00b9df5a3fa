// K8S002: a reverse proxy container in front of the app has no preStop hook.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/sidecar.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

// Utility containers that keep files or Secrets in step and take no requests: git-sync, kiwigrid's
// k8s-sidecar, configmap-reload, config-reloader, JupyterHub's k8s-secret-sync. A proxy whose only
// neighbour is one of them is an edge proxy sending requests to another pod.
bool is_sync_helper(std::string_view image) {
  detect::ImageReference reference = detect::parse_image_reference(image);
  if (!reference.known) return false;
  std::string_view name = reference.repository;
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (std::string_view word : {"sync", "reload", "k8s-sidecar", "watcher"})
    if (name.find(word) != std::string_view::npos) return true;
  return false;
}

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.runs_to_completion() || workload.containers.size() < 2 || workload.is_fragment()) return;
  for (const k8s::Container& container : workload.containers) {
    if (container.pre_stop) continue;
    auto sidecar = detect::detect_sidecar(container.image_text(), container.command_line().value_or(std::vector<std::string>{}));
    if (!sidecar || sidecar->kind != detect::SidecarKind::ReverseProxy) continue;
    // The app behind it: another container that is not itself a helper.
    const k8s::Container* app = nullptr;
    for (const k8s::Container& other : workload.containers)
      if (&other != &container && !is_sync_helper(other.image_text()) &&
          !detect::detect_sidecar(other.image_text(), other.command_line().value_or(std::vector<std::string>{}))) {
        app = &other;
        break;
      }
    if (!app) continue;
    Finding& finding = context.report(
        *container.node,
        fmt::format("{} runs {} ({}) in front of the app with no preStop hook: at shutdown it gets SIGTERM while the "
                    "Service and load balancer still send it new requests for a few seconds (endpoint removal is "
                    "asynchronous), and it closes connections with requests in flight; add lifecycle.preStop that "
                    "waits for the endpoints to drain, then quits gracefully (for nginx: exec [\"sh\", \"-c\", "
                    "\"sleep 5 && nginx -s quit\"]; or the sleep action, Kubernetes 1.30+), and keep "
                    "terminationGracePeriodSeconds above that wait",
                    k8s::describe_container(workload, container), sidecar->product, sidecar->evidence));
    RuleContext::relate(finding, *app->node, "the app container it proxies to");
  }
}

const RuleRegistration registration{{
    .id = "K8S002",
    .slug = "proxy-sidecar-no-prestop",
    .severity = Severity::Warning,
    .summary = "An nginx/Envoy/HAProxy proxy container in front of the app has no preStop hook",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
