#include "analyzer/model/terraform/aws_resources.h"

#include <array>

#include <fmt/format.h>

#include "analyzer/model/aws/step_functions.h"
#include "analyzer/model/aws/task_definition_links.h"
#include "analyzer/model/terraform/json_values.h"

namespace shiftlint::terraform {

namespace {

// The first block of a nested block list (`network_configuration { ... }`), or nullptr.
const Node* first_block(const Node* list) {
  if (!list || list->kind != NodeKind::List || list->children.empty()) return nullptr;
  return &list->children.front();
}

const Node* in_block(const Node* block, std::string_view name) { return block ? block->find(name) : nullptr; }

std::string instance_label(const Resource& resource, const ResourceInstance& instance) {
  if (instance.key.kind == NodeKind::Number) return fmt::format("{}[{}]", resource.address, instance.key.text);
  if (instance.key.kind == NodeKind::String) return fmt::format("{}[\"{}\"]", resource.address, instance.key.text);
  return resource.address;
}

aws::ResourceIdentity identity_of(const Resource& resource, const Module& module) {
  return {resource.type, resource.address, module.address};
}

// The decoded JSON of a string attribute (jsonencode(), file(), templatefile(), a heredoc, or a
// string built by functions), or nullptr.
const Node* decoded_json(const Node* value, aws::Infrastructure& out) {
  if (!value) return nullptr;
  if (const Node* structure = json_structure(*value)) return structure;
  if (value->kind != NodeKind::String || !looks_like_json(value->text)) return nullptr;
  Node decoded;
  std::string error;
  if (!decode_json_text(value->text, value->file, value->span, decoded, error)) return nullptr;
  out.storage.push_back(std::move(decoded));
  return &out.storage.back();
}

// Characters of overrides sent as JSON text: jsonencode()'s output when every value is known.
std::optional<size_t> encoded_length(const Node* input) {
  if (!input || input->kind != NodeKind::String) return std::nullopt;
  return input->text.size();
}

void add_service(const Resource& resource, const ResourceInstance& instance, const Module& module,
                 aws::Infrastructure& out) {
  const Node& value = instance.value;
  aws::EcsService service;
  service.carrier = aws::Carrier::Terraform;
  service.spelling = aws::Spelling::Snake;
  service.identity = identity_of(resource, module);
  service.file = resource.declaration.file;
  service.node = &value;
  service.display_name = instance_label(resource, instance);
  service.launch_type = value.find("launch_type");
  service.capacity_provider_strategy = value.find("capacity_provider_strategy");
  service.platform_version = value.find("platform_version");
  service.task_definition = value.find("task_definition");
  service.deployment_controller = first_block(value.find("deployment_controller"));
  service.deployment_controller_type = in_block(service.deployment_controller, "type");
  service.network_configuration = first_block(value.find("network_configuration"));
  service.assign_public_ip = in_block(service.network_configuration, "assign_public_ip");
  service.subnets = in_block(service.network_configuration, "subnets");
  service.load_balancers = value.find("load_balancer");
  service.lifecycle = first_block(value.find("lifecycle"));
  service.ignore_changes = in_block(service.lifecycle, "ignore_changes");
  out.services.push_back(service);
}

void add_state_machine(const Resource& resource, const ResourceInstance& instance, const Module& module,
                       aws::Infrastructure& out) {
  const Node& value = instance.value;
  aws::StateMachine machine;
  machine.carrier = aws::Carrier::Terraform;
  machine.identity = identity_of(resource, module);
  machine.file = resource.declaration.file;
  machine.node = &value;
  machine.display_name = instance_label(resource, instance);
  machine.definition = decoded_json(value.find("definition"), out);
  if (!machine.definition || !aws::is_state_machine_definition(*machine.definition)) return;
  aws::read_state_machine(machine, out);
  out.state_machines.push_back(std::move(machine));
}

// An EventBridge rule target or a Scheduler schedule target that runs an ECS task.
void add_scheduled_run_task(const Resource& resource, const ResourceInstance& instance, const Module& module,
                            const Node& target, const Node& ecs, aws::RunTaskSource source,
                            aws::Infrastructure& out) {
  aws::RunTask run;
  run.carrier = aws::Carrier::Terraform;
  run.source = source;
  run.spelling = aws::Spelling::Snake;
  run.identity = identity_of(resource, module);
  run.file = resource.declaration.file;
  run.node = &ecs;
  run.display_name = instance_label(resource, instance);
  run.launch_type = ecs.find("launch_type");
  run.capacity_provider_strategy = ecs.find("capacity_provider_strategy");
  run.platform_version = ecs.find("platform_version");
  run.task_definition = ecs.find("task_definition_arn");
  const Node* network = first_block(ecs.find("network_configuration"));
  run.assign_public_ip = in_block(network, "assign_public_ip");
  run.subnets = in_block(network, "subnets");
  // The target's input is the RunTask overrides (containerOverrides, cpu, memory...).
  const Node* input = target.find("input");
  run.overrides = decoded_json(input, out);
  if (run.overrides && !run.overrides->is_map()) run.overrides = nullptr;
  if (run.overrides) run.overrides_length = encoded_length(input);
  out.run_tasks.push_back(std::move(run));
}

void add_route53_record(const Resource& resource, const ResourceInstance& instance, const Module& module,
                        aws::Infrastructure& out) {
  const Node& value = instance.value;
  aws::Route53Record record;
  record.identity = identity_of(resource, module);
  record.node = &value;
  record.display_name = instance_label(resource, instance);
  record.zone_id = value.find("zone_id");
  record.name = value.find("name");
  record.type = value.find("type");
  record.set_identifier = value.find("set_identifier");
  record.alias = first_block(value.find("alias"));
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> policies{{
      {"weighted_routing_policy", "weighted"},
      {"latency_routing_policy", "latency"},
      {"failover_routing_policy", "failover"},
      {"geolocation_routing_policy", "geolocation"},
      {"geoproximity_routing_policy", "geoproximity"},
      {"cidr_routing_policy", "cidr"},
  }};
  for (const auto& [block, policy] : policies)
    if (const Node* found = value.find(block); found && (!found->is_list() || !found->children.empty()))
      record.routing_policies.emplace_back(std::string(policy), found);
  if (const Node* multivalue = value.find("multivalue_answer_routing_policy"); multivalue && multivalue->as_boolean() == true)
    record.routing_policies.emplace_back("multivalue", multivalue);
  record.repeated_unknown = instance.key.kind == NodeKind::Unknown;
  out.records.push_back(std::move(record));
}

// A time zone written somewhere in the configuration (evidence for AWS006).
void add_time_zone(const Node* value, aws::Infrastructure& out) {
  if (!value) return;
  auto text = value->as_string();
  if (!text || text->empty()) return;
  out.time_zones.push_back({value, std::string(*text)});
}

// The service name of an endpoint that takes it from an `aws_vpc_endpoint_service` data source, as
// terraform-aws-modules' vpc-endpoints module does (`data.aws_vpc_endpoint_service.this[each.key].
// service_name`, with `service = "ecr.dkr"` in the data block): the name is not known before apply,
// but the service it names is. Returns the value as a template whose region is unknown
// (`com.amazonaws.${region}.ecr.dkr`, what aws::endpoint_service reads), stored in `out`; nullptr
// when the value is anything else or the data block does not say which service.
const Node* service_name_from_data_source(const Node* value, const ResourceInstance& instance, const Module& module,
                                          aws::Infrastructure& out) {
  if (!value || !value->is_unknown()) return nullptr;
  std::string_view text = value->text;
  constexpr std::string_view prefix = "data.aws_vpc_endpoint_service.";
  constexpr std::string_view suffix = ".service_name";
  size_t start = text.find(prefix);
  if (start == std::string_view::npos) return nullptr;
  std::string_view reference = text.substr(start + prefix.size());
  size_t end = reference.find(suffix);
  if (end == std::string_view::npos) return nullptr;
  reference = reference.substr(0, end);
  // `this` (one instance) or `this[each.key]` (the endpoint's own key).
  bool by_each_key = false;
  if (size_t bracket = reference.find('['); bracket != std::string_view::npos) {
    if (reference.substr(bracket) != "[each.key]" || instance.key.kind != NodeKind::String) return nullptr;
    by_each_key = true;
    reference = reference.substr(0, bracket);
  }
  for (const Resource& data : module.resources) {
    if (!data.data || data.type != "aws_vpc_endpoint_service" || data.name != reference) continue;
    for (const ResourceInstance& candidate : data.instances) {
      if (by_each_key ? candidate.key.kind != NodeKind::String || candidate.key.text != instance.key.text
                      : candidate.key.kind != NodeKind::Null)
        continue;
      if (const Node* named = candidate.value.find("service_name"); named && named->is_string()) return named;
      const Node* service = candidate.value.find("service");
      auto service_text = service ? service->as_string() : std::nullopt;
      if (!service_text || service_text->empty()) return nullptr;
      Node derived = *value;
      derived.text = fmt::format("com.amazonaws.${{region}}.{}", *service_text);
      out.storage.push_back(std::move(derived));
      return &out.storage.back();
    }
  }
  return nullptr;
}

void add_resource(const Resource& resource, const Module& module, aws::Infrastructure& out) {
  const std::string& type = resource.type;
  for (const ResourceInstance& instance : resource.instances) {
    const Node& value = instance.value;
    if (type == "aws_ecs_service") {
      add_service(resource, instance, module, out);
    } else if (type == "aws_sfn_state_machine") {
      add_state_machine(resource, instance, module, out);
    } else if (type == "aws_cloudwatch_event_target") {
      if (const Node* ecs = first_block(value.find("ecs_target")))
        add_scheduled_run_task(resource, instance, module, value, *ecs, aws::RunTaskSource::EventBridgeTarget, out);
    } else if (type == "aws_scheduler_schedule") {
      add_time_zone(value.find("schedule_expression_timezone"), out);
      if (const Node* target = first_block(value.find("target")))
        if (const Node* ecs = first_block(target->find("ecs_parameters")))
          add_scheduled_run_task(resource, instance, module, *target, *ecs, aws::RunTaskSource::SchedulerTarget, out);
    } else if (type == "aws_vpc") {
      out.vpcs.push_back({identity_of(resource, module), &value, nullptr});
    } else if (type == "aws_subnet") {
      out.subnets.push_back({identity_of(resource, module), &value, value.find("vpc_id"),
                             value.find("map_public_ip_on_launch")});
    } else if (type == "aws_route_table") {
      out.route_tables.push_back({identity_of(resource, module), &value, value.find("vpc_id")});
    } else if (type == "aws_nat_gateway") {
      out.nat_gateways.push_back({identity_of(resource, module), &value, nullptr});
    } else if (type == "aws_vpc_endpoint") {
      const Node* service_name = value.find("service_name");
      if (const Node* derived = service_name_from_data_source(service_name, instance, module, out)) service_name = derived;
      out.vpc_endpoints.push_back({identity_of(resource, module), &value, service_name,
                                   value.find("vpc_endpoint_type"), value.find("private_dns_enabled"),
                                   value.find("vpc_id")});
    } else if (type == "aws_route53_zone") {
      out.zones.push_back({identity_of(resource, module), &value, value.find("name")});
    } else if (type == "aws_route53_record") {
      add_route53_record(resource, instance, module, out);
    } else if (type == "aws_lb" || type == "aws_alb") {
      out.load_balancers.push_back(
          {identity_of(resource, module), &value, value.find("internal"), value.find("load_balancer_type")});
    } else if (type == "aws_lb_listener" || type == "aws_alb_listener") {
      out.listeners.push_back(
          {identity_of(resource, module), &value, value.find("load_balancer_arn"), value.find("default_action")});
    } else if (type == "aws_lb_listener_rule" || type == "aws_alb_listener_rule") {
      aws::ListenerRule rule{identity_of(resource, module), &value, value.find("listener_arn"), nullptr};
      if (const Node* conditions = value.find("condition"); conditions && conditions->is_list())
        for (const Node& condition : conditions->children)
          if (const Node* host = first_block(condition.find("host_header"))) rule.host_header = host;
      out.listener_rules.push_back(rule);
    } else if (type == "aws_kinesis_firehose_delivery_stream") {
      const Node* s3 = first_block(value.find("extended_s3_configuration"));
      if (!s3) continue;
      out.firehose_streams.push_back({identity_of(resource, module), &value, instance_label(resource, instance), s3,
                                      s3->find("prefix"), s3->find("error_output_prefix"),
                                      s3->find("custom_time_zone")});
    } else if (type == "aws_db_parameter_group" || type == "aws_rds_cluster_parameter_group") {
      if (const Node* parameters = value.find("parameter"); parameters && parameters->is_list())
        for (const Node& parameter : parameters->children)
          if (const Node* name = parameter.find("name"); name && name->as_string() == "time_zone")
            add_time_zone(parameter.find("value"), out);
    }
  }
}

void extract_module(const Module& module, aws::Infrastructure& out) {
  for (const Resource& resource : module.resources)
    if (!resource.data) add_resource(resource, module, out);
  for (const Module& child : module.children) extract_module(child, out);
}

aws::TerraformState state_of(const Module& module, const RootModuleFacts& facts) {
  aws::TerraformState state;
  const ModuleSource& source = *facts.source;
  for (size_t i = 0; i < source.settings.size() && i < module.settings.size(); ++i) {
    const hcl::Block& block = *source.settings[i].block;
    const Node& evaluated = module.settings[i];
    if (!state.settings) {
      state.settings = &evaluated;
      state.file = source.settings[i].file;
    }
    for (std::string_view kind : {"backend", "cloud"}) {
      const hcl::Block* declared = block.body.find_block(kind);
      if (!declared || state.backend) continue;
      state.backend = first_block(evaluated.find(kind));
      state.backend_type = kind == "cloud" ? "cloud" : std::string(declared->label(0));
      state.file = source.settings[i].file;
    }
  }
  state.configures_providers = facts.has_variable_files;
  bool other_provider = false;
  bool aws = false;
  bool provider_is_aws = false;  // the provider_span found is an aws one
  for (const hcl::File& file : source.files) {
    if (!state.file && file.source && file.source->display_path().ends_with("main.tf")) state.file = file.source.get();
    for (const hcl::Block& block : file.body.blocks) {
      if (block.type == "provider") {
        state.configures_providers = true;
        bool first_aws = block.label(0) == "aws" && !provider_is_aws;
        if (file.source && (!state.provider_file || first_aws)) {
          provider_is_aws = block.label(0) == "aws";
          state.provider_file = file.source.get();
          state.provider_span = {block.type_span.begin,
                                 block.label_spans.empty() ? block.type_span.end : block.label_spans.back().end};
        }
        (block.label(0) == "aws" ? aws : other_provider) = true;
      } else if ((block.type == "resource" || block.type == "data") && block.label(0).starts_with("aws_")) {
        aws = true;
      }
    }
  }
  state.other_cloud_only = other_provider && !aws;
  if (!state.file && !source.files.empty()) state.file = source.files.front().source.get();
  return state;
}

}  // namespace

bool is_infrastructure_resource_type(std::string_view type) {
  static constexpr std::array<std::string_view, 20> types{
      "aws_ecs_service",       "aws_sfn_state_machine",  "aws_cloudwatch_event_target",
      "aws_scheduler_schedule", "aws_vpc",                "aws_subnet",
      "aws_route_table",       "aws_nat_gateway",        "aws_vpc_endpoint",
      "aws_route53_zone",      "aws_route53_record",     "aws_lb",
      "aws_alb",               "aws_lb_listener",        "aws_alb_listener",
      "aws_lb_listener_rule",  "aws_alb_listener_rule",  "aws_kinesis_firehose_delivery_stream",
      "aws_db_parameter_group", "aws_rds_cluster_parameter_group"};
  for (std::string_view known : types)
    if (known == type) return true;
  return false;
}

void extract_infrastructure(const Module& module, const TerraformTaskDefinitions& task_definitions,
                            const RootModuleFacts* root, aws::Infrastructure& out) {
  out.carrier = aws::Carrier::Terraform;
  extract_module(module, out);
  if (root && root->source) out.terraform_state = state_of(module, *root);
  std::vector<aws::LinkableTaskDefinition> candidates;
  for (size_t i = 0; i < task_definitions.tasks.size(); ++i) {
    const ecs::TaskDefinition& task = task_definitions.tasks[i];
    candidates.push_back({&task, i < task_definitions.identities.size() ? task_definitions.identities[i]
                                                                         : aws::ResourceIdentity{}});
    for (const ecs::ContainerDefinition& container : task.containers)
      for (const ecs::NameValue& entry : container.environment_entries)
        if (entry.name && entry.name->as_string() == "TZ") add_time_zone(entry.value, out);
  }
  aws::link_task_definitions(out, candidates);
}

}  // namespace shiftlint::terraform
