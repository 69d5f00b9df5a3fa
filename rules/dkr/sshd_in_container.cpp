#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"

namespace shiftlint {
namespace {

using dkr::Evidence;

// SSH servers by package name. Alpine's and SUSE's `openssh` and Debian's `ssh` meta-packages pull
// the server in too, but images often install them for the client (git over ssh): they count only
// with other evidence.
bool is_ssh_server_package(std::string_view name) {
  static constexpr std::array<std::string_view, 7> packages = {
      "openssh-server", "openssh-server-pam", "openssh-sftp-server", "dropbear", "dropbear-bin", "dropbear-run",
      "tinysshd"};
  return std::find(packages.begin(), packages.end(), name) != packages.end();
}

bool is_ssh_service(std::string_view name) { return name == "ssh" || name == "sshd" || name == "dropbear"; }

// The server's configuration and its privilege-separation folder: only an SSH server needs them.
bool is_ssh_server_path(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path == "/etc/ssh/sshd_config" || path.starts_with("/etc/ssh/sshd_config.d") || path == "/var/run/sshd" ||
         path == "/run/sshd" || path.starts_with("/etc/dropbear");
}

// `weak`: evidence that counts only beside other evidence (Alpine's `openssh`).
void scan_script(const docker::Dockerfile& dockerfile, const docker::Stage& stage, const dkr::ScriptSource& source,
                 std::vector<Evidence>& evidence, std::vector<Evidence>& weak) {
  const shell::Script& script = *source.script;
  std::string_view when = source.where;
  auto add = [&](std::vector<Evidence>& to, Span span, std::string what) {
    to.push_back(dkr::evidence_in(source, span, std::move(what)));
  };
  for (const dkr::InstalledPackage& package : dkr::installed_packages(dockerfile, stage, source)) {
    if (is_ssh_server_package(package.name))
      add(evidence, package.span,
          fmt::format("installs the SSH server package \"{}\"{}", package.name, dkr::through_variable(package, source)));
    else if (package.name == "openssh" && (package.manager == shell::PackageManager::Apk ||
                                           package.manager == shell::PackageManager::Zypper))
      add(weak, package.span,
          fmt::format("installs \"openssh\"{}, which includes the SSH server", dkr::through_variable(package, source)));
    else if (package.name == "ssh" && package.manager == shell::PackageManager::Apt)
      // Debian's and Ubuntu's `ssh` is a metapackage depending on openssh-client and openssh-server;
      // it is also installed for the client alone, so it counts the way Alpine's `openssh` does.
      add(weak, package.span,
          fmt::format("installs \"ssh\"{}, a metapackage that pulls in the SSH server (openssh-server)",
                      dkr::through_variable(package, source)));
  }
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    if (!source.runs(script.commands[index])) continue;
    shell::EffectiveCommand effective = shell::effective_command(script.commands[index]);
    if (!effective.program || effective.shell_string || effective.program->has_expansion) continue;
    std::string_view name = effective.program_name();
    if (name == "sshd" || name == "dropbear") {
      add(evidence, script.commands[index].span, fmt::format("runs {} in {}", name, when));
    } else if (name == "ssh-keygen") {
      // -A generates the host keys a server needs; a user key (-t rsa -f ~/.ssh/id_rsa) is client-side.
      shell::ParsedArguments parsed = shell::parse_arguments(effective.arguments, {"-t", "-f", "-b", "-N", "-C"});
      if (parsed.has("-A")) add(evidence, script.commands[index].span, "generates SSH host keys (ssh-keygen -A)");
    }
  }
  for (const shell::ServiceStart& start : shell::find_service_starts(script)) {
    if (!is_ssh_service(start.service) || !source.runs(script.commands[start.command])) continue;
    std::string_view verb = start.action == shell::ServiceAction::Enable ? "enables" : "starts";
    add(evidence, script.commands[start.command].span,
        fmt::format("{} the {} service with {} in {}", verb, start.service, shell::service_manager_name(start.manager),
                    when));
  }
  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    auto path = dkr::resolved_value(dockerfile, stage, source, *write.path);
    if (!path || !is_ssh_server_path(*path) || !source.runs(script.commands[write.command])) continue;
    std::string_view verb = write.method == shell::WriteMethod::MakeDirectory ? "creates" : "writes";
    add(evidence, write.path->span, fmt::format("{} {} (for sshd)", verb, *path));
  }
}

// The final image's ENTRYPOINT or CMD is sshd itself, or a start script that ends by exec-ing it.
bool sshd_is_main_process(const docker::Dockerfile& dockerfile) {
  const docker::Stage* stage = dockerfile.final_stage();
  if (!stage) return false;
  auto is_sshd = [](std::string_view program) {
    program = program.substr(program.rfind('/') == std::string_view::npos ? 0 : program.rfind('/') + 1);
    return program == "sshd" || program == "dropbear";
  };
  const docker::Instruction* first = stage->config.entrypoint ? stage->config.entrypoint : stage->config.cmd;
  if (first && first->form == docker::Form::Exec && !first->arguments.empty() && is_sshd(first->arguments[0].text))
    return true;
  for (const dkr::StartupCommand& command : dkr::startup_commands(dkr::image_startup(dockerfile)))
    if (command.command->ends_script && !command.command->background && !command.words.empty() &&
        is_sshd(command.words[0]))
      return true;
  return false;
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  std::vector<std::vector<Evidence>> by_stage(dockerfile.stages.size());
  for (const docker::Stage& stage : dockerfile.stages) {
    std::vector<Evidence>& evidence = by_stage[stage.index];
    std::vector<Evidence> weak;
    const dkr::StageScripts& scripts = dkr::stage_scripts(dockerfile, stage);
    for (const dkr::ScriptSource& source : scripts.sources()) scan_script(dockerfile, stage, source, evidence, weak);
    for (size_t position = 0; position < stage.instructions.size(); ++position) {
      const docker::Instruction& instruction = *stage.instructions[position];
      if (!instruction.is("COPY") && !instruction.is("ADD")) continue;
      auto arguments = docker::copy_arguments(instruction);
      if (!arguments || !arguments->destination) continue;
      auto destination = dkr::expanded_destination(dockerfile, stage, position, *arguments->destination);
      if (!destination || !is_ssh_server_path(*destination)) continue;
      Span span = arguments->destination->span;
      evidence.push_back({dockerfile.file.get(), span,
                          fmt::format("copies the SSH server configuration {}", *destination), span.begin});
    }
    if (!evidence.empty()) evidence.insert(evidence.end(), weak.begin(), weak.end());
  }
  bool server_image = sshd_is_main_process(dockerfile);
  dkr::report_first_evidence_per_image(
      dockerfile, context, std::move(by_stage), [&](const Evidence& first, const std::string& subject) {
        // An SFTP or SSH gateway image (atmoz/sftp) runs sshd as its process: there is no other app.
        if (server_image && subject == "the image")
          return fmt::format(
              "{} {}: the container's process is an SSH server, with host keys and authorized keys baked into the "
              "image (or new host keys in every task, which clients then refuse) and port 22 to open to the "
              "tasks; for file transfer use a managed SFTP endpoint (AWS Transfer Family), and ECS Exec (aws ecs "
              "execute-command) or kubectl exec for a shell in a running container",
              subject, first.what);
        return fmt::format(
            "{} {}: an SSH server in a container is a second long-running process beside the app, with "
            "host keys and authorized keys baked into the image and port 22 to open to the tasks; use ECS Exec "
            "(aws ecs execute-command) or kubectl exec for a shell in a running container",
            subject, first.what);
      });
}

const RuleRegistration registration{{
    .id = "DKR018",
    .slug = "sshd-in-container",
    .severity = Severity::Warning,
    .summary = "The image installs or starts an SSH server",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
