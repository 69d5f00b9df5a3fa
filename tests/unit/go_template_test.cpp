// The Go text/template engine as Helm runs it: parsing, control structures, variables, trimming,
// Helm's missing-value semantics, and the failures Helm users know by their wording.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "analyzer/model/helm/executor.h"
#include "analyzer/model/helm/value.h"
#include "analyzer/parse/go_template/template_parser.h"

using namespace shiftlint;
using namespace shiftlint::helm;

namespace {

struct Rendering {
  std::string text;
  std::string error;  // empty when it rendered
  uint32_t error_offset = 0;
};

Rendering render(const std::string& source, const Value& dot = Value(), RenderLimits limits = {}) {
  auto file = std::make_unique<SourceFile>("t.yaml", "t.yaml", source);
  go_template::ParsedTemplate parsed = go_template::parse_template(file->text());
  Rendering result;
  if (!parsed.ok()) {
    result.error = "parse: " + parsed.errors.front().message;
    result.error_offset = parsed.errors.front().offset;
    return result;
  }
  TemplateSet templates;
  templates.add("t.yaml", file.get(), std::move(parsed));
  Executor executor(templates, limits);
  try {
    result.text = remove_no_value(executor.render("t.yaml", dot)).text;
  } catch (const RenderFailure& failure) {
    result.error = failure.message;
    result.error_offset = failure.offset;
  }
  return result;
}

std::string text_of(const std::string& source, const Value& dot = Value()) {
  Rendering result = render(source, dot);
  INFO(result.error);
  CHECK(result.error.empty());
  return result.text;
}

Value values(std::initializer_list<std::pair<const char*, Value>> entries) {
  Value map = Value::new_map();
  for (const auto& [key, value] : entries) (*map.map)[key] = value;
  return map;
}

Value strings(std::initializer_list<const char*> items) {
  ValueList list;
  for (const char* item : items) list.push_back(Value::from_string(item));
  return Value::from_list(std::move(list));
}

}  // namespace

TEST_CASE("go template: text, actions, fields and literals", "[go_template]") {
  Value dot = values({{"Values", values({{"name", Value::from_string("web")}, {"port", Value::from_float(8080)}})}});
  CHECK(text_of("plain text", dot) == "plain text");
  CHECK(text_of("name: {{ .Values.name }}", dot) == "name: web");
  CHECK(text_of("port: {{ .Values.port }}", dot) == "port: 8080");
  CHECK(text_of("{{ 42 }} {{ 1.5 }} {{ true }} {{ \"s\" }} {{ `raw` }} {{ 'a' }} {{ 0x1F }}", dot) ==
        "42 1.5 true s raw 97 31");
  // Helm's values are float64: large numbers print in Go's %g form.
  CHECK(text_of("{{ .Values.big }}", values({{"Values", values({{"big", Value::from_float(1000000)}})}})) == "1e+06");
  CHECK(text_of("{{ .Values.n }}", values({{"Values", values({{"n", Value::from_float(123456)}})}})) == "123456");
}

TEST_CASE("go template: number literals follow Go's syntax", "[go_template]") {
  // traefik's and opentelemetry-collector's _helpers.tpl multiply by 0x1p30 .. 0x1p60.
  CHECK(text_of("{{ 0x1p60 }} {{ 0X1P4 }} {{ 0x1.8p1 }} {{ 0x.8p1 }} {{ 0x1p-2 }}") == "1.152921504606847e+18 16 3 1 0.25");
  CHECK(text_of("{{ mulf 2 0x1p30 | int64 }}") == "2147483648");
  CHECK(text_of("{{ 0x1F }} {{ 0o17 }} {{ 0O17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ 0x_1F }} {{ 0 }}") ==
        "31 15 15 15 5 1000 31 0");
  CHECK(text_of("{{ 1e3 }} {{ 1.5e-3 }} {{ -2.5 }} {{ +7 }} {{ .5 }} {{ 1_000.5 }} {{ 09.5 }} {{ 0x1e }}") ==
        "1000 0.0015 -2.5 7 0.5 1000.5 9.5 30");
  // An integer literal is an int, anything with a fraction or an exponent a float64.
  CHECK(text_of("{{ kindOf 0x1p4 }} {{ kindOf 0x10 }} {{ kindOf 1e3 }} {{ kindOf 017 }} {{ kindOf 1_000 }}") ==
        "float64 int float64 int int");
  CHECK(text_of("{{ -9223372036854775808 }} {{ 9223372036854775807 }}") == "-9223372036854775808 9223372036854775807");
  CHECK(render("{{ 0x1.8 }}").error == "parse: illegal number syntax: \"0x1.8\"");
  CHECK(render("{{ 1__0 }}").error == "parse: illegal number syntax: \"1__0\"");
  CHECK(render("{{ 1_ }}").error == "parse: illegal number syntax: \"1_\"");
  CHECK(render("{{ 08 }}").error == "parse: illegal number syntax: \"08\"");
  CHECK(render("{{ 1e400 }}").error == "parse: illegal number syntax: \"1e400\"");
  CHECK(render("{{ 9223372036854775808 }}").error == "parse: 9223372036854775808 overflows int");
  CHECK(render("{{ 0o1e5 }}").error.find("bad number syntax") != std::string::npos);
}

TEST_CASE("go template: a missing value prints nothing, a field of nil fails", "[go_template]") {
  Value dot = values({{"Values", values({})}});
  CHECK(text_of("a{{ .Values.missing }}b", dot) == "ab");
  Rendering nested = render("{{ .Values.missing.field }}", dot);
  CHECK(nested.error == "nil pointer evaluating interface {}.field");
  CHECK(nested.error_offset == 3);
  CHECK(render("{{ .Values.x.y }}", values({{"Values", values({{"x", Value::from_string("s")}})}})).error ==
        "can't evaluate field y in type string");
  // Through parentheses or a variable, Go's nil is an invalid value whose fields are nil: charts
  // rely on `((.Values.global).image).tag` to read optional settings.
  CHECK(text_of("[{{ ((.Values.global).image).tag }}]", dot) == "[]");
  CHECK(text_of("{{ $g := .Values.global }}[{{ $g.image }}]", dot) == "[]");
  // A function name followed by a field calls the function first (it fails only when run).
  CHECK(text_of("{{ if false }}{{ merge.Values.x }}{{ end }}ok", dot) == "ok");
  CHECK(text_of("{{ (dict \"k\" \"v\").k }}", dot) == "v");
}

TEST_CASE("go template: whitespace trimming and comments", "[go_template]") {
  CHECK(text_of("a  {{- \"b\" -}}  \n c") == "abc");
  CHECK(text_of("a {{- /* note */ -}} b") == "ab");
  CHECK(text_of("a{{/* note */}}b") == "ab");
  CHECK(text_of("x:\n  {{- if true }}\n  y: 1\n  {{- end }}\n") == "x:\n  y: 1\n");
  // A '-' without a space is a negative number, not a trim marker.
  CHECK(text_of("{{-3}}") == "-3");
}

TEST_CASE("go template: if / else if / else and with", "[go_template]") {
  Value dot = values({{"a", Value::from_bool(false)}, {"b", Value::from_string("yes")}, {"n", Value::from_int(0)}});
  CHECK(text_of("{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}", dot) == "B");
  CHECK(text_of("{{ if .n }}N{{ else }}zero{{ end }}", dot) == "zero");
  CHECK(text_of("{{ with .b }}[{{ . }}]{{ end }}", dot) == "[yes]");
  CHECK(text_of("{{ with .missing }}x{{ else }}none{{ end }}", dot) == "none");
  CHECK(text_of("{{ with .a }}x{{ else with .b }}{{ . }}{{ end }}", dot) == "yes");
  CHECK(text_of("{{ if and .b (not .a) }}ok{{ end }}", dot) == "ok");
  // and/or stop at the deciding argument: the nil field is never evaluated.
  CHECK(text_of("{{ if and .a .missing.x }}x{{ else }}short{{ end }}", dot) == "short");
  CHECK(text_of("{{ or .a .n \"last\" }}", dot) == "last");
}

TEST_CASE("go template: range over lists, maps in key order, ints, with else, break and continue", "[go_template]") {
  Value dot = values({{"list", strings({"a", "b", "c"})},
                      {"map", values({{"z", Value::from_int(1)}, {"a", Value::from_int(2)}})},
                      {"empty", Value::from_list({})}});
  CHECK(text_of("{{ range .list }}{{ . }}{{ end }}", dot) == "abc");
  CHECK(text_of("{{ range $i, $v := .list }}{{ $i }}={{ $v }} {{ end }}", dot) == "0=a 1=b 2=c ");
  CHECK(text_of("{{ range $k, $v := .map }}{{ $k }}:{{ $v }},{{ end }}", dot) == "a:2,z:1,");
  CHECK(text_of("{{ range .empty }}x{{ else }}none{{ end }}", dot) == "none");
  CHECK(text_of("{{ range .missing }}x{{ else }}nil{{ end }}", dot) == "nil");
  CHECK(text_of("{{ range 3 }}{{ . }}{{ end }}") == "012");
  CHECK(text_of("{{ range .list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", dot) == "ac");
  CHECK(text_of("{{ range .list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", dot) == "a");
  CHECK(text_of("{{ range $v := .list }}{{ $v }}{{ end }}", dot) == "abc");
}

TEST_CASE("go template: variables, scopes, assignment and $", "[go_template]") {
  Value dot = values({{"name", Value::from_string("root")}, {"list", strings({"a", "b"})}});
  CHECK(text_of("{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}", dot) == "12");
  CHECK(text_of("{{ range .list }}{{ $.name }}-{{ . }} {{ end }}", dot) == "root-a root-b ");
  // A variable assigned inside a range keeps its value after it (Go 1.11+ assignment semantics).
  CHECK(text_of("{{ $last := \"\" }}{{ range .list }}{{ $last = . }}{{ end }}{{ $last }}", dot) == "b");
  // A variable declared inside if is gone after end.
  CHECK(render("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}", dot).error == "undefined variable: $y");
}

TEST_CASE("go template: pipelines and parenthesised calls", "[go_template]") {
  Value dot = values({{"name", Value::from_string("Web")}});
  CHECK(text_of("{{ .name | lower | printf \"%s-svc\" }}", dot) == "web-svc");
  CHECK(text_of("{{ printf \"%s:%d\" (lower .name) (add 1 2) }}", dot) == "web:3");
  CHECK(text_of("{{ (dict \"a\" \"b\").a }}", dot) == "b");
  CHECK(text_of("{{ .name | len }}", dot) == "3");
}

TEST_CASE("go template: define, template, block and include", "[go_template]") {
  std::string source =
      "{{- define \"name\" -}}{{ .n }}-app{{- end -}}"
      "{{- define \"labels\" -}}\napp: {{ include \"name\" . }}\n{{- end -}}"
      "[{{ template \"name\" . }}]"
      "{{ block \"extra\" . }}default-block{{ end }}"
      "labels:{{ include \"labels\" . | nindent 2 }}";
  Value dot = values({{"n", Value::from_string("web")}});
  CHECK(text_of(source, dot) == "[web-app]default-blocklabels:\n  app: web-app");
}

TEST_CASE("go template: parse errors are values with positions", "[go_template]") {
  CHECK(render("{{ if .a }}no end").error == "parse: {{if}} has no matching {{end}} (unexpected end of the template)");
  CHECK(render("{{ .a ").error == "parse: unclosed action");
  CHECK(render("a {{ end }}").error == "parse: unexpected {{end}}");
  Rendering bad = render("line\n{{ \"unterminated }}");
  CHECK(bad.error == "parse: unterminated quoted string");
  CHECK(bad.error_offset == 8);
  CHECK(render("{{ break }}").error == "parse: {{break}} outside {{range}}");
  CHECK(render("{{ 3 | 4 }}").error == "parse: non executable command in pipeline stage 2");
}

TEST_CASE("go template: unknown functions and bad comparisons fail like Helm", "[go_template]") {
  CHECK(render("{{ nosuchfunction 1 }}").error == "function \"nosuchfunction\" not defined");
  CHECK(render("{{ eq 1 1.0 }}").error == "error calling eq: incompatible types for comparison");
  CHECK(text_of("{{ eq .missing \"x\" }}", values({})) == "false");
  CHECK(text_of("{{ eq \"a\" \"b\" \"a\" }}") == "true");
  CHECK(render("{{ required \"image.tag is required\" .tag }}", values({})).error ==
        "error calling required: image.tag is required");
  CHECK(render("{{ fail \"unsupported\" }}").error == "error calling fail: unsupported");
}

TEST_CASE("go template: an unknown function is a parse error even where it never runs, as in Go", "[go_template]") {
  auto first_problem = [](const std::string& source) {
    go_template::ParsedTemplate parsed = go_template::parse_template(source);
    reject_undefined_functions(parsed);
    return parsed.ok() ? std::string("ok") : fmt::format("{}@{}", parsed.errors.front().message, parsed.errors.front().offset);
  };
  CHECK(first_problem("{{ if false }}{{ nosuchfn }}{{ end }}") == "function \"nosuchfn\" not defined@17");
  // The first in source order, in a define, in parentheses, in an else branch.
  CHECK(first_problem("{{ define \"x\" }}{{ (first (one 1)) }}{{ end }}{{ else_of }}") == "function \"one\" not defined@27");
  CHECK(first_problem("{{ if true }}{{ else }}{{ list 1 | two }}{{ end }}") == "function \"two\" not defined@35");
  CHECK(first_problem("{{ and 1 (or 0 2) | not }}{{ template \"t\" (dict) }}") == "ok");
  CHECK(first_problem("{{ env \"HOME\" }}") == "function \"env\" not defined@3");  // Helm removes env
  // tpl strings are parsed the same way.
  CHECK(render("{{ tpl \"{{ if false }}{{ nosuchfn }}{{ end }}\" . }}", values({})).error.starts_with(
      "error calling tpl: cannot parse template: function \"nosuchfn\" not defined"));
}

TEST_CASE("go template: recursion, loops and output are bounded", "[go_template][hostile]") {
  Rendering recursion = render("{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}");
  CHECK(recursion.error.find("nest deeper than 100") != std::string::npos);
  Rendering template_recursion = render("{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}");
  CHECK(template_recursion.error.find("nest deeper") != std::string::npos);
  RenderLimits small;
  small.max_steps = 10'000;
  Rendering steps = render("{{ range until 100000 }}x{{ end }}", Value(), small);
  CHECK(steps.error.find("exceeded 10000 steps") != std::string::npos);
  Rendering huge = render("{{ until 100000000 }}");
  CHECK(huge.error.find("over the limit") != std::string::npos);
  Rendering big_output = render("{{ $s := repeat 1000000 \"x\" }}{{ range until 100 }}{{ $s }}{{ end }}");
  CHECK(big_output.error.find("output limit") != std::string::npos);
  // A string doubled in a loop stops at the output limit, at the function that built it.
  RenderLimits one_mebibyte;
  one_mebibyte.max_output_bytes = 1 << 20;
  std::string doubling = "{{ $s := \"x\" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}";
  Rendering doubled = render(doubling, Value(), one_mebibyte);
  CHECK(doubled.error == "rendering stopped: the string print built passed 1 MiB (the output limit)");
  CHECK(doubled.error_offset == doubling.find("print"));
  Rendering doubled_by_default = render(doubling);
  CHECK(doubled_by_default.error == "rendering stopped: the string print built passed 32 MiB (the output limit)");
  CHECK(text_of("{{ $s := \"x\" }}{{ range until 10 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}") == "1024");
  Rendering tpl_loop = render("{{ define \"t\" }}{{ tpl \"{{ include \\\"t\\\" . }}\" . }}{{ end }}{{ include \"t\" . }}");
  CHECK(!tpl_loop.error.empty());
}

TEST_CASE("go template: deep nesting is an error, not a stack overflow", "[go_template][hostile]") {
  // These crashed `shiftlint check` and `render` with SIGSEGV before nesting was bounded.
  std::string parentheses = "x: {{ " + std::string(100'000, '(') + "1" + std::string(100'000, ')') + " }}";
  Rendering deep_parentheses = render(parentheses);
  CHECK(deep_parentheses.error == "parse: max expression depth exceeded: actions and parentheses nest deeper than 1000 levels");
  CHECK(deep_parentheses.error_offset == 6 + 1000);  // the `(` that goes one level too deep
  std::string ifs;
  for (int i = 0; i < 100'000; ++i) ifs += "{{ if 1 }}";
  ifs += "y";
  for (int i = 0; i < 100'000; ++i) ifs += "{{ end }}";
  CHECK(render(ifs).error.find("parse: max expression depth exceeded") == 0);
  // Within the parser's bound, real nesting still renders.
  CHECK(text_of("{{ " + std::string(200, '(') + "1" + std::string(200, ')') + " }}") == "1");

  // Each template nests 900 deep, within the parser's bound; 100 includes of it are not.
  std::string nested_include = "{{ define \"t\" }}";
  for (int i = 0; i < 900; ++i) nested_include += "{{ if 1 }}";
  nested_include += "{{ include \"t\" . }}";
  for (int i = 0; i < 900; ++i) nested_include += "{{ end }}";
  nested_include += "{{ end }}{{ include \"t\" . }}";
  Rendering across_includes = render(nested_include);
  CHECK(across_includes.error.find("templates nest deeper than 2000 levels") != std::string::npos);
}

TEST_CASE("go template: values nested deep or made cyclic by a template are errors, not crashes", "[go_template][hostile]") {
  // A dict nested 200,000 deep by a loop: releasing it recursively overflowed the stack (SIGSEGV).
  CHECK(text_of("{{ $d := dict }}{{ range until 200000 }}{{ $d = dict \"a\" $d }}{{ end }}{{ len $d }}") == "1");
  const std::string deep = "{{ $d := dict }}{{ range until 2000 }}{{ $d = dict \"a\" $d }}{{ end }}";
  CHECK(render(deep + "{{ toYaml $d }}").error == "error calling toYaml: the value nests deeper than 1000 levels");
  CHECK(render(deep + "{{ toJson $d }}").error == "error calling toJson: the value nests deeper than 1000 levels");
  CHECK(render(deep + "{{ deepCopy $d }}").error == "error calling deepCopy: the value nests deeper than 1000 levels");
  // Within the bound, nesting still encodes.
  CHECK(text_of("{{ $d := dict }}{{ range until 3 }}{{ $d = dict \"a\" $d }}{{ end }}{{ toJson $d }}") ==
        "{\"a\":{\"a\":{\"a\":{}}}}");

  // `set` that would make a dict contain itself (directly or through another dict) is refused: every
  // walk over a cycle (toYaml, printing, deepCopy) would never end, and the cycle would leak.
  Rendering cycle = render("{{ $a := dict }}{{ $b := dict \"a\" $a }}{{ $_ := set $a \"b\" $b }}");
  CHECK(cycle.error == "error calling set: the value contains the dict itself; a dict that contains itself cannot be rendered");
  CHECK(!render("{{ $_ := set . \"self\" . }}", values({{"x", Value::from_int(1)}})).error.empty());
  // Sharing a dict under two keys is not a cycle.
  CHECK(text_of("{{ $a := dict \"k\" 1 }}{{ $b := dict }}{{ $_ := set $b \"x\" $a }}{{ $_ := set $b \"y\" $a }}{{ toJson $b }}") ==
        "{\"x\":{\"k\":1},\"y\":{\"k\":1}}");

  // fromJson of JSON nested deeper than values can be: its error, as for any JSON it cannot read.
  Rendering json = render("{{ (fromJson (printf \"%s1%s\" (repeat 5000 \"[\") (repeat 5000 \"]\"))).Error }}");
  CHECK(json.text.find("nests deeper than 1000 levels") != std::string::npos);
}

TEST_CASE("go template: the source map points rendered bytes at template offsets", "[go_template]") {
  auto file = std::make_unique<SourceFile>("t.yaml", "t.yaml",
                                           "{{- define \"x\" }}inner: {{ .v }}{{ end -}}\nkey: {{ include \"x\" . | nindent 2 }}\n");
  go_template::ParsedTemplate parsed = go_template::parse_template(file->text());
  REQUIRE(parsed.ok());
  TemplateSet templates;
  templates.add("t.yaml", file.get(), std::move(parsed));
  Executor executor(templates);
  RenderedText output = remove_no_value(executor.render("t.yaml", values({{"v", Value::from_string("1")}})));
  REQUIRE(output.text == "key: \n  inner: 1\n");
  // "key" is copied from line 2; "inner" comes from the define on line 1.
  RenderedText::Place key = output.place_of(0);
  CHECK(file->position_at(key.file_offset).line == 2);
  RenderedText::Place inner = output.place_of(output.text.find("inner"));
  CHECK(file->position_at(inner.file_offset).line == 1);
  CHECK(file->position_at(inner.file_offset).column == 18);
}
