#pragma once
// A rule is one small unit: its metadata plus a check over a model. It registers itself with a
// static RuleRegistration in its own .cpp; its doc is the .md file beside it, embedded at build time.
//
//   namespace {
//   void check(const ecs::TaskDefinition& task, RuleContext& context) { ... context.report(...); }
//   const RuleRegistration registration{{
//       .id = "ECS003", .slug = "stop-timeout-over-fargate-max", .severity = Severity::Error,
//       .summary = "...", .check_task_definition = check}};
//   }
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/config/target.h"
#include "analyzer/engine/finding.h"
#include "analyzer/engine/severity.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/model/eb/bundle_file.h"
#include "analyzer/model/ecs/task_definition.h"
#include "analyzer/model/k8s/workload.h"
#include "analyzer/model/located_tree.h"

namespace shiftlint {

class RuleContext;
namespace aws {
struct Infrastructure;
}
namespace project {
struct Project;
}

using TaskDefinitionCheck = void (*)(const ecs::TaskDefinition&, RuleContext&);
using DockerfileCheck = void (*)(const docker::Dockerfile&, RuleContext&);
using KubernetesWorkloadCheck = void (*)(const k8s::Workload&, RuleContext&);
using HelmValuesCheck = void (*)(const k8s::HelmValues&, RuleContext&);
// The Secret objects of a set of manifests (a file and its neighbours, or a rendered chart).
using KubernetesSecretsCheck = void (*)(std::span<const k8s::Secret>, RuleContext&);
// Services, RunTask calls, state machines, networks... of one carrier (a Terraform root module, a
// CloudFormation template, a service definition file): analyzer/model/aws/infrastructure.h.
using InfrastructureCheck = void (*)(const aws::Infrastructure&, RuleContext&);
// One file of an Elastic Beanstalk source bundle (.ebextensions config, hook, Procfile...).
using ElasticBeanstalkCheck = void (*)(const eb::BundleFile&, RuleContext&);
// The whole run's apps: the old host linked with the new containers (project/parity.h). Runs once
// per `check` run, after every file was linted; not in the editor, which lints one buffer.
using ProjectCheck = void (*)(const project::Project&, RuleContext&);

struct Rule {
  std::string_view id;       // "ECS001": stable, never reused
  std::string_view slug;     // "nofile-ulimit-missing"
  Severity severity = Severity::Warning;  // default severity
  std::string_view summary;  // one line, for `shiftlint rules` and SARIF shortDescription
  TaskDefinitionCheck check_task_definition = nullptr;
  DockerfileCheck check_dockerfile = nullptr;
  // A pod-spec workload from a plain manifest or a rendered Helm chart (k8s/workload.h).
  KubernetesWorkloadCheck check_kubernetes_workload = nullptr;
  HelmValuesCheck check_helm_values = nullptr;  // a chart's values.yaml
  // The Secret objects of plain manifests or a rendered Helm chart (with its values' sources).
  KubernetesSecretsCheck check_kubernetes_secrets = nullptr;
  InfrastructureCheck check_infrastructure = nullptr;
  // Off unless selected by its id or slug (ALL and families do not turn it on): for rules whose
  // findings most projects accept, such as ECS107.
  bool enabled_by_default = true;
  ElasticBeanstalkCheck check_eb_file = nullptr;
  ProjectCheck check_project = nullptr;

  // "ECS" for ECS001 and ECS101, "K8S" for K8S001: the id without its three-digit number.
  std::string_view family() const;
  // The embedded Markdown doc; empty when the rule has none (a test forbids that).
  std::string_view doc() const;
  std::string_view doc_path() const;
};

struct RuleRegistration {
  explicit RuleRegistration(const Rule& rule);
};

// Every registered rule, sorted by id.
const std::vector<const Rule*>& registered_rules();
// By id ("ECS001") or slug ("nofile-ulimit-missing"), case-insensitive for ids.
const Rule* find_rule(std::string_view id_or_slug);

// Per-rule options from the config file (`rules: {ECS001: {min_nofile: 65535}}`).
class RuleOptions {
 public:
  RuleOptions() = default;
  explicit RuleOptions(const Node* options) : options_(options) {}
  int64_t integer(std::string_view name, int64_t fallback) const;
  std::vector<std::string> strings(std::string_view name) const;
  bool boolean(std::string_view name, bool fallback) const;
  const Node* node(std::string_view name) const;

 private:
  const Node* options_ = nullptr;
};

// Where a model's value was written when its node points elsewhere: a rendered Helm manifest's
// nodes point at template lines, and a value printed from values.yaml was written there
// (rendered node -> values node).
using ValueSources = std::unordered_map<const Node*, const Node*>;

// What a check sees besides its model: where to report, its options, and the configured target.
class RuleContext {
 public:
  RuleContext(const Rule& rule, Severity severity, RuleOptions options, Target target,
              std::vector<Finding>& findings)
      : rule_(rule), severity_(severity), options_(options), target_(target), findings_(findings) {}

  // Report at a node's span (a value, or a whole block when a field inside it is missing). A scalar
  // printed from a Helm chart's values.yaml gets that values line as a related location.
  Finding& report(const Node& at, std::string message);
  // Report at a map value's key (`"stopTimeout"` rather than `300`), or the node when it has none.
  Finding& report_key(const Node& at, std::string message);
  Finding& report(const SourceFile& file, Span span, std::string message);
  // At a location extracted earlier (project rules: the files are no longer in memory).
  Finding& report(const Location& at, std::string message);
  // Add a related location to a finding ("the log router is defined here").
  static void relate(Finding& finding, const Node& at, std::string message);
  static void relate(Finding& finding, const Location& at, std::string message);
  // Add the line a value was written on when that is not where its node points (the values.yaml
  // line behind a rendered Helm value), for a finding about that one value: K8S007 on a probe
  // printed whole names the probe's `initialDelaySeconds:` line. False when the value was
  // written where its node points (a plain manifest, a literal in a template).
  bool relate_value_source(Finding& finding, const Node& value, std::string message) const;
  // The node `value` was written as, when that is not `value` itself; nullptr otherwise.
  const Node* value_source(const Node& value) const;
  void set_value_sources(const ValueSources* sources) { value_sources_ = sources; }
  // The string in the rendered chart's values.yaml whose text is `text`, when exactly one holds
  // it; nullptr otherwise, and outside a Helm chart. For a rendered value whose node lost its way
  // back (a helper's `toJson` read again with `fromJson`, then printed through `tpl`): the same
  // secret written in values.yaml is where it comes from.
  const Node* chart_value_with_text(std::string_view text) const;
  void set_chart_values(const Node* values) { chart_values_ = values; }
  // The rendered chart's own values.yaml tree; nullptr outside a Helm chart.
  const Node* chart_values() const { return chart_values_; }
  // The values files the chart was rendered with besides its own (the config's helm.values, a
  // Skaffold release's valuesFiles), in the order given; empty outside a Helm chart.
  void set_values_files(std::span<const Node* const> roots) { values_files_ = roots; }
  std::span<const Node* const> values_files() const { return values_files_; }

  const Rule& rule() const { return rule_; }
  const RuleOptions& options() const { return options_; }
  Target target() const { return target_; }
  // Whether the task definition runs on Fargate: its requiresCompatibilities when given,
  // else the configured target. Dockerrun v2 never does (Elastic Beanstalk runs it on EC2).
  bool runs_on_fargate(const ecs::TaskDefinition& task) const;

  // The run date, "YYYY-MM-DD", that end-of-life tables are judged against: `--today`, else the
  // config's `today:`, else the system date when the run started. Empty when whoever built this
  // context did not say (a rule then uses the system date).
  std::string_view today() const { return today_; }
  void set_today(std::string_view today) { today_ = today; }

 private:
  const Rule& rule_;
  Severity severity_;
  RuleOptions options_;
  Target target_;
  std::vector<Finding>& findings_;
  std::string_view today_;
  const ValueSources* value_sources_ = nullptr;
  const Node* chart_values_ = nullptr;
  std::span<const Node* const> values_files_;

  Finding& relate_own_source(Finding& finding, const Node& at) const;

 public:
  // The related location `report` adds for a scalar printed from values.yaml.
  static constexpr std::string_view kOwnSourceMessage = "the value comes from here";
};

}  // namespace shiftlint
