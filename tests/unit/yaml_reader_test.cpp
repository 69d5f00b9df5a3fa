// The hand-written YAML reader (analyzer/parse/yaml_reader.h): the events it reports, with their
// offsets, for each construct it reads; and for every text, the located tree built from its events
// must be identical to the one built from yaml-cpp's, node by node (bench/yaml_tree_difference.h).
// What it declines goes to yaml-cpp, which reports errors and reads the rare constructs.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "analyzer/parse/yaml_loader.h"
#include "analyzer/parse/yaml_reader.h"
#include "bench/yaml_tree_difference.h"

using namespace shiftlint;

namespace {

class RecordedEvents final : public YamlEvents {
 public:
  std::vector<std::string> lines;
  void document_start(size_t offset) override { lines.push_back(fmt::format("document @{}", offset)); }
  void document_end() override { lines.push_back("end document"); }
  void null_value(size_t offset, size_t anchor) override {
    lines.push_back(fmt::format("null @{}{}", offset, anchored(anchor)));
  }
  void alias(size_t offset, size_t anchor) override { lines.push_back(fmt::format("alias @{} *{}", offset, anchor)); }
  void scalar(size_t offset, std::string_view tag, size_t anchor, std::string value) override {
    lines.push_back(fmt::format("scalar @{} {}{} [{}]", offset, tag, anchored(anchor), value));
  }
  void sequence_start(size_t offset, std::string_view tag, size_t anchor, bool flow) override {
    lines.push_back(fmt::format("{} sequence @{} {}{}", flow ? "flow" : "block", offset, tag, anchored(anchor)));
  }
  void sequence_end() override { lines.push_back("end sequence"); }
  void map_start(size_t offset, std::string_view tag, size_t anchor, bool flow) override {
    lines.push_back(fmt::format("{} map @{} {}{}", flow ? "flow" : "block", offset, tag, anchored(anchor)));
  }

 private:
  static std::string anchored(size_t anchor) { return anchor ? fmt::format(" &{}", anchor) : std::string(); }
  void map_end() override { lines.push_back("end map"); }
};

std::vector<std::string> events_of(std::string_view text) {
  RecordedEvents events;
  size_t declined_at = 0;
  const bool read = read_yaml(text, events, 400, &declined_at);
  INFO("declined at offset " << declined_at);
  REQUIRE(read);
  return events.lines;
}

bool declines(std::string_view text) {
  RecordedEvents events;
  return !read_yaml(text, events);
}

std::shared_ptr<const SourceFile> file_of(std::string text) {
  return std::make_shared<const SourceFile>("test.yaml", "test.yaml", std::move(text));
}

// The reader reads `text`, and the tree from its events equals yaml-cpp's in every field.
void require_same_tree(std::string text) {
  INFO("YAML:\n" << text);
  auto file = file_of(std::move(text));
  std::optional<Document> expected = load_yaml_with(file, LoadLimits{}, YamlFrontEnd::YamlCpp);
  std::optional<Document> actual = load_yaml_with(file, LoadLimits{}, YamlFrontEnd::HandWrittenOnly);
  REQUIRE(actual.has_value());
  YamlTreeComparison comparison;
  comparison.document(*expected, *actual);
  std::string shown;
  for (const std::string& difference : comparison.differences) shown += difference + "\n";
  INFO(shown);
  CHECK(comparison.differences.empty());
}

// The reader declines `text`, and load_yaml still gives yaml-cpp's result.
Document require_declined(std::string text) {
  INFO("YAML:\n" << text);
  CHECK(declines(text));
  auto file = file_of(std::move(text));
  CHECK_FALSE(load_yaml_with(file, LoadLimits{}, YamlFrontEnd::HandWrittenOnly).has_value());
  Document automatic = load_yaml(file);
  Document expected = *load_yaml_with(file, LoadLimits{}, YamlFrontEnd::YamlCpp);
  YamlTreeComparison comparison;
  comparison.document(expected, automatic);
  CHECK(comparison.differences.empty());
  return automatic;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("yaml reader: block maps and sequences open where their first key or dash stands", "[yaml_reader]") {
  // offsets:   0     5  8 10  14 16
  CHECK(events_of("a: 1\nb:\n  - x\n  - y\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [a]", "scalar @3 ? [1]", "scalar @5 ? [b]",
              "block sequence @10 ?", "scalar @12 ? [x]", "scalar @18 ? [y]", "end sequence", "end map",
              "end document"});
  // A sequence may sit at its key's column; a map inside a sequence item starts at its first key.
  CHECK(events_of("k:\n- a: 1\n  b: 2\n- c\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [k]", "block sequence @3 ?", "block map @5 ?",
              "scalar @5 ? [a]", "scalar @8 ? [1]", "scalar @12 ? [b]", "scalar @15 ? [2]", "end map",
              "scalar @19 ? [c]", "end sequence", "end map", "end document"});
  require_same_tree("a: 1\nb:\n  - x\n  - y\n");
  require_same_tree("k:\n- a: 1\n  b: 2\n- c\n");
  require_same_tree("- - a\n  - b\n- - c\n");
  require_same_tree("top:\n  nested:\n    deeper:\n      leaf: value\n  back: 1\nlast: true\n");
}

TEST_CASE("yaml reader: empty values get yaml-cpp's marks (the next token), the tree puts them after the colon",
          "[yaml_reader]") {
  CHECK(events_of("a:\nb: ~\nc:") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [a]", "null @3", "scalar @3 ? [b]", "null @6",
              "scalar @8 ? [c]", "null @10", "end map", "end document"});
  require_same_tree("a:\nb: ~\nc:");
  require_same_tree("list:\n-\n- ''\n-\nafter: Null\n");
  require_same_tree("---\n");
  require_same_tree("a: 1\n---\n---\nb:\n");
}

TEST_CASE("yaml reader: plain scalars, folding and comments", "[yaml_reader]") {
  CHECK(events_of("key: value with spaces   # comment\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [key]", "scalar @5 ? [value with spaces]", "end map",
              "end document"});
  CHECK(events_of("key: first\n  second\n\n  third\nnext: url#fragment\n")[3] ==
        "scalar @5 ? [first second\nthird]");
  require_same_tree("key: first\n  second\n\n  third\nnext: url#fragment\n");
  require_same_tree("- a\n  b # c\n- http://example.com:8080/path?q=1\n- 'x': y\n");
  require_same_tree("image: nginx:1.25\nport: 8080\nratio: 0.5\nflag: yes\nempty: ''\nnum: 0x1F\n");
}

TEST_CASE("yaml reader: quoted scalars with escapes and folding", "[yaml_reader]") {
  CHECK(events_of("a: \"tab\\there \\u00e9 \\x41\"\nb: 'it''s'\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [a]", "scalar @3 ! [tab\there \xC3\xA9 A]",
              "scalar @27 ? [b]", "scalar @30 ! [it's]", "end map", "end document"});
  require_same_tree("a: \"tab\\there \\u00e9 \\x41 \\N \\_ \\L \\P \\0 \\/ \\\\\"\nb: 'it''s'\n");
  require_same_tree("a: \"first\n  second\n\n  third \\\n  fourth\"\nb: 'one\n\n  two  '\n");
  require_same_tree("\"quoted key\": 1\n'single key': 2\n");
  require_same_tree("a: \"ends with break\\n\"\nb: \"x\n\n\"\n");
}

TEST_CASE("yaml reader: block scalars with chomping and indentation indicators", "[yaml_reader]") {
  CHECK(events_of("script: |\n  line 1\n  line 2\nnext: 1\n")[3] == "scalar @8 ! [line 1\nline 2\n]");
  require_same_tree("script: |\n  line 1\n\n    indented\n  line 2\n\n\nnext: 1\n");
  require_same_tree("a: |-\n  strip\n\nb: |+\n  keep\n\n\nc: >\n  folded\n  text\n\n  para\n    more\n  end\n");
  require_same_tree("a: >-\n  x\n\n\n  y\nb: |2\n    two extra\n  base\nc: >+\n\nd: |\n");
  require_same_tree("- |\n  in a list\n- >\n  folded in\n  a list\n- last\n");
  require_same_tree("doc: | # comment\n  text\n# trailing comment\n");
  require_same_tree("a: |\n  no final newline");
}

TEST_CASE("yaml reader: flow collections, JSON included", "[yaml_reader]") {
  CHECK(events_of("a: [x, 'y', {k: v}]\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [a]", "flow sequence @3 ?", "scalar @4 ? [x]",
              "scalar @7 ! [y]", "flow map @12 ?", "scalar @13 ? [k]", "scalar @16 ? [v]", "end map", "end sequence",
              "end map", "end document"});
  require_same_tree("a: [x, 'y', {k: v}]\nb: []\nc: {}\nd: [1, 2,]\n");
  require_same_tree("{\"name\": \"web\", \"ports\": [80, 443], \"env\": {\"A\":\"1\"}}\n");
  require_same_tree("args: [\n  --flag=a:b,\n  \"quoted\",\n  last\n]\nnext: {a: 1,\n  b: 2}\n");
  require_same_tree("- [a, b]\n- {c: d}\n- [ ]\n");
}

TEST_CASE("yaml reader: documents, markers and comments", "[yaml_reader]") {
  CHECK(events_of("---\na: 1\n...\n---\n- x\n") ==
        Lines{"document @0", "block map @4 ?", "scalar @4 ? [a]", "scalar @7 ? [1]", "end map", "end document",
              "document @13", "block sequence @17 ?", "scalar @19 ? [x]", "end sequence", "end document"});
  // (the root map's tag is "?": yaml-cpp's spelling of "no tag")
  require_same_tree("# Source: chart/templates/a.yaml\n---\n# c\nkind: A\n---\n# Source: b\nkind: B\n");
  require_same_tree("--- # comment\nkind: A\n--- |\n  block document\n--- plain\n...\n");
  require_same_tree("");
  require_same_tree("# only a comment\n");
  require_same_tree("just a scalar\n");
}

TEST_CASE("yaml reader: tags on scalars, CloudFormation short forms and core types", "[yaml_reader]") {
  CHECK(events_of("Value: !Ref Bucket\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [Value]", "scalar @7 !Ref [Bucket]", "end map",
              "end document"});
  CHECK(events_of("a: !!str 1\n")[3] == "scalar @3 tag:yaml.org,2002:str [1]");
  require_same_tree(
      "Resources:\n  Task:\n    Properties:\n      Cpu: !Ref TaskCpu\n      Name: !Sub '${AWS::StackName}-web'\n"
      "      Arn: !GetAtt Role.Arn\n      Script: !Sub |\n        echo ${Var}\n      List: !Split [',', !Ref X]\n"
      "      Join: !Join\n        - ''\n        - - a\n          - !Ref B\n      Empty: !!str\n      Int: !!int '42'\n");
  require_same_tree("Cond: !Equals [!Ref Env, prod]\nItems:\n  - !Ref A\n  - !GetAZs ''\n  - !Base64\n    text\n");
  // yaml-cpp opens a potential map where a tag starts a line's content, and indents the block
  // scalar after it from there: this block scalar is empty for it, and its text an error (yaml-cpp
  // issue #1163). It is valid YAML, and how CloudFormation's `- !Sub |` lists are written: the
  // reader reads it, indenting the block from the sequence, and yaml-cpp's error is not reported.
  const std::string tagged_block = "Items:\n  - !Base64 |\n    text\n  - &script >-\n    folded\n    line\n";
  CHECK_FALSE(load_yaml_with(file_of(tagged_block), LoadLimits{}, YamlFrontEnd::YamlCpp)->ok());
  CHECK(events_of(tagged_block) == Lines{"document @0", "block map @0 ?", "scalar @0 ? [Items]",
                                         "block sequence @9 ?", "scalar @11 !Base64 [text\n]",
                                         "scalar @34 ! &1 [folded line]", "end sequence", "end map",
                                         "end document"});
  Document read = load_yaml(file_of(tagged_block));
  REQUIRE(read.ok());
  CHECK(read.roots[0].find("Items")->children.size() == 2);
  require_same_tree("Items:\n  - !Base64 |\n      text\n");
  require_same_tree("a: !!float 1\nb: !!bool true\nc: !!null ''\nd: !Custom {x: 1}\ne: !!seq [1]\n");
}

TEST_CASE("yaml reader: duplicate keys and merge keys are the tree builder's, the same from both front ends",
          "[yaml_reader]") {
  require_same_tree("a: 1\nb: 2\na: 3\n");
  require_same_tree("base: {x: 1}\nmap:\n  <<: {x: 2, y: 3}\n  y: 4\n");
  Document document = load_yaml(file_of("a: 1\na: 2\n"));
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "duplicate key \"a\" (first defined at line 1): YAML requires unique keys and readers differ on which value wins (most keep the last, so the first is lost); keep one");
}

TEST_CASE("yaml reader: tabs between tokens and inside scalars", "[yaml_reader]") {
  require_same_tree("a:\tb\t\nc: \"x\ty\"\t# comment\nd: |\n  \tindented by a tab\ne:\t[1,\t2]\n");
  require_same_tree("apiVersion: v1\t\nkind: Service\t\nlist:\n- \titem\n");
  // A tab where indentation is expected is an error, reported by yaml-cpp.
  CHECK_FALSE(require_declined("a: |\n\tx\n").ok());
}

TEST_CASE("yaml reader: anchors are numbered per document and aliases repeat them", "[yaml_reader]") {
  CHECK(events_of("a: &x 1\nb: *x\n") ==
        Lines{"document @0", "block map @0 ?", "scalar @0 ? [a]", "scalar @3 ? &1 [1]", "scalar @8 ? [b]", "alias @11 *1",
              "end map", "end document"});
  require_same_tree("base: &base {cpu: 256, memory: 512}\nweb:\n  <<: *base\n  cpu: 512\nlist: &l\n  - a\nagain: *l\n");
  require_same_tree("defaults: &d\n  image: app\nworker:\n  <<: [*d]\n---\nother: &d 2\nuse: *d\n");
  require_same_tree("a: &tagged !Ref X\nb: !!str &both 1\nc: *tagged\nd: &empty\ne: [*both, &in flow]\n");
  // An alias of an anchor still open is the tree builder's error, the same from both front ends.
  require_same_tree("a: &x [1, *x]\n");
  // Unknown anchors and anchors without a name are yaml-cpp's errors.
  CHECK_FALSE(require_declined("a: *nowhere\n").ok());
  CHECK_FALSE(require_declined("a: & x\n").ok());
  // An alias bomb reaches the node budget on the fast path: yaml-cpp reports it where it stops.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level)
    bomb += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n", level,
                        static_cast<char>(level - 1));
  Document document = load_yaml(file_of(bomb));
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message.find("alias bomb") != std::string::npos);
}

TEST_CASE("yaml reader: the depth pre-scan's verdict holds for both front ends", "[yaml_reader]") {
  // Brackets on the continuation lines of a plain scalar are text, not nesting; the pre-scan
  // counts them anyway, and the reader must not turn its error into a tree (found by fuzzing).
  std::string text = "a -b\n";
  for (int i = 0; i < 600; ++i) text += "   [\n";
  Document document = load_yaml(file_of(text));
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML nesting deeper than 512 levels");
  CHECK_FALSE(load_yaml_with(file_of(text), LoadLimits{}, YamlFrontEnd::HandWrittenOnly)->ok());
}

TEST_CASE("yaml reader: CRLF line endings", "[yaml_reader]") {
  require_same_tree("a: 1\r\nb:\r\n  - x\r\n  - \"y\r\n  z\"\r\nc: |\r\n  text\r\n  more\r\nd: e\r\n");
}

TEST_CASE("yaml reader: declines what it does not read, yaml-cpp reads it or reports the error", "[yaml_reader]") {
  // Constructs outside the subset: yaml-cpp reads them.
  CHECK(require_declined("&anchor key: 1\n").ok());
  CHECK(require_declined("a: 1\n*alias_key : 2\n").ok() == false);
  CHECK(require_declined("? complex\n: value\n").ok());
  CHECK(require_declined("%YAML 1.2\n---\na: 1\n").ok());
  CHECK(require_declined("a: !<tag:example.com,2024:x> 1\n").ok());
  CHECK(require_declined("a: !Fn::Sub x\n").ok());
  CHECK(require_declined("[a: 1, b]\n").ok());
  CHECK(require_declined("[a, b]: c\n").ok());
  CHECK(require_declined("!!str tagged: key\n").ok());
  CHECK(require_declined(std::string(1100, 'k') + ": long key\n").ok() == false);
  CHECK(require_declined("a: 1\rb: 2\n").ok() == false);  // a lone CR
  CHECK(require_declined("a: \x01\n").ok());              // a control character
  CHECK(require_declined("\xE2\x80\x8B" "a: 1\n").ok());  // a non-ASCII first byte (encoding sniffing)
  // Invalid YAML: the error, its message and position, are yaml-cpp's.
  CHECK_FALSE(require_declined("a: b: c\n").ok());
  CHECK_FALSE(require_declined("a:\n  b: 1\n c: 2\n").ok());
  CHECK_FALSE(require_declined("a: \"unclosed\n").ok());
  CHECK_FALSE(require_declined("a: \"\\q\"\n").ok());
  CHECK_FALSE(require_declined("a: [1, 2\n").ok());
  CHECK_FALSE(require_declined("key: - item\n").ok());
  CHECK_FALSE(require_declined("a: |0\n  x\n").ok());
  CHECK_FALSE(require_declined("a: 1\n]\n").ok());
  // Accepted by yaml-cpp without an error, though not YAML: a scalar where a key should be.
  require_declined("a: 1\nb\n");
  require_declined("a:\n  # comment\nb: null\n- x\n");
  require_declined("text: a: b\n");
}

TEST_CASE("yaml reader: limits hand the file to yaml-cpp, which reports them where it stops", "[yaml_reader]") {
  std::string deep;
  for (int i = 0; i < 450; ++i) deep += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  CHECK(declines(deep));

  LoadLimits limits;
  limits.max_nodes = 5;
  auto file = file_of("a: 1\nb: 2\nc: 3\nd: 4\n");
  const YamlLoadStatistics before = yaml_thread_statistics();
  Document document = load_yaml(file, limits);
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML document has more than 5 nodes");
  CHECK(yaml_thread_statistics().yaml_cpp_files == before.yaml_cpp_files + 1);

  limits.max_nodes = 5'000'000;
  limits.max_depth = 2;
  document = load_yaml(file_of("a:\n  b:\n    c: 1\n"), limits);
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].message == "YAML nesting deeper than 2 levels");
}

TEST_CASE("yaml reader: real-looking files read identically", "[yaml_reader]") {
  require_same_tree(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "frontend"}
  annotations:
    description: >-
      A long description
      folded over lines.
spec:
  replicas: 3
  template:
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: "registry.example.com/web:1.2.3"
          args: ["--port", "8080"]
          command:
            - sh
            - -c
            - |
              exec bundle exec puma -C config/puma.rb
          env:
            - name: RAILS_ENV
              value: production
            - name: EMPTY
              value:
          resources:
            limits: {cpu: 500m, memory: 512Mi}
)");
  require_same_tree(R"(option_settings:
  - namespace: aws:elasticbeanstalk:application:environment
    option_name: RAILS_ENV
    value: production
  - namespace: aws:autoscaling:launchconfiguration
    option_name: InstanceType
    value: t3.small
commands:
  01_ulimit:
    command: "echo '* soft nofile 65536' >> /etc/security/limits.conf"
files:
  "/etc/cron.d/jobs":
    mode: "000644"
    content: |
      * * * * * root /usr/local/bin/job
)");
}

TEST_CASE("yaml reader: a tagged or anchored plain scalar on its own line continues under its key's block",
          "[yaml_reader]") {
  // yaml-cpp rejects these (it takes the possible mapping the tag opens for the scalar's block);
  // go-yaml, PyYAML and CloudFormation read one scalar "a b", as the YAML spec says.
  Document tagged = load_yaml(file_of("k:\n  !!str a\n  b\nm: 1\n"));
  REQUIRE(tagged.ok());
  REQUIRE(tagged.roots.size() == 1);
  const Node* k = tagged.roots.front().find("k");
  REQUIRE(k);
  CHECK(k->text == "a b");
  CHECK(k->tag == "!!str");
  REQUIRE(tagged.roots.front().find("m"));
  CHECK(tagged.roots.front().find("m")->text == "1");

  Document sub = load_yaml(file_of("Description:\n  !Sub AD Credentials for ${AWS::StackName}\n  in the region\nOther: x\n"));
  REQUIRE(sub.ok());
  const Node* description = sub.roots.front().find("Description");
  REQUIRE(description);
  CHECK(description->text == "!Sub AD Credentials for ${AWS::StackName} in the region");  // as CloudFormation functions are kept

  Document anchored = load_yaml(file_of("k:\n  &x a\n  b\nz: *x\n"));
  REQUIRE(anchored.ok());
  REQUIRE(anchored.roots.front().find("z"));
  CHECK(anchored.roots.front().find("z")->text == "a b");

  // A tagged key on its own line still opens a mapping (yaml-cpp reads this one the same).
  Document keyed = load_yaml(file_of("k:\n  !!str a: 1\n  b: 2\n"));
  REQUIRE(keyed.ok());
  const Node* map = keyed.roots.front().find("k");
  REQUIRE(map);
  REQUIRE(map->is_map());
  CHECK(map->children.size() == 2);
}
