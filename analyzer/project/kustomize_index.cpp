#include "analyzer/project/kustomize_index.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "analyzer/project/deploy_config_file.h"
#include "analyzer/source/real_path.h"

namespace shiftlint {

namespace {

// A kustomization is a few dozen lines; a larger file is not one worth reading here.
constexpr uint64_t kMaxKustomizationBytes = 1 << 20;
// Overlays stack a few levels deep; a tangle of kustomizations that include each other is not
// followed past these bounds (its manifests then get no pins, as before the index existed).
constexpr size_t kMaxDepth = 16;
constexpr size_t kMaxPaths = 64;

std::string folder_of(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return {};
  return slash == 0 ? std::string("/") : std::string(path.substr(0, slash));
}

bool has_manifest_extension(std::string_view path) {
  return path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json");
}

// A remote base (`github.com/org/repo//path?ref=v1`, `https://...`): not on disk, not read.
bool is_remote(std::string_view entry) {
  return entry.find("://") != std::string_view::npos || entry.starts_with("github.com/") ||
         entry.starts_with("git@") || entry.starts_with("ssh:");
}

// An inline patch written as a string in patchesStrategicMerge holds a newline or a key.
bool is_inline_patch(std::string_view entry) {
  return entry.find('\n') != std::string_view::npos || entry.find(": ") != std::string_view::npos;
}

std::vector<std::string_view> strings_of(const Node* list) {
  std::vector<std::string_view> out;
  if (!list || !list->is_list()) return out;
  for (const Node& item : list->children)
    if (std::optional<std::string_view> text = item.as_string(); text && !text->empty()) out.push_back(*text);
  return out;
}

std::string resolve(const std::string& folder, std::string_view entry) {
  std::string joined = folder;
  if (joined.empty() || joined.back() != '/') joined += '/';
  joined.append(entry);
  return lexically_normal_absolute(joined);
}

}  // namespace

bool KustomizeIndex::is_kustomization_name(std::string_view file_name) {
  return file_name == "kustomization.yaml" || file_name == "kustomization.yml" || file_name == "Kustomization";
}

KustomizeIndex::KustomizeIndex(LoadLimits limits, const std::vector<DiscoveredFile>& run_files) : limits_(limits) {
  for (const DiscoveredFile& file : run_files)
    if (is_kustomization_name(file_name_of(file.display_path()))) files_.push_back(&file);
}

void KustomizeIndex::load() const {
  loaded_.call([&] {
    // First every kustomization's folder, so that an entry can tell a base folder from a file.
    std::vector<Document> reads;  // each one's, in kustomizations_'s order
    for (const DiscoveredFile* file : files_) {
      std::string path = file->path();
      std::optional<Document> document = load_deploy_config_file(*file, kMaxKustomizationBytes, limits_);
      if (!document || document->roots.empty() || !document->roots.front().is_map()) continue;
      std::string folder = folder_of(path);
      if (by_folder_.contains(folder)) continue;  // kustomize refuses a folder with two of them
      by_folder_.emplace(folder, kustomizations_.size());
      Kustomization kustomization;
      kustomization.folder = folder;
      kustomization.display_path = std::string(file->display_path());
      kustomizations_.push_back(std::move(kustomization));
      reads.push_back(std::move(*document));
    }
    for (size_t index = 0; index < kustomizations_.size(); ++index) {
      Kustomization& kustomization = kustomizations_[index];
      const Node& root = reads[index].roots.front();
      auto add_entry = [&](std::string_view entry, bool folder_only) {
        if (is_remote(entry)) return;
        std::string path = resolve(kustomization.folder, entry);
        if (by_folder_.contains(path) || folder_only || !has_manifest_extension(path))
          kustomization.resource_folders.push_back(std::move(path));
        else
          kustomization.resource_files.push_back(std::move(path));
      };
      for (std::string_view entry : strings_of(root.find("resources"))) add_entry(entry, false);
      for (std::string_view entry : strings_of(root.find("bases"))) add_entry(entry, true);
      for (std::string_view entry : strings_of(root.find("components")))
        if (!is_remote(entry)) kustomization.component_folders.push_back(resolve(kustomization.folder, entry));
      for (std::string_view entry : strings_of(root.find("patchesStrategicMerge")))
        if (!is_inline_patch(entry) && !is_remote(entry)) kustomization.patch_files.push_back(resolve(kustomization.folder, entry));
      if (const Node* patches = root.find("patches"); patches && patches->is_list())
        for (const Node& patch : patches->children) {
          const Node* path = patch.is_map() ? patch.find("path") : nullptr;
          std::optional<std::string_view> text = path ? path->as_string() : std::nullopt;
          if (text && !text->empty() && !is_remote(*text)) kustomization.patch_files.push_back(resolve(kustomization.folder, *text));
        }
      if (const Node* images = root.find("images"); images && images->is_list())
        for (const Node& image : images->children) {
          const Node* name = image.is_map() ? image.find("name") : nullptr;
          std::optional<std::string_view> name_text = name ? name->as_string() : std::nullopt;
          if (!name_text || name_text->empty()) continue;
          const Node* tag = image.find("newTag");
          const Node* digest = image.find("digest");
          std::optional<std::string_view> tag_text = tag ? tag->as_string() : std::nullopt;
          std::optional<std::string_view> digest_text = digest ? digest->as_string() : std::nullopt;
          // A number-looking tag (newTag: 1.4) is a YAML number: its text is still the tag.
          if (tag && !tag_text && !tag->is_null() && !tag->is_map() && !tag->is_list()) tag_text = tag->text;
          bool pinned = (digest_text && !digest_text->empty()) || (tag_text && !tag_text->empty() && *tag_text != "latest");
          // An entry that only renames (newName) leaves the tag as the base wrote it.
          if (!pinned && !(tag_text && *tag_text == "latest")) continue;
          std::shared_ptr<const Location> latest_at;
          if (!pinned) latest_at = std::make_shared<const Location>(make_location(*reads[index].file, tag->span));
          kustomization.images.push_back({std::string(*name_text), std::move(latest_at)});
        }
    }
    for (size_t index = 0; index < kustomizations_.size(); ++index)
      for (const std::string& folder : kustomizations_[index].resource_folders)
        if (auto found = by_folder_.find(folder); found != by_folder_.end() && found->second != index)
          kustomizations_[found->second].parents.push_back(index);
  });
}

KustomizeUse KustomizeIndex::use_of(const std::string& path_on_disk) const {
  KustomizeUse use;
  if (files_.empty()) return use;
  load();
  std::vector<size_t> deploying;  // the kustomizations that list the file as a resource
  for (size_t index = 0; index < kustomizations_.size(); ++index) {
    const Kustomization& kustomization = kustomizations_[index];
    if (std::find(kustomization.patch_files.begin(), kustomization.patch_files.end(), path_on_disk) !=
        kustomization.patch_files.end()) {
      use.listed = use.patch = true;
    }
    if (std::find(kustomization.resource_files.begin(), kustomization.resource_files.end(), path_on_disk) !=
        kustomization.resource_files.end()) {
      use.listed = true;
      deploying.push_back(index);
    }
  }
  if (deploying.empty()) return use;

  // Every way up from a kustomization that lists the file to one that nothing includes (what is
  // applied): the images transformers apply from the bottom up, the last one to name an image
  // deciding its tag. An image is pinned when every way ends with it pinned.
  // Image name -> the last setting of its tag: null when it pins it, else where it sets "latest".
  using State = std::map<std::string, std::shared_ptr<const Location>>;
  std::vector<std::pair<size_t, State>> ends;  // the deploying kustomization, and what it pins
  bool gave_up = false;
  auto climb = [&](auto& self, size_t index, State state, size_t depth) -> void {
    if (gave_up) return;
    if (depth > kMaxDepth || ends.size() >= kMaxPaths) {
      gave_up = true;
      return;
    }
    // A component's images transformer runs on this kustomization's resources, then its own.
    for (const std::string& folder : kustomizations_[index].component_folders)
      if (auto component = by_folder_.find(folder); component != by_folder_.end())
        for (const Image& image : kustomizations_[component->second].images)
          state[image.name] = image.latest_at;
    for (const Image& image : kustomizations_[index].images) state[image.name] = image.latest_at;
    const std::vector<size_t>& parents = kustomizations_[index].parents;
    if (parents.empty()) {
      ends.emplace_back(index, std::move(state));
      return;
    }
    for (size_t parent : parents) self(self, parent, state, depth + 1);
  };
  for (size_t index : deploying) climb(climb, index, State{}, 0);
  if (gave_up) return use;
  for (const auto& end : ends) {
    // Not a structured binding: clang 14 (Debian 12's, the sanitizer build) cannot capture one.
    const size_t index = end.first;
    const State& state = end.second;
    // Two ways up to the same kustomization (a diamond of bases) are one deployment: pinned only
    // if pinned both ways.
    auto same = std::find_if(use.deployments.begin(), use.deployments.end(), [&](const KustomizeUse::Deployment& d) {
      return d.display_path == kustomizations_[index].display_path;
    });
    std::vector<std::string> pinned;
    std::vector<std::pair<std::string, Location>> latest;
    for (const auto& [name, latest_at] : state) {
      if (latest_at) latest.emplace_back(name, *latest_at);
      else pinned.push_back(name);
    }
    if (same == use.deployments.end()) {
      use.deployments.push_back({kustomizations_[index].display_path, std::move(pinned), std::move(latest)});
    } else {
      std::erase_if(same->pinned_images, [&pinned](const std::string& name) {
        return std::find(pinned.begin(), pinned.end(), name) == pinned.end();
      });
      for (auto& entry : latest)
        if (std::none_of(same->latest_images.begin(), same->latest_images.end(),
                         [&entry](const auto& known) { return known.first == entry.first; }))
          same->latest_images.push_back(std::move(entry));
    }
  }
  return use;
}

const KustomizeUse::Deployment* KustomizeUse::first_unpinned(std::string_view image_name) const {
  for (const Deployment& deployment : deployments)
    if (std::find(deployment.pinned_images.begin(), deployment.pinned_images.end(), image_name) ==
        deployment.pinned_images.end())
      return &deployment;
  return nullptr;
}

std::optional<KustomizeUse::LatestTag> KustomizeUse::latest_tag_set(std::string_view image_name) const {
  for (const Deployment& deployment : deployments)
    for (const auto& [name, where] : deployment.latest_images)
      if (name == image_name) return LatestTag{&deployment, &where};
  return std::nullopt;
}

bool KustomizeUse::pinned_everywhere(std::string_view image_name) const {
  return !deployments.empty() && first_unpinned(image_name) == nullptr;
}

}  // namespace shiftlint
