#pragma once
// The deploy tools' files of a folder: the kustomization and Skaffold files under it, read into
// their indexes (project/kustomize_index.h, project/skaffold_index.h). A manifest is judged as the
// overlays and Skaffold configurations around it deploy it, and a chart is rendered as the Skaffold
// release that deploys it, whether or not those files are among the files being linted.
//
// `shiftlint check <folder>` reads the ones among its own files. Two callers look further, so that
// they agree with it:
// - a `check` of files (what the pre-commit hook passes: only the staged ones) reads those of its
//   scan root, as `check .` from there would (engine/check_run.cpp);
// - the editor reads those of the configuration's folder once, when it first lints a manifest or a
//   chart there (lsp/server.cpp).
// The search walks the folder as discovery walks a folder argument: .gitignore files and the
// config's `exclude` apply, VCS folders are skipped, and `walk.max_entries` bounds it (a problem
// then says where it stopped). It lists folders only; nothing but the files kept is read.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/project/kustomize_index.h"
#include "analyzer/project/skaffold_index.h"
#include "analyzer/source/discovery.h"

namespace shiftlint {

// Folder entries a search lists before it stops, where its caller sets no bound of its own.
inline constexpr size_t kDeployConfigurationSearchEntries = 200000;

struct DeployConfigurations {
  std::vector<DiscoveredFile> files;          // the indexes point into them
  std::unique_ptr<KustomizeIndex> kustomize;  // null when there is no kustomization
  std::unique_ptr<SkaffoldIndex> skaffold;    // null when there is no Skaffold file
  std::vector<DiscoveryProblem> problems;     // the walk's (unreadable folders, the bound reached)
  bool stopped = false;                       // the walk reached walk.max_entries
};

// Whether a file of this name may be a kustomization or a Skaffold configuration.
bool is_deploy_configuration_name(std::string_view file_name);

// The kustomization and Skaffold files a run at `folder` (absolute, normal form) reads, with `also`
// (the run's own), and their indexes: those of the git repository `folder` is in, or of `folder`
// when it is in none (source/read_bound.h), named from `folder` ("../overlays/prod/kustomization.yaml").
std::shared_ptr<DeployConfigurations> find_deploy_configurations(const std::string& folder,
                                                                 const DiscoveryOptions& walk,
                                                                 const LoadLimits& limits,
                                                                 const std::vector<DiscoveredFile>& also = {});

// The indexes of the kustomization and Skaffold files among `listed` and `also` (files to index even
// when a walk does not list them: a run's own ones, since a file argument is linted even when a
// .gitignore ignores it); a file in both is kept once, the others are left out.
std::shared_ptr<DeployConfigurations> index_deploy_configurations(const std::vector<DiscoveredFile>& listed,
                                                                  const std::vector<DiscoveredFile>& also,
                                                                  const LoadLimits& limits);

}  // namespace shiftlint
