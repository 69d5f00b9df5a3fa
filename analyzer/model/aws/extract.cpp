#include "analyzer/model/aws/extract.h"

#include <optional>

#include <fmt/format.h>

#include "analyzer/model/aws/step_functions.h"
#include "analyzer/model/aws/task_definition_links.h"
#include "analyzer/model/cloudformation_intrinsics.h"
#include "analyzer/model/terraform/json_values.h"
#include "analyzer/parse/yaml_scalar_text.h"

namespace shiftlint::aws {

namespace {

const Node* path(const Node* node, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (!node || !node->is_map()) return nullptr;
    node = node->find_any_case(key);
  }
  return node;
}

// A JSON text inside a string value (an EventBridge target's Input, a DefinitionString), decoded.
// Where the string maps onto the file byte for byte (a literal block scalar, a quoted string with
// its escapes), each node keeps its own position, so a finding points at the member to change;
// otherwise every node has the string's span. Text that is not JSON is not read.
const Node* decoded(const Node* value, Infrastructure& out) {
  if (!value || !value->is_string() || !terraform::looks_like_json(value->text)) return nullptr;
  Node result;
  std::string error;
  std::optional<TextMap> mapped = value->file ? exact_yaml_scalar_text(*value->file, *value) : std::nullopt;
  bool read = mapped ? terraform::decode_json_text(*mapped, *value->file, result, error)
                     : terraform::decode_json_text(value->text, value->file, value->span, result, error);
  if (!read) return nullptr;
  out.storage.push_back(std::move(result));
  return &out.storage.back();
}

// A JSON string property (a DefinitionString, a target's Input) is often a `!Sub` template, to put
// ARNs, names and parameters in: its `${...}` placeholders stay in the text, where they are JSON
// string content. One standing where JSON needs a value (`"TimeoutSeconds": ${Timeout}`) leaves
// text that does not decode, and the property is not read.
const Node* json_string_property(const Node* value) {
  if (!value) return nullptr;
  if (const Node* text = sub_template(*value)) return text;
  return value;
}

// The API's service shape, camelCase (service definitions) or PascalCase (CloudFormation): the
// same names, found ignoring case.
EcsService read_service(const Node& map, Carrier carrier, Spelling spelling, std::string display_name,
                        ResourceIdentity identity) {
  EcsService service;
  service.carrier = carrier;
  service.spelling = spelling;
  service.identity = std::move(identity);
  service.file = map.file;
  service.node = &map;
  service.display_name = std::move(display_name);
  service.launch_type = map.find_any_case("launchType");
  service.capacity_provider_strategy = map.find_any_case("capacityProviderStrategy");
  service.platform_version = map.find_any_case("platformVersion");
  service.task_definition = map.find_any_case("taskDefinition");
  service.deployment_controller = map.find_any_case("deploymentController");
  service.deployment_controller_type = path(service.deployment_controller, {"type"});
  service.network_configuration = path(&map, {"networkConfiguration", "awsvpcConfiguration"});
  service.assign_public_ip = path(service.network_configuration, {"assignPublicIp"});
  service.subnets = path(service.network_configuration, {"subnets"});
  service.load_balancers = map.find_any_case("loadBalancers");
  return service;
}

// An EventBridge rule target's or a Scheduler target's EcsParameters (PascalCase).
void add_scheduled_run_task(const Node& target, const Node& ecs, RunTaskSource source, std::string display_name,
                            ResourceIdentity identity, Infrastructure& out) {
  RunTask run;
  run.carrier = Carrier::CloudFormation;
  run.source = source;
  run.spelling = Spelling::Pascal;
  run.identity = std::move(identity);
  run.file = ecs.file;
  run.node = &ecs;
  run.display_name = std::move(display_name);
  run.launch_type = ecs.find_any_case("LaunchType");
  run.capacity_provider_strategy = ecs.find_any_case("CapacityProviderStrategy");
  run.platform_version = ecs.find_any_case("PlatformVersion");
  run.task_definition = ecs.find_any_case("TaskDefinitionArn");
  const Node* network = path(&ecs, {"NetworkConfiguration", "AwsVpcConfiguration"});
  run.assign_public_ip = path(network, {"AssignPublicIp"});
  run.subnets = path(network, {"Subnets"});
  const Node* input = json_string_property(target.find_any_case("Input"));
  run.overrides = decoded(input, out);
  if (run.overrides && !run.overrides->is_map()) run.overrides = nullptr;
  if (run.overrides) run.overrides_length = input->text.size();
  out.run_tasks.push_back(std::move(run));
}

void add_time_zone(const Node* value, Infrastructure& out) {
  auto text = value ? value->as_string() : std::nullopt;
  if (text && !text->empty()) out.time_zones.push_back({value, std::string(*text)});
}

void read_cloudformation(const Node& resources, Infrastructure& out) {
  for (const Node& resource : resources.children) {
    const Node* type = resource.find("Type");
    const Node* properties = resource.find("Properties");
    auto type_text = type ? type->as_string() : std::nullopt;
    if (!type_text || !properties || !properties->is_map()) continue;
    ResourceIdentity identity{std::string(*type_text), resource.key, ""};
    const Node& props = *properties;
    if (*type_text == "AWS::ECS::Service") {
      out.services.push_back(read_service(props, Carrier::CloudFormation, Spelling::Pascal, resource.key, identity));
    } else if (*type_text == "AWS::StepFunctions::StateMachine" || *type_text == "AWS::Serverless::StateMachine") {
      // SAM's state machine takes the same inline `Definition`; its `DefinitionUri` file is linted
      // as a file of its own.
      StateMachine machine;
      machine.carrier = Carrier::CloudFormation;
      machine.identity = identity;
      machine.file = props.file;
      machine.node = &props;
      machine.display_name = resource.key;
      machine.definition = props.find("Definition");
      if (!machine.definition) machine.definition = decoded(json_string_property(props.find("DefinitionString")), out);
      if (!machine.definition || !is_state_machine_definition(*machine.definition)) continue;
      read_state_machine(machine, out);
      out.state_machines.push_back(std::move(machine));
    } else if (*type_text == "AWS::Events::Rule") {
      if (const Node* targets = props.find("Targets"); targets && targets->is_list())
        for (const Node& target : targets->children)
          if (const Node* ecs = target.find("EcsParameters"))
            add_scheduled_run_task(target, *ecs, RunTaskSource::EventBridgeTarget,
                                   fmt::format("{} target {}", resource.key, target.find("Id") ? target.find("Id")->describe() : "?"),
                                   identity, out);
    } else if (*type_text == "AWS::Scheduler::Schedule") {
      add_time_zone(props.find("ScheduleExpressionTimezone"), out);
      if (const Node* target = props.find("Target"))
        if (const Node* ecs = target->find("EcsParameters"))
          add_scheduled_run_task(*target, *ecs, RunTaskSource::SchedulerTarget, resource.key, identity, out);
    } else if (*type_text == "AWS::EC2::VPCEndpoint") {
      out.vpc_endpoints.push_back({identity, &props, props.find("ServiceName"), props.find("VpcEndpointType"),
                                   props.find("PrivateDnsEnabled"), props.find("VpcId")});
    } else if (*type_text == "AWS::EC2::VPC") {
      out.vpcs.push_back({identity, &props, nullptr});
    } else if (*type_text == "AWS::EC2::Subnet") {
      out.subnets.push_back({identity, &props, props.find("VpcId"), props.find("MapPublicIpOnLaunch")});
    } else if (*type_text == "AWS::EC2::RouteTable") {
      out.route_tables.push_back({identity, &props, props.find("VpcId")});
    } else if (*type_text == "AWS::EC2::NatGateway") {
      out.nat_gateways.push_back({identity, &props, nullptr});
    } else if (*type_text == "AWS::ElasticLoadBalancingV2::LoadBalancer") {
      LoadBalancer balancer{identity, &props};
      balancer.scheme = props.find("Scheme");
      balancer.load_balancer_type = props.find("Type");
      out.load_balancers.push_back(balancer);
    } else if (*type_text == "AWS::ElasticLoadBalancingV2::Listener") {
      out.listeners.push_back({identity, &props, props.find("LoadBalancerArn"), props.find("DefaultActions")});
    } else if (*type_text == "AWS::ElasticLoadBalancingV2::ListenerRule") {
      ListenerRule rule{identity, &props, props.find("ListenerArn"), nullptr};
      // Conditions: [{Field: host-header, Values: [...]}] or [{Field: host-header, HostHeaderConfig: {Values: [...]}}]
      if (const Node* conditions = props.find("Conditions"); conditions && conditions->is_list())
        for (const Node& condition : conditions->children) {
          const Node* field = condition.find("Field");
          if ((field && field->as_string() == "host-header") || (!field && condition.find("HostHeaderConfig")))
            rule.host_header = &condition;
        }
      out.listener_rules.push_back(rule);
    } else if (*type_text == "AWS::KinesisFirehose::DeliveryStream") {
      const Node* s3 = props.find("ExtendedS3DestinationConfiguration");
      if (!s3 || !s3->is_map()) continue;
      out.firehose_streams.push_back({identity, &props, resource.key, s3, s3->find("Prefix"),
                                      s3->find("ErrorOutputPrefix"), s3->find("CustomTimeZone")});
    } else if (*type_text == "AWS::Route53::RecordSet") {
      Route53Record record;
      record.identity = identity;
      record.node = &props;
      record.display_name = resource.key;
      record.zone_id = props.find("HostedZoneId");
      record.zone_name = props.find("HostedZoneName");
      record.name = props.find("Name");
      record.type = props.find("Type");
      record.set_identifier = props.find("SetIdentifier");
      record.alias = props.find("AliasTarget");
      for (auto [key, policy] : {std::pair{"Weight", "weighted"}, {"Region", "latency"}, {"Failover", "failover"},
                                 {"GeoLocation", "geolocation"}, {"GeoProximityLocation", "geoproximity"},
                                 {"CidrRoutingConfig", "cidr"}, {"MultiValueAnswer", "multivalue"}})
        if (const Node* found = props.find(key)) record.routing_policies.emplace_back(policy, found);
      out.records.push_back(std::move(record));
    }
  }
}

bool looks_like_service_definition(const Node& root) {
  if (!root.is_map() || root.find_any_case("containerDefinitions")) return false;
  int hits = 0;
  for (std::string_view key : {"serviceName", "launchType", "desiredCount", "deploymentController",
                               "deploymentConfiguration", "loadBalancers", "networkConfiguration",
                               "capacityProviderStrategy", "schedulingStrategy", "platformVersion",
                               "serviceRegistries", "healthCheckGracePeriodSeconds", "enableExecuteCommand"})
    if (root.find(key)) ++hits;
  return hits >= 2;
}

void read_appspec(const Node& root, Infrastructure& out) {
  const Node* resources = root.find_any_case("Resources");
  if (!resources || !resources->is_list()) return;
  for (const Node& item : resources->children) {
    if (!item.is_map()) continue;
    for (const Node& named : item.children) {
      if (path(&named, {"Type"}) == nullptr || path(&named, {"Type"})->as_string() != "AWS::ECS::Service") continue;
      AppSpec appspec;
      appspec.file = named.file;
      appspec.node = &named;
      appspec.target_service = &named;
      appspec.properties = path(&named, {"Properties"});
      appspec.platform_version = path(appspec.properties, {"PlatformVersion"});
      appspec.capacity_provider_strategy = path(appspec.properties, {"CapacityProviderStrategy"});
      appspec.task_definition = path(appspec.properties, {"TaskDefinition"});
      appspec.display_name = fmt::format("the CodeDeploy appspec's {}", named.key);
      out.appspecs.push_back(appspec);
    }
  }
}

std::string file_name(const SourceFile& file) {
  const std::string& display = file.display_path();
  size_t slash = display.find_last_of('/');
  return slash == std::string::npos ? display : display.substr(slash + 1);
}

}  // namespace

void extract_infrastructure(const Document& document, const std::vector<ecs::TaskDefinition>& tasks,
                            Infrastructure& out) {
  const SourceFile& file = *document.file;
  std::vector<LinkableTaskDefinition> candidates;
  for (const ecs::TaskDefinition& task : tasks) candidates.push_back({&task, {}});
  for (const Node& root : document.roots) {
    if (!root.is_map()) continue;
    if (const Node* resources = root.find("Resources"); resources && resources->is_map()) {
      out.carrier = Carrier::CloudFormation;
      // Task definitions by logical id, for `TaskDefinition: !Ref TaskDef`.
      for (const Node& resource : resources->children)
        if (const Node* properties = resource.find("Properties"))
          for (LinkableTaskDefinition& candidate : candidates)
            if (candidate.task->node == properties)
              candidate.identity = {"AWS::ECS::TaskDefinition", resource.key, ""};
      read_cloudformation(*resources, out);
    } else if (is_state_machine_definition(root)) {
      out.carrier = Carrier::StepFunctions;
      StateMachine machine;
      machine.carrier = Carrier::StepFunctions;
      machine.file = &file;
      machine.node = &root;
      machine.definition = &root;
      machine.display_name = file_name(file);
      read_state_machine(machine, out);
      out.state_machines.push_back(std::move(machine));
    } else if (const Node* resources = root.find_any_case("Resources"); resources && resources->is_list()) {
      out.carrier = Carrier::AppSpec;
      read_appspec(root, out);
    } else if (const Node* services = root.find("services"); services && services->is_list()) {
      out.carrier = Carrier::ServiceDefinition;  // describe-services output
      for (const Node& service : services->children)
        if (service.is_map()) {
          const Node* name = service.find("serviceName");
          out.services.push_back(read_service(service, Carrier::ServiceDefinition, Spelling::Camel,
                                              name && name->is_string() ? name->text : file_name(file), {}));
        }
    } else if (const Node* targets = root.find("Targets"); targets && targets->is_list() && root.find("Rule")) {
      // `aws events put-targets --cli-input-json`: the API's shape, which CloudFormation copies.
      out.carrier = Carrier::CliInput;
      const Node* rule = root.find("Rule");
      std::string rule_name = rule && rule->is_string() ? rule->text : file_name(file);
      for (const Node& target : targets->children)
        if (const Node* ecs = target.is_map() ? target.find("EcsParameters") : nullptr) {
          const Node* id = target.find("Id");
          add_scheduled_run_task(target, *ecs, RunTaskSource::EventBridgeTarget,
                                 fmt::format("rule {} target {}", rule_name, id ? id->describe() : "?"), {}, out);
          out.run_tasks.back().carrier = Carrier::CliInput;
        }
    } else if (const Node* target = root.find("Target");
               target && target->is_map() && target->find("EcsParameters") && root.find("ScheduleExpression")) {
      // `aws scheduler create-schedule --cli-input-json`.
      out.carrier = Carrier::CliInput;
      add_time_zone(root.find("ScheduleExpressionTimezone"), out);
      const Node* name = root.find("Name");
      add_scheduled_run_task(*target, *target->find("EcsParameters"), RunTaskSource::SchedulerTarget,
                             name && name->is_string() ? fmt::format("schedule {}", name->text) : file_name(file), {},
                             out);
      out.run_tasks.back().carrier = Carrier::CliInput;
    } else if (looks_like_service_definition(root)) {
      out.carrier = Carrier::ServiceDefinition;
      const Node* name = root.find("serviceName");
      out.services.push_back(read_service(root, Carrier::ServiceDefinition, Spelling::Camel,
                                          name && name->is_string() ? fmt::format("service \"{}\"", name->text)
                                                                    : file_name(file),
                                          {}));
    }
  }
  link_task_definitions(out, candidates);
}

}  // namespace shiftlint::aws
