#include "analyzer/engine/kubernetes_rules.h"

namespace shiftlint {

void run_kubernetes_workload_rules(const k8s::Manifests& manifests, const RuleSelection& selection, Target target,
                                   std::string_view today, std::vector<Finding>& findings,
                                   const SourceFile* only_file, const ValueSources* sources,
                                   const Node* chart_values, std::span<const Node* const> values_files) {
  // Each enabled rule that has `check` runs it with a context that knows the chart it reads.
  auto for_each_rule = [&](auto check, const auto& run) {
    for (const RuleSelection::Entry& entry : selection.enabled) {
      if (!(entry.rule->*check)) continue;
      RuleContext context(*entry.rule, entry.severity, entry.options, target, findings);
      context.set_today(today);
      context.set_value_sources(sources);
      context.set_chart_values(chart_values);
      context.set_values_files(values_files);
      run(*entry.rule, context);
    }
  };
  for (const k8s::Workload& workload : manifests.workloads) {
    if (only_file && workload.file != only_file) continue;
    for_each_rule(&Rule::check_kubernetes_workload,
                  [&](const Rule& rule, RuleContext& context) { rule.check_kubernetes_workload(workload, context); });
  }
  std::vector<k8s::Secret> own_secrets;
  std::span<const k8s::Secret> secrets = manifests.secrets;
  if (only_file) {
    for (const k8s::Secret& secret : manifests.secrets)
      if (secret.node->file == only_file) own_secrets.push_back(secret);
    secrets = own_secrets;
  }
  if (secrets.empty()) return;
  for_each_rule(&Rule::check_kubernetes_secrets,
                [&](const Rule& rule, RuleContext& context) { rule.check_kubernetes_secrets(secrets, context); });
}

void run_helm_values_rules(const k8s::HelmValues& values, const RuleSelection& selection, Target target,
                           std::string_view today, std::vector<Finding>& findings) {
  if (!values.root) return;
  for (const RuleSelection::Entry& entry : selection.enabled) {
    if (!entry.rule->check_helm_values) continue;
    RuleContext context(*entry.rule, entry.severity, entry.options, target, findings);
    context.set_today(today);
    entry.rule->check_helm_values(values, context);
  }
}

}  // namespace shiftlint
