#include <string>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  for (const ecs::ContainerDefinition& container : task.containers) {
    if (!container.image) continue;
    // `!Sub "${AWS::AccountId}.dkr.ecr...amazonaws.com/app:latest"` is :latest whatever the account.
    auto image = detect::text_with_placeholders(*container.image);
    if (!image) continue;
    detect::ImageReference reference = detect::parse_image_reference(*image);
    if (!reference.is_mutable()) continue;
    std::string what = reference.has_tag() ? std::string("the tag \"latest\"") : std::string("no tag (so \"latest\")");
    // The full name, so the suggestion can be pasted: "danriti/gunicorn-flask", not "gunicorn-flask".
    std::string name = reference.registry.empty() ? reference.repository
                                                   : reference.registry + "/" + reference.repository;
    std::string ecr = reference.is_ecr() ? ", and turn on tag immutability in the ECR repository" : "";
    context.report(*container.image,
                   fmt::format("{} uses image \"{}\" with {}: each new deployment, rollback or scheduled run pulls "
                               "whatever the tag points to then, so a rollback can redeploy the broken build; pin a "
                               "version tag (\"{}:<version>\") or a digest (\"{}@sha256:<digest>\"){}",
                               container.label(), *image, what, name, name, ecr));
  }
}

const RuleRegistration registration{{
    .id = "ECS010",
    .slug = "task-image-mutable-tag",
    .severity = Severity::Warning,
    .summary = "A container image has no tag or uses :latest, so what runs changes without a new task definition",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
