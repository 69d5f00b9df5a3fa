#include "analyzer/model/docker/image_evidence.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "analyzer/detect/cron_usage.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/crontab_call.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/shell_parser.h"

namespace shiftlint::dkr {

namespace {
// Cron files read per stage, and jobs parsed per file: crontabs are small; a hostile context is not.
constexpr size_t kMaxCronFiles = 32;
constexpr size_t kMaxCronJobs = 500;
}  // namespace

std::vector<CommandInstruction> command_instructions(const docker::Stage& stage) {
  std::vector<CommandInstruction> result;
  for (size_t position = 0; position < stage.instructions.size(); ++position) {
    const docker::Instruction* instruction = stage.instructions[position];
    if (instruction->is("RUN")) {
      result.push_back({instruction, position, false});
    } else if ((instruction->is("CMD") && stage.config.cmd == instruction) ||
               (instruction->is("ENTRYPOINT") && stage.config.entrypoint == instruction) ||
               (instruction->is("HEALTHCHECK") && stage.config.healthcheck == instruction)) {
      result.push_back({instruction, position, true});
    }
  }
  return result;
}

std::optional<std::string> expanded_value(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                          size_t position, const shell::Word& word) {
  if (!word.has_expansion) return std::string(word.value);
  // Only parameter expansions of the Dockerfile's own ENV/ARG can be resolved here.
  if (word.text.find("$(") != std::string::npos || word.text.find('`') != std::string::npos) return std::nullopt;
  docker::Expansion expansion = dockerfile.expand(stage, position, word.text);
  if (!expansion.ok()) return std::nullopt;
  return std::move(expansion.text);
}

std::optional<std::string> expanded_destination(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                                size_t position, const docker::Word& destination) {
  docker::Expansion expansion = dockerfile.expand(stage, position, destination.text);
  if (!expansion.ok() || expansion.text.empty() || expansion.text[0] != '/') return std::nullopt;
  return std::move(expansion.text);
}

namespace {

// Following the startup scripts reads the build context (PATH lookups, file reads): done once per
// file for the six rules that ask, inside the engine's per-file scope (instruction_script_scope).
const ImageStartup& startup_of(const docker::Dockerfile& dockerfile, ImageStartup&) {
  return image_startup(dockerfile);  // built once per file (image_startup.cpp)
}

}  // namespace

StageScripts::StageScripts(const docker::Dockerfile& dockerfile, const docker::Stage& stage) {
  const SourceFile* file = dockerfile.file.get();
  if (!file) return;
  for (const CommandInstruction& at : command_instructions(stage)) {
    // Parsed once per file for all rules (docker::InstructionScriptCache), valid while they run.
    const shell::Script& script = docker::instruction_script(*file, *at.instruction);
    if (script.commands.empty()) continue;
    ScriptSource source;
    source.file = file;
    source.dockerfile_file = file;
    source.script = &script;
    source.instruction = at.instruction;
    source.position = at.position;
    source.at_run_time = at.at_run_time;
    source.where = at.at_run_time ? at.instruction->keyword : "RUN";
    source.anchor = at.instruction->span.begin;
    sources_.push_back(std::move(source));
  }
  if (!dockerfile.build_context) return;
  add_cron_jobs(dockerfile, stage);
  if (&stage == dockerfile.final_stage()) add_startup_scripts(dockerfile);
  add_installed_crontabs(dockerfile, stage);
}

void StageScripts::add_startup_scripts(const docker::Dockerfile& dockerfile) {
  const ImageStartup& startup = startup_of(dockerfile, own_startup_);
  for (const StartupPart& part : startup.parts) {
    if (part.kind != StartupPart::Kind::Script || !part.file || !part.instruction) continue;
    ScriptSource source;
    source.kind = ScriptSource::Kind::StartupScript;
    source.file = part.file.get();
    source.dockerfile_file = dockerfile.file.get();
    source.script = part.script.get();
    source.part = &part;
    source.instruction = part.instruction;
    source.at_run_time = true;
    source.where = part_name(part);
    source.brought_in_by = how_script_runs(part);
    source.anchor = part.instruction->span.begin;
    sources_.push_back(std::move(source));
  }
}

const StageScripts& stage_scripts(const docker::Dockerfile& dockerfile, const docker::Stage& stage) {
  struct Cached {
    uint64_t scope = 0;
    const docker::Dockerfile* dockerfile = nullptr;
    std::unordered_map<const docker::Stage*, std::unique_ptr<StageScripts>> stages;
  };
  thread_local Cached cached;
  uint64_t scope = docker::instruction_script_scope();
  if (scope == 0 || cached.scope != scope || cached.dockerfile != &dockerfile) {
    // Another file (or no scope: nothing may be reused). Outside a scope only this stage's entry
    // is replaced, so that a caller still holding another stage's keeps it.
    if (scope != 0 || cached.dockerfile != &dockerfile) cached.stages.clear();
    cached.scope = scope;
    cached.dockerfile = &dockerfile;
    if (scope == 0) cached.stages.erase(&stage);
  }
  std::unique_ptr<StageScripts>& entry = cached.stages[&stage];
  if (!entry) entry = std::make_unique<StageScripts>(dockerfile, stage);
  return *entry;
}

void StageScripts::add_cron_jobs(const docker::Dockerfile& dockerfile, const docker::Stage& stage) {
  // Listing what a stage copies walks folders on disk: only when one of its own COPY/ADD (not a
  // parent stage's: that stage reports them) can put files where cron reads.
  std::vector<const docker::Instruction*> copies;
  for (size_t position = 0; position < stage.instructions.size(); ++position) {
    const docker::Instruction* instruction = stage.instructions[position];
    auto arguments = docker::copy_arguments(*instruction);
    if (!instruction->is("COPY") && !instruction->is("ADD")) continue;
    if (!arguments || !arguments->destination || arguments->from) continue;
    auto destination = expanded_destination(dockerfile, stage, position, *arguments->destination);
    if (!destination) continue;
    std::string folder = *destination;
    while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
    bool may_hold_cron = detect::cron_path(folder).has_value() || folder == "/" || folder == "/etc" ||
                         folder == "/var" || folder == "/var/spool";
    if (may_hold_cron) copies.push_back(instruction);
  }
  if (copies.empty()) return;
  const docker::BuildContext& context = *dockerfile.build_context;
  size_t files = 0;
  for (const docker::ContextFile& copied : context.copied_files(&stage)) {
    // Heredocs are read by the rules from the Dockerfile itself.
    if (copied.heredoc || !copied.instruction) continue;
    if (std::find(copies.begin(), copies.end(), copied.instruction) == copies.end()) continue;
    auto place = detect::cron_path(copied.image_path);
    if (!place || ++files > kMaxCronFiles) continue;
    std::optional<docker::ContextText> text = context.text(copied);
    if (!text) continue;
    std::string brought_in_by = fmt::format("the image's {} puts {} at {}, where cron runs it",
                                            copied.instruction->keyword, copied.display_path, copied.image_path);
    if (place->kind == detect::CronPathKind::PeriodicFolder) {
      // run-parts runs each file as a script
      add_cron_job(dockerfile, copied, *text, shell::parse_shell(*text->file, text->text), brought_in_by);
      continue;
    }
    if (copied.image_path == "/etc/anacrontab") continue;  // another table format
    add_crontab(dockerfile, copied, *text, place->has_user_field, brought_in_by);
  }
}

void StageScripts::add_cron_job(const docker::Dockerfile& dockerfile, const docker::ContextFile& copied,
                                const docker::ContextText& text, shell::Script script, const std::string& brought_in_by) {
  if (script.commands.empty()) return;
  scripts_.push_back(std::move(script));
  ScriptSource source;
  source.kind = ScriptSource::Kind::CronJob;
  source.file = text.file.get();
  source.dockerfile_file = dockerfile.file.get();
  source.script = &scripts_.back();
  source.instruction = copied.instruction;
  source.at_run_time = true;
  source.where = copied.display_path;
  source.brought_in_by = brought_in_by;
  source.anchor = copied.instruction->span.begin;
  sources_.push_back(std::move(source));
}

void StageScripts::add_crontab(const docker::Dockerfile& dockerfile, const docker::ContextFile& copied,
                               const docker::ContextText& text, bool has_user_field, const std::string& brought_in_by) {
  size_t jobs = 0;
  for (const detect::CrontabEntry& entry : detect::parse_crontab(text.text.text(), has_user_field)) {
    if (++jobs > kMaxCronJobs) break;
    add_cron_job(dockerfile, copied, text,
                 shell::parse_shell(*text.file, text.text.slice(entry.command_begin, entry.command_begin + entry.command.size())),
                 brought_in_by);
  }
}

void StageScripts::add_installed_crontabs(const docker::Dockerfile& dockerfile, const docker::Stage& stage) {
  // `crontab /scripts/app.cron` in a RUN or a start-up script: a file the image copied in becomes
  // the user's table (no user field), which cron runs as surely as one in /etc/cron.d (seafile's
  // entrypoint installs its logrotate job this way). The sources added here are not searched again.
  if (!dockerfile.build_context) return;
  size_t tables = 0;
  for (size_t index = 0, count = sources_.size(); index < count; ++index) {
    if (sources_[index].kind == ScriptSource::Kind::CronJob) continue;
    // Most scripts name no crontab at all: a look at the program names first.
    const shell::Script& script = *sources_[index].script;
    if (std::none_of(script.commands.begin(), script.commands.end(), [](const shell::Command& command) {
          return shell::effective_program_name(command) == "crontab";
        }))
      continue;
    std::vector<shell::CrontabCall> calls = shell::find_crontab_calls(script);
    for (const shell::CrontabCall& call : calls) {
      const ScriptSource& installer = sources_[index];
      if (call.action != shell::CrontabAction::Install || !call.file || call.from_whenever ||
          !installer.runs(installer.script->commands[call.command]))
        continue;
      std::optional<std::string> path = resolved_value(dockerfile, stage, installer, *call.file);
      if (!path || path->empty() || path->front() != '/') continue;
      // Where cron reads by itself, add_cron_jobs has read it already.
      if (detect::cron_path(*path)) continue;
      const std::vector<docker::ContextFile>& copied_files = dockerfile.build_context->copied_files(&stage);
      auto copied = std::find_if(copied_files.rbegin(), copied_files.rend(), [&](const docker::ContextFile& file) {
        // A heredoc's lines are the Dockerfile's, which the rules read themselves.
        return file.image_path == *path && file.instruction && !file.heredoc;
      });
      if (copied == copied_files.rend() || ++tables > kMaxCronFiles) continue;
      std::optional<docker::ContextText> text = dockerfile.build_context->text(*copied);
      if (!text) continue;
      std::string brought_in_by =
          fmt::format("{} installs {} as a crontab (the image's {} puts {} there), and cron runs its jobs",
                      installer.where, *path, copied->instruction->keyword, copied->display_path);
      add_crontab(dockerfile, *copied, *text, false, brought_in_by);
    }
  }
}

Finding& report_in_source(RuleContext& context, const docker::Dockerfile& dockerfile, const ScriptSource& source,
                          Span span, std::string message) {
  Finding& finding = context.report(*source.file, span, std::move(message));
  if (!source.in_dockerfile() && dockerfile.file && source.instruction)
    finding.related.push_back({make_location(*dockerfile.file, source.instruction->span), source.brought_in_by});
  return finding;
}

std::optional<std::string> resolved_value(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                          const ScriptSource& source, const shell::Word& word) {
  if (source.in_dockerfile()) return expanded_value(dockerfile, stage, source.position, word);
  // A script the container starts sees the image's ENV; a cron job does not (cron gives its jobs
  // a minimal environment), so there only literal words count.
  if (source.kind == ScriptSource::Kind::StartupScript && source.script)
    return runtime_value(dockerfile, stage, *source.script, word);
  if (word.has_expansion) return std::nullopt;
  return std::string(word.value);
}

namespace {

// The ENV or ARG pair whose value the instruction at `position` sees for `name`: a stage's `ARG
// NAME` without a default takes the value of the global ARG before the first FROM.
const docker::KeyValue* variable_pair(const docker::Dockerfile& dockerfile, const docker::Stage& stage, size_t position,
                                      std::string_view name, const docker::Instruction** instruction) {
  const docker::Variable* variable = dockerfile.variable(stage, position, name);
  if (!variable || !variable->known || !variable->pair || !variable->instruction) return nullptr;
  const docker::Variable* holder = variable;
  if (!variable->pair->has_value && variable->kind == docker::Variable::Kind::Arg) {
    auto global = dockerfile.global_arg_index.find(name);
    if (global == dockerfile.global_arg_index.end()) return nullptr;
    holder = &dockerfile.global_args[global->second];
    if (!holder->known || !holder->pair || !holder->instruction || !holder->pair->has_value) return nullptr;
  }
  if (!holder->pair->has_value) return nullptr;
  *instruction = holder->instruction;
  return holder->pair;
}

}  // namespace

bool final_image_installs(const docker::Dockerfile& dockerfile,
                          const std::function<bool(const InstalledPackage& package)>& wanted) {
  for (const docker::Stage* stage : docker::final_image_stages(dockerfile)) {
    for (const ScriptSource& source : stage_scripts(dockerfile, *stage).sources()) {
      if (source.at_run_time) continue;
      for (const InstalledPackage& package : installed_packages(dockerfile, *stage, source))
        if (wanted(package)) return true;
    }
  }
  return false;
}

const std::vector<InstalledPackage>& installed_packages(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                                        const ScriptSource& source) {
  if (source.installed) return *source.installed;
  std::vector<InstalledPackage>& packages = source.installed.emplace();
  if (!source.script || !source.file) return packages;
  const std::vector<shell::PackageInstall>& installs = shell::find_package_installs(*source.script);
  if (installs.empty()) return packages;
  size_t count = 0;
  for (const shell::PackageInstall& install : installs) count += install.packages.size();
  packages.reserve(count);
  char escape = source.in_dockerfile() ? dockerfile.syntax.escape : '\\';
  for (const shell::PackageInstall& install : installs) {
    if (install.command < source.script->commands.size() && !source.runs(source.script->commands[install.command]))
      continue;
    for (const shell::Package& package : install.packages) {
      if (package.assignment) {
        // Named in the value of the script's own assignment: placed in that value.
        const shell::Word& value = package.assignment->value;
        Span span = source.file->span_within(value.span, value.text, package.offset,
                                             package.offset + package.word->text.size(), escape);
        packages.push_back({install.manager, package.name, package.version, span, package.variable,
                            package.assignment->name});
        continue;
      }
      // (Also a literal name pinned to a version from a variable: `openssh-server-pam==${OPENSSH_RELEASE}`,
      // as linuxserver's images pin theirs.)
      if (!package.word->has_expansion ||
          (!package.name.empty() && package.name.find_first_of("$`") == std::string::npos && !package.version.empty() &&
           package.word->value.starts_with(package.name))) {
        packages.push_back({install.manager, package.name, package.version, package.word->span, nullptr, {}});
        continue;
      }
      // `${PKGS}` the script never assigns: a Dockerfile instruction sees the stage's ENV and ARG.
      std::string_view name = shell::named_variable(*package.word);
      if (name.empty() || !source.in_dockerfile()) continue;
      const docker::Instruction* holder = nullptr;
      const docker::KeyValue* pair = variable_pair(dockerfile, stage, source.position, name, &holder);
      if (!pair) continue;
      const SourceFile& file = *dockerfile.file;
      for (auto [begin, end] : shell::literal_list_words(pair->value.text, dockerfile.syntax.escape)) {
        shell::Word word;
        word.text = word.value = std::string_view(pair->value.text).substr(begin, end - begin);
        shell::Package named = shell::read_package(install.manager, word);
        // The name is a prefix of the word and the version its suffix: viewed in the Dockerfile.
        packages.push_back({install.manager, word.value.substr(0, named.name.size()),
                            word.value.substr(word.value.size() - named.version.size()),
                            holder->line.span_of(file, pair->value.begin + begin, pair->value.begin + end),
                            package.word, name});
      }
    }
  }
  return packages;
}

std::string through_variable(const InstalledPackage& package, const ScriptSource& source) {
  if (!package.variable) return {};
  std::string where = package.variable->span.begin.line == package.span.begin.line
                          ? std::string()
                          : fmt::format(" on line {}", package.variable->span.begin.line);
  std::string_view file_note = source.in_dockerfile() ? "" : source.where;
  return fmt::format(" (listed in {}, which the install{}{}{} expands)", package.variable_name, where,
                     file_note.empty() ? "" : " of ", file_note);
}

Evidence evidence_in(const ScriptSource& source, Span span, std::string what) {
  return {source.file, span, std::move(what), source.in_dockerfile() ? span.begin : source.anchor, &source};
}

void add_folder_copy_evidence(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                              const std::function<bool(std::string_view image_path)>& wanted,
                              const std::function<std::string(std::string_view context_path,
                                                              std::string_view image_path)>& describe,
                              std::vector<Evidence>& evidence) {
  if (!dockerfile.build_context || &stage != dockerfile.final_stage()) return;
  for (const docker::ContextFile& file : dockerfile.build_context->copied_files(&stage)) {
    if (!file.instruction || file.context_path.empty() || !wanted(file.image_path)) continue;
    auto arguments = docker::copy_arguments(*file.instruction);
    if (!arguments || !arguments->destination || wanted(arguments->destination->text)) continue;
    const docker::Word* where = arguments->destination;
    if (arguments->sources.size() == 1 && arguments->sources[0].word) where = arguments->sources[0].word;
    evidence.push_back({dockerfile.file.get(), where->span, describe(file.display_path, file.image_path),
                        where->span.begin});
  }
}

void report_first_evidence(RuleContext& context, std::vector<Evidence> evidence,
                           const std::function<std::string(const Evidence& first)>& message) {
  if (evidence.empty()) return;
  std::stable_sort(evidence.begin(), evidence.end(),
                   [](const Evidence& a, const Evidence& b) { return a.anchor < b.anchor; });
  const Evidence& first = evidence.front();
  Finding& finding = context.report(*first.file, first.span, message(first));
  const ScriptSource* source = first.source;
  if (source && !source->in_dockerfile() && source->instruction && source->dockerfile_file)
    finding.related.push_back({make_location(*source->dockerfile_file, source->instruction->span), source->brought_in_by});
  for (size_t i = 1; i < evidence.size(); ++i) {
    // The same word seen twice (a package URL that is also a download) is one piece of evidence.
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j)
      seen = evidence[j].file == evidence[i].file && evidence[j].span == evidence[i].span;
    if (seen) continue;
    finding.related.push_back({make_location(*evidence[i].file, evidence[i].span), "also " + evidence[i].what});
  }
}

void report_first_evidence_per_image(
    const docker::Dockerfile& dockerfile, RuleContext& context, std::vector<std::vector<Evidence>> evidence,
    const std::function<std::string(const Evidence& first, const std::string& subject)>& message) {
  std::vector<const docker::Stage*> final_image = docker::final_image_stages(dockerfile);
  std::vector<Evidence> in_final_image;
  for (size_t index = 0; index < evidence.size() && index < dockerfile.stages.size(); ++index) {
    const docker::Stage& stage = dockerfile.stages[index];
    if (std::find(final_image.begin(), final_image.end(), &stage) != final_image.end()) {
      std::move(evidence[index].begin(), evidence[index].end(), std::back_inserter(in_final_image));
      continue;
    }
    std::string subject = docker::build_stage_label(stage) + ": the stage";
    report_first_evidence(context, std::move(evidence[index]),
                          [&](const Evidence& first) { return message(first, subject); });
  }
  const std::string subject = "the image";
  report_first_evidence(context, std::move(in_final_image), [&](const Evidence& first) { return message(first, subject); });
}

std::vector<std::string> image_command_words(const docker::Stage& stage) {
  std::vector<std::string> words;
  auto add = [&](const docker::Instruction* instruction) {
    if (!instruction) return;
    if (instruction->form == docker::Form::Exec) {
      for (const docker::Word& word : instruction->arguments) words.push_back(word.text);
    } else if (instruction->form == docker::Form::Shell) {
      words.insert(words.end(), {"/bin/sh", "-c", std::string(instruction->arguments_text())});
    }
  };
  add(stage.config.entrypoint);
  // ENTRYPOINT alone drops the base image's CMD; a shell-form ENTRYPOINT ignores CMD altogether.
  bool cmd_used = !(stage.config.entrypoint && stage.config.entrypoint->form == docker::Form::Shell);
  if (cmd_used && !stage.config.cmd_reset) add(stage.config.cmd);
  return words;
}

}  // namespace shiftlint::dkr
