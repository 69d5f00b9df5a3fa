#include "analyzer/model/docker/build_context.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <span>
#include <system_error>

#include "analyzer/model/docker/bake_file.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/source/file_read.h"
#include "analyzer/source/read_bound.h"

namespace shiftlint::docker {

namespace fs = std::filesystem;

namespace {

// Ancestors of the Dockerfile's folder tried as the context root.
constexpr int kMaxContextLevels = 8;
// Entries a glob may match, per pattern.
constexpr size_t kMaxGlobMatches = 4096;
// Stages followed up a FROM chain.
constexpr int kMaxStageChain = 64;

// Folders every common base image has (or the package a COPY configures creates), so `COPY x
// /usr/local/bin` and `COPY nginx.conf /etc/nginx` put x inside them. (A destination ending in .d
// is taken for a folder too: conf.d, php-fpm.d, supervisor.d.)
constexpr std::array<std::string_view, 61> kWellKnownFolders = {
    "/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/etc", "/tmp", "/opt",
    "/etc/cron.d", "/etc/cron.daily", "/etc/cron.hourly", "/etc/nginx/conf.d", "/etc/nginx/sites-enabled",
    "/etc/nginx/sites-available", "/etc/supervisor/conf.d", "/etc/supervisord.d", "/etc/logrotate.d",
    "/etc/apache2/sites-enabled", "/etc/apache2/sites-available", "/etc/apache2/conf-enabled",
    "/etc/apache2/conf-available", "/etc/httpd/conf.d", "/usr/local/etc/php-fpm.d", "/usr/local/etc/php/conf.d",
    "/docker-entrypoint.d", "/docker-entrypoint-initdb.d", "/etc/profile.d", "/etc/init.d",
    "/usr/share/nginx/html", "/var/www/html", "/etc/systemd/system", "/etc/nginx", "/etc/supervisor",
    "/etc/apache2", "/etc/httpd", "/etc/httpd/conf", "/etc/php", "/usr/local/etc", "/usr/local/etc/php",
    "/etc/ssh", "/etc/crontabs", "/etc/cron.weekly", "/etc/cron.monthly", "/etc/periodic/15min",
    "/etc/periodic/hourly", "/etc/periodic/daily", "/etc/periodic/weekly", "/etc/periodic/monthly",
    "/etc/redis", "/etc/mysql", "/usr/share/nginx", "/var/www", "/root", "/usr/local/lib", "/var/lib",
    "/var/log", "/usr/local/share/ca-certificates", "/etc/ssl/certs", "/usr/local/openresty/nginx/conf",
    "/etc/openresty",
};

// The distribution's versioned PHP folders: Alpine's /etc/php82, Debian's /etc/php/8.2/fpm (its
// cli and apache2 too).
bool is_versioned_php_folder(std::string_view path) {
  auto digits = [](std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (path.starts_with("/etc/php") && digits(path.substr(8))) return true;
  if (!path.starts_with("/etc/php/")) return false;
  std::string_view rest = path.substr(9);
  size_t slash = rest.find('/');
  std::string_view version = rest.substr(0, slash);
  size_t dot = version.find('.');
  if (dot == std::string_view::npos || !digits(version.substr(0, dot)) || !digits(version.substr(dot + 1))) return false;
  if (slash == std::string_view::npos) return true;
  std::string_view what = rest.substr(slash + 1);
  return what == "fpm" || what == "cli" || what == "apache2";
}

constexpr std::string_view kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// A plain loop, not find_first_of (a memchr per byte): asked of every COPY source on every lookup.
bool has_glob(std::string_view path) {
  for (char c : path)
    if (c == '*' || c == '?' || c == '[') return true;
  return false;
}

bool is_remote(std::string_view source) {
  return source.find("://") != std::string_view::npos || source.rfind("git@", 0) == 0;
}

bool is_archive(std::string_view source) {
  for (std::string_view suffix : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"})
    if (source.size() >= suffix.size() && source.substr(source.size() - suffix.size()) == suffix) return true;
  return false;
}

std::vector<std::string_view> split_segments_by_colon(std::string_view list) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= list.size()) {
    size_t colon = list.find(':', start);
    if (colon == std::string_view::npos) colon = list.size();
    parts.push_back(list.substr(start, colon - start));
    start = colon + 1;
  }
  return parts;
}

// "/a/./b/../c/" → "/a/c"; "" or "/" → "/".
std::string normalise_image_path(std::string_view path) {
  // Most paths asked about (PATH folders joined with a program name) are normal already.
  if (is_normal_absolute_path(path)) return std::string(path);
  std::vector<std::string_view> kept;
  for (std::string_view segment : path_segments(path)) {
    if (segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string result;
  for (std::string_view segment : kept) {
    result += '/';
    result += segment;
  }
  return result.empty() ? "/" : result;
}

// A COPY source relative to the context root: "./conf/", "/conf" and "conf" are all "conf"; the
// root itself is "". nullopt when it climbs out of the context (BuildKit refuses that).
std::optional<std::string> normalise_context_path(std::string_view path) {
  std::vector<std::string_view> kept;
  for (std::string_view segment : path_segments(path)) {
    if (segment == ".") continue;
    if (segment == "..") {
      if (kept.empty()) return std::nullopt;
      kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string result;
  for (std::string_view segment : kept) {
    if (!result.empty()) result += '/';
    result += segment;
  }
  return result;
}

std::string join(std::string_view folder, std::string_view name) {
  if (folder.empty()) return std::string(name);
  if (name.empty()) return std::string(folder);
  // Sized once: a copy of `folder` grown by the name would allocate twice for most paths.
  std::string joined;
  joined.reserve(folder.size() + 1 + name.size());
  joined += folder;
  if (joined.back() != '/') joined += '/';
  joined += name;
  return joined;
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string parent_folder(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

bool is_inside(std::string_view path, std::string_view folder) {
  if (folder == "/") return !path.empty() && path.front() == '/';
  return path == folder || (path.size() > folder.size() && path.substr(0, folder.size()) == folder &&
                            path[folder.size()] == '/');
}

std::optional<uint32_t> octal_mode(const Flag* chmod) {
  if (!chmod || !chmod->value || chmod->value->empty() || chmod->value->size() > 5) return std::nullopt;
  uint32_t mode = 0;
  for (char c : *chmod->value) {
    if (c < '0' || c > '7') return std::nullopt;
    mode = mode * 8 + static_cast<uint32_t>(c - '0');
  }
  return mode;
}

// A folder's entries other than "." and "..", and whether each is a folder itself (not a
// symbolic link to one) or a regular file (not a link to one either), as the folder's listing
// says. Empty when it cannot be opened.
struct FolderEntry {
  std::string name;
  bool is_folder = false;
  bool is_regular_file = false;
};
std::vector<FolderEntry> folder_entries(const std::string& folder) {
  std::vector<FolderEntry> entries;
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(folder.c_str()), &::closedir);
  if (!handle) return entries;
  while (true) {
    const dirent* entry = ::readdir(handle.get());
    if (!entry) break;
    std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    bool is_folder = entry->d_type == DT_DIR;
    bool is_regular_file = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat info;
      std::string path = folder;
      path += '/';
      path += name;
      bool found = ::lstat(path.c_str(), &info) == 0;
      is_folder = found && S_ISDIR(info.st_mode);
      is_regular_file = found && S_ISREG(info.st_mode);
    }
    entries.push_back({std::string(name), is_folder, is_regular_file});
  }
  return entries;
}


// `.dockerignore` lines as gitignore patterns: Docker anchors every pattern at the context root.
void add_dockerignore(IgnoreRules& rules, std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    bool negated = line.front() == '!';
    if (negated) line.remove_prefix(1);
    while (!line.empty() && (line.front() == '/' || line.substr(0, 2) == "./"))
      line.remove_prefix(line.front() == '/' ? 1 : 2);
    if (line.empty()) continue;
    std::string pattern = negated ? "!/" : "/";
    pattern += line;
    rules.add_pattern("", pattern);
  }
}

}  // namespace

ContextLocation context_location_of(const SourceFile& dockerfile) {
  ContextLocation location;
  // Discovery gives absolute paths in normal form, which lexically_normal would keep as they are.
  std::string path = is_normal_absolute_path(dockerfile.path())
                         ? dockerfile.path()
                         : fs::path(dockerfile.path()).lexically_normal().generic_string();
  if (!path.empty() && path.front() != '/') {
    std::error_code error;
    path = fs::absolute(path, error).lexically_normal().generic_string();
  }
  location.dockerfile_folder = parent_folder(path);
  std::string display = dockerfile.display_path();
  location.display_folder = parent_folder(display);
  if (location.display_folder == "/") location.display_folder.clear();
  bool relative_display = !display.empty() && display.front() != '/' && display.rfind("../", 0) != 0;
  if (relative_display && path.size() > display.size() + 1 &&
      path.compare(path.size() - display.size(), display.size(), display) == 0 &&
      path[path.size() - display.size() - 1] == '/') {
    size_t root_length = path.size() - display.size() - 1;
    location.scan_root = root_length == 0 ? std::string(1, '/') : path.substr(0, root_length);
  } else {
    location.scan_root = location.dockerfile_folder;
  }
  return location;
}

std::shared_ptr<const SourceFile> ContextFileCache::read(const std::string& path, const std::string& display_path,
                                                         const std::string& scan_root) {
  // Keyed by scan root too: whether a file may be read depends on it.
  std::string key = scan_root + '\0' + path;
  {
    std::lock_guard lock(files_mutex_);
    if (auto found = files_.find(key); found != files_.end()) return found->second;
  }
  std::shared_ptr<const SourceFile> file;
  // A missing file (most .dockerignore files) is told by one stat, not realpath's walk.
  std::string canonical = status(path).found ? real_path(path) : std::string();
  PathStatus info;
  if (!canonical.empty() && !scan_root.empty() && is_inside(canonical, scan_root) &&
      (info = status(canonical)).found && S_ISREG(info.mode) &&
      static_cast<uint64_t>(info.size) <= kMaxContextFileBytes) {
    std::string text;
    // Sized by the stat just asked: no fstat of the open file.
    bool ok = read_whole_file(canonical, kMaxContextFileBytes, text, static_cast<uint64_t>(info.size)) == 0 &&
              text.size() <= kMaxContextFileBytes;
    bool binary = std::string_view(text).substr(0, 8192).find('\0') != std::string_view::npos;
    if (ok && !binary) file = std::make_shared<const SourceFile>(path, display_path, std::move(text));
    if (file && notes_) notes_->saw(display_path);
  }
  // Another thread may have read it meanwhile: the first answer stays, so every caller shares one.
  std::lock_guard lock(files_mutex_);
  uint64_t bytes = file ? file->text().size() : 0;
  if (files_.size() >= ceilings_.files || file_bytes_ + bytes > ceilings_.file_bytes) {
    if (auto found = files_.find(key); found != files_.end()) return found->second;
    files_.clear();
    file_bytes_ = 0;
  }
  auto [at, inserted] = files_.emplace(std::move(key), std::move(file));
  if (inserted) file_bytes_ += bytes;
  return at->second;
}

ContextFileCache::Held ContextFileCache::held() {
  Held held;
  {
    std::lock_guard lock(files_mutex_);
    held.files = files_.size();
    held.file_bytes = file_bytes_;
  }
  {
    std::lock_guard lock(real_paths_mutex_);
    held.real_paths = real_paths_.known().size();
  }
  std::lock_guard lock(status_mutex_);
  held.statuses = std::max(link_statuses_.size(), statuses_.size());
  return held;
}

std::string ContextFileCache::real_path(const std::string& path) {
  std::lock_guard lock(real_paths_mutex_);
  if (real_paths_.known().size() >= ceilings_.real_paths) real_paths_.forget();
  return real_paths_.of(path);
}

void ContextFileCache::remember_real_paths(const std::vector<std::pair<std::string, std::string>>& real_paths) {
  std::lock_guard lock(real_paths_mutex_);
  for (const auto& [path, real_path] : real_paths) real_paths_.remember(path, real_path);
}

NotedReads::NotedReads(std::vector<std::string> display_paths)
    : watched_(std::make_move_iterator(display_paths.begin()), std::make_move_iterator(display_paths.end())) {}

void NotedReads::saw(std::string_view display_path) {
  if (!watched_.contains(display_path)) return;
  std::lock_guard lock(mutex_);
  read_.emplace(display_path);
}

bool NotedReads::may_be_within(std::string_view display_folder) const {
  if (display_folder.empty() || display_folder.front() == '/' || display_folder == ".." ||
      display_folder.starts_with("../"))
    return true;
  return std::any_of(watched_.begin(), watched_.end(), [&](const std::string& path) {
    return path.size() > display_folder.size() && path.starts_with(display_folder) && path[display_folder.size()] == '/';
  });
}

bool NotedReads::was_read(std::string_view display_path) const {
  std::lock_guard lock(mutex_);
  return read_.contains(display_path);
}

std::vector<std::string> ContextFileCache::bake_candidates(const std::string& folder, bool and_subfolders) {
  std::string key = folder + (and_subfolders ? "/*" : "");
  {
    std::lock_guard lock(bake_mutex_);
    if (auto found = bake_candidates_.find(key); found != bake_candidates_.end()) return found->second;
  }
  std::vector<std::string> found;
  size_t subfolders = 0;
  for (const FolderEntry& entry : folder_entries(folder)) {
    if (entry.is_regular_file && may_be_bake_file(entry.name)) found.push_back(join(folder, entry.name));
    if (!and_subfolders || !entry.is_folder || entry.name == ".git" || entry.name == "node_modules" || ++subfolders > 64)
      continue;
    std::string below = join(folder, entry.name);
    for (const FolderEntry& inner : folder_entries(below))
      if (inner.is_regular_file && may_be_bake_file(inner.name)) found.push_back(join(below, inner.name));
  }
  std::lock_guard lock(bake_mutex_);
  return bake_candidates_.try_emplace(key, std::move(found)).first->second;
}

ContextFileCache::ContextFileCache(Ceilings ceilings)
    : ceilings_(ceilings), real_paths_([this](const std::string& path) -> std::optional<mode_t> {  // real_paths_mutex_ held
        PathStatus own = status(path, false);
        return own.found ? std::optional<mode_t>(own.mode) : std::nullopt;
      }) {}

ContextFileCache::PathStatus ContextFileCache::status(const std::string& path, bool follow_links) {
  // The lock is held for the lookups only, never across a system call: with two workers asking
  // about thousands of paths, a lock held for each stat made them wait on each other (1,200 futex
  // calls over 997 Dockerfiles with --jobs 2). Two threads may stat the same path at once; they get
  // the same answer, and the first one kept is the one every later caller sees.
  auto ask = [&path](bool follow) {
    struct stat info;
    int result = follow ? ::stat(path.c_str(), &info) : ::lstat(path.c_str(), &info);
    return result == 0 ? PathStatus{true, info.st_mode, info.st_size} : PathStatus{};
  };
  std::optional<PathStatus> own;
  {
    std::lock_guard lock(status_mutex_);
    if (auto found = link_statuses_.find(path); found != link_statuses_.end()) own = found->second;
  }
  // A full map starts again (the class comment); the answer asked is kept either way.
  auto keep = [this](auto& map, const std::string& key, const PathStatus& answer) {
    if (map.size() >= ceilings_.statuses && !map.contains(key)) map.clear();
    return map.try_emplace(key, answer).first->second;
  };
  if (!own) {
    PathStatus asked = ask(false);
    std::lock_guard lock(status_mutex_);
    own = keep(link_statuses_, path, asked);
  }
  // One lstat answers both questions unless the path is a symbolic link: stat and lstat agree on
  // everything else, and fail together on a path that is missing.
  if (!follow_links || !own->found || !S_ISLNK(own->mode)) return *own;
  {
    std::lock_guard lock(status_mutex_);
    if (auto found = statuses_.find(path); found != statuses_.end()) return found->second;
  }
  PathStatus target = ask(true);
  std::lock_guard lock(status_mutex_);
  return keep(statuses_, path, target);
}

BuildContext::BuildContext(const Dockerfile& dockerfile, ContextLocation location,
                           std::shared_ptr<ContextFileCache> cache)
    : dockerfile_(dockerfile), location_(std::move(location)),
      cache_(cache ? std::move(cache) : std::make_shared<ContextFileCache>()) {
  std::vector<std::string> known_folders;  // WORKDIRs and folder destinations seen so far
  for (const Stage& stage : dockerfile.stages) {
    std::string workdir = stage.parent ? dockerfile.stages[*stage.parent].config.workdir : std::string();
    for (size_t position = 0; position < stage.instructions.size(); ++position) {
      const Instruction& instruction = *stage.instructions[position];
      if (instruction.is("WORKDIR") && !instruction.arguments.empty()) {
        std::string path = dockerfile.expand(stage, position, instruction.arguments[0].text).text;
        workdir = path.empty() ? "/" : image_path_from(workdir, path);
        known_folders.push_back(workdir);
        continue;
      }
      if (!instruction.valid || (!instruction.is("COPY") && !instruction.is("ADD"))) continue;
      std::optional<CopyArguments> arguments = copy_arguments(instruction);
      if (!arguments || !arguments->destination || arguments->sources.empty()) continue;
      const Stage* from_stage = nullptr;
      if (arguments->from) {
        // An image's files are not in the context; an earlier stage's may be (Builder comment).
        if (!arguments->from->value) continue;
        Expansion from = dockerfile.expand(stage, position, *arguments->from->value);
        from_stage = from.ok() ? dockerfile.find_stage(from.text) : nullptr;
        if (!from_stage || from_stage->index >= stage.index) continue;
      }

      Copy copy;
      copy.instruction = &instruction;
      copy.stage = &stage;
      copy.mode = octal_mode(instruction.flag("chmod"));
      copy.from_stage = from_stage;
      bool single_file_source = arguments->sources.size() == 1;
      for (const CopySource& source : arguments->sources) {
        if (from_stage) {
          // A path in the other stage's image, relative ones from its root.
          if (source.heredoc) continue;
          Expansion expanded = dockerfile.expand(stage, position, source.word->text);
          if (!expanded.ok() || expanded.text.empty() || has_glob(expanded.text)) continue;
          copy.sources.push_back(source);
          copy.source_paths.emplace_back();
          copy.from_paths.push_back(normalise_image_path(expanded.text.front() == '/' ? expanded.text : join("/", expanded.text)));
          continue;
        }
        if (source.heredoc) {
          copy.sources.push_back(source);
          copy.source_paths.emplace_back();
          continue;
        }
        Expansion expanded = dockerfile.expand(stage, position, source.word->text);
        if (!expanded.ok() || expanded.text.empty() || is_remote(expanded.text)) continue;
        if (instruction.is("ADD") && is_archive(expanded.text)) continue;
        std::optional<std::string> path = normalise_context_path(expanded.text);
        if (!path) continue;
        if (has_glob(*path)) single_file_source = false;
        copy.sources.push_back(source);
        copy.source_paths.push_back(std::move(*path));
      }
      if (copy.sources.empty()) continue;

      std::string written = dockerfile.expand(stage, position, arguments->destination->text).text;
      bool trailing_slash = !written.empty() && (written.back() == '/' || written == "." ||
                                                 (written.size() >= 2 && written.substr(written.size() - 2) == "/."));
      std::string base = workdir.empty() ? "/" : workdir;
      copy.destination = normalise_image_path(!written.empty() && written.front() == '/' ? written : join(base, written));
      bool well_known = std::find(kWellKnownFolders.begin(), kWellKnownFolders.end(), copy.destination) !=
                            kWellKnownFolders.end() ||
                        is_versioned_php_folder(copy.destination) ||
                        std::find(known_folders.begin(), known_folders.end(), copy.destination) != known_folders.end() ||
                        (copy.destination.size() > 2 && copy.destination.substr(copy.destination.size() - 2) == ".d");
      copy.destination_is_folder = trailing_slash || !single_file_source || well_known || copy.destination == "/";
      if (copy.destination_is_folder) known_folders.push_back(copy.destination);
      copies_.push_back(std::move(copy));
    }
  }
}

const BuildContext::Resolved& BuildContext::resolved() const {
  resolve_once_.call([&] {
    Resolved& resolved = resolved_;
    resolved.canonical_scan_root = cache_->real_path(location_.scan_root);
    // Candidate roots: the Dockerfile's folder, then its parents while inside the scan root.
    std::vector<std::string> candidates{location_.dockerfile_folder};
    while (candidates.size() < kMaxContextLevels && candidates.back() != location_.scan_root &&
           is_inside(candidates.back(), location_.scan_root)) {
      std::string parent = parent_folder(candidates.back());
      if (parent.empty() || parent == candidates.back()) break;
      candidates.push_back(parent);
    }
    size_t best = 0;
    size_t best_score = 0;
    size_t countable = 0;  // the sources a candidate can have: plain paths, not the root, not globs
    for (const Copy& copy : copies_)
      for (const std::string& source : copy.source_paths) countable += !source.empty() && !has_glob(source);
    // A candidate that has every source cannot be beaten (the nearest wins a tie): the folders
    // above it are not asked (most Dockerfiles' own folder has all their COPY sources).
    auto score_from = [&](size_t first) {
      for (size_t index = first; index < candidates.size() && best_score < countable; ++index) {
        size_t score = 0;
        for (const Copy& copy : copies_)
          for (const std::string& source : copy.source_paths) {
            if (!source.empty() && !has_glob(source) && cache_->status(join(candidates[index], source)).found)
              ++score;
          }
        if (score > best_score) {
          best = index;
          best_score = score;
        }
      }
    };
    score_from(0);
    // Sources missing within the scan root: the context may be above it, up to the root of the
    // repository the scan root is in. `docker build -f docker/web/Dockerfile .` run from the
    // repository's root takes it as context, whether shiftlint runs there, in docker/web
    // (`cd docker/web && shiftlint check .`) or on the Dockerfile typed as an absolute path
    // (whose scan root is its own folder). Nothing above the repository is read.
    size_t above_scan_root = candidates.size();
    if (best_score < countable && candidates.back() == location_.scan_root) {
      std::string repository = repository_root_at_or_above(location_.scan_root);
      if (!repository.empty() && repository != location_.scan_root)
        while (candidates.size() < kMaxContextLevels && candidates.back() != repository) {
          std::string parent = parent_folder(candidates.back());
          if (parent.empty() || parent == candidates.back()) break;
          candidates.push_back(parent);
        }
      score_from(above_scan_root);
      if (best >= above_scan_root) resolved.canonical_scan_root = cache_->real_path(repository);
    }
    resolved.root = candidates[best];
    // Its display name: the Dockerfile's display folder with one segment dropped per level up (not
    // a "..": "../web" typed); a root above that is named from it with "../" (display_path_of).
    std::string display = location_.display_folder;
    bool absolute_display = !display.empty() && display.front() == '/';
    size_t levels = 0;
    for (; levels < best; ++levels) {
      size_t slash = display.rfind('/');
      std::string_view last = slash == std::string::npos ? std::string_view(display) : std::string_view(display).substr(slash + 1);
      if (display.empty() || display == "/" || last == "..") break;
      display = slash == std::string::npos ? std::string() : display.substr(0, absolute_display && slash == 0 ? 1 : slash);
    }
    resolved.display_root = display;
    resolved.levels_above_display = best - levels;
    resolved.display_base = candidates[levels];

    // BuildKit prefers <Dockerfile>.dockerignore beside the Dockerfile over the context's.
    std::string specific = dockerfile_.file ? dockerfile_.file->path() + ".dockerignore" : std::string();
    std::shared_ptr<const SourceFile> ignore;
    if (!specific.empty() && cache_->status(specific).found)
      ignore = cache_->read(specific, "", resolved.canonical_scan_root);
    if (!ignore) ignore = cache_->read(join(resolved.root, ".dockerignore"), "", resolved.canonical_scan_root);
    if (ignore) add_dockerignore(resolved.dockerignore, ignore->text());
  });
  return resolved_;
}

const std::vector<std::string>& BuildContext::bake_contexts() const {
  bake_once_.call([&] {
    if (!dockerfile_.file) return;
    std::string top = repository_root_at_or_above(location_.scan_root);
    if (top.empty() || !is_inside(location_.dockerfile_folder, top)) {
      // Checked from a folder above the repository (a folder of clones, `check Mailu/`): the
      // Dockerfile's own repository, where CI runs `docker buildx bake -f tests/build.hcl`, as a
      // check from inside it or of the Dockerfile by its absolute path reads it.
      std::string own = repository_root_at_or_above(location_.dockerfile_folder);
      top = !own.empty() && is_inside(own, location_.scan_root) ? own : location_.scan_root;
    }
    std::string readable = cache_->real_path(top);
    if (readable.empty()) return;
    std::vector<std::string> candidates = cache_->bake_candidates(top, true);
    // Checked from a folder below the repository's root (a project of a monorepo): its bake files.
    const std::string& scan_root = location_.scan_root;
    if (scan_root != top && is_inside(scan_root, top) && is_inside(location_.dockerfile_folder, scan_root))
      for (std::string& path : cache_->bake_candidates(scan_root, true)) candidates.push_back(std::move(path));
    for (std::string folder = location_.dockerfile_folder;
         folder != top && folder != scan_root && is_inside(folder, top) && candidates.size() < 256;) {
      for (std::string& path : cache_->bake_candidates(folder, false)) candidates.push_back(std::move(path));
      std::string parent = parent_folder(folder);
      if (parent.empty() || parent == folder) break;
      folder = std::move(parent);
    }
    // An ancestor one level below the root, or the scan root, lists files already listed.
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::set<std::string> names;
    for (const std::string& path : candidates) {
      std::shared_ptr<const SourceFile> bake = cache_->read(path, "", readable);
      if (!bake) continue;
      std::vector<std::string> run_folders{parent_folder(path), top};
      if (scan_root != top) run_folders.push_back(scan_root);
      for (std::string& name : bake_context_names(bake, run_folders, dockerfile_.file->path())) names.insert(std::move(name));
    }
    bake_contexts_.assign(names.begin(), names.end());
  });
  return bake_contexts_;
}

const std::string& BuildContext::root() const { return resolved().root; }
const std::string& BuildContext::display_root() const { return resolved().display_root; }

std::string BuildContext::display_path_of(const std::string& context_path) const {
  const Resolved& context = resolved();
  if (context.levels_above_display == 0) return join(context.display_root, context_path);
  // The context root is above the folder display_root names: the file is named from that folder
  // with "../" (docker/web/run.sh, seen from docker/web, is run.sh; docker/api/run.sh is ../api/run.sh).
  return join(context.display_root, path_from_scan_root(join(context.root, context_path), context.display_base));
}

const std::vector<const BuildContext::Copy*>& BuildContext::copies_of(const Stage* stage) const {
  if (!stage) stage = dockerfile_.final_stage();
  auto [entry, inserted] = copies_answers_.try_emplace(stage);
  if (inserted) entry->second = collect_copies_of(stage);
  return entry->second;
}

std::vector<const BuildContext::Copy*> BuildContext::collect_copies_of(const Stage* stage) const {
  std::vector<const Stage*> chain;
  for (int hops = 0; stage && hops < kMaxStageChain; ++hops) {
    chain.push_back(stage);
    stage = stage->parent ? &dockerfile_.stages[*stage->parent] : nullptr;
  }
  std::vector<const Copy*> result;
  for (const Copy& copy : copies_)
    if (std::find(chain.begin(), chain.end(), copy.stage) != chain.end()) result.push_back(&copy);
  return result;
}

bool BuildContext::ignored(const std::string& context_path) const {
  const Resolved& context = resolved();
  return !context.dockerignore.empty() && context.dockerignore.is_ignored(context_path, false);
}

// Rules ask the same questions about the same paths many times per Dockerfile (every program name
// is looked up in every PATH folder): each answer costs a stat and a realpath, so it is kept.
bool BuildContext::is_regular_file(const std::string& context_path) const {
  auto [entry, inserted] = regular_file_answers_.try_emplace(context_path, false);
  if (inserted) entry->second = check_regular_file(context_path);
  return entry->second;
}
bool BuildContext::is_folder(const std::string& context_path) const {
  auto [entry, inserted] = folder_answers_.try_emplace(context_path, false);
  if (inserted) entry->second = check_folder(context_path);
  return entry->second;
}
const std::vector<std::string>& BuildContext::glob(const std::string& pattern) const {
  auto [entry, inserted] = glob_answers_.try_emplace(pattern);
  if (inserted) entry->second = list_glob(pattern);
  return entry->second;
}

// Whether the folder's real path (symbolic links resolved) is inside the scan root; the files of one
// folder share the answer, so it is asked of realpath once per folder.
bool BuildContext::folder_inside_scan_root(const std::string& folder) const {
  auto [entry, inserted] = folder_inside_answers_.try_emplace(folder, false);
  if (inserted) {
    std::string canonical = cache_->real_path(folder);
    entry->second = !canonical.empty() && is_inside(canonical, resolved().canonical_scan_root);
  }
  return entry->second;
}

bool BuildContext::check_regular_file(const std::string& context_path) const {
  const Resolved& context = resolved();
  std::string full = join(context.root, context_path);
  ContextFileCache::PathStatus info = cache_->status(full, false);
  if (!info.found) return false;
  bool inside = false;
  if (S_ISLNK(info.mode)) {
    info = cache_->status(full);
    if (!info.found || !S_ISREG(info.mode)) return false;
    std::string canonical = cache_->real_path(full);
    inside = !canonical.empty() && is_inside(canonical, context.canonical_scan_root);
  } else {
    // Not a link itself: its real path is its folder's real path and its own name.
    if (!S_ISREG(info.mode)) return false;
    inside = folder_inside_scan_root(parent_folder(full));
  }
  return inside && !ignored(context_path);
}

bool BuildContext::check_folder(const std::string& context_path) const {
  const Resolved& context = resolved();
  std::string full = join(context.root, context_path);
  ContextFileCache::PathStatus info = cache_->status(full);
  if (!info.found || !S_ISDIR(info.mode)) return false;
  return folder_inside_scan_root(full);
}

std::vector<std::string> BuildContext::list_glob(const std::string& pattern) const {
  // Segment by segment: literal segments are joined, wildcard segments list their folder.
  std::vector<std::string> matches{""};
  for (std::string_view segment : path_segments(pattern)) {
    std::vector<std::string> next;
    for (const std::string& prefix : matches) {
      if (!has_glob(segment)) {
        next.push_back(join(prefix, segment));
        continue;
      }
      std::string segment_text(segment);
      for (const FolderEntry& entry : folder_entries(join(resolved().root, prefix))) {
        if (next.size() >= kMaxGlobMatches) break;
        if (fnmatch(segment_text.c_str(), entry.name.c_str(), 0) == 0) next.push_back(join(prefix, entry.name));
      }
    }
    matches = std::move(next);
    if (matches.empty()) break;
  }
  std::sort(matches.begin(), matches.end());
  return matches;
}

BuildContext::SourceKind BuildContext::kind_of(const std::string& context_path) const {
  if (!context_path.empty() && is_regular_file(context_path)) return kFile;
  return is_folder(context_path) ? kFolder : kNeither;
}

ContextFile BuildContext::make_file(const Copy& copy, std::string context_path, std::string image_path) const {
  ContextFile file;
  file.display_path = display_path_of(context_path);
  file.context_path = std::move(context_path);
  file.image_path = std::move(image_path);
  file.instruction = copy.instruction;
  file.mode = copy.mode;
  return file;
}

std::vector<ContextFile> BuildContext::files_copied_to(std::string_view image_path, const Stage* stage) const {
  // Most paths asked about are normal already: they are compared as they are, not copied.
  std::string normalised;
  std::string_view wanted = image_path;
  if (!is_normal_absolute_path(image_path)) wanted = normalised = normalise_image_path(image_path);
  const std::vector<const Copy*>& copies = copies_of(stage);
  // The last COPY writing the path wins; within one COPY, the last source.
  for (auto copy_it = copies.rbegin(); copy_it != copies.rend(); ++copy_it) {
    const Copy& copy = **copy_it;
    // Whatever a COPY writes lands at its destination or below it: the other COPYs need no look at
    // their sources (files_run_as asks this for every PATH folder and every program a script runs).
    if (!is_inside(wanted, copy.destination)) continue;
    if (copy.from_stage) {
      std::vector<ContextFile> found = files_copied_from_stage(copy, wanted);
      if (!found.empty()) return found;
      continue;
    }
    for (size_t index = copy.sources.size(); index-- > 0;) {
      const CopySource& source = copy.sources[index];
      if (source.heredoc) {
        std::string landing = copy.destination_is_folder ? join(copy.destination, source.heredoc->name) : copy.destination;
        if (landing != wanted) continue;
        ContextFile file;
        file.image_path = std::string(wanted);
        file.instruction = copy.instruction;
        file.heredoc = source.heredoc;
        file.mode = copy.mode;
        return {file};
      }
      const std::string& path = copy.source_paths[index];
      // A plain path is its own single source; a glob's matches are kept (by reference, not copied).
      bool plain = !has_glob(path);
      std::span<const std::string> sources =
          plain ? std::span<const std::string>(&path, 1) : std::span<const std::string>(glob(path));
      for (auto it = sources.rbegin(); it != sources.rend(); ++it) {
        const std::string& candidate = *it;
        SourceKind kind;
        if (plain) {
          if (copy.source_kinds.empty()) copy.source_kinds.assign(copy.sources.size(), kUnknown);
          if (copy.source_kinds[index] == kUnknown) copy.source_kinds[index] = kind_of(candidate);
          kind = static_cast<SourceKind>(copy.source_kinds[index]);
        } else {
          kind = kind_of(candidate);
        }
        if (kind == kFile) {
          // Where it lands, compared without building the path: destination + '/' + its name.
          std::string_view name = base_name(candidate);
          std::string_view destination = copy.destination;
          bool lands = !copy.destination_is_folder ? wanted == destination
                       : destination == "/"        ? wanted.size() == name.size() + 1 && wanted.ends_with(name)
                                                   : wanted.size() == destination.size() + 1 + name.size() &&
                                                         wanted.starts_with(destination) &&
                                                         wanted[destination.size()] == '/' && wanted.ends_with(name);
          if (lands) return {make_file(copy, candidate, std::string(wanted))};
        } else if (kind == kFolder && wanted != copy.destination) {  // inside the destination (above)
          std::string_view relative = wanted.substr(copy.destination == "/" ? 1 : copy.destination.size() + 1);
          std::string inside = join(candidate, relative);
          if (is_regular_file(inside)) return {make_file(copy, inside, std::string(wanted))};
        }
      }
    }
  }
  return {};
}

std::vector<ContextFile> BuildContext::files_copied_from_stage(const Copy& copy, std::string_view wanted) const {
  // Each source may be a file or a folder in the other stage: both readings are asked of it, the
  // last source first (it wins, as a later write does).
  auto landed = [&](std::vector<ContextFile> found) {
    for (ContextFile& file : found) {
      file.image_path = std::string(wanted);
      if (copy.mode) file.mode = copy.mode;
    }
    return found;
  };
  for (size_t index = copy.from_paths.size(); index-- > 0;) {
    const std::string& source = copy.from_paths[index];
    std::string there;
    if (wanted == copy.destination) {
      if (!copy.destination_is_folder) there = source;  // COPY --from=build /app/run.sh /run.sh
    } else {
      std::string_view relative = wanted.substr(copy.destination == "/" ? 1 : copy.destination.size() + 1);
      // A file copied into a folder destination lands under its own name; a folder's contents land
      // in the destination itself.
      if (copy.destination_is_folder && relative == base_name(source))
        if (std::vector<ContextFile> found = files_copied_to(source, copy.from_stage); !found.empty())
          return landed(std::move(found));
      there = source == "/" ? "/" + std::string(relative) : join(source, relative);
    }
    if (there.empty()) continue;
    if (std::vector<ContextFile> found = files_copied_to(there, copy.from_stage); !found.empty())
      return landed(std::move(found));
  }
  return {};
}

const std::vector<ContextFile>& BuildContext::files_run_as(std::string_view program, const Stage* stage) const {
  static const std::vector<ContextFile> kNone;
  if (!stage) stage = dockerfile_.final_stage();
  if (!stage || program.empty()) return kNone;
  // Without a COPY into the image, no program is a context file (most Dockerfiles of a base
  // image, asked about every command their RUNs and entrypoint run).
  if (copies_of(stage).empty()) return kNone;
  RunAsAnswers& answers = run_as_answers_[stage];
  if (auto known = answers.find(program); known != answers.end()) return known->second;
  std::vector<ContextFile> found = search_run_as(program, stage);
  return answers.emplace(std::string(program), std::move(found)).first->second;
}

std::vector<ContextFile> BuildContext::search_run_as(std::string_view program, const Stage* stage) const {
  if (program.front() == '/') return files_copied_to(program, stage);
  if (program.find('/') != std::string_view::npos) {
    std::string workdir = stage->config.workdir.empty() ? "/" : stage->config.workdir;
    return files_copied_to(join(workdir, program), stage);
  }
  const PathSearch& search = path_search_of(stage);
  bool plain_name = program != "." && program != "..";
  for (size_t index = 0; index < search.folders.size(); ++index) {
    const std::string& folder = search.folders[index];
    if (!search.written[index] && plain_name) {
      // Nothing is copied at or above the folder: only a COPY to exactly <folder>/<program>.
      bool named = false;
      for (const Copy* copy : copies_of(stage)) {
        std::string_view destination = copy->destination;
        named = named || (destination.size() == folder.size() + 1 + program.size() &&
                          destination.starts_with(folder) && destination[folder.size()] == '/' &&
                          destination.ends_with(program));
      }
      if (!named) continue;
    }
    std::vector<ContextFile> found = files_copied_to(join(folder, program), stage);
    if (!found.empty()) return found;
  }
  return {};
}

const BuildContext::PathSearch& BuildContext::path_search_of(const Stage* stage) const {
  auto [entry, inserted] = path_searches_.try_emplace(stage);
  PathSearch& search = entry->second;
  if (!inserted) return search;
  std::string_view path = kDefaultPath;
  if (const Variable* variable = dockerfile_.variable(*stage, stage->instructions.size(), "PATH");
      variable && variable->known && variable->kind == Variable::Kind::Env)
    path = variable->value;
  for (std::string_view folder : split_segments_by_colon(path)) {
    if (folder.empty() || folder.front() != '/') continue;
    bool written = !is_normal_absolute_path(folder);  // "/usr/bin/", "/a/../b": not short-cut
    for (const Copy* copy : copies_of(stage)) written = written || is_inside(folder, copy->destination);
    search.folders.emplace_back(folder);
    search.written.push_back(written);
  }
  return search;
}

void BuildContext::list_folder(const Copy& copy, const std::string& folder, const std::string& image_folder,
                               std::vector<ContextFile>& out) const {
  const Resolved& context = resolved();
  // Iterative, without following symbolic links to folders: a link loop cannot trap it.
  std::vector<std::pair<std::string, std::string>> pending{{folder, image_folder}};
  while (!pending.empty() && out.size() < kMaxListedFiles) {
    auto [current, image] = std::move(pending.back());
    pending.pop_back();
    std::vector<FolderEntry> entries = folder_entries(join(context.root, current));
    std::sort(entries.begin(), entries.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.name > b.name; });
    // Files first in name order; folders pushed so that they pop in name order.
    for (auto it = entries.rbegin(); it != entries.rend() && out.size() < kMaxListedFiles; ++it) {
      if (it->is_folder) continue;
      std::string path = join(current, it->name);
      bool regular = false;
      if (it->is_regular_file) {
        // The listing has told what an lstat would (a regular file, not a link): only where its
        // folder really is and the .dockerignore remain to be asked, and the answer is kept as
        // is_regular_file's own.
        auto [entry, inserted] = regular_file_answers_.try_emplace(path, false);
        if (inserted) entry->second = folder_inside_scan_root(join(context.root, current)) && !ignored(path);
        regular = entry->second;
      } else {
        regular = is_regular_file(path);  // a link, a socket...: asked of the disk
      }
      if (regular) out.push_back(make_file(copy, path, join(image, it->name)));
    }
    for (const FolderEntry& entry : entries) {
      if (!entry.is_folder) continue;
      std::string path = join(current, entry.name);
      if (!context.dockerignore.is_ignored(path, true)) pending.emplace_back(path, join(image, entry.name));
    }
  }
}

const std::vector<ContextFile>& BuildContext::copied_files(const Stage* stage) const {
  if (!stage) stage = dockerfile_.final_stage();
  if (auto known = copied_files_answers_.find(stage); known != copied_files_answers_.end()) return known->second;
  std::vector<ContextFile> files = files_ever_copied(stage);
  drop_removed_files(stage, files);
  return copied_files_answers_.emplace(stage, std::move(files)).first->second;
}

const std::vector<ContextFile>& BuildContext::files_ever_copied(const Stage* stage) const {
  if (!stage) stage = dockerfile_.final_stage();
  if (auto known = ever_copied_answers_.find(stage); known != ever_copied_answers_.end()) return known->second;
  // Listed before it is kept: a COPY --from lists the other stage first, into this same map, and a
  // rehash there would invalidate an iterator taken here.
  std::vector<ContextFile> files = list_copied_files(stage);
  return ever_copied_answers_.emplace(stage, std::move(files)).first->second;
}

std::vector<ContextFile> BuildContext::list_copied_files(const Stage* stage) const {
  std::vector<ContextFile> files;
  for (const Copy* copy : copies_of(stage)) {
    if (copy->from_stage) {
      // What the other stage got from the context, under each source, where this COPY puts it.
      for (const std::string& source : copy->from_paths)
        for (const ContextFile& file : copied_files(copy->from_stage)) {
          if (file.context_path.empty() || files.size() >= kMaxListedFiles || !is_inside(file.image_path, source)) continue;
          ContextFile moved = file;
          if (file.image_path == source)
            moved.image_path = copy->destination_is_folder ? join(copy->destination, base_name(source)) : copy->destination;
          else
            moved.image_path = join(copy->destination, std::string_view(file.image_path).substr(source == "/" ? 1 : source.size() + 1));
          if (copy->mode) moved.mode = copy->mode;
          files.push_back(std::move(moved));
        }
      continue;
    }
    for (size_t index = 0; index < copy->sources.size() && files.size() < kMaxListedFiles; ++index) {
      const CopySource& source = copy->sources[index];
      if (source.heredoc) {
        ContextFile file;
        file.image_path = copy->destination_is_folder ? join(copy->destination, source.heredoc->name) : copy->destination;
        file.instruction = copy->instruction;
        file.heredoc = source.heredoc;
        file.mode = copy->mode;
        files.push_back(std::move(file));
        continue;
      }
      const std::string& path = copy->source_paths[index];
      // A plain path is its own single source; a glob's matches are kept (by reference, not copied).
      std::span<const std::string> sources = has_glob(path) ? std::span<const std::string>(glob(path))
                                                            : std::span<const std::string>(&path, 1);
      for (const std::string& candidate : sources) {
        if (!candidate.empty() && is_regular_file(candidate)) {
          std::string landing =
              copy->destination_is_folder ? join(copy->destination, base_name(candidate)) : copy->destination;
          files.push_back(make_file(*copy, candidate, landing));
        } else if (is_folder(candidate)) {
          list_folder(*copy, candidate, copy->destination, files);
        }
      }
    }
  }
  if (files.size() > kMaxListedFiles) files.resize(kMaxListedFiles);
  return files;
}

// A file a later RUN of the same image deletes is not in it: nginx-proxy-manager copies its whole
// rootfs, then `RUN rm -rf /etc/nginx/conf.d/dev.conf /etc/s6-overlay/s6-rc.d/user/contents.d/frontend`.
void BuildContext::drop_removed_files(const Stage* stage, std::vector<ContextFile>& files) const {
  if (files.empty() || !dockerfile_.file) return;
  if (!stage) stage = dockerfile_.final_stage();
  std::vector<const Stage*> chain;
  for (int hops = 0; stage && hops < kMaxStageChain; ++hops) {
    chain.push_back(stage);
    stage = stage->parent ? &dockerfile_.stages[*stage->parent] : nullptr;
  }
  // The COPY instructions of the chain, to tell this image's own copies from those of other stages.
  std::vector<const Instruction*> own_copies;
  for (const Stage* held : chain)
    for (const Instruction* instruction : held->instructions)
      if (instruction->is("COPY") || instruction->is("ADD")) own_copies.push_back(instruction);
  if (own_copies.empty()) return;
  std::sort(own_copies.begin(), own_copies.end());
  struct Removal {
    const Instruction* run;
    std::string path;  // absolute, maybe a glob
  };
  std::vector<Removal> removals;
  for (const Stage* held : chain) {
    for (const Instruction* instruction : held->instructions) {
      // Only a RUN after a COPY can remove what one brought (the usual `rm -rf /var/lib/apt/lists/*`
      // comes first).
      if (instruction < own_copies.front() || !instruction->is("RUN")) continue;
      // Most RUNs remove nothing the context gave: only those that say `rm` are parsed here.
      bool says_rm = instruction->line.text().find("rm ") != std::string_view::npos;
      for (const Heredoc& heredoc : instruction->heredocs) says_rm = says_rm || heredoc.body.text().find("rm ") != std::string_view::npos;
      if (!says_rm) continue;
      const shell::Script& script = instruction_script(*dockerfile_.file, *instruction);
      for (const shell::Command& command : script.commands) {
        if (command.in_condition || command.in_function() || shell::effective_program_name(command) != "rm") continue;
        shell::EffectiveCommand effective = shell::effective_command(command);
        for (const shell::Word& argument : effective.arguments) {
          std::string_view path = argument.value;
          if (argument.has_expansion || path.size() < 2 || path.front() != '/') continue;
          std::string normal(path);
          while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
          removals.push_back({instruction, std::move(normal)});
        }
      }
    }
  }
  if (removals.empty()) return;
  auto removed = [&](const ContextFile& file) {
    if (!file.instruction) return false;
    // Only a file this image's own COPY put there, before the RUN (instructions are in file order).
    if (!std::binary_search(own_copies.begin(), own_copies.end(), file.instruction)) return false;
    for (const Removal& removal : removals) {
      if (removal.run < file.instruction) continue;
      const std::string& path = removal.path;
      // Most removals (`rm -rf /var/lib/apt/lists/*`) are nowhere near the copied files: the part
      // before any wildcard must lead to the file.
      size_t literal = std::min(path.find_first_of("*?["), path.size());
      if (file.image_path.compare(0, literal, path, 0, literal) != 0) continue;
      if (file.image_path == path || (file.image_path.size() > path.size() && file.image_path.starts_with(path) &&
                                      file.image_path[path.size()] == '/'))
        return true;
      // `rm -rf /etc/nginx/conf.d/*`: everything under the folder (a `*` crosses '/' here, as the
      // recursive removal of a matched folder does).
      if (path.find_first_of("*?[") != std::string::npos && fnmatch(path.c_str(), file.image_path.c_str(), 0) == 0)
        return true;
    }
    return false;
  };
  files.erase(std::remove_if(files.begin(), files.end(), removed), files.end());
}

std::shared_ptr<const SourceFile> BuildContext::read(const ContextFile& file) const {
  if (file.heredoc || file.context_path.empty()) return nullptr;
  const Resolved& context = resolved();
  if (ignored(file.context_path)) return nullptr;
  return cache_->read(join(context.root, file.context_path), file.display_path, context.canonical_scan_root);
}

std::optional<ContextText> BuildContext::text(const ContextFile& file) const {
  if (file.heredoc) return ContextText{dockerfile_.file, file.heredoc->body};
  std::shared_ptr<const SourceFile> source = read(file);
  if (!source) return std::nullopt;
  ContextText text;
  text.text.append_copy(source->text(), 0);
  text.file = std::move(source);
  return text;
}

std::string image_path_from(std::string_view workdir, std::string_view path) {
  if (!path.empty() && path.front() == '/') return normalise_image_path(path);
  return normalise_image_path(join(workdir.empty() ? "/" : workdir, path));
}

}  // namespace shiftlint::docker
