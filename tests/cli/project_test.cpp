// The project phase as users meet it: XF findings across files with --select/--ignore, inline
// suppressions and SL003, baselines, --jobs, the config's `apps:`, and the parity model the
// `shiftlint parity` command reads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/project/parity.h"
#include "tests/cli/process.h"

using shiftlint::testing::run_shiftlint;
using shiftlint::testing::TemporaryFolder;

namespace {

constexpr const char* kHostConfig = R"(packages:
  yum:
    ImageMagick: []
files:
  /etc/security/limits.d/90-app.conf:
    content: |
      * soft nofile 65536
      * hard nofile 65536
commands:
  01_timezone:
    command: ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime
option_settings:
  aws:elasticbeanstalk:application:environment:
    REDIS_URL: redis://cache:6379
)";

constexpr const char* kDockerfile = "FROM ruby:3.3-slim\nCMD [\"bundle\", \"exec\", \"puma\"]\n";

constexpr const char* kTaskDefinition = R"(# shiftlint-ignore-file: ECS001
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      ContainerDefinitions:
        - Name: web
          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0
          Environment:
            - Name: RAILS_ENV
              Value: production
)";

// An EB app in web/ whose Dockerfile and CloudFormation task definition forgot things.
void write_app(const TemporaryFolder& folder) {
  folder.write("web/.ebextensions/01-host.config", kHostConfig);
  folder.write("web/Dockerfile", kDockerfile);
  folder.write("deploy/web.yaml", kTaskDefinition);
}

std::vector<std::string> rule_ids(const std::string& json_report) {
  std::vector<std::string> ids;
  nlohmann::json report = nlohmann::json::parse(json_report);
  for (const auto& finding : report["findings"]) ids.push_back(finding["rule_id"]);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("project: XF findings across files follow --select and --ignore") {
  TemporaryFolder folder;
  write_app(folder);
  auto all = run_shiftlint({"check", "--select", "XF", "--format", "json"}, folder.path());
  CHECK(all.exit_code == 1);
  CHECK(rule_ids(all.out) == std::vector<std::string>{"XF001", "XF002", "XF003", "XF004"});
  auto report = nlohmann::json::parse(all.out);
  for (const auto& finding : report["findings"]) {
    INFO(finding.dump());
    CHECK(finding["message"].get<std::string>().find("(linked: app web:") != std::string::npos);
  }
  auto ignored = run_shiftlint({"check", "--select", "XF", "--ignore", "XF001,timezone-regression", "--format", "json"},
                               folder.path());
  CHECK(rule_ids(ignored.out) == std::vector<std::string>{"XF003", "XF004"});
  auto slug = run_shiftlint({"check", "--select", "package-parity", "--format", "json"}, folder.path());
  CHECK(rule_ids(slug.out) == std::vector<std::string>{"XF003"});
  auto other_family = run_shiftlint({"check", "--select", "EB", "--format", "json"}, folder.path());
  for (const std::string& id : rule_ids(other_family.out)) CHECK(id.rfind("XF", 0) == std::string::npos);
}

TEST_CASE("project: output is identical for any --jobs, and a baseline recognises XF findings") {
  TemporaryFolder folder;
  write_app(folder);
  auto one = run_shiftlint({"check", "--format", "json", "--jobs", "1"}, folder.path());
  auto two = run_shiftlint({"check", "--format", "json", "--jobs", "2"}, folder.path());
  CHECK(one.out == two.out);
  CHECK(run_shiftlint({"check", "--write-baseline", "baseline.json"}, folder.path()).exit_code == 0);
  CHECK(run_shiftlint({"check", "--baseline", "baseline.json"}, folder.path()).exit_code == 0);
  // A new gap (the Dockerfile now sets a zone: XF002 goes; a second variable is forgotten) is the only new one.
  std::string config = kHostConfig;
  config += "    QUEUE_URL: https://sqs.example/queue\n";
  folder.write("web/.ebextensions/01-host.config", config);
  auto fresh = run_shiftlint({"check", "--baseline", "baseline.json", "--format", "json"}, folder.path());
  CHECK(fresh.exit_code == 1);
  auto report = nlohmann::json::parse(fresh.out);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["rule_id"] == "XF004");
  CHECK(report["findings"][0]["message"].get<std::string>().find("QUEUE_URL") != std::string::npos);
}

TEST_CASE("project: inline suppressions of XF rules, and SL003 when they match nothing") {
  TemporaryFolder folder;
  write_app(folder);
  std::string task = kTaskDefinition;
  // XF001 and XF002/XF004 sit on the container (no Ulimits) and its Environment block.
  task.replace(task.find("        - Name: web"), 0, "        # shiftlint-ignore: XF001 -- EC2 AMI default is 1M\n");
  task.replace(task.find("          Environment:"), 0, "          # shiftlint-ignore: XF002,XF004,XF005\n");
  folder.write("deploy/web.yaml", task);
  auto run = run_shiftlint({"check", "--format", "json"}, folder.path());
  std::vector<std::string> ids = rule_ids(run.out);
  CHECK(std::count(ids.begin(), ids.end(), "XF001") == 0);
  CHECK(std::count(ids.begin(), ids.end(), "XF002") == 0);
  CHECK(std::count(ids.begin(), ids.end(), "XF004") == 0);
  CHECK(std::count(ids.begin(), ids.end(), "XF003") == 1);
  // XF005 named on a line where it has nothing to silence.
  auto report = nlohmann::json::parse(run.out);
  size_t unused = 0;
  for (const auto& finding : report["findings"])
    if (finding["rule_id"] == "SL003") {
      ++unused;
      CHECK(finding["message"] == "suppression of XF005 matched no finding; remove it");
    }
  CHECK(unused == 1);
  // A run that does not select XF says nothing about XF suppressions.
  auto without = run_shiftlint({"check", "--select", "ECS,SL", "--format", "json"}, folder.path());
  CHECK(rule_ids(without.out) == std::vector<std::string>{});
}

TEST_CASE("project: unrelated apps are not compared, the config's apps: links across folders") {
  TemporaryFolder folder;
  folder.write("billing/.ebextensions/01-host.config", kHostConfig);
  folder.write("search/Dockerfile", kDockerfile);
  folder.write("deploy/search.yaml", kTaskDefinition);
  auto unrelated = run_shiftlint({"check", "--select", "XF", "--format", "json"}, folder.path());
  CHECK(unrelated.exit_code == 0);
  CHECK(rule_ids(unrelated.out).empty());

  folder.write(".shiftlint.yaml", "apps:\n  - {name: billing, ebextensions: billing, dockerfile: search/Dockerfile}\n");
  // The task definition's image (web) names neither folder: it stays unlinked, so the variable
  // cannot be checked (XF004 needs a task definition or pod) and nofile is reported on the old host.
  auto linked = run_shiftlint({"check", "--select", "XF", "--format", "json"}, folder.path());
  CHECK(rule_ids(linked.out) == std::vector<std::string>{"XF001", "XF002", "XF003"});
  auto report = nlohmann::json::parse(linked.out);
  CHECK(report["findings"][0]["message"].get<std::string>().find("config apps: billing (.shiftlint.yaml:2)") !=
        std::string::npos);

  folder.write(".shiftlint.yaml", "apps:\n  - {name: billing, dockerfiles: search/Dockerfile}\n");
  auto broken = run_shiftlint({"check"}, folder.path());
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find(".shiftlint.yaml:2:21: unknown key \"dockerfiles\" in an apps entry") != std::string::npos);
}

TEST_CASE("project: the parity model says what carried over and what is missing, per app") {
  TemporaryFolder folder;
  write_app(folder);
  folder.write("web/Dockerfile", "FROM ruby:3.3-slim\nRUN apt-get update && apt-get install -y imagemagick\n"
                                 "CMD [\"bundle\", \"exec\", \"puma\"]\n");
  shiftlint::Config config;
  shiftlint::CheckRequest request;
  request.paths = {folder.path()};
  request.config = &config;
  request.select = {"ECS001"};  // no XF rule selected: the project is still built
  request.build_project = true;
  shiftlint::CheckOutcome outcome = shiftlint::run_check(request);
  REQUIRE(outcome.project);
  const shiftlint::project::Project& project = *outcome.project;
  REQUIRE(project.apps.size() == 1);
  CHECK(project.apps[0].name == "web");
  REQUIRE(project.apps[0].images.size() == 1);
  CHECK(project.apps[0].images[0].reason == "Dockerfile in the same folder as .ebextensions");
  REQUIRE(project.apps[0].deployments.size() == 1);
  CHECK(project.apps[0].deployments[0].reason == "image web matches the folder of web/Dockerfile");
  REQUIRE(project.parity.size() == 1);
  std::map<std::string, shiftlint::project::ParityStatus> status;
  for (const auto& item : project.parity[0].items) status[item.item.name] = item.status;
  using shiftlint::project::ParityStatus;
  CHECK(status["ImageMagick"] == ParityStatus::Carried);
  CHECK(status["nofile"] == ParityStatus::Missing);
  CHECK(status["Asia/Tokyo"] == ParityStatus::Missing);
  CHECK(status["REDIS_URL"] == ParityStatus::Missing);
  for (const auto& item : project.parity[0].items) {
    if (item.item.name != "ImageMagick") continue;
    REQUIRE(item.carried_at.size() == 1);
    CHECK(item.carried_at[0].path == "web/Dockerfile");
    CHECK(item.carried_at[0].location.span.begin.line == 2);
    CHECK(item.item.location.path == "web/.ebextensions/01-host.config");
    CHECK(item.item.location.span.begin.line == 3);
  }
  // Without the request, nothing is kept.
  request.build_project = false;
  CHECK_FALSE(shiftlint::run_check(request).project);
}

TEST_CASE("project: XF findings set aside on disk one app at a time are those of the whole project") {
  TemporaryFolder folder;
  write_app(folder);
  // A second app with suppressions in its task definition: one that silences, one that matches nothing.
  std::string api = kTaskDefinition;
  api.replace(api.find("Family: web"), 11, "Family: api");
  api.replace(api.find("/web:1.0"), 8, "/api:1.0");
  api.replace(api.find("        - Name: web"), 0, "        # shiftlint-ignore: XF001\n");
  api.replace(api.find("          Environment:"), 0, "          # shiftlint-ignore: XF005\n");
  folder.write("api/.ebextensions/01-host.config", kHostConfig);
  folder.write("api/Dockerfile", kDockerfile);
  folder.write("deploy/api.yaml", api);
  // And more apps than the two findings lists the second thread takes at a time (jobs 2 fills the
  // line texts of one app while the next is checked): the order must hold across the hand-over.
  for (int number = 0; number < 8; ++number) {
    std::string name = "svc" + std::to_string(number);
    std::string task = kTaskDefinition;
    task.replace(task.find("Family: web"), 11, "Family: " + name);
    task.replace(task.find("/web:1.0"), 8, "/" + name + ":1.0");
    folder.write(name + "/.ebextensions/01-host.config", kHostConfig);
    folder.write(name + "/Dockerfile", kDockerfile);
    folder.write("deploy/" + name + ".yaml", task);
  }
  // One file with the task definitions of two apps (svc8, svc9), a suppression on the second's:
  // the file's suppressions are read at the first app's turn and hold for both.
  std::string shared = kTaskDefinition;
  std::string second = shared.substr(shared.find("  Task:\n"));
  second.replace(second.find("  Task:"), 7, "  Second:");
  second.replace(second.find("Family: web"), 11, "Family: svc9");
  second.replace(second.find("/web:1.0"), 8, "/svc9:1.0");
  second.replace(second.find("        - Name: web"), 0, "        # shiftlint-ignore: XF001\n");
  shared.replace(shared.find("Family: web"), 11, "Family: svc8");
  shared.replace(shared.find("/web:1.0"), 8, "/svc8:1.0");
  shared += second;
  for (const char* name : {"svc8", "svc9"}) {
    folder.write(std::string(name) + "/.ebextensions/01-host.config", kHostConfig);
    folder.write(std::string(name) + "/Dockerfile", kDockerfile);
  }
  folder.write("deploy/shared.yaml", shared);
  // A file of the app with no XF finding in it: its unused suppression is still an SL003.
  folder.write("svc9/.ebextensions/02-notes.config",
               "# shiftlint-ignore: XF003\noption_settings:\n  aws:elasticbeanstalk:application:environment:\n    "
               "LOG_LEVEL: info\n");
  auto findings_of = [&](bool whole_project) {
    shiftlint::Config config;
    shiftlint::CheckRequest request;
    request.paths = {folder.path()};
    request.config = &config;
    request.jobs = 2;
    request.build_project = whole_project;  // keeps the project, and its findings, in memory
    std::string text;
    for (const shiftlint::Finding& finding : shiftlint::run_check(request).summary.findings) {
      text += finding.location.path + ":" + std::to_string(finding.location.span.begin.line) + " " + finding.rule_id +
              " " + finding.message + " " + finding.fingerprint + " | " + finding.location.begin_line_text + "\n";
      for (const shiftlint::RelatedLocation& related : finding.related)
        text += "  " + related.location.path + ":" + std::to_string(related.location.span.begin.line) + " " +
                related.message + " | " + related.location.begin_line_text + "\n";
    }
    return text;
  };
  std::string set_aside = findings_of(false);
  CHECK(set_aside == findings_of(true));
  INFO(set_aside);
  // Both apps report, the suppressions act on the second, and the unused one is an SL003.
  CHECK(set_aside.find("deploy/web.yaml:9 XF001 task definition \"web\"") != std::string::npos);
  CHECK(set_aside.find("XF001 task definition \"api\"") == std::string::npos);
  CHECK(set_aside.find("SL003 suppression of XF005 matched no finding") != std::string::npos);
  CHECK(set_aside.find("web/.ebextensions/01-host.config") != std::string::npos);
  CHECK(set_aside.find("deploy/svc7.yaml:9 XF001 task definition \"svc7\"") != std::string::npos);
  CHECK(set_aside.find("deploy/shared.yaml:9 XF001 task definition \"svc8\"") != std::string::npos);
  CHECK(set_aside.find("XF001 task definition \"svc9\"") == std::string::npos);
  CHECK(set_aside.find("deploy/shared.yaml:22 XF002 task definition \"svc9\"") != std::string::npos);  // its others stay
  CHECK(set_aside.find("svc9/.ebextensions/02-notes.config:1 SL003 suppression of XF003 matched no finding") !=
        std::string::npos);
}
