#include "analyzer/cli/interrupt_cleanup.h"

#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace shiftlint {
namespace {

// A signal handler may only call async-signal-safe functions and read lock-free atomics: the paths
// live in fixed slots, each published by its state once written. A run writes one file at a time
// (--fix on several threads: one per job), so a few slots are plenty.
constexpr int kSlots = 32;
enum SlotState : int { kFree = 0, kFilling = 1, kHeld = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
Slot slots[kSlots];
static_assert(std::atomic<int>::is_always_lock_free);

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

void on_signal(int number) {
  for (Slot& slot : slots)
    if (slot.state.load(std::memory_order_acquire) == kHeld) unlink(slot.path);
  // Die of the signal itself, so that the caller sees what it sent (a shell prints nothing more
  // and gives status 130 for Ctrl-C).
  signal(number, SIG_DFL);
  raise(number);
}

}  // namespace

void remove_temporaries_on_signal() {
  for (int number : kSignals) {
    struct sigaction current {};
    if (sigaction(number, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    for (int other : kSignals) sigaddset(&action.sa_mask, other);  // one cleanup at a time
    sigaction(number, &action, nullptr);
  }
}

int register_temporary(const char* path) {
  size_t length = std::strlen(path);
  if (length >= PATH_MAX) return -1;
  for (int index = 0; index < kSlots; ++index) {
    int expected = kFree;
    if (!slots[index].state.compare_exchange_strong(expected, kFilling, std::memory_order_acquire)) continue;
    std::memcpy(slots[index].path, path, length + 1);
    slots[index].state.store(kHeld, std::memory_order_release);
    return index;
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot < 0 || slot >= kSlots) return;
  slots[slot].state.store(kFree, std::memory_order_release);
}

}  // namespace shiftlint
