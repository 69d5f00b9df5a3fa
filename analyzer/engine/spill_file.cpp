#include "analyzer/engine/spill_file.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace shiftlint {

SpillFile::SpillFile() : SpillFile(kMemoryBytes) {}

SpillFile::SpillFile(size_t memory_bytes) : memory_size_(memory_bytes), file_(nullptr, &std::fclose) {}

std::optional<SpillFile::Extent> SpillFile::append(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  Extent extent{end_, bytes.size()};
  // Appends never straddle the boundary: once one does not fit in memory, it and every later one
  // go to the file (the rest of the memory part stays unused).
  if (end_ + bytes.size() <= memory_size_) {
    if (!memory_) memory_ = std::make_unique_for_overwrite<char[]>(memory_size_);
    std::copy(bytes.begin(), bytes.end(), memory_.get() + end_);
  } else {
    end_ = std::max<uint64_t>(end_, memory_size_);
    extent.offset = end_;
    if (!write_to_file(bytes)) return std::nullopt;  // the part written is never read: end_ stays before it
  }
  end_ += bytes.size();
  return extent;
}

bool SpillFile::write_to_file(std::string_view bytes) {
  if (!file_ && !file_failed_) {
    file_.reset(std::tmpfile());
    file_failed_ = !file_;
  }
  if (!file_) return false;
  int descriptor = fileno(file_.get());
  uint64_t at = end_ - memory_size_;
  for (size_t written = 0; written < bytes.size();) {
    ssize_t count = pwrite(descriptor, bytes.data() + written, bytes.size() - written, static_cast<off_t>(at + written));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    written += static_cast<size_t>(count);
  }
  return true;
}

bool SpillFile::read(const Extent& extent, std::string& bytes) const {
  if (extent.offset + extent.size <= memory_size_) {
    if (extent.size == 0) {
      bytes.clear();
      return true;
    }
    if (!memory_) return false;
    bytes.assign(memory_.get() + extent.offset, extent.size);
    return true;
  }
  if (extent.offset < memory_size_) return false;  // no append straddles the boundary
  FILE* file;
  {
    std::lock_guard lock(mutex_);
    file = file_.get();
  }
  if (!file) return false;
  bytes.assign(extent.size, '\0');
  int descriptor = fileno(file);
  uint64_t at = extent.offset - memory_size_;
  for (size_t done = 0; done < bytes.size();) {
    ssize_t count = pread(descriptor, bytes.data() + done, bytes.size() - done, static_cast<off_t>(at + done));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    done += static_cast<size_t>(count);
  }
  return true;
}

bool SpillFile::on_disk() const {
  std::lock_guard lock(mutex_);
  return file_ != nullptr;
}

}  // namespace shiftlint
