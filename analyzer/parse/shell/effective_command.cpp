#include "analyzer/parse/shell/effective_command.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "analyzer/parse/shell/package_install.h"

namespace shiftlint::shell {

namespace {

// The words of a command as one sequence: 0 is the name, i > 0 is arguments[i - 1].
class Words {
 public:
  explicit Words(const Command& command) : command_(command) {}
  size_t size() const { return command_.name.empty() ? 0 : command_.arguments.size() + 1; }
  const Word& at(size_t index) const { return index == 0 ? command_.name : command_.arguments[index - 1]; }
  std::string_view value(size_t index) const { return index < size() ? std::string_view(at(index).value) : ""; }
  // The words after `index`.
  std::span<const Word> after(size_t index) const {
    return std::span<const Word>(command_.arguments).subspan(std::min(index, command_.arguments.size()));
  }

 private:
  const Command& command_;
};

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> candidates) {
  return std::find(candidates.begin(), candidates.end(), value) != candidates.end();
}

bool is_option(std::string_view value) { return value.size() > 1 && value[0] == '-'; }


// Skips the options of a wrapper from `index`: words starting with '-' until "--" (skipped too) or
// the first other word. `with_argument` lists the options whose value is the next word; long
// options written `--name=value` carry their value. Returns the index of the first operand.
// Whether the option word `value` takes the next word as its argument: `-u` and `--user` do, and so
// does a cluster of short options that ends with such a letter (`sudo -HEu git`); `-ugit` and
// `--user=git` hold theirs.
bool takes_next_word(std::string_view value, std::initializer_list<std::string_view> with_argument) {
  if (is_one_of(value, with_argument)) return true;
  if (value.size() <= 2 || value[1] == '-') return false;
  for (size_t at = 1; at < value.size(); ++at) {
    char letter[2] = {'-', value[at]};
    if (is_one_of(std::string_view(letter, 2), with_argument)) return at + 1 == value.size();
  }
  return false;
}

size_t skip_options(const Words& words, size_t index, std::initializer_list<std::string_view> with_argument) {
  while (index < words.size()) {
    std::string_view value = words.value(index);
    if (value == "--") return index + 1;
    if (!is_option(value) || words.at(index).has_expansion) return index;
    index += takes_next_word(value, with_argument) ? 2 : 1;
  }
  return index;
}

bool is_assignment_word(std::string_view value) {
  size_t equals = value.find('=');
  if (equals == 0 || equals == std::string_view::npos) return false;
  for (size_t i = 0; i < equals; ++i) {
    char c = value[i];
    bool ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// `su [options] [-] [user] -c STRING` and `runuser ... -c STRING`: the -c string, or nullptr.
const Word* su_command_string(const Words& words, size_t index) {
  for (size_t i = index + 1; i + 1 < words.size(); ++i) {
    std::string_view value = words.value(i);
    if (value == "-c" || value == "--command") return &words.at(i + 1);
    if (is_one_of(value, {"-s", "--shell", "-g", "--group", "-G", "--supp-group", "-u", "--user"})) ++i;
  }
  return nullptr;
}

// The wrapper a program name may stand for (`runuser` without `-c` is Runuser, with it Su; `bundle`
// only before `exec`; both decided by strip_wrappers), or nullopt. Every command's name goes through
// here several times per file: one switch on the length keeps the others to a comparison or two.
std::optional<WrapperKind> wrapper_named(std::string_view name) {
  switch (name.size()) {
    case 2:
      if (name == "su") return WrapperKind::Su;
      break;
    case 3:
      if (name == "env") return WrapperKind::Env;
      break;
    case 4:
      if (name == "exec") return WrapperKind::Exec;
      if (name == "sudo") return WrapperKind::Sudo;
      if (name == "doas") return WrapperKind::Doas;
      if (name == "nice") return WrapperKind::Nice;
      if (name == "time") return WrapperKind::Time;
      if (name == "gosu") return WrapperKind::Gosu;
      if (name == "tini") return WrapperKind::Tini;
      break;
    case 5:
      if (name == "nohup") return WrapperKind::Nohup;
      if (name == "chpst") return WrapperKind::Chpst;
      break;
    case 6:
      if (name == "ionice") return WrapperKind::Nice;
      if (name == "stdbuf") return WrapperKind::Stdbuf;
      if (name == "setsid") return WrapperKind::Setsid;
      if (name == "bundle") return WrapperKind::BundleExec;
      break;
    case 7:
      if (name == "runuser") return WrapperKind::Runuser;
      if (name == "timeout") return WrapperKind::Timeout;
      if (name == "command") return WrapperKind::CommandBuiltin;
      if (name == "su-exec") return WrapperKind::SuExec;
      if (name == "busybox") return WrapperKind::Busybox;
      if (name == "setuser") return WrapperKind::SetUser;
      break;
    case 9:
      if (name == "dumb-init") return WrapperKind::DumbInit;
      if (name == "catatonit") return WrapperKind::Catatonit;
      break;
    case 11:
      if (name == "tini-static") return WrapperKind::Tini;
      break;
    case 12:
      if (name == "s6-setuidgid") return WrapperKind::S6SetUidGid;
      break;
    default:
      break;
  }
  return std::nullopt;
}

EffectiveCommand strip_wrappers(const Command& command) {
  EffectiveCommand result;
  result.command = &command;
  Words words(command);
  size_t index = 0;
  if (command.name_is_optional_wrapper) {
    index = 1;
    if (command.optional_wrapper_execs) {
      result.wrappers.push_back({WrapperKind::Exec, &words.at(0)});
      result.exec = true;
    }
  }
  // Each step consumes at least one word, so this ends.
  while (index < words.size()) {
    const Word& word = words.at(index);
    if (word.has_expansion) break;
    std::optional<WrapperKind> kind = wrapper_named(program_name(word));
    if (!kind) break;
    auto wrap = [&](WrapperKind wrapper) { result.wrappers.push_back({wrapper, &word}); };
    bool stop = false;
    switch (*kind) {
      case WrapperKind::Exec:
        if (index != 0) {
          stop = true;
          break;
        }
        wrap(WrapperKind::Exec);
        result.exec = true;
        index = skip_options(words, index + 1, {"-a"});
        break;
      case WrapperKind::Sudo:
        wrap(WrapperKind::Sudo);
        index = skip_options(words, index + 1,
                             {"-u", "--user", "-g", "--group", "-C", "--close-from", "-D", "--chdir", "-h",
                              "--host", "-p", "--prompt", "-r", "--role", "-t", "--type", "-T",
                              "--command-timeout", "-U", "--other-user", "-R", "--chroot"});
        // `sudo -l`, `sudo -v`, `sudo -k` alone run nothing; `sudo -s`/`-i` alone open a shell.
        break;
      case WrapperKind::Doas:
        wrap(WrapperKind::Doas);
        index = skip_options(words, index + 1, {"-u", "-C"});
        break;
      case WrapperKind::Su:
      case WrapperKind::Runuser:
        if (const Word* string = su_command_string(words, index)) {
          wrap(WrapperKind::Su);
          result.program = &word;
          result.name = program_name(word);
          result.arguments = words.after(index);
          result.shell_string = string;
          return result;
        }
        if (*kind == WrapperKind::Su) {
          stop = true;  // an interactive login shell: the program is su itself
          break;
        }
        wrap(WrapperKind::Runuser);
        index = skip_options(words, index + 1, {"-u", "--user", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"});
        break;
      case WrapperKind::Env:
        wrap(WrapperKind::Env);
        ++index;
        while (index < words.size()) {
          std::string_view value = words.value(index);
          if (value == "--") {
            ++index;
            break;
          }
          if (value == "-S" || value == "--split-string" || value.starts_with("--split-string=")) {
            // The rest is one string env splits itself: nothing further can be read word by word.
            return result;
          }
          if (is_one_of(value, {"-u", "--unset", "-C", "--chdir"})) {
            index += 2;
          } else if (value == "-" || is_option(value)) {
            ++index;
          } else if (is_assignment_word(value)) {
            result.environment.push_back(&words.at(index));
            ++index;
          } else {
            break;
          }
        }
        break;
      case WrapperKind::Nohup:
        wrap(WrapperKind::Nohup);
        index = skip_options(words, index + 1, {});
        break;
      case WrapperKind::Timeout:
        wrap(WrapperKind::Timeout);
        index = skip_options(words, index + 1, {"-s", "--signal", "-k", "--kill-after"});
        ++index;  // the duration
        break;
      case WrapperKind::Nice:
        wrap(WrapperKind::Nice);
        index = skip_options(words, index + 1, {"-n", "--adjustment", "-c", "--class", "--classdata"});
        break;
      case WrapperKind::Stdbuf:
        wrap(WrapperKind::Stdbuf);
        index = skip_options(words, index + 1, {"-i", "-o", "-e"});
        break;
      case WrapperKind::Setsid:
        wrap(WrapperKind::Setsid);
        index = skip_options(words, index + 1, {});
        break;
      case WrapperKind::Time:
        wrap(WrapperKind::Time);
        index = skip_options(words, index + 1, {"-f", "--format", "-o", "--output"});
        break;
      case WrapperKind::CommandBuiltin: {
        std::string_view next = words.value(index + 1);
        if (next == "-v" || next == "-V") {
          stop = true;  // a lookup, not a run
          break;
        }
        wrap(WrapperKind::CommandBuiltin);
        index = skip_options(words, index + 1, {});
        break;
      }
      case WrapperKind::BundleExec:
        if (words.value(index + 1) != "exec") {
          stop = true;
          break;
        }
        wrap(WrapperKind::BundleExec);
        index = skip_options(words, index + 2, {"--gemfile"});
        break;
      case WrapperKind::Gosu:
        wrap(WrapperKind::Gosu);
        index += 2;
        break;
      case WrapperKind::SuExec:
      case WrapperKind::SetUser:
      case WrapperKind::S6SetUidGid:
        wrap(*kind);
        index += 2;
        break;
      case WrapperKind::Chpst:
        wrap(WrapperKind::Chpst);
        index = skip_options(words, index + 1,
                             {"-u", "-U", "-b", "-e", "-/", "-C", "-n", "-l", "-L", "-m", "-d", "-o", "-p",
                              "-f", "-c", "-r", "-t"});
        break;
      case WrapperKind::Tini:
        wrap(WrapperKind::Tini);
        index = skip_options(words, index + 1, {"-p", "-e"});
        break;
      case WrapperKind::DumbInit:
        wrap(WrapperKind::DumbInit);
        index = skip_options(words, index + 1, {"-r", "--rewrite"});
        break;
      case WrapperKind::Catatonit:
        wrap(WrapperKind::Catatonit);
        index = skip_options(words, index + 1, {});
        break;
      case WrapperKind::Busybox:
        if (index + 1 >= words.size() || is_option(words.value(index + 1))) {
          stop = true;
          break;
        }
        wrap(WrapperKind::Busybox);
        ++index;
        break;
      case WrapperKind::ShellString:
        stop = true;
        break;
    }
    if (stop) break;
  }
  if (index >= words.size()) return result;  // the wrappers ran nothing: `exec >log`, `sudo -l`
  result.program = &words.at(index);
  result.name = program_name(*result.program);
  result.arguments = words.after(index);
  if (const Word* string = shell_command_string(*result.program, result.arguments)) {
    result.shell_string = string;
  }
  return result;
}

}  // namespace

bool is_shell(std::string_view name) {
  // Every one ends in "sh": most program names are out after one comparison.
  return name.ends_with("sh") && is_one_of(name, {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"});
}

std::string_view wrapper_name(WrapperKind kind) {
  switch (kind) {
    case WrapperKind::Exec: return "exec";
    case WrapperKind::Sudo: return "sudo";
    case WrapperKind::Doas: return "doas";
    case WrapperKind::Su: return "su";
    case WrapperKind::Runuser: return "runuser";
    case WrapperKind::Env: return "env";
    case WrapperKind::Nohup: return "nohup";
    case WrapperKind::Timeout: return "timeout";
    case WrapperKind::Nice: return "nice";
    case WrapperKind::Stdbuf: return "stdbuf";
    case WrapperKind::Setsid: return "setsid";
    case WrapperKind::Time: return "time";
    case WrapperKind::CommandBuiltin: return "command";
    case WrapperKind::BundleExec: return "bundle exec";
    case WrapperKind::Gosu: return "gosu";
    case WrapperKind::SuExec: return "su-exec";
    case WrapperKind::SetUser: return "setuser";
    case WrapperKind::S6SetUidGid: return "s6-setuidgid";
    case WrapperKind::Chpst: return "chpst";
    case WrapperKind::Tini: return "tini";
    case WrapperKind::DumbInit: return "dumb-init";
    case WrapperKind::Catatonit: return "catatonit";
    case WrapperKind::Busybox: return "busybox";
    case WrapperKind::ShellString: return "sh -c";
  }
  return "";
}

bool EffectiveCommand::has_wrapper(WrapperKind kind) const {
  return std::any_of(wrappers.begin(), wrappers.end(), [&](const Wrapper& wrapper) { return wrapper.kind == kind; });
}

const Word* shell_command_string(const Word& program, std::span<const Word> arguments) {
  if (program.has_expansion || !is_shell(program_name(program))) return nullptr;
  bool has_c = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    std::string_view value = arguments[i].value;
    if (value == "--" || value == "-") {
      return has_c && i + 1 < arguments.size() ? &arguments[i + 1] : nullptr;
    }
    bool option = value.size() > 1 && (value[0] == '-' || value[0] == '+') && !arguments[i].has_expansion;
    if (!option) return has_c ? &arguments[i] : nullptr;
    if (value.starts_with("--")) {
      if (value == "--rcfile" || value == "--init-file") ++i;
      continue;
    }
    if (value[0] == '-' && value.find('c') != std::string_view::npos) has_c = true;
    // `-o pipefail`, `-O extglob` take the next word (also when clustered: `-eo pipefail`).
    if (value.back() == 'o' || value.back() == 'O') ++i;
  }
  return nullptr;
}

namespace {

// The position of `word` among the command's words (0 is the name), or kNoWord when it is past
// what a CommandChain holds.
uint16_t word_position(const Command& command, const Word* word) {
  if (word == &command.name) return 0;
  size_t position = static_cast<size_t>(word - command.arguments.data()) + 1;
  return position < CommandChain::kNoWord ? static_cast<uint16_t>(position) : CommandChain::kNoWord;
}

const Word* word_at(const Command& command, uint16_t position) {
  return position == 0 ? &command.name : &command.arguments[position - 1];
}

EffectiveCommand from_chain(const Command& command) {
  const CommandChain& chain = command.chain;
  EffectiveCommand result;
  result.command = &command;
  result.exec = chain.exec;
  if (chain.wrapper_count > 0) {
    result.wrappers.reserve(chain.wrapper_count);
    for (size_t i = 0; i < chain.wrapper_count; ++i) {
      result.wrappers.push_back({static_cast<WrapperKind>(chain.wrapper_kinds[i]), word_at(command, chain.wrapper_words[i])});
    }
  }
  if (chain.environment_count > 0) {
    result.environment.reserve(chain.environment_count);
    for (size_t i = 0; i < chain.environment_count; ++i) {
      result.environment.push_back(word_at(command, chain.environment_words[i]));
    }
  }
  if (chain.program != CommandChain::kNoWord) {
    result.program = word_at(command, chain.program);
    result.name = result.program->value.substr(chain.program_name_begin);
    result.arguments = std::span<const Word>(command.arguments).subspan(chain.program);
  }
  if (chain.shell_string != CommandChain::kNoWord) result.shell_string = word_at(command, chain.shell_string);
  return result;
}

}  // namespace

namespace {

// What a prefix variable may hold: nothing, or a wrapper and its options (`sudo`, `sudo -E`,
// `gosu app`), maybe after `exec` (`exec`, `exec gosu neo4j:neo4j`). Not `su`, which runs a
// string, nor anything with an expansion in it.
enum class PrefixValue : uint8_t { Other, Wrapper, Exec };

PrefixValue prefix_value(const Assignment& assignment) {
  if (assignment.value.has_expansion || assignment.appends) return PrefixValue::Other;
  std::string_view value = assignment.value.value;
  auto first_word = [&] {
    size_t begin = value.find_first_not_of(" \t");
    value.remove_prefix(begin == std::string_view::npos ? value.size() : begin);
    return value.substr(0, value.find_first_of(" \t"));
  };
  std::string_view first = first_word();
  bool exec = first == "exec";
  if (exec) {
    value.remove_prefix(first.size());
    first = first_word();
  }
  if (first.empty()) return exec ? PrefixValue::Exec : PrefixValue::Wrapper;
  std::optional<WrapperKind> kind = wrapper_named(first);
  if (!kind || *kind == WrapperKind::Su || *kind == WrapperKind::Runuser || *kind == WrapperKind::Exec)
    return PrefixValue::Other;
  return exec ? PrefixValue::Exec : PrefixValue::Wrapper;
}

}  // namespace

void mark_optional_wrapper_names(Script& script) {
  for (Command& command : script.commands) {
    if (command.arguments.empty() || !command.name.has_expansion) continue;
    // Unquoted: a quoted empty value would still be a word, the command's empty name.
    if (command.name.text.starts_with('"')) continue;
    std::string_view name = named_variable(command.name);
    if (name.empty()) continue;
    bool assigned = false, wrapper_or_nothing = true, execs = true;
    for (const Assignment& assignment : script.assignments) {
      if (assignment.name != name) continue;
      assigned = true;
      PrefixValue value = prefix_value(assignment);
      // A loop's values are not settled here.
      if (assignment.declaration == "for" || value == PrefixValue::Other) wrapper_or_nothing = false;
      execs = execs && value == PrefixValue::Exec;
    }
    if (!assigned || !wrapper_or_nothing) continue;
    command.name_is_optional_wrapper = true;
    command.optional_wrapper_execs = execs;
    remember_chain(command);
  }
}

void remember_chain(Command& command) {
  CommandChain chain;
  if (!command.name.empty() && !command.name_is_optional_wrapper) {
    // Most commands run their own name: no wrapper, no shell. Kept without strip_wrappers, which
    // would find the same (the program is word 0, its name where program_name puts it).
    std::string_view name = program_name(command.name);
    size_t name_begin = static_cast<size_t>(name.data() - command.name.value.data());
    if ((command.name.has_expansion || (!wrapper_named(name) && !is_shell(name))) && name_begin < CommandChain::kNoWord) {
      chain.program = 0;
      chain.program_name_begin = static_cast<uint16_t>(name_begin);
      chain.known = true;
      command.chain = chain;
      return;
    }
  }
  command.chain = {};  // not known unless the chain below fits
  EffectiveCommand effective = strip_wrappers(command);
  if (effective.wrappers.size() > CommandChain::kMaxWrappers ||
      effective.environment.size() > CommandChain::kMaxEnvironment) {
    return;
  }
  auto position = [&](const Word* word, uint16_t& out) {
    out = word ? word_position(command, word) : CommandChain::kNoWord;
    return !word || out != CommandChain::kNoWord;
  };
  bool fits = position(effective.program, chain.program) && position(effective.shell_string, chain.shell_string);
  if (effective.program) {
    size_t name_begin = static_cast<size_t>(effective.name.data() - effective.program->value.data());
    fits = fits && name_begin < CommandChain::kNoWord;
    chain.program_name_begin = static_cast<uint16_t>(name_begin);
  }
  for (const Wrapper& wrapper : effective.wrappers) {
    chain.wrapper_kinds[chain.wrapper_count] = static_cast<uint8_t>(wrapper.kind);
    fits = fits && position(wrapper.word, chain.wrapper_words[chain.wrapper_count]);
    ++chain.wrapper_count;
  }
  for (const Word* word : effective.environment) {
    fits = fits && position(word, chain.environment_words[chain.environment_count]);
    ++chain.environment_count;
  }
  // The program's arguments are the words after it: kept as its position alone.
  if (!fits || (effective.program && effective.arguments.data() != command.arguments.data() + chain.program)) return;
  chain.exec = effective.exec;
  chain.known = true;
  command.chain = chain;
}

void fill_effective_command(const Command& command, EffectiveCommand& result) {
  result = command.chain.known ? from_chain(command) : strip_wrappers(command);
}

std::vector<uint32_t> find_commands(const Script& script, std::initializer_list<std::string_view> names) {
  std::vector<uint32_t> found;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    // Only the program is compared: effective_program skips building the wrapper list.
    const Command& command = script.commands[index];
    const Word* program = effective_program(command);
    if (program && !program->has_expansion && is_one_of(effective_program_name(command), names)) {
      found.push_back(index);
    }
  }
  return found;
}

EffectiveCommand effective_command(const Script& script, uint32_t index) {
  if (index >= script.commands.size()) return {};
  EffectiveCommand result = effective_command(script.commands[index]);
  // Each step goes one `sh -c` level deeper, and the parser stops at kMaxShellStringDepth levels.
  while (result.shell_string) {
    uint32_t only_child = kNoParent;
    size_t children = 0;
    for (uint32_t i = index + 1; i < script.commands.size(); ++i) {
      const Command& candidate = script.commands[i];
      if (candidate.parent == index && candidate.nesting == Nesting::ShellString) {
        only_child = i;
        ++children;
      } else if (candidate.parent == kNoParent || candidate.parent < index) {
        break;  // past the commands nested in `index`
      }
    }
    if (children != 1 || script.commands[only_child].background) break;
    EffectiveCommand inner = effective_command(script.commands[only_child]);
    Wrapper shell{result.has_wrapper(WrapperKind::Su) ? WrapperKind::Su : WrapperKind::ShellString, result.program};
    if (shell.kind == WrapperKind::ShellString) result.wrappers.push_back(shell);
    result.wrappers.insert(result.wrappers.end(), inner.wrappers.begin(), inner.wrappers.end());
    result.environment.insert(result.environment.end(), inner.environment.begin(), inner.environment.end());
    result.command = inner.command;
    result.program = inner.program;
    result.name = inner.name;
    result.arguments = inner.arguments;
    result.exec = result.exec || inner.exec;
    result.shell_string = inner.shell_string;
    index = only_child;
  }
  return result;
}

}  // namespace shiftlint::shell
