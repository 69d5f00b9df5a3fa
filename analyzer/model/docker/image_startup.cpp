#include "analyzer/model/docker/image_startup.h"

#include <algorithm>
#include <functional>
#include <array>
#include <cctype>
#include <fnmatch.h>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "analyzer/detect/base_image_entrypoint.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/argument_test.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/source/real_path.h"

namespace shiftlint::dkr {

namespace {

// Scripts followed from the ENTRYPOINT/CMD (and the scripts they run or source): how many, and
// how many hops away.
constexpr size_t kMaxScripts = 8;
constexpr int kMaxScriptDepth = 3;
// The scripts an init system runs from its folders, counted on their own: images with s6-overlay
// often hold 10-20 cont-init scripts, and their migrations and cron set-up come late in name order
// (anonaddy's 50-migrate, 80-svc-cron). A bound for hostile contexts, not a budget.
constexpr size_t kMaxInitScripts = 48;


bool script_passes_arguments(const shell::Script& script) {
  for (const shell::Command& command : script.commands) {
    if (passes_arguments(command.name)) return true;
    for (const shell::Word& word : command.arguments)
      if (passes_arguments(word)) return true;
  }
  return false;
}

// The path a command runs as a script: the program itself (`/docker-entrypoint.sh`, `bin/boot`),
// the operand of a shell (`bash /start.sh`) or of `.`/`source`, expanded with the image's ENV
// (`source "${RUNTIME_DIR}/functions"`). Empty when there is none.
template <typename Resolve>  // std::optional<std::string>(const shell::Word&)
std::string script_path_of(const shell::Script& script, uint32_t index, const Resolve& resolve) {
  const shell::Command& command = script.commands[index];
  if (command.in_command_substitution || command.in_process_substitution) return {};
  shell::EffectiveCommand effective = shell::effective_command(script, index);
  if (!effective.program || effective.shell_string) return {};
  // Most programs are literal: only an expanded word is resolved (a copy each).
  std::optional<std::string> expanded;
  if (!effective.program->is_literal() && !(expanded = resolve(*effective.program))) return {};
  std::string_view name = expanded ? std::string_view(*expanded).substr(expanded->rfind('/') + 1)
                                   : effective.program_name();
  // phusion's `my_init [options] -- COMMAND`: the command runs once the init scripts have.
  if (name == "my_init") {
    for (size_t i = 0; i + 1 < effective.arguments.size(); ++i) {
      if (effective.arguments[i].value != "--") continue;
      const shell::Word& word = effective.arguments[i + 1];
      std::optional<std::string> value = word.is_literal() ? std::string(word.value) : resolve(word);
      return value ? std::move(*value) : std::string();
    }
    return {};
  }
  if (shell::is_shell(name) || name == "source" || name == ".") {
    for (const shell::Word& argument : effective.arguments) {
      std::optional<std::string> value = argument.is_literal() ? std::string(argument.value) : resolve(argument);
      if (!value) return {};
      if (!value->empty() && value->front() == '-') {
        if (*value == "-c") return {};
        continue;
      }
      return value->find('/') == std::string::npos ? "./" + *value : *value;
    }
    return {};
  }
  return expanded ? std::move(*expanded) : std::string(effective.program->value);
}

// A path a script builds from its own folder: `$(dirname $0)/../lib/functions.sh`,
// `"$(dirname "${BASH_SOURCE[0]}")"/common.sh`, `${0%/*}/env.sh`, resolved against `folder`, the
// folder the script is at in the image (passbolt's `source $(dirname $0)/../passbolt/entrypoint.sh`).
// nullopt for any other word, or when what follows holds another expansion.
std::optional<std::string> beside_own_script(std::string_view value, std::string_view folder) {
  static constexpr std::array<std::string_view, 10> kOwnFolder = {
      "$(dirname $0)",          "$(dirname ${0})",        "$(dirname $BASH_SOURCE)", "$(dirname ${BASH_SOURCE})",
      "$(dirname ${BASH_SOURCE[0]})", "`dirname $0`",   "${0%/*}",                 "$(cd $(dirname $0) && pwd)",
      "$(cd $(dirname $0); pwd)", "$(realpath $(dirname $0))"};
  if (folder.empty()) return std::nullopt;
  // Every form starts with `$(`, `${0` or a backtick, possibly after quotes.
  std::string_view start = value.substr(value.find_first_not_of('"') == std::string_view::npos ? value.size()
                                                                                                 : value.find_first_not_of('"'));
  if (!(start.starts_with("$(") || start.starts_with("${0") || start.starts_with('`'))) return std::nullopt;
  // Quotes inside the substitution do not change it: `$(dirname "$0")` is `$(dirname $0)`.
  for (std::string_view form : kOwnFolder) {
    std::string unquoted;
    size_t at = 0;
    for (; at < value.size() && unquoted.size() < form.size(); ++at)
      if (value[at] != '"') unquoted += value[at];
    while (at < value.size() && value[at] == '"') ++at;
    if (unquoted != form) continue;
    std::string_view rest = value.substr(at);
    if (rest.find('$') != std::string_view::npos || rest.find('`') != std::string_view::npos) return std::nullopt;
    return lexically_normal_absolute(std::string(folder) + std::string(rest));
  }
  return std::nullopt;
}

// The variable `read` sets: its last operand (`read -r f`, `read -r -d '' f`); "" for none.
std::string_view read_variable(const shell::Command& command) {
  std::string_view variable;
  bool option_argument = false;
  for (const shell::Word& argument : command.arguments) {
    std::string_view value = argument.value;
    if (option_argument) {
      option_argument = false;
      continue;
    }
    if (value.size() > 1 && value[0] == '-') {
      // -d DELIM, -p PROMPT, -t SECONDS, -n/-N COUNT, -u FD, -a ARRAY, -i TEXT take the next word.
      option_argument = value.size() == 2 && std::string_view("dptnNuai").find(value[1]) != std::string_view::npos;
      continue;
    }
    variable = value;
  }
  return variable;
}

// The folder a `while read -r f` loop reads the files of, when the loop ends a pipeline that
// starts with `find DIR` or `ls DIR` (`find /docker-entrypoint.d/ -type f | sort -V | while read -r
// f`, the official nginx image's entrypoint): the glob "DIR/*". `folder_of` resolves its word.
std::optional<std::string> read_loop_pattern(
    const shell::Script& script, std::string_view name,
    const std::function<std::optional<std::string>(const shell::Word&)>& folder_of) {
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& read = script.commands[index];
    if (!read.in_condition || !read.in_pipeline || read.connector != shell::Connector::Pipe ||
        read.name.value != "read" || read_variable(read) != name)
      continue;
    // Back to the pipeline's first stage, past the commands nested in the stages' words.
    uint32_t stage = index;
    for (uint32_t at = index; at-- > 0;) {
      const shell::Command& before = script.commands[at];
      if (before.parent != read.parent) continue;
      if (!before.in_pipeline) break;
      stage = at;
      if (before.connector != shell::Connector::Pipe) break;
    }
    if (stage == index) continue;
    shell::EffectiveCommand first = shell::effective_command(script, stage);
    if (first.name != "find" && first.name != "ls") continue;
    for (const shell::Word& argument : first.arguments) {
      if (argument.value.starts_with('-')) {
        if (first.name == "find") break;  // find's paths come before its expression
        continue;
      }
      std::optional<std::string> folder = folder_of(argument);
      if (!folder || folder->empty() || folder->front() != '/') return std::nullopt;
      if (folder->find_first_of("*?[") != std::string::npos) return folder;  // `ls /etc/app.d/*.sh`
      while (folder->size() > 1 && folder->back() == '/') folder->pop_back();
      return *folder + "/*";
    }
  }
  return std::nullopt;
}

// `$f` or `"${f}"` where `f` is a `for` loop's variable over one absolute glob (`for f in
// /docker-entrypoint.d/*.sh`), or a `while read -r f` loop's over a folder (read_loop_pattern): that
// glob. Nullopt otherwise.
std::optional<std::string> loop_pattern(const shell::Script& script, const shell::Word& word,
                                        const std::function<std::optional<std::string>(const shell::Word&)>& folder_of) {
  std::string_view value = word.value;
  if (value.size() < 2 || value[0] != '$') return std::nullopt;
  std::string_view name = value.substr(1);
  if (name.size() > 2 && name.front() == '{' && name.back() == '}') name = name.substr(1, name.size() - 2);
  const shell::Assignment* found = nullptr;
  for (const shell::Assignment& assignment : script.assignments) {
    if (assignment.name != name) continue;
    if (assignment.declaration != "for" || found) return std::nullopt;  // assigned otherwise too, or several values
    found = &assignment;
  }
  if (!found) return read_loop_pattern(script, name, folder_of);
  if (found->value.value.empty() || found->value.value.front() != '/' ||
      found->value.value.find('$') != std::string_view::npos || found->value.value.find_first_of("*?[") == std::string_view::npos)
    return std::nullopt;
  return std::string(found->value.value);
}

// `run-parts [options] /etc/app/start.d`: the folder, with a trailing '/'; empty for anything else.
std::string run_parts_folder(const shell::Script& script, uint32_t index) {
  if (shell::effective_program_name(script.commands[index]) != "run-parts") return {};
  shell::EffectiveCommand effective = shell::effective_command(script, index);
  if (!effective.program || effective.program_name() != "run-parts") return {};
  for (const shell::Word& argument : effective.arguments) {
    std::string_view value = argument.value;
    if (value.starts_with('-') || !argument.is_literal()) continue;
    if (!value.starts_with('/')) return {};
    std::string folder(value);
    if (folder.back() != '/') folder += '/';
    return folder;
  }
  return {};
}

// Windows containers run CMD through cmd or PowerShell and stop differently: not read as shell.
bool is_windows_image(const docker::Dockerfile& dockerfile, const docker::Stage& final_stage) {
  const docker::Stage* stage = &final_stage;
  for (size_t hops = 0; stage && hops <= dockerfile.stages.size(); ++hops) {
    std::string image = stage->image.text;
    for (char& c : image) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view marker : {"windows", "servercore", "nanoserver"})
      if (image.find(marker) != std::string::npos) return true;
    stage = stage->parent ? &dockerfile.stages[*stage->parent] : nullptr;
  }
  if (const docker::Instruction* shell = final_stage.config.shell; shell && !shell->arguments.empty()) {
    std::string program = shell->arguments.front().text;
    for (char& c : program) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view windows_shell : {"powershell", "pwsh", "cmd"})
      if (program.find(windows_shell) != std::string::npos) return true;
  }
  return false;
}

class Builder {
 public:
  explicit Builder(const docker::Dockerfile& dockerfile) : dockerfile_(dockerfile) {}

  ImageStartup build() {
    const docker::Stage* stage = dockerfile_.final_stage();
    if (!stage || !dockerfile_.file || is_windows_image(dockerfile_, *stage)) return std::move(startup_);
    startup_.stage = stage;
    const docker::ImageConfig& config = stage->config;
    const docker::Instruction* entrypoint = config.entrypoint && config.entrypoint->valid ? config.entrypoint : nullptr;
    const docker::Instruction* cmd = config.cmd && config.cmd->valid ? config.cmd : nullptr;

    if (!entrypoint) {
      startup_.cmd_runs = true;
    } else {
      add_instruction(StartupPart::Kind::Entrypoint, *entrypoint);
      size_t first_script = startup_.parts.size();
      follow_scripts(0);
      startup_.cmd_runs = entrypoint_runs_cmd(first_script);
    }
    if (cmd && startup_.cmd_runs) {
      size_t index = startup_.parts.size();
      add_instruction(StartupPart::Kind::Cmd, *cmd);
      follow_scripts(index);
    }
    if (entrypoint) {
      if (runs_s6_init(*startup_.parts[0].script)) add_s6_init_scripts(entrypoint, 0);
    } else if (const docker::Instruction* from = inherited_s6_init(*stage)) {
      startup_.inherited_s6_init = from;
      add_s6_init_scripts(from, kNoRunner);
    }
    add_my_init_scripts();
    mark_uncalled_functions();
    drop_parts_run_only_by_uncalled_functions();
    return std::move(startup_);
  }

 private:
  void add_instruction(StartupPart::Kind kind, const docker::Instruction& instruction) {
    StartupPart part;
    part.kind = kind;
    part.instruction = &instruction;
    part.file = dockerfile_.file;
    part.script = std::make_shared<const shell::Script>(docker::instruction_script(*dockerfile_.file, instruction));
    startup_.parts.push_back(std::move(part));
  }

  // Breadth-first from parts[from]: every script its commands run, and theirs.
  void follow_scripts(size_t from) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context) return;
    std::vector<std::pair<size_t, int>> queue{{from, 0}};
    for (size_t next = 0; next < queue.size(); ++next) {
      auto [index, depth] = queue[next];
      if (depth >= kMaxScriptDepth) continue;
      for (uint32_t command = 0; command < startup_.parts[index].script->commands.size(); ++command) {
        if (scripts_ >= kMaxScripts) return;
        const shell::Script& script = *startup_.parts[index].script;
        std::string_view own_path = startup_.parts[index].kind == StartupPart::Kind::Script
                                        ? std::string_view(startup_.parts[index].context_file.image_path)
                                        : std::string_view();
        std::string_view own_folder = own_path.substr(0, own_path.empty() ? 0 : own_path.rfind('/') + 1);
        auto resolve = [&](const shell::Word& word) {
          if (auto beside = beside_own_script(word.value, own_folder)) return beside;
          // The variable of a `for` loop over a folder (`for f in /docker-entrypoint.d/*.sh; do
          // . "$f"; done`): its pattern, whose copied files the loop runs.
          if (script.commands[command].in_loop) {
            auto folder_of = [&](const shell::Word& folder) {
              return runtime_value(dockerfile_, *startup_.stage, script, folder);
            };
            if (auto pattern = loop_pattern(script, word, folder_of)) return pattern;
          }
          return runtime_value(dockerfile_, *startup_.stage, script, word);
        };
        std::string path = run_parts_folder(script, command);
        if (path.empty()) path = script_path_of(script, command, resolve);
        if (path.empty()) continue;
        std::vector<docker::ContextFile> matched;
        // (A loop over the characters: find_first_of asks memchr once per character.)
        bool glob = path.back() == '/' ||
                    std::any_of(path.begin(), path.end(), [](char c) { return c == '*' || c == '?' || c == '['; });
        if (glob) {
          // A folder's files, in name order as the glob and run-parts list them.
          std::string pattern = path.back() == '/' ? path + "*" : path;
          for (const docker::ContextFile& file : context->copied_files(startup_.stage))
            if (fnmatch(pattern.c_str(), file.image_path.c_str(), FNM_PATHNAME) == 0) matched.push_back(file);
          std::sort(matched.begin(), matched.end(), [](const docker::ContextFile& a, const docker::ContextFile& b) {
            return a.image_path < b.image_path;
          });
        } else {
          // Most commands name a program the context does not hold, or a script already followed.
          const std::vector<docker::ContextFile>& files = context->files_run_as(path, startup_.stage);
          if (files.empty() || seen(files.front().image_path)) continue;
          matched.push_back(files.front());
        }
        for (const docker::ContextFile& file : matched) {
          if (scripts_ >= kMaxScripts) return;
          if (seen(file.image_path)) continue;
          std::optional<docker::ContextText> text = context->text(file);
          if (!text || !is_shell_script_text(text->text.text(), file.image_path)) continue;
          // Of a folder's files, the scripts: a `#!` line or a shell's extension (not the `.sql` and
          // `.js` files a `case "$f"` beside it hands to other programs).
          std::string_view image_path = file.image_path;
          if (glob)
            if (!text->text.text().starts_with("#!") && !image_path.ends_with(".sh") && !image_path.ends_with(".bash") &&
                !image_path.ends_with(".envsh"))
              continue;
          StartupPart part;
          part.kind = StartupPart::Kind::Script;
          part.instruction = startup_.parts[index].instruction;
          part.context_file = file;
          part.file = text->file;
          part.script = docker::shared_context_script(*text);
          part.runner = index;
          part.runner_command = command;
          if (startup_.parts[index].kind == StartupPart::Kind::Script) part.runner_name = part_name(startup_.parts[index]);
          seen_.push_back(file.image_path);
          ++scripts_;
          startup_.parts.push_back(std::move(part));
          queue.emplace_back(startup_.parts.size() - 1, depth + 1);
        }
      }
    }
  }

  // s6-overlay's /init runs, at every start and before the services and CMD, each script in
  // /etc/cont-init.d (in name order) and each s6-rc oneshot, whose `up` file names the script to
  // run (linuxserver.io's `/etc/s6-overlay/s6-rc.d/init-config/run`). Setup that belongs in a
  // one-off task (migrations, builds) lives there as it does in an entrypoint script.
  //
  // `started_by` is the ENTRYPOINT that runs /init (runner 0), or the FROM line of a base image
  // whose inherited ENTRYPOINT does (no runner: no part of this file starts it).
  void add_s6_init_scripts(const docker::Instruction* started_by, size_t runner) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context) return;
    // Copies: the context's answers are caches that following the scripts may refill.
    std::vector<docker::ContextFile> scripts;
    for (const docker::ContextFile& file : context->copied_files(startup_.stage)) {
      std::string_view path = file.image_path;
      if (in_folder(path, "/etc/cont-init.d/")) {
        scripts.push_back(file);
      } else if (path.starts_with(kS6Services) && path.ends_with("/up") &&
                 std::count(path.begin() + kS6Services.size(), path.end(), '/') == 1) {
        // An execline command line: the script it runs when the image holds it (linuxserver's
        // `/etc/s6-overlay/s6-rc.d/init-config/run`, elabftw's `/command/with-contenv
        // /usr/sbin/docker-entrypoint.sh`); commands written in it (`php artisan migrate --force`)
        // are read as they are, the `up` file standing for a script.
        std::optional<docker::ContextText> up = context->text(file);
        if (!up) continue;
        std::string_view program = execline_program(up->text.text());
        if (program.empty()) continue;
        const std::vector<docker::ContextFile>& run = context->files_run_as(program, startup_.stage);
        if (!run.empty()) scripts.push_back(run.front());
        else if (program.front() != '/') scripts.push_back(file);
      }
    }
    add_init_scripts(std::move(scripts), started_by, runner, StartupPart::Init::S6Overlay);
  }

  // phusion's my_init (the CMD of phusion/baseimage and passenger-docker) runs, at every start and
  // before runit's services and its command, each script in /etc/my_init.d (in name order) and
  // then /etc/rc.local: their documented place for start-up tasks.
  void add_my_init_scripts() {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (!context) return;
    size_t runner = kNoRunner;
    for (size_t index = 0; index < startup_.parts.size() && runner == kNoRunner; ++index)
      for (const shell::Command& command : startup_.parts[index].script->commands)
        if (shell::effective_program_name(command) == "my_init") {
          runner = index;
          break;
        }
    if (runner == kNoRunner) return;
    std::vector<docker::ContextFile> scripts;
    std::optional<docker::ContextFile> rc_local;
    for (const docker::ContextFile& file : context->copied_files(startup_.stage)) {
      if (in_folder(file.image_path, "/etc/my_init.d/")) scripts.push_back(file);
      else if (file.image_path == "/etc/rc.local") rc_local = file;
    }
    std::sort(scripts.begin(), scripts.end(), [](const docker::ContextFile& left, const docker::ContextFile& right) {
      return left.image_path < right.image_path;
    });
    if (rc_local) scripts.push_back(*rc_local);
    add_init_scripts(std::move(scripts), startup_.parts[runner].instruction, runner, StartupPart::Init::MyInit);
  }

  // The scripts an init system runs before the services start, in the order given (s6's are
  // sorted here), each followed to the scripts it runs.
  void add_init_scripts(std::vector<docker::ContextFile> scripts, const docker::Instruction* started_by, size_t runner,
                        StartupPart::Init init) {
    const docker::BuildContext* context = dockerfile_.build_context;
    if (init == StartupPart::Init::S6Overlay)
      std::sort(scripts.begin(), scripts.end(), [](const docker::ContextFile& left, const docker::ContextFile& right) {
        return left.image_path < right.image_path;
      });
    for (const docker::ContextFile& file : scripts) {
      if (init_scripts_ >= kMaxInitScripts) return;
      if (seen(file.image_path)) continue;
      std::optional<docker::ContextText> text = context->text(file);
      // An s6-rc `up` file holding the commands itself is an execline command line, read as shell
      // whatever its first line says.
      bool up_commands = file.image_path.starts_with(kS6Services) && file.image_path.ends_with("/up");
      if (!text || (!up_commands && !is_shell_script_text(text->text.text(), file.image_path))) continue;
      StartupPart part;
      part.kind = StartupPart::Kind::Script;
      part.instruction = started_by;
      part.context_file = file;
      part.file = text->file;
      part.script = docker::shared_context_script(*text);
      part.runner = runner;
      part.run_by_init = init;
      seen_.push_back(file.image_path);
      ++init_scripts_;
      startup_.parts.push_back(std::move(part));
      follow_scripts(startup_.parts.size() - 1);
    }
  }

  static constexpr std::string_view kS6Services = "/etc/s6-overlay/s6-rc.d/";

  // The program an s6-rc `up` file runs: its first word after comment lines, past the wrappers that
  // run their arguments (`with-contenv`, `s6-setuidgid USER`, `sh` or `bash` given a script).
  static std::string_view execline_program(std::string_view text) {
    size_t at = 0;
    bool shell = false;
    while (at < text.size()) {
      at = text.find_first_not_of(" \t\r\n", at);
      if (at == std::string_view::npos) return {};
      if (text[at] == '#') {  // a comment line, `#!` included
        at = text.find('\n', at);
        if (at == std::string_view::npos) return {};
        continue;
      }
      size_t end = std::min(text.find_first_of(" \t\r\n", at), text.size());
      std::string_view word = text.substr(at, end - at);
      at = end;
      std::string_view name = word.substr(word.rfind('/') == std::string_view::npos ? 0 : word.rfind('/') + 1);
      if (name == "with-contenv" || (shell && word.front() == '-')) continue;
      if (name == "s6-setuidgid") {  // and its user
        at = std::min(text.find_first_not_of(" \t", at), text.size());
        at = std::min(text.find_first_of(" \t\r\n", at), text.size());
        continue;
      }
      if (!shell && (name == "sh" || name == "bash" || name == "ash" || name == "dash")) {
        shell = true;
        continue;
      }
      return word;
    }
    return {};
  }

  static bool runs_s6_init(const shell::Script& entrypoint) {
    if (entrypoint.commands.empty()) return false;
    shell::EffectiveCommand effective = shell::effective_command(entrypoint, 0);
    return effective.program && effective.program->value == "/init";
  }

  // The FROM line naming the external base image when the final stage sets no ENTRYPOINT (nor any
  // stage it is built on) and that image's own ENTRYPOINT is s6-overlay's /init (linuxserver.io).
  const docker::Instruction* inherited_s6_init(const docker::Stage& final_stage) const {
    if (!final_stage.external_base || final_stage.config.entrypoint) return nullptr;
    const docker::Stage* root = &final_stage;
    for (size_t hops = 0; root->parent && hops <= dockerfile_.stages.size(); ++hops)
      root = &dockerfile_.stages[*root->parent];
    if (!root->from || !root->image.ok()) return nullptr;
    std::optional<std::string_view> entrypoint = detect::inherited_entrypoint(root->image.text);
    return entrypoint && *entrypoint == "/init" ? root->from : nullptr;
  }

  static bool in_folder(std::string_view path, std::string_view folder) {
    return path.size() > folder.size() && path.starts_with(folder) && path.find('/', folder.size()) == std::string_view::npos;
  }

  bool seen(const std::string& image_path) const {
    return std::find(seen_.begin(), seen_.end(), image_path) != seen_.end();
  }

  // Exec form only: a shell-form ENTRYPOINT never sees CMD.
  bool entrypoint_runs_cmd(size_t first_script) const {
    const StartupPart& entrypoint = startup_.parts[0];
    if (entrypoint.instruction->form != docker::Form::Exec) return false;
    if (entrypoint.script->commands.empty()) return true;  // `ENTRYPOINT []`
    // `ENTRYPOINT ["sh", "-c"]` (also `["/bin/bash", "-ec"]`): the shell runs CMD's first word as
    // its script (CentOS' redis image starts its CMD script that way).
    if (const shell::Command& first = entrypoint.script->commands[0];
        entrypoint.script->commands.size() == 1 && shell::is_shell(shell::program_name(first.name)) &&
        !first.arguments.empty()) {
      std::string_view last = first.arguments.back().value;
      if (last.size() >= 2 && last[0] == '-' && last[1] != '-' && last.back() == 'c') return true;
    }
    shell::EffectiveCommand effective = shell::effective_command(*entrypoint.script, 0);
    if (!effective.program) return true;  // `tini --`, `gosu app`: they run their arguments
    if (passes_arguments(*effective.program)) return true;
    if (script_passes_arguments(*entrypoint.script) && effective.shell_string) return true;
    for (size_t index = first_script; index < startup_.parts.size(); ++index)
      if (startup_.parts[index].runner == 0 && startup_.parts[index].runner_command == 0)
        return script_passes_arguments(*startup_.parts[index].script);
    // A script we cannot read (the base image's docker-entrypoint.sh) passes its arguments on by
    // convention; a program (`nginx`, `node`) takes CMD as its arguments.
    std::string_view name = effective.program_name();
    return name.find("entrypoint") != std::string_view::npos ||
           (name.size() > 3 && name.substr(name.size() - 3) == ".sh");
  }

  // A function counts as called when its name stands as a word, or a token of a word, of a
  // command that runs (`trap cleanup EXIT`, `run_as app migrate_db`, `su app -c "setup_db"`), in
  // any part: a sourced library's functions are called by the script that sources it, and a
  // function runs only once something that runs calls it. A script the parser could not read whole
  // counts as calling every name its text holds. A program held in a variable calls what
  // the variable's values name (`$UPGRADE_YES` set to true or false, `$SUDO`); a positional
  // parameter (`"$1"`) what the CMD or the call passes, already counted; a command's output
  // (`\`composer config ...\``) is taken to name none. A program the script cannot
  // tell (`run_$ROLE`, a variable it never sets, `eval "$step"`) could call any function: then
  // every function counts as called.
  void mark_uncalled_functions() {
    struct Body {
      std::vector<std::pair<size_t, uint32_t>> commands;  // (part, command)
      bool called = false;
    };
    // Most startups define no function: nothing to list then.
    if (std::none_of(startup_.parts.begin(), startup_.parts.end(),
                     [](const StartupPart& part) { return part.script->defines_functions; }))
      return;
    std::unordered_map<std::string_view, Body> bodies;
    std::vector<std::pair<size_t, uint32_t>> running;
    for (size_t part = 0; part < startup_.parts.size(); ++part) {
      const shell::Script& script = *startup_.parts[part].script;
      Body* body = nullptr;  // a function's commands follow one another
      std::string_view body_name;
      for (uint32_t index = 0; index < script.commands.size(); ++index) {
        std::string_view function = script.commands[index].function_name;
        if (function.empty()) {
          running.emplace_back(part, index);
          continue;
        }
        if (!body || function != body_name) {
          body = &bodies[function];
          body_name = function;
        }
        body->commands.emplace_back(part, index);
      }
    }
    // Most words name no function: the names' lengths and first letters turn them away before a
    // lookup.
    size_t shortest = SIZE_MAX;
    size_t longest = 0;
    std::array<bool, 256> first_letters{};
    for (const auto& [name, body] : bodies) {
      shortest = std::min(shortest, name.size());
      longest = std::max(longest, name.size());
      first_letters[static_cast<unsigned char>(name.front())] = true;
    }
    size_t uncalled = bodies.size();
    auto call = [&](std::string_view name) {
      if (name.size() < shortest || name.size() > longest || !first_letters[static_cast<unsigned char>(name.front())])
        return;
      auto body = bodies.find(name);
      if (body == bodies.end() || body->second.called) return;
      body->second.called = true;
      --uncalled;
      running.insert(running.end(), body->second.commands.begin(), body->second.commands.end());
    };
    auto for_each_token = [](std::string_view value, auto&& take) {
      auto in_name = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == ':' || c == '.';
      };
      for (size_t at = 0; at < value.size();) {
        while (at < value.size() && !in_name(value[at])) ++at;
        size_t begin = at;
        while (at < value.size() && in_name(value[at])) ++at;
        if (at > begin) take(begin, at);
      }
    };
    auto call_named = [&](std::string_view value) {
      for_each_token(value, [&](size_t begin, size_t end) { call(value.substr(begin, end - begin)); });
    };
    // What the parser could not read may call anything its text names: every word of it counts,
    // but for the names it defines (`name() {`, `function name`).
    for (const StartupPart& part : startup_.parts) {
      if (!part.script->truncated && !part.script->has_syntax_errors) continue;
      if (!part.file) return;
      std::string_view text = part.file->text();
      std::string_view previous;
      for_each_token(text, [&](size_t begin, size_t end) {
        std::string_view word = text.substr(begin, end - begin);
        size_t after = text.find_first_not_of(" \t", end);
        bool defined_here = previous == "function" || (after != std::string_view::npos && text.substr(after, 2) == "()");
        if (!defined_here) call(word);
        previous = word;
      });
    }
    // Calls what the program may be; false when that cannot be told.
    auto program_known = [&](const shell::Word& program) {
      if (!program.has_expansion || passes_arguments(program)) return true;
      std::string_view value = program.value;
      if (value.size() == 2 && value[0] == '$' && value[1] >= '0' && value[1] <= '9') return true;
      if (value.size() == 4 && value.substr(0, 2) == "${" && value[2] >= '0' && value[2] <= '9' && value[3] == '}')
        return true;
      // `if \`composer config ...\`; then`: the output of a command, which names no function of
      // the script's.
      if (value.starts_with('`') || value.starts_with("$(")) return true;
      std::string_view variable = shell::named_variable(program);
      if (variable.empty()) return false;
      bool assigned = false;
      for (const StartupPart& part : startup_.parts) {
        for (const shell::Assignment& assignment : part.script->assignments) {
          if (assignment.name != variable) continue;
          assigned = true;
          std::string_view assigned_value = assignment.value.value;
          size_t first = assigned_value.find_first_not_of(" \t\n");
          if (first != std::string_view::npos && (assigned_value[first] == '$' || assigned_value[first] == '`'))
            return false;
          call_named(assigned_value);
        }
      }
      if (assigned) return true;
      const docker::Variable* set = dockerfile_.variable(*startup_.stage, startup_.stage->instructions.size(), variable);
      if (!set || set->kind != docker::Variable::Kind::Env || !set->known) return false;
      call_named(set->value);
      return true;
    };
    // `running` grows as calls are found: the bodies of called functions run too.
    for (size_t next = 0; next < running.size() && uncalled > 0; ++next) {
      auto [part, index] = running[next];
      const shell::Command& command = startup_.parts[part].script->commands[index];
      const shell::Word* program = shell::effective_program(command);
      if (program && !program_known(*program)) return;
      bool evaluates = shell::effective_program_name(command) == "eval";
      call_named(command.name.value);
      for (const shell::Word& argument : command.arguments) {
        if (evaluates && argument.has_expansion) return;
        call_named(argument.value);
      }
    }
    if (uncalled == 0) return;
    for (const auto& [name, body] : bodies) {
      if (body.called) continue;
      for (auto [part, index] : body.commands) {
        std::vector<std::string_view>& uncalled = startup_.parts[part].uncalled_functions;
        if (std::find(uncalled.begin(), uncalled.end(), name) == uncalled.end()) uncalled.push_back(name);
      }
    }
  }

  // A script that only an uncalled function runs is not run at start, nor what it runs in turn.
  void drop_parts_run_only_by_uncalled_functions() {
    std::vector<StartupPart>& parts = startup_.parts;
    std::vector<size_t> renumbered(parts.size(), kNoRunner);
    size_t kept = 0;
    for (size_t index = 0; index < parts.size(); ++index) {
      const StartupPart& part = parts[index];
      if (part.runner != kNoRunner) {
        // Runners come before the scripts they run.
        if (part.runner >= index || renumbered[part.runner] == kNoRunner) continue;
        const StartupPart& runner = parts[part.runner];
        if (part.runner_command < runner.script->commands.size() &&
            !runner.runs(runner.script->commands[part.runner_command]))
          continue;
      }
      renumbered[index] = kept++;
    }
    if (kept == parts.size()) return;
    std::vector<StartupPart> result;
    result.reserve(kept);
    for (size_t index = 0; index < parts.size(); ++index) {
      if (renumbered[index] == kNoRunner) continue;
      StartupPart& part = parts[index];
      if (part.runner != kNoRunner) part.runner = renumbered[part.runner];
      result.push_back(std::move(part));
    }
    parts = std::move(result);
  }

  const docker::Dockerfile& dockerfile_;
  ImageStartup startup_;
  std::vector<std::string> seen_;
  size_t scripts_ = 0;
  size_t init_scripts_ = 0;  // run from an init system's folders (kMaxInitScripts)
};

}  // namespace

namespace {
// A `${X:-...}` default as written inside the braces: a plain value, possibly quoted (`"/docker"`).
std::optional<std::string_view> unquoted_default(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    text = text.substr(1, text.size() - 2);
  if (text.find_first_of("$`\"'\\ ") != std::string_view::npos) return std::nullopt;
  return text;
}

// The default `: "${NAME:=/docker}"` gives NAME when nothing set it before (the `:` builtin at the
// script's level).
std::optional<std::string_view> script_default(const shell::Script& script, std::string_view name) {
  for (const shell::Command& command : script.commands) {
    if (command.shell_string_depth != 0 || command.in_function() || command.name.value != ":") continue;
    for (const shell::Word& argument : command.arguments) {
      std::string_view value = argument.value;
      if (value.size() < name.size() + 5 || !value.starts_with("${") || value.back() != '}' ||
          value.substr(2, name.size()) != name || value.substr(2 + name.size(), 2) != ":=")
        continue;
      std::string_view written = value.substr(4 + name.size(), value.size() - 5 - name.size());
      if (auto plain = unquoted_default(written)) return plain;
      // A default built from another variable, `: "${D_ROOT:="${ROOT}/entrypoint.d/"}"` (pixelfed):
      // returned as written, quotes off, for runtime_value to expand in turn.
      if (written.size() >= 2 && written.front() == '"' && written.back() == '"') written = written.substr(1, written.size() - 2);
      if (written.find('$') != std::string_view::npos && written.find_first_of("`\"' ") == std::string_view::npos &&
          written.find("$(") == std::string_view::npos)
        return written;
      return std::nullopt;
    }
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> runtime_value(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                                         const shell::Script& script, const shell::Word& word) {
  if (word.is_literal()) return std::string(word.value);
  std::string_view value = word.value;
  std::string result;
  for (size_t at = 0; at < value.size();) {
    if (value[at] != '$') {
      result += value[at++];
      continue;
    }
    size_t begin = at + 1;
    bool braced = begin < value.size() && value[begin] == '{';
    if (braced) ++begin;
    size_t end = begin;
    while (end < value.size() && (std::isalnum(static_cast<unsigned char>(value[end])) || value[end] == '_')) ++end;
    if (end == begin || std::isdigit(static_cast<unsigned char>(value[begin]))) return std::nullopt;
    // `${X:-/default}` or `${X:=/default}`: the default when neither the image nor the script sets X.
    std::optional<std::string_view> inline_default;
    size_t close = end;
    if (braced && end + 1 < value.size() && value[end] == ':' && (value[end + 1] == '-' || value[end + 1] == '=')) {
      close = value.find('}', end);
      if (close == std::string_view::npos) return std::nullopt;
      inline_default = unquoted_default(value.substr(end + 2, close - end - 2));
      if (!inline_default) return std::nullopt;
    } else if (braced && (end >= value.size() || value[end] != '}')) {
      return std::nullopt;  // ${X#p}, ${X:+y}
    }
    std::string_view name = value.substr(begin, end - begin);
    std::optional<std::string_view> set_by_script;
    size_t assignments = 0;
    for (const shell::Assignment& assignment : script.assignments) {
      if (assignment.name != name) continue;
      ++assignments;
      if (assignment.declaration != "for" && assignment.shell_string_depth == 0 && assignment.value.is_literal())
        set_by_script = assignment.value.value;
    }
    // The script sets it once, to a plain value (`ROOT=/docker`), or gives it a default with the
    // `: "${ROOT:=/docker}"` idiom (pixelfed's entrypoint): that value.
    if (assignments == 0) set_by_script = script_default(script, name);
    else if (assignments > 1) set_by_script.reset();
    if (assignments > 0 && !set_by_script) return std::nullopt;
    const docker::Variable* variable = dockerfile.variable(stage, stage.instructions.size(), name);
    bool from_image = variable && variable->kind == docker::Variable::Kind::Env && variable->known;
    // A script default that names another variable is expanded in turn (a level or two deep).
    auto expand_default = [&](std::string_view text) -> bool {
      if (text.find('$') == std::string_view::npos) {
        result += text;
        return true;
      }
      thread_local int depth = 0;
      if (depth >= 2) return false;
      shell::Word inner;
      inner.text = text;
      inner.value = text;
      inner.has_expansion = true;
      ++depth;
      std::optional<std::string> expanded = runtime_value(dockerfile, stage, script, inner);
      --depth;
      if (!expanded) return false;
      result += *expanded;
      return true;
    };
    if (assignments > 0) {
      result += *set_by_script;
    } else if (from_image) {
      result += variable->value;
    } else if (set_by_script) {
      if (!expand_default(*set_by_script)) return std::nullopt;
    } else if (inline_default) {
      result += *inline_default;
    } else {
      return std::nullopt;
    }
    at = braced ? close + 1 : end;
  }
  return result;
}


namespace {
// The words of `text` separated by blanks (spaces, tabs, carriage returns), appended to `words`.
void append_blank_separated(std::string_view text, std::vector<std::string_view>& words) {
  for (size_t at = 0; at < text.size();) {
    size_t begin = text.find_first_not_of(" \t\r", at);
    if (begin == std::string_view::npos) break;
    size_t end = std::min(text.find_first_of(" \t\r", begin), text.size());
    words.push_back(text.substr(begin, end - begin));
    at = end;
  }
}

bool is_init_program(std::string_view name) {
  return name == "dumb-init" || name == "tini" || name == "tini-static" || name == "catatonit" || name == "docker-init";
}
}  // namespace

bool is_shell_script_text(std::string_view text, std::string_view path) {
  if (text.substr(0, 2) != "#!") {
    static constexpr std::array<std::string_view, 16> kOtherLanguages = {
        ".js", ".mjs", ".cjs", ".ts", ".py", ".rb", ".php", ".pl", ".jar", ".java", ".go", ".lua", ".exs", ".ex", ".cs", ".R"};
    std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
    return std::none_of(kOtherLanguages.begin(), kOtherLanguages.end(),
                        [&](std::string_view extension) { return name.size() > extension.size() && name.ends_with(extension); });
  }
  std::string_view line = text.substr(2, text.find('\n') == std::string_view::npos ? text.size() : text.find('\n') - 2);
  auto next_word = [&line]() {
    size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return std::string_view();
    size_t end = line.find_first_of(" \t\r", begin);
    std::string_view word = line.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
    return word;
  };
  auto base = [](std::string_view word) { return word.substr(word.rfind('/') == std::string_view::npos ? 0 : word.rfind('/') + 1); };
  std::string_view interpreter = base(next_word());
  // An init in front (`#!/usr/bin/dumb-init /bin/bash`, myoung34's runner images), its options and `--`.
  if (is_init_program(interpreter)) {
    interpreter = next_word();
    while (!interpreter.empty() && interpreter.front() == '-') interpreter = next_word();
    interpreter = base(interpreter);
  }
  // env, and s6-overlay's with-contenv (`#!/usr/bin/with-contenv bash`), run the interpreter after them.
  if (interpreter == "env" || interpreter == "with-contenv") {
    interpreter = next_word();
    while (!interpreter.empty() && interpreter.front() == '-') interpreter = next_word();  // env -S
  }
  return shell::is_shell(interpreter);
}

bool shebang_init_signals_group(std::string_view text) {
  if (text.substr(0, 2) != "#!") return false;
  std::string_view line = text.substr(2, text.find('\n') == std::string_view::npos ? text.size() - 2 : text.find('\n') - 2);
  std::vector<std::string_view> words;
  append_blank_separated(line, words);
  if (words.empty()) return false;
  std::string_view init = words[0].substr(words[0].rfind('/') == std::string_view::npos ? 0 : words[0].rfind('/') + 1);
  bool dumb_init = init == "dumb-init";
  if (!dumb_init && init != "tini" && init != "tini-static") return false;
  bool group = dumb_init;
  for (size_t i = 1; i < words.size() && words[i].front() == '-'; ++i) {
    if (dumb_init && (words[i] == "-c" || words[i] == "--single-child")) group = false;
    if (!dumb_init && words[i] == "-g") group = true;
  }
  return group;
}

const StartupPart* ImageStartup::entrypoint() const {
  return !parts.empty() && parts[0].kind == StartupPart::Kind::Entrypoint ? &parts[0] : nullptr;
}

const StartupPart* ImageStartup::cmd() const {
  for (const StartupPart& part : parts)
    if (part.kind == StartupPart::Kind::Cmd) return &part;
  return nullptr;
}

const ImageStartup& image_startup(const docker::Dockerfile& dockerfile) {
  // Ten rules ask for the same startup; it follows scripts through the build context on disk, so it
  // is built once per file, inside the engine's per-file scope (instruction_script_scope()).
  struct Cached {
    uint64_t scope = 0;
    const docker::Dockerfile* dockerfile = nullptr;
    ImageStartup startup;
  };
  thread_local Cached cached;
  uint64_t scope = docker::instruction_script_scope();
  if (scope == 0 || cached.scope != scope || cached.dockerfile != &dockerfile) {
    cached.startup = Builder(dockerfile).build();
    cached.scope = scope;
    cached.dockerfile = &dockerfile;
  }
  return cached.startup;
}

std::vector<uint32_t> ending_commands(const shell::Script& script) {
  std::vector<uint32_t> result;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& command = script.commands[index];
    if (!command.ends_script || command.parent != shell::kNoParent || command.shell_string_depth != 0 ||
        command.in_function() || command.in_condition || command.in_command_substitution ||
        command.in_process_substitution)
      continue;
    result.push_back(index);
  }
  return result;
}

bool passes_arguments(const shell::Word& word) {
  std::string_view value = word.value;
  for (std::string_view form : {"$@", "${@}", "$*", "${*}"})
    if (value.find(form) != std::string_view::npos) return true;
  return false;
}

Finding& report_in_part(RuleContext& context, const docker::Dockerfile& dockerfile, const StartupPart& part,
                        Span span, std::string message) {
  Finding& finding = context.report(*part.file, span, std::move(message));
  if (part.kind == StartupPart::Kind::Script && dockerfile.file && part.instruction) {
    RelatedLocation related;
    related.location = make_location(*dockerfile.file, part.instruction->span);
    related.message = how_script_runs(part);
    finding.related.push_back(std::move(related));
  }
  return finding;
}

std::string how_script_runs(const StartupPart& part) {
  // What starts the chain: the ENTRYPOINT or CMD, or s6-overlay's /init (the image's, or the one
  // its base image sets).
  std::string starter;
  if (part.instruction->is("FROM") && !part.instruction->arguments.empty())
    starter = fmt::format("s6-overlay's /init, the ENTRYPOINT this image inherits from {},",
                          part.instruction->arguments.front().text);
  else if (part.run_by_init == StartupPart::Init::S6Overlay)
    starter = fmt::format("s6-overlay's /init, the image's {},", part.instruction->keyword);
  else if (part.run_by_init == StartupPart::Init::MyInit)
    starter = fmt::format("my_init, the image's {},", part.instruction->keyword);
  else
    starter = fmt::format("the image's {}", part.instruction->keyword);
  if (!part.runner_name.empty()) {
    if (starter.ends_with(',')) starter.pop_back();
    return fmt::format("{} runs {} ({} in the image), started by {}", part.runner_name, part_name(part),
                       part.context_file.image_path, starter);
  }
  return fmt::format("{} runs {} ({} in the image){}", starter, part_name(part), part.context_file.image_path,
                     part.run_by_init != StartupPart::Init::None ? " at every start" : "");
}

std::string command_text(const SourceFile& file, Span span) {
  std::string_view line = file.line(span.begin.line);
  size_t begin = std::min<size_t>(span.begin.column - 1, line.size());
  size_t end = span.end.line == span.begin.line ? std::min<size_t>(span.end.column - 1, line.size()) : line.size();
  std::string text(line.substr(begin, end - begin));
  while (!text.empty() && (text.back() == '\\' || text.back() == ' ')) text.pop_back();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

std::string part_subject(const StartupPart& part) {
  if (part.kind != StartupPart::Kind::Script) return part_name(part);
  if (part.run_by_init == StartupPart::Init::S6Overlay)
    return fmt::format("the s6-overlay init script {}", part_name(part));
  if (part.run_by_init == StartupPart::Init::MyInit) return fmt::format("the my_init script {}", part_name(part));
  return fmt::format("the {} script {}", part.instruction && part.instruction->is("CMD") ? "CMD" : "entrypoint",
                     part_name(part));
}

namespace {

// The arguments the image's default start gives the script `part`, when it is the script an
// exec-form ENTRYPOINT or CMD runs and the words it gets are literal: `ENTRYPOINT
// ["/sbin/entrypoint.sh"]` with `CMD ["app:start"]` gives {"app:start"}; `CMD ["/scripts/init"]`
// gives none.
std::optional<std::vector<std::string>> default_arguments(const ImageStartup& startup, const StartupPart& part) {
  if (part.run_by_init != StartupPart::Init::None) return std::vector<std::string>{};
  if (part.kind != StartupPart::Kind::Script || part.runner >= startup.parts.size() || part.runner_command != 0)
    return std::nullopt;
  const StartupPart& runner = startup.parts[part.runner];
  if (runner.kind == StartupPart::Kind::Script || runner.instruction->form != docker::Form::Exec) return std::nullopt;
  std::string_view script_name = part.context_file.image_path;
  script_name = script_name.substr(script_name.rfind('/') == std::string_view::npos ? 0 : script_name.rfind('/') + 1);
  std::vector<std::string> words;
  bool after_script = false;
  for (const docker::Word& word : runner.instruction->arguments) {
    std::string_view text = word.text;
    std::string_view name = text.substr(text.rfind('/') == std::string_view::npos ? 0 : text.rfind('/') + 1);
    if (after_script) words.emplace_back(text);
    else if (!script_name.empty() && name == script_name) after_script = true;
  }
  if (!after_script) return std::nullopt;
  if (words.empty() && runner.kind == StartupPart::Kind::Entrypoint) {
    // Docker appends the CMD to an exec-form ENTRYPOINT; an ENTRYPOINT set without one drops the
    // base image's, and a CMD the base image sets is not known here.
    const docker::ImageConfig& config = startup.stage->config;
    const docker::Instruction* cmd = config.cmd && config.cmd->valid ? config.cmd : nullptr;
    if (!cmd && !config.cmd_reset) return std::nullopt;
    if (cmd && cmd->form != docker::Form::Exec) return std::nullopt;
    if (cmd)
      for (const docker::Word& word : cmd->arguments) words.emplace_back(word.text);
  }
  // Docker does not expand exec-form words; a `$` there is most likely a mistake, not a mode.
  for (const std::string& word : words)
    if (word.find('$') != std::string::npos) return std::nullopt;
  return words;
}

// Whether the image's default start goes through a branch: its arguments pick it, or pass it by.
enum class Selection : uint8_t { Taken, Passed, Unknown };

Selection combined(Selection left, Selection right) {
  if (left == Selection::Passed || right == Selection::Passed) return Selection::Passed;
  if (left == Selection::Unknown || right == Selection::Unknown) return Selection::Unknown;
  return Selection::Taken;
}

// A case item tested on "$1": the first item of its statement with a pattern matching the first
// argument is the one the shell picks.
Selection case_selection(const shell::Script& script, uint32_t branch_index, std::span<const std::string> arguments) {
  const shell::CaseBranch& branch = script.case_branches[branch_index];
  std::string_view subject = branch.subject;
  if (subject != "$1" && subject != "\"$1\"" && subject != "${1}" && subject != "\"${1}\"") return Selection::Unknown;
  std::string first_argument = arguments.empty() ? std::string() : arguments.front();
  for (uint32_t index = branch.first_of_statement;
       index < script.case_branches.size() && script.case_branches[index].first_of_statement == branch.first_of_statement;
       ++index) {
    for (std::string_view pattern : script.case_branches[index].patterns) {
      std::string unquoted;
      for (char c : pattern)
        if (c != '"' && c != '\'') unquoted += c;
      if (unquoted.find('$') != std::string::npos) return Selection::Unknown;
      if (fnmatch(unquoted.c_str(), first_argument.c_str(), 0) == 0)
        return index == branch_index ? Selection::Taken : Selection::Passed;
    }
  }
  return Selection::Passed;
}

// A command that changes the script's positional parameters: `shift`, `set -- a b`, `set x`.
bool sets_positional_parameters(const shell::Command& command) {
  std::string_view name = command.name.value;
  if (name == "shift") return true;
  if (name != "set") return false;
  for (size_t index = 0; index < command.arguments.size(); ++index) {
    std::string_view value = command.arguments[index].value;
    if (value == "-o" || value == "+o") {
      ++index;  // the option's name
    } else if (value == "--" || value == "-" || (!value.starts_with('-') && !value.starts_with('+'))) {
      return true;
    }
  }
  return false;
}

// The positional parameters of one script of the default start, before each of its commands: the
// arguments it is given, then what the top-level `set --` and `shift` it runs make of them. Unknown
// (nullopt) from a change whose branch or words are not known.
class DefaultArguments {
 public:
  using Arguments = std::optional<std::vector<std::string>>;

  DefaultArguments(const shell::Script& script, Arguments given) : script_(script), given_(std::move(given)) {
    if (!given_) return;
    for (uint32_t index = 0; index < script.commands.size(); ++index) {
      const shell::Command& command = script.commands[index];
      if (command.in_function() || command.parent != shell::kNoParent || !sets_positional_parameters(command))
        continue;
      const Arguments& before = before_command(index);
      if (!before) break;
      Selection runs = command.in_loop || command.connector == shell::Connector::And ||
                               command.connector == shell::Connector::Or || command.in_condition
                           ? Selection::Unknown
                           : selection(command, index);
      if (runs == Selection::Passed) continue;
      changes_.emplace_back(index, runs == Selection::Taken ? applied(command, *before) : std::nullopt);
      if (!changes_.back().second) break;  // unknown from here on
    }
  }

  // The parameters when commands[index] runs.
  const Arguments& before_command(uint32_t index) const {
    const Arguments* current = &given_;
    for (const auto& [at, after] : changes_) {
      if (at >= index) break;
      current = &after;
    }
    return *current;
  }

  // Whether the default start reaches commands[index], by the if and case branches holding it.
  Selection selection(const shell::Command& command, uint32_t index) const {
    if (!command.in_branch) return Selection::Taken;
    // A function's tests are of its own arguments.
    if (command.in_function()) return Selection::Unknown;
    Selection result = Selection::Taken;
    if (command.case_branch != shell::kNoParent) {
      const Arguments& arguments = before_command(index);
      result = arguments ? case_selection(script_, command.case_branch, *arguments) : Selection::Unknown;
    }
    for (uint32_t branch = command.if_branch; branch != shell::kNoParent && result != Selection::Passed;
         branch = script_.if_branches[branch].enclosing)
      result = combined(result, if_selection(branch));
    if (command.case_branch == shell::kNoParent && command.if_branch == shell::kNoParent) return Selection::Unknown;
    return result;
  }

 private:
  // An if statement's branch is taken when its test is true and every test before it in the
  // statement false. Found once per branch: every command in it asks.
  Selection if_selection(uint32_t branch_index) const {
    if (if_selections_.empty()) if_selections_.assign(script_.if_branches.size(), kNotFound);
    uint8_t& known = if_selections_[branch_index];
    if (known == kNotFound) known = static_cast<uint8_t>(find_if_selection(branch_index));
    return static_cast<Selection>(known);
  }

  Selection find_if_selection(uint32_t branch_index) const {
    const shell::IfBranch& branch = script_.if_branches[branch_index];
    const Arguments& arguments = before_command(branch.first_command);
    if (!arguments) return Selection::Unknown;
    bool unknown = false;
    for (uint32_t index = branch.first_of_statement; index <= branch_index; ++index) {
      const shell::IfBranch& earlier = script_.if_branches[index];
      if (earlier.first_of_statement != branch.first_of_statement) continue;  // a nested statement's
      if (earlier.is_else) break;
      std::optional<bool> test = shell::evaluate_argument_test(earlier.condition, *arguments);
      if (!test) {
        unknown = true;
      } else if (*test != (index == branch_index)) {
        return Selection::Passed;
      }
    }
    return unknown ? Selection::Unknown : Selection::Taken;
  }

  // `set -- server "$@"` or `shift 2` applied to `before`; nullopt for words not known.
  static Arguments applied(const shell::Command& command, const std::vector<std::string>& before) {
    if (command.name.value == "shift") {
      size_t count = 1;
      if (!command.arguments.empty()) {
        std::string_view value = command.arguments[0].value;
        if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string_view::npos)
          return std::nullopt;
        count = std::stoul(std::string(value));
      }
      if (count > before.size()) return before;  // the shell refuses and leaves them
      return std::vector<std::string>(before.begin() + static_cast<std::ptrdiff_t>(count), before.end());
    }
    std::vector<std::string> after;
    bool operands = false;
    for (size_t index = 0; index < command.arguments.size(); ++index) {
      const shell::Word& word = command.arguments[index];
      std::string_view value = word.value;
      if (!operands) {
        if (value == "-o" || value == "+o") {
          ++index;
          continue;
        }
        if (value == "--" || value == "-") {
          operands = true;
          continue;
        }
        if (value.starts_with('-') || value.starts_with('+')) continue;
        operands = true;
      }
      if (passes_arguments(word) && word.text.starts_with('"')) {
        after.insert(after.end(), before.begin(), before.end());
      } else if (word.is_literal()) {
        after.emplace_back(value);
      } else {
        return std::nullopt;
      }
    }
    return after;
  }

  static constexpr uint8_t kNotFound = 0xff;
  const shell::Script& script_;
  Arguments given_;
  mutable std::vector<uint8_t> if_selections_;  // Selection by if branch, kNotFound until asked
  // The commands that change the parameters, in order, and the parameters after each.
  std::vector<std::pair<uint32_t, Arguments>> changes_;
};

// The functions the startup's scripts define, by what a call to one runs. Across the parts: an
// entrypoint calls what the `functions` file it sources defines.
struct Functions {
  // Those that run their arguments as a command (`exec_as_git() { sudo -HEu git "$@"; }`,
  // `run() { echo "+ $*"; "$@"; }`): a call to one runs what it is given.
  std::vector<std::string_view> passthrough;
  // A command in a function's body that takes the function's arguments as its own
  // (`execute_raketask() { exec_as_redmine bundle exec rake $@; }`): a call to the function runs
  // it with the call's arguments.
  struct Forwarding {
    std::string_view function;
    const shell::Command* command;
  };
  std::vector<Forwarding> forwarding;
  // Those that run one of their arguments as a shell command line (`run_as() { su -p "$user" -s
  // /bin/sh -c "$1"; }`, as Nextcloud's entrypoint has it): `run_as 'php occ upgrade'` runs `php
  // occ upgrade`.
  struct StringRunner {
    std::string_view function;
    size_t argument;  // 0 for `$1`
    // `--command "$*"`: the arguments from `argument` on, joined into the command line (after
    // `target_user=$1; shift`, from the second: pixelfed's run-command-as).
    bool joined = false;
  };
  std::vector<StringRunner> string_runners;

  bool passes_through(std::string_view name) const {
    return std::find(passthrough.begin(), passthrough.end(), name) != passthrough.end();
  }
};

// The call argument(s) a word of a function's body stands for, when the whole word is one
// positional parameter: `$@` and `$*` all of them (`{0, SIZE_MAX}`), `$2` the second (`{1, 2}`).
std::optional<std::pair<size_t, size_t>> positional_parameter(const shell::Word& word) {
  std::string_view value = word.value;
  if (value == "$@" || value == "${@}" || value == "$*" || value == "${*}") return std::pair<size_t, size_t>{0, SIZE_MAX};
  if (value.size() == 2 && value[0] == '$' && value[1] >= '1' && value[1] <= '9')
    return std::pair<size_t, size_t>{value[1] - '1', value[1] - '0'};
  if (value.size() == 4 && value.substr(0, 2) == "${" && value[2] >= '1' && value[2] <= '9' && value[3] == '}')
    return std::pair<size_t, size_t>{value[2] - '1', value[2] - '0'};
  return std::nullopt;
}

Functions functions_of(const ImageStartup& startup) {
  Functions functions;
  // The pass-through functions first: a string runner may call one defined further down
  // (pixelfed's `stream-prefix-command-output su ... --command "${*}"`, whose helper runs "$@").
  for (const StartupPart& part : startup.parts)
    for (const shell::Command& command : part.script->commands) {
      if (!command.in_function() || command.in_command_substitution || command.in_process_substitution) continue;
      shell::EffectiveCommand effective = shell::effective_command(command);
      if (effective.program && !effective.shell_string &&
          (effective.program->value == "$@" || effective.program->value == "${@}") &&
          !functions.passes_through(command.function_name))
        functions.passthrough.push_back(command.function_name);
    }
  for (const StartupPart& part : startup.parts) {
    for (const shell::Command& command : part.script->commands) {
      if (!command.in_function() || command.in_command_substitution || command.in_process_substitution) continue;
      shell::EffectiveCommand effective = shell::effective_command(command);
      if (!effective.program) continue;
      // Behind a pass-through function of the script's own: what it is given to run.
      shell::Command behind;
      if (!effective.shell_string && functions.passes_through(effective.program_name()) &&
          !effective.arguments.empty() && effective.arguments.front().is_literal()) {
        behind.name = effective.arguments.front();
        behind.span = command.span;
        for (size_t index = 1; index < effective.arguments.size(); ++index) behind.arguments.push_back(effective.arguments[index]);
        shell::remember_chain(behind);
        shell::EffectiveCommand inner = shell::effective_command(behind);
        if (inner.program && inner.shell_string) effective = inner;
      }
      if (effective.shell_string) {
        std::optional<std::pair<size_t, size_t>> parameter = positional_parameter(*effective.shell_string);
        std::string_view string = effective.shell_string->value;
        bool joined = string == "$*" || string == "${*}";
        // Once per function, whichever branch (`su -c` as root, `sh -c` otherwise) runs the string.
        if (parameter && (parameter->second == parameter->first + 1 || joined) &&
            std::none_of(functions.string_runners.begin(), functions.string_runners.end(),
                         [&](const Functions::StringRunner& known) { return known.function == command.function_name; })) {
          // `shift`s in the function before it move the arguments `$*` stands for.
          size_t shifted = 0;
          for (const shell::Command* other = part.script->commands.data(); joined && other < &command; ++other) {
            if (other->function_name != command.function_name || shell::effective_program_name(*other) != "shift")
              continue;
            size_t count = 1;
            if (!other->arguments.empty()) {
              std::string_view by = other->arguments.front().value;
              count = by.size() == 1 && by[0] >= '1' && by[0] <= '9' ? static_cast<size_t>(by[0] - '0') : SIZE_MAX;
            }
            shifted = count == SIZE_MAX ? SIZE_MAX : shifted + count;
            if (shifted == SIZE_MAX) break;
          }
          if (shifted != SIZE_MAX)
            functions.string_runners.push_back({command.function_name, joined ? shifted : parameter->first, joined});
        }
        continue;
      }
      if (effective.program->value == "$@" || effective.program->value == "${@}") continue;  // counted above
      bool forwards = false;
      for (const shell::Word& argument : command.arguments) forwards = forwards || positional_parameter(argument);
      if (forwards) functions.forwarding.push_back({command.function_name, &command});
    }
  }
  return functions;
}

// `command` with the words that stand for the function's arguments replaced by `arguments`.
shell::Command with_arguments(const shell::Command& command, std::span<const shell::Word> arguments) {
  shell::Command result;
  result.name = command.name;
  result.span = command.span;
  for (const shell::Word& word : command.arguments) {
    std::optional<std::pair<size_t, size_t>> parameter = positional_parameter(word);
    if (!parameter) {
      result.arguments.push_back(word);
      continue;
    }
    for (size_t index = parameter->first; index < std::min(parameter->second, arguments.size()); ++index)
      result.arguments.push_back(arguments[index]);
  }
  shell::remember_chain(result);
  return result;
}

// The commands of a command line given as a string, as word lists: split at blanks, and at `;`,
// `&&`, `||` and `|` standing as words of their own. Quotes inside the string are not undone: the
// detectors compare program names and subcommands, which are rarely quoted.
void split_command_line(std::string_view line, std::vector<std::vector<std::string_view>>& resolved) {
  std::vector<std::string_view> words;
  auto flush = [&] {
    if (!words.empty()) resolved.push_back(std::move(words));
    words.clear();
  };
  size_t position = 0;
  while (position < line.size()) {
    size_t begin = line.find_first_not_of(" \t\n", position);
    if (begin == std::string_view::npos) break;
    size_t end = line.find_first_of(" \t\n", begin);
    if (end == std::string_view::npos) end = line.size();
    std::string_view word = line.substr(begin, end - begin);
    if (word == ";" || word == "&&" || word == "||" || word == "|") flush();
    else words.push_back(word);
    position = end;
  }
  flush();
}

// The words a call runs once the startup's functions are followed: wrappers stripped, calls to
// functions that run their arguments unwrapped (`exec_as_git bundle exec rake db:migrate` is `rake
// db:migrate`), and a call to a function that hands its arguments to a command replaced by that
// command (`execute_raketask db:migrate` is `rake db:migrate`), a few levels deep. Adds one list of
// words per command the call comes to; none when nothing runs.
void resolve_call(const shell::Command& command, const Functions& functions, int depth,
                  std::vector<std::vector<std::string_view>>& resolved) {
  // Functions that forward to several commands each, calling one another, could multiply.
  constexpr size_t kMostPerCall = 32;
  if (resolved.size() >= kMostPerCall) return;
  shell::EffectiveCommand effective = shell::effective_command(command);
  if (!effective.program || effective.shell_string) return;
  if (depth < 4 && !effective.arguments.empty() && functions.passes_through(effective.name)) {
    shell::Command inner;
    inner.name = effective.arguments.front();
    inner.span = command.span;
    for (const shell::Word& word : effective.arguments.subspan(1)) inner.arguments.push_back(word);
    shell::remember_chain(inner);
    resolve_call(inner, functions, depth + 1, resolved);
    return;
  }
  std::vector<std::string_view>& words = resolved.emplace_back();
  words.reserve(1 + effective.arguments.size());  // one allocation, not one per doubling
  words.push_back(effective.program->value);
  for (const shell::Word& argument : effective.arguments) words.push_back(argument.value);
  if (depth >= 4) return;
  for (const Functions::StringRunner& runner : functions.string_runners) {
    if (runner.function != effective.name || runner.argument >= effective.arguments.size()) continue;
    if (runner.joined) {
      // The arguments joined with blanks and split again: one command line, whichever way the call
      // quotes it (`run_as php artisan migrate` or `run_as "php artisan migrate"`).
      std::vector<std::string_view>& words = resolved.emplace_back();
      for (size_t index = runner.argument; index < effective.arguments.size(); ++index)
        append_blank_separated(effective.arguments[index].value, words);
      if (words.empty()) resolved.pop_back();
      continue;
    }
    split_command_line(effective.arguments[runner.argument].value, resolved);
    if (resolved.size() > kMostPerCall) resolved.resize(kMostPerCall);  // a string of many `;`
  }
  if (functions.forwarding.empty()) return;
  for (const Functions::Forwarding& forwarding : functions.forwarding)
    if (forwarding.function == effective.name && forwarding.command != &command)
      resolve_call(with_arguments(*forwarding.command, effective.arguments), functions, depth + 1, resolved);
}

}  // namespace

const std::vector<StartupCommand>& startup_commands(const ImageStartup& startup) {
  if (startup.commands) return *startup.commands;
  std::vector<StartupCommand>& result = startup.commands.emplace();
  size_t most = 0;  // sized once: an entrypoint script holds hundreds of commands
  for (const StartupPart& part : startup.parts) most += part.script->commands.size();
  result.reserve(most);
  Functions functions = functions_of(startup);
  std::vector<std::vector<std::string_view>> resolved;
  for (const StartupPart& part : startup.parts) {
    bool dispatch = part.kind == StartupPart::Kind::Script && dispatches_run_modes(*part.script);
    std::optional<DefaultArguments> arguments;
    // Only a script with branches has tests of its arguments to read.
    if (part.kind == StartupPart::Kind::Script &&
        (!part.script->if_branches.empty() || !part.script->case_branches.empty()))
      arguments.emplace(*part.script, default_arguments(startup, part));
    for (uint32_t index = 0; index < part.script->commands.size(); ++index) {
      const shell::Command& command = part.script->commands[index];
      if (command.in_command_substitution || command.in_process_substitution || !part.runs(command)) continue;
      resolved.clear();
      resolve_call(command, functions, 0, resolved);
      if (resolved.empty()) continue;
      // The branch the image's default start takes is no one-off mode: every replica runs it. One
      // its arguments pass by is (`if [ "$1" = migrate ]` under `CMD ["server"]`); one that cannot
      // be told is when the script dispatches on its arguments.
      Selection selection = arguments ? arguments->selection(command, index) : Selection::Unknown;
      bool run_mode = command.in_branch && (selection == Selection::Passed || (selection == Selection::Unknown && dispatch));
      for (std::vector<std::string_view>& words : resolved)
        result.push_back(StartupCommand{&part, index, &command, std::move(words), run_mode, std::nullopt});
    }
  }
  return result;
}

const std::vector<detect::StartupWork>& startup_work(const StartupCommand& command) {
  if (!command.work) command.work = detect::detect_startup_work(command.words);
  return *command.work;
}

namespace {

// The variables a condition tests for emptiness: `NAME` in `[[ -z "${NAME}" ]]`, `[ -z "$NAME" ]`.
std::vector<std::string_view> emptiness_tests(std::string_view condition) {
  std::vector<std::string_view> names;
  for (size_t at = condition.find("-z"); at != std::string_view::npos; at = condition.find("-z", at + 2)) {
    if (at > 0 && condition[at - 1] != ' ' && condition[at - 1] != '[' && condition[at - 1] != '\t') continue;
    size_t word = at + 2;
    if (word >= condition.size() || (condition[word] != ' ' && condition[word] != '\t')) continue;
    while (word < condition.size() && (condition[word] == ' ' || condition[word] == '\t')) ++word;
    if (word < condition.size() && condition[word] == '"') ++word;
    if (word >= condition.size() || condition[word] != '$') continue;
    ++word;
    bool braced = word < condition.size() && condition[word] == '{';
    if (braced) ++word;
    size_t end = word;
    while (end < condition.size() && (std::isalnum(static_cast<unsigned char>(condition[end])) || condition[end] == '_')) ++end;
    if (end == word || (braced && (end >= condition.size() || condition[end] != '}'))) continue;
    names.push_back(condition.substr(word, end - word));
  }
  return names;
}

// The first branch of the if statement holding the command's innermost branch, at the script's
// level: the index in Script::if_branches, or kNoParent.
uint32_t top_if_statement(const shell::Script& script, uint32_t branch) {
  for (size_t hops = 0; branch != shell::kNoParent && hops <= script.if_branches.size(); ++hops) {
    const shell::IfBranch& held = script.if_branches[branch];
    if (held.enclosing == shell::kNoParent) return held.first_of_statement;
    branch = held.enclosing;
  }
  return shell::kNoParent;
}

}  // namespace

bool after_opt_in_guard(const docker::Dockerfile& dockerfile, const StartupPart& part, uint32_t index) {
  if (part.kind != StartupPart::Kind::Script || !part.script || part.script->if_branches.empty()) return false;
  const shell::Script& script = *part.script;
  const docker::Stage* stage = dockerfile.final_stage();
  if (index >= script.commands.size() || !stage) return false;
  const shell::Command& command = script.commands[index];
  if (command.in_function() || command.shell_string_depth != 0) return false;
  for (uint32_t branch = 0; branch < script.if_branches.size(); ++branch) {
    const shell::IfBranch& guard = script.if_branches[branch];
    if (guard.is_else || guard.enclosing != shell::kNoParent || guard.first_of_statement != branch) continue;
    std::vector<std::string_view> names = emptiness_tests(guard.condition);
    if (names.empty()) continue;
    // The branch ends the script successfully (`exit 0`), and the command comes after the statement.
    uint32_t last_in_branch = shell::kNoParent, statement_end = 0;
    for (uint32_t at = 0; at < script.commands.size(); ++at) {
      const shell::Command& inside = script.commands[at];
      if (inside.if_branch == branch && !inside.in_function()) last_in_branch = at;
      if (inside.if_branch != shell::kNoParent && top_if_statement(script, inside.if_branch) == branch) statement_end = at;
    }
    if (last_in_branch == shell::kNoParent || index <= statement_end) continue;
    const shell::Command& exit = script.commands[last_in_branch];
    // (A bare `exit` after a message is as often a required variable's error: snipe-it's APP_KEY.)
    if (exit.name.value != "exit" || exit.arguments.size() != 1 || exit.arguments[0].value != "0") continue;
    // Unset unless someone sets it: not the script (also not through a helper named with it,
    // `file_env APP_KEY`), not the image's ENV.
    bool unset = std::all_of(names.begin(), names.end(), [&](std::string_view name) {
      bool assigned = std::any_of(script.assignments.begin(), script.assignments.end(),
                                  [&](const shell::Assignment& assignment) { return assignment.name == name; }) ||
                      std::any_of(script.commands.begin(), script.commands.end(), [&](const shell::Command& other) {
                        return std::any_of(other.arguments.begin(), other.arguments.end(),
                                           [&](const shell::Word& word) { return word.value == name; });
                      });
      const docker::Variable* variable = dockerfile.variable(*stage, stage->instructions.size(), name);
      return !assigned && !(variable && variable->kind == docker::Variable::Kind::Env);
    });
    if (unset) return true;
  }
  return false;
}

bool dispatches_run_modes(const shell::Script& script) {
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& command = script.commands[index];
    if (!command.in_branch || command.parent != shell::kNoParent || command.in_function() || command.in_condition)
      continue;
    shell::EffectiveCommand effective = shell::effective_command(script, index);
    if (!effective.exec || !effective.program) continue;
    // `exec gosu app "$0" "$@"`: the script starts again as another user and goes on to what it
    // runs by default; no mode is picked.
    std::string_view program = effective.program->value;
    if (program == "$0" || program == "${0}" || program == "$BASH_SOURCE" || program == "${BASH_SOURCE}" ||
        program == "${BASH_SOURCE[0]}")
      continue;
    return true;
  }
  return false;
}

std::string part_name(const StartupPart& part) {
  switch (part.kind) {
    case StartupPart::Kind::Entrypoint: return "ENTRYPOINT";
    case StartupPart::Kind::Cmd: return "CMD";
    case StartupPart::Kind::Script:
      return part.context_file.display_path.empty() ? part.context_file.image_path : part.context_file.display_path;
  }
  return "";
}

}  // namespace shiftlint::dkr
