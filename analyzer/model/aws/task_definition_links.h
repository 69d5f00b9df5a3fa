#pragma once
// Which task definition a RunTask call or a service starts: through a Terraform reference
// (`aws_ecs_task_definition.export.arn`), a family name (`export`, `export:12`), or an ARN with the
// family in it (`arn:aws:ecs:...:task-definition/export:12`, also inside a template whose other
// parts are unknown).
#include <string>
#include <vector>

#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint::aws {

struct LinkableTaskDefinition {
  const ecs::TaskDefinition* task = nullptr;
  ResourceIdentity identity;  // empty outside Terraform
};

// The family a task definition value names: `export` for "export:3" or an ARN; nullopt when the
// value names none that can be read.
std::optional<std::string> named_family(const Node& value);

// Sets `RunTask::task` for every RunTask in `infrastructure` that names one of `candidates`, and
// fills `infrastructure.task_definitions`.
void link_task_definitions(Infrastructure& infrastructure, const std::vector<LinkableTaskDefinition>& candidates);

}  // namespace shiftlint::aws
