// Charts rendered as `helm template` renders them: tests/helm/ holds small charts written for these
// tests (subcharts as folders and .tgz, an alias, a library chart from a sibling folder, globals,
// conditions and tags, .Files) with the output helm prints for them beside each.
#include <catch2/catch.hpp>

#include "tests/unit/scratch_folder.h"
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/render.h"

using namespace shiftlint;
using namespace shiftlint::helm;
namespace fs = std::filesystem;

namespace {

const fs::path kCharts = fs::path(SHIFTLINT_SOURCE_DIR) / "tests" / "helm";

// `shiftlint check <chart>` with the default configuration, on one worker.
CheckOutcome check_chart(const fs::path& chart) {
  static const Config config;
  CheckRequest request;
  request.paths = {chart.string()};
  request.config = &config;
  request.jobs = 1;
  return run_check(request);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Rendered {
  LoadedChart loaded;
  ChartRendering rendering;
  std::string output;
};

// The chart a test wrote in `scratch`'s app/ folder, rendered with no values of the user's (the
// rendering points into the loaded chart, so both are kept).
Rendered render_scratch_chart(const shiftlint::testing::ScratchFolder& scratch, const RenderOptions& render_options = {}) {
  Rendered result;
  ChartLoadOptions options;
  options.scan_root = scratch.path();
  result.loaded = load_chart(scratch.path("app"), "app", options);
  REQUIRE(result.loaded.chart);
  result.rendering = render_chart(*result.loaded.chart, UserValues{}, render_options);
  result.output = format_manifests(result.rendering.manifests);
  return result;
}

Rendered render_fixture(const std::string& name, const std::vector<std::string>& sets = {}) {
  Rendered result;
  ChartLoadOptions options;
  options.scan_root = kCharts.string();
  result.loaded = load_chart((kCharts / name).string(), name, options);
  REQUIRE(result.loaded.chart);
  UserValues values;
  for (const std::string& set : sets) {
    std::string error;
    REQUIRE(values.add_set(set, error));
  }
  result.rendering = render_chart(*result.loaded.chart, values, RenderOptions{});
  result.output = format_manifests(result.rendering.manifests);
  return result;
}

}  // namespace

TEST_CASE("helm render: a chart with subcharts, an alias, a sibling library and .Files", "[helm][render]") {
  Rendered shop = render_fixture("shop");
  for (const ChartProblem& problem : shop.loaded.problems) FAIL(problem.message);
  for (const ChartProblem& problem : shop.rendering.problems) FAIL(problem.message);
  CHECK(shop.output == read_text(kCharts / "shop.rendered.yaml"));
}

TEST_CASE("helm render: templates run in Helm's order and share their chart's top-level map", "[helm][render]") {
  // Helm executes the deepest paths first and, at one depth, in reverse name order; every template
  // of a chart gets the same top-level map (only .Template changes). So sub/first.yaml runs first
  // and its `set .Values` is seen by zzz_profile.yaml, whose `set $ "Values"` and `set $ "Profile"`
  // are seen by a.yaml; the child's `set $ "ChildOnly"` stays in the child's own map. Manifests
  // are still listed in template name order.
  Rendered profile = render_fixture("profile");
  for (const ChartProblem& problem : profile.loaded.problems) FAIL(problem.message);
  for (const ChartProblem& problem : profile.rendering.problems) FAIL(problem.message);
  CHECK(profile.output == read_text(kCharts / "profile.rendered.yaml"));
  CHECK(profile.output.find("  mode: \"from-profile\"\n  seenBy: \"sub/first.yaml\"\n  profile: \"applied\"\n"
                            "  childOnly: \"absent\"\n  template: \"profile/templates/a.yaml\"\n"
                            "  helper: \"profile/templates/a.yaml\"\n") != std::string::npos);
}

TEST_CASE("helm render: .Subcharts maps each enabled subchart's name to its top-level object", "[helm][render]") {
  // Helm builds .Subcharts from the dependencies that are enabled, by name (the alias when there
  // is one); each entry is the map the subchart's own templates get as `.`.
  Rendered parent = render_fixture("subcharts");
  for (const ChartProblem& problem : parent.loaded.problems) FAIL(problem.message);
  for (const ChartProblem& problem : parent.rendering.problems) FAIL(problem.message);
  CHECK(parent.output.find("  names: \"child,second\"\n  childPort: \"80\"\n  secondPort: \"81\"\n  secondName: \"second\"\n") !=
        std::string::npos);
  CHECK(parent.output.find("  name: child\ndata:\n  subcharts: \"0\"\n") != std::string::npos);  // an empty map, not nil
}

TEST_CASE("helm render: conditions, tags and --set values", "[helm][render]") {
  Rendered without_cache = render_fixture("shop", {"cache.enabled=false", "tags.background=false", "replicaCount=5"});
  CHECK(without_cache.output.find("kind: StatefulSet") == std::string::npos);
  CHECK(without_cache.output.find("mailer") == std::string::npos);
  CHECK(without_cache.output.find("replicas: 5") != std::string::npos);
  Rendered tagged = render_fixture("shop", {"image.tag=9.9", "env.EXTRA=a\\,b"});
  CHECK(tagged.output.find("image: \"registry.example.com/shop:9.9\"") != std::string::npos);
  CHECK(tagged.output.find("value: \"a,b\"") != std::string::npos);
}

TEST_CASE("helm render: a missing dependency is reported only when its condition or tags leave it on", "[helm][render]") {
  // Bitnami-style umbrella charts declare optional databases (`condition: postgresql.enabled`)
  // that a repository without `helm dependency build` does not hold: Helm does not render one
  // that is off, so its absence says nothing about what is deployed.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-missing-off");
  scratch.file("app/Chart.yaml",
               "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
               "  - name: postgresql\n    version: 15.0.0\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
               "    condition: postgresql.enabled\n"
               "  - name: redis\n    version: 19.0.0\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
               "    tags: [cache]\n"
               "  - name: metrics\n    version: 1.0.0\n    repository: https://charts.example.com\n"
               "    condition: metrics.enabled\n");
  scratch.file("app/values.yaml", "postgresql:\n  enabled: false\nmetrics: {}\n");
  scratch.file("app/templates/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n");
  ChartLoadOptions options;
  options.scan_root = scratch.path();
  LoadedChart loaded = load_chart(scratch.path("app"), "app", options);
  REQUIRE(loaded.chart);
  CHECK(loaded.problems.empty());
  auto missing_names = [&](const std::vector<std::string>& sets) {
    UserValues values;
    for (const std::string& set : sets) {
      std::string error;
      REQUIRE(values.add_set(set, error));
    }
    std::vector<std::string> names;
    for (const ChartProblem& problem : render_chart(*loaded.chart, values, RenderOptions{}).problems) {
      size_t open = problem.message.find('"');
      names.push_back(problem.message.substr(open + 1, problem.message.find('"', open + 1) - open - 1));
    }
    return names;
  };
  // postgresql is off; redis has no tag value (on); metrics has no `enabled` (Helm's default: on).
  CHECK(missing_names({}) == std::vector<std::string>{"redis", "metrics"});
  CHECK(missing_names({"postgresql.enabled=true", "tags.cache=false", "metrics.enabled=false"}) ==
        std::vector<std::string>{"postgresql"});
  // Whatever the values, the chart's full list is there for a chart that is not rendered.
  CHECK(all_missing_dependency_problems(*loaded.chart).size() == 3);
}

TEST_CASE("helm render: AsConfig and AsSecrets of a glob that matches nothing give an empty map", "[helm][render]") {
  // Helm's Glob always returns a files group (an empty map, not nil), and AsConfig/AsSecrets print
  // toYAML of the map they build: `{}`, which keeps `data:` a map rather than null.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-empty-glob");
  scratch.file("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
  scratch.file("app/values.yaml", "{}\n");
  scratch.file("app/files/app.conf", "listen 8080;\n");
  scratch.file("app/templates/cm.yaml",
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n"
               "{{ (.Files.Glob \"config/*.properties\").AsConfig | indent 2 }}\n"
               "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n"
               "{{ (.Files.Glob \"secrets/*\").AsSecrets | indent 2 }}\n"
               "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-files\ndata:\n"
               "{{ (.Files.Glob \"files/*\").AsConfig | indent 2 }}\n");
  Rendered rendered = render_scratch_chart(scratch);
  CHECK(rendered.rendering.problems.empty());
  const std::string& output = rendered.output;
  CHECK(output.find("kind: ConfigMap\nmetadata:\n  name: app\ndata:\n  {}\n") != std::string::npos);
  CHECK(output.find("kind: Secret\nmetadata:\n  name: app\ndata:\n  {}\n") != std::string::npos);
  CHECK(output.find("  app.conf: |\n    listen 8080;\n") != std::string::npos);
}

TEST_CASE("helm render: .Capabilities.APIVersions is a list with a Has method", "[helm][render]") {
  // Go's chartutil.VersionSet is a []string: Sprig's has, len and join, range and index take it as
  // a list (external-secrets' _helpers.tpl: `has "monitoring.coreos.com/v1/ServiceMonitor"
  // .Capabilities.APIVersions`), and .Has still works.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-api-versions");
  scratch.file("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
  scratch.file("app/values.yaml", "{}\n");
  scratch.file("app/templates/cm.yaml",
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n"
               "  apps: {{ has \"apps/v1\" .Capabilities.APIVersions | quote }}\n"
               "  monitoring: {{ has \"monitoring.coreos.com/v1/ServiceMonitor\" .Capabilities.APIVersions | quote }}\n"
               "  method: {{ .Capabilities.APIVersions.Has \"batch/v1\" | quote }}\n"
               "  many: {{ gt (len .Capabilities.APIVersions) 20 | quote }}\n"
               "  joined: {{ contains \"policy/v1\" (join \",\" .Capabilities.APIVersions) | quote }}\n"
               "  type: {{ typeOf .Capabilities.APIVersions | quote }}\n"
               "  kind: {{ kindOf .Capabilities.APIVersions | quote }}\n"
               "  ranged: {{ range .Capabilities.APIVersions }}{{ if eq . \"v1\" }}core{{ end }}{{ end }}\n");
  RenderOptions render_options;
  render_options.api_versions = {"monitoring.coreos.com/v1/ServiceMonitor"};
  Rendered rendered = render_scratch_chart(scratch, render_options);
  REQUIRE(rendered.rendering.problems.empty());
  const std::string& output = rendered.output;
  CHECK(output.find("  apps: \"true\"\n") != std::string::npos);
  CHECK(output.find("  monitoring: \"true\"\n") != std::string::npos);
  CHECK(output.find("  method: \"true\"\n") != std::string::npos);
  CHECK(output.find("  many: \"true\"\n") != std::string::npos);
  CHECK(output.find("  joined: \"true\"\n") != std::string::npos);
  CHECK(output.find("  type: \"chartutil.VersionSet\"\n") != std::string::npos);
  CHECK(output.find("  kind: \"slice\"\n") != std::string::npos);
  CHECK(output.find("  ranged: core\n") != std::string::npos);
}

TEST_CASE("helm render: templates that fail for want of a missing dependency are told with it", "[helm][render]") {
  // Sentry's chart reads `.Values.kafka.service.ports.client`, which only the kafka chart's own
  // values.yaml sets: without `helm dependency build` every template including that helper fails.
  // That is one problem (the dependency), not one per template blaming the user's values.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-missing-needed");
  scratch.file("app/Chart.yaml",
               "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
               "  - name: kafka\n    version: 29.3.14\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
               "    condition: kafka.enabled\n");
  scratch.file("app/values.yaml", "kafka:\n  enabled: true\n");
  scratch.file("app/templates/_helpers.tpl",
               "{{- define \"app.brokers\" -}}\n{{ .Release.Name }}-kafka:{{ $.Values.kafka.service.ports.client }}\n"
               "{{- end -}}\n");
  scratch.file("app/templates/a.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  b: {{ include \"app.brokers\" . }}\n");
  scratch.file("app/templates/b.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  b: {{ include \"app.brokers\" . }}\n");
  scratch.file("app/templates/c.yaml",
               "apiVersion: v1\nkind: ConfigMap\ndata:\n  n: {{ include \"kafka.fullname\" . }}\n");
  // Not the dependency's: a value of the chart's own, and the dependency's key itself being nil.
  scratch.file("app/templates/d.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  p: {{ .Values.service.port }}\n");
  ChartLoadOptions options;
  options.scan_root = scratch.path();
  LoadedChart loaded = load_chart(scratch.path("app"), "app", options);
  REQUIRE(loaded.chart);

  std::vector<ChartProblem> problems = render_chart(*loaded.chart, UserValues{}, RenderOptions{}).problems;
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].message ==
        "dependency \"kafka\" is not in charts/ and no folder of that name was found beside the chart: its templates "
        "are not rendered, nor are 3 of the chart's own templates that need its default values (.Values.kafka) or "
        "its helpers: app/templates/a.yaml and 2 more (run `helm dependency build`)");
  REQUIRE(problems[0].related.size() == 2);
  CHECK(problems[0].related[0].file->display_path() == "app/templates/_helpers.tpl");
  CHECK(problems[0].related[0].span.begin == Position{2, 30});  // `$.Values.kafka…`
  CHECK(problems[0].related[0].message ==
        "2 templates stop here without the dependency: nil pointer evaluating interface {}.ports");
  CHECK(problems[0].related[1].file->display_path() == "app/templates/c.yaml");
  CHECK(problems[0].related[1].message.starts_with("1 template stops here without the dependency: template: no "
                                                   "template \"kafka.fullname\""));
  CHECK(problems[1].message.starts_with("app/templates/d.yaml cannot be rendered: nil pointer evaluating"));

  // With the dependency turned off, Helm renders none of it: the same failures are the values'.
  UserValues off;
  std::string error;
  REQUIRE(off.add_set("kafka.enabled=false", error));
  problems = render_chart(*loaded.chart, off, RenderOptions{}).problems;
  REQUIRE(problems.size() == 4);
  for (const ChartProblem& problem : problems) CHECK(problem.message.find("cannot be rendered") != std::string::npos);
}

TEST_CASE("helm render: a tpl text under a missing dependency's key that needs its defaults is told with it",
          "[helm][render]") {
  // grafana's loki-stack: `url: {{ tpl .Values.loki.url . }}`, where the chart's values give
  // `loki.url: http://...:{{ .Values.loki.service.port }}` and only the loki chart sets the port.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-missing-tpl");
  scratch.file("stack/Chart.yaml",
               "apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n"
               "  - name: loki\n    version: 2.16.0\n    repository: https://grafana.github.io/helm-charts\n");
  scratch.file("stack/values.yaml", "loki:\n  url: http://{{ .Release.Name }}:{{ .Values.loki.service.port }}\n"
                                    "grafana:\n  url: http://{{ .Values.grafana.service.port }}\n");
  scratch.file("stack/templates/datasource.yaml",
               "apiVersion: v1\nkind: ConfigMap\ndata:\n  url: {{ tpl .Values.loki.url . | quote }}\n");
  // A tpl text under the chart's own key fails for the chart's values, as before.
  scratch.file("stack/templates/other.yaml",
               "apiVersion: v1\nkind: ConfigMap\ndata:\n  url: {{ tpl .Values.grafana.url . | quote }}\n");
  ChartLoadOptions options;
  options.scan_root = scratch.path();
  LoadedChart loaded = load_chart(scratch.path("stack"), "stack", options);
  REQUIRE(loaded.chart);

  std::vector<ChartProblem> problems = render_chart(*loaded.chart, UserValues{}, RenderOptions{}).problems;
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].message.find("nor is 1 of the chart's own templates that needs its default values (.Values.loki) "
                                 "or its helpers: stack/templates/datasource.yaml") != std::string::npos);
  REQUIRE(problems[0].related.size() == 1);
  CHECK(problems[0].related[0].span.begin == Position{4, 11});  // the tpl call
  CHECK(problems[1].message.starts_with("stack/templates/other.yaml cannot be rendered: error calling tpl: nil pointer"));
}

TEST_CASE("helm render: a sibling chart at a version the dependency does not allow is named when it fails", "[helm][render]") {
  // grafana's enterprise-logs pins loki-distributed 0.55.0; the folder beside it holds 0.80.6, whose
  // templates read values the pinned version's did not have. Bitnami's charts pin redis 22.x.x
  // while ../redis is 23: that sibling renders cleanly and nothing is said.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-other-version");
  scratch.file("repo/app/Chart.yaml",
               "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
               "  - name: logs\n    version: 0.55.0\n    repository: https://charts.example.com\n");
  scratch.file("repo/app/values.yaml", "logs:\n  replicas: 2\n");
  scratch.file("repo/app/templates/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n");
  scratch.file("repo/logs/values.yaml", "replicas: 1\n");
  scratch.file("repo/logs/templates/a.yaml",
               "apiVersion: v1\nkind: ConfigMap\ndata:\n  r: {{ .Values.replicas }}\n"
               "  s: {{ required \"bucket is required\" .Values.bucket }}\n");
  scratch.file("repo/logs/templates/b.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  r: {{ .Values.replicas }}\n");
  ChartLoadOptions options;
  options.scan_root = scratch.path("repo");
  auto problems_with_logs_at = [&](const std::string& version) {
    scratch.file("repo/logs/Chart.yaml", "apiVersion: v2\nname: logs\nversion: " + version + "\n");
    LoadedChart loaded = load_chart(scratch.path("repo/app"), "app", options);
    REQUIRE(loaded.chart);
    REQUIRE(loaded.chart->subcharts.size() == 1);  // the sibling is rendered either way
    return render_chart(*loaded.chart, UserValues{}, RenderOptions{}).problems;
  };

  std::vector<ChartProblem> other = problems_with_logs_at("0.80.6");
  REQUIRE(other.size() == 1);
  CHECK(other[0].span.begin.line == 5);  // the dependency's entry in Chart.yaml
  CHECK(other[0].message ==
        "dependency \"logs\" is rendered from ../logs, which is version 0.80.6, while the chart asks for 0.55.0, and 1 "
        "of its templates cannot be rendered: app/charts/logs/templates/a.yaml; the chart's values are written for the "
        "version it asks for, and those templates' manifests are not linted (run `helm dependency build` to lint the "
        "version that is deployed)");
  REQUIRE(other[0].related.size() == 1);
  CHECK(other[0].related[0].file->display_path() == "logs/templates/a.yaml");
  INFO(other[0].related[0].message);
  CHECK(other[0].related[0].message.starts_with("1 template stops here in the other version: error calling required"));

  // At the version asked for, the same failure is the values' own.
  std::vector<ChartProblem> same = problems_with_logs_at("0.55.0");
  REQUIRE(same.size() == 1);
  INFO(same[0].message);
  CHECK(same[0].message.starts_with("app/charts/logs/templates/a.yaml cannot be rendered: error calling required"));
}

TEST_CASE("helm render: --set integers are Go int64, --set-string and values.yaml numbers are not", "[helm][render]") {
  UserValues values;
  std::string error;
  REQUIRE(values.add_set("replicas=3,zero=0,big=12345678901234567890,name=web", error));
  REQUIRE(values.add_set_value("port", "8080", true, nullptr, error));
  const Value& set = values.values();
  CHECK(kind_name(*set.find("replicas")) == "int64");
  CHECK(kind_name(*set.find("zero")) == "int64");
  CHECK(kind_name(*set.find("big")) == "string");  // past int64: a string, as strvals leaves it
  CHECK(kind_name(*set.find("name")) == "string");
  CHECK(kind_name(*set.find("port")) == "string");
}

TEST_CASE("helm render: every manifest line maps to its template line", "[helm][render]") {
  Rendered shop = render_fixture("shop");
  const RenderedManifest* deployment = nullptr;
  for (const RenderedManifest& manifest : shop.rendering.manifests)
    if (manifest.source_name == "shop/templates/deployment.yaml") deployment = &manifest;
  REQUIRE(deployment);
  auto line_of = [&](std::string_view needle) {
    size_t offset = deployment->text.text.find(needle);
    REQUIRE(offset != std::string::npos);
    RenderedText::Place place = deployment->text.place_of(offset);
    REQUIRE(place.file);
    return std::make_pair(place.file->display_path(), place.file->position_at(place.file_offset).line);
  };
  CHECK(line_of("imagePullPolicy") == std::make_pair(std::string("shop/templates/deployment.yaml"), 19u));
  // A label written in _helpers.tpl, included with nindent.
  CHECK(line_of("app.kubernetes.io/instance") == std::make_pair(std::string("shop/templates/_helpers.tpl"), 8u));
  // A label from the library chart beside the chart.
  CHECK(line_of("app.kubernetes.io/managed-by") == std::make_pair(std::string("common/templates/_labels.tpl"), 2u));
  // A value printed by an action maps to the action, and knows its values.yaml line.
  size_t memory = deployment->text.text.find("512Mi");
  RenderedText::Place value = deployment->text.place_of(memory);
  REQUIRE(value.origin);
  CHECK(value.origin->file->display_path() == "shop/values.yaml");
  CHECK(value.origin->span.begin.line == 13);  // `memory: 512Mi`, printed by toYaml
  CHECK(value.file->position_at(value.file_offset).line == 35);
}

TEST_CASE("helm render: a failing template is reported, the others render", "[helm][render]") {
  Rendered broken = render_fixture("broken");
  REQUIRE(broken.rendering.problems.size() == 3);
  const ChartProblem& syntax = broken.rendering.problems[0];
  CHECK(syntax.parse_error);
  CHECK(syntax.file->display_path() == "broken/templates/syntax.yaml");
  CHECK(syntax.span.begin.line == 3);  // the {{ if }} that has no {{ end }}
  CHECK(syntax.message.find("{{if}} has no matching {{end}}") != std::string::npos);
  const ChartProblem& failure = broken.rendering.problems[1];
  CHECK(!failure.parse_error);
  CHECK(failure.file->display_path() == "broken/templates/_helpers.tpl");
  CHECK(failure.span.begin.line == 2);
  CHECK(failure.message.find("nil pointer evaluating interface {}.name") != std::string::npos);
  // worker.yaml runs before owner.yaml (Helm's order), but failures are listed by template name.
  const ChartProblem& second_failure = broken.rendering.problems[2];
  CHECK(second_failure.file->display_path() == "broken/templates/worker.yaml");
  CHECK(second_failure.message.find("broken/templates/worker.yaml cannot be rendered") != std::string::npos);
  CHECK(broken.output.find("kind: ConfigMap") != std::string::npos);
}

TEST_CASE("helm render: include recursion stops with a problem, not a hang", "[helm][render][hostile]") {
  Rendered hostile = render_fixture("recursive");
  REQUIRE(hostile.rendering.problems.size() == 1);
  CHECK(hostile.rendering.problems[0].message.find("nest deeper") != std::string::npos);
}

TEST_CASE("helm check: findings on rendered charts point at templates, with the values line related", "[helm][check]") {
  CheckOutcome outcome = check_chart(fs::path(SHIFTLINT_SOURCE_DIR) / "fixtures" / "K8S003" / "bad-chart-worker");
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings[0];
  CHECK(finding.rule_id == "K8S003");
  CHECK(finding.location.path == "templates/worker.yaml");
  CHECK(finding.location.span.begin.line == 8);
  CHECK(finding.location.begin_line_text.find("{{ .Values.worker.terminationGracePeriodSeconds }}") != std::string::npos);
  REQUIRE(finding.related.size() == 1);
  CHECK(finding.related[0].location.path == "values.yaml");
  CHECK(finding.related[0].location.span.begin.line == 5);
}

TEST_CASE("helm check: inline suppressions in templates apply, unused ones are reported", "[helm][check]") {
  CheckOutcome outcome = check_chart(kCharts / "suppressed");
  REQUIRE(outcome.summary.findings.size() == 1);
  CHECK(outcome.summary.findings[0].rule_id == "SL003");
  CHECK(outcome.summary.findings[0].location.span.begin.line == 12);
}

TEST_CASE("helm render: files the chart's .helmignore names are not part of the chart", "[helm][render][helmignore]") {
  // Every left-out template would fail to render, and docs/values.yaml does not parse.
  Rendered ignored = render_fixture("ignored");
  for (const ChartProblem& problem : ignored.loaded.problems) FAIL(problem.message);
  for (const ChartProblem& problem : ignored.rendering.problems) FAIL(problem.message);
  CHECK(ignored.output.find("name: release-name-greeting") != std::string::npos);
  CHECK(ignored.output.find("kind: ConfigMap") != std::string::npos);
  std::vector<std::string> names;
  for (const ChartFile& file : ignored.loaded.chart->templates) names.push_back(file.name);
  CHECK(names == std::vector<std::string>{"templates/configmap.yaml"});
}

TEST_CASE("helm render: a .helmignore line Helm rejects is a parse error on that line", "[helm][render][helmignore]") {
  Rendered rejected = render_fixture("ignore-rejected");
  REQUIRE(rejected.loaded.problems.size() == 1);
  const ChartProblem& problem = rejected.loaded.problems[0];
  CHECK(problem.parse_error);
  REQUIRE(problem.file);
  CHECK(problem.file->display_path() == "ignore-rejected/.helmignore");
  CHECK(problem.span.begin.line == 2);
  CHECK(problem.span.begin.column == 1);
  CHECK(problem.span.end.column == 8);
  CHECK(problem.message.find("Helm refuses to load this chart") != std::string::npos);
  CHECK(problem.message.find("double-star (**) syntax is not supported") != std::string::npos);
  // The rule before the rejected line still applies (*.orig); the one after it (*.tmp) is never read.
  bool tmp_rendered = false;
  for (const ChartProblem& render : rejected.rendering.problems) {
    REQUIRE(render.file);
    CHECK(render.file->display_path() != "ignore-rejected/templates/service.yaml.orig");
    if (render.file->display_path() == "ignore-rejected/templates/service.yaml.tmp") tmp_rendered = true;
  }
  CHECK(tmp_rendered);
}

TEST_CASE("helm render: values.yaml numbers and booleans resolve as YAML 1.1, as Helm reads them", "[helm][render]") {
  // `defaultMode: 0644` in a chart's values is 420 in what Helm renders (octal), not 644.
  Rendered modes = render_fixture("yaml11");
  INFO(modes.output);
  CHECK(modes.output.find("configMode: \"420\"") != std::string::npos);
  CHECK(modes.output.find("negativeOctal: \"-15\"") != std::string::npos);
  CHECK(modes.output.find("notOctal: \"89\"") != std::string::npos);
  CHECK(modes.output.find("quoted: \"0644\"") != std::string::npos);
  CHECK(modes.output.find("decimal: \"644\"") != std::string::npos);
  CHECK(modes.output.find("enabled: \"false\"") != std::string::npos);
}

TEST_CASE("helm check: a block printed with toYaml names its values line, or the key the finding is about",
          "[helm][check]") {
  // Each probe is `livenessProbe: {{- toYaml .Values.X.livenessProbe | nindent 12 }}`. toYaml sorts
  // the keys, so the block's first line is whichever key sorts first (httpGet's children, a flow
  // `tcpSocket: {port: ...}`, `initialDelaySeconds`): the probe, or its delay, must be named
  // instead of that entry, and a block that starts with a scalar entry must be named at all.
  CheckOutcome outcome = check_chart(kCharts / "probe-values");
  REQUIRE(outcome.summary.findings.size() == 5);
  struct Expected {
    unsigned finding_line;
    unsigned related_line;
    unsigned related_end_line;
    std::string message;
  };
  const std::vector<Expected> expected = {
      {11, 6, 6, "initialDelaySeconds is set here"},  // web: httpGet sorts first
      {14, 10, 10, "initialDelaySeconds is set here"},  // api: flow-style tcpSocket
      {17, 12, 17, "the value comes from here"},  // worker: no delay, the probe from its key to its end
      {20, 19, 21, "the value comes from here"},  // queue: no delay, periodSeconds sorts first
      {23, 23, 23, "initialDelaySeconds is set here"},  // cron: a literal probe, the delay from values
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    const Finding& finding = outcome.summary.findings[i];
    INFO(finding.message);
    CHECK(finding.rule_id == "K8S007");
    CHECK(finding.location.path == "templates/deployment.yaml");
    CHECK(finding.location.span.begin.line == expected[i].finding_line);
    REQUIRE(finding.related.size() == 1);
    CHECK(finding.related[0].location.path == "values.yaml");
    CHECK(finding.related[0].location.span.begin.line == expected[i].related_line);
    CHECK(finding.related[0].location.span.end.line == expected[i].related_end_line);
    CHECK(finding.related[0].message == expected[i].message);
  }
}

TEST_CASE("helm check: an image tag that falls back to Chart.yaml's appVersion names that line", "[helm][check]") {
  // The tag is `default .Chart.AppVersion .image.tag`, printed in the template, through an included
  // helper's `print ... | quote` (kyverno's layout) and through printf: each must name appVersion.
  CheckOutcome outcome = check_chart(kCharts / "app-version-tag");
  REQUIRE(outcome.summary.findings.size() == 5);
  struct Expected {
    unsigned finding_line;
    std::string related_path;
    unsigned related_line;
    unsigned related_column;  // the key: `appVersion: latest`, `tag: latest`
    std::string message_start;
  };
  const std::vector<Expected> expected = {
      {10, "Chart.yaml", 4, 1, "the tag is the chart's appVersion, set here"},  // written in the template
      {12, "Chart.yaml", 4, 1, "the tag is the chart's appVersion, set here"},  // include + print + quote
      {14, "Chart.yaml", 4, 1, "the tag is the chart's appVersion, set here"},  // printf
      {16, "values.yaml", 6, 3, "the image comes from here: pin a version tag or a digest here"},
      {18, "values.yaml", 9, 3, "the tag comes from here: pin a version here"},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    const Finding& finding = outcome.summary.findings[i];
    INFO(finding.message);
    CHECK(finding.rule_id == "K8S011");
    CHECK(finding.location.path == "templates/deployment.yaml");
    CHECK(finding.location.span.begin.line == expected[i].finding_line);
    REQUIRE(finding.related.size() == 1);
    CHECK(finding.related[0].location.path == expected[i].related_path);
    CHECK(finding.related[0].location.span.begin.line == expected[i].related_line);
    CHECK(finding.related[0].location.span.begin.column == expected[i].related_column);
    CHECK(finding.related[0].message.starts_with(expected[i].message_start));
  }
}

TEST_CASE("helm check: values printed through tpl (toYaml ...) keep their values lines", "[helm][check]") {
  // opentelemetry-demo and bitnami's common.tplvalues.render print blocks of values with
  // `tpl (toYaml .Values.x) $`: what tpl copies from the YAML text must keep where each value came
  // from, as toYaml alone does. Before, the secret was reported on the template line and the image
  // had no values line of its own.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-tpl-to-yaml");
  scratch.file("chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
  scratch.file("chart/values.yaml",
               "env:\n"
               "  - name: DB_PASSWORD\n"
               "    value: \"s3cr3t-Pa55w0rd\"\n"
               "  - name: RELEASE\n"
               "    value: \"{{ .Release.Name }}\"\n"
               "initContainers:\n"
               "  - name: wait\n"
               "    image: busybox:latest\n");
  scratch.file("chart/templates/deployment.yaml",
               "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata: {name: app}\n"
               "spec:\n"
               "  selector: {matchLabels: {app: app}}\n"
               "  template:\n"
               "    metadata: {labels: {app: app}}\n"
               "    spec:\n"
               "      initContainers:\n"
               "        {{- tpl (toYaml .Values.initContainers) $ | nindent 8 }}\n"
               "      containers:\n"
               "        - name: app\n"
               "          image: nginx:1.27.0\n"
               "          env:\n"
               "            {{- tpl (toYaml .Values.env) $ | nindent 12 }}\n");
  Config config;
  CheckRequest request;
  request.paths = {scratch.path("chart")};
  request.config = &config;
  request.select = {"K8S010", "K8S011"};
  request.jobs = 1;
  CheckOutcome outcome = run_check(request);
  REQUIRE(outcome.summary.findings.size() == 2);
  const Finding& secret = outcome.summary.findings[1];  // values.yaml sorts after templates/
  CHECK(secret.rule_id == "K8S010");
  CHECK(secret.location.path == "values.yaml");
  CHECK(secret.location.span.begin.line == 3);
  const Finding& image = outcome.summary.findings[0];
  CHECK(image.rule_id == "K8S011");
  CHECK(image.location.path == "templates/deployment.yaml");
  CHECK(image.location.span.begin.line == 10);
  // The image's own line only: not the block's other values printed by the same action.
  REQUIRE(image.related.size() == 1);
  CHECK(image.related[0].location.path == "values.yaml");
  CHECK(image.related[0].location.span.begin.line == 8);
  CHECK(image.related[0].message.starts_with("the image comes from here"));
}

TEST_CASE("helm check: a value with no values line is not given another value's line", "[helm][check]") {
  // opentelemetry-demo merges env lists through `include ... | mustFromJson`, which keeps no values
  // lines, then prints them with one action beside a value that kept its own (appVersion). A
  // finding on the secret there must not say that appVersion's line is where it comes from.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-unsourced");
  scratch.file("chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: 3.0.0\n");
  scratch.file("chart/values.yaml", "{}\n");
  scratch.file("chart/templates/deployment.yaml",
               "{{- $env := list (dict \"name\" \"VERSION\" \"value\" .Chart.AppVersion) }}\n"
               "{{- $env = append $env (dict \"name\" \"DB_PASSWORD\" \"value\" \"s3cr3t-Pa55w0rd\") }}\n"
               "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata: {name: app}\n"
               "spec:\n"
               "  selector: {matchLabels: {app: app}}\n"
               "  template:\n"
               "    metadata: {labels: {app: app}}\n"
               "    spec:\n"
               "      containers:\n"
               "        - name: app\n"
               "          image: nginx:1.27.0\n"
               "          env:\n"
               "            {{- toYaml $env | nindent 12 }}\n");
  Config config;
  CheckRequest request;
  request.paths = {scratch.path("chart")};
  request.config = &config;
  request.select = {"K8S010"};
  request.jobs = 1;
  CheckOutcome outcome = run_check(request);
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& secret = outcome.summary.findings[0];
  CHECK(secret.location.path == "templates/deployment.yaml");
  CHECK(secret.location.span.begin.line == 15);
  for (const RelatedLocation& related : secret.related) CHECK(related.message != "the value comes from here");
}

TEST_CASE("helm load: a sibling folder that is not the dependency's chart says why", "[helm][render]") {
  // A chart moved to another repository often leaves its folder behind with a README only
  // (grafana/helm-charts' loki and grafana); a sibling folder may also hold another chart.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-near-miss");
  scratch.file("stack/Chart.yaml",
               "apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n"
               "  - name: loki\n    version: 2.0.0\n    repository: https://grafana.github.io/helm-charts\n"
               "  - name: tempo\n    version: 1.0.0\n    repository: file://../tempo\n");
  scratch.file("loki/README.md", "Moved to grafana/loki.\n");
  scratch.file("tempo/Chart.yaml", "apiVersion: v2\nname: tempo-distributed\nversion: 1.0.0\n");
  ChartLoadOptions options;
  options.scan_root = scratch.path();
  LoadedChart loaded = load_chart(scratch.path("stack"), "stack", options);
  REQUIRE(loaded.chart);
  // Missing dependencies wait on the chart for its values (render.h), whatever they are here.
  CHECK(loaded.problems.empty());
  std::vector<ChartProblem> missing = all_missing_dependency_problems(*loaded.chart);
  REQUIRE(missing.size() == 2);
  CHECK(missing[0].span.begin.line == 5);
  CHECK(missing[0].message.starts_with(
      "dependency \"loki\" is not in charts/, and the folder ../loki has no Chart.yaml: its templates are not rendered"));
  CHECK(missing[1].span.begin.line == 8);
  CHECK(missing[1].message.starts_with(
      "dependency \"tempo\" is not in charts/, and the chart in ../tempo is named \"tempo-distributed\", not \"tempo\""));
}

TEST_CASE("helm load: a sibling dependency of a chart at the scan root is named ../name", "[helm][render]") {
  // `cd charts/app && shiftlint check .`: the chart's display path is "", and its dependency,
  // found beside it by name (no file:// repository), must be named from the scan root too, or
  // reports and code links point at app/dep/... which does not exist.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-sibling-root");
  scratch.file("charts/app/Chart.yaml",
               "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
               "  - name: dep\n    version: 1.0.0\n    repository: https://charts.example.com\n");
  scratch.file("charts/dep/Chart.yaml", "apiVersion: v2\nname: dep\nversion: 1.0.0\n");
  ChartLoadOptions options;
  options.scan_root = scratch.path();
  for (auto [display, expected] : {std::pair{"", "../dep/Chart.yaml"}, std::pair{"charts/app", "charts/dep/Chart.yaml"}}) {
    LoadedChart loaded = load_chart(scratch.path("charts/app"), display, options);
    REQUIRE(loaded.chart);
    CHECK(loaded.problems.empty());
    REQUIRE(loaded.chart->subcharts.size() == 1);
    CHECK(loaded.chart->subcharts[0].chart->chart_file->display_path() == expected);
  }
}

TEST_CASE("helm load: a dependency beside the chart but outside the scan root is named as such", "[helm][render]") {
  // `check siblings/parent` scans the parent alone: ../child exists but, outside a git repository,
  // is never read, and the message must say so (not that no such folder exists). An alias names the
  // dependency. A copy in a scratch folder: the source tree may itself be a repository.
  shiftlint::testing::ScratchFolder scratch("shiftlint-helm-siblings");
  fs::copy(kCharts / "siblings", scratch.path("siblings"), fs::copy_options::recursive);
  const fs::path siblings = scratch.path("siblings");
  const fs::path parent = siblings / "parent";
  ChartLoadOptions only_parent;
  only_parent.scan_root = parent.string();
  LoadedChart loaded = load_chart(parent.string(), "", only_parent);
  REQUIRE(loaded.chart);
  // Missing dependencies wait on the chart for its values (render.h), whatever they are here.
  CHECK(loaded.problems.empty());
  std::vector<ChartProblem> missing = all_missing_dependency_problems(*loaded.chart);
  REQUIRE(missing.size() == 3);
  CHECK(missing[0].span.begin.line == 5);
  CHECK(missing[0].message.starts_with(
      "dependency \"child\" is not in charts/, and the chart folder ../child lies outside the scanned folder and the "
      "git repository it is in, which shiftlint does not read"));
  CHECK(missing[1].span.begin.line == 8);
  CHECK(missing[1].message.starts_with(
      "dependency \"second-child\" (chart \"child\") is not in charts/, and the chart folder ../child lies outside"));
  CHECK(missing[2].span.begin.line == 12);
  CHECK(missing[2].message.starts_with(
      "dependency \"renamed\" (chart \"absent\") is not in charts/ and no folder of that name was found beside"));

  // Scanning the folder that holds both, the sibling is read for both of its names; and so it is
  // from the parent alone once both are in one git repository (`cd charts/parent && shiftlint check .`).
  auto check_both_read = [&](const ChartLoadOptions& options) {
    LoadedChart together = load_chart(parent.string(), "parent", options);
    REQUIRE(together.chart);
    std::vector<ChartProblem> missing_together = all_missing_dependency_problems(*together.chart);
    REQUIRE(missing_together.size() == 1);
    CHECK(missing_together[0].message.find("\"renamed\" (chart \"absent\")") != std::string::npos);
    REQUIRE(together.chart->subcharts.size() == 2);
    CHECK(together.chart->subcharts[0].chart->name == "child");
    CHECK(together.chart->subcharts[1].chart->name == "second-child");
  };
  ChartLoadOptions both;
  both.scan_root = siblings.string();
  check_both_read(both);
  scratch.file("siblings/.git/HEAD", "ref: refs/heads/main\n");
  check_both_read(only_parent);
}

TEST_CASE("helm check: findings inside `include ... | fromYaml | toYaml` point into the helper", "[helm][check]") {
  // traefik's layout: `template: {{ include "x.pod" . | fromYaml | toYaml | nindent 4 }}`. The
  // parsed values keep the helper's lines (and the values lines behind them), so the findings land
  // in _pod.tpl, not all on the include line.
  CheckOutcome outcome = check_chart(kCharts / "round-trip");
  REQUIRE(outcome.summary.findings.size() == 3);
  const Finding& image = outcome.summary.findings[0];
  CHECK(image.rule_id == "K8S011");
  CHECK(image.location.path == "templates/_pod.tpl");
  CHECK(image.location.span.begin.line == 8);
  CHECK(image.location.span.begin.column == 14);
  REQUIRE(image.related.size() == 1);
  CHECK(image.related[0].location.path == "values.yaml");
  CHECK(image.related[0].location.span.begin.line == 3);  // `tag: latest`
  const Finding& probe = outcome.summary.findings[1];
  CHECK(probe.rule_id == "K8S007");
  CHECK(probe.location.path == "templates/_pod.tpl");
  CHECK(probe.location.span.begin.line == 9);
  CHECK(probe.location.span.begin.column == 7);
  CHECK(probe.related.empty());  // the probe is written in the helper, not taken from values
  const Finding& state = outcome.summary.findings[2];
  CHECK(state.rule_id == "K8S004");
  CHECK(state.location.path == "templates/_pod.tpl");
  CHECK(state.location.span.begin.line == 14);
  REQUIRE(state.related.size() == 1);
  CHECK(state.related[0].location.path == "templates/_pod.tpl");
  // toYaml sorts the volume's keys: its first line is now `emptyDir`, inside the same entry.
  CHECK(state.related[0].location.span.begin.line == 17);
}

TEST_CASE("helm render: one subchart used by two dependencies under two aliases renders twice", "[helm][render]") {
  // Two Redis instances from one charts/redis, as `helm template` renders them: each alias is a
  // chart of its own, with its own values from the parent.
  Rendered queue = render_fixture("two-aliases");
  for (const ChartProblem& problem : queue.loaded.problems) FAIL(problem.message);
  for (const ChartProblem& problem : queue.rendering.problems) FAIL(problem.message);
  CHECK(queue.output.find("  name: release-name-cache\ndata:\n  maxmemory: \"256mb\"\n") != std::string::npos);
  CHECK(queue.output.find("  name: release-name-sessions\ndata:\n  maxmemory: \"64mb\"\n") != std::string::npos);
  CHECK(queue.output.find("  subcharts: \"cache,sessions\"\n") != std::string::npos);
}

TEST_CASE("helm check: a finding in one range iteration names that iteration's value only", "[helm][check]") {
  CheckOutcome outcome = check_chart(kCharts / "range-workers");
  REQUIRE(outcome.summary.findings.size() == 1);
  const Finding& finding = outcome.summary.findings[0];
  CHECK(finding.rule_id == "K8S003");
  CHECK(finding.message.find("Deployment \"reports\"") != std::string::npos);
  CHECK(finding.location.path == "templates/workers.yaml");
  REQUIRE(finding.related.size() == 1);
  CHECK(finding.related[0].location.path == "values.yaml");
  CHECK(finding.related[0].location.span.begin.line == 8);  // reports.grace, not mailer.grace (line 5)
  CHECK(finding.related[0].message == "the value comes from here");
}
