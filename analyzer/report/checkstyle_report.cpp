// Checkstyle XML: what Jenkins (Warnings Next Generation), reviewdog (`-f=checkstyle`), SonarQube's
// external issues and many review bots read, as hadolint and ESLint write it. One <file> per file
// with findings, one <error> per finding; files are named from the repository's root, as CI
// checkouts name them, whatever folder shiftlint ran in (the scan root outside a repository).
#include <algorithm>

#include <fmt/format.h>

#include "analyzer/report/columns.h"
#include "analyzer/report/report.h"
#include "analyzer/report/repository_paths.h"
#include "analyzer/report/writers.h"
#include "analyzer/report/xml_text.h"

namespace shiftlint {

namespace {

std::string_view checkstyle_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "info";
  }
  return "warning";
}

class CheckstyleWriter final : public ReportWriter {
 public:
  explicit CheckstyleWriter(const std::string& root_directory) : paths_(root_directory) {}
  void begin(size_t) override { out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"; }
  void add(std::span<const Finding> findings) override {
    for (const Finding& finding : findings) {
      if (!open_ || finding.location.path != path_) {
        if (open_) out_ += "  </file>\n";
        path_ = finding.location.path;
        open_ = true;
        out_ += "  <file name=\"";
        append_xml_text(out_, paths_.name(path_).path);
        out_ += "\">\n";
      }
      const Rule* rule = find_rule(finding.rule_id);
      out_ += "    <error line=\"";
      append_xml_number(out_, std::max<uint32_t>(1, finding.location.span.begin.line));
      if (finding.location.span.begin.column > 0) {  // in UTF-16 units, as Java's Checkstyle and ESLint count
        out_ += "\" column=\"";
        append_xml_number(out_, utf16_column(finding.location.begin_line_text, finding.location.span.begin.column));
      }
      out_ += "\" severity=\"";
      out_ += checkstyle_severity(finding.severity);
      out_ += "\" message=\"";
      append_xml_text(out_, rule ? fmt::format("{} ({} {})", finding.message, finding.rule_id, rule->slug)
                                 : fmt::format("{} ({})", finding.message, finding.rule_id));
      out_ += "\" source=\"shiftlint.";
      append_xml_text(out_, finding.rule_id);
      out_ += "\"/>\n";
    }
  }
  void end(const ReportTotals&) override {
    if (open_) out_ += "  </file>\n";
    out_ += "</checkstyle>\n";
  }

 private:
  RepositoryPaths paths_;
  std::string path_;  // of the <file> open
  bool open_ = false;
};

}  // namespace

std::unique_ptr<ReportWriter> make_checkstyle_writer(const std::string& root_directory) {
  return std::make_unique<CheckstyleWriter>(root_directory);
}

std::string render_checkstyle(const RunSummary& run) {
  CheckstyleWriter writer(run.root_directory);
  return render_whole(writer, run);
}

}  // namespace shiftlint
