// The Helm releases of Skaffold configurations (project/skaffold_index.h): which release deploys a
// chart folder, and the chart rendered with its values files, --set values, name and namespace
// (engine/helm_settings.h), as `skaffold deploy` renders it.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analyzer/engine/helm_settings.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/project/skaffold_index.h"
#include "analyzer/source/discovery.h"
#include "tests/unit/scratch_folder.h"

using namespace shiftlint;

namespace {

std::vector<std::string> setting_texts(const SkaffoldRelease& release) {
  std::vector<std::string> texts;
  for (const SkaffoldRelease::Setting& setting : release.settings)
    texts.push_back(setting.key + "=" + setting.value->text + (setting.as_string ? " (string)" : ""));
  return texts;
}

}  // namespace

TEST_CASE("skaffold releases: the one release that deploys a chart folder, with what it sets", "[skaffold][helm]") {
  testing::ScratchFolder scratch("shiftlint-skaffold-release");
  scratch.file("shop/skaffold.yaml",
               "apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: web-app\n"
               "deploy:\n  helm:\n    releases:\n    - name: web\n      chartPath: charts/web\n"
               "      namespace: shop\n      valuesFiles:\n      - charts/web/values-dev.yaml\n"
               "      - \"{{.ENV}}.yaml\"\n"
               "      setValues:\n        replicas: 2\n        image:\n          tag: \"1.4\"\n"
               "      setValueTemplates:\n        image.repository: \"{{.IMAGE_REPO_web_app}}\"\n        region: eu\n"
               "      artifactOverrides:\n        sidecar: web-app\n"
               "    - name: remote\n      remoteChart: bitnami/redis\n"
               "manifests:\n  helm:\n    releases:\n    - name: web\n      chartPath: charts/web\n"
               "profiles:\n  - name: prod\n    deploy:\n      helm:\n        releases:\n"
               "        - name: only-in-prod\n          chartPath: charts/api\n");
  scratch.file("shop/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  scratch.file("shop/charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.0.0\n");
  // Two releases deploy one chart: which values apply depends on which one runs.
  scratch.file("twice/skaffold.yaml", "apiVersion: skaffold/v4beta14\nkind: Config\ndeploy:\n  helm:\n    releases:\n"
                                      "    - name: a\n      chartPath: chart\n    - name: b\n      chartPath: ./chart/\n");
  scratch.file("twice/chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 1.0.0\n");
  std::vector<DiscoveredFile> files = discover({scratch.path()}, {}).files;
  SkaffoldIndex index(LoadLimits{}, files);

  size_t deployments = 0;
  const SkaffoldRelease* web = index.release_of(scratch.path("shop/charts/web"), &deployments);
  REQUIRE(web);
  CHECK(deployments == 1);  // deploy.helm and manifests.helm name the same release: the deployer's counts
  CHECK(web->configuration == "shop/skaffold.yaml");
  CHECK(web->name == "web");
  CHECK(web->namespace_name == "shop");
  REQUIRE(web->values_files.size() == 1);
  CHECK(web->values_files[0].path == scratch.path("shop/charts/web/values-dev.yaml"));
  CHECK(web->values_files[0].display_path == "shop/charts/web/values-dev.yaml");
  CHECK(setting_texts(*web) ==
        std::vector<std::string>{"replicas=2", "image.tag=1.4", "region=eu", "sidecar=web-app (string)"});
  CHECK(web->skipped == std::vector<std::string>{"{{.ENV}}.yaml", "image.repository"});
  CHECK_FALSE(index.release_of(scratch.path("shop/charts/api")));  // only a profile deploys it
  CHECK_FALSE(index.release_of(scratch.path("twice/chart"), &deployments));
  CHECK(deployments == 2);
  CHECK_FALSE(index.release_of(scratch.path("shop/charts")));
}

TEST_CASE("skaffold releases: a chart renders with the release's values files, values and names", "[skaffold][helm]") {
  testing::ScratchFolder scratch("shiftlint-skaffold-release");
  scratch.file("skaffold.yaml", "apiVersion: skaffold/v2beta29\nkind: Config\ndeploy:\n  helm:\n    releases:\n"
                                "    - name: shop-web\n      chartPath: web\n      namespace: shop\n"
                                "      valuesFiles: [web/values-dev.yaml, missing.yaml, fifo.yaml, outside.yaml, web/values-big.yaml,\n"
                                "                    web/values-big.yaml]\n"
                                "      setValues:\n        tag: \"1.10\"\n        replicas: \"3\"\n        bad[key: x\n");
  scratch.file("web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  scratch.file("web/values.yaml", "tag: latest\nreplicas: 1\nlevel: info\n");
  scratch.file("web/values-dev.yaml", "level: debug\n");
  // The same big file named again and again: read while the release's files stay within 8 MiB.
  scratch.file("web/values-big.yaml", "padding: \"" + std::string(5u << 20, 'x') + "\"\n");
  // A hostile configuration: a FIFO would block the open, a link leads out of the scanned folder.
  REQUIRE(::mkfifo(scratch.path("fifo.yaml").c_str(), 0600) == 0);
  testing::ScratchFolder elsewhere("shiftlint-skaffold-elsewhere");
  elsewhere.file("values.yaml", "level: leaked\n");
  REQUIRE(::symlink(elsewhere.path("values.yaml").c_str(), scratch.path("outside.yaml").c_str()) == 0);
  scratch.file("web/templates/out.yaml",
               "kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\n"
               "data:\n  tag: {{ .Values.tag | quote }}\n  replicas: {{ kindIs \"string\" .Values.replicas | quote }}\n"
               "  level: {{ .Values.level }}\n");
  std::vector<DiscoveredFile> files = discover({scratch.path()}, {}).files;
  SkaffoldIndex index(LoadLimits{}, files);
  const SkaffoldRelease* release = index.release_of(scratch.path("web"));
  REQUIRE(release);
  helm::LoadedChart loaded = helm::load_chart(scratch.path("web"), "web", {});
  REQUIRE(loaded.chart);
  helm::UserValues values;
  helm::RenderOptions options;
  std::vector<std::string> warnings;
  apply_skaffold_release(*release, scratch.path(), values, options, warnings);
  REQUIRE(warnings.size() == 5);
  CHECK(warnings[0] == "skaffold.yaml: the values file missing.yaml of the release shop-web cannot be read");
  CHECK(warnings[1] == "skaffold.yaml: the values file fifo.yaml of the release shop-web is not a regular file: not read");
  CHECK(warnings[2] == "skaffold.yaml: the values file outside.yaml of the release shop-web is outside the scanned folder and the git repository it is in: not read");
  CHECK(warnings[3] == "skaffold.yaml: the values file web/values-big.yaml of the release shop-web would take the "
                       "release's values files past 8 MiB in all: not read");
  CHECK(warnings[4].starts_with("skaffold.yaml: the value bad[key of the release shop-web is not applied"));
  CHECK(options.release_name == "shop-web");
  CHECK(options.namespace_name == "shop");
  helm::ChartRendering rendering = helm::render_chart(*loaded.chart, values, options);
  REQUIRE(rendering.manifests.size() == 1);
  const std::string& text = rendering.manifests[0].text.text;
  CHECK(text.find("name: shop-web") != std::string::npos);
  CHECK(text.find("namespace: shop") != std::string::npos);
  CHECK(text.find("tag: \"1.10\"") != std::string::npos);        // --set keeps what is no integer or boolean as text
  CHECK(text.find("replicas: \"false\"") != std::string::npos);  // --set makes "3" a number
  CHECK(text.find("level: debug") != std::string::npos);         // the release's values file over values.yaml
}
