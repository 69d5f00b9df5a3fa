#include "analyzer/cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "analyzer/cli/interrupt_cleanup.h"

namespace shiftlint {
namespace {

std::string folder_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

OutputFile::~OutputFile() { abandon(); }

void OutputFile::abandon() {
  if (descriptor_ >= 0) close(descriptor_);
  descriptor_ = -1;
  if (!temporary_path_.empty()) unlink(temporary_path_.c_str());
  temporary_path_.clear();
  unregister_temporary(std::exchange(cleanup_slot_, -1));
}

std::string OutputFile::open(const std::string& path) {
  abandon();
  target_path_ = path;
  struct stat link_status {};
  bool exists_as_name = lstat(path.c_str(), &link_status) == 0;
  struct stat status {};
  bool exists = stat(path.c_str(), &status) == 0;  // follows links
  if (exists && !S_ISREG(status.st_mode)) {
    if (S_ISDIR(status.st_mode)) return std::strerror(EISDIR);
    // A device, FIFO or socket: written in place, as a shell redirection would.
    descriptor_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (descriptor_ < 0) return std::strerror(errno);
    return {};
  }
  if (exists_as_name && S_ISLNK(link_status.st_mode)) {
    if (!exists) {
      // A link to nothing yet: creating its target through the link loses nothing.
      descriptor_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (descriptor_ < 0) return std::strerror(errno);
      return {};
    }
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) == nullptr) return std::strerror(errno);
    target_path_ = resolved;  // replace the file the link points to, keep the link
  }
  std::string pattern = folder_of(target_path_) + "/." + name_of(target_path_) + ".shiftlint-XXXXXX";
  descriptor_ = mkostemp(pattern.data(), O_CLOEXEC);
  if (descriptor_ < 0) return std::strerror(errno);
  temporary_path_ = pattern;
  cleanup_slot_ = register_temporary(pattern.c_str());
  // Keep the mode of a file we replace; a new file gets the usual 0644 less the umask.
  mode_t mode = 0644;
  if (exists) {
    mode = status.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode &= ~mask;
  }
  fchmod(descriptor_, mode);
  return {};
}

std::string OutputFile::write(std::string_view bytes) {
  if (descriptor_ < 0) return std::strerror(EBADF);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t count = ::write(descriptor_, bytes.data() + written, bytes.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      std::string error = std::strerror(errno);
      abandon();
      return error;
    }
    written += static_cast<size_t>(count);
  }
  return {};
}

std::string OutputFile::commit() {
  if (descriptor_ < 0) return std::strerror(EBADF);
  if (temporary_path_.empty()) {  // written in place: nothing to rename, nothing to sync
    int result = close(descriptor_);
    descriptor_ = -1;
    return result == 0 ? std::string() : std::strerror(errno);
  }
  if (fsync(descriptor_) != 0 || close(descriptor_) != 0) {
    std::string error = std::strerror(errno);
    descriptor_ = -1;
    abandon();
    return error;
  }
  descriptor_ = -1;
  if (std::rename(temporary_path_.c_str(), target_path_.c_str()) != 0) {
    std::string error = std::strerror(errno);
    abandon();
    return error;
  }
  temporary_path_.clear();
  unregister_temporary(std::exchange(cleanup_slot_, -1));  // renamed: the name is free again
  return {};
}

std::string write_file_atomically(const std::string& path, std::string_view content) {
  OutputFile output;
  std::string error = output.open(path);
  if (error.empty()) error = output.write(content);
  if (error.empty()) error = output.commit();
  return error;
}

}  // namespace shiftlint
