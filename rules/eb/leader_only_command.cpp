#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

void check(const eb::BundleFile& bundle, RuleContext& context) {
  for (const eb::LeaderOnlyCommand& command : eb::host_evidence(bundle).leader_only) {
    std::string what = command.purpose.empty() ? std::string("its command") : command.purpose;
    // A build's output is files the app serves or loads: a one-off task would leave them on its own
    // disk, so they belong in the image (or a bucket), not in a task of their own.
    bool builds = command.kind == detect::StartupWorkKind::Build || command.kind == detect::StartupWorkKind::DependencyInstall;
    std::string_view fix =
        builds ? "build it into the image instead (a RUN step in the Dockerfile, so every replica starts with the "
                 "same output), or publish the output to S3 from the pipeline; a one-off task would write it to its "
                 "own disk only"
               : "run it once per deployment instead, as a one-off ECS task (RunTask) in the pipeline before the "
                 "service is updated, or a Kubernetes Job (a Helm pre-upgrade hook)";
    Finding& finding = context.report(
        *command.place.file, command.place.span,
        fmt::format("container_commands `{}` runs {} on one instance only (leader_only); containers have no leader, "
                    "so in a task's entrypoint it would run in every replica at once: {}",
                    command.name, what, fix));
    if (command.command.span != command.place.span)
      finding.related.push_back({make_location(*command.command.file, command.command.span), "the command"});
  }
}

const RuleRegistration registration{{
    .id = "EB005",
    .slug = "leader-only-command",
    .severity = Severity::Warning,
    .summary = "leader_only container_commands (migrations, one-off jobs): no leader exists among containers",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
