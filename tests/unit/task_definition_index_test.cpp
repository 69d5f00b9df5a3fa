// Task definitions across files (project/task_definition_index.h): a RunTask call in one file is
// compared with the task definition another file of the run defines, the finding names that file
// and points at its value as a related location, the output is the same for any --jobs, and a
// family defined differently by two files is not compared with either.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/project/task_definition_index.h"
#include "analyzer/source/classify.h"
#include "tests/unit/terraform_test_support.h"

using namespace shiftlint;
using terraform::testing::ScratchFolder;

namespace {

std::string task_definition_json(const std::string& family, int cpu, int memory) {
  return fmt::format(
      "{{\n"
      "  \"family\": \"{}\",\n"
      "  \"requiresCompatibilities\": [\"FARGATE\"],\n"
      "  \"networkMode\": \"awsvpc\",\n"
      "  \"cpu\": \"{}\",\n"
      "  \"memory\": \"{}\",\n"
      "  \"containerDefinitions\": [\n"
      "    {{\"name\": \"worker\", \"image\": \"worker:1.0.0\", \"essential\": true, \"memory\": {}}}\n"
      "  ]\n"
      "}}\n",
      family, cpu, memory, memory);
}

const char* kScript =
    "#!/bin/sh\n"
    "aws ecs run-task --cluster batch --launch-type FARGATE --platform-version 1.4.0 \\\n"
    "  --task-definition nightly:7 \\\n"
    "  --overrides '{\"cpu\": \"256\", \"memory\": \"512\", \"containerOverrides\": [{\"name\": \"worker\", \"memory\": 256}]}'\n";

std::vector<Finding> check(const ScratchFolder& scratch, unsigned jobs) {
  Config config;
  CheckRequest request;
  request.paths = {scratch.root()};
  request.config = &config;
  request.jobs = jobs;
  request.select = {"ECS103", "ECS104", "SL"};
  return run_check(request).summary.findings;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& finding : findings) {
    text += fmt::format("{}:{}:{} {} {}\n", finding.location.path, finding.location.span.begin.line,
                        finding.location.span.begin.column, finding.rule_id, finding.message);
    for (const RelatedLocation& related : finding.related)
      text += fmt::format("  related {}:{}:{} {} | {}\n", related.location.path, related.location.span.begin.line,
                          related.location.span.begin.column, related.message, related.location.begin_line_text);
  }
  return text;
}

}  // namespace

TEST_CASE("task definition index: a script's overrides are compared with a task definition file elsewhere") {
  ScratchFolder scratch;
  scratch.write("ecs/nightly.json", task_definition_json("nightly", 1024, 2048));
  scratch.write("bin/run-nightly.sh", kScript);
  std::vector<Finding> findings = check(scratch, 1);
  INFO(describe(findings));
  REQUIRE(findings.size() == 3);
  auto with = [&](std::string_view part) -> const Finding& {
    for (const Finding& finding : findings)
      if (finding.message.find(part) != std::string::npos) return finding;
    FAIL("no finding with: " << part);
    return findings.front();
  };
  const Finding& cpu = with("task cpu");
  CHECK(cpu.rule_id == "ECS103");
  CHECK(cpu.location.path == "bin/run-nightly.sh");
  CHECK(cpu.location.span.begin.line == 4);
  CHECK(cpu.message.find("task definition \"nightly\" in ecs/nightly.json") != std::string::npos);
  REQUIRE(cpu.related.size() == 1);
  // The related location is the task definition's cpu, with its line's text for the code frame.
  CHECK(cpu.related.front().location.path == "ecs/nightly.json");
  CHECK(cpu.related.front().location.span.begin.line == 5);
  CHECK(cpu.related.front().location.begin_line_text == "  \"cpu\": \"1024\",");
  const Finding& container = with("container \"worker\" memory to 256 MiB, below the 2048 MiB");
  REQUIRE(container.related.size() == 1);
  CHECK(container.related.front().location.begin_line_text.find("\"memory\": 2048}") != std::string::npos);
}

TEST_CASE("task definition index: the same findings for any number of jobs") {
  ScratchFolder scratch;
  // Enough files that two workers interleave: the scripts may be linted before or after the
  // task definitions they name.
  for (int i = 0; i < 12; ++i) {
    std::string family = fmt::format("job-{}", i);
    scratch.write(fmt::format("a{}/task.json", i), task_definition_json(family, 1024, 2048));
    std::string script = kScript;
    script.replace(script.find("nightly:7"), 9, family);
    scratch.write(fmt::format("b{}/run.sh", i), script);
  }
  std::string one = describe(check(scratch, 1));
  CHECK(one == describe(check(scratch, 2)));
  CHECK(one == describe(check(scratch, 4)));
  CHECK(std::count(one.begin(), one.end(), '\n') > 12 * 3);
}

TEST_CASE("task definition index: a family two files define differently is not compared") {
  ScratchFolder scratch;
  scratch.write("staging/nightly.json", task_definition_json("nightly", 256, 512));
  scratch.write("production/nightly.json", task_definition_json("nightly", 1024, 2048));
  scratch.write("bin/run-nightly.sh", kScript);
  CHECK(describe(check(scratch, 2)).empty());

  SECTION("the same definition in two files is compared, named by the first") {
    scratch.write("staging/nightly.json", task_definition_json("nightly", 1024, 2048));
    std::string text = describe(check(scratch, 2));
    CHECK(text.find("task definition \"nightly\" in production/nightly.json") != std::string::npos);
  }
}

TEST_CASE("task definition index: summaries keep only the lines they point at") {
  ScratchFolder scratch;
  std::string text = task_definition_json("nightly", 1024, 2048);
  auto file = std::make_shared<const SourceFile>(scratch.path("t.json"), "t.json", text);
  ecs::TaskDefinition task;
  Node cpu;
  cpu.kind = NodeKind::String;
  cpu.text = "1024";
  cpu.file = file.get();
  cpu.span = {{5, 10}, {5, 16}};
  task.cpu = &cpu;
  task.file = file.get();
  TaskDefinitionSummaries summaries = summarize_task_definitions({&task});
  REQUIRE(summaries.size() == 1);
  const ecs::TaskDefinition& kept = summaries.front()->task;
  REQUIRE(kept.cpu);
  CHECK(kept.cpu->file != file.get());
  CHECK(kept.cpu->file->line(5) == file->line(5));
  CHECK(kept.cpu->file->line(2).empty());
  CHECK(kept.cpu->file->text().size() < text.size());
}

TEST_CASE("task definition index: a family that runs into an expansion is not linked") {
  ScratchFolder scratch;
  scratch.write("ecs/nightly.json", task_definition_json("nightly", 1024, 2048));
  std::string script = kScript;
  script.replace(script.find("nightly:7"), 9, "\"arn:aws:ecs:us-east-1:123456789012:task-definition/nightly${SUFFIX}:7\"");
  scratch.write("bin/run-nightly.sh", script);
  CHECK(describe(check(scratch, 1)).empty());
  // Without the expansion it is the same family.
  script = kScript;
  script.replace(script.find("nightly:7"), 9, "\"arn:aws:ecs:${AWS_REGION}:123456789012:task-definition/nightly:7\"");
  scratch.write("bin/run-nightly.sh", script);
  CHECK(describe(check(scratch, 1)).find("task definition \"nightly\" in ecs/nightly.json") != std::string::npos);
}

TEST_CASE("task definition index: a minified task definition is linked without keeping its line") {
  ScratchFolder scratch;
  std::string minified = task_definition_json("nightly", 1024, 2048);
  std::erase(minified, '\n');
  minified.insert(minified.find("\"cpu\""), "\"tags\": [" + std::string(20000, ' ') + "], ");
  scratch.write("ecs/nightly.json", minified);
  scratch.write("bin/run-nightly.sh", kScript);
  std::vector<Finding> findings = check(scratch, 1);
  REQUIRE(findings.size() == 3);
  for (const Finding& finding : findings) {
    REQUIRE(finding.related.size() == 1);
    CHECK(finding.related.front().location.path == "ecs/nightly.json");
    CHECK(finding.related.front().location.span.begin.line == 1);
    CHECK(finding.related.front().location.span.begin.column > 20000);
    CHECK(finding.related.front().location.begin_line_text.empty());
  }
}

TEST_CASE("task definition index: ecspresso configs are recognised by name or by their two keys") {
  CHECK(classify("deploy/ecspresso.yml", "region: ap-northeast-1\ncluster: default\ntask_definition: td.json\n") ==
        FileKind::EcspressoConfigYaml);
  CHECK(classify("deploy/staging.yaml", "cluster: default\nservice: web\nservice_definition: sv.json\n"
                                        "task_definition: td.json\n") == FileKind::EcspressoConfigYaml);
  CHECK(classify("ecspresso.json", "{\"cluster\": \"default\", \"task_definition\": \"td.json\"}") ==
        FileKind::EcspressoConfigJson);
  // ecs-cli's ecs-params.yml has a task_definition section and no service definition.
  CHECK(classify("ecs-params.yml", "version: 1\ntask_definition:\n  ecs_network_mode: awsvpc\n") == FileKind::Unknown);
  CHECK(classify("plan.json", "{\"format_version\": \"1.2\", \"planned_values\": {\"task_definition\": 1, "
                              "\"service_definition\": 2}}") == FileKind::TerraformPlanJson);
}

namespace {

// Two task definitions of one document, as summarize_task_definitions makes them: cpu and memory of
// the first, a container with a log driver in the second.
struct TwoTaskDefinitions {
  std::shared_ptr<const SourceFile> file = std::make_shared<const SourceFile>(
      "/repo/ecs/tasks.json", "ecs/tasks.json",
      "[\n  {\"family\": \"web\", \"cpu\": \"256\"},\n  {\"family\": \"worker\",\n   \"containerDefinitions\": "
      "[{\"name\": \"app\", \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {}}}]}\n]\n");
  Node web_family, web_cpu, worker_family, container, name, log_configuration;
  ecs::TaskDefinition web, worker;

  static Node scalar(const SourceFile* file, NodeKind kind, std::string text, uint32_t line, uint32_t column) {
    Node node;
    node.kind = kind;
    node.text = std::move(text);
    node.file = file;
    node.span = {{line, column}, {line, column + 5}};
    return node;
  }

  TwoTaskDefinitions() {
    web_family = scalar(file.get(), NodeKind::String, "web", 2, 15);
    web_cpu = scalar(file.get(), NodeKind::String, "256", 2, 29);
    web_cpu.key = "cpu";
    web_cpu.key_span = {{2, 22}, {2, 27}};
    web.file = file.get();
    web.display_name = "web";
    web.family = &web_family;
    web.cpu = &web_cpu;
    worker_family = scalar(file.get(), NodeKind::String, "worker", 3, 15);
    container = scalar(file.get(), NodeKind::Map, "", 4, 29);
    name = scalar(file.get(), NodeKind::String, "app", 4, 38);
    log_configuration = scalar(file.get(), NodeKind::Map, "", 4, 67);
    Node driver = scalar(file.get(), NodeKind::String, "awslogs", 4, 82);
    driver.key = "logDriver";
    Node options = scalar(file.get(), NodeKind::Map, "", 4, 104);
    options.key = "options";
    log_configuration.children = {driver, options};
    worker.carrier = ecs::Carrier::ContainerDefinitionList;
    worker.file = file.get();
    worker.display_name = "worker";
    worker.family = &worker_family;
    ecs::ContainerDefinition& definition = worker.containers.emplace_back();
    definition.node = &container;
    definition.name = &name;
    definition.log_configuration = &log_configuration;
  }
};

}  // namespace

TEST_CASE("task definition index: summaries set aside on disk read back as they were") {
  TwoTaskDefinitions tasks;
  TaskDefinitionSummaries summaries = summarize_task_definitions({&tasks.web, &tasks.worker});
  REQUIRE(summaries.size() == 2);
  std::string bytes = encode_task_definition_summaries(summaries);
  std::optional<TaskDefinitionSummaries> back = decode_task_definition_summaries(bytes);
  REQUIRE(back.has_value());
  REQUIRE(back->size() == 2);
  CHECK(encode_task_definition_summaries(*back) == bytes);
  const TaskDefinitionSummary& web = *back->front();
  CHECK(web.family == "web");
  CHECK(web.defined_in == "ecs/tasks.json");
  REQUIRE(web.task.cpu);
  CHECK(web.task.cpu->text == "256");
  CHECK(web.task.cpu->key_span == tasks.web_cpu.key_span);
  // Located in the excerpt: the line it sits on, at its own number, and nothing else.
  REQUIRE(web.task.cpu->file);
  CHECK(web.task.cpu->file->display_path() == "ecs/tasks.json");
  CHECK(web.task.cpu->file->line(2) == tasks.file->line(2));
  CHECK(web.task.cpu->file->line(1).empty());
  const TaskDefinitionSummary& worker = *back->back();
  CHECK(worker.task.carrier == ecs::Carrier::ContainerDefinitionList);
  REQUIRE(worker.task.containers.size() == 1);
  CHECK(worker.task.containers[0].name_text() == "app");
  CHECK(worker.task.containers[0].log_driver() == "awslogs");
  CHECK(worker.task.containers[0].log_configuration->children.size() == 1);  // only the driver is kept
  // The summaries of a document share one excerpt of it, as they did before.
  CHECK(worker.task.file == web.task.file);
  CHECK(worker.excerpts == web.excerpts);

  SECTION("truncated or corrupt bytes are refused") {
    for (size_t size : {size_t(0), size_t(1), bytes.size() / 2, bytes.size() - 1})
      CHECK_FALSE(decode_task_definition_summaries(std::string_view(bytes).substr(0, size)).has_value());
    CHECK_FALSE(decode_task_definition_summaries(bytes + "x").has_value());
  }
}

TEST_CASE("task definition index: stowed summaries are chosen without reading them, read back when linked") {
  TwoTaskDefinitions tasks;
  TaskDefinitionIndex index;
  IndexContribution contribution;
  contribution.task_definitions = summarize_task_definitions({&tasks.web, &tasks.worker});
  index.stow(contribution);
  CHECK(contribution.task_definitions.empty());
  REQUIRE(contribution.stowed_task_definitions.size() == 2);
  CHECK(contribution.stowed_task_definitions[1].family == "worker");
  CHECK(contribution.stowed_task_definitions[1].position == 1);
  contribution.unlinked_families = {"web"};  // the same document runs one of them
  index.add(contribution);
  // The index holds the task definitions now; the contribution keeps what it names.
  CHECK(contribution.stowed_task_definitions.empty());
  CHECK(contribution.unlinked_families == std::vector<std::string>{"web"});
  CHECK(index.resolves_any(contribution));

  IndexContribution caller;
  caller.unlinked_families = {"worker"};
  CHECK(index.resolves_any(caller));
  caller.unlinked_families = {"batch"};
  CHECK_FALSE(index.resolves_any(caller));

  std::shared_ptr<const TaskDefinitionSummary> worker = index.by_family("worker");
  REQUIRE(worker);
  CHECK(worker->task.containers[0].log_driver() == "awslogs");
  CHECK(index.by_family("worker") == worker);  // still held: shared, not read twice
  CHECK(index.by_family("web")->task.cpu->text == "256");
  CHECK_FALSE(index.by_family("batch"));

  SECTION("a family another document defines differently is chosen by neither") {
    tasks.web_cpu.text = "512";
    IndexContribution other;
    other.task_definitions = summarize_task_definitions({&tasks.web});
    index.stow(other);
    index.add(other);
    CHECK_FALSE(index.by_family("web"));
    CHECK(index.by_family("worker"));
  }
}
