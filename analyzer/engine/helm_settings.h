#pragma once
// The config's `helm:` settings (values files, set, release name, namespace, Kubernetes version
// and API versions), shared by `shiftlint check` (charts are linted as rendered with them) and
// `shiftlint render`.
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/project/argo_source.h"
#include "analyzer/project/skaffold_index.h"

namespace shiftlint {

struct HelmSettings {
  helm::RenderOptions options;
  std::vector<std::string> value_files;  // as written in the config, relative to its folder
  // Reads the value files (relative to the config's folder) and the `set:` pairs into `values`;
  // a file that cannot be read or parsed is a problem.
  // `display_base`: the absolute folder the values files are named from in findings (the scan root
  // of `check`, the working directory of `render`): a file the config names beside it, above it
  // (`../deploy/values-prod.yaml`) or anywhere else is named from there.
  void apply_values(const Config& config, helm::UserValues& values, std::vector<helm::ChartProblem>& problems,
                    const std::string& display_base) const;
};

HelmSettings read_helm_settings(const Config& config);

// Argo CD renders a chart folder with the `helm.parameters` of the override files kept beside it
// (project/argo_source.h; argocd-image-updater's git write-back sets `image.tag` there), after the
// values files, as --set (--set-string with `forcestring`). Adds them to `values`; a parameter
// that cannot be set is a warning. The result holds what the values point into: keep it until the
// rendering is done.
ArgoSourceOverrides apply_argo_parameters(const std::string& chart_directory, const std::string& display_directory,
                                          const LoadLimits& limits, helm::UserValues& values,
                                          std::vector<std::string>& warnings);

// Skaffold renders a chart folder one of its Helm releases deploys (project/skaffold_index.h) with
// that release's `valuesFiles` (-f) and `setValues`/`setValueTemplates`/`artifactOverrides`
// (--set), under its name and namespace. Adds them to `values` and `options`, after the config's
// values; a values file that cannot be read or parsed, or a value that cannot be set, is a warning.
// The Skaffold file is the analysed repository's: a values file is read only if it is a regular file
// inside `root` (links resolved; empty: anywhere), the release's files 8 MiB in all. Templated
// values are left out (release.skipped): Skaffold fills them in at deploy time, mostly with the
// image it built, which the Helm phase recognises in the rendered manifests anyway.
void apply_skaffold_release(const SkaffoldRelease& release, const std::string& root, helm::UserValues& values,
                            helm::RenderOptions& options, std::vector<std::string>& warnings);

}  // namespace shiftlint
