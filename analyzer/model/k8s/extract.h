#pragma once
// Finds Kubernetes objects in located-tree documents and fills the pod-spec model. The documents
// may come from a plain manifest (multi-document YAML, `kind: List`) or from a rendered Helm chart:
// only the tree matters, so findings point wherever the nodes do (a manifest line, a template line).
#include <span>

#include "analyzer/model/k8s/workload.h"

namespace shiftlint::k8s {

// Whether a root looks like a Kubernetes object: a map with string `apiVersion` and `kind`.
bool is_kubernetes_object(const Node& root);

// Workloads, autoscalers and claims among the roots (and the items of `kind: List` roots), with
// each autoscaler and claim linked to the workloads that use it. Objects link when their kinds
// and names match and their namespaces do (an object without `metadata.namespace` matches any:
// it lands in whatever namespace it is applied to).
Manifests extract_manifests(std::span<const Node* const> roots);

}  // namespace shiftlint::k8s
