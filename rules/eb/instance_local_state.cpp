#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

std::string fix_for(const eb::InstanceState& state) {
  if (state.what.starts_with("static files"))
    return "build the assets into the image and serve them from the app container, or upload them to S3 behind "
           "CloudFront at deploy time: a proxy container or load balancer has no copy of the instance's folder";
  if (state.what.starts_with("sessions"))
    return "keep sessions in a shared store (ElastiCache/Redis, the database) or signed cookies";
  if (state.what.starts_with("a SQLite"))
    return "move the data to a database service (RDS), or to EFS when one writer is guaranteed";
  return "store it in S3 (or an EFS volume mounted by every task) instead of the local disk";
}

void check(const eb::BundleFile& bundle, RuleContext& context) {
  for (const eb::InstanceState& state : eb::host_evidence(bundle).instance_state)
    context.report(*state.place.file, state.place.span,
                   fmt::format("{} keeps {} on the instance's disk at {} ({}); a task's disk is gone when it stops "
                               "and each replica has its own: {}",
                               state.place.origin, state.what, state.path.empty() ? "a local path" : state.path,
                               state.how, fix_for(state)));
}

const RuleRegistration registration{{
    .id = "EB006",
    .slug = "instance-local-state",
    .severity = Severity::Warning,
    .summary = "uploads, sessions, SQLite or static assets kept on the Elastic Beanstalk instance's disk",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
