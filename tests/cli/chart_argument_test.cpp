// A path inside a Helm chart given to `check` (what the pre-commit hook passes when only a template,
// values.yaml or a subchart changed) lints the whole chart, rendered, with the findings
// `check <chart>` gives.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "tests/cli/process.h"

using shiftlint::testing::run_shiftlint;
using shiftlint::testing::TemporaryFolder;

namespace {

// A repository with one chart: the web Deployment's image tag is `latest` (K8S011), set in
// values.yaml; the worker subchart's image comes from the parent's values.yaml.
void write_repository(const TemporaryFolder& folder) {
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  folder.write("charts/web/values.yaml",
               "image:\n  repository: registry.example.com/web\n  tag: latest\n"
               "worker:\n  image: registry.example.com/worker:latest\n");
  folder.write("charts/web/templates/_helpers.tpl", "{{- define \"web.name\" -}}{{ .Release.Name }}-web{{- end -}}\n");
  folder.write("charts/web/templates/deployment.yaml",
               "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata:\n"
               "  name: {{ include \"web.name\" . }}\n"
               "spec:\n"
               "  selector:\n"
               "    matchLabels: {app: web}\n"
               "  template:\n"
               "    metadata:\n"
               "      labels: {app: web}\n"
               "    spec:\n"
               "      containers:\n"
               "        - name: web\n"
               "          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n");
  folder.write("charts/web/charts/worker/Chart.yaml", "apiVersion: v2\nname: worker\nversion: 1.0.0\n");
  folder.write("charts/web/charts/worker/templates/deployment.yaml",
               "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata:\n"
               "  name: worker\n"
               "spec:\n"
               "  selector:\n"
               "    matchLabels: {app: worker}\n"
               "  template:\n"
               "    metadata:\n"
               "      labels: {app: worker}\n"
               "    spec:\n"
               "      containers:\n"
               "        - name: worker\n"
               "          image: {{ .Values.image | quote }}\n");
}

using Place = std::tuple<std::string, std::string, int>;  // rule, path, line

// The findings of a JSON report, with `prefix` taken off their paths (a run from the repository
// root shows charts/web/templates/..., a run on the chart templates/...).
std::set<Place> places(const std::string& report, const std::string& prefix = "") {
  std::set<Place> found;
  const nlohmann::json parsed = nlohmann::json::parse(report);
  for (const nlohmann::json& finding : parsed.at("findings")) {
    std::string path = finding.at("path").get<std::string>();
    if (!prefix.empty() && path.starts_with(prefix)) path.erase(0, prefix.size());
    found.insert({finding.at("rule_id").get<std::string>(), path, finding.at("line").get<int>()});
  }
  return found;
}

}  // namespace

TEST_CASE("cli: a template file or values.yaml or the templates folder as argument lints its whole chart") {
  TemporaryFolder folder;
  write_repository(folder);
  auto whole = run_shiftlint({"check", "charts/web", "--format", "json"}, folder.path());
  REQUIRE(whole.exit_code == 1);
  const std::set<Place> expected = {{"K8S011", "templates/deployment.yaml", 14},
                                    {"K8S011", "charts/worker/templates/deployment.yaml", 14}};
  // Named from the working directory, as typed.
  CHECK(places(whole.out, "charts/web/") == expected);
  CHECK(places(whole.out).count({"K8S011", "charts/web/templates/deployment.yaml", 14}) == 1);

  // Paths stay relative to the repository, as a full run from there shows them (a baseline written
  // by `check .` still matches in the hook).
  auto from_template = run_shiftlint({"check", "charts/web/templates/deployment.yaml", "--format", "json"}, folder.path());
  CHECK(from_template.exit_code == 1);
  CHECK(places(from_template.out, "charts/web/") == expected);
  CHECK(places(from_template.out).count({"K8S011", "charts/web/templates/deployment.yaml", 14}) == 1);

  auto from_values = run_shiftlint({"check", "charts/web/values.yaml", "--format", "json"}, folder.path());
  CHECK(from_values.exit_code == 1);
  CHECK(places(from_values.out, "charts/web/") == expected);

  auto from_helpers = run_shiftlint({"check", "charts/web/templates/_helpers.tpl"}, folder.path());
  CHECK(from_helpers.exit_code == 1);
  CHECK(from_helpers.out.find("charts/web/templates/deployment.yaml:14:") != std::string::npos);

  // A folder inside the chart counts as the chart folder: the same report as `check charts/web`.
  auto from_templates_folder = run_shiftlint({"check", "charts/web/templates", "--format", "json"}, folder.path());
  CHECK(from_templates_folder.exit_code == 1);
  CHECK(places(from_templates_folder.out, "charts/web/") == expected);
  auto text_whole = run_shiftlint({"check", "charts/web"}, folder.path());
  auto text_from_folder = run_shiftlint({"check", "charts/web/templates"}, folder.path());
  CHECK(text_from_folder.out == text_whole.out);
  CHECK(text_from_folder.out.find("0 files") == std::string::npos);

  // Run from inside the chart, the chart above the current folder is still found; its files are
  // named from there.
  auto from_inside = run_shiftlint({"check", "deployment.yaml"}, folder.path() + "/charts/web/templates");
  CHECK(from_inside.exit_code == 1);
  CHECK(from_inside.out.starts_with("../charts/worker/templates/deployment.yaml:14:18: "));
  CHECK(from_inside.out.find("\ndeployment.yaml:14:") != std::string::npos);
}

TEST_CASE("cli: a subchart's file or folder argument lints the parent chart that renders it") {
  TemporaryFolder folder;
  write_repository(folder);
  // The worker's image is set by the parent's values.yaml: only the parent's render shows it.
  for (const std::string& path : {std::string("charts/web/charts/worker"),
                                  std::string("charts/web/charts/worker/templates/deployment.yaml"),
                                  std::string("charts/web/charts/worker/Chart.yaml")}) {
    INFO(path);
    auto result = run_shiftlint({"check", path, "--format", "json"}, folder.path());
    CHECK(result.exit_code == 1);
    CHECK(places(result.out, "charts/web/").count({"K8S011", "charts/worker/templates/deployment.yaml", 14}) == 1);
    CHECK(places(result.out, "charts/web/").count({"K8S011", "templates/deployment.yaml", 14}) == 1);
  }
}

TEST_CASE("cli: a file beside a chart, not in it, is linted alone") {
  TemporaryFolder folder;
  write_repository(folder);
  folder.write("deploy/task.json", "{\"family\": \"api\", \"containerDefinitions\": []}\n");
  auto result = run_shiftlint({"check", "deploy/task.json"}, folder.path());
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("in 1 file") != std::string::npos);
}

TEST_CASE("cli: render shows a chart as the Skaffold release that deploys it renders it") {
  TemporaryFolder folder;
  // A repository in repo/; the configuration above it is not this repository's: not read.
  folder.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  folder.write("repo/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  folder.write("repo/charts/web/values.yaml", "image: registry.example.com/web:latest\n");
  folder.write("repo/charts/web/templates/configmap.yaml",
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\n"
               "data:\n  image: {{ .Values.image | quote }}\n");
  folder.write("skaffold.yaml", "apiVersion: skaffold/v4beta14\nkind: Config\ndeploy:\n  helm:\n    releases:\n"
                                "    - name: elsewhere\n      chartPath: repo/charts/web\n");
  std::string repository = folder.path() + "/repo";
  auto plain = run_shiftlint({"render", "charts/web"}, repository);
  CHECK(plain.exit_code == 0);
  CHECK(plain.out.find("image: \"registry.example.com/web:latest\"") != std::string::npos);
  CHECK(plain.out.find("name: release-name-web") != std::string::npos);

  folder.write("repo/skaffold.yaml", "apiVersion: skaffold/v4beta14\nkind: Config\ndeploy:\n  helm:\n    releases:\n"
                                     "    - name: shop\n      chartPath: charts/web\n      setValues:\n"
                                     "        image: registry.example.com/web:3.1.0\n");
  for (const std::string& directory : {repository, repository + "/charts"}) {
    INFO(directory);
    std::string chart = directory == repository ? "charts/web" : "web";
    auto result = run_shiftlint({"render", chart}, directory);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("image: \"registry.example.com/web:3.1.0\"") != std::string::npos);
    CHECK(result.out.find("name: shop-web") != std::string::npos);
    CHECK(result.err.find("rendered as the release shop of") != std::string::npos);
    // The command line has the last word.
    auto named = run_shiftlint({"render", chart, "--release-name", "mine", "--set", "image=x:9"}, directory);
    CHECK(named.out.find("name: mine-web") != std::string::npos);
    CHECK(named.out.find("image: \"x:9\"") != std::string::npos);
  }
}

TEST_CASE("cli: a chart that is also an umbrella chart's file:// dependency has its findings reported once") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  // The orders chart, linted on its own; its test Pod's image has no tag.
  folder.write("src/orders/chart/Chart.yaml", "apiVersion: v2\nname: orders\nversion: 1.0.0\n");
  folder.write("src/orders/chart/values.yaml", "name: orders\nimage:\n  tag: \"1.4.2\"\n");
  folder.write("src/orders/chart/templates/tests/test-connection.yaml",
               "apiVersion: v1\n"
               "kind: Pod\n"
               "metadata:\n"
               "  name: \"{{ .Values.name }}-test-connection\"\n"
               "spec:\n"
               "  containers:\n"
               "    - name: wget\n"
               "      image: busybox\n"
               "      command: ['wget', 'orders:80']\n"
               "  restartPolicy: Never\n");
  folder.write("src/orders/chart/templates/deployment.yaml",
               "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata:\n"
               "  name: \"{{ .Release.Name }}-orders\"\n"
               "spec:\n"
               "  selector:\n"
               "    matchLabels: {app: orders}\n"
               "  template:\n"
               "    metadata:\n"
               "      labels: {app: orders}\n"
               "    spec:\n"
               "      containers:\n"
               "        - name: orders\n"
               "          image: \"registry.example.com/orders:{{ .Values.image.tag }}\"\n");
  // The umbrella renders orders again, with its own values: another name, and the tag `latest`.
  folder.write("src/app/chart/Chart.yaml",
               "apiVersion: v2\nname: app\nversion: 1.0.0\n"
               "dependencies:\n"
               "  - name: orders\n"
               "    version: 1.0.0\n"
               "    repository: file://../../orders/chart\n");
  folder.write("src/app/chart/values.yaml", "orders:\n  name: shop-orders\n  image:\n    tag: latest\n");

  auto run = run_shiftlint({"check", ".", "--select", "K8S011", "--format", "json"}, folder.path());
  INFO(run.out << run.err);
  std::multiset<std::pair<std::string, int>> found;
  const nlohmann::json report = nlohmann::json::parse(run.out);
  for (const nlohmann::json& finding : report.at("findings"))
    found.insert({finding.at("path").get<std::string>(), finding.at("line").get<int>()});
  // The test Pod's busybox: once, though both renderings make it (naming the Pod each its own way).
  CHECK(found.count({"src/orders/chart/templates/tests/test-connection.yaml", 8}) == 1);
  // The Deployment's `latest` only the umbrella's values give: still reported, at the template line.
  CHECK(found.count({"src/orders/chart/templates/deployment.yaml", 14}) == 1);
  CHECK(found.size() == 2);
}

TEST_CASE("cli: a values file the config names is named from where the run looks, above the chart too") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write(".shiftlint.yaml", "helm:\n  values: [deploy/values-prod.yaml]\n");
  folder.write("deploy/values-prod.yaml", "image:\n  tag: latest\n");
  folder.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  folder.write("chart/values.yaml", "image:\n  repository: nginx\n  tag: \"1.27\"\n");
  folder.write("chart/templates/deployment.yaml",
               "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata:\n"
               "  name: web\n"
               "spec:\n"
               "  replicas: 2\n"
               "  selector: {matchLabels: {app: web}}\n"
               "  template:\n"
               "    metadata: {labels: {app: web}}\n"
               "    spec:\n"
               "      containers:\n"
               "        - name: web\n"
               "          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n");
  // The K8S011 finding's related location is the values file's `tag: latest` line, wherever the
  // run starts: a path that opens that file from the working directory.
  auto related_path = [&](const std::string& directory, const std::string& argument) {
    auto result = run_shiftlint({"check", argument, "--select", "K8S011", "--format", "json"}, directory);
    const nlohmann::json report = nlohmann::json::parse(result.out);
    REQUIRE(report.at("findings").size() == 1);
    REQUIRE(report.at("findings")[0].at("related").size() >= 1);
    return report.at("findings")[0].at("related")[0].at("path").get<std::string>();
  };
  CHECK(related_path(folder.path(), ".") == "deploy/values-prod.yaml");
  CHECK(related_path(folder.path(), "chart") == "deploy/values-prod.yaml");
  CHECK(related_path(folder.path() + "/chart", ".") == "../deploy/values-prod.yaml");
}
