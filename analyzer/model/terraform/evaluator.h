#pragma once
// The partial evaluator: reads a root module the way `terraform plan` would, without providers.
// Variables (defaults, tfvars, var files), locals (on demand, in dependency order, cycles
// reported), count/for_each (one instance per key when the collection is known, one
// representative instance with unknown keys otherwise), local modules (inputs passed in, outputs
// back), templates, and the functions of functions.h plus file(), templatefile(), try() and can().
//
// What cannot be known is an Unknown node: resource attributes, data sources, registry modules,
// variables without a value. What shiftlint failed to evaluate (an unsupported function, a file
// outside the scanned root, a cycle, a limit) is an EvaluationFailure as well as an Unknown; the
// engine reports the failures that touched a modelled resource as SL002.
//
// Bounded: a step budget, a nesting limit, a budget on copied values and a limit on module
// nesting, so a recursive local or a huge range() ends in a failure, never a hang.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/terraform/module.h"
#include "analyzer/model/terraform/scan_root.h"

namespace shiftlint::terraform {

struct EvaluationFailure {
  const SourceFile* file = nullptr;
  Span span;
  std::string message;
};

// Values given to a root module's variables (terraform.tfvars, *.auto.tfvars, var files).
using VariableValues = std::map<std::string, Node, std::less<>>;

struct EvaluationLimits {
  uint64_t max_steps = 5'000'000;   // expressions evaluated per root module, child modules included
  uint64_t max_copied_nodes = 5'000'000;  // nodes of values copied out of locals, variables, outputs
  uint32_t max_depth = 200;         // nested evaluation: expressions, and locals that use locals
  uint32_t max_module_depth = 16;   // local modules calling local modules
  uint32_t max_instances = 1024;    // count/for_each instances of one block
};

struct EvaluatedRoot {
  Module module;
  // Failures inside modelled resources (see reports_evaluation_failures), in file order, once each.
  std::vector<EvaluationFailure> failures;
};

// Whether failures while evaluating this resource type are reported: a model reads its values.
bool reports_evaluation_failures(std::string_view resource_type);

// `cwd` is where Terraform would run (the root module's folder): file() paths are relative to it.
EvaluatedRoot evaluate_root_module(ScanRoot& scan_root, const ModuleSource& module, const VariableValues& values,
                                   const EvaluationLimits& limits = {});

// Adds the assignments of a .tfvars file to `values` (later files override earlier ones).
// tfvars hold literal values; anything referring to variables or resources is a failure.
void read_variable_values(ScanRoot& scan_root, const hcl::File& file, VariableValues& values,
                          std::vector<EvaluationFailure>& failures);
// The same for a .tfvars.json document (its root object).
void read_variable_values(const Node& json_root, VariableValues& values);

}  // namespace shiftlint::terraform
