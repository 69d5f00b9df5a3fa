#include "analyzer/parse/shell/service_start.h"

#include <algorithm>
#include <optional>

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/script_findings.h"

namespace shiftlint::shell {

namespace {

std::optional<ServiceAction> action_of(std::string_view verb) {
  if (verb == "start") return ServiceAction::Start;
  if (verb == "restart" || verb == "try-restart" || verb == "reload-or-restart" || verb == "force-reload" ||
      verb == "condrestart") {
    return ServiceAction::Restart;
  }
  if (verb == "enable" || verb == "reenable") return ServiceAction::Enable;
  return std::nullopt;
}

std::string service_name(std::string_view value) {
  size_t slash = value.find_last_of('/');
  if (slash != std::string_view::npos) value = value.substr(slash + 1);
  if (value.ends_with(".service")) value.remove_suffix(8);
  return std::string(value);
}

bool is_init_script(std::string_view path) {
  return path.starts_with("/etc/init.d/") || path.starts_with("/etc/rc.d/init.d/") || path.starts_with("init.d/") ||
         path.starts_with("/etc/rc.d/rc.");
}

}  // namespace

std::string_view service_manager_name(ServiceManager manager) {
  switch (manager) {
    case ServiceManager::Service: return "service";
    case ServiceManager::Systemctl: return "systemctl";
    case ServiceManager::InitScript: return "init script";
    case ServiceManager::OpenRc: return "OpenRC";
    case ServiceManager::Chkconfig: return "chkconfig";
    case ServiceManager::UpdateRcD: return "update-rc.d";
    case ServiceManager::Initctl: return "initctl";
  }
  return "";
}

namespace {

std::vector<ServiceStart> find_service_starts_in(const Script& script) {
  std::vector<ServiceStart> starts;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const Word* program = effective_program(script.commands[index]);
    if (!program || program->has_expansion) continue;
    std::string_view name = effective_program_name(script.commands[index]);
    bool manager = name == "service" || name == "systemctl" || name == "rc-service" || name == "rc-update" ||
                   name == "chkconfig" || name == "update-rc.d" || name == "initctl";
    if (!manager && !is_init_script(program->value)) continue;  // spares building the rest and parsing the arguments
    EffectiveCommand effective = effective_command(script.commands[index]);
    if (effective.shell_string) continue;
    ParsedArguments parsed = parse_arguments(effective.arguments, {"-H", "--host", "-M", "--machine", "--root", "-p", "--property"});
    const auto& operands = parsed.operands;
    auto add = [&](ServiceManager manager, ServiceAction action, const Word* word) {
      starts.push_back({manager, action, index, service_name(word->value), word});
    };
    if (name == "service" && operands.size() >= 2) {
      if (auto action = action_of(operands[1]->value)) add(ServiceManager::Service, *action, operands[0]);
    } else if (name == "systemctl" && !operands.empty()) {
      auto action = action_of(operands[0]->value);
      if (!action) continue;
      for (size_t i = 1; i < operands.size(); ++i) add(ServiceManager::Systemctl, *action, operands[i]);
      // `systemctl enable --now x` starts it too; the Enable entry stands for both.
    } else if (is_init_script(effective.program->value) && !operands.empty()) {
      if (auto action = action_of(operands[0]->value)) add(ServiceManager::InitScript, *action, effective.program);
    } else if (name == "rc-service" && operands.size() >= 2) {
      if (auto action = action_of(operands[1]->value)) add(ServiceManager::OpenRc, *action, operands[0]);
    } else if (name == "rc-update" && operands.size() >= 2 && operands[0]->value == "add") {
      add(ServiceManager::OpenRc, ServiceAction::Enable, operands[1]);
    } else if (name == "chkconfig") {
      if (parsed.has("--add") && !operands.empty()) {
        add(ServiceManager::Chkconfig, ServiceAction::Enable, operands[0]);
      } else if (operands.size() >= 2 && operands.back()->value == "on") {
        add(ServiceManager::Chkconfig, ServiceAction::Enable, operands[0]);
      }
    } else if (name == "update-rc.d" && operands.size() >= 2 &&
               (operands[1]->value == "defaults" || operands[1]->value == "enable" || operands[1]->value == "start")) {
      add(ServiceManager::UpdateRcD, ServiceAction::Enable, operands[0]);
    } else if (name == "initctl" && operands.size() >= 2) {
      if (auto action = action_of(operands[0]->value)) add(ServiceManager::Initctl, *action, operands[1]);
    }
  }
  return starts;
}

}  // namespace

const std::vector<ServiceStart>& find_service_starts(const Script& script) {
  ScriptFindings::Slots& slots = script.findings.slots();
  slots.service_starts_found.call([&] { slots.service_starts = find_service_starts_in(script); });
  return slots.service_starts;
}

}  // namespace shiftlint::shell
