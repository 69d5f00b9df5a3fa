#include "analyzer/project/task_definition_index.h"

#include <algorithm>
#include <bit>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "analyzer/model/aws/task_definition_links.h"

namespace shiftlint {

namespace {

// The nodes a summary keeps, visited in one order for collecting lines and for copying.
template <typename Visit>
void visit_kept_nodes(const ecs::TaskDefinition& task, Visit visit) {
  visit(task.node);
  for (const Node* node : {task.family, task.cpu, task.memory, task.requires_compatibilities}) visit(node);
  if (task.requires_compatibilities)
    for (const Node& item : task.requires_compatibilities->children) visit(&item);
  for (const ecs::ContainerDefinition& container : task.containers) {
    for (const Node* node : {container.node, container.name, container.image, container.cpu, container.memory,
                             container.memory_reservation, container.log_configuration})
      visit(node);
    if (container.log_configuration) visit(container.log_configuration->find_any_case("logDriver"));
  }
}

constexpr size_t kMaxExcerptLine = 16 * 1024;

// Excerpts of the files a set of summaries points into: each keeps the lines its nodes begin and
// end on, at their own numbers (the other lines are empty).
class Excerpts {
 public:
  void need(const Node* node) {
    if (!node || !node->file) return;
    std::set<uint32_t>& lines = lines_[node->file];
    for (const Span& span : {node->span, node->key_span})
      if (!span.empty()) {
        lines.insert(span.begin.line);
        lines.insert(span.end.line);
      }
  }

  void build() {
    for (const auto& [file, lines] : lines_) {
      std::string text;
      uint32_t last = lines.empty() ? 0 : *lines.rbegin();
      for (uint32_t line = 1; line <= last; ++line) {
        // A minified document is one long line: the position is kept, not the code frame, so a
        // run never holds a large file through its summaries.
        if (lines.count(line) && file->line(line).size() <= kMaxExcerptLine) text += file->line(line);
        if (line < last) text += '\n';
      }
      excerpts_[file] = std::make_shared<const SourceFile>(file->path(), file->display_path(), std::move(text));
    }
  }

  std::shared_ptr<const SourceFile> of(const SourceFile* file) const {
    auto found = excerpts_.find(file);
    return found == excerpts_.end() ? nullptr : found->second;
  }

 private:
  std::map<const SourceFile*, std::set<uint32_t>> lines_;
  std::map<const SourceFile*, std::shared_ptr<const SourceFile>> excerpts_;
};

// A copy of `node` without its children (or only those `keep` names), in its excerpt.
const Node* copy(const Node* node, const Excerpts& excerpts, TaskDefinitionSummary& summary,
                 std::initializer_list<std::string_view> keep = {}) {
  if (!node) return nullptr;
  Node copied;
  copied.kind = node->kind;
  copied.boolean = node->boolean;
  copied.number = node->number;
  copied.text = node->text;
  copied.tag = node->tag;
  copied.span = node->span;
  copied.key = node->key;
  copied.key_span = node->key_span;
  std::shared_ptr<const SourceFile> excerpt = excerpts.of(node->file);
  copied.file = excerpt.get();
  bool list_of_scalars = node->is_list();
  for (const Node& child : node->children) {
    bool kept = false;
    for (std::string_view name : keep) kept = kept || child.key == name;
    if (!kept && !(list_of_scalars && child.is_scalar())) continue;
    Node item = child;
    item.children.clear();
    item.file = excerpts.of(child.file).get();
    copied.children.push_back(std::move(item));
  }
  summary.values.push_back(std::move(copied));
  return &summary.values.back();
}

std::shared_ptr<const TaskDefinitionSummary> summarize(const ecs::TaskDefinition& task, const Excerpts& excerpts) {
  auto summary = std::make_shared<TaskDefinitionSummary>();
  ecs::TaskDefinition& kept = summary->task;
  kept.carrier = task.carrier;
  kept.display_name = task.display_name;
  kept.file = excerpts.of(task.file).get();
  kept.node = copy(task.node, excerpts, *summary);
  kept.family = copy(task.family, excerpts, *summary);
  kept.cpu = copy(task.cpu, excerpts, *summary);
  kept.memory = copy(task.memory, excerpts, *summary);
  kept.requires_compatibilities = copy(task.requires_compatibilities, excerpts, *summary);
  for (const ecs::ContainerDefinition& container : task.containers) {
    ecs::ContainerDefinition& into = kept.containers.emplace_back();
    into.node = copy(container.node, excerpts, *summary);
    into.name = copy(container.name, excerpts, *summary);
    into.image = copy(container.image, excerpts, *summary);
    into.cpu = copy(container.cpu, excerpts, *summary);
    into.memory = copy(container.memory, excerpts, *summary);
    into.memory_reservation = copy(container.memory_reservation, excerpts, *summary);
    // logDriver under any spelling (logDriver, LogDriver), the only member rules read.
    if (container.log_configuration) {
      const Node* driver = container.log_configuration->find_any_case("logDriver");
      into.log_configuration = copy(container.log_configuration, excerpts, *summary,
                                    {driver ? std::string_view(driver->key) : std::string_view()});
    }
  }
  if (auto family = task.family ? task.family->as_string() : std::nullopt) summary->family = std::string(*family);
  if (task.file) summary->defined_in = task.file->display_path();
  for (const SourceFile* file : {task.file, task.node ? task.node->file : nullptr})
    if (auto excerpt = excerpts.of(file)) summary->excerpts.push_back(excerpt);
  visit_kept_nodes(task, [&](const Node* node) {
    if (auto excerpt = node ? excerpts.of(node->file) : nullptr) summary->excerpts.push_back(excerpt);
  });
  std::sort(summary->excerpts.begin(), summary->excerpts.end());
  summary->excerpts.erase(std::unique(summary->excerpts.begin(), summary->excerpts.end()), summary->excerpts.end());
  return summary;
}

std::string text_of(const Node* node) {
  if (!node) return "-";
  if (node->is_list()) {
    std::string items;
    for (const Node& item : node->children) items += text_of(&item) + ",";
    return "[" + items + "]";
  }
  return fmt::format("{}:{}", static_cast<int>(node->kind), node->text);
}

// What the RunTask and service rules read of a task definition: two definitions with the same
// reading give the same findings whichever of them a call starts.
std::string reading(const TaskDefinitionSummary& summary) {
  const ecs::TaskDefinition& task = summary.task;
  std::string text = fmt::format("{}|{}|{}|{}", summary.family, text_of(task.cpu), text_of(task.memory),
                                 text_of(task.requires_compatibilities));
  for (const ecs::ContainerDefinition& container : task.containers)
    text += fmt::format("|{};{};{};{};{};{}", text_of(container.name), text_of(container.image),
                        text_of(container.cpu), text_of(container.memory), text_of(container.memory_reservation),
                        container.log_driver());
  return text;
}

// --- the summaries of a document as bytes (TaskDefinitionIndex::stow): their excerpts once, then
// each summary's task with its kept nodes, which point at those excerpts by number ---

class SummaryWriter {
 public:
  explicit SummaryWriter(std::string& out) : out_(out) {}

  void summaries(const TaskDefinitionSummaries& summaries) {
    for (const auto& summary : summaries)
      for (const auto& excerpt : summary->excerpts)
        if (numbers_.emplace(excerpt.get(), numbers_.size() + 1).second) excerpts_.push_back(excerpt.get());
    out_.number(excerpts_.size());
    for (const SourceFile* excerpt : excerpts_) {
      out_.text(excerpt->path());
      out_.text(excerpt->display_path());
      out_.text(excerpt->text());
    }
    out_.number(summaries.size());
    for (const auto& summary : summaries) this->summary(*summary);
  }

 private:
  void summary(const TaskDefinitionSummary& summary) {
    const ecs::TaskDefinition& task = summary.task;
    out_.number(static_cast<uint64_t>(task.carrier));
    out_.text(task.display_name);
    out_.text(summary.family);
    out_.text(summary.defined_in);
    file(task.file);
    for (const Node* node : {task.node, task.family, task.cpu, task.memory, task.requires_compatibilities}) optional(node);
    out_.number(task.containers.size());
    for (const ecs::ContainerDefinition& container : task.containers)
      for (const Node* node : {container.node, container.name, container.image, container.cpu, container.memory,
                               container.memory_reservation, container.log_configuration})
        optional(node);
    out_.number(summary.excerpts.size());
    for (const auto& excerpt : summary.excerpts) file(excerpt.get());
  }

  // 0 for no file (or one outside the summaries' excerpts, which no summary keeps alive).
  void file(const SourceFile* file) {
    auto found = file ? numbers_.find(file) : numbers_.end();
    out_.number(found == numbers_.end() ? 0 : found->second);
  }

  void optional(const Node* node) {
    out_.number(node ? 1 : 0);
    if (node) this->node(*node);
  }

  void node(const Node& node) {
    out_.number(static_cast<uint64_t>(node.kind));
    out_.number(node.boolean ? 1 : 0);
    out_.number(std::bit_cast<uint64_t>(node.number));
    out_.text(node.text);
    out_.text(node.tag);
    file(node.file);
    out_.span(node.span);
    out_.text(node.key);
    out_.span(node.key_span);
    out_.number(node.children.size());
    for (const Node& child : node.children) this->node(child);
  }

  SpillEncoder out_;
  std::unordered_map<const SourceFile*, size_t> numbers_;
  std::vector<const SourceFile*> excerpts_;
};

class SummaryReader {
 public:
  explicit SummaryReader(std::string_view in) : in_(in) {}

  std::optional<TaskDefinitionSummaries> summaries() {
    size_t excerpt_count = in_.count();
    for (size_t i = 0; i < excerpt_count && !failed(); ++i) {
      std::string path = in_.text();
      std::string display_path = in_.text();
      std::string text = in_.text();
      excerpts_.push_back(std::make_shared<const SourceFile>(std::move(path), std::move(display_path), std::move(text)));
    }
    TaskDefinitionSummaries summaries;
    size_t count = in_.count();
    for (size_t i = 0; i < count && !failed(); ++i) summaries.push_back(summary());
    if (failed() || !in_.done()) return std::nullopt;
    return summaries;
  }

 private:
  std::shared_ptr<const TaskDefinitionSummary> summary() {
    auto summary = std::make_shared<TaskDefinitionSummary>();
    ecs::TaskDefinition& task = summary->task;
    task.carrier = static_cast<ecs::Carrier>(in_.number());
    task.display_name = in_.text();
    summary->family = in_.text();
    summary->defined_in = in_.text();
    task.file = file();
    for (const Node** node : {&task.node, &task.family, &task.cpu, &task.memory, &task.requires_compatibilities})
      *node = optional(*summary);
    size_t containers = in_.count();
    for (size_t i = 0; i < containers && !failed(); ++i) {
      ecs::ContainerDefinition& container = task.containers.emplace_back();
      for (const Node** node : {&container.node, &container.name, &container.image, &container.cpu, &container.memory,
                                &container.memory_reservation, &container.log_configuration})
        *node = optional(*summary);
    }
    size_t excerpts = in_.count();
    for (size_t i = 0; i < excerpts && !failed(); ++i) {
      uint64_t number = in_.number();
      malformed_ |= number == 0 || number > excerpts_.size();  // a summary keeps excerpts that exist
      if (!malformed_) summary->excerpts.push_back(excerpts_[number - 1]);
    }
    return summary;
  }

  const SourceFile* file() {
    uint64_t number = in_.number();
    return number == 0 || number > excerpts_.size() ? nullptr : excerpts_[number - 1].get();
  }

  const Node* optional(TaskDefinitionSummary& summary) {
    if (in_.number() == 0) return nullptr;
    summary.values.push_back(node(0));
    return &summary.values.back();
  }

  // Summaries keep a node and its children: deeper is malformed.
  Node node(int depth) {
    Node node;
    uint64_t kind = in_.number();
    malformed_ |= kind > static_cast<uint64_t>(NodeKind::Unknown);
    node.kind = static_cast<NodeKind>(kind);
    node.boolean = in_.number() != 0;
    node.number = std::bit_cast<double>(in_.number());
    node.text = in_.text();
    node.tag = in_.text();
    node.file = file();
    node.span = in_.span();
    node.key = in_.text();
    node.key_span = in_.span();
    size_t children = in_.count();
    malformed_ |= children && depth > 0;
    for (size_t i = 0; i < children && !failed(); ++i) node.children.push_back(this->node(depth + 1));
    return node;
  }

  bool failed() const { return malformed_ || in_.failed(); }

  SpillDecoder in_;
  bool malformed_ = false;
  std::vector<std::shared_ptr<const SourceFile>> excerpts_;
};

}  // namespace

TaskDefinitionSummaries summarize_task_definitions(const std::vector<const ecs::TaskDefinition*>& tasks) {
  Excerpts excerpts;
  std::vector<const ecs::TaskDefinition*> kept;
  for (const ecs::TaskDefinition* task : tasks)
    if (task && task->carrier != ecs::Carrier::DockerrunV2) kept.push_back(task);
  for (const ecs::TaskDefinition* task : kept) {
    excerpts.need(task->node);
    visit_kept_nodes(*task, [&](const Node* node) { excerpts.need(node); });
  }
  excerpts.build();
  TaskDefinitionSummaries summaries;
  for (const ecs::TaskDefinition* task : kept) summaries.push_back(summarize(*task, excerpts));
  return summaries;
}

std::string encode_task_definition_summaries(const TaskDefinitionSummaries& summaries) {
  std::string bytes;
  SummaryWriter(bytes).summaries(summaries);
  return bytes;
}

std::optional<TaskDefinitionSummaries> decode_task_definition_summaries(std::string_view bytes) {
  return SummaryReader(bytes).summaries();
}

void TaskDefinitionIndex::stow(IndexContribution& contribution) {
  if (contribution.task_definitions.empty()) return;
  std::optional<SpillFile::Extent> extent = file_.append(encode_task_definition_summaries(contribution.task_definitions));
  if (!extent) return;  // no room on disk: they stay in memory
  uint32_t position = 0;
  for (const auto& summary : contribution.task_definitions)
    contribution.stowed_task_definitions.push_back(
        {summary->family, summary->defined_in, reading(*summary), *extent, position++});
  contribution.task_definitions = {};
}

void TaskDefinitionIndex::add_entry(Entry entry, const std::string& family, const std::string& defined_in) {
  if (family.empty() && defined_in.empty()) return;
  uint32_t number = static_cast<uint32_t>(entries_.size());
  entries_.push_back(std::move(entry));
  if (!family.empty()) by_family_[family].push_back(number);
  if (!defined_in.empty()) by_file_[defined_in].push_back(number);
}

void TaskDefinitionIndex::add(const TaskDefinitionSummaries& summaries) {
  for (const auto& summary : summaries)
    add_entry({reading(*summary), summary, {}, 0}, summary->family, summary->defined_in);
}

void TaskDefinitionIndex::add(IndexContribution& contribution) {
  add(contribution.task_definitions);
  for (StowedTaskDefinition& stowed : contribution.stowed_task_definitions)
    add_entry({std::move(stowed.reading), nullptr, stowed.summaries, stowed.position}, stowed.family, stowed.defined_in);
  for (EcspressoApp& app : contribution.ecspresso_apps) add(std::move(app));
  // The index holds them now: the contribution keeps only what it names without holding.
  contribution.task_definitions = {};
  contribution.stowed_task_definitions = {};
  contribution.ecspresso_apps = {};
}

void TaskDefinitionIndex::add(EcspressoApp app) {
  if (app.service_definition.empty() || app.task_definition.empty()) return;
  std::vector<std::string>& files = ecspresso_[app.service_definition];
  if (std::find(files.begin(), files.end(), app.task_definition) == files.end()) files.push_back(app.task_definition);
}

std::optional<uint32_t> TaskDefinitionIndex::only(const std::vector<uint32_t>* candidates) const {
  if (!candidates || candidates->empty()) return std::nullopt;
  const std::string& first = entries_[candidates->front()].reading;
  for (uint32_t candidate : *candidates)
    if (entries_[candidate].reading != first) return std::nullopt;
  return candidates->front();
}

std::optional<uint32_t> TaskDefinitionIndex::chosen_by_family(std::string_view family) const {
  auto found = by_family_.find(family);
  return only(found == by_family_.end() ? nullptr : &found->second);
}

std::optional<uint32_t> TaskDefinitionIndex::chosen_for_service_definition(std::string_view display_path) const {
  auto app = ecspresso_.find(display_path);
  // Two apps deploying one service definition with different task definitions: which one is not known.
  if (app == ecspresso_.end() || app->second.size() != 1) return std::nullopt;
  auto found = by_file_.find(app->second.front());
  return only(found == by_file_.end() ? nullptr : &found->second);
}

std::shared_ptr<const TaskDefinitionSummary> TaskDefinitionIndex::summary_of(uint32_t number) const {
  const Entry& entry = entries_[number];
  if (entry.summary) return entry.summary;
  std::lock_guard lock(read_back_mutex_);
  if (auto held = read_back_[number].lock()) return held;
  std::string bytes;
  std::optional<TaskDefinitionSummaries> summaries;
  if (file_.read(entry.summaries, bytes)) summaries = decode_task_definition_summaries(bytes);
  if (!summaries || entry.position >= summaries->size()) return nullptr;
  std::shared_ptr<const TaskDefinitionSummary> summary = (*summaries)[entry.position];
  read_back_[number] = summary;
  return summary;
}

std::shared_ptr<const TaskDefinitionSummary> TaskDefinitionIndex::by_family(std::string_view family) const {
  std::optional<uint32_t> chosen = chosen_by_family(family);
  return chosen ? summary_of(*chosen) : nullptr;
}

std::shared_ptr<const TaskDefinitionSummary> TaskDefinitionIndex::for_service_definition(std::string_view display_path) const {
  std::optional<uint32_t> chosen = chosen_for_service_definition(display_path);
  return chosen ? summary_of(*chosen) : nullptr;
}

std::vector<std::shared_ptr<const TaskDefinitionSummary>> TaskDefinitionIndex::link(aws::Infrastructure& infrastructure) const {
  std::vector<std::shared_ptr<const TaskDefinitionSummary>> linked;
  auto named = [&](const Node* value) -> std::shared_ptr<const TaskDefinitionSummary> {
    auto family = value ? aws::named_family(*value) : std::nullopt;
    return family ? by_family(*family) : nullptr;
  };
  // RunTask calls, services and appspecs all name their task definition in `task_definition` and
  // hold the link in `task`; a service definition may also be tied to one by its ecspresso config.
  auto link = [&](auto& starter, std::shared_ptr<const TaskDefinitionSummary> summary) {
    if (!summary) return;
    starter.task = &summary->task;
    starter.task_in_other_file = true;
    linked.push_back(std::move(summary));
  };
  for (aws::RunTask& run : infrastructure.run_tasks)
    if (!run.task) link(run, named(run.task_definition));
  for (aws::EcsService& service : infrastructure.services) {
    if (service.task) continue;
    std::shared_ptr<const TaskDefinitionSummary> summary = named(service.task_definition);
    if (!summary && service.carrier == aws::Carrier::ServiceDefinition && service.file)
      summary = for_service_definition(service.file->display_path());
    link(service, std::move(summary));
  }
  for (aws::AppSpec& appspec : infrastructure.appspecs)
    if (!appspec.task) link(appspec, named(appspec.task_definition));
  return linked;
}

bool TaskDefinitionIndex::resolves_any(const IndexContribution& contribution) const {
  for (const std::string& family : contribution.unlinked_families)
    if (chosen_by_family(family)) return true;
  for (const std::string& file : contribution.unlinked_service_definitions)
    if (chosen_for_service_definition(file)) return true;
  return false;
}

void note_unlinked(const aws::Infrastructure& infrastructure, IndexContribution& contribution) {
  auto note_family = [&](const Node* value) {
    if (auto family = value ? aws::named_family(*value) : std::nullopt) contribution.unlinked_families.push_back(*family);
  };
  for (const aws::RunTask& run : infrastructure.run_tasks)
    if (!run.task) note_family(run.task_definition);
  for (const aws::EcsService& service : infrastructure.services) {
    if (service.task) continue;
    note_family(service.task_definition);
    if (service.carrier == aws::Carrier::ServiceDefinition && !service.task_definition && service.file)
      contribution.unlinked_service_definitions.push_back(service.file->display_path());
  }
  for (const aws::AppSpec& appspec : infrastructure.appspecs)
    if (!appspec.task) note_family(appspec.task_definition);
}

}  // namespace shiftlint
