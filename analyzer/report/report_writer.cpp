#include <set>
#include <string_view>

#include "analyzer/report/report.h"
#include "analyzer/report/writers.h"

namespace shiftlint {

void ReportTotals::count(const Finding& finding, bool new_path) {
  ++findings;
  switch (finding.severity) {
    case Severity::Error: ++errors; break;
    case Severity::Warning: ++warnings; break;
    case Severity::Note: ++notes; break;
  }
  if (new_path) ++files_with_findings;
}

ReportTotals totals_of(const RunSummary& run) {
  ReportTotals totals;
  std::set<std::string_view> paths;
  for (const Finding& finding : run.findings) totals.count(finding, paths.insert(finding.location.path).second);
  totals.files_analyzed = run.files_analyzed;
  totals.stale_baseline_entries = run.stale_baseline_entries;
  return totals;
}

std::string render_whole(ReportWriter& writer, const RunSummary& run) {
  writer.begin(run.findings.size());
  writer.add(run.findings);
  writer.end(totals_of(run));
  return std::move(writer.output());
}

std::unique_ptr<ReportWriter> make_report_writer(ReportFormat format, const ReportSettings& settings) {
  switch (format) {
    case ReportFormat::Text: return make_text_writer(settings.style);
    case ReportFormat::Json: return make_json_writer(settings);
    case ReportFormat::Sarif: return make_sarif_writer(settings);
    case ReportFormat::Github: return make_github_writer(settings.root_directory);
    case ReportFormat::Gitlab: return make_gitlab_writer(settings.root_directory);
    case ReportFormat::Junit: return make_junit_writer(settings.root_directory);
    case ReportFormat::Checkstyle: return make_checkstyle_writer(settings.root_directory);
  }
  return make_text_writer(settings.style);
}

}  // namespace shiftlint
