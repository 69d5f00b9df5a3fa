#pragma once
// Whether bash accepts a text's syntax, for the differential check of the shell front ends
// (bench/shell_differential.cpp, tests/unit/shell_reader_test.cpp): where tree-sitter-bash reports
// an error on a text the hand-written reader accepts, the reader's parse is only right if the
// text is valid shell, and bash is the judge of that.
//
// `bash -n` reads and parses the text and runs none of it; it is given a temporary copy of the text
// (never a `-c` string) and an environment holding only PATH, so that no BASH_ENV file is read
// either. Test and bench tooling only: the analyzer never starts a process.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint::shell {

// True when `bash -n` accepts the text, false when it reports a syntax error; std::nullopt when
// bash could not be run.
inline std::optional<bool> bash_accepts_syntax(std::string_view text) {
  const char* folder = std::getenv("TMPDIR");
  std::string path = std::string(folder && *folder ? folder : "/tmp") + "/shiftlint-bash-syntax-XXXXXX";
  int descriptor = mkstemp(path.data());
  if (descriptor < 0) return std::nullopt;
  bool written = true;
  for (size_t at = 0; at < text.size();) {
    ssize_t count = write(descriptor, text.data() + at, text.size() - at);
    if (count <= 0) {
      written = false;
      break;
    }
    at += static_cast<size_t>(count);
  }
  close(descriptor);
  std::optional<bool> result;
  if (written) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::string bash = "bash", no_exec = "-n";
    char* arguments[] = {bash.data(), no_exec.data(), path.data(), nullptr};
    std::string search_path = "PATH=/usr/local/bin:/usr/bin:/bin";
    char* environment[] = {search_path.data(), nullptr};
    pid_t child = 0;
    if (posix_spawnp(&child, "bash", &actions, nullptr, arguments, environment) == 0) {
      int status = 0;
      if (waitpid(child, &status, 0) == child && WIFEXITED(status)) {
        // 127: bash itself was not found by the spawned process.
        if (WEXITSTATUS(status) != 127) result = WEXITSTATUS(status) == 0;
      }
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  std::remove(path.c_str());
  return result;
}

}  // namespace shiftlint::shell
