// The hand-written HCL reader against tree-sitter-hcl: whatever the reader reads must be identical
// field by field (bench/hcl_difference.h); whatever it declines goes to tree-sitter, which also
// gives the error messages.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/hcl/hcl_reader.h"
#include "bench/hcl_difference.h"

using namespace shiftlint;
using namespace shiftlint::hcl;

namespace {

std::shared_ptr<const SourceFile> source(const std::string& text) {
  return std::make_shared<const SourceFile>("main.tf", "main.tf", text);
}

// The reader reads `text`, and exactly as tree-sitter-hcl and its builder do.
void require_same(const std::string& text) {
  INFO(text);
  std::optional<File> read = read_hcl(source(text));
  REQUIRE(read.has_value());
  File parsed = load_hcl_with_tree_sitter(source(text));
  REQUIRE(parsed.ok());
  FileComparison comparison;
  comparison.bodies(read->body, parsed.body, "");
  CHECK(comparison.first_difference == "");
}

void require_declined(const std::string& text) {
  INFO(text);
  CHECK_FALSE(read_hcl(source(text)).has_value());
}

}  // namespace

TEST_CASE("hcl reader: blocks, labels, attributes and literals as tree-sitter reads them") {
  require_same("");
  require_same("# only a comment\n// another\n/* and a block\n comment */\n");
  require_same("resource \"aws_ecs_service\" \"web\" {\n  name = \"web\"\n  desired_count = 2\n}\n");
  require_same("terraform {\n  backend \"s3\" {}\n}\nlocals { a = 1 }\n");
  require_same("module web { source = \"./web\" }\n");
  require_same("a = 1.5\nb = 0x1F\nc = true\nd = false\ne = null\nf = 10\ng = 1.5e3\n");
  require_same("label \"with \\\"escapes\\\" \\u00e9\" {}\n");
  require_same("a = \"tab\\there\\nline \\\\ \\U0001F600\"\n");
  require_same("a = \"caf\xC3\xA9 \xE2\x80\x94 dash\" # comment \xE2\x80\x94 too\n");
  require_same("a = 1\r\nb = \"x\"\r\n");
}

TEST_CASE("hcl reader: operators, precedence, conditionals and parentheses") {
  require_same("a = 1 + 2 * 3 - 4 / 5 % 6\n");
  require_same("a = x == \"\" && y != \"\" || !z\n");
  require_same("a = -1\nb = - -x\nc = !x.enabled\nd = -x[0] * 2\n");
  require_same("a = x >= 1 && x <= 2 || x < 0 || x > 9\n");
  require_same("a = x ? y : z\nb = x ? y : z ? w : v\nc = (x ? y : z) ? w : v\n");
  require_same("a = x ? y ? 1 : 2 : 3\nb = x ? (y) : (z)\nc = (a + b) * (c)\n");
  require_same("a = ((x))\nb = (x).y\nc = (x)[0]\nd = !(x)\n");
  require_same("a = var.count > 0 ? var.count : (local.default + 1)\n");
}

TEST_CASE("hcl reader: traversals, splats, collections, calls and for expressions") {
  require_same("a = var.x.y[0][\"k\"].z\nb = aws_instance.web.0.id\nc = count.index-1\n");
  require_same("a = aws_subnet.private[*].id\nb = var.list.*.name\nc = x[*].a.b[0]\nd = x[*][*]\n");
  require_same("a = [1, 2, 3,]\nb = []\nc = [\n  \"a\",\n  \"b\"\n]\n");
  require_same("a = {}\nb = { x = 1, y = \"2\" }\nc = {\n  \"k\" = 1\n  v: 2\n  (var.key) = 3\n  var.k = 4\n}\n");
  require_same("a = merge(local.tags, { Name = \"web\" })\nb = concat(a, b...)\nc = f()\nd = f(1,)\ne = provider::aws::arn_parse(x)\n");
  require_same("a = [for s in var.list : upper(s) if s != \"\"]\nb = [for i, s in var.list : \"${i}=${s}\"]\n");
  require_same("a = {for k, v in var.map : k => v... if v != null}\nb = { for x in y : x.name => x }\n");
  require_same("a = jsonencode([{\n  name = \"web\" # the app\n  image = \"${var.repository}:${var.tag}\"\n}])\n");
}

TEST_CASE("hcl reader: quoted templates and heredocs with interpolations, directives and strip markers") {
  require_same("a = \"${var.name}-${local.suffix}\"\nb = \"${x}\"\nc = \"\"\nd = \"plain\"\n");
  require_same("a = \"%{ if var.on }on%{ else }off%{ endif }\"\nb = \"%{for x in y}${x},%{endfor}\"\n");
  require_same("a = \"x ${~ y ~} z\"\nb = \"%{~ if c ~} yes %{~ else ~} no %{~ endif ~}\"\n");
  require_same("a = <<EOF\nline one\n  ${var.x}\nEOF\nb = <<-EOT\n    indented\n      more\n    EOT\n");
  require_same("a = <<EOF\nEOF\nb = jsonencode(<<JSON\n{\"a\": \"${x}\"}\nJSON\n)\n");
  require_same("a = <<-EOF\n  %{ for s in var.subnets ~}\n  subnet ${s}\n  %{ endfor ~}\nEOF\n");
  require_same("a = <<EOF\r\nwindows ${x}\r\nEOF\r\n");
}

TEST_CASE("hcl reader: declines what it is not certain to read the same way") {
  require_declined("a = \n");                                  // a syntax error: tree-sitter reports it
  require_declined("resource \"x\" {\n");                       // not closed
  require_declined("{\n  cpu = 256\n}\n");                      // .tfvars as one object
  require_declined("a = \"$${literal}\"\n");                    // escapes of the template syntax
  require_declined("a = \"\\p\"\n");                            // an escape HCL does not define
  require_declined("a = 1e5\n");                                // not one numeric literal for tree-sitter
  require_declined("a = <<EOF\ntext\nEOF trailing\n");           // an ambiguous heredoc end
  require_declined("caf\xC3\xA9 = 1\n");                         // identifiers outside ASCII
  require_declined("a = \"\xFF\"\n");                           // invalid UTF-8
  require_declined("a = \"${}\"\n");                            // an empty interpolation
  require_declined("a = [for]\n");                              // a keyword where tree-sitter expects a loop
  std::string deep = "a = " + std::string(600, '[') + std::string(600, ']') + "\n";
  require_declined(deep);                                       // tree-sitter reports the depth limit
  CHECK_FALSE(load_hcl(source(deep)).ok());
}

TEST_CASE("hcl reader: load_hcl gives tree-sitter's errors for what the reader declines") {
  File broken = load_hcl(source("a = \n"));
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.errors[0].message.find("syntax error") != std::string::npos);
  File read = load_hcl(source("a = 1\n"));
  REQUIRE(read.ok());
  REQUIRE(read.body.attributes.size() == 1);
  CHECK(read.body.attributes[0].value.number == 1);
}
