#include "analyzer/model/aws/task_definition_links.h"

#include <cctype>

namespace shiftlint::aws {

namespace {

bool family_character(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// The family at the start of `text` (letters, digits, '-' and '_', up to 255), or "".
std::string_view leading_family(std::string_view text) {
  size_t end = 0;
  while (end < text.size() && end < 255 && family_character(text[end])) ++end;
  return text.substr(0, end);
}

const ecs::TaskDefinition* find_task(const Node* value, const ResourceIdentity& from,
                                     const std::vector<LinkableTaskDefinition>& candidates) {
  if (!value) return nullptr;
  if (auto reference = terraform_reference(*value); reference && reference->type == "aws_ecs_task_definition") {
    const LinkableTaskDefinition* found = resolve_unique(candidates, *reference, from.module_address);
    return found ? found->task : nullptr;
  }
  if (auto logical_id = cloudformation_logical_id(*value)) {
    for (const LinkableTaskDefinition& candidate : candidates)
      if (candidate.identity.type == "AWS::ECS::TaskDefinition" && candidate.identity.address == *logical_id)
        return candidate.task;
    return nullptr;
  }
  auto family = named_family(*value);
  if (!family) return nullptr;
  const ecs::TaskDefinition* found = nullptr;
  for (const LinkableTaskDefinition& candidate : candidates) {
    const Node* candidate_family = candidate.task->family;
    auto text = candidate_family ? candidate_family->as_string() : std::nullopt;
    if (!text || *text != *family) continue;
    if (found && found != candidate.task) return nullptr;  // two task definitions with that family: which one?
    found = candidate.task;
  }
  return found;
}

}  // namespace

std::optional<std::string> named_family(const Node& value) {
  std::string_view text = value.text;
  constexpr std::string_view marker = "task-definition/";
  if (size_t at = text.find(marker); at != std::string_view::npos) {
    std::string_view rest = text.substr(at + marker.size());
    std::string_view family = leading_family(rest);
    // The family ends at the revision, the end of the ARN or the template's closing quote; one
    // that runs into an interpolation (`task-definition/web-${var.env}`) is not known.
    if (family.empty() || (family.size() < rest.size() && std::string_view(":\"' ").find(rest[family.size()]) ==
                                                              std::string_view::npos))
      return std::nullopt;
    return std::string(family);
  }
  if (!value.is_string() || text.rfind("arn:", 0) == 0) return std::nullopt;
  std::string_view family = leading_family(text);
  if (family.empty() || (family.size() < text.size() && text[family.size()] != ':')) return std::nullopt;
  return std::string(family);
}

void link_task_definitions(Infrastructure& infrastructure, const std::vector<LinkableTaskDefinition>& candidates) {
  for (const LinkableTaskDefinition& candidate : candidates) infrastructure.task_definitions.push_back(candidate.task);
  for (RunTask& run : infrastructure.run_tasks)
    if (!run.task) run.task = find_task(run.task_definition, run.identity, candidates);
  for (EcsService& service : infrastructure.services)
    if (!service.task) service.task = find_task(service.task_definition, service.identity, candidates);
  for (AppSpec& appspec : infrastructure.appspecs)
    if (!appspec.task) appspec.task = find_task(appspec.task_definition, {}, candidates);
}

}  // namespace shiftlint::aws
