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

}  // namespace shiftlint
