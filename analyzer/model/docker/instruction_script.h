#pragma once
// The commands an instruction runs, as one shell::Script whatever its form: RUN, CMD, ENTRYPOINT
// and HEALTHCHECK CMD in shell form (the text `shell_source` gives), or in exec form
// (`CMD ["cron", "-f"]`, `ENTRYPOINT ["sh", "-c", "crond && exec nginx"]`).
//
// Exec form has no shell: its JSON strings are the program's words, never split or expanded. They
// become one command whose words keep their JSON strings' spans; a shell among them (`sh -c STRING`)
// has its string parsed as a script, mapped back through the JSON escapes, so a rule finds `crond`
// inside it on the file's own column.
#include <cstdint>
#include <memory>

#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/parse/shell/command.h"

namespace shiftlint::docker {

// Empty for instructions that run nothing (COPY, ENV, ...) or have no arguments. Parsed once and
// kept while an InstructionScriptCache is alive (the engine keeps one around a file's rules); the
// reference stays valid until then.
const shell::Script& instruction_script(const SourceFile& file, const Instruction& instruction);

// shell_source(file, instruction), built once per InstructionScriptCache scope like the script
// parsed from it; the reference stays valid until the scope ends.
const TextMap& instruction_shell_source(const SourceFile& file, const Instruction& instruction);

// A script from the build context (an entrypoint script, a heredoc the image writes), parsed once
// per InstructionScriptCache scope like instruction_script: the image's start-up walk and the rules
// that look into the same scripts share one parse.
const shell::Script& context_script(const ContextText& text);
// The same Script, shared: a holder keeps it past the scope without a copy of its commands
// (dkr::image_startup's parts).
std::shared_ptr<const shell::Script> shared_context_script(const ContextText& text);

// Drops the scripts kept across files (whole context files shared by many Dockerfiles, instruction
// texts that repeat): for a run whose Dockerfiles are all linted, so that the rest of it does not
// carry them.
void forget_shared_context_scripts();

// Scopes the parse cache of instruction_script to one file's rule run: it starts and ends empty.
class InstructionScriptCache {
 public:
  InstructionScriptCache();
  ~InstructionScriptCache();
  InstructionScriptCache(const InstructionScriptCache&) = delete;
  InstructionScriptCache& operator=(const InstructionScriptCache&) = delete;
};

// Identifies the InstructionScriptCache scope open on this thread (a new value for every scope),
// or 0 outside any: other per-file caches (what a rule family derives from the Dockerfile, such as
// the image's startup scripts) key on it so that they never answer for another file.
uint64_t instruction_script_scope();

// The exec-form words of a RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD as shell text that means the same
// thing (each word single-quoted), mapped to the file: the word contents map to the JSON strings,
// the quotes and spaces between them to the word edges.
TextMap exec_form_as_shell(const Instruction& instruction);

}  // namespace shiftlint::docker
