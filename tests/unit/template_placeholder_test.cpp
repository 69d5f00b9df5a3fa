#include <catch2/catch.hpp>

#include "analyzer/detect/template_placeholder.h"

using namespace shiftlint::detect;

TEST_CASE("template_placeholder: the substitution syntaxes deploy pipelines use") {
  for (const char* text : {"${IMAGE}", "app:${TAG}", "$IMAGE_TAG", "$(git rev-parse HEAD)", "{{ .Values.tag }}",
                           "{{resolve:secretsmanager:db:SecretString:password}}", "<IMAGE1_NAME>", "%BUILD_TAG%",
                           "#{Octopus.Release.Number}", "__IMAGE_TAG__"}) {
    INFO(text);
    CHECK(contains_template_placeholder(text));
  }
}

TEST_CASE("template_placeholder: literals are not placeholders") {
  for (const char* text : {"nginx:1.25", "Pa$$w0rd", "x$abc", "s3cr3t<3", "50%off", "a_b__c", "", "{not}", "$"}) {
    INFO(text);
    CHECK_FALSE(contains_template_placeholder(text));
  }
}

#include "analyzer/detect/template_text.h"

namespace {
shiftlint::Node string_node(std::string text) {
  shiftlint::Node node;
  node.kind = shiftlint::NodeKind::String;
  node.text = std::move(text);
  return node;
}
}  // namespace

TEST_CASE("template_placeholder: the known text of Fn::Sub templates") {
  using shiftlint::Node;
  using shiftlint::NodeKind;
  Node plain = string_node("nginx:1.25");
  CHECK(text_with_placeholders(plain) == "nginx:1.25");

  Node short_form;  // !Sub "postgres://app:pw@${DbHost}/app"
  short_form.kind = NodeKind::Unknown;
  short_form.tag = "!Sub";
  short_form.children.push_back(string_node("postgres://app:pw@${DbHost}/app"));
  CHECK(text_with_placeholders(short_form) == "postgres://app:pw@${DbHost}/app");

  Node long_form;  // {"Fn::Sub": ["${Registry}/app:latest", {...}]}
  long_form.kind = NodeKind::Unknown;
  Node argument;
  argument.kind = NodeKind::List;
  argument.key = "Fn::Sub";
  argument.children.push_back(string_node("${Registry}/app:latest"));
  long_form.children.push_back(argument);
  CHECK(text_with_placeholders(long_form) == "${Registry}/app:latest");

  Node reference;  // !Ref ImageUri
  reference.kind = NodeKind::Unknown;
  reference.tag = "!Ref";
  reference.children.push_back(string_node("ImageUri"));
  CHECK_FALSE(text_with_placeholders(reference));
}

#include "analyzer/parse/yaml_loader.h"

TEST_CASE("template_placeholder: the YAML short form !Sub [text, {vars}] as the loader reads it") {
  using namespace shiftlint;
  // A tagged sequence keeps its items as the Unknown node's children: the template is the first.
  auto file = std::make_shared<SourceFile>(
      "t.yaml", "t.yaml", "Image: !Sub\n  - \"${Registry}/app:latest\"\n  - Registry: !ImportValue registry\n");
  Document document = load_yaml(file);
  REQUIRE(document.ok());
  const Node* image = document.roots.front().find("Image");
  REQUIRE(image);
  CHECK(text_with_placeholders(*image) == "${Registry}/app:latest");
}

TEST_CASE("template_placeholder: a file holding a template engine's action") {
  CHECK(contains_template_action("Metadata:\n  Version: {{ .Version }}\n"));
  CHECK(contains_template_action("{{- if .Manifest }}\n"));
  CHECK(contains_template_action("spec: {% raw %}\n"));
  CHECK(contains_template_action("a: \"{{resolve:ssm:x}}\"\nb: {{ .B }}\n"));
  // CloudFormation's dynamic references are part of valid templates, not an engine's syntax.
  CHECK_FALSE(contains_template_action("Password: \"{{resolve:secretsmanager:db:SecretString:password}}\"\n"));
  CHECK_FALSE(contains_template_action("a: {b: c}\n"));
  CHECK_FALSE(contains_template_action("{"));
  CHECK_FALSE(contains_template_action(""));
}
