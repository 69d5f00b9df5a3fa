#pragma once
// Reports render the findings of one run. Each format is a function from RunSummary to text.
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

enum class ReportFormat { Text, Json, Sarif, Github, Gitlab };

struct TextStyle {
  bool color = false;       // ANSI colours (only on a TTY, never with --output, never with NO_COLOR)
  bool code_frames = true;  // print the source line with a caret under the finding
};

std::string render_text(const RunSummary& run, const TextStyle& style);
// `jobs`: threads a large report may be written on (the output is the same whatever the number).
std::string render_json(const RunSummary& run, unsigned jobs = 1);
std::string render_sarif(const RunSummary& run);
std::string render_github(const RunSummary& run);
// GitLab Code Quality (a JSON array of Code Climate issues): docs/gitlab-code-quality.md.
std::string render_gitlab(const RunSummary& run);

// Where a rule's documentation lives for people (SARIF helpUri, LSP codeDescription).
std::string rule_help_uri(const Rule& rule);

}  // namespace shiftlint
