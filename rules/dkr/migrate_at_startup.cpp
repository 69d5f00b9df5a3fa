#include <string>

#include <fmt/format.h>

#include "analyzer/detect/startup_work.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/image_startup.h"

namespace shiftlint {
namespace {

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  const dkr::ImageStartup& startup = dkr::image_startup(dockerfile);
  for (const dkr::StartupCommand& command : dkr::startup_commands(startup)) {
    if (command.in_run_mode_branch) continue;  // `docker run image app:init`: a one-off mode
    // Past `[ -z "$VERSION" ] && exit 0`-style guards on a variable nothing sets: only when opted in.
    // (Asked only of the few commands that do such work.)
    if (dkr::startup_work(command).empty() || dkr::after_opt_in_guard(dockerfile, *command.part, command.index))
      continue;
    for (const detect::StartupWork& work : dkr::startup_work(command)) {
      if (work.kind != detect::StartupWorkKind::Migration) continue;
      dkr::report_in_part(
          context, dockerfile, *command.part, command.command->span,
          fmt::format("{} runs `{}` every time a container starts: replicas starting together race to migrate the "
                      "same database, old containers still serving during a rolling deploy meet the new schema, and a "
                      "slow or failing migration keeps the app from passing its health check; run migrations once per "
                      "deploy as a one-off task (ECS RunTask, a Kubernetes Job, a pipeline step) before the rollout",
                      dkr::part_subject(*command.part), work.description));
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR008",
    .slug = "migrate-at-startup",
    .severity = Severity::Warning,
    .summary = "CMD, ENTRYPOINT or the entrypoint script runs database migrations every time a container starts",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
