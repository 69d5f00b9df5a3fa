#include "analyzer/source/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>

namespace shiftlint {

namespace {
int read_whole_file_sized(const std::string& path, uint64_t limit, std::string& text,
                          std::optional<uint64_t> regular_size);
}  // namespace

int read_whole_file(const std::string& path, uint64_t limit, std::string& text) {
  return read_whole_file_sized(path, limit, text, std::nullopt);
}

int read_whole_file(const std::string& path, uint64_t limit, std::string& text, uint64_t known_size) {
  return read_whole_file_sized(path, limit, text, known_size);
}

namespace {
// `regular_size`: what stat said of the (regular) file, or nullopt to ask fstat here.
int read_whole_file_sized(const std::string& path, uint64_t limit, std::string& text,
                          std::optional<uint64_t> regular_size) {
  text.clear();
  int descriptor;
  do {
    descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (descriptor < 0 && errno == EINTR);
  if (descriptor < 0) return errno;
  // One byte more than the file holds: the read that fills the string is short, and the next
  // one sees the end without growing it.
  uint64_t capacity = 1 << 16;
  // A regular file is read as large as fstat says it is: once that many bytes are in, no read is
  // spent to see its end (one system call per file; a file that grows meanwhile is read as it was).
  uint64_t known_size = UINT64_MAX;
  if (!regular_size) {
    struct stat info;
    if (::fstat(descriptor, &info) == 0 && S_ISREG(info.st_mode)) regular_size = static_cast<uint64_t>(info.st_size);
  }
  if (regular_size) {
    capacity = std::min<uint64_t>(*regular_size, limit) + 1;
    if (*regular_size > 0) known_size = *regular_size;
  }
  size_t size = 0;
  int error = 0;
  text.resize(capacity);
  while (true) {
    if (size == text.size()) text.resize(std::max<size_t>(size * 2, 4096));
    ssize_t count = ::read(descriptor, text.data() + size, text.size() - size);
    if (count < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    if (count == 0) break;
    size += static_cast<size_t>(count);
    if (size > limit || size == known_size) break;
  }
  text.resize(size);
  ::close(descriptor);
  return error;
}
}  // namespace

}  // namespace shiftlint
