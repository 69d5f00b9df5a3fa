// What stops a run early (engine/check_run.h): the cancel flag, which the editor's workspace lint
// sets when the client cancels or the session ends (the run stops without findings rather than
// finish), and the bound on the entries its walk lists (the run goes on with the files found).
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "tests/unit/terraform_test_support.h"

using namespace shiftlint;
using terraform::testing::ScratchFolder;

namespace {

// ECS005: a Fargate task definition on platform version LATEST.
const char* kTaskDefinition =
    "{\n"
    "  \"family\": \"api\",\n"
    "  \"requiresCompatibilities\": [\"FARGATE\"],\n"
    "  \"networkMode\": \"awsvpc\",\n"
    "  \"cpu\": \"256\",\n"
    "  \"memory\": \"512\",\n"
    "  \"containerDefinitions\": [{\"name\": \"api\", \"image\": \"api:latest\", \"essential\": true}]\n"
    "}\n";

}  // namespace

TEST_CASE("check run: a cancelled run stops without findings and says so") {
  ScratchFolder scratch;
  for (int i = 0; i < 4; ++i) scratch.write("ecs/task" + std::to_string(i) + ".json", kTaskDefinition);
  Config config;
  std::atomic<bool> cancel{false};
  CheckRequest request;
  request.paths = {scratch.root()};
  request.config = &config;
  request.cancel = &cancel;

  CheckOutcome whole = run_check(request);
  CHECK_FALSE(whole.cancelled);
  CHECK(whole.summary.files_analyzed == 4);
  CHECK_FALSE(whole.summary.findings.empty());

  cancel = true;
  CheckOutcome cancelled = run_check(request);
  CHECK(cancelled.cancelled);
  CHECK(cancelled.summary.files_analyzed == 0);
  CHECK(cancelled.summary.findings.empty());
}

TEST_CASE("check run: a bound on the walk's entries lints the files found and warns of the rest") {
  ScratchFolder scratch;
  for (int folder = 0; folder < 6; ++folder)
    for (int i = 0; i < 5; ++i)
      scratch.write("ecs/f" + std::to_string(folder) + "/task" + std::to_string(i) + ".json", kTaskDefinition);
  Config config;
  CheckRequest request;
  request.paths = {scratch.root()};
  request.config = &config;
  CHECK(run_check(request).summary.files_analyzed == 30);

  request.max_walk_entries = 12;  // the root's folder, ecs/ and its 6 folders, then 5 files a folder
  CheckOutcome bounded = run_check(request);
  CHECK(bounded.summary.files_analyzed < 30);
  CHECK(bounded.summary.files_analyzed > 0);
  REQUIRE(bounded.warnings.size() == 1);
  CHECK(bounded.warnings[0].find("(the walk's limit): the files beyond are not read") != std::string::npos);
}

TEST_CASE("check run: a run of files in a folder too large to list leaves the XF rules to a run of the repository") {
  ScratchFolder scratch;  // no `.git`: the run reads around its files in the scan root
  // Half of an Elastic Beanstalk app: its old host raised nofile; its task definition lies elsewhere.
  scratch.write("shop/Dockerfile", "FROM ruby:3.3-slim\nCMD [\"bundle\", \"exec\", \"puma\"]\n");
  scratch.write("shop/.ebextensions/01-limits.config",
                "files:\n  /etc/security/limits.d/90-webapp.conf:\n    content: |\n      webapp soft nofile 65536\n");
  scratch.write("infra/ecs/shop.json",
                "{\"family\": \"shop\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\", "
                "\"cpu\": \"512\", \"memory\": \"1024\", \"containerDefinitions\": [{\"name\": \"shop\", "
                "\"image\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4\", \"essential\": true}]}\n");
  for (int folder = 0; folder < 8; ++folder)  // the walk checks its bound between folders
    for (int i = 0; i < 5; ++i) scratch.write("notes/" + std::to_string(folder) + "/n" + std::to_string(i) + ".txt", "");
  Config config;
  CheckRequest request;
  request.paths = {scratch.root() + "/shop/Dockerfile", scratch.root() + "/shop/.ebextensions/01-limits.config"};
  request.root = scratch.root();
  request.config = &config;
  request.select = {"XF"};
  auto rules_of = [](const CheckOutcome& outcome) {
    std::set<std::string> rules;
    for (const Finding& finding : outcome.summary.findings) rules.insert(finding.rule_id);
    return rules;
  };
  // Listed whole: the app is judged with its task definition (XF003 there, not at the run's files).
  CheckOutcome listed = run_check(request);
  CHECK(listed.warnings.empty());
  CHECK(rules_of(listed).empty());

  // Cut short: no XF rule judges the app by the half the run holds ("no task definition runs it").
  request.max_walk_entries = 20;
  CheckOutcome bounded = run_check(request);
  CHECK(bounded.summary.files_analyzed == 2);
  CHECK(rules_of(bounded).empty());
  REQUIRE(bounded.warnings.size() == 1);
  CHECK(bounded.warnings[0].find("the XF rules are left out") != std::string::npos);
}
