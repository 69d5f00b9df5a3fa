#pragma once
// What the final image runs when a container starts, as shell the rules can read: its ENTRYPOINT,
// its CMD when that runs as a command, and the scripts from the build context they run
// (`COPY docker-entrypoint.sh /usr/local/bin/` + `ENTRYPOINT ["docker-entrypoint.sh"]`, a
// `/start.sh` that script calls, `sh -c "bin/boot"`), followed a few levels deep. Under
// s6-overlay's `ENTRYPOINT ["/init"]`, the init scripts it runs at every start too
// (/etc/cont-init.d, s6-rc oneshots).
//
// DKR001 (is the app PID 1?), DKR003 (a supervisor), DKR007/DKR008 (builds and migrations at
// start) and DKR015 (daemons) all ask their question of these parts.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/detect/startup_work.h"

#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/parse/shell/command.h"

namespace shiftlint::dkr {

inline constexpr size_t kNoRunner = static_cast<size_t>(-1);

struct StartupPart {
  enum class Kind : uint8_t { Entrypoint, Cmd, Script };
  Kind kind = Kind::Entrypoint;
  // The ENTRYPOINT or CMD; for a script, the one that (through its runners) starts it.
  const docker::Instruction* instruction = nullptr;
  std::shared_ptr<const SourceFile> file;  // where the script's spans point: the Dockerfile or the script
  docker::ContextFile context_file;        // Script only
  // Never null: shared with the parse caches (an entrypoint script read by many parts and rules is
  // not copied per part).
  std::shared_ptr<const shell::Script> script;
  size_t runner = kNoRunner;                    // Script only: the part whose command runs it
  uint32_t runner_command = shell::kNoParent;  // that command, in the runner's script
  // Script only, when its runner is a script too: that script's name (part_name), for messages
  // ("docker/init runs docker/setup_env, started by the image's CMD").
  std::string runner_name;
  // Script only: an init system runs it before the services and the CMD start, with no arguments.
  // s6-overlay's /init: a /etc/cont-init.d script or an s6-rc oneshot's `up` script; `instruction`
  // is the ENTRYPOINT that starts /init, or the FROM line of a base image whose inherited
  // ENTRYPOINT does (runner is then kNoRunner). phusion's my_init: a /etc/my_init.d script or
  // /etc/rc.local; `instruction` is the ENTRYPOINT or CMD that starts my_init.
  enum class Init : uint8_t { None, S6Overlay, MyInit };
  Init run_by_init = Init::None;
  // Functions the script defines that nothing the container runs at start calls: helpers of a
  // library the entrypoint sources for `docker exec` sessions (openemr's devtoolsLibrary.source).
  // Defining a function runs none of its body.
  std::vector<std::string_view> uncalled_functions;

  // Whether `command`, one of the script's, runs when the part does: false in the body of an
  // uncalled function.
  bool runs(const shell::Command& command) const {
    return uncalled_functions.empty() || !command.in_function() ||
           std::find(uncalled_functions.begin(), uncalled_functions.end(), command.function_name) ==
               uncalled_functions.end();
  }
};

struct StartupCommand;

struct ImageStartup {
  ImageStartup() = default;
  ImageStartup(ImageStartup&&) = default;
  ImageStartup& operator=(ImageStartup&&) = default;
  ImageStartup(const ImageStartup&) = delete;  // startup_commands point into `parts`
  ImageStartup& operator=(const ImageStartup&) = delete;

  const docker::Stage* stage = nullptr;
  std::vector<StartupPart> parts;  // ENTRYPOINT, CMD (when it runs as a command), then scripts
  // CMD reaches the entrypoint as arguments it runs (`exec "$@"`, `tini --`, no ENTRYPOINT at
  // all); false when the ENTRYPOINT is in shell form (CMD is ignored) or ignores its arguments.
  bool cmd_runs = false;
  // The FROM line of the base image whose ENTRYPOINT the final stage inherits when that ENTRYPOINT is
  // s6-overlay's /init (linuxserver.io's images, detect/base_image_entrypoint); null otherwise.
  const docker::Instruction* inherited_s6_init = nullptr;
  const StartupPart* entrypoint() const;
  const StartupPart* cmd() const;

  // startup_commands' answer, listed on the first call (the rules of one file share it).
  mutable std::optional<std::vector<StartupCommand>> commands;
};

// Nothing when the Dockerfile has no stage, or builds a Windows image (cmd/PowerShell, not sh).
// Scripts are found only with a build context.
// Built once per file while the engine's per-file scope is open: the reference stays valid until the
// next file (outside a scope, until the next call).
const ImageStartup& image_startup(const docker::Dockerfile& dockerfile);

// The commands that may end the script: its last top-level statement, or the last of each branch
// of a final if/case. Not inside functions, substitutions or `sh -c` strings.
std::vector<uint32_t> ending_commands(const shell::Script& script);

// Whether a file the image runs is a shell script: no `#!` line, or one naming sh, bash, dash,
// ash, zsh or ksh (directly or through env). A Python or Node script is not, and neither is a file
// without `#!` whose name says it is another language's (`CMD ["./src/server.js"]` on a distroless
// Node.js image, whose own ENTRYPOINT is node): `path` is its name, in the image or the context.
bool is_shell_script_text(std::string_view text, std::string_view path = {});
// The script's `#!` line starts it behind an init that signals the whole process group:
// `#!/usr/bin/dumb-init /bin/bash` (not with -c / --single-child), `#!/sbin/tini -g -- /bin/sh`.
bool shebang_init_signals_group(std::string_view text);

// A word that passes the script's arguments on: `"$@"`, `$*`, `${@}`.
bool passes_arguments(const shell::Word& word);

// A word's value when the container runs it: `$NAME` and `${NAME}` replaced by the image's ENV
// (what the Dockerfile sets for the stage), unless the script assigns NAME itself. Nullopt for any
// other expansion or a variable the image does not set.
std::optional<std::string> runtime_value(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                         const shell::Script& script, const shell::Word& word);

// Reports at `span` in the part's file; a script's finding gets the instruction that runs it as a
// related location.
Finding& report_in_part(RuleContext& context, const docker::Dockerfile& dockerfile, const StartupPart& part,
                        Span span, std::string message);

// How the image comes to run the script `part` (kind Script, with an instruction), for a related
// location on that instruction: "the image's ENTRYPOINT runs docker/entrypoint.sh
// (/entrypoint.sh in the image)", or s6-overlay's /init, set by the image or inherited from the
// base image its FROM line names.
std::string how_script_runs(const StartupPart& part);

// "ENTRYPOINT", "CMD" or the script's display path, for messages.
std::string part_name(const StartupPart& part);
// A command's text on its first line, shortened to 80 characters, for messages.
std::string command_text(const SourceFile& file, Span span);

// "CMD", "the entrypoint script docker/entrypoint.sh": the subject of a message.
std::string part_subject(const StartupPart& part);

// A simple command a startup part runs, with its program and arguments once wrappers (exec, sudo,
// env, gosu, `bundle exec`) are stripped. A `sh -c` string's commands are listed on their own.
struct StartupCommand {
  const StartupPart* part = nullptr;
  uint32_t index = 0;  // in part->script.commands
  const shell::Command* command = nullptr;
  std::vector<std::string_view> words;  // program first; values as written for words with expansions
  // In an if/case branch of a script that dispatches on run modes (`case "$1" in app:start) exec
  // ...;; app:init) ...`): the branch may not be what the container runs by default.
  bool in_run_mode_branch = false;
  // startup_work's answer, found on the first call.
  mutable std::optional<std::vector<detect::StartupWork>> work;
};

// The command comes after a guard of the script's that ends it unless a variable nobody sets is set:
// `if [[ -z "${VERSION}" ]] || ...; then echo "updates off"; exit 0; fi` (linuxserver's plex update
// routine, which runs only when the user opts in with VERSION=latest).
bool after_opt_in_guard(const docker::Dockerfile& dockerfile, const StartupPart& part, uint32_t index);

// The script execs a program from inside an if/case branch: its branches are run modes picked by
// the arguments (CMD), not steps every start goes through.
bool dispatches_run_modes(const shell::Script& script);
// Commands in command substitutions (`$(date)`) are left out.
// Listed once per ImageStartup; the reference stays valid as long as it.
const std::vector<StartupCommand>& startup_commands(const ImageStartup& startup);

// The start-up work the command does (detect::detect_startup_work of its words), found once for
// the rules that ask (DKR007 builds, DKR008 migrations).
const std::vector<detect::StartupWork>& startup_work(const StartupCommand& command);

}  // namespace shiftlint::dkr
