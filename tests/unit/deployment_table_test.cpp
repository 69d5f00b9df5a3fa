// The check run's deployments while the project phase links apps: compact, each waiting on disk
// until its app's turn (project/deployment_table.h).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/project/app_links.h"
#include "analyzer/project/deployment_table.h"
#include "analyzer/project/facts_spill.h"

using namespace shiftlint;
using namespace shiftlint::project;

namespace {

DeploymentFacts deployment(const std::string& path, const std::string& name, uint32_t line, const std::string& image) {
  auto file = std::make_shared<const std::string>(path);
  DeploymentFacts facts;
  facts.kind = path.ends_with(".json") ? DeploymentFacts::Kind::TaskDefinition : DeploymentFacts::Kind::KubernetesWorkload;
  facts.path = path;
  facts.name = name;
  facts.label = "task definition \"" + name + "\"";
  facts.location = Place{file, {{line, 3}, {line + 20, 4}}};
  ContainerFacts app;
  app.name = name;
  app.image = image;
  app.location = Place{file, {{line + 2, 5}, {line + 2, 30}}};
  app.stop_timeout = Provided{"stopTimeout", "120", Place{file, {{line + 4, 5}, {line + 4, 22}}}};
  ContainerFacts router;
  router.name = "log_router";
  router.image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";
  router.sidecar = true;
  facts.containers = {app, router};
  return facts;
}

// Stowed like the per-file phase stows it, then added to the table.
void add_stowed(DeploymentTable& table, FactsSpill* spill, DeploymentFacts facts) {
  if (spill) {
    FileFacts file;
    file.deployments.push_back(std::move(facts));
    spill->stow(file);
    facts = std::move(file.deployments.front());
  }
  table.add(std::move(facts), spill);
}

}  // namespace

TEST_CASE("deployment table: linking reads the same of a deployment on disk as of one in memory") {
  FactsSpill spill;
  for (FactsSpill* where : {&spill, static_cast<FactsSpill*>(nullptr)}) {
    DeploymentTable table;
    add_stowed(table, where, deployment("ecs/web.json", "web", 2, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4"));
    REQUIRE(table.size() == 1);
    CHECK(table.kind(0) == DeploymentFacts::Kind::TaskDefinition);
    CHECK(table.path(0) == "ecs/web.json");
    CHECK(table.name(0) == "web");
    REQUIRE(table.container_count(0) == 2);
    CHECK(table.container_image(0, 0) == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4");
    CHECK_FALSE(table.container_is_sidecar(0, 0));
    CHECK(table.container_is_sidecar(0, 1));

    // Read back whole: its bulk with it (from disk, when it was stowed).
    DeploymentFacts back;
    REQUIRE(table.materialize(0, where, back));
    ProjectFacts facts;
    facts.deployments.push_back(std::move(back));
    App app;
    app.deployments.push_back({0, "", {}});
    REQUIRE(spill.restore(facts, app));
    CHECK(FactsSpill::encode_bulk(facts.deployments[0]) ==
          FactsSpill::encode_bulk(deployment("ecs/web.json", "web", 2, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4")));
    CHECK(facts.deployments[0].location.path() == "ecs/web.json");
    CHECK(facts.deployments[0].location.span.begin == Position{2, 3});
    CHECK(facts.deployments[0].containers[0].stop_timeout->value == "120");
  }
}

TEST_CASE("deployment table: ordered like the other facts, repeats of a place dropped") {
  FactsSpill spill;
  DeploymentTable table;
  add_stowed(table, &spill, deployment("k8s/worker.yaml", "worker", 40, "acme/worker:2"));
  add_stowed(table, &spill, deployment("k8s/api.yaml", "api", 1, "acme/api:2"));
  add_stowed(table, &spill, deployment("k8s/worker.yaml", "reports", 1, "acme/worker:2"));
  // A Terraform module linted through two calls gives its task definition twice: the first stays.
  add_stowed(table, &spill, deployment("k8s/api.yaml", "api-again", 1, "acme/api:3"));
  table.sort_by_place();
  REQUIRE(table.size() == 3);
  CHECK(table.name(0) == "api");
  CHECK(table.container_image(0, 0) == "acme/api:2");
  CHECK(table.name(1) == "reports");
  CHECK(table.name(2) == "worker");
  DeploymentFacts back;
  REQUIRE(table.materialize(2, &spill, back));
  CHECK(back.name == "worker");
  CHECK(back.location.span.begin.line == 40);
}

TEST_CASE("deployment table: a deployment that cannot be read back keeps what linking saw") {
  FactsSpill spill;
  DeploymentTable table;
  add_stowed(table, &spill, deployment("ecs/web.json", "web", 2, "acme/web:1"));
  DeploymentFacts back;
  // No spill to read from: the table's own answers, with a container for each the links may name.
  CHECK_FALSE(table.materialize(0, nullptr, back));
  CHECK(back.path == "ecs/web.json");
  CHECK(back.name == "web");
  CHECK(back.location.path() == "ecs/web.json");
  REQUIRE(back.containers.size() == 2);
  CHECK(back.container_count() == 2);
  CHECK(back.containers[0].image == "acme/web:1");
  CHECK(back.containers[1].sidecar);
}

TEST_CASE("deployment table: apps link to the same deployments as from the facts in memory") {
  ProjectFacts facts;
  HostFileFacts bundle;
  bundle.path = "services/web/.ebextensions/01.config";
  bundle.bundle_root = "services/web";
  bundle.role = ".ebextensions";
  facts.host_files.push_back(bundle);
  bundle.path = "services/api/Procfile";
  bundle.bundle_root = "services/api";
  bundle.role = "Procfile";
  facts.host_files.push_back(bundle);
  std::vector<DeploymentFacts> deployments = {
      deployment("deploy/api.yaml", "api", 1, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:7"),
      deployment("deploy/web.yaml", "web", 1, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:7"),
      deployment("services/web/ecs/task.json", "web-task", 1, "nginx:1.25"),
      // Vendored code is no app's, whatever tree it is in; a folder whose name ends like one is.
      deployment("services/web/node_modules/lib/deploy.yaml", "lib", 1, "busybox"),
      deployment("services/web/notvendor/deploy.yaml", "tool", 1, "busybox"),
      deployment("unrelated/thing.yaml", "thing", 1, "busybox"),
  };  // in path order, as the project phase sorts them: the same indices either way
  facts.deployments = deployments;
  Config config;
  std::vector<App> in_memory = link_apps(facts, config, "/repo");

  FactsSpill spill;
  DeploymentTable table;
  for (const DeploymentFacts& each : deployments) add_stowed(table, &spill, each);
  table.sort_by_place();
  facts.deployments.clear();
  std::vector<App> from_table = link_apps(facts, table, config, "/repo");

  REQUIRE(from_table.size() == in_memory.size());
  REQUIRE(from_table.size() == 2);
  for (size_t app = 0; app < in_memory.size(); ++app) {
    CHECK(from_table[app].name == in_memory[app].name);
    REQUIRE(from_table[app].deployments.size() == in_memory[app].deployments.size());
    for (size_t link = 0; link < in_memory[app].deployments.size(); ++link) {
      CHECK(from_table[app].deployments[link].index == in_memory[app].deployments[link].index);
      CHECK(from_table[app].deployments[link].reason.text() == in_memory[app].deployments[link].reason.text());
      CHECK(from_table[app].deployments[link].containers.size() == in_memory[app].deployments[link].containers.size());
    }
  }
  // web (its bundle comes first): its image, the task definition and the manifest in its tree; api: its image.
  REQUIRE(from_table[0].deployments.size() == 3);
  CHECK(table.path(from_table[0].deployments[0].index) == "deploy/web.yaml");
  CHECK(table.path(from_table[0].deployments[1].index) == "services/web/ecs/task.json");
  CHECK(table.path(from_table[0].deployments[2].index) == "services/web/notvendor/deploy.yaml");
  REQUIRE(from_table[1].deployments.size() == 1);
  CHECK(table.path(from_table[1].deployments[0].index) == "deploy/api.yaml");
}

TEST_CASE("deployment table: texts read back whole across blocks; a text longer than a block is cut to one") {
  DeploymentTable table;
  constexpr int kDeployments = 3000;  // 600-byte paths: more than one block of texts
  for (int index = 0; index < kDeployments; ++index) {
    std::string folder = "services/" + std::string(580, 'a' + index % 26) + "/" + std::to_string(index);
    table.add(deployment(folder + "/deploy.yaml", "app-" + std::to_string(index), 1, "acme/app-" + std::to_string(index % 7) + ":1"),
              nullptr);
  }
  std::string huge_name(3u << 19, 'n');  // 1.5 MiB
  table.add(deployment("k8s/huge.yaml", huge_name, 1, "acme/huge:1"), nullptr);
  REQUIRE(table.size() == kDeployments + 1);
  for (int index = 0; index < kDeployments; ++index) {
    std::string folder = "services/" + std::string(580, 'a' + index % 26) + "/" + std::to_string(index);
    REQUIRE(table.path(index) == folder + "/deploy.yaml");
    REQUIRE(table.name(index) == "app-" + std::to_string(index));
    REQUIRE(table.container_image(index, 0) == "acme/app-" + std::to_string(index % 7) + ":1");
  }
  CHECK(table.name(kDeployments) == std::string_view(huge_name).substr(0, 1u << 20));
  // Interned texts are the same text, not copies: seven images for 3,000 deployments.
  CHECK(table.container_image(0, 0).data() == table.container_image(7, 0).data());
  table.sort_by_place();
  CHECK(table.path(0) == "k8s/huge.yaml");
  DeploymentFacts back;
  REQUIRE(table.materialize(0, nullptr, back));
  CHECK(back.name == huge_name);  // held whole: only the table's copy is cut
}
