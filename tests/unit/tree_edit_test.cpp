#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "analyzer/edit/apply_fixes.h"
#include "analyzer/edit/tree_edit.h"
#include "analyzer/parse/json_loader.h"
#include "analyzer/parse/yaml_loader.h"
#include "terraform_test_support.h"

using namespace shiftlint;
using edit::Value;

namespace {

struct Loaded {
  Document document;
  const Node& root() const { return document.roots.at(0); }
};

Loaded json(std::string text) {
  return {load_json(std::make_shared<const SourceFile>("task.json", "task.json", std::move(text)), {})};
}
Loaded yaml(std::string text) {
  return {load_yaml(std::make_shared<const SourceFile>("stack.yaml", "stack.yaml", std::move(text)), {})};
}

// The file's text with one edit applied.
std::string applied(const SourceFile& file, const std::optional<TextEdit>& edit) {
  REQUIRE(edit);
  Fix fix{"", {*edit}};
  edit::AppliedFixes result = edit::apply_fixes(file, {&fix});
  REQUIRE(result.applied == 1);
  return result.text;
}

Value nofile() {
  return Value::map({{"name", Value::string("nofile")}, {"softLimit", Value::number(65535)},
                     {"hardLimit", Value::number(65535)}});
}

}  // namespace

TEST_CASE("tree edit: JSON member goes after the last one, at its indentation and separator style") {
  Loaded loaded = json("{\n    \"name\": \"worker\",\n    \"image\": \"app:1\"\n}\n");
  REQUIRE(loaded.document.ok());
  std::string text = applied(*loaded.document.file,
                             edit::insert_member(loaded.root(), "ulimits", Value::list({nofile()})));
  CHECK(text == "{\n    \"name\": \"worker\",\n    \"image\": \"app:1\",\n"
                "    \"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}]\n}\n");
  CHECK(json(text).document.ok());

  // Tabs, no space after the colon, CRLF line breaks: kept.
  Loaded tabs = json("{\r\n\t\"name\":\"worker\"\r\n}\r\n");
  CHECK(applied(*tabs.document.file, edit::insert_member(tabs.root(), "stopTimeout", Value::number(95))) ==
        "{\r\n\t\"name\":\"worker\",\r\n\t\"stopTimeout\":95\r\n}\r\n");

  // One line stays one line; an empty map gets its first member.
  Loaded inline_map = json("{\"name\": \"worker\"}");
  CHECK(applied(*inline_map.document.file, edit::insert_member(inline_map.root(), "stopTimeout", Value::number(95))) ==
        "{\"name\": \"worker\", \"stopTimeout\": 95}");
  Loaded empty = json("{}");
  CHECK(applied(*empty.document.file, edit::insert_member(empty.root(), "stopTimeout", Value::number(95))) ==
        "{\"stopTimeout\": 95}");
  // A key that exists already is never added twice.
  CHECK_FALSE(edit::insert_member(inline_map.root(), "name", Value::string("other")));
}

TEST_CASE("tree edit: JSON list append and scalar replacement") {
  Loaded loaded = json("{\"dependsOn\": [\n  {\"containerName\": \"init\", \"condition\": \"SUCCESS\"}\n],\n"
                       " \"stopTimeout\": 30, \"quoted\": \"30\", \"essential\": false}");
  const Node& root = loaded.root();
  Value dependency = Value::map({{"containerName", Value::string("log_router")}, {"condition", Value::string("START")}});
  CHECK(applied(*loaded.document.file, edit::append_item(*root.find("dependsOn"), dependency)) ==
        "{\"dependsOn\": [\n  {\"containerName\": \"init\", \"condition\": \"SUCCESS\"},\n"
        "  {\"containerName\": \"log_router\", \"condition\": \"START\"}\n],\n"
        " \"stopTimeout\": 30, \"quoted\": \"30\", \"essential\": false}");
  auto timeout = edit::replace_scalar(*root.find("stopTimeout"), Value::number(95));
  REQUIRE(timeout);
  CHECK(timeout->replacement == "95");
  auto quoted = edit::replace_scalar(*root.find("quoted"), Value::number(95));
  REQUIRE(quoted);
  CHECK(quoted->replacement == "\"95\"");
  auto essential = edit::replace_scalar(*root.find("essential"), Value::boolean(true));
  REQUIRE(essential);
  CHECK(essential->replacement == "true");

  Loaded empty = json("{\"ulimits\": []}");
  CHECK(applied(*empty.document.file, edit::append_item(*empty.root().find("ulimits"), nofile())) ==
        "{\"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}]}");
}

TEST_CASE("tree edit: YAML block map member after everything the map holds, comments kept") {
  Loaded loaded = yaml("Containers:\n"
                       "  - Name: worker   # the queue worker\n"
                       "    Command:\n"
                       "      - sidekiq\n"
                       "    Environment:\n"
                       "      - {Name: A, Value: b}\n"
                       "    # trailing comment\n"
                       "  - Name: web\n");
  REQUIRE(loaded.document.ok());
  const Node& worker = loaded.root().find("Containers")->children.at(0);
  Value pascal = Value::map({{"Name", Value::string("nofile")}, {"SoftLimit", Value::number(65535)},
                             {"HardLimit", Value::number(65535)}});
  std::string text = applied(*loaded.document.file, edit::insert_member(worker, "Ulimits", Value::list({pascal})));
  CHECK(text == "Containers:\n"
                "  - Name: worker   # the queue worker\n"
                "    Command:\n"
                "      - sidekiq\n"
                "    Environment:\n"
                "      - {Name: A, Value: b}\n"
                "    Ulimits:\n"
                "      - Name: nofile\n"
                "        SoftLimit: 65535\n"
                "        HardLimit: 65535\n"
                "    # trailing comment\n"
                "  - Name: web\n");
  CHECK(yaml(text).document.ok());
  CHECK(applied(*loaded.document.file, edit::insert_member(worker, "StopTimeout", Value::number(95))).find(
            "      - {Name: A, Value: b}\n    StopTimeout: 95\n") != std::string::npos);

  // Sequences written flush with their key (`Command:\n- x`): the new one follows that style.
  Loaded flush = yaml("Name: worker\nCommand:\n- sidekiq\n");
  CHECK(applied(*flush.document.file, edit::insert_member(flush.root(), "Ulimits", Value::list({pascal}))) ==
        "Name: worker\nCommand:\n- sidekiq\nUlimits:\n- Name: nofile\n  SoftLimit: 65535\n  HardLimit: 65535\n");
  // The last line without a line break.
  Loaded no_newline = yaml("Name: worker");
  CHECK(applied(*no_newline.document.file, edit::insert_member(no_newline.root(), "StopTimeout", Value::number(95))) ==
        "Name: worker\nStopTimeout: 95");
}

TEST_CASE("tree edit: YAML block list append in the items' own style") {
  Loaded flow_items = yaml("Ulimits:\n  - {Name: core, SoftLimit: 0, HardLimit: 0}\nNext: 1\n");
  Value pascal = Value::map({{"Name", Value::string("nofile")}, {"SoftLimit", Value::number(65535)},
                             {"HardLimit", Value::number(65535)}});
  CHECK(applied(*flow_items.document.file, edit::append_item(*flow_items.root().find("Ulimits"), pascal)) ==
        "Ulimits:\n  - {Name: core, SoftLimit: 0, HardLimit: 0}\n  - {Name: nofile, SoftLimit: 65535, HardLimit: 65535}\n"
        "Next: 1\n");
  Loaded block_items = yaml("DependsOn:\n  -   ContainerName: init\n      Condition: SUCCESS\n");
  Value dependency = Value::map({{"ContainerName", Value::string("log-router")}, {"Condition", Value::string("START")}});
  std::string text = applied(*block_items.document.file, edit::append_item(*block_items.root().find("DependsOn"), dependency));
  CHECK(text == "DependsOn:\n  -   ContainerName: init\n      Condition: SUCCESS\n"
                "  -   ContainerName: log-router\n      Condition: START\n");
  CHECK(yaml(text).document.ok());
  // Strings that YAML would read as something else are quoted.
  CHECK(edit::render_inline(Value::map({{"Name", Value::string("yes")}, {"Value", Value::string("a: b")}}),
                            edit::DocumentSyntax::Yaml) == "{Name: \"yes\", Value: \"a: b\"}");
}

TEST_CASE("tree edit: YAML members pulled in from elsewhere (merge keys) are not edited") {
  Loaded loaded = yaml("defaults: &defaults\n  Essential: true\nworker:\n  <<: *defaults\n  Name: worker\n");
  REQUIRE(loaded.document.ok());
  CHECK_FALSE(edit::insert_member(*loaded.root().find("worker"), "StopTimeout", Value::number(95)));
}

TEST_CASE("tree edit: HCL objects keep bare keys, aligned `=` and references") {
  using terraform::testing::Evaluated;
  Evaluated evaluated(
      "locals {\n"
      "  logging = { logDriver = \"awslogs\" }\n"
      "}\n"
      "output \"app\" {\n"
      "  value = {\n"
      "    name             = \"worker\"\n"
      "    logConfiguration = local.logging\n"
      "    ulimits          = [{ name = \"core\", softLimit = 0, hardLimit = 0 }]\n"
      "  }\n"
      "}\n"
      "output \"inline\" {\n"
      "  value = { name = \"worker\", image = \"app:1\" }\n"
      "}\n"
      "output \"merged\" {\n"
      "  value = merge(local.logging, { name = \"worker\" })\n"
      "}\n");
  const Node* app = evaluated.output("app");
  REQUIRE(app);
  REQUIRE(app->file);
  const SourceFile& file = *app->file;
  CHECK(applied(file, edit::insert_member(*app, "stopTimeout", Value::number(95))).find(
            "    ulimits          = [{ name = \"core\", softLimit = 0, hardLimit = 0 }]\n"
            "    stopTimeout      = 95\n  }\n") != std::string::npos);
  CHECK(applied(file, edit::append_item(*app->find("ulimits"), nofile())).find(
            "[{ name = \"core\", softLimit = 0, hardLimit = 0 }, { name = \"nofile\", softLimit = 65535, hardLimit = "
            "65535 }]") != std::string::npos);
  const Node* inline_object = evaluated.output("inline");
  REQUIRE(inline_object);
  CHECK(applied(file, edit::insert_member(*inline_object, "stopTimeout", Value::number(95))).find(
            "{ name = \"worker\", image = \"app:1\", stopTimeout = 95 }") != std::string::npos);
  // A merge() result is no literal to edit; neither is a value a reference brought in.
  const Node* merged = evaluated.output("merged");
  REQUIRE(merged);
  CHECK_FALSE(edit::insert_member(*merged, "stopTimeout", Value::number(95)));
  CHECK_FALSE(edit::written_within(*app->find("logConfiguration"), *app));
  // HCL strings are templates: a value that would interpolate is refused.
  CHECK_FALSE(edit::insert_member(*app, "image", Value::string("${var.image}")));
}

TEST_CASE("tree edit: Terraform inputs (variable defaults, tfvars) are not edited") {
  using terraform::testing::Evaluated;
  Evaluated evaluated("variable \"app\" {\n  default = {\n    name = \"worker\"\n  }\n}\n"
                      "output \"app\" {\n  value = var.app\n}\n");
  const Node* app = evaluated.output("app");
  REQUIRE(app);
  CHECK_FALSE(edit::insert_member(*app, "stopTimeout", Value::number(95)));
}

TEST_CASE("apply fixes: overlapping fixes wait for the next pass; identical edits apply once") {
  SourceFile file("f", "f", "abcdef");
  Fix first{"", {{Span{{1, 2}, {1, 4}}, "XY"}}};
  Fix overlapping{"", {{Span{{1, 3}, {1, 5}}, "Z"}}};
  Fix same_insertion_point{"", {{Span{{1, 2}, {1, 2}}, "+"}}};
  Fix duplicate = first;
  Fix later{"", {{Span{{1, 6}, {1, 7}}, "!"}}};
  edit::AppliedFixes result = edit::apply_fixes(file, {&first, &overlapping, &same_insertion_point, &duplicate, &later});
  CHECK(result.text == "aXYde!");
  CHECK(result.applied == 3);
  CHECK(result.deferred == 2);
  Fix outside{"", {{Span{{3, 1}, {3, 2}}, "?"}}};
  CHECK(edit::apply_fixes(file, {&outside}).invalid == 1);
}
