#pragma once
// Process supervisors: programs that start several programs and keep them running inside one
// container (supervisord, runit, s6, monit, circus, god, pm2). On a VM they were how one instance
// ran the app, its workers and its cron; in a container they hide every program but themselves from
// the orchestrator. Shared by DKR003 (the image's start command) and K8S006 (a pod's command).
#include <string_view>

namespace shiftlint::detect {

enum class Supervisor { None, Supervisord, Runit, S6, Monit, Circus, God, Pm2Runtime, Pm2 };

// The supervisor a command starts, from its first word (`/usr/bin/supervisord`, `my_init`,
// s6-overlay's `/init`). Pm2 is the `pm2` CLI, a supervisor only as `pm2 start` with the daemon
// kept in the foreground; the caller decides that from the rest of the command.
Supervisor supervisor_of(std::string_view first_word);

// As users name it: "supervisord", "runit", "s6", "monit", "circus", "god", "pm2-runtime", "pm2".
std::string_view supervisor_name(Supervisor supervisor);

}  // namespace shiftlint::detect
