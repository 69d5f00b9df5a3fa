#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

// Whether the load balancer is an internet-facing ALB; nullopt when not knowable.
std::optional<bool> internet_facing_alb(const aws::LoadBalancer& balancer) {
  if (balancer.load_balancer_type && !balancer.load_balancer_type->is_null()) {
    auto type = balancer.load_balancer_type->as_string();
    if (!type) return std::nullopt;
    if (!equal_ignoring_case(*type, "application")) return false;
  }
  if (balancer.scheme && !balancer.scheme->is_null()) {  // CloudFormation: internet-facing unless internal
    auto scheme = balancer.scheme->as_string();
    if (!scheme) return std::nullopt;
    return !equal_ignoring_case(*scheme, "internal");
  }
  if (!balancer.internal || balancer.internal->is_null()) return true;  // internal defaults to false
  auto internal = balancer.internal->as_boolean();
  if (!internal) return std::nullopt;
  return !*internal;
}

template <typename Item>
const Item* referenced(const std::vector<Item>& items, const Node* value, const aws::ResourceIdentity& from) {
  return aws::referenced_item(items, value, from);
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::Listener& listener : infrastructure.listeners) {
    const aws::LoadBalancer* balancer = referenced(infrastructure.load_balancers, listener.load_balancer_arn,
                                                   listener.identity);
    if (!balancer || internet_facing_alb(*balancer) != true) continue;
    std::vector<const aws::ListenerRule*> host_rules;
    for (const aws::ListenerRule& rule : infrastructure.listener_rules)
      if (rule.host_header && referenced(infrastructure.listeners, rule.listener_arn, rule.identity) == &listener)
        host_rules.push_back(&rule);
    if (host_rules.empty() || !listener.default_actions || !listener.default_actions->is_list() ||
        listener.default_actions->children.empty())
      continue;
    const Node& action = listener.default_actions->children.front();
    const Node* type = action.find_any_case("type");
    auto type_text = type ? type->as_string() : std::nullopt;
    if (!type_text || *type_text != "forward") continue;
    Finding& finding = context.report(
        *type, fmt::format("{} of internet-facing {} routes its domains with host-header rules, but its default "
                           "action forwards every other request to the app: requests addressed to the ALB's own DNS "
                           "name or IP (crawlers, scanners, health checkers) reach the app with a Host it does not "
                           "serve, and it answers with errors; make the default action a fixed-response (e.g. 404) "
                           "and keep forwarding in the host-header rules",
                           listener.identity.address, balancer->identity.address));
    RuleContext::relate(finding, *host_rules.front()->host_header, "a host-header rule on this listener");
  }
}

const RuleRegistration registration{{
    .id = "AWS005",
    .slug = "alb-default-forwards-unknown-hosts",
    .severity = Severity::Warning,
    .summary = "An internet-facing ALB listener with host-header rules whose default action still forwards to the app",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
