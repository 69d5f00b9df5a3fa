#include "analyzer/project/task_definition_index.h"

#include <algorithm>
#include <set>

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

// The one definition among `candidates`, or nullptr when they differ in what rules read.
const TaskDefinitionSummary* only(const std::vector<std::shared_ptr<const TaskDefinitionSummary>>* candidates) {
  if (!candidates || candidates->empty()) return nullptr;
  std::string first = reading(*candidates->front());
  for (const auto& candidate : *candidates)
    if (reading(*candidate) != first) return nullptr;
  return candidates->front().get();
}

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

void TaskDefinitionIndex::add(const TaskDefinitionSummaries& summaries) {
  for (const auto& summary : summaries) {
    if (!summary->family.empty()) by_family_[summary->family].push_back(summary);
    if (!summary->defined_in.empty()) by_file_[summary->defined_in].push_back(summary);
  }
}

void TaskDefinitionIndex::add(EcspressoApp app) {
  if (app.service_definition.empty() || app.task_definition.empty()) return;
  std::vector<std::string>& files = ecspresso_[app.service_definition];
  if (std::find(files.begin(), files.end(), app.task_definition) == files.end()) files.push_back(app.task_definition);
}

const TaskDefinitionSummary* TaskDefinitionIndex::by_family(std::string_view family) const {
  auto found = by_family_.find(family);
  return only(found == by_family_.end() ? nullptr : &found->second);
}

const TaskDefinitionSummary* TaskDefinitionIndex::for_service_definition(std::string_view display_path) const {
  auto app = ecspresso_.find(display_path);
  // Two apps deploying one service definition with different task definitions: which one is not known.
  if (app == ecspresso_.end() || app->second.size() != 1) return nullptr;
  auto found = by_file_.find(app->second.front());
  return only(found == by_file_.end() ? nullptr : &found->second);
}

void TaskDefinitionIndex::link(aws::Infrastructure& infrastructure) const {
  auto named = [&](const Node* value) -> const TaskDefinitionSummary* {
    auto family = value ? aws::named_family(*value) : std::nullopt;
    return family ? by_family(*family) : nullptr;
  };
  for (aws::RunTask& run : infrastructure.run_tasks) {
    if (run.task) continue;
    if (const TaskDefinitionSummary* summary = named(run.task_definition)) {
      run.task = &summary->task;
      run.task_in_other_file = true;
    }
  }
  for (aws::EcsService& service : infrastructure.services) {
    if (service.task) continue;
    const TaskDefinitionSummary* summary = named(service.task_definition);
    if (!summary && service.carrier == aws::Carrier::ServiceDefinition && service.file)
      summary = for_service_definition(service.file->display_path());
    if (summary) {
      service.task = &summary->task;
      service.task_in_other_file = true;
    }
  }
}

bool TaskDefinitionIndex::resolves_any(const IndexContribution& contribution) const {
  for (const std::string& family : contribution.unlinked_families)
    if (by_family(family)) return true;
  for (const std::string& file : contribution.unlinked_service_definitions)
    if (for_service_definition(file)) return true;
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
}

}  // namespace shiftlint
