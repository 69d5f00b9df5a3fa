// ECS002: a queue worker whose stopTimeout is missing or shorter than its own shutdown timeout + 5 s.
#include <fmt/format.h>

#include "analyzer/detect/worker_process.h"
#include "analyzer/edit/tree_edit.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

constexpr int64_t kFargateMaxStopTimeout = 120;
constexpr int64_t kMarginSeconds = 5;

std::vector<detect::EnvironmentVariable> environment_of(const ecs::ContainerDefinition& container) {
  std::vector<detect::EnvironmentVariable> environment;
  for (const ecs::NameValue& entry : container.environment_entries) {
    auto name = entry.name ? entry.name->as_string() : std::nullopt;
    if (!name) continue;
    auto value = entry.value ? entry.value->as_string() : std::nullopt;
    if (value)
      environment.push_back({std::string(*name), std::string(*value)});
    else if (entry.value && entry.value->is_number())
      environment.push_back({std::string(*name), entry.value->text});
    else
      environment.push_back({std::string(*name), std::nullopt});
  }
  // Secrets are set at run time from Secrets Manager or SSM: their values cannot be read here.
  for (const ecs::NameValue& entry : container.secret_entries)
    if (auto name = entry.name ? entry.name->as_string() : std::nullopt)
      environment.push_back({std::string(*name), std::nullopt});
  return environment;
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  const bool fargate = context.runs_on_fargate(task);
  const bool cloudformation = task.carrier == ecs::Carrier::CloudFormation;
  const std::string_view field = cloudformation ? "StopTimeout" : "stopTimeout";
  auto setting = [&](int64_t seconds) {
    return cloudformation ? fmt::format("StopTimeout: {}", seconds) : fmt::format("\"stopTimeout\": {}", seconds);
  };
  const std::string platform_default =
      "ECS sends SIGKILL 30 s after SIGTERM by default (on EC2, after the agent's ECS_CONTAINER_STOP_TIMEOUT)";
  const std::string platform_setting =
      "the time between SIGTERM and SIGKILL is then a platform setting (30 s on Fargate, the agent's "
      "ECS_CONTAINER_STOP_TIMEOUT on EC2) that can be shorter than the worker needs";

  for (const ecs::ContainerDefinition& container : task.containers) {
    std::vector<std::string> words = container.command_line();
    if (words.empty()) continue;  // the image's own CMD: not visible here
    auto worker = detect::detect_worker_process(words, environment_of(container));
    if (!worker) continue;

    std::optional<int64_t> stop_timeout;
    if (container.stop_timeout && !container.stop_timeout->is_null()) {
      stop_timeout = container.stop_timeout->as_integer();
      if (!stop_timeout) continue;  // unknown: a !Ref or an expression
    }
    const std::string name = container.label();
    const std::string runs = detect::describe_shutdown(*worker);
    const std::optional<int64_t> needed = detect::required_stop_seconds(worker->timeout, kMarginSeconds);
    const Node& at = stop_timeout ? *container.stop_timeout : *container.node;

    if (needed && fargate && *needed > kFargateMaxStopTimeout) {
      // No stopTimeout can fit: the advice is about the jobs, not the number.
      std::string set_maximum = stop_timeout == kFargateMaxStopTimeout
                                    ? std::string()
                                    : " and set " + setting(kFargateMaxStopTimeout);
      context.report(at, fmt::format("{} runs {}, which needs {} s between SIGTERM and SIGKILL, but "
                                     "Fargate allows at most {} s: jobs still running then are killed mid-way; make "
                                     "the jobs resumable or split them, bound the worker's shutdown ({}) to {} s{}, "
                                     "or run this worker on the EC2 launch type",
                                     name, runs, *needed, kFargateMaxStopTimeout, worker->timeout_knob,
                                     kFargateMaxStopTimeout - kMarginSeconds, set_maximum));
      continue;
    }
    // The fix: the worker's timeout + 5 s, raised where stopTimeout is written or added beside the
    // container's other fields.
    auto set_needed = [&](Finding& finding) {
      std::optional<TextEdit> edit;
      if (stop_timeout && edit::written_within(*container.stop_timeout, *container.node))
        edit = edit::replace_scalar(*container.stop_timeout, edit::Value::number(*needed));
      else if (!container.stop_timeout)
        edit = edit::insert_member(*container.node, std::string(field), edit::Value::number(*needed));
      if (edit) finding.fix = Fix{fmt::format("Set {} to {}", field, *needed), {*edit}};
    };
    if (needed && stop_timeout) {
      if (*stop_timeout >= *needed) continue;
      Finding& finding = context.report(at, fmt::format("{} runs {} but {} is {}: ECS sends SIGKILL {} s after SIGTERM, "
                                     "before the worker's own shutdown ends, so jobs in flight are cut off; set {} "
                                     "(the worker's timeout + {} s)",
                                     name, runs, field, *stop_timeout, *stop_timeout, setting(*needed),
                                     kMarginSeconds));
      set_needed(finding);
      continue;
    }
    if (stop_timeout) continue;  // unbounded or unreadable timeout: an explicit stopTimeout is a choice

    if (needed) {
      if (*needed > 30)
        set_needed(context.report(at, fmt::format("{} runs {} but has no {}: {}, before the worker's own "
                                                  "shutdown ends, so jobs in flight are cut off; set {} (the worker's "
                                                  "timeout + {} s)",
                                                  name, runs, field, platform_default, setting(*needed), kMarginSeconds)));
      else
        set_needed(context.report(at, fmt::format("{} runs {} but has no {}: {}; set {} (the worker's "
                                                  "timeout + {} s)",
                                                  name, runs, field, platform_setting, setting(*needed),
                                                  kMarginSeconds)));
    } else if (worker->timeout.origin == detect::TimeoutOrigin::Unbounded) {
      context.report(at, fmt::format("{} runs {}, but has no {}: {}, so longer jobs are cut off; bound "
                                     "the jobs ({}) and set {} to that bound + {} s{}",
                                     name, runs, field, platform_default, worker->timeout_knob, field,
                                     kMarginSeconds, fargate ? " (at most 120 on Fargate)" : ""));
    } else {
      context.report(at, fmt::format("{} runs {} but has no {}: {}; set {} to that timeout + {} s{}",
                                     name, runs, field, platform_default, field, kMarginSeconds,
                                     fargate ? " (at most 120 on Fargate)" : ""));
    }
  }
}

const RuleRegistration registration{{
    .id = "ECS002",
    .slug = "stop-timeout-short-for-worker",
    .severity = Severity::Warning,
    .summary = "A queue worker has no stopTimeout, or one shorter than its own shutdown timeout + 5 s",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
