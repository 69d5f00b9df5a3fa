#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// Whether a field is really used: describe-task-definition output and generated files carry
// `"links": null`, `"extraHosts": []`, `"privileged": false` for settings nobody set.
bool is_set(const Node* node) {
  if (!node || node->is_null() || node->is_unknown()) return false;
  if (node->is_list() || node->is_map()) return !node->children.empty();
  if (node->kind == NodeKind::Boolean) return node->boolean;
  if (node->is_string()) {
    if (node->text.empty()) return false;
    if (auto flag = node->as_boolean()) return *flag;
  }
  return true;
}

// The field as the file spells it (`privileged`, CloudFormation `Privileged`).
std::string_view spelled(const Node& node, std::string_view api_name) {
  return node.key.empty() ? api_name : std::string_view(node.key);
}

std::string_view text_of(const Node* node) {
  if (!node) return {};
  auto text = node->as_string();
  return text ? *text : std::string_view();
}

// A bare container list or a Dockerrun file has no task-level fields: they live elsewhere.
bool has_task_level_fields(const ecs::TaskDefinition& task) {
  return task.carrier != ecs::Carrier::ContainerDefinitionList && task.carrier != ecs::Carrier::DockerrunV2;
}

struct ContainerSetting {
  std::string_view field;  // as the ECS API spells it
  std::string_view why_and_fix;
};

constexpr std::array<ContainerSetting, 8> kContainerSettings{{
    {"privileged", "Fargate never runs privileged containers; remove it and keep only what the app needs"},
    {"links", "containers of an awsvpc task share one network namespace and reach each other on localhost; remove links"},
    {"dockerSecurityOptions", "Fargate sets the security labels itself; remove it"},
    {"extraHosts", "Fargate cannot add /etc/hosts entries; resolve those names through DNS (a Route 53 private hosted zone or Cloud Map)"},
    {"dnsServers", "Fargate tasks use the VPC resolver; configure DNS in the VPC (DHCP options or Route 53 Resolver rules)"},
    {"dnsSearchDomains", "Fargate tasks use the VPC resolver; configure search domains in the VPC DHCP options"},
    {"disableNetworking", "every Fargate task has its own network interface; remove it"},
    {"hostname", "with awsvpc networking the task's host name comes from its network interface; remove it"},
}};

struct LinuxSetting {
  std::string_view field;
  std::string_view why_and_fix;
};

constexpr std::array<LinuxSetting, 5> kLinuxSettings{{
    {"devices", "Fargate exposes no host devices; remove it, or run this task on the EC2 launch type"},
    {"sharedMemorySize", "Fargate does not resize /dev/shm; remove it (headless Chrome: --disable-dev-shm-usage), or use the EC2 launch type"},
    {"tmpfs", "Fargate has no tmpfs mounts; write scratch files to the task's ephemeral storage instead"},
    {"maxSwap", "Fargate tasks have no swap; size the task memory instead"},
    {"swappiness", "Fargate tasks have no swap; size the task memory instead"},
}};

// Kernel parameters Fargate accepts: the ones namespaced per task (IPC and network namespaces).
bool is_namespaced_sysctl(std::string_view name) {
  for (std::string_view ipc : {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                               "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"})
    if (name == ipc) return true;
  return name.rfind("fs.mqueue.", 0) == 0 || name.rfind("net.", 0) == 0;
}

// net.* parameters that are not per network namespace and fail on Fargate (FACTS.md §7).
bool is_known_global_net_sysctl(std::string_view name) {
  return name == "net.core.rmem_max" || name == "net.core.wmem_max";
}

void check_system_controls(const ecs::ContainerDefinition& container, RuleContext& context) {
  if (!container.system_controls || !container.system_controls->is_list()) return;
  for (const Node& control : container.system_controls->children) {
    const Node* namespace_node = control.find_any_case("namespace");
    std::string_view name = text_of(namespace_node);
    if (name.empty()) continue;
    std::string why;
    if (!is_namespaced_sysctl(name)) {
      why = name == "vm.max_map_count"
                ? "it is not a namespaced kernel parameter (Fargate fixes it at 65530)"
                : "it is not a namespaced kernel parameter";
      why += "; Fargate accepts only kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.* and net.* ones";
    } else if (is_known_global_net_sysctl(name)) {
      why = "it is host-wide rather than per network namespace and Fargate rejects it";
    } else {
      continue;
    }
    context.report(*namespace_node,
                   fmt::format("{} sets {} \"{}\", which fails on Fargate: {}; remove it, or run this task "
                               "on the EC2 launch type where the host can be tuned",
                               container.label(), spelled(*container.system_controls, "systemControls"),
                               name, why));
  }
}

void check_linux_parameters(const ecs::ContainerDefinition& container, RuleContext& context) {
  const Node* linux_parameters = container.linux_parameters;
  if (!linux_parameters || !linux_parameters->is_map()) return;
  for (const LinuxSetting& setting : kLinuxSettings) {
    const Node* node = linux_parameters->find_any_case(setting.field);
    if (!is_set(node)) continue;
    context.report_key(*node, fmt::format("{} sets {}.{}, which Fargate rejects: {}", container.label(),
                                          spelled(*linux_parameters, "linuxParameters"),
                                          spelled(*node, setting.field), setting.why_and_fix));
  }
  const Node* capabilities = linux_parameters->find_any_case("capabilities");
  const Node* add = capabilities ? capabilities->find_any_case("add") : nullptr;
  if (!add || !add->is_list()) return;
  std::string offending;
  for (const Node& item : add->children) {
    std::string_view capability = text_of(&item);
    if (capability.empty() || capability == "SYS_PTRACE" || capability == "CAP_SYS_PTRACE") continue;
    if (!offending.empty()) offending += ", ";
    offending += capability;
  }
  if (offending.empty()) return;
  context.report_key(*add, fmt::format("{} adds Linux capabilities {}, which Fargate rejects: Fargate allows adding "
                                       "only SYS_PTRACE; remove the others, or run this task on the EC2 launch type",
                                       container.label(), offending));
}

void check_gpu(const ecs::ContainerDefinition& container, RuleContext& context) {
  const Node* requirements = container.node->find_any_case("resourceRequirements");
  if (!requirements || !requirements->is_list()) return;
  for (const Node& requirement : requirements->children) {
    const Node* type = requirement.find_any_case("type");
    if (text_of(type) != "GPU") continue;
    context.report(*type, fmt::format("{} requests a GPU, which Fargate does not offer: run this task on the EC2 "
                                      "launch type with GPU instances",
                                      container.label()));
  }
}

void check_log_driver(const ecs::ContainerDefinition& container, RuleContext& context) {
  if (!container.log_configuration || !container.log_configuration->is_map()) return;
  const Node* driver = container.log_configuration->find_any_case("logDriver");
  std::string_view name = text_of(driver);
  if (name.empty() || name == "awslogs" || name == "splunk" || name == "awsfirelens") return;
  context.report(*driver, fmt::format("{} logs with the \"{}\" driver, which Fargate does not support (only awslogs, "
                                      "splunk and awsfirelens): use awslogs, or awsfirelens to route logs elsewhere",
                                      container.label(), name));
}

void check_port_mappings(const ecs::ContainerDefinition& container, RuleContext& context) {
  if (!container.port_mappings || !container.port_mappings->is_list()) return;
  for (const Node& mapping : container.port_mappings->children) {
    const Node* host_port = mapping.find_any_case("hostPort");
    const Node* container_port = mapping.find_any_case("containerPort");
    if (!host_port || !container_port || host_port->is_unknown() || container_port->is_unknown()) continue;
    auto host = host_port->as_integer();
    auto inner = container_port->as_integer();
    if (!host || !inner || *host == *inner) continue;
    context.report(*host_port,
                   fmt::format("{} maps hostPort {} to containerPort {}: with awsvpc networking, the only mode Fargate "
                               "supports, the two must be equal and the task definition is rejected; remove hostPort "
                               "and point the load balancer target group at port {}",
                               container.label(), *host, *inner, *inner));
  }
}

void check_container(const ecs::ContainerDefinition& container, RuleContext& context) {
  for (const ContainerSetting& setting : kContainerSettings) {
    const Node* node = container.node->find_any_case(setting.field);
    if (!is_set(node)) continue;
    context.report_key(*node, fmt::format("{} sets {}, which Fargate rejects: {}", container.label(),
                                          spelled(*node, setting.field), setting.why_and_fix));
  }
  check_linux_parameters(container, context);
  check_gpu(container, context);
  check_system_controls(container, context);
  check_log_driver(container, context);
  check_port_mappings(container, context);
}

void check_volumes(const ecs::TaskDefinition& task, RuleContext& context) {
  if (!task.volumes || !task.volumes->is_list()) return;
  for (const Node& volume : task.volumes->children) {
    std::string_view name = text_of(volume.find_any_case("name"));
    std::string label = name.empty() ? std::string("a volume") : fmt::format("volume \"{}\"", name);
    const Node* host = volume.find_any_case("host");
    const Node* source_path = host ? host->find_any_case("sourcePath") : nullptr;
    if (is_set(source_path))
      context.report_key(*source_path,
                         fmt::format("{} bind-mounts host path {}, which Fargate rejects: there is no host file system "
                                     "to share; use an EFS volume for shared or lasting data, or drop sourcePath for "
                                     "scratch space in the task's ephemeral storage",
                                     label, source_path->describe()));
    const Node* docker_volume = volume.find_any_case("dockerVolumeConfiguration");
    if (is_set(docker_volume))
      context.report_key(*docker_volume,
                         fmt::format("{} uses {}, which Fargate rejects: Docker volume drivers are not available; "
                                     "use an EFS volume (efsVolumeConfiguration) instead",
                                     label, spelled(*docker_volume, "dockerVolumeConfiguration")));
  }
}

void check_task(const ecs::TaskDefinition& task, RuleContext& context) {
  const Node* network_mode = task.network_mode;
  if (!network_mode || network_mode->is_null()) {
    context.report(*task.node, fmt::format("task definition \"{}\" runs on Fargate but sets no networkMode: the "
                                           "default is bridge, which Fargate rejects; set networkMode to awsvpc",
                                           task.display_name));
  } else if (!network_mode->is_unknown() && text_of(network_mode) != "awsvpc") {
    context.report(*network_mode, fmt::format("{} {} is not supported on Fargate, which requires awsvpc (one "
                                              "network interface per task); set it to awsvpc and give containers "
                                              "hostPort equal to containerPort, or none",
                                              spelled(*network_mode, "networkMode"), network_mode->describe()));
  }
  if (is_set(task.ipc_mode) && task.ipc_mode->is_string())
    context.report_key(*task.ipc_mode, fmt::format("task definition \"{}\" sets {} {}, which Fargate rejects: "
                                                   "containers on Fargate cannot share an IPC namespace; remove it",
                                                   task.display_name, spelled(*task.ipc_mode, "ipcMode"),
                                                   task.ipc_mode->describe()));
  if (text_of(task.pid_mode) == "host")
    context.report(*task.pid_mode, fmt::format("task definition \"{}\" sets {} \"host\", which Fargate rejects: "
                                               "there is no host to share; use \"task\" to share processes between "
                                               "the task's containers, or remove it",
                                               task.display_name, spelled(*task.pid_mode, "pidMode")));
  if (is_set(task.placement_constraints))
    context.report_key(*task.placement_constraints,
                       fmt::format("task definition \"{}\" has {}, which Fargate rejects: Fargate places tasks "
                                   "itself, spread across Availability Zones; remove them",
                                   task.display_name, spelled(*task.placement_constraints, "placementConstraints")));
  check_volumes(task, context);
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  if (!context.runs_on_fargate(task)) return;
  if (has_task_level_fields(task)) check_task(task, context);
  for (const ecs::ContainerDefinition& container : task.containers) check_container(container, context);
}

const RuleRegistration registration{{
    .id = "ECS008",
    .slug = "fargate-incompatible-setting",
    .severity = Severity::Error,
    .summary = "A Fargate task definition uses a setting Fargate rejects (privileged, links, host volumes, bridge networking...)",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
