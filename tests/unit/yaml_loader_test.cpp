#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <string>

#include <fmt/core.h>

#include "analyzer/parse/yaml_loader.h"
#include "tests/sanitized_build.h"

using namespace shiftlint;

namespace {

Document load(std::string text, LoadLimits limits = {}) {
  return load_yaml(std::make_shared<SourceFile>("test.yaml", "test.yaml", std::move(text)), limits);
}

// "line:col-line:col", the way a failing assertion is easiest to read.
std::string where(Span span) {
  return fmt::format("{}:{}-{}:{}", span.begin.line, span.begin.column, span.end.line,
                     span.end.column);
}

const Node& get(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  INFO("key " << key);
  REQUIRE(value != nullptr);
  return *value;
}

const Node& only_root(const Document& document) {
  INFO((document.errors.empty() ? std::string() : document.errors.front().message));
  REQUIRE(document.errors.empty());
  REQUIRE(document.roots.size() == 1);
  return document.roots.front();
}

}  // namespace

TEST_CASE("yaml: keys and plain values of a block mapping have exact spans") {
  Document document = load(
      "family: web\n"
      "cpu: 256   # comment\n"
      "nested:\n"
      "  image: nginx:1.25\n"
      "  args: --port 80\n");
  const Node& root = only_root(document);
  CHECK(root.is_map());
  CHECK(where(root.span) == "1:1-5:18");

  const Node& family = get(root, "family");
  CHECK(family.text == "web");
  CHECK(where(family.span) == "1:9-1:12");
  CHECK(where(family.key_span) == "1:1-1:7");

  const Node& cpu = get(root, "cpu");
  CHECK(cpu.is_number());
  CHECK(cpu.number == 256);
  CHECK(where(cpu.span) == "2:6-2:9");

  const Node& nested = get(root, "nested");
  CHECK(where(nested.span) == "4:3-5:18");
  CHECK(where(nested.key_span) == "3:1-3:7");
  CHECK(where(get(nested, "image").span) == "4:10-4:20");
  CHECK(get(nested, "image").text == "nginx:1.25");
  CHECK(where(get(nested, "args").key_span) == "5:3-5:7");
  CHECK(where(get(nested, "args").span) == "5:9-5:18");
  CHECK(root.file == document.file.get());
}

TEST_CASE("yaml: quoted scalars end at their closing quote") {
  const Node root = only_root(load(
      "a: \"say \\\"hi\\\"\"  # c\n"
      "b: 'it''s'\n"
      "\"quoted key\": \"x\\\\\"\n"
      "c: \"two\n"
      "  lines\"\n"
      "d: ''\n"));
  CHECK(get(root, "a").text == "say \"hi\"");
  CHECK(where(get(root, "a").span) == "1:4-1:16");
  CHECK(get(root, "b").text == "it's");
  CHECK(where(get(root, "b").span) == "2:4-2:11");
  const Node& quoted = get(root, "quoted key");
  CHECK(where(quoted.key_span) == "3:1-3:13");
  CHECK(quoted.text == "x\\");
  CHECK(where(quoted.span) == "3:15-3:20");
  CHECK(get(root, "c").text == "two lines");
  CHECK(where(get(root, "c").span) == "4:4-5:9");
  CHECK(get(root, "d").is_string());
  CHECK(where(get(root, "d").span) == "6:4-6:6");
}

TEST_CASE("yaml: multi-line plain scalars end at their last word") {
  const Node root = only_root(load(
      "command: run the\n"
      "  long job   \n"
      "   now # not part of it\n"
      "next: 1\n"));
  const Node& command = get(root, "command");
  CHECK(command.text == "run the long job now");
  CHECK(where(command.span) == "1:10-3:7");
  CHECK(where(get(root, "next").span) == "4:7-4:8");
}

TEST_CASE("yaml: block scalars end at their last content line") {
  const Node root = only_root(load(
      "literal: |\n"
      "  line one\n"
      "  line two\n"
      "\n"
      "folded: >-\n"
      "    folded\n"
      "    text\n"
      "# a comment, not content\n"
      "kept: |+2\n"
      "   indented\n"
      "\n"
      "list:\n"
      "  - |\n"
      "   item\n"
      "  - after\n"
      "empty: |\n"
      "last: x\n"));
  CHECK(get(root, "literal").text == "line one\nline two\n");
  CHECK(where(get(root, "literal").span) == "1:10-3:11");
  CHECK(get(root, "folded").text == "folded text");
  CHECK(where(get(root, "folded").span) == "5:9-7:9");
  CHECK(get(root, "kept").text == " indented\n\n");
  CHECK(where(get(root, "kept").span) == "9:7-10:12");
  const Node& list = get(root, "list");
  REQUIRE(list.children.size() == 2);
  CHECK(where(list.children[0].span) == "13:5-14:8");
  CHECK(where(list.children[1].span) == "15:5-15:10");
  CHECK(where(list.span) == "13:3-15:10");
  CHECK(get(root, "empty").text.empty());
  CHECK(where(get(root, "empty").span) == "16:8-16:9");
}

TEST_CASE("yaml: flow collections end at their closing bracket") {
  const Node root = only_root(load(
      "ports: [ 80 , 443 ,\n"
      "  8080 ]  # trailing\n"
      "labels: {app: web, tier: \"front\", }\n"
      "pairs: [a: 1, b]\n"
      "empty: []\n"));
  const Node& ports = get(root, "ports");
  CHECK(where(ports.span) == "1:8-2:9");
  REQUIRE(ports.children.size() == 3);
  CHECK(where(ports.children[2].span) == "2:3-2:7");
  const Node& labels = get(root, "labels");
  CHECK(where(labels.span) == "3:9-3:36");
  CHECK(where(get(labels, "tier").key_span) == "3:20-3:24");
  CHECK(where(get(labels, "tier").span) == "3:26-3:33");
  const Node& pairs = get(root, "pairs");
  REQUIRE(pairs.children.size() == 2);
  CHECK(pairs.children[0].is_map());
  CHECK(where(pairs.children[0].span) == "4:9-4:13");
  CHECK(where(get(root, "empty").span) == "5:8-5:10");
  CHECK(get(root, "empty").children.empty());
}

TEST_CASE("yaml: a multi-document file gives one root per document") {
  Document document = load(
      "# leading comment\n"
      "kind: Service\n"
      "---\n"
      "---\n"
      "kind: Deployment\n"
      "...\n"
      "--- plain scalar\n");
  REQUIRE(document.errors.empty());
  REQUIRE(document.roots.size() == 4);
  CHECK(get(document.roots[0], "kind").text == "Service");
  CHECK(where(document.roots[0].span) == "2:1-2:14");
  CHECK(document.roots[1].is_null());  // the empty document between the separators
  CHECK(where(document.roots[1].span) == "3:4-3:4");
  CHECK(where(get(document.roots[2], "kind").span) == "5:7-5:17");
  CHECK(document.roots[3].text == "plain scalar");
  CHECK(where(document.roots[3].span) == "7:5-7:17");
}

TEST_CASE("yaml: empty and comment-only files have no roots and no errors") {
  for (const char* text : {"", "\n\n", "# only a comment\n  # another\n"}) {
    Document document = load(text);
    CHECK(document.ok());
    CHECK(document.roots.empty());
  }
}

TEST_CASE("yaml: an empty value is a null right after its colon or dash") {
  const Node root = only_root(load(
      "env:\n"
      "volumes:   # none yet\n"
      "list:\n"
      "  -\n"
      "  - b\n"
      "flow: {x: , y}\n"
      "tilde: ~\n"
      "word: null # explicit\n"
      "anchored: &nothing\n"
      "last:"));
  const Node& env = get(root, "env");
  CHECK(env.is_null());
  CHECK(where(env.span) == "1:5-1:5");
  CHECK(where(env.key_span) == "1:1-1:4");
  CHECK(where(get(root, "volumes").span) == "2:9-2:9");
  const Node& list = get(root, "list");
  REQUIRE(list.children.size() == 2);
  CHECK(list.children[0].is_null());
  CHECK(where(list.children[0].span) == "4:4-4:4");
  const Node& flow = get(root, "flow");
  CHECK(where(get(flow, "x").span) == "6:10-6:10");
  CHECK(get(flow, "y").is_null());
  CHECK(get(root, "tilde").is_null());
  CHECK(where(get(root, "tilde").span) == "7:8-7:9");
  CHECK(where(get(root, "word").span) == "8:7-8:11");
  CHECK(get(root, "anchored").is_null());
  CHECK(where(get(root, "anchored").span) == "9:11-9:19");
  CHECK(where(get(root, "last").span) == "10:6-10:6");
}

TEST_CASE("yaml: plain scalars resolve per the YAML 1.2 core schema") {
  const Node root = only_root(load(
      "null_word: null\n"
      "null_upper: NULL\n"
      "t1: true\n"
      "t2: True\n"
      "t3: TRUE\n"
      "f1: false\n"
      "yes_word: yes\n"
      "no_word: no\n"
      "on_word: on\n"
      "off_word: Off\n"
      "decimal: -42\n"
      "leading_zero: 012\n"
      "hex: 0x1F\n"
      "octal: 0o17\n"
      "real: 1.5e3\n"
      "dot: .5\n"
      "inf: -.inf\n"
      "nan: .NaN\n"
      "version: 1.2.3\n"
      "underscored: 1_000\n"
      "quoted_bool: \"true\"\n"
      "quoted_number: '512'\n"
      "forced_string: !!str 12\n"
      "forced_int: !!int \"12\"\n"
      "non_specific: ! 12\n"));
  CHECK(get(root, "null_word").is_null());
  CHECK(get(root, "null_upper").is_null());
  for (const char* key : {"t1", "t2", "t3"}) {
    INFO(key);
    CHECK(get(root, key).kind == NodeKind::Boolean);
    CHECK(get(root, key).boolean);
  }
  CHECK(get(root, "f1").kind == NodeKind::Boolean);
  CHECK_FALSE(get(root, "f1").boolean);
  for (const char* key : {"yes_word", "no_word", "on_word", "off_word", "version", "underscored"}) {
    INFO(key);
    CHECK(get(root, key).is_string());
  }
  CHECK(get(root, "decimal").number == -42);
  CHECK(get(root, "leading_zero").number == 12);
  CHECK(get(root, "hex").number == 31);
  CHECK(get(root, "hex").text == "0x1F");
  CHECK(get(root, "octal").number == 15);
  CHECK(get(root, "real").number == 1500);
  CHECK(get(root, "dot").number == 0.5);
  CHECK(get(root, "inf").number == -INFINITY);
  CHECK(std::isnan(get(root, "nan").number));
  CHECK(get(root, "quoted_bool").is_string());
  CHECK(get(root, "quoted_number").is_string());
  CHECK(get(root, "forced_string").is_string());
  CHECK(get(root, "forced_string").tag == "!!str");
  CHECK(where(get(root, "forced_string").span) == "23:16-23:24");
  CHECK(get(root, "forced_int").is_number());
  CHECK(get(root, "forced_int").number == 12);
  CHECK(get(root, "non_specific").is_string());
}

TEST_CASE("yaml: CloudFormation short-form intrinsics become unknown nodes") {
  const Node root = only_root(load(
      "Cpu: !Ref TaskCpu\n"
      "Role: !GetAtt [TaskRole, Arn]\n"
      "Name: !Sub '${AWS::StackName}-web'\n"
      "Script: !Sub |\n"
      "  echo ${Bucket}\n"
      "Subnet: !If [IsProd, !Ref ProdSubnet, !Ref \"AWS::NoValue\"]\n"
      "Custom: !Thing 3\n"));
  const Node& cpu = get(root, "Cpu");
  CHECK(cpu.is_unknown());
  CHECK(cpu.tag == "!Ref");
  CHECK(cpu.text == "!Ref TaskCpu");
  CHECK(cpu.describe() == "!Ref TaskCpu");
  CHECK(where(cpu.span) == "1:6-1:18");
  REQUIRE(cpu.children.size() == 1);
  CHECK(cpu.children[0].text == "TaskCpu");
  CHECK(where(cpu.children[0].span) == "1:11-1:18");
  CHECK_FALSE(cpu.as_integer().has_value());

  const Node& role = get(root, "Role");
  CHECK(role.is_unknown());
  CHECK(role.text == "!GetAtt [TaskRole, Arn]");
  REQUIRE(role.children.size() == 2);
  CHECK(role.children[1].text == "Arn");
  CHECK(where(role.span) == "2:7-2:30");

  CHECK(get(root, "Name").text == "!Sub ${AWS::StackName}-web");
  CHECK(get(root, "Script").text == "!Sub ...");
  CHECK(get(root, "Script").children.at(0).text == "echo ${Bucket}\n");
  CHECK(where(get(root, "Script").span) == "4:9-5:17");

  const Node& subnet = get(root, "Subnet");
  CHECK(subnet.text == "!If [IsProd, !Ref ProdSubnet, !Ref AWS::NoValue]");
  REQUIRE(subnet.children.size() == 3);
  CHECK(subnet.children[1].is_unknown());
  CHECK(subnet.children[2].text == "!Ref AWS::NoValue");

  const Node& custom = get(root, "Custom");  // other local tags: the node as parsed, tag kept
  CHECK(custom.is_number());
  CHECK(custom.tag == "!Thing");
}

TEST_CASE("yaml: merge keys are applied") {
  const Node root = only_root(load(
      "base: &base\n"
      "  image: base\n"
      "  cpu: 256\n"
      "  memory: 512\n"
      "extra: &extra\n"
      "  memory: 1024\n"
      "  logging: json\n"
      "web:\n"
      "  <<: [*base, *extra]\n"
      "  cpu: 512\n"
      "api:\n"
      "  name: api\n"
      "  <<: *base\n"
      "  image: api\n"
      "quoted:\n"
      "  \"<<\": not a merge\n"));
  const Node& web = get(root, "web");
  CHECK(web.find("<<") == nullptr);
  CHECK(get(web, "cpu").number == 512);          // explicit keys win
  CHECK(get(web, "memory").number == 512);       // the earlier source wins
  CHECK(get(web, "logging").text == "json");
  CHECK(get(web, "image").text == "base");
  CHECK(web.children.size() == 4);
  // Merged entries keep the spans of the anchored map.
  CHECK(where(get(web, "image").span) == "2:10-2:14");
  CHECK(where(get(web, "image").key_span) == "2:3-2:8");

  const Node& api = get(root, "api");
  REQUIRE(api.children.size() == 4);
  CHECK(api.children[0].key == "name");
  CHECK(api.children[1].key == "cpu");  // merged entries stand where `<<` stood
  CHECK(get(api, "image").text == "api");

  CHECK(get(get(root, "quoted"), "<<").text == "not a merge");
}

TEST_CASE("yaml: duplicate keys are errors at the second key") {
  Document document = load(
      "containers:\n"
      "  - name: web\n"
      "    cpu: 1\n"
      "    image: nginx\n"
      "    image: httpd\n");
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "duplicate key \"image\" (first defined at line 4): YAML requires unique keys and readers differ on which value wins (most keep the last, so the first is lost); keep one");
  CHECK(where(document.errors[0].span) == "5:5-5:10");
  REQUIRE(document.roots.size() == 1);
  const Node& container = get(document.roots[0], "containers").children.at(0);
  CHECK(container.children.size() == 4);  // both kept
  CHECK(get(container, "image").text == "httpd");

  // Large maps use an index; the position must still be exact.
  std::string many;
  for (int i = 0; i < 40; ++i) many += fmt::format("key{}: {}\n", i, i);
  many += "key7: again\n";
  Document large = load(many);
  REQUIRE(large.errors.size() == 1);
  CHECK(large.errors[0].message == "duplicate key \"key7\" (first defined at line 8): YAML requires unique keys and readers differ on which value wins (most keep the last, so the first is lost); keep one");
  CHECK(where(large.errors[0].span) == "41:1-41:5");
}

TEST_CASE("yaml: aliases copy the anchored node, spans included") {
  const Node root = only_root(load(
      "defaults: &d {retries: 3}\n"
      "job:\n"
      "  settings: *d\n"
      "  name: &n worker\n"
      "  again: *n\n"
      "*n : alias as key\n"));
  const Node& settings = get(get(root, "job"), "settings");
  CHECK(settings.is_map());
  CHECK(get(settings, "retries").number == 3);
  CHECK(where(settings.span) == "1:11-1:26");
  CHECK(where(settings.key_span) == "3:3-3:11");
  CHECK(get(get(root, "job"), "again").text == "worker");
  CHECK(get(root, "worker").text == "alias as key");
}

TEST_CASE("yaml: an unknown alias is an error with its position") {
  Document document = load("a: 1\nb: *missing\n");
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "unknown anchor: *missing is used but &missing is not defined before it");
  CHECK(document.errors[0].span.begin == Position{2, 4});
  CHECK(document.roots.empty());
}

TEST_CASE("yaml: malformed text that sends yaml-cpp into a loop is an error, not a gigabyte") {
  // Found by fuzz_yaml: these 15 bytes made yaml-cpp emit null values until the 5,000,000-node
  // budget, 17 s and 1.4 GB later.
  double start = shiftlint::test_bounds::cpu_seconds();
  Document document = load(",ResourcesAWS::");
  double seconds = shiftlint::test_bounds::cpu_seconds() - start;
  CHECK(seconds < 0.5 * shiftlint::test_bounds::kTimeScale);
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message.find("keeps producing values without reading the text") != std::string::npos);
  CHECK(document.errors[0].span.begin.line == 1);
  // The densest real YAML stays under the bound: empty values after `?`, `-` and `key:`.
  CHECK(load("? a\n? b\n? c\n").ok());
  CHECK(load("- \n- \n- \n- \n").ok());
  CHECK(load("{a, b, c, d}\n").ok());
  CHECK(load("[[[[[[[[]]]]]]]]\n").ok());
}

TEST_CASE("yaml: a billion-laughs alias bomb is stopped quickly") {
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string previous = "a";
  for (char level : std::string("bcdefghi")) {
    bomb += fmt::format("{}: &{} [", level, level);
    for (int i = 0; i < 10; ++i) bomb += (i ? ",*" : "*") + previous;
    bomb += "]\n";
    previous = std::string(1, level);
  }
  double start = shiftlint::test_bounds::cpu_seconds();
  Document document = load(bomb);
  double seconds = shiftlint::test_bounds::cpu_seconds() - start;
  CHECK(seconds < 1.0 * shiftlint::test_bounds::kTimeScale);
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML alias expansion exceeds 100000 nodes (alias bomb?)");
  CHECK(document.errors[0].span.begin.line == 5);  // e: 10 x 10^4 nodes crosses the budget
  CHECK(document.roots.empty());

  // With a smaller max_nodes, the limit itself is the budget.
  LoadLimits limits;
  limits.max_nodes = 1000;
  Document small = load(bomb, limits);
  REQUIRE(small.errors.size() == 1);
  CHECK(small.errors[0].message == "YAML alias expansion exceeds 1000 nodes (alias bomb?)");
  CHECK(small.errors[0].span.begin.line == 3);
}

TEST_CASE("yaml: 1,000,000 nested brackets are an error, not a crash") {
  Document document = load(std::string(1'000'000, '['));
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML nesting deeper than 512 levels");
  CHECK(document.errors[0].span.begin == Position{1, 513});
  CHECK(document.roots.empty());
}

TEST_CASE("yaml: deep block nesting is an error") {
  std::string deep;
  for (int i = 0; i < 600; ++i) deep += std::string(i, ' ') + "k:\n";
  Document document = load(deep);
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML nesting deeper than 512 levels");
  CHECK(document.errors[0].span.begin.line == 514);
  CHECK(document.roots.empty());

  std::string dashes;
  for (int i = 0; i < 1000; ++i) dashes += "- ";
  Document compact = load(dashes + "x\n");
  REQUIRE_FALSE(compact.errors.empty());
  CHECK(compact.roots.empty());
}

TEST_CASE("yaml: nesting past max_depth is an error at the too-deep collection") {
  LoadLimits limits;
  limits.max_depth = 3;
  Document document = load("a: {b: {c: {d: 1}}}\n", limits);
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML nesting deeper than 3 levels");
  CHECK(document.errors[0].span.begin == Position{1, 12});
  CHECK(load("a: {b: {c: 1}}\n", limits).ok());
}

TEST_CASE("yaml: syntax errors have a readable message and a position") {
  Document bad_value = load("image: nginx: latest\n");
  REQUIRE(bad_value.errors.size() == 1);
  CHECK(bad_value.errors[0].message.rfind("mapping values are not allowed here", 0) == 0);
  CHECK(bad_value.errors[0].span.begin == Position{1, 13});
  CHECK(bad_value.errors[0].message.find("quote a value") != std::string::npos);

  // A key pushed under a line whose value is given: the message says the indentation is the fix.
  Document indented = load("apiVersion: apps/v1\n    kind: Deployment\n");
  REQUIRE(indented.errors.size() == 1);
  CHECK(indented.errors[0].message ==
        "mapping values are not allowed here: this key is indented under `apiVersion: apps/v1`, which already has a "
        "value; indent it like the key above");
  CHECK(indented.errors[0].span.begin == Position{2, 9});
  // Not when the line above opens a block scalar or carries an anchor, nor for a value with ": ".
  CHECK(load("a:\n  b: c: d\n").errors.at(0).message.find("quote a value") != std::string::npos);
  CHECK(load("script: |\n  echo\nother: 1\n").ok());

  Document bad_indent = load("first: 1\n---\nenv:\n  - a\n  b: c\n");
  REQUIRE(bad_indent.errors.size() == 1);
  CHECK(bad_indent.errors[0].message == "bad indentation of a mapping entry");
  CHECK(bad_indent.errors[0].span.begin == Position{5, 3});
  REQUIRE(bad_indent.roots.size() == 1);  // the document before the error is kept
  CHECK(get(bad_indent.roots[0], "first").number == 1);

  Document unclosed = load("ports: [80, 443\n");
  REQUIRE_FALSE(unclosed.errors.empty());
  CHECK(unclosed.errors[0].message == "expected ',' or ']' in a flow sequence");
  CHECK(unclosed.errors[0].span.begin.line == 2);

  Document quote = load("a: \"never closed\nb: 1\n");
  REQUIRE_FALSE(quote.errors.empty());
  CHECK(quote.errors[0].message == "missing closing quote (\") for the string starting here");
  CHECK(quote.errors[0].span.begin == Position{1, 4});
}

TEST_CASE("yaml: CRLF line endings give the same positions as LF") {
  const std::string lf =
      "a: 1\n"
      "b:\n"
      "  - \"x\"\n"
      "  -\n"
      "c: |\n"
      "  text\n"
      "d: plain\n"
      "  folded\n";
  std::string crlf;
  for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const Node unix_root = only_root(load(lf));
  const Node windows_root = only_root(load(crlf));
  REQUIRE(unix_root.children.size() == windows_root.children.size());
  for (size_t i = 0; i < unix_root.children.size(); ++i) {
    const Node& u = unix_root.children[i];
    const Node& w = windows_root.children[i];
    INFO(u.key);
    CHECK(where(u.span) == where(w.span));
    CHECK(where(u.key_span) == where(w.key_span));
    CHECK(u.text == w.text);
    for (size_t j = 0; j < u.children.size(); ++j)
      CHECK(where(u.children[j].span) == where(w.children.at(j).span));
  }
  CHECK(where(get(windows_root, "c").span) == "5:4-6:7");
  CHECK(where(get(windows_root, "d").span) == "7:4-8:9");
  CHECK(where(get(windows_root, "b").children.at(1).span) == "4:4-4:4");
}

TEST_CASE("yaml: a UTF-8 byte order mark does not shift columns") {
  const Node root = only_root(load("\xEF\xBB\xBFkey: value\n"));
  CHECK(where(get(root, "key").key_span) == "1:1-1:4");
  CHECK(where(get(root, "key").span) == "1:6-1:11");
}

TEST_CASE("yaml: binary and badly encoded input is an error, not a crash") {
  Document nul = load(std::string("a: 1\nb: \0\x01\x02", 10));
  REQUIRE(nul.errors.size() == 1);
  CHECK(nul.errors[0].span.begin == Position{2, 4});
  CHECK(nul.errors[0].message.find("NUL bytes") != std::string::npos);

  Document utf16 = load("\xFF\xFE" "a: 1");
  REQUIRE(utf16.errors.size() == 1);
  CHECK(utf16.errors[0].message == "file starts with a UTF-16 byte order mark: save it as UTF-8");

  Document latin1 = load("name: caf\xE9\nbad: \xC3\x28\n");  // invalid UTF-8 goes through as bytes
  const Node root = only_root(latin1);
  CHECK(get(root, "name").text == "caf\xE9");
  CHECK(where(get(root, "bad").span) == "2:6-2:8");

  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 7919 + 13) % 255 + 1);
  Document random = load(noise);  // whatever it yields, it must return
  CHECK((random.ok() || !random.errors.front().message.empty()));
}

TEST_CASE("yaml: complex keys are rendered as readable strings") {
  const Node root = only_root(load(
      "? [a, b]\n"
      ": list key\n"
      "? {x: 1}\n"
      ": map key\n"
      "1: number key\n"
      "~: null key\n"));
  CHECK(get(root, "[a, b]").text == "list key");
  CHECK(where(get(root, "[a, b]").key_span) == "1:3-1:9");
  CHECK(get(root, "{x: 1}").text == "map key");
  CHECK(get(root, "1").text == "number key");
  CHECK(get(root, "~").text == "null key");
}
