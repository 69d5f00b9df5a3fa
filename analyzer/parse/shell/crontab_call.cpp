#include "analyzer/parse/shell/crontab_call.h"

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"

namespace shiftlint::shell {

std::vector<CrontabCall> find_crontab_calls(const Script& script) {
  std::vector<CrontabCall> calls;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const Command& command = script.commands[index];
    if (effective_program_name(command) != "crontab") continue;
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
