// Sprig and Helm functions as charts use them, checked against what `helm template` prints.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "analyzer/model/helm/aes.h"
#include "analyzer/model/helm/encoding.h"
#include "analyzer/model/helm/executor.h"
#include "analyzer/model/helm/go_time.h"
#include "analyzer/model/helm/semantic_version.h"
#include "analyzer/model/helm/value.h"
#include "analyzer/parse/go_template/template_parser.h"

using namespace shiftlint;
using namespace shiftlint::helm;

namespace {

// A map of one entry, `key`: 1 (a key the YAML loader would not give, e.g. not UTF-8).
Value yaml_map_with_key(const std::string& key) {
  Value map = Value::new_map();
  (*map.map)[key] = Value::from_int(1);
  return map;
}

std::string run(const std::string& source, const Value& dot = Value::new_map()) {
  auto file = std::make_unique<SourceFile>("f.tpl", "f.tpl", source);
  go_template::ParsedTemplate parsed = go_template::parse_template(file->text());
  if (!parsed.ok()) return "PARSE: " + parsed.errors.front().message;
  TemplateSet templates;
  templates.add("f.tpl", file.get(), std::move(parsed));
  Executor executor(templates);
  try {
    return remove_no_value(executor.render("f.tpl", dot)).text;
  } catch (const RenderFailure& failure) {
    return "ERROR: " + failure.message;
  }
}

Value yaml(const std::string& text) {
  std::string error;
  std::optional<Value> value = parse_yaml_value(text, error);
  REQUIRE(value);
  return *value;
}

}  // namespace

TEST_CASE("helm functions: strings", "[helm][functions]") {
  CHECK(run("{{ \"  hi  \" | trim }}|{{ trimSuffix \"-\" \"a-b-\" }}|{{ trimPrefix \"v\" \"v1.2\" }}|{{ trimAll \"$\" \"$5$\" }}") ==
        "hi|a-b|1.2|5");
  CHECK(run("{{ upper \"ab\" }} {{ lower \"AB\" }} {{ title \"hello world\" }} {{ untitle \"Hello\" }}") == "AB ab Hello World hello");
  CHECK(run("{{ replace \"-\" \"_\" \"a-b-c\" }} {{ repeat 3 \"ab\" }} {{ substr 1 3 \"hello\" }}") == "a_b_c ababab el");
  CHECK(run("{{ trunc 5 \"kubernetes\" }}|{{ trunc -3 \"kubernetes\" }}|{{ trunc 63 \"short\" }}") == "kuber|tes|short");
  CHECK(run("{{ contains \"cat\" \"catalog\" }} {{ hasPrefix \"cat\" \"catalog\" }} {{ hasSuffix \"log\" \"catalog\" }}") ==
        "true true true");
  CHECK(run("{{ quote \"a\" 1 nil }} {{ squote \"b\" }} {{ cat \"a\" nil \"b\" 3 }}") == "\"a\" \"1\" 'b' a b 3");
  CHECK(run("{{ \"a\\\"b\" | quote }}") == "\"a\\\"b\"");
  CHECK(run("x:{{ \"a\\nb\" | indent 2 }}|{{ \"a\\nb\" | nindent 4 }}") == "x:  a\n  b|\n    a\n    b");
  CHECK(run("{{ splitList \",\" \"a,b,,c\" }} {{ join \"-\" (list 1 \"x\" 2.5) }}") == "[a b  c] 1-x-2.5");
  CHECK(run("{{ $parts := split \":\" \"host:8080\" }}{{ $parts._0 }} {{ $parts._1 }}") == "host 8080");
  CHECK(run("{{ snakecase \"FirstName\" }} {{ kebabcase \"FirstName\" }} {{ camelcase \"http_server\" }}") ==
        "first_name first-name HttpServer");
  CHECK(run("{{ nospace \"a b\\tc\" }} {{ initials \"John Smith\" }} {{ abbrev 5 \"hello world\" }}") == "abc JS he...");
  CHECK(run("{{ toString 3 }} {{ toString 1.5 }} {{ toString true }} {{ toString nil }}") == "3 1.5 true <nil>");
}

TEST_CASE("helm functions: printf follows Go's fmt", "[helm][functions]") {
  CHECK(run("{{ printf \"%s-%d-%v-%q-%t\" \"a\" 3 2.5 \"q\" true }}") == "a-3-2.5-\"q\"-true");
  CHECK(run("{{ printf \"%05d|%-4s|%x|%.2f|%%\" 42 \"ab\" 255 3.14159 }}") == "00042|ab  |ff|3.14|%");
  CHECK(run("{{ printf \"%d\" 1.5 }}") == "%!d(float64=1.5)");
  CHECK(run("{{ printf \"%s\" }}") == "%!s(MISSING)");
  CHECK(run("{{ printf \"%v\" .missing }}") == "<nil>");
  CHECK(run("{{ print \"a\" 1 2 \"b\" }}") == "a1 2b");
  CHECK(run("{{ println \"a\" 1 }}") == "a 1\n");
}

TEST_CASE("helm functions: regular expressions", "[helm][functions]") {
  CHECK(run("{{ regexMatch \"^[a-z]+$\" \"abc\" }} {{ regexMatch \"^[a-z]+$\" \"ab1\" }}") == "true false");
  CHECK(run("{{ regexFind \"[0-9]+\" \"abc123def456\" }}") == "123");
  CHECK(run("{{ regexFindAll \"[0-9]+\" \"a1b22c333\" -1 }}") == "[1 22 333]");
  CHECK(run("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}") == "-W-xxW-");
  CHECK(run("{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}") == "-${1}-${1}-");
  CHECK(run("{{ regexSplit \"z+\" \"pizza\" -1 }}") == "[pi a]");
  CHECK(run("{{ regexMatch \"(\" \"x\" }}").starts_with("ERROR: error calling regexMatch: error parsing regexp"));
}

TEST_CASE("helm functions: defaults, emptiness and conversion", "[helm][functions]") {
  Value dot = yaml("port: 0\nname: ''\nlist: []\nmap: {}\nflag: false\nvalue: set\n");
  CHECK(run("{{ .port | default 8080 }} {{ .name | default \"app\" }} {{ .value | default \"x\" }}", dot) == "8080 app set");
  CHECK(run("{{ .missing | default \"fallback\" }}", dot) == "fallback");
  CHECK(run("{{ empty .list }} {{ empty .map }} {{ empty .flag }} {{ empty .value }} {{ empty .missing }}", dot) ==
        "true true true false true");
  CHECK(run("{{ coalesce .name .missing \"third\" }} {{ ternary \"yes\" \"no\" true }}", dot) == "third yes");
  CHECK(run("{{ atoi \"42\" }} {{ int \"7\" }} {{ int 3.9 }} {{ int64 \"12\" }} {{ float64 \"2.5\" }}") == "42 7 3 12 2.5");
  CHECK(run("{{ kindOf .list }} {{ kindOf .map }} {{ kindOf .port }} {{ kindOf .name }} {{ kindIs \"bool\" .flag }}", dot) ==
        "slice map float64 string true");
  CHECK(run("{{ typeOf .map }} {{ typeOf 1 }}", dot) == "map[string]interface {} int");
  // Go's int and int64 are told apart, as charts test them: Sprig's integer arithmetic, int64 and
  // toDecimal give int64; int, atoi, len and a literal give int; values.yaml numbers are float64.
  CHECK(run("{{ kindOf (add 1 2) }} {{ kindOf (sub 3 1) }} {{ kindOf (mul 2 2) }} {{ kindOf (max 1 2) }} "
            "{{ kindOf (int64 3) }} {{ kindOf (toDecimal \"17\") }}") == "int64 int64 int64 int64 int64 int64");
  CHECK(run("{{ kindOf (int 3) }} {{ kindOf (atoi \"3\") }} {{ kindOf (len .list) }} {{ kindOf 3 }} {{ typeOf 3 }}", dot) ==
        "int int int int int");
  CHECK(run("{{ kindIs \"int64\" (add 1 2) }} {{ kindIs \"int\" (add 1 2) }} {{ kindIs \"int64\" 3 }} "
            "{{ typeIs \"int64\" (int64 3) }} {{ kindIs \"float64\" .port }}", dot) == "true false false true true");
  CHECK(run("{{ required \"set it\" .value }}", dot) == "set");
}

TEST_CASE("helm functions: lists", "[helm][functions]") {
  CHECK(run("{{ list 1 2 3 | first }} {{ list 1 2 3 | last }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }}") ==
        "1 3 [2 3] [1 2]");
  CHECK(run("{{ append (list 1) 2 }} {{ prepend (list 1) 0 }} {{ concat (list 1) (list 2 3) }}") == "[1 2] [0 1] [1 2 3]");
  CHECK(run("{{ uniq (list 1 1 2) }} {{ has 2 (list 1 2) }} {{ without (list 1 2 3) 2 }} {{ compact (list 1 \"\" nil 2) }}") ==
        "[1 2] true [1 3] [1 2]");
  CHECK(run("{{ sortAlpha (list \"b\" \"a\" \"c\") }} {{ reverse (list 1 2 3) }}") == "[a b c] [3 2 1]");
  CHECK(run("{{ until 3 }} {{ untilStep 0 10 4 }} {{ seq 3 }} {{ seq 2 4 }}") == "[0 1 2] [0 4 8] 1 2 3 2 3 4");
  CHECK(run("{{ index (list \"a\" \"b\") 1 }} {{ slice (list 1 2 3) 1 }} {{ len (list 1 2) }}") == "b [2 3] 2");
  CHECK(run("{{ index (list 1) 5 }}") == "ERROR: error calling index: index out of range: 5");
}

TEST_CASE("helm functions: dicts are shared and mutable like Go maps", "[helm][functions]") {
  CHECK(run("{{ $d := dict \"a\" 1 \"b\" 2 }}{{ $_ := set $d \"c\" 3 }}{{ $d }} {{ get $d \"a\" }} {{ hasKey $d \"z\" }}") ==
        "map[a:1 b:2 c:3] 1 false");
  CHECK(run("{{ $d := dict \"a\" 1 \"b\" 2 }}{{ $_ := unset $d \"a\" }}{{ keys $d }} {{ values $d }}") == "[b] [2]");
  CHECK(run("{{ pick (dict \"a\" 1 \"b\" 2) \"a\" }} {{ omit (dict \"a\" 1 \"b\" 2) \"a\" }}") == "map[a:1] map[b:2]");
  CHECK(run("{{ merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 2) }} {{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2 \"b\" 2) }}") ==
        "map[a:1 b:2] map[a:2 b:2]");
  CHECK(run("{{ dig \"a\" \"b\" \"none\" (dict \"a\" (dict \"b\" \"found\")) }} {{ dig \"x\" \"y\" \"none\" (dict) }}") ==
        "found none");
  CHECK(run("{{ define \"f\" }}{{ $_ := set . \"seen\" true }}{{ end }}{{ $d := dict }}{{ include \"f\" $d }}{{ $d.seen }}") ==
        "true");
  CHECK(run("{{ $a := dict \"x\" (dict \"y\" 1) }}{{ $b := deepCopy $a }}{{ $_ := set $b.x \"y\" 2 }}{{ $a.x.y }}") == "1");
}

TEST_CASE("helm functions: merge fills empty keys, mergeOverwrite replaces with any value", "[helm][functions]") {
  // opentelemetry-kube-stack turns a collector's ClusterRoleBinding off with `enabled: false`
  // through mergeOverwrite; the false (and 0, "", []) must win over the defaults.
  std::string defaults = "(dict \"on\" true \"count\" 2 \"suffix\" \"-x\" \"items\" (list 1) \"nested\" (dict \"on\" true \"keep\" 1))";
  std::string given = "(dict \"on\" false \"count\" 0 \"suffix\" \"\" \"items\" (list) \"nested\" (dict \"on\" false))";
  CHECK(run("{{ mergeOverwrite " + defaults + " " + given + " | toJson }}") ==
        "{\"count\":0,\"items\":[],\"nested\":{\"keep\":1,\"on\":false},\"on\":false,\"suffix\":\"\"}");
  CHECK(run("{{ mustMergeOverwrite " + defaults + " " + given + " | toJson }}") ==
        "{\"count\":0,\"items\":[],\"nested\":{\"keep\":1,\"on\":false},\"on\":false,\"suffix\":\"\"}");
  // merge keeps what the destination has and fills only missing or empty keys.
  CHECK(run("{{ merge " + defaults + " " + given + " | toJson }}") ==
        "{\"count\":2,\"items\":[1],\"nested\":{\"keep\":1,\"on\":true},\"on\":true,\"suffix\":\"-x\"}");
  CHECK(run("{{ mustMerge " + given + " " + defaults + " | toJson }}") ==
        "{\"count\":2,\"items\":[1],\"nested\":{\"keep\":1,\"on\":true},\"on\":true,\"suffix\":\"-x\"}");
  // A map meets a scalar: replaced with overwrite, kept without unless it is empty.
  CHECK(run("{{ mergeOverwrite (dict \"a\" (dict \"x\" 1)) (dict \"a\" \"s\") | toJson }}") == "{\"a\":\"s\"}");
  CHECK(run("{{ merge (dict \"a\" (dict \"x\" 1)) (dict \"a\" \"s\") | toJson }}") == "{\"a\":{\"x\":1}}");
  CHECK(run("{{ merge (dict \"a\" (dict)) (dict \"a\" \"s\") | toJson }}") == "{\"a\":\"s\"}");
  // A nil source value sets the key only with overwrite.
  CHECK(run("{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" nil \"b\" nil) | toJson }}") == "{\"a\":null,\"b\":null}");
  CHECK(run("{{ merge (dict \"a\" 1) (dict \"a\" nil \"b\" nil) | toJson }}") == "{\"a\":1}");
}

TEST_CASE("helm functions: math", "[helm][functions]") {
  CHECK(run("{{ add 1 2 3 }} {{ add1 4 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }}") == "6 5 3 6 3 1");
  CHECK(run("{{ max 1 5 3 }} {{ min 4 2 }} {{ floor 1.7 }} {{ ceil 1.2 }} {{ round 2.555 2 }}") == "5 2 1 2 2.56");
  CHECK(run("{{ mulf 1.5 2 }} {{ divf 1 4 }} {{ addf 0.5 0.25 }}") == "3 0.25 0.75");
  CHECK(run("{{ div 1 0 }}") == "ERROR: error calling div: runtime error: integer divide by zero");
}

TEST_CASE("helm functions: toYaml writes go-yaml v2's layout", "[helm][functions][yaml]") {
  Value value = yaml(
      "name: web\nports: [80, 443]\nlimits: {memory: 512Mi}\nempty: {}\nnone: []\nflag: true\n"
      "quoted: 'true'\nnumber: '8080'\nversion: 1.10\nstar: '*'\ncolon: 'a: b'\nnote: |\n  line one\n  line two\n"
      "items:\n  - name: a\n    value: 1\n  - [x, 'y']\nnull_value: null\nbig: 1000000\n");
  CHECK(to_yaml(value) ==
        "big: 1000000\n"
        "colon: 'a: b'\n"
        "empty: {}\n"
        "flag: true\n"
        "items:\n"
        "- name: a\n"
        "  value: 1\n"
        "- - x\n"
        "  - \"y\"\n"
        "limits:\n"
        "  memory: 512Mi\n"
        "name: web\n"
        "none: []\n"
        "note: |\n"
        "  line one\n"
        "  line two\n"
        "null_value: null\n"
        "number: \"8080\"\n"
        "ports:\n"
        "- 80\n"
        "- 443\n"
        "quoted: \"true\"\n"
        "star: '*'\n"
        "version: 1.1");
  CHECK(to_yaml(Value::from_string("plain")) == "plain");
  // Helm's toYaml goes through encoding/json, which replaces each byte that starts no valid UTF-8
  // sequence with U+FFFD (EF BF BD), one per byte; go-yaml writes U+FFFD as it is. A character cut
  // short (found by fuzz_template) is two such bytes; a valid one is kept.
  CHECK(to_yaml(Value::from_string(std::string("a\x01\xF0\x9F", 4))) == "\"a\\x01\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK(to_yaml(Value::from_string(std::string("\x01\xC3", 2))) == "\"\\x01\xEF\xBF\xBD\"");
  CHECK(to_yaml(Value::from_string(std::string("\x01\xC3\xA9", 3))) == "\"\\x01\xC3\xA9\"");
  CHECK(to_yaml(Value::from_string("caf\xE9")) == "caf\xEF\xBF\xBD");  // Latin-1, not UTF-8
  CHECK(to_yaml(yaml_map_with_key("k\xFF")) == "k\xEF\xBF\xBD: 1");  // keys too
  CHECK(to_yaml(yaml("text: \"no newline\\nat end\"")) == "text: |-\n  no newline\n  at end");
  CHECK(to_yaml(yaml("text: \" leading\"")) == "text: ' leading'");
  CHECK(to_yaml(yaml("text: \"tab\\there\"")) == "text: \"tab\\there\"");
  CHECK(to_yaml(yaml("date: '2024-01-02'\nempty: ''\n")) == "date: \"2024-01-02\"\nempty: \"\"");
  // A multi-line string on its own: the body is indented under the indicator, as go-yaml does,
  // so argo-cd's `{{ $key }}: {{ $text | toYaml }}` stays one key with a block scalar.
  CHECK(to_yaml(Value::from_string("a:\n  - x\nb: 1\n")) == "|\n  a:\n    - x\n  b: 1");
  CHECK(to_yaml(Value::from_string("one\n\ntwo")) == "|-\n  one\n\n  two");
  CHECK(to_yaml(Value::from_string("  indented\nnext")) == "|2-\n    indented\n  next");
  CHECK(to_yaml(yaml("- \"a\\nb\"")) == "- |-\n  a\n  b");
  // A `|+` scalar leaves go-yaml's document open: it ends the document with `...`, unless a later
  // block scalar closed it again.
  CHECK(to_yaml(Value::from_string("ends\n\n")) == "|+\n  ends\n\n...");
  CHECK(to_yaml(yaml("a: \"x\\n\\n\"\nb: 1\n")) == "a: |+\n  x\n\nb: 1\n...");
  CHECK(to_yaml(yaml("a: \"x\\n\\n\"\nb: \"y\\nz\"\n")) == "a: |+\n  x\n\nb: |-\n  y\n  z");
  CHECK(run("data:\n  k: {{ \"a:\\n  - x\\nb: 1\\n\" | toYaml | indent 2 | trim }}") == "data:\n  k: |\n    a:\n      - x\n    b: 1");
}

TEST_CASE("helm functions: toYamlPretty writes go-yaml v3's layout", "[helm][functions][yaml]") {
  CHECK(run("{{ toYamlPretty (dict \"a\" (list 1)) }}") == "a:\n  - 1");  // repro/07
  Value value = yaml("name: web\nports: [80, 443]\nbig: 1000000\nratio: 1.5\nitems:\n  - name: a\n    tags: [x]\n"
                     "a10: 1\na2: 2\nnote: \"x\\ny\"\nempty: []\n");
  CHECK(to_yaml_pretty(value) ==
        "a2: 2\n"
        "a10: 1\n"
        "big: 1e+06\n"
        "empty: []\n"
        "items:\n"
        "  - name: a\n"
        "    tags:\n"
        "      - x\n"
        "name: web\n"
        "note: |-\n"
        "  x\n"
        "  y\n"
        "ports:\n"
        "  - 80\n"
        "  - 443\n"
        "ratio: 1.5");
  // toYaml itself is unchanged: v2's unindented lists, JSON's integers, byte order.
  CHECK(to_yaml(yaml("b: [1]\na10: 1000000\na2: 1\n")) == "a10: 1000000\na2: 1\nb:\n- 1");
}

TEST_CASE("helm functions: JSON, base64, digests", "[helm][functions]") {
  Value value = yaml("b: [1, 2.5]\na: '<x>'\nc: null\n");
  CHECK(to_json(value, true, false) == "{\"a\":\"\\u003cx\\u003e\",\"b\":[1,2.5],\"c\":null}");
  CHECK(to_json(value, false, false) == "{\"a\":\"<x>\",\"b\":[1,2.5],\"c\":null}");
  CHECK(to_json(yaml("a: 1"), true, true) == "{\n  \"a\": 1\n}");
  // Go coerces strings to valid UTF-8, writing \ufffd for each byte that starts no valid sequence:
  // Latin-1, a surrogate (3 bytes), an overlong '/' (2 bytes); a valid U+FFFD stays as it is.
  CHECK(to_json(Value::from_string("caf\xE9"), true, false) == "\"caf\\ufffd\"");
  CHECK(to_json(Value::from_string("\xED\xA0\x80"), true, false) == "\"\\ufffd\\ufffd\\ufffd\"");
  CHECK(to_json(Value::from_string("\xC0\xAF"), true, false) == "\"\\ufffd\\ufffd\"");
  CHECK(to_json(Value::from_string("\xEF\xBF\xBD\xC3\xA9"), true, false) == "\"\xEF\xBF\xBD\xC3\xA9\"");
  CHECK(to_json(yaml_map_with_key("k\xFF"), true, false) == "{\"k\\ufffd\":1}");
  CHECK(to_json(Value::from_string("a\xE2\x80\xA8" "b\xE2\x80\xA9"), true, false) == "\"a\\u2028b\\u2029\"");
  CHECK(run("{{ \"/w==\" | b64dec | toJson }} {{ \"/w==\" | b64dec | toYaml }}") == "\"\\ufffd\" \xEF\xBF\xBD");
  CHECK(run("{{ (fromJson \"{\\\"a\\\": {\\\"b\\\": 2}}\").a.b }} {{ (fromYaml \"x: [1, 2]\").x }}") == "2 [1 2]");
  CHECK(run("{{ (fromYaml \"- a\").Error }}") == "cannot unmarshal into a map");
  CHECK(run("{{ fromYamlArray \"- a\\n- b\" }}") == "[a b]");
  // mustFromJson is Sprig's: any JSON value (opentelemetry-demo's _pod.tpl ranges over a list).
  CHECK(run("{{ $env := list (dict \"name\" \"A\") (dict \"name\" \"B\") | mustToJson | mustFromJson }}"
            "{{ kindOf $env }} {{ range $env }}{{ .name }},{{ end }}") == "slice A,B,");
  CHECK(run("{{ mustFromJson \"\\\"text\\\"\" }} {{ mustFromJson \"2.5\" }} {{ (mustFromJson \"{\\\"a\\\": 1}\").a }}") ==
        "text 2.5 1");
  CHECK(run("{{ mustFromJson \"[1\" }}").rfind("ERROR: error calling mustFromJson:", 0) == 0);
  CHECK(run("{{ (fromJson \"[1]\").Error }}") == "cannot unmarshal into a map");
  CHECK(run("{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }} {{ b32enc \"hi\" }}") == "aGVsbG8= hello NBUQ====");
  CHECK(run("{{ sha256sum \"abc\" }}") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(run("{{ sha1sum \"abc\" }}") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(sha256_hex(std::string(1000, 'a')) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  CHECK(run("{{ adler32sum \"Wikipedia\" }}") == "300286872");
}

TEST_CASE("helm functions: toToml writes tables as BurntSushi/toml does", "[helm][functions][toml]") {
  // repro/06: a nested map printed as Go's map[executor:kubernetes name:r1].
  CHECK(run("{{ toToml .config }}", yaml("config:\n  concurrent: 4\n  runners:\n    name: r1\n    executor: kubernetes\n")) ==
        "concurrent = 4.0\n\n[runners]\n  executor = \"kubernetes\"\n  name = \"r1\"\n");
  Value dot = yaml(
      "v:\n  title: \"a \\\"q\\\"\\n\"\n  n: 1.5\n  big: 1000000\n  list: [1, two, true]\n  empty: []\n  emptymap: {}\n"
      "  my key: x\n  runners:\n    - name: a\n      env: {A: '1'}\n    - name: b\n  mixed: [1, {k: v}]\n"
      "  server:\n    port: 8080\n    tls:\n      enabled: false\n");
  CHECK(run("{{ toToml .v }}", dot) ==
        "big = 1000000.0\n"
        "empty = []\n"
        "list = [1.0, \"two\", true]\n"
        "mixed = [1.0, {k = \"v\"}]\n"
        "\"my key\" = \"x\"\n"
        "n = 1.5\n"
        "title = \"a \\\"q\\\"\\n\"\n"
        "\n"
        "[emptymap]\n"
        "\n"
        "[[runners]]\n"
        "  name = \"a\"\n"
        "  [runners.env]\n"
        "    A = \"1\"\n"
        "\n"
        "[[runners]]\n"
        "  name = \"b\"\n"
        "\n"
        "[server]\n"
        "  port = 8080.0\n"
        "  [server.tls]\n"
        "    enabled = false\n");
  CHECK(run("{{ toToml (dict \"a\" 1 \"skip\" nil) }}|{{ toToml (list 1 2) }}|{{ toToml \"s\" }}|{{ toToml nil }}") == "a = 1\n|[1, 2]|\"s\"|");
  CHECK(run("{{ toToml (list (dict \"a\" 1)) }}") == "toml: top-level values must be Go maps or structs");
  CHECK(run("{{ toToml (dict \"a\" (list 1 nil)) }}") == "toml: cannot encode array with nil element");
}

TEST_CASE("helm functions: fromToml reads TOML 1.0 into a map, or a map with its Error", "[helm][functions][toml]") {
  CHECK(run("{{ (fromToml \"a = 1\").a }}") == "1");  // repro/07
  auto with_doc = [](const std::string& text) {
    Value dot = Value::new_map();
    (*dot.map)["doc"] = Value::from_string(text);
    return dot;
  };
  Value document = with_doc(R"(# a comment
title = "TOML \u00e9"
[owner]
name = 'Tom'
dob = 1979-05-27T07:32:00-08:00
[database]
ports = [ 8000, 8001,
  8002, ]  # a trailing comma
enabled = true
temp = 79.5
[servers.alpha]
ip = "10.0.0.1"
[[products]]
name = "Hammer"
[[products]]
name = "Nail"
sku = 284_758_393
point = { x = 1, y = 2.5e1 }
site."google.com" = true
hex = 0xff
text = """
line one \
   still one
line two"""
path = 'C:\dir'
)");
  CHECK(run("{{ $d := fromToml .doc }}{{ $d.title }}|{{ $d.owner.name }}|{{ $d.owner.dob | date \"2006-01-02 15:04\" }}|"
            "{{ $d.database.ports }}|{{ $d.database.enabled }}|{{ $d.database.temp }}|{{ $d.servers.alpha.ip }}|"
            "{{ len $d.products }}|{{ (index $d.products 1).sku }}",
            document) == "TOML \xC3\xA9|Tom|1979-05-27 15:32|[8000 8001 8002]|true|79.5|10.0.0.1|2|284758393");
  CHECK(run("{{ $p := index (fromToml .doc).products 1 }}{{ $p.point.x }} {{ $p.point.y }} {{ index $p.site \"google.com\" }} "
            "{{ $p.hex }} {{ $p.text | quote }} {{ $p.path }}",
            document) == "1 25 true 255 \"line one still one\\nline two\" C:\\dir");
  // Invalid documents: Helm's fromToml gives {"Error": message}.
  auto error_of = [&](const std::string& text) { return run("{{ (fromToml .doc).Error }}", with_doc(text)); };
  CHECK(error_of("a = 1\na = 2\n") == "toml: line 2: key \"a\" is already defined");
  CHECK(error_of("[a]\nx = 1\n[a]\n") == "toml: line 3: table \"a\" is already defined");
  CHECK(error_of("a = {b = 1}\n[a]\n") == "toml: line 2: table \"a\" is already defined");
  CHECK(error_of("[a.b.c]\n[a]\nx = 1\n") == "");  // a was only implied by [a.b.c]
  CHECK(error_of("a = 01\n") == "toml: line 1: invalid number \"01\"");
  CHECK(error_of("a = 1__0\n") == "toml: line 1: invalid number \"1__0\"");
  CHECK(error_of("a = \"open\n") == "toml: line 1: a string is not closed on its line");
  CHECK(error_of("a =\n") == "toml: line 1: expected a value");
  CHECK(error_of("a = 1 b = 2\n") == "toml: line 1: expected the end of the line, found 'b'");
  CHECK(error_of("a = 2024-02-30\n") == "toml: line 1: a date is out of range");
  CHECK(run("{{ (fromToml \"a = [1, 2]\\n[[a]]\").Error }}") == "toml: line 2: key \"a\" is already defined and is not an array of tables");
}

TEST_CASE("helm functions: deterministic stand-ins", "[helm][functions]") {
  std::string first = run("{{ randAlphaNum 12 }}");
  CHECK(first.size() == 12);
  CHECK(first == run("{{ randAlphaNum 12 }}"));
  CHECK(run("{{ uuidv4 }}").size() == 36);
  CHECK(run("{{ now | date \"2006-01-02\" }}") == "2024-01-01");
  CHECK(run("{{ (genCA \"ca\" 365).Cert | hasPrefix \"-----BEGIN CERTIFICATE-----\" }}") == "true");
  CHECK(run("{{ lookup \"v1\" \"Secret\" \"ns\" \"name\" }}") == "map[]");
}

TEST_CASE("helm functions: dates honour their input as Sprig does; only now is fixed", "[helm][functions][dates]") {
  // The sweep's reproducer (repro/08): each of these gave the fixed 2024-01-01.
  CHECK(run("{{ toDate \"2006-01-02\" \"2025-06-30\" | date \"2006-01-02\" }}") == "2025-06-30");
  CHECK(run("{{ date \"2006-01-02\" 0 }}") == "1970-01-01");
  CHECK(run("{{ dateModify \"+1h\" (toDate \"2006-01-02\" \"2025-06-30\") | date \"2006-01-02 15:04\" }}") == "2025-06-30 01:00");
  CHECK(run("{{ mustToDate \"2006-01-02\" \"2024-13-45\" }}") ==
        "ERROR: error calling mustToDate: parsing time \"2024-13-45\": month out of range");
  CHECK(run("{{ mustToDate \"2006-01-02\" \"2024-02-30\" }}") ==
        "ERROR: error calling mustToDate: parsing time \"2024-02-30\": day out of range");
  CHECK(run("{{ mustToDate \"2006-01-02\" \"24-01-01\" }}") ==
        "ERROR: error calling mustToDate: parsing time \"24-01-01\" as \"2006-01-02\": cannot parse \"24-01-01\" as \"2006\"");
  CHECK(run("{{ mustToDate \"2006-01-02\" \"2024-01-01x\" }}") ==
        "ERROR: error calling mustToDate: parsing time \"2024-01-01x\": extra text: \"x\"");
  // toDate gives Go's zero time for text that does not fit.
  CHECK(run("{{ toDate \"2006-01-02\" \"garbage\" }}") == "0001-01-01 00:00:00 +0000 UTC");
  CHECK(run("{{ toDate \"2006-01-02\" \"2025-06-30\" }} {{ toDate \"2006-01-02\" \"2025-06-30\" | unixEpoch }}") ==
        "2025-06-30 00:00:00 +0000 UTC 1751241600");
  // A zone offset moves the moment to UTC; Go's layout elements, formatted and parsed.
  CHECK(run("{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-03-10T10:30:00+02:00\" | date \"Mon Jan _2 15:04:05 MST 2006\" }}") ==
        "Sun Mar 10 08:30:00 UTC 2024");
  CHECK(run("{{ date \"02/01/06 3:04PM .000 -07:00 Z07:00\" 1700000000 }}") == "14/11/23 10:13PM .000 +00:00 Z");
  CHECK(run("{{ (toDate \"2006-01-02 15:04:05.000\" \"2024-02-29 13:14:15.250\").Format "
            "\"Jan 2, 2006 at 3:04:05.999pm (Monday, day 002)\" }}") == "Feb 29, 2024 at 1:14:15.25pm (Thursday, day 060)");
  CHECK(run("{{ mustToDate \"3:04PM\" \"12:30AM\" | date \"15:04\" }}") == "00:30");
  CHECK(run("{{ htmlDate 86400 }} {{ htmlDateInZone (toDate \"2006-01-02\" \"2020-02-29\") \"UTC\" }}") == "1970-01-02 2020-02-29");
  CHECK(run("{{ dateInZone \"2006-01-02 15:04\" (toDate \"2006-01-02\" \"2021-07-04\") \"UTC\" }}") == "2021-07-04 00:00");
  CHECK(run("{{ (now.AddDate 0 1 31).Format \"2006-01-02\" }} {{ now.Year }} {{ (toDate \"2006-01-02\" \"2024-05-06\").Month }}") ==
        "2024-03-03 2024 May");
  // dateModify keeps the time when the duration does not parse; the must- forms fail.
  CHECK(run("{{ now | date_modify \"-1.5h\" | date \"2006-01-02 15:04\" }}") == "2023-12-31 22:30");
  CHECK(run("{{ dateModify \"soon\" now | unixEpoch }}") == "1704067200");
  CHECK(run("{{ mustDateModify \"soon\" now }}") == "ERROR: error calling mustDateModify: time: invalid duration \"soon\"");
  CHECK(run("{{ must_date_modify \"2\" now }}") == "ERROR: error calling must_date_modify: time: missing unit in duration \"2\"");
  CHECK(run("{{ mustDateModify \"3d\" now }}") == "ERROR: error calling mustDateModify: time: unknown unit \"d\" in duration \"3d\"");
  CHECK(run("{{ dateModify \"1h\" \"2024-01-01\" }}") ==
        "ERROR: error calling dateModify: wrong type for value; expected time.Time; got string");
  // ago and durationRound measure from the fixed now.
  CHECK(run("{{ ago 1704063600 }} {{ ago now }} {{ toDate \"2006-01-02\" \"2023-12-31\" | ago }}") == "1h0m0s 0s 24h0m0s");
  CHECK(run("{{ duration \"3661\" }} {{ duration 95 }} {{ duration 1.5 }} {{ duration \"x\" }}") == "1h1m1s 1m35s 0s 0s");
  CHECK(run("{{ durationRound \"2h10m5s\" }} {{ durationRound \"400h\" }} {{ durationRound \"-800h\" }} {{ durationRound 1500000000 }}") ==
        "2h 16d 1mo 1s");
  CHECK(run("{{ durationRound (toDate \"2006-01-02\" \"2022-01-01\") }} {{ durationRound \"1s\" }} {{ durationRound \"x\" }}") ==
        "2y 0s 0s");
  CHECK(run("{{ now }}") == "2024-01-01 00:00:00 +0000 UTC");
  CHECK(run("{{ now.UnixMilli }} {{ (now.AddDate 1000000000 0 0).Year }}") == "1704067200000 1000002024");
}

TEST_CASE("helm functions: Go durations", "[helm][functions][dates]") {
  std::string error;
  CHECK(parse_duration("1h30m", error) == int64_t{5400} * 1'000'000'000);
  CHECK(parse_duration("-1.5h", error) == int64_t{-5400} * 1'000'000'000);
  CHECK(parse_duration("300ms", error) == 300'000'000);
  CHECK(parse_duration(".5s", error) == 500'000'000);
  CHECK(!parse_duration("", error));
  CHECK(!parse_duration("1.h.", error));
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(1'500'000'000) == "1.5s");
  CHECK(format_duration(int64_t{3600} * 1'000'000'000) == "1h0m0s");
  CHECK(format_duration(1500) == "1.5\xC2\xB5s");
  CHECK(format_duration(-2'000'000) == "-2ms");
  CHECK(round_duration(1'499'999'999, 1'000'000'000) == 1'000'000'000);
  CHECK(round_duration(-1'500'000'000, 1'000'000'000) == -2'000'000'000);
}

TEST_CASE("helm functions: the Sprig functions the sweep found missing", "[helm][functions]") {
  // repro/07: each gave "function X not defined".
  CHECK(run("{{ abbrevboth 5 10 \"1234 5678 9123\" }}|{{ abbrevboth 2 6 \"1234567890\" }}|{{ abbrevboth 0 6 \"1234567890\" }}|"
            "{{ abbrevboth 20 10 \"abcdefghijklmnopqrstuvwxyz\" }}") == "...5678...|1234567890|123...|...tuvwxyz");
  CHECK(run("{{ abbrevboth -9223372036854775808 6 \"1234567890\" }}") == "123...");
  CHECK(run("{{ swapcase \"Ab-cD 1\" }}") == "aB-Cd 1");
  CHECK(run("{{ wrapWith 5 \"\\t\" \"Hello World\" }}|{{ wrapWith 3 \"|\" \"abcdefg\" }}") == "Hello\tWorld|abc|def|g");
  CHECK(run("{{ wrap 3 \"abcdefg hi\" }}|{{ wrap 10 \"one two three four\" }}") == "abcdefg\nhi|one two\nthree four");
  CHECK(run("{{ chunk 2 (list 1 2 3) }} {{ mustChunk 2 (list) }} {{ chunk 3 (list 1 2 3) }}") == "[[1 2] [3]] [] [[1 2 3]]");
  CHECK(run("{{ chunk 2 \"ab\" }}") == "ERROR: error calling chunk: Cannot chunk type string");
  CHECK(run("{{ b32dec \"MZXW6YTBOI======\" }} {{ b32dec \"ME======\" }} {{ b32dec (b32enc \"round trip\") }}") ==
        "foobar a round trip");
  CHECK(run("{{ b32dec \"ME=====\" }}|{{ b32dec \"M1======\" }}|{{ b32dec \"MEE=====\" }}|{{ b32dec \"ME=A====\" }}") ==
        "illegal base32 data at input byte 7|illegal base32 data at input byte 1|illegal base32 data at input byte 3|"
        "illegal base32 data at input byte 2");
  CHECK(run("{{ osBase \"/a/b.txt\" }} {{ osDir \"/a/b.txt\" }} {{ osExt \"b.txt\" }} {{ osClean \"/a/../b\" }} {{ osIsAbs \"/a\" }}") ==
        "b.txt /a .txt /b true");
  CHECK(run("{{ dir \"a//b\" }} {{ dir \"a\" }} {{ base \"///\" }} {{ base \"\" }} {{ base \"a/b/\" }}") == "a . / . b");
  CHECK(run("{{ sha512sum \"abc\" }}") ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(sha512_hex("") ==
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  CHECK(sha512_hex(std::string(112, 'x')) ==  // the length no longer fits the first block
        "a3722b515ef40c910f2419f6e0da8ca51d410114ce6272faae64045f9e9f630e7fa8dd5a3243c9860b899d148c3da4bc0f9e07454542604d030bb55531fe0d5b");
  CHECK(sha512_hex(std::string(1000, 'a')) ==
        "67ba5535a46e3f86dbfbed8cbbaf0125c76ed549ff8b0b9e03e0c88cf90fa634fa7b12b47d77b694de488ace8d9a65967dc96df599727d3292a8d9d447709c97");
  // Helm's getHostByName without --enable-dns: nothing is looked up.
  CHECK(run("[{{ getHostByName \"localhost\" }}]") == "[]");
  CHECK(run("{{ hello }}") == "Hello!");  // the last of Sprig's functions Helm keeps that was missing
  // No chart value is a function, so Go's call always fails in Helm.
  CHECK(run("{{ call .nope }}") == "ERROR: error calling call: call of nil");
  CHECK(run("{{ call \"x\" 1 }}") ==
        "ERROR: error calling call: non-function of type string (no value in a Helm chart is a function)");
  // AES-256-CBC as Sprig uses it. The ciphertext below was made with `openssl enc -aes-256-cbc`
  // (key "secretkey" zero-filled to 32 bytes, IV 00..0f), then IV + ciphertext in base64.
  CHECK(run("{{ decryptAES \"secretkey\" \"AAECAwQFBgcICQoLDA0ODz0/fmC5DeZ7ncoXbWpM8YU=\" }}") == "hello, helm");
  std::string iv;
  for (char byte = 0; byte < 16; ++byte) iv += byte;
  CHECK(aes256_cbc_encrypt(std::string("secretkey") + std::string(23, '\0'), iv, std::string("hello, helm") + std::string(5, '\x05')) ==
        std::string("\x3d\x3f\x7e\x60\xb9\x0d\xe6\x7b\x9d\xca\x17\x6d\x6a\x4c\xf1\x85", 16));
  // FIPS-197's AES-256 example (one block, a zero IV is plain AES).
  std::string fips_key, fips_plain;
  for (int i = 0; i < 32; ++i) fips_key += static_cast<char>(i);
  for (int i = 0; i < 16; ++i) fips_plain += static_cast<char>(i * 0x11);
  std::string fips_cipher("\x8e\xa2\xb7\xca\x51\x67\x45\xbf\xea\xfc\x49\x90\x4b\x49\x60\x89", 16);
  CHECK(aes256_cbc_encrypt(fips_key, std::string(16, '\0'), fips_plain) == fips_cipher);
  CHECK(aes256_cbc_decrypt(fips_key, std::string(16, '\0'), fips_cipher) == fips_plain);
  CHECK(run("{{ encryptAES \"k\" \"text of more than one block\" | decryptAES \"k\" }}") == "text of more than one block");
  CHECK(run("{{ encryptAES \"k\" \"exactly16bytes!!\" | b64dec | len }}") == "48");  // IV, the block, a block of padding
  CHECK(run("{{ encryptAES \"k\" \"t\" }}") == run("{{ encryptAES \"k\" \"t\" }}"));
  CHECK(run("[{{ encryptAES \"k\" \"\" }}{{ decryptAES \"k\" \"\" }}]") == "[]");
  CHECK(run("{{ decryptAES \"k\" \"AAAA\" }}") ==
        "ERROR: error calling decryptAES: runtime error: slice bounds out of range [:16] with capacity 3");
  CHECK(run("{{ decryptAES \"k\" \"AAECAwQFBgcICQoLDA0ODz0/fmC5DQ==\" }}") ==
        "ERROR: error calling decryptAES: crypto/cipher: input not full blocks");
}

TEST_CASE("helm functions: random and bcrypt stand-ins have Sprig's shape", "[helm][functions]") {
  CHECK(run("{{ randInt 1 2 }}") == "1");
  std::string number = run("{{ randInt 5 10 }}");
  CHECK((number >= "5" && number <= "9" && number.size() == 1));
  CHECK(number == run("{{ randInt 5 10 }}"));
  CHECK(run("{{ randInt 2 2 }}") == "ERROR: error calling randInt: invalid argument to Intn");
  CHECK(run("{{ randBytes 4 | len }} {{ randBytes 5 | b64dec | len }} [{{ randBytes 0 }}]") == "8 5 []");
  CHECK(run("{{ randBytes 40 | b64dec | len }}") == "40");
  std::string hash = run("{{ bcrypt \"x\" }}");
  CHECK(hash.size() == 60);
  CHECK(hash.starts_with("$2a$10$"));
  CHECK(hash.find_first_not_of("$./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos);
  CHECK(hash != run("{{ bcrypt \"y\" }}"));
  CHECK(run("{{ bcrypt \"" + std::string(73, 'p') + "\" }}") ==
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes");
  CHECK(run("{{ htpasswd \"user\" \"x\" }}") == "user:" + hash);
  CHECK(run("{{ htpasswd \"a:b\" \"x\" }}") == "invalid username: a:b");
}

TEST_CASE("helm functions: semantic versions and constraints", "[helm][functions][semver]") {
  CHECK(run("{{ semverCompare \">=1.19-0\" \"v1.31.0\" }} {{ semverCompare \"<1.19-0\" \"v1.31.0\" }}") == "true false");
  CHECK(run("{{ semverCompare \"^1.2.0\" \"1.9.1\" }} {{ semverCompare \"~1.2.0\" \"1.3.0\" }}") == "true false");
  CHECK(run("{{ semverCompare \">=1.20.0\" \"1.27.3-eks-a5565ad\" }}") == "false");
  CHECK(run("{{ semverCompare \">=1.20.0-0\" \"1.27.3-eks-a5565ad\" }}") == "true");
  CHECK(run("{{ semverCompare \"1.2.x\" \"1.2.9\" }} {{ semverCompare \">1.0 <2.0 || >=3\" \"3.1.0\" }}") == "true true");
  CHECK(run("{{ (semver \"1.2.3-beta.1\").Minor }} {{ (semver \"v2.0.0\").Major }}") == "2 2");
  SemanticVersion a = *parse_semantic_version("1.0.0-alpha.1");
  SemanticVersion b = *parse_semantic_version("1.0.0-alpha.beta");
  CHECK(compare_versions(a, b) < 0);
  CHECK(!parse_semantic_version("not-a-version"));
}

TEST_CASE("helm functions: tpl renders strings from values", "[helm][functions]") {
  Value dot = yaml("Values:\n  host: example.com\n  url: 'https://{{ .Values.host }}/api'\n");
  CHECK(run("{{ tpl .Values.url . }}", dot) == "https://example.com/api");
  CHECK(run("{{ tpl \"{{ .Values.nope.x }}\" . }}", dot).starts_with("ERROR: error calling tpl: nil pointer"));
}
