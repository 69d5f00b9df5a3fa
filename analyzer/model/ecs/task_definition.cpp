#include "analyzer/model/ecs/task_definition.h"

#include <cctype>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "analyzer/source/ascii_case.h"

namespace shiftlint::ecs {

std::string_view to_string(Carrier carrier) {
  switch (carrier) {
    case Carrier::RegisterTaskDefinition: return "register-task-definition JSON";
    case Carrier::DescribeTaskDefinition: return "describe-task-definition output";
    case Carrier::ContainerDefinitionList: return "container definition list";
    case Carrier::DockerrunV2: return "Dockerrun.aws.json v2";
    case Carrier::CloudFormation: return "CloudFormation AWS::ECS::TaskDefinition";
    case Carrier::Terraform: return "Terraform aws_ecs_task_definition";
  }
  return "";
}

std::string_view ContainerDefinition::name_text() const {
  if (!name) return {};
  auto text = name->as_string();
  return text ? *text : std::string_view();
}

std::string ContainerDefinition::label() const {
  std::string_view literal = name_text();
  if (!literal.empty()) return fmt::format("container \"{}\"", literal);
  if (name && name->is_unknown() && !name->text.empty()) return fmt::format("the container named by {}", name->text);
  return "a container";
}

std::string_view ContainerDefinition::image_text() const {
  if (!image) return {};
  auto text = image->as_string();
  return text ? *text : std::string_view();
}

std::optional<bool> ContainerDefinition::is_essential() const {
  if (!essential || essential->is_null()) return true;
  return essential->as_boolean();
}

std::string_view ContainerDefinition::log_driver() const {
  if (!log_configuration) return {};
  const Node* driver = log_configuration->find_any_case("logDriver");
  if (!driver) return {};
  auto text = driver->as_string();
  return text ? *text : std::string_view();
}

const Ulimit* ContainerDefinition::find_ulimit(std::string_view ulimit_name) const {
  for (const Ulimit& entry : ulimit_entries)
    if (entry.name && entry.name->as_string() == ulimit_name) return &entry;
  return nullptr;
}

const ContainerDependency* ContainerDefinition::find_dependency(std::string_view container_name) const {
  for (const ContainerDependency& dependency : dependencies)
    if (dependency.container_name && dependency.container_name->as_string() == container_name)
      return &dependency;
  return nullptr;
}

std::vector<std::string> ContainerDefinition::command_line() const {
  std::vector<std::string> words;
  for (const Node* part : {entry_point, command}) {
    if (!part) continue;
    if (part->is_list()) {
      for (const Node& item : part->children)
        if (auto text = item.as_string()) words.emplace_back(*text);
    } else if (auto text = part->as_string()) {
      words.emplace_back(*text);
    }
  }
  return words;
}

namespace {
bool list_contains(const Node* list, std::string_view value) {
  if (!list || !list->is_list()) return false;
  for (const Node& item : list->children) {
    auto text = item.as_string();
    if (!text || text->size() != value.size()) continue;
    bool same = true;
    for (size_t i = 0; i < value.size() && same; ++i)
      same = std::toupper(static_cast<unsigned char>((*text)[i])) == value[i];
    if (same) return true;
  }
  return false;
}
}  // namespace

bool TaskDefinition::requires_fargate() const { return list_contains(requires_compatibilities, "FARGATE"); }

bool TaskDefinition::runs_windows() const {
  if (!runtime_platform || !runtime_platform->is_map()) return false;
  const Node* family = runtime_platform->find_any_case("operatingSystemFamily");
  std::optional<std::string_view> text = family ? family->as_string() : std::nullopt;
  return text && text->size() >= 7 && to_lower_ascii(text->substr(0, 7)) == "windows";
}

bool TaskDefinition::excludes_fargate() const {
  if (!requires_compatibilities || !requires_compatibilities->is_list() || requires_compatibilities->children.empty())
    return false;
  // `[!If [UseFargate, FARGATE, EC2]]`, a `!Ref` or an unknown expression could be FARGATE.
  for (const Node& item : requires_compatibilities->children)
    if (!item.as_string()) return false;
  return !requires_fargate();
}

const ContainerDefinition* TaskDefinition::find_container(std::string_view container_name) const {
  for (const ContainerDefinition& container : containers)
    if (container.name_text() == container_name) return &container;
  return nullptr;
}

namespace {
// Splits "1 vCPU", "0.5vcpu", "2 GB", "512" into a number and a lower-case unit.
bool split_quantity(std::string_view text, double& amount, std::string& unit) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == start) return false;
  try {
    amount = std::stod(std::string(text.substr(start, i - start)));
  } catch (...) {
    return false;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  unit.clear();
  for (; i < text.size(); ++i)
    if (text[i] != ' ') unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  return true;
}
}  // namespace

std::optional<int64_t> parse_cpu_units(const Node& node) {
  if (node.is_number()) return node.as_integer();
  auto text = node.as_string();
  if (!text) return std::nullopt;
  double amount = 0;
  std::string unit;
  if (!split_quantity(*text, amount, unit)) return std::nullopt;
  if (unit.empty()) return static_cast<int64_t>(std::llround(amount));
  if (unit == "vcpu" || unit == "vcpus") return static_cast<int64_t>(std::llround(amount * 1024));
  return std::nullopt;
}

std::optional<int64_t> parse_memory_mib(const Node& node) {
  if (node.is_number()) return node.as_integer();
  auto text = node.as_string();
  if (!text) return std::nullopt;
  double amount = 0;
  std::string unit;
  if (!split_quantity(*text, amount, unit)) return std::nullopt;
  if (unit.empty() || unit == "mb" || unit == "mib") return static_cast<int64_t>(std::llround(amount));
  if (unit == "gb" || unit == "gib") return static_cast<int64_t>(std::llround(amount * 1024));
  return std::nullopt;
}

}  // namespace shiftlint::ecs
