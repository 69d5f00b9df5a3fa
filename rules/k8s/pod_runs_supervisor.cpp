// K8S006: a container's command is a process supervisor running several programs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/process_supervisor.h"
#include "analyzer/detect/worker_process.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The supervisor a command runs, as users name it; empty for anything else.
std::string_view supervisor_of(const std::vector<std::string>& command) {
  detect::Supervisor supervisor = detect::supervisor_of(command[0]);
  if (supervisor == detect::Supervisor::Pm2 && (command.size() < 2 || command[1] != "start")) return {};
  if (supervisor == detect::Supervisor::Pm2Runtime || supervisor == detect::Supervisor::Pm2) {
    // With an ecosystem file pm2 runs every app listed in it; with one script it is just a runner.
    for (size_t i = 1; i < command.size(); ++i)
      if (command[i].find("ecosystem") != std::string::npos || ends_with(command[i], ".json") ||
          ends_with(command[i], ".yml") || ends_with(command[i], ".yaml") || ends_with(command[i], ".config.js"))
        return "pm2";
    return {};
  }
  if (supervisor == detect::Supervisor::ProcfileRunner) {
    // `foreman start web` runs one process of the Procfile.
    std::vector<std::string_view> words(command.begin(), command.end());
    std::optional<detect::ProcfileRun> run = detect::procfile_run(words);
    if (!run || run->named_processes == 1) return {};
    return detect::program_basename(command[0]);
  }
  return detect::supervisor_name(supervisor);
}

void check(const k8s::Workload& workload, RuleContext& context) {
  for (const k8s::Container& container : workload.containers) {
    for (const std::vector<std::string>& command : k8s::commands_run(container)) {
      std::string_view supervisor = supervisor_of(command);
      if (supervisor.empty()) continue;
      context.report(k8s::command_location(container, detect::program_basename(command[0])),
                     fmt::format("{} runs {} as its command: several programs share one container, so Kubernetes "
                                 "sees one process (a crashed program is restarted, or not, out of its sight; "
                                 "probes, logs, resources and scaling cannot tell them apart) and SIGTERM reaches "
                                 "them only as the supervisor forwards it; run each program as its own container "
                                 "or Deployment, with its own probes and resources",
                                 k8s::describe_container(workload, container), supervisor));
      break;
    }
  }
}

const RuleRegistration registration{{
    .id = "K8S006",
    .slug = "pod-runs-supervisor",
    .severity = Severity::Note,
    .summary = "A container's command is a process supervisor (supervisord, runit, s6, monit, circus, god, pm2, or a "
               "Procfile runner such as forego) running several programs",
    .check_kubernetes_workload = check,
}};

}  // namespace
}  // namespace shiftlint
