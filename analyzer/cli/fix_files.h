#pragma once
// `shiftlint check --fix`: applies the fixes rules declare to the files on disk, then lints again,
// until no fix applies (or a few passes have run), and returns the final lint for the report.
//
// A file is written only when its new text still parses as well as the old one (no new SL001) and
// the text it was linted from is still what is on disk; it is written atomically (a temporary file
// beside it, renamed over it, its permissions kept). Symbolic links and files that cannot be
// written are left alone with a message; the other files are still fixed.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/cli/baseline.h"
#include "analyzer/engine/check_run.h"

namespace shiftlint {

struct FixOutcome {
  CheckOutcome final_check;         // the lint after the last pass: what remains
  size_t fixed_findings = 0;        // fixes applied over all passes
  std::set<std::string> fixed_files;  // display paths of the files written
  std::vector<std::string> errors;    // files that could not be written ("path: reason")
  std::vector<std::string> warnings;  // files left alone on purpose (parse check, symlink, changed)
  size_t passes = 0;
};

// `baseline`: when given, findings it covers are not fixed (they are not reported either).
FixOutcome fix_files(const CheckRequest& request, const Baseline* baseline, size_t max_passes = 8);

}  // namespace shiftlint
