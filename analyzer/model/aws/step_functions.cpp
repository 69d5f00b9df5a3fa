#include "analyzer/model/aws/step_functions.h"

#include <fmt/format.h>

namespace shiftlint::aws {

namespace {

constexpr int kMaxNesting = 32;

void collect_states(const Node& states, std::vector<StepFunctionsState>& out, int depth);

void collect_nested(const Node& state, std::vector<StepFunctionsState>& out, int depth) {
  if (depth > kMaxNesting) return;
  if (const Node* branches = state.find("Branches"); branches && branches->is_list())
    for (const Node& branch : branches->children)
      if (const Node* states = branch.find("States")) collect_states(*states, out, depth + 1);
  for (std::string_view processor : {"Iterator", "ItemProcessor"})
    if (const Node* inner = state.find(processor))
      if (const Node* states = inner->find("States")) collect_states(*states, out, depth + 1);
}

void collect_states(const Node& states, std::vector<StepFunctionsState>& out, int depth) {
  if (!states.is_map()) return;
  for (const Node& state : states.children) {
    if (!state.is_map()) continue;
    StepFunctionsState item;
    item.name = state.key;
    item.node = &state;
    item.type = state.find("Type");
    item.resource = state.find("Resource");
    item.parameters = state.find("Parameters");
    if (!item.parameters) item.parameters = state.find("Arguments");  // JSONata states
    item.retry = state.find("Retry");
    item.result_selector = state.find("ResultSelector");
    out.push_back(item);
    collect_nested(state, out, depth);
  }
}

// A parameter by name; `Name.$` (a JSONPath taking the value from the input) is an unknown value.
const Node* parameter(const Node* parameters, std::string_view name, Infrastructure& out) {
  if (!parameters || !parameters->is_map()) return nullptr;
  if (const Node* value = parameters->find(name)) return value;
  if (const Node* dynamic = parameters->find(fmt::format("{}.$", name))) {
    Node unknown = *dynamic;
    unknown.kind = NodeKind::Unknown;
    unknown.text = fmt::format("{} from the state input", dynamic->describe());
    unknown.children.clear();
    out.storage.push_back(std::move(unknown));
    return &out.storage.back();
  }
  return nullptr;
}

}  // namespace

bool is_state_machine_definition(const Node& document) {
  return document.is_map() && document.find("StartAt") && document.find("States");
}

void read_state_machine(StateMachine& machine, Infrastructure& out) {
  if (!machine.definition) return;
  if (const Node* states = machine.definition->find("States")) collect_states(*states, machine.states, 0);
  for (const StepFunctionsState& state : machine.states) {
    if (ecs_run_task_integration(state.resource) == EcsIntegration::None) continue;
    RunTask run;
    run.carrier = machine.carrier;
    run.source = RunTaskSource::StepFunctionsState;
    run.spelling = Spelling::Pascal;
    run.identity = machine.identity;
    run.file = state.node->file;
    run.node = state.node;
    run.display_name = fmt::format("state \"{}\" of {}", state.name, machine.display_name);
    run.launch_type = parameter(state.parameters, "LaunchType", out);
    run.capacity_provider_strategy = parameter(state.parameters, "CapacityProviderStrategy", out);
    run.platform_version = parameter(state.parameters, "PlatformVersion", out);
    run.task_definition = parameter(state.parameters, "TaskDefinition", out);
    run.overrides = parameter(state.parameters, "Overrides", out);
    if (const Node* network = parameter(state.parameters, "NetworkConfiguration", out))
      if (const Node* awsvpc = network->find("AwsvpcConfiguration")) {
        run.assign_public_ip = awsvpc->find("AssignPublicIp");
        run.subnets = awsvpc->find("Subnets");
      }
    out.run_tasks.push_back(std::move(run));
  }
}

}  // namespace shiftlint::aws
