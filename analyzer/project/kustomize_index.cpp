#include "analyzer/project/kustomize_index.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>

#include <re2/re2.h>

#include "analyzer/parse/yaml_loader.h"
#include "analyzer/project/argo_source.h"
#include "analyzer/project/deploy_config_file.h"
#include "analyzer/source/file_read.h"
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

std::optional<std::string_view> string_at(const Node* map, std::string_view key) {
  const Node* value = map && map->is_map() ? map->find(key) : nullptr;
  std::optional<std::string_view> text = value ? value->as_string() : std::nullopt;
  if (!text || text->empty()) return std::nullopt;
  return text;
}

// The pod spec of a patch's object: spec.template.spec, a CronJob's
// spec.jobTemplate.spec.template.spec, or a Pod's spec.
const Node* pod_spec_of(const Node& object) {
  const Node* spec = object.find("spec");
  if (!spec || !spec->is_map()) return nullptr;
  if (string_at(&object, "kind") == "Pod") return spec;
  if (string_at(&object, "kind") == "CronJob") {
    const Node* job = spec->find("jobTemplate");
    spec = job && job->is_map() ? job->find("spec") : nullptr;
    if (!spec || !spec->is_map()) return nullptr;
  }
  const Node* pod = spec->find("template");
  pod = pod && pod->is_map() ? pod->find("spec") : nullptr;
  return pod && pod->is_map() ? pod : nullptr;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A `kustomize edit set image` argument as kustomize reads it: `web:1.4`, `web@sha256:...`,
// `web:1.4@sha256:...`, `web=registry/web:1.4` (renames too), `web=registry/web` (renames only).
// The name is what the base's image is matched by; nullopt when there is none.
struct SetImage {
  std::string_view name;
  std::string_view tag;
  std::string_view digest;
};
std::optional<SetImage> parse_set_image(std::string_view argument) {
  SetImage image;
  std::string_view replacement = argument;
  size_t equals = argument.find('=');
  if (equals != std::string_view::npos) {
    image.name = argument.substr(0, equals);
    replacement = argument.substr(equals + 1);
  }
  std::string_view reference = replacement;
  if (size_t at = replacement.find('@'); at != std::string_view::npos) {
    reference = replacement.substr(0, at);
    image.digest = replacement.substr(at + 1);
  }
  // A tag, also before a digest (`web:1.4@sha256:...`, what argocd-image-updater's digest strategy
  // writes; the digest is what runs). A colon before the last slash is a registry's port
  // (`registry:5000/web`), not a tag.
  if (size_t colon = reference.rfind(':');
      colon != std::string_view::npos && reference.find('/', colon) == std::string_view::npos) {
    image.tag = reference.substr(colon + 1);
    reference = reference.substr(0, colon);
  }
  if (equals == std::string_view::npos) image.name = reference;
  image.name = trimmed(image.name);
  if (image.name.empty()) return std::nullopt;
  return image;
}

// A label selector of equality terms (`app=web`, `app==web`, `tier!=db`, `canary`, `!canary`);
// nullopt for what is not read here (set-based terms: `env in (a,b)`).
std::optional<std::vector<KustomizeTarget::Label>> parse_label_selector(std::string_view selector) {
  using Test = KustomizeTarget::Label::Test;
  std::vector<KustomizeTarget::Label> labels;
  if (selector.find('(') != std::string_view::npos) return std::nullopt;
  while (!selector.empty()) {
    size_t comma = selector.find(',');
    std::string_view term = trimmed(selector.substr(0, comma));
    selector = comma == std::string_view::npos ? std::string_view() : selector.substr(comma + 1);
    if (term.empty()) continue;
    KustomizeTarget::Label label;
    size_t equals = term.find('=');
    if (equals == std::string_view::npos) {
      label.test = term.front() == '!' ? Test::Absent : Test::Exists;
      label.key = std::string(trimmed(term.substr(label.test == Test::Absent ? 1 : 0)));
    } else {
      bool negated = equals > 0 && term[equals - 1] == '!';
      label.test = negated ? Test::NotEquals : Test::Equals;
      size_t value_at = equals + 1 + (!negated && equals + 1 < term.size() && term[equals + 1] == '=' ? 1 : 0);
      label.key = std::string(trimmed(term.substr(0, negated ? equals - 1 : equals)));
      label.value = std::string(trimmed(term.substr(value_at)));
    }
    if (label.key.empty() || label.key.find_first_of(" \t!=") != std::string::npos ||
        label.value.find_first_of(" \t!=") != std::string::npos) {
      return std::nullopt;
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

// A `patches:` entry's target; nullopt when it selects by something not read here (an
// annotationSelector, a set-based label selector) or its name is not a valid expression. Its
// namespace is not compared: the objects of one overlay end up in one namespace (its `namespace:`),
// the one such a target names, and the index does not follow namespaces through the levels.
std::optional<KustomizeTarget> read_target(const Node& node) {
  if (!node.is_map()) return std::nullopt;
  if (node.find("annotationSelector")) return std::nullopt;
  KustomizeTarget target;
  target.kind = std::string(string_at(&node, "kind").value_or(""));
  target.name = std::string(string_at(&node, "name").value_or(""));
  // kustomize anchors the name: `web` is ^web$, `web-.*` every name starting with web-. Go's
  // regexp syntax is RE2's.
  if (target.name.find_first_of(".*+?[](){}|^$\\") != std::string::npos) {
    auto pattern = std::make_shared<const RE2>("^(?:" + target.name + ")$", RE2::Quiet);
    if (!pattern->ok()) return std::nullopt;
    target.name_pattern = std::move(pattern);
  }
  if (std::optional<std::string_view> selector = string_at(&node, "labelSelector")) {
    std::optional<std::vector<KustomizeTarget::Label>> labels = parse_label_selector(*selector);
    if (!labels) return std::nullopt;
    target.labels = std::move(*labels);
  }
  return target;
}

// A strategic-merge patch: the containers it gives an `image:`, matched by name. Without a
// target it patches the object its own kind and name name.
void add_strategic_merge_patch(const Node& object, const KustomizeTarget* target, bool in_file,
                               std::vector<KustomizeImagePatch>& patches) {
  if (!object.is_map()) return;
  KustomizeTarget own;
  if (!target) {
    std::optional<std::string_view> name = string_at(object.find("metadata"), "name");
    if (!name) return;
    own.name = std::string(*name);
    own.kind = std::string(string_at(&object, "kind").value_or(""));
    target = &own;
  }
  const Node* pod = pod_spec_of(object);
  if (!pod) return;
  for (bool init : {false, true}) {
    const Node* list = pod->find(init ? "initContainers" : "containers");
    if (!list || !list->is_list()) continue;
    for (const Node& container : list->children) {
      std::optional<std::string_view> name = string_at(&container, "name");
      std::optional<std::string_view> image = string_at(&container, "image");
      if (name && image)
        patches.push_back({.target = *target, .container = std::string(*name), .init = init,
                           .image = std::string(*image), .in_file = in_file});
    }
  }
}

// A JSON patch (RFC 6902) of the objects `target` selects: `replace` or `add` of
// /spec/template/spec/containers/N/image (or a CronJob's, a Pod's) sets container N's image.
void add_json_patch(const Node& operations, const KustomizeTarget* target, bool in_file,
                    std::vector<KustomizeImagePatch>& patches) {
  if (!operations.is_list() || !target) return;
  for (const Node& operation : operations.children) {
    std::optional<std::string_view> op = string_at(&operation, "op");
    std::optional<std::string_view> path = string_at(&operation, "path");
    std::optional<std::string_view> value = string_at(&operation, "value");
    if (!op || (*op != "replace" && *op != "add") || !path || !value) continue;
    std::string_view rest = *path;
    for (std::string_view prefix : {"/spec/template/spec/", "/spec/jobTemplate/spec/template/spec/", "/spec/"})
      if (rest.starts_with(prefix)) {
        rest.remove_prefix(prefix.size());
        break;
      }
    bool init = rest.starts_with("initContainers/");
    if (!init && !rest.starts_with("containers/")) continue;
    rest.remove_prefix(init ? 15 : 11);
    if (!rest.ends_with("/image")) continue;
    rest.remove_suffix(6);
    if (rest.empty() || rest.size() > 3 || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    patches.push_back({.target = *target, .index = static_cast<size_t>(std::stoul(std::string(rest))), .init = init,
                       .image = std::string(*value), .in_file = in_file});
  }
}

// The image patches of one patch document (a file's, or text inside the kustomization).
void add_patch_document(const Document& document, const KustomizeTarget* target, bool in_file,
                        std::vector<KustomizeImagePatch>& patches) {
  for (const Node& root : document.roots) {
    if (root.is_list()) add_json_patch(root, target, in_file, patches);
    else add_strategic_merge_patch(root, target, in_file, patches);
  }
}

// Whether `image` is pinned where it ends up: its own tag (not latest) or digest, or an `images:`
// entry on the way up that pins its name (null in `pins`).
bool pinned_in(std::string_view image, const std::map<std::string, std::shared_ptr<const Location>>& pins) {
  if (image.find('@') != std::string_view::npos) return true;
  size_t slash = image.find_last_of('/');
  size_t colon = image.find(':', slash == std::string_view::npos ? 0 : slash);
  std::string_view name = image.substr(0, colon);
  if (auto pin = pins.find(std::string(name)); pin != pins.end()) return pin->second == nullptr;
  return colon != std::string_view::npos && image.substr(colon + 1) != "latest" && colon + 1 < image.size();
}

}  // namespace

bool KustomizeIndex::is_kustomization_name(std::string_view file_name) {
  return file_name == "kustomization.yaml" || file_name == "kustomization.yml" || file_name == "Kustomization";
}

KustomizeIndex::KustomizeIndex(LoadLimits limits, const std::vector<DiscoveredFile>& run_files) : limits_(limits) {
  for (const DiscoveredFile& file : run_files)
    if (is_kustomization_name(file_name_of(file.display_path()))) files_.push_back(&file);
}

// The `kustomize.images` entries of the Argo CD override files in the kustomization's folder
// (project/argo_source.h) become entries of its `images:` list, after its own: `kustomize edit set
// image` replaces an entry for the same image or adds one, and the last entry to name an image is
// the one the index applies.
void KustomizeIndex::read_argo_overrides(Kustomization& kustomization) const {
  ArgoSourceOverrides overrides =
      read_argo_source_overrides(kustomization.folder, folder_of(kustomization.display_path), limits_);
  for (const ArgoSourceOverrides::KustomizeImage& entry : overrides.kustomize_images) {
    std::optional<SetImage> image = parse_set_image(entry.argument);
    if (!image) continue;
    bool pinned = !image->digest.empty() || (!image->tag.empty() && image->tag != "latest");
    // An entry that only renames leaves the tag as the base wrote it.
    if (!pinned && image->tag != "latest") continue;
    std::shared_ptr<const Location> latest_at;
    if (!pinned) latest_at = std::make_shared<const Location>(entry.location);
    kustomization.images.push_back({std::string(image->name), std::move(latest_at)});
  }
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
      const SourceFile& own_file = *reads[index].file;
      // The image patches of a patch file (read here, bounded like a kustomization) or of patch
      // text written inside the kustomization.
      auto read_patch_file = [&](const std::string& path, const KustomizeTarget* target) {
        patch_files_read_.insert(path);
        // A regular file only: opening a FIFO the kustomization names would wait for a writer forever.
        std::error_code error;
        if (!std::filesystem::is_regular_file(path, error)) return;
        std::string text;
        if (read_whole_file(path, kMaxKustomizationBytes, text) != 0 || text.size() > kMaxKustomizationBytes) return;
        Document document = load_yaml(std::make_shared<const SourceFile>(path, path, std::move(text)), limits_);
        if (document.ok()) add_patch_document(document, target, true, kustomization.image_patches);
      };
      auto read_inline_patch = [&](std::string_view text, const KustomizeTarget* target) {
        Document document =
            load_yaml(std::make_shared<const SourceFile>(own_file.path(), own_file.display_path(), std::string(text)), limits_);
        if (document.ok()) add_patch_document(document, target, false, kustomization.image_patches);
      };
      for (std::string_view entry : strings_of(root.find("patchesStrategicMerge"))) {
        if (is_inline_patch(entry)) {
          read_inline_patch(entry, nullptr);
        } else if (!is_remote(entry)) {
          kustomization.patch_files.push_back(resolve(kustomization.folder, entry));
          read_patch_file(kustomization.patch_files.back(), nullptr);
        }
      }
      for (std::string_view key : {"patches", "patchesJson6902"}) {
        const Node* patches = root.find(key);
        if (!patches || !patches->is_list()) continue;
        for (const Node& patch : patches->children) {
          // A target this does not read gives no image patch: the patch still makes its file a fragment.
          const Node* target_node = patch.is_map() ? patch.find("target") : nullptr;
          std::optional<KustomizeTarget> target = target_node ? read_target(*target_node) : std::nullopt;
          bool readable = !target_node || target;
          if (std::optional<std::string_view> text = string_at(&patch, "path"); text && !is_remote(*text)) {
            std::string path = resolve(kustomization.folder, *text);
            if (readable) read_patch_file(path, target ? &*target : nullptr);
            if (key == "patches") kustomization.patch_files.push_back(std::move(path));
          } else if (std::optional<std::string_view> inline_text = string_at(&patch, "patch")) {
            if (readable) read_inline_patch(*inline_text, target ? &*target : nullptr);
          }
        }
      }
      kustomization.name_prefix = std::string(string_at(&root, "namePrefix").value_or(""));
      kustomization.name_suffix = std::string(string_at(&root, "nameSuffix").value_or(""));
      auto add_labels = [&kustomization](const Node* map) {
        if (!map || !map->is_map()) return;
        for (const Node& label : map->children)
          if (std::optional<std::string_view> value = scalar_text(&label))
            kustomization.labels.emplace_back(label.key, std::string(*value));
      };
      add_labels(root.find("commonLabels"));
      if (const Node* labels = root.find("labels"); labels && labels->is_list())
        for (const Node& entry : labels->children) add_labels(entry.is_map() ? entry.find("pairs") : nullptr);
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
      read_argo_overrides(kustomization);
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
  struct Way {
    State pins;
    std::vector<KustomizeImagePatch> patches;  // the image patches on the way, lowest first
    // What the kustomizations passed so far did to the resources' names and labels.
    std::string name_prefix;
    std::string name_suffix;
    std::vector<std::pair<std::string, std::string>> labels;
  };
  std::vector<std::pair<size_t, Way>> ends;  // the deploying kustomization, and what it pins
  bool gave_up = false;
  auto climb = [&](auto& self, size_t index, Way way, size_t depth) -> void {
    if (gave_up) return;
    if (depth > kMaxDepth || ends.size() >= kMaxPaths) {
      gave_up = true;
      return;
    }
    // A component's patches and images transformer run on this kustomization's resources, then
    // its own: patches first, seeing the resources as the levels below left them, then the images
    // transformer, the name prefix and suffix and the labels (kustomize finds a patch's object by
    // its names before and after a prefix).
    auto apply = [&way](const Kustomization& level) {
      for (const KustomizeImagePatch& patch : level.image_patches) {
        way.patches.push_back(patch);
        way.patches.back().name_prefix = way.name_prefix;
        way.patches.back().name_suffix = way.name_suffix;
        way.patches.back().added_labels = way.labels;
      }
      for (const Image& image : level.images) way.pins[image.name] = image.latest_at;
      way.name_prefix = level.name_prefix + way.name_prefix;
      way.name_suffix += level.name_suffix;
      way.labels.insert(way.labels.end(), level.labels.begin(), level.labels.end());
    };
    for (const std::string& folder : kustomizations_[index].component_folders)
      if (auto component = by_folder_.find(folder); component != by_folder_.end()) apply(kustomizations_[component->second]);
    apply(kustomizations_[index]);
    const std::vector<size_t>& parents = kustomizations_[index].parents;
    if (parents.empty()) {
      ends.emplace_back(index, std::move(way));
      return;
    }
    for (size_t parent : parents) self(self, parent, way, depth + 1);
  };
  for (size_t index : deploying) climb(climb, index, Way{}, 0);
  if (gave_up) return use;
  for (const auto& end : ends) {
    // Not a structured binding: clang 14 (Debian 12's, the sanitizer build) cannot capture one.
    const size_t index = end.first;
    const State& state = end.second.pins;
    // A patch file's image is judged in that file; one written in a kustomization counts only
    // when what it puts in place is pinned.
    std::vector<KustomizeImagePatch> replaced;
    for (const KustomizeImagePatch& patch : end.second.patches)
      if (patch.in_file || pinned_in(patch.image, state)) replaced.push_back(patch);
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
      use.deployments.push_back({kustomizations_[index].display_path, std::move(pinned), std::move(latest), std::move(replaced)});
    } else {
      std::erase_if(same->replaced_images, [&replaced](const KustomizeImagePatch& patch) {
        return std::none_of(replaced.begin(), replaced.end(), [&patch](const KustomizeImagePatch& other) {
          return other.target == patch.target && other.container == patch.container && other.index == patch.index &&
                 other.init == patch.init;
        });
      });
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

bool KustomizeIndex::reads_patch(const std::string& path_on_disk) const {
  if (files_.empty()) return false;
  load();
  return patch_files_read_.contains(path_on_disk);
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

bool KustomizeTarget::selects(const KustomizeObject& object, std::string_view transformed_name,
                              const std::vector<std::pair<std::string, std::string>>& added_labels) const {
  if (!kind.empty() && kind != object.kind) return false;
  if (!name.empty()) {
    auto named = [this](std::string_view candidate) {
      return name_pattern ? RE2::FullMatch(re2::StringPiece(candidate.data(), candidate.size()), *name_pattern)
                          : candidate == name;
    };
    if (!named(object.name) && !named(transformed_name)) return false;
  }
  for (const Label& label : labels) {
    // The object's own label, unless a kustomization below set it (the last one to set it wins).
    std::optional<std::string_view> value;
    if (object.labels && object.labels->is_map()) value = scalar_text(object.labels->find(label.key));
    for (const auto& [key, added] : added_labels)
      if (key == label.key) value = added;
    bool holds = false;
    switch (label.test) {
      case Label::Test::Equals: holds = value && *value == label.value; break;
      case Label::Test::NotEquals: holds = !value || *value != label.value; break;
      case Label::Test::Exists: holds = value.has_value(); break;
      case Label::Test::Absent: holds = !value; break;
    }
    if (!holds) return false;
  }
  return true;
}

bool KustomizeTarget::operator==(const KustomizeTarget& other) const {
  auto same_labels = [](const Label& a, const Label& b) { return a.key == b.key && a.value == b.value && a.test == b.test; };
  return kind == other.kind && name == other.name &&
         std::equal(labels.begin(), labels.end(), other.labels.begin(), other.labels.end(), same_labels);
}

bool KustomizeImagePatch::matches(const KustomizeObject& object, std::string_view container_name,
                                  size_t container_index, bool init_container) const {
  if (init != init_container) return false;
  if (index ? *index != container_index : container != container_name) return false;
  std::string transformed = name_prefix + std::string(object.name) + name_suffix;
  return target.selects(object, transformed, added_labels);
}

bool KustomizeUse::Deployment::replaces(const KustomizeObject& object, std::string_view container_name,
                                        size_t container_index, bool init_container) const {
  return std::any_of(replaced_images.begin(), replaced_images.end(), [&](const KustomizeImagePatch& patch) {
    return patch.matches(object, container_name, container_index, init_container);
  });
}

bool KustomizeUse::pinned_everywhere(std::string_view image_name) const {
  return !deployments.empty() && first_unpinned(image_name) == nullptr;
}

}  // namespace shiftlint
