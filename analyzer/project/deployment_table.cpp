#include "analyzer/project/deployment_table.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "analyzer/project/facts_spill.h"

namespace shiftlint::project {

DeploymentTable::TextRef DeploymentTable::append_text(std::string_view value) {
  TextRef ref{static_cast<uint32_t>(texts_.size()), static_cast<uint32_t>(value.size())};
  texts_.append(value);
  return ref;
}

DeploymentTable::TextRef DeploymentTable::intern(std::string_view value) {
  if (auto found = interned_.find(value); found != interned_.end()) return found->second;
  TextRef ref = append_text(value);
  interned_.emplace(std::string(value), ref);
  return ref;
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
