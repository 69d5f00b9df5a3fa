// The bulk of the project facts set aside on disk during a check run and read back per app.
#include <catch2/catch.hpp>

#include <memory>
#include <optional>

#include "analyzer/project/facts_spill.h"

using namespace shiftlint;
using namespace shiftlint::project;

namespace {

Place place(const std::shared_ptr<const std::string>& file, uint32_t line) { return Place{file, {{line, 3}, {line, 9}}}; }

HostFileFacts host_file() {
  HostFileFacts facts;
  facts.path = "web/.ebextensions/01-limits.config";
  facts.bundle_root = "web";
  facts.role = ".ebextensions";
  facts.anchor = {facts.path, {{1, 1}, {1, 1}}, "", ""};
  facts.items.push_back({HostItemCategory::NofileLimit, "nofile", "65536", "131072", true, "commands: 01_limits",
                         {facts.path, {{4, 7}, {4, 40}}, "    command: ulimit -n 65536", ""}});
  facts.items.push_back({HostItemCategory::EnvironmentVariable, "DATABASE_URL", "", "", false, "option_settings", {}});
  return facts;
}

ImageFacts image() {
  auto file = std::make_shared<const std::string>("web/Dockerfile");
  ImageFacts facts;
  facts.path = "web/Dockerfile";
  facts.folder = "web";
  facts.anchor = {facts.path, {{1, 1}, {1, 20}}, "FROM ruby:3.2-slim", "FROM ruby:3.2-slim"};
  facts.base_image = "ruby:3.2-slim";
  facts.packages = {{"libpq-dev", "apt", place(file, 3)}, {"imagemagick", "apt", place(file, 3)}};
  facts.opaque_managers = {"bundle"};
  facts.install_anchor = {facts.path, {{3, 1}, {3, 60}}, "", ""};
  facts.runtimes = {"ruby"};
  facts.environment = {{"RAILS_ENV", "production", place(file, 5)}};
  facts.time_zone = {{"TZ", "Europe/Berlin", place(file, 6)}};
  facts.shell_entrypoint = ImageFacts::ShellEntrypoint{"CMD", "a shell runs the command", {facts.path, {{9, 1}, {9, 30}}, "", ""}};
  facts.command_words = {"sh", "-c", "bundle exec sidekiq"};
  facts.startup_commands = {{"bundle", "exec", "sidekiq"}, {}};
  return facts;
}

DeploymentFacts deployment() {
  auto file = std::make_shared<const std::string>("ecs/web.json");
  DeploymentFacts facts;
  facts.path = "ecs/web.json";
  facts.name = "web";
  facts.label = "task definition \"web\"";
  facts.location = Place{file, {{2, 3}, {30, 4}}};
  ContainerFacts app;
  app.name = "web";
  app.image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4";
  app.location = place(file, 5);
  app.environment_block = place(file, 8);
  app.environment = {{"RAILS_ENV", "production", place(file, 9)}, {"SECRET_KEY_BASE", "(secret)", place(file, 12)}};
  app.environment_open = true;
  app.nofile = Provided{"131072", "65536", place(file, 15)};
  app.ulimits_block = place(file, 14);
  app.stop_timeout = Provided{"stopTimeout", "120", place(file, 18)};
  app.system_controls = {{"net.core.somaxconn", "1024", place(file, 20)}};
  app.overrides_command = true;
  app.command_words = {"bundle", "exec", "puma"};
  ContainerFacts router;
  router.name = "log_router";
  router.image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";
  router.location = place(file, 22);
  router.log_driver = Provided{"awsfirelens", "", Place{}};
  router.sidecar = true;
  facts.containers = {app, router};
  return facts;
}

ScheduledRunFacts scheduled_run() {
  ScheduledRunFacts facts;
  facts.path = "terraform/jobs.tf";
  facts.label = "aws_cloudwatch_event_target.nightly";
  facts.location = {facts.path, {{10, 1}, {20, 2}}, "", ""};
  facts.task_family = "web";
  facts.commands = {{"rake", "reports:nightly"}};
  return facts;
}

}  // namespace

TEST_CASE("facts spill: the bulk of each kind of fact decodes to what was encoded") {
  HostFileFacts host = host_file();
  HostFileFacts host_back;
  REQUIRE(FactsSpill::decode_bulk(FactsSpill::encode_bulk(host), host_back));
  CHECK(FactsSpill::encode_bulk(host_back) == FactsSpill::encode_bulk(host));
  REQUIRE(host_back.items.size() == 2);
  CHECK(host_back.items[0].location.begin_line_text == "    command: ulimit -n 65536");
  CHECK_FALSE(host_back.items[1].value_known);

  ImageFacts original = image();
  ImageFacts back;
  REQUIRE(FactsSpill::decode_bulk(FactsSpill::encode_bulk(original), back));
  CHECK(FactsSpill::encode_bulk(back) == FactsSpill::encode_bulk(original));
  CHECK(back.base_image == "ruby:3.2-slim");
  REQUIRE(back.shell_entrypoint.has_value());
  CHECK(back.shell_entrypoint->instruction == "CMD");
  REQUIRE(back.packages.size() == 2);
  CHECK(back.packages[1].location.path() == "web/Dockerfile");
  CHECK(back.packages[1].location.span == original.packages[1].location.span);
  CHECK(back.packages[0].location.file == back.packages[1].location.file);  // one shared path, as made
  CHECK(back.startup_commands.size() == 2);

  DeploymentFacts task = deployment();
  DeploymentFacts skeleton = task;
  FactsSpill::drop_bulk(skeleton);
  REQUIRE(FactsSpill::decode_bulk(FactsSpill::encode_bulk(task), skeleton));
  CHECK(FactsSpill::encode_bulk(skeleton) == FactsSpill::encode_bulk(task));
  CHECK(skeleton.containers[0].nofile->value == "65536");
  CHECK_FALSE(skeleton.containers[1].nofile.has_value());
  CHECK(skeleton.containers[1].log_driver->location.file == nullptr);

  ScheduledRunFacts run = scheduled_run();
  ScheduledRunFacts run_back;
  REQUIRE(FactsSpill::decode_bulk(FactsSpill::encode_bulk(run), run_back));
  CHECK(run_back.commands == run.commands);
}

TEST_CASE("facts spill: stowing keeps what linking reads") {
  FactsSpill spill;
  FileFacts file;
  file.deployments.push_back(deployment());
  spill.stow(file);
  const DeploymentFacts& task = file.deployments[0];
  REQUIRE(task.stowed.stowed());
  CHECK(task.path == "ecs/web.json");
  CHECK(task.name == "web");
  CHECK(task.location.span == deployment().location.span);
  CHECK(task.containers.empty());  // on disk whole: a container in memory is ten times what linking reads
  CHECK(task.label.empty());
  REQUIRE(task.container_count() == 2);
  CHECK(task.container_image(0) == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4");
  CHECK_FALSE(task.container_is_sidecar(0));
  CHECK(task.container_is_sidecar(1));

  // The same answers from a deployment that was never stowed, or that is read back.
  DeploymentFacts whole = deployment();
  REQUIRE(whole.container_count() == 2);
  CHECK(whole.container_image(1) == "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable");
  CHECK(whole.container_is_sidecar(1));
  ProjectFacts facts{{}, {}, std::move(file.deployments), {}};
  App app;
  app.deployments.push_back({0, "", {}});
  REQUIRE(spill.restore(facts, app));
  REQUIRE(facts.deployments[0].containers.size() == 2);
  CHECK(facts.deployments[0].containers[0].location.path() == "ecs/web.json");
  CHECK(facts.deployments[0].label == "task definition \"web\"");
  CHECK(facts.deployments[0].container_count() == 2);
  CHECK(facts.deployments[0].container_is_sidecar(1));
  spill.release(facts, app);
  CHECK(facts.deployments[0].containers.empty());
  CHECK(facts.deployments[0].container_image(0) == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4");

  ImageFacts dockerfile = image();
  FactsSpill::drop_bulk(dockerfile);
  CHECK(dockerfile.folder == "web");
  CHECK(dockerfile.packages.empty());
  CHECK_FALSE(dockerfile.shell_entrypoint.has_value());
}

TEST_CASE("facts spill: a truncated or corrupt bulk is refused, not read past its end") {
  std::string bytes = FactsSpill::encode_bulk(image());
  for (size_t size : {size_t(0), size_t(1), bytes.size() / 2, bytes.size() - 1}) {
    ImageFacts back;
    CHECK_FALSE(FactsSpill::decode_bulk(std::string_view(bytes).substr(0, size), back));
  }
  std::string huge_count = "\x01\xff\xff\xff\xff\x0f";  // base image "\xff", then a list of 4 billion packages
  ImageFacts back;
  CHECK_FALSE(FactsSpill::decode_bulk(huge_count, back));
}

TEST_CASE("facts spill: stowed per file, restored and released per app") {
  FactsSpill spill;
  FileFacts file;
  file.host_files.push_back(host_file());
  file.images.push_back(image());
  file.deployments.push_back(deployment());
  file.scheduled_runs.push_back(scheduled_run());
  spill.stow(file);
  CHECK(file.host_files[0].items.empty());
  CHECK(file.images[0].packages.empty());
  CHECK(file.deployments[0].containers.empty());
  CHECK(file.scheduled_runs[0].commands.empty());
  CHECK(file.images[0].stowed.stowed());

  ProjectFacts facts{std::move(file.host_files), std::move(file.images), std::move(file.deployments),
                     std::move(file.scheduled_runs)};
  App app;
  app.name = "web";
  app.host_files = {0};
  app.images.push_back({0, "Dockerfile in the same folder as .ebextensions", {}});
  app.deployments.push_back({0, "image web matches the Dockerfile folder web", {{0, 0}}});
  app.scheduled_runs.push_back({0, "runs the task definition web of this app", {}});
  REQUIRE(spill.restore(facts, app));
  CHECK(facts.host_files[0].items.size() == 2);
  CHECK(FactsSpill::encode_bulk(facts.images[0]) == FactsSpill::encode_bulk(image()));
  CHECK(FactsSpill::encode_bulk(facts.deployments[0]) == FactsSpill::encode_bulk(deployment()));
  CHECK(facts.scheduled_runs[0].commands == scheduled_run().commands);
  REQUIRE(spill.restore(facts, app));  // twice: the same, not twice as much
  CHECK(facts.host_files[0].items.size() == 2);

  spill.release(facts, app);
  CHECK(facts.host_files[0].items.empty());
  CHECK(facts.deployments[0].containers.empty());
  REQUIRE(spill.restore_all(facts));
  CHECK(facts.deployments[0].containers[0].stop_timeout->value == "120");
}

TEST_CASE("facts spill: a file's facts set aside whole read back as they were after stowing") {
  FactsSpill spill;
  FileFacts file;
  file.host_files.push_back(host_file());
  file.images.push_back(image());
  file.deployments.push_back(deployment());
  file.deployments.push_back(deployment());
  file.deployments[1].kind = DeploymentFacts::Kind::KubernetesWorkload;
  file.deployments[1].scheduled = true;
  file.scheduled_runs.push_back(scheduled_run());
  spill.stow(file);
  std::string stowed = FactsSpill::encode_set_aside(file);
  FileFacts copy = file;

  std::optional<StowedPart> where = spill.set_aside(file);
  REQUIRE(where.has_value());
  CHECK(file.empty());
  FactsSpill::Counts counts;
  REQUIRE(spill.count_aside(*where, counts));
  CHECK(counts.host_files == 1);
  CHECK(counts.images == 1);
  CHECK(counts.deployments == 2);
  CHECK(counts.scheduled_runs == 1);

  FileFacts back;
  back.images.push_back(image());  // appended after what is there
  REQUIRE(spill.take_back(*where, back));
  REQUIRE(back.images.size() == 2);
  back.images.erase(back.images.begin());
  CHECK(FactsSpill::encode_set_aside(back) == stowed);
  REQUIRE(back.deployments.size() == 2);
  const DeploymentFacts& workload = back.deployments[1];
  CHECK(workload.kind == DeploymentFacts::Kind::KubernetesWorkload);
  CHECK(workload.scheduled);
  CHECK(workload.name == "web");
  CHECK(workload.location.path() == "ecs/web.json");
  CHECK(workload.location.span == copy.deployments[1].location.span);
  CHECK(workload.stowed.offset == copy.deployments[1].stowed.offset);
  REQUIRE(workload.container_count() == 2);
  CHECK(workload.container_image(0) == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4");
  CHECK(workload.container_is_sidecar(1));
  CHECK(back.host_files[0].role == ".ebextensions");
  CHECK(back.images[0].folder == "web");
  CHECK(back.scheduled_runs[0].task_family == "web");

  // The bulk is still where stow() put it.
  ProjectFacts facts{std::move(back.host_files), std::move(back.images), std::move(back.deployments),
                     std::move(back.scheduled_runs)};
  REQUIRE(spill.restore_all(facts));
  CHECK(facts.deployments[1].label == "task definition \"web\"");
  CHECK(facts.deployments[0].containers.size() == 2);
  CHECK(facts.images[0].base_image == "ruby:3.2-slim");
  CHECK(facts.scheduled_runs[0].commands.size() == 1);
  CHECK(facts.host_files[0].items.size() == 2);

  // Facts whose bulk stayed in memory are not set aside; corrupt bytes are refused.
  FileFacts in_memory;
  in_memory.images.push_back(image());
  CHECK_FALSE(spill.set_aside(in_memory).has_value());
  CHECK(in_memory.images.size() == 1);
  FileFacts none;
  CHECK_FALSE(FactsSpill::decode_set_aside(std::string_view(stowed).substr(0, stowed.size() - 1), none));
  CHECK(none.empty());
}

TEST_CASE("facts spill: a deployment whose bulk cannot be read back still has the containers linking saw") {
  FactsSpill spill;
  FileFacts file;
  file.deployments.push_back(deployment());
  spill.stow(file);
  ProjectFacts facts{{}, {}, std::move(file.deployments), {}};
  facts.deployments[0].stowed.offset += 1u << 30;  // past the end of what was written
  App app;
  app.deployments.push_back({0, "", {{1, std::nullopt}}});
  CHECK_FALSE(spill.restore(facts, app));
  // The rules index the containers as the links do: each is there, with what linking read of it.
  const DeploymentFacts& task = facts.deployments[0];
  REQUIRE(task.containers.size() == 2);
  CHECK(task.containers[0].image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4");
  CHECK(task.containers[1].sidecar);
  CHECK_FALSE(task.containers[1].stop_timeout.has_value());
}
