#pragma once
// A baseline records the fingerprints of accepted findings, so a CI gate fails only on new ones.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "analyzer/engine/finding.h"

namespace shiftlint {

struct Baseline {
  std::map<std::string, size_t> fingerprints;  // fingerprint -> how many findings it covers
};

std::string render_baseline(const std::vector<Finding>& findings);
// The baseline, or a message "path: reason" when it cannot be read.
std::variant<Baseline, std::string> load_baseline(const std::string& path);
// Drops findings the baseline covers; returns how many baseline entries matched nothing.
size_t filter_by_baseline(std::vector<Finding>& findings, const Baseline& baseline);

// The same, one finding at a time in report order (a streamed report, engine/finding_stream.h).
class BaselineFilter {
 public:
  explicit BaselineFilter(const Baseline& baseline) : remaining_(baseline.fingerprints) {}
  // Whether the baseline covers `finding` (each entry covers as many findings as it counts).
  bool covers(const Finding& finding);
  // Baseline entries that matched nothing so far.
  size_t stale() const;

 private:
  std::map<std::string, size_t> remaining_;
};

}  // namespace shiftlint
