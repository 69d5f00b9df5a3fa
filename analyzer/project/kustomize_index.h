#pragma once
// What the kustomizations of a run say about the manifests they build. A kustomize base writes
// `image: web` without a tag, and the overlays that deploy it pin the tag in their kustomization
// (`images: [{name: web, newTag: 1.4.2}]`, what `kustomize edit set image` writes): the base alone
// is not what runs, so K8S011 must not call its image untagged when every overlay pins it. Nor when
// the overlays replace the container's image with a patch (a strategic-merge patch that sets the
// container's `image:`, or a JSON patch of `.../containers/0/image`). A file an overlay lists as a
// patch is a fragment of an object, whatever it holds.
//
// Argo CD's overrides kept in Git beside a kustomization (`.argocd-source.yaml`,
// `.argocd-source-<application>.yaml`, what argocd-image-updater's write-back commits;
// project/argo_source.h) pin images the same way: Argo CD sets their `kustomize.images` on that
// kustomization before it builds it.
//
// Read from the run's own files (kustomization.yaml, kustomization.yml, Kustomization), or from those
// of its scan root when it lints files (project/deploy_configurations.h), once, on first use, by
// whichever worker asks first. Remote bases (URLs) and generators are not read.
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/parse/document.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/once.h"

namespace re2 {
class RE2;
}

namespace shiftlint {

// The object a container is in, as a patch's target selects it: kind, metadata.name and
// metadata.labels (a map, or null).
struct KustomizeObject {
  std::string_view kind;
  std::string_view name;
  const Node* labels = nullptr;
};

// Which objects a patch applies to. A `patches:` entry's `target` selects by kind, name (an anchored
// regular expression, `web-.*`) and label selector (`app=web,tier!=db`), all optional; a
// strategic-merge patch without a target applies to the object its own kind and metadata.name
// name. A target's namespace is not compared (an overlay puts its objects in one namespace). A
// target this does not read (an annotation selector, a set-based label selector) is not made into a
// patch at all: the base's image is then still judged on its own.
struct KustomizeTarget {
  std::string kind;  // empty: any kind
  std::string name;  // empty: any name
  std::shared_ptr<const re2::RE2> name_pattern;  // when `name` is a regular expression, not a plain name
  struct Label {
    std::string key;
    std::string value;
    enum class Test { Equals, NotEquals, Exists, Absent } test = Test::Equals;
  };
  std::vector<Label> labels;

  // `name` as the object has it, and its name with the name prefixes and suffixes of the
  // kustomizations below the patch (kustomize finds a patch's object by either); `added_labels`:
  // the labels those kustomizations add (commonLabels, labels).
  bool selects(const KustomizeObject& object, std::string_view transformed_name,
               const std::vector<std::pair<std::string, std::string>>& added_labels) const;
  bool operator==(const KustomizeTarget& other) const;
};

// A container whose image a patch sets: by name (strategic merge) or by place in the list (JSON patch).
struct KustomizeImagePatch {
  KustomizeTarget target;
  std::string container;  // empty when by index
  std::optional<size_t> index;
  bool init = false;      // initContainers
  std::string image;      // what the patch sets
  // The patch is a file of the run (linted itself: K8S011 judges the image there), not text
  // inside the kustomization.
  bool in_file = false;
  // What the kustomizations below the patch's own did to the objects it may select before it
  // sees them (set as the index climbs from a base to an overlay).
  std::string name_prefix;
  std::string name_suffix;
  std::vector<std::pair<std::string, std::string>> added_labels;

  bool matches(const KustomizeObject& object, std::string_view container_name, size_t container_index,
               bool init_container) const;
};

// How the kustomizations of a run use one manifest file.
struct KustomizeUse {
  bool listed = false;  // a kustomization lists it, as a resource or as a patch
  bool patch = false;   // a kustomization lists it as a patch (patchesStrategicMerge, patches[].path)
  // Each kustomization that deploys the file (one that nothing else includes, reached from one that
  // lists the file), with the image names (as kustomize matches them: the reference without tag or
  // digest) that end up pinned there, to a tag other than "latest" or to a digest, by it or by the
  // kustomizations between it and the file. Empty when the index gave up on a tangle of includes.
  struct Deployment {
    std::string display_path;  // of the kustomization file
    std::vector<std::string> pinned_images;
    // Images whose tag the last transformer to name them sets to "latest" (`newTag: latest`),
    // with where that line is: what runs is :latest whatever the base's own tag.
    std::vector<std::pair<std::string, Location>> latest_images;
    // The patches on the way up that set a container's image and put an image in its place that
    // is judged elsewhere (a patch file) or pinned (a tag other than latest, a digest, or an
    // `images:` entry that pins it): the base's own image does not run there.
    std::vector<KustomizeImagePatch> replaced_images;
    bool replaces(const KustomizeObject& object, std::string_view container_name, size_t container_index,
                  bool init_container) const;
  };
  std::vector<Deployment> deployments;

  // Whether every deployment pins `image_name`; if not, the first one that does not (else null).
  bool pinned_everywhere(std::string_view image_name) const;
  const Deployment* first_unpinned(std::string_view image_name) const;
  // The first deployment that ends up with `newTag: latest` for `image_name`, and that line.
  struct LatestTag {
    const Deployment* deployment = nullptr;
    const Location* line = nullptr;
  };
  std::optional<LatestTag> latest_tag_set(std::string_view image_name) const;
};

class KustomizeIndex {
 public:
  // `run_files` must outlive the index: it keeps pointers to the kustomization files among them.
  KustomizeIndex(LoadLimits limits, const std::vector<DiscoveredFile>& run_files);
  KustomizeIndex(const KustomizeIndex&) = delete;
  KustomizeIndex& operator=(const KustomizeIndex&) = delete;

  // `path_on_disk`: absolute, in normal form, as discovery gives it.
  KustomizeUse use_of(const std::string& path_on_disk) const;

  // Whether a kustomization names `path_on_disk` as a patch file (any kind: strategic merge or
  // JSON 6902), so that a change to it can change what the index says. One lookup: the editor asks
  // it of every YAML and JSON file that changes on disk.
  bool reads_patch(const std::string& path_on_disk) const;

  // A name kustomize reads as a kustomization file.
  static bool is_kustomization_name(std::string_view file_name);

 private:
  struct Image {
    std::string name;
    // Null when the entry pins the image (a newTag other than "latest", or a digest); else its
    // `newTag: latest` value.
    std::shared_ptr<const Location> latest_at;
  };
  struct Kustomization {
    std::string folder;        // absolute
    std::string display_path;  // of the kustomization file
    std::vector<std::string> resource_files;    // absolute
    std::vector<std::string> resource_folders;  // absolute: bases
    // Absolute: components (kind: Component), whose transformers apply to this kustomization's
    // resources, before its own.
    std::vector<std::string> component_folders;
    std::vector<std::string> patch_files;       // absolute
    std::vector<KustomizeImagePatch> image_patches;
    std::vector<Image> images;
    // What its transformers do to every resource's name and labels (namePrefix, nameSuffix,
    // commonLabels, labels[].pairs): patches above it select the objects so changed.
    std::string name_prefix;
    std::string name_suffix;
    std::vector<std::pair<std::string, std::string>> labels;
    std::vector<size_t> parents;  // the kustomizations that list this one's folder
  };
  void load() const;
  void read_argo_overrides(Kustomization& kustomization) const;

  LoadLimits limits_;
  std::vector<const DiscoveredFile*> files_;  // the run's kustomization files
  mutable Once loaded_;
  mutable std::vector<Kustomization> kustomizations_;  // set once, under loaded_
  // Folder (absolute) -> the kustomization in it.
  mutable std::unordered_map<std::string, size_t> by_folder_;
  mutable std::unordered_set<std::string> patch_files_read_;  // absolute, every kustomization's
};

}  // namespace shiftlint
