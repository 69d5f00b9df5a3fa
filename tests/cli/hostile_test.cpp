// Hostile inputs, each in a folder beside an ordinary hazardous task definition: the run must end
// (CPU capped, so a hang fails the test instead of stalling the suite), stay within a memory bound,
// say what it skipped and why (an SL001 finding or a warning naming the file), and still report the
// ordinary file. Exit 2 would mean the run gave up; exit 1 is expected (the ordinary file's finding).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/process.h"
#include "tests/sanitized_build.h"

namespace fs = std::filesystem;
using shiftlint::testing::ProcessResult;
using shiftlint::testing::run_shiftlint_with_cpu_limit;
using shiftlint::testing::TemporaryFolder;

namespace {

// Has no nofile ulimit: ECS001 fires on it whatever else is in the folder.
constexpr const char* kOrdinaryTask = R"({
  "family": "web",
  "containerDefinitions": [{"name": "web", "image": "nginx:1.25", "essential": true}]
}
)";

constexpr unsigned kCpuSeconds = 120 * shiftlint::test_bounds::kTimeScale;
// A bound against blow-ups (alias expansion, quadratic copies), not a budget: a located tree costs
// about 20 bytes of memory per byte of dense JSON today, so the 50 MB one-line file peaks near 1 GB.
// The sanitizer build's shadow memory and redzones raise that (tests/sanitized_build.h).
constexpr long kMaxRssKb = 1536L * 1024 * shiftlint::test_bounds::kMemoryScale;

struct Outcome {
  ProcessResult process;
  nlohmann::json report;
};

Outcome lint(const TemporaryFolder& folder, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"check", "--format", "json", "--jobs", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  Outcome outcome;
  outcome.process = run_shiftlint_with_cpu_limit(args, folder.path(), kCpuSeconds);
  INFO("stderr: " << outcome.process.err.substr(0, 2000));
  REQUIRE(outcome.process.exit_code == 1);
  outcome.report = nlohmann::json::parse(outcome.process.out);
  CHECK(outcome.process.peak_rss_kb < kMaxRssKb);
  return outcome;
}

bool has_finding(const nlohmann::json& report, std::string_view path, std::string_view rule) {
  for (const auto& finding : report["findings"])
    if (finding["path"] == path && finding["rule_id"] == rule) return true;
  return false;
}

std::string finding_message(const nlohmann::json& report, std::string_view path, std::string_view rule) {
  for (const auto& finding : report["findings"])
    if (finding["path"] == path && finding["rule_id"] == rule) return finding["message"];
  return "";
}

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("hostile: a YAML billion-laughs alias bomb is an SL001, not an explosion") {
  TemporaryFolder folder;
  std::string bomb = "AWSTemplateFormatVersion: '2010-09-09'\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n";
  for (char name = 'b'; name <= 'k'; ++name) {
    std::string previous(1, static_cast<char>(name - 1));
    bomb += std::string(1, name) + ": &" + std::string(1, name) + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? ", " : "") + "*" + previous;
    bomb += "]\n";
  }
  bomb += "Resources: *k\n";
  folder.write("stack.yaml", bomb);
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  CHECK(has_finding(outcome.report, "stack.yaml", "SL001"));
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
}

TEST_CASE("hostile: JSON, YAML and HCL nested 1,000,000 deep are findings, not stack overflows") {
  TemporaryFolder folder;
  constexpr size_t kDepth = 1'000'000;
  folder.write("deep-task.json", "{\"containerDefinitions\": " + std::string(kDepth, '[') + std::string(kDepth, ']') + "}\n");
  folder.write("deep.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: " + std::string(kDepth, '[') +
                                std::string(kDepth, ']') + "\n");
  folder.write("deep/main.tf", "locals {\n  deep = " + std::string(kDepth, '[') + std::string(kDepth, ']') + "\n}\n");
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  CHECK(has_finding(outcome.report, "deep-task.json", "SL001"));
  CHECK(has_finding(outcome.report, "deep.yaml", "SL001"));
  CHECK((has_finding(outcome.report, "deep/main.tf", "SL001") || has_finding(outcome.report, "deep/main.tf", "SL002")));
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
}

TEST_CASE("hostile: a Helm template that doubles a string in a loop stops at the output limit") {
  // Doubled 40 times the string would be a terabyte: the run reached 14.7 GB before being killed.
  TemporaryFolder folder;
  folder.write("chart/Chart.yaml", "apiVersion: v2\nname: grow\nversion: 0.1.0\n");
  folder.write("chart/templates/grow.yaml",
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grown\ndata:\n"
               "  {{- $s := \"x\" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}\n"
               "  size: \"{{ len $s }}\"\n");
  folder.write("chart/templates/deployment.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
               "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
               "    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n");
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  bool stopped = false;
  for (const auto& finding : outcome.report["findings"])
    if (finding["path"] == "chart/templates/grow.yaml" && finding["rule_id"] == "SL002") {
      CHECK(finding["line"] == 6);
      CHECK(std::string(finding["message"]).find("rendering stopped: the string print built passed 32 MiB") !=
            std::string::npos);
      stopped = true;
    }
  CHECK(stopped);
  // The chart's other template still renders and is linted.
  CHECK(has_finding(outcome.report, "chart/templates/deployment.yaml", "K8S011"));
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
  // The largest string built is about twice the 32 MiB limit, held a few times over while print
  // copies its arguments.
  CHECK(outcome.process.peak_rss_kb < 640L * 1024 * shiftlint::test_bounds::kMemoryScale);
}

TEST_CASE("hostile: a 200 MB file is skipped with its size, and the limit is configurable") {
  TemporaryFolder folder;
  {
    std::ofstream big(folder.path() + "/huge-task.json", std::ios::binary);
    big << "{\"family\": \"huge\", \"containerDefinitions\": [], \"padding\": \"";
    std::string block(1 << 20, 'x');
    for (int i = 0; i < 200; ++i) big << block;
    big << "\"}\n";
  }
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  std::string message = finding_message(outcome.report, "huge-task.json", "SL001");
  CHECK(message.find("MiB") != std::string::npos);
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));

  // A config may lower the limit: the ordinary file is then the one skipped.
  folder.write(".shiftlint.yaml", "limits:\n  max_file_size: 64\n");
  Outcome limited = lint(folder, {"--select", "SL,ECS001"});
  CHECK(has_finding(limited.report, "task.json", "SL001"));
}

TEST_CASE("hostile: a file that is one 50 MB line is linted to the end") {
  TemporaryFolder folder;
  std::string line = "{\"family\": \"one-line\", \"containerDefinitions\": [";
  for (int i = 0; line.size() < (50u << 20); ++i)
    line += "{\"name\": \"c" + std::to_string(i) + "\", \"image\": \"app:1.0\", \"essential\": false, \"ulimits\": "
            "[{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}]},";
  line += "{\"name\": \"last\", \"image\": \"app:latest\", \"essential\": true, \"ulimits\": [{\"name\": \"nofile\", "
          "\"softLimit\": 65535, \"hardLimit\": 65535}]}]}";
  folder.write("one-line-task.json", line);
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  CHECK(has_finding(outcome.report, "one-line-task.json", "ECS010"));  // the last container, 50 MB in
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
}

TEST_CASE("hostile: binary files with the names of supported formats are skipped as binary") {
  TemporaryFolder folder;
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) % 256);
  for (const char* name : {"Dockerfile", "task-definition.json", "values.yaml", "main.tf", ".ebextensions/app.config"})
    write_file(folder.path() + "/" + name, binary);
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
  for (const auto& finding : outcome.report["findings"]) {
    if (finding["path"] == "task.json") continue;
    // Whatever is said about a binary file is a finding about the file, never a rule guessing at bytes.
    CHECK(finding["rule_id"].get<std::string>().rfind("SL", 0) == 0);
  }
}

TEST_CASE("hostile: invalid UTF-8 everywhere still gives valid JSON, SARIF and text output") {
  TemporaryFolder folder;
  std::string bad = "\xff\xfe\xc3\x28\xe2\x82";
  folder.write("Dockerfile", "# comment " + bad + "\nFROM ubuntu:latest\nRUN echo " + bad + " > /var/log/app.log\nCMD " + bad +
                                 "\n");
  folder.write("bad-task.json", "{\"family\": \"x" + bad + "\", \"containerDefinitions\": [{\"name\": \"" + bad +
                                    "\", \"image\": \"app" + bad + "\"}]}");
  folder.write("stack.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nDescription: " + bad + "\n");
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);  // nlohmann::json::parse above already proved the JSON is valid UTF-8
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
  bool dockerfile_linted = false;  // the invalid bytes did not stop the Dockerfile's rules
  for (const auto& finding : outcome.report["findings"])
    if (finding["path"] == "Dockerfile" && finding["rule_id"].get<std::string>().rfind("DKR", 0) == 0) dockerfile_linted = true;
  CHECK(dockerfile_linted);

  ProcessResult sarif = run_shiftlint_with_cpu_limit({"check", "--format", "sarif"}, folder.path(), kCpuSeconds);
  REQUIRE(sarif.exit_code == 1);
  CHECK_NOTHROW(nlohmann::json::parse(sarif.out));
  ProcessResult text = run_shiftlint_with_cpu_limit({"check"}, folder.path(), kCpuSeconds);
  CHECK(text.exit_code == 1);
}

TEST_CASE("hostile: symbolic link loops and links out of the root are not followed") {
  TemporaryFolder folder;
  TemporaryFolder outside;
  outside.write("secret-task.json", kOrdinaryTask);
  folder.write("task.json", kOrdinaryTask);
  fs::create_directories(folder.path() + "/a/b");
  fs::create_directory_symlink(folder.path() + "/a", folder.path() + "/a/b/loop");
  fs::create_directory_symlink(".", folder.path() + "/self");
  fs::create_directory_symlink(outside.path(), folder.path() + "/outside");
  fs::create_symlink(outside.path() + "/secret-task.json", folder.path() + "/linked-task.json");
  fs::create_symlink(folder.path() + "/dangling-target", folder.path() + "/dangling.json");
  Outcome outcome = lint(folder);
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
  for (const auto& finding : outcome.report["findings"]) {
    std::string path = finding["path"];
    CHECK(path.find("secret-task.json") == std::string::npos);
    CHECK(path.find("outside/") != 0);
  }
  CHECK(outcome.process.err.find("linked-task.json") != std::string::npos);  // said why it was not read
}

TEST_CASE("hostile: unreadable files and folders are reported and the rest is linted") {
  if (geteuid() == 0) {
    // Permissions do not stop root; the unreadable case is covered by `cli: an unreadable task
    // definition is an SL001 finding` through a path that cannot be opened at all.
    SUCCEED("running as root: file permissions cannot make a file unreadable here");
    return;
  }
  TemporaryFolder folder;
  folder.write("task.json", kOrdinaryTask);
  std::string locked_file = folder.write("locked-task.json", kOrdinaryTask);
  std::string locked_folder = folder.path() + "/locked";
  folder.write("locked/inner-task.json", kOrdinaryTask);
  chmod(locked_file.c_str(), 0);
  chmod(locked_folder.c_str(), 0);
  Outcome outcome = lint(folder);
  chmod(locked_folder.c_str(), 0755);
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
  CHECK(has_finding(outcome.report, "locked-task.json", "SL001"));
  CHECK(outcome.process.err.find("locked") != std::string::npos);
}

TEST_CASE("hostile: a folder of 100,000 empty files is walked in bounded time and memory") {
  TemporaryFolder folder;
  std::string many = folder.path() + "/many";
  fs::create_directories(many);
  for (int i = 0; i < 100'000; ++i) {
    static const char* kNames[] = {".json", ".yaml", ".tf", ".config", ""};
    std::string name = many + "/file-" + std::to_string(i) + kNames[i % 5];
    std::ofstream{name};
  }
  folder.write("task.json", kOrdinaryTask);
  Outcome outcome = lint(folder);
  CHECK(has_finding(outcome.report, "task.json", "ECS001"));
}
