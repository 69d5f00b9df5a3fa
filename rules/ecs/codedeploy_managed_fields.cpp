#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

// The attribute an `ignore_changes` entry names: `task_definition` (a bare reference, evaluated as
// unknown) or the legacy quoted "task_definition"; `load_balancer[0]` counts for load_balancer.
std::string ignored_name(const Node& entry) {
  std::string_view text = entry.text;
  size_t end = text.find_first_of(".[");
  return std::string(text.substr(0, end));
}

bool ignores_all(const Node& ignore_changes) {
  return (ignore_changes.is_unknown() || ignore_changes.is_string()) && ignore_changes.text == "all";
}

// The byte just before a span's end: the closing `]` of a list, the `}` of a block.
std::optional<Position> last_character(const Node& node) {
  if (!node.file || node.span.empty() || node.span.end.column < 2) return std::nullopt;
  Position position{node.span.end.line, node.span.end.column - 1};
  size_t offset = node.file->offset_of(position);
  if (offset >= node.file->text().size()) return std::nullopt;
  return position;
}

// Adds the missing names to an `ignore_changes = [...]` written in the service's own file, or a
// whole lifecycle block before the service's closing brace when it has none.
void offer_fix(Finding& finding, const aws::EcsService& service, const std::vector<std::string_view>& missing) {
  const SourceFile* file = service.file;
  if (!file) return;
  std::string names;
  for (std::string_view name : missing) names += fmt::format("{}{}", names.empty() ? "" : ", ", name);
  if (service.ignore_changes) {
    const Node& list = *service.ignore_changes;
    auto close = last_character(list);
    if (list.file != file || !close || file->text()[file->offset_of(*close)] != ']') return;
    std::string insert = list.children.empty() ? names : ", " + names;
    finding.fix = Fix{fmt::format("Ignore changes to {}", names), {{{*close, *close}, insert}}};
    return;
  }
  if (service.lifecycle) return;  // a lifecycle block without ignore_changes: where to add it is the user's call
  auto close = last_character(*service.node);
  if (service.node->file != file || !close || file->text()[file->offset_of(*close)] != '}') return;
  std::string_view closing_line = file->line(close->line);
  if (closing_line.find_first_not_of(" \t") != close->column - 1) return;  // `}` not alone on its line
  std::string indent(closing_line.substr(0, close->column - 1));
  std::string newline = file->uses_crlf() ? "\r\n" : "\n";
  Position line_start{close->line, 1};
  finding.fix = Fix{"Ignore the fields CodeDeploy manages",
                    {{{line_start, line_start},
                      fmt::format("{0}  lifecycle {{{1}{0}    ignore_changes = [task_definition, load_balancer, "
                                  "desired_count]{1}{0}  }}{1}",
                                  indent, newline)}}};
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::EcsService& service : infrastructure.services) {
    if (service.carrier != aws::Carrier::Terraform || !service.deployment_controller_type) continue;
    if (service.deployment_controller_type->as_string() != "CODE_DEPLOY") continue;
    const Node* ignore_changes = service.ignore_changes;
    if (ignore_changes && ignores_all(*ignore_changes)) continue;
    if (ignore_changes && !ignore_changes->is_list()) continue;  // not readable: maybe it covers them
    std::vector<std::string_view> missing;
    for (std::string_view field : {"task_definition", "load_balancer"}) {
      bool listed = false;
      if (ignore_changes)
        for (const Node& entry : ignore_changes->children) listed = listed || ignored_name(entry) == field;
      if (!listed) missing.push_back(field);
    }
    if (missing.empty()) continue;
    std::string names = missing.size() == 2 ? "task_definition and load_balancer" : std::string(missing.front());
    std::string fix = ignore_changes ? fmt::format("add {} to ignore_changes", names)
                                     : "add lifecycle { ignore_changes = [task_definition, load_balancer, "
                                       "desired_count] }";
    const Node& at = ignore_changes ? *ignore_changes : service.lifecycle ? *service.lifecycle : *service.node;
    Finding& finding = context.report(
        at, fmt::format("{} uses the CODE_DEPLOY deployment controller, but Terraform still manages {}: CodeDeploy "
                        "changes {} on every blue/green deployment, and the next apply fails with \"Unable to "
                        "update task definition on services with a CODE_DEPLOY deployment controller\" (or swaps "
                        "the target group back); {}",
                        service.display_name, names, missing.size() == 2 ? "them" : "it", fix));
    RuleContext::relate(finding, *service.deployment_controller_type, "the deployment controller is set here");
    offer_fix(finding, service, missing);
  }
}

const RuleRegistration registration{{
    .id = "ECS102",
    .slug = "codedeploy-managed-fields",
    .severity = Severity::Error,
    .summary = "A Terraform aws_ecs_service with the CODE_DEPLOY controller does not ignore changes to "
               "task_definition and load_balancer",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
