#pragma once
// The report of a `check` run whose findings are read back in order while it is written
// (engine/finding_stream.h): pieces of about a megabyte go out as they are made, so that neither
// the findings nor the report are ever whole in memory.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/cli/baseline.h"
#include "analyzer/engine/finding_stream.h"
#include "analyzer/engine/severity.h"
#include "analyzer/report/report.h"

namespace shiftlint {

struct StreamedReport {
  ReportTotals totals;
  bool fails = false;      // a finding at or above the threshold was reported
  size_t unreadable = 0;   // files whose findings could not be read back (left out)
  std::string error;       // from `write`: the report is incomplete
};

// Writes the findings of `stream` the baseline does not cover through `writer`, giving each piece
// of the report to `write` (which returns "" or why it failed). `files_analyzed`: the run's; with
// more than one of `jobs`, the report is written on a thread beside the one reading the findings.
// `rename`, when given, is applied to each finding the report shows, after the baseline has judged
// it by its own paths (the text and JSON reports name files from the working directory).
StreamedReport write_streamed_report(const FindingStream& stream, ReportWriter& writer, const Baseline* baseline,
                                     std::optional<Severity> fail_threshold, size_t files_analyzed, unsigned jobs,
                                     const std::function<std::string(std::string_view)>& write,
                                     const std::function<void(Finding&)>& rename = nullptr);

}  // namespace shiftlint
