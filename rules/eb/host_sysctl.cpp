#include <string>

#include <fmt/format.h>

#include "analyzer/detect/host_tuning.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/eb/host_evidence.h"

namespace shiftlint {
namespace {

std::string where_it_goes(const eb::KernelParameter& parameter) {
  switch (detect::fargate_sysctl_support(parameter.name)) {
    case detect::FargateSysctl::Settable:
      return fmt::format("it is namespaced, so set it per task: \"systemControls\": [{{\"namespace\": \"{}\", "
                         "\"value\": \"{}\"}}] in the ECS task definition, or the pod's securityContext.sysctls",
                         parameter.name, parameter.value);
    case detect::FargateSysctl::KnownToFail:
      return "Fargate rejects it in systemControls although it is namespaced: check whether the app still needs it, "
             "or run the service on the EC2 launch type with the setting on the container instances";
    case detect::FargateSysctl::Unconfirmed:
      return fmt::format("whether Fargate accepts it in systemControls is not confirmed: try \"systemControls\": "
                         "[{{\"namespace\": \"{}\", \"value\": \"{}\"}}] in a test task, and treat connection-heavy "
                         "tuning as a hint to load-test",
                         parameter.name, parameter.value);
    case detect::FargateSysctl::NotSettable: break;
  }
  return "it is host-wide, so a Fargate task cannot set it: find out whether the app still needs it, or set it on "
         "the nodes (EC2 launch type or EKS node launch template)";
}

void check(const eb::BundleFile& bundle, RuleContext& context) {
  for (const eb::KernelParameter& parameter : eb::host_evidence(bundle).kernel_parameters)
    context.report(*parameter.place.file, parameter.place.span,
                   fmt::format("{} sets the kernel parameter {} = {} on the instance; a container does not inherit "
                               "the old host's kernel tuning: {}",
                               parameter.place.origin, parameter.name, parameter.value, where_it_goes(parameter)));
}

const RuleRegistration registration{{
    .id = "EB004",
    .slug = "host-sysctl",
    .severity = Severity::Note,
    .summary = "kernel tuning on the Elastic Beanstalk instance: many parameters cannot be set on Fargate",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
