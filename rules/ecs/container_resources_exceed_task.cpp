#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/fargate_task_size.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// A container value in MiB or CPU units; nullopt when absent or unknown (it then adds nothing, so
// a finding holds whatever the unknown turns out to be).
std::optional<int64_t> amount(const Node* node) {
  if (!node || node->is_unknown()) return std::nullopt;
  return node->as_integer();
}

struct Share {
  const ecs::ContainerDefinition* container;
  const Node* node;
  int64_t value;
};

std::string list_shares(const std::vector<Share>& shares) {
  std::string text;
  for (const Share& share : shares) {
    if (!text.empty()) text += ", ";
    std::string_view name = share.container->name_text();
    text += fmt::format("{} {}", name.empty() ? std::string("unnamed") : fmt::format("\"{}\"", name), share.value);
  }
  return text;
}

int64_t total(const std::vector<Share>& shares) {
  int64_t sum = 0;
  for (const Share& share : shares) sum += share.value;
  return sum;
}

// ECS rejects a soft limit above the hard limit.
void check_reservation_below_limit(const ecs::ContainerDefinition& container, RuleContext& context) {
  auto memory = amount(container.memory);
  auto reservation = amount(container.memory_reservation);
  if (!memory || !reservation || *reservation <= *memory) return;
  Finding& finding = context.report(
      *container.memory_reservation,
      fmt::format("{} has memoryReservation {} MiB, above its memory hard limit of {} MiB: ECS rejects the task "
                  "definition because the soft limit must be below the hard limit; lower memoryReservation or raise memory",
                  container.label(), *reservation, *memory));
  RuleContext::relate(finding, *container.memory, "the hard limit is set here");
}

std::string fargate_hint(const ecs::TaskDefinition& task, const RuleContext& context, int64_t cpu, int64_t memory) {
  if (!context.runs_on_fargate(task)) return "";
  auto size = detect::smallest_fargate_size_at_least(cpu, memory);
  if (!size) return "";
  return fmt::format(" (on Fargate: {} CPU units with {} MiB)", size->cpu_units, size->memory_mib);
}

void check_memory(const ecs::TaskDefinition& task, RuleContext& context) {
  if (!task.memory || task.memory->is_unknown()) return;
  auto task_memory = ecs::parse_memory_mib(*task.memory);
  if (!task_memory) return;
  int64_t task_cpu = task.cpu && !task.cpu->is_unknown() ? ecs::parse_cpu_units(*task.cpu).value_or(0) : 0;

  // What each container reserves: its memoryReservation when set, else its hard memory.
  std::vector<Share> reserved;
  std::vector<Share> over_task;  // hard limits above the whole task
  for (const ecs::ContainerDefinition& container : task.containers) {
    auto memory = amount(container.memory);
    if (memory && *memory > *task_memory) over_task.push_back({&container, container.memory, *memory});
    if (container.memory_reservation) {
      if (auto reservation = amount(container.memory_reservation))
        reserved.push_back({&container, container.memory_reservation, *reservation});
    } else if (memory) {
      reserved.push_back({&container, container.memory, *memory});
    }
  }

  int64_t sum = total(reserved);
  if (sum > *task_memory) {
    Finding& finding = context.report(
        *task.memory,
        fmt::format("containers reserve {} MiB of memory ({}) but the task has {} MiB: ECS rejects the task "
                    "definition; raise task memory to at least {} MiB{} or lower the containers' memory",
                    sum, list_shares(reserved), *task_memory, sum, fargate_hint(task, context, task_cpu, sum)));
    for (const Share& share : reserved)
      RuleContext::relate(finding, *share.node, fmt::format("{} reserves {} MiB here", share.container->label(), share.value));
    return;
  }
  for (const Share& share : over_task) {
    Finding& finding = context.report(
        *task.memory,
        fmt::format("{} has a memory hard limit of {} MiB, above the task's {} MiB: ECS rejects the task "
                    "definition; lower the container's memory or raise the task's{}",
                    share.container->label(), share.value, *task_memory,
                    fargate_hint(task, context, task_cpu, share.value)));
    RuleContext::relate(finding, *share.node, "the container's hard limit is set here");
  }
}

void check_cpu(const ecs::TaskDefinition& task, RuleContext& context) {
  if (!task.cpu || task.cpu->is_unknown()) return;
  auto task_cpu = ecs::parse_cpu_units(*task.cpu);
  if (!task_cpu) return;
  std::vector<Share> shares;
  for (const ecs::ContainerDefinition& container : task.containers)
    if (auto cpu = amount(container.cpu); cpu && *cpu > 0) shares.push_back({&container, container.cpu, *cpu});
  int64_t sum = total(shares);
  if (sum <= *task_cpu) return;
  int64_t task_memory = task.memory && !task.memory->is_unknown() ? ecs::parse_memory_mib(*task.memory).value_or(0) : 0;
  Finding& finding = context.report(
      *task.cpu, fmt::format("containers reserve {} CPU units ({}) but the task has {}: ECS rejects the task "
                             "definition; raise task cpu to at least {}{} or lower the containers' cpu",
                             sum, list_shares(shares), *task_cpu, sum, fargate_hint(task, context, sum, task_memory)));
  for (const Share& share : shares)
    RuleContext::relate(finding, *share.node,
                        fmt::format("{} reserves {} CPU units here", share.container->label(), share.value));
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  for (const ecs::ContainerDefinition& container : task.containers) check_reservation_below_limit(container, context);
  check_memory(task, context);
  check_cpu(task, context);
}

const RuleRegistration registration{{
    .id = "ECS007",
    .slug = "container-resources-exceed-task",
    .severity = Severity::Error,
    .summary = "Containers reserve more memory or CPU than the task has, or a memoryReservation exceeds its memory",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
