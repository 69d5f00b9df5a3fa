#include <string>

#include <fmt/format.h>

#include "analyzer/detect/instance_metadata.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

void report_mention(const Node& value, std::string_view where, const ecs::ContainerDefinition& container,
                    bool fargate, RuleContext& context) {
  auto text = detect::text_with_placeholders(value);
  if (!text) return;
  auto mention = detect::find_instance_metadata_mention(*text);
  if (!mention) return;
  std::string_view consequence =
      fargate ? "there is no instance metadata service on Fargate, so the call fails or hangs"
              : "on EC2 it returns the host instance's identity and role credentials, not the task's, and it is "
                "gone on Fargate";
  context.report(value, fmt::format("{} of {} points at the EC2 instance metadata service ({} \"{}\"): {}; read task "
                                    "details from ${{ECS_CONTAINER_METADATA_URI_V4}} and get AWS credentials from the "
                                    "task role through the SDK",
                                    where, container.label(), mention->description, mention->marker,
                                    consequence));
}

void check_words(const Node* words, std::string_view where, const ecs::ContainerDefinition& container, bool fargate,
                 RuleContext& context) {
  if (!words) return;
  if (words->is_list()) {
    for (const Node& word : words->children) report_mention(word, where, container, fargate, context);
  } else {
    report_mention(*words, where, container, fargate, context);
  }
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  bool fargate = context.runs_on_fargate(task);
  for (const ecs::ContainerDefinition& container : task.containers) {
    check_words(container.entry_point, "the entryPoint", container, fargate, context);
    check_words(container.command, "the command", container, fargate, context);
    if (container.health_check && container.health_check->is_map())
      check_words(container.health_check->find_any_case("command"), "the health check", container, fargate, context);
    for (const ecs::NameValue& entry : container.environment_entries) {
      if (!entry.value) continue;
      std::string where = "an environment variable";
      if (entry.name)
        if (auto name = entry.name->as_string()) where = fmt::format("environment variable \"{}\"", *name);
      report_mention(*entry.value, where, container, fargate, context);
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS011",
    .slug = "task-instance-metadata-access",
    .severity = Severity::Warning,
    .summary = "A container command or env value calls the EC2 instance metadata service (169.254.169.254)",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
