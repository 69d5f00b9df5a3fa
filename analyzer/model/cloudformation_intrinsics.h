#pragma once
// CloudFormation intrinsic functions written as JSON maps: {"Ref": "X"}, {"Fn::Sub": ...},
// {"Fn::GetAtt": [...]}, {"Fn::GetOptionSetting": {...}}. CloudFormation (or Elastic Beanstalk,
// which hands them to it) resolves them at deploy time. Carriers that allow them (CloudFormation
// templates, .ebextensions) turn them into Unknown nodes in place, so that no rule mistakes them
// for literals. (The YAML short forms, `!Ref`, are Unknown from the loader already.)
#include "analyzer/model/located_tree.h"

namespace shiftlint {

void mark_cloudformation_intrinsics(Node& node);

}  // namespace shiftlint
