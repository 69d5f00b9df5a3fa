#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/fargate_task_size.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// A bare container list or a Dockerrun file has no task-level fields: they live elsewhere.
bool has_task_level_fields(const ecs::TaskDefinition& task) {
  return task.carrier != ecs::Carrier::ContainerDefinitionList && task.carrier != ecs::Carrier::DockerrunV2;
}

bool is_missing(const Node* node) { return !node || node->is_null() || (node->is_string() && node->text.empty()); }

// `768`, or `"0.75 vCPU" (768 CPU units)` when the value was written with a unit.
std::string shown(const Node& node, int64_t amount, std::string_view unit) {
  if (node.is_number() || (node.is_string() && node.as_integer())) return fmt::format("{} {}", amount, unit);
  return fmt::format("{} ({} {})", node.describe(), amount, unit);
}

std::string describe_size(const detect::FargateTaskSize& size) {
  return fmt::format("{} CPU units with {} MiB", size.cpu_units, size.memory_mib);
}

// `"cpu": "512", "memory": "1024"` as the user's carrier spells it.
std::string spelled_size(const ecs::TaskDefinition& task, const detect::FargateTaskSize& size) {
  if (task.carrier == ecs::Carrier::CloudFormation)
    return fmt::format("Cpu: {} and Memory: {}", size.cpu_units, size.memory_mib);
  return fmt::format("\"cpu\": \"{}\", \"memory\": \"{}\"", size.cpu_units, size.memory_mib);
}

// A size to suggest for a task that has none: the smallest that holds what its containers ask for.
detect::FargateTaskSize suggested_size(const ecs::TaskDefinition& task) {
  int64_t cpu = 0, memory = 0;
  if (task.cpu && !is_missing(task.cpu)) cpu = ecs::parse_cpu_units(*task.cpu).value_or(0);
  if (task.memory && !is_missing(task.memory)) memory = ecs::parse_memory_mib(*task.memory).value_or(0);
  int64_t container_cpu = 0, container_memory = 0;
  for (const ecs::ContainerDefinition& container : task.containers) {
    if (container.cpu) container_cpu += container.cpu->as_integer().value_or(0);
    const Node* reserved = container.memory ? container.memory : container.memory_reservation;
    if (reserved) container_memory += reserved->as_integer().value_or(0);
  }
  auto size = detect::smallest_fargate_size_at_least(std::max(cpu, container_cpu), std::max(memory, container_memory));
  return size ? *size : detect::FargateTaskSize{256, 512};
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  if (!has_task_level_fields(task) || !context.runs_on_fargate(task)) return;

  bool cpu_missing = is_missing(task.cpu);
  bool memory_missing = is_missing(task.memory);
  if (cpu_missing || memory_missing) {
    std::string_view what = cpu_missing && memory_missing ? "cpu and memory" : cpu_missing ? "cpu" : "memory";
    detect::FargateTaskSize size = suggested_size(task);
    context.report(*task.node,
                   fmt::format("task definition \"{}\" runs on Fargate but sets no task-level {}: Fargate requires "
                               "both and rejects the task definition; set a valid pair such as {}",
                               task.display_name, what, spelled_size(task, size)));
    return;
  }
  if (task.cpu->is_unknown() || task.memory->is_unknown()) return;
  auto cpu = ecs::parse_cpu_units(*task.cpu);
  auto memory = ecs::parse_memory_mib(*task.memory);
  if (!cpu || !memory) return;

  detect::FargateSizeVerdict verdict = detect::validate_fargate_task_size(*cpu, *memory);
  if (verdict.ok()) return;
  if (verdict.problem == detect::FargateSizeProblem::InvalidCpu) {
    Finding& finding = context.report(
        *task.cpu, fmt::format("task cpu {} is not a Fargate size: Fargate accepts {} CPU units and rejects the task "
                               "definition; use {}",
                               shown(*task.cpu, *cpu, "CPU units"), detect::describe_fargate_cpu_sizes(),
                               describe_size(verdict.suggestion)));
    RuleContext::relate(finding, *task.memory, "task memory is set here");
    return;
  }
  std::string fix = verdict.suggestion.cpu_units == *cpu
                        ? fmt::format("use {} MiB", verdict.suggestion.memory_mib)
                        : fmt::format("use {}", describe_size(verdict.suggestion));
  Finding& finding = context.report(
      *task.memory, fmt::format("task memory {} is not valid with {} CPU units on Fargate (for {} CPU units use {}), "
                                "so the task definition is rejected; {}",
                                shown(*task.memory, *memory, "MiB"), *cpu, *cpu, verdict.valid_memory, fix));
  RuleContext::relate(finding, *task.cpu, "task cpu is set here");
}

const RuleRegistration registration{{
    .id = "ECS006",
    .slug = "invalid-fargate-size",
    .severity = Severity::Error,
    .summary = "Task cpu/memory is not a valid Fargate combination, or is missing on a Fargate task",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
