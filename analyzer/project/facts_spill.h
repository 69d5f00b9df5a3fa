#pragma once
// The facts of a check run's files, set aside on disk between the per-file phase and the project
// phase, so that until the project phase a file's facts take the 16 bytes of their place on disk;
// the project phase holds what linking needs (paths, names, container images: a few hundred bytes
// a fact), and the bulk (host items, packages, environment, commands) for one app at a time.
//
// stow() is called by the per-file phase on each file's facts (any thread), and set_aside() then
// puts what is left of them on disk too until the project phase, which take_back()s every file's,
// links the apps, then restore()s the facts one app links to, computes its parity, runs the XF
// rules and release()s them. Without a temporary file (a read-only /tmp) facts stay in memory and
// every call here is a no-op.
#include <optional>

#include "analyzer/engine/spill_file.h"
#include "analyzer/project/app_links.h"

namespace shiftlint::project {

class FactsSpill {
 public:
  // Writes the bulk of every fact in `facts` to disk and drops it from memory (any thread).
  void stow(FileFacts& facts);

  // Reads back the bulk of the facts `app` links to; false on an I/O error (the facts that could
  // not be read stay without their bulk).
  bool restore(ProjectFacts& facts, const App& app) const;
  // Reads back every fact's bulk (for `shiftlint parity`, which keeps the whole project).
  bool restore_all(ProjectFacts& facts) const;
  // Drops again from memory what restore() read (it stays on disk).
  void release(ProjectFacts& facts, const App& app) const;

  // A file's facts, once stow() has set their bulk aside, go to disk whole until the project phase
  // (any thread): what linking reads of them (paths, names, images) is otherwise held for the
  // whole run, a few hundred bytes a fact, and the files' lists of facts with it. Returns where
  // they are and empties `facts`; nullopt when some bulk stayed in memory or the write failed
  // (then `facts` stay as they are).
  std::optional<StowedPart> set_aside(FileFacts& facts);
  // How many facts of each kind set_aside wrote at `where` (to size the merged lists before
  // reading them back); false on an I/O error.
  struct Counts {
    size_t host_files = 0, images = 0, deployments = 0, scheduled_runs = 0;
  };
  bool count_aside(const StowedPart& where, Counts& counts) const;
  // Reads back what set_aside wrote at `where`, appended to `facts` (their bulk still on disk, as
  // after stow()); false on an I/O error (then nothing is appended).
  bool take_back(const StowedPart& where, FileFacts& facts) const;

  // One deployment as set_aside writes it (its bulk already stowed), in a record of its own: the
  // project phase holds a DeploymentTable entry instead of the deployment while it links apps.
  // nullopt when its bulk is still in memory or the write failed (then the caller keeps it).
  std::optional<StowedPart> stow_linking(const DeploymentFacts& deployment);
  // Reads back what stow_linking wrote (the bulk stays on disk, for restore()); false on an I/O error.
  bool restore_linking(const StowedPart& where, DeploymentFacts& deployment) const;

  // The encoding of one fact's bulk, exposed for tests: stow writes it, restore reads it.
  static std::string encode_bulk(const HostFileFacts& facts);
  static std::string encode_bulk(const ImageFacts& facts);
  static std::string encode_bulk(const DeploymentFacts& facts);
  static std::string encode_bulk(const ScheduledRunFacts& facts);
  static bool decode_bulk(std::string_view bytes, HostFileFacts& facts);
  static bool decode_bulk(std::string_view bytes, ImageFacts& facts);
  static bool decode_bulk(std::string_view bytes, DeploymentFacts& facts);
  static bool decode_bulk(std::string_view bytes, ScheduledRunFacts& facts);
  // Empties the bulk of a fact (what encode_bulk writes), leaving what linking needs.
  static void drop_bulk(HostFileFacts& facts);
  static void drop_bulk(ImageFacts& facts);
  static void drop_bulk(DeploymentFacts& facts);
  static void drop_bulk(ScheduledRunFacts& facts);
  // The encoding set_aside writes (everything but the bulk), exposed for tests.
  static std::string encode_set_aside(const FileFacts& facts);
  static bool decode_set_aside(std::string_view bytes, FileFacts& facts);

 private:
  template <typename Facts>
  void stow_one(Facts& facts);
  template <typename Facts>
  bool restore_one(Facts& facts) const;

  SpillFile file_;
};

}  // namespace shiftlint::project
