#pragma once
// The Dockerfile model rules read: the parsed instructions grouped into build stages, with what
// each stage's image ends up with (CMD, ENTRYPOINT, USER, WORKDIR, EXPOSE, VOLUME, STOPSIGNAL —
// inherited from an earlier stage when built FROM it), and the ENV/ARG values in scope at every
// instruction, so a rule can expand `${APP_HOME}/log` the way `docker build` would.
//
// It holds pointers into its own ParsedDockerfile: it can be moved, not copied.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/model/docker/substitution.h"
#include "analyzer/parse/dockerfile_parser.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_hash.h"

namespace shiftlint::docker {

// A binding made by ENV or ARG (or an automatic platform ARG such as TARGETARCH).
struct Variable {
  enum class Kind : uint8_t { Env, Arg, Automatic };
  std::string name;
  std::string value;  // expanded; meaningful only when `known`
  bool known = true;  // false: only known at build time (ARG without default, --build-arg, platform)
  Kind kind = Kind::Env;
  const Instruction* instruction = nullptr;  // nullptr for automatic ARGs
  const KeyValue* pair = nullptr;
};

// What the image built by a stage runs with, as far as this Dockerfile says. A field left nullptr
// is not set here: it is the base image's (unknown unless the stage chain starts FROM scratch).
struct ImageConfig {
  const Instruction* cmd = nullptr;
  const Instruction* entrypoint = nullptr;
  // An ENTRYPOINT set without a CMD in the same stage drops the CMD inherited from the base.
  bool cmd_reset = false;
  const Instruction* user = nullptr;
  const Instruction* stopsignal = nullptr;
  const Instruction* healthcheck = nullptr;
  const Instruction* shell = nullptr;
  std::string workdir;  // WORKDIR joined and expanded; empty when never set
  bool workdir_known = true;
  std::vector<const Instruction*> expose;
  std::vector<std::string> volumes;  // VOLUME paths, expanded
  std::vector<const Instruction*> volume_instructions;
};

struct Stage {
  size_t index = 0;
  const Instruction* from = nullptr;
  const Word* image_word = nullptr;  // the base image as written; nullptr for a bare FROM
  Expansion image;                   // expanded with the global ARGs
  std::string name;                  // `AS name`, lower case as BuildKit compares; empty when unnamed
  const Word* name_word = nullptr;
  const Flag* platform = nullptr;
  std::optional<size_t> parent;  // FROM an earlier stage: its index
  bool scratch = false;          // FROM scratch
  // The instructions after FROM, in order (ONBUILD triggers are not run in this build).
  std::vector<const Instruction*> instructions;
  ImageConfig config;  // after the last instruction, with what it inherits from `parent`

  // The base chain ends in an image this file does not describe (not scratch).
  bool external_base = true;
};

class BuildContext;

struct CopySource {
  const Word* word = nullptr;        // a path, URL or glob
  const Heredoc* heredoc = nullptr;  // `COPY <<EOF /path`: the inline file
};

// COPY/ADD arguments: sources and destination (nullptr when missing: DKR019's concern).
struct CopyArguments {
  std::vector<CopySource> sources;
  const Word* destination = nullptr;
  const Flag* from = nullptr;  // COPY --from=stage|image
};

struct Dockerfile {
  std::shared_ptr<const SourceFile> file;
  ParsedDockerfile syntax;
  std::vector<Variable> global_args;  // ARGs before the first FROM, expanded in order
  // name → its last entry in global_args (transparent: looked up by a view of the name)
  std::unordered_map<std::string, size_t, TextHash, std::equal_to<>> global_arg_index;
  std::vector<const Instruction*> before_first_stage;  // other instructions before FROM (an error)
  std::vector<Stage> stages;
  // The file holds template syntax (`{{ ... }}`, `{% ... %}`, `%%NAME%%` lines, as docker-library and
  // CI generators use): it is rendered into a Dockerfile before anyone builds it, so what `docker
  // build` would reject in it as written says nothing.
  bool is_template = false;

  Dockerfile() = default;
  Dockerfile(const Dockerfile&) = delete;
  Dockerfile& operator=(const Dockerfile&) = delete;
  Dockerfile(Dockerfile&&) = default;
  Dockerfile& operator=(Dockerfile&&) = default;

  const std::vector<Instruction>& instructions() const { return syntax.instructions; }
  // The stage `docker build` builds without --target: the last one.
  const Stage* final_stage() const { return stages.empty() ? nullptr : &stages.back(); }
  // A stage by name (case-insensitive) or index, as COPY --from and FROM refer to them.
  const Stage* find_stage(std::string_view name_or_index) const;
  // The stage an instruction belongs to and its position there; nullptr outside any stage.
  const Stage* stage_of(const Instruction& instruction, size_t* position = nullptr) const;

  // The ENV/ARG binding visible to the instruction at `position` in `stage` (ENV from parent
  // stages included), nullptr when the name is not set in this file.
  const Variable* variable(const Stage& stage, size_t position, std::string_view name) const;
  // Expands a word as BuildKit would for the instruction at `position` in `stage`.
  Expansion expand(const Stage& stage, size_t position, std::string_view word) const;
  // The folder the instruction at `position` in `stage` runs in (WORKDIR joined and expanded, as
  // ImageConfig::workdir at the end of the stage); nullopt where it is the base image's own.
  std::optional<std::string> workdir_at(const Stage& stage, size_t position) const;
  // Expands a word with the global ARGs only (as in FROM lines).
  Expansion expand_global(std::string_view word) const;

  // Internal bookkeeping for `variable`: bindings per stage, in order, and per instruction how
  // many of them it sees.
  struct Scope {
    std::vector<Variable> bindings;
    // Transparent: each variable of each expanded word is looked up by a view of its name.
    std::unordered_map<std::string, std::vector<uint32_t>, TextHash, std::equal_to<>> by_name;
    std::vector<uint32_t> visible;  // per stage instruction: bindings made before it
  };
  std::vector<Scope> scopes;  // parallel to `stages`
  // Per instruction (by its index in syntax.instructions): its stage and position, or kNoStage.
  static constexpr uint32_t kNoStage = UINT32_MAX;
  std::vector<std::pair<uint32_t, uint32_t>> placement;

  // The files COPY/ADD take from the build context (build_context.h); set by the engine for the
  // rules' run, nullptr when the Dockerfile is not on disk beside its context.
  const BuildContext* build_context = nullptr;
};

Dockerfile build_dockerfile(std::shared_ptr<const SourceFile> file, ParsedDockerfile syntax);

// COPY/ADD (or ONBUILD's trigger of them) split into sources and destination; nullopt for others.
std::optional<CopyArguments> copy_arguments(const Instruction& instruction);

// A RUN, shell-form CMD/ENTRYPOINT or HEALTHCHECK CMD as the shell receives it, mapped to the file:
// the command text, and for each heredoc a line break, its body and its delimiter. `RUN <<EOF`
// alone is the heredoc's body (BuildKit runs it as the script). Empty for exec form.
TextMap shell_source(const SourceFile& file, const Instruction& instruction);
// False when shell_source's text cannot contain `needle` (which holds no line break): a test on the
// pieces it is made of (the logical line, heredoc bodies and delimiters) without building it, for
// rules that skip most RUNs by a word they look for. True may still be a miss.
bool shell_source_may_contain(const Instruction& instruction, std::string_view needle);

// `--mount=type=cache,target=/root/.npm` → {type: cache, target: /root/.npm} in order. A field
// without '=' (`readonly`) has an empty value.
std::vector<std::pair<std::string, std::string>> flag_fields(std::string_view value);

}  // namespace shiftlint::docker
