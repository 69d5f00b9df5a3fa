#include "analyzer/project/deploy_configurations.h"

#include <algorithm>
#include <set>
#include <utility>

#include "analyzer/project/deploy_config_file.h"
#include "analyzer/source/read_bound.h"
#include "analyzer/source/real_path.h"

namespace shiftlint {

bool is_deploy_configuration_name(std::string_view file_name) {
  return KustomizeIndex::is_kustomization_name(file_name) || SkaffoldIndex::is_skaffold_name(file_name);
}

std::shared_ptr<DeployConfigurations> index_deploy_configurations(const std::vector<DiscoveredFile>& listed,
                                                                  const std::vector<DiscoveredFile>& also,
                                                                  const LoadLimits& limits) {
  auto found = std::make_shared<DeployConfigurations>();
  std::set<std::string> kept;
  auto keep = [&](const DiscoveredFile& file) {
    if (!is_deploy_configuration_name(file_name_of(file.display_path()))) return;
    if (kept.insert(file.path()).second) found->files.push_back(file);
  };
  for (const DiscoveredFile& file : listed) keep(file);
  for (const DiscoveredFile& file : also) keep(file);
  bool any_kustomization = false;
  bool any_skaffold = false;
  for (const DiscoveredFile& file : found->files) {
    std::string_view name = file_name_of(file.display_path());
    any_kustomization |= KustomizeIndex::is_kustomization_name(name);
    any_skaffold |= SkaffoldIndex::is_skaffold_name(name);
  }
  // Each index keeps the files of its own tool out of the list (and none is built for a tool with no
  // file here).
  if (any_kustomization) found->kustomize = std::make_unique<KustomizeIndex>(limits, found->files);
  if (any_skaffold) found->skaffold = std::make_unique<SkaffoldIndex>(limits, found->files);
  return found;
}

std::shared_ptr<DeployConfigurations> find_deploy_configurations(const std::string& folder,
                                                                 const DiscoveryOptions& walk,
                                                                 const LoadLimits& limits,
                                                                 const std::vector<DiscoveredFile>& also) {
  std::string bound = read_bound_of(folder);
  DiscoveryOptions listing = walk;
  listing.root.clear();
  DiscoveryResult listed = discover({bound}, listing);
  if (bound != folder) {
    // Named from the folder the run is in, as its own files are.
    std::vector<DiscoveredFile> named;
    for (const DiscoveredFile& file : listed.files) {
      if (!is_deploy_configuration_name(file_name_of(file.display_path()))) continue;
      std::string path = file.path();
      named.emplace_back(path, is_within_folder(path, folder) ? path.substr(folder == "/" ? 1 : folder.size() + 1)
                                                              : path_from_scan_root(path, folder));
    }
    listed.files = std::move(named);
  }
  std::shared_ptr<DeployConfigurations> found = index_deploy_configurations(listed.files, also, limits);
  found->stopped = listed.stopped;
  found->problems = std::move(listed.problems);
  return found;
}

}  // namespace shiftlint
