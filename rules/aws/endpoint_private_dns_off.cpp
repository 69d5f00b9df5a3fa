#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

// Services that tasks reach by their public DNS names (the SDKs, the ECS agent, the awslogs driver):
// without private DNS, those names still resolve to the public endpoints.
bool reached_by_public_name(std::string_view service) {
  return service == "ecr.api" || service == "ecr.dkr" || service == "logs" || service == "secretsmanager" ||
         service == "ssm";
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::VpcEndpoint& endpoint : infrastructure.vpc_endpoints) {
    auto type = endpoint.endpoint_type ? endpoint.endpoint_type->as_string() : std::nullopt;
    if (!type || !equal_ignoring_case(*type, "Interface")) continue;  // Gateway by default; unknown: skip
    auto service = aws::endpoint_service(endpoint.service_name);
    if (!service || !reached_by_public_name(*service)) continue;
    const Node* dns = endpoint.private_dns_enabled;
    if (dns && !dns->is_null() && dns->as_boolean() != false) continue;  // true, or not knowable
    bool cloudformation = infrastructure.carrier == aws::Carrier::CloudFormation;
    std::string_view field = cloudformation ? "PrivateDnsEnabled" : "private_dns_enabled";
    std::string message = fmt::format(
        "Interface endpoint {} for {} {}: the regional name ({}.REGION.amazonaws.com) that tasks, the ECS agent "
        "and log drivers use still resolves to the public endpoint, so traffic keeps going through the NAT gateway "
        "(or fails without one) and the endpoint is paid for and unused; set {}",
        endpoint.identity.address, *service,
        dns && !dns->is_null() ? fmt::format("has {} = false", field) : fmt::format("does not set {} (the default is false)", field),
        *service == "ecr.dkr" ? "<account>.dkr.ecr" : *service == "ecr.api" ? "api.ecr" : *service,
        cloudformation ? "PrivateDnsEnabled: true" : "private_dns_enabled = true");
    if (dns && !dns->is_null()) context.report(*dns, std::move(message));
    else context.report(*endpoint.node, std::move(message));
  }
}

const RuleRegistration registration{{
    .id = "AWS002",
    .slug = "endpoint-private-dns-off",
    .severity = Severity::Warning,
    .summary = "An Interface VPC endpoint for ecr/logs/secretsmanager/ssm without private_dns_enabled = true",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
