// JUnit XML: the test report format every CI system shows (Jenkins' junit step, GitLab's
// `artifacts: reports: junit:`, Azure Pipelines' PublishTestResults, CircleCI, Buildkite), as ruff
// and ESLint write it for lint results. One <testsuite> per file with findings, one failing
// <testcase> per finding (named by its rule, so a CI system's history follows a finding when lines
// move), the file named from the repository's root as CI checkouts name it. A run without
// findings is one passing test case: CI systems treat a report with no test cases as an error.
#include <algorithm>

#include <fmt/format.h>

#include "analyzer/engine/severity.h"
#include "analyzer/report/report.h"
#include "analyzer/report/repository_paths.h"
#include "analyzer/report/writers.h"
#include "analyzer/report/xml_text.h"

namespace shiftlint {

namespace {

class JunitWriter final : public ReportWriter {
 public:
  explicit JunitWriter(const std::string& root_directory) : paths_(root_directory) {}
  // The totals come first, on <testsuites>.
  bool needs_count(size_t) const override { return true; }
  void begin(size_t findings) override {
    findings_ = findings;
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shiftlint\" tests=\"";
    append_xml_number(out_, std::max<size_t>(1, findings));
    out_ += "\" failures=\"";
    append_xml_number(out_, findings);
    out_ += "\" errors=\"0\">\n";
  }
  void add(std::span<const Finding> findings) override {
    for (const Finding& finding : findings) {
      if (cases_ == 0 || finding.location.path != path_) {
        flush();
        path_ = finding.location.path;
        named_ = paths_.name(path_).path;
      }
      const Rule* rule = find_rule(finding.rule_id);
      std::string name = rule ? fmt::format("{} {}", finding.rule_id, rule->slug) : finding.rule_id;
      uint32_t line = std::max<uint32_t>(1, finding.location.span.begin.line);
      uint32_t column = std::max<uint32_t>(1, finding.location.span.begin.column);
      cases_text_ += "    <testcase name=\"";
      append_xml_text(cases_text_, name);
      cases_text_ += "\" classname=\"";
      append_xml_text(cases_text_, named_);
      cases_text_ += "\" file=\"";
      append_xml_text(cases_text_, named_);
      cases_text_ += "\" line=\"";
      append_xml_number(cases_text_, line);
      cases_text_ += "\">\n      <failure type=\"";
      cases_text_ += to_string(finding.severity);
      cases_text_ += "\" message=\"";
      append_xml_text(cases_text_, finding.message);
      cases_text_ += "\">";
      append_xml_text(cases_text_, fmt::format("{}:{}:{}: {}: {} [{}]", named_, line, column, to_string(finding.severity),
                                               finding.message, name));
      if (rule) {
        cases_text_ += '\n';
        append_xml_text(cases_text_, rule_help_uri(*rule));
      }
      cases_text_ += "</failure>\n    </testcase>\n";
      ++cases_;
    }
  }
  void end(const ReportTotals& totals) override {
    flush();
    if (findings_ == 0) {
      out_ += "  <testsuite name=\"shiftlint\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"";
      append_xml_text(out_, fmt::format("{} file{} analysed, no findings", totals.files_analyzed,
                                        totals.files_analyzed == 1 ? "" : "s"));
      out_ += "\" classname=\"shiftlint\"/>\n  </testsuite>\n";
    }
    out_ += "</testsuites>\n";
  }

 private:
  // Writes the test suite of the file whose findings came so far.
  void flush() {
    if (cases_ == 0) return;
    out_ += "  <testsuite name=\"";
    append_xml_text(out_, named_);
    out_ += "\" tests=\"";
    append_xml_number(out_, cases_);
    out_ += "\" failures=\"";
    append_xml_number(out_, cases_);
    out_ += "\" errors=\"0\">\n";
    out_ += cases_text_;
    out_ += "  </testsuite>\n";
    cases_text_.clear();
    cases_ = 0;
  }

  RepositoryPaths paths_;
  size_t findings_ = 0;
  std::string path_;   // the file whose test cases are being gathered
  std::string named_;  // its name in the report
  std::string cases_text_;
  size_t cases_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> make_junit_writer(const std::string& root_directory) {
  return std::make_unique<JunitWriter>(root_directory);
}

std::string render_junit(const RunSummary& run) {
  JunitWriter writer(run.root_directory);
  return render_whole(writer, run);
}

}  // namespace shiftlint
