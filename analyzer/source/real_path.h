#pragma once
// Real paths (symbolic links resolved, as realpath(3) answers) of many files under a few folders.
//
// realpath reads every segment of the path back (a readlink each): asked for a thousand Dockerfiles
// and their build contexts, that is most of a run's system calls. A file that is not a link itself
// is its folder's real path and its name, so each folder is resolved once: one lstat per path and
// per folder, realpath only where a segment is a link.
//
//   RealPaths real;
//   real.of("/repo/a/Dockerfile");  // lstat; then /repo/a, /repo, / once each
//   real.of("/repo/b/Dockerfile");  // lstat; /repo/b; /repo is known
//
// Not shared between threads: its owner locks it, or keeps it on one thread.
#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>

namespace shiftlint {

// Absolute, without a trailing '/' and without an empty, "." or ".." segment: a path already in its
// own normal form (a file path on disk, or a path in an image).
inline bool is_normal_absolute_path(std::string_view path) {
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') return false;
  for (size_t start = 1; start <= path.size();) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = slash + 1;
  }
  return true;
}

// realpath(3); "" when the path does not exist or cannot be resolved.
inline std::string realpath_or_empty(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (!resolved) return {};
  std::string result(resolved);
  std::free(resolved);
  return result;
}

class RealPaths {
 public:
  // The real path of `path`, "" when it does not exist or cannot be resolved.
  std::string of(const std::string& path) {
    if (!is_normal_absolute_path(path)) return realpath_or_empty(path);  // ".", "..", "//": realpath decides
    return plain(path);
  }

 private:
  // `path` is plain absolute, and so is every folder above it.
  const std::string& plain(const std::string& path) {
    if (auto found = known_.find(path); found != known_.end()) return found->second;
    std::string result;
    struct stat info;
    if (::lstat(path.c_str(), &info) == 0) {
      if (S_ISLNK(info.st_mode)) {
        result = realpath_or_empty(path);
      } else {
        size_t slash = path.rfind('/');
        std::string_view name = std::string_view(path).substr(slash + 1);
        std::string folder = slash == 0 ? std::string("/") : plain(path.substr(0, slash));
        if (!folder.empty()) {
          result = folder;
          if (result.back() != '/') result += '/';
          result += name;
        }
      }
    }
    return known_.emplace(path, std::move(result)).first->second;
  }

  std::unordered_map<std::string, std::string> known_;
};

}  // namespace shiftlint
