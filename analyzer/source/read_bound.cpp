#include "analyzer/source/read_bound.h"

#include <sys/stat.h>

#include <vector>

#include "analyzer/source/real_path.h"

namespace shiftlint {

namespace {

std::string_view parent_of(std::string_view folder) {
  size_t slash = folder.rfind('/');
  if (slash == std::string_view::npos) return {};
  return slash == 0 ? std::string_view("/") : folder.substr(0, slash);
}

}  // namespace

bool holds_repository(std::string_view folder) {
  std::string marker(folder);
  if (marker.empty() || marker.back() != '/') marker += '/';
  marker += ".git";
  struct stat info;
  return lstat(marker.c_str(), &info) == 0;
}

std::string repository_root_at_or_above(std::string_view folder) {
  std::string_view current = folder;
  while (!current.empty()) {
    if (holds_repository(current)) return std::string(current);
    std::string_view parent = parent_of(current);
    if (parent.empty() || parent == current) break;
    current = parent;
  }
  return {};
}

std::string read_bound_of(const std::string& scan_root) {
  std::string repository = repository_root_at_or_above(scan_root);
  return repository.empty() ? scan_root : repository;
}

std::string path_from_scan_root(std::string_view path, std::string_view scan_root) {
  std::vector<std::string_view> from = path_segments(scan_root);
  std::vector<std::string_view> to = path_segments(path);
  size_t common = 0;
  while (common < from.size() && common < to.size() && from[common] == to[common]) ++common;
  std::string relative;
  for (size_t level = common; level < from.size(); ++level) relative += "../";
  for (size_t index = common; index < to.size(); ++index) {
    relative += to[index];
    if (index + 1 < to.size()) relative += '/';
  }
  if (relative.empty()) return ".";
  if (relative.back() == '/') relative.pop_back();
  return relative;
}

}  // namespace shiftlint
