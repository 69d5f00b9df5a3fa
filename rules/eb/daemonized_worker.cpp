#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

void check(const eb::BundleFile& bundle, RuleContext& context) {
  for (const eb::DaemonizedProcess& process : eb::host_evidence(bundle).daemonized)
    if (process.shutdown_hook)
      context.report(*process.place.file, process.place.span,
                     fmt::format("{} keeps {} as an /etc/init.d service whose start only keeps its lock file: "
                                 "its work is in its stop, which runs when the instance shuts down, and a container "
                                 "has no init system to run it: do that work when the container gets SIGTERM (a "
                                 "trap in its entrypoint, or a preStop hook), within the stop timeout{}",
                                 process.place.origin, process.program,
                                 // AWS's sample of this shape uploads the logs at shutdown.
                                 process.program.find("log") != std::string::npos
                                     ? "; logs are better shipped as they are written (the awslogs driver, FireLens)"
                                     : ""));
    else
      context.report(*process.place.file, process.place.span,
                   fmt::format("{} starts {} as a daemon ({}): nothing supervises or stops it gracefully, and a "
                               "container whose main process forks away exits at once: run it in the foreground as "
                               "its own process (a Procfile entry now; its own ECS service or Deployment, one process "
                               "per container, after the move)",
                               process.place.origin, process.program, process.how));
}

const RuleRegistration registration{{
    .id = "EB010",
    .slug = "daemonized-worker",
    .severity = Severity::Warning,
    .summary = "hooks or commands start long-running workers as daemons (`sidekiq -d`, `nohup ... &`, init.d)",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
