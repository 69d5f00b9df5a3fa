#include "analyzer/model/ecs/extract.h"

#include "analyzer/model/cloudformation_intrinsics.h"

#include <string>

namespace shiftlint::ecs {

namespace {

const Node* field(const Node& map, std::string_view name) { return map.find_any_case(name); }

void read_name_values(const Node* list, std::string_view value_key, std::vector<NameValue>& out) {
  if (!list || !list->is_list()) return;
  for (const Node& item : list->children) {
    if (!item.is_map()) continue;
    out.push_back({&item, field(item, "name"), field(item, value_key)});
  }
}

ContainerDefinition read_container(const Node& map) {
  ContainerDefinition container;
  container.node = &map;
  container.name = field(map, "name");
  container.image = field(map, "image");
  container.essential = field(map, "essential");
  container.command = field(map, "command");
  container.entry_point = field(map, "entryPoint");
  container.environment = field(map, "environment");
  container.secrets = field(map, "secrets");
  container.ulimits = field(map, "ulimits");
  container.stop_timeout = field(map, "stopTimeout");
  container.start_timeout = field(map, "startTimeout");
  container.depends_on = field(map, "dependsOn");
  container.log_configuration = field(map, "logConfiguration");
  container.firelens_configuration = field(map, "firelensConfiguration");
  container.memory = field(map, "memory");
  container.memory_reservation = field(map, "memoryReservation");
  container.cpu = field(map, "cpu");
  container.linux_parameters = field(map, "linuxParameters");
  container.privileged = field(map, "privileged");
  container.links = field(map, "links");
  container.docker_security_options = field(map, "dockerSecurityOptions");
  container.extra_hosts = field(map, "extraHosts");
  container.dns_servers = field(map, "dnsServers");
  container.dns_search_domains = field(map, "dnsSearchDomains");
  container.disable_networking = field(map, "disableNetworking");
  container.system_controls = field(map, "systemControls");
  container.port_mappings = field(map, "portMappings");
  container.health_check = field(map, "healthCheck");
  container.mount_points = field(map, "mountPoints");
  container.working_directory = field(map, "workingDirectory");
  container.user = field(map, "user");

  read_name_values(container.environment, "value", container.environment_entries);
  read_name_values(container.secrets, "valueFrom", container.secret_entries);
  if (container.ulimits && container.ulimits->is_list()) {
    for (const Node& item : container.ulimits->children) {
      if (!item.is_map()) continue;
      container.ulimit_entries.push_back(
          {&item, field(item, "name"), field(item, "softLimit"), field(item, "hardLimit")});
    }
  }
  if (container.depends_on && container.depends_on->is_list()) {
    for (const Node& item : container.depends_on->children) {
      if (!item.is_map()) continue;
      container.dependencies.push_back({&item, field(item, "containerName"), field(item, "condition")});
    }
  }
  return container;
}

std::string file_name_of(const SourceFile& file) {
  const std::string& path = file.display_path();
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool looks_like_container_list(const Node& root) {
  if (!root.is_list() || root.children.empty()) return false;
  for (const Node& item : root.children)
    if (!item.is_map() || !item.find_any_case("image")) return false;
  return true;
}

}  // namespace

void fill_containers(TaskDefinition& task, const Node& container_definitions) {
  task.container_definitions = &container_definitions;
  if (!container_definitions.is_list()) return;
  for (const Node& item : container_definitions.children)
    if (item.is_map()) task.containers.push_back(read_container(item));
}

void fill_task_definition(TaskDefinition& task, const Node& map) {
  task.node = &map;
  task.family = field(map, "family");
  task.cpu = field(map, "cpu");
  task.memory = field(map, "memory");
  task.requires_compatibilities = field(map, "requiresCompatibilities");
  task.network_mode = field(map, "networkMode");
  task.ipc_mode = field(map, "ipcMode");
  task.pid_mode = field(map, "pidMode");
  task.placement_constraints = field(map, "placementConstraints");
  task.volumes = field(map, "volumes");
  task.ephemeral_storage = field(map, "ephemeralStorage");
  task.runtime_platform = field(map, "runtimePlatform");
  if (const Node* containers = field(map, "containerDefinitions")) fill_containers(task, *containers);
  if (task.family) {
    if (auto text = task.family->as_string()) task.display_name = std::string(*text);
  }
}

std::vector<TaskDefinition> extract_task_definitions(Document& document) {
  std::vector<TaskDefinition> found;
  const SourceFile& file = *document.file;
  for (Node& root : document.roots) {
    if (looks_like_container_list(root)) {
      TaskDefinition task;
      task.carrier = Carrier::ContainerDefinitionList;
      task.file = &file;
      task.node = &root;
      task.display_name = file_name_of(file);
      fill_containers(task, root);
      found.push_back(std::move(task));
      continue;
    }
    if (!root.is_map()) continue;

    if (const Node* resources = root.find("Resources"); resources && resources->is_map()) {
      mark_cloudformation_intrinsics(root);
      for (const Node& resource : resources->children) {
        const Node* type = resource.find("Type");
        if (!type || type->as_string() != "AWS::ECS::TaskDefinition") continue;
        const Node* properties = resource.find("Properties");
        if (!properties || !properties->is_map()) continue;
        TaskDefinition task;
        task.carrier = Carrier::CloudFormation;
        task.file = &file;
        fill_task_definition(task, *properties);
        if (task.display_name.empty()) task.display_name = resource.key;
        found.push_back(std::move(task));
      }
      continue;
    }

    const Node* map = &root;
    Carrier carrier = Carrier::RegisterTaskDefinition;
    if (const Node* inner = root.find("taskDefinition"); inner && inner->is_map()) {
      map = inner;
      carrier = Carrier::DescribeTaskDefinition;
    } else if (const Node* version = root.find("AWSEBDockerrunVersion")) {
      // Version 1 describes a single container without ECS fields: the EB model reads it.
      if (version->as_integer() != 2) continue;
      carrier = Carrier::DockerrunV2;
    }
    if (!map->find_any_case("containerDefinitions")) continue;
    TaskDefinition task;
    task.carrier = carrier;
    task.file = &file;
    fill_task_definition(task, *map);
    if (task.display_name.empty()) task.display_name = file_name_of(file);
    found.push_back(std::move(task));
  }
  return found;
}

}  // namespace shiftlint::ecs
