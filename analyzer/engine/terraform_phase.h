#pragma once
// Terraform is linted per module (a folder of .tf files), not per file: a task definition in
// main.tf takes its values from variables.tf, terraform.tfvars, locals in other files and local
// modules in other folders. This phase of `shiftlint check` groups the discovered .tf files by
// folder, evaluates every root module (in parallel across modules, output in a fixed order), runs
// the task-definition rules over the aws_ecs_task_definition resources it finds (local child
// modules included, with the inputs of each call), and reports syntax errors (SL001), evaluation
// failures (SL002) and inline suppressions (`#` and `//` comments) for the Terraform files.
//
// A folder called as a local module by another scanned folder is linted through that call (with
// its inputs), not on its own; a folder nobody calls is a root module.
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/engine/finding_stream.h"
#include "analyzer/project/app_facts.h"
#include "analyzer/source/discovery.h"

namespace shiftlint {

class TaskDefinitionIndex;
namespace project {
class FactsSpill;
}

// Files a root module read with file() or templatefile() into a resource, by display path. The
// per-file linter lints them too, but knows less: not the task around container definitions, not
// the state machine a definition belongs to nor the values templatefile() puts in.
struct FilesReadByTerraform {
  std::set<std::string> container_definitions;      // JSON container definitions of a task definition
  std::set<std::string> state_machine_definitions;  // the Amazon States Language of aws_sfn_state_machine

  void merge(FilesReadByTerraform& other) {
    container_definitions.merge(other.container_definitions);
    state_machine_definitions.merge(other.state_machine_definitions);
  }
};

struct TerraformPhaseOutcome {
  // The findings, one list per path in path order, each sorted, on disk in the run's spill (in
  // memory when it cannot take them): a FindingStream source each. Inline and config suppressions
  // are applied.
  std::vector<FindingStream::FileFindings> findings;
  size_t files_analyzed = 0;      // .tf and .tfvars files
  std::vector<std::string> warnings;  // var files from the config that cannot be read
  FilesReadByTerraform read_files;
  // The task definitions and scheduled targets of every root module, for the project phase.
  project::FileFacts facts;

  // Whether a per-file finding is one this phase made with more context: a task-definition rule's
  // finding in a file it read as container definitions (it knows the task is Fargate, its family),
  // an infrastructure rule's finding in a file it read as a state machine's definition (it names
  // the aws_sfn_state_machine and reads the definition with templatefile()'s values put in).
  bool supersedes(const Finding& finding) const;
};

// `discovered` is the run's discovery result: its Terraform files are linted here, its file list
// decides which files findings may be reported in (a template excluded by the config stays silent).
// `task_definitions` (optional) holds the task definitions of the run's other files: the phase adds
// its own, and links RunTask targets and services to those written elsewhere
// (project/task_definition_index.h). `facts_spill` (optional): where each root's facts set their bulk
// aside as soon as they are made (project/facts_spill.h). Each root's findings go to `spill` as soon
// as it is evaluated; `keep` says which findings the config leaves (its `suppress:`).
TerraformPhaseOutcome run_terraform_phase(const DiscoveryResult& discovered, const Config& config,
                                          const RuleSelection& selection, const LoadLimits& limits, unsigned jobs,
                                          FindingSpill& spill, const std::function<bool(const Finding&)>& keep,
                                          TaskDefinitionIndex* task_definitions = nullptr,
                                          project::FactsSpill* facts_spill = nullptr);

// An editor buffer holding a .tf file, linted as a module of that one file. Its folder is the
// scanned root for file() and local modules.
std::vector<Finding> lint_terraform_source(const std::shared_ptr<const SourceFile>& file, const Config& config,
                                           const RuleSelection& selection, const LoadLimits& limits);

}  // namespace shiftlint
