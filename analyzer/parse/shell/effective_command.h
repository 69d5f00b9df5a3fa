#pragma once
// The program a command line actually runs, once the wrappers in front of it are stripped:
// `exec sudo -u app env RAILS_ENV=production bundle exec sidekiq -C config.yml` runs `sidekiq`,
// exec-ed, behind the chain exec → sudo → env → bundle exec.
//
// Rules ask "does this container run cron / migrations / a worker?" of the effective program, and
// "is the main process exec-ed?" of the chain.
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

enum class WrapperKind : uint8_t {
  Exec,         // exec [-a name] [-cl]: the program replaces the shell
  Sudo,         // sudo [options]
  Doas,         // doas [-u user]
  Su,           // su [-] user -c STRING, runuser ... -c STRING
  Runuser,      // runuser -u user [--]
  Env,          // env [-i] [-u NAME] [NAME=value]...
  Nohup,        // nohup
  Timeout,      // timeout [options] DURATION
  Nice,         // nice [-n N], ionice [-c C] [-n N]
  Stdbuf,       // stdbuf -oL ...
  Setsid,       // setsid [-fw]
  Time,         // time [-p]
  CommandBuiltin,  // command [-p] (not -v / -V, which only look the name up)
  BundleExec,   // bundle exec
  Gosu,         // gosu USER
  SuExec,       // su-exec USER
  SetUser,      // setuser USER (phusion's baseimage)
  S6SetUidGid,  // s6-setuidgid USER (s6)
  Chpst,        // chpst [-u user] ... (runit)
  Tini,         // tini [options] --
  DumbInit,     // dumb-init [options]
  Catatonit,    // catatonit [-g] [-P] --
  Busybox,      // busybox APPLET
  ShellString,  // sh -c STRING (bash, dash, ash, zsh, ksh, mksh): followed into the string
};

std::string_view wrapper_name(WrapperKind kind);

struct Wrapper {
  WrapperKind kind = WrapperKind::Exec;
  const Word* word = nullptr;  // the word naming it (`sudo`, `bundle`, `sh`)
};

struct EffectiveCommand {
  // The simple command whose words hold `program`: the one asked about, or a command inside its
  // `sh -c` string when that string is a single command.
  const Command* command = nullptr;
  // The program that runs; nullptr when none does (`exec > /var/log/x`, `sudo -l`, `env` alone).
  const Word* program = nullptr;
  // program_name(*program), found with it (rules ask it of every command); "" when nothing runs.
  std::string_view name;
  std::span<const Word> arguments;  // the program's arguments
  std::vector<Wrapper> wrappers;    // outermost first
  std::vector<const Word*> environment;  // `env NAME=value` words, in order
  // `exec` in the chain: the program replaces the shell and receives its signals.
  bool exec = false;
  // The program is a shell running a string of more than one command (or one that could not be
  // followed): `program` is the shell and this is the string. Its commands are the ones nested in
  // `command` with Nesting::ShellString.
  const Word* shell_string = nullptr;

  bool has_wrapper(WrapperKind kind) const;
  // program_name(*program), or "" when nothing runs.
  std::string_view program_name() const { return name; }
};

// Strips the wrappers of one command. Stops at `sh -c STRING` (shell_string is set).
inline EffectiveCommand effective_command(const Command& command);

// effective_command(command).program and its program_name, without building the rest: what a
// finder compares before anything else ("" and nullptr when nothing runs).
inline const Word* effective_program(const Command& command);
inline std::string_view effective_program_name(const Command& command);

// Reads the command's words once and keeps the answer in command.chain for effective_command:
// the parser calls it on each command once its words are final.
void remember_chain(Command& command);

// Sets Command::name_is_optional_wrapper (and the chain again) on each command named by a lone
// unquoted variable that every assignment in the script sets to nothing or to a wrapper
// (`_PREFIX=""`, `[ "$(id -u)" != 0 ] && _PREFIX=sudo`, then `${_PREFIX} service docker start`).
void mark_optional_wrapper_names(Script& script);

// As above, then follows `sh -c STRING` into the string while it holds a single command that is
// not backgrounded: `sh -c "exec nginx -g 'daemon off;'"` is nginx, exec-ed, behind the chain
// ShellString → Exec.
EffectiveCommand effective_command(const Script& script, uint32_t index);

// The commands whose effective program (program_name, wrappers stripped) is one of `names`, in
// order: find_commands(script, {"crond", "cron"}). A `sh -c "crond -f"` is found through the command
// inside its string, which is in the list too.
std::vector<uint32_t> find_commands(const Script& script, std::initializer_list<std::string_view> names);

// For a shell invocation (`sh`, `bash -e`, `/bin/sh`), the string it runs with `-c`; nullptr when
// `program` is not a shell or has no -c. `arguments` are the words after `program`.
const Word* shell_command_string(const Word& program, std::span<const Word> arguments);

// Whether a program name is a POSIX-style shell (sh, bash, dash, ash, zsh, ksh, mksh).
bool is_shell(std::string_view name);

// Fills `result` (default-constructed) for a command that has wrappers, `env` assignments, or a
// chain remember_chain could not keep: the rest is answered inline below.
void fill_effective_command(const Command& command, EffectiveCommand& result);

// Rules and finders ask this of every command of every script, most often of a command without
// wrappers only to compare its program's name: inline, that costs a few loads, and no vector is
// touched.
inline EffectiveCommand effective_command(const Command& command) {
  EffectiveCommand result;
  const CommandChain& chain = command.chain;
  if (!chain.known || chain.wrapper_count > 0 || chain.environment_count > 0) {
    fill_effective_command(command, result);
    return result;
  }
  result.command = &command;  // `exec` is a wrapper: exec stays false here
  if (chain.program != CommandChain::kNoWord) {
    result.program = chain.program == 0 ? &command.name : &command.arguments[chain.program - 1];
    result.name = result.program->value.substr(chain.program_name_begin);
    result.arguments = std::span<const Word>(command.arguments).subspan(chain.program);
  }
  if (chain.shell_string != CommandChain::kNoWord) {
    result.shell_string = chain.shell_string == 0 ? &command.name : &command.arguments[chain.shell_string - 1];
  }
  return result;
}

inline const Word* effective_program(const Command& command) {
  const CommandChain& chain = command.chain;
  if (!chain.known) return effective_command(command).program;
  if (chain.program == CommandChain::kNoWord) return nullptr;
  return chain.program == 0 ? &command.name : &command.arguments[chain.program - 1];
}

inline std::string_view effective_program_name(const Command& command) {
  const CommandChain& chain = command.chain;
  if (!chain.known) return effective_command(command).name;  // a view of the command's words
  const Word* program = effective_program(command);
  return program ? program->value.substr(chain.program_name_begin) : std::string_view();
}

}  // namespace shiftlint::shell
