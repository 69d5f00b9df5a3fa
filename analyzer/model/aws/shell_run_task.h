#pragma once
// `aws ecs run-task ...` in shell scripts as RunTask calls: --launch-type, --platform-version,
// --task-definition, --capacity-provider-strategy, --network-configuration and --overrides (its
// JSON decoded, every node at the word's span). A value built from variables is unknown.
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/parse/shell/command.h"

namespace shiftlint::aws {

void extract_run_tasks(const shell::Script& script, const SourceFile& file, Infrastructure& out);

}  // namespace shiftlint::aws
