// K8S014: a container's command, args or env points at the EC2 instance metadata service.
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/instance_metadata.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

constexpr std::string_view kWhy =
    "on EKS the pod then gets the node's identity and IAM role (or nothing: IMDSv2's default hop limit of 1 stops "
    "pods, and Fargate has no IMDS at all) instead of its own; give the pod its own role (IRSA or EKS Pod Identity) "
    "and let the AWS SDK find credentials and region itself";

// The exec commands of the container's probes and lifecycle hooks: they run inside it too.
std::vector<const Node*> hook_and_probe_words(const k8s::Container& container) {
  std::vector<const Node*> words;
  auto add_exec = [&](const Node* handler) {
    const Node* exec = handler && handler->is_map() ? handler->find("exec") : nullptr;
    const Node* command = exec && exec->is_map() ? exec->find("command") : nullptr;
    if (command && command->is_list())
      for (const Node& item : command->children) words.push_back(&item);
  };
  for (const std::optional<k8s::Probe>* probe : {&container.liveness_probe, &container.readiness_probe,
                                                 &container.startup_probe})
    if (*probe) add_exec((*probe)->node);
  if (container.lifecycle) {
    add_exec(container.lifecycle->find("postStart"));
    add_exec(container.lifecycle->find("preStop"));
  }
  return words;
}

void check_container(const k8s::Workload& workload, const k8s::Container& container, RuleContext& context) {
  const std::string subject = k8s::describe_container(workload, container);
  std::vector<const Node*> words = container.command_line_nodes();
  for (const Node* item : hook_and_probe_words(container)) words.push_back(item);
  for (const Node* item : words) {
    auto text = item->as_string();
    if (!text) continue;
    if (auto mention = detect::find_instance_metadata_mention(*text)) {
      context.report(*item, fmt::format("{} calls {} ({}): {}", subject, mention->description, mention->marker, kWhy));
    }
  }
  for (const k8s::EnvironmentEntry& entry : container.environment) {
    auto text = entry.value ? entry.value->as_string() : std::nullopt;
    if (!text) continue;
    if (auto mention = detect::find_instance_metadata_mention(*text)) {
      std::string_view name = entry.name ? entry.name->as_string().value_or("") : "";
      context.report(*entry.value, fmt::format("{} sets {} to {} ({}): {}", subject,
                                               name.empty() ? std::string("a variable") : fmt::format("\"{}\"", name),
                                               mention->description, mention->marker, kWhy));
    }
  }
}

void check(const k8s::Workload& workload, RuleContext& context) {
  for (const k8s::Container& container : workload.init_containers) check_container(workload, container, context);
  for (const k8s::Container& container : workload.containers) check_container(workload, container, context);
}

const RuleRegistration registration{{
    .id = "K8S014",
    .slug = "pod-instance-metadata-access",
    .severity = Severity::Warning,
    .summary = "A container's command or env points at the EC2 instance metadata service (169.254.169.254)",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
