#include <string>

#include <fmt/format.h>

#include "analyzer/detect/secret_like.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  for (const ecs::ContainerDefinition& container : task.containers) {
    for (const ecs::NameValue& entry : container.environment_entries) {
      if (!entry.value) continue;
      // A `!Sub` template counts by its literal parts: a password written into it leaks whatever
      // the placeholders become.
      auto value = detect::text_with_placeholders(*entry.value);
      if (!value) continue;
      std::string_view name;
      if (entry.name) name = entry.name->as_string().value_or(std::string_view());
      auto secret = detect::find_plaintext_secret(name, *value);
      if (!secret) continue;
      std::string variable = name.empty() ? std::string("an environment variable") : fmt::format("environment variable \"{}\"", name);
      std::string shown = secret->secret.empty() ? "" : fmt::format(" ({})", detect::mask_secret(secret->secret));
      Finding& finding = context.report(*entry.value,
                     fmt::format("{} of {} holds {} in plain text{}: anyone who can read this file or describe the "
                                 "task definition can read it, in every revision, for good; move it to \"secrets\" with "
                                 "valueFrom set to a Secrets Manager secret or SSM parameter ARN, and rotate it",
                                 variable, container.label(), secret->kind, shown));
      // The report must not leak what it warns about: code frames and snippets show it masked.
      finding.sensitive = true;
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS009",
    .slug = "plaintext-secret-env",
    .severity = Severity::Error,
    .summary = "A container environment entry holds a secret (password, token, AWS key) in plain text; use secrets",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
