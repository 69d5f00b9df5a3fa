#pragma once
// The Kubernetes pod-spec model: workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob, Pod) with their pod template, the autoscalers that scale them and the claims their
// volumes mount. Built from located-tree documents, whatever produced them: a plain manifest file
// or the output of a rendered Helm chart, whose nodes point at template lines. Rules read this
// model, never the YAML, so one rule covers both carriers.
//
// Fields are pointers into the located tree: nullptr when the field is absent, so a rule can point
// at the exact attribute, or at the enclosing block (`node`, or the map's key) when it is missing.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/located_tree.h"

namespace shiftlint {
struct Location;  // engine/finding.h: where a kustomization sets an image's tag
}

namespace shiftlint::k8s {

enum class WorkloadKind { Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod };
std::string_view to_string(WorkloadKind kind);

struct EnvironmentEntry {  // one `env:` item
  const Node* node = nullptr;
  const Node* name = nullptr;
  const Node* value = nullptr;       // a literal value; nullptr when absent
  const Node* value_from = nullptr;  // secretKeyRef, configMapKeyRef, fieldRef...
};

struct Probe {
  const Node* node = nullptr;  // the probe map (its key: livenessProbe, startupProbe...)
  const Node* initial_delay_seconds = nullptr;
  const Node* period_seconds = nullptr;
  const Node* failure_threshold = nullptr;
};

struct VolumeMount {
  const Node* node = nullptr;
  const Node* name = nullptr;
  const Node* mount_path = nullptr;
  const Node* sub_path = nullptr;
  const Node* read_only = nullptr;
};

// The part of an image reference kustomize's `images[].name` matches: without `@digest` and
// `:tag` ("registry:5000/team/web:1.2" -> "registry:5000/team/web").
std::string_view image_name_without_tag(std::string_view image);

struct Container {
  const Node* node = nullptr;  // the container map, an item of containers or initContainers
  bool init = false;           // listed under initContainers
  const Node* name = nullptr;
  const Node* image = nullptr;
  const Node* command = nullptr;
  const Node* args = nullptr;
  const Node* env = nullptr;
  const Node* ports = nullptr;
  const Node* resources = nullptr;
  const Node* lifecycle = nullptr;
  const Node* pre_stop = nullptr;  // lifecycle.preStop
  const Node* volume_mounts = nullptr;
  const Node* restart_policy = nullptr;  // init containers: `Always` makes a native sidecar
  std::optional<Probe> liveness_probe;
  std::optional<Probe> readiness_probe;
  std::optional<Probe> startup_probe;
  std::vector<EnvironmentEntry> environment;
  std::vector<VolumeMount> mounts;
  // What the run's kustomizations do to the image (project/kustomize_index.h): every one that
  // deploys this file sets its tag or digest; or the first that deploys it and does not (the
  // kustomization file's display path; empty when none, or when no kustomization lists the file).
  bool image_pinned_by_kustomize = false;
  std::string image_deployed_unpinned_by;
  // When that kustomization sets the tag to "latest" itself (`newTag: latest`, whatever tag the
  // image has here): the line that does.
  std::shared_ptr<const Location> image_tag_set_latest_at;
  // Every kustomization that deploys this file replaces the container's image with a patch (a
  // patch file, judged where it is written, or a pinned image in a kustomization's own patch).
  bool image_replaced_by_kustomize = false;
  // The Skaffold configuration that builds this image and puts what it built in its place when it
  // deploys the manifest (project/skaffold_index.h); empty when none does.
  std::string image_built_by_skaffold;

  std::string_view name_text() const;   // "" when absent or not a literal
  std::string_view image_text() const;  // "" when absent or not a literal
  // An init container with `restartPolicy: Always` (Kubernetes 1.28+): it starts before the app
  // containers, runs beside them and is stopped after them.
  bool is_native_sidecar() const;
  // Runs for the pod's lifetime: a regular container or a native sidecar (not a one-shot init step).
  bool is_long_running() const { return !init || is_native_sidecar(); }
  // The literal words of command + args, in order; nullopt when either holds something that is not
  // a literal string (a template expression that could not be evaluated). Empty when the container
  // runs the image's own ENTRYPOINT and CMD.
  std::optional<std::vector<std::string>> command_line() const;
  // The command and args items, for pointing at the word that matters.
  std::vector<const Node*> command_line_nodes() const;
  const VolumeMount* find_mount(std::string_view volume_name) const;
};

enum class VolumeSource { EmptyDir, HostPath, PersistentVolumeClaim, ConfigMap, Secret, Other };
std::string_view to_string(VolumeSource source);

struct PersistentVolumeClaim;

struct Volume {
  const Node* node = nullptr;  // the item of `volumes:`
  const Node* name = nullptr;
  VolumeSource source = VolumeSource::Other;
  const Node* source_node = nullptr;  // the emptyDir / hostPath / persistentVolumeClaim map
  const Node* size_limit = nullptr;   // emptyDir.sizeLimit
  const Node* path = nullptr;         // hostPath.path
  const Node* claim_name = nullptr;   // persistentVolumeClaim.claimName
  // The PersistentVolumeClaim object claim_name names, when it is among the documents read.
  const PersistentVolumeClaim* claim = nullptr;

  std::string_view name_text() const;
};

struct PersistentVolumeClaim {
  const Node* node = nullptr;  // the object
  const Node* name = nullptr;  // metadata.name
  const Node* namespace_ = nullptr;
  const Node* access_modes = nullptr;  // spec.accessModes
  // ReadWriteOnce or ReadWriteOncePod is among the access modes: one node (or pod) mounts it.
  bool is_read_write_once() const;
};

enum class MetricKind {
  Cpu,       // resource cpu (also autoscaling/v1 targetCPUUtilizationPercentage, KEDA `cpu` trigger)
  Memory,    // resource memory
  External,  // an external or object metric: a queue length, a request rate...
  Pods,      // a per-pod custom metric
};

struct Metric {
  const Node* node = nullptr;  // the metric (or trigger) item
  MetricKind kind = MetricKind::External;
};

// A HorizontalPodAutoscaler, or a KEDA ScaledObject (which drives one), scaling a workload.
struct Autoscaler {
  const Node* node = nullptr;
  std::string_view kind;  // "HorizontalPodAutoscaler" or "ScaledObject", as written
  const Node* name = nullptr;
  const Node* namespace_ = nullptr;
  const Node* scale_target_ref = nullptr;
  const Node* min_replicas = nullptr;
  const Node* max_replicas = nullptr;
  // The block that lists what it scales on: spec.metrics, spec.targetCPUUtilizationPercentage,
  // spec.triggers; nullptr when absent (an HPA without metrics scales on CPU at 80%).
  const Node* metrics_node = nullptr;
  std::vector<Metric> metrics;

  // Scales on CPU or memory only (including the implicit CPU default).
  bool scales_on_resources_only() const;
  std::string_view target_kind() const;  // scaleTargetRef.kind ("Deployment" when a ScaledObject omits it)
  std::string_view target_name() const;
};

struct Workload {
  WorkloadKind kind = WorkloadKind::Deployment;
  const SourceFile* file = nullptr;
  const Node* node = nullptr;  // the object
  const Node* name = nullptr;  // metadata.name
  const Node* namespace_ = nullptr;
  const Node* spec = nullptr;              // the object's spec
  const Node* replicas = nullptr;          // spec.replicas (Deployment, StatefulSet, ReplicaSet)
  const Node* pod_spec = nullptr;          // the pod spec: spec.template.spec, or a Pod's spec
  const Node* termination_grace_period_seconds = nullptr;
  const Node* restart_policy = nullptr;    // pod spec restartPolicy
  const Node* volume_claim_templates = nullptr;  // StatefulSet: claims per replica
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::vector<Volume> volumes;
  // The autoscalers whose scaleTargetRef names this workload.
  std::vector<const Autoscaler*> autoscalers;

  std::string_view name_text() const;
  // "Deployment \"shop-web\"", for messages.
  std::string label() const;
  // Job, CronJob, or a bare Pod whose restartPolicy is Never or OnFailure: its pod is meant to end.
  bool runs_to_completion() const;
  // A kustomization of the run lists the file as a patch (project/kustomize_index.h).
  bool kustomize_patch = false;

  // Not a whole object but a fragment whose other fields come from elsewhere: a kustomize patch, or
  // an object where no container names an image (a strategic-merge patch found on its own; a Pod
  // is rejected without an image). A field missing from a fragment may be set in its base, so
  // rules about absent fields skip it.
  bool is_fragment() const;
  // The most replicas it can have: spec.replicas (1 when absent), or an autoscaler's maxReplicas
  // when larger. nullopt when a count cannot be read (a value the renderer could not evaluate).
  std::optional<int64_t> max_replicas() const;
  const Volume* find_volume(std::string_view name) const;
  // The span a finding about a missing pod-level field should use: the pod spec's `spec` key.
  const Node& pod_spec_block() const { return pod_spec ? *pod_spec : *node; }
};

// Every Kubernetes object the model reads from one set of documents (a manifest file and its
// neighbours, or a rendered chart). Workloads point into `autoscalers` and `claims`: the struct is
// movable (vectors keep their elements' addresses) but not copyable.
// A core/v1 Secret object: what its data and stringData hold (K8S010 reads a chart's values that
// are rendered there).
struct Secret {
  const Node* node = nullptr;         // the object
  const Node* name = nullptr;         // metadata.name
  const Node* data = nullptr;         // data: base64 values
  const Node* string_data = nullptr;  // stringData: values as written
  std::string_view name_text() const;
};

struct Manifests {
  std::vector<Workload> workloads;
  std::vector<Autoscaler> autoscalers;
  std::vector<PersistentVolumeClaim> claims;
  std::vector<Secret> secrets;

  Manifests() = default;
  Manifests(Manifests&&) = default;
  Manifests& operator=(Manifests&&) = default;
  Manifests(const Manifests&) = delete;
  Manifests& operator=(const Manifests&) = delete;
};

// A Helm chart's values file (values.yaml next to Chart.yaml): K8S010 reads its literal values.
struct HelmValues {
  const SourceFile* file = nullptr;
  const Node* root = nullptr;
};

}  // namespace shiftlint::k8s
