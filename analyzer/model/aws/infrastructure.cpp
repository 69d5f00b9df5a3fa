#include "analyzer/model/aws/infrastructure.h"

#include <cctype>

#include "analyzer/source/ascii_case.h"

namespace shiftlint::aws {

std::string spelled(Spelling spelling, std::string_view snake_case) {
  if (spelling == Spelling::Snake) return std::string(snake_case);
  std::string result;
  bool upper = spelling == Spelling::Pascal;
  for (char c : snake_case) {
    if (c == '_') {
      upper = true;
      continue;
    }
    result += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return result;
}

namespace {

FargateUse from_strategy(const Node& strategy) {
  if (strategy.is_unknown()) return FargateUse::Unknown;
  if (!strategy.is_list() || strategy.children.empty()) return FargateUse::Unknown;
  bool all_known = true;
  for (const Node& item : strategy.children) {
    const Node* provider = item.find("capacity_provider");
    if (!provider) provider = item.find_any_case("capacityProvider");
    auto name = provider ? provider->as_string() : std::nullopt;
    if (!name) {
      all_known = false;
      continue;
    }
    if (*name == "FARGATE" || *name == "FARGATE_SPOT") return FargateUse::Yes;
  }
  return all_known ? FargateUse::No : FargateUse::Unknown;
}

bool absent(const Node* node) {
  return !node || node->is_null() || (node->is_list() && node->children.empty()) ||
         (node->is_string() && node->text.empty());
}

bool identifier_character(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

bool is_reserved_root(std::string_view root) {
  return root == "var" || root == "local" || root == "module" || root == "data" || root == "each" ||
         root == "count" || root == "path" || root == "self" || root == "terraform";
}

// The references `TYPE.NAME` in an expression's source text, where TYPE is a resource type
// (`aws_subnet`: a provider prefix and an underscore).
void scan_references(std::string_view text, std::vector<Reference>& out) {
  size_t i = 0;
  while (i < text.size()) {
    if (!identifier_character(text[i]) || (i > 0 && (identifier_character(text[i - 1]) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t type_end = i;
    while (type_end < text.size() && identifier_character(text[type_end])) ++type_end;
    std::string_view type = text.substr(i, type_end - i);
    if (type_end + 1 < text.size() && text[type_end] == '.' && type.find('_') != std::string_view::npos &&
        !is_reserved_root(type) && std::isalpha(static_cast<unsigned char>(type[0]))) {
      size_t name_end = type_end + 1;
      while (name_end < text.size() && identifier_character(text[name_end])) ++name_end;
      if (name_end > type_end + 1) {
        out.push_back({std::string(type), std::string(text.substr(type_end + 1, name_end - type_end - 1))});
        i = name_end;
        continue;
      }
    }
    i = type_end;
  }
}

void collect_references(const Node& value, std::vector<Reference>& out, int depth) {
  if (depth > 64) return;
  if (value.is_unknown()) scan_references(value.text, out);
  for (const Node& child : value.children) collect_references(child, out, depth + 1);
}

}  // namespace

FargateUse fargate_use(const Node* launch_type, const Node* capacity_provider_strategy, Target target) {
  if (!absent(launch_type)) {
    auto type = launch_type->as_string();
    if (!type) return FargateUse::Unknown;
    return equal_ignoring_case(*type, "FARGATE") ? FargateUse::Yes : FargateUse::No;
  }
  if (!absent(capacity_provider_strategy)) return from_strategy(*capacity_provider_strategy);
  switch (target) {
    case Target::Fargate: return FargateUse::Yes;
    case Target::Ec2:
    case Target::Eks: return FargateUse::No;
    case Target::Auto: return FargateUse::Unknown;
  }
  return FargateUse::Unknown;
}

FargateUse fargate_use(const Node* launch_type, const Node* capacity_provider_strategy, Target target,
                       const ecs::TaskDefinition* task) {
  FargateUse use = fargate_use(launch_type, capacity_provider_strategy, target);
  if (use == FargateUse::Unknown && task && task->requires_fargate() &&
      task->requires_compatibilities->children.size() == 1)
    return FargateUse::Yes;
  return use;
}

EcsIntegration ecs_run_task_integration(const Node* resource) {
  if (!resource || (!resource->is_string() && !resource->is_unknown())) return EcsIntegration::None;
  std::string_view text = resource->text;
  constexpr std::string_view service = ":states:::ecs:runTask";
  size_t at = text.find(service);
  if (at == std::string_view::npos) return EcsIntegration::None;
  std::string_view rest = text.substr(at + service.size());
  if (resource->is_unknown()) {
    // The source text of a template: `"arn:${local.partition}:states:::ecs:runTask.sync"`.
    while (!rest.empty() && (rest.back() == '"' || rest.back() == ' ')) rest.remove_suffix(1);
    if (rest.find("${") != std::string_view::npos) return EcsIntegration::None;
  }
  if (rest.empty()) return EcsIntegration::RequestResponse;
  if (rest == ".sync" || rest == ".sync:2") return EcsIntegration::Sync;
  if (rest == ".waitForTaskToken") return EcsIntegration::WaitForTaskToken;
  return EcsIntegration::None;
}

std::optional<std::string> endpoint_service(const Node* service_name) {
  if (!service_name) return std::nullopt;
  std::string_view text = service_name->text;
  if (service_name->is_unknown()) {
    // The source text of a template: the service is the literal part after the last interpolation.
    while (!text.empty() && (text.back() == '"' || text.back() == ' ')) text.remove_suffix(1);
    // Terraform `"com.amazonaws.${var.region}.ecr.api"`, CloudFormation `!Sub com.amazonaws.${AWS::Region}.logs`.
    size_t close = text.rfind('}');
    if (close == std::string_view::npos || close + 2 > text.size() || text[close + 1] != '.') return std::nullopt;
    std::string_view service = text.substr(close + 2);
    if (service.empty() || service.find_first_of("${}\"") != std::string_view::npos) return std::nullopt;
    return to_lower_ascii(service);
  }
  if (!service_name->is_string()) return std::nullopt;
  // com.amazonaws.REGION.SERVICE (also cn.com.amazonaws..., aws.sagemaker...): after the region.
  std::string lower = to_lower_ascii(text);
  size_t prefix = lower.find("amazonaws.");
  if (prefix == std::string::npos) return std::nullopt;
  size_t region_end = lower.find('.', prefix + 10);
  if (region_end == std::string::npos) return std::nullopt;
  return lower.substr(region_end + 1);
}

std::string task_definition_name(const ecs::TaskDefinition& task, bool in_other_file) {
  std::string name = "task definition \"" + task.display_name + "\"";
  if (in_other_file && task.file) name += " in " + task.file->display_path();
  return name;
}

std::optional<bool> assigns_public_ip(const Node* value) {
  if (!value || value->is_null()) return false;
  if (auto flag = value->as_boolean()) return *flag;
  if (auto text = value->as_string()) {
    if (equal_ignoring_case(*text, "ENABLED")) return true;
    if (equal_ignoring_case(*text, "DISABLED")) return false;
  }
  return std::nullopt;
}

bool is_utc_time_zone(std::string_view name) {
  std::string lower = to_lower_ascii(name);
  for (std::string_view utc : {"utc", "etc/utc", "gmt", "etc/gmt", "z", "zulu", "etc/zulu", "universal",
                               "etc/universal", "uct", "etc/uct", "gmt0", "etc/gmt0", "utc0"})
    if (lower == utc) return true;
  return false;
}

namespace {
std::string normalized_domain(std::string_view name) {
  std::string lower = to_lower_ascii(name);
  while (!lower.empty() && lower.back() == '.') lower.pop_back();
  return lower;
}
}  // namespace

std::optional<RecordPlace> place_of(const Infrastructure& infrastructure, const Route53Record& record) {
  if (record.repeated_unknown || !record.name) return std::nullopt;
  auto name = record.name->as_string();
  if (!name) return std::nullopt;
  RecordPlace place;
  if (record.zone_id && record.zone_id->is_unknown()) {
    auto reference = terraform_reference(*record.zone_id);
    const Route53Zone* zone = reference && reference->type == "aws_route53_zone"
                                  ? resolve_unique(infrastructure.zones, *reference, record.identity.module_address)
                                  : nullptr;
    if (zone) {
      place.zone_key = "zone " + zone->identity.address;
      if (auto zone_name = zone->name ? zone->name->as_string() : std::nullopt) place.zone_name = normalized_domain(*zone_name);
    } else {
      // The same expression means the same zone only within one module instance, and only when it
      // does not depend on the instance (`aws_route53_zone.this[each.key].zone_id` does).
      const std::string& text = record.zone_id->text;
      if (text.find("each.") != std::string::npos || text.find("count.") != std::string::npos) return std::nullopt;
      if (reference && reference->type == "aws_route53_zone") return std::nullopt;  // several instances
      place.zone_key = "expression " + record.identity.module_address + " " + text;
    }
  } else if (auto id = record.zone_id ? record.zone_id->as_string() : std::nullopt) {
    place.zone_key = "id " + std::string(*id);
  } else if (auto zone_name = record.zone_name ? record.zone_name->as_string() : std::nullopt) {
    place.zone_name = normalized_domain(*zone_name);
    place.zone_key = "name " + place.zone_name;
  } else {
    return std::nullopt;
  }
  place.name = normalized_domain(*name);
  if (!place.zone_name.empty()) {
    if (place.name.empty() || place.name == "@") place.name = place.zone_name;
    else if (place.name != place.zone_name && !place.name.ends_with("." + place.zone_name))
      place.name += "." + place.zone_name;
    place.at_apex = place.name == place.zone_name;
  }
  return place;
}

const Node* timestamp_prefix_without_time_zone(const FirehoseStream& stream) {
  if (stream.custom_time_zone && !stream.custom_time_zone->is_null()) return nullptr;
  for (const Node* prefix : {stream.prefix, stream.error_output_prefix})
    if (prefix && (prefix->is_string() || prefix->is_unknown()) && prefix->text.find("!{timestamp:") != std::string::npos)
      return prefix;
  return nullptr;
}

const TimeZoneSetting* Infrastructure::non_utc_time_zone() const {
  for (const TimeZoneSetting& setting : time_zones)
    if (!is_utc_time_zone(setting.time_zone)) return &setting;
  return nullptr;
}

bool Infrastructure::empty() const {
  return services.empty() && run_tasks.empty() && state_machines.empty() && appspecs.empty() && vpcs.empty() &&
         subnets.empty() && route_tables.empty() && nat_gateways.empty() && vpc_endpoints.empty() &&
         zones.empty() && records.empty() && load_balancers.empty() && listeners.empty() &&
         listener_rules.empty() && firehose_streams.empty() && !terraform_state;
}

std::optional<std::string> cloudformation_logical_id(const Node& value) {
  if (!value.is_unknown()) return std::nullopt;
  std::string_view text = value.text;
  if (!text.empty() && text.front() == '!') text.remove_prefix(1);
  auto identifier = [](std::string_view id) -> std::optional<std::string> {
    id = id.substr(0, id.find_first_of(". ,]"));
    if (id.empty() || id.find_first_of("${}[\"'") != std::string_view::npos) return std::nullopt;
    return std::string(id);
  };
  if (text.starts_with("Ref ")) return identifier(text.substr(4));
  if (!text.starts_with("GetAtt") && !text.starts_with("Fn::GetAtt")) return std::nullopt;
  // The short form keeps its text (`!GetAtt Alb.Arn`, `!GetAtt [Alb, Arn]`); the JSON map keeps its
  // member as a child (`{"Fn::GetAtt": ["Alb", "Arn"]}`).
  const Node* argument = value.children.size() == 1 && value.children.front().key == "Fn::GetAtt"
                             ? &value.children.front()
                             : nullptr;
  if (argument && argument->is_list() && !argument->children.empty()) {
    auto first = argument->children.front().as_string();
    return first ? identifier(*first) : std::nullopt;
  }
  if (argument) {
    auto whole = argument->as_string();
    return whole ? identifier(*whole) : std::nullopt;
  }
  if (!value.children.empty() && value.children.front().is_string()) return identifier(value.children.front().text);
  size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(space + 1);
  if (!rest.empty() && rest.front() == '[') rest.remove_prefix(1);
  return identifier(rest);
}

std::optional<Reference> terraform_reference(const Node& value) {
  if (!value.is_unknown()) return std::nullopt;
  std::vector<Reference> found;
  scan_references(value.text, found);
  if (found.size() != 1) return std::nullopt;
  return found.front();
}

std::vector<Reference> terraform_references(const Node& value) {
  std::vector<Reference> found;
  collect_references(value, found, 0);
  return found;
}

}  // namespace shiftlint::aws
