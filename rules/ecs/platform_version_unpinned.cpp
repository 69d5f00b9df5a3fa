#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

constexpr std::string_view kPinnedVersion = "1.4.0";

bool is_absent(const Node* node) { return !node || node->is_null() || (node->is_string() && node->text.empty()); }

bool is_latest(const Node& node) {
  auto text = node.as_string();
  return text && equal_ignoring_case(*text, "LATEST");
}

// `platform_version = "1.4.0"` as the carrier spells it.
std::string pinned(aws::Spelling spelling, aws::Carrier carrier = aws::Carrier::Terraform) {
  if (carrier == aws::Carrier::Shell) return fmt::format("--platform-version {}", kPinnedVersion);
  switch (spelling) {
    case aws::Spelling::Snake: return fmt::format("platform_version = \"{}\"", kPinnedVersion);
    case aws::Spelling::Camel: return fmt::format("\"platformVersion\": \"{}\"", kPinnedVersion);
    case aws::Spelling::Pascal: return fmt::format("\"PlatformVersion\": \"{}\"", kPinnedVersion);
  }
  return "";
}

constexpr std::string_view kWhy =
    "AWS moves LATEST to newer platform versions on its own schedule (the move from 1.3.0 to 1.4.0 changed how "
    "tasks reach ECR, Secrets Manager and CloudWatch Logs), and tasks on LATEST are replaced when a version "
    "retires";

std::string_view written_text(const Node& value) {
  size_t begin = value.file->offset_of(value.span.begin);
  size_t end = value.file->offset_of(value.span.end);
  return value.file->text().substr(begin, end - begin);
}

// Replaces the quoted "LATEST" with the pinned version, when the node is a literal in the file.
void offer_replacement(Finding& finding, const Node& value) {
  if (!value.file || value.span.empty()) return;
  std::string_view written = written_text(value);
  if (written.size() < 2 || written.front() != '"' || written.back() != '"' ||
      !equal_ignoring_case(written.substr(1, written.size() - 2), "LATEST"))
    return;
  finding.fix = Fix{fmt::format("Pin the platform version to {}", kPinnedVersion),
                    {{value.span, fmt::format("\"{}\"", kPinnedVersion)}}};
}

// Inserts `platform_version = "1.4.0"` on the line after `launch_type` in a Terraform service.
void offer_insertion(Finding& finding, const aws::EcsService& service) {
  const Node* anchor = service.launch_type;
  if (!anchor || !service.file || anchor->file != service.file || anchor->key_span.empty()) return;
  const SourceFile& file = *service.file;
  std::string_view line = file.line(anchor->key_span.begin.line);
  if (anchor->span.end.line != anchor->key_span.begin.line) return;  // a multi-line value: leave it to the user
  std::string indent(line.substr(0, line.find_first_not_of(" \t")));
  Position after{anchor->key_span.begin.line, static_cast<uint32_t>(line.size() + 1)};
  std::string newline = file.uses_crlf() ? "\r\n" : "\n";
  finding.fix = Fix{fmt::format("Pin the platform version to {}", kPinnedVersion),
                    {{{after, after}, fmt::format("{}{}{}", newline, indent, pinned(service.spelling))}}};
}

// `fargate_known`: false for an appspec, which does not say where its service runs.
void check_version(const Node* version, const Node& owner, std::string_view what, aws::Spelling spelling,
                   const aws::EcsService* service, RuleContext& context, bool fargate_known = true,
                   aws::Carrier carrier = aws::Carrier::Terraform) {
  std::string field =
      carrier == aws::Carrier::Shell ? std::string("--platform-version") : aws::spelled(spelling, "platform_version");
  if (is_absent(version)) {
    std::string_view how = fargate_known ? "runs on Fargate and sets no {}, so it runs on LATEST"
                                         : "sets no {}, so the Fargate tasks each deployment starts run on LATEST";
    // A null written somewhere (a module variable defaulting to null) is where the value comes from.
    bool written_null = version && version->is_null() && version->file && !version->span.empty() &&
                        written_text(*version) == "null";
    Finding& finding = context.report(
        written_null ? *version : owner,
        fmt::format("{} {}: {}; pin it ({}) and move to a new version deliberately", what,
                    fmt::format(fmt::runtime(how), field), kWhy, pinned(spelling, carrier)));
    if (written_null && version->file != owner.file)
      RuleContext::relate(finding, owner, fmt::format("{} uses the value here", what));
    if (!written_null && service && service->carrier == aws::Carrier::Terraform) offer_insertion(finding, *service);
    return;
  }
  if (!is_latest(*version)) return;  // pinned, or unknown: a value nobody can see may well be pinned
  Finding& finding = context.report(
      *version, fmt::format("{} {} {} LATEST: {}; pin it ({}) and move to a new version deliberately", what,
                            fargate_known ? "runs on Fargate with" : "deploys with", field, kWhy, pinned(spelling, carrier)));
  if (version->file != owner.file) RuleContext::relate(finding, owner, fmt::format("{} uses the value here", what));
  if (carrier != aws::Carrier::TerraformPlan) offer_replacement(finding, *version);
}

// The name messages use; when only the task definition says the tasks run on Fargate, it says so.
template <typename Runner>
std::string runner_name(const Runner& runner, Target target) {
  if (aws::fargate_use(runner.launch_type, runner.capacity_provider_strategy, target) != aws::FargateUse::Unknown)
    return runner.display_name;
  return fmt::format("{} (whose {} requires FARGATE alone)", runner.display_name,
                     aws::task_definition_name(*runner.task, runner.task_in_other_file));
}

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  for (const aws::EcsService& service : infrastructure.services) {
    if (aws::fargate_use(service.launch_type, service.capacity_provider_strategy, context.target(), service.task) !=
        aws::FargateUse::Yes)
      continue;
    check_version(service.platform_version, *service.node, runner_name(service, context.target()), service.spelling,
                  &service, context, true, service.carrier);
  }
  for (const aws::RunTask& run : infrastructure.run_tasks) {
    if (aws::fargate_use(run.launch_type, run.capacity_provider_strategy, context.target(), run.task) !=
        aws::FargateUse::Yes)
      continue;
    check_version(run.platform_version, *run.node, runner_name(run, context.target()), run.spelling, nullptr, context,
                  true, run.carrier);
  }
  for (const aws::AppSpec& appspec : infrastructure.appspecs) {
    // An appspec does not say where the service runs; it fires unless something says not Fargate:
    // the config's target, the deployment's capacity providers, or the task definition it deploys.
    if (aws::fargate_use(nullptr, appspec.capacity_provider_strategy, context.target()) == aws::FargateUse::No)
      continue;
    if (appspec.task && appspec.task->excludes_fargate()) continue;
    bool fargate_known = aws::fargate_use(nullptr, appspec.capacity_provider_strategy, context.target(),
                                          appspec.task) == aws::FargateUse::Yes;
    std::string name = appspec.display_name;
    if (fargate_known && aws::fargate_use(nullptr, appspec.capacity_provider_strategy, context.target()) ==
                             aws::FargateUse::Unknown)
      name += fmt::format(" (whose {} requires FARGATE alone)",
                          aws::task_definition_name(*appspec.task, appspec.task_in_other_file));
    check_version(appspec.platform_version, appspec.properties ? *appspec.properties : *appspec.node, name,
                  aws::Spelling::Pascal, nullptr, context, fargate_known);
  }
}

const RuleRegistration registration{{
    .id = "ECS101",
    .slug = "platform-version-unpinned",
    .severity = Severity::Warning,
    .summary = "A Fargate service, RunTask call, Step Functions state, scheduled target or CodeDeploy appspec "
               "uses LATEST or omits the platform version",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
