#include <optional>
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/fargate_task_size.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

constexpr size_t kMaxOverridesCharacters = 8192;

std::optional<int64_t> amount(const Node* value, bool cpu) {
  if (!value || value->is_unknown() || value->is_null()) return std::nullopt;
  return cpu ? ecs::parse_cpu_units(*value) : ecs::parse_memory_mib(*value);
}

bool runs_on_fargate(const aws::RunTask& run, Target target) {
  aws::FargateUse use = aws::fargate_use(run.launch_type, run.capacity_provider_strategy, target);
  if (use != aws::FargateUse::Unknown) return use == aws::FargateUse::Yes;
  // The cluster's default strategy decides, but a Fargate-only task definition can only run there.
  return run.task && run.task->requires_fargate() && run.task->requires_compatibilities->children.size() == 1;
}

void check_size(const aws::RunTask& run, RuleContext& context) {
  const Node* cpu_override = run.overrides->find_any_case("cpu");
  const Node* memory_override = run.overrides->find_any_case("memory");
  if ((!cpu_override || cpu_override->is_null()) && (!memory_override || memory_override->is_null())) return;
  if ((cpu_override && cpu_override->is_unknown()) || (memory_override && memory_override->is_unknown())) return;
  // What Fargate sizes the task with: the override where there is one, the task definition's otherwise.
  auto cpu = cpu_override ? amount(cpu_override, true) : run.task ? amount(run.task->cpu, true) : std::nullopt;
  auto memory =
      memory_override ? amount(memory_override, false) : run.task ? amount(run.task->memory, false) : std::nullopt;
  if (!cpu || !memory) return;
  detect::FargateSizeVerdict verdict = detect::validate_fargate_task_size(*cpu, *memory);
  if (verdict.ok()) return;
  bool blame_cpu = verdict.problem == detect::FargateSizeProblem::InvalidCpu ? cpu_override != nullptr
                                                                               : memory_override == nullptr;
  const Node& at = blame_cpu && cpu_override ? *cpu_override : memory_override ? *memory_override : *cpu_override;
  std::string suggestion = fmt::format("{} CPU units with {} MiB", verdict.suggestion.cpu_units,
                                       verdict.suggestion.memory_mib);
  // The value the override leaves to the task definition, named with its file when that is another one.
  std::string kept;
  if (run.task && run.task_in_other_file && (!cpu_override || !memory_override))
    kept = fmt::format(" (the {} of {})", cpu_override ? "memory" : "cpu",
                       aws::task_definition_name(*run.task, run.task_in_other_file));
  Finding& finding = context.report(
      at, fmt::format("{} overrides the task size to {} CPU units with {} MiB{}, which Fargate does not offer: {}; "
                      "RunTask fails and the job never starts; use a valid size such as {}",
                      run.display_name, *cpu, *memory, kept, verdict.reason, suggestion));
  if (run.task && !cpu_override && run.task->cpu) RuleContext::relate(finding, *run.task->cpu, "task cpu from the task definition");
  if (run.task && !memory_override && run.task->memory)
    RuleContext::relate(finding, *run.task->memory, "task memory from the task definition");
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::RunTask& run : infrastructure.run_tasks) {
    if (!run.overrides || !run.overrides->is_map()) continue;
    if (run.overrides_length && *run.overrides_length > kMaxOverridesCharacters)
      context.report(*run.overrides,
                     fmt::format("{} sends overrides of {} characters, above RunTask's limit of {}: the call fails "
                                 "with InvalidParameterException; move long environment values into the task "
                                 "definition, Secrets Manager or S3 and pass only what changes per run",
                                 run.display_name, *run.overrides_length, kMaxOverridesCharacters));
    if (runs_on_fargate(run, context.target())) check_size(run, context);
  }
}

const RuleRegistration registration{{
    .id = "ECS104",
    .slug = "runtask-override-invalid",
    .severity = Severity::Error,
    .summary = "RunTask override cpu/memory is not a valid Fargate size, or the overrides exceed 8192 characters",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
