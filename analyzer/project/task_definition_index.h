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
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
  TaskDefinitionSummaries task_definitions;
  std::vector<EcspressoApp> ecspresso_apps;
  std::vector<std::string> unlinked_families;             // `web-worker` of `--task-definition web-worker:3`
  std::vector<std::string> unlinked_service_definitions;  // ecspresso service definitions (they name none)
};

class TaskDefinitionIndex {
 public:
  void add(const TaskDefinitionSummaries& summaries);
  void add(EcspressoApp app);

  // The task definition of that family in the run; nullptr when there is none, or when several
  // files define it differently (staging and production copies): which one a call starts is not
  // known, and a comparison with the wrong one could be a false finding.
  const TaskDefinitionSummary* by_family(std::string_view family) const;
  // The task definition an ecspresso app deploys with the service definition at `display_path`.
  const TaskDefinitionSummary* for_service_definition(std::string_view display_path) const;

  // Links the RunTask calls and services of `infrastructure` that name a task definition it does
  // not hold (ecspresso service definitions through their app) with the one in the index.
  void link(aws::Infrastructure& infrastructure) const;
  // Whether the index resolves something `contribution` names without holding.
  bool resolves_any(const IndexContribution& contribution) const;

 private:
  std::map<std::string, std::vector<std::shared_ptr<const TaskDefinitionSummary>>, std::less<>> by_family_;
  std::map<std::string, std::vector<std::shared_ptr<const TaskDefinitionSummary>>, std::less<>> by_file_;
  std::map<std::string, std::vector<std::string>, std::less<>> ecspresso_;  // service definition → task definition files
};

// Records in `contribution` the task definitions RunTask calls and services of `infrastructure`
// name but do not hold.
void note_unlinked(const aws::Infrastructure& infrastructure, IndexContribution& contribution);

}  // namespace shiftlint
