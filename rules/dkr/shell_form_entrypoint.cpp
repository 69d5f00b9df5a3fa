#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/model/docker/image_startup.h"

namespace shiftlint {
namespace {

// At most 60 characters of a quoted instruction (fmt, not string +: gcc 12 -O2 warns falsely of
// the concatenation).
std::string shortened(std::string_view text) {
  return text.size() > 60 ? fmt::format("{}...", text.substr(0, 57)) : std::string(text);
}

using dkr::StartupPart;

// Completes "the shell is PID 1 and ...".
std::string why(std::string_view program) {
  return fmt::format("does not pass SIGTERM on, so {} is SIGKILLed when the stop timeout ends instead of shutting "
                     "down gracefully",
                     program);
}

// Commands that end a script without being the app: builtins, file utilities, and the keep-alive
// commands DKR015 is about.
constexpr std::array<std::string_view, 44> kNotTheApp = {
    "echo",  "printf", "exit",  "return",  "true",   "false",  ":",       "set",    "export", "unset", "shift",
    "cd",    "trap",   "wait",  "sleep",   "tail",   "test",   "[",       "[[",     "umask",  "ulimit", "source",
    ".",     "eval",   "chown", "chmod",   "mkdir",  "rm",     "cp",      "mv",     "ln",     "touch", "sed",
    "cat",   "ls",     "find",  "grep",    "envsubst", "printenv", "readonly", "declare", "local", "logger", "kill"};

bool is_app(std::string_view name) {
  return !name.empty() && std::find(kNotTheApp.begin(), kNotTheApp.end(), name) == kNotTheApp.end();
}

// `CMD /bin/bash`, `CMD ["sh", "-l"]` in a base image or a toolbox: an interactive shell for
// `docker run -it`, not an app that a stop signal must reach. (A shell given a script or a string
// runs something: that is judged as the app.)
bool interactive_shell(const shell::EffectiveCommand& effective) {
  constexpr std::array<std::string_view, 7> kShells = {"sh", "bash", "ash", "dash", "zsh", "ksh", "fish"};
  if (std::find(kShells.begin(), kShells.end(), effective.program_name()) == kShells.end()) return false;
  return std::all_of(effective.arguments.begin(), effective.arguments.end(), [](const shell::Word& argument) {
    return argument.value == "-l" || argument.value == "-i" || argument.value == "--login" || argument.value == "-il" ||
           argument.value == "-li";
  });
}

// A signal-forwarding init in front of the program that signals its whole process group:
// dumb-init (by default) or `tini -g`. Then a shell in between does not matter.
bool group_signalling_init(const shell::EffectiveCommand& effective) {
  for (const shell::Wrapper& wrapper : effective.wrappers) {
    if (wrapper.kind != shell::WrapperKind::DumbInit && wrapper.kind != shell::WrapperKind::Tini) continue;
    const shell::Command& command = *effective.command;
    bool group = wrapper.kind == shell::WrapperKind::DumbInit;
    for (const shell::Word& argument : command.arguments) {
      if (wrapper.kind == shell::WrapperKind::DumbInit && (argument.value == "--single-child" || argument.value == "-c"))
        group = false;
      if (wrapper.kind == shell::WrapperKind::Tini && argument.value == "-g") group = true;
    }
    if (group) return true;
  }
  return false;
}

// `bundle exec puma -C config/puma.rb` → `["bundle", "exec", "puma", "-C", "config/puma.rb"]`, when
// every word is plain text that means the same without a shell; nullopt otherwise.
std::optional<std::string> exec_form_of(std::string_view command) {
  constexpr std::string_view kShellSyntax = "$`|&;<>()*?[]{}~'\"\\#!\n\r\t";
  std::vector<std::string_view> words;
  size_t position = 0;
  while (position < command.size()) {
    size_t begin = command.find_first_not_of(' ', position);
    if (begin == std::string_view::npos) break;
    size_t end = command.find(' ', begin);
    if (end == std::string_view::npos) end = command.size();
    words.push_back(command.substr(begin, end - begin));
    position = end;
  }
  if (words.empty()) return std::nullopt;
  for (std::string_view word : words)
    if (word.find_first_of(kShellSyntax) != std::string_view::npos) return std::nullopt;
  if (words.front() == "exec") words.erase(words.begin());
  // `NAME=value app` sets a variable; builtins need the shell.
  if (words.empty() || words.front().find('=') != std::string_view::npos) return std::nullopt;
  for (std::string_view builtin : {"cd", "export", "source", ".", "set", "ulimit", "umask", "trap", "eval"})
    if (words.front() == builtin) return std::nullopt;
  std::string array = "[";
  for (size_t i = 0; i < words.size(); ++i) array += fmt::format("{}\"{}\"", i ? ", " : "", words[i]);
  return array + "]";
}

class Checker {
 public:
  Checker(const docker::Dockerfile& dockerfile, RuleContext& context)
      : dockerfile_(dockerfile), context_(context), startup_(dkr::image_startup(dockerfile)) {}

  void run() {
    const StartupPart* entrypoint = startup_.entrypoint();
    const StartupPart* cmd = startup_.cmd();
    if (entrypoint) {
      bool hands_over = check_instruction(*entrypoint, false);
      // CMD becomes the process `exec "$@"` (or tini --) starts.
      if (hands_over && cmd) check_instruction(*cmd, true);
    } else if (cmd) {
      check_instruction(*cmd, false);
    }
  }

 private:
  size_t index_of(const StartupPart& part) const { return static_cast<size_t>(&part - startup_.parts.data()); }

  const StartupPart* script_run_by(const StartupPart& runner, uint32_t command) const {
    for (const StartupPart& part : startup_.parts)
      if (part.kind == StartupPart::Kind::Script && part.runner == index_of(runner) && part.runner_command == command)
        return &part;
    return nullptr;
  }

  // Checks the process an ENTRYPOINT or CMD starts; true when it hands over to CMD (`exec "$@"`).
  bool check_instruction(const StartupPart& part, bool from_entrypoint) {
    const docker::Instruction& instruction = *part.instruction;
    if (instruction.form == docker::Form::Shell) {
      report_shell_form(part, from_entrypoint);
      return false;
    }
    if (part.script->commands.empty()) return true;  // `ENTRYPOINT []`
    shell::EffectiveCommand effective = shell::effective_command(*part.script, 0);
    if (group_signalling_init(effective)) return false;
    if (!effective.program) return true;  // `tini --`, `gosu app`: CMD is the program
    if (effective.shell_string) {
      check_shell_string(part, effective);
      return false;
    }
    // bash runs a lone simple command of its -c string in place of itself (it execs it).
    bool bash_one_shot = std::any_of(effective.wrappers.begin(), effective.wrappers.end(), [](const shell::Wrapper& wrapper) {
      return wrapper.kind == shell::WrapperKind::ShellString && wrapper.word && shell::program_name(*wrapper.word) == "bash";
    });
    if (effective.has_wrapper(shell::WrapperKind::ShellString) && !effective.exec && !bash_one_shot) {
      std::string program(effective.program_name());
      context_.report(*part.file, effective.command->span,
                      fmt::format("{} runs {} through `sh -c` without exec: the shell stays PID 1 and {}; drop the "
                                  "shell ({} [\"{}\", ...]) or write `exec {}` in the string",
                                  instruction.keyword, program, why(program), instruction.keyword, program, program));
      return false;
    }
    if (dkr::passes_arguments(*effective.program)) return true;
    if (const StartupPart* script = script_run_by(part, 0)) {
      // `#!/usr/bin/dumb-init /bin/bash`: the init is PID 1 and signals the script's whole group.
      if (dkr::shebang_init_signals_group(script->file->text())) return false;
      return check_script(*script, 0);
    }
    // A program or a script we cannot read (the base image's docker-entrypoint.sh): whether CMD
    // runs behind it was decided by convention (image_startup).
    return part.kind == StartupPart::Kind::Entrypoint && startup_.cmd_runs;
  }

  // The init the exec-form ENTRYPOINT runs the CMD behind (tini, catatonit, docker-init); empty for
  // anything else.
  std::string entrypoint_init() const {
    const StartupPart* entrypoint = startup_.entrypoint();
    if (!entrypoint || entrypoint->script->commands.empty()) return {};
    // (The command as written: tini is a wrapper effective_command looks through.)
    std::string_view name = shell::program_name(entrypoint->script->commands.front().name);
    if (name == "tini" || name == "tini-static" || name == "catatonit" || name == "docker-init") return std::string(name);
    return {};
  }

  void report_shell_form(const StartupPart& part, bool from_entrypoint) {
    const docker::Instruction& instruction = *part.instruction;
    if (report_broken_json(part)) return;
    std::vector<uint32_t> endings = dkr::ending_commands(*part.script);
    std::string program = "the app";
    bool all_exec = !endings.empty();
    for (uint32_t index : endings) visit_ending(*part.script, index, 0, all_exec, program);
    if (all_exec) return;  // `CMD exec puma`: the shell replaces itself
    // Nothing to exec: the command ends in a keep-alive (`service nginx start && tail -f ...`, DKR015's
    // concern) or runs no app at all.
    if (program == "the app") return;
    std::string keyword = instruction.keyword;
    std::string how = from_entrypoint
                          ? fmt::format("{} is in shell form and the ENTRYPOINT runs its arguments (`exec \"$@\"`), "
                                        "so it starts /bin/sh -c \"...\"",
                                        keyword)
                          : fmt::format("{} is in shell form, so Docker runs it as /bin/sh -c \"...\"", keyword);
    std::string text(instruction.arguments_text());
    std::optional<std::string> array = instruction.heredocs.empty() ? exec_form_of(text) : std::nullopt;
    std::string fix;
    const docker::ImageConfig* config = startup_.stage ? &startup_.stage->config : nullptr;
    const bool entrypoint_with_cmd = instruction.is("ENTRYPOINT") && config && config->cmd;
    if (array) {
      fix = fmt::format("use the exec form: {} {}", keyword, *array);
      // In exec form the ENTRYPOINT runs with the CMD as its arguments; in shell form it ignored them.
      if (entrypoint_with_cmd)
        fix += fmt::format(" (the CMD on line {} then becomes its arguments: fold them into the array or drop the CMD)",
                           config->cmd->span.begin.line);
    } else if (std::any_of(endings.begin(), endings.end(),
                           [&](uint32_t index) { return part.script->commands[index].in_pipeline; })) {
      // `CMD echo test | wc -c`: a pipeline's stage cannot replace the shell with exec.
      fix = "a pipeline cannot be exec'ed: start the app as a single command (exec form, writing to stdout itself), "
            "or run the container with an init that passes signals on (ECS `initProcessEnabled`, `docker run "
            "--init`, tini as ENTRYPOINT)";
    } else if (endings.size() == 1 && part.script->commands.size() == 1) {
      fix = fmt::format("use the exec form, or start the command with exec ({} exec {}) so {} replaces the shell",
                        keyword, dkr::command_text(*part.file, part.script->commands[endings[0]].span), program);
    } else {
      fix = fmt::format("run the last command with exec (... && exec {}), or move the steps into an entrypoint "
                        "script that ends with exec \"$@\"",
                        program);
    }
    // Behind an init (`ENTRYPOINT ["/sbin/tini", "--"]`) the init is PID 1, and it signals the shell
    // it started, which does not pass the signal on either (phpipam-docker).
    std::string init = from_entrypoint ? entrypoint_init() : std::string();
    if (!init.empty())
      how = fmt::format("{} is in shell form and the ENTRYPOINT's {} starts it as /bin/sh -c \"...\"", keyword, init);
    std::string message = init.empty() ? fmt::format("{}: the shell is PID 1 and {}; {}", how, why(program), fix)
                                       : fmt::format("{}: {} signals that shell only, which {}; {}", how, init,
                                                     why(program), fix);
    Finding& finding = context_.report(*part.file, instruction.span, std::move(message));
    if (array) {
      Span arguments = instruction.line.span_of(*part.file, instruction.arguments_begin, instruction.arguments_end);
      // Offered only where it cannot change what runs: arguments on one line (a continuation may
      // hold comments), and no CMD an exec-form ENTRYPOINT would start passing as arguments.
      bool cmd_would_become_arguments =
          instruction.is("ENTRYPOINT") && !(config && !config->cmd && config->cmd_reset);
      if (arguments.begin.line == arguments.end.line && !cmd_would_become_arguments)
        finding.fix = Fix{fmt::format("Use the exec form: {} {}", keyword, *array), {{arguments, *array}}};
    }
  }

  // An ending command, or the endings of the `sh -c` string it runs: are they exec-ed, and which
  // app do they start?
  static void visit_ending(const shell::Script& script, uint32_t index, int depth, bool& all_exec, std::string& program) {
    shell::EffectiveCommand effective = shell::effective_command(script, index);
    if (effective.shell_string && depth < 3) {
      auto outer = static_cast<uint32_t>(effective.command - script.commands.data());
      for (uint32_t nested = outer + 1; nested < script.commands.size(); ++nested) {
        const shell::Command& command = script.commands[nested];
        if (command.parent == outer && command.nesting == shell::Nesting::ShellString && command.ends_script &&
            !command.in_condition && !command.in_function() && !command.background)
          visit_ending(script, nested, depth + 1, all_exec, program);
      }
      return;
    }
    if (!effective.exec) all_exec = false;
    if (effective.program && is_app(effective.program_name()) && !interactive_shell(effective))
      program = std::string(effective.program_name());
  }

  // `CMD ['nginx', '-g', 'daemon off;']`: not JSON, so BuildKit takes it as shell form and the shell
  // looks for a program named `[nginx,`.
  bool report_broken_json(const StartupPart& part) {
    const docker::Instruction& instruction = *part.instruction;
    std::string_view text = instruction.arguments_text();
    if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
    std::string keyword = instruction.keyword;
    std::string json;
    if (text.find('"') == std::string_view::npos && text.find('\\') == std::string_view::npos)
      for (char c : text) json += c == '\'' ? '"' : c;
    std::string fix = json.empty() ? std::string("write it as a JSON array of double-quoted strings")
                                   : fmt::format("write {} {}", keyword, json);
    // The first word after the shell's quote removal: `['nginx',` → `[nginx,`.
    std::string program;
    for (char c : text.substr(0, std::min(text.find_first_of(" \t"), text.size())))
      if (c != '\'' && c != '"') program += c;
    Finding& finding = context_.report(
        *part.file, instruction.span,
        fmt::format("{} looks like exec form but is not valid JSON, so Docker runs it in shell form as /bin/sh -c "
                    "\"{}\": the shell looks for a program named `{}` and the container fails to start; {}",
                    keyword, shortened(text), program, fix));
    if (!json.empty()) {
      Span arguments = instruction.line.span_of(*part.file, instruction.arguments_begin, instruction.arguments_end);
      finding.fix = Fix{fmt::format("Use valid JSON: {} {}", keyword, json), {{arguments, json}}};
    }
    return true;
  }

  // `["sh", "-c", "bundle exec rake db:migrate && bundle exec puma"]`: the string's last command.
  void check_shell_string(const StartupPart& part, const shell::EffectiveCommand& effective) {
    const shell::Script& script = *part.script;
    auto outer = static_cast<uint32_t>(effective.command - script.commands.data());
    for (uint32_t index = outer + 1; index < script.commands.size(); ++index) {
      const shell::Command& command = script.commands[index];
      if (command.parent != outer || command.nesting != shell::Nesting::ShellString || !command.ends_script ||
          command.in_function() || command.in_condition || command.background)
        continue;
      shell::EffectiveCommand last = shell::effective_command(script, index);
      if (last.exec || !last.program || !is_app(last.program_name())) continue;
      std::string program(last.program_name());
      std::string text = dkr::command_text(*part.file, command.span);
      context_.report(*part.file, command.span,
                      fmt::format("the last command of {}'s `sh -c` string runs {} without exec: the shell stays PID 1 "
                                  "and {}; write `exec {}`",
                                  part.instruction->keyword, program, why(program), text));
    }
  }

  // A server run in the foreground (`lighttpd -D`, `nginx -g 'daemon off;'`, `php-fpm -F`, `gunicorn
  // app:app`) blocks the script until it exits; before the script's last command it is the
  // container's real work, run as a child of the shell. Only explicit foreground invocations and
  // servers that never fork count: `nginx -t`, a migration or `node build.js` return.
  static bool may_block_as_server(std::string_view name) {
    return name == "lighttpd" || name == "sshd" || name == "nginx" || name == "openresty" || name == "httpd" ||
           name == "apache2" || name == "apachectl" || name == "apache2ctl" || name.starts_with("php-fpm") ||
           name == "supervisord" || name == "gunicorn" || name == "uvicorn" || name == "hypercorn" ||
           name == "daphne" || name == "waitress-serve";
  }

  static bool blocks_as_server(const shell::EffectiveCommand& effective) {
    std::string_view name = effective.program_name();
    if (!may_block_as_server(name)) return false;
    std::span<const shell::Word> arguments = effective.arguments;
    auto has = [&](std::string_view word) {
      return std::any_of(arguments.begin(), arguments.end(), [&](const shell::Word& a) { return a.value == word; });
    };
    auto has_pair = [&](std::string_view flag, std::string_view value) {
      for (size_t i = 0; i + 1 < arguments.size(); ++i)
        if (arguments[i].value == flag && arguments[i + 1].value == value) return true;
      return false;
    };
    for (std::string_view test : {"-t", "-tt", "-T", "--test", "--check-config", "-v", "-V", "--version", "-h", "--help",
                                  "configtest"})
      if (has(test)) return false;
    if (name == "lighttpd" || name == "sshd") return has("-D");
    if (name == "nginx" || name == "openresty")
      return std::any_of(arguments.begin(), arguments.end(), [](const shell::Word& a) {
        return a.value.find("daemon off") != std::string_view::npos;
      });
    if (name == "httpd" || name == "apache2" || name == "apachectl" || name == "apache2ctl")
      return has("-DFOREGROUND") || has_pair("-D", "FOREGROUND");
    if (name.starts_with("php-fpm")) return has("-F") || has("--nodaemonize");
    if (name == "supervisord") return has("-n") || has("--nodaemon");
    return !has("-D") && !has("--daemon");  // gunicorn, uvicorn, hypercorn, daphne, waitress-serve
  }

  // Foreground servers the script runs before its last command (lighttpd -D, then `exec "$@"`):
  // the last command waits for the server to exit, and the server is the shell's child. Also in a
  // function the script calls there (cachet's `start_system` running `supervisord -n`, then `exit 0`).
  void check_blocking_servers(const StartupPart& part, const std::vector<uint32_t>& endings) {
    const shell::Script& script = *part.script;
    if (endings.empty()) return;
    uint32_t last = *std::max_element(endings.begin(), endings.end());
    // `function`: the body the command must be in ("" for the script's own statements).
    auto blocking_server = [&](uint32_t index, std::string_view function) -> bool {
      const shell::Command& command = script.commands[index];
      if (command.function_name != function || command.background || command.in_condition ||
          command.in_command_substitution || command.in_process_substitution || command.parent != shell::kNoParent ||
          command.in_loop ||
          (command.in_pipeline && index + 1 < script.commands.size() &&
           script.commands[index + 1].connector == shell::Connector::Pipe))
        return false;
      // Most commands are no server: their name is read without building the whole command.
      if (!may_block_as_server(shell::effective_program_name(command))) return false;
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      return effective.program && !effective.exec && blocks_as_server(effective);
    };
    for (uint32_t index = 0; index < last; ++index) {
      if (std::find(endings.begin(), endings.end(), index) != endings.end()) continue;
      uint32_t server = index;
      const shell::Command& command = script.commands[index];
      std::string_view called;
      if (!blocking_server(index, "")) {
        // A call of one of the script's functions, at the script's level: the function's own server.
        if (!script.defines_functions || command.in_function() || command.background || command.in_condition ||
            command.parent != shell::kNoParent || command.in_loop)
          continue;
        called = shell::effective_program_name(command);
        if (called.empty() || !defines_function(script, called)) continue;
        server = shell::kNoParent;
        for (uint32_t inner = 0; inner < script.commands.size() && server == shell::kNoParent; ++inner)
          if (blocking_server(inner, called)) server = inner;
        if (server == shell::kNoParent) continue;
      }
      shell::EffectiveCommand effective = shell::effective_command(script, server);
      const shell::Command& server_command = script.commands[server];
      std::string text = dkr::command_text(*part.file, server_command.span);
      std::string where = called.empty() ? std::string("runs") : fmt::format("calls {}, which runs", called);
      Finding& finding = dkr::report_in_part(
          context_, dockerfile_, part, server_command.span,
          fmt::format("the {} script {} {} `{}` in the foreground without exec before its last command: the server "
                      "blocks the script there as a child of the shell, which stays PID 1 and {}; make `exec {}` the "
                      "script's last command",
                      part.instruction->is("ENTRYPOINT") ? "entrypoint" : "CMD", dkr::part_name(part), where, text,
                      why(std::string(effective.program_name())), text));
      if (!called.empty()) finding.related.push_back({make_location(*part.file, command.span), "the call"});
      finding.related.push_back({make_location(*part.file, script.commands[last].span), "the script's last command"});
      return;  // one per script: the first server is what the container runs
    }
  }

  // An entrypoint script: how it ends. True when it hands over to CMD with `exec "$@"`.
  bool check_script(const StartupPart& part, int depth) {
    bool hands_over = false;
    std::vector<uint32_t> endings = dkr::ending_commands(*part.script);
    check_blocking_servers(part, endings);
    // When one way through the script execs the server, the other branches (`app:init`, `help`,
    // one-off tasks picked by "$1") are not what the container normally runs. An interactive shell
    // for a `--shell` mode (`exec /bin/bash -li`) is no server: akaunting's default `--start` branch
    // still runs nginx as the shell's child.
    bool execs_somewhere = std::any_of(endings.begin(), endings.end(), [&](uint32_t index) {
      shell::EffectiveCommand effective = shell::effective_command(*part.script, index);
      return effective.exec && !(effective.program && is_interactive_shell(effective));
    });
    for (uint32_t index : endings) {
      const shell::Command& command = part.script->commands[index];
      if (command.background) continue;  // `app &` then nothing: DKR015
      shell::EffectiveCommand effective = shell::effective_command(*part.script, index);
      if (!effective.program) continue;
      if (effective.exec) {
        if (dkr::passes_arguments(*effective.program)) hands_over = true;
        if (const StartupPart* next = script_run_by(part, index); next && depth < 3)
          hands_over = check_script(*next, depth + 1) || hands_over;
        continue;
      }
      std::string_view name = effective.program_name();
      if (execs_somewhere && command.in_branch && !taken_by_default_start(part, index)) continue;
      // A shell with nothing to run but its prompt (hadoop-docker's `-bash` mode ends with `/bin/bash`):
      // there for `docker run -it`, as `CMD /bin/bash` is; without a terminal it ends at once.
      if (is_interactive_shell(effective)) continue;
      if (defines_function(*part.script, name)) {
        check_function_ending(part, name);
        continue;
      }
      // `eval "$@"`: the shell expands the CMD once more and runs it as its child, unlike exec.
      if (name == "eval" && !effective.arguments.empty() && effective.arguments.front().value != "exec" &&
          !effective.arguments.front().value.starts_with("exec ") &&
          std::any_of(effective.arguments.begin(), effective.arguments.end(),
                      [](const shell::Word& argument) { return dkr::passes_arguments(argument); })) {
        hands_over = true;
        std::string text = dkr::command_text(*part.file, command.span);
        dkr::report_in_part(context_, dockerfile_, part, command.span,
                            fmt::format("the {} script {} ends by running the CMD with `{}`: eval runs it as a child of "
                                        "the shell, which stays PID 1 and {}; write `exec \"$@\"` (or `eval exec "
                                        "\"$@\"` where the CMD needs the shell's expansion) so the app replaces the shell",
                                        part.instruction->is("ENTRYPOINT") ? "entrypoint" : "CMD", dkr::part_name(part),
                                        text, why("the CMD")));
        continue;
      }
      if (!is_app(name)) continue;
      bool arguments = dkr::passes_arguments(*effective.program);
      std::string program = arguments ? "the CMD" : std::string(name);
      std::string text = dkr::command_text(*part.file, command.span);
      dkr::report_in_part(context_, dockerfile_, part, command.span,
                          fmt::format("the {} script {} ends by running {} without exec: its shell stays PID 1 and {}; write "
                                      "`exec {}` so the app replaces the shell",
                                      part.instruction->is("ENTRYPOINT") ? "entrypoint" : "CMD", dkr::part_name(part), arguments ? "\"$@\"" : program, why(program), text));
    }
    return hands_over;
  }

  // The script ends by calling one of its functions (`__run_app` whose body is `gunicorn app:app`):
  // the function's last command is the script's, and without exec its shell stays PID 1 too.
  void check_function_ending(const StartupPart& part, std::string_view function) {
    const shell::Script& script = *part.script;
    for (uint32_t index = 0; index < script.commands.size(); ++index) {
      const shell::Command& command = script.commands[index];
      if (command.function_name != function || !command.ends_function || command.parent != shell::kNoParent ||
          command.in_condition || command.background)
        continue;
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      if (effective.exec || !effective.program) continue;
      std::string_view name = effective.program_name();
      if (!is_app(name) || defines_function(script, name)) continue;
      std::string program(name);
      std::string text = dkr::command_text(*part.file, command.span);
      dkr::report_in_part(context_, dockerfile_, part, command.span,
                          fmt::format("the {} script {} ends by calling {}, whose last command runs {} without exec: "
                                      "its shell stays PID 1 and {}; write `exec {}` so the app replaces the shell",
                                      part.instruction->is("ENTRYPOINT") ? "entrypoint" : "CMD", dkr::part_name(part),
                                      function, program, why(program), text));
    }
  }

  // `bash`, `/bin/sh -l`, `bash -li`: a shell with nothing to run but its prompt.
  static bool is_interactive_shell(const shell::EffectiveCommand& effective) {
    if (!shell::is_shell(effective.program_name())) return false;
    return std::all_of(effective.arguments.begin(), effective.arguments.end(), [](const shell::Word& argument) {
      std::string_view value = argument.value;
      return value == "--login" || value == "-i" || value == "-l" || value == "-li" || value == "-il";
    });
  }

  // The image's default arguments pick the branch holding commands[index] (`if [ "$1" = --start ]`
  // under `CMD ["--start"]`): it is what every container runs, not a one-off mode.
  bool taken_by_default_start(const StartupPart& part, uint32_t index) const {
    return std::any_of(dkr::startup_commands(startup_).begin(), dkr::startup_commands(startup_).end(),
                       [&](const dkr::StartupCommand& command) {
                         return command.part == &part && command.index == index && !command.in_run_mode_branch;
                       });
  }

  static bool defines_function(const shell::Script& script, std::string_view name) {
    return std::any_of(script.commands.begin(), script.commands.end(),
                       [&](const shell::Command& command) { return command.function_name == name; });
  }

  const docker::Dockerfile& dockerfile_;
  RuleContext& context_;
  const dkr::ImageStartup& startup_;
};

void check(const docker::Dockerfile& dockerfile, RuleContext& context) { Checker(dockerfile, context).run(); }

const RuleRegistration registration{{
    .id = "DKR001",
    .slug = "shell-form-entrypoint",
    .severity = Severity::Warning,
    .summary = "The container's main process runs under a shell that does not pass SIGTERM on (shell-form "
               "CMD/ENTRYPOINT, sh -c or an entrypoint script without exec)",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
