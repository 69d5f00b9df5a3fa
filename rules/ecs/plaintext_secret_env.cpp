#include <cctype>
#include <optional>
#include <string>

#include <re2/re2.h>

#include <fmt/format.h>

#include "analyzer/detect/secret_like.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// A value Terraform reads from a secret store at plan time and writes into the task definition:
// `data.aws_secretsmanager_secret_version.db.secret_string` (a secret whatever it is called), or
// `data.aws_ssm_parameter.db_password.value` when the parameter or the variable is named like a
// secret (`.value` of a plain String parameter, a hostname, is configuration). What the expression
// says, or nullopt.
struct StoreRead {
  std::string_view expression;
  std::string_view store;  // "Secrets Manager" or "SSM Parameter Store"; empty for a generated password
  std::string_view label;  // the data source's (or resource's) name
};

// What comes before a reference in an expression leaves the value itself: nothing, `${` of a
// template, or calls that only re-encode it (`base64encode(`, `urlencode(`, `nonsensitive(`).
// `length(random_password.db.result)` or `bcrypt(...)` is not the password.
bool passed_as_is(std::string_view before) {
  while (true) {
    while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) before.remove_suffix(1);
    if (before.empty() || before.ends_with("${")) return true;
    if (before.back() != '(') return before.back() != '.' && before.back() != '_' && !std::isalnum(static_cast<unsigned char>(before.back()));
    before.remove_suffix(1);
    size_t name_begin = before.size();
    while (name_begin > 0 && (std::isalnum(static_cast<unsigned char>(before[name_begin - 1])) || before[name_begin - 1] == '_'))
      --name_begin;
    std::string_view function = before.substr(name_begin);
    if (function != "base64encode" && function != "urlencode" && function != "nonsensitive" && function != "tostring" &&
        function != "trimspace")
      return false;
    before = before.substr(0, name_begin);
  }
}

std::optional<StoreRead> secret_store_read(const Node& value) {
  if (!value.is_unknown()) return std::nullopt;
  std::string_view text = value.text;
  if (value.tag == kTemplateWithUnknownPartsTag && value.children.size() == 1 && value.children.front().is_string())
    text = value.children.front().text;
  // A password Terraform generates (`random_password.db.result`, also inside a template such as
  // `"base64:${base64encode(random_password.app_key.result)}"`): Terraform writes the value itself.
  static const RE2 generated(R"(((?:random_password)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.result)\b)");
  if (text.find("random_password.") != std::string_view::npos) {
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece expression, label;
    if (RE2::PartialMatch(input, generated, &expression, &label) &&
        passed_as_is(text.substr(0, static_cast<size_t>(expression.data() - text.data()))))
      return StoreRead{{expression.data(), expression.size()}, "", {label.data(), label.size()}};
  }
  if (text.find("aws_s") == std::string_view::npos) return std::nullopt;
  static const RE2 secret_string(R"(((?:data\.)?aws_secretsmanager_secret_version\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.secret_string)\b)");
  static const RE2 parameter_value(R"(((?:data\.)?aws_ssm_parameter\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.value)\b)");
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece expression, label;
  if (RE2::PartialMatch(input, secret_string, &expression, &label))
    return StoreRead{{expression.data(), expression.size()}, "Secrets Manager", {label.data(), label.size()}};
  if (RE2::PartialMatch(input, parameter_value, &expression, &label))
    return StoreRead{{expression.data(), expression.size()}, "SSM Parameter Store", {label.data(), label.size()}};
  return std::nullopt;
}

void check_store_read(const ecs::ContainerDefinition& container, const ecs::NameValue& entry, std::string_view name,
                      RuleContext& context) {
  auto read = secret_store_read(*entry.value);
  if (!read) return;
  bool parameter = read->store == "SSM Parameter Store";
  if (parameter && !detect::secret_like_name(name) && !detect::secret_like_name(read->label)) return;
  std::string variable = name.empty() ? std::string("an environment variable") : fmt::format("environment variable \"{}\"", name);
  std::string reference(read->expression.substr(0, read->expression.rfind('.')));
  if (read->store.empty()) {
    context.report(*entry.value,
                   fmt::format("{} of {} is set from {}, a password Terraform generates and writes into the task "
                               "definition in plain text: anyone who can describe the task definition (or read the "
                               "Terraform state) can read it, in every revision; store it in Secrets Manager "
                               "(aws_secretsmanager_secret_version with secret_string = {}) and move the entry to "
                               "\"secrets\" with valueFrom set to that secret's ARN",
                               variable, container.label(), read->expression, read->expression));
    return;
  }
  context.report(*entry.value,
                 fmt::format("{} of {} is set to {}, which Terraform reads from {} and writes into the task definition "
                             "in plain text: anyone who can describe the task definition (or read the Terraform "
                             "state) can read it, in every revision, and a rotation needs a new deployment; move it to "
                             "\"secrets\" with valueFrom = {}.arn, and the task execution role allowed to read it",
                             variable, container.label(), read->expression, read->store, reference));
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  for (const ecs::ContainerDefinition& container : task.containers) {
    for (const ecs::NameValue& entry : container.environment_entries) {
      if (!entry.value) continue;
      if (entry.value->is_unknown()) {
        std::string_view name;
        if (entry.name) name = entry.name->as_string().value_or(std::string_view());
        check_store_read(container, entry, name, context);
      }
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
