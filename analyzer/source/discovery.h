#pragma once
// Discovery: from the paths on the command line to the list of files to lint. The first stage of
// the pipeline; it reads folders only (never file contents, apart from ignore files).
//
// - A folder argument is walked. VCS folders (.git, .hg, .svn) are always skipped; everything else
//   is decided by .gitignore files (those in the walked folders, those in the parent folders up to
//   the repository root: the nearest folder holding `.git`, and .git/info/exclude) and by the
//   config's `exclude` globs. The user's global git excludes file is not read: results must not
//   depend on who runs the tool.
// - A file argument is linted even when a .gitignore ignores it (as ruff does), but the config's
//   `exclude` still applies.
// - A Terraform file argument (.tf, .tfvars, .tfvars.json) brings in its module: the other
//   Terraform files of its folder are listed too, filtered as a walk of that folder would filter
//   them. A module is evaluated as a whole, so `check infra/variables.tf` (what a pre-commit hook
//   passes when only that file changed) reports on the module's files what `check infra` reports.
// - A file or folder argument inside a Helm chart (a template, values.yaml, Chart.yaml, templates/,
//   a subchart's folder) brings in the chart: its folder is walked as a folder argument would be,
//   so the Helm phase renders and lints it as `check <chart>` does. The chart is the nearest folder
//   upward holding Chart.yaml, or for a subchart in a chart's charts/ folder, that parent (which
//   renders it with its values); no higher than DiscoveryOptions::root or a repository root. For
//   the scan root the chart counts as a folder argument, but a file argument still counts as the
//   current folder when the chart lies below it, so a hook's paths stay relative to the repository.
// - Nothing outside the scan root is ever listed through a symbolic link. A symlink to a file
//   inside the root is listed once, under its own path, unless its target is listed already.
//   Symlinked folders are not followed, so loops cannot happen.
// - Problems (missing paths, unreadable folders, escaping symlinks given on the command line) are
//   values in the result; the walk goes on. Nothing here throws on a filesystem error.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shiftlint {

// One listed file. A run keeps the whole list to its end, so both paths share one string: the
// display path is nearly always the end of the absolute one (48 bytes and one allocation a file,
// not 72 and two).
class DiscoveredFile {
 public:
  DiscoveredFile() = default;
  // `regular_size`: what lstat said of the file when discovery asked it (a file argument), so that
  // reading it needs no fstat; nullopt when unknown (a walked file: the listing gives no size).
  DiscoveredFile(std::string_view path, std::string_view display_path,
                 std::optional<uint64_t> regular_size = std::nullopt);

  // Absolute: what to open (a copy, made where a file is opened).
  std::string path() const { return text_.substr(0, path_size_); }
  // '/'-separated, relative to the scan root (see DiscoveryResult::root)
  std::string_view display_path() const { return std::string_view(text_).substr(display_offset_); }
  // The size lstat gave at discovery, if it was asked (a hint: the file is read to its real end).
  std::optional<uint64_t> size_hint() const {
    return size_hint_ == kUnknownSize ? std::nullopt : std::optional<uint64_t>(size_hint_);
  }

 private:
  static constexpr uint32_t kUnknownSize = UINT32_MAX;  // also for files of 4 GiB or more
  std::string text_;  // the path, then the display path unless it is the path's end
  uint32_t path_size_ = 0;
  uint32_t display_offset_ = 0;
  uint32_t size_hint_ = kUnknownSize;
};

struct DiscoveryProblem {
  std::string path;  // as the reports show it: relative to the scan root, or as typed
  std::string message;
};

struct DiscoveryOptions {
  std::vector<std::string> exclude;  // .gitignore-syntax lines, relative to exclude_base
  std::string exclude_base;          // the config file's folder; empty: the scan root
  bool use_gitignore = true;
  // The scan root when it holds every argument (absolute): what display paths are relative to and
  // what files must lie in, e.g. the editor's workspace folder when one chart of it is linted, so
  // that a library chart beside it is still read. Empty, or not above an argument: the common
  // folder of the arguments, as documented on DiscoveryResult::root.
  std::string root;
  // Threads for the arguments' file-system questions (lstat, real paths) when there are many of
  // them: a pre-commit hook or a CI job may pass thousands of files. Folder walks stay on one.
  unsigned jobs = 1;
  // Folder entries the walks may list in all before they stop, with a problem saying so (0: no
  // bound). The editor bounds its search for kustomization files with it: a workspace opened at a
  // home folder must not be walked whole.
  size_t max_entries = 0;
  // Set by another thread to stop the walks early (the editor's workspace lint, cancelled or shut
  // down): the result then holds what was found so far. Null: never stopped.
  const std::atomic<bool>* cancel = nullptr;
};

struct DiscoveryResult {
  std::vector<DiscoveredFile> files;  // sorted by display_path (byte order), no duplicates
  std::vector<DiscoveryProblem> problems;  // sorted by path
  bool stopped = false;                    // the walks reached DiscoveryOptions::max_entries (a problem says where)
  // Absolute, '/'-separated: the common folder of the arguments, where a folder argument counts
  // as itself and a file argument as the current folder when it lies below it (otherwise its own
  // folder). So `check .` and `check ecs/a.json ecs/b.json` both have the current folder as root
  // (display paths "ecs/a.json"...), and `check fixtures/demo` has fixtures/demo.
  //
  // The one exception to "display paths are relative to the root": a single file argument typed
  // absolute keeps that path ("/abs/task.json"), and one typed relative from the current folder
  // (the root then) keeps it as typed, lexically normalised. A file typed from a sibling folder
  // ("../other/task.json") has its own folder as root and is named from it ("task.json"): the
  // text and JSON reports name it from the working directory again (report/repository_paths.h).
  std::string root;
  // Real paths discovery resolved for file arguments (their folders and the folders above them,
  // symbolic links among the arguments): path → real path. The build contexts of the Dockerfiles
  // given start from them instead of asking every folder again (ContextFileCache::remember_real_paths).
  std::vector<std::pair<std::string, std::string>> real_paths;
};

// `paths` must not be empty (defaulting to "." is the caller's job).
DiscoveryResult discover(const std::vector<std::string>& paths, const DiscoveryOptions& options);

}  // namespace shiftlint
