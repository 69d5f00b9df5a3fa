#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  const aws::TimeZoneSetting* time_zone = infrastructure.non_utc_time_zone();
  if (!time_zone) return;  // nothing says the project lives outside UTC: AWS008's note covers it
  for (const aws::FirehoseStream& stream : infrastructure.firehose_streams) {
    const Node* prefix = aws::timestamp_prefix_without_time_zone(stream);
    if (!prefix) continue;
    bool cloudformation = infrastructure.carrier == aws::Carrier::CloudFormation;
    Finding& finding = context.report(
        *prefix,
        fmt::format("{} partitions S3 objects with !{{timestamp:...}}, which Firehose evaluates in UTC, while this "
                    "project runs in {}: objects land in partitions up to a day off from the local-time paths "
                    "the old uploads used and Athena queries expect; set {} \"{}\" in {}, or move the old data "
                    "and queries to UTC deliberately",
                    stream.display_name, time_zone->time_zone,
                    cloudformation ? "CustomTimeZone:" : "custom_time_zone =", time_zone->time_zone,
                    cloudformation ? "ExtendedS3DestinationConfiguration" : "extended_s3_configuration"));
    RuleContext::relate(finding, *time_zone->node, fmt::format("the project's time zone, {}", time_zone->time_zone));
  }
}

const RuleRegistration registration{{
    .id = "AWS006",
    .slug = "firehose-utc-partitions",
    .severity = Severity::Warning,
    .summary = "A Firehose S3 prefix with !{timestamp:...} and no custom_time_zone while the project uses a "
               "non-UTC time zone",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
