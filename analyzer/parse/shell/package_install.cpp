#include "analyzer/parse/shell/package_install.h"

#include <algorithm>
#include <cctype>
#include <list>
#include <optional>

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/script_findings.h"

namespace shiftlint::shell {

namespace {

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> candidates) {
  return std::find(candidates.begin(), candidates.end(), value) != candidates.end();
}

// pip, pip3, pip3.11
bool is_pip(std::string_view name) {
  return name == "pip" || (name.starts_with("pip") && name.find_first_not_of("0123456789.", 3) == std::string_view::npos);
}

// python, python3, python3.12
bool is_python(std::string_view name) {
  return name == "python" ||
         (name.starts_with("python") && name.find_first_not_of("0123456789.", 6) == std::string_view::npos);
}

// Splits `name<operator>version` at the first of `separators` found after the first character
// (a leading '@' belongs to an npm scope).
Package split_version(const Word& word, std::string_view separators) {
  Package package;
  package.word = &word;
  std::string_view value = word.value;
  size_t at = value.find_first_of(separators, 1);
  if (at == std::string_view::npos) {
    package.name = std::string(value);
  } else {
    package.name = std::string(value.substr(0, at));
    package.version = std::string(value.substr(at));
    // `=1.2` (apt, apk) and `@1.2` (npm) and `:1.2` (gem): the separator is not part of the version.
    if (!package.version.empty() && (package.version[0] == '=' || package.version[0] == '@' || package.version[0] == ':') &&
        !(package.version.size() > 1 && package.version[1] == '=')) {
      package.version.erase(0, 1);
    }
  }
  return package;
}

struct Recognised {
  PackageManager manager;
  std::span<const Word> arguments;  // after the program (and after `-m pip` for python)
  // A distribution's wrapper that runs `apt-get update && apt-get install -y <arguments>` and
  // cleans up: bitnami/minideb's `install_packages`, Kubernetes debian-base's `clean-install`.
  bool wrapper = false;
};

// Most commands of a script install nothing (`echo`, `rm`, `curl`, `chmod`...): only names that
// start like one of the package managers recognise() knows are compared, and only their commands'
// EffectiveCommand is built.
bool may_be_package_manager(std::string_view name) {
  if (name.size() < 3) return false;
  switch (name[0]) {
    case 'a': case 'c': case 'd': case 'g': case 'i': case 'm': case 'n': case 'p': case 'r': case 't': case 'y': case 'z':
      return true;
    default:
      return false;
  }
}

std::optional<Recognised> recognise(const EffectiveCommand& effective) {
  std::string_view name = effective.program_name();
  if (!may_be_package_manager(name)) return std::nullopt;
  std::span<const Word> arguments = effective.arguments;
  if (is_one_of(name, {"apt-get", "apt", "aptitude"})) return Recognised{PackageManager::Apt, arguments};
  if (is_one_of(name, {"install_packages", "clean-install"})) return Recognised{PackageManager::Apt, arguments, true};
  if (name == "yum") return Recognised{PackageManager::Yum, arguments};
  if (is_one_of(name, {"dnf", "microdnf", "tdnf"})) return Recognised{PackageManager::Dnf, arguments};
  if (name == "zypper") return Recognised{PackageManager::Zypper, arguments};
  if (name == "apk") return Recognised{PackageManager::Apk, arguments};
  if (name == "rpm") return Recognised{PackageManager::Rpm, arguments};
  if (is_pip(name)) return Recognised{PackageManager::Pip, arguments};
  if (is_python(name) && arguments.size() >= 2 && arguments[0].value == "-m" && is_pip(arguments[1].value)) {
    return Recognised{PackageManager::Pip, arguments.subspan(2)};
  }
  if (name == "gem") return Recognised{PackageManager::Gem, arguments};
  if (name == "npm") return Recognised{PackageManager::Npm, arguments};
  if (name == "yarn") return Recognised{PackageManager::Yarn, arguments};
  return std::nullopt;
}

// The subcommand (first operand before which only options appear) and the words after it.
struct Subcommand {
  const Word* word = nullptr;
  std::span<const Word> rest;
};

// A variable alone before it holds options (`yum ${YUM_FLAGS} install httpd`, `apt-get $APT_OPTS
// install`, OCS Inventory's images): skipped as they are.
Subcommand subcommand(std::span<const Word> arguments, std::initializer_list<std::string_view> global_with_value) {
  size_t from = 0;
  while (from < arguments.size()) {
    const Word* word = first_leading_operand(arguments.subspan(from), global_with_value);
    if (!word) return {};
    size_t position = static_cast<size_t>(word - arguments.data());
    if (named_variable(*word).empty() || position + 1 >= arguments.size()) return {word, arguments.subspan(position + 1)};
    from = position + 1;
  }
  return {};
}

// What follows a package's name when it carries a version, by manager. yum, dnf and rpm names carry
// versions after a dash (`nginx-1.24.0`), indistinguishable from names with dashes: kept whole.
std::string_view version_separators(PackageManager manager) {
  switch (manager) {
    case PackageManager::Apt: return "=";
    case PackageManager::Yum:
    case PackageManager::Dnf:
    case PackageManager::Rpm: return "";
    case PackageManager::Zypper: return "=<>";
    case PackageManager::Apk: return "=~<>";
    case PackageManager::Pip: return "=<>!~;@ ";
    case PackageManager::Gem: return ":";
    case PackageManager::Npm:
    case PackageManager::Yarn: return "@";
  }
  return "";
}

void add_packages(PackageInstall& install, const std::vector<const Word*>& operands) {
  install.packages.reserve(install.packages.size() + operands.size());
  for (const Word* operand : operands) install.packages.push_back(read_package(install.manager, *operand));
}

std::optional<PackageInstall> read_install(const Recognised& recognised) {
  PackageInstall install;
  install.manager = recognised.manager;
  std::span<const Word> arguments = recognised.arguments;
  switch (recognised.manager) {
    case PackageManager::Apt: {
      std::initializer_list<std::string_view> options = {"-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"};
      if (recognised.wrapper) {
        add_packages(install, parse_arguments(arguments, {}).operands);
        return install;
      }
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || !is_one_of(sub.word->value, {"install", "reinstall"})) return std::nullopt;
      add_packages(install, parse_arguments(sub.rest, options).operands);
      return install;
    }
    case PackageManager::Yum:
    case PackageManager::Dnf: {
      std::initializer_list<std::string_view> options = {"-c", "-x", "-d", "-e", "--config", "--exclude", "--setopt", "--installroot",
                      "--releasever", "--repo", "--repoid", "--enablerepo", "--disablerepo"};
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || !is_one_of(sub.word->value, {"install", "reinstall", "localinstall"})) return std::nullopt;
      add_packages(install, parse_arguments(sub.rest, options).operands);
      return install;
    }
    case PackageManager::Zypper: {
      std::initializer_list<std::string_view> options = {"-r", "--repo", "-t", "--type", "--root", "-R"};
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || !is_one_of(sub.word->value, {"install", "in"})) return std::nullopt;
      add_packages(install, parse_arguments(sub.rest, options).operands);
      return install;
    }
    case PackageManager::Apk: {
      std::initializer_list<std::string_view> options = {"-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir",
                      "-t", "--virtual", "--repositories-file"};
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || sub.word->value != "add") return std::nullopt;
      add_packages(install, parse_arguments(sub.rest, options).operands);
      return install;
    }
    case PackageManager::Rpm: {
      ParsedArguments parsed = parse_arguments(arguments, {"--root", "--dbpath", "--prefix", "--relocate"});
      bool installs = parsed.has("--install") || parsed.has("--upgrade") || parsed.has("--freshen") ||
                      std::any_of(parsed.options.begin(), parsed.options.end(), [](const ParsedArguments::Option& o) {
                        std::string_view v = o.word->value;
                        return v.size() > 1 && v[0] == '-' && v[1] != '-' &&
                               (v[1] == 'i' || v[1] == 'U' || v[1] == 'F');
                      });
      if (!installs) return std::nullopt;
      add_packages(install, parsed.operands);
      return install;
    }
    case PackageManager::Pip: {
      std::initializer_list<std::string_view> options = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                      "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
                      "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--src",
                      "--cache-dir", "--progress-bar", "--log", "--proxy", "--retries", "--timeout",
                      "--upgrade-strategy", "--only-binary", "--no-binary", "--python"};
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || sub.word->value != "install") return std::nullopt;
      ParsedArguments parsed = parse_arguments(sub.rest, options);
      for (const ParsedArguments::Option& option : parsed.options) {
        std::string_view value = option.word->value;
        if ((value == "-r" || value == "--requirement") && option.value) install.requirement_files.push_back(option.value);
        if ((value == "-e" || value == "--editable") && option.value) {
          install.packages.push_back(split_version(*option.value, ""));
        }
      }
      add_packages(install, parsed.operands);
      return install;
    }
    case PackageManager::Gem: {
      std::initializer_list<std::string_view> options = {"-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P",
                      "--trust-policy", "-g", "--file", "--platform"};
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || sub.word->value != "install") return std::nullopt;
      ParsedArguments parsed = parse_arguments(sub.rest, options);
      if (const Word* file = parsed.value_of("-g") ? parsed.value_of("-g") : parsed.value_of("--file")) {
        install.requirement_files.push_back(file);
      }
      add_packages(install, parsed.operands);
      const Word* version = parsed.value_of("-v") ? parsed.value_of("-v") : parsed.value_of("--version");
      if (version) {
        for (Package& package : install.packages) {
          if (package.version.empty()) package.version = version->value;
        }
      }
      return install;
    }
    case PackageManager::Npm: {
      std::initializer_list<std::string_view> options = {"--prefix", "--registry", "--cache", "--userconfig", "-w", "--workspace"};
      Subcommand sub = subcommand(arguments, options);
      if (!sub.word || !is_one_of(sub.word->value, {"install", "i", "add", "isntall", "in"})) return std::nullopt;
      ParsedArguments parsed = parse_arguments(sub.rest, options);
      ParsedArguments before = parse_leading_options(arguments, options);
      install.global = parsed.has("-g") || parsed.has("--global") || before.has("-g") || before.has("--global") ||
                       parsed.has("--location=global");
      if (!install.global) return std::nullopt;  // project dependencies: package.json says what they are
      add_packages(install, parsed.operands);
      return install;
    }
    case PackageManager::Yarn: {
      Subcommand sub = subcommand(arguments, {});
      if (!sub.word || sub.word->value != "global" || sub.rest.empty() || sub.rest[0].value != "add") {
        return std::nullopt;
      }
      install.global = true;
      add_packages(install, parse_arguments(sub.rest.subspan(1), {"--prefix"}).operands);
      return install;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view package_manager_name(PackageManager manager) {
  switch (manager) {
    case PackageManager::Apt: return "apt";
    case PackageManager::Yum: return "yum";
    case PackageManager::Dnf: return "dnf";
    case PackageManager::Zypper: return "zypper";
    case PackageManager::Apk: return "apk";
    case PackageManager::Rpm: return "rpm";
    case PackageManager::Pip: return "pip";
    case PackageManager::Gem: return "gem";
    case PackageManager::Npm: return "npm";
    case PackageManager::Yarn: return "yarn";
  }
  return "";
}

namespace {

bool starts_with_digit(std::string_view text) {
  return !text.empty() && std::isdigit(static_cast<unsigned char>(text.front()));
}

// yum and dnf take a package as `name`, `name-version` or `name-version-release` (with an
// `epoch:` and an `.arch` allowed): CentOS images pin `openssh-server-7.4p1-21.el7` and
// `cronie-1.5.7-8.el9`. Names hold hyphens and digits too (`java-1.8.0-openjdk`,
// `gcc-toolset-12`, `devtoolset-8`), so the split needs the version (and the release) to start
// with a digit, and a version without a release to hold a '.' as versions do.
Package split_rpm_version(const Word& word) {
  Package package;
  package.word = &word;
  std::string_view value = word.value;
  package.name = std::string(value);
  if (value.empty() || value.front() == '@' || value.find('/') != std::string_view::npos) return package;
  size_t last = value.rfind('-');
  if (last == std::string_view::npos || last == 0 || !starts_with_digit(value.substr(last + 1))) return package;
  size_t before = value.rfind('-', last - 1);
  size_t at = std::string_view::npos;
  if (before != std::string_view::npos && before > 0 && starts_with_digit(value.substr(before + 1)))
    at = before;  // name-version-release
  else if (value.find('.', last) != std::string_view::npos)
    at = last;  // name-version
  if (at == std::string_view::npos) return package;
  package.name = std::string(value.substr(0, at));
  package.version = std::string(value.substr(at + 1));
  return package;
}

}  // namespace

Package read_package(PackageManager manager, const Word& word) {
  if (manager == PackageManager::Yum || manager == PackageManager::Dnf) return split_rpm_version(word);
  return split_version(word, version_separators(manager));
}

std::string_view named_variable(const Word& word) {
  std::string_view text = word.text;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.size() < 2 || text[0] != '$') return {};
  text.remove_prefix(1);
  if (text.front() == '{') {
    if (text.back() != '}') return {};
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return {};
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return {};
  return text;
}

std::vector<std::pair<uint32_t, uint32_t>> literal_list_words(std::string_view written, char escape) {
  std::vector<std::pair<uint32_t, uint32_t>> words;
  size_t begin = std::string_view::npos;
  bool literal = true;
  auto close = [&](size_t end) {
    if (begin != std::string_view::npos && literal && written[begin] != '-')
      words.emplace_back(static_cast<uint32_t>(begin), static_cast<uint32_t>(end));
    begin = std::string_view::npos;
    literal = true;
  };
  for (size_t i = 0; i < written.size(); ++i) {
    char c = written[i];
    if (c == escape) {
      // An escaped line break joins lines: a separator. Any other escape makes the word more than
      // its letters.
      size_t next = i + 1;
      if (next < written.size() && written[next] == '\r') ++next;
      if (next < written.size() && written[next] == '\n') {
        close(i);
        i = next;
        continue;
      }
      if (begin == std::string_view::npos) begin = i;
      literal = false;
      continue;
    }
    // Quotes group words for the assignment; the list is split again where it is expanded.
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'') {
      close(i);
      continue;
    }
    if (begin == std::string_view::npos) begin = i;
    if (c == '$' || c == '`' || c == '*' || c == '?' || c == '[' || c == '{') literal = false;
    // A substitution is one piece of its word, whatever spaces it holds: `$(cat more.txt)`.
    char open = 0, close_with = 0;
    if (c == '$' && i + 1 < written.size() && (written[i + 1] == '(' || written[i + 1] == '{')) {
      open = written[i + 1];
      close_with = open == '(' ? ')' : '}';
      ++i;
    } else if (c == '`') {
      close_with = '`';
    }
    if (close_with) {
      int depth = 1;
      while (depth > 0 && ++i < written.size()) {
        if (open && written[i] == open) ++depth;
        else if (written[i] == close_with) --depth;
      }
    }
  }
  close(written.size());
  return words;
}

namespace {

bool references(std::string_view text, std::string_view name) {
  for (size_t at = text.find('$'); at != std::string_view::npos; at = text.find('$', at + 1)) {
    std::string_view rest = text.substr(at + 1);
    if (!rest.empty() && rest[0] == '{') rest.remove_prefix(1);
    if (!rest.starts_with(name)) continue;
    rest.remove_prefix(name.size());
    if (rest.empty() || !(std::isalnum(static_cast<unsigned char>(rest[0])) || rest[0] == '_')) return true;
  }
  return false;
}

// The packages `install`'s word `variable` names, from the script's assignments to it before
// `command` (`PKGS="a b"`, then `PKGS="$PKGS c"` or `PKGS+=" c"`); nothing when the script never
// assigns it (a Dockerfile's ENV or ARG may: the caller asks there).
void add_variable_packages(const Script& script, const Command& command, PackageInstall& install,
                           const Word& variable, std::string_view name, std::list<Word>& words) {
  std::vector<Package> found;
  bool assigned = false;
  for (const Assignment& assignment : script.assignments) {
    if (assignment.name != name || assignment.shell_string_depth != command.shell_string_depth) continue;
    if (!(assignment.span.begin < command.span.begin)) break;
    if (!assignment.appends && !references(assignment.value.text, name)) found.clear();
    assigned = true;
    std::string_view written = assignment.value.text;
    for (auto [begin, end] : literal_list_words(written)) {
      std::string_view text = written.substr(begin, end - begin);
      Word& word = words.emplace_back();
      word.text = text;
      word.value = text;
      word.span = assignment.value.span;
      Package package = read_package(install.manager, word);
      package.variable = &variable;
      package.assignment = &assignment;
      package.offset = begin;
      found.push_back(std::move(package));
    }
  }
  if (!assigned) return;
  // The `$PKGS` word stands for what was found: it is no package of its own.
  std::erase_if(install.packages, [&](const Package& package) { return package.word == &variable; });
  for (Package& package : found) install.packages.push_back(std::move(package));
}

std::vector<PackageInstall> find_package_installs_in(const Script& script, std::list<Word>& words) {
  std::vector<PackageInstall> installs;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    // A `sh -c "apt-get install x"` is seen through its inner command, which is in the list too.
    if (!may_be_package_manager(effective_program_name(script.commands[index]))) continue;
    EffectiveCommand effective = effective_command(script.commands[index]);
    if (!effective.program || effective.shell_string) continue;
    std::optional<Recognised> recognised = recognise(effective);
    if (!recognised) continue;
    std::optional<PackageInstall> install = read_install(*recognised);
    if (!install) continue;
    install->command = index;
    install->program = effective.program;
    if (!script.assignments.empty()) {
      std::vector<const Word*> variables;
      for (const Package& package : install->packages)
        if (package.word->has_expansion && !named_variable(*package.word).empty()) variables.push_back(package.word);
      for (const Word* variable : variables)
        add_variable_packages(script, script.commands[index], *install, *variable, named_variable(*variable), words);
    }
    installs.push_back(std::move(*install));
  }
  return installs;
}

}  // namespace

const std::vector<PackageInstall>& find_package_installs(const Script& script) {
  ScriptFindings::Slots& slots = script.findings.slots();
  slots.package_installs_found.call(
      [&] { slots.package_installs = find_package_installs_in(script, slots.variable_package_words); });
  return slots.package_installs;
}

}  // namespace shiftlint::shell
