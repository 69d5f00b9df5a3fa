#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/detect/instance_metadata.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/model/docker/image_evidence.h"

namespace shiftlint {
namespace {

constexpr std::string_view kRunTimeFix =
    "there is no instance metadata service on Fargate, so the call fails or hangs, and on EC2 it answers for the "
    "host instance (its identity and role), not the task; read task details from ${ECS_CONTAINER_METADATA_URI_V4} "
    "and let the AWS SDK get credentials from the task role";

struct Mention {
  Span span;
  detect::InstanceMetadataMention found;
  // Written into a file the image keeps (an echoed or heredoc script): it runs later, not now.
  bool in_written_content = false;
};

// The span of `marker` inside a word written on one line, else the whole word.
Span narrow(const shell::Word& word, std::string_view marker) {
  Span span = word.span;
  size_t offset = std::string_view(word.text).find(marker);
  bool one_line = span.begin.line == span.end.line && span.end.column - span.begin.column == word.text.size();
  if (offset == std::string_view::npos || !one_line) return span;
  span.begin.column += static_cast<uint32_t>(offset);
  span.end.column = span.begin.column + static_cast<uint32_t>(marker.size());
  return span;
}

std::optional<Mention> in_word(const shell::Word& word, bool written) {
  auto found = detect::find_instance_metadata_mention(word.text);
  if (!found) return std::nullopt;
  return Mention{narrow(word, found->marker), *found, written};
}

// The first mention in a heredoc body, skipping comment lines.
std::optional<Mention> in_heredoc(const SourceFile& file, const shell::Heredoc& heredoc, bool written) {
  std::string_view text(heredoc.body.text());
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] != '#') {
      if (auto found = detect::find_instance_metadata_mention(line)) {
        size_t at = begin + static_cast<size_t>(found->marker.data() - line.data());
        return Mention{heredoc.body.span_of(file, at, at + found->marker.size()), *found, written};
      }
    }
    begin = end + 1;
  }
  return std::nullopt;
}

// A script that reads the ECS task metadata endpoint already knows where it runs: its IMDS calls
// are the fallback for hosts that are not ECS (a branch taken when the endpoint is missing).
bool reads_task_metadata(std::string_view text) {
  return text.find("ECS_CONTAINER_METADATA_URI") != std::string_view::npos ||
         text.find("169.254.170.2") != std::string_view::npos;
}

// `text`: the script as written (the shell grammar may have given up on part of it).
std::optional<Mention> first_mention(const SourceFile& file, const shell::Script& script, std::string_view text) {
  std::optional<Mention> first;
  auto consider = [&](std::optional<Mention> mention) {
    if (mention && (!first || mention->span.begin < first->span.begin)) first = mention;
  };
  if (reads_task_metadata(text)) return std::nullopt;
  for (const shell::Command& command : script.commands) {
    shell::EffectiveCommand effective = shell::effective_command(command);
    std::string_view program = effective.program_name();
    // echo/printf print text, usually into a file the image runs later.
    bool prints = program == "echo" || program == "printf";
    consider(in_word(command.name, false));
    for (const shell::Word& word : command.arguments) consider(in_word(word, prints));
    for (const shell::Assignment& assignment : command.environment) consider(in_word(assignment.value, false));
    // A heredoc fed to a shell (`bash <<EOF`) runs now; fed to anything else (`cat <<EOF > x`) it is
    // a file's content.
    bool runs_body = program == "sh" || program == "bash" || program == "dash" || program == "ash" || program == "zsh";
    for (const shell::Heredoc& heredoc : command.heredocs) consider(in_heredoc(file, heredoc, !runs_body));
  }
  for (const shell::Assignment& assignment : script.assignments) consider(in_word(assignment.value, false));
  return first;
}

// Whether any word of the source's script may mention the metadata service: each word (and heredoc
// line) lies inside the Dockerfile instruction's line or one of its heredoc bodies, or inside the
// context file, and every marker's literal core lies inside the word. Most scripts are skipped here,
// without a look at each of their words.
bool might_mention(const dkr::ScriptSource& source) {
  if (!source.in_dockerfile()) return detect::might_mention_instance_metadata(source.file->text());
  const docker::Instruction& instruction = *source.instruction;
  std::string_view line(instruction.line.text());
  // Exec form: JSON escapes decode into text the line does not hold as such.
  if (instruction.form == docker::Form::Exec && line.find('\\') != std::string_view::npos) return true;
  if (detect::might_mention_instance_metadata(line)) return true;
  for (const docker::Heredoc& heredoc : instruction.heredocs)
    if (detect::might_mention_instance_metadata(heredoc.body.text())) return true;
  return false;
}

std::string message(const Mention& mention, std::string_view where, bool at_build_time) {
  if (at_build_time) {
    return fmt::format(
        "RUN calls the EC2 instance metadata service ({} \"{}\") while the image builds: it answers for whatever "
        "machine runs the build (a CI runner, a laptop without one), and the answer is baked into the image; pass "
        "the value as a build argument, or read it when the container starts from ${{ECS_CONTAINER_METADATA_URI_V4}} "
        "and the task role",
        mention.found.description, mention.found.marker);
  }
  std::string_view verb = where.starts_with("ENV ") ? "points at" : "calls";
  return fmt::format("{} {} the EC2 instance metadata service ({} \"{}\"): {}", where, verb, mention.found.description,
                     mention.found.marker, kRunTimeFix);
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  const SourceFile& file = *dockerfile.file;
  for (const docker::Stage& stage : dockerfile.stages) {
    const dkr::StageScripts& scripts = dkr::stage_scripts(dockerfile, stage);
    for (const dkr::ScriptSource& source : scripts.sources()) {
      std::string_view written = source.in_dockerfile() ? std::string_view(source.instruction->line.text())
                                                        : std::string_view(source.file->text());
      if (!might_mention(source)) continue;
      auto mention = first_mention(*source.file, *source.script, written);
      if (!mention) continue;
      std::string text;
      switch (source.kind) {
        case dkr::ScriptSource::Kind::Instruction:
          if (source.at_run_time)
            text = message(*mention, fmt::format("the image's {}", source.where), false);
          else if (mention->in_written_content)
            text = message(*mention, "a script this RUN writes into the image", false);
          else
            text = message(*mention, "", true);
          break;
        case dkr::ScriptSource::Kind::StartupScript:
          text = message(*mention, fmt::format("{}, which the container runs at start,", source.where), false);
          break;
        case dkr::ScriptSource::Kind::CronJob:
          text = message(*mention, fmt::format("a cron job in {}", source.where), false);
          break;
      }
      dkr::report_in_source(context, dockerfile, source, mention->span, std::move(text));
    }
    // ENV values reach the running container's processes.
    for (const docker::Instruction* instruction : stage.instructions) {
      if (!instruction->is("ENV")) continue;
      for (const docker::KeyValue& pair : instruction->pairs) {
        auto found = detect::find_instance_metadata_mention(pair.value.text);
        if (!found) continue;
        context.report(file, pair.value.span,
                       message({pair.value.span, *found, false}, fmt::format("ENV {}", pair.key.text), false));
        break;
      }
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR016",
    .slug = "image-instance-metadata-access",
    .severity = Severity::Warning,
    .summary = "The image calls the EC2 instance metadata service (169.254.169.254, ec2-metadata)",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
