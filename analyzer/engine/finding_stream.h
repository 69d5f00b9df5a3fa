#pragma once
// A check run's findings in report order, read back from the spill file while the report is
// written (engine/finding_spill.h): a k-way merge of each file's findings (sorted before they were
// set aside) with those of the later phases (Terraform, Helm, the project), so that neither all the
// findings nor the whole report are ever in memory. One file's findings are read when the merge
// reaches the first of them and freed when its last is out; as files come in path order, only a
// few are open at once.
//
// The order is that of a stable sort by finding_order of the phases' findings followed by the
// files' in discovery order; then one finding per place (the first), fingerprints in that order.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/engine/finding_spill.h"

namespace shiftlint {

class FindingStream {
 public:
  // One file's findings, sorted by finding_order: on disk, or in memory when they could not be
  // written there.
  struct FileFindings {
    std::optional<FindingSpill::Record> spilled;
    std::vector<Finding> findings;  // when not spilled
    // Where the first of them is: the merge reads the rest when it gets there.
    std::string first_path;
    Position first_position;
    // keep_file_finding decides on them: false for a phase's findings, filtered before.
    bool filtered = true;
  };

  // `phases`: the later phases' findings, filtered and sorted; `files`: in discovery order (a
  // phase's lists, `filtered` false, may come first: ties go to the earlier source);
  // `keep_file_finding`: whether a file's finding is reported (config suppressions, findings a
  // phase made again with more context); `fingerprint_path`: how fingerprints name a finding's
  // file (FingerprintPath, engine/check_run.h; null: its display path).
  FindingStream(std::shared_ptr<const FindingSpill> spill, std::vector<Finding> phases,
                std::vector<FileFindings> files, std::function<bool(const Finding&)> keep_file_finding,
                std::function<std::string(std::string_view)> fingerprint_path = nullptr);

  // The number of findings before filtering and one-per-place: at least as many as come out.
  size_t at_most() const { return at_most_; }

  // Calls `visit` with each finding in report order, fingerprinted; `visit` may move from it.
  // May be called again (the same findings again). Returns how many files' findings could not be
  // read back (they are left out).
  size_t for_each(const std::function<void(Finding&)>& visit) const;

 private:
  std::shared_ptr<const FindingSpill> spill_;
  std::vector<Finding> phases_;
  std::vector<FileFindings> files_;
  std::function<bool(const Finding&)> keep_file_finding_;
  std::function<std::string(std::string_view)> fingerprint_path_;
  size_t at_most_ = 0;
};

}  // namespace shiftlint
