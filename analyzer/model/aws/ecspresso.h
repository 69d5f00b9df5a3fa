#pragma once
// ecspresso's config file (ecspresso.yml, .yaml or .json): which ECS service of which cluster an
// app deploys, and the files holding its service definition (ecs-service-def.json) and task
// definition (ecs-task-def.json), relative to the config's folder. The service definition names no
// task definition itself: ecspresso registers the task definition and points the service at it,
// so the config is what links the two.
//
// Values may be ecspresso templates (`{{ must_env "TD_PATH" }}`, `{{ env ... }}`): those stand for
// what the environment holds at deploy time and are unknown here. Jsonnet configs
// (ecspresso.jsonnet) are programs: they are not read.
#include <string>

#include "analyzer/model/located_tree.h"

namespace shiftlint::aws {

struct EcspressoConfig {
  const Node* cluster = nullptr;
  const Node* service = nullptr;
  const Node* service_definition = nullptr;
  const Node* task_definition = nullptr;
};

// nullptr fields for keys that are absent or not plain strings.
EcspressoConfig read_ecspresso_config(const Node& root);

// A path from the config, as a display path beside `config_display_path` ("deploy/ecspresso.yml" +
// "ecs-task-def.json" → "deploy/ecs-task-def.json"); "" when it is a template or absolute.
std::string ecspresso_file(const std::string& config_display_path, const Node* path);

}  // namespace shiftlint::aws
