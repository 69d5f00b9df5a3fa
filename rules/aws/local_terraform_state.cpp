#include <string>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint {
namespace {

constexpr std::string_view kWhy =
    "the state (which maps every resource to its real ID, and holds secrets in plain text) lives in "
    "terraform.tfstate on whichever machine ran apply: a lost laptop or CI workspace orphans the resources, and "
    "two people applying at once overwrite each other";
constexpr std::string_view kFix =
    "configure a remote backend with locking, e.g. backend \"s3\" { bucket = \"...\", key = \"...\", "
    "use_lockfile = true }, then run terraform init -migrate-state";

void check(const aws::Infrastructure& infrastructure, RuleContext& context) {
  if (!infrastructure.terraform_state) return;
  const aws::TerraformState& state = *infrastructure.terraform_state;
  if (state.backend) {
    if (state.backend_type != "local") return;
    context.report(*state.backend, fmt::format("this root module uses backend \"local\": {}; {}", kWhy, kFix));
    return;
  }
  // A folder that configures no provider and has no tfvars is a module for others to call, whose
  // caller decides where state lives.
  if (!state.configures_providers) return;
  // A Google or Azure configuration in the same repository is not what this tool migrates, and
  // its backend would not be S3.
  if (state.other_cloud_only) return;
  std::string message = fmt::format("this root module declares no backend, so Terraform keeps its state locally: {}; {}",
                                    kWhy, kFix);
  if (state.settings) {
    context.report(*state.settings, std::move(message));
  } else if (state.provider_file) {
    // No `terraform` block anywhere: the provider's configuration is where one belongs, not the
    // first line of whichever file sorts first (outputs.tf).
    context.report(*state.provider_file, state.provider_span, std::move(message));
  } else if (state.file) {
    std::string_view first_line = state.file->line(1);
    context.report(*state.file, {{1, 1}, {1, static_cast<uint32_t>(first_line.size() + 1)}}, std::move(message));
  }
}

const RuleRegistration registration{{
    .id = "AWS007",
    .slug = "local-terraform-state",
    .severity = Severity::Warning,
    .summary = "A Terraform root module with no backend or backend \"local\": state lives in a local file",
    .check_infrastructure = check,
}};

}  // namespace
}  // namespace shiftlint
