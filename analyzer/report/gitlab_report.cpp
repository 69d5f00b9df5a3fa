// GitLab Code Quality: the JSON array a CI job publishes as `artifacts: reports: codequality:`, so
// that merge requests show new and fixed findings. GitLab reads a subset of the Code Climate issue
// format: description, check_name, fingerprint (unique per issue: it tells new findings from old
// ones between the target and source branches), severity (info, minor, major, critical, blocker)
// and location {path, lines {begin}}, the path relative to the repository root.
#include <algorithm>

#include <fmt/format.h>

#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"
#include "analyzer/report/repository_paths.h"
#include "analyzer/report/writers.h"

namespace shiftlint {

namespace {

std::string_view gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "critical";
    case Severity::Warning: return "major";
    case Severity::Note: return "minor";
  }
  return "major";
}

class GitlabWriter final : public ReportWriter {
 public:
  explicit GitlabWriter(const std::string& root_directory) : paths_(root_directory) {}
  void begin(size_t) override { json_.begin_array(); }
  void add(std::span<const Finding> findings) override {
    JsonWriter& json = json_;
    for (const Finding& finding : findings) {
      const Rule* rule = find_rule(finding.rule_id);
      json.begin_object();
      json.key("description").string(fmt::format("{}: {}", finding.rule_id, finding.message));
      json.key("check_name").string(rule ? fmt::format("{} {}", finding.rule_id, rule->slug) : finding.rule_id);
      json.key("fingerprint").string(finding.fingerprint);
      json.key("severity").string(gitlab_severity(finding.severity));
      json.key("location").begin_object();
      json.key("path").string(paths_.name(finding.location.path).path);
      json.key("lines").begin_object();
      json.key("begin").number(std::max<uint32_t>(1, finding.location.span.begin.line));
      json.end_object();
      json.end_object();
      json.end_object();
    }
  }
  void end(const ReportTotals&) override {
    json_.end_array();
    // Invalid UTF-8 in a message or path (a file name, a quoted line) becomes U+FFFD, never an exception.
    out_ += '\n';
  }

 private:
  RepositoryPaths paths_;  // Code Quality names files from the repository's root
  JsonWriter json_{out_};
};

}  // namespace

std::unique_ptr<ReportWriter> make_gitlab_writer(const std::string& root_directory) {
  return std::make_unique<GitlabWriter>(root_directory);
}

std::string render_gitlab(const RunSummary& run) {
  GitlabWriter writer(run.root_directory);
  return render_whole(writer, run);
}

}  // namespace shiftlint
