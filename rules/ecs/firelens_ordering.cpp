// ECS004: FireLens users whose explicit dependsOn leaves out the log router, a router that is not
// essential, or awsfirelens logging with no router at all.
#include <fmt/format.h>

#include <strings.h>

#include "analyzer/edit/tree_edit.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

bool is_router(const ecs::ContainerDefinition& container) {
  return container.firelens_configuration && !container.firelens_configuration->is_null();
}

bool logs_through_firelens(const ecs::ContainerDefinition& container) {
  return strcasecmp(std::string(container.log_driver()).c_str(), "awsfirelens") == 0;
}

const Node* log_driver_node(const ecs::ContainerDefinition& container) {
  const Node* driver = container.log_configuration ? container.log_configuration->find_any_case("logDriver") : nullptr;
  return driver ? driver : container.log_configuration;
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  const bool cloudformation = task.carrier == ecs::Carrier::CloudFormation;
  const ecs::ContainerDefinition* router = nullptr;
  for (const ecs::ContainerDefinition& container : task.containers)
    if (is_router(container) && !router) router = &container;

  if (!router) {
    // Every container must be readable to be sure no router exists.
    if (!task.container_definitions || !task.container_definitions->is_list()) return;
    for (const Node& item : task.container_definitions->children)
      if (!item.is_map()) return;
    for (const ecs::ContainerDefinition& container : task.containers) {
      if (!logs_through_firelens(container)) continue;
      context.report(*log_driver_node(container),
                     fmt::format("{} logs with the awsfirelens driver but the task has no FireLens log "
                                 "router (a container with {}): ECS cannot start the task; add a log router, e.g. "
                                 "aws-for-fluent-bit with {}",
                                 container.label(), cloudformation ? "FirelensConfiguration" : "firelensConfiguration",
                                 cloudformation ? "FirelensConfiguration: {Type: fluentbit}"
                                                : R"("firelensConfiguration": {"type": "fluentbit"})"));
    }
    return;
  }

  const std::string_view router_name = router->name_text();
  if (router->is_essential() == false) {
    Finding& finding = context.report(
        *router->essential,
        fmt::format("FireLens log router \"{}\" is not essential: if it stops, ECS keeps the task running and every "
                    "log line sent through FireLens from then on is lost; set {} as AWS's FireLens examples do",
                    router_name, cloudformation ? "Essential: true" : "\"essential\": true"));
    if (edit::written_within(*router->essential, *router->node))
      if (auto edit = edit::replace_scalar(*router->essential, edit::Value::boolean(true)))
        finding.fix = Fix{fmt::format("Make the log router \"{}\" essential", router_name), {*edit}};
  }
  if (router_name.empty()) return;

  for (const ecs::ContainerDefinition& container : task.containers) {
    if (&container == router || !logs_through_firelens(container)) continue;
    // No explicit dependsOn: ECS orders the router first on its own.
    if (!container.depends_on || container.depends_on->is_null()) continue;
    if (!container.depends_on->is_list() || container.depends_on->children.empty()) continue;
    bool unreadable = false;
    for (const Node& item : container.depends_on->children) unreadable = unreadable || !item.is_map();
    for (const ecs::ContainerDependency& dependency : container.dependencies)
      unreadable = unreadable || !dependency.container_name || !dependency.container_name->as_string();
    if (unreadable || container.find_dependency(router_name)) continue;

    Finding& finding = context.report_key(
        *container.depends_on,
        fmt::format("{} logs through FireLens but its dependsOn does not list the log router \"{}\": an "
                    "explicit dependsOn replaces the ordering ECS adds for FireLens, so the router can start after "
                    "the app and stop before it, and log lines are lost; add {}",
                    container.label(), router_name,
                    cloudformation ? fmt::format("{{ContainerName: {}, Condition: START}}", router_name)
                                   : fmt::format(R"({{"containerName": "{}", "condition": "START"}})", router_name)));
    RuleContext::relate(finding, *router->firelens_configuration, "the log router is defined here");
    auto key = [&](std::string_view camel_case) {
      std::string name(camel_case);
      if (cloudformation) name[0] = static_cast<char>(name[0] - 'a' + 'A');
      return name;
    };
    edit::Value dependency = edit::Value::map({{key("containerName"), edit::Value::string(std::string(router_name))},
                                               {key("condition"), edit::Value::string("START")}});
    if (edit::written_within(*container.depends_on, *container.node))
      if (auto edit = edit::append_item(*container.depends_on, dependency))
        finding.fix = Fix{fmt::format("Add the log router \"{}\" to dependsOn", router_name), {*edit}};
  }
}

const RuleRegistration registration{{
    .id = "ECS004",
    .slug = "firelens-ordering",
    .severity = Severity::Error,
    .summary = "A FireLens user's explicit dependsOn omits the log router, the router is not essential, or there is "
               "no router",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
