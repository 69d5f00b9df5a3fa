#pragma once
// The ECS task definition model. Every carrier (register-task-definition JSON,
// describe-task-definition output, a bare container-definition list, Dockerrun.aws.json v2,
// CloudFormation, later Terraform) is normalised into this one shape, so each rule is written once.
//
// Fields are pointers into the located tree: nullptr when the field is absent, so a rule can point
// at the exact attribute, or at the enclosing block (`node`) when the attribute is missing.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/located_tree.h"

namespace shiftlint::ecs {

enum class Carrier {
  RegisterTaskDefinition,   // aws ecs register-task-definition --cli-input-json
  DescribeTaskDefinition,   // aws ecs describe-task-definition output: {"taskDefinition": {...}}
  ContainerDefinitionList,  // a bare JSON list of container definitions
  DockerrunV2,              // Elastic Beanstalk Dockerrun.aws.json, AWSEBDockerrunVersion 2
  CloudFormation,           // AWS::ECS::TaskDefinition resource (YAML or JSON template)
  Terraform,                // aws_ecs_task_definition
};
std::string_view to_string(Carrier carrier);

struct NameValue {  // an `environment` entry, or a `secrets` entry (value = valueFrom)
  const Node* node = nullptr;
  const Node* name = nullptr;
  const Node* value = nullptr;
};

struct Ulimit {
  const Node* node = nullptr;
  const Node* name = nullptr;
  const Node* soft_limit = nullptr;
  const Node* hard_limit = nullptr;
};

struct ContainerDependency {
  const Node* node = nullptr;
  const Node* container_name = nullptr;
  const Node* condition = nullptr;
};

struct ContainerDefinition {
  const Node* node = nullptr;  // the container definition map
  const Node* name = nullptr;
  const Node* image = nullptr;
  const Node* essential = nullptr;
  const Node* command = nullptr;
  const Node* entry_point = nullptr;
  const Node* environment = nullptr;
  const Node* secrets = nullptr;
  const Node* ulimits = nullptr;
  const Node* stop_timeout = nullptr;
  const Node* start_timeout = nullptr;
  const Node* depends_on = nullptr;
  const Node* log_configuration = nullptr;
  const Node* firelens_configuration = nullptr;
  const Node* memory = nullptr;
  const Node* memory_reservation = nullptr;
  const Node* cpu = nullptr;
  const Node* linux_parameters = nullptr;
  const Node* privileged = nullptr;
  const Node* links = nullptr;
  const Node* docker_security_options = nullptr;
  const Node* extra_hosts = nullptr;
  const Node* dns_servers = nullptr;
  const Node* dns_search_domains = nullptr;
  const Node* disable_networking = nullptr;
  const Node* system_controls = nullptr;
  const Node* port_mappings = nullptr;
  const Node* health_check = nullptr;
  const Node* mount_points = nullptr;
  const Node* working_directory = nullptr;
  const Node* user = nullptr;

  std::vector<NameValue> environment_entries;
  std::vector<NameValue> secret_entries;
  std::vector<Ulimit> ulimit_entries;
  std::vector<ContainerDependency> dependencies;

  // The container's name, or "" when it has none (or it is not a literal).
  std::string_view name_text() const;
  // How messages name it: `container "web"`; `the container named by !Ref ServiceName` when the
  // name is only known at deploy time; `a container` when it has none.
  std::string label() const;
  // The image reference as a string, or "" when absent or unknown.
  std::string_view image_text() const;
  // `essential` defaults to true when omitted. nullopt when the value is unknown.
  std::optional<bool> is_essential() const;
  // logConfiguration.logDriver, or "" when absent/unknown.
  std::string_view log_driver() const;
  // The ulimit entry with this name (e.g. "nofile"), or nullptr.
  const Ulimit* find_ulimit(std::string_view ulimit_name) const;
  // The dependency on that container, or nullptr.
  const ContainerDependency* find_dependency(std::string_view container_name) const;
  // The literal words of entryPoint + command (shell-form strings kept as one word each).
  std::vector<std::string> command_line() const;
};

struct TaskDefinition {
  Carrier carrier = Carrier::RegisterTaskDefinition;
  const SourceFile* file = nullptr;
  // The task definition map (the list itself for a bare container-definition list).
  const Node* node = nullptr;
  // What the user calls it: the family, the CloudFormation logical id, or the file name.
  std::string display_name;

  const Node* family = nullptr;
  const Node* cpu = nullptr;
  const Node* memory = nullptr;
  const Node* requires_compatibilities = nullptr;
  const Node* network_mode = nullptr;
  const Node* ipc_mode = nullptr;
  const Node* pid_mode = nullptr;
  const Node* placement_constraints = nullptr;
  const Node* volumes = nullptr;
  const Node* ephemeral_storage = nullptr;
  const Node* runtime_platform = nullptr;
  const Node* container_definitions = nullptr;

  std::vector<ContainerDefinition> containers;

  // "FARGATE" is listed in requiresCompatibilities.
  bool requires_fargate() const;
  // requiresCompatibilities is present, lists literal values only, and none is FARGATE (EC2/EXTERNAL
  // only). A value chosen by an expression (`!If [UseFargate, FARGATE, EC2]`) does not exclude it.
  bool excludes_fargate() const;
  // runtimePlatform.operatingSystemFamily names a Windows Server release (WINDOWS_SERVER_2022_CORE).
  bool runs_windows() const;
  const ContainerDefinition* find_container(std::string_view name) const;
};

// Task cpu/memory may be written as numbers, numeric strings, or with units ("1 vCPU", "0.5 vcpu",
// "2 GB", "512 MiB"). Returns CPU units and MiB; nullopt when unknown or unparseable.
std::optional<int64_t> parse_cpu_units(const Node& node);
std::optional<int64_t> parse_memory_mib(const Node& node);

}  // namespace shiftlint::ecs
