#pragma once
// `aws_ecs_task_definition` resources of an evaluated module (and its local child modules) as the
// ECS task definition model, so the ECS rules run on Terraform unchanged.
//
// Task-level arguments are Terraform's (snake_case: `network_mode`, `requires_compatibilities`);
// the model points at them directly, so messages name them as the user wrote them. Nested blocks
// the rules read by their API names (`volume` → volumes with `host.sourcePath`,
// `dockerVolumeConfiguration`...) are normalised into API-shaped nodes that keep the HCL spans.
// Container definitions come from the decoded JSON of `container_definitions` (jsonencode(),
// file(), templatefile(), a heredoc), spans inside the .tf file or the JSON file.
#include <deque>
#include <vector>

#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/ecs/task_definition.h"
#include "analyzer/model/terraform/evaluator.h"

namespace shiftlint::terraform {

struct TerraformTaskDefinitions {
  std::deque<Node> storage;  // normalised nodes the models point into (a deque keeps them in place)
  std::vector<ecs::TaskDefinition> tasks;
  std::vector<aws::ResourceIdentity> identities;  // the resource of each task, for references to it
  // container_definitions that are a known string but not JSON: their containers are not checked.
  std::vector<EvaluationFailure> failures;
};

// Appends the task definitions of `module` and its children. The models point into `module`: keep
// it alive (and unmoved) while they are used.
void extract_task_definitions(const Module& module, TerraformTaskDefinitions& out);

}  // namespace shiftlint::terraform
