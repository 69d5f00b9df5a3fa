#pragma once
// The config's `helm:` settings (values files, set, release name, namespace, Kubernetes version
// and API versions), shared by `shiftlint check` (charts are linted as rendered with them) and
// `shiftlint render`.
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/model/helm/render.h"

namespace shiftlint {

struct HelmSettings {
  helm::RenderOptions options;
  std::vector<std::string> value_files;  // as written in the config, relative to its folder
  // Reads the value files (relative to the config's folder) and the `set:` pairs into `values`;
  // a file that cannot be read or parsed is a problem.
  void apply_values(const Config& config, helm::UserValues& values, std::vector<helm::ChartProblem>& problems) const;
};

HelmSettings read_helm_settings(const Config& config);

}  // namespace shiftlint
