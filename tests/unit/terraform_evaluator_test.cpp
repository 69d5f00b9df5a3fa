// The partial evaluator: what a root module's values are, where they point, and what stays unknown.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "analyzer/model/terraform/ecs_task_definitions.h"
#include "analyzer/model/terraform/evaluator.h"
#include "analyzer/model/terraform/module.h"
#include "tests/unit/terraform_test_support.h"
#include "tests/sanitized_build.h"

using namespace shiftlint;
using namespace shiftlint::terraform;
using terraform::testing::Evaluated;
using terraform::testing::ScratchFolder;

namespace {

std::string where(const Node& node) {
  return (node.file ? node.file->display_path() : std::string("?")) + ":" + std::to_string(node.span.begin.line) +
         ":" + std::to_string(node.span.begin.column);
}

std::string messages(const EvaluatedRoot& evaluated) {
  std::string all;
  for (const EvaluationFailure& failure : evaluated.failures)
    all += (failure.file ? failure.file->display_path() : "?") + ":" + std::to_string(failure.span.begin.line) +
           ": " + failure.message + "\n";
  return all;
}

const Resource* resource(const Module& module, std::string_view type, std::string_view name) {
  for (const Resource& candidate : module.resources)
    if (candidate.type == type && candidate.name == name) return &candidate;
  return nullptr;
}

}  // namespace

TEST_CASE("terraform: variables take tfvars over defaults; locals resolve in dependency order") {
  Evaluated evaluated(
      "variable \"env\" { default = \"dev\" }\n"
      "variable \"cpu\" { default = 256 }\n"
      "variable \"unset\" {}\n"
      "locals {\n"
      "  full = \"${local.prefix}-${var.env}\"\n"
      "  prefix = upper(\"app\")\n"
      "}\n"
      "output \"name\" { value = local.full }\n"
      "output \"cpu\" { value = var.cpu * 2 }\n"
      "output \"unset\" { value = var.unset }\n",
      "env = \"prod\"\n");
  const Node* name = evaluated.output("name");
  REQUIRE(name);
  CHECK(name->kind == NodeKind::String);
  CHECK(name->text == "APP-prod");
  CHECK(evaluated.output("cpu")->as_integer() == 512);
  const Node* unset = evaluated.output("unset");
  CHECK(unset->kind == NodeKind::Unknown);
  CHECK(unset->text == "var.unset");
  CHECK(evaluated.result.failures.empty());
}

TEST_CASE("terraform: a value keeps the span of the literal it came from") {
  Evaluated evaluated(
      "variable \"timeout\" { default = 30 }\n"
      "locals {\n"
      "  grace = 45\n"
      "  c = { stopTimeout = var.timeout, startTimeout = local.grace, name = \"x\" }\n"
      "}\n"
      "output \"c\" { value = local.c }\n",
      "timeout = 200\n");
  const Node* c = evaluated.output("c");
  REQUIRE(c);
  CHECK(where(*c->find("stopTimeout")) == "terraform.tfvars:1:11");
  CHECK(c->find("stopTimeout")->key_span.empty());  // the key is in main.tf, the value is not
  CHECK(where(*c->find("startTimeout")) == "main.tf:3:11");
  CHECK(c->find("name")->key_span.begin.line == 4);
}

TEST_CASE("terraform: for expressions, conditionals, splats and indexes") {
  Evaluated evaluated(
      "locals {\n"
      "  ports = { web = 80, api = 8080, admin = 9000 }\n"
      "  list = [for name, port in local.ports : \"${name}:${port}\" if port > 100]\n"
      "  by_size = { for name, port in local.ports : (port > 1000 ? \"high\" : \"low\") => name... }\n"
      "  items = [{ id = \"a\", tags = [\"x\"] }, { id = \"b\", tags = [\"y\"] }]\n"
      "}\n"
      "output \"list\" { value = local.list }\n"
      "output \"by_size\" { value = local.by_size }\n"
      "output \"ids\" { value = local.items[*].id }\n"
      "output \"legacy\" { value = local.items.*.id[1] }\n"
      "output \"first_tag\" { value = local.items[1].tags[0] }\n"
      "output \"pick\" { value = length(local.list) == 2 ? \"two\" : \"other\" }\n");
  const Node* list = evaluated.output("list");
  REQUIRE(list);
  REQUIRE(list->children.size() == 2);
  CHECK(list->children[0].text == "admin:9000");  // maps iterate in key order
  CHECK(list->children[1].text == "api:8080");
  const Node* by_size = evaluated.output("by_size");
  REQUIRE(by_size->find("high"));
  CHECK(by_size->find("high")->children.size() == 2);
  CHECK(by_size->find("low")->children.at(0).text == "web");
  const Node* ids = evaluated.output("ids");
  REQUIRE(ids->children.size() == 2);
  CHECK(ids->children[1].text == "b");
  CHECK(evaluated.output("legacy")->text == "b");  // `.*` then [1] indexes the list of ids
  CHECK(evaluated.output("first_tag")->text == "y");
  CHECK(evaluated.output("pick")->text == "two");
  CHECK(messages(evaluated.result).empty());
}

TEST_CASE("terraform: template directives and heredocs render") {
  Evaluated evaluated(
      "locals {\n"
      "  names = [\"a\", \"b\"]\n"
      "  text = <<-EOT\n"
      "    %{ for n in local.names ~}\n"
      "    item ${n}\n"
      "    %{ endfor ~}\n"
      "    %{ if length(local.names) > 1 }many%{ else }one%{ endif }\n"
      "    EOT\n"
      "}\n"
      "output \"text\" { value = local.text }\n");
  const Node* text = evaluated.output("text");
  REQUIRE(text);
  CHECK(text->text == "item a\nitem b\nmany\n");
}

TEST_CASE("terraform: count and for_each expand per instance; unknown collections give one representative") {
  Evaluated evaluated(
      "variable \"services\" {\n"
      "  default = { web = { cpu = 256 }, worker = { cpu = 512 } }\n"
      "}\n"
      "variable \"unknown\" {}\n"
      "resource \"aws_ecs_task_definition\" \"each\" {\n"
      "  for_each = var.services\n"
      "  family   = each.key\n"
      "  cpu      = each.value.cpu\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"counted\" {\n"
      "  count  = 2\n"
      "  family = \"copy-${count.index}\"\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"later\" {\n"
      "  for_each = var.unknown\n"
      "  family   = each.key\n"
      "  cpu      = 256\n"
      "}\n");
  const Resource* each = resource(evaluated.result.module, "aws_ecs_task_definition", "each");
  REQUIRE(each);
  REQUIRE(each->instances.size() == 2);
  CHECK(each->instances[0].key.text == "web");
  CHECK(each->instances[1].value.find("family")->text == "worker");
  CHECK(each->instances[1].value.find("cpu")->as_integer() == 512);
  CHECK(where(*each->instances[1].value.find("cpu")) == "main.tf:2:53");

  const Resource* counted = resource(evaluated.result.module, "aws_ecs_task_definition", "counted");
  REQUIRE(counted->instances.size() == 2);
  CHECK(counted->instances[1].value.find("family")->text == "copy-1");
  CHECK(counted->instances[1].value.find("count") == nullptr);  // meta-arguments are not arguments

  const Resource* later = resource(evaluated.result.module, "aws_ecs_task_definition", "later");
  REQUIRE(later->instances.size() == 1);
  CHECK(later->instances[0].key.kind == NodeKind::Unknown);
  CHECK(later->instances[0].value.find("family")->kind == NodeKind::Unknown);
  CHECK(later->instances[0].value.find("cpu")->as_integer() == 256);
  CHECK(evaluated.result.failures.empty());
}

TEST_CASE("terraform: dynamic blocks expand; unknown ones make the block list unknown") {
  Evaluated evaluated(
      "variable \"volumes\" { default = [\"data\", \"cache\"] }\n"
      "variable \"unknown\" {}\n"
      "resource \"aws_ecs_task_definition\" \"a\" {\n"
      "  dynamic \"volume\" {\n"
      "    for_each = var.volumes\n"
      "    content { name = volume.value }\n"
      "  }\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"b\" {\n"
      "  dynamic \"volume\" {\n"
      "    for_each = var.unknown\n"
      "    iterator = v\n"
      "    content { name = v.value }\n"
      "  }\n"
      "}\n");
  const Resource* a = resource(evaluated.result.module, "aws_ecs_task_definition", "a");
  const Node* volumes = a->instances[0].value.find("volume");
  REQUIRE(volumes);
  REQUIRE(volumes->children.size() == 2);
  CHECK(volumes->children[1].find("name")->text == "cache");
  const Resource* b = resource(evaluated.result.module, "aws_ecs_task_definition", "b");
  CHECK(b->instances[0].value.find("volume")->kind == NodeKind::Unknown);
}

TEST_CASE("terraform: local modules take inputs and give outputs; registry modules give unknowns") {
  ScratchFolder scratch;
  scratch.write("main.tf",
                "module \"svc\" {\n"
                "  source = \"./modules/svc\"\n"
                "  name   = \"billing\"\n"
                "}\n"
                "module \"many\" {\n"
                "  source   = \"./modules/svc\"\n"
                "  for_each = toset([\"a\", \"b\"])\n"
                "  name     = each.key\n"
                "}\n"
                "module \"remote\" {\n"
                "  source  = \"terraform-aws-modules/ecs/aws\"\n"
                "  version = \"5.0.0\"\n"
                "}\n"
                "output \"family\" { value = module.svc.family }\n"
                "output \"b\" { value = module.many[\"b\"].family }\n"
                "output \"remote\" { value = module.remote.cluster_arn }\n");
  scratch.write("modules/svc/main.tf",
                "variable \"name\" {}\n"
                "resource \"aws_ecs_task_definition\" \"this\" { family = \"${var.name}-task\" }\n"
                "output \"family\" { value = aws_ecs_task_definition.this.family }\n");
  scratch.write("modules/svc/outputs.tf", "output \"arn\" { value = aws_ecs_task_definition.this.arn }\n");
  ScanRoot scan_root(scratch.root());
  ModuleSource root = testing::load_module(scratch, "", {"main.tf"});
  EvaluatedRoot evaluated = evaluate_root_module(scan_root, root, {});
  // Resource attributes are known only after apply, even the configured ones.
  CHECK(testing::output(evaluated, "family")->kind == NodeKind::Unknown);
  CHECK(testing::output(evaluated, "family")->text == "aws_ecs_task_definition.this.family");
  CHECK(testing::output(evaluated, "remote")->kind == NodeKind::Unknown);
  CHECK(testing::output(evaluated, "remote")->text == "module.remote.cluster_arn");
  REQUIRE(evaluated.module.children.size() == 3);
  const Module& child = evaluated.module.children[0];
  CHECK(child.address == "module.many[\"a\"]");
  CHECK(child.resources.at(0).instances.at(0).value.find("family")->text == "a-task");
  CHECK(evaluated.module.children[2].address == "module.svc");
  const Node* family = evaluated.module.children[2].resources.at(0).instances.at(0).value.find("family");
  CHECK(family->text == "billing-task");
  CHECK(where(*family) == "modules/svc/main.tf:2:54");
  CHECK(evaluated.failures.empty());
}

TEST_CASE("terraform: jsonencode keeps the HCL spans of the encoded values") {
  Evaluated evaluated(
      "locals {\n"
      "  containers = [{\n"
      "    name        = \"app\"\n"
      "    stopTimeout = 300\n"
      "  }]\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"app\" {\n"
      "  family                = \"app\"\n"
      "  container_definitions = jsonencode(local.containers)\n"
      "}\n");
  TerraformTaskDefinitions tasks;
  extract_task_definitions(evaluated.result.module, tasks);
  REQUIRE(tasks.tasks.size() == 1);
  const ecs::TaskDefinition& task = tasks.tasks[0];
  CHECK(task.carrier == ecs::Carrier::Terraform);
  CHECK(task.display_name == "app");
  REQUIRE(task.containers.size() == 1);
  REQUIRE(task.containers[0].stop_timeout);
  CHECK(where(*task.containers[0].stop_timeout) == "main.tf:4:19");
  CHECK(task.containers[0].stop_timeout->key_span.begin.column == 5);
  const Node* encoded = task.node->find("container_definitions");
  CHECK(encoded->text == R"([{"name":"app","stopTimeout":300}])");
}

TEST_CASE("terraform: templatefile() and file() values point inside the file they came from") {
  Evaluated evaluated(
      "resource \"aws_ecs_task_definition\" \"t\" {\n"
      "  family = \"t\"\n"
      "  container_definitions = templatefile(\"${path.module}/c.json.tpl\", { timeout = 300, image = var.image })\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"f\" {\n"
      "  family = \"f\"\n"
      "  container_definitions = file(\"defs/f.json\")\n"
      "}\n"
      "variable \"image\" {}\n",
      "",
      {{"c.json.tpl", "[\n  {\n    \"name\": \"t\",\n    \"image\": \"${image}\",\n    \"stopTimeout\": ${timeout}\n  }\n]\n"},
       {"defs/f.json", "[{\"name\": \"f\",\n  \"stopTimeout\": 500}]\n"}});
  TerraformTaskDefinitions tasks;
  extract_task_definitions(evaluated.result.module, tasks);
  REQUIRE(tasks.tasks.size() == 2);
  const ecs::ContainerDefinition& templated = tasks.tasks[0].containers.at(0);
  const ecs::ContainerDefinition& read = tasks.tasks[1].containers.at(0);
  REQUIRE(templated.stop_timeout);
  REQUIRE(read.stop_timeout);
  CHECK(templated.stop_timeout->as_integer() == 300);
  // The value the ${timeout} inserted is placed where it was written: the call's `timeout = 300`.
  CHECK(where(*templated.stop_timeout) == "main.tf:3:81");
  CHECK(templated.stop_timeout->span.end.column == 84);
  CHECK(templated.image->kind == NodeKind::Unknown);  // var.image has no value
  CHECK(templated.image->text == "${image}");
  CHECK(where(*templated.node) == "c.json.tpl:2:3");

  CHECK(where(*read.stop_timeout) == "defs/f.json:2:18");
}

TEST_CASE("terraform: data \"template_file\" renders its file with its vars") {
  Evaluated evaluated(
      "data \"template_file\" \"web\" {\n"
      "  template = file(\"${path.module}/tasks/web.json\")\n"
      "  vars = { timeout = var.timeout, image = \"nginx:1.25\" }\n"
      "}\n"
      "data \"template_file\" \"legacy\" {\n"
      "  template = \"${file(\"tasks/web.json\")}\"\n"
      "  vars {\n"  // Terraform 0.11's block form of the map
      "    timeout = 45\n"
      "    image = \"nginx:1.25\"\n"
      "  }\n"
      "}\n"
      "data \"template_file\" \"inline\" {\n"
      "  template = \"[{\\\"name\\\": \\\"i\\\"}]\"\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"web\" {\n"
      "  family = \"web\"\n"
      "  container_definitions = data.template_file.web.rendered\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"legacy\" {\n"
      "  family = \"legacy\"\n"
      "  container_definitions = \"${data.template_file.legacy.rendered}\"\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"inline\" {\n"
      "  family = \"inline\"\n"
      "  container_definitions = data.template_file.inline.rendered\n"
      "}\n"
      "variable \"timeout\" { default = 120 }\n",
      "",
      {{"tasks/web.json", "[\n  {\n    \"name\": \"web\",\n    \"image\": \"${image}\",\n    \"stopTimeout\": ${timeout}\n  }\n]\n"}});
  TerraformTaskDefinitions tasks;
  extract_task_definitions(evaluated.result.module, tasks);
  REQUIRE(tasks.tasks.size() == 3);
  const ecs::ContainerDefinition& web = tasks.tasks[0].containers.at(0);
  CHECK(web.stop_timeout->as_integer() == 120);
  // ${timeout} is var.timeout: placed at the variable's default, the line to change.
  CHECK(where(*web.stop_timeout) == "main.tf:27:32");
  CHECK(web.image->as_string() == "nginx:1.25");
  CHECK(where(*web.node) == "tasks/web.json:2:3");
  const ecs::ContainerDefinition& legacy = tasks.tasks[1].containers.at(0);
  CHECK(legacy.stop_timeout->as_integer() == 45);
  CHECK(where(*legacy.stop_timeout) == "main.tf:8:15");
  // An inline template is HCL text Terraform interpolates first: not rendered, so unknown.
  CHECK(tasks.tasks[2].containers.empty());
}

TEST_CASE("terraform: a heredoc of JSON maps back to its lines in the .tf file") {
  Evaluated evaluated(
      "resource \"aws_ecs_task_definition\" \"h\" {\n"
      "  family = \"h\"\n"
      "  container_definitions = <<-EOF\n"
      "    [\n"
      "      {\"name\": \"h\", \"stopTimeout\": ${var.timeout}}\n"
      "    ]\n"
      "    EOF\n"
      "}\n"
      "variable \"timeout\" { default = 150 }\n");
  TerraformTaskDefinitions tasks;
  extract_task_definitions(evaluated.result.module, tasks);
  REQUIRE(tasks.tasks.size() == 1);
  const ecs::ContainerDefinition& container = tasks.tasks[0].containers.at(0);
  CHECK(container.stop_timeout->as_integer() == 150);
  // All of it is ${var.timeout}: placed at the variable's default, the line to change.
  CHECK(where(*container.stop_timeout) == "main.tf:9:32");
  CHECK(where(*container.name) == "main.tf:5:16");
}

TEST_CASE("terraform: unknown values propagate and are not failures") {
  Evaluated evaluated(
      "variable \"tags\" {}\n"
      "locals {\n"
      "  merged = merge({ a = 1 }, var.tags)\n"
      "  tried = try(var.tags.owner, \"nobody\")\n"
      "  joined = join(\",\", [\"a\", aws_instance.x.id])\n"
      "  count = length([aws_instance.x.id, \"b\"])\n"
      "  encoded = jsonencode({ role = aws_iam_role.task.arn, cpu = 256 })\n"
      "}\n"
      "output \"merged\" { value = local.merged }\n"
      "output \"tried\" { value = local.tried }\n"
      "output \"joined\" { value = local.joined }\n"
      "output \"count\" { value = local.count }\n"
      "output \"encoded\" { value = local.encoded }\n");
  CHECK(evaluated.output("merged")->kind == NodeKind::Unknown);
  CHECK(evaluated.output("tried")->kind == NodeKind::Unknown);  // try() waits for unknowns
  CHECK(evaluated.output("joined")->kind == NodeKind::Unknown);
  CHECK(evaluated.output("count")->as_integer() == 2);
  const Node* encoded = evaluated.output("encoded");
  CHECK(encoded->kind == NodeKind::Unknown);
  REQUIRE(json_structure(*encoded));
  CHECK(json_structure(*encoded)->find("cpu")->as_integer() == 256);
  CHECK(json_structure(*encoded)->find("role")->text == "aws_iam_role.task.arn");
}

TEST_CASE("terraform: a string template with unknown parts keeps its literal text, which is not JSON") {
  Evaluated evaluated(
      "variable \"tag\" { default = \"latest\" }\n"
      "locals {\n"
      "  image = \"${aws_ecr_repository.app.repository_url}:${var.tag}\"\n"
      "  list  = \"[${aws_instance.x.id}]\"\n"
      "}\n"
      "output \"image\" { value = local.image }\n"
      "output \"list\" { value = local.list }\n");
  const Node* image = evaluated.output("image");
  REQUIRE(image->kind == NodeKind::Unknown);
  CHECK(image->tag == kTemplateWithUnknownPartsTag);
  REQUIRE(image->children.size() == 1);
  // The known variable is filled in, the unknown attribute left as `${...}`.
  CHECK(image->children.front().text == "${aws_ecr_repository.app.repository_url}:latest");
  CHECK_FALSE(json_structure(*image));
  CHECK_FALSE(json_structure(*evaluated.output("list")));
}

TEST_CASE("terraform: try() and can() catch failures; outside them failures are reported") {
  Evaluated evaluated(
      "locals {\n"
      "  settings = { cpu = 256 }\n"
      "  memory = try(local.settings.memory, 512)\n"
      "  has_memory = can(local.settings.memory)\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"x\" {\n"
      "  family = \"x\"\n"
      "  memory = local.memory\n"
      "  cpu    = local.settings.gpu\n"
      "  ipc_mode = parseint(\"zz\", 10)\n"
      "  pid_mode = sha256(\"x\")\n"
      "}\n"
      "output \"has_memory\" { value = local.has_memory }\n");
  const Resource* x = resource(evaluated.result.module, "aws_ecs_task_definition", "x");
  CHECK(x->instances[0].value.find("memory")->as_integer() == 512);
  CHECK(evaluated.output("has_memory")->boolean == false);
  CHECK(messages(evaluated.result) ==
        "main.tf:9: the object has no attribute \"gpu\"; the value is unknown\n"
        "main.tf:10: parseint: cannot read \"zz\"; the value is unknown\n");  // sha256 is unknown on purpose
}

TEST_CASE("terraform: failures in resources no model reads are not reported") {
  Evaluated evaluated(
      "resource \"aws_instance\" \"x\" {\n"
      "  ami = local.missing\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"y\" {\n"
      "  family = local.missing\n"
      "}\n");
  CHECK(messages(evaluated.result) == "main.tf:5: local.missing is not declared in this module; the value is unknown\n");
}

TEST_CASE("terraform: a name missing from a module that has .tf.json files is unknown, not undeclared") {
  // Terraform merges *.tf.json (its JSON syntax, often generated) into the module; shiftlint reads
  // the .tf files only, so a local declared there is unknown rather than "not declared".
  Evaluated evaluated(
      "resource \"aws_ecs_task_definition\" \"y\" {\n"
      "  family = local.published_repository\n"
      "  cpu    = var.cpu\n"
      "}\n",
      "", {{"generated.tf.json", "{\"locals\": {\"published_repository\": \"public.ecr.aws/x\"}}\n"}});
  CHECK(messages(evaluated.result).empty());
}

TEST_CASE("terraform: unsupported functions are named in the failure") {
  Evaluated evaluated(
      "resource \"aws_ecs_task_definition\" \"x\" {\n"
      "  family = templatestring(\"a\", {})\n"
      "}\n");
  CHECK(messages(evaluated.result) ==
        "main.tf:2: shiftlint does not evaluate the function templatestring(); the value is unknown\n");
}

TEST_CASE("terraform: file() and local modules above the scanned folder are read within its git repository") {
  // `cd envs/prod && shiftlint check .`: the root module reads ../../shared and ../../modules, as
  // terraform does; a link out of the repository is still refused.
  ScratchFolder outside;
  outside.write("secret.json", "[{\"name\": \"leak\"}]");
  ScratchFolder repository;
  repository.write(".git/HEAD", "ref: refs/heads/main\n");
  repository.write("shared/containers.json", "[{\"name\": \"web\", \"image\": \"web:1.4\"}]");
  repository.write("modules/service/main.tf",
                   "output \"containers\" {\n  value = file(\"${path.module}/../../shared/containers.json\")\n}\n");
  repository.write("envs/prod/main.tf",
                   "module \"service\" {\n  source = \"../../modules/service\"\n}\n"
                   "resource \"aws_ecs_task_definition\" \"a\" {\n"
                   "  family = \"a\"\n"
                   "  container_definitions = file(\"../../shared/containers.json\")\n"
                   "}\n"
                   "resource \"aws_ecs_task_definition\" \"b\" {\n"
                   "  family = \"b\"\n"
                   "  container_definitions = module.service.containers\n"
                   "}\n"
                   "resource \"aws_ecs_task_definition\" \"c\" {\n"
                   "  family = \"c\"\n"
                   "  container_definitions = file(\"link.json\")\n"
                   "}\n");
  std::filesystem::create_symlink(outside.path("secret.json"), repository.path("envs/prod/link.json"));
  ScanRoot scan_root(repository.path("envs/prod"));
  CHECK(scan_root.display_path(repository.path("modules/service/main.tf")) == "../../modules/service/main.tf");
  ModuleSource module = testing::load_module(repository, "envs/prod", {"main.tf"});
  EvaluatedRoot evaluated = evaluate_root_module(scan_root, module, {});
  REQUIRE(evaluated.failures.size() == 1);
  CHECK(evaluated.failures[0].message.find("is outside the scanned folder and the git repository it is in") !=
        std::string::npos);
  TerraformTaskDefinitions tasks;
  extract_task_definitions(evaluated.module, tasks);
  REQUIRE(tasks.tasks.size() == 3);
  // In source order: a (file above), b (the module's output), c (the link out of the repository).
  CHECK(tasks.tasks[0].containers.size() == 1);
  CHECK(tasks.tasks[1].containers.size() == 1);
  CHECK(tasks.tasks[2].containers.empty());
}

TEST_CASE("terraform: file() never reads outside the scanned folder, symbolic links included") {
  ScratchFolder outside;
  outside.write("secret.json", "[{\"name\": \"leak\"}]");
  ScratchFolder scratch;
  scratch.write("main.tf",
                "resource \"aws_ecs_task_definition\" \"a\" {\n"
                "  family = \"a\"\n"
                "  container_definitions = file(\"" + outside.path("secret.json") + "\")\n"
                "}\n"
                "resource \"aws_ecs_task_definition\" \"b\" {\n"
                "  family = \"b\"\n"
                "  container_definitions = file(\"link.json\")\n"
                "}\n");
  std::filesystem::create_symlink(outside.path("secret.json"), scratch.path("link.json"));
  ScanRoot scan_root(scratch.root());
  ModuleSource module = testing::load_module(scratch, "", {"main.tf"});
  EvaluatedRoot evaluated = evaluate_root_module(scan_root, module, {});
  REQUIRE(evaluated.failures.size() == 2);
  for (const EvaluationFailure& failure : evaluated.failures)
    CHECK(failure.message.find("is outside the scanned folder") != std::string::npos);
  TerraformTaskDefinitions tasks;
  extract_task_definitions(evaluated.module, tasks);
  for (const ecs::TaskDefinition& task : tasks.tasks) CHECK(task.containers.empty());
}

TEST_CASE("terraform: cycles and runaway expressions end in failures, quickly") {
  double start = shiftlint::test_bounds::cpu_seconds();
  Evaluated evaluated(
      "locals {\n"
      "  a = local.b\n"
      "  b = local.a\n"
      "  huge = range(1000000000)\n"
      "  l0 = [1, 1]\n"
      "  l1 = [local.l0, local.l0, local.l0, local.l0]\n"
      "  l2 = [local.l1, local.l1, local.l1, local.l1]\n"
      "  l3 = [local.l2, local.l2, local.l2, local.l2]\n"
      "  l4 = [local.l3, local.l3, local.l3, local.l3]\n"
      "  l5 = [local.l4, local.l4, local.l4, local.l4]\n"
      "  l6 = [local.l5, local.l5, local.l5, local.l5]\n"
      "  l7 = [local.l6, local.l6, local.l6, local.l6]\n"
      "  l8 = [local.l7, local.l7, local.l7, local.l7]\n"
      "  l9 = [local.l8, local.l8, local.l8, local.l8]\n"
      "  l10 = [local.l9, local.l9, local.l9, local.l9]\n"
      "  l11 = [local.l10, local.l10, local.l10, local.l10]\n"
      "  l12 = [local.l11, local.l11, local.l11, local.l11]\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"x\" {\n"
      "  family = local.a\n"
      "  cpu    = length(local.huge)\n"
      "  memory = length(flatten(local.l12))\n"
      "}\n");
  CHECK(shiftlint::test_bounds::cpu_seconds() - start < 5.0 * shiftlint::test_bounds::kTimeScale);
  std::string all = messages(evaluated.result);
  INFO(all);
  CHECK(all.find("local values refer to each other in a cycle (local.a → local.b → local.a)") != std::string::npos);
  CHECK(all.find("range would make 1000000000 numbers") != std::string::npos);
  CHECK(all.find("evaluation stopped: values copied more than") != std::string::npos);
}

TEST_CASE("terraform: a module that calls itself stops at the nesting limit") {
  ScratchFolder scratch;
  scratch.write("main.tf", "module \"again\" {\n  source = \"./\"\n}\nresource \"aws_ecs_task_definition\" \"x\" { family = \"x\" }\n");
  ScanRoot scan_root(scratch.root());
  ModuleSource module = testing::load_module(scratch, "", {"main.tf"});
  EvaluatedRoot evaluated = evaluate_root_module(scan_root, module, {});
  REQUIRE_FALSE(evaluated.failures.empty());
  CHECK(evaluated.failures.front().message.find("nested more than 16 modules deep") != std::string::npos);
}
