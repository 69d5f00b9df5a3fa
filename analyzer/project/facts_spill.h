#pragma once
// The facts of a check run's files, set aside on disk between the per-file phase and the project
// phase, so that what stays in memory for the whole run is what linking needs (paths, names,
// container images: a few hundred bytes a fact), and the bulk (host items, packages, environment,
// commands) is in memory for one app at a time.
//
// stow() is called by the per-file phase on each file's facts (any thread); the project phase
// links the apps, then restore()s the facts one app links to, computes its parity, runs the XF
// rules and release()s them. Without a temporary file (a read-only /tmp) facts stay in memory and
// every call here is a no-op.
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

 private:
  template <typename Facts>
  void stow_one(Facts& facts);
  template <typename Facts>
  bool restore_one(Facts& facts) const;

  SpillFile file_;
};

}  // namespace shiftlint::project
