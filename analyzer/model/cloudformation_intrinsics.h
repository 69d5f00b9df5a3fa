#pragma once
// CloudFormation intrinsic functions written as JSON maps: {"Ref": "X"}, {"Fn::Sub": ...},
// {"Fn::GetAtt": [...]}, {"Fn::GetOptionSetting": {...}}. CloudFormation (or Elastic Beanstalk,
// which hands them to it) resolves them at deploy time. Carriers that allow them (CloudFormation
// templates, .ebextensions) turn them into Unknown nodes in place, so that no rule mistakes them
// for literals. (The YAML short forms, `!Ref`, are Unknown from the loader already.)
#include "analyzer/model/located_tree.h"

namespace shiftlint {

void mark_cloudformation_intrinsics(Node& node);

// The template string of an `Fn::Sub` in any of its forms: `!Sub "text"`, `!Sub ["text", {vars}]`,
// `{"Fn::Sub": "text"}`, `{"Fn::Sub": ["text", {vars}]}`. Its `${...}` placeholders are left in.
// nullptr for any other value.
const Node* sub_template(const Node& value);

}  // namespace shiftlint
