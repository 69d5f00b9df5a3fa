// K8S004: app state on a pod-local volume (emptyDir, hostPath), or a ReadWriteOnce claim shared by
// the replicas of a Deployment.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/state_path.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

// An Elasticsearch or OpenSearch node that holds no shards and no cluster state: coordinating-only
// (no roles) or ingest, ml or transform nodes. Its data path keeps only node metadata it rebuilds
// when it rejoins, so an emptyDir there is the usual design (bitnami's coordinating and ingest
// StatefulSets). Read from the roles the container is given: ELASTICSEARCH_NODE_ROLES (bitnami),
// OPENSEARCH_NODE_ROLES, or `node.roles` (the official images take settings as variables).
bool search_node_without_data(const k8s::Container& container) {
  for (const k8s::EnvironmentEntry& entry : container.environment) {
    auto name = entry.name ? entry.name->as_string() : std::nullopt;
    if (!name || (*name != "ELASTICSEARCH_NODE_ROLES" && *name != "OPENSEARCH_NODE_ROLES" && *name != "node.roles"))
      continue;
    auto value = entry.value ? entry.value->as_string() : std::nullopt;
    if (!value) return false;  // from a ConfigMap or Secret: not known here
    std::string_view roles = *value;
    for (size_t begin = 0; begin < roles.size();) {
      size_t end = roles.find(',', begin);
      if (end == std::string_view::npos) end = roles.size();
      std::string_view role = roles.substr(begin, end - begin);
      while (!role.empty() && (role.front() == ' ' || role.front() == '[' || role.front() == '"')) role.remove_prefix(1);
      while (!role.empty() && (role.back() == ' ' || role.back() == ']' || role.back() == '"')) role.remove_suffix(1);
      // data, data_content, data_hot...; a master-eligible node keeps the cluster state.
      if (role.starts_with("data") || role == "master" || role == "cluster_manager") return false;
      begin = end + 1;
    }
    return true;
  }
  return false;
}

void check_local_volumes(const k8s::Workload& workload, RuleContext& context) {
  for (const k8s::Container& container : workload.containers) {
    for (const k8s::VolumeMount& mount : container.mounts) {
      auto path = mount.mount_path ? mount.mount_path->as_string() : std::nullopt;
      auto volume_name = mount.name ? mount.name->as_string() : std::nullopt;
      if (!path || !volume_name) continue;
      const k8s::Volume* volume = workload.find_volume(*volume_name);
      if (!volume) continue;
      bool empty_dir = volume->source == k8s::VolumeSource::EmptyDir;
      // A DaemonSet's pod is tied to its node on purpose: its hostPath is node state.
      bool host_path = volume->source == k8s::VolumeSource::HostPath && workload.kind != k8s::WorkloadKind::DaemonSet;
      if (!empty_dir && !host_path) continue;
      auto state = detect::classify_state_path(*path);
      if (!state) state = detect::database_server_folder(*path);
      if (!state || search_node_without_data(container)) continue;
      std::string consequence =
          empty_dir ? "an emptyDir lives and dies with the pod, so every rollout, reschedule or eviction loses it, "
                      "and each replica has its own"
                    : "a hostPath stays on one node: the pod sees other data whenever it is scheduled elsewhere, and "
                      "each node has its own";
      std::string_view fix =
          state->kind != detect::StateKind::Database ? ""
          : workload.kind == k8s::WorkloadKind::StatefulSet
              ? "run the database as a managed service (RDS, ElastiCache, Amazon MQ, OpenSearch Service) or give the "
                "StatefulSet a volumeClaimTemplates entry for this folder"
              : "run the database as a managed service (RDS, ElastiCache, Amazon MQ, OpenSearch Service) or in a "
                "StatefulSet with volumeClaimTemplates";
      if (fix.empty())
        fix = "move it to a shared store (S3 for uploads, Redis or the database for sessions, a database server "
                "instead of SQLite) or, for data that is really the pod's, a StatefulSet with volumeClaimTemplates";
      Finding& finding = context.report(
          *mount.mount_path, fmt::format("{} keeps {} at \"{}\" on {} volume \"{}\": {}; {}",
                                         k8s::describe_container(workload, container), state->what, *path,
                                         empty_dir ? "an emptyDir" : "a hostPath", *volume_name, consequence, fix));
      RuleContext::relate(finding, *volume->node, fmt::format("volume \"{}\" is defined here", *volume_name));
    }
  }
}

void check_shared_claims(const k8s::Workload& workload, RuleContext& context) {
  if (workload.kind != k8s::WorkloadKind::Deployment && workload.kind != k8s::WorkloadKind::ReplicaSet) return;
  auto replicas = workload.max_replicas();
  if (!replicas || *replicas <= 1) return;
  for (const k8s::Volume& volume : workload.volumes) {
    if (!volume.claim || !volume.claim->is_read_write_once() || !volume.claim_name) continue;
    std::string scaled = workload.autoscalers.empty() ? fmt::format("runs {} replicas", *replicas)
                                                      : fmt::format("scales up to {} replicas", *replicas);
    Finding& finding = context.report(
        *volume.claim_name,
        fmt::format("{} {} but mounts PersistentVolumeClaim \"{}\", which is ReadWriteOnce: it attaches to one node "
                    "at a time, so replicas scheduled elsewhere hang in ContainerCreating (and a rollout can deadlock "
                    "on the old pod's attachment); use a ReadWriteMany volume (EFS) or object storage for shared "
                    "files, or a StatefulSet with volumeClaimTemplates for per-replica data",
                    workload.label(), scaled, volume.claim_name->text));
    if (volume.claim->access_modes) RuleContext::relate(finding, *volume.claim->access_modes, "its access modes");
  }
}

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.runs_to_completion()) return;  // a Job's scratch space is meant to go with it
  check_local_volumes(workload, context);
  check_shared_claims(workload, context);
}

const RuleRegistration registration{{
    .id = "K8S004",
    .slug = "pod-local-state-volume",
    .severity = Severity::Warning,
    .summary = "emptyDir/hostPath mounted where the app keeps state, or a ReadWriteOnce claim on a multi-replica "
               "Deployment",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
