#include "tests/cli/process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace shiftlint::testing {

namespace {

ProcessResult run_process(const std::vector<std::string>& args, const std::string& working_directory,
                          const std::vector<std::string>& environment, const std::string* input,
                          const std::vector<std::string>& launcher = {}) {
  int out_pipe[2], err_pipe[2], in_pipe[2] = {-1, -1};
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  if (input && pipe(in_pipe) != 0) throw std::runtime_error("pipe failed");
  // A child that exits before reading all its input must fail our write, not kill the test run.
  if (input) signal(SIGPIPE, SIG_IGN);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input) {
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::string directory = working_directory.empty() ? SHIFTLINT_SOURCE_DIR : working_directory;
  posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());

  // A launcher (prlimit ... --) runs the binary; it is then the program spawned.
  std::vector<std::string> argument_strings = launcher;
  argument_strings.push_back(SHIFTLINT_BINARY);
  argument_strings.insert(argument_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& argument : argument_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);

  std::vector<std::string> environment_strings;
  for (char** entry = environ; *entry; ++entry) {
    std::string value = *entry;
    if (value.rfind("NO_COLOR=", 0) == 0) continue;
    environment_strings.push_back(value);
  }
  environment_strings.insert(environment_strings.end(), environment.begin(), environment.end());
  std::vector<char*> envp;
  for (std::string& entry : environment_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argument_strings.front().c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (input) close(in_pipe[0]);
  if (spawned != 0) throw std::runtime_error(std::string("spawn failed: ") + std::strerror(spawned));

  ProcessResult result;
  // The third slot writes the input; it is dropped (fd -1) once everything is written.
  size_t input_written = 0;
  if (input) fcntl(in_pipe[1], F_SETFL, fcntl(in_pipe[1], F_GETFL) | O_NONBLOCK);
  pollfd descriptors[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {input ? in_pipe[1] : -1, POLLOUT, 0}};
  if (input && input->empty()) {
    close(in_pipe[1]);
    descriptors[2].fd = -1;
  }
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (poll(descriptors, 3, -1) < 0) continue;
    if (descriptors[2].fd >= 0 && (descriptors[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t count = write(descriptors[2].fd, input->data() + input_written, input->size() - input_written);
      if (count > 0) input_written += static_cast<size_t>(count);
      if (count < 0 && errno != EAGAIN && errno != EINTR) input_written = input->size();  // the reader is gone
      if (input_written == input->size()) {
        close(descriptors[2].fd);
        descriptors[2].fd = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (descriptors[i].fd < 0 || !(descriptors[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t count = read(descriptors[i].fd, buffer, sizeof buffer);
      if (count <= 0) {
        close(descriptors[i].fd);
        descriptors[i].fd = -1;
        --open_count;
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(count));
      }
    }
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.peak_rss_kb = usage.ru_maxrss;
  result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (descriptors[2].fd >= 0) close(descriptors[2].fd);
  return result;
}

}  // namespace

ProcessResult run_shiftlint(const std::vector<std::string>& args, const std::string& working_directory,
                            const std::vector<std::string>& environment) {
  return run_process(args, working_directory, environment, nullptr);
}

ProcessResult run_shiftlint_with_cpu_limit(const std::vector<std::string>& args, const std::string& working_directory,
                                           unsigned cpu_seconds) {
  return run_process(args, working_directory, {}, nullptr,
                     {"/usr/bin/prlimit", "--cpu=" + std::to_string(cpu_seconds), "--"});
}

ProcessResult run_shiftlint_with_input(const std::vector<std::string>& args, const std::string& input,
                                       const std::string& working_directory) {
  return run_process(args, working_directory, {}, &input);
}

TemporaryFolder::TemporaryFolder() {
  std::random_device random;
  auto base = std::filesystem::temp_directory_path() /
              ("shiftlint-test-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(base);
  path_ = base.string();
}

TemporaryFolder::~TemporaryFolder() {
  std::error_code error;
  // Tests may make folders unreadable; give permissions back so removal works.
  for (auto it = std::filesystem::recursive_directory_iterator(
           path_, std::filesystem::directory_options::skip_permission_denied, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error))
    std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, error);
  std::filesystem::remove_all(path_, error);
}

std::string TemporaryFolder::write(const std::string& relative, const std::string& content) const {
  std::filesystem::path full = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream(full, std::ios::binary) << content;
  return full.string();
}

std::string read_file(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  std::stringstream buffer;
  buffer << input.rdbuf();
  return buffer.str();
}

}  // namespace shiftlint::testing
