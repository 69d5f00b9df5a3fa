// Terraform's functions as the evaluator computes them: each output's value, written as
// jsonencode() would write it. Unknown results are shown as "<unknown>".
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "analyzer/model/terraform/json_values.h"
#include "tests/unit/terraform_test_support.h"

using namespace shiftlint;
using namespace shiftlint::terraform;

namespace {

const std::vector<std::pair<std::string, std::string>> kCases = {
    {R"(jsonencode({ b = [1, "x", true, null], a = "<&>" }))", R"("{\"a\":\"\\u003c\\u0026\\u003e\",\"b\":[1,\"x\",true,null]}")"},
    {R"(jsondecode("{\"cpu\": 256, \"tags\": [\"a\"]}"))", R"({"cpu":256,"tags":["a"]})"},
    {R"(merge({ a = 1, b = 2 }, { b = 3 }, null))", R"({"a":1,"b":3})"},
    {R"(concat([1], [2, 3], []))", R"([1,2,3])"},
    {R"(flatten([[1, [2]], [], 3]))", R"([1,2,3])"},
    {R"(lookup({ a = "x" }, "b", "fallback"))", R"("fallback")"},
    {R"(coalesce("", null, "first", "second"))", R"("first")"},
    {R"(format("%s-%03d %.1f %v %q %%", "web", 7, 2.25, true, "q"))", R"("web-007 2.2 true \"q\" %")"},
    {R"(formatlist("%s:%d", ["a", "b"], [1, 2]))", R"(["a:1","b:2"])"},
    {R"(join(",", ["a", "b"], ["c"]))", R"("a,b,c")"},
    {R"(split(",", "a,,b"))", R"(["a","","b"])"},
    {R"(replace("a-b-c", "-", "_"))", R"("a_b_c")"},
    {R"(replace("v1.2.3", "/v(\\d+)\\..*/", "major $1"))", R"("major 1")"},
    {R"(upper(lower("MiXed")))", R"("MIXED")"},
    {R"(tostring(256))", R"("256")"},
    {R"(tonumber("0.5"))", R"(0.5)"},
    {R"(tolist(["a"]))", R"(["a"])"},
    {R"(tomap({ a = 1 }))", R"({"a":1})"},
    {R"(toset(["b", "a", "b"]))", R"(["a","b"])"},
    {R"(length("héllo"))", R"(5)"},
    {R"(element(["a", "b", "c"], 4))", R"("b")"},
    {R"(keys({ b = 1, a = 2 }))", R"(["a","b"])"},
    {R"(values({ b = 1, a = 2 }))", R"([2,1])"},
    {R"(zipmap(["a", "b"], [1, 2]))", R"({"a":1,"b":2})"},
    {R"(compact(["a", "", null, "b"]))", R"(["a","b"])"},
    {R"(distinct([1, 2, 1, 3]))", R"([1,2,3])"},
    {R"(max(1, 5, 3))", R"(5)"},
    {R"(min([4, 2, 8]...))", R"(2)"},
    {R"(abs(-3))", R"(3)"},
    {R"(trimspace("  x \n"))", R"("x")"},
    {R"(substr("hello world", 6, -1))", R"("world")"},
    {R"(contains(["a", "b"], "b"))", R"(true)"},
    {R"(startswith("arn:aws:iam", "arn:"))", R"(true)"},
    {R"(endswith("file.json", ".yaml"))", R"(false)"},
    {R"(base64encode("hello"))", R"("aGVsbG8=")"},
    {R"(base64decode("aGVsbG8="))", R"("hello")"},
    {R"(range(1, 7, 2))", R"([1,3,5])"},
    {R"(sort(["b", "c", "a"]))", R"(["a","b","c"])"},
    {R"(reverse([1, 2, 3]))", R"([3,2,1])"},
    {R"(regex("^([a-z]+)-(\\d+)$", "web-42"))", R"(["web","42"])"},
    {R"(length(regexall("^[a-z]{2}-", "eu-west-1a")) > 0)", R"(true)"},
    {R"(try(jsondecode("not json"), "fallback"))", R"("fallback")"},
    {R"(can(tonumber("x")))", R"(false)"},
    {R"(upper(aws_instance.web.id))", R"("<unknown>")"},
    {R"(length([aws_instance.web.id]))", R"(1)"},
    {R"(coalesce(var.unset, "x"))", R"("<unknown>")"},
    {R"(lookup({ a = 1 }, "a", var.unset))", R"(1)"},
    {R"(uuid())", R"("<unknown>")"},
};

std::string shown(const Node& value) {
  if (value.kind == NodeKind::Unknown) return "\"<unknown>\"";
  return encode_json(value);
}

}  // namespace

TEST_CASE("terraform: functions compute what Terraform computes") {
  std::string main_tf = "variable \"unset\" {}\n";
  for (size_t i = 0; i < kCases.size(); ++i)
    main_tf += "output \"case" + std::to_string(i) + "\" { value = " + kCases[i].first + " }\n";
  testing::Evaluated evaluated(main_tf);
  for (size_t i = 0; i < kCases.size(); ++i) {
    INFO(kCases[i].first);
    const Node* value = evaluated.output("case" + std::to_string(i));
    REQUIRE(value);
    CHECK(shown(*value) == kCases[i].second);
  }
  CHECK(evaluated.result.failures.empty());
}

TEST_CASE("terraform: function failures say what went wrong") {
  testing::Evaluated evaluated(
      "resource \"aws_ecs_task_definition\" \"x\" {\n"
      "  family = element([], 0)\n"
      "  cpu    = lookup({ a = 1 }, \"b\")\n"
      "  memory = format(\"%d\", \"many\")\n"
      "}\n");
  std::vector<std::string> messages;
  for (const EvaluationFailure& failure : evaluated.result.failures) messages.push_back(failure.message);
  CHECK(messages == std::vector<std::string>{
                        "element: the list is empty; the value is unknown",
                        "lookup: the map has no key \"b\" and no default is given; the value is unknown",
                        "format: %d needs a whole number, not \"many\"; the value is unknown",
                    });
}
