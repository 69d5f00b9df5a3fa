// The command line as users and CI systems meet it: exit codes, formats, config errors, bad input.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/process.h"

using shiftlint::testing::read_file;
using shiftlint::testing::run_shiftlint;
using shiftlint::testing::TemporaryFolder;

namespace {

// A Fargate task definition with one ECS001 hazard (no nofile ulimit) on the "app" container.
constexpr const char* kTaskWithoutUlimits = R"({
  "family": "api",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "app",
      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
      "essential": true,
      "portMappings": [{"containerPort": 8080}]
    }
  ]
}
)";

// The same task definition with the hazard fixed.
constexpr const char* kCleanTask = R"({
  "family": "api",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "app",
      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
      "essential": true,
      "portMappings": [{"containerPort": 8080}],
      "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]
    }
  ]
}
)";

size_t count_of(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("cli: --version and --help exit 0; no arguments and unknown commands exit 2") {
  auto version = run_shiftlint({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("shiftlint ", 0) == 0);
  CHECK(run_shiftlint({"--help"}).exit_code == 0);
  auto nothing = run_shiftlint({});
  CHECK(nothing.exit_code == 2);
  CHECK(nothing.err.find("Usage:") != std::string::npos);
  auto unknown = run_shiftlint({"lint"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown command 'lint'") != std::string::npos);
}

#ifdef SHIFTLINT_LINKS_MIMALLOC
// analyzer/cli/allocator.cpp turns on mimalloc's large pages before mimalloc starts, unless the user
// chose otherwise in the environment. mimalloc prints its options when MIMALLOC_VERBOSE is set.
TEST_CASE("cli: the heap asks for large pages by default, and MIMALLOC_LARGE_OS_PAGES still decides") {
  auto by_default = run_shiftlint({"--version"}, "", {"MIMALLOC_VERBOSE=1"});
  CHECK(by_default.exit_code == 0);
  CHECK(by_default.err.find("option 'large_os_pages': 1") != std::string::npos);
  auto turned_off = run_shiftlint({"--version"}, "", {"MIMALLOC_VERBOSE=1", "MIMALLOC_LARGE_OS_PAGES=0"});
  CHECK(turned_off.exit_code == 0);
  CHECK(turned_off.err.find("option 'large_os_pages': 0") != std::string::npos);
}
#endif

TEST_CASE("cli: usage errors exit 2 with a message") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"check", "--format", "xml"},
           {"check", "--fail-on", "sometimes"},
           {"check", "--select", "NOPE999"},
           {"check", "--jobs", "0"},
           {"check", "--bogus"},
           {"check", "--format"}}) {
    auto result = run_shiftlint(args);
    INFO(args.back());
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind("shiftlint: ", 0) == 0);
    CHECK(result.out.empty());
  }
}

TEST_CASE("cli: exit 1 on findings at or above --fail-on, 0 below it, 0 when clean") {
  TemporaryFolder folder;
  folder.write("task.json", kTaskWithoutUlimits);
  auto found = run_shiftlint({"check", "."}, folder.path());
  CHECK(found.exit_code == 1);
  CHECK(found.out.find("task.json:") != std::string::npos);
  CHECK(found.out.find("[ECS001 nofile-ulimit-missing]") != std::string::npos);
  CHECK(run_shiftlint({"check", ".", "--fail-on", "error"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", ".", "--fail-on", "never"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", ".", "--fail-on", "note"}, folder.path()).exit_code == 1);
  CHECK(run_shiftlint({"check", ".", "--ignore", "ECS001"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", ".", "--ignore", "nofile-ulimit-missing"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", ".", "--select", "SL"}, folder.path()).exit_code == 0);

  TemporaryFolder clean;
  clean.write("task.json", kCleanTask);
  auto result = run_shiftlint({"check"}, clean.path());
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("No problems found in 1 file") != std::string::npos);
}

TEST_CASE("cli: --no-respect-gitignore and respect_gitignore: false lint files a .gitignore pattern matches") {
  // Kong's docker-kong ignores `**/*.deb` for package artefacts; its tracked Dockerfile.deb matches.
  TemporaryFolder folder;
  folder.write(".gitignore", "**/*.deb\n");
  folder.write("build/Dockerfile.deb", "FROM debian:bookworm-slim\nCMD service nginx start\n");
  folder.write("task.json", kCleanTask);
  auto respected = run_shiftlint({"check", "."}, folder.path());
  CHECK(respected.exit_code == 0);
  CHECK(respected.out.find("in 1 file") != std::string::npos);

  auto walked = run_shiftlint({"check", ".", "--no-respect-gitignore"}, folder.path());
  CHECK(walked.exit_code == 1);
  CHECK(walked.out.find("build/Dockerfile.deb:2:") != std::string::npos);
  CHECK(walked.out.find("in 2 files") != std::string::npos);

  folder.write(".shiftlint.yaml", "respect_gitignore: false\n");
  auto configured = run_shiftlint({"check", "."}, folder.path());
  CHECK(configured.exit_code == 1);
  CHECK(configured.out.find("build/Dockerfile.deb:2:") != std::string::npos);
  // The flag overrides the config both ways.
  CHECK(run_shiftlint({"check", ".", "--respect-gitignore"}, folder.path()).exit_code == 0);

  folder.write(".shiftlint.yaml", "respect_gitignore: sometimes\n");
  auto invalid = run_shiftlint({"check", "."}, folder.path());
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.err.find(".shiftlint.yaml:1:20: respect_gitignore must be true or false") != std::string::npos);
}

TEST_CASE("cli: text output is compiler-style with a code frame and no colour when piped") {
  TemporaryFolder folder;
  folder.write("task.json", kTaskWithoutUlimits);
  auto result = run_shiftlint({"check", "task.json"}, folder.path());
  REQUIRE(result.exit_code == 1);
  CHECK(result.out.find("task.json:8:5: warning: ") != std::string::npos);
  CHECK(result.out.find(" |") != std::string::npos);
  CHECK(result.out.find('^') != std::string::npos);
  CHECK(result.out.find("\x1b[") == std::string::npos);
  auto forced = run_shiftlint({"check", "task.json", "--color", "always"}, folder.path());
  CHECK(forced.out.find("\x1b[") != std::string::npos);
}

TEST_CASE("cli: json output is parseable and carries exact positions") {
  TemporaryFolder folder;
  folder.write("task.json", kTaskWithoutUlimits);
  auto result = run_shiftlint({"check", "--format", "json"}, folder.path());
  REQUIRE(result.exit_code == 1);
  auto report = nlohmann::json::parse(result.out);
  REQUIRE(report["findings"].size() >= 1);
  auto finding = report["findings"][0];
  CHECK(finding["rule_id"] == "ECS001");
  CHECK(finding["slug"] == "nofile-ulimit-missing");
  CHECK(finding["path"] == "task.json");
  CHECK(finding["line"] == 8);
  CHECK(finding["column"] == 5);
  CHECK(finding["fingerprint"].get<std::string>().size() == 16);
  CHECK(report["summary"]["files_analyzed"] == 1);
}

TEST_CASE("cli: sarif and github formats") {
  TemporaryFolder folder;
  folder.write("ecs/task.json", kTaskWithoutUlimits);
  auto sarif = run_shiftlint({"check", "--format", "sarif", "--output", "report.sarif", "ecs"}, folder.path());
  CHECK(sarif.exit_code == 1);
  CHECK(sarif.out.empty());
  auto log = nlohmann::json::parse(read_file(folder.path() + "/report.sarif"));
  CHECK(log["version"] == "2.1.0");
  auto result = log["runs"][0]["results"][0];
  CHECK(result["ruleId"] == "ECS001");
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "task.json");
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8);
  CHECK(result.contains("partialFingerprints"));

  auto github = run_shiftlint({"check", "--format", "github", "ecs"}, folder.path());
  CHECK(github.exit_code == 1);
  CHECK(github.out.find("::warning file=task.json,line=8,") != std::string::npos);
  CHECK(github.out.find("title=ECS001 nofile-ulimit-missing::container \"app\"") != std::string::npos);
}

TEST_CASE("cli: in a git repository, sarif, github and gitlab reports name files from its root") {
  // GitHub code scanning reads a SARIF uri as a path from the repository's root (not through
  // uriBaseId), and so do annotations and GitLab Code Quality: a run of a folder (`check ecs`, the
  // action's working-directory) must not name ecs/task.json "task.json".
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("ecs/task.json", kTaskWithoutUlimits);
  const std::string repository = std::filesystem::canonical(folder.path()).string();
  for (const std::string& where : {folder.path(), folder.path() + "/ecs"}) {
    std::string argument = where == folder.path() ? "ecs" : ".";
    INFO(where);
    auto sarif = run_shiftlint({"check", "--format", "sarif", argument}, where);
    REQUIRE(sarif.exit_code == 1);
    auto run = nlohmann::json::parse(sarif.out)["runs"][0];
    CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + repository + "/");
    auto location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    CHECK(location["uri"] == "ecs/task.json");
    CHECK(location["uriBaseId"] == "%SRCROOT%");

    auto github = run_shiftlint({"check", "--format", "github", argument}, where);
    CHECK(github.out.find("::warning file=ecs/task.json,line=8,") != std::string::npos);
    auto gitlab = run_shiftlint({"check", "--format", "gitlab", argument}, where);
    CHECK(nlohmann::json::parse(gitlab.out)[0]["location"]["path"] == "ecs/task.json");
    // The JSON report names files from the working directory: `check ecs` from the root, `check .`
    // from ecs/.
    auto json = run_shiftlint({"check", "--format", "json", argument}, where);
    CHECK(nlohmann::json::parse(json.out)["findings"][0]["path"] == (argument == "ecs" ? "ecs/task.json" : "task.json"));
  }
  // Outside a repository, nothing changes: the scan root is the base.
  std::filesystem::remove_all(folder.path() + "/.git");
  auto sarif = run_shiftlint({"check", "--format", "sarif", "."}, folder.path() + "/ecs");
  auto location = nlohmann::json::parse(sarif.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "task.json");
}

TEST_CASE("cli: a broken config is exit 2 with file:line:col") {
  TemporaryFolder folder;
  folder.write("task.json", kTaskWithoutUlimits);
  folder.write(".shiftlint.yaml", "target: fargate\nselect: [ALL]\nseverity:\n  ECS001: loud\n");
  auto result = run_shiftlint({"check"}, folder.path());
  CHECK(result.exit_code == 2);
  CHECK(result.err.find(".shiftlint.yaml:4:") != std::string::npos);
  CHECK(result.out.empty());

  folder.write(".shiftlint.yaml", "target: [fargate\n");
  auto syntax = run_shiftlint({"check"}, folder.path());
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.err.find(".shiftlint.yaml:") != std::string::npos);

  auto missing = run_shiftlint({"check", "--config", "nope.yaml"}, folder.path());
  CHECK(missing.exit_code == 2);
}

TEST_CASE("cli: config select, ignore, severity and options apply") {
  TemporaryFolder folder;
  folder.write("task.json", kCleanTask);
  folder.write(".shiftlint.yaml", "rules:\n  ECS001: {min_nofile: 100000}\n");
  auto options = run_shiftlint({"check"}, folder.path());
  CHECK(options.exit_code == 1);
  CHECK(options.out.find("ECS001") != std::string::npos);

  folder.write(".shiftlint.yaml", "rules:\n  ECS001: {min_nofile: 100000}\nseverity:\n  ECS001: note\n");
  auto note = run_shiftlint({"check"}, folder.path());
  CHECK(note.exit_code == 0);
  CHECK(note.out.find(": note: ") != std::string::npos);

  folder.write(".shiftlint.yaml", "rules:\n  ECS001: {min_nofile: 100000}\nignore: [ECS001]\n");
  CHECK(run_shiftlint({"check"}, folder.path()).exit_code == 0);
}

TEST_CASE("cli: config suppress entries silence JSON findings by path") {
  TemporaryFolder folder;
  folder.write("ecs/legacy-api.json", kTaskWithoutUlimits);
  folder.write(".shiftlint.yaml",
               "suppress:\n  - {rule: ECS001, path: \"ecs/legacy-*.json\", reason: \"EC2 AMI sets 1M\"}\n");
  auto result = run_shiftlint({"check"}, folder.path());
  CHECK(result.exit_code == 0);
}

TEST_CASE("cli: bad files become SL001 findings and the other files are still linted") {
  TemporaryFolder folder;
  folder.write("good.json", kTaskWithoutUlimits);
  folder.write("broken-task.json", "{\n  \"family\": \"x\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\",}\n  ]\n}\n");
  folder.write("binary-task.json", std::string("{\"containerDefinitions\"\0\x01\x02\xff", 28));
  folder.write("deep-task.json", "{\"containerDefinitions\": " + std::string(100000, '[') + "}");
  folder.write("bom-task.json", std::string("\xEF\xBB\xBF") + kTaskWithoutUlimits);
  std::string crlf;
  for (char c : std::string(kTaskWithoutUlimits)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  folder.write("crlf-task.json", crlf);
  folder.write("empty-task.json", "");
  folder.write("invalid-utf8-task.json", "{\"containerDefinitions\": [{\"name\": \"\xff\xfe\", \"image\": \"x:1\"}]}");
  folder.write("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T: [unclosed\n");
  std::string bomb = "AWSTemplateFormatVersion: '2010-09-09'\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    std::string previous(1, static_cast<char>(level - 1));
    bomb += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ",*" : "*") + previous;
    bomb += "]\n";
  }
  folder.write("bomb.yaml", bomb);
  folder.write("notes.txt", "not a known kind");
  folder.write("package.json", "{\"name\": \"web\", \"version\": \"1.0.0\"}");

  auto result = run_shiftlint({"check", "--format", "json", "--fail-on", "never"}, folder.path());
  REQUIRE(result.exit_code == 0);
  auto report = nlohmann::json::parse(result.out);
  std::map<std::string, std::vector<std::string>> rules_by_path;
  for (const auto& finding : report["findings"])
    rules_by_path[finding["path"]].push_back(finding["rule_id"]);
  auto has = [&](const std::string& path, const std::string& rule) {
    auto& rules = rules_by_path[path];
    return std::find(rules.begin(), rules.end(), rule) != rules.end();
  };
  CHECK(has("good.json", "ECS001"));
  CHECK(has("bom-task.json", "ECS001"));
  CHECK(has("crlf-task.json", "ECS001"));
  CHECK(has("broken-task.json", "SL001"));
  CHECK(has("binary-task.json", "SL001"));
  CHECK(has("deep-task.json", "SL001"));
  CHECK(has("invalid-utf8-task.json", "SL001"));
  CHECK(has("template.yaml", "SL001"));
  CHECK(has("bomb.yaml", "SL001"));
  CHECK(rules_by_path.count("notes.txt") == 0);
  CHECK(rules_by_path.count("package.json") == 0);

  // The BOM and CRLF copies report the same line and column as the plain file.
  for (const auto& finding : report["findings"]) {
    if (finding["rule_id"] != "ECS001") continue;
    CHECK(finding["line"] == 8);
    CHECK(finding["column"] == 5);
  }
  for (const auto& finding : report["findings"]) {
    if (finding["path"] == "broken-task.json") CHECK(finding["line"] == 4);
  }
}

TEST_CASE("cli: an unreadable task definition is an SL001 finding, not a crash") {
  if (geteuid() == 0) {
    SUCCEED("running as root: permissions do not stop reads");
    return;
  }
  TemporaryFolder folder;
  std::string path = folder.write("task.json", kTaskWithoutUlimits);
  chmod(path.c_str(), 0);
  auto result = run_shiftlint({"check"}, folder.path());
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("SL001") != std::string::npos);
}

TEST_CASE("cli: output is identical for any --jobs") {
  auto one = run_shiftlint({"check", "fixtures", "--format", "json", "--jobs", "1"});
  auto two = run_shiftlint({"check", "fixtures", "--format", "json", "--jobs", "2"});
  auto eight = run_shiftlint({"check", "fixtures", "--format", "json", "--jobs", "8"});
  CHECK(one.exit_code == 1);
  CHECK(one.out == two.out);
  CHECK(one.out == eight.out);
  CHECK(count_of(one.out, "\"rule_id\"") > 10);
}

TEST_CASE("cli: a baseline hides known findings and fails only on new ones") {
  TemporaryFolder folder;
  folder.write("task.json", kTaskWithoutUlimits);
  auto write = run_shiftlint({"check", "--write-baseline", "baseline.json"}, folder.path());
  CHECK(write.exit_code == 0);
  auto known = run_shiftlint({"check", "--baseline", "baseline.json"}, folder.path());
  CHECK(known.exit_code == 0);

  // Lines move (a field added above): the finding is still recognised.
  std::string moved = kTaskWithoutUlimits;
  moved.insert(moved.find("  \"family\""), "  \"taskRoleArn\": \"arn:aws:iam::123456789012:role/api\",\n");
  folder.write("task.json", moved);
  CHECK(run_shiftlint({"check", "--baseline", "baseline.json"}, folder.path()).exit_code == 0);

  // A new hazardous file fails the gate; only the new finding is reported.
  folder.write("worker.json", kTaskWithoutUlimits);
  auto fresh = run_shiftlint({"check", "--baseline", "baseline.json", "--format", "json"}, folder.path());
  CHECK(fresh.exit_code == 1);
  auto report = nlohmann::json::parse(fresh.out);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["path"] == "worker.json");

  // Fixing the known finding leaves a stale entry, reported in the summary.
  folder.write("task.json", kCleanTask);
  std::filesystem::remove(folder.path() + "/worker.json");
  auto stale = run_shiftlint({"check", "--baseline", "baseline.json"}, folder.path());
  CHECK(stale.exit_code == 0);
  CHECK(stale.out.find("1 baseline entry") != std::string::npos);

  auto garbage = run_shiftlint({"check", "--baseline", "task.json"}, folder.path());
  CHECK(garbage.exit_code == 2);
}

TEST_CASE("cli: a baseline written at the repository's root matches a run of any folder or file of it") {
  // The CI job lints `infra/`, the pre-commit hook the staged files, a developer `cd infra && check .`:
  // each names the file differently, and each must find the baseline's entry for it.
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("infra/ecs/task.json", kTaskWithoutUlimits);
  REQUIRE(run_shiftlint({"check", "--write-baseline", "baseline.json"}, folder.path()).exit_code == 0);
  const std::string infra = folder.path() + "/infra";
  const std::string absolute = std::filesystem::canonical(infra + "/ecs/task.json").string();
  struct Run {
    std::vector<std::string> arguments;
    std::string where;
  };
  for (const Run& run : {Run{{"infra"}, folder.path()}, Run{{"infra/"}, folder.path()},
                         Run{{"infra/ecs/task.json"}, folder.path()}, Run{{absolute}, folder.path()},
                         Run{{"."}, infra}, Run{{"ecs"}, infra}, Run{{"ecs/task.json"}, infra},
                         Run{{"../ecs/task.json"}, infra + "/ecs"}, Run{{"task.json"}, infra + "/ecs"}}) {
    std::vector<std::string> arguments = {"check", "--baseline", folder.path() + "/baseline.json"};
    arguments.insert(arguments.end(), run.arguments.begin(), run.arguments.end());
    INFO(run.where << ": check " << run.arguments[0]);
    auto result = run_shiftlint(arguments, run.where);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("no longer match") == std::string::npos);
  }
}

TEST_CASE("cli: junit and checkstyle reports name files from the repository's root and keep the exit code") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("infra/ecs/task.json", kTaskWithoutUlimits);
  const std::string infra = folder.path() + "/infra";
  auto junit = run_shiftlint({"check", "--format", "junit", "."}, infra);
  CHECK(junit.exit_code == 1);
  CHECK(junit.out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shiftlint\" tests=\"1\" failures=\"1\""));
  CHECK(junit.out.find("<testsuite name=\"infra/ecs/task.json\" tests=\"1\" failures=\"1\" errors=\"0\">") != std::string::npos);
  CHECK(junit.out.find("<testcase name=\"ECS001 ") != std::string::npos);
  CHECK(junit.out.find("classname=\"infra/ecs/task.json\" file=\"infra/ecs/task.json\" line=\"8\"") != std::string::npos);
  auto checkstyle = run_shiftlint({"check", "--format", "checkstyle", "--output", "checkstyle.xml", "."}, infra);
  CHECK(checkstyle.exit_code == 1);
  std::string written = read_file(infra + "/checkstyle.xml");
  CHECK(written.find("<file name=\"infra/ecs/task.json\">") != std::string::npos);
  CHECK(written.find("source=\"shiftlint.ECS001\"/>") != std::string::npos);
  CHECK(written.ends_with("</checkstyle>\n"));

  // A baseline that covers everything: a passing JUnit report, still with a test case.
  REQUIRE(run_shiftlint({"check", "--write-baseline", "baseline.json"}, folder.path()).exit_code == 0);
  auto clean = run_shiftlint({"check", "--format", "junit", "--baseline", "baseline.json"}, folder.path());
  CHECK(clean.exit_code == 0);
  CHECK(clean.out.find("<testsuites name=\"shiftlint\" tests=\"1\" failures=\"0\" errors=\"0\">") != std::string::npos);
  CHECK(clean.out.find("<testcase name=\"1 file analysed, no findings\" classname=\"shiftlint\"/>") != std::string::npos);

  auto unknown = run_shiftlint({"check", "--format", "xml", "."}, infra);
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("junit or checkstyle") != std::string::npos);
}

TEST_CASE("cli: one file typed from a sibling folder is named so that it can be opened") {
  // `../x/y/task.json` from infra/: the run's root is the file's own folder, and every report must
  // still lead to that file (it once printed ../x/y/x/y/task.json).
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("x/y/task.json", kTaskWithoutUlimits);
  folder.write("infra/README", "\n");
  const std::string infra = folder.path() + "/infra";
  auto json = run_shiftlint({"check", "--format", "json", "../x/y/task.json"}, infra);
  REQUIRE(json.exit_code == 1);
  CHECK(nlohmann::json::parse(json.out)["findings"][0]["path"] == "../x/y/task.json");
  auto text = run_shiftlint({"check", "../x/y/task.json"}, infra);
  CHECK(text.out.find("../x/y/task.json:8:") == 0);
  auto sarif = run_shiftlint({"check", "--format", "sarif", "../x/y/task.json"}, infra);
  auto location = nlohmann::json::parse(sarif.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "x/y/task.json");
  auto github = run_shiftlint({"check", "--format", "github", "../x/y/task.json"}, infra);
  CHECK(github.out.find("::warning file=x/y/task.json,line=8,") != std::string::npos);
}

TEST_CASE("cli: rules and explain") {
  auto rules = run_shiftlint({"rules"});
  CHECK(rules.exit_code == 0);
  CHECK(rules.out.find("ECS001") != std::string::npos);
  auto json = run_shiftlint({"rules", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  auto catalogue = nlohmann::json::parse(json.out);
  REQUIRE(catalogue.is_array());
  bool found = false;
  for (const auto& rule : catalogue) {
    if (rule["id"] != "ECS003") continue;
    found = true;
    CHECK(rule["slug"] == "stop-timeout-over-fargate-max");
    CHECK(rule["family"] == "ECS");
    CHECK(rule["severity"] == "error");
  }
  CHECK(found);

  auto by_id = run_shiftlint({"explain", "ECS001"});
  CHECK(by_id.exit_code == 0);
  CHECK(by_id.out.rfind("# ECS001", 0) == 0);
  auto by_slug = run_shiftlint({"explain", "nofile-ulimit-missing"});
  CHECK(by_slug.out == by_id.out);
  CHECK(run_shiftlint({"explain", "ECS999"}).exit_code == 2);
}

TEST_CASE("cli: inline suppressions in YAML, and SL003 for unused ones") {
  TemporaryFolder folder;
  folder.write("template.yaml", R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # shiftlint-ignore: ECS001 -- the sidecar only proxies a handful of connections
  ApiTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      NetworkMode: awsvpc
      ContainerDefinitions:
        # shiftlint-ignore: ECS001 -- the AMI sets 1M open files
        - Name: app
          Image: public.ecr.aws/nginx/nginx:1.25
          # shiftlint-ignore: ECS010
          Essential: true
)");
  auto result = run_shiftlint({"check", "--format", "json", "--fail-on", "never"}, folder.path());
  auto report = nlohmann::json::parse(result.out);
  std::vector<std::pair<std::string, int>> found;
  for (const auto& finding : report["findings"]) found.push_back({finding["rule_id"], finding["line"]});
  CHECK(std::find(found.begin(), found.end(), std::make_pair(std::string("SL003"), 3)) != found.end());
  CHECK(std::find(found.begin(), found.end(), std::make_pair(std::string("SL003"), 15)) != found.end());
  for (const auto& [rule, line] : found) CHECK(rule != "ECS001");
}

TEST_CASE("cli: a plaintext secret is reported but never printed, in any format") {
  TemporaryFolder folder;
  std::string task = kCleanTask;
  task.insert(task.find("      \"ulimits\""),
              "      \"environment\": [{\"name\": \"DB_PASSWORD\", \"value\": \"correct-horse-battery-staple\"}],\n");
  folder.write("task.json", task);
  for (const char* format : {"text", "json", "sarif", "github"}) {
    auto result = run_shiftlint({"check", "--format", format}, folder.path());
    INFO(format);
    CHECK(result.exit_code == 1);
    CHECK(result.out.find("ECS009") != std::string::npos);
    CHECK(result.out.find("battery-staple") == std::string::npos);
  }
}

TEST_CASE("cli: a 50 MB task definition is linted to the end, with the other files") {
  TemporaryFolder folder;
  std::string big = "{\n  \"family\": \"batch\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n"
                    "  \"cpu\": \"1024\",\n  \"memory\": \"2048\",\n  \"containerDefinitions\": [\n";
  int containers = 0;
  while (big.size() < 50u << 20) {
    big += containers ? ",\n" : "";
    big += "    {\"name\": \"step-" + std::to_string(containers) + "\", \"image\": \"batch:1.0\", \"essential\": false, "
           "\"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}], \"environment\": [";
    for (int i = 0; i < 40; ++i)
      big += std::string(i ? ", " : "") + "{\"name\": \"SETTING_" + std::to_string(i) + "\", \"value\": \"value-" +
             std::to_string(i) + "\"}";
    big += "]}";
    ++containers;
  }
  // One hazard at the very end proves the whole file was read and checked.
  big += ",\n    {\"name\": \"last\", \"image\": \"batch:latest\", \"essential\": true, "
         "\"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}]}\n  ]\n}\n";
  folder.write("batch-task.json", big);
  folder.write("small-task.json", kTaskWithoutUlimits);
  auto result = run_shiftlint({"check", "--format", "json"}, folder.path());
  REQUIRE(result.exit_code == 1);
  auto report = nlohmann::json::parse(result.out);
  bool last_found = false, small_found = false;
  for (const auto& finding : report["findings"]) {
    if (finding["path"] == "batch-task.json" && finding["rule_id"] == "ECS010") last_found = true;
    if (finding["path"] == "small-task.json" && finding["rule_id"] == "ECS001") small_found = true;
  }
  CHECK(last_found);
  CHECK(small_found);
}

TEST_CASE("cli: end-of-life findings follow --today, else the config's today:, and bad dates are exit 2") {
  TemporaryFolder folder;
  folder.write("Dockerfile", "FROM php:7.4-fpm\nCMD [\"php-fpm\"]\n");
  // PHP 7.4 ended on 2022-11-28: not yet on the config's day, already on the command line's.
  folder.write(".shiftlint.yaml", "today: \"2022-11-28\"\n");
  auto before = run_shiftlint({"check", "--select", "DKR010"}, folder.path());
  CHECK(before.exit_code == 0);
  CHECK(before.out.find("DKR010") == std::string::npos);

  auto after = run_shiftlint({"check", "--select", "DKR010", "--today", "2022-11-29"}, folder.path());
  CHECK(after.exit_code == 1);
  CHECK(after.out.find("Dockerfile:1:6: warning: base image \"php:7.4-fpm\" runs PHP 7.4, which reached end of life "
                       "on 2022-11-28") != std::string::npos);

  auto invalid = run_shiftlint({"check", "--today", "2022-02-30"}, folder.path());
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.err.find("--today takes a date written YYYY-MM-DD, not '2022-02-30'") != std::string::npos);
}

TEST_CASE("cli: config suppress paths are relative to the config file, whatever folder is linted") {
  TemporaryFolder folder;
  folder.write("services/ecs/legacy-api.json", kTaskWithoutUlimits);
  folder.write(".shiftlint.yaml", "suppress:\n  - {rule: ECS001, path: \"services/ecs/legacy-*.json\", reason: \"EC2\"}\n");
  CHECK(run_shiftlint({"check"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", "services"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", "services/ecs"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", "legacy-api.json"}, folder.path() + "/services/ecs").exit_code == 0);
  folder.write("services/ecs/new-api.json", kTaskWithoutUlimits);
  CHECK(run_shiftlint({"check", "services/ecs"}, folder.path()).exit_code == 1);
}
