#pragma once
// The closing lines shared by the text and GitHub reports.
#include <string>

#include "analyzer/report/report.h"

namespace shiftlint {

// "Found 3 problems (1 error, 2 warnings, 0 notes) in 2 files." or "No problems found in 12
// files.", then, when baseline entries went stale, the line telling the user to rewrite it.
// Each line ends with '\n'.
std::string summary_lines(const ReportTotals& totals);

}  // namespace shiftlint
