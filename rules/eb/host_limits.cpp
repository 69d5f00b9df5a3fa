#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

std::string value_of(const eb::RaisedLimit& limit) {
  if (!limit.soft.empty() && !limit.hard.empty() && limit.soft != limit.hard)
    return fmt::format("soft {} / hard {}", limit.soft, limit.hard);
  return !limit.soft.empty() ? limit.soft : limit.hard;
}

bool is_number(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string fix_for(const eb::RaisedLimit& limit) {
  if (limit.resource == "nproc")
    return "Fargate lets a task set only nofile: keep this service on the EC2 launch type with "
           "\"ulimits\": [{\"name\": \"nproc\", ...}], or make sure the app does not need it";
  std::string soft = limit.soft.empty() ? limit.hard : limit.soft;
  std::string hard = limit.hard.empty() ? limit.soft : limit.hard;
  bool numbers = is_number(soft) && is_number(hard) && !limit.mechanism.starts_with("sysctl");
  return fmt::format("set \"ulimits\": [{{\"name\": \"nofile\", \"softLimit\": {}, \"hardLimit\": {}}}] on the "
                     "container in the ECS task definition (Fargate's default is 65535, 1024 soft on older platforms; "
                     "ECS001 checks it), or the runtime's default on Kubernetes nodes",
                     numbers ? soft : "65535", numbers ? hard : "65535");
}

// The soft and hard lines of one resource set by one construct (`webapp soft nofile 65536` and
// `webapp hard nofile 131072` in one file) are one item: one finding on the first line, with both
// values in the fix.
void check(const eb::BundleFile& bundle, RuleContext& context) {
  std::vector<eb::RaisedLimit> merged;
  std::vector<std::vector<eb::HostPlace>> others;
  for (const eb::RaisedLimit& limit : eb::host_evidence(bundle).limits) {
    bool descriptors = limit.resource == "nofile" || limit.resource.empty();
    if (!descriptors && limit.resource != "nproc") continue;
    auto same = std::find_if(merged.begin(), merged.end(), [&](const eb::RaisedLimit& seen) {
      return !limit.resource.empty() && seen.resource == limit.resource && seen.mechanism == limit.mechanism &&
             seen.place.origin == limit.place.origin;
    });
    if (same == merged.end()) {
      merged.push_back(limit);
      others.emplace_back();
      continue;
    }
    if (!limit.soft.empty()) same->soft = limit.soft;
    if (!limit.hard.empty()) same->hard = limit.hard;
    others[same - merged.begin()].push_back(limit.place);
  }
  for (size_t index = 0; index < merged.size(); ++index) {
    const eb::RaisedLimit& limit = merged[index];
    std::string what = limit.resource.empty()
                           ? fmt::format("{} changes resource limits on the instance ({})", limit.place.origin,
                                         limit.mechanism)
                           : fmt::format("{} raises {} to {} on the instance ({})", limit.place.origin, limit.resource,
                                         value_of(limit), limit.mechanism);
    std::string why = limit.mechanism.starts_with("sysctl")
                          ? "a host-wide kernel limit a task cannot set; what the app runs into in a container is its "
                            "own open-file limit"
                          : "a container does not inherit it (pam_limits and login shells never run for a container's "
                            "process)";
    Finding& finding = context.report(*limit.place.file, limit.place.span, fmt::format("{}: {}; {}", what, why, fix_for(limit)));
    for (const eb::HostPlace& place : others[index])
      finding.related.push_back({make_location(*place.file, place.span), "also sets " + limit.resource});
  }
}

const RuleRegistration registration{{
    .id = "EB003",
    .slug = "host-limits",
    .severity = Severity::Warning,
    .summary = "nofile/nproc raised on the Elastic Beanstalk instance: the container will not have it",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
