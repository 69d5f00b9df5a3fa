#include "analyzer/model/aws/shell_run_task.h"

#include <fmt/format.h>

#include "analyzer/model/terraform/json_values.h"

namespace shiftlint::aws {

namespace {

// A word as a value node: a String when literal, Unknown when it holds expansions.
const Node* value_node(const shell::Word& word, std::string_view value, const SourceFile& file, Infrastructure& out) {
  Node node;
  node.file = &file;
  node.span = word.span;
  if (word.has_expansion) {
    node.kind = NodeKind::Unknown;
    node.text = word.text;
  } else {
    node.kind = NodeKind::String;
    node.text = std::string(value);
  }
  out.storage.push_back(std::move(node));
  return &out.storage.back();
}

struct Option {
  const shell::Word* word = nullptr;
  std::string_view value;
};

// `--name value` or `--name=value`; the last one wins, as in the AWS CLI.
std::optional<Option> option(const shell::Command& command, size_t from, std::string_view name) {
  std::optional<Option> found;
  for (size_t i = from; i < command.arguments.size(); ++i) {
    const shell::Word& word = command.arguments[i];
    std::string_view text = word.value;
    if (text == name && i + 1 < command.arguments.size()) {
      found = Option{&command.arguments[i + 1], command.arguments[i + 1].value};
    } else if (text.size() > name.size() && text.starts_with(name) && text[name.size()] == '=') {
      found = Option{&word, text.substr(name.size() + 1)};
    }
  }
  return found;
}

// `awsvpcConfiguration={subnets=[subnet-1],assignPublicIp=ENABLED}` or the JSON form.
const Node* assign_public_ip(const Option& network, const SourceFile& file, Infrastructure& out) {
  if (network.word->has_expansion) return value_node(*network.word, network.value, file, out);
  std::string_view text = network.value;
  size_t at = text.find("assignPublicIp");
  if (at == std::string_view::npos) return nullptr;
  for (std::string_view state : {"ENABLED", "DISABLED"})
    if (text.find(state, at) != std::string_view::npos) {
      Node node;
      node.kind = NodeKind::String;
      node.text = std::string(state);
      node.file = &file;
      node.span = network.word->span;
      out.storage.push_back(std::move(node));
      return &out.storage.back();
    }
  return nullptr;
}

}  // namespace

void extract_run_tasks(const shell::Script& script, const SourceFile& file, Infrastructure& out) {
  for (const shell::Command& command : script.commands) {
    if (shell::program_name(command.name) != "aws") continue;
    // `aws [global options] ecs run-task ...`
    size_t ecs = 0;
    while (ecs < command.arguments.size() && command.arguments[ecs].value != "ecs") ++ecs;
    if (ecs + 1 >= command.arguments.size() || command.arguments[ecs + 1].value != "run-task") continue;
    size_t from = ecs + 2;
    out.carrier = Carrier::Shell;
    RunTask run;
    run.carrier = Carrier::Shell;
    run.source = RunTaskSource::ShellCommand;
    run.spelling = Spelling::Camel;
    run.file = &file;
    Node whole;
    whole.kind = NodeKind::Map;
    whole.file = &file;
    whole.span = command.span;
    out.storage.push_back(std::move(whole));
    run.node = &out.storage.back();
    run.display_name = fmt::format("`aws ecs run-task` on line {}", command.span.begin.line);
    if (auto found = option(command, from, "--launch-type")) run.launch_type = value_node(*found->word, found->value, file, out);
    if (auto found = option(command, from, "--platform-version"))
      run.platform_version = value_node(*found->word, found->value, file, out);
    if (auto found = option(command, from, "--task-definition"))
      run.task_definition = value_node(*found->word, found->value, file, out);
    if (auto found = option(command, from, "--capacity-provider-strategy")) {
      Node strategy;  // shorthand or JSON: read only which providers it names
      strategy.kind = NodeKind::List;
      strategy.file = &file;
      strategy.span = found->word->span;
      for (std::string_view provider : {"FARGATE_SPOT", "FARGATE"})
        if (!found->word->has_expansion && found->value.find(provider) != std::string_view::npos) {
          Node item;
          item.kind = NodeKind::Map;
          Node name;
          name.kind = NodeKind::String;
          name.text = std::string(provider);
          name.key = "capacityProvider";
          item.children.push_back(std::move(name));
          strategy.children.push_back(std::move(item));
          break;
        }
      if (strategy.children.empty()) strategy.kind = NodeKind::Unknown;
      out.storage.push_back(std::move(strategy));
      run.capacity_provider_strategy = &out.storage.back();
    }
    if (auto found = option(command, from, "--network-configuration"))
      run.assign_public_ip = assign_public_ip(*found, file, out);
    if (auto found = option(command, from, "--overrides"); found && !found->word->has_expansion) {
      Node overrides;
      std::string error;
      if (terraform::looks_like_json(found->value) &&
          terraform::decode_json_text(found->value, &file, found->word->span, overrides, error) && overrides.is_map()) {
        out.storage.push_back(std::move(overrides));
        run.overrides = &out.storage.back();
        run.overrides_length = found->value.size();
      }
    }
    out.run_tasks.push_back(std::move(run));
  }
}

}  // namespace shiftlint::aws
