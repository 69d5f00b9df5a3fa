// run_check's cancel flag (engine/check_run.h): the editor's workspace lint sets it when the client
// cancels or the session ends, and the run must then stop without findings rather than finish.
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
