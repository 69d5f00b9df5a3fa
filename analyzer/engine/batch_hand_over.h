#pragma once
// Hands batches of findings, in order, to a consumer on a thread of its own while the producer
// goes on: the report's merge reads the next findings while the last ones are written out, and the
// project phase links the next app while the last app's findings get their line texts.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "analyzer/engine/finding.h"

namespace shiftlint {

// Gives batches of findings to `take`, in order: on a thread of its own (at most two batches
// waiting, so memory stays a few batches), or at once.
class BatchHandOver {
 public:
  BatchHandOver(bool beside, std::function<void(std::vector<Finding>&)> take) : take_(std::move(take)) {
    if (beside) thread_ = std::thread([this] { run(); });
  }
  ~BatchHandOver() { stop(); }

  // Takes `batch` (left empty, its room kept when possible).
  void give(std::vector<Finding>& batch) {
    if (batch.empty()) return;
    if (!thread_.joinable()) {
      take_(batch);
      batch.clear();
      return;
    }
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_.size() < 2; });
    waiting_.push_back(std::move(batch));
    batch = spare_.empty() ? std::vector<Finding>() : std::move(spare_.back());
    if (!spare_.empty()) spare_.pop_back();
    changed_.notify_all();
  }

  // Waits until every batch is taken; what `take` threw is thrown here.
  void finish() {
    stop();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
      changed_.notify_all();
    }
    thread_.join();
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return !waiting_.empty() || done_; });
      if (waiting_.empty()) return;
      std::vector<Finding> batch = std::move(waiting_.front());
      waiting_.pop_front();
      changed_.notify_all();
      lock.unlock();
      try {
        if (!error_) take_(batch);
      } catch (...) {
        error_ = std::current_exception();
      }
      batch.clear();
      lock.lock();
      spare_.push_back(std::move(batch));
    }
  }

  std::function<void(std::vector<Finding>&)> take_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Finding>> waiting_;  // guarded by mutex_
  std::vector<std::vector<Finding>> spare_;   // taken batches, emptied: their room is used again
  bool done_ = false;                         // guarded by mutex_
  std::exception_ptr error_;                  // set by the thread, read after it is joined
};

}  // namespace shiftlint
