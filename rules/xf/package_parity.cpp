#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/project/parity_findings.h"

namespace shiftlint {
namespace {

using project::NewSidePlace;
using project::ParityItem;

void check(const project::Project& project, RuleContext& context) {
  project::report_parity_gaps(project, project::HostItemCategory::Package, context,
                              [](const ParityItem& item, const NewSidePlace* at) {
    const project::HostItem& host = item.item;
    std::string package = host.value.empty() ? host.name : fmt::format("{} ({})", host.name, host.value);
    return fmt::format("{} does not install the {} package {}, which the old Elastic Beanstalk host installed ({}): "
                       "the app fails at run time where it calls or links against it, often only on the code path "
                       "that needs it; install it in the image (the name may differ on the image's distribution), or "
                       "drop it from the old config if the app no longer needs it",
                       at ? at->path : std::string("the image"), host.detail, package,
                       project::old_host_place(host));
  });
}

const RuleRegistration registration{{
    .id = "XF003",
    .slug = "package-parity",
    .severity = Severity::Warning,
    .summary = "a package the .ebextensions install is not installed in the app's Dockerfile",
    .check_project = check,
}};

}  // namespace
}  // namespace shiftlint
