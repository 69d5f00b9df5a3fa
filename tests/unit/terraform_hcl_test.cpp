// The HCL loader: blocks, labels, attributes and expressions with exact positions; strings,
// templates and heredocs decoded; syntax errors as diagnostics while the rest still loads.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/hcl/hcl_template.h"

using namespace shiftlint;
using hcl::ExpressionKind;

namespace {

hcl::File parse(const std::string& text) {
  return hcl::load_hcl(std::make_shared<const SourceFile>("main.tf", "main.tf", text));
}

std::string where(Span span) {
  return std::to_string(span.begin.line) + ":" + std::to_string(span.begin.column) + "-" +
         std::to_string(span.end.line) + ":" + std::to_string(span.end.column);
}

const hcl::Expression& value_of(const hcl::File& file, std::string_view name) {
  const hcl::Attribute* attribute = file.body.blocks.at(0).body.find_attribute(name);
  REQUIRE(attribute != nullptr);
  return attribute->value;
}

}  // namespace

TEST_CASE("terraform: blocks, labels and attributes keep their positions") {
  hcl::File file = parse(
      "resource \"aws_ecs_task_definition\" \"app\" {\n"
      "  family = \"app\"\n"
      "  volume {\n"
      "    name = \"data\"\n"
      "  }\n"
      "}\n");
  REQUIRE(file.ok());
  REQUIRE(file.body.blocks.size() == 1);
  const hcl::Block& block = file.body.blocks[0];
  CHECK(block.type == "resource");
  CHECK(block.labels == std::vector<std::string>{"aws_ecs_task_definition", "app"});
  CHECK(where(block.span) == "1:1-6:2");
  CHECK(where(block.label_spans[1]) == "1:36-1:41");
  const hcl::Attribute* family = block.body.find_attribute("family");
  REQUIRE(family);
  CHECK(where(family->name_span) == "2:3-2:9");
  CHECK(family->value.kind == ExpressionKind::String);
  CHECK(family->value.text == "app");
  CHECK(where(family->value.span) == "2:12-2:17");
  const hcl::Block* volume = block.body.find_block("volume");
  REQUIRE(volume);
  CHECK(where(volume->span) == "3:3-5:4");
  CHECK(volume->body.find_attribute("name")->value.text == "data");
}

TEST_CASE("terraform: expressions are read into operands with their spans") {
  hcl::File file = parse(
      "locals {\n"
      "  a = var.settings.ports[0]\n"
      "  b = 1 + 2 * -x\n"
      "  c = [for k, v in var.m : upper(v) if k != \"x\"]\n"
      "  d = { cpu = 256, \"memory\" = 512, (var.key) = true }\n"
      "  e = var.list[*].id\n"
      "  f = merge(a, b...)\n"
      "  g = cond ? \"yes\" : null\n"
      "  h = var.list.0\n"
      "}\n");
  REQUIRE(file.ok());
  const hcl::Expression& a = value_of(file, "a");
  CHECK(a.kind == ExpressionKind::Index);
  CHECK(a.operands[0].kind == ExpressionKind::GetAttr);
  CHECK(a.operands[0].text == "ports");
  CHECK(where(a.span) == "2:7-2:28");

  const hcl::Expression& b = value_of(file, "b");
  REQUIRE(b.kind == ExpressionKind::Binary);
  CHECK(b.text == "+");
  CHECK(b.operands[1].text == "*");
  CHECK(b.operands[1].operands[1].kind == ExpressionKind::Unary);

  const hcl::Expression& c = value_of(file, "c");
  REQUIRE(c.kind == ExpressionKind::ForTuple);
  CHECK(c.operands[0].text == "k");
  CHECK(c.operands[1].text == "v");
  CHECK(c.operands.size() == 5);  // key, value, collection, result, condition

  const hcl::Expression& d = value_of(file, "d");
  REQUIRE(d.kind == ExpressionKind::Object);
  REQUIRE(d.operands.size() == 6);
  CHECK(d.operands[0].kind == ExpressionKind::String);  // a bare key is its name, not a reference
  CHECK(d.operands[0].text == "cpu");
  CHECK(d.operands[2].text == "memory");
  CHECK(d.operands[4].kind == ExpressionKind::GetAttr);  // (var.key) is evaluated

  const hcl::Expression& e = value_of(file, "e");
  REQUIRE(e.kind == ExpressionKind::Splat);
  CHECK(e.operands[1].kind == ExpressionKind::GetAttr);
  CHECK(e.operands[1].operands[0].kind == ExpressionKind::SplatItem);

  const hcl::Expression& f = value_of(file, "f");
  CHECK(f.kind == ExpressionKind::FunctionCall);
  CHECK(f.text == "merge");
  CHECK(f.expand_final);

  CHECK(value_of(file, "g").kind == ExpressionKind::Conditional);
  const hcl::Expression& h = value_of(file, "h");
  REQUIRE(h.kind == ExpressionKind::Index);
  CHECK(h.operands[1].number == 0);
}

TEST_CASE("terraform: strings decode escapes; templates keep white space tree-sitter drops") {
  hcl::File file = parse(
      "locals {\n"
      "  escaped = \"tab\\there \\\"q\\\" \\u00e9 $${literal} %%{directive}\"\n"
      "  spaced  = \"a  ${x} b %{ if y }yes%{ endif } c\"\n"
      "}\n");
  REQUIRE(file.ok());
  const hcl::Expression& escaped = value_of(file, "escaped");
  REQUIRE(escaped.kind == ExpressionKind::String);
  CHECK(escaped.text == "tab\there \"q\" \xC3\xA9 ${literal} %{directive}");

  const hcl::Expression& spaced = value_of(file, "spaced");
  REQUIRE(spaced.kind == ExpressionKind::Template);
  REQUIRE(spaced.operands.size() == 5);
  CHECK(spaced.operands[0].text == "a  ");
  CHECK(spaced.operands[1].kind == ExpressionKind::Interpolation);
  CHECK(spaced.operands[2].text == " b ");
  CHECK(spaced.operands[3].kind == ExpressionKind::TemplateIf);
  CHECK(spaced.operands[4].text == " c");
}

TEST_CASE("terraform: strip markers trim the literal next to them") {
  hcl::File file = parse(
      "locals {\n"
      "  t = \"[ ${~ x ~} ] %{ for i in xs ~}\n  <${i}>\n  %{~ endfor }\"\n"
      "}\n");
  REQUIRE(file.ok());
  const hcl::Expression& t = value_of(file, "t");
  REQUIRE(t.kind == ExpressionKind::Template);
  REQUIRE(t.operands.size() >= 4);
  CHECK(t.operands[0].text == "[");
  CHECK(t.operands[2].text == "] ");
  const hcl::Expression& loop = t.operands[3];
  REQUIRE(loop.kind == ExpressionKind::TemplateFor);
  const hcl::Expression& body = loop.operands[3];
  REQUIRE(body.operands.size() == 3);
  CHECK(body.operands[0].text == "<");  // "\n  " before it is stripped by `~}`
  CHECK(body.operands[2].text == ">");  // "\n  " after it is stripped by `%{~`
}

TEST_CASE("terraform: heredocs keep their last line break; <<- removes the common indentation") {
  hcl::File file = parse(
      "locals {\n"
      "  plain = <<EOT\n"
      "hello\n"
      "  world\n"
      "EOT\n"
      "  flush = <<-EOT\n"
      "    {\n"
      "      \"a\": \"${x}\"\n"
      "    }\n"
      "    EOT\n"
      "}\n");
  REQUIRE(file.ok());
  const hcl::Expression& plain = value_of(file, "plain");
  REQUIRE(plain.kind == ExpressionKind::Template);
  REQUIRE(plain.operands.size() == 1);
  CHECK(plain.operands[0].text == "hello\n  world\n");
  CHECK(plain.operands[0].span.begin.line == 3);

  const hcl::Expression& flush = value_of(file, "flush");
  REQUIRE(flush.kind == ExpressionKind::Template);
  REQUIRE(flush.operands.size() == 3);
  CHECK(flush.operands[0].text == "{\n  \"a\": \"");
  CHECK(flush.operands[2].text == "\"\n}\n");
}

TEST_CASE("terraform: a syntax error is a diagnostic with its position; other blocks still load") {
  hcl::File file = parse(
      "variable \"ok\" {\n"
      "  default = 1\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"broken\" {\n"
      "  family = \n"
      "  cpu = 256\n"
      "}\n"
      "locals {\n"
      "  fine = true\n"
      "}\n");
  REQUIRE_FALSE(file.ok());
  CHECK(file.errors.front().span.begin.line == 5);
  CHECK(file.errors.front().message == "syntax error: an attribute has no value after '='");
  CHECK(file.errors.front().span.begin.column == 10);
  bool has_variable = false, has_locals = false, has_broken = false;
  for (const hcl::Block& block : file.body.blocks) {
    has_variable = has_variable || block.type == "variable";
    has_locals = has_locals || block.type == "locals";
    has_broken = has_broken || block.type == "resource";
  }
  CHECK(has_variable);
  CHECK(has_locals);
  CHECK_FALSE(has_broken);  // a half-read block would give misleading values
}

TEST_CASE("terraform: an unclosed block says what is missing") {
  hcl::File file = parse("locals {\n  a = 1\n");
  REQUIRE_FALSE(file.ok());
  CHECK(file.errors.front().message == "syntax error: missing '}'");
}

TEST_CASE("terraform: nesting past the limit is an error, not a stack overflow") {
  std::string deep = "locals {\n  a = " + std::string(100000, '[') + std::string(100000, ']') + "\n}\n";
  hcl::File file = parse(deep);
  REQUIRE_FALSE(file.ok());
  bool depth_error = false;
  for (const ParseDiagnostic& error : file.errors)
    depth_error = depth_error || error.message.find("nesting deeper than") != std::string::npos;
  CHECK(depth_error);
}

TEST_CASE("terraform: a template file parses with the file's own positions") {
  auto file = std::make_shared<const SourceFile>("c.json.tpl", "c.json.tpl",
                                                  "[\n  {\"image\": \"${image}\",\n   \"stopTimeout\": ${timeout}}\n]");
  hcl::TemplateParse parsed = hcl::parse_template(*file);
  REQUIRE(parsed.body);
  REQUIRE(parsed.body->kind == ExpressionKind::Template);
  const hcl::Expression& image = parsed.body->operands[1];
  REQUIRE(image.kind == ExpressionKind::Interpolation);
  CHECK(where(image.span) == "2:14-2:22");
  const hcl::Expression& last = parsed.body->operands.back();
  CHECK(last.text == "}\n]");  // no line break added at the end of a file that has none
}

TEST_CASE("terraform: chained conditionals group to the right, as HCL reads them") {
  hcl::File file = parse(
      "locals {\n"
      "  chained = a ? 1 : b ? 2 : 3\n"
      "  grouped = (a ? true : b) ? 2 : 3\n"
      "}\n");
  REQUIRE(file.ok());
  const hcl::Expression& chained = value_of(file, "chained");
  REQUIRE(chained.kind == ExpressionKind::Conditional);
  CHECK(chained.operands[0].text == "a");
  CHECK(chained.operands[1].text == "1");
  REQUIRE(chained.operands[2].kind == ExpressionKind::Conditional);
  CHECK(chained.operands[2].operands[0].text == "b");
  CHECK(where(chained.span) == "2:13-2:30");
  const hcl::Expression& grouped = value_of(file, "grouped");
  REQUIRE(grouped.kind == ExpressionKind::Conditional);
  CHECK(grouped.operands[0].kind == ExpressionKind::Conditional);  // the parentheses keep it
}
