#include <cctype>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

// The routing policy of a record: "weighted", "latency"... or "simple".
std::string_view policy_of(const aws::Route53Record& record) {
  return record.routing_policies.empty() ? std::string_view("simple") : std::string_view(record.routing_policies.front().first);
}

const Node* policy_node(const aws::Route53Record& record) {
  return record.routing_policies.empty() ? nullptr : record.routing_policies.front().second;
}

std::string upper_type(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  // (zone, name, type) → records, in declaration order.
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const aws::Route53Record*>> sets;
  for (const aws::Route53Record& record : infrastructure.records) {
    bool weighted = policy_of(record) == "weighted";
    if (weighted && (!record.set_identifier || record.set_identifier->is_null())) {
      context.report(*policy_node(record),
                     fmt::format("{} has a weighted routing policy but no set_identifier: Route 53 needs one to tell "
                                 "the records of a weighted set apart, and rejects the change; add set_identifier "
                                 "(e.g. \"blue\" / \"green\") to every record of the set",
                                 record.display_name));
    }
    auto place = aws::place_of(infrastructure, record);
    auto type = record.type ? record.type->as_string() : std::nullopt;
    if (!place || !type) continue;
    sets[{place->zone_key, place->name, to_lower_ascii(*type)}].push_back(&record);
  }
  for (const auto& [key, records] : sets) {
    const aws::Route53Record* weighted = nullptr;
    for (const aws::Route53Record* record : records)
      if (!weighted && policy_of(*record) == "weighted") weighted = record;
    if (!weighted) continue;
    for (const aws::Route53Record* record : records) {
      std::string_view policy = policy_of(*record);
      if (policy == "weighted") continue;
      const Node& at = policy_node(*record) ? *policy_node(*record) : *record->node;
      Finding& finding = context.report(
          at, fmt::format("{} uses {} routing for {} {} while {} routes that name and type by weight: one name and type cannot mix "
                          "routing policies, and Route 53 rejects the change (a cut-over that switches one record "
                          "to weighted fails half-way); give every record of {} a weighted_routing_policy and a "
                          "set_identifier",
                          record->display_name, policy, std::get<1>(key), upper_type(std::get<2>(key)),
                          weighted->display_name, std::get<1>(key)));
      RuleContext::relate(finding, *policy_node(*weighted), "the weighted record");
    }
  }
}

const RuleRegistration registration{{
    .id = "AWS004",
    .slug = "route53-weighted-incomplete",
    .severity = Severity::Error,
    .summary = "A weighted Route 53 record without set_identifier, or a weighted set mixing routing policies",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
