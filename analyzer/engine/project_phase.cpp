#include "analyzer/engine/project_phase.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "analyzer/engine/batch_hand_over.h"
#include "analyzer/engine/suppression.h"
#include "analyzer/source/classify.h"
#include "analyzer/source/file_read.h"

namespace shiftlint {

namespace fs = std::filesystem;

namespace {

// What sort_by_place orders by: the fact's path, then where it is (DeploymentTable orders the
// deployments alike). Views, so that a comparison copies no path.
using PlaceKey = std::tuple<std::string_view, std::string_view, uint32_t, uint32_t>;

PlaceKey place_key(const project::ImageFacts& facts) {
  return {facts.path, facts.anchor.path, facts.anchor.span.begin.line, facts.anchor.span.begin.column};
}
PlaceKey place_key(const project::ScheduledRunFacts& facts) {
  return {facts.path, facts.location.path, facts.location.span.begin.line, facts.location.span.begin.column};
}

template <typename Facts>
void sort_by_place(std::vector<Facts>& list) {
  std::stable_sort(list.begin(), list.end(), [](const Facts& a, const Facts& b) { return place_key(a) < place_key(b); });
  // A Terraform module linted through two calls gives its task definition twice.
  list.erase(std::unique(list.begin(), list.end(), [](const Facts& a, const Facts& b) { return place_key(a) == place_key(b); }),
             list.end());
}

// The text of a file the project phase names (for line texts and suppressions): what can be read
// of it, the first 64 MiB at most.
std::string read_text(const std::string& path) {
  constexpr uint64_t kMaxBytes = 64u << 20;
  std::string text;
  read_whole_file(path, kMaxBytes, text);
  if (text.size() > kMaxBytes) text.resize(kMaxBytes);
  return text;
}

constexpr size_t kMaxLineText = 4096;

// Reads the line texts of these locations (facts keep path and span only), one file at a time.
void fill_line_texts(std::vector<Location*>& locations, const std::string& root) {
  std::stable_sort(locations.begin(), locations.end(), [](const Location* a, const Location* b) { return a->path < b->path; });
  for (size_t begin = 0; begin < locations.size();) {
    size_t end = begin;
    while (end < locations.size() && locations[end]->path == locations[begin]->path) ++end;
    const std::string& path = locations[begin]->path;
    if (!path.empty()) {
      std::string disk_path = fs::path(path).is_absolute() ? path : (fs::path(root) / path).string();
      SourceFile file(disk_path, path, read_text(disk_path));
      for (size_t index = begin; index < end; ++index) {
        Location& location = *locations[index];
        if (!location.begin_line_text.empty() || location.span.empty()) continue;
        // A minified file is one long line, and one finding may relate many places on it: keep the
        // start of such a line (code frames show it; columns past it still convert).
        auto text = [&](uint32_t line) { return std::string(file.line(line).substr(0, kMaxLineText)); };
        location.begin_line_text = text(location.span.begin.line);
        location.end_line_text = location.span.end.line == location.span.begin.line ? location.begin_line_text
                                                                                    : text(location.span.end.line);
      }
    }
    begin = end;
  }
}

void fill_finding_texts(std::vector<Finding>& findings, const std::string& root) {
  std::vector<Location*> locations;
  for (Finding& finding : findings) {
    locations.push_back(&finding.location);
    for (RelatedLocation& related : finding.related) locations.push_back(&related.location);
  }
  fill_line_texts(locations, root);
}

void fill_parity_texts(project::Project& project, const std::string& root) {
  std::vector<Location*> locations;
  for (project::AppParity& parity : project.parity)
    for (project::ParityItem& item : parity.items) {
      locations.push_back(&item.item.location);
      for (project::NewSidePlace& place : item.carried_at) locations.push_back(&place.location);
      for (project::NewSidePlace& place : item.missing_at) locations.push_back(&place.location);
    }
  fill_line_texts(locations, root);
}

bool is_project_rule(std::string_view id) {
  const Rule* rule = find_rule(id);
  return rule && rule->check_project;
}

// The files of an app (when it has a new side: inline suppressions of project rules are read
// there), given to `visit` as display paths. `table`: where the deployments are when the facts do
// not hold them.
template <typename Visit>
void visit_linked_paths(const project::App& app, const project::ProjectFacts& facts,
                        const project::DeploymentTable* table, Visit&& visit) {
  if (!app.migrating()) return;
  for (size_t index : app.host_files) visit(std::string_view(facts.host_files[index].path));
  for (const project::LinkedFile& link : app.images) visit(std::string_view(facts.images[link.index].path));
  for (const project::LinkedFile& link : app.deployments)
    visit(table ? table->path(link.index) : std::string_view(facts.deployments[link.index].path));
  for (const project::LinkedFile& link : app.scheduled_runs) visit(std::string_view(facts.scheduled_runs[link.index].path));
}

std::set<std::string> linked_paths(const project::Project& project, const project::DeploymentTable* table) {
  std::set<std::string> paths;
  for (const project::App& app : project.apps)
    visit_linked_paths(app, project.facts, table, [&](std::string_view path) { paths.emplace(path); });
  return paths;
}

// A file's inline suppressions that name a project rule (only those are this phase's; the per-file
// phase judged the rest).
struct ProjectSuppressions {
  std::unique_ptr<SourceFile> file;
  std::vector<InlineSuppression> suppressions;
};

std::optional<ProjectSuppressions> read_project_suppressions(const std::string& path, const std::string& root,
                                                             const SuppressionHint& may_hold_suppressions) {
  if (may_hold_suppressions && !may_hold_suppressions(path)) return std::nullopt;
  std::string disk_path = fs::path(path).is_absolute() ? path : (fs::path(root) / path).string();
  std::string text = read_text(disk_path);
  if (!mentions_directive(text)) return std::nullopt;
  ProjectSuppressions found;
  found.file = std::make_unique<SourceFile>(disk_path, path, std::move(text));
  FileKind kind = classify(path, found.file->text().substr(0, 1 << 16));
  found.suppressions = scan_suppressions(*found.file, comment_markers(kind), has_end_of_line_comments(kind));
  for (InlineSuppression& suppression : found.suppressions) {
    std::vector<std::string> rules;
    for (const std::string& rule : suppression.rules)
      if (is_project_rule(rule)) rules.push_back(rule);
    suppression.rules = std::move(rules);
    suppression.used.assign(suppression.rules.size(), false);
  }
  std::erase_if(found.suppressions, [](const InlineSuppression& suppression) { return suppression.rules.empty(); });
  if (found.suppressions.empty()) return std::nullopt;
  return found;
}

// Applies a file's project suppressions to the findings in it, and adds SL003 for those that
// silenced nothing.
void settle_suppressions(std::vector<Finding>& own, ProjectSuppressions& found, const RuleSelection& selection) {
  apply_suppressions(own, found.suppressions);
  const RuleSelection::Entry* unused_suppression = selection.find("SL003");
  if (!unused_suppression) return;
  for (const InlineSuppression& suppression : found.suppressions)
    for (size_t i = 0; i < suppression.rules.size(); ++i) {
      if (suppression.used[i] || !selection.find(suppression.rules[i])) continue;
      Finding finding;
      finding.rule_id = std::string(unused_suppression->rule->id);
      finding.severity = unused_suppression->severity;
      finding.message = fmt::format("suppression of {} matched no finding; remove it", suppression.rules[i]);
      finding.location = make_location(*found.file, suppression.span);
      own.push_back(std::move(finding));
    }
}

// Inline suppressions of project rules in the files of linked apps: applied to the project's
// findings, and SL003 for those that silenced nothing.
void apply_project_suppressions(std::vector<Finding>& findings, const project::Project& project,
                                const project::DeploymentTable* table, const std::string& root,
                                const RuleSelection& selection, const SuppressionHint& may_hold_suppressions) {
  std::set<std::string> paths = linked_paths(project, table);
  for (const Finding& finding : findings) paths.insert(finding.location.path);
  std::map<std::string, std::vector<Finding>> by_path;
  for (Finding& finding : findings) by_path[finding.location.path].push_back(std::move(finding));
  findings.clear();
  for (const std::string& path : paths)
    if (std::optional<ProjectSuppressions> found = read_project_suppressions(path, root, may_hold_suppressions))
      settle_suppressions(by_path[path], *found, selection);
  for (auto& [path, own] : by_path)
    for (Finding& finding : own) findings.push_back(std::move(finding));
}

// What apply_project_suppressions does, on the findings of one app at a time, setting them aside
// on disk as lists of one path each as they come: an app's by path, and at the end those of each
// file with project suppressions (every app's findings there, and its SL003), held until then.
// Ties keep the order a stable sort of apply_project_suppressions' list gives: apps in order, each
// app's findings in the order reported, a file's SL003 after its findings.
class ProjectFindingsAside {
 public:
  ProjectFindingsAside(const std::string& root, const RuleSelection& selection,
                       const SuppressionHint& may_hold_suppressions, FindingSpill& spill, ProjectPhaseOutcome& outcome)
      : root_(root), selection_(selection), may_hold_suppressions_(may_hold_suppressions), spill_(spill),
        outcome_(outcome) {}

  // The files of one app, before its findings are added (any thread, in app order): their
  // suppressions are read, so that the findings of every app in a file with some are held until
  // finish(). A file is read once, whichever apps link it; one known to hold no suppression is not
  // read, nor remembered (the set of files read stays the size of those with directives).
  void check(std::string_view path) {
    std::lock_guard lock(mutex_);
    check_held(path);
  }

  // One app's findings, line texts filled (any thread, in app order).
  void add(std::vector<Finding>& findings) {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::vector<Finding>> by_path;
    for (Finding& finding : findings) {
      // A finding outside its app's files (none is, today) has its file read for suppressions too.
      check_held(finding.location.path);
      auto held = held_.find(finding.location.path);
      (held != held_.end() ? held->second.findings : by_path[finding.location.path]).push_back(std::move(finding));
    }
    findings.clear();
    for (auto& [path, own] : by_path) set_aside(own);
  }

  void finish() {
    std::lock_guard lock(mutex_);
    for (auto& [path, held] : held_) {
      settle_suppressions(held.findings, held.suppressions, selection_);
      set_aside(held.findings);
    }
    held_.clear();
  }

 private:
  struct Held {
    ProjectSuppressions suppressions;
    std::vector<Finding> findings;
  };

  void check_held(std::string_view path) {  // mutex_ held
    if (may_hold_suppressions_ && !may_hold_suppressions_(path)) return;
    if (!checked_.emplace(path).second) return;
    std::string own(path);
    if (std::optional<ProjectSuppressions> found = read_project_suppressions(own, root_, {}))
      held_.emplace(std::move(own), Held{std::move(*found), {}});
  }

  void set_aside(std::vector<Finding>& findings) {  // of one path
    if (findings.empty()) return;
    std::stable_sort(findings.begin(), findings.end(), finding_order);
    FindingStream::FileFindings list;
    list.first_path = findings.front().location.path;
    list.first_position = findings.front().location.span.begin;
    list.spilled = spill_.write(findings);
    list.findings = std::move(findings);  // empty once written
    outcome_.spilled_findings.push_back(std::move(list));
  }

  const std::string& root_;
  const RuleSelection& selection_;
  const SuppressionHint& may_hold_suppressions_;
  FindingSpill& spill_;
  ProjectPhaseOutcome& outcome_;
  std::mutex mutex_;  // the producer checks the next app's files while the last app's findings are added
  std::set<std::string, std::less<>> checked_;  // paths whose suppressions were read
  std::map<std::string, Held> held_;            // by path: files with project suppressions
};

// Runs the selected project rules (the XF rules) over `project`, adding to `findings`.
void run_project_rules(const project::Project& project, const Config& config, const RuleSelection& selection,
                       std::vector<Finding>& findings) {
  for (const RuleSelection::Entry& entry : selection.enabled) {
    if (!entry.rule->check_project) continue;
    RuleContext context(*entry.rule, entry.severity, entry.options, config.target, findings);
    entry.rule->check_project(project, context);
  }
}

}  // namespace

bool selects_project_rules(const RuleSelection& selection) {
  return std::any_of(selection.enabled.begin(), selection.enabled.end(),
                     [](const RuleSelection::Entry& entry) { return entry.rule->check_project != nullptr; });
}

bool may_hold_apps(const DiscoveryResult& discovered, const Config& config) {
  if (!config.app_mappings.empty()) return true;
  return std::any_of(discovered.files.begin(), discovered.files.end(), [](const DiscoveredFile& file) {
    std::string_view path = file.display_path();
    std::string_view name = path.substr(path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1);
    bool in_bundle_folder = path.starts_with(".ebextensions/") || path.starts_with(".platform/") ||
                            path.find("/.ebextensions/") != std::string_view::npos ||
                            path.find("/.platform/") != std::string_view::npos;
    return in_bundle_folder || name == "Procfile" || name == "Dockerrun.aws.json" || name == "cron.yaml";
  });
}

ProjectPhaseOutcome run_project_phase(project::ProjectFacts facts, project::DeploymentTable deployments,
                                      const DiscoveryResult& discovered, const Config& config,
                                      const RuleSelection& selection, bool keep_project,
                                      const project::FactsSpill* spill, FindingSpill* findings_spill,
                                      const SuppressionHint& may_hold_suppressions, unsigned jobs) {
  ProjectPhaseOutcome outcome;
  auto unreadable = [&](const std::string& subject) {  // "app web", or "this run"
    outcome.warnings.push_back(fmt::format("part of the file summaries of {} could not be read back from the temporary "
                                           "file: the parity and XF findings of {} may be incomplete",
                                           subject, subject));
  };
  bool run_rules = selects_project_rules(selection);
  if (!run_rules && !keep_project) return outcome;
  for (project::DeploymentFacts& deployment : facts.deployments) deployments.add(std::move(deployment), nullptr);
  facts.deployments.clear();
  std::stable_sort(facts.host_files.begin(), facts.host_files.end(),
                   [](const project::HostFileFacts& a, const project::HostFileFacts& b) { return a.path < b.path; });
  sort_by_place(facts.images);
  deployments.sort_by_place();
  sort_by_place(facts.scheduled_runs);
  std::shared_ptr<project::Project> project;
  if (keep_project) {
    // `shiftlint parity` (and the tests) read every app's parity: it is computed and kept whole.
    bool read = true;
    facts.deployments.resize(deployments.size());
    for (size_t index = 0; index < deployments.size(); ++index)
      read &= deployments.materialize(index, spill, facts.deployments[index]);
    deployments = {};
    if (spill && !spill->restore_all(facts)) read = false;
    if (!read) unreadable("this run");
    project = std::make_shared<project::Project>(project::build_project(std::move(facts), config, discovered.root));
    if (run_rules) run_project_rules(*project, config, selection, outcome.findings);
  } else {
    // `check`: one app at a time, so that the parity of one app is in memory, not that of all of
    // them. Each rule sees a Project holding that app alone (its parity's app index is 0); apps are
    // independent (a file links to one app), so the findings are those of the whole project.
    // The deployments stay in their table, but for those of the app whose turn it is.
    project = std::make_shared<project::Project>();
    project->facts = std::move(facts);
    project->root_directory = discovered.root;
    project->apps = project::link_apps(project->facts, deployments, config, project->root_directory);
    // With `findings_spill`: the findings go to disk as each app is done.
    std::optional<ProjectFindingsAside> aside;
    if (findings_spill && run_rules)
      aside.emplace(discovered.root, selection, may_hold_suppressions, *findings_spill, outcome);
    // With several jobs, an app's findings get their line texts (files read again) and go to disk
    // on a thread of their own while the next app is linked and checked; in app order either way.
    std::optional<BatchHandOver> texts;
    if (aside)
      texts.emplace(jobs > 1, [&](std::vector<Finding>& found) {
        fill_finding_texts(found, discovered.root);
        aside->add(found);
      });
    std::vector<size_t> table_index;  // of each of the app's deployments, by its index in the app's turn
    std::unordered_map<size_t, size_t> turn_index;  // the reverse (the config may link a deployment twice)
    for (project::App& app : project->apps) {
      if (aside)
        visit_linked_paths(app, project->facts, &deployments, [&](std::string_view path) { aside->check(path); });
      project::Project one_app;
      one_app.facts = std::move(project->facts);  // moved in and back: one set of facts, never copied
      one_app.root_directory = project->root_directory;
      // The app's deployments, read back from the table: its links index them for its turn.
      bool read = true;
      table_index.clear();
      turn_index.clear();
      for (project::LinkedFile& link : app.deployments) {
        auto [known, first] = turn_index.emplace(link.index, table_index.size());
        if (first) {
          table_index.push_back(link.index);
          read &= deployments.materialize(link.index, spill, one_app.facts.deployments.emplace_back());
        }
        link.index = known->second;
      }
      one_app.apps.push_back(std::move(app));
      if (spill && !spill->restore(one_app.facts, one_app.apps.front())) read = false;
      if (!read) unreadable(fmt::format("app {}", one_app.apps.front().name));
      one_app.parity.push_back(project::compute_app_parity(one_app.facts, one_app.apps.front(), 0));
      if (texts) {
        std::vector<Finding> found;
        run_project_rules(one_app, config, selection, found);
        texts->give(found);
      } else {
        run_project_rules(one_app, config, selection, outcome.findings);
      }
      if (spill) spill->release(one_app.facts, one_app.apps.front());
      std::vector<project::DeploymentFacts>().swap(one_app.facts.deployments);
      project->facts = std::move(one_app.facts);
      app = std::move(one_app.apps.front());
      for (project::LinkedFile& link : app.deployments) link.index = table_index[link.index];
    }
    if (aside) {
      texts->finish();
      aside->finish();
      outcome.project = std::move(project);
      return outcome;
    }
    if (run_rules) {
      fill_finding_texts(outcome.findings, discovered.root);
      apply_project_suppressions(outcome.findings, *project, &deployments, discovered.root, selection,
                                 may_hold_suppressions);
    }
    outcome.project = std::move(project);
    return outcome;
  }
  if (run_rules) {
    fill_finding_texts(outcome.findings, discovered.root);
    apply_project_suppressions(outcome.findings, *project, nullptr, discovered.root, selection, may_hold_suppressions);
  }
  fill_parity_texts(*project, discovered.root);
  outcome.project = std::move(project);
  return outcome;
}

}  // namespace shiftlint
