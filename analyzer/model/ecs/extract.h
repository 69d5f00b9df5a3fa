#pragma once
// Finds task definitions in a parsed document, whatever carried them, and fills the model.
#include <vector>

#include "analyzer/model/ecs/task_definition.h"
#include "analyzer/parse/document.h"

namespace shiftlint::ecs {

// Task definitions in JSON/YAML documents: register-task-definition input, describe output,
// a bare container-definition list, Dockerrun.aws.json v2, CloudFormation templates.
// CloudFormation intrinsic functions written as JSON maps ({"Ref": ...}, {"Fn::Sub": ...}) are
// turned into Unknown nodes in place, as the YAML loader does for `!Ref`.
std::vector<TaskDefinition> extract_task_definitions(Document& document);

// Fills a task definition from an API-shaped map (camelCase or PascalCase keys): the part every
// carrier but Terraform shares. `containers` is the containerDefinitions list node.
void fill_task_definition(TaskDefinition& task, const Node& map);
void fill_containers(TaskDefinition& task, const Node& container_definitions);

}  // namespace shiftlint::ecs
