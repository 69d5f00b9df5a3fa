#pragma once
// Argo CD's parameter overrides kept in Git beside the source they apply to (Argo CD's "Parameter
// Overrides", argocd-image-updater's git write-back): `.argocd-source.yaml` applies to every
// Application whose source path is the folder, `.argocd-source-<application>.yaml` to one of them.
// Argo CD merges the shared file, then the application's, into the Application's source before it
// renders the folder: a kustomization gets `kustomize edit set image` with each `kustomize.images`
// entry, a chart `--set` (`--set-string` with `forcestring: true`) with each `helm.parameters`
// entry. Both the kustomize index (K8S011's pins) and the Helm phase (what a chart renders) read
// them here.
//
// The application a folder's files belong to is not known here (Applications usually live
// elsewhere, often only in the cluster): a folder with one application's file reads it after the
// shared one; a folder with several applications' files reads the shared one only, since each of
// those applications deploys something else.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/parse/document.h"

namespace shiftlint {

struct ArgoSourceOverrides {
  // A `kustomize edit set image` argument (`web:1.4`, `web=registry/web@sha256:...`) and its line.
  struct KustomizeImage {
    std::string argument;
    Location location;
  };
  // A `helm.parameters` entry: `name` is a --set key (`image.tag`, `env[0].value`).
  struct HelmParameter {
    std::string name;
    std::string value;
    bool force_string = false;
    const Node* value_node = nullptr;  // its `value:` (in `documents`), where the value comes from
  };
  std::vector<KustomizeImage> kustomize_images;  // in the order Argo CD applies them
  std::vector<HelmParameter> helm_parameters;    // likewise: a later one for the same name wins
  std::vector<std::shared_ptr<const Document>> documents;  // the files read, holding the nodes above
  bool empty() const { return kustomize_images.empty() && helm_parameters.empty(); }
};

// `.argocd-source.yaml` or `.argocd-source-<application>.yaml`.
bool is_argo_source_name(std::string_view file_name);

// The overrides of the Argo CD files in `folder` (absolute), read from disk: regular files only,
// each at most 1 MiB; one that does not parse is skipped. `display_folder`: the folder as reports
// show it ("" for the scan root).
ArgoSourceOverrides read_argo_source_overrides(const std::string& folder, const std::string& display_folder,
                                               LoadLimits limits);

}  // namespace shiftlint
