#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/host_tuning.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/ulimit_call.h"
#include "analyzer/model/docker/image_evidence.h"

namespace shiftlint {
namespace {

using dkr::Evidence;

// A limit the fix can spell out: an ECS ulimit name and its soft and hard values.
struct Limit {
  std::string name;
  std::string soft;
  std::string hard;
};

bool is_ecs_ulimit_name(std::string_view name) {
  static constexpr std::array<std::string_view, 15> names = {"core",    "cpu",  "data",    "fsize",      "locks",
                                                             "memlock", "msgqueue", "nice", "nofile", "nproc",
                                                             "rss",     "rtprio",   "rttime", "sigpending", "stack"};
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_number(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A limit's value as a task definition writes it: a number, or -1 for no limit (`ulimit -c
// unlimited`, limits.conf's `unlimited`/`infinity`; Docker passes -1 as RLIM_INFINITY). Other
// text (a variable) is kept as it is, and the message then does not quote it.
std::string task_definition_value(std::string_view value) {
  if (value == "unlimited" || value == "infinity") return "-1";
  return std::string(value);
}

bool is_limit_number(std::string_view text) { return is_number(text) || text == "-1"; }

enum class Place { LimitsFile, LoginScript, PamConfig };

std::optional<Place> place_of(std::string_view path) {
  if (detect::is_limits_conf_path(path)) return Place::LimitsFile;
  if (path == "/etc/profile" || path.starts_with("/etc/profile.d/") || path == "/etc/bash.bashrc" ||
      path == "/etc/bashrc" || path.ends_with("/.bashrc") || path.ends_with("/.bash_profile") ||
      path.ends_with("/.profile"))
    return Place::LoginScript;
  if (path.starts_with("/etc/pam.d/")) return Place::PamConfig;
  return std::nullopt;
}

// What a write puts in the file when the script says: a heredoc, or the words of the echo/printf
// that prints into it (directly or through `| tee`).
std::optional<std::string> written_text(const shell::Script& script, const shell::PathWrite& write) {
  if (write.content) return write.content->body.text();
  auto printed = [&](uint32_t index) -> std::optional<std::string> {
    shell::EffectiveCommand effective = shell::effective_command(script.commands[index]);
    std::string_view name = effective.program_name();
    if (name != "echo" && name != "printf") return std::nullopt;
    std::string text;
    for (const shell::Word& word : effective.arguments) {
      if (!text.empty()) text += ' ';
      text += word.value;
    }
    return text;
  };
  if (write.method == shell::WriteMethod::Redirection) return printed(write.command);
  if (write.method == shell::WriteMethod::Tee && write.command > 0 &&
      script.commands[write.command].connector == shell::Connector::Pipe)
    return printed(write.command - 1);
  return std::nullopt;
}

// `webapp soft nofile 65535` lines (also with `\n` between them, as echo -e and printf write them).
void read_limits_lines(std::string_view text, std::vector<Limit>& limits) {
  std::string normalised;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      normalised += '\n';
      ++i;
    } else {
      normalised += text[i];
    }
  }
  for (const detect::LimitsEntry& entry : detect::parse_limits_conf(normalised)) {
    if (!is_ecs_ulimit_name(entry.item)) continue;
    auto found = std::find_if(limits.begin(), limits.end(), [&](const Limit& l) { return l.name == entry.item; });
    if (found == limits.end()) found = limits.insert(limits.end(), Limit{std::string(entry.item), "", ""});
    if (entry.sets_soft()) found->soft = task_definition_value(entry.value);
    if (entry.sets_hard()) found->hard = task_definition_value(entry.value);
  }
}

// `ulimit -n 65536` / `ulimit -Hn 8192` in text echoed into a login script.
// The text sets a limit with ulimit (`ulimit -n 65536`, `ulimit -Sn $MAX`), not only reads one:
// `$(ulimit -n)` in a test (docker-selenium's .bashrc warning), `ulimit -a`.
bool ulimit_text_sets_a_limit(std::string_view text) {
  for (size_t at = text.find("ulimit"); at != std::string_view::npos; at = text.find("ulimit", at + 6)) {
    size_t position = at + 6;
    auto token = [&]() {
      while (position < text.size() && (text[position] == ' ' || text[position] == '\t')) ++position;
      size_t begin = position;
      while (position < text.size() && std::string_view(" \t\n;&\\)|`").find(text[position]) == std::string_view::npos)
        ++position;
      return text.substr(begin, position - begin);
    };
    std::string_view option = token();
    if (option.size() < 2 || option[0] != '-') continue;
    std::string_view value = token();
    if (!value.empty() && value[0] != '-') return true;
  }
  return false;
}

void read_ulimit_text(std::string_view text, std::vector<Limit>& limits) {
  for (size_t at = text.find("ulimit"); at != std::string_view::npos; at = text.find("ulimit", at + 6)) {
    size_t position = at + 6;
    auto token = [&]() {
      while (position < text.size() && (text[position] == ' ' || text[position] == '\t')) ++position;
      size_t begin = position;
      // A backslash ends a token too: echoed text often carries `\n` escapes.
      while (position < text.size() && text[position] != ' ' && text[position] != '\t' && text[position] != '\n' &&
             text[position] != ';' && text[position] != '&' && text[position] != '\\')
        ++position;
      return text.substr(begin, position - begin);
    };
    // `ulimit -u 16384 -n 65536`: option and value pairs up to the end of the command.
    for (int pairs = 0; pairs < 8; ++pairs) {
      std::string_view option = token();
      std::string_view value = token();
      if (option.size() < 2 || option[0] != '-' || !is_limit_number(task_definition_value(value))) break;
      bool soft = option.find('S') != std::string_view::npos, hard = option.find('H') != std::string_view::npos;
      if (!soft && !hard) soft = hard = true;
      std::string_view resource = shell::ulimit_resource(option.back());
      if (!is_ecs_ulimit_name(resource)) continue;
      std::string number = task_definition_value(value);
      limits.push_back({std::string(resource), soft ? number : "", hard ? number : ""});
    }
  }
}

std::string where_the_limit_belongs(const std::vector<Limit>& limits) {
  // The first limit with numbers, nofile first: the one migrations trip over.
  const Limit* best = nullptr;
  for (const Limit& limit : limits) {
    std::string soft = limit.soft.empty() ? limit.hard : limit.soft;
    std::string hard = limit.hard.empty() ? limit.soft : limit.hard;
    if (!is_limit_number(soft) || !is_limit_number(hard)) continue;
    if (!best || (limit.name == "nofile" && best->name != "nofile")) best = &limit;
  }
  std::string example = "[{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}]";
  if (best) {
    std::string soft = best->soft.empty() ? best->hard : best->soft;
    std::string hard = best->hard.empty() ? best->soft : best->hard;
    example = fmt::format("[{{\"name\": \"{}\", \"softLimit\": {}, \"hardLimit\": {}}}]", best->name, soft, hard);
    if (soft == "-1" || hard == "-1") example += " (-1 is no limit)";
  }
  return fmt::format("set the limit where the container starts: \"ulimits\": {} in the ECS task definition, or the "
                     "container runtime's default ulimits on Kubernetes (which has no per-container field)",
                     example);
}

struct InstructionFindings {
  std::vector<Evidence> evidence;
  std::vector<Limit> limits;
  // What the first evidence is, for the message.
  std::vector<std::string> reasons;  // parallel to evidence
};

void add(InstructionFindings& found, const SourceFile& file, Span span, std::string what, std::string reason) {
  found.evidence.push_back({&file, span, std::move(what), span.begin});
  found.reasons.push_back(std::move(reason));
}

// Programs that neither use a raised limit nor start anything that would: a `ulimit` followed only
// by these (or by writes to limits files) raised a limit for nothing.
bool is_inert(std::string_view program) {
  static constexpr std::array<std::string_view, 20> programs = {
      "echo", "printf", "true", ":",    "ulimit", "cat", "tee",   "sed",   "grep", "test",
      "[",    "exit",   "rm",   "chmod", "chown", "mkdir", "ln", "cp",    "mv",   "touch"};
  return std::find(programs.begin(), programs.end(), program) != programs.end();
}

constexpr std::string_view kUlimitReason =
    "sets the limit for this build step's shell only: no image setting keeps it, and the container starts with "
    "the limits its runtime gives it";

void scan_run(const docker::Dockerfile& dockerfile, const docker::Stage& stage, size_t position,
              InstructionFindings& found) {
  const SourceFile& file = *dockerfile.file;
  const shell::Script& script = docker::instruction_script(file, *stage.instructions[position]);
  if (script.commands.empty()) return;

  for (const shell::UlimitCall& call : shell::find_ulimit_calls(script)) {
    std::vector<const shell::UlimitSetting*> raised;
    for (const shell::UlimitSetting& setting : call.settings)
      if (setting.value) raised.push_back(&setting);
    if (raised.empty()) continue;  // a query (`ulimit -n`, `ulimit -a`) changes nothing
    bool used_later = false;
    for (uint32_t index = call.command + 1; index < script.commands.size() && !used_later; ++index) {
      shell::EffectiveCommand effective = shell::effective_command(script.commands[index]);
      if (!effective.program) continue;
      used_later = effective.program->has_expansion || !is_inert(effective.program_name());
    }
    // `ulimit -n 1024 && yum install ...` lowers the limit for the commands after it in this step:
    // that works, and is what the step wants.
    if (used_later) continue;
    const shell::Command& command = script.commands[call.command];
    std::string text;
    for (const shell::UlimitSetting* setting : raised) {
      std::string value = task_definition_value(setting->value->value);
      Limit limit{std::string(setting->resource), setting->soft ? value : "", setting->hard ? value : ""};
      if (is_ecs_ulimit_name(limit.name)) found.limits.push_back(limit);
    }
    std::string written(command.name.value);
    for (const shell::Word& word : command.arguments) written += " " + std::string(word.value);
    add(found, file, command.span, fmt::format("runs `{}` in RUN", written),
        fmt::format("`{}` in RUN {}", written, kUlimitReason));
  }

  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    if (write.method == shell::WriteMethod::MakeDirectory) continue;
    auto path = dkr::expanded_value(dockerfile, stage, position, *write.path);
    if (!path) continue;
    auto place = place_of(*path);
    if (!place) continue;
    std::optional<std::string> text = written_text(script, write);
    if (*place == Place::LimitsFile) {
      if (text) read_limits_lines(*text, found.limits);
      add(found, file, write.path->span, fmt::format("writes {}", *path),
          fmt::format("the image writes {}, which pam_limits applies to login sessions only: a container's "
                      "process never logs in, so the limit never applies",
                      *path));
    } else if (*place == Place::LoginScript && text && ulimit_text_sets_a_limit(*text)) {
      read_ulimit_text(*text, found.limits);
      add(found, file, write.path->span, fmt::format("adds a ulimit to {}", *path),
          fmt::format("the image adds a `ulimit` to {}, which only login shells read: the container's process "
                      "never runs it",
                      *path));
    } else if (*place == Place::PamConfig && text && text->find("pam_limits") != std::string::npos) {
      add(found, file, write.path->span, fmt::format("enables pam_limits in {}", *path),
          fmt::format("the image enables pam_limits in {}: PAM runs for logins, and a container's process never "
                      "logs in, so no limit is applied",
                      *path));
    }
  }
}

void scan_copy(const docker::Dockerfile& dockerfile, const docker::Stage& stage, size_t position,
               InstructionFindings& found) {
  auto arguments = docker::copy_arguments(*stage.instructions[position]);
  if (!arguments || !arguments->destination) return;
  auto destination = dkr::expanded_destination(dockerfile, stage, position, *arguments->destination);
  if (!destination || place_of(*destination) != Place::LimitsFile) return;
  for (const docker::CopySource& source : arguments->sources)
    if (source.heredoc) read_limits_lines(source.heredoc->body.text(), found.limits);
  // The copied file's own lines name the limit, when the build context has it.
  if (const docker::BuildContext* context = dockerfile.build_context) {
    for (const docker::ContextFile& copied : context->copied_files(&stage)) {
      if (copied.instruction != stage.instructions[position] || copied.heredoc) continue;
      if (auto text = context->text(copied)) read_limits_lines(text->text.text(), found.limits);
    }
  }
  add(found, *dockerfile.file, arguments->destination->span, fmt::format("copies {}", *destination),
      fmt::format("the image copies {}, which pam_limits applies to login sessions only: a container's process "
                  "never logs in, so the limit never applies",
                  *destination));
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  for (const docker::Stage& stage : dockerfile.stages) {
    for (size_t position = 0; position < stage.instructions.size(); ++position) {
      const docker::Instruction& instruction = *stage.instructions[position];
      InstructionFindings found;
      if (instruction.is("RUN")) {
        scan_run(dockerfile, stage, position, found);
      } else if (instruction.is("COPY") || instruction.is("ADD")) {
        scan_copy(dockerfile, stage, position, found);
      }
      if (found.evidence.empty()) continue;
      // Evidence is added in order within one instruction, except ulimit calls before writes.
      size_t first = 0;
      for (size_t i = 1; i < found.evidence.size(); ++i)
        if (found.evidence[i].anchor < found.evidence[first].anchor) first = i;
      std::string message = fmt::format("{}; {}", found.reasons[first], where_the_limit_belongs(found.limits));
      dkr::report_first_evidence(context, std::move(found.evidence), [&](const Evidence&) { return message; });
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR004",
    .slug = "build-time-ulimit",
    .severity = Severity::Warning,
    .summary = "ulimit in RUN or limits.conf edits: they do not apply to the running container",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
