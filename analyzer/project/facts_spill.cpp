#include "analyzer/project/facts_spill.h"

#include <algorithm>
#include <concepts>
#include <type_traits>
#include <utility>

namespace shiftlint::project {
namespace {

// The fields of the bulk, written and read in one order. Places decoded from one fact share their
// display path, as the per-file phase made them.
class BulkWriter {
 public:
  explicit BulkWriter(std::string& out) : out_(out) {}
  void put(const std::string& value) { out_.text(value); }
  void put(bool value) { out_.number(value ? 1 : 0); }
  void put(const Location& value) { out_.location(value); }
  void put(const Place& value) {
    out_.text(value.path());
    out_.number(value.file ? 1 : 0);
    out_.span(value.span);
  }
  void put(const Provided& value) {
    put(value.name);
    put(value.value);
    put(value.location);
  }
  void put(const HostItem& value) {
    out_.number(static_cast<uint64_t>(value.category));
    put(value.name);
    put(value.value);
    put(value.detail);
    put(value.value_known);
    put(value.origin);
    put(value.location);
  }
  void put(const ImageFacts::ShellEntrypoint& value) {
    put(value.instruction);
    put(value.explanation);
    put(value.location);
  }
  void put(const ContainerFacts& value);
  void put(const StowedPart& value) {
    out_.number(value.offset);
    out_.number(value.size);
  }
  void put(DeploymentFacts::Kind value) { out_.number(static_cast<uint64_t>(value)); }
  void put(const ContainerLinkFacts& value) {
    put(value.image);
    put(value.sidecar);
  }
  void count(size_t value) { out_.number(value); }
  template <typename Value>
  void put(const std::optional<Value>& value) {
    put(value.has_value());
    if (value) put(*value);
  }
  template <typename Value>
  void put(const std::vector<Value>& values) {
    out_.number(values.size());
    for (const Value& value : values) put(value);
  }

 private:
  SpillEncoder out_;
};

class BulkReader {
 public:
  explicit BulkReader(std::string_view in) : in_(in) {}
  bool ok() const { return !in_.failed() && in_.done(); }
  void get(std::string& value) { value = in_.text(); }
  void get(bool& value) { value = in_.number() != 0; }
  void get(Location& value) { value = in_.location(); }
  void get(Place& value) {
    std::string path = in_.text();
    bool has_file = in_.number() != 0;
    value.span = in_.span();
    if (!has_file) {
      value.file = nullptr;
      return;
    }
    if (!last_path_ || *last_path_ != path) last_path_ = std::make_shared<const std::string>(std::move(path));
    value.file = last_path_;
  }
  void get(Provided& value) {
    get(value.name);
    get(value.value);
    get(value.location);
  }
  void get(HostItem& value) {
    value.category = static_cast<HostItemCategory>(in_.number());
    get(value.name);
    get(value.value);
    get(value.detail);
    get(value.value_known);
    get(value.origin);
    get(value.location);
  }
  void get(ImageFacts::ShellEntrypoint& value) {
    get(value.instruction);
    get(value.explanation);
    get(value.location);
  }
  void get(ContainerFacts& value);
  void get(StowedPart& value) {
    value.offset = in_.number();
    value.size = in_.number();
  }
  void get(DeploymentFacts::Kind& value) {
    value = in_.number() == static_cast<uint64_t>(DeploymentFacts::Kind::KubernetesWorkload)
                ? DeploymentFacts::Kind::KubernetesWorkload
                : DeploymentFacts::Kind::TaskDefinition;
  }
  void get(ContainerLinkFacts& value) {
    get(value.image);
    get(value.sidecar);
  }
  size_t count() { return in_.count(); }
  template <typename Value>
  void get(std::optional<Value>& value) {
    bool present = false;
    get(present);
    value.reset();
    if (present) get(value.emplace());
  }
  template <typename Value>
  void get(std::vector<Value>& values) {
    values.clear();
    values.resize(in_.count());
    for (Value& value : values) get(value);
  }

 private:
  SpillDecoder in_;
  std::shared_ptr<const std::string> last_path_;
};

// Each fact's bulk, as one list of fields for writing, reading and dropping (`Facts` may be const).
template <typename Facts, typename Expected>
concept FactsOf = std::same_as<std::remove_const_t<Facts>, Expected>;

template <FactsOf<HostFileFacts> Facts, typename Visitor>
void visit_bulk(Facts& facts, Visitor&& visit) {
  visit(facts.items);
}

template <FactsOf<ImageFacts> Facts, typename Visitor>
void visit_bulk(Facts& facts, Visitor&& visit) {
  visit(facts.base_image);
  visit(facts.packages);
  visit(facts.opaque_managers);
  visit(facts.install_anchor);
  visit(facts.runtimes);
  visit(facts.environment);
  visit(facts.time_zone);
  visit(facts.shell_entrypoint);
  visit(facts.command_words);
  visit(facts.startup_commands);
}

template <FactsOf<ContainerFacts> Container, typename Visitor>
void visit_container_bulk(Container& container, Visitor&& visit) {
  visit(container.environment_block);
  visit(container.environment);
  visit(container.environment_open);
  visit(container.nofile);
  visit(container.nofile_unknown);
  visit(container.ulimits_block);
  visit(container.stop_timeout);
  visit(container.log_driver);
  visit(container.system_controls);
  visit(container.overrides_entrypoint);
  visit(container.overrides_command);
  visit(container.command_words);
}

template <FactsOf<ScheduledRunFacts> Facts, typename Visitor>
void visit_bulk(Facts& facts, Visitor&& visit) {
  visit(facts.commands);
}

// A deployment's bulk is its label, its schedule and its containers whole: what linking reads of
// them stays in DeploymentFacts::linked_containers (set aside by stow_one).
template <FactsOf<DeploymentFacts> Facts, typename Visitor>
void visit_bulk(Facts& facts, Visitor&& visit) {
  visit(facts.label);
  visit(facts.schedule);
  visit(facts.containers);
}

void BulkWriter::put(const ContainerFacts& value) {
  put(value.name);
  put(value.image);
  put(value.location);
  put(value.sidecar);
  visit_container_bulk(value, [&](const auto& field) { put(field); });
}

// What stays of each fact once its bulk is on disk: what set_aside writes. Every field of a fact
// is in its bulk or here.
template <FactsOf<HostFileFacts> Facts, typename Visitor>
void visit_linking(Facts& facts, Visitor&& visit) {
  visit(facts.path);
  visit(facts.bundle_root);
  visit(facts.role);
  visit(facts.dockerrun_image);
  visit(facts.anchor);
  visit(facts.stowed);
}

template <FactsOf<ImageFacts> Facts, typename Visitor>
void visit_linking(Facts& facts, Visitor&& visit) {
  visit(facts.path);
  visit(facts.folder);
  visit(facts.anchor);
  visit(facts.stowed);
}

template <FactsOf<DeploymentFacts> Facts, typename Visitor>
void visit_linking(Facts& facts, Visitor&& visit) {
  visit(facts.kind);
  visit(facts.path);
  visit(facts.name);
  visit(facts.location);
  visit(facts.scheduled);
  visit(facts.stowed);
  visit(facts.linked_containers);
}

template <FactsOf<ScheduledRunFacts> Facts, typename Visitor>
void visit_linking(Facts& facts, Visitor&& visit) {
  visit(facts.path);
  visit(facts.label);
  visit(facts.location);
  visit(facts.task_family);
  visit(facts.stowed);
}

void BulkReader::get(ContainerFacts& value) {
  get(value.name);
  get(value.image);
  get(value.location);
  get(value.sidecar);
  visit_container_bulk(value, [&](auto& field) { get(field); });
}

template <typename Facts>
std::string encode(const Facts& facts) {
  std::string bytes;
  BulkWriter writer(bytes);
  visit_bulk(facts, [&](const auto& field) { writer.put(field); });
  return bytes;
}

template <typename Facts>
bool decode(std::string_view bytes, Facts& facts) {
  BulkReader reader(bytes);
  visit_bulk(facts, [&](auto& field) { reader.get(field); });
  return reader.ok();
}

// Swapping with a fresh value frees a field's memory: clear() would keep a vector's room, and
// assigning an empty string keeps the string's (libstdc++ copies a short string into the room it has).
template <typename Facts>
void drop(Facts& facts) {
  visit_bulk(facts, [](auto& field) {
    std::remove_reference_t<decltype(field)> fresh;
    std::swap(field, fresh);
  });
}

}  // namespace

std::string FactsSpill::encode_bulk(const HostFileFacts& facts) { return encode(facts); }
std::string FactsSpill::encode_bulk(const ImageFacts& facts) { return encode(facts); }
std::string FactsSpill::encode_bulk(const DeploymentFacts& facts) { return encode(facts); }
std::string FactsSpill::encode_bulk(const ScheduledRunFacts& facts) { return encode(facts); }
bool FactsSpill::decode_bulk(std::string_view bytes, HostFileFacts& facts) { return decode(bytes, facts); }
bool FactsSpill::decode_bulk(std::string_view bytes, ImageFacts& facts) { return decode(bytes, facts); }
bool FactsSpill::decode_bulk(std::string_view bytes, DeploymentFacts& facts) { return decode(bytes, facts); }
bool FactsSpill::decode_bulk(std::string_view bytes, ScheduledRunFacts& facts) { return decode(bytes, facts); }
void FactsSpill::drop_bulk(HostFileFacts& facts) { drop(facts); }
void FactsSpill::drop_bulk(ImageFacts& facts) { drop(facts); }
void FactsSpill::drop_bulk(DeploymentFacts& facts) { drop(facts); }
void FactsSpill::drop_bulk(ScheduledRunFacts& facts) { drop(facts); }

std::string FactsSpill::encode_set_aside(const FileFacts& facts) {
  std::string bytes;
  BulkWriter writer(bytes);
  // The counts first: count_aside reads them alone.
  writer.count(facts.host_files.size());
  writer.count(facts.images.size());
  writer.count(facts.deployments.size());
  writer.count(facts.scheduled_runs.size());
  auto put_all = [&](const auto& list) {
    for (const auto& fact : list) visit_linking(fact, [&](const auto& field) { writer.put(field); });
  };
  put_all(facts.host_files);
  put_all(facts.images);
  put_all(facts.deployments);
  put_all(facts.scheduled_runs);
  return bytes;
}

bool FactsSpill::decode_set_aside(std::string_view bytes, FileFacts& facts) {
  BulkReader reader(bytes);
  FileFacts read;
  read.host_files.resize(reader.count());
  read.images.resize(reader.count());
  read.deployments.resize(reader.count());
  read.scheduled_runs.resize(reader.count());
  auto get_all = [&](auto& list) {
    for (auto& fact : list) visit_linking(fact, [&](auto& field) { reader.get(field); });
  };
  get_all(read.host_files);
  get_all(read.images);
  get_all(read.deployments);
  get_all(read.scheduled_runs);
  if (!reader.ok()) return false;
  facts.append(std::move(read));
  return true;
}

std::optional<StowedPart> FactsSpill::set_aside(FileFacts& facts) {
  auto all_stowed = [](const auto& list) {
    return std::all_of(list.begin(), list.end(), [](const auto& fact) { return fact.stowed.stowed(); });
  };
  if (facts.empty() || !all_stowed(facts.host_files) || !all_stowed(facts.images) || !all_stowed(facts.deployments) ||
      !all_stowed(facts.scheduled_runs))
    return std::nullopt;
  std::optional<SpillFile::Extent> extent = file_.append(encode_set_aside(facts));
  if (!extent) return std::nullopt;
  facts = {};
  return StowedPart{extent->offset, extent->size};
}

bool FactsSpill::count_aside(const StowedPart& where, Counts& counts) const {
  std::string bytes;
  if (!file_.read(SpillFile::Extent{where.offset, where.size}, bytes)) return false;
  BulkReader reader(bytes);
  counts.host_files += reader.count();
  counts.images += reader.count();
  counts.deployments += reader.count();
  counts.scheduled_runs += reader.count();
  return true;
}

bool FactsSpill::take_back(const StowedPart& where, FileFacts& facts) const {
  std::string bytes;
  return file_.read(SpillFile::Extent{where.offset, where.size}, bytes) && decode_set_aside(bytes, facts);
}

std::optional<StowedPart> FactsSpill::stow_linking(const DeploymentFacts& deployment) {
  if (!deployment.stowed.stowed()) return std::nullopt;
  std::string bytes;
  BulkWriter writer(bytes);
  visit_linking(deployment, [&](const auto& field) { writer.put(field); });
  std::optional<SpillFile::Extent> extent = file_.append(bytes);
  if (!extent) return std::nullopt;
  return StowedPart{extent->offset, extent->size};
}

bool FactsSpill::restore_linking(const StowedPart& where, DeploymentFacts& deployment) const {
  std::string bytes;
  if (!file_.read(SpillFile::Extent{where.offset, where.size}, bytes)) return false;
  BulkReader reader(bytes);
  visit_linking(deployment, [&](auto& field) { reader.get(field); });
  return reader.ok();
}

template <typename Facts>
void FactsSpill::stow_one(Facts& facts) {
  if (facts.stowed.stowed()) return;
  std::string bytes = encode(facts);
  if (bytes.empty()) return;
  std::optional<SpillFile::Extent> extent = file_.append(bytes);
  if (!extent) return;  // no room on disk: it stays in memory
  if constexpr (std::is_same_v<Facts, DeploymentFacts>) {
    facts.linked_containers.reserve(facts.containers.size());
    for (ContainerFacts& container : facts.containers)
      facts.linked_containers.push_back({std::move(container.image), container.sidecar});
  }
  facts.stowed = StowedPart{extent->offset, extent->size};
  drop(facts);
}

template <typename Facts>
bool FactsSpill::restore_one(Facts& facts) const {
  if (!facts.stowed.stowed()) return true;
  std::string bytes;
  if (file_.read(SpillFile::Extent{facts.stowed.offset, facts.stowed.size}, bytes) && decode(bytes, facts)) return true;
  drop(facts);
  if constexpr (std::is_same_v<Facts, DeploymentFacts>) {
    // The rules index the containers by what linking saw: they must be there, if only with the
    // image and whether each is a sidecar.
    for (const ContainerLinkFacts& linked : facts.linked_containers) {
      ContainerFacts& container = facts.containers.emplace_back();
      container.image = linked.image;
      container.sidecar = linked.sidecar;
    }
  }
  return false;
}

void FactsSpill::stow(FileFacts& facts) {
  for (HostFileFacts& file : facts.host_files) stow_one(file);
  for (ImageFacts& image : facts.images) stow_one(image);
  for (DeploymentFacts& deployment : facts.deployments) stow_one(deployment);
  for (ScheduledRunFacts& run : facts.scheduled_runs) stow_one(run);
}

bool FactsSpill::restore(ProjectFacts& facts, const App& app) const {
  bool ok = true;
  for (size_t index : app.host_files) ok &= restore_one(facts.host_files[index]);
  for (const LinkedFile& link : app.images) ok &= restore_one(facts.images[link.index]);
  for (const LinkedFile& link : app.deployments) {
    ok &= restore_one(facts.deployments[link.index]);
    for (const LinkedFile::Container& container : link.containers)
      if (container.image) ok &= restore_one(facts.images[*container.image]);
  }
  for (const LinkedFile& link : app.scheduled_runs) ok &= restore_one(facts.scheduled_runs[link.index]);
  return ok;
}

bool FactsSpill::restore_all(ProjectFacts& facts) const {
  bool ok = true;
  for (HostFileFacts& file : facts.host_files) ok &= restore_one(file);
  for (ImageFacts& image : facts.images) ok &= restore_one(image);
  for (DeploymentFacts& deployment : facts.deployments) ok &= restore_one(deployment);
  for (ScheduledRunFacts& run : facts.scheduled_runs) ok &= restore_one(run);
  return ok;
}

void FactsSpill::release(ProjectFacts& facts, const App& app) const {
  auto release_one = [](auto& fact) {
    if (fact.stowed.stowed()) drop(fact);
  };
  for (size_t index : app.host_files) release_one(facts.host_files[index]);
  for (const LinkedFile& link : app.images) release_one(facts.images[link.index]);
  for (const LinkedFile& link : app.deployments) {
    release_one(facts.deployments[link.index]);
    for (const LinkedFile::Container& container : link.containers)
      if (container.image) release_one(facts.images[*container.image]);
  }
  for (const LinkedFile& link : app.scheduled_runs) release_one(facts.scheduled_runs[link.index]);
}

}  // namespace shiftlint::project
