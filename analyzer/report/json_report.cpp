// The JSON report: a stable, documented shape (docs/json-output.md) for scripts and dashboards.
// Columns are 1-based byte columns, as in the text report; SARIF is the format with UTF-16 columns.
#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"

namespace shiftlint {

namespace {

// Sets line, column, end_line and end_column; all null for a finding about a whole file.
void write_span(JsonWriter& json, const Span& span) {
  if (span.empty()) {
    json.key("line").null();
    json.key("column").null();
    json.key("end_line").null();
    json.key("end_column").null();
    return;
  }
  json.key("line").number(span.begin.line);
  json.key("column").number(span.begin.column);
  json.key("end_line").number(span.end.line);
  json.key("end_column").number(span.end.column);
}

void write_finding(JsonWriter& json, const Finding& finding) {
  const Rule* rule = find_rule(finding.rule_id);
  json.begin_object();
  json.key("rule_id").string(finding.rule_id);
  if (rule) json.key("slug").string(rule->slug);
  else json.key("slug").null();
  json.key("severity").string(to_string(finding.severity));
  json.key("message").string(finding.message);
  json.key("path").string(finding.location.path);
  write_span(json, finding.location.span);

  json.key("related").begin_array();
  for (const RelatedLocation& location : finding.related) {
    json.begin_object();
    json.key("path").string(location.location.path);
    write_span(json, location.location.span);
    json.key("message").string(location.message);
    json.end_object();
  }
  json.end_array();

  if (finding.fix) {
    json.key("fix").begin_object();
    json.key("description").string(finding.fix->description);
    json.key("edits").begin_array();
    for (const TextEdit& edit : finding.fix->edits) {
      json.begin_object();
      json.key("line").number(edit.span.begin.line);
      json.key("column").number(edit.span.begin.column);
      json.key("end_line").number(edit.span.end.line);
      json.key("end_column").number(edit.span.end.column);
      json.key("replacement").string(edit.replacement);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  } else {
    json.key("fix").null();
  }
  json.key("fingerprint").string(finding.fingerprint);
  if (rule) json.key("help_uri").string(rule_help_uri(*rule));
  else json.key("help_uri").null();
  json.end_object();
}

}  // namespace

std::string render_json(const RunSummary& run) {
  size_t errors = 0, warnings = 0, notes = 0;
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.key("version").string("1");
  json.key("tool").begin_object();
  json.key("name").string("shiftlint");
  json.key("version").string(run.tool_version);
  json.end_object();
  json.key("findings").begin_array();
  for (const Finding& finding : run.findings) {
    switch (finding.severity) {
      case Severity::Error: ++errors; break;
      case Severity::Warning: ++warnings; break;
      case Severity::Note: ++notes; break;
    }
    write_finding(json, finding);
  }
  json.end_array();
  json.key("summary").begin_object();
  json.key("files_analyzed").number(run.files_analyzed);
  json.key("errors").number(errors);
  json.key("warnings").number(warnings);
  json.key("notes").number(notes);
  json.key("stale_baseline_entries").number(run.stale_baseline_entries);
  json.end_object();
  json.end_object();
  // Messages and paths come from the analysed files and may hold invalid UTF-8: the writer puts
  // U+FFFD in its place.
  out += '\n';
  return out;
}

}  // namespace shiftlint
