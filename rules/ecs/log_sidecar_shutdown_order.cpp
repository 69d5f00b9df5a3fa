// ECS005: an essential app container that does not depend on the log-shipping sidecar it ships to,
// so ECS may stop the shipper first at task stop.
#include <fmt/format.h>

#include <strings.h>

#include "analyzer/detect/log_shipper.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// The image reference; for a CloudFormation Fn::Sub, its template, whose repository part is literal
// (`${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/aws-for-fluent-bit:2.32.2`).
// The image's literal text, a CloudFormation `!Sub` template included (placeholders left in).
std::string image_template(const ecs::ContainerDefinition& container) {
  if (!container.image) return {};
  return std::string(detect::text_with_placeholders(*container.image).value_or(std::string_view()));
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::string> source_volumes(const ecs::ContainerDefinition& container) {
  std::vector<std::string> volumes;
  if (!container.mount_points || !container.mount_points->is_list()) return volumes;
  for (const Node& mount : container.mount_points->children) {
    const Node* volume = mount.is_map() ? mount.find_any_case("sourceVolume") : nullptr;
    if (auto text = volume ? volume->as_string() : std::nullopt) volumes.emplace_back(*text);
  }
  return volumes;
}

// `volumesFrom` of the shipper names the app: it reads the app's files.
bool mounts_volumes_from(const ecs::ContainerDefinition& shipper, std::string_view app_name) {
  const Node* volumes_from = shipper.node->find_any_case("volumesFrom");
  if (!volumes_from || !volumes_from->is_list()) return false;
  for (const Node& entry : volumes_from->children) {
    const Node* source = entry.is_map() ? entry.find_any_case("sourceContainer") : nullptr;
    if (source && source->as_string() == app_name) return true;
  }
  return false;
}

// Why the app is known to ship to this shipper, or "" when nothing says so.
std::string shipping_evidence(const ecs::ContainerDefinition& app, const ecs::ContainerDefinition& shipper,
                              const detect::LogShipper& kind) {
  std::string_view shipper_name = shipper.name_text();
  if (equals_ignoring_case(app.log_driver(), "fluentd") && detect::accepts_fluent_forward(kind.kind))
    return "its fluentd log driver";
  for (const ecs::NameValue& entry : app.environment_entries) {
    auto name = entry.name ? entry.name->as_string() : std::nullopt;
    auto value = entry.value ? entry.value->as_string() : std::nullopt;
    if (name && value &&
        detect::environment_points_at_log_shipper(*name, *value, {std::string(shipper_name)}))
      return fmt::format("{}={}", *name, *value);
  }
  std::vector<std::string> shipper_volumes = source_volumes(shipper);
  for (const std::string& volume : source_volumes(app))
    for (const std::string& shared : shipper_volumes)
      if (volume == shared) return fmt::format("the shared volume \"{}\"", volume);
  if (mounts_volumes_from(shipper, app.name_text())) return "volumesFrom";
  return {};
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  const bool cloudformation = task.carrier == ecs::Carrier::CloudFormation;
  struct Classified {
    const ecs::ContainerDefinition* container;
    detect::LogContainer log;
  };
  std::vector<Classified> containers;
  const ecs::ContainerDefinition* router = nullptr;
  for (const ecs::ContainerDefinition& container : task.containers) {
    bool has_firelens = container.firelens_configuration && !container.firelens_configuration->is_null();
    containers.push_back({&container, detect::classify_log_container(image_template(container), container.command_line(),
                                                                     has_firelens)});
    if (has_firelens && !router) router = &container;
  }

  for (const Classified& shipper : containers) {
    if (shipper.log.role != detect::LogContainerRole::LogShipperSidecar) continue;
    std::string_view shipper_name = shipper.container->name_text();
    if (shipper_name.empty()) continue;

    // The apps that ship to it; when none says so, every essential app container counts.
    std::vector<std::pair<const ecs::ContainerDefinition*, std::string>> senders;
    std::vector<const ecs::ContainerDefinition*> essential_apps;
    for (const Classified& app : containers) {
      if (app.log.role != detect::LogContainerRole::Application) continue;
      if (app.container->is_essential() != true) continue;
      essential_apps.push_back(app.container);
      std::string evidence = shipping_evidence(*app.container, *shipper.container, *shipper.log.shipper);
      if (!evidence.empty()) senders.emplace_back(app.container, std::move(evidence));
    }
    if (senders.empty())
      for (const ecs::ContainerDefinition* app : essential_apps) senders.emplace_back(app, std::string());

    for (const auto& [app, evidence] : senders) {
      if (app->depends_on && !app->depends_on->is_null() && !app->depends_on->is_list()) continue;  // unknown
      bool unreadable = false;
      for (const ecs::ContainerDependency& dependency : app->dependencies)
        unreadable = unreadable || !dependency.container_name || !dependency.container_name->as_string();
      if (unreadable || app->find_dependency(shipper_name)) continue;

      std::string what =
          evidence.empty()
              ? fmt::format("{} is essential and the task runs the {} sidecar \"{}\" beside it, but does not list "
                            "it in dependsOn",
                            app->label(), shipper.log.shipper->product, shipper_name)
              : fmt::format("{} ships its logs to the {} sidecar \"{}\" ({}) but does not list it in dependsOn",
                            app->label(), shipper.log.shipper->product, shipper_name, evidence);
      std::string entry = cloudformation
                              ? fmt::format("{{ContainerName: {}, Condition: START}}", shipper_name)
                              : fmt::format(R"({{"containerName": "{}", "condition": "START"}})", shipper_name);
      bool has_depends_on = app->depends_on && app->depends_on->is_list() && !app->depends_on->children.empty();
      std::string fix = has_depends_on ? fmt::format("add {} to its dependsOn", entry)
                                       : fmt::format("add {} [{}]", cloudformation ? "DependsOn:" : "\"dependsOn\":", entry);
      // An explicit dependsOn replaces the ordering ECS adds for FireLens: the router must be listed too.
      if (router && router != app && equals_ignoring_case(app->log_driver(), "awsfirelens") &&
          !router->name_text().empty() && !app->find_dependency(router->name_text()))
        fix += fmt::format(", and list the log router \"{}\" too, since an explicit dependsOn replaces the ordering "
                           "ECS adds for FireLens",
                           router->name_text());

      Finding& finding = context.report_key(
          has_depends_on ? *app->depends_on : *app->node,
          fmt::format("{}: at task stop ECS may stop the shipper first, and the app's last log lines are lost; {}",
                      what, fix));
      RuleContext::relate(finding, shipper.container->image ? *shipper.container->image : *shipper.container->node,
                          "the log shipper is defined here");
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS005",
    .slug = "log-sidecar-shutdown-order",
    .severity = Severity::Warning,
    .summary = "An essential app container does not list its log-shipping sidecar in dependsOn",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
