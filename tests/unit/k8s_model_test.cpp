#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/detect/sidecar.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/model/k8s/container_process.h"
#include "analyzer/model/k8s/extract.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/project/kubernetes_neighbours.h"
#include "analyzer/source/classify.h"
#include "analyzer/source/kubernetes_manifest.h"
#include "tests/unit/terraform_test_support.h"

using namespace shiftlint;

namespace {

struct Loaded {
  Document document;
  k8s::Manifests manifests;
};

std::unique_ptr<Loaded> load(std::string text) {
  auto loaded = std::make_unique<Loaded>();
  loaded->document = load_yaml(std::make_shared<SourceFile>("test.yaml", "test.yaml", std::move(text)));
  INFO((loaded->document.errors.empty() ? std::string() : loaded->document.errors.front().message));
  REQUIRE(loaded->document.ok());
  std::vector<const Node*> roots;
  for (const Node& root : loaded->document.roots) roots.push_back(&root);
  loaded->manifests = k8s::extract_manifests(roots);
  return loaded;
}

}  // namespace

TEST_CASE("k8s model: each workload kind finds its pod spec") {
  auto loaded = load(R"(apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 90
          containers:
            - name: report
              image: shop:1.0
---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  restartPolicy: Never
  containers:
    - {name: shell, image: busybox:1.36}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - {name: db, image: postgres:16}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-the-built-in-one}
spec: {template: {spec: {containers: [{name: x, image: y}]}}}
)");
  const auto& workloads = loaded->manifests.workloads;
  REQUIRE(workloads.size() == 3);
  CHECK(workloads[0].kind == k8s::WorkloadKind::CronJob);
  CHECK(workloads[0].termination_grace_period_seconds->as_integer() == 90);
  CHECK(workloads[0].containers.at(0).name_text() == "report");
  CHECK(workloads[0].runs_to_completion());
  CHECK(workloads[1].kind == k8s::WorkloadKind::Pod);
  CHECK(workloads[1].runs_to_completion());
  CHECK(workloads[2].kind == k8s::WorkloadKind::StatefulSet);
  CHECK(workloads[2].max_replicas() == 3);
  CHECK_FALSE(workloads[2].runs_to_completion());
}

TEST_CASE("k8s model: List items, native sidecars, env and volumes") {
  auto loaded = load(R"(apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      template:
        spec:
          initContainers:
            - {name: shipper, image: fluent/fluent-bit:3.0, restartPolicy: Always}
            - {name: migrate, image: shop:1.0, command: [bin/rails, "db:migrate"]}
          containers:
            - name: web
              image: shop:1.0
              command: [sh, -c]
              args: ["exec puma"]
              env:
                - {name: A, value: "1"}
                - name: B
                  valueFrom: {secretKeyRef: {name: s, key: b}}
              volumeMounts:
                - {name: cache, mountPath: /cache}
          volumes:
            - name: cache
              emptyDir: {sizeLimit: 1Gi}
)");
  REQUIRE(loaded->manifests.workloads.size() == 1);
  const k8s::Workload& web = loaded->manifests.workloads[0];
  REQUIRE(web.init_containers.size() == 2);
  CHECK(web.init_containers[0].is_native_sidecar());
  CHECK(web.init_containers[0].is_long_running());
  CHECK_FALSE(web.init_containers[1].is_long_running());
  const k8s::Container& container = web.containers.at(0);
  CHECK(container.command_line() == std::vector<std::string>{"sh", "-c", "exec puma"});
  auto environment = k8s::environment_of(container);
  REQUIRE(environment.size() == 2);
  CHECK(environment[0].value == "1");
  CHECK_FALSE(environment[1].value.has_value());
  const k8s::Volume* cache = web.find_volume("cache");
  REQUIRE(cache);
  CHECK(cache->source == k8s::VolumeSource::EmptyDir);
  CHECK(cache->size_limit->text == "1Gi");
  CHECK(container.find_mount("cache")->mount_path->text == "/cache");
  CHECK(k8s::commands_run(container) == std::vector<std::vector<std::string>>{{"puma"}});
}

TEST_CASE("k8s model: autoscalers and claims link by kind, name and namespace") {
  auto loaded = load(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: w, image: shop:1.0}]
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: data}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: worker}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  maxReplicas: 4
  metrics:
    - type: Resource
      resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: other-namespace, namespace: billing}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  maxReplicas: 40
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker-queue}
spec:
  scaleTargetRef: {name: worker}
  maxReplicaCount: 6
  triggers:
    - type: aws-sqs-queue
      metadata: {queueURL: x}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
)");
  REQUIRE(loaded->manifests.workloads.size() == 1);
  const k8s::Workload& worker = loaded->manifests.workloads[0];
  REQUIRE(worker.autoscalers.size() == 2);
  CHECK(worker.autoscalers[0]->scales_on_resources_only());
  CHECK(worker.autoscalers[0]->metrics.at(0).kind == k8s::MetricKind::Memory);
  CHECK(worker.autoscalers[1]->kind == "ScaledObject");
  CHECK_FALSE(worker.autoscalers[1]->scales_on_resources_only());
  CHECK(worker.max_replicas() == 6);
  REQUIRE(worker.volumes.size() == 1);
  REQUIRE(worker.volumes[0].claim);
  CHECK(worker.volumes[0].claim->is_read_write_once());
}

TEST_CASE("k8s classify: manifests by content, chart templates and values by place") {
  CHECK(looks_like_kubernetes_yaml("# c\n---\napiVersion: v1\nkind: Service\n"));
  CHECK_FALSE(looks_like_kubernetes_yaml("services:\n  web:\n    image: x\n"));
  CHECK_FALSE(looks_like_kubernetes_yaml("spec:\n  apiVersion: v1\n  kind: Pod\n"));
  // The kind indented by mistake under a top-level apiVersion: a broken manifest, not some other YAML.
  CHECK(looks_like_kubernetes_yaml("apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n"));
  CHECK_FALSE(looks_like_kubernetes_yaml("apiVersion: v2\nname: chart\nversion: 1.0.0\n"));
  // Flow style, and JSON saved as .yaml (kubernetes/website's logging examples), as kubectl reads them.
  CHECK(looks_like_kubernetes_yaml("---\n{\n  apiVersion: \"v1\",\n  kind: \"Pod\",\n  metadata: { name: \"c\" }\n}\n"));
  CHECK(looks_like_kubernetes_yaml("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {}}\n"));
  CHECK(looks_like_kubernetes_yaml("# a pod\n{apiVersion: v1,kind: Pod}\n"));
  CHECK_FALSE(looks_like_kubernetes_yaml("{services: {web: {image: x}}}\n"));
  CHECK_FALSE(looks_like_kubernetes_yaml("{\"apiVersionNumber\": 2, \"kinds\": []}\n"));
  CHECK_FALSE(looks_like_kubernetes_yaml("name: x\n{apiVersion: v1, kind: Pod}\n"));
  CHECK(classify("logging/two-files-counter-pod.yaml", "---\n{apiVersion: v1, kind: Pod}\n") == FileKind::KubernetesManifest);
  // Manifests a pipeline fills in with envsubst are read; Go and Jinja templates are not.
  constexpr const char* placeholders = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: ${REPLICAS}\n";
  CHECK(classify("k8s/deployment.yaml.template", placeholders) == FileKind::KubernetesManifest);
  CHECK(classify("k8s/deployment.yml.tmpl", placeholders) == FileKind::KubernetesManifest);
  CHECK(classify("k8s/deployment.yaml.tpl", placeholders) == FileKind::KubernetesManifest);
  CHECK(is_candidate_name("k8s/deployment.yaml.tmpl"));
  CHECK(classify("k8s/deployment.yaml.j2", placeholders) == FileKind::Unknown);
  CHECK(classify("k8s/deployment.yaml.tmpl", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Replicas }}\n") ==
        FileKind::Unknown);
  CHECK(classify("k8s/deployment.yaml.template", "apiVersion: v1\nkind: Pod\nspec: {% raw %}\n") == FileKind::Unknown);
  CHECK(classify("k8s/web.yaml", "apiVersion: apps/v1\nkind: Deployment\n") == FileKind::KubernetesManifest);
  CHECK(classify("chart/values.yaml", "image: {tag: x}\n") == FileKind::HelmValues);
  CHECK(classify("ci/values.json", "{}") == FileKind::Unknown);
  // JSON manifests: the object's own apiVersion and kind (or a List's items, which `kubectl get -o
  // json` writes before its kind), not keys nested in it.
  CHECK(classify("k8s/web.json", "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"spec\": {}}") ==
        FileKind::KubernetesManifestJson);
  CHECK(classify("dump/all.json", "{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n    {\"kind\": \"Pod\"") ==
        FileKind::KubernetesManifestJson);
  CHECK(looks_like_kubernetes_json("{\"kind\":\"Ingress\",\"apiVersion\":\"networking.k8s.io/v1beta1\"}"));
  CHECK_FALSE(looks_like_kubernetes_json(
      "{\"$schema\": \"x\", \"resources\": [{\"apiVersion\": \"2019-04-01\", \"kind\": \"StorageV2\"}]}"));
  CHECK_FALSE(looks_like_kubernetes_json("{\"apiVersion\": \"2019-04-01\", \"kind\": \"x\"}"));
  CHECK_FALSE(looks_like_kubernetes_json("{\"name\": \"app\", \"kind\": \"x\"}"));
  CHECK_FALSE(looks_like_kubernetes_json("[{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}]"));
  CHECK(syntax_of(FileKind::KubernetesManifestJson) == Syntax::Json);
  CHECK(refine_by_location(FileKind::KubernetesManifestJson, "/repo/chart/templates/x.json") ==
        FileKind::KubernetesManifestJson);

  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "shiftlint-k8s-classify-test";
  fs::remove_all(root);
  fs::create_directories(root / "chart" / "templates" / "sub");
  fs::create_directories(root / "plain" / "templates");
  std::ofstream(root / "chart" / "Chart.yaml") << "apiVersion: v2\nname: c\nversion: 0.1.0\n";
  CHECK(in_helm_chart_templates((root / "chart" / "templates" / "deployment.yaml").string()));
  CHECK(in_helm_chart_templates((root / "chart" / "templates" / "sub" / "deployment.yaml").string()));
  CHECK_FALSE(in_helm_chart_templates((root / "plain" / "templates" / "deployment.yaml").string()));
  CHECK(refine_by_location(FileKind::HelmValues, (root / "chart" / "values.yaml").string()) == FileKind::HelmValues);
  CHECK(refine_by_location(FileKind::HelmValues, (root / "plain" / "values.yaml").string()) == FileKind::Unknown);
  fs::remove_all(root);
}

TEST_CASE("sidecar detection: proxies, shippers, agents and keep-alives, not apps") {
  using detect::SidecarKind;
  CHECK(detect::detect_sidecar("nginx:1.25", {})->kind == SidecarKind::ReverseProxy);
  CHECK(detect::detect_sidecar("nginxinc/nginx-unprivileged:1.25", {})->kind == SidecarKind::ReverseProxy);
  CHECK(detect::detect_sidecar("envoyproxy/envoy:v1.30.1", {})->product == "Envoy");
  CHECK(detect::detect_sidecar("fluent/fluent-bit:3.0", {})->kind == SidecarKind::LogShipper);
  CHECK(detect::detect_sidecar("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0", {})->kind ==
        SidecarKind::DatabaseProxy);
  CHECK(detect::detect_sidecar("docker.io/istio/proxyv2:1.22.0", {})->kind == SidecarKind::MeshProxy);
  CHECK(detect::detect_sidecar("gcr.io/datadoghq/agent:7", {})->kind == SidecarKind::Agent);
  CHECK(detect::detect_sidecar("busybox:1.36", {"sh", "-c", "tail -f /dev/null"})->kind == SidecarKind::KeepAlive);
  CHECK(detect::detect_sidecar("busybox:1.36", {"sleep", "infinity"})->kind == SidecarKind::KeepAlive);
  CHECK_FALSE(detect::detect_sidecar("busybox:1.36", {"sleep", "5"}));
  CHECK_FALSE(detect::detect_sidecar("registry.example.com/shop-nginx:1.0", {}));
  CHECK_FALSE(detect::detect_sidecar("registry.example.com/agent:1.0", {}));
  CHECK_FALSE(detect::detect_sidecar("nginx/nginx-prometheus-exporter:1.1.0", {}));
  CHECK(detect::detect_sidecar("haproxytech/haproxy-alpine:2.9", {})->product == "HAProxy");
  CHECK_FALSE(detect::detect_sidecar("shop:1.0", {"bundle", "exec", "puma"}));
}

TEST_CASE("k8s: an editor buffer of a manifest is linted like the file (lint_source)") {
  Config config;
  RuleSelection selection = select_rules(config, {}, {});
  auto file = std::make_shared<const SourceFile>("/nonexistent-folder/k8s/web.yaml", "k8s/web.yaml",
                                                 "apiVersion: apps/v1\n"
                                                 "kind: Deployment\n"
                                                 "metadata: {name: web}\n"
                                                 "spec:\n"
                                                 "  template:\n"
                                                 "    spec:\n"
                                                 "      containers:\n"
                                                 "        - {name: web, image: \"shop:latest\"}\n");
  auto findings = lint_source(file, config, selection);
  REQUIRE(findings.has_value());
  REQUIRE(findings->size() == 1);
  CHECK(findings->front().rule_id == "K8S011");
  CHECK(findings->front().location.span.begin.line == 8);
  CHECK(findings->front().location.span.begin.column == 30);  // the quoted image value
}

TEST_CASE("kubernetes neighbours: only linkable objects are kept, and a folder is dropped once linted") {
  shiftlint::terraform::testing::ScratchFolder folder;
  folder.write("k8s/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                                      "spec:\n  template:\n    spec:\n      containers: [{name: web, image: web}]\n");
  // A rendered bundle: one autoscaler among objects no workload links to.
  folder.write("k8s/bundle.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n---\n"
                                  "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
                                  "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
                                  "  minReplicas: 1\n  maxReplicas: 3\n---\n"
                                  "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n");
  std::vector<DiscoveredFile> run_files = {{folder.path("k8s/bundle.yaml"), "k8s/bundle.yaml"},
                                           {folder.path("k8s/deployment.yaml"), "k8s/deployment.yaml"}};
  KubernetesNeighbourCache cache(LoadLimits{}, run_files);

  std::shared_ptr<const FolderManifests> first = cache.folder_of(run_files[1].path(), std::string(run_files[1].display_path()));
  REQUIRE(first->documents.size() == 1);
  REQUIRE(first->documents[0].roots.size() == 1);
  CHECK(first->documents[0].roots[0].find("kind")->as_string() == "HorizontalPodAutoscaler");
  // The other documents of the bundle are not parsed, and the autoscaler keeps its own lines.
  CHECK(first->documents[0].roots[0].span.begin.line == 6);
  CHECK(first->documents[0].roots[0].find("spec")->find("maxReplicas")->span.begin.line == 12);
  CHECK(cache.folder_of(run_files[1].path(), std::string(run_files[1].display_path())) == first);  // cached while files remain

  cache.file_done(run_files[0].path());
  CHECK(cache.folder_of(run_files[1].path(), std::string(run_files[1].display_path())) == first);
  cache.file_done(run_files[1].path());
  // Every file of the folder is linted: the manifests are released (asking again reads them anew).
  std::shared_ptr<const FolderManifests> again = cache.folder_of(run_files[1].path(), std::string(run_files[1].display_path()));
  CHECK(again != first);
  CHECK(again->documents.size() == 1);
}
