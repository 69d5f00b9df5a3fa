#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "analyzer/parse/json_loader.h"

using namespace shiftlint;

namespace {
Document load(std::string text, LoadLimits limits = {}) {
  return load_json(std::make_shared<const SourceFile>("t.json", "t.json", std::move(text)), limits);
}
}  // namespace

TEST_CASE("json: values, keys and their exact spans") {
  Document document = load("{\n  \"family\": \"web\",\n  \"cpu\": 256,\n  \"ok\": true,\n  \"none\": null,\n"
                           "  \"list\": [1, \"two\"]\n}\n");
  REQUIRE(document.ok());
  REQUIRE(document.roots.size() == 1);
  const Node& root = document.roots[0];
  CHECK(root.is_map());
  CHECK(root.span == Span{{1, 1}, {7, 2}});
  const Node* family = root.find("family");
  REQUIRE(family);
  CHECK(family->text == "web");
  CHECK(family->span == Span{{2, 13}, {2, 18}});
  CHECK(family->key_span == Span{{2, 3}, {2, 11}});
  const Node* cpu = root.find("cpu");
  REQUIRE(cpu);
  CHECK(cpu->is_number());
  CHECK(cpu->as_integer() == 256);
  CHECK(cpu->text == "256");
  CHECK(root.find("ok")->as_boolean() == true);
  CHECK(root.find("none")->is_null());
  const Node* list = root.find("list");
  REQUIRE(list->children.size() == 2);
  CHECK(list->children[1].text == "two");
  CHECK(list->children[1].span.begin == Position{6, 15});
}

TEST_CASE("json: escapes and surrogate pairs decode to UTF-8") {
  Document document = load(R"({"a": "line\nnext \"q\" \u00e9 \ud83d\ude00 \/"})");
  REQUIRE(document.ok());
  CHECK(document.roots[0].find("a")->text == "line\nnext \"q\" \xC3\xA9 \xF0\x9F\x98\x80 /");
}

TEST_CASE("json: syntax errors are reported with their position") {
  SECTION("trailing comma: at the comma") {
    Document document = load("{\n  \"a\": 1,\n}\n");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].span.begin == Position{2, 9});
    CHECK(document.errors[0].message == "trailing comma before '}': JSON does not allow it");
  }
  SECTION("missing comma between members: at the member that follows") {
    Document document = load("{\n  \"a\": 1\n  \"b\": 2\n}\n");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].span.begin == Position{3, 3});
    CHECK(document.errors[0].message.find("expected ',' or '}' after an object member, found '\"b\"'") == 0);
  }
  SECTION("a missing comma deep inside a large object is found where it is") {
    std::string text = "{\n  \"options\": {\n";
    for (int i = 0; i < 20; ++i) text += "    \"k" + std::to_string(i) + "\": \"v\",\n";
    text += "    \"Port\": \"443\"\n    \"Retry\": \"2\"\n  }\n}\n";
    Document document = load(text);
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].span.begin == Position{24, 5});
  }
  SECTION("unterminated object: names where it was opened") {
    Document document = load("{\"a\": [1, 2]");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].message == "unexpected end of file: the object opened at line 1 is not closed");
  }
  SECTION("single quotes") {
    Document document = load("{'a': 1}");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].message == "strings must use double quotes in JSON");
  }
  SECTION("comments are not JSON") {
    Document document = load("{\n  // the family\n  \"a\": 1\n}\n");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].span.begin.line == 2);
    CHECK(document.errors[0].message == "comments are not allowed in JSON");
  }
  SECTION("two top-level values") {
    Document document = load("{} {}");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].message.find("more than one top-level JSON value") == 0);
  }
  SECTION("an empty file") {
    Document document = load("  \n");
    REQUIRE_FALSE(document.ok());
    CHECK(document.errors[0].message.find("empty file") == 0);
  }
  SECTION("leading zeros are not JSON numbers") {
    Document document = load("{\"a\": 012}");
    REQUIRE_FALSE(document.ok());
  }
}

TEST_CASE("json: duplicate keys are errors at the second key") {
  Document document = load("{\n  \"cpu\": 256,\n  \"cpu\": 512\n}\n");
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].span.begin == Position{3, 3});
  CHECK(document.errors[0].message.find("duplicate key \"cpu\" (first defined at line 2)") == 0);
  CHECK(document.roots[0].find("cpu")->as_integer() == 512);

  std::string large = "{";
  for (int i = 0; i < 40; ++i) large += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  large += "\"k7\": 0}";
  Document many = load(large);
  REQUIRE(many.errors.size() == 1);
  CHECK(many.errors[0].message.find("duplicate key \"k7\"") == 0);
}

TEST_CASE("json: nesting past the limit is refused without recursion") {
  std::string deep(100000, '[');
  Document document = load(deep);
  REQUIRE_FALSE(document.ok());
  CHECK(document.errors[0].message.find("deeper than 512") != std::string::npos);
  CHECK(document.roots.empty());

  LoadLimits small;
  small.max_depth = 3;
  CHECK(load("[[[1]]]", small).ok());
  CHECK_FALSE(load("[[[[1]]]]", small).ok());
}

TEST_CASE("json: a broken file still yields a partial tree for the editor") {
  Document document = load("{\n  \"family\": \"web\",\n  \"cpu\": 256\n  \"memory\": 512\n}\n");
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].span.begin == Position{4, 3});
  REQUIRE(document.roots.size() == 1);
  const Node* family = document.roots[0].find("family");
  REQUIRE(family);
  CHECK(family->text == "web");
  CHECK(family->span.begin == Position{2, 13});
}

TEST_CASE("json: invalid UTF-8 and binary input do not crash") {
  Document invalid = load("{\"a\": \"\xff\xfe\"}");
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.errors[0].message.find("invalid UTF-8 byte 0xff") == 0);
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) & 0xFF);
  Document garbage = load(binary);
  CHECK_FALSE(garbage.ok());
  CHECK(garbage.errors.size() <= 20);
}

TEST_CASE("json: CRLF files have the same positions as LF files") {
  Document lf = load("{\n  \"a\": 1\n}\n");
  Document crlf = load("{\r\n  \"a\": 1\r\n}\r\n");
  REQUIRE(lf.ok());
  REQUIRE(crlf.ok());
  CHECK(lf.roots[0].find("a")->span == crlf.roots[0].find("a")->span);
}
