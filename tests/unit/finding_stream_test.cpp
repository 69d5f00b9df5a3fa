#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "analyzer/engine/check_run.h"
#include "analyzer/engine/finding_stream.h"

using namespace shiftlint;

namespace {

Finding finding_at(std::string path, uint32_t line, uint32_t column, std::string rule, std::string message) {
  Finding finding;
  finding.rule_id = std::move(rule);
  finding.message = std::move(message);
  finding.location = {std::move(path), {{line, column}, {line, column + 3}}, "  image: nginx", "  image: nginx"};
  return finding;
}

// What a run reported before its findings were streamed: everything in memory, a stable sort of
// the phases' findings followed by the files' in discovery order, one finding per place,
// fingerprints in that order.
std::vector<Finding> sorted_in_memory(const std::vector<Finding>& phases, const std::vector<std::vector<Finding>>& files,
                                      const std::function<bool(const Finding&)>& keep) {
  std::vector<Finding> all = phases;
  for (const std::vector<Finding>& file : files)
    for (const Finding& finding : file)
      if (keep(finding)) all.push_back(finding);
  std::stable_sort(all.begin(), all.end(), finding_order);
  all.erase(std::unique(all.begin(), all.end(),
                        [](const Finding& a, const Finding& b) {
                          return a.rule_id == b.rule_id && a.location.path == b.location.path &&
                                 a.location.span == b.location.span && a.message == b.message;
                        }),
            all.end());
  assign_fingerprints(all);
  return all;
}

FindingStream stream_of(const std::vector<Finding>& phases, const std::vector<std::vector<Finding>>& files,
                        std::function<bool(const Finding&)> keep, bool spill_them = true) {
  auto spill = std::make_shared<FindingSpill>();
  std::vector<FindingStream::FileFindings> sources;
  for (std::vector<Finding> findings : files) {
    if (findings.empty()) continue;
    std::stable_sort(findings.begin(), findings.end(), finding_order);
    FindingStream::FileFindings source;
    source.first_path = findings.front().location.path;
    source.first_position = findings.front().location.span.begin;
    if (spill_them) source.spilled = spill->write(findings);
    source.findings = std::move(findings);
    sources.push_back(std::move(source));
  }
  std::vector<Finding> sorted_phases = phases;
  std::stable_sort(sorted_phases.begin(), sorted_phases.end(), finding_order);
  return FindingStream(spill, std::move(sorted_phases), std::move(sources), std::move(keep));
}

std::vector<Finding> read_all(const FindingStream& stream) {
  std::vector<Finding> out;
  CHECK(stream.for_each([&](Finding& finding) { out.push_back(std::move(finding)); }) == 0);
  return out;
}

void require_same_order(const std::vector<Finding>& streamed, const std::vector<Finding>& expected) {
  REQUIRE(streamed.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("finding " << i);
    CHECK(streamed[i].location.path == expected[i].location.path);
    CHECK(streamed[i].location.span == expected[i].location.span);
    CHECK(streamed[i].rule_id == expected[i].rule_id);
    CHECK(streamed[i].message == expected[i].message);
    CHECK(streamed[i].severity == expected[i].severity);
    CHECK(streamed[i].fingerprint == expected[i].fingerprint);
  }
}

}  // namespace

TEST_CASE("finding stream: the files' findings merge with the phases' in report order, phases first on ties") {
  std::vector<Finding> phases{finding_at("b/main.tf", 3, 1, "TF001", "phase"), finding_at("a/Dockerfile", 2, 1, "DKR001", "same")};
  phases[1].severity = Severity::Error;  // tells it from the file's equal finding
  std::vector<std::vector<Finding>> files{
      {finding_at("a/Dockerfile", 2, 1, "DKR001", "same"), finding_at("a/Dockerfile", 1, 1, "DKR002", "first")},
      {finding_at("a/entrypoint.sh", 4, 2, "DKR010", "script"), finding_at("b/app.yaml", 1, 1, "K8S001", "k")},
      {},
      {finding_at("a/entrypoint.sh", 4, 2, "DKR010", "script")},  // the same place from another Dockerfile
  };
  auto keep = [](const Finding&) { return true; };
  std::vector<Finding> streamed = read_all(stream_of(phases, files, keep));
  require_same_order(streamed, sorted_in_memory(phases, files, keep));
  REQUIRE(streamed.size() == 5);  // the script's line once
  CHECK(streamed[1].severity == Severity::Error);  // of two equal findings, the phase's
}

TEST_CASE("finding stream: any mix of files and places comes out as the in-memory sort did, read as often as wanted") {
  std::mt19937 random(20261122);
  const std::vector<std::string> paths{"a/Dockerfile", "a/entrypoint.sh", "b/values.yaml", "b/templates/x.yaml", "c.json"};
  const std::vector<std::string> rules{"DKR001", "K8S010", "ECS001"};
  for (int round = 0; round < 40; ++round) {
    std::vector<std::vector<Finding>> files(1 + random() % 8);
    std::vector<Finding> phases;
    auto random_finding = [&](const std::string& path) {
      Finding finding = finding_at(path, 1 + random() % 4, 1 + random() % 3, rules[random() % rules.size()],
                                   "m" + std::to_string(random() % 3));
      finding.severity = static_cast<Severity>(random() % 3);
      if (random() % 4 == 0) finding.fingerprint_detail = "VAR" + std::to_string(random() % 2);
      return finding;
    };
    for (size_t file = 0; file < files.size(); ++file) {
      const std::string& own = paths[file % paths.size()];
      for (int count = random() % 6; count > 0; --count)
        files[file].push_back(random_finding(random() % 5 == 0 ? paths[random() % paths.size()] : own));
    }
    for (int count = random() % 5; count > 0; --count) phases.push_back(random_finding(paths[random() % paths.size()]));
    auto keep = [](const Finding& finding) { return finding.message != "m2" || finding.rule_id != "ECS001"; };
    FindingStream stream = stream_of(phases, files, keep, round % 2 == 0);
    std::vector<Finding> expected = sorted_in_memory(phases, files, keep);
    require_same_order(read_all(stream), expected);
    require_same_order(read_all(stream), expected);  // a second pass (SARIF counts first)
  }
}
