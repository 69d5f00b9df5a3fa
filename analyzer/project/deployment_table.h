#pragma once
// The deployments of a check run (task definitions and Kubernetes workloads) as the project phase
// holds them while it links apps: what linking reads of each (kind, path, name, container images,
// sidecars) and its place, some 70 bytes a deployment, with each path and image held once. Each
// deployment itself waits on disk (FactsSpill::stow_linking) and is read back, whole, for the turn
// of the app it links to (project_phase.cpp).
//
// A repository's deployments are most of its facts (a chart or a folder of manifests gives dozens
// per app), and held as DeploymentFacts they took some 500 bytes each: the project phase's peak
// grew with the repository by that much per deployment.
//
// A deployment whose bulk could not be set aside (no temporary file) is held whole instead, as is
// every deployment when there is no spill at all.
#include <cstdint>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "analyzer/project/app_facts.h"

namespace shiftlint::project {

class FactsSpill;

class DeploymentTable {
 public:
  // Takes a deployment (its bulk set aside by FactsSpill::stow, or not), in the order the facts
  // are merged: `spill` sets it aside on disk when it can (nullptr: held in memory).
  void add(DeploymentFacts&& deployment, FactsSpill* spill);
  void reserve(size_t count) { entries_.reserve(count); }

  // Orders the deployments like the other facts (path, then place; ties keep the order added) and
  // drops repeats of a place (a Terraform module linted through two calls gives its task definition
  // twice). Indices below are into this order. Nothing is added after: the lists lose their room
  // to grow and the index of held texts goes.
  void sort_by_place();

  size_t size() const { return entries_.size(); }
  DeploymentFacts::Kind kind(size_t index) const { return entries_[index].kind; }
  std::string_view path(size_t index) const { return text(entries_[index].path); }
  std::string_view name(size_t index) const { return text(entries_[index].name); }
  size_t container_count(size_t index) const { return entries_[index].container_count; }
  std::string_view container_image(size_t index, size_t container) const;
  bool container_is_sidecar(size_t index, size_t container) const;

  // The deployment as the facts keep it between phases (its bulk still on disk, as after
  // FactsSpill::stow; FactsSpill::restore reads it); false when it could not be read back from disk.
  bool materialize(size_t index, const FactsSpill* spill, DeploymentFacts& deployment) const;

 private:
  // A text of `blocks_`: paths and images are held once (interned), names as they come. `offset`
  // counts from the first block; a text never spans two blocks, so its block is offset / kBlockBytes.
  struct TextRef {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  // Texts are appended to blocks of this size: a string grown by doubling held up to twice its
  // texts, and three times while it moved. A text longer than a block (no real path, name or image
  // is) is kept as its first kBlockBytes.
  static constexpr size_t kBlockBytes = 1u << 20;
  struct Entry {
    TextRef path;
    TextRef name;
    TextRef place_path;  // location.path()
    Position place;      // location.span.begin
    uint32_t first_container = 0;  // into containers_
    uint32_t container_count = 0;
    DeploymentFacts::Kind kind = DeploymentFacts::Kind::TaskDefinition;
    bool held = false;   // `where.offset` is an index into held_, not a place on disk
    StowedPart where;    // the deployment's record (FactsSpill::stow_linking)
  };
  // A container: its image's text and whether it is a sidecar.
  struct Container {
    TextRef image;
    bool sidecar = false;
  };

  std::string_view text(const TextRef& ref) const {
    if (ref.size == 0) return {};
    return std::string_view(blocks_[ref.offset / kBlockBytes].get() + ref.offset % kBlockBytes, ref.size);
  }
  TextRef append_text(std::string_view value);
  TextRef intern(std::string_view value);
  void grow_interned();

  std::vector<Entry> entries_;
  std::vector<Container> containers_;
  std::vector<DeploymentFacts> held_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_in_last_block_ = kBlockBytes;  // none yet: the first text opens a block
  // The interned texts, by hash (open addressing, at most half full; a slot of size 0 is free):
  // eight bytes a text, where a map of strings took a copy of each and a node.
  std::vector<TextRef> interned_;
  size_t interned_count_ = 0;
};

}  // namespace shiftlint::project
