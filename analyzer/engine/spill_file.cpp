#include "analyzer/engine/spill_file.h"

#include <unistd.h>

#include <cerrno>

namespace shiftlint {

SpillFile::SpillFile() : file_(std::tmpfile(), &std::fclose) {}

std::optional<SpillFile::Extent> SpillFile::append(std::string_view bytes) {
  if (!file_) return std::nullopt;
  int descriptor = fileno(file_.get());
  std::lock_guard lock(mutex_);
  Extent extent{end_, bytes.size()};
  for (size_t written = 0; written < bytes.size();) {
    ssize_t count = pwrite(descriptor, bytes.data() + written, bytes.size() - written, static_cast<off_t>(end_ + written));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return std::nullopt;  // the part written is never read: end_ stays
    written += static_cast<size_t>(count);
  }
  end_ += bytes.size();
  return extent;
}

bool SpillFile::read(const Extent& extent, std::string& bytes) const {
  if (!file_) return false;
  bytes.assign(extent.size, '\0');
  int descriptor = fileno(file_.get());
  for (size_t done = 0; done < bytes.size();) {
    ssize_t count = pread(descriptor, bytes.data() + done, bytes.size() - done, static_cast<off_t>(extent.offset + done));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    done += static_cast<size_t>(count);
  }
  return true;
}

}  // namespace shiftlint
