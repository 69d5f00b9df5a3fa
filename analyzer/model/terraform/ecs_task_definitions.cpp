#include "analyzer/model/terraform/ecs_task_definitions.h"

#include <fmt/format.h>

#include "analyzer/model/ecs/extract.h"
#include "analyzer/model/terraform/json_values.h"

namespace shiftlint::terraform {

namespace {

// The first block of a nested block list (`ephemeral_storage { ... }`), or nullptr.
const Node* first_block(const Node* list) {
  if (!list || list->kind != NodeKind::List || list->children.empty()) return nullptr;
  return &list->children.front();
}

// A copy of `value` under another key (the API's name), keeping its spans.
Node renamed(const Node& value, std::string key) {
  Node copy = value;
  copy.key = std::move(key);
  return copy;
}

// A block's map with its attributes renamed from Terraform's names to the API's.
Node api_shaped(const Node& block, std::initializer_list<std::pair<std::string_view, std::string_view>> names,
                std::string key) {
  Node result;
  result.kind = NodeKind::Map;
  result.file = block.file;
  result.span = block.span;
  result.key = std::move(key);
  result.key_span = block.key_span;
  for (const auto& [terraform_name, api_name] : names) {
    if (const Node* value = block.find(terraform_name)) {
      Node member = renamed(*value, std::string(api_name));
      if (member.kind == NodeKind::List && !member.children.empty() && member.children.front().is_map())
        member = renamed(member.children.front(), std::string(api_name));  // a nested block
      result.children.push_back(std::move(member));
    }
  }
  return result;
}

// `volume` blocks as the API's `volumes` list.
Node volumes_of(const Node& blocks) {
  if (blocks.kind != NodeKind::List) return blocks;  // unknown (dynamic blocks over an unknown collection)
  Node list;
  list.kind = NodeKind::List;
  list.file = blocks.file;
  list.span = blocks.span;
  list.key = blocks.key;
  list.key_span = blocks.key_span;
  for (const Node& volume : blocks.children) {
    Node item;
    item.kind = NodeKind::Map;
    item.file = volume.file;
    item.span = volume.span;
    if (const Node* name = volume.find("name")) item.children.push_back(renamed(*name, "name"));
    if (const Node* host_path = volume.find("host_path")) {
      Node host;
      host.kind = NodeKind::Map;
      host.file = host_path->file;
      host.span = host_path->span;
      host.key = "host";
      host.key_span = host_path->key_span;
      host.children.push_back(renamed(*host_path, "sourcePath"));
      item.children.push_back(std::move(host));
    }
    if (const Node* docker = first_block(volume.find("docker_volume_configuration")))
      item.children.push_back(api_shaped(*docker, {{"scope", "scope"}, {"autoprovision", "autoprovision"},
                                                   {"driver", "driver"}, {"driver_opts", "driverOpts"},
                                                   {"labels", "labels"}},
                                         "dockerVolumeConfiguration"));
    if (const Node* efs = first_block(volume.find("efs_volume_configuration")))
      item.children.push_back(api_shaped(*efs, {{"file_system_id", "fileSystemId"}, {"root_directory", "rootDirectory"},
                                                {"transit_encryption", "transitEncryption"},
                                                {"transit_encryption_port", "transitEncryptionPort"},
                                                {"authorization_config", "authorizationConfig"}},
                                         "efsVolumeConfiguration"));
    if (const Node* configure = volume.find("configure_at_launch"))
      item.children.push_back(renamed(*configure, "configuredAtLaunch"));
    list.children.push_back(std::move(item));
  }
  return list;
}

std::string instance_label(const Resource& resource, const ResourceInstance& instance) {
  if (instance.key.kind == NodeKind::Number) return fmt::format("{}[{}]", resource.address, instance.key.text);
  if (instance.key.kind == NodeKind::String) return fmt::format("{}[\"{}\"]", resource.address, instance.key.text);
  return resource.address;
}

void extract_instance(const Resource& resource, const ResourceInstance& instance, TerraformTaskDefinitions& out) {
  const Node& value = instance.value;
  ecs::TaskDefinition task;
  task.carrier = ecs::Carrier::Terraform;
  task.file = resource.declaration.file;
  task.node = &value;
  task.family = value.find("family");
  task.cpu = value.find("cpu");
  task.memory = value.find("memory");
  task.requires_compatibilities = value.find("requires_compatibilities");
  task.network_mode = value.find("network_mode");
  task.ipc_mode = value.find("ipc_mode");
  task.pid_mode = value.find("pid_mode");
  task.placement_constraints = value.find("placement_constraints");
  if (const Node* volumes = value.find("volume")) {
    out.storage.push_back(volumes_of(*volumes));
    task.volumes = &out.storage.back();
  }
  if (const Node* storage = first_block(value.find("ephemeral_storage"))) {
    out.storage.push_back(api_shaped(*storage, {{"size_in_gib", "sizeInGiB"}}, "ephemeral_storage"));
    task.ephemeral_storage = &out.storage.back();
  }
  if (const Node* platform = first_block(value.find("runtime_platform"))) {
    out.storage.push_back(api_shaped(
        *platform, {{"operating_system_family", "operatingSystemFamily"}, {"cpu_architecture", "cpuArchitecture"}},
        "runtime_platform"));
    task.runtime_platform = &out.storage.back();
  }
  if (auto family = task.family ? task.family->as_string() : std::nullopt) task.display_name = std::string(*family);
  else task.display_name = instance_label(resource, instance);

  if (const Node* definitions = value.find("container_definitions")) {
    if (const Node* structure = json_structure(*definitions)) {
      ecs::fill_containers(task, *structure);
    } else if (definitions->kind == NodeKind::String) {
      // Built by string functions (format, replace...): decode it, positions at the argument.
      Node decoded;
      std::string error;
      if (decode_json_text(definitions->text, definitions->file, definitions->span, decoded, error)) {
        out.storage.push_back(std::move(decoded));
        ecs::fill_containers(task, out.storage.back());
      } else {
        out.failures.push_back(
            {definitions->file, definitions->span,
             fmt::format("container_definitions of {} is not valid JSON ({}); its containers are not checked",
                         task.display_name, error)});
        task.container_definitions = definitions;
      }
    } else {
      task.container_definitions = definitions;  // unknown: no container is known
    }
  }
  out.tasks.push_back(std::move(task));
}

}  // namespace

void extract_task_definitions(const Module& module, TerraformTaskDefinitions& out) {
  for (const Resource& resource : module.resources) {
    if (resource.data || resource.type != "aws_ecs_task_definition") continue;
    for (const ResourceInstance& instance : resource.instances) {
      extract_instance(resource, instance, out);
      out.identities.push_back({resource.type, resource.address, module.address});
    }
  }
  for (const Module& child : module.children) extract_task_definitions(child, out);
}

}  // namespace shiftlint::terraform
