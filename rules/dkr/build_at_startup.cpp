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
    for (const detect::StartupWork& work : dkr::startup_work(command)) {
      if (work.kind == detect::StartupWorkKind::Migration) continue;  // DKR008
      bool build = work.kind == detect::StartupWorkKind::Build;
      std::string why =
          build ? "compiling at start takes minutes on a container's small CPU share, delays every deploy and "
                  "scale-out, and the app misses its health-check window while it builds"
                : "every start then depends on the package registry and the network, takes longer, and may run "
                  "different versions than the image that was tested";
      std::string fix = build ? "build in a RUN step so the image ships compiled" : "install in a RUN step so the image ships its dependencies";
      dkr::report_in_part(context, dockerfile, *command.part, command.command->span,
                          fmt::format("{} runs `{}` every time a container starts: {}; {}",
                                      dkr::part_subject(*command.part), work.description, why, fix));
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR007",
    .slug = "build-at-startup",
    .severity = Severity::Warning,
    .summary = "CMD, ENTRYPOINT or the entrypoint script compiles assets or installs dependencies at every container start",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
