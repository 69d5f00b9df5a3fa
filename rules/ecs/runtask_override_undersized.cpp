#include <optional>
#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

// An override value, or nullopt when absent or not known.
std::optional<int64_t> amount(const Node* value, bool cpu) {
  if (!value || value->is_unknown() || value->is_null()) return std::nullopt;
  return cpu ? ecs::parse_cpu_units(*value) : ecs::parse_memory_mib(*value);
}

// `level`: "task" or `container "app"`; `what`: cpu, memory, memoryReservation.
void compare(const Node* override_value, const Node* defined, bool cpu, const std::string& level,
             std::string_view what, const aws::RunTask& run, RuleContext& context) {
  auto wanted = amount(override_value, cpu);
  auto sized = amount(defined, cpu);
  if (!wanted || !sized || *wanted >= *sized) return;
  std::string_view unit = cpu ? "CPU units" : "MiB";
  Finding& finding = context.report(
      *override_value,
      fmt::format("{} overrides the {} {} to {} {}, below the {} {} that {} sets: the job runs "
                  "smaller than it was sized for ({}); raise the override to at least {} {} or drop it",
                  run.display_name, level, what, *wanted, unit, *sized, unit,
                  aws::task_definition_name(*run.task, run.task_in_other_file),
                  cpu ? "slower, and throttled under load" : "killed when it needs the memory it was sized for",
                  *sized, unit));
  RuleContext::relate(finding, *defined, fmt::format("the task definition's {} {}", level, what));
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::RunTask& run : infrastructure.run_tasks) {
    if (!run.task || !run.overrides || !run.overrides->is_map()) continue;
    const ecs::TaskDefinition& task = *run.task;
    compare(run.overrides->find_any_case("cpu"), task.cpu, true, "task", "cpu", run, context);
    compare(run.overrides->find_any_case("memory"), task.memory, false, "task", "memory", run, context);
    const Node* containers = run.overrides->find_any_case("containerOverrides");
    if (!containers || !containers->is_list()) continue;
    for (const Node& item : containers->children) {
      const Node* name = item.find_any_case("name");
      auto container_name = name ? name->as_string() : std::nullopt;
      const ecs::ContainerDefinition* container = container_name ? task.find_container(*container_name) : nullptr;
      if (!container) continue;
      std::string level = fmt::format("container \"{}\"", *container_name);
      compare(item.find_any_case("cpu"), container->cpu, true, level, "cpu", run, context);
      compare(item.find_any_case("memory"), container->memory, false, level, "memory", run, context);
      compare(item.find_any_case("memoryReservation"), container->memory_reservation, false, level,
              "memoryReservation", run, context);
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS103",
    .slug = "runtask-override-undersized",
    .severity = Severity::Warning,
    .summary = "RunTask overrides set cpu/memory below the task definition's",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
