#pragma once
// Where a report, a baseline or a fixed file is written. A regular file (or a new one) is written
// to a temporary file beside it and renamed over it when complete, so a reader never sees half a
// report and a failure leaves the old file intact; its permissions are kept. A symbolic link is
// written through: the file it points to is replaced, the link stays. Anything else that exists
// (/dev/null, /dev/stdout, a FIFO, a socket) is opened and written in place: renaming over it
// would replace the device or pipe itself with a regular file. A temporary file is removed when
// the run is interrupted by a signal (interrupt_cleanup.h).
#include <string>
#include <string_view>

namespace shiftlint {

class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();  // an output not committed is abandoned: its temporary file is removed

  // Each returns "" on success, else the reason. After a failure the output is abandoned.
  std::string open(const std::string& path);
  std::string write(std::string_view bytes);
  std::string commit();  // flushes to disk and puts the file in place

 private:
  void abandon();

  int descriptor_ = -1;
  std::string temporary_path_;  // empty when writing in place
  int cleanup_slot_ = -1;       // its slot in interrupt_cleanup.h: removed if the run is interrupted
  std::string target_path_;     // what the temporary file is renamed to
};

// Opens, writes and commits `content` in one call. Returns "" on success, else the reason.
std::string write_file_atomically(const std::string& path, std::string_view content);

}  // namespace shiftlint
