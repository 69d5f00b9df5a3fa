#pragma once
// RunTask calls and services name the task definition they start by family (`web-worker:3`), by
// ARN (`...:task-definition/web-worker:3`) or, for an ecspresso app, through the app's config
// file; that task definition is often written in another file of the run: a task-definition JSON
// that CI registers, a CloudFormation template, a Terraform module. This index holds every task
// definition the run reads, so that the RunTask and service rules can compare with it wherever it
// is written.
//
// Summaries, not trees: a summary copies the few values those rules read (family, cpu, memory,
// requiresCompatibilities; per container its name, image, cpu, memory, memoryReservation and log
// driver) into nodes of its own. They are located in an excerpt of the defining file — only the
// lines they sit on, at their own line numbers — so a finding can still show "the task
// definition's cpu" as a related location after the parsed tree is gone.
//
// A check run fills the index in two steps (engine/check_run.cpp): every file and Terraform root
// adds its summaries and says which task definitions its RunTask calls and services name without
// holding them; once the index is complete, the few whose names it resolves are linted again.
// Between the two steps the summaries wait on disk (stow: a summary is some kilobytes, a
// repository can define thousands), and the index keeps in memory only what choosing one reads:
// its family, its file and the values the rules compare. The files linted again read back the
// summaries they link to, one file's summaries at a time.
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/spill_file.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/ecs/task_definition.h"

namespace shiftlint {

struct TaskDefinitionSummary {
  ecs::TaskDefinition task;  // its nodes point into `values`, located in `excerpts`
  std::string family;        // "" when the family is not a literal
  std::string defined_in;    // display path of the file the task definition is written in
  std::deque<Node> values;
  std::vector<std::shared_ptr<const SourceFile>> excerpts;
};
using TaskDefinitionSummaries = std::vector<std::shared_ptr<const TaskDefinitionSummary>>;

// The task definitions of one document or one Terraform root (their summaries share excerpts).
// Elastic Beanstalk's Dockerrun v2 is left out: nothing outside Elastic Beanstalk starts it.
TaskDefinitionSummaries summarize_task_definitions(const std::vector<const ecs::TaskDefinition*>& tasks);

// The summaries of one document or root as bytes, and back (sharing their excerpts again); nullopt
// for bytes that are truncated or malformed.
std::string encode_task_definition_summaries(const TaskDefinitionSummaries& summaries);
std::optional<TaskDefinitionSummaries> decode_task_definition_summaries(std::string_view bytes);

// A summary set aside on disk with the others of its document: what the index reads to choose it.
struct StowedTaskDefinition {
  std::string family;      // TaskDefinitionSummary::family
  std::string defined_in;  // TaskDefinitionSummary::defined_in
  std::string reading;     // the values the RunTask and service rules read of it, as one text
  SpillFile::Extent summaries;  // the document's summaries
  uint32_t position = 0;        // this one's among them
};

// An ecspresso app: its config file names the service definition and task definition files it
// deploys together (paths relative to the config's folder, as ecspresso resolves them).
struct EcspressoApp {
  std::string config;              // display path of ecspresso.yml
  std::string service_definition;  // display path, "" when the config names none (or a template)
  std::string task_definition;     // display path, "" likewise
};

// What one file (or Terraform root) adds to the index in the first step of a run, and what it
// names without holding: it is linted again once the index is complete if the index resolves one.
struct IndexContribution {
  TaskDefinitionSummaries task_definitions;  // in memory until TaskDefinitionIndex::stow
  std::vector<StowedTaskDefinition> stowed_task_definitions;
  std::vector<EcspressoApp> ecspresso_apps;
  std::vector<std::string> unlinked_families;             // `web-worker` of `--task-definition web-worker:3`
  std::vector<std::string> unlinked_service_definitions;  // ecspresso service definitions (they name none)

  bool empty() const {
    return task_definitions.empty() && stowed_task_definitions.empty() && ecspresso_apps.empty() &&
           unlinked_families.empty() && unlinked_service_definitions.empty();
  }
};

class TaskDefinitionIndex {
 public:
  TaskDefinitionIndex() = default;
  TaskDefinitionIndex(TaskDefinitionIndex&&) = delete;  // the summaries read back point into it

  // Writes the summaries of `contribution` to disk and keeps what choosing them reads
  // (stowed_task_definitions) in their place (any thread). Without a temporary file they stay.
  void stow(IndexContribution& contribution);
  // Adds the task definitions of `contribution` (in memory or stowed) and its ecspresso apps,
  // taking them out of it: what stays is what it names without holding (resolves_any reads that).
  void add(IndexContribution& contribution);
  void add(const TaskDefinitionSummaries& summaries);
  void add(EcspressoApp app);

  // The task definition of that family in the run; nullptr when there is none, or when several
  // files define it differently (staging and production copies): which one a call starts is not
  // known, and a comparison with the wrong one could be a false finding. Also nullptr when its
  // summary cannot be read back from disk.
  std::shared_ptr<const TaskDefinitionSummary> by_family(std::string_view family) const;
  // The task definition an ecspresso app deploys with the service definition at `display_path`.
  std::shared_ptr<const TaskDefinitionSummary> for_service_definition(std::string_view display_path) const;

  // Links the RunTask calls and services of `infrastructure` that name a task definition it does
  // not hold (ecspresso service definitions through their app) with the one in the index. Returns
  // the summaries linked: `infrastructure` points into them, so they must outlive its use.
  [[nodiscard]] std::vector<std::shared_ptr<const TaskDefinitionSummary>> link(aws::Infrastructure& infrastructure) const;
  // Whether the index resolves something `contribution` names without holding.
  bool resolves_any(const IndexContribution& contribution) const;

 private:
  // A task definition of the index: its summary in memory, or where it waits on disk.
  struct Entry {
    std::string reading;
    std::shared_ptr<const TaskDefinitionSummary> summary;  // null while on disk
    SpillFile::Extent summaries;
    uint32_t position = 0;
  };
  void add_entry(Entry entry, const std::string& family, const std::string& defined_in);
  // The one entry among `candidates`, or none when their readings differ.
  std::optional<uint32_t> only(const std::vector<uint32_t>* candidates) const;
  std::optional<uint32_t> chosen_by_family(std::string_view family) const;
  std::optional<uint32_t> chosen_for_service_definition(std::string_view display_path) const;
  // The entry's summary, read back when on disk; a summary still in use by another file is shared.
  std::shared_ptr<const TaskDefinitionSummary> summary_of(uint32_t entry) const;

  std::vector<Entry> entries_;
  std::map<std::string, std::vector<uint32_t>, std::less<>> by_family_;  // into entries_
  std::map<std::string, std::vector<uint32_t>, std::less<>> by_file_;
  std::map<std::string, std::vector<std::string>, std::less<>> ecspresso_;  // service definition → task definition files
  SpillFile file_;
  mutable std::mutex read_back_mutex_;
  mutable std::map<uint32_t, std::weak_ptr<const TaskDefinitionSummary>> read_back_;  // by entry
};

// Records in `contribution` the task definitions RunTask calls and services of `infrastructure`
// name but do not hold.
void note_unlinked(const aws::Infrastructure& infrastructure, IndexContribution& contribution);

}  // namespace shiftlint
