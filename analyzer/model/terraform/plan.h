#pragma once
// A Terraform plan as JSON (`terraform show -json plan.out`): the planned values are the module's
// resources fully evaluated by Terraform itself, in the same shape as the partial evaluator's
// (arguments by name, nested blocks as lists of objects). They become a terraform::Module, so the
// task definition and infrastructure extractors run on plans unchanged; findings point into the
// plan file, and messages name the resource address.
#include <memory>

#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/terraform/ecs_task_definitions.h"
#include "analyzer/model/terraform/module.h"

namespace shiftlint::terraform {

// Whether a decoded JSON document is a plan (or `terraform show -json` state): `format_version`
// with `planned_values` or `values`.
bool is_terraform_plan(const Node& document);

// The models of a plan. Held together: they point into each other and into the document.
struct PlanModels {
  Module module;
  TerraformTaskDefinitions task_definitions;
  aws::Infrastructure infrastructure;
};

// `file` is the plan file (what task definitions and resources say they are declared in).
std::unique_ptr<PlanModels> read_plan(const Node& document, const SourceFile& file);

}  // namespace shiftlint::terraform
