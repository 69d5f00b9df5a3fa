// ECS001: a long-running container without a `nofile` ulimit, or with a soft limit below the minimum.
#include <fmt/format.h>

#include <strings.h>

#include <string_view>
#include <unordered_set>

#include "analyzer/edit/tree_edit.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// One-shot steps (migrations, config rendering): another container waits for them to COMPLETE or
// exit with SUCCESS. A condition that cannot be read might be one of those, so it exempts too.
// Collected once per task: asking per container would be quadratic in the containers.
std::unordered_set<std::string_view> one_shot_containers(const ecs::TaskDefinition& task) {
  std::unordered_set<std::string_view> names;
  for (const ecs::ContainerDefinition& other : task.containers) {
    for (const ecs::ContainerDependency& dependency : other.dependencies) {
      if (!dependency.container_name || !dependency.condition) continue;
      auto name = dependency.container_name->as_string();
      if (!name || name->empty()) continue;
      auto condition = dependency.condition->as_string();
      if (!condition || strcasecmp(std::string(*condition).c_str(), "COMPLETE") == 0 ||
          strcasecmp(std::string(*condition).c_str(), "SUCCESS") == 0)
        names.insert(*name);
    }
  }
  return names;
}

std::string nofile_entry(const ecs::TaskDefinition& task, int64_t limit) {
  if (task.carrier == ecs::Carrier::CloudFormation)
    return fmt::format("{{Name: nofile, SoftLimit: {0}, HardLimit: {0}}}", limit);
  return fmt::format(R"({{"name": "nofile", "softLimit": {0}, "hardLimit": {0}}})", limit);
}

// Field names as the carrier spells them: the API's camelCase, CloudFormation's PascalCase.
std::string field(const ecs::TaskDefinition& task, std::string_view camel_case) {
  std::string name(camel_case);
  if (task.carrier == ecs::Carrier::CloudFormation && !name.empty()) name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

edit::Value nofile_value(const ecs::TaskDefinition& task, int64_t limit) {
  return edit::Value::map({{field(task, "name"), edit::Value::string("nofile")},
                           {field(task, "softLimit"), edit::Value::number(limit)},
                           {field(task, "hardLimit"), edit::Value::number(limit)}});
}

bool written_here(const Node& node, const ecs::ContainerDefinition& container) {
  return edit::written_within(node, *container.node);
}

std::string fix_description(int64_t limit) { return fmt::format("Add a nofile ulimit of {}", limit); }

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  // ECS does not support ulimits for Windows containers: the advice could not be followed.
  if (task.runs_windows()) return;
  const int64_t minimum = context.options().integer("min_nofile", 65535);
  const bool cloudformation = task.carrier == ecs::Carrier::CloudFormation;
  // Where the limit comes from when the task definition does not set it.
  std::string_view platform = "the platform, as low as 1024 on some Fargate platform versions and EC2 AMIs";
  if (context.runs_on_fargate(task))
    platform = "Fargate's default, which has been 1024 on some platform versions";
  else if (task.excludes_fargate() || task.carrier == ecs::Carrier::DockerrunV2)
    platform = "the Docker daemon of the EC2 instance, 1024 on some AMIs";
  const std::string why = fmt::format(
      "its open-file limit (sockets included) is left to {}, and the old host's limits.conf does not carry over",
      platform);

  const std::unordered_set<std::string_view> one_shot = one_shot_containers(task);
  for (const ecs::ContainerDefinition& container : task.containers) {
    std::string_view name = container.name_text();
    if (!name.empty() && one_shot.count(name)) continue;

    if (!container.ulimits || container.ulimits->is_null()) {
      Finding& finding =
          context.report(*container.node,
                         fmt::format("{} has no \"nofile\" ulimit: {}; add {} [{}]", container.label(), why,
                                     cloudformation ? "Ulimits:" : "\"ulimits\":", nofile_entry(task, minimum)));
      if (!container.ulimits)
        if (auto edit = edit::insert_member(*container.node, field(task, "ulimits"),
                                            edit::Value::list({nofile_value(task, minimum)})))
          finding.fix = Fix{fix_description(minimum), {*edit}};
      continue;
    }
    if (!container.ulimits->is_list()) continue;  // unknown: a !Ref or an expression

    const ecs::Ulimit* nofile = container.find_ulimit("nofile");
    if (!nofile) {
      // An entry whose name cannot be read might be nofile.
      bool unreadable = false;
      for (const ecs::Ulimit& entry : container.ulimit_entries)
        unreadable = unreadable || !entry.name || !entry.name->as_string();
      for (const Node& item : container.ulimits->children) unreadable = unreadable || !item.is_map();
      if (unreadable) continue;
      Finding& finding =
          context.report_key(*container.ulimits,
                             fmt::format("{} sets ulimits but not \"nofile\": {}; add {}", container.label(), why,
                                         nofile_entry(task, minimum)));
      if (edit::written_within(*container.ulimits, *container.node))
        if (auto edit = edit::append_item(*container.ulimits, nofile_value(task, minimum)))
          finding.fix = Fix{fix_description(minimum), {*edit}};
      continue;
    }

    if (!nofile->soft_limit) continue;
    auto soft = nofile->soft_limit->as_integer();
    if (!soft) continue;
    std::optional<int64_t> hard;  // assigned, not built from a conditional: see config.cpp's limits
    if (nofile->hard_limit) hard = nofile->hard_limit->as_integer();

    if (hard && *soft > *hard) {
      context.report(*nofile->soft_limit,
                     fmt::format("{} has a \"nofile\" softLimit of {} above its hardLimit of {}: the "
                                 "kernel refuses a soft limit above the hard one, so the container fails to start; "
                                 "make softLimit at most hardLimit (both {} or more)",
                                 container.label(), *soft, *hard, minimum));
      continue;
    }
    if (*soft < minimum) {
      std::string fix = hard && *hard >= minimum
                            ? fmt::format("raise softLimit to at least {}", minimum)
                            : fmt::format("raise softLimit and hardLimit to at least {}", minimum);
      Finding& finding =
          context.report(*nofile->soft_limit,
                         fmt::format("{} has a \"nofile\" softLimit of {}, below {}: under load the "
                                     "process fails with \"Too many open files\" (every socket counts); {}",
                                     container.label(), *soft, minimum, fix));
      // Raise both limits where they are written; a hard limit that is missing or not a literal
      // leaves the right value to the user.
      if (hard && written_here(*nofile->soft_limit, container) && written_here(*nofile->hard_limit, container)) {
        auto soft_edit = edit::replace_scalar(*nofile->soft_limit, edit::Value::number(minimum));
        auto hard_edit = *hard >= minimum ? std::nullopt
                                          : edit::replace_scalar(*nofile->hard_limit, edit::Value::number(minimum));
        if (soft_edit && (*hard >= minimum || hard_edit)) {
          Fix raise{fmt::format("Raise the nofile soft limit{} to {}", hard_edit ? " and hard limit" : "", minimum),
                    {*soft_edit}};
          if (hard_edit) raise.edits.push_back(*hard_edit);
          finding.fix = std::move(raise);
        }
      }
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS001",
    .slug = "nofile-ulimit-missing",
    .severity = Severity::Warning,
    .summary = "A long-running container has no nofile ulimit, or a soft limit below the minimum",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
