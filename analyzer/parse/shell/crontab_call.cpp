#include "analyzer/parse/shell/crontab_call.h"

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"

namespace shiftlint::shell {

namespace {

// `whenever --update-crontab` (`-i`), `--write-crontab` (`-w`) install; `--clear-crontab` (`-c`)
// removes; without one of them whenever only prints the table.
std::optional<CrontabCall> whenever_call(const Command& command, uint32_t index) {
  EffectiveCommand effective = effective_command(command);
  ParsedArguments parsed = parse_arguments(effective.arguments, {"-f", "--load-file", "-s", "--set", "-r", "--roles",
                                                                 "-x", "--crontab-command", "-k", "--cut", "-u", "--user"});
  CrontabCall call;
  call.command = index;
  call.program = effective.program;
  call.from_whenever = true;
  call.user = parsed.value_of("-u") ? parsed.value_of("-u") : parsed.value_of("--user");
  call.file = parsed.value_of("-f") ? parsed.value_of("-f") : parsed.value_of("--load-file");
  if (parsed.has("--update-crontab") || parsed.has("--write-crontab") || parsed.has_letter('i') ||
      parsed.has_letter('w')) {
    call.action = CrontabAction::Install;
  } else if (parsed.has("--clear-crontab") || parsed.has_letter('c')) {
    call.action = CrontabAction::Remove;
  } else {
    return std::nullopt;
  }
  return call;
}

}  // namespace

std::vector<CrontabCall> find_crontab_calls(const Script& script) {
  std::vector<CrontabCall> calls;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const Command& command = script.commands[index];
    std::string_view program = effective_program_name(command);
    if (program == "whenever") {
      if (auto call = whenever_call(command, index)) calls.push_back(*call);
      continue;
    }
    if (program != "crontab") continue;
    EffectiveCommand effective = effective_command(command);
    ParsedArguments parsed = parse_arguments(effective.arguments, {"-u", "-s"});
    CrontabCall call;
    call.command = index;
    call.program = effective.program;
    call.user = parsed.value_of("-u");
    if (parsed.has("-l") || parsed.has_letter('l')) {
      call.action = CrontabAction::List;
    } else if (parsed.has("-r") || parsed.has_letter('r')) {
      call.action = CrontabAction::Remove;
    } else if (parsed.has("-e") || parsed.has_letter('e')) {
      call.action = CrontabAction::Edit;
    } else {
      call.action = CrontabAction::Install;
      // `-` as an argument parses as an operand here; so does a file name.
      const Word* operand = parsed.operands.empty() ? nullptr : parsed.operands.front();
      if (!operand || operand->value == "-") {
        call.from_standard_input = true;
        if (!command.heredocs.empty()) call.content = &command.heredocs.front();
      } else {
        call.file = operand;
      }
    }
    calls.push_back(call);
  }
  return calls;
}

}  // namespace shiftlint::shell
