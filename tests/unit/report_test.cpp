// The four report formats, from hand-built runs: what a user sees in a terminal, what a script
// reads from JSON, what GitHub ingests as SARIF or workflow commands.
#include "analyzer/report/report.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzer/report/columns.h"
#include "analyzer/report/repository_paths.h"

using namespace shiftlint;
using Json = nlohmann::json;

namespace {

Location location(std::string path, uint32_t line, uint32_t column, uint32_t end_line,
                  uint32_t end_column, std::string begin_text, std::string end_text = {}) {
  if (end_line == line && end_text.empty()) end_text = begin_text;
  return {std::move(path),
          {{line, column}, {end_line, end_column}},
          std::move(begin_text),
          std::move(end_text)};
}

Finding finding(std::string rule_id, Severity severity, std::string message, Location at,
                std::string fingerprint = "fp") {
  Finding result;
  result.rule_id = std::move(rule_id);
  result.severity = severity;
  result.message = std::move(message);
  result.location = std::move(at);
  result.fingerprint = std::move(fingerprint);
  return result;
}

// SL001 (parse-error) is in every build: the engine reports it itself.
const Rule& parse_error_rule() {
  const Rule* rule = find_rule("SL001");
  REQUIRE(rule != nullptr);
  return *rule;
}

// A line with a two-byte (é) and a four-byte (😀, two UTF-16 units) character before the span.
const std::string kWideLine = "  \"name\": \"caf\xC3\xA9 \xF0\x9F\x98\x80\", \"cpu\": 1";
// Bytes: `  "name": "` is 11, `café` 5, space 1, emoji 4, `", ` 3: `"cpu"` begins at byte
// column 25.
constexpr uint32_t kCpuByteColumn = 25;

RunSummary two_findings() {
  parse_error_rule();
  RunSummary run;
  run.files_analyzed = 2;
  run.tool_version = "0.1.0";
  run.root_directory = "/home/ci/my app";
  Finding first = finding("SL001", Severity::Error, "cpu is not a number",
                          location("ecs/web.json", 3, 12, 3, 17, "    \"cpu\": \"abc\","), "fp-1");
  first.related.push_back({location("ecs/other.json", 1, 1, 1, 2, "{"), "defined here"});
  run.findings.push_back(std::move(first));
  run.findings.push_back(finding("ZZZ999", Severity::Warning, "no slug known",
                                 location("eb/app.config", 10, 2, 10, 5, "\tkey: value"), "fp-2"));
  return run;
}

std::string line_of(const std::string& text, size_t index) {
  size_t begin = 0;
  for (size_t i = 0; i < index; ++i) begin = text.find('\n', begin) + 1;
  return text.substr(begin, text.find('\n', begin) - begin);
}

size_t code_points(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

// --- columns
// --------------------------------------------------------------------------------------

TEST_CASE("report: UTF-16 columns count é as one unit and an emoji as two") {
  CHECK(utf16_column(kWideLine, 1) == 1);
  CHECK(utf16_column(kWideLine, 12) == 12);  // the `c` of café
  CHECK(utf16_column(kWideLine, 17) == 16);  // after é (2 bytes, 1 unit)
  CHECK(utf16_column(kWideLine, 18) == 17);  // the emoji begins
  CHECK(utf16_column(kWideLine, 22) == 19);  // after the emoji (4 bytes, 2 units)
  CHECK(utf16_column(kWideLine, kCpuByteColumn) == 22);
  CHECK(utf16_column(kWideLine, 19) == 19);  // inside the emoji: after it
  CHECK(utf16_column("ab", 5) == 5);         // past the end: one unit per byte
  CHECK(utf16_column("ab", 0) == 0);
}

TEST_CASE("report: UTF-16 columns count each invalid UTF-8 byte as one unit") {
  CHECK(utf16_column("\xFF\xFEx", 3) == 3);
  CHECK(utf16_column("\xE2\x82x", 3) == 3);      // a truncated three-byte sequence
  CHECK(utf16_column("\xC0\xAFx", 3) == 3);      // an overlong '/'
  CHECK(utf16_column("\xED\xA0\x80x", 4) == 4);  // an encoded surrogate
  CHECK(utf16_column("\xE2\x82\xACx", 4) == 2);  // a valid € is one unit
}

// --- text
// -----------------------------------------------------------------------------------------

TEST_CASE("report: text prints compiler-style lines, code frames, notes and a summary") {
  const std::string expected =
      "ecs/web.json:3:12: error: cpu is not a number [SL001 parse-error]\n"
      " 3 |     \"cpu\": \"abc\",\n"
      "   |            ^~~~~\n"
      "  ecs/other.json:1:1: note: defined here\n"
      "\n"
      "eb/app.config:10:2: warning: no slug known [ZZZ999]\n"
      " 10 |     key: value\n"
      "    |     ^~~\n"
      "\n"
      "Found 2 problems (1 error, 1 warning, 0 notes) in 2 files.\n";
  CHECK(render_text(two_findings(), {}) == expected);
}

TEST_CASE("report: text without code frames is one line per finding and its notes") {
  TextStyle style;
  style.code_frames = false;
  const std::string expected =
      "ecs/web.json:3:12: error: cpu is not a number [SL001 parse-error]\n"
      "  ecs/other.json:1:1: note: defined here\n"
      "eb/app.config:10:2: warning: no slug known [ZZZ999]\n"
      "\n"
      "Found 2 problems (1 error, 1 warning, 0 notes) in 2 files.\n";
  CHECK(render_text(two_findings(), style) == expected);
}

TEST_CASE("report: text colours severity, path and rule id only when asked") {
  TextStyle style;
  style.color = true;
  style.code_frames = false;
  const std::string text = render_text(two_findings(), style);
  CHECK(line_of(text, 0) ==
        "\x1b[1mecs/web.json\x1b[0m:3:12: \x1b[1;31merror:\x1b[0m cpu is not a number "
        "\x1b[2m[SL001 parse-error]\x1b[0m");
  CHECK(line_of(text, 1) ==
        "  \x1b[1mecs/other.json\x1b[0m:1:1: \x1b[1;36mnote:\x1b[0m defined here");
  CHECK(line_of(text, 2).find("\x1b[1;33mwarning:\x1b[0m") != std::string::npos);
  CHECK(render_text(two_findings(), {}).find('\x1b') == std::string::npos);
}

TEST_CASE("report: text carets follow the span on lines with tabs and wide characters") {
  RunSummary run;
  run.files_analyzed = 1;
  SECTION("after an emoji (two cells) the caret moves two columns") {
    run.findings.push_back(
        finding("ZZZ999", Severity::Note, "m",
                location("a.json", 1, kCpuByteColumn, 1, kCpuByteColumn + 5, kWideLine)));
    const std::string text = render_text(run, {});
    CHECK(line_of(text, 1) == " 1 | " + kWideLine);
    // 21 cells before "cpu": 20 characters, one of them two cells wide.
    CHECK(line_of(text, 2) == "   | " + std::string(21, ' ') + "^~~~~");
  }
  SECTION("a multi-line span is underlined to the end of its first line") {
    run.findings.push_back(
        finding("ZZZ999", Severity::Note, "m", location("a.yaml", 4, 3, 6, 2, "  env:\tx", "y")));
    const std::string text = render_text(run, {});
    CHECK(line_of(text, 1) == " 4 |   env:  x");  // the tab stops at column 8
    CHECK(line_of(text, 2) == "   |   ^~~~~~~");
  }
  SECTION("an empty span gets one caret, at the end of the line when it points past it") {
    run.findings.push_back(
        finding("ZZZ999", Severity::Note, "m", location("a.json", 2, 2, 2, 2, "ab")));
    run.findings.push_back(
        finding("ZZZ999", Severity::Note, "m", location("a.json", 3, 3, 3, 3, "ab")));
    run.findings.push_back(
        finding("ZZZ999", Severity::Note, "m", location("a.json", 4, 90, 4, 99, "ab")));
    const std::string text = render_text(run, {});
    CHECK(line_of(text, 1) == " 2 | ab");
    CHECK(line_of(text, 2) == "   |  ^");
    CHECK(line_of(text, 6) == "   |   ^");
    CHECK(line_of(text, 10) == "   |   ^");
  }
}

TEST_CASE("report: text cuts long lines around the caret with an ellipsis") {
  const std::string line = std::string(200, 'a') + "TARGET" + std::string(200, 'b');
  RunSummary run;
  run.files_analyzed = 1;
  run.findings.push_back(
      finding("ZZZ999", Severity::Error, "m", location("a.json", 7, 201, 7, 207, line)));
  const std::string text = render_text(run, {});
  const std::string source = line_of(text, 1);
  const std::string carets = line_of(text, 2);
  REQUIRE(source.starts_with(" 7 | \xE2\x80\xA6"));
  CHECK(source.ends_with("b\xE2\x80\xA6"));
  CHECK(code_points(source) <= 5 + 120);
  // The carets stand under TARGET, counted in characters as a terminal shows them.
  const size_t target = code_points(source.substr(0, source.find("TARGET")));
  CHECK(carets == "   | " + std::string(target - 5, ' ') + "^~~~~~");
}

TEST_CASE("report: text never passes control characters or invalid UTF-8 to the terminal") {
  RunSummary run;
  run.files_analyzed = 1;
  run.findings.push_back(finding("ZZZ999", Severity::Warning, "two\nlines \x1b[31m\xFF",
                                 location("a.sh", 1, 5, 1, 6, "echo\x1b[2J \xFFx")));
  const std::string text = render_text(run, {});
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(line_of(text, 0) == "a.sh:1:5: warning: two lines \xEF\xBF\xBD[31m\xEF\xBF\xBD [ZZZ999]");
  CHECK(line_of(text, 1) == " 1 | echo\xEF\xBF\xBD[2J \xEF\xBF\xBDx");
  CHECK(line_of(text, 2) == "   |     ^");
}

TEST_CASE("report: text summary counts with singular and plural words") {
  RunSummary run;
  run.files_analyzed = 1;
  CHECK(render_text(run, {}) == "No problems found in 1 file.\n");
  run.files_analyzed = 12;
  CHECK(render_text(run, {}) == "No problems found in 12 files.\n");

  run.findings.push_back(
      finding("ZZZ999", Severity::Note, "m", location("a.json", 1, 1, 1, 2, "{")));
  run.files_analyzed = 1;
  TextStyle compact;
  compact.code_frames = false;
  CHECK(line_of(render_text(run, compact), 2) ==
        "Found 1 problem (0 errors, 0 warnings, 1 note) in 1 file.");

  run.stale_baseline_entries = 1;
  CHECK(line_of(render_text(run, compact), 3) ==
        "1 baseline entry no longer matches (fixed or moved): update the baseline with "
        "--write-baseline.");
  run.stale_baseline_entries = 3;
  CHECK(line_of(render_text(run, compact), 3) ==
        "3 baseline entries no longer match (fixed or moved): update the baseline with "
        "--write-baseline.");
}

TEST_CASE("report: text names a file-level finding without a position and shows its fix") {
  RunSummary run;
  run.files_analyzed = 1;
  Finding whole_file =
      finding("ZZZ999", Severity::Error, "cannot read", {"bin/data.json", {}, "", ""});
  whole_file.fix = Fix{"delete the file", {}};
  run.findings.push_back(std::move(whole_file));
  CHECK(render_text(run, {}) ==
        "bin/data.json: error: cannot read [ZZZ999]\n"
        "  help: delete the file\n"
        "\n"
        "Found 1 problem (1 error, 0 warnings, 0 notes) in 1 file.\n");
}

// --- json
// -----------------------------------------------------------------------------------------

TEST_CASE("report: json has the documented shape with byte columns") {
  RunSummary run = two_findings();
  run.stale_baseline_entries = 2;
  run.findings[0].fix = Fix{"quote it", {{{{3, 12}, {3, 17}}, "\"1024\""}}};
  const std::string text = render_json(run);
  CHECK(
      text.starts_with("{\n  \"version\": \"1\",\n  \"tool\": {\n    \"name\": \"shiftlint\",\n"));
  CHECK(text.ends_with("}\n"));

  const Json report = Json::parse(text);
  CHECK(report["tool"] == Json({{"name", "shiftlint"}, {"version", "0.1.0"}}));
  REQUIRE(report["findings"].size() == 2);
  const Json& first = report["findings"][0];
  CHECK(first["rule_id"] == "SL001");
  CHECK(first["slug"] == "parse-error");
  CHECK(first["severity"] == "error");
  CHECK(first["message"] == "cpu is not a number");
  CHECK(first["path"] == "ecs/web.json");
  CHECK(first["line"] == 3);
  CHECK(first["column"] == 12);
  CHECK(first["end_line"] == 3);
  CHECK(first["end_column"] == 17);
  CHECK(first["related"] == Json::parse(R"([{"path": "ecs/other.json", "line": 1, "column": 1,
      "end_line": 1, "end_column": 2, "message": "defined here"}])"));
  CHECK(first["fix"] == Json::parse(R"({"description": "quote it", "edits": [{"line": 3,
      "column": 12, "end_line": 3, "end_column": 17, "replacement": "\"1024\""}]})"));
  CHECK(first["fingerprint"] == "fp-1");
  CHECK(first["help_uri"] == rule_help_uri(parse_error_rule()));

  const Json& second = report["findings"][1];
  CHECK(second["slug"].is_null());
  CHECK(second["help_uri"].is_null());
  CHECK(second["fix"].is_null());
  CHECK(second["related"] == Json::array());
  CHECK(report["summary"] == Json::parse(R"({"files_analyzed": 2, "errors": 1, "warnings": 1,
      "notes": 0, "stale_baseline_entries": 2})"));

  // Key order is part of the contract.
  const auto ordered = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : ordered["findings"][0].items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"rule_id", "slug", "severity", "message", "path", "line",
                                         "column", "end_line", "end_column", "related", "fix",
                                         "fingerprint", "help_uri"});
}

TEST_CASE("report: json written on several threads is the same report") {
  RunSummary run = two_findings();
  for (int i = 0; i < 9000; ++i) {
    Finding copy = run.findings[i % 2];
    copy.message += " " + std::to_string(i);
    run.findings.push_back(std::move(copy));
  }
  const std::string one = render_json(run, 1);
  CHECK(render_json(run, 2) == one);
  CHECK(render_json(run, 3) == one);
  CHECK(Json::parse(one)["findings"].size() == 9002);
}

TEST_CASE("report: json keeps multi-byte columns in bytes and replaces invalid UTF-8") {
  RunSummary run;
  run.files_analyzed = 1;
  run.findings.push_back(
      finding("ZZZ999", Severity::Note, "bad \xFF byte",
              location("a.json", 1, kCpuByteColumn, 1, kCpuByteColumn + 5, kWideLine)));
  run.findings.push_back(finding("ZZZ999", Severity::Note, "whole file", {"b.json", {}, "", ""}));
  const Json report = Json::parse(render_json(run));
  CHECK(report["findings"][0]["column"] == kCpuByteColumn);
  CHECK(report["findings"][0]["message"] == "bad \xEF\xBF\xBD byte");
  CHECK(report["findings"][1]["line"].is_null());
  CHECK(report["findings"][1]["end_column"].is_null());
  CHECK(Json::parse(render_json(RunSummary{}))["findings"] == Json::array());
}

// --- sarif
// ----------------------------------------------------------------------------------------

TEST_CASE("report: sarif run carries the tool, every registered rule and the source root") {
  const Json log = Json::parse(render_sarif(two_findings()));
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const Json& run = log["runs"][0];
  CHECK(run["columnKind"] == "utf16CodeUnits");
  CHECK(run["invocations"] == Json::parse(R"([{"executionSuccessful": true}])"));
  CHECK(run["originalUriBaseIds"] ==
        Json::parse(R"({"%SRCROOT%": {"uri": "file:///home/ci/my%20app/"}})"));

  const Json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "shiftlint");
  CHECK(driver["version"] == "0.1.0");
  CHECK(driver["semanticVersion"] == "0.1.0");
  CHECK(driver["informationUri"] == "https://github.com/shiftlint/shiftlint");
  const auto& rules = registered_rules();
  REQUIRE(driver["rules"].size() == rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const Json& descriptor = driver["rules"][i];
    CHECK(descriptor["id"] == std::string(rules[i]->id));
    CHECK(descriptor["name"] == std::string(rules[i]->slug));
    CHECK(descriptor["shortDescription"]["text"] == std::string(rules[i]->summary));
    const std::string full = descriptor["fullDescription"]["text"];
    CHECK(!full.empty());
    CHECK_FALSE(full.starts_with("#"));
    CHECK_FALSE(full.starts_with("**"));
    CHECK(descriptor["defaultConfiguration"]["level"] ==
          std::string(to_string(rules[i]->severity)));
    CHECK(descriptor["properties"]["tags"] == Json::array({std::string(rules[i]->family())}));
    CHECK(descriptor["helpUri"] == rule_help_uri(*rules[i]));
    if (!rules[i]->doc().empty()) {
      CHECK(descriptor["help"]["markdown"] == std::string(rules[i]->doc()));
      CHECK(std::string(rules[i]->doc()).find(full.substr(0, 20)) != std::string::npos);
    }
  }
}

TEST_CASE("report: sarif results point at relative, encoded URIs with UTF-16 columns") {
  RunSummary summary = two_findings();
  Finding wide = finding("SL001", Severity::Note, "bad \xFF byte",
                         location("ecs/web app/t\xC3\xA2"
                                  "che #1.json",
                                  2, kCpuByteColumn, 2, kCpuByteColumn + 5, kWideLine),
                         "fp-3");
  wide.related.push_back({location("docker/Docker file", 1, 1, 1, 5, "FROM x"), "built here"});
  wide.fix = Fix{"rename",
                 {{{{2, kCpuByteColumn}, {2, kCpuByteColumn + 5}}, "\"memory\""},
                  {{{3, 1}, {3, 1}}, "  \"x\": 1,\n"}}};
  summary.findings.push_back(std::move(wide));
  const Json run = Json::parse(render_sarif(summary))["runs"][0];
  REQUIRE(run["results"].size() == 3);

  const Json& first = run["results"][0];
  const auto& rules = registered_rules();
  const size_t sl001 = static_cast<size_t>(
      std::find(rules.begin(), rules.end(), &parse_error_rule()) - rules.begin());
  CHECK(first["ruleId"] == "SL001");
  CHECK(first["ruleIndex"] == sl001);
  CHECK(first["level"] == "error");
  CHECK(first["message"]["text"] == "cpu is not a number");
  CHECK(first["partialFingerprints"] == Json::parse(R"({"shiftlint/v1": "fp-1"})"));
  CHECK(first["locations"][0]["physicalLocation"] == Json::parse(R"({
      "artifactLocation": {"uri": "ecs/web.json", "uriBaseId": "%SRCROOT%"},
      "region": {"startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 17,
                 "snippet": {"text": "\"abc\""}}})"));
  CHECK(first["relatedLocations"][0]["id"] == 1);
  CHECK(first["relatedLocations"][0]["message"]["text"] == "defined here");
  CHECK_FALSE(first.contains("fixes"));

  const Json& unknown = run["results"][1];
  CHECK(unknown["ruleId"] == "ZZZ999");
  CHECK_FALSE(unknown.contains("ruleIndex"));
  CHECK(unknown["level"] == "warning");

  const Json& third = run["results"][2];
  CHECK(third["level"] == "note");
  CHECK(third["message"]["text"] == "bad \xEF\xBF\xBD byte");
  const Json& physical = third["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "ecs/web%20app/t%C3%A2che%20%231.json");
  CHECK(physical["region"]["startColumn"] == 22);
  CHECK(physical["region"]["endColumn"] == 27);
  CHECK(third["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "docker/Docker%20file");
  CHECK(third["fixes"] == Json::parse(R"([{"description": {"text": "rename"}, "artifactChanges": [{
      "artifactLocation": {"uri": "ecs/web%20app/t%C3%A2che%20%231.json", "uriBaseId": "%SRCROOT%"},
      "replacements": [
        {"deletedRegion": {"startLine": 2, "startColumn": 22, "endLine": 2, "endColumn": 27},
         "insertedContent": {"text": "\"memory\""}},
        {"deletedRegion": {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 1},
         "insertedContent": {"text": "  \"x\": 1,\n"}}]}]}])"));
}

TEST_CASE(
    "report: sarif leaves out a fix whose columns it cannot convert, and empty runs are valid") {
  RunSummary summary;
  summary.files_analyzed = 3;
  Finding unknown_line =
      finding("ZZZ999", Severity::Warning, "m", location("a.json", 1, 1, 1, 2, "{"));
  unknown_line.fix = Fix{"edit line 9", {{{{9, 4}, {9, 6}}, "x"}}};
  summary.findings.push_back(std::move(unknown_line));
  summary.findings.push_back(finding("ZZZ999", Severity::Warning, "", {"Dockerfile", {}, "", ""}));
  const Json run = Json::parse(render_sarif(summary))["runs"][0];
  CHECK_FALSE(run["results"][0].contains("fixes"));
  CHECK_FALSE(run.contains("originalUriBaseIds"));  // no root directory given
  // A whole-file finding is shown on line 1 and never has an empty message.
  CHECK(run["results"][1]["locations"][0]["physicalLocation"]["region"] ==
        Json::parse(R"({"startLine": 1})"));
  CHECK(run["results"][1]["message"]["text"] == "ZZZ999");

  const Json empty = Json::parse(render_sarif(RunSummary{}))["runs"][0];
  CHECK(empty["results"] == Json::array());
  CHECK(empty["tool"]["driver"]["rules"].size() == registered_rules().size());
}

TEST_CASE("report: sarif encodes the source root and file paths as URIs") {
  RunSummary summary;
  summary.root_directory = "C:\\src\\my app";
  summary.findings.push_back(
      finding("ZZZ999", Severity::Note, "m", location("a:b\\c?#%.json", 1, 1, 1, 2, "{")));
  const Json run = Json::parse(render_sarif(summary))["runs"][0];
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///C:/src/my%20app/");
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "a%3Ab%5Cc%3F%23%25.json");
}

TEST_CASE("report: rule help URIs point at the rule's doc in the repository") {
  CHECK(rule_help_uri(parse_error_rule()) == "https://github.com/shiftlint/shiftlint/blob/main/" +
                                                 std::string(parse_error_rule().doc_path()));
  CHECK(parse_error_rule().doc_path().starts_with("rules/"));
  const Rule undocumented{.id = "ZZZ999", .slug = "not-registered", .summary = "not registered"};
  CHECK(rule_help_uri(undocumented) == "https://github.com/shiftlint/shiftlint#rules");
}

// --- github
// ---------------------------------------------------------------------------------------

TEST_CASE("report: github prints one workflow command per finding and the summary") {
  RunSummary run = two_findings();
  run.findings.push_back(finding("ZZZ999", Severity::Note, "spans lines",
                                 location("k8s/app.yaml", 4, 3, 6, 2, "  env:", "  x")));
  run.findings.push_back(
      finding("ZZZ999", Severity::Warning, "whole file", {"Dockerfile", {}, "", ""}));
  CHECK(render_github(run) ==
        "::error file=ecs/web.json,line=3,col=12,endLine=3,endColumn=17,title=SL001 "
        "parse-error::cpu is not a number\n"
        "::warning file=eb/app.config,line=10,col=2,endLine=10,endColumn=5,title=ZZZ999::no slug "
        "known\n"
        "::notice file=k8s/app.yaml,line=4,endLine=6,title=ZZZ999::spans lines\n"
        "::warning file=Dockerfile,title=ZZZ999::whole file\n"
        "Found 4 problems (1 error, 2 warnings, 1 note) in 4 files.\n");
}

TEST_CASE("report: github escapes data and properties like the Actions runner") {
  RunSummary run;
  run.files_analyzed = 1;
  run.findings.push_back(
      finding("ZZZ999", Severity::Error, "50% done\r\nnext: a,b::c",
              location("dir,1/a:b%.json", 1, kCpuByteColumn, 1, kCpuByteColumn + 5, kWideLine)));
  CHECK(line_of(render_github(run), 0) ==
        "::error file=dir%2C1/a%3Ab%25.json,line=1,col=22,endLine=1,endColumn=27,title=ZZZ999"
        "::50%25 done%0D%0Anext: a,b::c");
}

TEST_CASE("report: the text and JSON reports name files from the working directory") {
  using shiftlint::WorkingDirectoryPaths;
  // The scan root is the working directory (`check .`, pre-commit): nothing changes.
  CHECK(WorkingDirectoryPaths("/repo", "/repo").unchanged());
  CHECK(WorkingDirectoryPaths("/repo/", "/repo").unchanged());
  // `check infra` from the repository's root.
  WorkingDirectoryPaths below("/repo/infra", "/repo");
  CHECK_FALSE(below.unchanged());
  CHECK(below.name("web/Dockerfile") == "infra/web/Dockerfile");
  CHECK(below.name("../Chart.yaml") == "Chart.yaml");
  CHECK(below.name("/etc/hosts") == "/etc/hosts");  // typed absolute
  // `check ../b/Dockerfile Dockerfile` from /repo/svc/a: the scan root is /repo/svc.
  WorkingDirectoryPaths sibling("/repo/svc", "/repo/svc/a");
  CHECK(sibling.name("a/Dockerfile") == "Dockerfile");
  CHECK(sibling.name("b/Dockerfile") == "../b/Dockerfile");
  CHECK(sibling.name("a") == ".");
  CHECK(sibling.name("../x.tf") == "../../x.tf");
  CHECK(WorkingDirectoryPaths("/repo", "/repo/svc/a").name("") == "");
  WorkingDirectoryPaths above("/repo", "/other/place");
  CHECK(above.name("svc/a/Dockerfile") == "../../repo/svc/a/Dockerfile");
  CHECK(WorkingDirectoryPaths("/", "/repo").name("etc/app.yaml") == "../etc/app.yaml");
  CHECK(WorkingDirectoryPaths("/repo", "/").name("a/Dockerfile") == "repo/a/Dockerfile");
  CHECK(WorkingDirectoryPaths("/repo/a", "/repo/a/b/c").name("") == "");
  CHECK(WorkingDirectoryPaths("/repo/a", "/repo/a/b/c").name(".") == "../..");
}

// --- JUnit and Checkstyle XML
// -----------------------------------------------------------------------------------

TEST_CASE("report: junit has one failing test case per finding, grouped by file, with totals first") {
  RunSummary run = two_findings();
  run.findings.push_back(finding("SL001", Severity::Note, "second in the same file",
                                 location("eb/app.config", 12, 1, 12, 4, "x: 1")));
  run.root_directory = "";  // no repository to rebase on: the paths as they are
  CHECK(render_junit(run) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"shiftlint\" tests=\"3\" failures=\"3\" errors=\"0\">\n"
        "  <testsuite name=\"ecs/web.json\" tests=\"1\" failures=\"1\" errors=\"0\">\n"
        "    <testcase name=\"SL001 parse-error\" classname=\"ecs/web.json\" file=\"ecs/web.json\" line=\"3\">\n"
        "      <failure type=\"error\" message=\"cpu is not a number\">ecs/web.json:3:12: error: cpu is not a "
        "number [SL001 parse-error]\n" +
            rule_help_uri(parse_error_rule()) +
            "</failure>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "  <testsuite name=\"eb/app.config\" tests=\"2\" failures=\"2\" errors=\"0\">\n"
            "    <testcase name=\"ZZZ999\" classname=\"eb/app.config\" file=\"eb/app.config\" line=\"10\">\n"
            "      <failure type=\"warning\" message=\"no slug known\">eb/app.config:10:2: warning: no slug known "
            "[ZZZ999]</failure>\n"
            "    </testcase>\n"
            "    <testcase name=\"SL001 parse-error\" classname=\"eb/app.config\" file=\"eb/app.config\" line=\"12\">\n"
            "      <failure type=\"note\" message=\"second in the same file\">eb/app.config:12:1: note: second in the "
            "same file [SL001 parse-error]\n" +
            rule_help_uri(parse_error_rule()) +
            "</failure>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

TEST_CASE("report: junit of a clean run is one passing test case, which CI systems need to show it") {
  RunSummary run;
  run.files_analyzed = 12;
  CHECK(render_junit(run) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"shiftlint\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
        "  <testsuite name=\"shiftlint\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
        "    <testcase name=\"12 files analysed, no findings\" classname=\"shiftlint\"/>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
}

TEST_CASE("report: checkstyle has one file element per file and UTF-16 columns") {
  RunSummary run = two_findings();
  run.root_directory = "";
  run.findings.push_back(finding("ZZZ999", Severity::Note, "after an emoji",
                                 location("eb/app.config", 1, kCpuByteColumn, 1, kCpuByteColumn + 5, kWideLine)));
  run.findings.push_back(finding("ZZZ999", Severity::Warning, "whole file", {"Dockerfile", {}, "", ""}));
  CHECK(render_checkstyle(run) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<checkstyle version=\"4.3\">\n"
        "  <file name=\"ecs/web.json\">\n"
        "    <error line=\"3\" column=\"12\" severity=\"error\" message=\"cpu is not a number (SL001 parse-error)\" "
        "source=\"shiftlint.SL001\"/>\n"
        "  </file>\n"
        "  <file name=\"eb/app.config\">\n"
        "    <error line=\"10\" column=\"2\" severity=\"warning\" message=\"no slug known (ZZZ999)\" "
        "source=\"shiftlint.ZZZ999\"/>\n"
        "    <error line=\"1\" column=\"22\" severity=\"info\" message=\"after an emoji (ZZZ999)\" "
        "source=\"shiftlint.ZZZ999\"/>\n"
        "  </file>\n"
        "  <file name=\"Dockerfile\">\n"
        "    <error line=\"1\" severity=\"warning\" message=\"whole file (ZZZ999)\" source=\"shiftlint.ZZZ999\"/>\n"
        "  </file>\n"
        "</checkstyle>\n");
}

TEST_CASE("report: XML reports escape markup and keep only characters XML 1.0 allows") {
  RunSummary run;
  run.files_analyzed = 1;
  run.findings.push_back(finding("ZZZ999", Severity::Error, "a <b> & 'c' \"d\"\x01 \xFF caf\xC3\xA9 \xEF\xBF\xBF\tend",
                                 location("dir/a&b.json", 1, 1, 1, 2, "{")));
  const std::string escaped = "a &lt;b&gt; &amp; &apos;c&apos; &quot;d&quot;\xEF\xBF\xBD \xEF\xBF\xBD caf\xC3\xA9 \xEF\xBF\xBD\tend";
  std::string checkstyle = render_checkstyle(run);
  CHECK(checkstyle.find("<file name=\"dir/a&amp;b.json\">") != std::string::npos);
  CHECK(checkstyle.find("message=\"" + escaped + " (ZZZ999)\"") != std::string::npos);
  std::string junit = render_junit(run);
  CHECK(junit.find("message=\"" + escaped + "\"") != std::string::npos);
  CHECK(junit.find("classname=\"dir/a&amp;b.json\"") != std::string::npos);
  for (const std::string& xml : {checkstyle, junit})
    for (unsigned char byte : xml) CHECK((byte >= 0x20 || byte == '\n' || byte == '\t'));
}
