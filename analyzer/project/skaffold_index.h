#pragma once
// The images the run's Skaffold configurations build. `skaffold run`/`skaffold deploy` builds each
// artifact of `build.artifacts` and, in every manifest it deploys, replaces an `image:` naming the
// artifact (by name, whatever tag it writes) with the reference it built, tagged and pinned to its
// digest. So `image: adservice` in a Skaffold project's manifests is not what runs: K8S011 must not
// call it untagged.
//
// Read from the run's own files, or from those of its scan root when it lints files
// (project/deploy_configurations.h): skaffold.yaml, and variants such as skaffold-gradle.yaml that
// `skaffold -f` is given (a document counts when its apiVersion is skaffold/...). Once, on first
// use, by whichever worker asks first. A configuration applies to the manifests in its folder and
// below it; its profiles' artifacts count too, written out or added by a profile's JSON patch (a
// profile adds to or replaces the build). Configurations a `requires:` entry pulls in from
// elsewhere count where they are, if the run holds them. Charts in a configuration's folder get the
// same treatment (the Helm phase asks about their Chart.yaml): Skaffold v2 deploys a chart through
// a post-renderer that replaces the rendered images naming its artifacts. Which manifests the
// configuration really deploys (`manifests.rawYaml`) is not read: everything under its folder counts.
//
// Its Helm releases (`deploy.helm.releases`, `manifests.helm.releases`) say how a local chart is
// rendered: release_of gives the one release that deploys a chart folder, and the Helm phase and
// `shiftlint render` render the chart with its values files and --set values, under its release
// name and namespace (engine/helm_settings.h), as `skaffold deploy` does. A release only a profile
// declares, or a chart two releases deploy, keeps the chart's own values.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/once.h"

namespace shiftlint {

// One entry of a configuration's `helm.releases` with a local chart (`chartPath`).
struct SkaffoldRelease {
  std::string configuration;    // display path of the Skaffold file
  std::string name;             // the release name (Skaffold passes it to helm)
  std::string namespace_name;   // empty when the release does not set one
  std::string chart_directory;  // absolute, in normal form
  struct ValuesFile {
    std::string path;          // absolute, in normal form
    std::string display_path;  // relative to the scan root, as the configuration's display path is
  };
  std::vector<ValuesFile> values_files;  // `valuesFiles`, in order (relative to the configuration's folder)
  // `setValues` (nested maps flattened to dotted keys), then the `setValueTemplates` without a
  // template in them, then `artifactOverrides` (the artifact's image name, as a string): --set
  // pairs, in the order Skaffold passes them. `value` is the scalar in the Skaffold file.
  struct Setting {
    std::string key;
    const Node* value = nullptr;
    bool as_string = false;  // --set-string
  };
  std::vector<Setting> settings;
  // What was left out: a templated value or values file (`{{.IMAGE_TAG}}`, `{{.ENV}}`), as keys or
  // file names, for a warning.
  std::vector<std::string> skipped;
};

class SkaffoldIndex {
 public:
  // `run_files` must outlive the index: it keeps pointers to the Skaffold files among them.
  SkaffoldIndex(LoadLimits limits, const std::vector<DiscoveredFile>& run_files);
  SkaffoldIndex(const SkaffoldIndex&) = delete;
  SkaffoldIndex& operator=(const SkaffoldIndex&) = delete;

  // The display path of a Skaffold configuration in the manifest's folder or above it that builds
  // `image_name` (a reference without tag or digest), or nullopt. `path_on_disk`: absolute, in
  // normal form, as discovery gives it.
  std::optional<std::string> builder_of(std::string_view path_on_disk, std::string_view image_name) const;

  // The release of the run's configurations that deploys the chart in `chart_directory` (absolute,
  // in normal form), when exactly one does; nullptr otherwise. `deployments` (optional) is set to
  // how many releases deploy it.
  const SkaffoldRelease* release_of(std::string_view chart_directory, size_t* deployments = nullptr) const;

  // Whether a release names `path` (absolute, in normal form) as a values file: the editor lints
  // the chart again when that file changes, wherever it is.
  bool reads_values_file(std::string_view path) const;

  static bool is_skaffold_name(std::string_view file_name);

 private:
  struct Configuration {
    std::string folder;        // absolute, with a trailing '/'
    std::string display_path;  // of the skaffold file
    std::vector<std::string> images;
  };
  void load() const;

  LoadLimits limits_;
  std::vector<const DiscoveredFile*> files_;
  mutable Once loaded_;
  mutable std::vector<Configuration> configurations_;  // set once, under loaded_
  mutable std::vector<SkaffoldRelease> releases_;       // likewise
  mutable std::vector<std::shared_ptr<const Document>> documents_;  // what the releases' settings point into
};

}  // namespace shiftlint
