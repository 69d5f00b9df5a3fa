#include <string>

#include <fmt/format.h>

#include "analyzer/detect/host_tuning.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

void check(const eb::BundleFile& bundle, RuleContext& context) {
  for (const eb::TimeZoneSetting& setting : eb::host_evidence(bundle).time_zones) {
    if (detect::is_utc_zone(setting.zone)) continue;  // what a container runs in anyway
    // `$NEWTIMEZONE`: a zone only the deployment knows.
    bool known = setting.zone.find_first_of("$`") == std::string::npos;
    context.report(*setting.place.file, setting.place.span,
                   fmt::format("{} sets the instance's time zone to {} ({}); containers run in UTC, so log "
                               "timestamps, cron-style schedules and date-based paths shift by the offset: set {} in "
                               "the task definition's environment (and install tzdata in the image), or move the app "
                               "to UTC deliberately",
                               setting.place.origin,
                               known ? setting.zone : fmt::format("the zone in `{}`", setting.zone), setting.mechanism,
                               known ? "TZ=" + setting.zone : std::string("TZ to that zone")));
  }
}

const RuleRegistration registration{{
    .id = "EB008",
    .slug = "instance-timezone",
    .severity = Severity::Warning,
    .summary = "the Elastic Beanstalk instance's time zone is changed: containers run in UTC",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
