#include "analyzer/project/deployment_table.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <tuple>

#include "analyzer/project/facts_spill.h"

namespace shiftlint::project {

DeploymentTable::TextRef DeploymentTable::append_text(std::string_view value) {
  value = value.substr(0, kBlockBytes);
  if (value.empty()) return {};
  if (kBlockBytes - used_in_last_block_ < value.size()) {
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockBytes));
    used_in_last_block_ = 0;
  }
  TextRef ref{static_cast<uint32_t>((blocks_.size() - 1) * kBlockBytes + used_in_last_block_),
              static_cast<uint32_t>(value.size())};
  std::memcpy(blocks_.back().get() + used_in_last_block_, value.data(), value.size());
  used_in_last_block_ += value.size();
  return ref;
}

DeploymentTable::TextRef DeploymentTable::intern(std::string_view value) {
  value = value.substr(0, kBlockBytes);
  if (value.empty()) return {};
  if ((interned_count_ + 1) * 2 > interned_.size()) grow_interned();
  size_t mask = interned_.size() - 1;
  for (size_t slot = std::hash<std::string_view>{}(value) & mask;; slot = (slot + 1) & mask) {
    TextRef& held = interned_[slot];
    if (held.size == 0) {
      held = append_text(value);
      ++interned_count_;
      return held;
    }
    if (text(held) == value) return held;
  }
}

void DeploymentTable::grow_interned() {
  std::vector<TextRef> old = std::move(interned_);
  interned_.assign(std::max<size_t>(1024, old.size() * 2), TextRef{});
  size_t mask = interned_.size() - 1;
  for (const TextRef& held : old) {
    if (held.size == 0) continue;
    size_t slot = std::hash<std::string_view>{}(text(held)) & mask;
    while (interned_[slot].size != 0) slot = (slot + 1) & mask;
    interned_[slot] = held;
  }
}

void DeploymentTable::add(DeploymentFacts&& deployment, FactsSpill* spill) {
  Entry entry;
  entry.kind = deployment.kind;
  entry.path = intern(deployment.path);
  entry.name = append_text(deployment.name);
  entry.place_path = intern(deployment.location.path());
  entry.place = deployment.location.span.begin;
  entry.first_container = static_cast<uint32_t>(containers_.size());
  entry.container_count = static_cast<uint32_t>(deployment.container_count());
  for (size_t index = 0; index < deployment.container_count(); ++index)
    containers_.push_back({intern(deployment.container_image(index)), deployment.container_is_sidecar(index)});
  std::optional<StowedPart> where = spill ? spill->stow_linking(deployment) : std::nullopt;
  if (where) {
    entry.where = *where;
  } else {
    entry.held = true;
    entry.where.offset = held_.size();
    held_.push_back(std::move(deployment));
  }
  entries_.push_back(entry);
}

std::string_view DeploymentTable::container_image(size_t index, size_t container) const {
  return text(containers_[entries_[index].first_container + container].image);
}

bool DeploymentTable::container_is_sidecar(size_t index, size_t container) const {
  return containers_[entries_[index].first_container + container].sidecar;
}

void DeploymentTable::sort_by_place() {
  auto key = [&](const Entry& entry) {
    return std::tuple(text(entry.path), text(entry.place_path), entry.place.line, entry.place.column);
  };
  std::stable_sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
  entries_.erase(std::unique(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) { return key(a) == key(b); }),
                 entries_.end());
  // A dropped repeat's containers and held deployment stay where they are, unread: repeats are rare.
  entries_.shrink_to_fit();
  containers_.shrink_to_fit();
  std::vector<TextRef>().swap(interned_);
  interned_count_ = 0;
}

bool DeploymentTable::materialize(size_t index, const FactsSpill* spill, DeploymentFacts& deployment) const {
  const Entry& entry = entries_[index];
  if (entry.held) {
    deployment = held_[entry.where.offset];
    return true;
  }
  deployment = DeploymentFacts();
  if (spill && spill->restore_linking(entry.where, deployment)) return true;
  // What the table knows, so that the app's turn still has the deployment and its containers.
  deployment = DeploymentFacts();
  deployment.kind = entry.kind;
  deployment.path = std::string(text(entry.path));
  deployment.name = std::string(text(entry.name));
  if (entry.place_path.size) {
    deployment.location.file = std::make_shared<const std::string>(text(entry.place_path));
    deployment.location.span = Span{entry.place, entry.place};
  }
  for (uint32_t container = 0; container < entry.container_count; ++container) {
    ContainerFacts& facts = deployment.containers.emplace_back();
    facts.image = std::string(container_image(index, container));
    facts.sidecar = container_is_sidecar(index, container);
  }
  return false;
}

}  // namespace shiftlint::project
