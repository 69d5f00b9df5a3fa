#pragma once
#include <memory>

#include "analyzer/parse/document.h"

namespace shiftlint {

// YAML 1.2 (multi-document) into the located tree, parsed with yaml-cpp's event API. Anchors and
// aliases are expanded within `limits.max_nodes` (an alias bomb is an error, not an OOM); `<<`
// merge keys are applied; duplicate keys are errors; tags are kept on nodes. CloudFormation's
// short-form intrinsics (`!Ref`, `!Sub`, `!GetAtt`, ...) become Unknown nodes whose text is the
// intrinsic as written, with their arguments kept as children.
Document load_yaml(std::shared_ptr<const SourceFile> file, const LoadLimits& limits = {});

}  // namespace shiftlint
