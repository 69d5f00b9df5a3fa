#pragma once
// The project phase of `shiftlint check`: after every file was linted (in parallel, each keeping a
// compact summary of what it says: project/app_facts.h), the summaries are linked into apps and
// their parity is computed (project/parity.h), and the rules registered with `check_project` (the
// XF rules) run once over the whole project.
//
// Findings land in files that were linted earlier and are no longer in memory, so inline
// suppressions naming a project rule (`# shiftlint-ignore: XF001`) are read here again, from the
// files of linked apps only; the per-file phase leaves them alone (report_unused_suppressions skips
// project rules). The editor lints one buffer and never runs this phase.
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/engine/finding_spill.h"
#include "analyzer/engine/finding_stream.h"
#include "analyzer/project/deployment_table.h"
#include "analyzer/project/facts_spill.h"
#include "analyzer/project/parity.h"
#include "analyzer/source/discovery.h"

namespace shiftlint {

struct ProjectPhaseOutcome {
  std::vector<Finding> findings;  // inline suppressions applied; config suppressions are the caller's
  // With a FindingSpill (check runs): the findings set aside on disk instead, one app at a time, as
  // lists of one path each, sorted by finding_order, in the order ties between them keep (the
  // report's FindingStream reads them as it reads a file's).
  std::vector<FindingStream::FileFindings> spilled_findings;
  // The linked project, with the parity texts filled in when `keep_project`; the caller keeps or frees it.
  std::shared_ptr<const project::Project> project;
  std::vector<std::string> warnings;  // facts that could not be read back from disk
};

// Whether any selected rule reads the project: the per-file phase keeps summaries only then.
bool selects_project_rules(const RuleSelection& selection);

// Whether the run can hold an app at all: a file of an Elastic Beanstalk bundle among the discovered
// ones (by name: .ebextensions/, .platform/, Procfile, Dockerrun.aws.json, cron.yaml), or the
// config's `apps:`. Without one, no summary is worth keeping.
bool may_hold_apps(const DiscoveryResult& discovered, const Config& config);

// `facts`: every file's summary, in any order (sorted here for a deterministic result). `spill`:
// where the per-file phase stowed the bulk of the facts (nullptr: all of it is in memory).
// `findings_spill`: where to set the findings aside (not when `keep_project`); nullptr: in memory.
// `may_hold_suppressions`: false for a file (by display path) known to hold no inline suppression,
// which is then not read again; empty: every linked file is read. `jobs` > 1: the findings of one
// app get their line texts on a second thread while the next app is checked.
// `deployments`: the run's deployments, held compact while apps are linked
// (project/deployment_table.h); those in facts.deployments join them.
using SuppressionHint = std::function<bool(std::string_view display_path)>;
ProjectPhaseOutcome run_project_phase(project::ProjectFacts facts, project::DeploymentTable deployments,
                                      const DiscoveryResult& discovered, const Config& config,
                                      const RuleSelection& selection, bool keep_project,
                                      const project::FactsSpill* spill = nullptr, FindingSpill* findings_spill = nullptr,
                                      const SuppressionHint& may_hold_suppressions = {}, unsigned jobs = 1);

}  // namespace shiftlint
