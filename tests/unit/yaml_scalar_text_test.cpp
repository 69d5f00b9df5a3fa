#include <catch2/catch.hpp>

#include <string>

#include <fmt/core.h>

#include "analyzer/parse/json_loader.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/parse/yaml_scalar_text.h"

using namespace shiftlint;

namespace {

struct Loaded {
  std::shared_ptr<SourceFile> file;
  Document document;
};

Loaded load(std::string text, bool json = false) {
  auto file = std::make_shared<SourceFile>(json ? "t.json" : "t.yaml", json ? "t.json" : "t.yaml", std::move(text));
  Document document = json ? load_json(file) : load_yaml(file);
  INFO((document.errors.empty() ? std::string() : document.errors.front().message));
  REQUIRE(document.ok());
  return {file, std::move(document)};
}

// Where `needle` (its first occurrence in the decoded value) lands in the file: "line:column".
std::string where(const SourceFile& file, const TextMap& map, std::string_view needle) {
  size_t at = map.text().find(needle);
  REQUIRE(at != std::string::npos);
  Span span = map.span_of(file, at, at + needle.size());
  return fmt::format("{}:{}-{}:{}", span.begin.line, span.begin.column, span.end.line, span.end.column);
}

}  // namespace

TEST_CASE("yaml scalar text: a literal block keeps each line at its own line and column") {
  Loaded loaded = load("commands:\n  01_cron:\n    command: |\n      echo one\n        indented two\n\n      crontab /tmp/x\n");
  const Node& command = *loaded.document.roots[0].find("commands")->find("01_cron")->find("command");
  TextMap map = yaml_scalar_text(*loaded.file, command);
  CHECK(map.text() == command.text);
  CHECK(yaml_scalar_text_is_exact(*loaded.file, command));
  CHECK(where(*loaded.file, map, "echo one") == "4:7-4:15");
  CHECK(where(*loaded.file, map, "indented two") == "5:9-5:21");
  CHECK(where(*loaded.file, map, "crontab") == "7:7-7:14");
}

TEST_CASE("yaml scalar text: blanks that end a block's last line are part of it") {
  // An .ebextensions cron file whose last line ends in spaces (43 of AWS's 115 sample configs have
  // trailing blanks): the node's span stops at the last non-blank character, the value does not.
  for (std::string header : {"|", "|-", ">"}) {
    Loaded loaded = load("content: " + header + "\n  SHELL=/bin/sh\n  */5 * * * * root /usr/local/bin/job.sh   \n");
    const Node& content = *loaded.document.roots[0].find("content");
    INFO(header);
    TextMap map = yaml_scalar_text(*loaded.file, content);
    CHECK(map.text() == content.text);
    CHECK(yaml_scalar_text_is_exact(*loaded.file, content));
    CHECK(where(*loaded.file, map, "*/5") == "3:3-3:6");
  }
  Loaded at_end = load("content: |\n  a\n  b  ");  // no line break at the end of the file
  const Node& content = *at_end.document.roots[0].find("content");
  CHECK(yaml_scalar_text(*at_end.file, content).text() == content.text);
  CHECK(yaml_scalar_text_is_exact(*at_end.file, content));
}

TEST_CASE("yaml scalar text: chomping indicators and a header comment") {
  for (std::string header : {"|-", "|+", "| # why", ">-", ">"}) {
    Loaded loaded = load("a: " + header + "\n  first line\n  second line\n\n\nb: 1\n");
    const Node& value = *loaded.document.roots[0].find("a");
    INFO(header);
    TextMap map = yaml_scalar_text(*loaded.file, value);
    CHECK(map.text() == value.text);
    CHECK(yaml_scalar_text_is_exact(*loaded.file, value));
    CHECK(where(*loaded.file, map, "second") == "3:3-3:9");
  }
}

TEST_CASE("yaml scalar text: a folded block joins lines with spaces mapped to the line breaks") {
  Loaded loaded = load("command: >\n  yum install -y\n  cronie\n\n  next paragraph\n    spaced line\n  last\n");
  const Node& value = *loaded.document.roots[0].find("command");
  TextMap map = yaml_scalar_text(*loaded.file, value);
  CHECK(value.text == "yum install -y cronie\nnext paragraph\n  spaced line\nlast\n");
  CHECK(map.text() == value.text);
  CHECK(where(*loaded.file, map, "cronie") == "3:3-3:9");
  CHECK(where(*loaded.file, map, "spaced") == "6:5-6:11");
}

TEST_CASE("yaml scalar text: plain, single- and double-quoted scalars over several lines") {
  Loaded loaded = load("a: echo one\n   two\nb: 'it''s\n  here'\nc: \"tab\\tend \\\n   joined \\u00e9\"\n");
  const Node& root = loaded.document.roots[0];
  for (std::string_view key : {"a", "b", "c"}) {
    const Node& value = *root.find(key);
    INFO(key);
    CHECK(yaml_scalar_text(*loaded.file, value).text() == value.text);
    CHECK(yaml_scalar_text_is_exact(*loaded.file, value));
  }
  CHECK(where(*loaded.file, yaml_scalar_text(*loaded.file, *root.find("a")), "two") == "2:4-2:7");
  CHECK(where(*loaded.file, yaml_scalar_text(*loaded.file, *root.find("b")), "here") == "4:3-4:7");
  CHECK(where(*loaded.file, yaml_scalar_text(*loaded.file, *root.find("c")), "joined") == "6:4-6:10");
}

TEST_CASE("yaml scalar text: JSON strings with escapes") {
  Loaded loaded = load("{\"command\": \"echo \\\"hi\\\" > /etc/cron.d/x\\nservice crond restart\"}", true);
  const Node& value = *loaded.document.roots[0].find("command");
  TextMap map = yaml_scalar_text(*loaded.file, value);
  CHECK(map.text() == value.text);
  CHECK(where(*loaded.file, map, "/etc/cron.d/x") == "1:28-1:41");
  CHECK(where(*loaded.file, map, "service") == "1:43-1:50");
}

TEST_CASE("yaml scalar text: a tagged block scalar and a form it cannot map stay in the scalar") {
  Loaded loaded = load("a: !Sub |\n  echo ${AWS::Region}\n");
  const Node& value = *loaded.document.roots[0].find("a");
  // An intrinsic is an Unknown node: its argument is the string.
  REQUIRE(value.is_unknown());
  REQUIRE(!value.children.empty());
  TextMap map = yaml_scalar_text(*loaded.file, value.children[0]);
  CHECK(map.text() == value.children[0].text);
  CHECK(where(*loaded.file, map, "echo") == "2:3-2:7");
}
