#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

CheckOutcome check_fixture(const std::string& name) {
  static Config config;
  CheckRequest request;
  request.paths = {(fs::path(SHIFTLINT_SOURCE_DIR) / "fixtures" / "DKR003" / name).string()};
  request.config = &config;
  request.jobs = 1;
  return run_check(request);
}

}  // namespace

// The golden files hold the main location only; the related ones are what a user opens next.
TEST_CASE("DKR003: services under an inherited s6-overlay /init are reported on FROM, each service's run script related",
          "[dkr][check]") {
  CheckOutcome outcome = check_fixture("bad-linuxserver-base-image-services");
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings[0];
  CHECK(finding.rule_id == "DKR003");
  CHECK(finding.location.span.begin.line == 3);
  CHECK(finding.message.find("2 services of its own (svc-app, svc-queue-worker)") != std::string::npos);
  REQUIRE(finding.related.size() == 2);
  CHECK(finding.related[0].location.path == "root/etc/s6-overlay/s6-rc.d/svc-app/run");
  CHECK(finding.related[0].location.span.begin.line == 1);
  CHECK(finding.related[1].location.path == "root/etc/s6-overlay/s6-rc.d/svc-queue-worker/run");
}

TEST_CASE("DKR003: runit services copied one by one relate to their run scripts", "[dkr][check]") {
  CheckOutcome outcome = check_fixture("bad-runit-services");
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings[0];
  REQUIRE(finding.related.size() == 2);
  CHECK(finding.related[0].location.path == "services/puma.sh");
  CHECK(finding.related[1].location.path == "services/sidekiq.sh");
}

TEST_CASE("DKR003: one service of its own under an inherited /init is not reported", "[dkr][check]") {
  CHECK(check_fixture("good-linuxserver-base-image-one-service").summary.findings.empty());
}
