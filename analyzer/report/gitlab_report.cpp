// GitLab Code Quality: the JSON array a CI job publishes as `artifacts: reports: codequality:`, so
// that merge requests show new and fixed findings. GitLab reads a subset of the Code Climate issue
// format: description, check_name, fingerprint (unique per issue: it tells new findings from old
// ones between the target and source branches), severity (info, minor, major, critical, blocker)
// and location {path, lines {begin}}, the path relative to the repository root.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/report/report.h"

namespace shiftlint {

namespace {

using Json = nlohmann::ordered_json;

std::string_view gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "critical";
    case Severity::Warning: return "major";
    case Severity::Note: return "minor";
  }
  return "major";
}

}  // namespace

std::string render_gitlab(const RunSummary& run) {
  Json issues = Json::array();
  for (const Finding& finding : run.findings) {
    const Rule* rule = find_rule(finding.rule_id);
    Json issue = Json::object();
    issue["description"] = fmt::format("{}: {}", finding.rule_id, finding.message);
    issue["check_name"] = rule ? fmt::format("{} {}", finding.rule_id, rule->slug) : finding.rule_id;
    issue["fingerprint"] = finding.fingerprint;
    issue["severity"] = gitlab_severity(finding.severity);
    issue["location"] = {{"path", finding.location.path},
                         {"lines", {{"begin", std::max<uint32_t>(1, finding.location.span.begin.line)}}}};
    issues.push_back(std::move(issue));
  }
  // Invalid UTF-8 in a message or path (a file name, a quoted line) becomes U+FFFD, never an exception.
  return issues.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace shiftlint
