#pragma once
// Frees what a run no longer needs on a thread of its own. A large run holds hundreds of megabytes
// in small allocations (per-file summaries, the project, caches of neighbouring files); freeing
// them takes a sizeable share of the run's CPU time, and after the workers have finished it would
// all be on one thread, while the run still has to sort, fingerprint and render the findings.
// With one job everything is freed at once, where it is handed over: `--jobs 1` stays one thread.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

namespace shiftlint {

class Disposal {
 public:
  explicit Disposal(bool background);
  ~Disposal();  // waits until everything handed over is freed
  Disposal(const Disposal&) = delete;
  Disposal& operator=(const Disposal&) = delete;

  // Takes `object` (moved from) and frees it.
  template <typename T>
  void dispose(T&& object) {
    static_assert(!std::is_lvalue_reference_v<T>, "dispose takes what it frees: std::move it");
    if (!background_) {
      std::decay_t<T> dropped = std::move(object);
      return;
    }
    hand_over(std::make_shared<std::decay_t<T>>(std::move(object)));
  }

 private:
  void hand_over(std::shared_ptr<void> object);
  void run();

  bool background_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<void>> pending_;  // guarded by mutex_
  bool closing_ = false;                       // guarded by mutex_
  std::thread thread_;
};

}  // namespace shiftlint
