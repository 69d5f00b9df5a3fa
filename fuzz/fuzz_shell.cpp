// The shell parser behind RUN bodies, entrypoint scripts and hooks, and the command analyses the
// rules share (effective command, package installs, path writes, service starts).
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = shiftlint::fuzz::source_of(data, size, "docker-entrypoint.sh");
  shiftlint::shell::Script script = shiftlint::shell::parse_shell_file(*file);
  for (uint32_t index = 0; index < script.commands.size(); ++index)
    (void)shiftlint::shell::effective_command(script, index);
  (void)shiftlint::shell::find_package_installs(script);
  (void)shiftlint::shell::find_path_writes(script);
  (void)shiftlint::shell::find_service_starts(script);
  return 0;
}
