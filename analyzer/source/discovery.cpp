#include "analyzer/source/discovery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "analyzer/source/classify.h"
#include "analyzer/source/glob.h"
#include "analyzer/source/kubernetes_manifest.h"
#include "analyzer/source/real_path.h"

namespace shiftlint {

DiscoveredFile::DiscoveredFile(std::string_view path, std::string_view display_path,
                               std::optional<uint64_t> regular_size) {
  path_size_ = static_cast<uint32_t>(path.size());
  if (regular_size && *regular_size < kUnknownSize) size_hint_ = static_cast<uint32_t>(*regular_size);
  if (path.ends_with(display_path)) {
    text_ = path;
    display_offset_ = static_cast<uint32_t>(path.size() - display_path.size());
  } else {
    text_.reserve(path.size() + display_path.size());
    text_.append(path).append(display_path);
    display_offset_ = path_size_;
  }
}
namespace {

namespace fs = std::filesystem;

// Git itself refuses larger ignore files; a hostile repository must not make us read gigabytes.
constexpr size_t kMaxIgnoreFileBytes = 4u << 20;

bool is_vcs_folder_name(std::string_view name) {
  return name == ".git" || name == ".hg" || name == ".svn";
}

// `path` relative to `folder` (which must contain it); empty when they are the same.
std::string_view relative_part(std::string_view path, std::string_view folder) {
  if (path.size() == folder.size()) return {};
  return path.substr(folder.back() == '/' ? folder.size() : folder.size() + 1);
}

std::string join(std::string_view folder, std::string_view name) {
  std::string joined(folder);
  if (!joined.empty() && !name.empty() && joined.back() != '/') joined.push_back('/');
  joined.append(name);
  return joined;
}

// The deepest folder containing both (absolute, normalised) folders.
std::string common_folder(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t common = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) {
    if (a[i] == '/') common = i + 1;
    ++i;
  }
  if ((i == a.size() || a[i] == '/') && (i == b.size() || b[i] == '/')) common = i;
  std::string folder(a.substr(0, common));
  if (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  return folder;
}

std::string canonical_or_empty(const std::string& path) { return realpath_or_empty(path); }

enum class ReadStatus { ok, missing, failed };

ReadStatus read_small_file(const std::string& path, std::string& text, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    if (errno == ENOENT) return ReadStatus::missing;
    error = std::generic_category().message(errno);
    return ReadStatus::failed;
  }
  text.clear();
  char buffer[16384];
  size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, count);
    if (text.size() > kMaxIgnoreFileBytes) {
      std::fclose(file);
      error = "larger than 4 MiB; not used";
      return ReadStatus::failed;
    }
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) {
    error = "read error";
    return ReadStatus::failed;
  }
  return ReadStatus::ok;
}

struct FolderStart {
  std::string absolute;   // as walked (lexical)
  std::string canonical;  // symlinks resolved: where its files really are
};

struct Link {
  std::string path;  // absolute, of the link itself
  std::string display_path;
  std::string target;  // canonical; empty until resolved
};

class Discovery {
 public:
  Discovery(const DiscoveryOptions& options, std::string root)
      : options_(options), root_(std::move(root)) {
    canonical_root_ = canonical_or_empty(root_);
    if (canonical_root_.empty()) canonical_root_ = root_;
  }

  const std::string& root() const { return root_; }
  const std::string& canonical_root() const { return canonical_root_; }
  IgnoreRules& excludes() { return excludes_; }

  void problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

  // How a path is shown in problems: relative to the root when inside it.
  std::string shown(std::string_view path) const {
    if (!is_within_folder(path, root_)) return std::string(path);
    std::string_view relative = relative_part(path, root_);
    return relative.empty() ? std::string(".") : std::string(relative);
  }

  void add_file(std::string path, std::string display_path, const std::string& canonical,
                std::optional<uint64_t> regular_size = std::nullopt) {
    explicit_targets_.insert(canonical);
    files_.emplace_back(path, display_path, regular_size);
  }
  void add_link(std::string path, std::string display_path, std::string target) {
    links_.push_back({std::move(path), std::move(display_path), std::move(target)});
  }

  void walk(const std::string& start, const std::string& canonical_start);
  void add_terraform_module(const std::string& folder, const std::string& display_folder);
  void add_helm_chart(const std::string& folder, RealPaths& real_paths);
  DiscoveryResult finish();

 private:
  void load_ignore_file(IgnoreRules& rules, const std::string& base, const std::string& path);
  void load_parent_ignore_files(IgnoreRules& rules, const std::string& start);
  bool is_listed(const std::string& target) const;

  const DiscoveryOptions& options_;
  std::string root_;
  std::string canonical_root_;
  IgnoreRules excludes_;
  std::vector<DiscoveredFile> files_;
  std::vector<Link> links_;
  std::vector<FolderStart> starts_;
  std::unordered_set<std::string> explicit_targets_;  // canonical paths of file arguments (and of their modules' files)
  std::vector<DiscoveryProblem> problems_;
  size_t entries_listed_ = 0;  // by the walks, against options_.max_entries
  bool stopped_ = false;       // a walk stopped there
};

void Discovery::load_ignore_file(IgnoreRules& rules, const std::string& base,
                                 const std::string& path) {
  // Like git, never follow a symlinked ignore file: it could point anywhere.
  std::error_code error;
  if (!fs::is_regular_file(fs::symlink_status(path, error))) return;
  std::string text;
  std::string message;
  switch (read_small_file(path, text, message)) {
    case ReadStatus::ok:
      rules.add_file(base, text);
      break;
    case ReadStatus::missing:
      break;
    case ReadStatus::failed:
      problem(shown(path), "cannot read ignore file: " + message);
      break;
  }
}

// The ignore files that apply to `start` from above it: .git/info/exclude and the .gitignore
// files from the repository root down to start's parent. Outside a repository there are none.
void Discovery::load_parent_ignore_files(IgnoreRules& rules, const std::string& start) {
  std::error_code error;
  std::vector<std::string> folders;  // start's parent, its parent, ... up to the repository
  std::string repository;
  for (fs::path folder(start);; folder = folder.parent_path()) {
    std::string text = folder.generic_string();
    if (fs::exists(fs::symlink_status(folder / ".git", error))) {
      repository = std::move(text);
      break;
    }
    if (!folder.has_relative_path()) break;
    if (text != start) folders.push_back(std::move(text));
  }
  if (repository.empty()) return;
  if (fs::is_directory(fs::symlink_status(join(repository, ".git"), error))) {
    load_ignore_file(rules, repository, join(repository, ".git/info/exclude"));
  }
  if (repository != start) folders.push_back(repository);
  for (auto folder = folders.rbegin(); folder != folders.rend(); ++folder) {
    load_ignore_file(rules, *folder, join(*folder, ".gitignore"));
  }
}

void Discovery::walk(const std::string& start, const std::string& canonical_start) {
  starts_.push_back({start, canonical_start});
  IgnoreRules gitignore;
  if (options_.use_gitignore) load_parent_ignore_files(gitignore, start);

  struct Pending {
    std::string path;
    size_t ignore_depth;  // the parent's rule sets: a sibling's .gitignore must not leak in
  };
  struct Entry {
    std::string path;
    fs::file_type type;
  };
  std::vector<Pending> pending{{start, gitignore.depth()}};
  std::vector<Entry> entries;
  while (!pending.empty()) {
    if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) return;
    if (options_.max_entries && entries_listed_ >= options_.max_entries) {
      stopped_ = true;
      problem(shown(start), fmt::format("stopped after listing {} entries (the walk's limit): the files "
                                        "beyond are not read", entries_listed_));
      return;
    }
    Pending folder = std::move(pending.back());
    pending.pop_back();
    gitignore.pop_to(folder.ignore_depth);

    // Read the whole folder first: its .gitignore applies to every entry, whatever the order.
    entries.clear();
    bool has_ignore_file = false;
    std::error_code error;
    fs::directory_iterator iterator(folder.path, error);
    if (error) {
      problem(shown(folder.path), "cannot read folder: " + error.message());
      continue;
    }
    for (const fs::directory_iterator end; !error && iterator != end; iterator.increment(error)) {
      const fs::directory_entry& entry = *iterator;
      const std::string& path = entry.path().native();
      std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
      if (is_vcs_folder_name(name)) continue;
      // These use the type the folder listing gave (d_type): no stat per entry.
      std::error_code type_error;
      fs::file_type type;
      if (entry.is_symlink(type_error)) {
        type = fs::file_type::symlink;
      } else if (entry.is_directory(type_error)) {
        type = fs::file_type::directory;
      } else if (entry.is_regular_file(type_error)) {
        type = fs::file_type::regular;
      } else {
        continue;  // sockets, pipes, devices, or gone since the listing
      }
      if (type == fs::file_type::regular && name == ".gitignore") has_ignore_file = true;
      entries.push_back({path, type});
    }
    if (error) problem(shown(folder.path), "cannot read folder: " + error.message());
    entries_listed_ += entries.size();

    if (has_ignore_file && options_.use_gitignore) {
      load_ignore_file(gitignore, folder.path, join(folder.path, ".gitignore"));
    }
    size_t depth = gitignore.depth();
    for (Entry& entry : entries) {
      bool is_folder = entry.type == fs::file_type::directory;
      if (!excludes_.empty() &&
          excludes_.match(entry.path, is_folder) == IgnoreRules::Verdict::ignored) {
        continue;
      }
      if (!gitignore.empty() &&
          gitignore.match(entry.path, is_folder) == IgnoreRules::Verdict::ignored) {
        continue;
      }
      if (is_folder) {
        pending.push_back({std::move(entry.path), depth});
      } else {
        std::string display_path(relative_part(entry.path, root_));
        if (entry.type == fs::file_type::regular) {
          files_.emplace_back(entry.path, display_path);
        } else {
          links_.push_back({std::move(entry.path), std::move(display_path), {}});
        }
      }
    }
  }
}

// --- Terraform file arguments bring in their module ------------------------------------------
// A module is every Terraform file of one folder, evaluated together: main.tf reads variables.tf
// and terraform.tfvars. When only some of them are given (pre-commit passes the changed files),
// the others are listed too, filtered as a walk of the folder would filter them (.gitignore,
// config excludes), so the module is linted as `check <folder>` lints it. Not recursive: local
// child modules are read by the Terraform phase through their calls.
void Discovery::add_terraform_module(const std::string& folder, const std::string& display_folder) {
  IgnoreRules gitignore;
  if (options_.use_gitignore) {
    load_parent_ignore_files(gitignore, folder);  // above the folder (and the repository root's)
    load_ignore_file(gitignore, folder, join(folder, ".gitignore"));  // unless it is the root itself
  }
  std::error_code error;
  fs::directory_iterator iterator(folder, error);
  if (error) {
    problem(shown(folder), "cannot read folder: " + error.message());
    return;
  }
  for (const fs::directory_iterator end; !error && iterator != end; iterator.increment(error)) {
    const fs::directory_entry& entry = *iterator;
    const std::string& path = entry.path().native();
    std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
    if (!is_terraform_name(name)) continue;
    std::error_code type_error;
    bool link = entry.is_symlink(type_error);
    if (!link && !entry.is_regular_file(type_error)) continue;
    if (!excludes_.empty() && excludes_.match(path, false) == IgnoreRules::Verdict::ignored) continue;
    if (!gitignore.empty() && gitignore.match(path, false) == IgnoreRules::Verdict::ignored) continue;
    std::string display_path = join(display_folder, name);
    if (link) {
      links_.push_back({path, std::move(display_path), {}});  // resolved and contained in finish()
      continue;
    }
    std::string canonical = canonical_or_empty(path);
    if (canonical.empty() || explicit_targets_.count(canonical) != 0) continue;  // gone, or given already
    add_file(path, std::move(display_path), canonical);  // listed: a symlink to it is not listed again
  }
  if (error) problem(shown(folder), "cannot read folder: " + error.message());
}
// --- end Terraform modules ---

// --- A path inside a Helm chart brings in the chart ------------------------------------------
// A template is not YAML until the chart is rendered, and what it renders depends on values.yaml,
// Chart.yaml, the helpers and the parent chart. So a file or folder argument inside a chart
// (`check web/templates/deployment.yaml`, what pre-commit passes when only a template changed)
// lists the whole chart, walked as `check web` walks it, and the Helm phase renders and lints it as
// a whole. For a subchart in a parent's charts/ folder that is the parent (enclosing_helm_chart):
// `check web` renders the subchart only through it, with the parent's values.
void Discovery::add_helm_chart(const std::string& folder, RealPaths& real_paths) {
  if (excludes_.is_ignored(folder, true)) return;
  struct stat status;
  if (::lstat(folder.c_str(), &status) != 0) return;  // gone since it was found
  std::string canonical = real_paths.of(folder, status.st_mode);
  if (canonical.empty()) {
    problem(shown(folder), "cannot resolve the path");
    return;
  }
  if (!is_within_folder(canonical, canonical_root_)) {
    problem(shown(folder), "leads through a symbolic link to " + canonical + ", outside the scanned folder; not read");
    return;
  }
  walk(folder, canonical);
}
// --- end Helm charts ---

// Is the file at canonical path `target` in the list already (walked or given)?
bool Discovery::is_listed(const std::string& target) const {
  if (explicit_targets_.count(target) != 0) return true;
  auto by_display = [](const DiscoveredFile& file, const std::string& display) {
    return file.display_path() < display;
  };
  for (const FolderStart& start : starts_) {
    if (!is_within_folder(target, start.canonical)) continue;
    // Walks never enter symlinked folders, so below a start the canonical layout is the walked one.
    std::string display = join(relative_part(start.absolute, root_),
                               relative_part(target, start.canonical));
    auto found = std::lower_bound(files_.begin(), files_.end(), display, by_display);
    if (found != files_.end() && found->display_path() == display) return true;
  }
  return false;
}

DiscoveryResult Discovery::finish() {
  auto by_display = [](const DiscoveredFile& a, const DiscoveredFile& b) {
    return a.display_path() < b.display_path();
  };
  // is_listed looks walked files up by display path: sorted now only when there are links to ask
  // about, and once below for the rest (a file list has none).
  if (!links_.empty()) std::sort(files_.begin(), files_.end(), by_display);

  std::vector<Link> kept;
  for (Link& link : links_) {
    if (link.target.empty()) {  // found by a walk: resolve it now (given ones are resolved)
      std::error_code error;
      if (!fs::is_regular_file(fs::status(link.path, error))) continue;  // folder, dangling, loop
      link.target = canonical_or_empty(link.path);
      if (link.target.empty()) continue;
      if (!is_within_folder(link.target, canonical_root_)) {
        // Said for the names shiftlint would read (a Dockerfile, a .json...), so that a file a user
        // expects to be linted is never skipped in silence; other links out are not worth a line.
        std::string_view name = std::string_view(link.display_path).substr(link.display_path.rfind('/') + 1);
        if (is_candidate_name(name))
          problem(link.display_path, "leads through a symbolic link to " + link.target +
                                         ", outside the scanned folder; not read");
        continue;
      }
    }
    if (!is_listed(link.target)) kept.push_back(std::move(link));
  }
  std::sort(kept.begin(), kept.end(), [](const Link& a, const Link& b) {
    return a.display_path < b.display_path;
  });
  std::unordered_set<std::string> targets;
  for (Link& link : kept) {
    if (targets.insert(link.target).second) {
      files_.emplace_back(link.path, link.display_path);
    }
  }

  DiscoveryResult result;
  std::sort(files_.begin(), files_.end(), by_display);
  files_.erase(std::unique(files_.begin(), files_.end(),
                           [](const DiscoveredFile& a, const DiscoveredFile& b) {
                             return a.display_path() == b.display_path();
                           }),
               files_.end());
  files_.shrink_to_fit();  // kept for the whole run: not with the room the walk's growth left
  result.files = std::move(files_);
  std::sort(problems_.begin(), problems_.end(),
            [](const DiscoveryProblem& a, const DiscoveryProblem& b) {
              return std::tie(a.path, a.message) < std::tie(b.path, b.message);
            });
  result.problems = std::move(problems_);
  result.root = root_;
  result.stopped = stopped_;
  return result;
}

struct Argument {
  std::string typed;
  std::string absolute;
  bool is_folder = false;
  bool is_symlink = false;
  mode_t link_mode = 0;  // what lstat said
  uint64_t size = 0;     // what lstat said (of a regular file: its size)
  std::string chart;  // the Helm chart the argument is part of (absolute), or empty
  std::string canonical;  // its real path; empty when it cannot be resolved
  std::string problem;    // why it is not read, or empty
};

// What the file system says of one argument: its kind, size and real path, or the problem.
void examine(Argument& argument, const std::string& cwd, RealPaths& real_paths) {
  std::error_code error;
  argument.absolute = absolute_normal(argument.typed, cwd, error);
  if (error || argument.typed.empty()) {
    argument.problem = "invalid path";
    return;
  }
  // lstat/stat, not std::filesystem's status: no path object per argument.
  struct stat status;
  if (::lstat(argument.absolute.c_str(), &status) != 0) {
    argument.problem = "no such file or folder";
    return;
  }
  argument.link_mode = status.st_mode;
  argument.size = static_cast<uint64_t>(status.st_size);
  if (S_ISLNK(status.st_mode)) {
    argument.is_symlink = true;
    if (::stat(argument.absolute.c_str(), &status) != 0) {
      argument.problem = "broken symbolic link";
      return;
    }
  }
  if (!S_ISDIR(status.st_mode) && !S_ISREG(status.st_mode)) {
    argument.problem = "not a regular file or folder";
    return;
  }
  argument.is_folder = S_ISDIR(status.st_mode);
  argument.canonical = real_paths.of(argument.absolute, argument.link_mode);
}

// Examines every argument, on up to `jobs` threads when there are many: each question is a path
// walk in the kernel, and a list of a thousand Dockerfiles spent a tenth of its run on them before
// any file was read. Each thread takes a contiguous run of the list, so the folders files share are
// mostly resolved once; what the threads resolved is merged into `real_paths`.
void examine_all(std::vector<Argument>& arguments, const std::string& cwd, unsigned jobs, RealPaths& real_paths) {
  constexpr size_t kArgumentsPerThread = 128;
  size_t threads = std::min<size_t>({std::max(1u, jobs), arguments.size() / kArgumentsPerThread, 8});
  if (threads <= 1) {
    for (Argument& argument : arguments) examine(argument, cwd, real_paths);
    return;
  }
  std::vector<RealPaths> resolved(threads);
  auto run = [&](size_t thread) {
    size_t begin = thread * arguments.size() / threads, end = (thread + 1) * arguments.size() / threads;
    for (size_t i = begin; i < end; ++i) examine(arguments[i], cwd, resolved[thread]);
  };
  std::vector<std::thread> workers;
  for (size_t thread = 1; thread < threads; ++thread) workers.emplace_back(run, thread);
  run(0);
  for (std::thread& worker : workers) worker.join();
  for (const RealPaths& part : resolved)
    for (const auto& [path, real_path] : part.known()) real_paths.remember(path, real_path);
}

}  // namespace

DiscoveryResult discover(const std::vector<std::string>& paths, const DiscoveryOptions& options) {
  std::error_code error;
  fs::path current = fs::current_path(error);
  std::string cwd = error || current.native().empty() || current.native().front() != '/'
                        ? std::string()
                        : lexically_normal_absolute(current.native());
  if (error || cwd.empty()) {
    DiscoveryResult result;
    result.problems.push_back({".", "cannot get the current folder: " + error.message()});
    return result;
  }

  std::vector<Argument> examined(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) examined[i].typed = paths[i];
  RealPaths real_paths;  // a file list shares its folders: each is resolved once
  examine_all(examined, cwd, options.jobs, real_paths);
  std::vector<DiscoveryProblem> early_problems;
  std::vector<Argument> arguments;
  arguments.reserve(examined.size());
  for (Argument& argument : examined) {
    if (argument.problem.empty()) arguments.push_back(std::move(argument));
    else early_problems.push_back({std::move(argument.typed), std::move(argument.problem)});
  }
  std::vector<Argument>().swap(examined);

  // A path inside a Helm chart brings in the chart (see add_helm_chart below). The chart counts
  // for the root as a folder argument would, except that a file argument still counts as the
  // current folder when the chart lies below it: the pre-commit hook's paths stay relative to the
  // repository, as a full run shows them.
  std::string chart_limit = options.root.empty() ? std::string() : absolute_normal(options.root, cwd, error);
  if (error) chart_limit.clear();
  HelmChartLookups chart_lookups;
  for (Argument& argument : arguments) {
    // A Dockerfile is linted as itself wherever it lies: Helm never renders one, so it does not
    // bring in a chart around it. Not asking saves two stats per folder (pre-commit passes every
    // changed Dockerfile, a CI job often a whole list of them).
    std::string_view name = std::string_view(argument.absolute).substr(argument.absolute.rfind('/') + 1);
    if (!argument.is_folder && classify(name, "") == FileKind::Dockerfile) continue;
    argument.chart = enclosing_helm_chart(argument.absolute, argument.is_folder, chart_limit, chart_lookups);
  }

  std::string root;
  for (const Argument& argument : arguments) {
    std::string contribution = argument.absolute;
    if (!argument.chart.empty()) {
      contribution = !argument.is_folder && is_within_folder(argument.chart, cwd) ? cwd : argument.chart;
    } else if (!argument.is_folder) {
      // `absolute` is in normal form: its folder is what comes before the last '/'.
      size_t slash = argument.absolute.rfind('/');
      contribution = is_within_folder(argument.absolute, cwd) ? cwd
                     : slash == 0                      ? std::string("/")
                                                       : argument.absolute.substr(0, slash);
    }
    root = root.empty() ? contribution : common_folder(root, contribution);
  }
  if (root.empty()) root = cwd;
  if (!options.root.empty()) {
    std::string requested = absolute_normal(options.root, cwd, error);
    if (!error && is_within_folder(root, requested)) root = std::move(requested);
  }

  Discovery discovery(options, root);
  for (DiscoveryProblem& problem : early_problems) {
    discovery.problem(std::move(problem.path), std::move(problem.message));
  }
  std::string exclude_base = root;
  if (!options.exclude_base.empty()) {
    std::string base = absolute_normal(options.exclude_base, cwd, error);
    if (!error) exclude_base = std::move(base);
  }
  for (const std::string& line : options.exclude) discovery.excludes().add_pattern(exclude_base, line);

  bool single_file = paths.size() == 1 && arguments.size() == 1 && !arguments[0].is_folder && arguments[0].chart.empty();
  std::map<std::string, std::string> terraform_modules;  // folder → how its files are displayed
  std::set<std::string> helm_charts;  // chart folders the arguments are part of
  for (Argument& argument : arguments) {
    std::string& canonical = argument.canonical;
    if (canonical.empty()) {
      discovery.problem(argument.typed, "cannot resolve the path");
      continue;
    }
    if (!is_within_folder(canonical, discovery.canonical_root())) {
      discovery.problem(argument.typed, "leads through a symbolic link to " + canonical +
                                            ", outside the scanned folder; not read");
      continue;
    }
    // A given path escapes .gitignore, never the config's exclude.
    if (discovery.excludes().is_ignored(argument.absolute, argument.is_folder)) continue;
    if (!argument.chart.empty()) helm_charts.insert(argument.chart);
    if (argument.is_folder) {
      if (argument.chart != argument.absolute) discovery.walk(argument.absolute, canonical);
      continue;
    }
    // A single file keeps its path as typed when that names it from the root: typed absolute, or
    // typed relative while the root is the current folder. A relative path out of the current
    // folder (`../x/y/Dockerfile`, whose root is its own folder) is named from the root instead, as
    // every other display path is, so that joining root and display path finds the file.
    bool keep_typed = single_file && (fs::path(argument.typed).is_absolute() || root == cwd);
    std::string display_path = keep_typed ? fs::path(argument.typed).lexically_normal().generic_string()
                                          : std::string(relative_part(argument.absolute, root));
    if (is_terraform_name(argument.absolute)) {  // its module comes with it (add_terraform_module)
      std::string folder = fs::path(argument.absolute).parent_path().generic_string();
      std::string display_folder = fs::path(display_path).parent_path().generic_string();
      terraform_modules.emplace(std::move(folder), std::move(display_folder));
    }
    if (argument.is_symlink) {
      discovery.add_link(argument.absolute, std::move(display_path), std::move(canonical));
    } else {
      // A regular file (lstat said so: no link): its size spares the read an fstat.
      discovery.add_file(argument.absolute, std::move(display_path), canonical,
                         S_ISREG(argument.link_mode) ? std::optional<uint64_t>(argument.size) : std::nullopt);
    }
  }
  for (const auto& [folder, display_folder] : terraform_modules) discovery.add_terraform_module(folder, display_folder);
  for (const std::string& chart : helm_charts) discovery.add_helm_chart(chart, real_paths);
  DiscoveryResult result = discovery.finish();
  result.real_paths.reserve(real_paths.known().size());
  for (const auto& [path, real_path] : real_paths.known())
    if (!real_path.empty()) result.real_paths.emplace_back(path, real_path);
  return result;
}

}  // namespace shiftlint
