#pragma once
// The text of a value whose literal parts are known even when the whole is not: a plain string as
// is, and a CloudFormation `Fn::Sub` template (`!Sub "postgres://app:pw@${DbHost}/app"`) with its
// `${...}` placeholders left in, and a Terraform string template with unknown parts the same way.
// The detectors treat those placeholders as unknown, so a finding drawn from the literal parts
// holds whatever the placeholders become.
#include <optional>
#include <string_view>

#include "analyzer/model/located_tree.h"

namespace shiftlint::detect {

// nullopt for other unknown values (`!Ref`, `Fn::GetAtt`...), lists and maps.
std::optional<std::string_view> text_with_placeholders(const Node& value);

}  // namespace shiftlint::detect
