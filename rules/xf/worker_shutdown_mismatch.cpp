#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/worker_process.h"
#include "analyzer/engine/rule.h"
#include "analyzer/project/parity_findings.h"

namespace shiftlint {
namespace {

using project::ContainerFacts;
using project::DeploymentFacts;
using project::ImageFacts;

// The Dockerfile that builds the container's image: the one its image name matched, else the
// app's only Dockerfile when the link is not by image (same tree, config).
const ImageFacts* image_of(const project::Project& project, const project::App& app, const project::LinkedFile& link,
                           size_t container) {
  for (const project::LinkedFile::Container& entry : link.containers)
    if (entry.container == container) return entry.image ? &project.facts.images[*entry.image] : nullptr;
  if (link.containers.empty() && app.images.size() == 1) return &project.facts.images[app.images.front().index];
  return nullptr;
}

void check(const project::Project& project, RuleContext& context) {
  for (const project::App& app : project.apps) {
    for (const project::LinkedFile& link : app.deployments) {
      const DeploymentFacts& deployment = project.facts.deployments[link.index];
      for (size_t index : project::app_containers(link, deployment)) {
        const ContainerFacts& container = deployment.containers[index];
        if (!container.stop_timeout) continue;
        const ImageFacts* image = image_of(project, app, link, index);
        if (!image || !image->shell_entrypoint) continue;
        const ImageFacts::ShellEntrypoint& shell = *image->shell_entrypoint;
        // The container replaces the instruction that starts the shell: the image's choice does not apply.
        if ((shell.instruction == "CMD" && container.overrides_command) ||
            (shell.instruction == "ENTRYPOINT" && container.overrides_entrypoint))
          continue;
        std::vector<std::string> words = container.overrides_command ? container.command_words : image->command_words;
        auto worker = detect::detect_worker_process(words);
        if (!worker && !container.overrides_command)
          for (const std::vector<std::string>& command : image->startup_commands)
            if ((worker = detect::detect_worker_process(command))) break;
        if (!worker) continue;
        std::string subject = fmt::format("{}, container \"{}\"", deployment.label, container.name);
        Finding& finding = context.report(
            container.stop_timeout->location,
            fmt::format("{} sets {} {} so that {} can shut down, but its image ({}) starts it through a shell that "
                        "does not pass SIGTERM on (through its {}, {}:{}): the worker never hears the stop signal, so the "
                        "timeout only delays the SIGKILL and running jobs are killed mid-way instead of being finished or "
                        "requeued; make the image run the worker as PID 1 (exec-form {}, or `exec` in the script), or put "
                        "an init that forwards signals (tini, dumb-init) in front{}",
                        subject, container.stop_timeout->name, container.stop_timeout->value, worker->name, image->path,
                        shell.instruction, shell.location.path, shell.location.span.begin.line, shell.instruction,
                        project::linked_files_clause(project, app, {deployment.path, image->path})));
        context.relate(finding, shell.location, fmt::format("the image's {}: {}", shell.instruction, shell.explanation));
      }
    }
  }
}

const RuleRegistration registration{{
    .id = "XF006",
    .slug = "worker-shutdown-mismatch",
    .severity = Severity::Warning,
    .summary = "a worker's stop timeout is wasted: its image starts it through a shell that never passes SIGTERM on",
    .check_project = check,
}};

}  // namespace
}  // namespace shiftlint
