// Argo CD's parameter overrides kept beside a source folder (project/argo_source.h), and a chart
// rendered with them (engine/helm_settings.h).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analyzer/engine/helm_settings.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/project/argo_source.h"
#include "tests/unit/scratch_folder.h"

using namespace shiftlint;

namespace {

std::vector<std::string> parameter_texts(const ArgoSourceOverrides& overrides) {
  std::vector<std::string> texts;
  for (const ArgoSourceOverrides::HelmParameter& parameter : overrides.helm_parameters)
    texts.push_back(parameter.name + "=" + parameter.value + (parameter.force_string ? " (string)" : ""));
  return texts;
}

}  // namespace

TEST_CASE("argo source: the shared file, then the one application's, merged by parameter name", "[argo]") {
  testing::ScratchFolder scratch("shiftlint-argo");
  scratch.file("chart/.argocd-source.yaml",
               "helm:\n  parameters:\n  - name: image.tag\n    value: latest\n  - name: replicaCount\n    value: 2\n"
               "kustomize:\n  images:\n  - web:1.0\n");
  scratch.file("chart/.argocd-source-web-prod.yaml",
               "helm:\n  parameters:\n  - name: image.tag\n    value: \"1.10\"\n    forcestring: true\n"
               "  - name: broken\n  - value: no-name\n");
  ArgoSourceOverrides overrides = read_argo_source_overrides(scratch.path("chart"), "deploy/chart", LoadLimits{});
  // The application's image.tag replaces the shared one and comes last; entries without a name or
  // a value are skipped.
  CHECK(parameter_texts(overrides) == std::vector<std::string>{"replicaCount=2", "image.tag=1.10 (string)"});
  REQUIRE(overrides.kustomize_images.size() == 1);
  CHECK(overrides.kustomize_images[0].argument == "web:1.0");
  CHECK(overrides.kustomize_images[0].location.path == "deploy/chart/.argocd-source.yaml");
  CHECK(overrides.kustomize_images[0].location.span.begin.line == 9);
  REQUIRE(overrides.helm_parameters.back().value_node != nullptr);
  CHECK(overrides.helm_parameters.back().value_node->file->display_path() == "deploy/chart/.argocd-source-web-prod.yaml");

  // A second application's file: each application deploys its own, so only the shared file counts.
  scratch.file("chart/.argocd-source-web-staging.yaml", "helm:\n  parameters:\n  - name: image.tag\n    value: \"2.0\"\n");
  CHECK(parameter_texts(read_argo_source_overrides(scratch.path("chart"), "", LoadLimits{})) ==
        std::vector<std::string>{"image.tag=latest", "replicaCount=2"});

  // Nothing there, a file that does not parse, a FIFO with the name: no overrides, no wait.
  CHECK(read_argo_source_overrides(scratch.path("missing"), "", LoadLimits{}).empty());
  scratch.file("broken/.argocd-source.yaml", "helm: [unclosed\n");
  CHECK(read_argo_source_overrides(scratch.path("broken"), "", LoadLimits{}).empty());
  std::string fifo_folder = scratch.path("fifo");
  scratch.file("fifo/values.yaml", "a: 1\n");
  REQUIRE(mkfifo((fifo_folder + "/.argocd-source.yaml").c_str(), 0600) == 0);
  CHECK(read_argo_source_overrides(fifo_folder, "", LoadLimits{}).empty());
}

TEST_CASE("argo source: a chart renders with the parameters kept beside it, typed as --set types them", "[argo][helm]") {
  testing::ScratchFolder scratch("shiftlint-argo");
  scratch.file("web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  scratch.file("web/values.yaml", "tag: latest\nreplicas: 1\nflag: false\n");
  scratch.file("web/templates/out.yaml",
               "kind: ConfigMap\ndata:\n  tag: {{ .Values.tag | quote }}\n  replicas: {{ kindIs \"string\" .Values.replicas | quote }}\n"
               "  flag: {{ kindIs \"string\" .Values.flag | quote }}\n  list: {{ index .Values.ports 1 | quote }}\n");
  scratch.file("web/.argocd-source-web.yaml",
               "helm:\n  parameters:\n  - name: tag\n    value: \"1.10\"\n    forcestring: true\n"
               "  - name: replicas\n    value: \"3\"\n  - name: flag\n    value: \"true\"\n    forcestring: true\n"
               "  - name: ports[1]\n    value: \"8443\"\n  - name: bad[key\n    value: x\n");
  helm::LoadedChart loaded = helm::load_chart(scratch.path("web"), "web", {});
  REQUIRE(loaded.chart);
  helm::UserValues values;
  std::vector<std::string> warnings;
  ArgoSourceOverrides kept = apply_argo_parameters(scratch.path("web"), "web", LoadLimits{}, values, warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].starts_with("web/.argocd-source-web.yaml: the Argo CD parameter bad[key is not applied"));
  helm::ChartRendering rendering = helm::render_chart(*loaded.chart, values, {});
  REQUIRE(rendering.manifests.size() == 1);
  const std::string& text = rendering.manifests[0].text.text;
  CHECK(text.find("tag: \"1.10\"") != std::string::npos);      // --set-string keeps it as written
  CHECK(text.find("replicas: \"false\"") != std::string::npos);  // --set makes "3" a number
  CHECK(text.find("flag: \"true\"") != std::string::npos);       // forcestring: "true" stays a string
  CHECK(text.find("list: \"8443\"") != std::string::npos);
}
