#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/detect/instance_metadata.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/effective_command.h"
#include "rules/dkr/image_evidence.h"

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

std::optional<Mention> first_mention(const SourceFile& file, const shell::Script& script) {
  std::optional<Mention> first;
  auto consider = [&](std::optional<Mention> mention) {
    if (mention && (!first || mention->span.begin < first->span.begin)) first = mention;
  };
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

void report(RuleContext& context, const SourceFile& file, const Mention& mention, std::string_view where,
            bool at_build_time) {
  std::string message;
  if (at_build_time) {
    message = fmt::format(
        "RUN calls the EC2 instance metadata service ({} \"{}\") while the image builds: it answers for whatever "
        "machine runs the build (a CI runner, a laptop without one), and the answer is baked into the image; pass "
        "the value as a build argument, or read it when the container starts from ${{ECS_CONTAINER_METADATA_URI_V4}} "
        "and the task role",
        mention.found.description, mention.found.marker);
  } else {
    std::string_view verb = where.starts_with("ENV ") ? "points at" : "calls";
    message = fmt::format("{} {} the EC2 instance metadata service ({} \"{}\"): {}", where, verb,
                          mention.found.description, mention.found.marker, kRunTimeFix);
  }
  context.report(file, mention.span, std::move(message));
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  const SourceFile& file = *dockerfile.file;
  for (const docker::Stage& stage : dockerfile.stages) {
    for (const dkr::CommandInstruction& at : dkr::command_instructions(stage)) {
      shell::Script script = docker::instruction_script(file, *at.instruction);
      auto mention = first_mention(file, script);
      if (!mention) continue;
      if (at.at_run_time) {
        report(context, file, *mention, fmt::format("the image's {}", at.instruction->keyword), false);
      } else if (mention->in_written_content) {
        report(context, file, *mention, "a script this RUN writes into the image", false);
      } else {
        report(context, file, *mention, "", true);
      }
    }
    // ENV values reach the running container's processes.
    for (const docker::Instruction* instruction : stage.instructions) {
      if (!instruction->is("ENV")) continue;
      for (const docker::KeyValue& pair : instruction->pairs) {
        auto found = detect::find_instance_metadata_mention(pair.value.text);
        if (!found) continue;
        report(context, file, {pair.value.span, *found, false}, fmt::format("ENV {}", pair.key.text), false);
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
