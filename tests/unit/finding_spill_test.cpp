#include <catch2/catch.hpp>

#include "analyzer/engine/finding_spill.h"

using namespace shiftlint;

namespace {

Finding full_finding() {
  Finding finding;
  finding.rule_id = "ECS001";
  finding.severity = Severity::Error;
  finding.message = "stopTimeout is 300 seconds; Fargate allows at most 120";
  finding.location = {"ecs/web.json", {{12, 5}, {14, 300}}, "    \"stopTimeout\": 300,", "  }"};
  finding.related.push_back({{"Dockerfile", {{3, 1}, {3, 20}}, "CMD [\"worker\"]", "CMD [\"worker\"]"}, "the image's CMD"});
  finding.related.push_back({{"", {}, "", ""}, ""});
  finding.fix = Fix{"set stopTimeout to 120", {{{{12, 20}, {12, 23}}, "120"}, {{{13, 1}, {13, 1}}, ""}}};
  finding.fingerprint = "0123456789abcdef";
  finding.fingerprint_detail = "DATABASE_URL";
  finding.sensitive = true;
  return finding;
}

void require_same(const Finding& a, const Finding& b) {
  CHECK(a.rule_id == b.rule_id);
  CHECK(a.severity == b.severity);
  CHECK(a.message == b.message);
  auto same_location = [](const Location& x, const Location& y) {
    CHECK(x.path == y.path);
    CHECK(x.span == y.span);
    CHECK(x.begin_line_text == y.begin_line_text);
    CHECK(x.end_line_text == y.end_line_text);
  };
  same_location(a.location, b.location);
  REQUIRE(a.related.size() == b.related.size());
  for (size_t i = 0; i < a.related.size(); ++i) {
    same_location(a.related[i].location, b.related[i].location);
    CHECK(a.related[i].message == b.related[i].message);
  }
  REQUIRE(a.fix.has_value() == b.fix.has_value());
  if (a.fix) {
    CHECK(a.fix->description == b.fix->description);
    REQUIRE(a.fix->edits.size() == b.fix->edits.size());
    for (size_t i = 0; i < a.fix->edits.size(); ++i) {
      CHECK(a.fix->edits[i].span == b.fix->edits[i].span);
      CHECK(a.fix->edits[i].replacement == b.fix->edits[i].replacement);
    }
  }
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint_detail == b.fingerprint_detail);
  CHECK(a.sensitive == b.sensitive);
}

}  // namespace

TEST_CASE("finding spill: every field of a finding comes back as it was written") {
  Finding plain;
  plain.rule_id = "DKR001";
  plain.message = std::string(300, 'x');  // a length that takes two bytes to say
  plain.location = {"Dockerfile", {{70000, 1}, {70000, 9}}, "CMD run", "CMD run"};
  std::vector<Finding> findings{full_finding(), plain};
  std::vector<Finding> back;
  REQUIRE(FindingSpill::decode(FindingSpill::encode(findings), back));
  REQUIRE(back.size() == 2);
  require_same(findings[0], back[0]);
  require_same(findings[1], back[1]);
}

TEST_CASE("finding spill: lists written in turn are read back by their records, in any order") {
  FindingSpill spill;
  std::vector<Finding> first{full_finding()};
  std::vector<Finding> second{full_finding(), full_finding()};
  second[1].message = "another";
  auto first_record = spill.write(first);
  auto second_record = spill.write(second);
  REQUIRE(first_record);
  REQUIRE(second_record);
  CHECK(first.capacity() == 0);  // written lists leave memory, their room included
  std::vector<Finding> back;
  REQUIRE(spill.read(*second_record, back));
  REQUIRE(back.size() == 2);
  CHECK(back[1].message == "another");
  back.clear();
  REQUIRE(spill.read(*first_record, back));
  REQUIRE(back.size() == 1);
  require_same(full_finding(), back[0]);
}

TEST_CASE("finding spill: truncated bytes are refused, not read as findings") {
  std::string bytes = FindingSpill::encode({full_finding()});
  std::vector<Finding> back;
  CHECK_FALSE(FindingSpill::decode(std::string_view(bytes).substr(0, bytes.size() - 3), back));
  CHECK_FALSE(FindingSpill::decode(bytes + "x", back));
}

TEST_CASE("finding spill: a cursor reads a record's findings one at a time, as they were written") {
  FindingSpill spill;
  std::vector<Finding> findings{full_finding(), full_finding(), full_finding()};
  findings[1].message = "second";
  findings[2].related.clear();
  std::vector<Finding> written = findings;
  auto record = spill.write(findings);
  REQUIRE(record);
  FindingSpill::Cursor cursor;
  REQUIRE(cursor.open(spill, *record));
  Finding finding;
  for (const Finding& expected : written) {
    REQUIRE(cursor.next(finding));
    require_same(expected, finding);
  }
  CHECK_FALSE(cursor.next(finding));
  CHECK_FALSE(cursor.failed());
}

TEST_CASE("finding spill: a cursor skims where each finding is, stepping over the rest") {
  FindingSpill spill;
  std::vector<Finding> findings{full_finding(), full_finding()};
  findings[1].rule_id = "K8S010";
  findings[1].location = {"chart/values.yaml", {{4, 9}, {4, 20}}, "password: x", "password: x"};
  findings[1].fix.reset();
  auto record = spill.write(findings);
  REQUIRE(record);
  FindingSpill::Cursor cursor;
  REQUIRE(cursor.open(spill, *record));
  FindingSpill::Place place;
  REQUIRE(cursor.skim(place));
  CHECK(place.rule_id == "ECS001");
  CHECK(place.path == "ecs/web.json");
  CHECK(place.begin == Position{12, 5});
  REQUIRE(cursor.skim(place));
  CHECK(place.rule_id == "K8S010");
  CHECK(place.path == "chart/values.yaml");
  CHECK(place.begin == Position{4, 9});
  CHECK_FALSE(cursor.skim(place));
  CHECK_FALSE(cursor.failed());
}
