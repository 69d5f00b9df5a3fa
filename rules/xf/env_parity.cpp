#include <string>

#include <fmt/format.h>

#include "analyzer/detect/secret_like.h"
#include "analyzer/engine/rule.h"
#include "analyzer/project/parity_findings.h"

namespace shiftlint {
namespace {

using project::NewSidePlace;
using project::ParityItem;

void check(const project::Project& project, RuleContext& context) {
  project::report_parity_gaps(project, project::HostItemCategory::EnvironmentVariable, context,
                              [](const ParityItem& item, const NewSidePlace* at) {
    const std::string& name = item.item.name;
    bool secret = detect::secret_like_name(name).has_value();
    bool pod = at && !at->subject.starts_with("task definition");
    std::string fix = pod ? (secret ? fmt::format("add `- name: {}` with `valueFrom: secretKeyRef` to its env", name)
                                    : fmt::format("add `- name: {}` with its value to its env", name))
                      : secret ? fmt::format("add it to \"secrets\" ({{\"name\": \"{}\", \"valueFrom\": <a Secrets "
                                             "Manager or SSM parameter ARN>}})",
                                             name)
                               : fmt::format("add {{\"name\": \"{}\", \"value\": ...}} to its environment", name);
    return fmt::format("{} does not set {}, which the old Elastic Beanstalk environment set ({}): the app starts "
                       "without it and falls back to a default or fails on first use; {}",
                       at ? at->subject : std::string("the task definition"), name, project::old_host_place(item.item),
                       fix);
  });
}

const RuleRegistration registration{{
    .id = "XF004",
    .slug = "env-parity",
    .severity = Severity::Warning,
    .summary = "an environment variable set in EB option_settings is missing from the task definition or pod",
    .check_project = check,
}};

}  // namespace
}  // namespace shiftlint
