// K8S011: a pod container's image has no tag or uses :latest.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

void check_container(const k8s::Workload& workload, const k8s::Container& container, RuleContext& context) {
  if (!container.image) return;
  auto image = container.image->as_string();
  if (!image) return;
  detect::ImageReference reference = detect::parse_image_reference(*image);
  if (!reference.is_mutable()) return;
  std::string what = reference.has_tag() ? std::string("the tag \"latest\"") : std::string("no tag (so \"latest\")");
  std::string name = reference.registry.empty() ? reference.repository : reference.registry + "/" + reference.repository;
  // Without a tag or with :latest, the kubelet's default imagePullPolicy is Always: every pod start
  // pulls whatever the tag points to at that moment.
  context.report(*container.image,
                 fmt::format("{} uses image \"{}\" with {}: every pod start (a reschedule, a scale-out, a node "
                             "replacement) pulls whatever the tag points to then, so replicas of one revision can run "
                             "different builds and a rollback can redeploy the broken one; pin a version tag "
                             "(\"{}:<version>\") or a digest (\"{}@sha256:<digest>\")",
                             k8s::describe_container(workload, container), *image, what, name, name));
}

void check(const k8s::Workload& workload, RuleContext& context) {
  for (const k8s::Container& container : workload.init_containers) check_container(workload, container, context);
  for (const k8s::Container& container : workload.containers) check_container(workload, container, context);
}

const RuleRegistration registration{{
    .id = "K8S011",
    .slug = "pod-image-mutable-tag",
    .severity = Severity::Warning,
    .summary = "A pod container image has no tag or uses :latest, so what runs changes without a new revision",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
