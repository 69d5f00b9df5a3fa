#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  if (infrastructure.non_utc_time_zone()) return;  // AWS006 reports it, with the time zone it conflicts with
  for (const aws::FirehoseStream& stream : infrastructure.firehose_streams) {
    const Node* prefix = aws::timestamp_prefix_without_time_zone(stream);
    if (!prefix) continue;
    bool cloudformation = infrastructure.carrier == aws::Carrier::CloudFormation;
    std::string_view field = cloudformation ? "CustomTimeZone" : "custom_time_zone";
    std::string_view block = cloudformation ? "ExtendedS3DestinationConfiguration" : "extended_s3_configuration";
    context.report(*prefix,
                   fmt::format("{} partitions S3 objects with !{{timestamp:...}} and no {}: the timestamp is the "
                               "arrival time of the oldest record in the object, in UTC; if readers (Athena "
                               "partitions, batch jobs) expect local-time paths, set {} in {}",
                               stream.display_name, field, field, block));
  }
}

const RuleRegistration registration{{
    .id = "AWS008",
    .slug = "firehose-timestamp-prefix-note",
    .severity = Severity::Note,
    .summary = "A Firehose timestamp prefix without custom_time_zone (arrival time, in UTC)",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
