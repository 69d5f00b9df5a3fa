#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/detect/cron_usage.h"
#include "analyzer/detect/file_lock.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/crontab_call.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/model/docker/image_evidence.h"

namespace shiftlint {
namespace {

std::string lock_message(std::string_view where, std::string_view pattern, const shell::Word* lock_path) {
  std::string lock = lock_path ? fmt::format(" on {}", lock_path->value) : "";
  return fmt::format(
      "{} takes a local file lock ({}{}): a file lock only keeps apart processes that share one filesystem, and "
      "every replica and scheduled task has its own, so two copies of the job can run at once; run the job as one "
      "scheduled task, or take a shared lock (a database advisory lock, Redis SET NX with an expiry, a DynamoDB "
      "conditional write)",
      where, pattern, lock);
}

// A lock file on a path the image declares as a VOLUME is meant to live on storage the containers
// share (an EFS or NFS mount): there it can keep them apart.
bool on_volume(const docker::Stage& stage, const shell::Word* lock_path) {
  if (!lock_path || lock_path->has_expansion) return false;
  std::string_view path = lock_path->value;
  for (const std::string& volume : stage.config.volumes) {
    std::string_view folder = volume;
    while (folder.size() > 1 && folder.back() == '/') folder.remove_suffix(1);
    if (folder.empty() || folder == "/") continue;
    if (path.starts_with(folder) && (path.size() == folder.size() || path[folder.size()] == '/')) return true;
  }
  return false;
}

void report_script(RuleContext& context, const SourceFile& file, const docker::Stage& stage,
                   const shell::Script& script, std::string_view where) {
  for (const detect::FileLockUse& use : detect::find_file_locks(script)) {
    if (on_volume(stage, use.lock_path)) continue;
    context.report(file, use.span, lock_message(where, use.pattern, use.lock_path));
  }
}

// Crontab text (mapped to the file): each job's command is shell.
void report_crontab(RuleContext& context, const SourceFile& file, const docker::Stage& stage, const TextMap& text, bool has_user_field,
                    std::string_view where) {
  for (const detect::CrontabEntry& entry : detect::parse_crontab(text.text(), has_user_field)) {
    TextMap command = text.slice(entry.command_begin, entry.command_begin + entry.command.size());
    report_script(context, file, stage, shell::parse_shell(file, command), where);
  }
}

// Text kept in a file the image runs later: a crontab when it goes where cron reads tables, else a script.
void report_written(RuleContext& context, const SourceFile& file, const docker::Stage& stage, const TextMap& text, const std::string& path,
                    std::string_view verb) {
  if (auto place = detect::cron_path(path)) {
    if (place->kind != detect::CronPathKind::PeriodicFolder) {
      report_crontab(context, file, stage, text, place->has_user_field,
                     fmt::format("a cron job the image {} to {}", verb, path));
      return;
    }
  }
  report_script(context, file, stage, shell::parse_shell(file, text), fmt::format("a script the image {} to {}", verb, path));
}

// A lock program named in an echoed line (`echo "* * * * * root flock -n /tmp/x.lock job" > /etc/cron.d/x`).
void report_printed(RuleContext& context, const SourceFile& file, const shell::Script& script, uint32_t index,
                    std::string_view where) {
  shell::EffectiveCommand effective = shell::effective_command(script.commands[index]);
  std::string_view name = effective.program_name();
  if (name != "echo" && name != "printf") return;
  for (const shell::Word& word : effective.arguments) {
    std::string_view program;
    if (detect::find_lock_program_mention(word.value, &program) == std::string_view::npos) continue;
    // On the program inside the quoted line when the word is written on one line as it reads.
    Span span = word.span;
    std::string_view as_written;
    size_t at = detect::find_lock_program_mention(word.text, &as_written);
    if (at != std::string_view::npos && span.begin.line == span.end.line &&
        span.end.column - span.begin.column == word.text.size()) {
      span.begin.column += static_cast<uint32_t>(at);
      span.end.column = span.begin.column + static_cast<uint32_t>(as_written.size());
    }
    context.report(file, span, lock_message(where, program.substr(program.find_last_of('/') + 1), nullptr));
    return;
  }
}

void check_run(const docker::Dockerfile& dockerfile, const docker::Stage& stage, size_t position, RuleContext& context) {
  const SourceFile& file = *dockerfile.file;
  const shell::Script& script = docker::instruction_script(file, *stage.instructions[position]);
  if (script.commands.empty()) return;
  // A lock taken while the image builds guards nothing at run time: only what the RUN writes for
  // later (scripts, cron jobs, crontabs) is looked at.
  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    if (write.method != shell::WriteMethod::Redirection && write.method != shell::WriteMethod::Tee) continue;
    auto path = dkr::expanded_value(dockerfile, stage, position, *write.path);
    if (!path || path->empty() || (*path)[0] != '/' || path->starts_with("/dev/")) continue;
    if (write.content) {
      report_written(context, file, stage, write.content->body, *path, "writes");
      continue;
    }
    std::string where = fmt::format("{} the image writes to {}",
                                    detect::cron_path(*path) ? "a cron job" : "a script", *path);
    uint32_t printer = write.command;
    if (write.method == shell::WriteMethod::Tee && printer > 0 &&
        script.commands[printer].connector == shell::Connector::Pipe)
      --printer;
    report_printed(context, file, script, printer, where);
  }
  for (const shell::CrontabCall& call : shell::find_crontab_calls(script)) {
    if (call.action != shell::CrontabAction::Install || !call.from_standard_input) continue;
    if (call.content) {
      report_crontab(context, file, stage, call.content->body, false, "a crontab the image installs");
    } else if (call.command > 0 && script.commands[call.command].connector == shell::Connector::Pipe) {
      report_printed(context, file, script, call.command - 1, "a crontab the image installs");
    }
  }
}

void check_copy(const docker::Dockerfile& dockerfile, const docker::Stage& stage, size_t position,
                RuleContext& context) {
  auto arguments = docker::copy_arguments(*stage.instructions[position]);
  if (!arguments || !arguments->destination) return;
  auto destination = dkr::expanded_destination(dockerfile, stage, position, *arguments->destination);
  if (!destination) return;
  for (const docker::CopySource& source : arguments->sources) {
    if (!source.heredoc) continue;
    std::string path = *destination;
    // `COPY <<EOF /etc/cron.d/`: the file is named after the delimiter.
    if (arguments->destination->text.ends_with("/")) path += source.heredoc->name;
    report_written(context, *dockerfile.file, stage, source.heredoc->body, path, "copies");
  }
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  for (const docker::Stage& stage : dockerfile.stages) {
    const dkr::StageScripts& scripts = dkr::stage_scripts(dockerfile, stage);
    for (const dkr::ScriptSource& source : scripts.sources()) {
      if (!source.at_run_time) continue;
      std::string where;
      switch (source.kind) {
        case dkr::ScriptSource::Kind::Instruction: where = fmt::format("the image's {}", source.where); break;
        case dkr::ScriptSource::Kind::StartupScript:
          where = fmt::format("{}, which the container runs at start,", source.where);
          break;
        case dkr::ScriptSource::Kind::CronJob: where = fmt::format("a cron job in {}", source.where); break;
      }
      for (const detect::FileLockUse& use : detect::find_file_locks(*source.script)) {
        if (on_volume(stage, use.lock_path)) continue;
        dkr::report_in_source(context, dockerfile, source, use.span, lock_message(where, use.pattern, use.lock_path));
      }
    }
    for (size_t position = 0; position < stage.instructions.size(); ++position) {
        const docker::Instruction& instruction = *stage.instructions[position];
      if (instruction.is("RUN")) check_run(dockerfile, stage, position, context);
      else if (instruction.is("COPY") || instruction.is("ADD")) check_copy(dockerfile, stage, position, context);
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR017",
    .slug = "local-file-lock",
    .severity = Severity::Warning,
    .summary = "flock, lockfile or a noclobber/mkdir lock keeps jobs apart only within one container",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
