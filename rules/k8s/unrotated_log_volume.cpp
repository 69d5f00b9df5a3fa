// K8S012: an app writes log files into a volume that a sidecar tails, with no size limit or rotation.
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/sidecar.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

// A mount path for log files: a component named log/logs (/var/log/app, /app/log, storage/logs).
bool is_log_path(std::string_view path) {
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    std::string_view component = path.substr(begin, end - begin);
    if (component == "log" || component == "logs") return true;
    begin = end + 1;
  }
  return false;
}

// Whether any container of the pod rotates or trims files (logrotate, a rotating shipper config
// shiftlint cannot see is not counted).
bool pod_rotates_logs(const k8s::Workload& workload) {
  for (const std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers})
    for (const k8s::Container& container : *list) {
      if (container.image_text().find("logrotate") != std::string_view::npos) return true;
      for (const std::vector<std::string>& command : k8s::commands_run(container))
        if (detect::program_basename(command[0]) == "logrotate") return true;
    }
  return false;
}

// A container that reads the files: a log shipper, or a `tail -f`.
bool reads_files(const k8s::Container& container) {
  auto sidecar = detect::detect_sidecar(container.image_text(), container.command_line().value_or(std::vector<std::string>{}));
  if (sidecar && (sidecar->kind == detect::SidecarKind::LogShipper || sidecar->kind == detect::SidecarKind::KeepAlive))
    return true;
  for (const std::vector<std::string>& command : k8s::commands_run(container))
    if (detect::program_basename(command[0]) == "tail") return true;
  return false;
}

void check(const k8s::Workload& workload, RuleContext& context) {
  if (workload.runs_to_completion() || workload.is_fragment() || pod_rotates_logs(workload)) return;
  for (const k8s::Volume& volume : workload.volumes) {
    bool empty_dir = volume.source == k8s::VolumeSource::EmptyDir;
    if (!empty_dir && volume.source != k8s::VolumeSource::HostPath) continue;
    if (empty_dir && volume.size_limit && !volume.size_limit->is_null()) continue;
    std::string_view name = volume.name_text();
    if (name.empty()) continue;
    const k8s::Container* writer = nullptr;
    const k8s::Container* reader = nullptr;
    const k8s::VolumeMount* writer_mount = nullptr;
    for (const std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers})
      for (const k8s::Container& container : *list) {
        if (!container.is_long_running()) continue;
        const k8s::VolumeMount* mount = container.find_mount(name);
        if (!mount) continue;
        if (reads_files(container)) {
          if (!reader) reader = &container;
          continue;
        }
        auto path = mount->mount_path ? mount->mount_path->as_string() : std::nullopt;
        bool read_only = mount->read_only && mount->read_only->as_boolean() == true;
        if (path && is_log_path(*path) && !read_only && !writer) {
          writer = &container;
          writer_mount = mount;
        }
      }
    if (!writer || !reader) continue;
    std::string limit = empty_dir ? "it has no sizeLimit" : "a hostPath has no size limit";
    Finding& finding = context.report_key(
        *volume.source_node,
        fmt::format("{} writes log files into volume \"{}\" at \"{}\", which {} \"{}\" reads, and {} and nothing rotates "
                    "them: the files grow until the node's disk fills (the kubelet then evicts pods) or, with a "
                    "limit, until the pod is evicted; log to stdout/stderr instead, or rotate the files (size-based "
                    "rotation in the app's logger) and set emptyDir.sizeLimit",
                    k8s::describe_container(workload, *writer), name, writer_mount->mount_path->text,
                    reader->is_native_sidecar() ? "native sidecar" : "container", reader->name_text(), limit));
    RuleContext::relate(finding, *writer_mount->node, "the app's mount");
  }
}

const RuleRegistration registration{{
    .id = "K8S012",
    .slug = "unrotated-log-volume",
    .severity = Severity::Warning,
    .summary = "An app writes log files into a volume a sidecar tails, with no size limit or rotation",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
