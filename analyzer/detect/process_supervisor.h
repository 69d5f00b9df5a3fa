#pragma once
// Process supervisors: programs that start several programs and keep them running inside one
// container (supervisord, runit, s6, monit, circus, god, pm2, and the Procfile runners forego,
// foreman, honcho, overmind and hivemind). On a VM they were how one instance
// ran the app, its workers and its cron; in a container they hide every program but themselves from
// the orchestrator. Shared by DKR003 (the image's start command) and K8S006 (a pod's command).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace shiftlint::detect {

enum class Supervisor { None, Supervisord, Runit, S6, Monit, Circus, God, Pm2Runtime, Pm2, ProcfileRunner };

// The supervisor a command starts, from its first word (`/usr/bin/supervisord`, `my_init`,
// s6-overlay's `/init`). Pm2 is the `pm2` CLI, a supervisor only as `pm2 start` with the daemon
// kept in the foreground; the caller decides that from the rest of the command, as it does for a
// Procfile runner with procfile_run().
Supervisor supervisor_of(std::string_view first_word);

// As users name it: "supervisord", "runit", "s6", "monit", "circus", "god", "pm2-runtime", "pm2";
// a Procfile runner by its program's name ("forego"), which the caller has.
std::string_view supervisor_name(Supervisor supervisor);

// What a Procfile runner's command starts: forego, foreman, honcho and overmind with `start`,
// hivemind as it is. Words are the whole command, the runner first.
struct ProcfileRun {
  std::string procfile;   // -f/--procfile (hivemind: its argument); empty for `Procfile`
  std::string root;       // -d/--root/--app-root: the folder the Procfile is read from
  size_t named_processes = 0;  // processes picked by name (`foreman start web`, `-l web,worker`); 0 for all
  // forego's `-r`, overmind's `-r`/`--auto-restart`: a process that exits is started again. Without
  // it the runner stops every process when one exits.
  bool restarts = false;
};
std::optional<ProcfileRun> procfile_run(std::span<const std::string_view> words);

}  // namespace shiftlint::detect
