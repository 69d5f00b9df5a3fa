#pragma once
// Runs the Kubernetes rules over the pod-spec model. Shared by the per-file linter (plain
// manifests, a chart's values.yaml) and the Helm chart renderer (rendered templates): both build a
// k8s::Manifests from located-tree documents and hand it here.
#include <string_view>
#include <vector>

#include "analyzer/config/target.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/model/k8s/workload.h"

namespace shiftlint {

// Every enabled `check_kubernetes_workload` over each workload of `manifests`. `only_file`: when
// set, only the workloads written in that file (the others came from neighbouring files that are
// linted on their own). `sources`: where the rendered values of a Helm chart were written
// (RuleContext::relate_value_source); `chart_values`: the chart's values.yaml
// (RuleContext::chart_value_with_text); `values_files`: the other values files it was rendered with.
void run_kubernetes_workload_rules(const k8s::Manifests& manifests, const RuleSelection& selection, Target target,
                                   std::string_view today, std::vector<Finding>& findings,
                                   const SourceFile* only_file = nullptr, const ValueSources* sources = nullptr,
                                   const Node* chart_values = nullptr,
                                   std::span<const Node* const> values_files = {});

// Every enabled `check_helm_values` over a chart's values file.
void run_helm_values_rules(const k8s::HelmValues& values, const RuleSelection& selection, Target target,
                           std::string_view today, std::vector<Finding>& findings);

}  // namespace shiftlint
