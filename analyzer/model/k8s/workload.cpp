#include "analyzer/model/k8s/workload.h"

#include <algorithm>

#include <fmt/format.h>

namespace shiftlint::k8s {

namespace {
std::string_view literal(const Node* node) {
  if (!node || !node->is_string()) return {};
  return node->text;
}

// Adds the literal words of a command or args list; false when an item is not a literal.
bool append_words(const Node* list, std::vector<std::string>& words) {
  if (!list || list->is_null()) return true;
  if (!list->is_list()) return false;
  for (const Node& item : list->children) {
    auto word = item.as_string();
    if (!word) return false;
    words.emplace_back(*word);
  }
  return true;
}
}  // namespace

std::string_view to_string(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::Deployment: return "Deployment";
    case WorkloadKind::StatefulSet: return "StatefulSet";
    case WorkloadKind::DaemonSet: return "DaemonSet";
    case WorkloadKind::ReplicaSet: return "ReplicaSet";
    case WorkloadKind::ReplicationController: return "ReplicationController";
    case WorkloadKind::Job: return "Job";
    case WorkloadKind::CronJob: return "CronJob";
    case WorkloadKind::Pod: return "Pod";
  }
  return "";
}

std::string_view to_string(VolumeSource source) {
  switch (source) {
    case VolumeSource::EmptyDir: return "emptyDir";
    case VolumeSource::HostPath: return "hostPath";
    case VolumeSource::PersistentVolumeClaim: return "persistentVolumeClaim";
    case VolumeSource::ConfigMap: return "configMap";
    case VolumeSource::Secret: return "secret";
    case VolumeSource::Other: return "volume";
  }
  return "";
}

std::string_view Container::name_text() const { return literal(name); }
std::string_view Container::image_text() const { return literal(image); }

bool Container::is_native_sidecar() const {
  return init && restart_policy && restart_policy->as_string() == std::string_view("Always");
}

std::optional<std::vector<std::string>> Container::command_line() const {
  std::vector<std::string> words;
  if (!append_words(command, words) || !append_words(args, words)) return std::nullopt;
  return words;
}

std::vector<const Node*> Container::command_line_nodes() const {
  std::vector<const Node*> nodes;
  for (const Node* list : {command, args})
    if (list && list->is_list())
      for (const Node& item : list->children) nodes.push_back(&item);
  return nodes;
}

const VolumeMount* Container::find_mount(std::string_view volume_name) const {
  for (const VolumeMount& mount : mounts)
    if (literal(mount.name) == volume_name) return &mount;
  return nullptr;
}

std::string_view Volume::name_text() const { return literal(name); }
std::string_view Secret::name_text() const { return literal(name); }

bool PersistentVolumeClaim::is_read_write_once() const {
  if (!access_modes || !access_modes->is_list()) return false;
  return std::any_of(access_modes->children.begin(), access_modes->children.end(), [](const Node& mode) {
    return mode.as_string() == std::string_view("ReadWriteOnce") ||
           mode.as_string() == std::string_view("ReadWriteOncePod");
  });
}

bool Autoscaler::scales_on_resources_only() const {
  if (metrics.empty()) return kind == "HorizontalPodAutoscaler";  // an HPA's default: CPU at 80%
  return std::all_of(metrics.begin(), metrics.end(), [](const Metric& metric) {
    return metric.kind == MetricKind::Cpu || metric.kind == MetricKind::Memory;
  });
}

std::string_view Autoscaler::target_kind() const {
  const Node* target = scale_target_ref ? scale_target_ref->find("kind") : nullptr;
  if (!target) return kind == "ScaledObject" ? "Deployment" : "";
  return literal(target);
}

std::string_view Autoscaler::target_name() const {
  return literal(scale_target_ref ? scale_target_ref->find("name") : nullptr);
}

std::string_view Workload::name_text() const { return literal(name); }

std::string Workload::label() const {
  std::string_view workload_name = name_text();
  if (workload_name.empty()) return fmt::format("this {}", to_string(kind));
  return fmt::format("{} \"{}\"", to_string(kind), workload_name);
}

bool Workload::runs_to_completion() const {
  if (kind == WorkloadKind::Job || kind == WorkloadKind::CronJob) return true;
  if (kind != WorkloadKind::Pod || !restart_policy) return false;
  auto policy = restart_policy->as_string();
  return policy == std::string_view("Never") || policy == std::string_view("OnFailure");
}

std::string_view image_name_without_tag(std::string_view image) {
  image = image.substr(0, image.find('@'));
  size_t colon = image.rfind(':');
  size_t slash = image.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) image = image.substr(0, colon);
  return image;
}

bool Workload::is_fragment() const {
  if (kustomize_patch) return true;
  if (containers.empty()) return false;
  for (const std::vector<Container>* list : {&init_containers, &containers})
    for (const Container& container : *list)
      if (container.image) return false;
  return true;
}

std::optional<int64_t> Workload::max_replicas() const {
  int64_t most = 1;
  if (replicas && !replicas->is_null()) {
    auto count = replicas->as_integer();
    if (!count) return std::nullopt;
    most = *count;
  }
  for (const Autoscaler* autoscaler : autoscalers) {
    if (!autoscaler->max_replicas) continue;
    auto count = autoscaler->max_replicas->as_integer();
    if (!count) return std::nullopt;
    most = std::max(most, *count);
  }
  return most;
}

const Volume* Workload::find_volume(std::string_view volume_name) const {
  for (const Volume& volume : volumes)
    if (volume.name_text() == volume_name) return &volume;
  return nullptr;
}

}  // namespace shiftlint::k8s
