#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

// Whether every container image of the task comes from ECR (a registry URL, or a Terraform
// aws_ecr_repository reference whose value is unknown but is always an ECR URL); nullopt when some
// image cannot be told.
std::optional<bool> pulls_from_ecr(const ecs::TaskDefinition& task) {
  bool any = false;
  for (const ecs::ContainerDefinition& container : task.containers) {
    if (!container.image) continue;
    const std::string& text = container.image->text;
    bool ecr = text.find(".dkr.ecr.") != std::string::npos || (container.image->is_unknown() &&
                                                               text.find("aws_ecr_repository.") != std::string::npos);
    if (ecr) any = true;
    else if (container.image->is_unknown()) return std::nullopt;
  }
  return any;
}

bool uses_awslogs(const ecs::TaskDefinition& task) {
  for (const ecs::ContainerDefinition& container : task.containers)
    if (container.log_driver() == "awslogs") return true;
  return false;
}

struct Placement {
  std::string_view display_name;
  const Node* subnets;
  const Node* assign_public_ip;
  const ecs::TaskDefinition* task;
  const aws::ResourceIdentity& identity;
  bool task_in_other_file = false;
};

// The VPC resources of the subnets a task is placed in, when every subnet is one of this
// configuration's aws_subnet resources; empty otherwise.
std::vector<const aws::Subnet*> own_subnets(const aws::Infrastructure& infrastructure, const Placement& placement) {
  std::vector<const aws::Subnet*> subnets;
  if (!placement.subnets) return subnets;
  // CloudFormation: a list of `!Ref PrivateSubnet` (a parameter, an import or a split list is not
  // one of this template's subnets).
  if (placement.subnets->is_list() && !placement.subnets->children.empty() &&
      aws::cloudformation_logical_id(placement.subnets->children.front())) {
    for (const Node& item : placement.subnets->children) {
      const aws::Subnet* subnet = aws::referenced_item(infrastructure.subnets, &item, placement.identity);
      if (!subnet) return {};
      subnets.push_back(subnet);
    }
    return subnets;
  }
  std::vector<aws::Reference> references = aws::terraform_references(*placement.subnets);
  bool literal = placement.subnets->is_list() && std::any_of(placement.subnets->children.begin(),
                                                             placement.subnets->children.end(),
                                                             [](const Node& item) { return item.is_string(); });
  if (references.empty() || literal) return {};
  for (const aws::Reference& reference : references) {
    if (reference.type != "aws_subnet") return {};
    const aws::Subnet* subnet = aws::resolve(infrastructure.subnets, reference, placement.identity.module_address);
    if (!subnet) return {};
    subnets.push_back(subnet);
  }
  return subnets;
}

void check_placement(const aws::Infrastructure& infrastructure, const Placement& placement, RuleContext& context) {
  if (!placement.task || !placement.subnets) return;
  auto public_ip = aws::assigns_public_ip(placement.assign_public_ip);
  if (!public_ip || *public_ip) return;
  auto ecr = pulls_from_ecr(*placement.task);
  if (!ecr || !*ecr) return;
  std::vector<const aws::Subnet*> subnets = own_subnets(infrastructure, placement);
  if (subnets.empty()) return;  // the network is defined elsewhere: its endpoints cannot be seen

  std::set<std::string> present;
  for (const aws::VpcEndpoint& endpoint : infrastructure.vpc_endpoints) {
    auto service = aws::endpoint_service(endpoint.service_name);
    if (!service) return;  // an endpoint whose service is unknown may be the missing one
    present.insert(*service);
  }
  std::vector<std::string> missing;
  for (std::string_view needed : {"ecr.api", "ecr.dkr", "s3"})
    if (!present.count(std::string(needed))) missing.emplace_back(needed);
  if (uses_awslogs(*placement.task) && !present.count("logs")) missing.emplace_back("logs");
  if (missing.empty()) return;

  std::string names;
  for (size_t i = 0; i < missing.size(); ++i)
    names += fmt::format("{}{}", i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ", missing[i]);
  std::string route = infrastructure.nat_gateways.empty()
                          ? "with no NAT gateway in this configuration either, pulls fail unless another route "
                            "reaches ECR; with one, every image layer is billed as NAT data processing"
                          : "every image pull goes through the NAT gateway, billed per GB processed (about "
                            "$0.045/GB in us-east-1, on top of the hourly charge)";
  Finding& finding = context.report(
      *placement.subnets,
      fmt::format("{} runs tasks without a public IP in this configuration's private subnets and pulls its images "
                  "from ECR, but the VPC has no {} endpoint{}: {}; add Interface endpoints for ecr.api and ecr.dkr "
                  "(with {}), the S3 Gateway endpoint (image layers live in S3, and it is "
                  "free){}",
                  placement.display_name, names, missing.size() > 1 ? "s" : "", route,
                  infrastructure.carrier == aws::Carrier::CloudFormation ? "PrivateDnsEnabled: true"
                                                                         : "private_dns_enabled = true",
                  uses_awslogs(*placement.task) ? ", and logs for awslogs" : ""));
  if (!infrastructure.nat_gateways.empty())
    RuleContext::relate(finding, *infrastructure.nat_gateways.front().node, "the NAT gateway the pulls go through");
  if (placement.task_in_other_file)
    for (const ecs::ContainerDefinition& container : placement.task->containers)
      if (container.image && container.image->file) {
        RuleContext::relate(finding, *container.image,
                            fmt::format("an ECR image of {}", aws::task_definition_name(*placement.task, true)));
        break;
      }
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::EcsService& service : infrastructure.services)
    check_placement(infrastructure,
                    {service.display_name, service.subnets, service.assign_public_ip, service.task, service.identity,
                     service.task_in_other_file},
                    context);
  for (const aws::RunTask& run : infrastructure.run_tasks)
    check_placement(infrastructure,
                    {run.display_name, run.subnets, run.assign_public_ip, run.task, run.identity, run.task_in_other_file},
                    context);
}

const RuleRegistration registration{{
    .id = "AWS001",
    .slug = "ecr-pull-through-nat",
    .severity = Severity::Warning,
    .summary = "ECS tasks in private subnets pull from ECR while the VPC has no ecr.api, ecr.dkr and S3 endpoints",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
