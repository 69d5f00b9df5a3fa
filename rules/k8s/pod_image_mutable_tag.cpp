// K8S011: a pod container's image has no tag or uses :latest.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"
#include "analyzer/project/deploy_config_file.h"
#include "analyzer/project/argo_source.h"

namespace shiftlint {
namespace {

// In a Helm chart, where the pin goes: the values line that set the tag (or the whole image), or
// Chart.yaml's appVersion when the template falls back to it (`default .Chart.AppVersion`).
void relate_tag_source(Finding& finding, const Node& image_node, std::string_view image,
                       const detect::ImageReference& reference, const RuleContext& context) {
  const Node* source = context.value_source(image_node);
  if (!source) return;
  std::optional<std::string_view> written = source->as_string();
  if (source->key == "appVersion" && source->file->display_path().ends_with("Chart.yaml")) {
    context.relate_value_source(finding, image_node,
                                "the tag is the chart's appVersion, set here, which the template uses when the "
                                "values give no tag: set the image's tag in the values to a released version (or "
                                "give appVersion one)");
  } else if (reference.has_tag() && written == reference.tag) {
    context.relate_value_source(finding, image_node, "the tag comes from here: pin a version here");
  } else if (written == image) {
    context.relate_value_source(finding, image_node, "the image comes from here: pin a version tag or a digest here");
  }
  // Otherwise the last value printed in the image is not its tag: the phase names it as usual.
}

void check_container(const k8s::Workload& workload, const k8s::Container& container, RuleContext& context) {
  if (!container.image) return;
  auto image = container.image->as_string();
  if (!image) return;
  // Istio's gateway charts write `image: auto`: the sidecar injector replaces it with the proxy image
  // it runs at deploy time, so the manifest names no image to pin.
  if (*image == "auto") return;
  // ko (`ko apply`, `ko resolve`) builds a `ko://<Go import path>` reference and writes the image's
  // digest in its place: what runs is pinned, and the manifest has no tag to give.
  if (image->starts_with("ko://")) return;
  // Skaffold builds the image and writes the reference it built, digest included, in its place.
  if (!container.image_built_by_skaffold.empty()) return;
  // A kustomize base: every overlay that deploys it sets the tag (kustomization `images:`).
  if (container.image_pinned_by_kustomize) return;
  // A kustomize base whose overlays all put another image in its place with a patch: that image is
  // what runs, judged in the patch file (or pinned in the kustomization's own patch).
  if (container.image_replaced_by_kustomize) return;
  detect::ImageReference reference = detect::parse_image_reference(*image);
  // An overlay's `newTag: latest` replaces whatever tag the base wrote.
  const Location* set_latest_at = container.image_tag_set_latest_at.get();
  if (!reference.is_mutable() && !set_latest_at) return;
  // The tag is set by the kustomization's `newTag`, or by an Argo CD override file beside it
  // (argocd-image-updater's git write-back).
  bool set_by_argo = set_latest_at && is_argo_source_name(file_name_of(set_latest_at->path));
  std::string setter = !set_latest_at ? std::string()
                       : set_by_argo  ? fmt::format("kustomize.images in {}", set_latest_at->path)
                                      : std::string("newTag: latest");
  // The kustomization that sets the tag is not always the one that deploys the image: an overlay
  // (dev/) can deploy a base (base/) whose own `images:` gives newTag: latest. The pin goes where the
  // tag is set, so the message names that file and, when another deploys it, that one as well.
  const std::string& deployer = container.image_deployed_unpinned_by;
  std::string what;
  if (set_latest_at && !set_by_argo && !deployer.empty() && deployer != set_latest_at->path) {
    what = fmt::format(", which {} deploys with the tag \"latest\" that {} sets ({})", deployer, set_latest_at->path,
                       setter);
  } else if (set_latest_at) {
    what = fmt::format(", which {} deploys with the tag \"latest\" ({})", deployer.empty() ? set_latest_at->path : deployer,
                       setter);
  } else {
    what = reference.has_tag() ? std::string(" with the tag \"latest\"") : std::string(" with no tag (so \"latest\")");
  }
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
  std::string fix =
      container.image_deployed_unpinned_by.empty()
          ? fmt::format("pin a version tag (\"{}:<version>\") or a digest (\"{}@sha256:<digest>\")", name, name)
      : set_by_argo ? std::string("write a version or a digest there instead (with Argo CD Image Updater, an update "
                                  "strategy that writes one: semver or digest)")
      : set_latest_at ? fmt::format("set a version or a digest in {} instead (kustomize edit set image {}:<version>)",
                                    set_latest_at->path, k8s::image_name_without_tag(*image))
                      : fmt::format("{} deploys it without pinning it: give the image a newTag with a version or a "
                                    "digest under images: there (kustomize edit set image {}:<version>)",
                                    container.image_deployed_unpinned_by, k8s::image_name_without_tag(*image));
  Finding& finding = context.report(*container.image, fmt::format("{} uses image \"{}\"{}: {}; {}",
                                                                  k8s::describe_container(workload, container), *image,
                                                                  what, consequence, fix));
  if (set_latest_at) {
    RuleContext::relate(finding, *set_latest_at, "the tag is set to \"latest\" here: pin a version here");
    return;
  }
  relate_tag_source(finding, *container.image, *image, reference, context);
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
