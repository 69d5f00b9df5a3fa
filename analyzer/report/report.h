#pragma once
// Reports render the findings of one run. Each format is a ReportWriter, which writes the report as
// the findings come, in report order (a run never holds them all, engine/finding_stream.h), and a
// function from RunSummary to text for findings already in memory.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {

struct RunSummary {
  std::vector<Finding> findings;  // already filtered, suppressed and sorted (finding_order)
  size_t files_analyzed = 0;      // files that were classified and linted
  std::string tool_version;       // e.g. "0.1.0"
  // Absolute path of the scan root: the base that finding paths are relative to
  // (SARIF's %SRCROOT%).
  std::string root_directory;
  // Baseline entries that no longer match any finding (shown in the summary line); 0 without one.
  size_t stale_baseline_entries = 0;
};

enum class ReportFormat { Text, Json, Sarif, Github, Gitlab, Junit, Checkstyle };

struct TextStyle {
  bool color = false;       // ANSI colours (only on a TTY, never with --output, never with NO_COLOR)
  bool code_frames = true;  // print the source line with a caret under the finding
};

// What a report states after its findings (the summary lines, the JSON summary).
struct ReportTotals {
  size_t findings = 0, errors = 0, warnings = 0, notes = 0;
  size_t files_with_findings = 0;  // distinct paths among the findings
  size_t files_analyzed = 0;
  size_t stale_baseline_entries = 0;
  // Counts `finding`; `new_path`: its path is none of the findings counted before (in report
  // order, a path differs from the previous finding's).
  void count(const Finding& finding, bool new_path);
};

// One report written in three steps: begin, the findings in report order (in batches), end. Each
// step appends to output(), which the caller may write out and empty between steps.
class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // Whether begin needs the exact number of findings that will follow, when there are at most
  // `at_most` (SARIF states it before them when it is over GitHub's limit).
  virtual bool needs_count(size_t at_most) const {
    (void)at_most;
    return false;
  }
  // `findings`: how many findings will follow (exact when needs_count said so).
  virtual void begin(size_t findings) = 0;
  virtual void add(std::span<const Finding> findings) = 0;
  virtual void end(const ReportTotals& totals) = 0;
  std::string& output() { return out_; }

 protected:
  std::string out_;
};

// What the writers know of the run besides its findings.
struct ReportSettings {
  std::string tool_version;    // RunSummary::tool_version
  std::string root_directory;  // RunSummary::root_directory
  TextStyle style;             // the text report's
  unsigned jobs = 1;           // threads a large batch of JSON findings may be written on
};

std::unique_ptr<ReportWriter> make_report_writer(ReportFormat format, const ReportSettings& settings);

std::string render_text(const RunSummary& run, const TextStyle& style);
// `jobs`: threads a large report may be written on (the output is the same whatever the number).
std::string render_json(const RunSummary& run, unsigned jobs = 1);
std::string render_sarif(const RunSummary& run);
std::string render_github(const RunSummary& run);
// GitLab Code Quality (a JSON array of Code Climate issues): docs/gitlab-code-quality.md.
std::string render_gitlab(const RunSummary& run);
// JUnit XML and Checkstyle XML, for CI systems' test and warning views: docs/xml-reports.md.
std::string render_junit(const RunSummary& run);
std::string render_checkstyle(const RunSummary& run);

// Where a rule's documentation lives for people (SARIF helpUri, LSP codeDescription).
std::string rule_help_uri(const Rule& rule);

}  // namespace shiftlint
