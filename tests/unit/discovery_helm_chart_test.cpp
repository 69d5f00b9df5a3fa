// A path inside a Helm chart given on the command line brings in the chart (its whole folder, walked
// as `check <chart>` walks it), or the parent chart that renders it when it is a subchart, so that a
// pre-commit hook passing only a changed template lints the chart as a whole.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/source/discovery.h"
#include "analyzer/source/kubernetes_manifest.h"
#include "tests/unit/scratch_folder.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

// A test's own folder, under the temporary folder, named for this test file.
class Scratch : public testing::ScratchFolder {
 public:
  Scratch() : ScratchFolder("shiftlint-chart-args") {}
};

using Paths = std::vector<std::string>;

Paths displays(const DiscoveryResult& result) {
  Paths paths;
  for (const DiscoveredFile& file : result.files) paths.push_back(std::string(file.display_path()));
  return paths;
}

void write_repository(const Scratch& scratch) {
  scratch.file(".git/HEAD", "ref: refs/heads/main\n");
  scratch.file(".gitignore", "*.bak\n");
  scratch.file("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  scratch.file("charts/web/values.yaml", "replicaCount: 2\n");
  scratch.file("charts/web/templates/deployment.yaml", "kind: Deployment\n");
  scratch.file("charts/web/templates/old.yaml.bak", "kind: Deployment\n");
  scratch.file("charts/web/charts/worker/Chart.yaml", "apiVersion: v2\nname: worker\nversion: 1.0.0\n");
  scratch.file("charts/web/charts/worker/templates/job.yaml", "kind: Job\n");
  scratch.file("deploy/task.json", "{}\n");
}

const Paths kWholeChart = {"charts/web/Chart.yaml", "charts/web/charts/worker/Chart.yaml",
                           "charts/web/charts/worker/templates/job.yaml", "charts/web/templates/deployment.yaml",
                           "charts/web/values.yaml"};

}  // namespace

TEST_CASE("discovery: a file argument inside a chart lists the chart, shown from the root", "[discovery][helm]") {
  Scratch scratch;
  write_repository(scratch);
  DiscoveryOptions options;
  options.root = scratch.path();
  for (const std::string& argument : {std::string("charts/web/templates/deployment.yaml"), std::string("charts/web/values.yaml"),
                                      std::string("charts/web/Chart.yaml"),
                                      std::string("charts/web/charts/worker/templates/job.yaml")}) {
    INFO(argument);
    DiscoveryResult result = discover({scratch.path(argument)}, options);
    CHECK(result.problems.empty());
    CHECK(result.root == scratch.path());
    CHECK(displays(result) == kWholeChart);  // .gitignore still applies to the rest of the chart
  }
  // A file the .gitignore names is still listed when it is given, as any file argument is.
  DiscoveryResult ignored = discover({scratch.path("charts/web/templates/old.yaml.bak")}, options);
  Paths with_ignored = kWholeChart;
  with_ignored.insert(with_ignored.end() - 1, "charts/web/templates/old.yaml.bak");
  CHECK(displays(ignored) == with_ignored);
}

TEST_CASE("discovery: a Dockerfile inside a chart is listed alone", "[discovery][helm]") {
  // Helm never renders a Dockerfile, so changing one does not call for the chart around it.
  Scratch scratch;
  write_repository(scratch);
  scratch.file("charts/web/Dockerfile", "FROM debian:12\n");
  scratch.file("charts/web/templates/Containerfile.worker", "FROM debian:12\n");
  DiscoveryOptions options;
  options.root = scratch.path();
  // (Shown as typed: the file is outside the current folder, as any lone file argument would be.)
  for (const std::string& argument : {std::string("charts/web/Dockerfile"), std::string("charts/web/templates/Containerfile.worker")}) {
    INFO(argument);
    CHECK(displays(discover({scratch.path(argument)}, options)) == Paths{scratch.path(argument)});
  }
  // Beside a template, the template still brings in the chart (the Dockerfile is in it too).
  DiscoveryResult both = discover({scratch.path("charts/web/Dockerfile"), scratch.path("charts/web/values.yaml")}, options);
  CHECK(displays(both).size() == kWholeChart.size() + 2);
}

TEST_CASE("discovery: a folder argument inside a chart counts as the chart folder", "[discovery][helm]") {
  Scratch scratch;
  write_repository(scratch);
  DiscoveryResult templates = discover({scratch.path("charts/web/templates")}, {});
  CHECK(templates.root == scratch.path("charts/web"));
  CHECK(displays(templates) == Paths{"Chart.yaml", "charts/worker/Chart.yaml", "charts/worker/templates/job.yaml",
                                     "templates/deployment.yaml", "values.yaml"});
  DiscoveryResult subchart = discover({scratch.path("charts/web/charts/worker")}, {});
  CHECK(subchart.root == scratch.path("charts/web"));
  CHECK(displays(subchart) == displays(templates));
  // A folder that holds charts but is in none is walked as before.
  DiscoveryResult charts = discover({scratch.path("charts")}, {});
  CHECK(charts.root == scratch.path("charts"));
  CHECK(displays(charts).size() == 5);
}

TEST_CASE("discovery: a chart the config excludes is not brought in", "[discovery][helm]") {
  Scratch scratch;
  write_repository(scratch);
  DiscoveryOptions options;
  options.root = scratch.path();
  options.exclude = {"charts/web/charts/"};
  DiscoveryResult result = discover({scratch.path("charts/web/templates/deployment.yaml")}, options);
  CHECK(displays(result) == Paths{"charts/web/Chart.yaml", "charts/web/templates/deployment.yaml", "charts/web/values.yaml"});
  options.exclude = {"charts/web/"};
  CHECK(discover({scratch.path("charts/web/templates/deployment.yaml")}, options).files.empty());
}

TEST_CASE("discovery: enclosing_helm_chart stops at the limit and at the repository root", "[discovery][helm]") {
  Scratch scratch;
  write_repository(scratch);
  std::string job = scratch.path("charts/web/charts/worker/templates/job.yaml");
  CHECK(enclosing_helm_chart(job, false, "") == scratch.path("charts/web"));
  CHECK(enclosing_helm_chart(job, false, scratch.path("charts/web/charts/worker")) == scratch.path("charts/web/charts/worker"));
  CHECK(enclosing_helm_chart(scratch.path("deploy/task.json"), false, "").empty());
  CHECK(enclosing_helm_chart(scratch.path("charts"), true, "").empty());
  // A Chart.yaml above the repository root does not make its files a chart's.
  scratch.file("outer/Chart.yaml", "apiVersion: v2\nname: outer\nversion: 1.0.0\n");
  scratch.file("outer/repository/.git/HEAD", "ref: refs/heads/main\n");
  scratch.file("outer/repository/app/deployment.yaml", "kind: Deployment\n");
  CHECK(enclosing_helm_chart(scratch.path("outer/repository/app/deployment.yaml"), false, "").empty());
  CHECK(enclosing_helm_chart(scratch.path("outer/templates"), true, "") == scratch.path("outer"));
}
