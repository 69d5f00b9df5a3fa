#pragma once
// `shiftlint lsp`: the language server over stdin/stdout. Raw file descriptors (no stdio
// buffering, no text-mode translation); stdout carries protocol messages only: anything else
// that writes to it by mistake lands on stderr.
#include "analyzer/lsp/server.h"

namespace shiftlint::lsp {

// Serves until `exit` or end of input. Returns the process exit code: 0 after shutdown, else 1.
int run_language_server(int input_fd, int output_fd, const ServerOptions& options);

// The same on stdin/stdout, with stdout's descriptor kept for the protocol and fd 1 redirected to
// stderr.
int run_language_server_on_stdio(const ServerOptions& options);

}  // namespace shiftlint::lsp
