#include <string>

#include <fmt/format.h>

#include "analyzer/detect/secret_like.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

// Every option_settings value, not only environment properties: `aws:rds:dbinstance` DBPassword
// is a literal password as well.
void check(const eb::BundleFile& bundle, RuleContext& context) {
  if (bundle.kind != eb::BundleFileKind::Extension) return;
  for (const eb::OptionSetting& setting : bundle.extension.option_settings) {
    if (!setting.value || !setting.value->is_string()) continue;
    auto secret = detect::find_plaintext_secret(setting.option_name, setting.value->text);
    if (!secret) continue;
    bool environment = setting.namespace_name == eb::kEnvironmentNamespace;
    std::string shown = detect::mask_secret(secret->secret.empty() ? std::string_view(setting.value->text) : secret->secret);
    if (shown.ends_with("…")) shown = fmt::format("`{}`", shown);  // the first characters, as written
    Finding& finding = context.report(
        *setting.value,
        fmt::format("option {} ({}) holds {} in plain text ({}): it is in the source bundle, the environment's "
                    "configuration and every copy of this repository; {}",
                    setting.option_name, setting.namespace_name, secret->kind, shown,
                    environment ? "store it in Secrets Manager or SSM Parameter Store and reference it (EB's "
                                  "aws:elasticbeanstalk:application:environmentsecrets namespace now, the task "
                                  "definition's \"secrets\" with valueFrom after the move)"
                                : "store it in Secrets Manager and let the service read it from there"));
    finding.sensitive = true;
  }
}

const RuleRegistration registration{{
    .id = "EB009",
    .slug = "plaintext-secret-setting",
    .severity = Severity::Error,
    .summary = "option_settings value with a secret-like name or value written in plain text",
    .check_eb_file = check,
}};

}  // namespace
}  // namespace shiftlint
