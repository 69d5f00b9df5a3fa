#pragma once
// Runs the shiftlint binary as a user would and captures what it prints.
#include <string>
#include <vector>

namespace shiftlint::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
  long peak_rss_kb = 0;      // the child's peak resident memory (getrusage ru_maxrss)
  double cpu_seconds = 0;    // user + system
};

// Runs SHIFTLINT_BINARY with `args` in `working_directory` (the source tree when empty),
// with stdin closed and NO_COLOR unset unless `environment` sets it ("NAME=value" entries are added).
ProcessResult run_shiftlint(const std::vector<std::string>& args, const std::string& working_directory = "",
                            const std::vector<std::string>& environment = {});

// The same, with `input` written to the process's stdin (then closed), for `shiftlint lsp`.
// Input is written while output is read, so neither side can block the other on a full pipe.
ProcessResult run_shiftlint_with_input(const std::vector<std::string>& args, const std::string& input,
                                       const std::string& working_directory = "");

// The same, with the CPU time capped (RLIMIT_CPU, through util-linux prlimit): a run that would hang
// is killed (exit_code 128 + SIGXCPU/SIGKILL) instead of hanging the test suite.
ProcessResult run_shiftlint_with_cpu_limit(const std::vector<std::string>& args, const std::string& working_directory,
                                           unsigned cpu_seconds);

// A fresh temporary folder, removed when the object goes away.
class TemporaryFolder {
 public:
  TemporaryFolder();
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::string& path() const { return path_; }
  // Writes a file (creating folders) and returns its full path.
  std::string write(const std::string& relative, const std::string& content) const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);

}  // namespace shiftlint::testing
