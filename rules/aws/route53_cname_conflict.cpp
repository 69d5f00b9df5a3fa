#include <cctype>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

std::string record_type(const aws::Route53Record& record) {
  auto type = record.type ? record.type->as_string() : std::nullopt;
  return type ? to_lower_ascii(*type) : std::string();
}

bool has_set_identifier(const aws::Route53Record& record) {
  return record.set_identifier && !record.set_identifier->is_null();
}

std::string upper_case(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

const Node& where(const aws::Route53Record& record) { return record.type ? *record.type : *record.node; }

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  struct Placed {
    const aws::Route53Record* record;
    aws::RecordPlace place;
    std::string type;
  };
  std::map<std::pair<std::string, std::string>, std::vector<Placed>> by_name;  // (zone, name) → records
  std::vector<Placed> ordered;
  for (const aws::Route53Record& record : infrastructure.records) {
    auto place = aws::place_of(infrastructure, record);
    std::string type = record_type(record);
    if (!place || type.empty()) continue;
    Placed placed{&record, *place, type};
    by_name[{place->zone_key, place->name}].push_back(placed);
    ordered.push_back(std::move(placed));
  }
  for (const Placed& placed : ordered) {
    if (placed.type != "cname") continue;
    const aws::Route53Record& record = *placed.record;
    if (placed.place.at_apex) {
      context.report(where(record),
                     fmt::format("{} is a CNAME at the apex of zone {}: DNS forbids it (the apex already has SOA and "
                                 "NS records), and Route 53 rejects it with InvalidChangeBatch \"RRSet of type CNAME "
                                 "with DNS name {} is not permitted at apex\"; use an alias A/AAAA record to the load "
                                 "balancer or CloudFront distribution instead",
                                 record.display_name, placed.place.zone_name, placed.place.name));
      continue;
    }
    for (const Placed& other : by_name[{placed.place.zone_key, placed.place.name}]) {
      if (other.record == placed.record) continue;
      // CNAMEs of one weighted/failover set share a name legitimately; each has a set identifier.
      if (other.type == "cname" && has_set_identifier(record) && has_set_identifier(*other.record)) continue;
      if (other.type == "cname" && other.record < placed.record) continue;  // report a CNAME pair once
      Finding& finding = context.report(
          where(record),
          fmt::format("{} is a CNAME for {}, and {} ({}) has the same name in the same zone: a CNAME "
                      "cannot share its name with any other record (RFC 1912 2.4), and Route 53 rejects the change "
                      "with InvalidChangeBatch; remove one of them, or use an alias record instead of the CNAME",
                      record.display_name, placed.place.name, other.record->display_name,
                      upper_case(other.type) + " record"));
      RuleContext::relate(finding, where(*other.record), "the other record with that name");
      break;
    }
  }
}

const RuleRegistration registration{{
    .id = "AWS003",
    .slug = "route53-cname-conflict",
    .severity = Severity::Error,
    .summary = "A Route 53 CNAME at the zone apex, or a CNAME sharing its name with another record in the zone",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
