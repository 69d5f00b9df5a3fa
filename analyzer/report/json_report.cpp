// The JSON report: a stable, documented shape (docs/json-output.md) for scripts and dashboards.
// Columns are 1-based byte columns, as in the text report; SARIF is the format with UTF-16 columns.
#include <nlohmann/json.hpp>

#include "analyzer/report/report.h"

namespace shiftlint {

namespace {

using Json = nlohmann::ordered_json;

// Sets line, column, end_line and end_column; all null for a finding about a whole file.
void set_span(Json& object, const Span& span) {
  if (span.empty()) {
    object["line"] = nullptr;
    object["column"] = nullptr;
    object["end_line"] = nullptr;
    object["end_column"] = nullptr;
    return;
  }
  object["line"] = span.begin.line;
  object["column"] = span.begin.column;
  object["end_line"] = span.end.line;
  object["end_column"] = span.end.column;
}

Json finding_json(const Finding& finding) {
  const Rule* rule = find_rule(finding.rule_id);
  Json object = Json::object();
  object["rule_id"] = finding.rule_id;
  object["slug"] = rule ? Json(std::string(rule->slug)) : Json(nullptr);
  object["severity"] = std::string(to_string(finding.severity));
  object["message"] = finding.message;
  object["path"] = finding.location.path;
  set_span(object, finding.location.span);

  Json related = Json::array();
  for (const RelatedLocation& location : finding.related) {
    Json entry = Json::object();
    entry["path"] = location.location.path;
    set_span(entry, location.location.span);
    entry["message"] = location.message;
    related.push_back(std::move(entry));
  }
  object["related"] = std::move(related);

  if (finding.fix) {
    Json edits = Json::array();
    for (const TextEdit& edit : finding.fix->edits) {
      Json entry = Json::object();
      entry["line"] = edit.span.begin.line;
      entry["column"] = edit.span.begin.column;
      entry["end_line"] = edit.span.end.line;
      entry["end_column"] = edit.span.end.column;
      entry["replacement"] = edit.replacement;
      edits.push_back(std::move(entry));
    }
    Json fix = Json::object();
    fix["description"] = finding.fix->description;
    fix["edits"] = std::move(edits);
    object["fix"] = std::move(fix);
  } else {
    object["fix"] = nullptr;
  }
  object["fingerprint"] = finding.fingerprint;
  object["help_uri"] = rule ? Json(rule_help_uri(*rule)) : Json(nullptr);
  return object;
}

}  // namespace

std::string render_json(const RunSummary& run) {
  size_t errors = 0, warnings = 0, notes = 0;
  Json findings = Json::array();
  for (const Finding& finding : run.findings) {
    switch (finding.severity) {
      case Severity::Error: ++errors; break;
      case Severity::Warning: ++warnings; break;
      case Severity::Note: ++notes; break;
    }
    findings.push_back(finding_json(finding));
  }

  Json report = Json::object();
  report["version"] = "1";
  report["tool"] = Json{{"name", "shiftlint"}, {"version", run.tool_version}};
  report["findings"] = std::move(findings);
  report["summary"] = Json{{"files_analyzed", run.files_analyzed},
                           {"errors", errors},
                           {"warnings", warnings},
                           {"notes", notes},
                           {"stale_baseline_entries", run.stale_baseline_entries}};
  // Messages and paths come from the analysed files and may hold invalid UTF-8: it becomes U+FFFD
  // rather than an exception.
  return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace shiftlint
