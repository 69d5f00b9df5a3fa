// What stops a run early (engine/check_run.h): the cancel flag, which the editor's workspace lint
// sets when the client cancels or the session ends (the run stops without findings rather than
// finish), and the bound on the entries its walk lists (the run goes on with the files found).
#include <catch2/catch.hpp>

#include <atomic>
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
