// The Terraform phase of `shiftlint check`: modules found by folder, findings on the .tf lines,
// syntax errors, suppressions in `#` and `//` comments, local modules linted through their calls,
// var files from the config, and editor buffers.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include <fmt/format.h>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "tests/unit/terraform_test_support.h"

using namespace shiftlint;
using terraform::testing::ScratchFolder;

namespace {

const char* kTaskWithoutUlimits =
    "resource \"aws_ecs_task_definition\" \"app\" {\n"
    "  family                   = \"app\"\n"
    "  requires_compatibilities = [\"FARGATE\"]\n"
    "  network_mode             = \"awsvpc\"\n"
    "  cpu                      = 256\n"
    "  memory                   = 512\n"
    "  container_definitions = jsonencode([{\n"
    "    name        = \"app\"\n"
    "    image       = \"app:1.0.0\"\n"
    "    essential   = true\n"
    "    stopTimeout = var.stop_timeout\n"
    "  }])\n"
    "}\n";

std::string run(const ScratchFolder& scratch, unsigned jobs = 1, const std::string& select = "ECS001,ECS003,SL") {
  Config config;
  std::string config_path = find_config_file(scratch.root());
  if (!config_path.empty()) {
    auto loaded = load_config_file(config_path);
    REQUIRE(std::holds_alternative<Config>(loaded));
    config = std::move(std::get<Config>(loaded));
  }
  CheckRequest request;
  request.paths = {scratch.root()};
  request.config = &config;
  request.jobs = jobs;
  for (size_t begin = 0; begin <= select.size();) {
    size_t comma = select.find(',', begin);
    if (comma == std::string::npos) comma = select.size();
    request.select.push_back(select.substr(begin, comma - begin));
    begin = comma + 1;
  }
  CheckOutcome outcome = run_check(request);
  std::string text;
  for (const Finding& finding : outcome.summary.findings)
    text += fmt::format("{}:{}:{}: {} {}\n", finding.location.path, finding.location.span.begin.line,
                        finding.location.span.begin.column, finding.rule_id, finding.message.substr(0, 60));
  for (const std::string& warning : outcome.warnings) text += "warning: " + warning + "\n";
  return text;
}

}  // namespace

TEST_CASE("terraform: check reports on the .tf lines; a broken file does not stop the module") {
  ScratchFolder scratch;
  scratch.write("svc/main.tf", kTaskWithoutUlimits);
  scratch.write("svc/variables.tf", "variable \"stop_timeout\" {\n  default = 300\n}\n");
  scratch.write("svc/broken.tf", "locals {\n  x = \n");
  CHECK(run(scratch) ==
        "svc/broken.tf:1:1: SL001 syntax error: unexpected end of file: 'locals {' is not fini\n"
        "svc/main.tf:7:39: ECS001 container \"app\" has no \"nofile\" ulimit: its open-file limit \n"
        "svc/variables.tf:2:13: ECS003 container \"app\" has stopTimeout 300, above Fargate's maximum\n");
}

TEST_CASE("terraform: tfvars beside the root module set its variables") {
  ScratchFolder scratch;
  scratch.write("main.tf", kTaskWithoutUlimits);
  scratch.write("variables.tf", "variable \"stop_timeout\" {\n  default = 30\n}\n");
  scratch.write("terraform.tfvars", "stop_timeout = 100\n");
  scratch.write("prod.auto.tfvars", "stop_timeout = 180\n");
  CHECK(run(scratch, 1, "ECS003") ==
        "prod.auto.tfvars:1:16: ECS003 container \"app\" has stopTimeout 180, above Fargate's maximum\n");
}

TEST_CASE("terraform: var files from the config apply after the auto-loaded ones") {
  ScratchFolder scratch;
  scratch.write("main.tf", kTaskWithoutUlimits);
  scratch.write("variables.tf", "variable \"stop_timeout\" {}\n");
  scratch.write("envs/prod.tfvars", "stop_timeout = 240\n");
  scratch.write(".shiftlint.yaml", "terraform:\n  var_files: [envs/prod.tfvars, envs/missing.tfvars]\n");
  std::string result = run(scratch, 1, "ECS003");
  CHECK(result.find("envs/prod.tfvars:1:16: ECS003 container \"app\" has stopTimeout 240") != std::string::npos);
  CHECK(result.find("warning: terraform.var_files: ") != std::string::npos);
  CHECK(result.find("missing.tfvars: no such file") != std::string::npos);
}

TEST_CASE("terraform: inline suppressions work in # and // comments; unused ones are SL003") {
  ScratchFolder scratch;
  std::string main_tf = kTaskWithoutUlimits;
  main_tf.replace(main_tf.find("  container_definitions"), 0, "  // shiftlint-ignore: ECS001 -- the AMI sets it\n");
  main_tf += "# shiftlint-ignore: ECS003\nlocals {}\n";
  scratch.write("main.tf", main_tf);
  scratch.write("variables.tf", "variable \"stop_timeout\" {\n  default = 60\n}\n");
  CHECK(run(scratch) == "main.tf:15:1: SL003 suppression of ECS003 matched no finding; remove it\n");
}

TEST_CASE("terraform: a local module is linted through its calls, its findings at each call") {
  ScratchFolder scratch;
  scratch.write("main.tf",
                "module \"a\" {\n  source = \"./modules/task\"\n  stop_timeout = 200\n}\n"
                "module \"b\" {\n  source = \"./modules/task\"\n  stop_timeout = 20\n}\n");
  scratch.write("modules/task/main.tf", std::string(kTaskWithoutUlimits) + "variable \"stop_timeout\" {}\n");
  // The module's own finding (no ulimit) is each call's: the user changes the call (or what it
  // passes), and which call needs it is what the report must say. The stop timeout is the first
  // call's; alone, the module has no value for it.
  CHECK(run(scratch) ==
        "main.tf:1:1: ECS001 container \"app\" has no \"nofile\" ulimit: its open-file limit \n"
        "main.tf:3:18: ECS003 container \"app\" has stopTimeout 200, above Fargate's maximum\n"
        "main.tf:5:1: ECS001 container \"app\" has no \"nofile\" ulimit: its open-file limit \n");
}

TEST_CASE("terraform: a finding moved to its module call keeps the module's line as a related location") {
  ScratchFolder scratch;
  scratch.write("envs/prod/main.tf",
                "module \"web\" {\n  source = \"../../modules/task\"\n  stop_timeout = 30\n}\n");
  scratch.write("modules/task/main.tf", std::string(kTaskWithoutUlimits) + "variable \"stop_timeout\" {}\n");
  Config config;
  CheckRequest request;
  request.paths = {scratch.root()};
  request.config = &config;
  request.select = {"ECS001"};
  request.jobs = 1;
  CheckOutcome outcome = run_check(request);
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings.front();
  CHECK(finding.location.path == "envs/prod/main.tf");
  CHECK(finding.location.span.begin == Position{1, 1});
  CHECK(finding.location.span.end == Position{1, 13});
  REQUIRE_FALSE(finding.related.empty());
  CHECK(finding.related.front().location.path == "modules/task/main.tf");
  CHECK(finding.related.front().location.span.begin.line == 7);
  CHECK(finding.related.front().message == "in module.web, here");
}

TEST_CASE("terraform: a container the call writes and the module builds is reported at its object in the call") {
  // terraform-aws-ecs: `container_definitions = { web = {...}, (local.sidecar) = {...} }` in the
  // call, one `jsonencode` in the module for all of them. A field a container lacks goes in its
  // object in the call, not at `module "ecs" {`, and each container has its own.
  ScratchFolder scratch;
  scratch.write("main.tf",
                "locals {\n  sidecar = \"log-router\"\n}\n"
                "module \"ecs\" {\n"
                "  source = \"./modules/task\"\n"
                "  containers = {\n"
                "    web = {\n"
                "      image = \"web:1.4.2\"\n"
                "      cpu   = 256\n"
                "    }\n"
                "    (local.sidecar) = {\n"
                "      image = \"fluent-bit:3.0\"\n"
                "    }\n"
                "  }\n"
                "}\n");
  scratch.write("modules/task/main.tf",
                "variable \"containers\" {}\n"
                "resource \"aws_ecs_task_definition\" \"this\" {\n"
                "  family                   = \"app\"\n"
                "  requires_compatibilities = [\"FARGATE\"]\n"
                "  network_mode             = \"awsvpc\"\n"
                "  cpu                      = 512\n"
                "  memory                   = 1024\n"
                "  container_definitions = jsonencode([for name, container in var.containers :\n"
                "    merge({ name = name, essential = true }, container)])\n"
                "}\n");
  Config config;
  CheckRequest request;
  request.paths = {scratch.root()};
  request.config = &config;
  request.select = {"ECS001"};
  request.jobs = 1;
  CheckOutcome outcome = run_check(request);
  REQUIRE(outcome.summary.findings.size() == 2);
  const Finding& web = outcome.summary.findings[0];
  CHECK(web.message.starts_with("container \"web\" has no \"nofile\" ulimit"));
  CHECK(web.location.path == "main.tf");
  CHECK(web.location.span.begin == Position{7, 5});
  CHECK(web.location.span.end == Position{7, 12});  // `web = {`
  const Finding& sidecar = outcome.summary.findings[1];
  CHECK(sidecar.message.starts_with("container \"log-router\" has no \"nofile\" ulimit"));
  CHECK(sidecar.location.span.begin == Position{11, 5});
  CHECK(sidecar.location.span.end == Position{11, 24});  // `(local.sidecar) = {`
  REQUIRE_FALSE(web.related.empty());
  CHECK(web.related.front().location.path == "modules/task/main.tf");
  CHECK(web.related.front().message == "in module.ecs, here");
}

namespace {

CheckOutcome check_folder(const std::string& path, std::vector<std::string> select) {
  static Config config;
  CheckRequest request;
  request.paths = {path};
  request.config = &config;
  request.select = std::move(select);
  request.jobs = 1;
  return run_check(request);
}

}  // namespace

TEST_CASE("terraform: a root checked alone reports what its module outside the folder builds, on the call") {
  // `shiftlint check live/prod` in a repository whose modules live in modules/: the module's files
  // are not the scan's, so its findings, fix or not, are placed on the call, the module's line
  // related; `--fix` does not edit outside the scanned folder.
  ScratchFolder scratch;
  scratch.write(".git/HEAD", "ref: refs/heads/main\n");
  scratch.write("live/prod/main.tf", "module \"svc\" {\n  source = \"../../modules/svc\"\n}\n");
  scratch.write("modules/svc/main.tf",
                "variable \"platform_version\" {\n  default = \"LATEST\"\n}\n"
                "resource \"aws_ecs_service\" \"this\" {\n"
                "  name             = \"web\"\n"
                "  task_definition  = \"web:1\"\n"
                "  launch_type      = \"FARGATE\"\n"
                "  platform_version = var.platform_version\n"
                "}\n" +
                    std::string(kTaskWithoutUlimits) + "variable \"stop_timeout\" { default = 30 }\n");
  CheckOutcome outcome = check_folder(scratch.root() + "/live/prod", {"ECS001", "ECS101"});
  REQUIRE(outcome.summary.findings.size() == 2);
  for (const Finding& finding : outcome.summary.findings) {
    INFO(finding.rule_id << " " << finding.message);
    CHECK(finding.location.path == "main.tf");
    CHECK(finding.location.span.begin == Position{1, 1});
    CHECK_FALSE(finding.fix.has_value());
    REQUIRE_FALSE(finding.related.empty());
    CHECK(finding.related.front().location.path == "../../modules/svc/main.tf");
    CHECK(finding.related.front().message == "in module.svc, here");
  }
  // From the repository's root the module is the scan's: the fix stays on its default.
  CheckOutcome whole = check_folder(scratch.root(), {"ECS101"});
  REQUIRE(whole.summary.findings.size() == 1);
  CHECK(whole.summary.findings.front().location.path == "modules/svc/main.tf");
  CHECK(whole.summary.findings.front().location.span.begin.line == 2);
  CHECK(whole.summary.findings.front().fix.has_value());
}

TEST_CASE("terraform: a root's task definition whose container a module assembles is reported on the call") {
  ScratchFolder scratch;
  scratch.write(".git/HEAD", "ref: refs/heads/main\n");
  scratch.write("envs/prod/main.tf",
                "module \"web\" {\n  source = \"../../modules/container\"\n  name = \"web\"\n}\n"
                "module \"worker\" {\n  source = \"../../modules/container\"\n  name = \"worker\"\n}\n"
                "resource \"aws_ecs_task_definition\" \"web\" {\n"
                "  family                   = \"web\"\n"
                "  requires_compatibilities = [\"FARGATE\"]\n"
                "  network_mode             = \"awsvpc\"\n"
                "  cpu                      = 256\n"
                "  memory                   = 512\n"
                "  container_definitions    = jsonencode([module.web.container, module.worker.container])\n"
                "}\n");
  scratch.write("modules/container/main.tf",
                "variable \"name\" {}\n"
                "output \"container\" {\n"
                "  value = { name = var.name, image = \"app:1.0.0\", essential = true }\n"
                "}\n");
  // Checked alone, the module is outside the folder: each finding goes to a call.
  CheckOutcome alone = check_folder(scratch.root() + "/envs/prod", {"ECS001"});
  REQUIRE(alone.summary.findings.size() == 2);
  for (const Finding& finding : alone.summary.findings) {
    CHECK(finding.location.path == "main.tf");
    REQUIRE_FALSE(finding.related.empty());
    CHECK(finding.related.front().location.path == "../../modules/container/main.tf");
  }
  // From the root, the module is the scan's; its one place builds both containers, so the finding
  // stays there with both calls related.
  CheckOutcome whole = check_folder(scratch.root(), {"ECS001"});
  REQUIRE(whole.summary.findings.size() == 2);
  CHECK(whole.summary.findings.front().location.path == "modules/container/main.tf");
}

TEST_CASE("terraform: a root's task definition whose only container a module assembles is reported on its call") {
  ScratchFolder scratch;
  scratch.write("main.tf",
                "module \"web\" {\n  source = \"./modules/container\"\n  name = \"web\"\n}\n"
                "resource \"aws_ecs_task_definition\" \"web\" {\n"
                "  family                   = \"web\"\n"
                "  requires_compatibilities = [\"FARGATE\"]\n"
                "  network_mode             = \"awsvpc\"\n"
                "  cpu                      = 256\n"
                "  memory                   = 512\n"
                "  container_definitions    = jsonencode([module.web.container])\n"
                "}\n");
  scratch.write("modules/container/main.tf",
                "variable \"name\" {}\n"
                "output \"container\" {\n"
                "  value = { name = var.name, image = \"app:1.0.0\", essential = true }\n"
                "}\n");
  CheckOutcome outcome = check_folder(scratch.root(), {"ECS001"});
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings.front();
  CHECK(finding.location.path == "main.tf");
  CHECK(finding.location.span.begin == Position{1, 1});
  REQUIRE_FALSE(finding.related.empty());
  CHECK(finding.related.front().location.path == "modules/container/main.tf");
  CHECK(finding.related.front().message == "in module.web, here");
}

TEST_CASE("terraform: output is the same for any number of jobs") {
  ScratchFolder scratch;
  for (int i = 0; i < 12; ++i) {
    scratch.write(fmt::format("svc{}/main.tf", i), kTaskWithoutUlimits);
    scratch.write(fmt::format("svc{}/variables.tf", i),
                  fmt::format("variable \"stop_timeout\" {{\n  default = {}\n}}\n", 100 + i * 10));
  }
  std::string one = run(scratch, 1);
  CHECK(one == run(scratch, 4));
  CHECK(std::count(one.begin(), one.end(), '\n') == 12 + 9);  // 12 ECS001, 9 ECS003 (130 s and above)
}

TEST_CASE("terraform: an editor buffer is linted as a module of one file") {
  ScratchFolder scratch;
  auto file = std::make_shared<const SourceFile>(scratch.path("main.tf"), "main.tf",
                                                 std::string(kTaskWithoutUlimits) +
                                                     "variable \"stop_timeout\" {\n  default = 150\n}\n");
  Config config;
  RuleSelection selection = select_rules(config, {"ECS003"}, {});
  std::optional<std::vector<Finding>> findings = lint_source(file, config, selection);
  REQUIRE(findings);
  REQUIRE(findings->size() == 1);
  CHECK(findings->front().rule_id == "ECS003");
  CHECK(findings->front().location.span.begin.line == 15);
}

TEST_CASE("terraform: modules that terraform init copied into .terraform/ are not linted") {
  ScratchFolder scratch;
  scratch.write("main.tf", "locals {}\n");
  scratch.write(".terraform/modules/ecs/main.tf", kTaskWithoutUlimits);
  CHECK(run(scratch) == "");
}

TEST_CASE("terraform: a container JSON read by file() is reported once, with its task's context") {
  ScratchFolder scratch;
  scratch.write("main.tf",
                "resource \"aws_ecs_task_definition\" \"app\" {\n"
                "  family                   = \"app\"\n"
                "  requires_compatibilities = [\"EC2\"]\n"
                "  container_definitions    = file(\"${path.module}/containers.json\")\n"
                "}\n");
  scratch.write("containers.json",
                "[\n  {\"name\": \"app\", \"image\": \"app:1.0\", \"essential\": true, \"portMappings\": [],\n"
                "   \"logConfiguration\": {\"logDriver\": \"awslogs\"}}\n]\n");
  // The per-file path alone would not know the task runs on EC2 (it would say "the platform").
  CHECK(run(scratch, 1, "ECS001") ==
        "containers.json:2:3: ECS001 container \"app\" has no \"nofile\" ulimit: its open-file limit \n");
}

TEST_CASE("terraform: an editor buffer runs the infrastructure rules, but not the folder-level backend check") {
  ScratchFolder scratch;
  // The backend may live in another file of the folder (backend.tf): one buffer cannot tell.
  auto file = std::make_shared<const SourceFile>(scratch.path("main.tf"), "main.tf",
                                                 "provider \"aws\" {}\n"
                                                 "resource \"aws_ecs_service\" \"web\" {\n"
                                                 "  launch_type      = \"FARGATE\"\n"
                                                 "  platform_version = \"LATEST\"\n"
                                                 "}\n");
  Config config;
  RuleSelection selection = select_rules(config, {"ECS101", "AWS007"}, {});
  std::optional<std::vector<Finding>> findings = lint_source(file, config, selection);
  REQUIRE(findings);
  REQUIRE(findings->size() == 1);
  CHECK(findings->front().rule_id == "ECS101");
  CHECK(findings->front().location.span.begin.line == 4);
  REQUIRE(findings->front().fix);
  CHECK(findings->front().fix->edits.front().replacement == "\"1.4.0\"");
}

TEST_CASE("terraform: the folder-level check sees a backend declared in another file") {
  ScratchFolder scratch;
  scratch.write("main.tf", "provider \"aws\" {}\nresource \"aws_ecs_cluster\" \"main\" {\n  name = \"main\"\n}\n");
  CHECK(run(scratch, 1, "AWS007").find("AWS007") != std::string::npos);
  scratch.write("backend.tf", "terraform {\n  backend \"s3\" {}\n}\n");
  CHECK(run(scratch, 1, "AWS007").find("AWS007") == std::string::npos);
}

TEST_CASE("rules off by default run only when named") {
  Config config;
  auto selected = [&](std::vector<std::string> select) {
    RuleSelection selection = select_rules(config, select, {});
    return selection.find("ECS107") != nullptr;
  };
  CHECK_FALSE(selected({"ALL"}));
  CHECK_FALSE(selected({"ECS"}));
  CHECK(selected({"ALL", "ECS107"}));
  CHECK(selected({"scheduled-task-not-idempotent"}));
}

namespace {
// Applies a finding's one-edit fix to the text it was made for.
std::string with_fix(const SourceFile& file, const Finding& finding) {
  REQUIRE(finding.fix);
  REQUIRE(finding.fix->edits.size() == 1);
  const TextEdit& edit = finding.fix->edits.front();
  std::string text(file.text());
  size_t begin = file.offset_of(edit.span.begin), end = file.offset_of(edit.span.end);
  return text.substr(0, begin) + edit.replacement + text.substr(end);
}

std::vector<Finding> lint_buffer(const ScratchFolder& scratch, const std::string& text, const char* rule,
                                 std::shared_ptr<const SourceFile>& file) {
  file = std::make_shared<const SourceFile>(scratch.path("main.tf"), "main.tf", text);
  Config config;
  RuleSelection selection = select_rules(config, {rule}, {});
  std::optional<std::vector<Finding>> findings = lint_source(file, config, selection);
  REQUIRE(findings);
  return *findings;
}
}  // namespace

TEST_CASE("terraform: ECS101 and ECS102 fixes leave nothing to report") {
  ScratchFolder scratch;
  std::shared_ptr<const SourceFile> file;
  const std::string omitted =
      "resource \"aws_ecs_service\" \"web\" {\n"
      "  launch_type = \"FARGATE\"\n"
      "  deployment_controller {\n"
      "    type = \"CODE_DEPLOY\"\n"
      "  }\n"
      "}\n";
  std::vector<Finding> findings = lint_buffer(scratch, omitted, "ECS101", file);
  REQUIRE(findings.size() == 1);
  std::string pinned = with_fix(*file, findings.front());
  CHECK(pinned.find("  launch_type = \"FARGATE\"\n  platform_version = \"1.4.0\"\n") != std::string::npos);
  CHECK(lint_buffer(scratch, pinned, "ECS101", file).empty());

  findings = lint_buffer(scratch, omitted, "ECS102", file);
  REQUIRE(findings.size() == 1);
  std::string ignored = with_fix(*file, findings.front());
  CHECK(ignored.find("  lifecycle {\n    ignore_changes = [task_definition, load_balancer, desired_count]\n  }\n}\n") !=
        std::string::npos);
  CHECK(lint_buffer(scratch, ignored, "ECS102", file).empty());

  const std::string partial =
      "resource \"aws_ecs_service\" \"web\" {\n"
      "  deployment_controller {\n"
      "    type = \"CODE_DEPLOY\"\n"
      "  }\n"
      "  lifecycle {\n"
      "    ignore_changes = [desired_count]\n"
      "  }\n"
      "}\n";
  findings = lint_buffer(scratch, partial, "ECS102", file);
  REQUIRE(findings.size() == 1);
  std::string completed = with_fix(*file, findings.front());
  CHECK(completed.find("ignore_changes = [desired_count, task_definition, load_balancer]") != std::string::npos);
  CHECK(lint_buffer(scratch, completed, "ECS102", file).empty());
}
