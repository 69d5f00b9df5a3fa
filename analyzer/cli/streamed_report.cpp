#include "analyzer/cli/streamed_report.h"

#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/batch_hand_over.h"

namespace shiftlint {

StreamedReport write_streamed_report(const FindingStream& stream, ReportWriter& writer, const Baseline* baseline,
                                     std::optional<Severity> fail_threshold, size_t files_analyzed, unsigned jobs,
                                     const std::function<std::string(std::string_view)>& write,
                                     const std::function<void(Finding&)>& rename) {
  StreamedReport report;
  // A format that states the number of findings before them (SARIF over its limit) gets it from a
  // first pass that only counts.
  size_t count = stream.at_most();
  if (writer.needs_count(count)) {
    count = 0;
    std::optional<BaselineFilter> filter;
    if (baseline) filter.emplace(*baseline);
    stream.for_each([&](Finding& finding) { count += !filter || !filter->covers(finding); });
  }

  constexpr size_t kBatch = 1024;             // findings handed to the writer at once
  constexpr size_t kPiece = size_t(1) << 20;  // bytes of report written out at once
  auto write_out = [&](bool all) {
    std::string& out = writer.output();
    if (!report.error.empty() || (!all && out.size() < kPiece)) return;
    report.error = write(out);
    out.clear();
  };
  writer.begin(count);
  // With several jobs the batches are written on a thread of their own while the merge reads the
  // next ones: reading back and writing out take about as long, and nothing else runs then.
  BatchHandOver hand_over(jobs > 1, [&](std::vector<Finding>& batch) {
    writer.add(batch);
    write_out(false);
  });
  std::vector<Finding> batch;
  batch.reserve(kBatch);
  std::optional<BaselineFilter> filter;
  if (baseline) filter.emplace(*baseline);
  std::string last_path;
  report.unreadable = stream.for_each([&](Finding& finding) {
    if (filter && filter->covers(finding)) return;
    report.totals.count(finding, report.totals.findings == 0 || finding.location.path != last_path);
    last_path = finding.location.path;
    if (fail_threshold && finding.severity <= *fail_threshold) report.fails = true;
    if (rename) rename(finding);
    batch.push_back(std::move(finding));
    if (batch.size() == kBatch) hand_over.give(batch);
  });
  hand_over.give(batch);
  hand_over.finish();
  report.totals.files_analyzed = files_analyzed;
  if (filter) report.totals.stale_baseline_entries = filter->stale();
  writer.end(report.totals);
  write_out(true);
  return report;
}

}  // namespace shiftlint
