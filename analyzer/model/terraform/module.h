#pragma once
// The Terraform module model. A module is a folder of .tf files; `ModuleSource` is what its files
// declare (parsed, not evaluated), `Module` is one evaluated instance of it: every resource and
// data block with its arguments evaluated into the located tree, and the local modules it calls,
// evaluated with the inputs of the call.
//
// An evaluated resource instance is a Map node: arguments by name (key spans on the argument
// names), nested blocks as a List of Maps under the block type (`volume`, `ephemeral_storage`).
// Whatever could not be known (resource attributes, data sources, registry modules, variables
// without a value) is an Unknown node whose text says what it stands for (`aws_iam_role.task.arn`).
//
// A String produced by jsonencode(), file(), templatefile() or a heredoc that holds JSON carries
// the decoded JSON as its single child (see json_structure()), with spans on the HCL object
// attributes or on the lines of the JSON file or template the values came from. jsonencode() of a
// value that is partly unknown gives an Unknown node that carries the structure the same way.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/located_tree.h"
#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::terraform {

// A declaration and the file it is written in (nodes made from it need the file).
struct Declared {
  const SourceFile* file = nullptr;
  const hcl::Block* block = nullptr;          // variable, output, module, resource, data, terraform
  const hcl::Attribute* attribute = nullptr;  // a local value
};

// What a problem found while reading a module, before evaluation (a duplicate declaration).
struct ModuleDiagnostic {
  const SourceFile* file = nullptr;
  Span span;
  std::string message;
};

struct ModuleSource {
  std::string directory;  // absolute, '/'-separated
  std::vector<hcl::File> files;  // the module's .tf files, sorted by name
  std::map<std::string, Declared, std::less<>> variables;
  std::map<std::string, Declared, std::less<>> locals;
  std::map<std::string, Declared, std::less<>> outputs;
  std::map<std::string, Declared, std::less<>> module_calls;
  std::vector<Declared> resources;  // `resource` and `data` blocks, in file order
  std::vector<Declared> settings;   // `terraform` blocks (backend, required_providers)
  std::vector<ModuleDiagnostic> diagnostics;
};

// Indexes the declarations of parsed files (one folder's .tf files).
ModuleSource index_module(std::string directory, std::vector<hcl::File> files);

struct ResourceInstance {
  // Null for a resource without count/for_each; the count index (Number) or the for_each key
  // (String); Unknown for the one representative instance of a collection that is not known.
  Node key;
  Node value;  // Map: the evaluated body
};

struct Resource {
  bool data = false;  // a `data` block
  std::string type;   // aws_ecs_task_definition
  std::string name;   // the second label
  Declared declaration;
  std::vector<ResourceInstance> instances;
  // `aws_ecs_task_definition.app`, `data.aws_iam_policy_document.x`, with the module path in front.
  std::string address;
};

struct Module {
  std::string directory;  // absolute
  std::string address;    // "" for a root module; `module.app`, `module.app["web"]`, nested with dots
  std::vector<Resource> resources;
  std::vector<Node> settings;  // each `terraform` block evaluated (backend "s3" {...} inside)
  std::vector<std::pair<std::string, Node>> outputs;
  std::vector<Module> children;  // instances of local module calls, in call order
};

// The decoded JSON carried by a String (or Unknown) value that came from jsonencode(), file(),
// templatefile() or a JSON heredoc; nullptr when there is none.
const Node* json_structure(const Node& value);

}  // namespace shiftlint::terraform
