#include "analyzer/detect/fargate_task_size.h"

#include <array>

#include <fmt/format.h>

namespace shiftlint::detect {

namespace {
// FACTS.md §4, from the Fargate task size table in the ECS developer guide.
constexpr std::array<FargateCpuSize, 7> kSizes{{
    {256, 512, 2048, 1024, false},  // 512, 1024, 2048: see memory_sizes_mib
    {512, 1024, 4096, 1024, false},
    {1024, 2048, 8192, 1024, false},
    {2048, 4096, 16384, 1024, false},
    {4096, 8192, 30720, 1024, false},
    {8192, 16384, 61440, 4096, true},
    {16384, 32768, 122880, 8192, true},
}};

std::string join_alternatives(const std::vector<int64_t>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += i + 1 == values.size() ? " or " : ", ";
    text += std::to_string(values[i]);
  }
  return text;
}

// The smallest memory size of this row that is at least `memory_mib`, if any.
std::optional<int64_t> round_up_memory(const FargateCpuSize& size, int64_t memory_mib) {
  for (int64_t candidate : size.memory_sizes_mib())
    if (candidate >= memory_mib) return candidate;
  return std::nullopt;
}
}  // namespace

std::vector<int64_t> FargateCpuSize::memory_sizes_mib() const {
  std::vector<int64_t> sizes;
  if (cpu_units == 256) return {512, 1024, 2048};
  for (int64_t memory = memory_min_mib; memory <= memory_max_mib; memory += memory_step_mib)
    sizes.push_back(memory);
  return sizes;
}

bool FargateCpuSize::allows_memory(int64_t memory_mib) const {
  for (int64_t candidate : memory_sizes_mib())
    if (candidate == memory_mib) return true;
  return false;
}

std::string FargateCpuSize::describe_memory() const {
  if (cpu_units == 256) return join_alternatives(memory_sizes_mib()) + " MiB";
  return fmt::format("{}–{} MiB in {} MiB steps", memory_min_mib, memory_max_mib, memory_step_mib);
}

std::span<const FargateCpuSize> fargate_cpu_sizes() { return kSizes; }

const FargateCpuSize* find_fargate_cpu_size(int64_t cpu_units) {
  for (const FargateCpuSize& size : kSizes)
    if (size.cpu_units == cpu_units) return &size;
  return nullptr;
}

std::string describe_fargate_cpu_sizes() {
  std::vector<int64_t> cpus;
  for (const FargateCpuSize& size : kSizes) cpus.push_back(size.cpu_units);
  return join_alternatives(cpus);
}

std::optional<FargateTaskSize> smallest_fargate_size_at_least(int64_t cpu_units, int64_t memory_mib) {
  for (const FargateCpuSize& size : kSizes) {
    if (size.cpu_units < cpu_units) continue;
    if (auto memory = round_up_memory(size, memory_mib)) return FargateTaskSize{size.cpu_units, *memory};
  }
  return std::nullopt;
}

FargateSizeVerdict validate_fargate_task_size(int64_t cpu_units, int64_t memory_mib) {
  FargateSizeVerdict verdict;
  const FargateCpuSize* size = find_fargate_cpu_size(cpu_units);
  if (size && size->allows_memory(memory_mib)) {
    verdict.suggestion = {cpu_units, memory_mib};
    return verdict;
  }
  if (auto nearest = smallest_fargate_size_at_least(cpu_units, memory_mib)) {
    verdict.suggestion = *nearest;
  } else {
    const FargateCpuSize& largest = kSizes.back();
    verdict.suggestion = {largest.cpu_units, largest.memory_max_mib};
  }
  if (!size) {
    verdict.problem = FargateSizeProblem::InvalidCpu;
    verdict.reason = fmt::format("{} CPU units is not a Fargate task size (Fargate accepts {} CPU units)",
                                 cpu_units, describe_fargate_cpu_sizes());
    return verdict;
  }
  verdict.problem = FargateSizeProblem::InvalidMemory;
  verdict.valid_memory = size->describe_memory();
  verdict.reason = fmt::format("{} MiB is not a memory size Fargate allows with {} CPU units (for {} CPU units use {})",
                               memory_mib, cpu_units, cpu_units, verdict.valid_memory);
  return verdict;
}

}  // namespace shiftlint::detect
