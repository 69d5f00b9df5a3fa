#pragma once
// Where forges look for a report's files. GitHub code scanning reads a SARIF uri as a path from the
// repository's root (it does not resolve uriBaseId), and so do GitHub annotations and GitLab Code
// Quality. A run in a folder of a repository (the action's `working-directory`, `cd infra &&
// shiftlint check .`) names its files from that folder: these reports name them from the
// repository's root instead. Outside a git repository, or at its root, paths stay as they are.
#include <string>
#include <string_view>

namespace shiftlint {

class RepositoryPaths {
 public:
  // `scan_root`: the run's RunSummary::root_directory (absolute); the git repository holding it is
  // looked up once, here.
  explicit RepositoryPaths(const std::string& scan_root);

  // The folder paths are named from: the repository's root, else the scan root ("" when none).
  const std::string& base() const { return base_; }
  struct Named {
    std::string path;
    bool from_base = true;  // false: a file outside base(), named by its absolute path
  };
  // `display_path` (relative to the scan root, `../` above it, or absolute) from base().
  Named name(std::string_view display_path) const;

 private:
  std::string scan_root_;
  std::string base_;
};

// Where a terminal, an editor's terminal link or a script run beside shiftlint finds a file: the
// text and JSON reports name files from the working directory, as ruff and hadolint print them.
// Findings name their files from the scan root (`check infra/` names infra/web/Dockerfile
// "web/Dockerfile"), which is the working directory in the common run (`check .`, a pre-commit
// hook's files); otherwise each path is rebased: "infra/web/Dockerfile", "../b/Dockerfile" from a
// sibling folder. A path typed absolute stays absolute.
class WorkingDirectoryPaths {
 public:
  // Both absolute; no system call.
  WorkingDirectoryPaths(const std::string& scan_root, const std::string& working_directory);
  // Whether name() changes nothing (the scan root is the working directory, or either is unknown).
  bool unchanged() const { return unchanged_; }
  // `display_path` (relative to the scan root, `../` above it, or absolute) from the working directory.
  std::string name(std::string_view display_path) const;

 private:
  std::string scan_root_;
  std::string working_directory_;
  bool unchanged_ = true;
};

}  // namespace shiftlint
