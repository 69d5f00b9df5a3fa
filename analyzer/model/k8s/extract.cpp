#include "analyzer/model/k8s/extract.h"

#include <optional>
#include <string_view>

namespace shiftlint::k8s {

namespace {

std::string_view literal(const Node* node) {
  if (!node || !node->is_string()) return {};
  return node->text;
}

const Node* map_or_null(const Node* node) { return node && node->is_map() ? node : nullptr; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The API group of an apiVersion: "" for "v1", "apps" for "apps/v1".
std::string_view api_group(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
}

std::optional<WorkloadKind> workload_kind(std::string_view api_version, std::string_view kind) {
  // Only the built-in groups: a custom resource may reuse a kind name for another shape.
  std::string_view group = api_group(api_version);
  bool core = group.empty();
  bool apps = group == "apps" || group == "extensions";
  if (core && kind == "Pod") return WorkloadKind::Pod;
  if (core && kind == "ReplicationController") return WorkloadKind::ReplicationController;
  if (apps && kind == "Deployment") return WorkloadKind::Deployment;
  if (apps && kind == "StatefulSet") return WorkloadKind::StatefulSet;
  if (apps && kind == "DaemonSet") return WorkloadKind::DaemonSet;
  if (apps && kind == "ReplicaSet") return WorkloadKind::ReplicaSet;
  if (group == "batch" && kind == "Job") return WorkloadKind::Job;
  if (group == "batch" && kind == "CronJob") return WorkloadKind::CronJob;
  return std::nullopt;
}

std::optional<Probe> read_probe(const Node& container, std::string_view field) {
  const Node* probe = map_or_null(container.find(field));
  if (!probe) return std::nullopt;
  return Probe{probe, probe->find("initialDelaySeconds"), probe->find("periodSeconds"),
               probe->find("failureThreshold")};
}

Container read_container(const Node& node, bool init) {
  Container container;
  container.node = &node;
  container.init = init;
  container.name = node.find("name");
  container.image = node.find("image");
  container.command = node.find("command");
  container.args = node.find("args");
  container.env = node.find("env");
  container.ports = node.find("ports");
  container.resources = node.find("resources");
  container.lifecycle = map_or_null(node.find("lifecycle"));
  if (container.lifecycle) {
    const Node* pre_stop = container.lifecycle->find("preStop");
    if (pre_stop && !pre_stop->is_null()) container.pre_stop = pre_stop;
  }
  container.volume_mounts = node.find("volumeMounts");
  container.restart_policy = node.find("restartPolicy");
  container.liveness_probe = read_probe(node, "livenessProbe");
  container.readiness_probe = read_probe(node, "readinessProbe");
  container.startup_probe = read_probe(node, "startupProbe");
  if (container.env && container.env->is_list())
    for (const Node& item : container.env->children)
      if (item.is_map())
        container.environment.push_back({&item, item.find("name"), item.find("value"), item.find("valueFrom")});
  if (container.volume_mounts && container.volume_mounts->is_list())
    for (const Node& item : container.volume_mounts->children)
      if (item.is_map())
        container.mounts.push_back(
            {&item, item.find("name"), item.find("mountPath"), item.find("subPath"), item.find("readOnly")});
  return container;
}

void read_containers(const Node* list, bool init, std::vector<Container>& into) {
  if (!list || !list->is_list()) return;
  for (const Node& item : list->children)
    if (item.is_map()) into.push_back(read_container(item, init));
}

Volume read_volume(const Node& node) {
  Volume volume;
  volume.node = &node;
  volume.name = node.find("name");
  if (const Node* empty_dir = node.find("emptyDir")) {
    volume.source = VolumeSource::EmptyDir;
    volume.source_node = empty_dir;
    if (empty_dir->is_map()) volume.size_limit = empty_dir->find("sizeLimit");
  } else if (const Node* host_path = node.find("hostPath")) {
    volume.source = VolumeSource::HostPath;
    volume.source_node = host_path;
    if (host_path->is_map()) volume.path = host_path->find("path");
  } else if (const Node* claim = node.find("persistentVolumeClaim")) {
    volume.source = VolumeSource::PersistentVolumeClaim;
    volume.source_node = claim;
    if (claim->is_map()) volume.claim_name = claim->find("claimName");
  } else if (const Node* config_map = node.find("configMap")) {
    volume.source = VolumeSource::ConfigMap;
    volume.source_node = config_map;
  } else if (const Node* secret = node.find("secret")) {
    volume.source = VolumeSource::Secret;
    volume.source_node = secret;
  }
  return volume;
}

const Node* metadata_field(const Node& object, std::string_view field) {
  const Node* metadata = map_or_null(object.find("metadata"));
  return metadata ? metadata->find(field) : nullptr;
}

std::optional<Workload> read_workload(const Node& object, WorkloadKind kind) {
  Workload workload;
  workload.kind = kind;
  workload.file = object.file;
  workload.node = &object;
  workload.name = metadata_field(object, "name");
  workload.namespace_ = metadata_field(object, "namespace");
  workload.spec = map_or_null(object.find("spec"));
  if (!workload.spec) return std::nullopt;

  const Node* pod_spec = nullptr;
  switch (kind) {
    case WorkloadKind::Pod: pod_spec = workload.spec; break;
    case WorkloadKind::CronJob: {
      const Node* job_template = map_or_null(workload.spec->find("jobTemplate"));
      const Node* job_spec = job_template ? map_or_null(job_template->find("spec")) : nullptr;
      const Node* pod_template = job_spec ? map_or_null(job_spec->find("template")) : nullptr;
      pod_spec = pod_template ? map_or_null(pod_template->find("spec")) : nullptr;
      break;
    }
    default: {
      const Node* pod_template = map_or_null(workload.spec->find("template"));
      pod_spec = pod_template ? map_or_null(pod_template->find("spec")) : nullptr;
      if (kind != WorkloadKind::DaemonSet && kind != WorkloadKind::Job)
        workload.replicas = workload.spec->find("replicas");
      if (kind == WorkloadKind::StatefulSet)
        workload.volume_claim_templates = workload.spec->find("volumeClaimTemplates");
      break;
    }
  }
  if (!pod_spec) return std::nullopt;
  workload.pod_spec = pod_spec;
  workload.termination_grace_period_seconds = pod_spec->find("terminationGracePeriodSeconds");
  workload.restart_policy = pod_spec->find("restartPolicy");
  read_containers(pod_spec->find("initContainers"), true, workload.init_containers);
  read_containers(pod_spec->find("containers"), false, workload.containers);
  if (const Node* volumes = pod_spec->find("volumes"); volumes && volumes->is_list())
    for (const Node& item : volumes->children)
      if (item.is_map()) workload.volumes.push_back(read_volume(item));
  return workload;
}

MetricKind resource_metric_kind(std::string_view resource) {
  if (resource == "cpu") return MetricKind::Cpu;
  if (resource == "memory") return MetricKind::Memory;
  return MetricKind::External;
}

Autoscaler read_horizontal_pod_autoscaler(const Node& object) {
  Autoscaler autoscaler;
  autoscaler.node = &object;
  autoscaler.kind = "HorizontalPodAutoscaler";
  autoscaler.name = metadata_field(object, "name");
  autoscaler.namespace_ = metadata_field(object, "namespace");
  const Node* spec = map_or_null(object.find("spec"));
  if (!spec) return autoscaler;
  autoscaler.scale_target_ref = map_or_null(spec->find("scaleTargetRef"));
  autoscaler.min_replicas = spec->find("minReplicas");
  autoscaler.max_replicas = spec->find("maxReplicas");
  if (const Node* cpu = spec->find("targetCPUUtilizationPercentage")) {  // autoscaling/v1
    autoscaler.metrics_node = cpu;
    autoscaler.metrics.push_back({cpu, MetricKind::Cpu});
  }
  const Node* metrics = spec->find("metrics");
  if (metrics && metrics->is_list()) {
    autoscaler.metrics_node = metrics;
    for (const Node& item : metrics->children) {
      std::string_view type = literal(item.find("type"));
      MetricKind kind = MetricKind::External;
      if (type == "Resource" || type == "ContainerResource") {
        const Node* resource = map_or_null(item.find(type == "Resource" ? "resource" : "containerResource"));
        kind = resource_metric_kind(literal(resource ? resource->find("name") : nullptr));
      } else if (type == "Pods") {
        kind = MetricKind::Pods;
      }
      autoscaler.metrics.push_back({&item, kind});
    }
  }
  return autoscaler;
}

// KEDA's ScaledObject: it creates and drives an HPA from its triggers (a queue length, a cron
// window, cpu...). Scaling a worker on its queue is what it is for.
Autoscaler read_scaled_object(const Node& object) {
  Autoscaler autoscaler;
  autoscaler.node = &object;
  autoscaler.kind = "ScaledObject";
  autoscaler.name = metadata_field(object, "name");
  autoscaler.namespace_ = metadata_field(object, "namespace");
  const Node* spec = map_or_null(object.find("spec"));
  if (!spec) return autoscaler;
  autoscaler.scale_target_ref = map_or_null(spec->find("scaleTargetRef"));
  autoscaler.min_replicas = spec->find("minReplicaCount");
  autoscaler.max_replicas = spec->find("maxReplicaCount");
  const Node* triggers = spec->find("triggers");
  if (triggers && triggers->is_list()) {
    autoscaler.metrics_node = triggers;
    for (const Node& item : triggers->children)
      autoscaler.metrics.push_back({&item, resource_metric_kind(literal(item.find("type")))});
  }
  return autoscaler;
}

PersistentVolumeClaim read_claim(const Node& object) {
  PersistentVolumeClaim claim;
  claim.node = &object;
  claim.name = metadata_field(object, "name");
  claim.namespace_ = metadata_field(object, "namespace");
  if (const Node* spec = map_or_null(object.find("spec"))) claim.access_modes = spec->find("accessModes");
  return claim;
}

// Namespaces match when equal, or when either object leaves it to `kubectl apply -n`.
bool same_namespace(const Node* a, const Node* b) {
  if (!a || !b || a->is_null() || b->is_null()) return true;
  return literal(a) == literal(b);
}

Secret read_secret(const Node& root) {
  Secret secret;
  secret.node = &root;
  if (const Node* metadata = root.find("metadata")) secret.name = metadata->find("name");
  auto map_at = [&root](std::string_view key) {
    const Node* found = root.find(key);
    return found && found->is_map() ? found : nullptr;
  };
  secret.data = map_at("data");
  secret.string_data = map_at("stringData");
  return secret;
}

void collect(const Node& root, Manifests& manifests, int depth) {
  if (!is_kubernetes_object(root) || depth > 4) return;
  std::string_view api_version = literal(root.find("apiVersion"));
  std::string_view kind = literal(root.find("kind"));
  if (kind == "List" || (ends_with(kind, "List") && root.find("items"))) {
    const Node* items = root.find("items");
    if (items && items->is_list())
      for (const Node& item : items->children) collect(item, manifests, depth + 1);
    return;
  }
  if (auto workload_kind_found = workload_kind(api_version, kind)) {
    if (auto workload = read_workload(root, *workload_kind_found)) manifests.workloads.push_back(std::move(*workload));
    return;
  }
  std::string_view group = api_group(api_version);
  if (kind == "HorizontalPodAutoscaler" && group == "autoscaling")
    manifests.autoscalers.push_back(read_horizontal_pod_autoscaler(root));
  else if (kind == "ScaledObject" && group == "keda.sh")
    manifests.autoscalers.push_back(read_scaled_object(root));
  else if (kind == "PersistentVolumeClaim" && group.empty())
    manifests.claims.push_back(read_claim(root));
  else if (kind == "Secret" && group.empty())
    manifests.secrets.push_back(read_secret(root));
}

}  // namespace

bool is_kubernetes_object(const Node& root) {
  if (!root.is_map()) return false;
  const Node* api_version = root.find("apiVersion");
  const Node* kind = root.find("kind");
  return api_version && api_version->is_string() && kind && kind->is_string();
}

Manifests extract_manifests(std::span<const Node* const> roots) {
  Manifests manifests;
  for (const Node* root : roots)
    if (root) collect(*root, manifests, 0);
  // Links last: the vectors no longer move, so the pointers stay valid.
  for (Workload& workload : manifests.workloads) {
    for (const Autoscaler& autoscaler : manifests.autoscalers)
      if (autoscaler.target_kind() == to_string(workload.kind) && !workload.name_text().empty() &&
          autoscaler.target_name() == workload.name_text() && same_namespace(autoscaler.namespace_, workload.namespace_))
        workload.autoscalers.push_back(&autoscaler);
    for (Volume& volume : workload.volumes) {
      if (volume.source != VolumeSource::PersistentVolumeClaim || literal(volume.claim_name).empty()) continue;
      for (const PersistentVolumeClaim& claim : manifests.claims)
        if (literal(claim.name) == literal(volume.claim_name) && same_namespace(claim.namespace_, workload.namespace_)) {
          volume.claim = &claim;
          break;
        }
    }
  }
  return manifests;
}

}  // namespace shiftlint::k8s
