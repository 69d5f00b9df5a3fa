#pragma once
// One `shiftlint check` run: discover files, lint each one in parallel, then filter, suppress,
// order and fingerprint the findings. Output is identical whatever the number of jobs.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/engine/suppression.h"
#include "analyzer/parse/document.h"
#include "analyzer/report/report.h"

namespace shiftlint {
namespace project {
struct Project;
}

class SkaffoldIndex;

struct CheckRequest {
  std::vector<std::string> paths;          // files or folders; "." when empty
  std::string root;                        // the scan root when above the paths (DiscoveryOptions::root)
  const Config* config = nullptr;          // never null when run
  std::vector<std::string> select;         // --select: replaces the config's select when non-empty
  std::vector<std::string> ignore;         // --ignore: added to the config's ignore
  unsigned jobs = 0;                       // 0: one per core
  LoadLimits limits;
  uint64_t max_file_bytes = 64ull << 20;   // larger files are an SL001, not parsed
  // --today: the date end-of-life tables are judged against ("YYYY-MM-DD", already validated);
  // overrides the config's `today:`. Neither: the system date.
  std::optional<std::string> today;
  // --respect-gitignore / --no-respect-gitignore: overrides the config's `respect_gitignore`.
  std::optional<bool> respect_gitignore;
  // Keep the project (apps and their parity, project/parity.h) in CheckOutcome::project, also when
  // no project rule is selected (`shiftlint parity`).
  bool build_project = false;
  // Leave the findings in CheckOutcome::findings, to be read in order while the report is written,
  // instead of RunSummary::findings. `config` must then outlive the outcome.
  bool stream_findings = false;
  // Set by another thread to stop the run early (the editor's workspace lint when the editor cancels
  // it or shuts down). The walk stops, no file is started after it is set, and the phases not yet
  // started are skipped (the Helm and Terraform phases, once started, run to their end): the outcome
  // then says `cancelled` and holds no findings. Null: never stopped.
  const std::atomic<bool>* cancel = nullptr;
  // The Skaffold configurations that apply to the run's manifests and charts (the editor's, found
  // around the file it lints); null: those among the run's own files.
  std::shared_ptr<const SkaffoldIndex> skaffold;
  // Folder entries the walk may list before it stops, with a warning saying so (0: no bound).
  size_t max_walk_entries = 0;
  // A run of files (its arguments do not include its scan root: the pre-commit hook's staged files)
  // reads around them what `check .` from the root would: the kustomization and Skaffold files of the
  // root, the manifests beside its manifests, and the project rules' findings of a run of the whole
  // root (those at its files), so that a commit is not judged by the half of an app it changed.
  // The editor's lints of one chart or module turn it off: it finds the deploy tools' files itself
  // (`skaffold` above) and its workspace lint judges the project.
  bool read_around = true;
};

// The rules a run uses, with their effective severity and options.
struct RuleSelection {
  struct Entry {
    const Rule* rule;
    Severity severity;
    RuleOptions options;
  };
  std::vector<Entry> enabled;  // sorted by id
  const Entry* find(std::string_view id) const;
};

// Resolves select/ignore tokens: ALL, ids (ECS001), slugs, families (ECS) and id prefixes (ECS1).
RuleSelection select_rules(const Config& config, const std::vector<std::string>& select,
                           const std::vector<std::string>& ignore);
bool rule_matches_token(const Rule& rule, std::string_view token);

class Disposal;
class FindingStream;
class KustomizeIndex;

struct CheckOutcome {
  // Frees the run's other data on a thread of its own while the caller renders (engine/disposal.h);
  // destroying the outcome waits for it.
  std::shared_ptr<Disposal> disposal;
  RunSummary summary;  // its findings are empty when the request streams them
  // The findings, read in report order (engine/finding_stream.h): set when the request streams them.
  std::shared_ptr<const FindingStream> findings;
  std::vector<std::string> warnings;  // discovery problems worth telling on stderr
  // The run's apps with their parity: set when CheckRequest::build_project is.
  std::shared_ptr<const project::Project> project;
  bool cancelled = false;  // CheckRequest::cancel was set: the rest is incomplete and not to be shown
};

CheckOutcome run_check(const CheckRequest& request);

// The warning for findings a run could not read back from its temporary file (finding_spill.h).
std::string unreadable_findings_warning(size_t files);

// SL003 findings for inline suppressions that silenced nothing (none when SL003 is not selected;
// none for rules disabled in the run, whose silence is expected).
void report_unused_suppressions(const SourceFile& file, const std::vector<InlineSuppression>& suppressions,
                                const RuleSelection& selection, std::vector<Finding>& findings);

// Lints one file from text already in memory (an editor buffer): classify, parse, rules,
// suppressions, ordered and fingerprinted. nullopt when the file is of no kind shiftlint reads.
// `kustomizations`, `skaffold`: the kustomization and Skaffold files around it (the editor's
// workspace), so that a kustomize base is judged as its overlays deploy it and an image Skaffold
// builds as Skaffold deploys it, as `check` judges them; null: the file alone.
std::optional<std::vector<Finding>> lint_source(const std::shared_ptr<const SourceFile>& file, const Config& config,
                                                const RuleSelection& selection, const LoadLimits& limits = {},
                                                std::shared_ptr<const KustomizeIndex> kustomizations = nullptr,
                                                std::shared_ptr<const SkaffoldIndex> skaffold = nullptr);

// How a fingerprint names a finding's file. A baseline written by `check .` at the repository's
// root must match the findings of `cd infra && check .`, `check infra/` or `check /abs/Dockerfile`,
// whose display paths name the same file differently: fingerprints name it from the repository's
// root. Null: the display path as it is (the editor, whose paths are its workspace folder's).
using FingerprintPath = std::function<std::string(std::string_view display_path)>;

// The FingerprintPath of a run whose display paths are relative to `scan_root` (absolute): from
// the git repository holding it, else from the scan root. Looks the repository up once, here.
FingerprintPath fingerprint_path_from_repository(const std::string& scan_root);

// Fills Finding::fingerprint for findings in report order: a hash of rule, path and the
// whitespace-normalised text of the flagged line, plus an occurrence counter for repeats.
void assign_fingerprints(std::vector<Finding>& findings, const FingerprintPath& path = nullptr);

// The same, one finding at a time (engine/finding_stream.h).
class FingerprintCounter {
 public:
  FingerprintCounter() = default;
  explicit FingerprintCounter(FingerprintPath path) : path_(std::move(path)) {}
  void assign(Finding& finding);
  // Forgets the counts so far: findings of a new path, which no hash before it includes.
  void forget() { occurrences_.clear(); }

 private:
  FingerprintPath path_;
  std::unordered_map<uint64_t, unsigned> occurrences_;
};

}  // namespace shiftlint
