#include "analyzer/project/skaffold_index.h"

#include "analyzer/project/deploy_config_file.h"
#include "analyzer/source/real_path.h"

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

// A value Skaffold fills in before it calls helm (`{{.IMAGE_TAG}}`, `{{.ENV_NAME}}`): what it becomes
// is not in the file.
bool is_templated(std::string_view text) { return text.find("{{") != std::string_view::npos; }

// `setValues: {image: {tag: v1}}` as Skaffold passes it: `--set image.tag=v1`.
void add_flattened(const Node& node, const std::string& prefix, bool as_string, SkaffoldRelease& release) {
  for (const Node& entry : node.children) {
    std::string key = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (entry.is_map()) {
      add_flattened(entry, key, as_string, release);
    } else if (entry.is_scalar() && !entry.is_null()) {
      if (is_templated(entry.text))
        release.skipped.push_back(key);
      else
        release.settings.push_back({std::move(key), &entry, as_string});
    }
  }
}

// The releases with a local chart of one `helm:` section (`deploy.helm` or `manifests.helm`).
void add_releases(const Node& helm, const std::string& folder, std::string_view display_folder,
                  const std::string& configuration, std::vector<SkaffoldRelease>& releases) {
  const Node* list = helm.is_map() ? helm.find("releases") : nullptr;
  if (!list || !list->is_list()) return;
  for (const Node& entry : list->children) {
    if (!entry.is_map()) continue;
    const Node* chart_path = entry.find("chartPath");
    std::optional<std::string_view> chart = chart_path ? chart_path->as_string() : std::nullopt;
    if (!chart || chart->empty() || is_templated(*chart)) continue;  // a remote chart, or one only known at run time
    SkaffoldRelease release;
    release.configuration = configuration;
    if (const Node* name = entry.find("name"); name && name->as_string() && !is_templated(*name->as_string()))
      release.name = std::string(*name->as_string());
    if (const Node* space = entry.find("namespace"); space && space->as_string() && !is_templated(*space->as_string()))
      release.namespace_name = std::string(*space->as_string());
    release.chart_directory =
        chart->front() == '/' ? lexically_normal_absolute(*chart) : lexically_normal_absolute(folder + std::string(*chart));
    if (const Node* files = entry.find("valuesFiles"); files && files->is_list())
      for (const Node& file : files->children) {
        std::optional<std::string_view> written = file.as_string();
        if (!written || written->empty()) continue;
        if (is_templated(*written)) {
          release.skipped.push_back(std::string(*written));
          continue;
        }
        SkaffoldRelease::ValuesFile values;
        values.path = written->front() == '/' ? lexically_normal_absolute(*written)
                                              : lexically_normal_absolute(folder + std::string(*written));
        values.display_path = written->front() == '/'
                                  ? values.path
                                  : std::string(lexically_normal_absolute("/" + std::string(display_folder) + "/" +
                                                                          std::string(*written)))
                                        .substr(1);
        release.values_files.push_back(std::move(values));
      }
    if (const Node* set = entry.find("setValues"); set && set->is_map()) add_flattened(*set, "", false, release);
    if (const Node* set = entry.find("setValueTemplates"); set && set->is_map()) add_flattened(*set, "", false, release);
    // The v1 schemas' `artifactOverrides: {image: app}` (`values:` before v2beta): --set-string
    // image=<the reference it built>, which names the artifact.
    for (const char* overrides : {"artifactOverrides", "values"})
      if (const Node* set = entry.find(overrides); set && set->is_map()) add_flattened(*set, "", true, release);
    releases.push_back(std::move(release));
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
      std::optional<Document> loaded = load_deploy_config_file(*file, kMaxSkaffoldBytes, limits_);
      if (!loaded) continue;
      auto document = std::make_shared<const Document>(std::move(*loaded));
      Configuration configuration;
      configuration.folder = path.substr(0, path.find_last_of('/') + 1);
      configuration.display_path = std::string(file->display_path());
      std::string_view display_folder = file->display_path().substr(0, file->display_path().find_last_of('/') + 1);
      size_t releases_before = releases_.size();
      // One file may hold several configurations (`---`), each `apiVersion: skaffold/...`.
      for (const Node& root : document->roots) {
        if (!root.is_map()) continue;
        const Node* api_version = root.find("apiVersion");
        std::optional<std::string_view> version = api_version ? api_version->as_string() : std::nullopt;
        if (!version || !version->starts_with("skaffold/")) continue;
        add_artifact_images(root, configuration.images);
        // Releases of the configuration itself: a profile's apply only when it is chosen.
        for (const char* section : {"deploy", "manifests"})
          if (const Node* holder = root.find(section); holder && holder->is_map())
            if (const Node* helm = holder->find("helm"))
              add_releases(*helm, configuration.folder, display_folder, configuration.display_path, releases_);
        if (const Node* profiles = root.find("profiles"); profiles && profiles->is_list())
          for (const Node& profile : profiles->children)
            if (profile.is_map()) {
              add_artifact_images(profile, configuration.images);
              add_patched_artifact_images(profile, configuration.images);
            }
      }
      if (!configuration.images.empty()) configurations_.push_back(std::move(configuration));
      if (releases_.size() > releases_before) documents_.push_back(std::move(document));
    }
  });
}

const SkaffoldRelease* SkaffoldIndex::release_of(std::string_view chart_directory, size_t* deployments) const {
  if (deployments) *deployments = 0;
  if (files_.empty()) return nullptr;
  load();
  const SkaffoldRelease* found = nullptr;
  size_t count = 0;
  for (const SkaffoldRelease& release : releases_) {
    if (release.chart_directory != chart_directory) continue;
    // `deploy.helm` and `manifests.helm` of one configuration often name the same release twice.
    if (found && found->configuration == release.configuration && found->name == release.name) continue;
    found = &release;
    ++count;
  }
  if (deployments) *deployments = count;
  return count == 1 ? found : nullptr;
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

bool SkaffoldIndex::reads_values_file(std::string_view path) const {
  if (files_.empty()) return false;
  load();
  for (const SkaffoldRelease& release : releases_)
    for (const SkaffoldRelease::ValuesFile& file : release.values_files)
      if (file.path == path) return true;
  return false;
}

}  // namespace shiftlint
