// Writes SARIF reports with findings of every shape into a directory, for validate.mjs to check
// against the official schema: related locations, fixes, multi-byte UTF-8 lines, paths with
// spaces, invalid UTF-8, whole-file and multi-line spans, unknown rules, and a run with no
// findings.
//
//   make_sample_sarif OUTPUT_DIR   → OUTPUT_DIR/{findings,empty,no-root}.sarif
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/report/report.h"

namespace shiftlint {
namespace {

// A rule of this program only (never in the shiftlint binary), so that results with a ruleIndex
// exist even before any real rule is registered. It has no doc: help falls back to the summary.
// The registry keeps a pointer to the Rule, so the Rule is a named static, not a temporary.
const Rule kSampleRule{
    .id = "SMP001",
    .slug = "sample-rule",
    .severity = Severity::Warning,
    .summary = "A rule that exists only in the SARIF sample",
};
const RuleRegistration sample_rule{kSampleRule};

Location location(std::string path, uint32_t line, uint32_t column, uint32_t end_line,
                  uint32_t end_column, std::string begin_text, std::string end_text = {}) {
  if (end_line == line && end_text.empty()) end_text = begin_text;
  return {std::move(path),
          {{line, column}, {end_line, end_column}},
          std::move(begin_text),
          std::move(end_text)};
}

Finding finding(std::string rule_id, Severity severity, std::string message, Location at,
                std::string fingerprint) {
  Finding result;
  result.rule_id = std::move(rule_id);
  result.severity = severity;
  result.message = std::move(message);
  result.location = std::move(at);
  result.fingerprint = std::move(fingerprint);
  return result;
}

RunSummary sample_run() {
  RunSummary run;
  run.tool_version = "0.1.0";
  run.root_directory = "/home/ci/work/my app";
  run.files_analyzed = 4;

  // Every registered rule gets one plain finding.
  for (const Rule* rule : registered_rules()) {
    run.findings.push_back(finding(std::string(rule->id), rule->severity,
                                   std::string(rule->summary),
                                   location("ecs/web.json", 3, 5, 3, 20, R"(    "family": "web",)"),
                                   "fp-" + std::string(rule->id)));
  }

  // Related locations in another file whose path has spaces and non-ASCII letters, a fix, and
  // a line with é and an emoji before the span.
  Finding related = finding("SMP001", Severity::Error, "container \"café\" has no nofile ulimit",
                            location("ecs/web app/tâche #1.json", 4, 15, 4, 27,
                                     "  \"name\": \"caf\xC3\xA9 \xF0\x9F\x98\x80\", \"x\": 1"),
                            "fp-related");
  related.related.push_back(
      {location("docker/Docker file", 2, 1, 2, 10, "FROM app:1"), "the image is built here"});
  related.related.push_back({location("ecs/web app/tâche #1.json", 1, 1, 1, 2, "{"), ""});
  related.fix =
      Fix{"add a nofile ulimit",
          {{{{4, 27}, {4, 27}}, ", \"ulimits\": []"}, {{{5, 1}, {5, 1}}, "  // added\n"}}};
  run.findings.push_back(std::move(related));

  // Invalid UTF-8 in the message and in the line; a note; a span that runs over three lines.
  run.findings.push_back(finding(
      "SMP001", Severity::Note, "bad byte \xFF\xFE in value",
      location("eb/.ebextensions/01 cron.config", 7, 3, 9, 4, "  \xFF bad", "end"), "fp-invalid"));

  // A whole-file finding (no position) from a rule this build does not know.
  run.findings.push_back(
      finding("ZZZ999", Severity::Warning, "", {"Dockerfile", {}, "", ""}, "fp-unknown"));

  // A zero-width span at the end of a line, and a fix whose line text is unknown (left out of
  // SARIF rather than given wrong columns).
  Finding insertion = finding("SMP001", Severity::Warning, "missing stopTimeout",
                              location("ecs/web.json", 10, 8, 10, 8, "    }\t\xC3\xA9"), "fp-zero");
  insertion.fix = Fix{"", {{{{12, 3}, {12, 9}}, "stopTimeout"}}};
  run.findings.push_back(std::move(insertion));
  return run;
}

bool write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace
}  // namespace shiftlint

int main(int argc, char** argv) {
  using namespace shiftlint;
  if (argc != 2) {
    std::fputs("usage: make_sample_sarif OUTPUT_DIR\n", stderr);
    return 2;
  }
  const std::filesystem::path directory = argv[1];
  std::filesystem::create_directories(directory);

  RunSummary empty;
  empty.tool_version = "0.1.0";
  empty.root_directory = "/home/ci/work/my app";
  empty.files_analyzed = 12;

  RunSummary no_root = sample_run();
  no_root.root_directory.clear();

  const bool ok = write(directory / "findings.sarif", render_sarif(sample_run())) &&
                  write(directory / "empty.sarif", render_sarif(empty)) &&
                  write(directory / "no-root.sarif", render_sarif(no_root));
  if (!ok) {
    std::fprintf(stderr, "make_sample_sarif: cannot write into %s\n", directory.c_str());
    return 2;
  }
  return 0;
}
