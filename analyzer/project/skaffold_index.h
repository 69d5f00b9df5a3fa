#pragma once
// The images the run's Skaffold configurations build. `skaffold run`/`skaffold deploy` builds each
// artifact of `build.artifacts` and, in every manifest it deploys, replaces an `image:` naming the
// artifact (by name, whatever tag it writes) with the reference it built, tagged and pinned to its
// digest. So `image: adservice` in a Skaffold project's manifests is not what runs: K8S011 must not
// call it untagged.
//
// Read from the run's own files (skaffold.yaml, and variants such as skaffold-gradle.yaml that
// `skaffold -f` is given: a document counts when its apiVersion is skaffold/...), once, on first
// use, by whichever worker asks first. A configuration applies to the manifests in its folder and
// below it; its profiles' artifacts count too, written out or added by a profile's JSON patch (a
// profile adds to or replaces the build). Configurations a `requires:` entry pulls in from
// elsewhere count where they are, if the run holds them. Charts in a configuration's folder get the
// same treatment (the Helm phase asks about their Chart.yaml): Skaffold v2 deploys a chart through
// a post-renderer that replaces the rendered images naming its artifacts. Which manifests and
// charts the configuration really deploys (`manifests.rawYaml`, `deploy.helm.releases`) is not
// read: everything under its folder counts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/once.h"

namespace shiftlint {

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
};

}  // namespace shiftlint
