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
  // Istio's gateway charts write `image: auto`: the sidecar injector replaces it with the proxy image
  // it runs at deploy time, so the manifest names no image to pin.
  if (*image == "auto") return;
  // A kustomize base: every overlay that deploys it sets the tag (kustomization `images:`).
  if (container.image_pinned_by_kustomize) return;
  detect::ImageReference reference = detect::parse_image_reference(*image);
  if (!reference.is_mutable()) return;
  std::string what = reference.has_tag() ? std::string("the tag \"latest\"") : std::string("no tag (so \"latest\")");
  std::string name = reference.registry.empty() ? reference.repository : reference.registry + "/" + reference.repository;
  // Without a tag or with :latest, the kubelet's default imagePullPolicy is Always: every pod start
  // pulls whatever the tag points to at that moment.
  // A Job, a CronJob or a one-shot Pod (a Helm test hook) has no replicas to drift apart: what
  // changes is what each run executes.
  std::string_view consequence =
      workload.runs_to_completion()
          ? "every run pulls whatever the tag points to then, so the same manifest runs different builds from one "
            "run to the next, and a broken push breaks the next run with nothing in the repository changed"
          : "every pod start (a reschedule, a scale-out, a node replacement) pulls whatever the tag points to then, "
            "so replicas of one revision can run different builds and a rollback can redeploy the broken one";
  // Through kustomize the tag that runs is the overlay's: that is where to pin it.
  std::string fix = container.image_deployed_unpinned_by.empty()
                        ? fmt::format("pin a version tag (\"{}:<version>\") or a digest (\"{}@sha256:<digest>\")", name, name)
                        : fmt::format("{} deploys it without pinning it: give the image a newTag with a version or a "
                                      "digest under images: there (kustomize edit set image {}:<version>)",
                                      container.image_deployed_unpinned_by, k8s::image_name_without_tag(*image));
  context.report(*container.image, fmt::format("{} uses image \"{}\" with {}: {}; {}",
                                               k8s::describe_container(workload, container), *image, what,
                                               consequence, fix));
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
