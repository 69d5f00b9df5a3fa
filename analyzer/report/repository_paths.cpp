#include "analyzer/report/repository_paths.h"

#include "analyzer/source/read_bound.h"
#include "analyzer/source/real_path.h"

namespace shiftlint {

RepositoryPaths::RepositoryPaths(const std::string& scan_root) : scan_root_(scan_root) {
  if (scan_root_.empty() || scan_root_.front() != '/') {
    base_ = scan_root_;
    return;
  }
  scan_root_ = lexically_normal_absolute(scan_root_);
  std::string repository = repository_root_at_or_above(scan_root_);
  base_ = repository.empty() ? scan_root_ : repository;
}

RepositoryPaths::Named RepositoryPaths::name(std::string_view display_path) const {
  bool absolute = display_path.starts_with('/');
  // The common case: a relative path from a scan root that is the base (or no base is known).
  if (!absolute && (base_ == scan_root_ || base_.empty())) return {std::string(display_path), true};
  std::string path = absolute ? lexically_normal_absolute(display_path)
                              : lexically_normal_absolute(scan_root_ + "/" + std::string(display_path));
  if (!is_within_folder(path, base_) || path == base_) return {std::move(path), false};
  return {path.substr(base_ == "/" ? 1 : base_.size() + 1), true};
}

WorkingDirectoryPaths::WorkingDirectoryPaths(const std::string& scan_root, const std::string& working_directory) {
  if (scan_root.empty() || scan_root.front() != '/' || working_directory.empty() || working_directory.front() != '/')
    return;
  scan_root_ = lexically_normal_absolute(scan_root);
  working_directory_ = lexically_normal_absolute(working_directory);
  if (scan_root_.empty()) scan_root_ = "/";
  if (working_directory_.empty()) working_directory_ = "/";
  unchanged_ = scan_root_ == working_directory_;
}

std::string WorkingDirectoryPaths::name(std::string_view display_path) const {
  if (unchanged_ || display_path.empty() || display_path.front() == '/') return std::string(display_path);
  std::string path = lexically_normal_absolute(scan_root_ + "/" + std::string(display_path));
  if (path.empty()) path = "/";
  if (path == working_directory_) return ".";
  if (is_within_folder(path, working_directory_))
    return path.substr(working_directory_ == "/" ? 1 : working_directory_.size() + 1);
  // Above the working directory: "../" for each of its folders the path is not in.
  std::string base = working_directory_;
  std::string up;
  while (base != "/" && !is_within_folder(path, base)) {
    base.resize(base.rfind('/') == 0 ? 1 : base.rfind('/'));
    up += "../";
  }
  std::string_view below = path == base ? std::string_view() : std::string_view(path).substr(base == "/" ? 1 : base.size() + 1);
  if (below.empty()) up.pop_back();  // "../.." rather than "../../"
  return up + std::string(below);
}

}  // namespace shiftlint
