#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/cron_usage.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/crontab_call.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/supervisord_config.h"

namespace shiftlint {
namespace {

using dkr::Evidence;

void scan_script(const docker::Dockerfile& dockerfile, const docker::Stage& stage, const dkr::ScriptSource& source,
                 std::vector<Evidence>& evidence) {
  const shell::Script& script = *source.script;
  std::string_view when = source.where;
  auto add = [&](Span span, std::string what) { evidence.push_back(dkr::evidence_in(source, span, std::move(what))); };

  for (const dkr::InstalledPackage& package : dkr::installed_packages(dockerfile, stage, source)) {
    bool language = package.manager == shell::PackageManager::Npm || package.manager == shell::PackageManager::Yarn ||
                    package.manager == shell::PackageManager::Gem;
    if (language) continue;  // node-cron, whenever, rufus-scheduler: libraries, not a daemon
    auto daemon = detect::cron_daemon_package(package.name);
    if (!daemon) continue;
    // yacron is the only cron daemon pip installs; a pip `cron` would be something else.
    if (package.manager == shell::PackageManager::Pip && *daemon != "yacron") continue;
    add(package.span, fmt::format("installs the cron daemon package \"{}\"{}", package.name,
                                  dkr::through_variable(package, source)));
  }
  for (const shell::CrontabCall& call : shell::find_crontab_calls(script)) {
    if (call.action != shell::CrontabAction::Install || !source.runs(script.commands[call.command])) continue;
    std::string what;
    if (call.from_whenever)
      what = fmt::format("writes a crontab from {} with `whenever`", call.file ? call.file->value : "config/schedule.rb");
    else
      what = call.file ? fmt::format("installs a crontab from {} with `crontab`", call.file->value)
                       : std::string("installs a crontab with `crontab`");
    add(script.commands[call.command].span, what);
  }
  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    if (!source.runs(script.commands[write.command])) continue;
    auto path = dkr::resolved_value(dockerfile, stage, source, *write.path);
    if (!path) continue;
    if (auto place = detect::cron_path(*path)) {
      std::string_view verb = write.method == shell::WriteMethod::MakeDirectory ? "creates" : "writes";
      add(write.path->span, fmt::format("{} {} (read by cron)", verb, *path));
    } else if (detect::is_supercronic_binary(*path) &&
               (write.method == shell::WriteMethod::Download || write.method == shell::WriteMethod::Move ||
                write.method == shell::WriteMethod::Copy || write.method == shell::WriteMethod::Link)) {
      // (`wget ... -O supercronic`: saved relative to the RUN's working folder, then moved.)
      add(write.path->span, path->front() == '/'
                                ? fmt::format("installs supercronic at {}", *path)
                                : fmt::format("installs supercronic (as {} in the working folder)", *path));
    }
  }
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    if (!source.runs(script.commands[index])) continue;
    shell::EffectiveCommand effective = shell::effective_command(script.commands[index]);
    if (!effective.program || effective.shell_string || effective.program->has_expansion) continue;
    std::string_view program = effective.program_name();
    if ((program == "curl" || program == "wget") && !source.at_run_time) {
      // The release asset itself: `curl -fsSLO "$SUPERCRONIC_URL"`.
      for (const shell::Word& word : effective.arguments) {
        auto url = dkr::resolved_value(dockerfile, stage, source, word);
        if (url && url->find("://") != std::string::npos && detect::is_supercronic_binary(*url)) {
          add(word.span, fmt::format("downloads supercronic from {}", *url));
          break;
        }
      }
      continue;
    }
    if (!detect::is_cron_program(program)) continue;
    // `supercronic -test crontab` checks the table's syntax and exits: no scheduler runs.
    if (program == "supercronic" && std::any_of(effective.arguments.begin(), effective.arguments.end(),
                                                [](const shell::Word& word) { return word.value == "-test"; }))
      continue;
    add(script.commands[index].span,
        fmt::format("runs {} in {}", effective.program_name(), when));
  }
  for (const shell::ServiceStart& start : shell::find_service_starts(script)) {
    if (!detect::is_cron_service(start.service) || !source.runs(script.commands[start.command])) continue;
    std::string_view verb = start.action == shell::ServiceAction::Enable ? "enables" : "starts";
    add(script.commands[start.command].span,
        fmt::format("{} the {} service with {} in {}", verb, start.service,
                    shell::service_manager_name(start.manager), when));
  }
}

void scan_copy(const docker::Dockerfile& dockerfile, const docker::Stage& stage, size_t position,
               std::vector<Evidence>& evidence) {
  auto add = [&](Span span, std::string what) {
    evidence.push_back({dockerfile.file.get(), span, std::move(what), span.begin});
  };
  const docker::Instruction& instruction = *stage.instructions[position];
  auto arguments = docker::copy_arguments(instruction);
  if (!arguments || !arguments->destination) return;
  auto destination = dkr::expanded_destination(dockerfile, stage, position, *arguments->destination);
  if (!destination) return;
  if (detect::cron_path(*destination)) {
    const docker::CopySource* source = arguments->sources.empty() ? nullptr : &arguments->sources[0];
    std::string what = !source || source->heredoc ? std::string("an inline file") : source->word->text;
    add(arguments->destination->span, fmt::format("copies {} into {} (read by cron)", what, *destination));
    return;
  }
  bool supercronic = detect::is_supercronic_binary(*destination);
  for (const docker::CopySource& source : arguments->sources)
    supercronic = supercronic || (source.word && detect::is_supercronic_binary(source.word->text));
  if (supercronic) add(arguments->destination->span, fmt::format("copies supercronic into {}", *destination));
}

// A supervisord the image starts runs cron as one of its programs: `[program:cron] command = cron
// -f`, or a script of the image that runs it (docker-postfix's `command = /scripts/cron.sh`, which
// execs `cron -f` or `crond -f`). The evidence is the program's command line; `kept` holds the
// files it points into until the report is written.
void add_supervisord_cron_evidence(const docker::Dockerfile& dockerfile, std::vector<Evidence>& evidence,
                                   std::vector<std::shared_ptr<const SourceFile>>& kept) {
  const docker::Stage* stage = dockerfile.final_stage();
  if (!dockerfile.build_context || !stage) return;
  const dkr::ImageStartup& startup = dkr::image_startup(dockerfile);
  bool started = false;
  std::optional<std::string> config;
  for (const dkr::StartupCommand& command : dkr::startup_commands(startup)) {
    std::string_view program = command.words.empty() ? std::string_view() : command.words[0];
    if (program.substr(program.rfind('/') + 1) != "supervisord") continue;
    started = true;
    if (auto given = dkr::supervisord_config_option(command.words, startup.stage)) config = std::move(given);
  }
  if (!started) return;
  for (const docker::ContextFile& file : dkr::supervisord_config_files(dockerfile, stage, config)) {
    std::optional<docker::ContextText> text = dockerfile.build_context->text(file);
    if (!text) continue;
    for (const dkr::SupervisordSetting& setting : dkr::supervisord_settings(text->text.text())) {
      if (setting.key != "command" || !setting.section.starts_with("program:") || setting.value.empty()) continue;
      std::string_view path = setting.value;
      std::string_view name = path.substr(path.rfind('/') + 1);
      std::string what;
      if (detect::is_cron_program(name)) {
        what = fmt::format("runs {} as the supervisord program \"{}\"", name, setting.section.substr(8));
      } else if (path.front() == '/') {
        for (const docker::ContextFile& script : dockerfile.build_context->files_copied_to(path, stage)) {
          std::optional<docker::ContextText> script_text = dockerfile.build_context->text(script);
          if (!script_text || script_text->text.text().find("cron") == std::string_view::npos) continue;
          const shell::Script& parsed = docker::context_script(*script_text);
          for (uint32_t index = 0; index < parsed.commands.size() && what.empty(); ++index) {
            shell::EffectiveCommand effective = shell::effective_command(parsed, index);
            if (!effective.program || effective.program->has_expansion ||
                !detect::is_cron_program(effective.program_name()))
              continue;
            what = fmt::format("runs {} as the supervisord program \"{}\", which runs {}", path,
                               setting.section.substr(8), effective.program_name());
          }
          if (!what.empty()) break;
        }
      }
      if (what.empty()) continue;
      Span span = text->text.span_of(*text->file, setting.value_begin, setting.value_end);
      // Anchored where the image's start runs: the program runs once supervisord starts, so what
      // the Dockerfile's own lines show (a cron package, a crontab copied in) comes first.
      Position anchor = file.instruction ? file.instruction->span.begin : span.begin;
      for (const docker::Instruction* start : {stage->config.entrypoint, stage->config.cmd})
        if (start && anchor < start->span.begin) anchor = start->span.begin;
      evidence.push_back({text->file.get(), span, std::move(what), anchor});
      kept.push_back(text->file);
    }
  }
}

// A runit or s6 service of the image runs cron: its `run` script copied to `/etc/service/cron/run`
// (spilo, phusion's baseimage), `/etc/sv/`, s6-overlay's `/etc/services.d/` or
// `/etc/s6-overlay/s6-rc.d/`, where it execs `cron -f`. The evidence is that command in the script.
void add_service_cron_evidence(const docker::Dockerfile& dockerfile, std::vector<Evidence>& evidence,
                               std::vector<std::shared_ptr<const SourceFile>>& kept) {
  const docker::Stage* stage = dockerfile.final_stage();
  if (!dockerfile.build_context || !stage) return;
  static constexpr std::pair<std::string_view, std::string_view> kServiceFolders[] = {
      {"/etc/service/", "runit"},
      {"/etc/sv/", "runit"},
      {"/etc/runit/runsvdir/default/", "runit"},
      {"/etc/services.d/", "s6"},
      {"/etc/s6-overlay/s6-rc.d/", "s6"}};
  for (const docker::ContextFile& file : dockerfile.build_context->copied_files(stage)) {
    std::string_view path = file.image_path;
    for (auto [root, supervisor] : kServiceFolders) {
      if (!path.starts_with(root)) continue;
      std::string_view rest = path.substr(root.size());
      size_t slash = rest.find('/');
      if (slash == std::string_view::npos || slash == 0 || rest.substr(slash + 1) != "run") continue;
      std::optional<docker::ContextText> text = dockerfile.build_context->text(file);
      if (!text || text->text.text().find("cron") == std::string_view::npos) continue;
      const shell::Script& parsed = docker::context_script(*text);
      for (uint32_t index = 0; index < parsed.commands.size(); ++index) {
        shell::EffectiveCommand effective = shell::effective_command(parsed, index);
        if (!effective.program || effective.program->has_expansion || !detect::is_cron_program(effective.program_name()))
          continue;
        Span span = parsed.commands[index].span;
        evidence.push_back({text->file.get(), span,
                            fmt::format("runs {} as the {} service \"{}\"", effective.program_name(), supervisor,
                                        rest.substr(0, slash)),
                            file.instruction ? file.instruction->span.begin : span.begin});
        kept.push_back(text->file);
        break;
      }
    }
  }
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  std::vector<std::shared_ptr<const SourceFile>> kept;
  std::vector<std::vector<Evidence>> by_stage(dockerfile.stages.size());
  for (const docker::Stage& stage : dockerfile.stages) {
    std::vector<Evidence>& evidence = by_stage[stage.index];
    const dkr::StageScripts& scripts = dkr::stage_scripts(dockerfile, stage);
    for (const dkr::ScriptSource& source : scripts.sources()) scan_script(dockerfile, stage, source, evidence);
    for (size_t position = 0; position < stage.instructions.size(); ++position) {
      const docker::Instruction& instruction = *stage.instructions[position];
      if (instruction.is("COPY") || instruction.is("ADD")) scan_copy(dockerfile, stage, position, evidence);
    }
    // `COPY root/ /` holding etc/crontabs/ or etc/cron.d/ files.
    dkr::add_folder_copy_evidence(
        dockerfile, stage, [](std::string_view path) { return detect::cron_path(path).has_value(); },
        [](std::string_view from, std::string_view to) { return fmt::format("copies {} into {} (read by cron)", from, to); },
        evidence);
  }
  if (const docker::Stage* final_stage = dockerfile.final_stage()) {
    add_supervisord_cron_evidence(dockerfile, by_stage[final_stage->index], kept);
    add_service_cron_evidence(dockerfile, by_stage[final_stage->index], kept);
  }
  // A stage the final image is not built on runs only when built with --target: said so.
  dkr::report_first_evidence_per_image(
      dockerfile, context, std::move(by_stage), [](const Evidence& first, const std::string& subject) {
        return fmt::format(
            "{} {}: cron inside a container runs every job once per replica (or not at all while no task "
            "is up), the platform neither watches nor restarts the daemon, and job output stays out of the container's logs; schedule "
            "each job as its own task with EventBridge Scheduler or an ECS scheduled task (a Kubernetes CronJob "
            "on EKS)",
            subject, first.what);
      });
}

const RuleRegistration registration{{
    .id = "DKR002",
    .slug = "cron-in-container",
    .severity = Severity::Warning,
    .summary = "The image installs or runs cron: jobs run per replica and outside the platform's scheduler",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
