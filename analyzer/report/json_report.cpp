// The JSON report: a stable, documented shape (docs/json-output.md) for scripts and dashboards.
// Columns are 1-based byte columns, as in the text report; SARIF is the format with UTF-16 columns.
#include <algorithm>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

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

// A finding's rule and its help URI, looked up once per rule id and writer, not per finding.
class RuleLookup {
 public:
  struct Entry {
    const Rule* rule;
    std::string help_uri;
  };
  const Entry& operator()(std::string_view rule_id) {
    auto found = entries_.find(rule_id);
    if (found != entries_.end()) return found->second;
    const Rule* rule = find_rule(rule_id);
    return entries_.emplace(rule_id, Entry{rule, rule ? rule_help_uri(*rule) : std::string()}).first->second;
  }

 private:
  std::unordered_map<std::string_view, Entry> entries_;  // keys view the findings' rule ids
};

void write_finding(JsonWriter& json, const Finding& finding, RuleLookup& rules) {
  const RuleLookup::Entry& entry = rules(finding.rule_id);
  const Rule* rule = entry.rule;
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
  if (rule) json.key("help_uri").string(entry.help_uri);
  else json.key("help_uri").null();
  json.end_object();
}

// Findings [begin, end) as elements of the report's findings array (open at depth 1).
std::string finding_elements(const std::vector<Finding>& findings, size_t begin, size_t end) {
  std::string out;
  JsonWriter json = JsonWriter::array_elements(out, 1, begin == 0);
  RuleLookup rules;
  for (size_t index = begin; index < end; ++index) write_finding(json, findings[index], rules);
  return out;
}

}  // namespace

std::string render_json(const RunSummary& run, unsigned jobs) {
  size_t errors = 0, warnings = 0, notes = 0;
  for (const Finding& finding : run.findings) {
    switch (finding.severity) {
      case Severity::Error: ++errors; break;
      case Severity::Warning: ++warnings; break;
      case Severity::Note: ++notes; break;
    }
  }
  // A large report is written in one part per job, each on its own thread, joined in order.
  constexpr size_t kFindingsPerPart = 2000;
  size_t parts = std::clamp<size_t>(run.findings.size() / kFindingsPerPart, 1, std::max(1u, jobs));
  std::vector<std::string> part_texts(parts);
  std::vector<std::thread> writers;
  for (size_t part = 1; part < parts; ++part)
    writers.emplace_back([&, part] {
      part_texts[part] = finding_elements(run.findings, part * run.findings.size() / parts,
                                          (part + 1) * run.findings.size() / parts);
    });
  part_texts[0] = finding_elements(run.findings, 0, run.findings.size() / parts);
  for (std::thread& writer : writers) writer.join();

  std::string out;
  size_t size = 512;
  for (const std::string& text : part_texts) size += text.size();
  out.reserve(size);
  JsonWriter json(out);
  json.begin_object();
  json.key("version").string("1");
  json.key("tool").begin_object();
  json.key("name").string("shiftlint");
  json.key("version").string(run.tool_version);
  json.end_object();
  json.key("findings").begin_array();
  for (std::string& text : part_texts) {
    json.append_elements(text);
    std::string().swap(text);
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
