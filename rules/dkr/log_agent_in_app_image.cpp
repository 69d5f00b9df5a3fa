#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/log_shipper.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/model/docker/image_evidence.h"

namespace shiftlint {
namespace {

using dkr::Evidence;

// The program an ENTRYPOINT or CMD ends up running as the container's main process: the last
// command of its script that runs in the foreground, behind wrappers and `sh -c`.
std::optional<detect::LogShipper> main_program_shipper(const SourceFile& file, const docker::Instruction* instruction) {
  if (!instruction) return std::nullopt;
  const shell::Script& script = docker::instruction_script(file, *instruction);
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& command = script.commands[index];
    if (command.parent != shell::kNoParent || !command.ends_script || command.background) continue;
    shell::EffectiveCommand effective = shell::effective_command(script, index);
    if (!effective.program || effective.program->has_expansion) continue;
    const shell::Word* program = effective.program;
    // Windows images: `cmd /k fluentd ...` runs the program after /c or /k.
    std::string_view name = effective.program_name();
    if (name == "cmd" || name == "cmd.exe") {
      for (size_t i = 0; i + 1 < effective.arguments.size(); ++i) {
        std::string_view option = effective.arguments[i].value;
        if (option == "/c" || option == "/C" || option == "/k" || option == "/K") {
          program = &effective.arguments[i + 1];
          break;
        }
      }
    }
    if (auto shipper = detect::log_shipper_from_program(program->value)) return shipper;
    if (auto shipper = detect::cloudwatch_agent_from_program(program->value)) return shipper;
  }
  return std::nullopt;
}

// The image is itself a log shipper (FROM fluent/fluent-bit, or its main process is the agent):
// installing plugins or config into it is its purpose.
bool is_log_shipper_image(const docker::Dockerfile& dockerfile, const docker::Stage& stage) {
  const docker::Stage* root = &stage;
  for (size_t hops = 0; root->parent && hops < dockerfile.stages.size(); ++hops)
    root = &dockerfile.stages[*root->parent];
  if (root->image_word && root->image.complete) {
    if (detect::log_shipper_from_image(root->image.text)) return true;
    // amazon/cloudwatch-agent, public.ecr.aws/cloudwatch-agent/cloudwatch-agent
    if (root->image.text.find("cloudwatch-agent") != std::string::npos) return true;
  }
  const SourceFile& file = *dockerfile.file;
  return main_program_shipper(file, stage.config.entrypoint).has_value() ||
         main_program_shipper(file, stage.config.cmd).has_value();
}

void scan_script(const docker::Dockerfile& dockerfile, const docker::Stage& stage, const dkr::ScriptSource& source,
                 std::vector<Evidence>& evidence) {
  const shell::Script& script = *source.script;
  std::string_view when = source.where;
  auto add = [&](Span span, std::string what) { evidence.push_back(dkr::evidence_in(source, span, std::move(what))); };
  for (const dkr::InstalledPackage& package : dkr::installed_packages(dockerfile, stage, source)) {
    bool language = package.manager == shell::PackageManager::Gem || package.manager == shell::PackageManager::Pip ||
                    package.manager == shell::PackageManager::Npm || package.manager == shell::PackageManager::Yarn;
    // Only gems can be fluentd; a pip or npm package named like an agent is a client library.
    if (language && package.manager != shell::PackageManager::Gem) continue;
    if (auto shipper = detect::log_shipper_from_package(package.name, language))
      add(package.span, fmt::format("installs the {} package \"{}\"{}", shipper->product, package.name,
                                    dkr::through_variable(package, source)));
  }
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& command = script.commands[index];
    if (!source.runs(command)) continue;
    shell::EffectiveCommand effective = shell::effective_command(command);
    if (!effective.program || effective.shell_string || effective.program->has_expansion) continue;
    std::string_view name = effective.program_name();
    auto shipper = detect::log_shipper_from_program(name);
    if (!shipper) shipper = detect::cloudwatch_agent_from_program(name);
    if (shipper) {
      add(command.span, fmt::format("runs {} in {}", name, when));
      continue;
    }
    if (name == "dpkg") {
      shell::ParsedArguments parsed = shell::parse_arguments(effective.arguments, {"--root", "--admindir"});
      if (!parsed.has("-i") && !parsed.has("--install")) continue;
      // (Versions in a variable are the usual way to write it: `dpkg -i filebeat-${FILEBEAT_VERSION}-amd64.deb`.)
      for (const shell::Word* operand : parsed.operands) {
        std::optional<std::string> value = dkr::resolved_value(dockerfile, stage, source, *operand);
        if (!value) continue;
        if (auto shipper = detect::log_shipper_from_package(*value))
          add(operand->span, fmt::format("installs the {} package {}", shipper->product, *value));
      }
      continue;
    }
    // curl/wget of a shipper's package or install script (`curl -L https://.../install.sh | sh`).
    for (const shell::Word& word : effective.arguments) {
      // Expanded only when it is a URL already (every command's every word passes here).
      if (word.value.find("://") == std::string_view::npos) continue;
      std::optional<std::string> value = dkr::resolved_value(dockerfile, stage, source, word);
      if (!value) continue;
      if (auto shipper = detect::log_shipper_from_url(*value))
        add(word.span, fmt::format("downloads {} from {}", shipper->product, *value));
    }
  }
  for (const shell::ServiceStart& start : shell::find_service_starts(script)) {
    auto shipper = detect::log_shipper_from_program(start.service);
    if (!shipper) shipper = detect::cloudwatch_agent_from_program(start.service);
    if (!shipper || !source.runs(script.commands[start.command])) continue;
    std::string_view verb = start.action == shell::ServiceAction::Enable ? "enables" : "starts";
    add(script.commands[start.command].span,
        fmt::format("{} the {} service in {}", verb, start.service, when));
  }
}

// Per stage: the stage builds a log shipper, or feeds one (a later stage built FROM it, or copying
// from it with COPY --from, is a log shipper). Stages only refer to earlier ones, so one pass from
// the last stage back settles every stage.
std::vector<bool> log_shipper_stages(const docker::Dockerfile& dockerfile) {
  size_t count = dockerfile.stages.size();
  std::vector<bool> shipper(count, false);
  for (size_t i = count; i-- > 0;) {
    const docker::Stage& stage = dockerfile.stages[i];
    if (!shipper[i]) shipper[i] = is_log_shipper_image(dockerfile, stage);
    if (!shipper[i]) continue;
    if (stage.parent && *stage.parent < i) shipper[*stage.parent] = true;
    for (const docker::Instruction* instruction : stage.instructions) {
      auto arguments = docker::copy_arguments(*instruction);
      if (!arguments || !arguments->from || !arguments->from->value) continue;
      const docker::Stage* source = dockerfile.find_stage(*arguments->from->value);
      if (source && source->index < i) shipper[source->index] = true;
    }
  }
  return shipper;
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  std::vector<bool> shipper;
  std::vector<std::vector<Evidence>> by_stage(dockerfile.stages.size());
  for (const docker::Stage& stage : dockerfile.stages) {
    std::vector<Evidence>& evidence = by_stage[stage.index];
    const dkr::StageScripts& scripts = dkr::stage_scripts(dockerfile, stage);
    for (const dkr::ScriptSource& source : scripts.sources()) scan_script(dockerfile, stage, source, evidence);
    if (evidence.empty()) continue;
    if (shipper.empty()) shipper = log_shipper_stages(dockerfile);
    if (shipper[stage.index]) evidence.clear();  // the agent is what the image is for
  }
  dkr::report_first_evidence_per_image(
      dockerfile, context, std::move(by_stage), [](const Evidence& first, const std::string& subject) {
        return fmt::format(
            "{} {}: a log agent inside the app image is a second process the container does not supervise, "
            "it tails files that vanish with the task, and its buffer dies with it; write logs to stdout/stderr "
            "and ship them with the platform (the awslogs driver or a FireLens sidecar on ECS, a node-level "
            "DaemonSet on Kubernetes)",
            subject, first.what);
      });
}

const RuleRegistration registration{{
    .id = "DKR014",
    .slug = "log-agent-in-app-image",
    .severity = Severity::Note,
    .summary = "A log shipping agent (fluentd, Fluent Bit, Filebeat, the CloudWatch agent...) is installed in an app image",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
