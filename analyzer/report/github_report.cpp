// GitHub Actions workflow commands: each finding becomes an annotation on the pull request
// (`::warning file=...,line=...::message`), without uploading SARIF.
#include <fmt/format.h>

#include "analyzer/report/columns.h"
#include "analyzer/report/report.h"
#include "analyzer/report/repository_paths.h"
#include "analyzer/report/summary.h"
#include "analyzer/report/writers.h"

namespace shiftlint {

namespace {

std::string_view command(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "notice";
  }
  return "warning";
}

// The runner's escaping (actions/toolkit `escapeData`/`escapeProperty`): '%', CR and LF in the
// message; additionally ':' and ',' in property values, which would end the value. Invalid UTF-8
// becomes U+FFFD so that the log stays readable.
std::string escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (size_t offset = 0; offset < text.size();) {
    const Utf8Sequence sequence = decode_utf8(text, offset);
    if (!sequence.valid) {
      out += "\xEF\xBF\xBD";
    } else {
      switch (sequence.code_point) {
        case '%': out += "%25"; break;
        case '\r': out += "%0D"; break;
        case '\n': out += "%0A"; break;
        case ':': out += property ? "%3A" : ":"; break;
        case ',': out += property ? "%2C" : ","; break;
        default: out.append(text.substr(offset, sequence.length));
      }
    }
    offset += sequence.length;
  }
  return out;
}

class GithubWriter final : public ReportWriter {
 public:
  explicit GithubWriter(const std::string& root_directory) : paths_(root_directory) {}
  void begin(size_t) override {}
  void add(std::span<const Finding> findings) override {
    for (const Finding& finding : findings) {
      const Location& location = finding.location;
      const Span& span = location.span;
      std::string properties = "file=" + escape(paths_.name(location.path).path, true);
      if (!span.empty()) {
        properties += fmt::format(",line={}", span.begin.line);
        // The runner drops columns unless the annotation stays on one line. Columns are UTF-16
        // code units, as the web page that shows them counts.
        if (span.begin.line == span.end.line && span.begin.column > 0) {
          properties +=
              fmt::format(",col={}", utf16_column(location.begin_line_text, span.begin.column));
          properties += fmt::format(",endLine={},endColumn={}", span.end.line,
                                    utf16_column(location.end_line_text, span.end.column));
        } else {
          properties += fmt::format(",endLine={}", span.end.line);
        }
      }
      const Rule* rule = find_rule(finding.rule_id);
      const std::string title =
          rule ? fmt::format("{} {}", finding.rule_id, rule->slug) : finding.rule_id;
      properties += ",title=" + escape(title, true);
      out_ += fmt::format("::{} {}::{}\n", command(finding.severity), properties,
                          escape(finding.message, false));
    }
  }
  void end(const ReportTotals& totals) override { out_ += summary_lines(totals); }

 private:
  RepositoryPaths paths_;  // annotations name files from the repository's root
};

}  // namespace

std::unique_ptr<ReportWriter> make_github_writer(const std::string& root_directory) {
  return std::make_unique<GithubWriter>(root_directory);
}

std::string render_github(const RunSummary& run) {
  GithubWriter writer(run.root_directory);
  return render_whole(writer, run);
}

}  // namespace shiftlint
