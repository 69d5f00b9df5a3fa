#include <catch2/catch.hpp>

#include "analyzer/detect/fargate_task_size.h"

using namespace shiftlint::detect;

TEST_CASE("fargate_task_size: every documented combination is valid") {
  CHECK(validate_fargate_task_size(256, 512).ok());
  CHECK(validate_fargate_task_size(256, 2048).ok());
  CHECK(validate_fargate_task_size(512, 3072).ok());
  CHECK(validate_fargate_task_size(1024, 8192).ok());
  CHECK(validate_fargate_task_size(2048, 16384).ok());
  CHECK(validate_fargate_task_size(4096, 30720).ok());
  CHECK(validate_fargate_task_size(8192, 16384).ok());
  CHECK(validate_fargate_task_size(8192, 61440).ok());
  CHECK(validate_fargate_task_size(16384, 122880).ok());
  size_t combinations = 0;
  for (const FargateCpuSize& size : fargate_cpu_sizes())
    for (int64_t memory : size.memory_sizes_mib()) {
      CHECK(validate_fargate_task_size(size.cpu_units, memory).ok());
      ++combinations;
    }
  // 3 + 4 + 7 + 13 + 23 + 12 + 12
  CHECK(combinations == 74);
}

TEST_CASE("fargate_task_size: memory outside the cpu's range or off-step is rejected") {
  CHECK_FALSE(validate_fargate_task_size(256, 1536).ok());
  CHECK_FALSE(validate_fargate_task_size(256, 4096).ok());
  CHECK_FALSE(validate_fargate_task_size(512, 512).ok());
  CHECK_FALSE(validate_fargate_task_size(1024, 1024).ok());
  CHECK_FALSE(validate_fargate_task_size(4096, 32768).ok());
  CHECK_FALSE(validate_fargate_task_size(8192, 18432).ok());  // 8 vCPU steps by 4096
  CHECK_FALSE(validate_fargate_task_size(16384, 36864).ok());  // 16 vCPU steps by 8192

  FargateSizeVerdict verdict = validate_fargate_task_size(512, 3000);
  CHECK(verdict.problem == FargateSizeProblem::InvalidMemory);
  CHECK(verdict.valid_memory == "1024–4096 MiB in 1024 MiB steps");
  CHECK(verdict.reason ==
        "3000 MiB is not a memory size Fargate allows with 512 CPU units (for 512 CPU units use 1024–4096 MiB in 1024 MiB steps)");
  CHECK(verdict.suggestion.cpu_units == 512);
  CHECK(verdict.suggestion.memory_mib == 3072);

  CHECK(validate_fargate_task_size(256, 1536).valid_memory == "512, 1024 or 2048 MiB");
}

TEST_CASE("fargate_task_size: suggestions never give less than was asked") {
  // Too much memory for the CPU: the smallest CPU that holds it.
  FargateSizeVerdict too_much = validate_fargate_task_size(256, 4096);
  CHECK(too_much.suggestion.cpu_units == 512);
  CHECK(too_much.suggestion.memory_mib == 4096);
  // Too little memory for the CPU: that CPU's minimum.
  FargateSizeVerdict too_little = validate_fargate_task_size(1024, 1024);
  CHECK(too_little.suggestion.cpu_units == 1024);
  CHECK(too_little.suggestion.memory_mib == 2048);
  // 8 vCPU allows memory in 4 GiB steps only.
  FargateSizeVerdict off_step = validate_fargate_task_size(8192, 20000);
  CHECK(off_step.suggestion.cpu_units == 8192);
  CHECK(off_step.suggestion.memory_mib == 20480);
  // More than the largest size: the largest size.
  FargateSizeVerdict huge = validate_fargate_task_size(16384, 200000);
  CHECK(huge.suggestion.cpu_units == 16384);
  CHECK(huge.suggestion.memory_mib == 122880);
}

TEST_CASE("fargate_task_size: a CPU Fargate does not offer") {
  FargateSizeVerdict verdict = validate_fargate_task_size(768, 2048);
  CHECK(verdict.problem == FargateSizeProblem::InvalidCpu);
  CHECK(verdict.valid_memory.empty());
  CHECK(verdict.reason ==
        "768 CPU units is not a Fargate task size (Fargate accepts 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units)");
  CHECK(verdict.suggestion.cpu_units == 1024);
  CHECK(verdict.suggestion.memory_mib == 2048);
  CHECK(validate_fargate_task_size(128, 256).suggestion.cpu_units == 256);
  CHECK(validate_fargate_task_size(128, 256).suggestion.memory_mib == 512);
}

TEST_CASE("fargate_task_size: smallest size that fits a set of containers") {
  auto fit = smallest_fargate_size_at_least(300, 1500);
  REQUIRE(fit);
  CHECK(fit->cpu_units == 512);
  CHECK(fit->memory_mib == 2048);
  auto memory_bound = smallest_fargate_size_at_least(0, 9000);
  REQUIRE(memory_bound);
  CHECK(memory_bound->cpu_units == 2048);
  CHECK(memory_bound->memory_mib == 9216);
  CHECK_FALSE(smallest_fargate_size_at_least(32768, 1024));
  CHECK_FALSE(smallest_fargate_size_at_least(256, 200000));
  CHECK(find_fargate_cpu_size(8192)->needs_platform_1_4);
  CHECK_FALSE(find_fargate_cpu_size(4096)->needs_platform_1_4);
  CHECK(find_fargate_cpu_size(3072) == nullptr);
}
