#include "analyzer/cli/streamed_report.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace shiftlint {

namespace {

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

}  // namespace

StreamedReport write_streamed_report(const FindingStream& stream, ReportWriter& writer, const Baseline* baseline,
                                     std::optional<Severity> fail_threshold, size_t files_analyzed, unsigned jobs,
                                     const std::function<std::string(std::string_view)>& write) {
  StreamedReport report;
  // A format that states the number of findings before them (SARIF over its limit) gets it from a
  // first pass that only counts.
  size_t count = stream.at_most();
  if (writer.needs_count(count)) {
    count = 0;
    std::optional<BaselineFilter> filter;
    if (baseline) filter.emplace(*baseline);
    stream.for_each([&](Finding& finding) { count += !filter || !filter->covers(finding); });
  }

  constexpr size_t kBatch = 1024;             // findings handed to the writer at once
  constexpr size_t kPiece = size_t(1) << 20;  // bytes of report written out at once
  auto write_out = [&](bool all) {
    std::string& out = writer.output();
    if (!report.error.empty() || (!all && out.size() < kPiece)) return;
    report.error = write(out);
    out.clear();
  };
  writer.begin(count);
  // With several jobs the batches are written on a thread of their own while the merge reads the
  // next ones: reading back and writing out take about as long, and nothing else runs then.
  BatchHandOver hand_over(jobs > 1, [&](std::vector<Finding>& batch) {
    writer.add(batch);
    write_out(false);
  });
  std::vector<Finding> batch;
  batch.reserve(kBatch);
  std::optional<BaselineFilter> filter;
  if (baseline) filter.emplace(*baseline);
  std::string last_path;
  report.unreadable = stream.for_each([&](Finding& finding) {
    if (filter && filter->covers(finding)) return;
    report.totals.count(finding, report.totals.findings == 0 || finding.location.path != last_path);
    last_path = finding.location.path;
    if (fail_threshold && finding.severity <= *fail_threshold) report.fails = true;
    batch.push_back(std::move(finding));
    if (batch.size() == kBatch) hand_over.give(batch);
  });
  hand_over.give(batch);
  hand_over.finish();
  report.totals.files_analyzed = files_analyzed;
  if (filter) report.totals.stale_baseline_entries = filter->stale();
  writer.end(report.totals);
  write_out(true);
  return report;
}

}  // namespace shiftlint
