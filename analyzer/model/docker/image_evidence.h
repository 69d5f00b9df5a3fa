#pragma once
// What the DKR rules about installs and running processes share: which instructions of a stage
// run commands (RUN while building; CMD, ENTRYPOINT, HEALTHCHECK in the running container), shell
// words and COPY destinations expanded with the stage's ENV/ARG, and "one finding per stage at the
// first evidence, the rest as related locations".
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/parse/shell/command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/model/docker/image_startup.h"

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

// A package an install names, placed where its name is written: among the install's own words, in
// the value of a variable the script assigns first (zabbix's `INSTALL_PKGS="bash tzdata \` over
// twenty lines, then `apk add ${INSTALL_PKGS}`), or, for a Dockerfile instruction, in the stage's
// ENV or ARG that sets the variable (`ARG PKGS="openssh-server cron"`). The line to change is the
// one that names the package, wherever the install is.
struct InstalledPackage {
  shell::PackageManager manager = shell::PackageManager::Apt;
  // As shell::Package::name: without its version; empty when none. Views into the Script's
  // findings or the Dockerfile: valid while both live.
  std::string_view name;
  std::string_view version;
  Span span;
  // Named through a variable: the install's `${INSTALL_PKGS}` word and the variable's name.
  const shell::Word* variable = nullptr;
  std::string_view variable_name;
};

// A script a rule looks into: a RUN body, the stage's CMD / ENTRYPOINT / HEALTHCHECK, or (for the
// final stage, with a build context) a script from the context that its ENTRYPOINT or CMD runs.
struct ScriptSource {
  enum class Kind : uint8_t {
    Instruction,    // a RUN, CMD, ENTRYPOINT or HEALTHCHECK of the Dockerfile
    StartupScript,  // a context script the final image's ENTRYPOINT/CMD runs
    CronJob,        // a job of a crontab (or a cron.daily script) the image gets from the context
  };
  Kind kind = Kind::Instruction;
  const SourceFile* file = nullptr;  // where the script's spans point
  const SourceFile* dockerfile_file = nullptr;
  const shell::Script* script = nullptr;
  // The RUN, CMD...; for a startup script the ENTRYPOINT/CMD that runs it; for a cron job the COPY.
  const docker::Instruction* instruction = nullptr;
  size_t position = 0;       // the instruction's position in the stage (for expanded_value)
  bool at_run_time = false;  // runs in the container, not while the image builds
  // For messages: "RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK", or the file's display path.
  std::string where;
  // Outside the Dockerfile: what brings the file in, for the related location ("the image's
  // ENTRYPOINT runs docker/entrypoint.sh (/entrypoint.sh in the image)").
  std::string brought_in_by;
  Position anchor;  // the instruction's place in the Dockerfile: orders evidence across files
  bool in_dockerfile() const { return kind == Kind::Instruction; }
  // StartupScript only: the startup part it is, whose uncalled functions never run.
  const StartupPart* part = nullptr;
  // Whether the command (one of `script`'s) runs: false in the body of a function nothing calls.
  bool runs(const shell::Command& command) const { return !part || part->runs(command); }
  // installed_packages' answer, kept for the next rule that asks (five do, of every script).
  mutable std::optional<std::vector<InstalledPackage>> installed;
};

// Reports at a span of the source's file; a finding in a context file gets the instruction that
// brings it in as a related location.
Finding& report_in_source(RuleContext& context, const docker::Dockerfile& dockerfile, const ScriptSource& source,
                          Span span, std::string message);

// The scripts of one stage, parsed once: its RUNs, its CMD/ENTRYPOINT/HEALTHCHECK, the cron jobs it
// copies in from the build context, and for the final stage the context scripts its ENTRYPOINT or
// CMD start (dkr::image_startup).
class StageScripts {
 public:
  StageScripts(const docker::Dockerfile& dockerfile, const docker::Stage& stage);
  StageScripts(const StageScripts&) = delete;
  StageScripts& operator=(const StageScripts&) = delete;
  const std::vector<ScriptSource>& sources() const { return sources_; }

 private:
  void add_cron_jobs(const docker::Dockerfile& dockerfile, const docker::Stage& stage);
  void add_startup_scripts(const docker::Dockerfile& dockerfile);
  void add_installed_crontabs(const docker::Dockerfile& dockerfile, const docker::Stage& stage);
  void add_crontab(const docker::Dockerfile& dockerfile, const docker::ContextFile& copied,
                   const docker::ContextText& text, bool has_user_field, const std::string& brought_in_by);
  void add_cron_job(const docker::Dockerfile& dockerfile, const docker::ContextFile& copied,
                    const docker::ContextText& text, shell::Script script, const std::string& brought_in_by);

  std::deque<shell::Script> scripts_;  // cron jobs parsed here: stable addresses for ScriptSource::script
  ImageStartup own_startup_;  // outside the engine's per-file scope; else the shared one is used
  std::vector<ScriptSource> sources_;
};

// The stage's StageScripts, built once per file for the rules that read them (six DKR rules walk
// every stage's scripts), inside the engine's per-file scope (docker::instruction_script_scope);
// outside it, built anew on every call. The reference stays valid until the scope ends.
const StageScripts& stage_scripts(const docker::Dockerfile& dockerfile, const docker::Stage& stage);

// A word's value as the script will see it: expanded with the stage's ENV/ARG for a Dockerfile
// instruction, as written for a literal word in a context script; nullopt when unknown.
std::optional<std::string> resolved_value(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                          const ScriptSource& source, const shell::Word& word);

// Every package the script's installs name whose name is known. A word whose value is not known
// (`apk add $(cat packages.txt)`, an ARG without a default) names none. Found once per source:
// the list lives as long as `source` does.
const std::vector<InstalledPackage>& installed_packages(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                                 const ScriptSource& source);

// Whether a RUN of the final image (its last stage or a stage it is built FROM) installs a package
// `wanted` accepts: the image, not its base, brings in nginx, or RHEL's php-fpm.
bool final_image_installs(const docker::Dockerfile& dockerfile,
                          const std::function<bool(const InstalledPackage& package)>& wanted);

// For a message about a package named through a variable: " (listed in INSTALL_PKGS, which `apk add`
// installs on line 58)"; empty for a package the install names itself.
std::string through_variable(const InstalledPackage& package, const ScriptSource& source);

struct Evidence {
  const SourceFile* file = nullptr;
  Span span;
  std::string what;  // "installs the cron package \"cron\"": completes "the image ..."
  // Where it sits in the Dockerfile: its own position, or the COPY that brings in the file it is in.
  Position anchor;
  // In a context file: the instruction that brings it in, reported beside it when it comes first.
  const ScriptSource* source = nullptr;
};

// Evidence found in a script: anchored at its own position in the Dockerfile, or at the
// instruction that brings the script in.
Evidence evidence_in(const ScriptSource& source, Span span, std::string what);

// Files a folder copy puts at paths the COPY does not name: `COPY root/ /` (every linuxserver.io
// image) brings root/etc/crontabs/root to /etc/crontabs/root. For each file of the final stage's
// copies whose image path `wanted` accepts, and whose COPY destination `wanted` does not accept
// already (a COPY named by its destination is the caller's), evidence at the COPY's source (its
// destination when it has several sources): `describe(context_path, image_path)` completes "the
// image ...". Asked of the final stage only (its list takes in the stages it is built FROM): the
// rules list that one anyway, and listing every build stage's folders cost a sixth more system calls.
void add_folder_copy_evidence(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                              const std::function<bool(std::string_view image_path)>& wanted,
                              const std::function<std::string(std::string_view context_path,
                                                              std::string_view image_path)>& describe,
                              std::vector<Evidence>& evidence);

// One finding at the first evidence (by anchor, then as added), `message(first)` as its message;
// every other evidence is a related location ("also installs ...").
void report_first_evidence(RuleContext& context, std::vector<Evidence> evidence,
                           const std::function<std::string(const Evidence& first)>& message);

// One finding per image the Dockerfile builds, each as report_first_evidence: the stages of the
// final image (the last stage and those it is built FROM) together, since a cron package installed
// in `base` and started by the entrypoint of `FROM base` is one problem of one image; every other
// stage on its own, as the image `docker build --target` makes of it. `evidence[i]` is stage i's;
// `subject` is "the image", or the stage's build_stage_label outside the final image.
void report_first_evidence_per_image(
    const docker::Dockerfile& dockerfile, RuleContext& context, std::vector<std::vector<Evidence>> evidence,
    const std::function<std::string(const Evidence& first, const std::string& subject)>& message);

// The image's command line as exec-form words: ENTRYPOINT then CMD (a shell form as `/bin/sh -c
// TEXT`), for detectors that take words. Empty when the stage sets neither.
std::vector<std::string> image_command_words(const docker::Stage& stage);

}  // namespace shiftlint::dkr
