#pragma once
// The build context of a Dockerfile: the files on disk that COPY and ADD put into the image, and
// where each one lands. Rules read them to see what the image runs (an entrypoint script, a
// supervisord.conf, a crontab) and how its servers are configured (nginx, php-fpm, logrotate).
//
//   COPY docker/entrypoint.sh /usr/local/bin/     + ENTRYPOINT ["docker-entrypoint.sh"]
//   → files_copied_to("/usr/local/bin/docker-entrypoint.sh") = {docker/entrypoint.sh, ...}
//   → text(file): the script, with its display path, ready for the shell parser
//
// Where the context is: `docker build` takes it from the command line, which a linter does not
// see. The Dockerfile's folder is the usual one; compose files and CI scripts often pass the
// repository root with `-f docker/web/Dockerfile`. So the context is the folder, from the
// Dockerfile's own up to the scan root, where the most COPY sources exist (the nearest on a tie).
//
// What is never read: anything outside the scan root, through a symbolic link or not; files over
// kMaxContextFileBytes; binary files; files the context's .dockerignore excludes. Nothing is read
// before a rule asks, and each file is read once per run (ContextFileCache, shared by threads).
//
// COPY --from an earlier stage of the same Dockerfile brings what that stage got from the context
// (`COPY . .` in a build stage, then `COPY --from=build /app /app`: the Rails and Node layouts), so
// its files are followed there. Not modelled: COPY --from an image, what a stage's RUN steps build
// or change (a compiled binary is not in the context), ADD of URLs and archives
// (their content is not on disk as copied), RUN steps that later move or edit copied files, and
// a destination that is an existing folder of the base image unless it ends in '/' or is a
// well-known one (/usr/local/bin, /etc/nginx/conf.d, /etc/cron.d...).
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/source/glob.h"
#include "analyzer/source/once.h"
#include "analyzer/source/real_path.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_hash.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::docker {

inline constexpr uint64_t kMaxContextFileBytes = 1 << 20;

// Where a Dockerfile lies on disk and how reports name what is beside it.
struct ContextLocation {
  std::string dockerfile_folder;  // absolute, '/'-separated, no trailing '/'
  std::string display_folder;     // the same folder as reports name it: "docker/web", "" at the root
  std::string scan_root;          // absolute; nothing outside it is read, but its repository (BuildContext::resolved)
};

// Derives the location from the Dockerfile's path and display path (relative to the scan root,
// see DiscoveredFile). When the display path is not a suffix of the path (a single file given as
// "../x/Dockerfile" or absolute), the scan root is the Dockerfile's own folder. Either way the build
// context may extend above it to the root of its git repository (BuildContext::resolved).
ContextLocation context_location_of(const SourceFile& dockerfile);

// One file the image gets from the build context (or from a heredoc in the Dockerfile).
struct ContextFile {
  std::string context_path;  // '/'-separated, relative to the context root; empty for a heredoc
  std::string display_path;  // as reports name it; empty for a heredoc
  std::string image_path;    // absolute path in the image
  const Instruction* instruction = nullptr;  // the COPY or ADD
  const Heredoc* heredoc = nullptr;          // `COPY <<EOF /etc/cron.d/job`: the inline file
  std::optional<uint32_t> mode;              // --chmod=0755 (octal modes only)
};

// The text of a copied file and where its bytes are in a SourceFile: the context file itself, or
// the Dockerfile for a heredoc (so findings land on the heredoc's lines).
struct ContextText {
  std::shared_ptr<const SourceFile> file;
  TextMap text;
};

// How much ContextFileCache keeps before it starts again.
struct ContextCacheCeilings {
  size_t files = 4096;
  uint64_t file_bytes = 16u << 20;  // of text, in all
  size_t statuses = 16384;          // per map
  size_t real_paths = 8192;
};

// Context files read in one run, by scan root and absolute path; a failed read is cached as nullptr.
//
// Which of a run's own files a build context read: a file given to `check` that is none of the
// formats shiftlint lints (an entrypoint script, a crontab, a supervisord.conf) is analysed through
// the Dockerfiles that copy it, and counts as analysed when one of their contexts read it.
class NotedReads {
 public:
  explicit NotedReads(std::vector<std::string> display_paths);
  void saw(std::string_view display_path);  // from any thread
  bool was_read(std::string_view display_path) const;
  // Whether a watched file may be inside the folder a build context's files are named from
  // (BuildContext::display_root): yes for the scan root, a folder above it ("../") or an absolute one.
  bool may_be_within(std::string_view display_folder) const;

 private:
  const std::unordered_set<std::string, TextHash, std::equal_to<>> watched_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string, TextHash, std::equal_to<>> read_;
};

// Each map has a ceiling: when it is full it starts again empty (answers already handed out stay
// valid), so the cache of a repository of 80,000 files takes what one of 20,000 does. Dockerfiles
// come in path order, so what a Dockerfile shares with others it mostly shares with its neighbours:
// starting again costs a few system calls for the folders they have in common.
class ContextFileCache {
 public:
  using Ceilings = ContextCacheCeilings;
  explicit ContextFileCache(Ceilings ceilings = {});
  std::shared_ptr<const SourceFile> read(const std::string& path, const std::string& display_path,
                                         const std::string& scan_root);
  // A path's real path (symbolic links resolved), "" when it cannot be resolved. Kept for the run:
  // every Dockerfile of a scan shares the scan root and most folders above its context.
  std::string real_path(const std::string& path);
  // Real paths already resolved elsewhere in the run (discovery's), taken as they are.
  void remember_real_paths(const std::vector<std::pair<std::string, std::string>>& real_paths);
  // What stat(2) says of a path (lstat(2) when `follow_links` is false), kept for the run: the
  // Dockerfiles of one repository ask about the same candidate roots and context files, each
  // time again (a repository-wide entrypoint script, looked for from every Dockerfile's folder up).
  struct PathStatus {
    bool found = false;  // the call succeeded
    mode_t mode = 0;
    off_t size = 0;
  };
  PathStatus status(const std::string& path, bool follow_links = true);
  // The files that may be bake files (bake_file.h, may_be_bake_file) in `folder` and, with
  // `and_subfolders`, in its folders one level down (not .git or node_modules, at most 64):
  // absolute paths, kept for the run.
  std::vector<std::string> bake_candidates(const std::string& folder, bool and_subfolders);
  // What it holds now (for tests: each stays within its ceiling).
  struct Held {
    size_t files = 0;
    uint64_t file_bytes = 0;
    size_t statuses = 0;  // the larger map's
    size_t real_paths = 0;
  };
  Held held();
  // Notes the reads of these files (set before the run's threads start; shared by the run's caches).
  void note_reads(std::shared_ptr<NotedReads> notes) { notes_ = std::move(notes); }

 private:
  std::shared_ptr<NotedReads> notes_;
  // One lock per map, none held across a system call (but real_paths_mutex_, which RealPaths needs
  // for its walk: it asks status() from inside, so it is always taken first).
  std::mutex files_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const SourceFile>, TextHash, std::equal_to<>> files_;
  uint64_t file_bytes_ = 0;  // the texts in files_
  Ceilings ceilings_;
  std::mutex real_paths_mutex_;
  RealPaths real_paths_;
  std::mutex bake_mutex_;
  std::unordered_map<std::string, std::vector<std::string>, TextHash, std::equal_to<>> bake_candidates_;
  std::mutex status_mutex_;
  std::unordered_map<std::string, PathStatus, TextHash, std::equal_to<>> link_statuses_;  // lstat
  std::unordered_map<std::string, PathStatus, TextHash, std::equal_to<>> statuses_;       // stat, of symbolic links only
};

class BuildContext {
 public:
  // Cheap: records the COPY/ADD instructions; the disk is touched only by the queries. `dockerfile`
  // must outlive this object. Without a cache, the context keeps its own.
  BuildContext(const Dockerfile& dockerfile, ContextLocation location,
               std::shared_ptr<ContextFileCache> cache = nullptr);
  BuildContext(const BuildContext&) = delete;
  BuildContext& operator=(const BuildContext&) = delete;

  // The context file(s) at `image_path` in the image `stage` builds (default: the final stage),
  // from the last COPY that writes there. Usually one; empty when the path is not copied from the
  // context as far as the Dockerfile says.
  std::vector<ContextFile> files_copied_to(std::string_view image_path, const Stage* stage = nullptr) const;

  // The context file(s) a command name runs, as the image's PATH and WORKDIR resolve it:
  // "/docker-entrypoint.sh", "./bin/start" (relative to the stage's WORKDIR) or
  // "docker-entrypoint.sh" (searched in the default PATH folders).
  // The answer is kept: the reference stays valid as long as this object.
  const std::vector<ContextFile>& files_run_as(std::string_view program, const Stage* stage = nullptr) const;

  // Every file the stage's image gets from the context, in COPY order (a file copied twice appears
  // twice). Folders are walked up to kMaxListedFiles files in all, once per stage: the list is
  // kept, and the reference stays valid as long as this object.
  const std::vector<ContextFile>& copied_files(const Stage* stage = nullptr) const;
  // The same, with the files a later RUN of the image removes (`RUN rm -f /tmp/id_rsa`): still in
  // the COPY's layer, where a secret can be read back (DKR013).
  const std::vector<ContextFile>& files_ever_copied(const Stage* stage = nullptr) const;
  static constexpr size_t kMaxListedFiles = 20000;

  // The file's text; nullptr when it cannot or may not be read (missing, too large, binary,
  // outside the scan root).
  std::shared_ptr<const SourceFile> read(const ContextFile& file) const;
  // The text of a context file or heredoc, mapped; nullopt when unreadable.
  std::optional<ContextText> text(const ContextFile& file) const;

  // The named build contexts (`contexts = { base = "target:base" }`) that the `docker buildx
  // bake` targets building this Dockerfile give it (bake_file.h), from the bake files of its
  // repository (else its scan root): in its root and the root's folders one level down
  // (tests/build.hcl), and in the Dockerfile's folder and those above it. Found on the first call
  // (the disk is not asked before), kept for the next.
  const std::vector<std::string>& bake_contexts() const;

  // The folder taken as the context: absolute, and as reports name it.
  const std::string& root() const;
  const std::string& display_root() const;
  const ContextLocation& location() const { return location_; }

 private:
  struct Copy {
    const Instruction* instruction = nullptr;
    const Stage* stage = nullptr;
    std::vector<CopySource> sources;        // local paths and globs, heredocs
    std::vector<std::string> source_paths;  // expanded, normalised, context-relative; parallel
                                            // (empty for a heredoc and with from_stage)
    // COPY --from an earlier stage: its sources are paths of that stage's image (absolute,
    // normalised; parallel to `sources`, no globs), followed through that stage's own COPYs.
    const Stage* from_stage = nullptr;
    std::vector<std::string> from_paths;
    std::string destination;                 // absolute, normalised, without a trailing '/'
    bool destination_is_folder = false;
    std::optional<uint32_t> mode;
    // What each plain (not glob) source is on disk (SourceKind), found on the first look: PATH
    // searches ask every COPY to /usr/local/bin/ about each program a script runs.
    mutable std::vector<uint8_t> source_kinds;
  };
  enum SourceKind : uint8_t { kUnknown = 0, kFile, kFolder, kNeither };
  // A readable regular file, a folder, or neither (missing, outside the scan root, dockerignored).
  SourceKind kind_of(const std::string& context_path) const;
  struct Resolved {
    std::string root;          // absolute
    std::string display_root;  // "" at the scan root
    size_t levels_above_display = 0;  // a root above the folder display_root names ("../")
    std::string display_base;         // the folder display_root names, absolute (as `root` is)
    std::string canonical_scan_root;  // nothing outside it is read: the scan root, or its repository's root
    IgnoreRules dockerignore;
  };

  const Resolved& resolved() const;
  // The COPY/ADD instructions that fill the stage's image: its own and its base stages'.
  const std::vector<const Copy*>& copies_of(const Stage* stage) const;
  std::vector<const Copy*> collect_copies_of(const Stage* stage) const;
  std::vector<ContextFile> search_run_as(std::string_view program, const Stage* stage) const;
  bool is_regular_file(const std::string& context_path) const;
  bool is_folder(const std::string& context_path) const;
  bool check_regular_file(const std::string& context_path) const;
  bool check_folder(const std::string& context_path) const;
  bool folder_inside_scan_root(const std::string& folder) const;
  std::string display_path_of(const std::string& context_path) const;
  std::vector<ContextFile> list_copied_files(const Stage* stage) const;
  void drop_removed_files(const Stage* stage, std::vector<ContextFile>& files) const;
  // files_copied_to for a COPY --from an earlier stage that writes at or above `wanted`.
  std::vector<ContextFile> files_copied_from_stage(const Copy& copy, std::string_view wanted) const;
  std::vector<std::string> list_glob(const std::string& pattern) const;
  // Disk answers, asked many times per Dockerfile (one BuildContext per file, one thread).
  mutable std::unordered_map<std::string, bool, TextHash, std::equal_to<>> regular_file_answers_;
  mutable std::unordered_map<std::string, bool, TextHash, std::equal_to<>> folder_answers_;
  mutable std::unordered_map<std::string, std::vector<std::string>, TextHash, std::equal_to<>> glob_answers_;
  // files_run_as answers by stage and program: the start-up walk asks it for every command of every
  // script (`echo`, `apt-get`...), each a search of the PATH folders through every COPY.
  // By stage, then by program name, looked up without building a key string.
  using RunAsAnswers = std::unordered_map<std::string, std::vector<ContextFile>, TextHash, std::equal_to<>>;
  mutable std::unordered_map<const Stage*, RunAsAnswers> run_as_answers_;
  mutable std::unordered_map<const Stage*, std::vector<const Copy*>> copies_answers_;
  // The PATH a stage's programs are searched in, and per folder whether a COPY of the stage writes
  // at or above it: where none does, only a COPY to exactly <folder>/<program> can put a program
  // there, which files_run_as tells without building the path.
  struct PathSearch {
    std::vector<std::string> folders;  // absolute
    std::vector<bool> written;         // parallel; true also for a folder not in normal form
  };
  mutable std::unordered_map<const Stage*, PathSearch> path_searches_;
  const PathSearch& path_search_of(const Stage* stage) const;
  // copied_files by stage: six rules and the cron walk list the same stage's files.
  mutable std::unordered_map<const Stage*, std::vector<ContextFile>> copied_files_answers_;
  mutable std::unordered_map<const Stage*, std::vector<ContextFile>> ever_copied_answers_;
  // By absolute folder: whether its real path is inside the scan root.
  mutable std::unordered_map<std::string, bool, TextHash, std::equal_to<>> folder_inside_answers_;
  bool ignored(const std::string& context_path) const;
  const std::vector<std::string>& glob(const std::string& pattern) const;
  ContextFile make_file(const Copy& copy, std::string context_path, std::string image_path) const;
  void list_folder(const Copy& copy, const std::string& folder, const std::string& image_folder,
                   std::vector<ContextFile>& out) const;

  const Dockerfile& dockerfile_;
  ContextLocation location_;
  std::shared_ptr<ContextFileCache> cache_;
  std::vector<Copy> copies_;  // in file order
  mutable Once resolve_once_;
  mutable Resolved resolved_;
  mutable Once bake_once_;
  mutable std::vector<std::string> bake_contexts_;
};

// A path in the image as a command run in `workdir` names it: "media" under /usr/src/app is
// "/usr/src/app/media"; absolute and normal ("/a/./b/../c/" is "/a/c"); an empty WORKDIR is "/".
std::string image_path_from(std::string_view workdir, std::string_view path);

}  // namespace shiftlint::docker
