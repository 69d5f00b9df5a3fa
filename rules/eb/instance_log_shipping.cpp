#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

std::string fix_for(std::string_view product) {
  if (product == "logrotate")
    return "in a container, write logs to stdout/stderr and let the log driver (awslogs, FireLens) keep them; "
           "nothing rotates files inside a task";
  return "in a container, log to stdout/stderr and ship with the task's log driver (awslogs, or FireLens with "
         "Fluent Bit as a sidecar) instead of an agent on the host";
}

// One finding per product in a file: installing, configuring and starting an agent are one item.
void check(const eb::BundleFile& bundle, RuleContext& context) {
  std::vector<std::pair<std::string, Finding*>> reported;
  for (const eb::LogShipping& shipping : eb::host_evidence(bundle).log_shipping) {
    auto found = std::find_if(reported.begin(), reported.end(),
                              [&](const auto& entry) { return entry.first == shipping.product; });
    if (found != reported.end()) {
      found->second->related.push_back(
          {make_location(*shipping.place.file, shipping.place.span), fmt::format("also {}", shipping.how)});
      continue;
    }
    Finding& finding = context.report(
        *shipping.place.file, shipping.place.span,
        fmt::format("{} {}: {} handles log files on the instance, and stays behind with it; {}",
                    shipping.place.origin, shipping.how, shipping.product, fix_for(shipping.product)));
    reported.push_back({shipping.product, &finding});
  }
}

const RuleRegistration registration{{
    .id = "EB007",
    .slug = "instance-log-shipping",
    .severity = Severity::Note,
    .summary = "fluentd, awslogs, the CloudWatch agent or logrotate configured on the Elastic Beanstalk instance",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
