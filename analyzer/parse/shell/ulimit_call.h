#pragma once
// `ulimit` calls: `ulimit -n 65536`, `ulimit -Hn unlimited`, `ulimit -c 0 -n 4096`.
//
// In a Dockerfile RUN a ulimit dies with the build step's shell (DKR004); in an entrypoint it holds
// only up to the container's hard limit; on an EB host it is the evidence that the app needed more
// descriptors (EB003, XF001).
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

struct UlimitSetting {
  char option = 'f';              // the ulimit letter: 'n'
  std::string_view resource;      // its limits.conf / ECS name: "nofile", "nproc", "core", ...
  bool soft = true;               // which limits the call sets (both without -S/-H)
  bool hard = true;
  const Word* value = nullptr;    // "65536", "unlimited"; nullptr for a query (`ulimit -n`)
  const Word* word = nullptr;     // the option word (`-Hn`), or the value for the default resource
};

struct UlimitCall {
  uint32_t command = kNoParent;   // index in Script::commands
  std::vector<UlimitSetting> settings;
};

// The resource name for a ulimit letter ("nofile" for 'n'); "" for an unknown letter.
std::string_view ulimit_resource(char option);

std::vector<UlimitCall> find_ulimit_calls(const Script& script);

}  // namespace shiftlint::shell
