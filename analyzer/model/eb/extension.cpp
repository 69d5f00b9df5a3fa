// .ebextensions/*.config: the sections EB reads, and the shape it accepts (FACTS.md §11). EB
// validates a whole file before it applies any of it: one invalid key and nothing in the file
// happens, with only a warning event to say so. What it would reject becomes a ShapeProblem at the
// exact key or value (EB001 reports them).
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/model/eb/bundle_file.h"
#include "analyzer/model/eb/reading.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/source/ascii_case.h"
#include "analyzer/source/edit_distance.h"

namespace shiftlint::eb {
namespace {

// The keys EB reads at the top of a configuration file. The CloudFormation sections beside
// Resources (Parameters, Mappings, Conditions) are merged into the environment's template too:
// AWS's own sample configurations use them.
constexpr std::array<std::string_view, 14> kTopLevelKeys = {
    "packages", "groups",  "users",     "sources",  "files",      "commands",   "services",
    "container_commands", "option_settings", "Resources", "Outputs", "Parameters", "Mappings", "Conditions"};

constexpr std::array<std::string_view, 6> kPackageManagers = {"yum", "rpm", "rubygems", "python", "apt", "msi"};
constexpr std::array<std::string_view, 6> kCommandKeys = {"command", "env", "cwd", "test", "ignoreErrors", "waitAfterCompletion"};
constexpr std::array<std::string_view, 4> kOptionKeys = {"namespace", "option_name", "value", "resource_name"};

template <size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The closest known name, for "did you mean": same letters in another case, or at most two edits.
template <size_t N>
std::string closest(const std::array<std::string_view, N>& names, std::string_view name) {
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view candidate : names) {
    if (equal_ignoring_case(candidate, name)) return std::string(candidate);
    std::string normalised(name);
    std::replace(normalised.begin(), normalised.end(), '-', '_');
    if (normalised == candidate) return std::string(candidate);
    size_t distance = edit_distance(to_lower_ascii(name), to_lower_ascii(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return std::string(best);
}

std::string_view kind_name(const Node& node) {
  switch (node.kind) {
    case NodeKind::Null: return "empty";
    case NodeKind::Boolean: return "a boolean";
    case NodeKind::Number: return "a number";
    case NodeKind::String: return "a string";
    case NodeKind::List: return "a list";
    case NodeKind::Map: return "a map";
    case NodeKind::Unknown: return "a CloudFormation function";
  }
  return "a value";
}

class ExtensionReader {
 public:
  ExtensionReader(const SourceFile& file, Extension& extension) : file_(file), extension_(extension) {}

  void read(const Document& document) {
    if (document.roots.empty()) return;
    if (document.roots.size() > 1) {
      const Node& second = document.roots[1];
      problem(second.span, "a configuration file holds one YAML document; this is a second one (after `---`)");
    }
    const Node& root = document.roots[0];
    extension_.root = &root;
    if (root.is_null()) return;  // an empty file: nothing to apply, nothing wrong
    if (!root.is_map()) {
      problem(root.span, fmt::format("a configuration file must be a map of sections (packages:, commands:, "
                                     "option_settings:...), not {}",
                                     kind_name(root)));
      return;
    }
    for (const Node& section : root.children) {
      const std::string& key = section.key;
      if (!one_of(kTopLevelKeys, key)) {
        std::string suggestion = closest(kTopLevelKeys, key);
        problem(section.key_or_value_span(),
                suggestion.empty()
                    ? fmt::format("`{}` is not a key Elastic Beanstalk knows (it reads {})", key, known_keys())
                    : fmt::format("`{}` is not a key Elastic Beanstalk knows", key),
                suggestion);
        continue;
      }
      if (section.is_null() || section.is_unknown()) continue;
      if (key == "packages") read_packages(section);
      else if (key == "groups") read_accounts(section, extension_.groups, "group");
      else if (key == "users") read_accounts(section, extension_.users, "user");
      else if (key == "sources") read_sources(section);
      else if (key == "files") read_files(section);
      else if (key == "commands") read_commands(section, extension_.commands, false);
      else if (key == "services") read_services(section);
      else if (key == "container_commands") read_commands(section, extension_.container_commands, true);
      else if (key == "option_settings") read_option_settings(section);
      else if (key == "Resources") extension_.resources = expect_map(section, "a map of CloudFormation resources") ? &section : nullptr;
      else if (key == "Outputs") extension_.outputs = expect_map(section, "a map of CloudFormation outputs") ? &section : nullptr;
      else expect_map(section, "a map, as in a CloudFormation template");
    }
  }

 private:
  static std::string known_keys() {
    std::string list;
    for (std::string_view key : kTopLevelKeys) {
      if (!list.empty()) list += ", ";
      list += key;
    }
    return list;
  }

  void problem(Span span, std::string message, std::string suggestion = "") {
    extension_.problems.push_back({span, std::move(message), std::move(suggestion)});
  }

  bool expect_map(const Node& node, std::string_view what) {
    if (node.is_map() || node.is_unknown()) return true;
    problem(node.span, fmt::format("`{}` must be {}, not {}", node.key, what, kind_name(node)));
    return false;
  }

  // A boolean as PyYAML (YAML 1.1) reads it: true/false, yes/no, on/off in any of their cases.
  bool is_yaml11_boolean(const Node& node) const {
    if (node.kind == NodeKind::Boolean || node.is_unknown()) return true;
    if (node.kind != NodeKind::String || quoted(node)) return false;
    for (std::string_view word : {"yes", "no", "on", "off", "y", "n"})
      if (equal_ignoring_case(node.text, word)) return true;
    return false;
  }

  bool quoted(const Node& node) const {
    if (node.span.empty()) return false;
    size_t at = file_.offset_of(node.span.begin);
    return at < file_.text().size() && (file_.text()[at] == '"' || file_.text()[at] == '\'');
  }

  // `quoted_words`: a quoted "true" or "false" is read as that boolean. cfn-init, which runs
  // `services:`, reads them so, and the Elastic Beanstalk guide's own services syntax quotes them
  // (`enabled: "true"`).
  void expect_boolean(const Node& node, bool quoted_words = false) {
    if (is_yaml11_boolean(node)) return;
    if (quoted_words && node.is_string() &&
        (equal_ignoring_case(node.text, "true") || equal_ignoring_case(node.text, "false")))
      return;
    std::string written = node.is_string() && quoted(node) ? fmt::format("the quoted string {}", node.describe())
                                                           : fmt::format("{} ({})", node.describe(), kind_name(node));
    problem(node.span, fmt::format("`{}` must be a boolean (true or false), not {}", node.key, written));
  }

  void expect_string(const Node& node, std::string_view what) {
    if (node.is_string() || node.is_number() || node.is_unknown()) return;
    problem(node.span, fmt::format("`{}` must be {}, not {}", node.key, what, kind_name(node)));
  }

  void read_packages(const Node& section) {
    if (!expect_map(section, "a map of package managers (yum:, rpm:, rubygems:, python:) to packages")) return;
    for (const Node& manager : section.children) {
      if (!one_of(kPackageManagers, manager.key)) {
        std::string suggestion = closest(kPackageManagers, manager.key);
        problem(manager.key_or_value_span(),
                fmt::format("`{}` is not a package manager Elastic Beanstalk knows (yum, rpm, rubygems, python)",
                            manager.key),
                suggestion);
        continue;
      }
      if (manager.is_null()) continue;
      if (!expect_map(manager, fmt::format("a map of package names to versions (`{}: {{name: []}}`)", manager.key)))
        continue;
      for (const Node& package : manager.children) {
        if (package.is_map()) {
          problem(package.span, fmt::format("the version of package `{}` must be a string, a list of versions or [], "
                                            "not a map",
                                            package.key));
          continue;
        }
        extension_.packages.push_back({manager.key, package.key, &package});
      }
    }
  }

  void read_accounts(const Node& section, std::vector<Account>& accounts, std::string_view what) {
    if (!expect_map(section, fmt::format("a map of {} names to their settings", what))) return;
    for (const Node& account : section.children) {
      if (!account.is_null() && !account.is_map()) {
        problem(account.span, fmt::format("the settings of {} `{}` must be a map (or empty), not {}", what,
                                          account.key, kind_name(account)));
        continue;
      }
      accounts.push_back({account.key, &account});
    }
  }

  void read_sources(const Node& section) {
    if (!expect_map(section, "a map of target folders to archive URLs")) return;
    for (const Node& source : section.children) {
      expect_string(source, "the URL of an archive");
      extension_.sources.push_back({source.key, &source});
    }
  }

  void read_files(const Node& section) {
    if (!expect_map(section, "a map of file paths to their settings (content:, source:, mode:...)")) return;
    for (const Node& entry : section.children) {
      if (!entry.is_map()) {
        if (!entry.is_unknown())
          problem(entry.span, fmt::format("the settings of file `{}` must be a map (content:, source:, mode:...), "
                                          "not {}",
                                          entry.key, kind_name(entry)));
        continue;
      }
      FileEntry file;
      file.path = entry.key;
      file.entry = &entry;
      file.content = entry.find("content");
      file.source = entry.find("source");
      file.encoding = entry.find("encoding");
      file.mode = entry.find("mode");
      file.owner = entry.find("owner");
      file.group = entry.find("group");
      if (file.content && file.content->is_string() && !(file.encoding && file.encoding->text == "base64")) {
        file.content_text = node_text(file_, *file.content);
        file.is_script = is_shell_script(file.path, file.content_text.text());
        if (file.is_script) file.script = shell::parse_shell(file_, file.content_text);
      }
      if (file.content && file.source)
        problem(entry.key_or_value_span(),
                fmt::format("file `{}` has both `content` and `source`: give one of them", entry.key));
      extension_.files.push_back(std::move(file));
    }
  }

  void read_commands(const Node& section, std::vector<Command>& commands, bool container) {
    std::string_view what = container ? "container_commands" : "commands";
    if (!section.is_map()) {
      if (!section.is_unknown())
        problem(section.span, fmt::format("`{}` must be a map of named commands (`01_name: {{command: ...}}`), not {}",
                                          what, kind_name(section)));
      return;
    }
    for (const Node& entry : section.children) {
      if (!entry.is_map()) {
        if (!entry.is_unknown())
          problem(entry.span, fmt::format("command `{}` must be a map with a `command:` key, not {} (write "
                                          "`{}:\\n  command: ...`)",
                                          entry.key, kind_name(entry), entry.key));
        continue;
      }
      Command command;
      command.name = entry.key;
      command.entry = &entry;
      command.container_command = container;
      for (const Node& field : entry.children) {
        const std::string& key = field.key;
        if (key == "command") command.command = &field;
        else if (key == "env") command.env = &field;
        else if (key == "cwd") command.cwd = &field;
        else if (key == "test") command.test = &field;
        else if (key == "ignoreErrors") command.ignore_errors = &field;
        else if (key == "leader_only" && container) command.leader_only = &field;
        else if (!one_of(kCommandKeys, key)) {
          std::string suggestion = container ? closest(std::array<std::string_view, 7>{"command", "env", "cwd", "test",
                                                                                       "ignoreErrors", "leader_only",
                                                                                       "waitAfterCompletion"},
                                                       key)
                                             : closest(kCommandKeys, key);
          problem(field.key_or_value_span(),
                  fmt::format("`{}` is not a setting of {} entries (they take command, env, cwd, test, "
                              "ignoreErrors{})",
                              key, what, container ? ", leader_only" : ""),
                  suggestion);
        }
      }
      if (!command.command) {
        problem(entry.key_or_value_span(), fmt::format("command `{}` has no `command:` to run", entry.key));
      } else if (command.command->is_string() || command.command->is_number()) {
        command.script = shell::parse_shell(file_, node_text(file_, *command.command));
      } else if (command.command->is_list()) {
        std::vector<shell::ExecWord> words;
        for (const Node& word : command.command->children) {
          if (!word.is_string() && !word.is_number()) {
            if (!word.is_unknown())
              problem(word.span, fmt::format("the words of a command list must be strings, not {}", kind_name(word)));
            words.clear();
            break;
          }
          words.push_back({node_text(file_, word), file_.offset_of(word.span.begin), file_.offset_of(word.span.end)});
        }
        if (!words.empty()) command.script = shell::parse_exec_form(file_, words);
      } else if (!command.command->is_unknown()) {
        problem(command.command->span, fmt::format("`command` must be a string or a list of words, not {}",
                                                   kind_name(*command.command)));
      }
      if (command.env && !command.env->is_map() && !command.env->is_null() && !command.env->is_unknown())
        problem(command.env->span, fmt::format("`env` must be a map of variable names to values, not {}",
                                               kind_name(*command.env)));
      // `cwd` and `test` of another type are not reported: cfn-init receives them as they are, and
      // nothing says Elastic Beanstalk rejects the file for it (the claim every EB001 makes).
      if (command.ignore_errors) expect_boolean(*command.ignore_errors);
      if (command.leader_only) expect_boolean(*command.leader_only);
      commands.push_back(std::move(command));
    }
  }

  void read_services(const Node& section) {
    if (!expect_map(section, "a map of service managers (sysvinit:) to services")) return;
    for (const Node& manager : section.children) {
      if (manager.key != "sysvinit" && manager.key != "windows") {
        problem(manager.key_or_value_span(),
                fmt::format("`{}` is not a service manager Elastic Beanstalk knows: use `sysvinit`", manager.key));
        continue;
      }
      if (manager.is_null() || !expect_map(manager, "a map of service names to their settings")) continue;
      for (const Node& service : manager.children) {
        if (!service.is_map() && !service.is_null()) {
          problem(service.span, fmt::format("the settings of service `{}` must be a map (enabled:, ensureRunning:...), "
                                            "not {}",
                                            service.key, kind_name(service)));
          continue;
        }
        Service read;
        read.manager = manager.key;
        read.name = service.key;
        read.entry = &service;
        read.enabled = service.find("enabled");
        read.ensure_running = service.find("ensureRunning");
        if (read.enabled) expect_boolean(*read.enabled, true);
        if (read.ensure_running) expect_boolean(*read.ensure_running, true);
        extension_.services.push_back(std::move(read));
      }
    }
  }

  void read_option_settings(const Node& section) {
    if (section.is_map()) {
      // The map form: `namespace: {option: value}`.
      for (const Node& space : section.children) {
        if (space.is_null()) continue;
        if (!space.is_map()) {
          problem(space.span, fmt::format("in the map form of option_settings, namespace `{}` must hold a map of "
                                          "option names to values, not {}",
                                          space.key, kind_name(space)));
          continue;
        }
        for (const Node& option : space.children) {
          if (option.is_map() || option.is_list()) {
            problem(option.span, fmt::format("the value of option `{}` must be a single value, not {}", option.key,
                                             kind_name(option)));
            continue;
          }
          OptionSetting setting;
          setting.namespace_name = space.key;
          setting.namespace_written = true;
          setting.option_name = option.key;
          setting.value = &option;
          setting.entry = &option;
          setting.option_node = &option;
          extension_.option_settings.push_back(std::move(setting));
        }
      }
      return;
    }
    if (!section.is_list()) {
      problem(section.span, fmt::format("`option_settings` must be a list of {{namespace, option_name, value}} entries "
                                        "or a map of namespaces, not {}",
                                        kind_name(section)));
      return;
    }
    for (const Node& item : section.children) {
      if (!item.is_map()) {
        problem(item.span, fmt::format("an option_settings entry must be a map with `namespace`, `option_name` and "
                                       "`value`, not {}",
                                       kind_name(item)));
        continue;
      }
      OptionSetting setting;
      setting.entry = &item;
      setting.namespace_name = std::string(kEnvironmentNamespace);
      bool valid = true;
      for (const Node& field : item.children) {
        if (!one_of(kOptionKeys, field.key)) {
          std::string suggestion = closest(kOptionKeys, field.key);
          problem(field.key_or_value_span(),
                  fmt::format("`{}` is not a field of an option_settings entry (namespace, option_name, value, "
                              "resource_name){}",
                              field.key,
                              suggestion.empty() ? "; for the map form, write `namespace: {option: value}` under "
                                                   "`option_settings:`"
                                                 : ""),
                  suggestion);
          valid = false;
          continue;
        }
        if (field.key == "value") {
          if (field.is_map() || field.is_list()) {
            problem(field.span, fmt::format("an option's `value` must be a single value, not {}", kind_name(field)));
            valid = false;
          }
          setting.value = &field;
          continue;
        }
        if (field.key == "resource_name") {
          setting.resource_name = &field;
          continue;
        }
        if (!field.is_string() && !field.is_unknown()) {
          problem(field.span, fmt::format("`{}` must be a string, not {}", field.key, kind_name(field)));
          valid = false;
          continue;
        }
        if (field.key == "namespace") {
          setting.namespace_name = field.text;
          setting.namespace_written = true;
        } else {
          setting.option_name = field.text;
          setting.option_node = &field;
        }
      }
      if (!setting.option_node && valid) {
        problem(item.span, "an option_settings entry needs `option_name` (and `namespace`, which defaults to "
                           "environment properties, and `value`)");
        continue;
      }
      if (valid) extension_.option_settings.push_back(std::move(setting));
    }
  }

  const SourceFile& file_;
  Extension& extension_;
};

}  // namespace

std::optional<bool> Command::leader_only_value() const {
  if (!leader_only) return std::nullopt;
  if (leader_only->kind == NodeKind::Boolean) return leader_only->boolean;
  if (leader_only->kind != NodeKind::String) return std::nullopt;
  for (std::string_view word : {"true", "yes", "on", "y"})
    if (equal_ignoring_case(leader_only->text, word)) return true;
  for (std::string_view word : {"false", "no", "off", "n"})
    if (equal_ignoring_case(leader_only->text, word)) return false;
  return std::nullopt;
}

void read_extension(const SourceFile& file, const Document& document, Extension& extension) {
  ExtensionReader(file, extension).read(document);
}

}  // namespace shiftlint::eb
