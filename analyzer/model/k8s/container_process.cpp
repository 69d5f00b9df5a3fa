#include "analyzer/model/k8s/container_process.h"

#include <cctype>

#include <fmt/format.h>

namespace shiftlint::k8s {

std::vector<detect::EnvironmentVariable> environment_of(const Container& container) {
  std::vector<detect::EnvironmentVariable> environment;
  for (const EnvironmentEntry& entry : container.environment) {
    auto name = entry.name ? entry.name->as_string() : std::nullopt;
    if (!name) continue;
    auto value = entry.value && !entry.value_from ? entry.value->as_string() : std::nullopt;
    environment.push_back({std::string(*name), value ? std::optional<std::string>(*value) : std::nullopt});
  }
  return environment;
}

namespace {

bool is_assignment(std::string_view word) {
  size_t equals = word.find('=');
  if (equals == 0 || equals == std::string_view::npos) return false;
  for (size_t i = 0; i < equals; ++i) {
    char c = word[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return !std::isdigit(static_cast<unsigned char>(word[0]));
}

// Leading words that run the rest of the command as the program, and how many arguments they take.
size_t wrapper_length(const std::vector<std::string>& words, size_t at) {
  std::string_view program = detect::program_basename(words[at]);
  if (program == "exec" || program == "nohup" || program == "env" || program == "dumb-init" || program == "--")
    return 1;
  if (program == "gosu" || program == "su-exec") return 2;
  if (program == "tini") {
    size_t length = 1;
    while (at + length < words.size() && words[at + length].starts_with("-")) {
      bool end = words[at + length] == "--";
      ++length;
      if (end) break;
    }
    return length;
  }
  if (program == "bundle" && at + 1 < words.size() && words[at + 1] == "exec") return 2;
  if (is_assignment(words[at])) return 1;
  return 0;
}

}  // namespace

std::vector<std::vector<std::string>> commands_run(const Container& container) {
  std::vector<std::vector<std::string>> commands;
  auto words = container.command_line();
  if (!words || words->empty()) return commands;
  for (std::vector<std::string>& command : detect::split_simple_commands(*words)) {
    size_t at = 0;
    while (at < command.size()) {
      size_t length = wrapper_length(command, at);
      if (length == 0) break;
      at += length;
    }
    if (at >= command.size()) continue;
    commands.emplace_back(command.begin() + static_cast<std::ptrdiff_t>(at), command.end());
  }
  return commands;
}

std::optional<int64_t> pre_stop_sleep_seconds(const Container& container) {
  if (!container.pre_stop || !container.pre_stop->is_map()) return std::nullopt;
  if (const Node* sleep = container.pre_stop->find("sleep"); sleep && sleep->is_map()) {  // Kubernetes 1.30+
    const Node* seconds = sleep->find("seconds");
    return seconds ? seconds->as_integer() : std::nullopt;
  }
  const Node* exec = container.pre_stop->find("exec");
  const Node* command = exec && exec->is_map() ? exec->find("command") : nullptr;
  if (!command || !command->is_list()) return std::nullopt;
  std::vector<std::string> words;
  for (const Node& item : command->children) {
    auto word = item.as_string();
    if (!word) return std::nullopt;
    words.emplace_back(*word);
  }
  std::vector<std::vector<std::string>> commands = detect::split_simple_commands(words);
  if (commands.size() != 1 || commands[0].size() != 2 || detect::program_basename(commands[0][0]) != "sleep")
    return std::nullopt;
  const std::string& duration = commands[0][1];
  if (duration.empty() || duration.find_first_not_of("0123456789") != std::string::npos || duration.size() > 6)
    return std::nullopt;
  return std::stoll(duration);
}

const Node* command_item_containing(const Container& container, std::string_view text) {
  if (text.empty()) return nullptr;
  for (const Node* item : container.command_line_nodes()) {
    auto word = item->as_string();
    if (word && word->find(text) != std::string_view::npos) return item;
  }
  return nullptr;
}

const Node& command_location(const Container& container, std::string_view text) {
  if (const Node* item = command_item_containing(container, text)) return *item;
  if (container.command) return *container.command;
  if (container.args) return *container.args;
  return *container.node;
}

std::string describe_container(const Workload& workload, const Container& container) {
  std::string_view role = container.is_native_sidecar() ? "native sidecar" : container.init ? "init container" : "container";
  std::string_view name = container.name_text();
  if (name.empty()) return fmt::format("a {} of {}", role, workload.label());
  return fmt::format("{} \"{}\" of {}", role, name, workload.label());
}

}  // namespace shiftlint::k8s
