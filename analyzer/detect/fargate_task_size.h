#pragma once
// The task sizes Fargate accepts (FACTS.md §4): each CPU size allows a fixed set of memory sizes.
// Task definitions (ECS006) and RunTask overrides (ECS104) are checked against the same table.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace shiftlint::detect {

// One row of the table: a CPU size and the memory sizes it allows, `memory_min`..`memory_max` in
// `memory_step` steps (256 CPU units is the odd one: 512, then 1024 and 2048).
struct FargateCpuSize {
  int64_t cpu_units;
  int64_t memory_min_mib;
  int64_t memory_max_mib;
  int64_t memory_step_mib;
  bool needs_platform_1_4;  // 8 and 16 vCPU need platform version 1.4.0 or later

  std::vector<int64_t> memory_sizes_mib() const;
  bool allows_memory(int64_t memory_mib) const;
  // "512, 1024 or 2048 MiB", "1024–4096 MiB in 1024 MiB steps": for messages.
  std::string describe_memory() const;
};

// The whole table, smallest CPU first.
std::span<const FargateCpuSize> fargate_cpu_sizes();
// The row for exactly this many CPU units, or nullptr when Fargate has no such size.
const FargateCpuSize* find_fargate_cpu_size(int64_t cpu_units);
// "256, 512, 1024, 2048, 4096, 8192 or 16384": for messages.
std::string describe_fargate_cpu_sizes();

struct FargateTaskSize {
  int64_t cpu_units = 0;
  int64_t memory_mib = 0;
};

enum class FargateSizeProblem { None, InvalidCpu, InvalidMemory };

struct FargateSizeVerdict {
  FargateSizeProblem problem = FargateSizeProblem::None;
  // Why the combination is rejected, e.g. "3000 MiB is not a memory size Fargate allows with 512
  // CPU units (use 1024–4096 MiB in 1024 MiB steps)". Empty when valid.
  std::string reason;
  // The memory sizes allowed with the given CPU ("1024–4096 MiB in 1024 MiB steps"); empty when
  // the CPU itself is invalid.
  std::string valid_memory;
  // The nearest valid size that gives at least the requested CPU and memory (so a suggestion never
  // starves the app): the requested CPU with memory rounded up when that fits, else the smallest
  // larger CPU that fits the memory. When the request exceeds the largest size, the largest size.
  FargateTaskSize suggestion;

  bool ok() const { return problem == FargateSizeProblem::None; }
};

FargateSizeVerdict validate_fargate_task_size(int64_t cpu_units, int64_t memory_mib);

// The smallest valid Fargate size with at least this CPU and memory (e.g. to size a task from the
// sum of its containers), or nullopt when no Fargate size is that large.
std::optional<FargateTaskSize> smallest_fargate_size_at_least(int64_t cpu_units, int64_t memory_mib);

}  // namespace shiftlint::detect
