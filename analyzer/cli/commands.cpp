#include "analyzer/cli/commands.h"

#include <cstdio>

namespace shiftlint::cli {

int run(int, char**) {
  std::fputs("shiftlint: not wired yet\n", stderr);
  return 2;
}

}  // namespace shiftlint::cli
