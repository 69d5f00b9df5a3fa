#include "analyzer/detect/file_lock.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"

namespace shiftlint::detect {

namespace {

std::string_view basename(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  auto found = std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return found != text.end();
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `flock [options] FILE|FD [command]`, `lockfile [-r N] FILE...`, `lockrun --lockfile=FILE -- cmd`:
// the first operand that is a path, not a descriptor number.
const shell::Word* lock_operand(std::string_view program, std::span<const shell::Word> arguments) {
  shell::ParsedArguments parsed = shell::parse_leading_options(
      arguments, {"-w", "--wait", "--timeout", "-E", "--conflict-exit-code", "-c", "--command", "-r", "-l", "-s",
                  "-L", "--lockfile", "-p", "-q"});
  if (program == "lockrun") {
    if (const shell::Word* path = parsed.value_of("-L")) return path;
    if (const shell::Word* path = parsed.value_of("--lockfile")) return path;
    for (const auto& option : parsed.options)
      if (option.word->value.starts_with("--lockfile=")) return option.word;
    return nullptr;
  }
  if (parsed.operands.empty() || all_digits(parsed.operands.front()->value)) return nullptr;
  return parsed.operands.front();
}

// `flock -n 9` locks descriptor 9: the file opened on it by a redirection of the command (its own,
// or one inherited from an enclosing `( ... ) 9> file`), or by an earlier `exec 9> file`.
const shell::Word* descriptor_file(const shell::Script& script, uint32_t index, std::string_view descriptor) {
  int number = 0;
  for (char c : descriptor) number = number * 10 + (c - '0');
  auto opened = [&](const shell::Command& command) -> const shell::Word* {
    for (const shell::Redirection& redirection : command.redirections)
      if (redirection.descriptor == number && redirection.writes_file()) return &redirection.target;
    for (const shell::Redirection& redirection : command.redirections)
      if (redirection.descriptor == number && redirection.kind == shell::RedirectionKind::Input)
        return &redirection.target;
    return nullptr;
  };
  if (const shell::Word* file = opened(script.commands[index])) return file;
  for (uint32_t earlier = index; earlier-- > 0;) {
    const shell::Command& command = script.commands[earlier];
    if (command.name.value != "exec" || !command.arguments.empty()) continue;
    if (const shell::Word* file = opened(command)) return file;
  }
  return nullptr;
}

// The next command at the same level as `index`, or nullptr. Commands are in pre-order: those
// nested in `index` follow it (their parent is `index` or later); a command whose parent comes
// before `index` and is not its parent belongs to an enclosing level.
const shell::Command* next_sibling(const shell::Script& script, uint32_t index) {
  uint32_t parent = script.commands[index].parent;
  for (uint32_t next = index + 1; next < script.commands.size(); ++next) {
    uint32_t candidate = script.commands[next].parent;
    if (candidate == parent) return &script.commands[next];
    if (candidate == shell::kNoParent || candidate < index) return nullptr;
  }
  return nullptr;
}

bool is_token_boundary(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' ||
         c == '`' || c == '"' || c == '\'' || c == '{' || c == '}';
}

}  // namespace

bool is_lock_program(std::string_view program) {
  static constexpr std::array<std::string_view, 8> programs = {
      "flock", "lockfile", "lockfile-create", "lockrun", "dotlockfile", "shlock", "lckdo", "setlock"};
  return std::find(programs.begin(), programs.end(), basename(program)) != programs.end();
}

std::vector<FileLockUse> find_file_locks(const shell::Script& script) {
  std::vector<FileLockUse> uses;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& command = script.commands[index];
    shell::EffectiveCommand effective = shell::effective_command(command);
    if (!effective.program || effective.shell_string || effective.program->has_expansion) continue;
    std::string_view name = effective.program_name();
    if (is_lock_program(name)) {
      // `flock -u 9` lets go of a lock taken before: not a lock of its own.
      if (name == "flock" && std::any_of(effective.arguments.begin(), effective.arguments.end(), [](const shell::Word& word) {
            return word.value == "-u" || word.value == "--unlock";
          }))
        continue;
      std::string_view pattern = name;
      if (name == "lockfile-create") pattern = "lockfile-create";
      const shell::Word* lock = lock_operand(name, effective.arguments);
      if (!lock && name == "flock") {
        shell::ParsedArguments parsed = shell::parse_leading_options(
            effective.arguments, {"-w", "--wait", "--timeout", "-E", "--conflict-exit-code", "-c", "--command"});
        if (!parsed.operands.empty() && all_digits(parsed.operands.front()->value))
          lock = descriptor_file(script, index, parsed.operands.front()->value);
      }
      uses.push_back({pattern, index, effective.program->span, lock});
      continue;
    }
    if (name != "mkdir") continue;
    shell::ParsedArguments parsed = shell::parse_arguments(effective.arguments, {"-m", "--mode", "--context"});
    if (parsed.has("-p") || parsed.has("--parents") || parsed.has_letter('p')) continue;
    const shell::Command* next = next_sibling(script, index);
    bool decides = command.in_condition ||
                   (next && (next->connector == shell::Connector::And || next->connector == shell::Connector::Or));
    if (!decides) continue;
    for (const shell::Word* operand : parsed.operands) {
      std::string_view path = operand->value;
      while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
      if (!contains_ignoring_case(basename(path), "lock")) continue;
      uses.push_back({"mkdir as a lock", index, effective.program->span, operand});
      break;
    }
  }
  // `set -C` / `set -o noclobber`, then `> "$LOCKFILE"` fails when the file exists: a lock.
  for (const shell::ShellOption& option : script.options) {
    if (option.name != "noclobber" || !option.enabled) continue;
    const shell::Word* lock_path = nullptr;
    for (uint32_t index = option.command + 1; index < script.commands.size() && !lock_path; ++index) {
      for (const shell::Redirection& redirection : script.commands[index].redirections) {
        if (redirection.kind != shell::RedirectionKind::Output || redirection.operator_text == ">|") continue;
        std::string_view target = redirection.target.value;
        if (contains_ignoring_case(target, "lock") || contains_ignoring_case(target, ".pid")) {
          lock_path = &redirection.target;
          break;
        }
      }
    }
    if (lock_path) uses.push_back({"set -o noclobber", option.command, option.span, lock_path});
  }
  std::stable_sort(uses.begin(), uses.end(), [](const FileLockUse& a, const FileLockUse& b) {
    return a.span.begin < b.span.begin;
  });
  return uses;
}

size_t find_lock_program_mention(std::string_view text, std::string_view* program) {
  size_t position = 0;
  while (position < text.size()) {
    while (position < text.size() && is_token_boundary(text[position])) ++position;
    size_t begin = position;
    while (position < text.size() && !is_token_boundary(text[position])) ++position;
    std::string_view token = text.substr(begin, position - begin);
    if (!token.empty() && is_lock_program(token)) {
      if (program) *program = token;
      return begin;
    }
  }
  return std::string_view::npos;
}

}  // namespace shiftlint::detect
