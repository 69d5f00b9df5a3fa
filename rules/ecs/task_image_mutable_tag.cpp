#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// `${aws_ecr_repository.app.repository_url}` (or the data source's): Terraform's reference to an
// ECR repository's URL, as a template with it reads.
bool is_ecr_repository_url(std::string_view placeholder) {
  static const RE2 repository_url(R"(\$\{(?:data\.)?aws_ecr_repository\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.repository_url\})");
  return RE2::FullMatch(placeholder, repository_url);
}

// That URL as the whole image (`image = aws_ecr_repository.app.repository_url`, or
// `"image": "${aws_ecr_repository.app.repository_url}"` in a heredoc of JSON): it never holds a tag,
// so ECS pulls :latest.
std::optional<std::string> untagged_ecr_repository_url(const Node& image) {
  std::optional<std::string_view> text = detect::text_with_placeholders(image);
  std::string placeholder = text ? std::string(*text) : image.is_unknown() ? "${" + image.text + "}" : std::string();
  if (!is_ecr_repository_url(placeholder)) return std::nullopt;
  return placeholder;
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  for (const ecs::ContainerDefinition& container : task.containers) {
    if (!container.image) continue;
    // `!Sub "${AWS::AccountId}.dkr.ecr...amazonaws.com/app:latest"` is :latest whatever the account.
    std::optional<std::string> ecr_url = untagged_ecr_repository_url(*container.image);
    auto image = ecr_url ? std::optional<std::string_view>(*ecr_url) : detect::text_with_placeholders(*container.image);
    if (!image) continue;
    detect::ImageReference reference = detect::parse_image_reference(*image);
    if (ecr_url) {  // the placeholder is the whole name: known to have no tag
      reference.known = true;
      reference.repository = *ecr_url;
    }
    if (!reference.is_mutable()) continue;
    std::string what = reference.has_tag() ? std::string("the tag \"latest\"") : std::string("no tag (so \"latest\")");
    // The full name, so the suggestion can be pasted: "danriti/gunicorn-flask", not "gunicorn-flask".
    std::string name = reference.registry.empty() ? reference.repository
                                                   : reference.registry + "/" + reference.repository;
    std::string ecr = reference.is_ecr() || is_ecr_repository_url(reference.repository)
                          ? ", and turn on tag immutability in the ECR repository"
                          : "";
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
