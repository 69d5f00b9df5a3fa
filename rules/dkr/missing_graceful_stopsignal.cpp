#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Instruction;
using docker::Stage;

struct Server {
  std::string_view name;             // "nginx"
  std::string_view graceful_signal;  // "QUIT", without SIG
  std::string_view what_term_does;   // what the default SIGTERM does to it
};

const Server kNginx{"nginx", "QUIT", "makes nginx exit at once, cutting off the requests in flight"};
const Server kPhpFpm{"php-fpm", "QUIT", "makes php-fpm kill its workers at once, cutting off the requests they serve"};
const Server kApache{"Apache httpd", "WINCH", "makes Apache kill its children at once, cutting off the requests in flight"};

// The server a program name starts, or nullptr.
const Server* server_of_program(std::string_view program) {
  if (program == "nginx" || program == "openresty") return &kNginx;
  if (program.starts_with("php-fpm") || (program.starts_with("php") && program.ends_with("-fpm"))) return &kPhpFpm;
  // Not apachectl/apache2ctl: they run httpd as a child and do not pass signals on.
  if (program == "httpd" || program == "apache2" || program == "httpd-foreground" || program == "apache2-foreground")
    return &kApache;
  return nullptr;
}

// A Red Hat Software Collection of `collection` (`rh-nginx`, `httpd`): the collection's own package
// (`rh-nginx18`, `httpd24`), or one of its packages named `<collection><version>-<rest>`
// (`rh-nginx116-nginx`, `httpd24-httpd`). CentOS 7 images install nginx 1.8 to 1.20 this way.
bool is_software_collection(std::string_view name, std::string_view collection, std::string_view rest) {
  if (!name.starts_with(collection)) return false;
  name.remove_prefix(collection.size());
  size_t digits = name.find_first_not_of("0123456789");
  if (digits == 0) return false;
  if (digits == std::string_view::npos) return true;
  return name.substr(digits) == rest;
}

// The server a package installs: nginx, nginx-full, openresty; php-fpm, php8.2-fpm, php81-fpm;
// apache2, httpd; and the Software Collections' rh-nginx18, rh-php73-php-fpm, httpd24.
const Server* server_of_package(std::string_view package) {
  std::string name = to_lower_ascii(package);
  if (name == "nginx" || name.starts_with("nginx-") || name == "openresty" ||
      is_software_collection(name, "rh-nginx", "-nginx"))
    return &kNginx;
  if ((name.starts_with("php") || name.starts_with("rh-php")) && name.ends_with("-fpm")) return &kPhpFpm;
  if (name == "apache2" || name == "httpd" || name == "apache2-bin" || is_software_collection(name, "httpd", "-httpd"))
    return &kApache;
  return nullptr;
}

// The stop signal an official image sets that the image inherits: nginx, php:*-fpm and
// httpd/php:*-apache set their server's graceful one.
std::optional<std::string> inherited_stop_signal(const detect::ImageReference& base) {
  std::string registry = to_lower_ascii(base.registry);
  std::string repository = to_lower_ascii(base.repository);
  if (registry == "public.ecr.aws" && repository.starts_with("docker/library/")) repository.erase(0, 15);
  else if (!registry.empty() && registry != "docker.io" && registry != "index.docker.io" && registry != "mirror.gcr.io")
    return std::nullopt;
  if (repository.starts_with("library/")) repository.erase(0, 8);
  std::string tag = to_lower_ascii(base.tag);
  if (repository == "nginx") return "QUIT";
  if (repository == "httpd") return "WINCH";
  if (repository == "php" && tag.find("fpm") != std::string::npos) return "QUIT";
  if (repository == "php" && tag.find("apache") != std::string::npos) return "WINCH";
  return std::nullopt;
}

// "SIGQUIT", "quit", "3" → "QUIT"; "" when it cannot be read.
std::string signal_name(std::string_view text) {
  std::string name = to_upper_ascii(text);
  if (name.starts_with("SIG")) name.erase(0, 3);
  if (name == "3") return "QUIT";
  if (name == "15") return "TERM";
  if (name == "28") return "WINCH";
  if (name == "2") return "INT";
  if (name.empty() || name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-") != std::string::npos) return "";
  return name;
}

struct Run {
  const Server* server = nullptr;
  const Instruction* instruction = nullptr;
  Span span;  // the program word in the Dockerfile: the server's, or the start script's
  // Where a start script execs the server (`exec httpd -DFOREGROUND` in /startup.sh); null when the
  // ENTRYPOINT or CMD runs it itself.
  std::shared_ptr<const SourceFile> script;
  Span script_span;
};

// Whether the command at `index` of `script` makes what it runs the container's process: it ends
// the script in the foreground and is exec-ed (or, in an exec-form ENTRYPOINT or CMD, is the
// instruction's own program). `exec_form`: the script is that instruction's.
bool hands_over_process(const shell::Script& script, uint32_t index, bool exec_form, shell::EffectiveCommand* out = nullptr) {
  const shell::Command& command = script.commands[index];
  if (!command.ends_script || command.background) return false;
  shell::EffectiveCommand effective = shell::effective_command(script, index);
  bool direct = exec_form && command.shell_string_depth == 0 && !effective.has_wrapper(shell::WrapperKind::ShellString);
  if (!effective.program || (!effective.exec && !direct)) return false;
  if (out) *out = std::move(effective);
  return true;
}

// The server a start script execs at its end, when the ENTRYPOINT or CMD starts the script as the
// container's process and the script is the one it ends with: `CMD ["/startup.sh"]` and `exec
// httpd -DNO_DETACH` there. Scripts that exec scripts (`/entrypoint.sh` execs `/run-apache.sh`,
// which execs httpd) are followed up to the instruction, each link exec-ed.
std::optional<Run> server_run_by_script(const Dockerfile& dockerfile) {
  const dkr::ImageStartup& startup = dkr::image_startup(dockerfile);
  for (const dkr::StartupPart& part : startup.parts) {
    if (part.kind != dkr::StartupPart::Kind::Script) continue;
    // Up the chain of runners to the ENTRYPOINT or CMD, each link handing its process over.
    const dkr::StartupPart* link = &part;
    const dkr::StartupPart* top = nullptr;
    shell::EffectiveCommand started;
    for (size_t steps = 0; steps < startup.parts.size() && link->kind == dkr::StartupPart::Kind::Script; ++steps) {
      if (link->runner >= startup.parts.size()) break;
      const dkr::StartupPart& runner = startup.parts[link->runner];
      if (link->runner_command >= runner.script->commands.size()) break;
      bool exec_form = runner.kind != dkr::StartupPart::Kind::Script && runner.instruction->form == docker::Form::Exec;
      if (!hands_over_process(*runner.script, link->runner_command, exec_form, &started)) break;
      if (runner.kind != dkr::StartupPart::Kind::Script) top = &runner;
      link = &runner;
    }
    if (!top) continue;
    for (uint32_t index : dkr::ending_commands(*part.script)) {
      const shell::Command& command = part.script->commands[index];
      if (command.background) continue;
      shell::EffectiveCommand effective = shell::effective_command(*part.script, index);
      if (!effective.program || !effective.exec) continue;  // not exec-ed: DKR001's finding first
      if (const Server* server = server_of_program(effective.program_name()))
        return Run{server, top->instruction, started.program->span, part.file, effective.program->span};
    }
  }
  return std::nullopt;
}

// The server the image's main command runs, from ENTRYPOINT and CMD: the command that ends the
// script (wrappers such as `exec`, `gosu`, `sh -c` stripped). A process manager in between
// (supervisord) receives the stop signal instead, and is DKR003's concern.
std::optional<Run> server_run(const Dockerfile& dockerfile, const Stage& stage) {
  const docker::ImageConfig& config = stage.config;
  std::vector<const Instruction*> commands;
  if (config.entrypoint) commands.push_back(config.entrypoint);
  bool cmd_used = !(config.entrypoint && config.entrypoint->form == docker::Form::Shell);
  if (config.cmd && cmd_used && !config.cmd_reset) commands.push_back(config.cmd);
  for (const Instruction* instruction : commands) {
    const shell::Script& script = docker::instruction_script(*dockerfile.file, *instruction);
    for (uint32_t index = 0; index < script.commands.size(); ++index) {
      const shell::Command& command = script.commands[index];
      if (!command.ends_script || command.background || command.nesting == shell::Nesting::CommandSubstitution)
        continue;
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      if (!effective.program) continue;
      // The stop signal reaches the server only when it is the container's process: exec form, or
      // exec-ed. Behind a shell that does not exec it (`php-fpm && nginx`), the shell gets the signal
      // (DKR001's finding); once that is fixed, this rule has something to say.
      bool exec_form = instruction->form == docker::Form::Exec && command.shell_string_depth == 0 &&
                       !effective.has_wrapper(shell::WrapperKind::ShellString);
      if (!effective.exec && !exec_form) continue;
      if (const Server* server = server_of_program(effective.program_name()))
        return Run{server, instruction, effective.program->span, nullptr, {}};
    }
  }
  return server_run_by_script(dockerfile);
}

// Where this Dockerfile installs the server's package, in the stages of the final image.
std::optional<Span> server_install(const Dockerfile& dockerfile, const Server& server) {
  for (const Stage* stage : docker::final_image_stages(dockerfile)) {
    for (const dkr::ScriptSource& source : dkr::stage_scripts(dockerfile, *stage).sources()) {
      if (!source.in_dockerfile() || !source.instruction->is("RUN")) continue;
      for (const dkr::InstalledPackage& package : dkr::installed_packages(dockerfile, *stage, source))
        if (server_of_package(package.name) == &server) return package.span;
    }
  }
  return std::nullopt;
}

// Where the server runs: the Dockerfile's word, or the start script's line that execs it.
void add_run_location(Finding& finding, const Dockerfile& dockerfile, const Run& run) {
  if (run.script)
    finding.related.push_back({make_location(*run.script, run.script_span),
                               fmt::format("the start script runs {} here", run.server->name)});
  else
    finding.related.push_back({make_location(*dockerfile.file, run.span), fmt::format("{} runs here", run.server->name)});
}

void check(const Dockerfile& dockerfile, RuleContext& context) {
  const Stage* stage = dockerfile.final_stage();
  if (!stage) return;
  std::optional<Run> run = server_run(dockerfile, *stage);
  if (!run) return;
  std::optional<Span> install = server_install(dockerfile, *run->server);
  if (!install) return;  // a server the base image brings: that image's STOPSIGNAL is not known here
  const Server& server = *run->server;
  std::string graceful = fmt::format("SIG{}", server.graceful_signal);

  if (const Instruction* stopsignal = stage->config.stopsignal) {
    if (stopsignal->arguments.empty()) return;
    size_t position = 0;
    const Stage* owner = dockerfile.stage_of(*stopsignal, &position);
    if (!owner) return;
    docker::Expansion value = dockerfile.expand(*owner, position, stopsignal->arguments[0].text);
    std::string name = value.ok() ? signal_name(value.text) : "";
    if (name.empty() || name == server.graceful_signal) return;
    Finding& finding = context.report(
        *dockerfile.file, stopsignal->arguments[0].span,
        fmt::format("STOPSIGNAL {} is not {}'s graceful stop: on a deploy or scale-in SIG{} {}; set STOPSIGNAL {} so it "
                    "finishes them first (and give the task or pod a stop timeout that covers the slowest request)",
                    value.text, server.name, name,
                    name == "TERM" ? server.what_term_does : std::string_view("is not a graceful stop either"), graceful));
    add_run_location(finding, dockerfile, *run);
    return;
  }
  // An official image base sets the signal its server needs.
  for (const Stage* chain : docker::final_image_stages(dockerfile)) {
    if (chain->parent || !chain->image_word || !chain->image.ok()) continue;
    auto inherited = inherited_stop_signal(detect::parse_image_reference(chain->image.text));
    if (inherited && *inherited == server.graceful_signal) return;
  }
  Finding& finding = context.report(
      *dockerfile.file, run->span,
      fmt::format("the image installs and runs {} without a STOPSIGNAL, so stopping the container sends SIGTERM, which "
                  "{}; add STOPSIGNAL {} ({}'s graceful stop) and give the task or pod a stop timeout that covers the "
                  "slowest request",
                  server.name, server.what_term_does, graceful, server.name));
  if (run->script) add_run_location(finding, dockerfile, *run);
  finding.related.push_back({make_location(*dockerfile.file, *install), fmt::format("{} is installed here", server.name)});
}

const RuleRegistration registration{{
    .id = "DKR012",
    .slug = "missing-graceful-stopsignal",
    .severity = Severity::Note,
    .summary = "The image runs nginx, php-fpm or Apache it installs itself without STOPSIGNAL set to the graceful signal",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
