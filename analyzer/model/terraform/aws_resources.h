#pragma once
// The AWS resources of an evaluated Terraform module (and its local child modules) as the
// infrastructure model (analyzer/model/aws/infrastructure.h): aws_ecs_service, aws_sfn_state_machine,
// aws_cloudwatch_event_target and aws_scheduler_schedule ECS targets, the VPC pieces, Route 53,
// load balancers, Firehose, and the root module's backend.
//
// Attributes keep Terraform's names and spans; nested blocks (`network_configuration { ... }`)
// are read from their first instance. The views point into `module` and `task_definitions`: keep
// both alive and unmoved while the infrastructure is used.
#include <string_view>

#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/terraform/ecs_task_definitions.h"
#include "analyzer/model/terraform/module.h"

namespace shiftlint::terraform {

// The resource types these views read (their evaluation failures are worth an SL002).
bool is_infrastructure_resource_type(std::string_view resource_type);

struct RootModuleFacts {
  const ModuleSource* source = nullptr;  // the root module's declarations (terraform and provider blocks)
  bool has_variable_files = false;       // terraform.tfvars or *.auto.tfvars beside it
};

// Fills `out` from `module` and its children; `root` (when given) adds the root module's state
// storage. Task definitions are linked to the RunTask calls and services that start them.
void extract_infrastructure(const Module& module, const TerraformTaskDefinitions& task_definitions,
                            const RootModuleFacts* root, aws::Infrastructure& out);

}  // namespace shiftlint::terraform
