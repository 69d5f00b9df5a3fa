#pragma once
// What the DKR rules about installs and running processes share: which instructions of a stage
// run commands (RUN while building; CMD, ENTRYPOINT, HEALTHCHECK in the running container), shell
// words and COPY destinations expanded with the stage's ENV/ARG, and "one finding per stage at the
// first evidence, the rest as related locations".
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/parse/shell/command.h"

namespace shiftlint::dkr {

struct CommandInstruction {
  const docker::Instruction* instruction = nullptr;
  size_t position = 0;       // in stage.instructions
  bool at_run_time = false;  // CMD/ENTRYPOINT/HEALTHCHECK of the stage's image; false for RUN
};

// Every RUN of the stage, and the CMD / ENTRYPOINT / HEALTHCHECK it sets that its image keeps (an
// earlier CMD overridden by a later one never runs). ONBUILD triggers run in another build: skipped.
std::vector<CommandInstruction> command_instructions(const docker::Stage& stage);

// A shell word's value with the ENV/ARG the instruction sees expanded, as the RUN shell would;
// nullopt when it holds something else (a command substitution, a variable set in the script or
// unknown until build time).
std::optional<std::string> expanded_value(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                          size_t position, const shell::Word& word);

// A COPY/ADD destination, expanded; nullopt when unknown or relative (to a WORKDIR the rules
// about system paths need not follow).
std::optional<std::string> expanded_destination(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                                size_t position, const docker::Word& destination);

struct Evidence {
  const SourceFile* file = nullptr;
  Span span;
  std::string what;  // "installs the cron package \"cron\"": completes "the image ..."
  // Where it sits in the Dockerfile: its own position, or the COPY that brings in the file it is in.
  Position anchor;
};

// One finding at the first evidence (by anchor, then as added), `message(first)` as its message;
// every other evidence is a related location ("also installs ...").
void report_first_evidence(RuleContext& context, std::vector<Evidence> evidence,
                           const std::function<std::string(const Evidence& first)>& message);

// The image's command line as exec-form words: ENTRYPOINT then CMD (a shell form as `/bin/sh -c
// TEXT`), for detectors that take words. Empty when the stage sets neither.
std::vector<std::string> image_command_words(const docker::Stage& stage);

}  // namespace shiftlint::dkr
