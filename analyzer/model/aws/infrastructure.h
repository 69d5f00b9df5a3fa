#pragma once
// What runs the containers and what surrounds them, as typed views over located trees: ECS
// services, RunTask calls (Step Functions states, EventBridge and Scheduler targets, shell
// scripts), Step Functions state machines, CodeDeploy appspecs, the VPC pieces image pulls go
// through, Route 53, load balancers, Firehose streams and where Terraform keeps its state.
//
// One `Infrastructure` is what one carrier describes: a Terraform root module with its local
// modules, a plan JSON, a CloudFormation template, a service definition file, an ASL file, an
// appspec, a shell script. The ECS1xx and AWS rules read it and never the carrier.
//
// As in the task definition model, fields are `const Node*` into the located tree (nullptr when
// absent), so a rule points at the exact attribute, or at `node` (the whole resource or state)
// when the attribute is missing. Field names are the API's; carriers spell them their own way
// (`platform_version`, `platformVersion`, `PlatformVersion`) and messages quote `spelling`.
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/config/target.h"
#include "analyzer/model/ecs/task_definition.h"
#include "analyzer/model/located_tree.h"

namespace shiftlint::aws {

enum class Carrier {
  Terraform,          // a root module and its local modules
  TerraformPlan,      // `terraform show -json` output
  CloudFormation,     // AWS::ECS::Service, AWS::StepFunctions::StateMachine, AWS::Route53::RecordSet...
  ServiceDefinition,  // create-service / update-service input, ecspresso ecs-service-def.json
  StepFunctions,      // a standalone Amazon States Language file
  AppSpec,            // CodeDeploy appspec.yaml / appspec.json
  Shell,              // `aws ecs run-task` in a shell script
  CliInput,           // --cli-input-json of `aws events put-targets` or `aws scheduler create-schedule`
};

// How a carrier names fields: Terraform `platform_version`, the API `platformVersion`,
// CloudFormation and ASL `PlatformVersion`. `name("platform_version")` gives the carrier's spelling
// of a snake_case name.
enum class Spelling { Snake, Camel, Pascal };
std::string spelled(Spelling spelling, std::string_view snake_case);

// The resource a node came from, for resolving Terraform references (`aws_subnet.private[0].id`).
struct ResourceIdentity {
  std::string type;            // aws_subnet (Terraform), AWS::EC2::Subnet (CloudFormation)
  std::string address;         // aws_subnet.private, module.network.aws_subnet.private, a logical id
  std::string module_address;  // "" for the root module, `module.network`
};

// Whether something runs on Fargate: yes, no, or not knowable from what is written.
enum class FargateUse { Yes, No, Unknown };
// From a launch type and a capacity provider strategy (either may be nullptr). Neither given: the
// cluster's default strategy decides, which the configured target stands for.
FargateUse fargate_use(const Node* launch_type, const Node* capacity_provider_strategy, Target target);
// The same for a service or RunTask call whose task definition is known: when neither the call
// nor the target says, a task definition that requires FARGATE alone can only run on Fargate.
FargateUse fargate_use(const Node* launch_type, const Node* capacity_provider_strategy, Target target,
                       const ecs::TaskDefinition* task);

struct EcsService {
  Carrier carrier = Carrier::Terraform;
  Spelling spelling = Spelling::Snake;
  ResourceIdentity identity;
  const SourceFile* file = nullptr;  // the file of `node`
  const Node* node = nullptr;        // the service (resource body, properties map, definition file root)
  std::string display_name;          // aws_ecs_service.web, the logical id, the serviceName

  const Node* launch_type = nullptr;
  const Node* capacity_provider_strategy = nullptr;
  const Node* platform_version = nullptr;
  const Node* task_definition = nullptr;
  const Node* deployment_controller = nullptr;       // the block / map
  const Node* deployment_controller_type = nullptr;  // CODE_DEPLOY, ECS, EXTERNAL
  const Node* network_configuration = nullptr;       // awsvpcConfiguration, or Terraform's block
  const Node* assign_public_ip = nullptr;
  const Node* subnets = nullptr;
  const Node* load_balancers = nullptr;  // list (Terraform: the `load_balancer` blocks)
  // Terraform only: the `lifecycle` block and its `ignore_changes` (a list, or `all`).
  const Node* lifecycle = nullptr;
  const Node* ignore_changes = nullptr;
  // The task definition it runs, when it is in the same carrier or linked to it.
  const ecs::TaskDefinition* task = nullptr;
  // `task` is written in another file of the run (project/task_definition_index.h): messages name it.
  bool task_in_other_file = false;
};

// A RunTask call, wherever it is written: its parameters in the carrier's spelling, and the task
// definition it starts when that can be found.
enum class RunTaskSource { StepFunctionsState, EventBridgeTarget, SchedulerTarget, ShellCommand };

struct RunTask {
  Carrier carrier = Carrier::Terraform;
  RunTaskSource source = RunTaskSource::StepFunctionsState;
  Spelling spelling = Spelling::Pascal;
  ResourceIdentity identity;
  const SourceFile* file = nullptr;
  const Node* node = nullptr;  // the state, target block, or the command
  std::string display_name;    // state "Run export", aws_cloudwatch_event_target.nightly, `aws ecs run-task`

  const Node* launch_type = nullptr;
  const Node* capacity_provider_strategy = nullptr;
  const Node* platform_version = nullptr;
  const Node* task_definition = nullptr;
  const Node* assign_public_ip = nullptr;
  const Node* subnets = nullptr;
  // The overrides object (API shape, camelCase or PascalCase: `cpu`, `memory`, `containerOverrides`).
  const Node* overrides = nullptr;
  // Characters of the overrides as sent to the API (compact JSON); nullopt when not knowable.
  std::optional<size_t> overrides_length;
  // The task definition it starts, when it is in the same carrier or linked to it.
  const ecs::TaskDefinition* task = nullptr;
  // `task` is written in another file of the run (project/task_definition_index.h): messages name it.
  bool task_in_other_file = false;
};

struct StepFunctionsState {
  std::string name;
  const Node* node = nullptr;  // the state's map
  const Node* type = nullptr;
  const Node* resource = nullptr;
  const Node* parameters = nullptr;  // Parameters (JSONPath) or Arguments (JSONata)
  const Node* retry = nullptr;
  const Node* result_selector = nullptr;
};

struct StateMachine {
  Carrier carrier = Carrier::Terraform;
  ResourceIdentity identity;
  const SourceFile* file = nullptr;
  const Node* node = nullptr;        // the resource, or the file root
  const Node* definition = nullptr;  // the decoded ASL document
  std::string display_name;
  std::vector<StepFunctionsState> states;  // every state, nested Parallel branches and Map iterators included
};

// `arn:aws:states:::ecs:runTask`, `.sync`, `.waitForTaskToken` (any partition, literal or not).
enum class EcsIntegration { None, RequestResponse, Sync, WaitForTaskToken };
EcsIntegration ecs_run_task_integration(const Node* resource);

struct AppSpec {
  const SourceFile* file = nullptr;
  const Node* node = nullptr;         // the document root
  const Node* target_service = nullptr;  // the AWS::ECS::Service resource's map
  const Node* properties = nullptr;
  const Node* platform_version = nullptr;
  const Node* capacity_provider_strategy = nullptr;
  const Node* task_definition = nullptr;  // usually an ARN, or CodePipeline's <TASK_DEFINITION>
  const ecs::TaskDefinition* task = nullptr;  // the task definition it names, when the run holds it
  bool task_in_other_file = false;
  std::string display_name;
};

struct VpcEndpoint {
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* service_name = nullptr;
  const Node* endpoint_type = nullptr;  // absent: Gateway
  const Node* private_dns_enabled = nullptr;
  const Node* vpc_id = nullptr;
};

// The service an endpoint's `service_name` names, without the region prefix: "ecr.api", "s3", "logs".
// Works on templates with an unknown region (`com.amazonaws.${var.region}.ecr.dkr`); nullopt when
// the name is not knowable (a data source).
std::optional<std::string> endpoint_service(const Node* service_name);

// How messages name the task definition a RunTask call or service starts: `task definition "export"`,
// followed by the file it is written in when that is another file of the run.
std::string task_definition_name(const ecs::TaskDefinition& task, bool in_other_file);

// Whether a public IP is assigned: `assign_public_ip = true`, `"ENABLED"`; nullopt when unknown.
std::optional<bool> assigns_public_ip(const Node* value);

// Whether a time zone name means UTC (UTC, Etc/UTC, GMT, Z...).
bool is_utc_time_zone(std::string_view name);

struct Subnet {
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* vpc_id = nullptr;
  const Node* map_public_ip_on_launch = nullptr;
};

struct NetworkResource {  // aws_vpc, aws_route_table, aws_nat_gateway: what matters is that they exist here
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* vpc_id = nullptr;  // route tables
};

struct Route53Zone {
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* name = nullptr;
};

struct Route53Record {
  ResourceIdentity identity;
  const Node* node = nullptr;
  std::string display_name;
  const Node* zone_id = nullptr;
  const Node* zone_name = nullptr;  // CloudFormation HostedZoneName
  const Node* name = nullptr;
  const Node* type = nullptr;
  const Node* set_identifier = nullptr;
  const Node* alias = nullptr;
  // The routing policy blocks present (weighted, latency, failover, geolocation, geoproximity, cidr,
  // multivalue), each with its node; empty for simple routing.
  std::vector<std::pair<std::string, const Node*>> routing_policies;
  bool repeated_unknown = false;  // one representative of a for_each/count that is not known
};

// Where a record lives: a key that records of the same hosted zone share, and its full name
// (lower case, no trailing dot; Terraform appends the zone's name to a relative one).
struct RecordPlace {
  std::string zone_key;
  std::string zone_name;  // "" when the zone's name is not known
  std::string name;
  bool at_apex = false;
};
struct Infrastructure;
std::optional<RecordPlace> place_of(const Infrastructure& infrastructure, const Route53Record& record);

struct LoadBalancer {
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* internal = nullptr;            // Terraform: absent means false
  const Node* load_balancer_type = nullptr;  // absent: application
  const Node* scheme = nullptr;              // CloudFormation: internet-facing (default) or internal
};

struct Listener {
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* load_balancer_arn = nullptr;
  const Node* default_actions = nullptr;  // list of action maps
};

struct ListenerRule {
  ResourceIdentity identity;
  const Node* node = nullptr;
  const Node* listener_arn = nullptr;
  const Node* host_header = nullptr;  // the host_header condition, when the rule has one
};

struct FirehoseStream {
  ResourceIdentity identity;
  const Node* node = nullptr;
  std::string display_name;
  const Node* s3_configuration = nullptr;  // extended_s3_configuration
  const Node* prefix = nullptr;
  const Node* error_output_prefix = nullptr;
  const Node* custom_time_zone = nullptr;
};

// The S3 prefix (or error prefix) that uses `!{timestamp:...}` and so depends on the time zone, when
// the stream sets no custom_time_zone; nullptr otherwise (an unknown time zone may well be set).
const Node* timestamp_prefix_without_time_zone(const FirehoseStream& stream);

// A root module's state storage: the `terraform` blocks and what backend they name.
struct TerraformState {
  const SourceFile* file = nullptr;  // where to report when nothing names a backend
  const Node* settings = nullptr;    // the first `terraform` block, when there is one
  const Node* backend = nullptr;     // the backend block (its map), when one is declared
  std::string backend_type;          // "s3", "local", "remote"; "cloud" for a `cloud` block
  bool configures_providers = false;  // a `provider` block or tfvars: a configuration someone applies
  // With no `terraform` block: the first `provider` block's header (`provider "aws"`), in
  // `provider_file`: the configuration a backend belongs beside. Empty when there is none.
  const SourceFile* provider_file = nullptr;
  Span provider_span;
  // Its provider blocks are all another cloud's (`google`, `azurerm`) and it declares no aws_*
  // resource: not an AWS configuration.
  bool other_cloud_only = false;
};

// A place the project says which time zone it lives in (TZ=Asia/Tokyo, a scheduler's time zone).
struct TimeZoneSetting {
  const Node* node = nullptr;
  std::string time_zone;
};

struct Infrastructure {
  Carrier carrier = Carrier::Terraform;
  std::vector<EcsService> services;
  std::vector<RunTask> run_tasks;
  std::vector<StateMachine> state_machines;
  std::vector<AppSpec> appspecs;
  std::vector<NetworkResource> vpcs;
  std::vector<Subnet> subnets;
  std::vector<NetworkResource> route_tables;
  std::vector<NetworkResource> nat_gateways;
  std::vector<VpcEndpoint> vpc_endpoints;
  std::vector<Route53Zone> zones;
  std::vector<Route53Record> records;
  std::vector<LoadBalancer> load_balancers;
  std::vector<Listener> listeners;
  std::vector<ListenerRule> listener_rules;
  std::vector<FirehoseStream> firehose_streams;
  std::optional<TerraformState> terraform_state;  // a Terraform root module only
  std::vector<TimeZoneSetting> time_zones;
  // Task definitions of the same carrier (or linked to it), for RunTask overrides and image pulls.
  std::vector<const ecs::TaskDefinition*> task_definitions;
  // Nodes made while normalising (API-shaped maps): the fields above may point into it.
  std::deque<Node> storage;

  bool empty() const;
  // The first time zone setting that is not UTC, or nullptr.
  const TimeZoneSetting* non_utc_time_zone() const;
};

// A Terraform reference in an unknown value, `aws_subnet.private[0].id` → {aws_subnet, private};
// `module.net.aws_subnet.x.id` is not one (other modules' resources are read through outputs).
struct Reference {
  std::string type;
  std::string name;
};
std::optional<Reference> terraform_reference(const Node& value);
// Every reference inside a value (a list of subnet ids, a template).
std::vector<Reference> terraform_references(const Node& value);

// The logical id a CloudFormation `Ref` or `GetAtt` names: `!Ref PrivateSubnet`, `{"Ref": "X"}`,
// `!GetAtt Alb.Arn`, `!GetAtt [Alb, Arn]`, `{"Fn::GetAtt": ["Alb", "Arn"]}`; nullopt for anything else.
std::optional<std::string> cloudformation_logical_id(const Node& value);

// The resource `reference` names, seen from a value written in `module_address` (or, for a value
// passed down as a module input, from one of its ancestors); nullptr when not here.
template <typename Item>
const Item* resolve(const std::vector<Item>& items, const Reference& reference, std::string_view module_address) {
  std::string_view scope = module_address;
  while (true) {
    for (const Item& item : items)
      if (item.identity.type == reference.type && item.identity.module_address == scope &&
          item.identity.address.size() > reference.name.size() &&
          item.identity.address.ends_with("." + reference.name) &&
          item.identity.address.ends_with(reference.type + "." + reference.name))
        return &item;
    if (scope.empty()) return nullptr;
    size_t dot = scope.rfind(".module.");
    scope = dot == std::string_view::npos ? std::string_view() : scope.substr(0, dot);
  }
}

// The same, when the reference can mean only one item: nullptr when the resource has several
// instances (count/for_each), since which one an index like `[each.key]` picks is not known.
template <typename Item>
const Item* resolve_unique(const std::vector<Item>& items, const Reference& reference, std::string_view module_address) {
  const Item* found = resolve(items, reference, module_address);
  if (!found) return nullptr;
  for (const Item& item : items)
    if (&item != found && item.identity.address == found->identity.address) return nullptr;
  return found;
}

// The one item a value refers to: a Terraform reference to a resource of this configuration
// (resolve_unique), or a CloudFormation Ref/GetAtt of a resource of this template. nullptr when the
// value names none of `items`, or one of several instances.
template <typename Item>
const Item* referenced_item(const std::vector<Item>& items, const Node* value, const ResourceIdentity& from) {
  if (!value) return nullptr;
  if (auto reference = terraform_reference(*value)) return resolve_unique(items, *reference, from.module_address);
  if (auto logical_id = cloudformation_logical_id(*value)) {
    for (const Item& item : items)
      if (item.identity.type.starts_with("AWS::") && item.identity.address == *logical_id) return &item;
  }
  return nullptr;
}

}  // namespace shiftlint::aws
