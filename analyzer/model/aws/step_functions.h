#pragma once
// Amazon States Language documents, from any carrier (Terraform `definition`, CloudFormation
// `Definition`, a standalone .asl.json file): their states, and the ECS RunTask calls among them.
#include "analyzer/model/aws/infrastructure.h"

namespace shiftlint::aws {

// Whether a decoded JSON document is a state machine definition (`StartAt` and `States`).
bool is_state_machine_definition(const Node& document);

// Fills `machine.states` from `machine.definition` (nested Parallel branches and Map processors
// included), then appends a RunTask for every `ecs:runTask` state to `out.run_tasks`.
void read_state_machine(StateMachine& machine, Infrastructure& out);

}  // namespace shiftlint::aws
