#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/project/parity_findings.h"

namespace shiftlint {
namespace {

using project::NewSidePlace;
using project::ParityItem;

void check(const project::Project& project, RuleContext& context) {
  project::report_parity_gaps(project, project::HostItemCategory::TimeZone, context,
                              [](const ParityItem& item, const NewSidePlace* at) {
    const std::string& zone = item.item.name;
    bool known = zone.find_first_of("$`") == std::string::npos;
    std::string shown = known ? zone : fmt::format("the zone in `{}`", zone);
    std::string old = fmt::format("the old Elastic Beanstalk host ran in {} ({}, {})", shown, item.item.detail,
                                  project::old_host_place(item.item));
    std::string why = "containers run in UTC, so log timestamps, cron-style schedules and date-based paths (S3 prefixes, "
                      "partitions) shift by the zone's offset";
    std::string value = known ? zone : "that zone";
    if (!at)
      return fmt::format("{}, and nothing of app {} in this run sets a time zone: {}; set TZ={} in the environment of the "
                         "task definition or pod that runs it (and install tzdata in the image), or move the app to UTC "
                         "deliberately",
                         old, item.app_name, shown, why, value);
    if (at->subject == "Dockerfile")
      return fmt::format("the image sets no time zone, but {}: {}; add `ENV TZ={}` (with tzdata installed), or set TZ in "
                         "the task definition, or move the app to UTC deliberately",
                         old, why, value);
    return fmt::format("{} sets no time zone, but {}: {}; add {{\"name\": \"TZ\", \"value\": \"{}\"}} to its environment "
                       "(and install tzdata in the image), or move the app to UTC deliberately",
                       at->subject, old, why, value);
  });
}

const RuleRegistration registration{{
    .id = "XF002",
    .slug = "timezone-regression",
    .severity = Severity::Warning,
    .summary = "the old host ran in a non-UTC time zone; the image, task definition or pod of the same app sets none",
    .check_project = check,
}};

}  // namespace
}  // namespace shiftlint
