#pragma once
// Time and memory bounds in tests are set for the normal optimised build. The sanitizer build
// (scripts/sanitize, run by .ci/run: clang, -O1, AddressSanitizer and UndefinedBehaviorSanitizer)
// runs the same code several times slower and holds more memory (shadow memory, redzones around
// every allocation, a quarantine of freed blocks), so the bounds that catch blow-ups and hangs are
// scaled there, never dropped: a quadratic path or an unbounded expansion still fails them.
#include <ctime>

namespace shiftlint::test_bounds {

// The process's CPU time (user and system, all threads), in seconds. Time bounds are checked on it,
// not on the wall clock: a guard against a runaway loop must not fail because other processes (a
// parallel ctest, a build, a fuzzer) had the cores meanwhile. Seen: 1.1 s of CPU took 5 s of wall.
inline double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

#ifdef SHIFTLINT_SANITIZED_BUILD
// Measured on the hostile 50 MB one-line task definition: 5.5x the CPU time and 1.6x the peak RSS
// of the gcc RelWithDebInfo build (1.87 GB against 1.15 GB).
inline constexpr int kTimeScale = 10;
inline constexpr int kMemoryScale = 2;
#else
inline constexpr int kTimeScale = 1;
inline constexpr int kMemoryScale = 1;
#endif

}  // namespace shiftlint::test_bounds
