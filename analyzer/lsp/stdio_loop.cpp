#include "analyzer/lsp/stdio_loop.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>

namespace shiftlint::lsp {

namespace {

// Changes are coalesced while more input is waiting, but never for longer than this: a client
// streaming without pause still sees its diagnostics.
constexpr auto kMaxLintDelay = std::chrono::milliseconds(100);
// How often the loop looks for a finished workspace lint while waiting for input.
constexpr int kBackgroundPollMilliseconds = 20;

bool write_all(int fd, const std::string& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t count = write(fd, bytes.data() + written, bytes.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    written += static_cast<size_t>(count);
  }
  return true;
}

}  // namespace

int run_language_server(int input_fd, int output_fd, const ServerOptions& options) {
  bool output_broken = false;
  LanguageServer server(
      [&](std::string message) {
        if (!output_broken && !write_all(output_fd, frame_message(message))) output_broken = true;
      },
      options);
  MessageReader reader(options.max_message_bytes);
  std::string buffer(1 << 16, '\0');
  FramedEvent event;

  while (!server.exit_requested() && !output_broken) {
    int timeout = -1;
    if (server.has_pending_lint()) timeout = 0;
    else if (server.background_busy()) timeout = kBackgroundPollMilliseconds;
    pollfd input{input_fd, POLLIN, 0};
    int ready = poll(&input, 1, timeout);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      // Nothing waiting: the moment to lint the last text of each changed document.
      server.lint_pending();
      server.poll_background();
      continue;
    }
    ssize_t count = read(input_fd, buffer.data(), buffer.size());
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (count <= 0) break;  // end of input: the client is gone
    reader.feed(std::string_view(buffer.data(), static_cast<size_t>(count)));
    while (!server.exit_requested() && reader.next(event)) {
      if (event.kind == FramedEvent::Kind::Message) server.handle_message(event.body);
      else server.handle_framing_problem(event);
    }
    if (server.has_pending_lint() && std::chrono::steady_clock::now() - server.pending_since() > kMaxLintDelay)
      server.lint_pending();
    server.poll_background();
  }
  if (!server.exit_requested()) server.wait_for_background();
  return server.exit_code();
}

int run_language_server_on_stdio(const ServerOptions& options) {
  // A client that goes away must not kill us with SIGPIPE mid-write: the write fails instead.
  signal(SIGPIPE, SIG_IGN);
  std::fflush(stdout);
  int protocol_output = dup(STDOUT_FILENO);
  if (protocol_output < 0) {
    std::perror("shiftlint lsp: dup");
    return 1;
  }
  dup2(STDERR_FILENO, STDOUT_FILENO);
  int code = run_language_server(STDIN_FILENO, protocol_output, options);
  close(protocol_output);
  return code;
}

}  // namespace shiftlint::lsp
