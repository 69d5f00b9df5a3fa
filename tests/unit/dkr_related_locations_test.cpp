#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

// The golden files hold each finding's main location only; these check the related ones, which
// are what a user opens next.
CheckOutcome check_fixture(const std::string& rule, const std::string& name) {
  static Config config;
  CheckRequest request;
  request.paths = {(fs::path(SHIFTLINT_SOURCE_DIR) / "fixtures" / rule / name).string()};
  request.config = &config;
  request.jobs = 1;
  return run_check(request);
}

}  // namespace

TEST_CASE("DKR003: services under an inherited s6-overlay /init are reported on FROM, each service's run script related",
          "[dkr][check]") {
  CheckOutcome outcome = check_fixture("DKR003", "bad-linuxserver-base-image-services");
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
  CheckOutcome outcome = check_fixture("DKR003", "bad-runit-services");
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings[0];
  REQUIRE(finding.related.size() == 2);
  CHECK(finding.related[0].location.path == "services/puma.sh");
  CHECK(finding.related[1].location.path == "services/sidekiq.sh");
}

TEST_CASE("DKR003: one service of its own under an inherited /init is not reported", "[dkr][check]") {
  CHECK(check_fixture("DKR003", "good-linuxserver-base-image-one-service").summary.findings.empty());
}

TEST_CASE("DKR011: each FROM relates to its own ARG when one ARG's name starts another's", "[dkr][check]") {
  CheckOutcome outcome = check_fixture("DKR011", "bad-arg-names-sharing-a-prefix.Dockerfile");
  REQUIRE(outcome.summary.findings.size() == 2);
  for (const Finding& finding : outcome.summary.findings) {
    REQUIRE(finding.related.size() == 1);
    if (finding.location.span.begin.line == 9) {
      CHECK(finding.related[0].message == "the image comes from the default of ARG BASE_COMMON");
      CHECK(finding.related[0].location.span.begin.line == 4);
    } else {
      CHECK(finding.related[0].message == "the image comes from the default of ARG BASE");
      CHECK(finding.related[0].location.span.begin.line == 2);
    }
  }
}

TEST_CASE("DKR011: a FROM built from two ARGs relates to both, each named for its part", "[dkr][check]") {
  CheckOutcome outcome = check_fixture("DKR011", "bad-image-from-two-args.Dockerfile");
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings[0];
  CHECK(finding.location.span.begin.line == 5);
  REQUIRE(finding.related.size() == 2);
  CHECK(finding.related[0].message == "the image name comes from the default of ARG NAMESPACE");
  CHECK(finding.related[0].location.span.begin.line == 3);
  CHECK(finding.related[1].message == "the tag comes from the default of ARG VERSION");
  CHECK(finding.related[1].location.span.begin.line == 4);
}
