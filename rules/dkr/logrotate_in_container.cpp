#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/model/docker/image_evidence.h"

namespace shiftlint {
namespace {

using dkr::Evidence;

// /etc/logrotate.conf, /etc/logrotate.d and anything in it.
bool is_logrotate_path(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/etc/logrotate.conf" || path == "/etc/logrotate.d") return true;
  return path.starts_with("/etc/logrotate.d/");
}

bool is_os_package_manager(shell::PackageManager manager) {
  switch (manager) {
    case shell::PackageManager::Apt:
    case shell::PackageManager::Yum:
    case shell::PackageManager::Dnf:
    case shell::PackageManager::Zypper:
    case shell::PackageManager::Apk:
    case shell::PackageManager::Rpm: return true;
    default: return false;
  }
}

void scan_script(const docker::Dockerfile& dockerfile, const docker::Stage& stage, const dkr::ScriptSource& source,
                 std::vector<Evidence>& evidence) {
  const shell::Script& script = *source.script;
  auto add = [&](Span span, std::string what) { evidence.push_back(dkr::evidence_in(source, span, std::move(what))); };
  for (const dkr::InstalledPackage& package : dkr::installed_packages(dockerfile, stage, source)) {
    if (is_os_package_manager(package.manager) && package.name == "logrotate")
      add(package.span, fmt::format("installs the logrotate package{}", dkr::through_variable(package, source)));
  }
  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    auto path = dkr::resolved_value(dockerfile, stage, source, *write.path);
    // A folder, or an empty file `touch` leaves (an app's checks want it there), configures no rotation.
    if (!path || !is_logrotate_path(*path) || write.method == shell::WriteMethod::MakeDirectory ||
        write.method == shell::WriteMethod::Touch || !source.runs(script.commands[write.command]))
      continue;
    add(write.path->span, fmt::format("writes the logrotate configuration {}", *path));
  }
  for (uint32_t index : shell::find_commands(script, {"logrotate"})) {
    if (!source.runs(script.commands[index])) continue;
    add(script.commands[index].span, fmt::format("runs logrotate in {}", source.where));
  }
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  std::vector<std::vector<Evidence>> by_stage(dockerfile.stages.size());
  for (const docker::Stage& stage : dockerfile.stages) {
    std::vector<Evidence>& evidence = by_stage[stage.index];
    const dkr::StageScripts& scripts = dkr::stage_scripts(dockerfile, stage);
    for (const dkr::ScriptSource& source : scripts.sources()) scan_script(dockerfile, stage, source, evidence);
    for (size_t position = 0; position < stage.instructions.size(); ++position) {
      const docker::Instruction& instruction = *stage.instructions[position];
      if (!instruction.is("COPY") && !instruction.is("ADD")) continue;
      auto arguments = docker::copy_arguments(instruction);
      if (!arguments || !arguments->destination || arguments->from) continue;
      auto destination = dkr::expanded_destination(dockerfile, stage, position, *arguments->destination);
      if (!destination || !is_logrotate_path(*destination)) continue;
      Span span = arguments->destination->span;
      evidence.push_back({dockerfile.file.get(), span,
                          fmt::format("copies a logrotate configuration into {}", *destination), span.begin});
    }
    // `COPY root/ /` holding etc/logrotate.d/ files.
    dkr::add_folder_copy_evidence(
        dockerfile, stage, is_logrotate_path,
        [](std::string_view from, std::string_view to) {
          return fmt::format("copies the logrotate configuration {} into {}", from, to);
        },
        evidence);
  }
  dkr::report_first_evidence_per_image(
      dockerfile, context, std::move(by_stage), [](const Evidence& first, const std::string& subject) {
        return fmt::format(
            "{} {}: rotating log files inside a container means the logs live on the task's disk, which "
            "is lost when the task stops, and logrotate only runs if something schedules it; write logs to "
            "stdout/stderr and let the platform collect and rotate them (the awslogs driver or FireLens on ECS, "
            "the kubelet on Kubernetes)",
            subject, first.what);
      });
}

const RuleRegistration registration{{
    .id = "DKR006",
    .slug = "logrotate-in-container",
    .severity = Severity::Note,
    .summary = "logrotate is installed or configured in the image: logs belong on stdout/stderr, not in rotated files",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
