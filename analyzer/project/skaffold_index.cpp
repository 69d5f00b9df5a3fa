#include "analyzer/project/skaffold_index.h"

#include "analyzer/project/deploy_config_file.h"

namespace shiftlint {

namespace {

// A Skaffold configuration is a few hundred lines at most.
constexpr uint64_t kMaxSkaffoldBytes = 1 << 20;

void add_artifact_image(const Node& artifact, std::vector<std::string>& images) {
  const Node* image = artifact.is_map() ? artifact.find("image") : nullptr;
  std::optional<std::string_view> name = image ? image->as_string() : std::nullopt;
  if (name && !name->empty()) images.emplace_back(*name);
}

// `build.artifacts[].image` of one configuration or profile.
void add_artifact_images(const Node& holder, std::vector<std::string>& images) {
  const Node* build = holder.find("build");
  const Node* artifacts = build && build->is_map() ? build->find("artifacts") : nullptr;
  if (!artifacts || !artifacts->is_list()) return;
  for (const Node& artifact : artifacts->children) add_artifact_image(artifact, images);
}

// A profile's JSON patches that add or replace artifacts (`op: add`, `path: /build/artifacts/1`,
// `value: {image: ...}`; or the whole list at `/build/artifacts`).
void add_patched_artifact_images(const Node& profile, std::vector<std::string>& images) {
  const Node* patches = profile.find("patches");
  if (!patches || !patches->is_list()) return;
  for (const Node& patch : patches->children) {
    const Node* path = patch.is_map() ? patch.find("path") : nullptr;
    const Node* value = patch.is_map() ? patch.find("value") : nullptr;
    std::optional<std::string_view> where = path ? path->as_string() : std::nullopt;
    if (!where || !value || !where->starts_with("/build/artifacts")) continue;
    if (value->is_list())
      for (const Node& artifact : value->children) add_artifact_image(artifact, images);
    else
      add_artifact_image(*value, images);
  }
}

}  // namespace

bool SkaffoldIndex::is_skaffold_name(std::string_view file_name) {
  // skaffold.yaml, and the variants `skaffold -f` is pointed at (skaffold-gradle.yaml, skaffold.dev.yml):
  // only a document with `apiVersion: skaffold/...` counts.
  return file_name.starts_with("skaffold") && (file_name.ends_with(".yaml") || file_name.ends_with(".yml"));
}

SkaffoldIndex::SkaffoldIndex(LoadLimits limits, const std::vector<DiscoveredFile>& run_files) : limits_(limits) {
  for (const DiscoveredFile& file : run_files)
    if (is_skaffold_name(file_name_of(file.display_path()))) files_.push_back(&file);
}

void SkaffoldIndex::load() const {
  loaded_.call([&] {
    for (const DiscoveredFile* file : files_) {
      std::string path = file->path();
      std::optional<Document> document = load_deploy_config_file(*file, kMaxSkaffoldBytes, limits_);
      if (!document) continue;
      Configuration configuration;
      configuration.folder = path.substr(0, path.find_last_of('/') + 1);
      configuration.display_path = std::string(file->display_path());
      // One file may hold several configurations (`---`), each `apiVersion: skaffold/...`.
      for (const Node& root : document->roots) {
        if (!root.is_map()) continue;
        const Node* api_version = root.find("apiVersion");
        std::optional<std::string_view> version = api_version ? api_version->as_string() : std::nullopt;
        if (!version || !version->starts_with("skaffold/")) continue;
        add_artifact_images(root, configuration.images);
        if (const Node* profiles = root.find("profiles"); profiles && profiles->is_list())
          for (const Node& profile : profiles->children)
            if (profile.is_map()) {
              add_artifact_images(profile, configuration.images);
              add_patched_artifact_images(profile, configuration.images);
            }
      }
      if (!configuration.images.empty()) configurations_.push_back(std::move(configuration));
    }
  });
}

std::optional<std::string> SkaffoldIndex::builder_of(std::string_view path_on_disk, std::string_view image_name) const {
  if (files_.empty() || image_name.empty()) return std::nullopt;
  load();
  for (const Configuration& configuration : configurations_) {
    if (!path_on_disk.starts_with(configuration.folder)) continue;
    for (const std::string& image : configuration.images)
      if (image == image_name) return configuration.display_path;
  }
  return std::nullopt;
}

}  // namespace shiftlint
