#include "analyzer/cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace shiftlint {

std::string write_file_atomically(const std::string& path, const std::string& content) {
  std::filesystem::path target(path);
  std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
  std::string pattern = (directory / ("." + target.filename().string() + ".shiftlint-XXXXXX")).string();
  int descriptor = mkstemp(pattern.data());
  if (descriptor < 0) return std::strerror(errno);
  // Keep the mode of a file we replace; a new file gets the usual 0644 less the umask.
  struct stat existing {};
  mode_t mode = 0644;
  if (stat(path.c_str(), &existing) == 0) {
    mode = existing.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode &= ~mask;
  }
  fchmod(descriptor, mode);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t count = write(descriptor, content.data() + written, content.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      std::string error = std::strerror(errno);
      close(descriptor);
      unlink(pattern.c_str());
      return error;
    }
    written += static_cast<size_t>(count);
  }
  if (fsync(descriptor) != 0 || close(descriptor) != 0) {
    std::string error = std::strerror(errno);
    unlink(pattern.c_str());
    return error;
  }
  if (std::rename(pattern.c_str(), path.c_str()) != 0) {
    std::string error = std::strerror(errno);
    unlink(pattern.c_str());
    return error;
  }
  return {};
}

}  // namespace shiftlint
