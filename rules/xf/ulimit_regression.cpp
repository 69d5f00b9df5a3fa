#include <algorithm>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/project/parity_findings.h"

namespace shiftlint {
namespace {

using project::NewSidePlace;
using project::ParityItem;

bool host_wide(const ParityItem& item) { return item.item.origin.find("(sysctl ") != std::string::npos; }

// "raised nofile to soft 65536 / hard 131072": what the old host did.
std::string old_limit(const ParityItem& item) {
  const std::string& soft = item.item.value;
  const std::string& hard = item.item.detail;
  if (host_wide(item) && soft.empty())
    return fmt::format("raised the host-wide open-file limit to {}", hard.empty() ? "a higher value" : hard);
  if (!soft.empty() && !hard.empty() && soft != hard) return fmt::format("raised nofile to soft {} / hard {}", soft, hard);
  if (!soft.empty() || !hard.empty()) return fmt::format("raised nofile to {}", soft.empty() ? hard : soft);
  return "raised nofile";
}

// The ulimits entry that keeps what the old host allowed: at least ECS001's 65535, at most
// Fargate's 1048576; 65535 for a host-wide limit (fs.file-max is not a per-process limit).
std::string ulimit_entry(const ParityItem& item) {
  auto number = [](const std::string& text) -> int64_t {
    if (text == "unlimited" || text == "infinity") return 1048576;
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
    return std::stoll(text);
  };
  int64_t soft = host_wide(item) ? 0 : number(item.item.value);
  int64_t hard = host_wide(item) ? 0 : number(item.item.detail);
  if (soft == 0) soft = hard;
  soft = std::clamp<int64_t>(soft, 65535, 1048576);
  hard = std::clamp<int64_t>(std::max(hard, soft), 65535, 1048576);
  return fmt::format("\"ulimits\": [{{\"name\": \"nofile\", \"softLimit\": {}, \"hardLimit\": {}}}]", soft, hard);
}

void check(const project::Project& project, RuleContext& context) {
  project::report_parity_gaps(project, project::HostItemCategory::NofileLimit, context,
                              [](const ParityItem& item, const NewSidePlace* at) {
    std::string old = fmt::format("the old Elastic Beanstalk host {} ({})", old_limit(item),
                                  project::old_host_place(item.item));
    std::string why = "the app then fails with \"Too many open files\" once production load opens more sockets and "
                      "files than the default allows (Fargate: 65535, 1024 soft on older platform versions; on EC2 "
                      "the AMI's Docker default)";
    if (!at)
      return fmt::format("{}, and no task definition in this run runs app {}: {}; set {} on the app's container in the "
                         "task definition that runs its image",
                         old, item.app_name, why, ulimit_entry(item));
    if (!at->detail.empty())
      return fmt::format("{} allows only {}, but {}: {}; raise it to {}", at->subject, at->detail, old, why,
                         ulimit_entry(item));
    return fmt::format("{} has no nofile ulimit, but {}: {}; add {} to the container", at->subject, old, why,
                       ulimit_entry(item));
  });
}

const RuleRegistration registration{{
    .id = "XF001",
    .slug = "ulimit-regression",
    .severity = Severity::Error,
    .summary = "the old host raised nofile; the task definition of the same app sets no or a lower nofile ulimit",
    .check_project = check,
}};

}  // namespace
}  // namespace shiftlint
