// The JSON report: a stable, documented shape (docs/json-output.md) for scripts and dashboards.
// Columns are 1-based byte columns, as in the text report; SARIF is the format with UTF-16 columns.
#include <algorithm>
#include <span>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"
#include "analyzer/report/writers.h"

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

// Findings as elements of the report's findings array (open at depth 1); `first`: none before them.
std::string finding_elements(std::span<const Finding> findings, bool first) {
  std::string out;
  JsonWriter json = JsonWriter::array_elements(out, 1, first);
  RuleLookup rules;  // per call: its keys view these findings
  for (const Finding& finding : findings) write_finding(json, finding, rules);
  return out;
}

class JsonReportWriter final : public ReportWriter {
 public:
  explicit JsonReportWriter(const ReportSettings& settings)
      : tool_version_(settings.tool_version), jobs_(std::max(1u, settings.jobs)) {}

  void begin(size_t) override {
    json_.begin_object();
    json_.key("version").string("1");
    json_.key("tool").begin_object();
    json_.key("name").string("shiftlint");
    json_.key("version").string(tool_version_);
    json_.end_object();
    json_.key("findings").begin_array();
  }

  void add(std::span<const Finding> findings) override {
    if (findings.empty()) return;
    // A large batch is written in one part per job, each on its own thread, joined in order.
    constexpr size_t kFindingsPerPart = 2000;
    size_t parts = std::clamp<size_t>(findings.size() / kFindingsPerPart, 1, jobs_);
    std::vector<std::string> part_texts(parts);
    auto part_of = [&](size_t part) {
      return findings.subspan(part * findings.size() / parts,
                              (part + 1) * findings.size() / parts - part * findings.size() / parts);
    };
    std::vector<std::thread> writers;
    for (size_t part = 1; part < parts; ++part)
      writers.emplace_back([&, part] { part_texts[part] = finding_elements(part_of(part), false); });
    part_texts[0] = finding_elements(part_of(0), !written_any_);
    for (std::thread& writer : writers) writer.join();
    size_t size = out_.size();
    for (const std::string& text : part_texts) size += text.size();
    out_.reserve(size);
    for (std::string& text : part_texts) {
      json_.append_elements(text);
      std::string().swap(text);
    }
    written_any_ = true;
  }

  void end(const ReportTotals& totals) override {
    json_.end_array();
    json_.key("summary").begin_object();
    json_.key("files_analyzed").number(totals.files_analyzed);
    json_.key("errors").number(totals.errors);
    json_.key("warnings").number(totals.warnings);
    json_.key("notes").number(totals.notes);
    json_.key("stale_baseline_entries").number(totals.stale_baseline_entries);
    json_.end_object();
    json_.end_object();
    // Messages and paths come from the analysed files and may hold invalid UTF-8: the writer puts
    // U+FFFD in its place.
    out_ += '\n';
  }

 private:
  std::string tool_version_;
  unsigned jobs_;
  JsonWriter json_{out_};
  bool written_any_ = false;
};

}  // namespace

std::unique_ptr<ReportWriter> make_json_writer(const ReportSettings& settings) {
  return std::make_unique<JsonReportWriter>(settings);
}

std::string render_json(const RunSummary& run, unsigned jobs) {
  ReportSettings settings;
  settings.tool_version = run.tool_version;
  settings.jobs = jobs;
  JsonReportWriter writer(settings);
  return render_whole(writer, run);
}

}  // namespace shiftlint
