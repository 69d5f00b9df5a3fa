// K8S014: a container's command, args or env points at the EC2 instance metadata service.
#include <string>

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

void check_container(const k8s::Workload& workload, const k8s::Container& container, RuleContext& context) {
  const std::string subject = k8s::describe_container(workload, container);
  for (const Node* item : container.command_line_nodes()) {
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
