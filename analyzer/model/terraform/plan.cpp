#include "analyzer/model/terraform/plan.h"

#include <map>

#include "analyzer/model/terraform/aws_resources.h"

namespace shiftlint::terraform {

namespace {

constexpr int kMaxModuleDepth = 64;

std::string without_index(std::string_view address) {
  // `module.app["web"].aws_ecs_service.this[0]` → `module.app["web"].aws_ecs_service.this`.
  if (!address.empty() && address.back() == ']') {
    size_t open = address.rfind('[');
    if (open != std::string_view::npos) address = address.substr(0, open);
  }
  return std::string(address);
}

// Attributes Terraform will only know after apply are left out of the planned values and marked in
// `after_unknown`: put them back as Unknown nodes, so a missing attribute is never mistaken for an
// omitted one.
void mark_unknown(Node& values, const Node& after_unknown, int depth) {
  if (depth > 32) return;
  if (values.is_map() && after_unknown.is_map()) {
    for (const Node& marker : after_unknown.children) {
      Node* present = nullptr;
      for (Node& member : values.children)
        if (member.key == marker.key) present = &member;
      if (marker.kind == NodeKind::Boolean && marker.boolean) {
        Node unknown;
        unknown.kind = NodeKind::Unknown;
        unknown.text = "(known after apply)";
        unknown.file = values.file;
        unknown.span = present ? present->span : values.span;
        unknown.key = marker.key;
        unknown.key_span = present ? present->key_span : Span{};
        if (present) *present = std::move(unknown);
        else values.children.push_back(std::move(unknown));
      } else if (present) {
        mark_unknown(*present, marker, depth + 1);
      }
    }
  } else if (values.is_list() && after_unknown.is_list()) {
    for (size_t i = 0; i < values.children.size() && i < after_unknown.children.size(); ++i)
      mark_unknown(values.children[i], after_unknown.children[i], depth + 1);
  }
}

// `after_unknown` of each resource instance in resource_changes, by address.
std::map<std::string, const Node*, std::less<>> unknowns_by_address(const Node& document) {
  std::map<std::string, const Node*, std::less<>> unknowns;
  const Node* changes = document.find("resource_changes");
  if (!changes || !changes->is_list()) return unknowns;
  for (const Node& change : changes->children) {
    const Node* address = change.find("address");
    const Node* detail = change.find("change");
    const Node* after_unknown = detail ? detail->find("after_unknown") : nullptr;
    if (address && address->is_string() && after_unknown) unknowns[address->text] = after_unknown;
  }
  return unknowns;
}

void read_module(const Node& planned, const SourceFile& file, const std::map<std::string, const Node*, std::less<>>& unknowns,
                 Module& module, int depth) {
  if (depth > kMaxModuleDepth) return;
  if (const Node* address = planned.find("address"); address && address->is_string()) module.address = address->text;
  if (const Node* resources = planned.find("resources"); resources && resources->is_list()) {
    for (const Node& item : resources->children) {
      const Node* type = item.find("type");
      const Node* name = item.find("name");
      const Node* address = item.find("address");
      const Node* values = item.find("values");
      if (!type || !name || !address || !values || !type->is_string() || !name->is_string() || !address->is_string())
        continue;
      const Node* mode = item.find("mode");
      std::string resource_address = without_index(address->text);
      Resource* resource = nullptr;
      for (Resource& existing : module.resources)
        if (existing.address == resource_address) resource = &existing;
      if (!resource) {
        Resource created;
        created.data = mode && mode->text == "data";
        created.type = type->text;
        created.name = name->text;
        created.declaration.file = &file;
        created.address = resource_address;
        module.resources.push_back(std::move(created));
        resource = &module.resources.back();
      }
      ResourceInstance instance;
      if (const Node* index = item.find("index")) instance.key = *index;
      instance.key.key.clear();
      instance.value = *values;
      if (auto found = unknowns.find(address->text); found != unknowns.end())
        mark_unknown(instance.value, *found->second, 0);
      resource->instances.push_back(std::move(instance));
    }
  }
  if (const Node* children = planned.find("child_modules"); children && children->is_list())
    for (const Node& child : children->children) {
      Module inner;
      read_module(child, file, unknowns, inner, depth + 1);
      module.children.push_back(std::move(inner));
    }
}

}  // namespace

bool is_terraform_plan(const Node& document) {
  return document.is_map() && document.find("format_version") &&
         (document.find("planned_values") || document.find("values"));
}

std::unique_ptr<PlanModels> read_plan(const Node& document, const SourceFile& file) {
  auto models = std::make_unique<PlanModels>();
  const Node* values = document.find("planned_values");
  if (!values) values = document.find("values");
  const Node* root = values ? values->find("root_module") : nullptr;
  if (root) read_module(*root, file, unknowns_by_address(document), models->module, 0);
  models->module.address.clear();
  extract_task_definitions(models->module, models->task_definitions);
  extract_infrastructure(models->module, models->task_definitions, nullptr, models->infrastructure);
  // A plan is generated output: rules read it like Terraform, but do not offer edits to it, and
  // what it leaves out (lifecycle blocks) is not missing from the configuration.
  aws::Infrastructure& infrastructure = models->infrastructure;
  infrastructure.carrier = aws::Carrier::TerraformPlan;
  for (aws::EcsService& service : infrastructure.services) service.carrier = aws::Carrier::TerraformPlan;
  for (aws::RunTask& run : infrastructure.run_tasks) run.carrier = aws::Carrier::TerraformPlan;
  for (aws::StateMachine& machine : infrastructure.state_machines) machine.carrier = aws::Carrier::TerraformPlan;
  return models;
}

}  // namespace shiftlint::terraform
