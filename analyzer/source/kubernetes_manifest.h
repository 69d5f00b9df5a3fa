#pragma once
// Recognising Kubernetes manifests and the parts of a Helm chart by name, content and place.
#include <string>
#include <string_view>
#include <unordered_map>

namespace shiftlint {

// A YAML head with a top-level `apiVersion:` and `kind:` (at the start of a line, in any document):
// how every Kubernetes object starts, and no other YAML this tool reads does. Also a document in
// flow style (`{apiVersion: v1, kind: Pod, ...}`, or JSON in a .yaml file) with both keys.
bool looks_like_kubernetes_yaml(std::string_view head);

// A JSON head whose top-level object has an `apiVersion` that reads as a Kubernetes API version
// (`v1`, `apps/v1`, `networking.k8s.io/v1beta1`) and a `kind` (or the `items` of a List, which
// `kubectl get -o json` writes before its `kind`). Only the top level counts: an Azure template
// has `apiVersion` and `kind` inside its resources.
bool looks_like_kubernetes_json(std::string_view head);

// `values.yaml`, `values.yml`, `values-production.yaml`, `values.prod.yaml` (lower-cased name).
bool is_helm_values_name(std::string_view lower_case_name);

// The file sits under a `templates/` folder whose parent holds a Chart.yaml: a Helm template, not a
// manifest (it only becomes YAML once rendered).
bool in_helm_chart_templates(std::string_view path);

// The file's folder holds a Chart.yaml: it is part of a chart's root.
bool beside_helm_chart(std::string_view path);

// The chart a file or folder (absolute, lexically normal) belongs to, as Helm renders it: the
// nearest folder at or above it holding a Chart.yaml or, when that chart sits in another chart's
// charts/ folder, that parent (Helm renders a subchart only through its parent, with the parent's
// values). The search goes no higher than `limit` when one is given (absolute; the limit itself is
// looked at) nor above a repository root (a folder holding .git): a chart never spans
// repositories. Empty when the path is in no chart.
std::string enclosing_helm_chart(std::string_view path, bool is_folder, std::string_view limit);

// The answers already found for folders, shared by the lookups of one discovery (same `limit`): a
// pre-commit run passes hundreds of files, most of them in a few folders, and every lookup would
// otherwise look at each folder up to the repository root again.
using HelmChartLookups = std::unordered_map<std::string, std::string>;
std::string enclosing_helm_chart(std::string_view path, bool is_folder, std::string_view limit,
                                 HelmChartLookups& known);

}  // namespace shiftlint
