#include "rules/dkr/image_evidence.h"

#include <algorithm>

namespace shiftlint::dkr {

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
  if (!word.has_expansion) return word.value;
  // Only parameter expansions of the Dockerfile's own ENV/ARG can be resolved here.
  if (word.text.find("$(") != std::string::npos || word.text.find('`') != std::string::npos) return std::nullopt;
  docker::Expansion expansion = dockerfile.expand(stage, position, word.text);
  if (!expansion.ok()) return std::nullopt;
  return expansion.text;
}

std::optional<std::string> expanded_destination(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                                size_t position, const docker::Word& destination) {
  docker::Expansion expansion = dockerfile.expand(stage, position, destination.text);
  if (!expansion.ok() || expansion.text.empty() || expansion.text[0] != '/') return std::nullopt;
  return expansion.text;
}

void report_first_evidence(RuleContext& context, std::vector<Evidence> evidence,
                           const std::function<std::string(const Evidence& first)>& message) {
  if (evidence.empty()) return;
  std::stable_sort(evidence.begin(), evidence.end(),
                   [](const Evidence& a, const Evidence& b) { return a.anchor < b.anchor; });
  const Evidence& first = evidence.front();
  Finding& finding = context.report(*first.file, first.span, message(first));
  for (size_t i = 1; i < evidence.size(); ++i) {
    // The same word seen twice (a package URL that is also a download) is one piece of evidence.
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j)
      seen = evidence[j].file == evidence[i].file && evidence[j].span == evidence[i].span;
    if (seen) continue;
    finding.related.push_back({make_location(*evidence[i].file, evidence[i].span), "also " + evidence[i].what});
  }
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
