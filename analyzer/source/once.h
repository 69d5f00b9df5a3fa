#pragma once
// Once: a one-time initialisation shared by threads, like std::call_once, that costs one atomic
// load once done and no system call when nobody waits. glibc's pthread_once (behind call_once)
// wakes possible waiters with a futex system call after every first run, waiting or not: with a
// once per Script finder and per build context that was 15,000 system calls for 1,000 Dockerfiles.
#include <atomic>
#include <mutex>

namespace shiftlint {

class Once {
 public:
  // Runs `function` if no call has completed yet; other callers wait for it. If it throws, the
  // next caller runs it again (as std::call_once does).
  template <typename Function>
  void call(Function&& function) {
    if (done_.load(std::memory_order_acquire)) return;
    std::lock_guard lock(mutex_);
    if (done_.load(std::memory_order_relaxed)) return;
    function();
    done_.store(true, std::memory_order_release);
  }

 private:
  std::atomic<bool> done_{false};
  std::mutex mutex_;
};

}  // namespace shiftlint
