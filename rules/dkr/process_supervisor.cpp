#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/process_supervisor.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/supervisord_config.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/procfile.h"

namespace shiftlint {
namespace {

// Programs named in a list shown in a message, at most.
constexpr size_t kMaxNamed = 6;

std::string_view base_name(std::string_view word) {
  size_t slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

struct Program {
  std::string name;
  const SourceFile* file = nullptr;  // where it is declared, when read from the build context
  Span span;
};

// What the supervisor runs, as far as the copied files tell.
struct Programs {
  std::vector<Program> list;
  std::vector<std::shared_ptr<const SourceFile>> files;  // keeps `Program::file` alive
  bool known = false;  // its configuration was found in the build context
};

void add_program(Programs& programs, std::string name, const SourceFile* file, Span span) {
  for (const Program& program : programs.list)
    if (program.name == name) return;
  programs.list.push_back({std::move(name), file, span});
}

// `[program:puma]` sections of a supervisord configuration.
void read_supervisord_programs(const docker::ContextText& text, Programs& programs) {
  std::string_view body = text.text.text();
  size_t line_begin = 0;
  while (line_begin < body.size()) {
    size_t line_end = body.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = body.size();
    std::string_view line = body.substr(line_begin, line_end - line_begin);
    size_t offset = line_begin;
    line_begin = line_end + 1;
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] != '[') continue;
    size_t close = line.find(']', first);
    if (close == std::string_view::npos) continue;
    std::string_view section = line.substr(first + 1, close - first - 1);
    if (!starts_with(section, "program:") || section.size() == 8) continue;
    Span span = text.text.span_of(*text.file, offset + first, offset + close + 1);
    add_program(programs, std::string(section.substr(8)), text.file.get(), span);
  }
}

class Checker {
 public:
  Checker(const docker::Dockerfile& dockerfile, RuleContext& context)
      : dockerfile_(dockerfile), context_(context), startup_(dkr::image_startup(dockerfile)) {}

  void run() {
    const std::vector<dkr::StartupCommand>& commands = dkr::startup_commands(startup_);
    // One finding per image, on the supervisor in the foreground first: an entrypoint may start one
    // in the background for a moment (to stop a program while it migrates) before it execs the one
    // that stays.
    for (bool background : {false, true})
      for (const dkr::StartupCommand& command : commands)
        if (command.command->background == background && check_command(command, commands)) return;
    check_inherited_s6_init();
  }

 private:
  bool check_command(const dkr::StartupCommand& command, const std::vector<dkr::StartupCommand>& all) {
    std::span<const std::string_view> words(command.words);
    std::string_view name = base_name(words[0]);
    Programs programs;
    std::string supervisor;
    bool stops_all_on_exit = false;
    switch (detect::supervisor_of(words[0])) {
      case detect::Supervisor::Supervisord:
        supervisor = "supervisord";
        supervisord_programs(words, programs);
        break;
      case detect::Supervisor::Runit:
        // A `my_init` of the project's own (AzuraCast's, a script that ends by exec'ing
        // supervisord) is not phusion's: the script is read as any other.
        if (name == "my_init" && dockerfile_.build_context &&
            !dockerfile_.build_context->files_run_as(words[0], startup_.stage).empty())
          return false;
        // Nor one installed some other way (AzuraCast's `/usr/local/bin/my_init`, put there by a
        // RUN from a bind mount): phusion's is /sbin/my_init, in images built on its base images.
        if (name == "my_init" && words[0] != "/sbin/my_init" && !on_phusion_base()) return false;
        supervisor = name == "my_init" ? "my_init (runit)" : "runit";
        // The scan folder named on the command line, else (or when nothing is copied there: the
        // services are linked in from /etc/sv by a RUN) the usual ones.
        if (std::string scan = scan_folder(words); !scan.empty()) service_folders(programs, {scan});
        if (!programs.known) service_folders(programs, {"/etc/service/", "/etc/sv/", "/etc/runit/runsvdir/default/"});
        break;
      case detect::Supervisor::S6:
        supervisor = words[0] == "/init" ? "s6-overlay's /init" : "s6";
        // The scan folder named on the command line, else (or when nothing is copied there: the
        // services are linked in from /etc/sv by a RUN) the usual ones.
        if (std::string scan = scan_folder(words); !scan.empty()) service_folders(programs, {scan});
        if (!programs.known) service_folders(programs, {"/etc/services.d/", "/etc/s6-overlay/s6-rc.d/", "/etc/s6/"});
        // s6-overlay's /init without services is only an init (it reaps and forwards signals).
        if (words[0] == "/init" && programs.list.size() < 2) return false;
        break;
      case detect::Supervisor::Monit:
      case detect::Supervisor::Circus:
      case detect::Supervisor::God:
        supervisor = detect::supervisor_name(detect::supervisor_of(words[0]));
        break;
      case detect::Supervisor::Pm2Runtime:
        supervisor = "pm2-runtime";
        if (!pm2_ecosystem_programs(words, programs) || programs.list.size() < 2) return false;
        break;
      case detect::Supervisor::Pm2: {
        if (words.size() < 2 || words[1] != "start") return false;
        // `pm2 start ecosystem.config.js && pm2 logs`: the pm2 daemon keeps the apps.
        bool follows = std::any_of(all.begin(), all.end(), [&](const dkr::StartupCommand& other) {
          return other.part == command.part && other.index > command.index && base_name(other.words[0]) == "pm2" &&
                 other.words.size() > 1 && (other.words[1] == "logs" || other.words[1] == "monit");
        });
        if (!follows) return false;
        supervisor = "pm2";
        pm2_ecosystem_programs(words, programs);
        break;
      }
      case detect::Supervisor::ProcfileRunner: {
        std::optional<detect::ProcfileRun> run = detect::procfile_run(words);
        // `foreman start web` runs one process of the Procfile: a runner, not several programs.
        if (!run || run->named_processes == 1) return false;
        supervisor = std::string(name);
        stops_all_on_exit = !run->restarts;
        procfile_programs(*run, programs);
        break;
      }
      case detect::Supervisor::None:
        return false;
    }
    // A supervisor keeping a single program is a restart loop, not several processes in one container.
    if (programs.known && programs.list.size() < 2) return false;

    std::string what = programs.list.empty() ? std::string("several programs") : listed(programs, "programs");
    // A Procfile runner without its restart option stops every program when one exits: the crash
    // is seen, but it takes the others down with it.
    std::string_view crash = stops_all_on_exit ? "a program that exits stops all the others with it"
                                               : "a program that keeps crashing is restarted inside the container "
                                                 "while it looks healthy";
    Finding& finding = dkr::report_in_part(
        context_, dockerfile_, *command.part, command.command->span,
        fmt::format("{} runs {} as the container's main process, keeping {} in one container: the orchestrator only "
                    "sees {}, so {}, the programs cannot be scaled, sized or deployed separately, and they share one "
                    "stop timeout; run each program as its own container (ECS service or task, Kubernetes "
                    "Deployment, or a sidecar where they must share localhost)",
                    dkr::part_subject(*command.part), supervisor, what, supervisor, crash));
    add_related(finding, programs);
    return true;
  }

  // No ENTRYPOINT of its own on a base image whose ENTRYPOINT is s6-overlay's /init (linuxserver.io):
  // the services the image copies in are started by that /init, next to the base image's own, which
  // cannot be read here (so a single service of its own is not reported).
  void check_inherited_s6_init() {
    const docker::Instruction* from = startup_.inherited_s6_init;
    if (!from || from->arguments.empty()) return;
    Programs programs;
    service_folders(programs, {"/etc/services.d/", "/etc/s6-overlay/s6-rc.d/"});
    if (programs.list.size() < 2) return;
    Finding& finding = context_.report(
        *dockerfile_.file, from->span,
        fmt::format("s6-overlay's /init, the ENTRYPOINT this image inherits from {}, is the container's main process "
                    "and keeps {} in one container, besides any service the base image adds: the orchestrator "
                    "only sees /init, so a program that keeps crashing is restarted inside the container while it "
                    "looks healthy, the programs cannot be scaled, sized or deployed separately, and they share one "
                    "stop timeout; run each program as its own container (ECS service or task, Kubernetes "
                    "Deployment, or a sidecar where they must share localhost)",
                    from->arguments.front().text, listed(programs, "services of its own")));
    add_related(finding, programs);
  }

  static std::string listed(const Programs& programs, std::string_view noun) {
    std::string names;
    for (size_t i = 0; i < programs.list.size() && i < kMaxNamed; ++i)
      names += fmt::format("{}{}", i ? ", " : "", programs.list[i].name);
    if (programs.list.size() > kMaxNamed) names += ", ...";
    return fmt::format("{} {} ({})", programs.list.size(), noun, names);
  }

  static void add_related(Finding& finding, const Programs& programs) {
    for (const Program& program : programs.list) {
      if (!program.file || finding.related.size() >= kMaxNamed) continue;
      finding.related.push_back({make_location(*program.file, program.span), fmt::format("program \"{}\"", program.name)});
    }
  }

  // The files supervisord reads (the -c file, else the default locations, and what their
  // [include] sections name): the programs they define.
  void supervisord_programs(std::span<const std::string_view> words, Programs& programs) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context) return;
    std::optional<std::string> config = dkr::supervisord_config_option(words, startup_.stage);
    for (const docker::ContextFile& file : dkr::supervisord_config_files(dockerfile_, startup_.stage, config)) {
      std::optional<docker::ContextText> text = context->text(file);
      if (!text) continue;
      programs.known = true;
      programs.files.push_back(text->file);
      read_supervisord_programs(*text, programs);
    }
  }

  // The processes of the Procfile a runner reads (`-f FILE`, else `Procfile` in `-d ROOT` or the
  // WORKDIR), as the image copies it in.
  void procfile_programs(const detect::ProcfileRun& run, Programs& programs) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context || !startup_.stage) return;
    std::string workdir = startup_.stage->config.workdir.empty() ? std::string("/") : startup_.stage->config.workdir;
    std::string folder = run.root.empty() ? workdir : run.root;
    if (folder.front() != '/') folder = workdir + "/" + folder;
    std::string path = run.procfile.empty() ? std::string("Procfile") : run.procfile;
    if (path.front() != '/') path = (folder.back() == '/' ? folder : folder + "/") + path;
    std::vector<docker::ContextFile> files = context->files_copied_to(path, startup_.stage);
    if (files.empty()) return;
    std::optional<docker::ContextText> text = context->text(files.front());
    if (!text) return;
    programs.known = true;
    programs.files.push_back(text->file);
    std::string_view body = text->text.text();
    for (const ProcfileLine& line : read_procfile_lines(body)) {
      if (!line.valid) continue;
      add_program(programs, std::string(body.substr(line.name_begin, line.name_end - line.name_begin)),
                  text->file.get(), text->text.span_of(*text->file, line.name_begin, line.command_end));
    }
  }

  // The s6-rc services the image's S6_STAGE2_HOOK script may take out of the `user` bundle before
  // s6-rc starts it (`rm -rf /etc/s6-overlay/s6-rc.d/user/contents.d/service-vpn`): hotio's images
  // ship optional services this way, each turned on by a setting (VPN_ENABLED=true). They do not
  // run unless asked for, so they are not counted.
  std::vector<std::string> removed_by_stage2_hook() const {
    std::vector<std::string> removed;
    const docker::BuildContext* context = dockerfile_.build_context;
    const docker::Stage* stage = startup_.stage;
    if (!context || !stage) return removed;
    const docker::Variable* hook = dockerfile_.variable(*stage, stage->instructions.size(), "S6_STAGE2_HOOK");
    if (!hook || !hook->known || hook->value.empty()) return removed;
    std::vector<docker::ContextFile> files = context->files_copied_to(hook->value, stage);
    if (files.empty()) return removed;
    std::optional<docker::ContextText> text = context->text(files.front());
    if (!text) return removed;
    constexpr std::string_view kBundle = "/etc/s6-overlay/s6-rc.d/user/contents.d/";
    const shell::Script& script = docker::context_script(*text);
    for (const shell::Command& command : script.commands) {
      if (!command.name.is_literal() || base_name(command.name.value) != "rm") continue;
      for (const shell::Word& argument : command.arguments) {
        if (!argument.is_literal() || !starts_with(argument.value, kBundle)) continue;
        std::string_view name = argument.value.substr(kBundle.size());
        if (!name.empty() && name.find('/') == std::string_view::npos) removed.emplace_back(name);
      }
    }
    return removed;
  }

  // The final image is built on phusion's baseimage or passenger-docker, whose CMD is my_init.
  bool on_phusion_base() const {
    for (const docker::Stage* stage : docker::final_image_stages(dockerfile_)) {
      if (stage->parent) continue;
      std::string_view image = stage->image.text;
      if (image.find("phusion/") != std::string_view::npos || image.find("passenger") != std::string_view::npos ||
          image.find("baseimage") != std::string_view::npos)
        return true;
    }
    return false;
  }

  // The scan folder given to `s6-svscan /services` or `runsvdir -P /etc/runit/services 'log: ...'`:
  // its first absolute argument, with a trailing '/'; empty when it names none (s6-overlay's /init,
  // runit's runsvdir started by its own init).
  static std::string scan_folder(std::span<const std::string_view> words) {
    std::string_view name = words[0].substr(words[0].rfind('/') + 1);
    if (name != "s6-svscan" && name != "runsvdir") return {};
    for (size_t i = 1; i < words.size(); ++i) {
      if (!words[i].starts_with('/')) continue;
      std::string folder(words[i]);
      if (folder.back() != '/') folder += '/';
      return folder;
    }
    return {};
  }

  // runit and s6 services: one folder per service under the scan folders, holding a `run` script.
  void service_folders(Programs& programs, std::initializer_list<std::string_view> roots) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context) return;
    std::optional<std::vector<std::string>> optional_services;  // read on the first s6-rc service
    // s6-rc starts the services of the `user` bundle and what they depend on: when the image copies
    // in the bundle's contents.d (less what a RUN removes from it: nginx-proxy-manager's production
    // image takes out its development `frontend`), a longrun outside it does not run.
    std::vector<std::string_view> started;
    bool unfolded = true;  // every bundle entry names a service folder the image copies
    constexpr std::string_view kServices = "/etc/s6-overlay/s6-rc.d/";
    for (const docker::ContextFile& file : context->copied_files(startup_.stage)) {
      std::string_view path = file.image_path;
      if (!starts_with(path, kServices)) continue;
      std::string_view rest = path.substr(kServices.size());
      size_t listed = rest.find("/contents.d/");
      bool in_bundle = listed != std::string_view::npos;
      if (!in_bundle) listed = rest.find("/dependencies.d/");
      if (listed == std::string_view::npos) continue;
      std::string_view name = rest.substr(rest.find('/', listed + 1) + 1);
      if (name.empty() || name.find('/') != std::string_view::npos) continue;
      started.push_back(name);
      // A bundle entry with no service folder of its own is a bundle this does not unfold (a
      // pipeline's `pipeline-name`, linuxserver's `pipeline-openssh-server`): then every longrun
      // counts. (A dependency may be the base image's own service: not asked.)
      if (in_bundle && unfolded &&
          context->files_copied_to(std::string(kServices) + std::string(name) + "/type", startup_.stage).empty())
        unfolded = false;
    }
    if (!unfolded) started.clear();
    for (const docker::ContextFile& file : context->copied_files(startup_.stage)) {
      for (std::string_view root : roots) {
        if (!starts_with(file.image_path, root)) continue;
        std::string_view rest = std::string_view(file.image_path).substr(root.size());
        size_t slash = rest.find('/');
        if (slash == std::string_view::npos || rest.substr(slash + 1) != "run") continue;
        // s6-rc services are longrun (a supervised process) or oneshot (a setup step run once).
        std::string name(rest.substr(0, slash));
        if (root == "/etc/s6-overlay/s6-rc.d/") {
          if (!is_longrun(std::string(root) + name + "/type")) continue;
          // An s6-log logger (`consumer-for`) is its producer's stdout, not a program of its own.
          if (!context->files_copied_to(std::string(root) + name + "/consumer-for", startup_.stage).empty()) continue;
          if (!started.empty() && std::find(started.begin(), started.end(), name) == started.end()) continue;
          if (!optional_services) optional_services = removed_by_stage2_hook();
          if (std::find(optional_services->begin(), optional_services->end(), name) != optional_services->end()) continue;
        }
        programs.known = true;
        // The service's `run` script, where what it runs is written; the COPY that brings it in when
        // the script cannot be read.
        if (std::optional<docker::ContextText> text = context->text(file); text && !text->text.text().empty()) {
          std::string_view body = text->text.text();
          size_t line_end = std::min(body.find('\n'), body.size());
          programs.files.push_back(text->file);
          add_program(programs, std::move(name), text->file.get(), text->text.span_of(*text->file, 0, line_end));
        } else {
          add_program(programs, std::move(name), dockerfile_.file.get(), file.instruction->span);
        }
      }
    }
  }

  // The s6-rc `type` file the image copies says "longrun"; true when it cannot be read.
  bool is_longrun(const std::string& type_path) const {
    std::vector<docker::ContextFile> files = dockerfile_.build_context->files_copied_to(type_path, startup_.stage);
    if (files.empty()) return true;
    std::optional<docker::ContextText> text = dockerfile_.build_context->text(files.front());
    if (!text) return true;
    std::string_view type = text->text.text();
    while (!type.empty() && (type.back() == '\n' || type.back() == '\r' || type.back() == ' ')) type.remove_suffix(1);
    return type == "longrun";
  }

  // The apps of a pm2 ecosystem file (`module.exports = {apps: [{name: "api", ...}, ...]}` or its
  // JSON/YAML forms): the `name` entries. False when the file is not one the image copies in.
  bool pm2_ecosystem_programs(std::span<const std::string_view> words, Programs& programs) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context || !startup_.stage) return false;
    for (size_t i = 1; i < words.size(); ++i) {
      std::string_view word = words[i];
      bool ecosystem = word.find("ecosystem") != std::string_view::npos || word.find("process.") != std::string_view::npos ||
                       word.find("pm2.") != std::string_view::npos;
      if (!ecosystem || starts_with(word, "-")) continue;
      std::string path(word);
      if (path.front() != '/')
        path = (startup_.stage->config.workdir.empty() ? std::string("/") : startup_.stage->config.workdir + "/") + path;
      std::vector<docker::ContextFile> files = context->files_copied_to(path);
      if (files.empty()) return false;
      std::optional<docker::ContextText> text = context->text(files.front());
      if (!text) return false;
      programs.known = true;
      programs.files.push_back(text->file);
      std::string_view body = text->text.text();
      for (size_t at = body.find("name"); at != std::string_view::npos; at = body.find("name", at + 4)) {
        size_t colon = body.find_first_not_of(" \t\"'", at + 4);
        if (colon == std::string_view::npos || body[colon] != ':') continue;
        if (at > 0 && (std::isalnum(static_cast<unsigned char>(body[at - 1])) || body[at - 1] == '_')) continue;
        size_t open = body.find_first_not_of(" \t", colon + 1);
        if (open == std::string_view::npos || (body[open] != '"' && body[open] != '\'')) continue;
        size_t close = body.find(body[open], open + 1);
        if (close == std::string_view::npos || close - open > 100) continue;
        add_program(programs, std::string(body.substr(open + 1, close - open - 1)), text->file.get(),
                    text->text.span_of(*text->file, at, close + 1));
      }
      return true;
    }
    return false;
  }

  const docker::Dockerfile& dockerfile_;
  RuleContext& context_;
  const dkr::ImageStartup& startup_;
};

void check(const docker::Dockerfile& dockerfile, RuleContext& context) { Checker(dockerfile, context).run(); }

const RuleRegistration registration{{
    .id = "DKR003",
    .slug = "process-supervisor",
    .severity = Severity::Note,
    .summary = "A process supervisor (supervisord, runit, s6, monit, pm2, circus, god, or a Procfile runner such as "
               "forego) runs several programs in one container",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
