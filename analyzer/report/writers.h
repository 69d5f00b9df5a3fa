#pragma once
// The report writers of each format (report.h), and the whole report of findings in memory.
#include <memory>
#include <string>

#include "analyzer/report/report.h"

namespace shiftlint {

std::unique_ptr<ReportWriter> make_text_writer(const TextStyle& style);
std::unique_ptr<ReportWriter> make_json_writer(const ReportSettings& settings);
std::unique_ptr<ReportWriter> make_sarif_writer(const ReportSettings& settings);
std::unique_ptr<ReportWriter> make_github_writer(const std::string& root_directory);
std::unique_ptr<ReportWriter> make_gitlab_writer(const std::string& root_directory);
std::unique_ptr<ReportWriter> make_junit_writer(const std::string& root_directory);
std::unique_ptr<ReportWriter> make_checkstyle_writer(const std::string& root_directory);

// The totals of findings in memory, in any order.
ReportTotals totals_of(const RunSummary& run);
// The whole report of `run`, written by `writer` in one batch.
std::string render_whole(ReportWriter& writer, const RunSummary& run);

}  // namespace shiftlint
