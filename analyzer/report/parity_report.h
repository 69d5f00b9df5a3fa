#pragma once
// The parity report (`shiftlint parity`): per linked app, what the old Elastic Beanstalk host was
// configured with and where each item lives now, or that it is missing. It presents the project's
// parity model (project/parity.h) and decides nothing itself: the XF rules read the same model.
//
// Text is for a person about to cut over: per app, the files that were linked and why, then a
// table (category, item, old-host location, status, where it is now) and a count. JSON is for a CI
// job: a stable, documented shape (docs/parity-output.md).
#include <string>

namespace shiftlint {

namespace project {
struct Project;
}

struct ParityReportOptions {
  std::string tool_version;  // "0.1.0"
  std::string scanned;       // the PATH as the user gave it, for the text report's first line
};

std::string render_parity_text(const project::Project& project, const ParityReportOptions& options);
std::string render_parity_json(const project::Project& project, const ParityReportOptions& options);

}  // namespace shiftlint
