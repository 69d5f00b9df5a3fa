#include "analyzer/engine/disposal.h"

namespace shiftlint {

Disposal::Disposal(bool background) : background_(background) {
  if (background_) thread_ = std::thread([this] { run(); });
}

Disposal::~Disposal() {
  if (!background_) return;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

void Disposal::hand_over(std::shared_ptr<void> object) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(object));
  }
  ready_.notify_one();
}

void Disposal::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [&] { return closing_ || !pending_.empty(); });
    if (pending_.empty()) return;  // closing, nothing left
    std::shared_ptr<void> object = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    object.reset();  // the freeing itself, outside the lock
    lock.lock();
  }
}

}  // namespace shiftlint
