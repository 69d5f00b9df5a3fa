#pragma once
// Time and memory bounds in tests are set for the normal optimised build. The sanitizer build
// (scripts/sanitize, run by .ci/run: clang, -O1, AddressSanitizer and UndefinedBehaviorSanitizer)
// runs the same code several times slower and holds more memory (shadow memory, redzones around
// every allocation, a quarantine of freed blocks), so the bounds that catch blow-ups and hangs are
// scaled there, never dropped: a quadratic path or an unbounded expansion still fails them.
namespace shiftlint::test_bounds {

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
