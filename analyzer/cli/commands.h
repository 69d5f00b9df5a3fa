#pragma once

namespace shiftlint::cli {

// Parses the command line and runs a subcommand. Returns the process exit code:
// 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage/config/internal error.
int run(int argc, char** argv);

}  // namespace shiftlint::cli
