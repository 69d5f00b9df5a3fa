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
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "analyzer/source/text_hash.h"

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

// The non-empty segments of a '/'-separated path ("/a//b/" → a, b), as views into it.
inline std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// Whether `path` is `folder` itself or below it, both absolute and lexically normal ("/" holds every
// path). A string comparison: links are the caller's to resolve first.
inline bool is_within_folder(std::string_view path, std::string_view folder) {
  if (folder.empty() || !path.starts_with(folder)) return false;
  return path.size() == folder.size() || folder.back() == '/' || path[folder.size()] == '/';
}

// `path` (absolute) in lexically normal form: empty and "." segments dropped, ".." taking off the
// segment before it (nothing goes above "/"), no trailing '/' — what std::filesystem's
// lexically_normal answers (less the trailing '/'), without a path object split into segments.
inline std::string lexically_normal_absolute(std::string_view path) {
  std::string normal;
  normal.reserve(path.size());
  for (size_t start = 0; start < path.size();) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      normal.resize(normal.empty() ? 0 : normal.rfind('/'));
      continue;
    }
    normal += '/';
    normal += segment;
  }
  return normal.empty() ? std::string("/") : normal;
}

// `path` made absolute against `cwd` (absolute and normal: what current_path answered once, so
// a thousand arguments are not a thousand getcwd calls) and lexically normal, without a trailing
// '/' except for "/" itself. An empty path is an error, as for std::filesystem::absolute.
inline std::string absolute_normal(std::string_view path, std::string_view cwd, std::error_code& error) {
  error.clear();
  if (path.empty()) {
    error = std::make_error_code(std::errc::invalid_argument);
    return {};
  }
  if (is_normal_absolute_path(path)) return std::string(path);  // a file list, a shell's globbing
  if (path.front() == '/') return lexically_normal_absolute(path);
  std::string joined;
  joined.reserve(cwd.size() + 1 + path.size());
  joined.append(cwd);
  if (joined.empty() || joined.back() != '/') joined += '/';
  joined.append(path);
  // `d1/Dockerfile` below a normal cwd is normal already: checked, not rebuilt.
  if (is_normal_absolute_path(joined)) return joined;
  return lexically_normal_absolute(joined);
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
  // What lstat(2) says of a path: its mode, nullopt when the call fails. An owner that keeps
  // lstat answers of its own (ContextFileCache) passes them in, so a path is not asked twice.
  using LinkMode = std::function<std::optional<mode_t>(const std::string&)>;
  explicit RealPaths(LinkMode link_mode = nullptr) : link_mode_(std::move(link_mode)) {}

  // The real path of `path`, "" when it does not exist or cannot be resolved.
  std::string of(const std::string& path) {
    if (!is_normal_absolute_path(path)) return realpath_or_empty(path);  // ".", "..", "//": realpath decides
    return plain(path);
  }
  // What is known so far, path → real path ("" for a path that could not be resolved), so that a
  // later owner need not ask the file system again (discovery hands its folders to the build
  // contexts' cache), and the way in for such answers.
  const std::unordered_map<std::string, std::string, TextHash, std::equal_to<>>& known() const { return known_; }
  void remember(const std::string& path, const std::string& real_path) { known_.try_emplace(path, real_path); }
  // Forgets what is known (an owner that bounds its memory); later answers ask the file system again.
  void forget() { known_.clear(); }

  // The same, for a path whose lstat mode the caller has just asked (discovery's arguments).
  std::string of(const std::string& path, mode_t own_mode) {
    if (!is_normal_absolute_path(path)) return realpath_or_empty(path);
    if (S_ISREG(own_mode)) return below_folder(path);  // a file is asked once: only its folder is kept
    return plain(path, own_mode);
  }

 private:
  // `path` is plain absolute, and so is every folder above it.
  const std::string& plain(const std::string& path, std::optional<mode_t> own_mode = std::nullopt) {
    if (auto found = known_.find(path); found != known_.end()) return found->second;
    std::string result;
    if (std::optional<mode_t> mode = own_mode ? own_mode : mode_of(path)) {
      result = S_ISLNK(*mode) ? realpath_or_empty(path) : below_folder(path);
    }
    return known_.emplace(path, std::move(result)).first->second;
  }

  // The real path of a plain absolute `path` that is no symbolic link: its folder's, then its name.
  std::string below_folder(const std::string& path) {
    size_t slash = path.rfind('/');
    std::string_view name = std::string_view(path).substr(slash + 1);
    const std::string root = "/";
    const std::string& folder = slash == 0 ? root : plain(path.substr(0, slash));
    if (folder.empty()) return {};
    std::string result;
    result.reserve(folder.size() + 1 + name.size());
    result.append(folder);
    if (result.back() != '/') result += '/';
    result.append(name);
    return result;
  }

  std::optional<mode_t> mode_of(const std::string& path) const {
    if (link_mode_) return link_mode_(path);
    struct stat info;
    if (::lstat(path.c_str(), &info) != 0) return std::nullopt;
    return info.st_mode;
  }

  LinkMode link_mode_;
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> known_;
};

}  // namespace shiftlint
