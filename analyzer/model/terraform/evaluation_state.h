#pragma once
// Internal to the evaluator (expressions.cpp, module_evaluation.cpp): the state of one root
// module's evaluation. Not for rules or the engine; they use evaluator.h.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/model/terraform/evaluator.h"
#include "analyzer/model/terraform/json_values.h"

namespace shiftlint::terraform {

// A value computed once (a local, a variable, an output) with the failures met on the way, so
// that every later use sees them too (try() around a use must still catch them).
struct Memo {
  enum class State { Pending, Evaluating, Done };
  State state = State::Pending;
  Node value;
  std::vector<EvaluationFailure> failures;
  uint64_t size = 0;  // nodes in value: what a copy costs
};

// A name bound by a for expression, a dynamic block's iterator or templatefile()'s variables.
struct Binding {
  std::string_view name;
  const Node* value = nullptr;
  const Binding* next = nullptr;
};

struct ModuleInstance;

// Where an expression is evaluated.
struct Frame {
  ModuleInstance* module = nullptr;  // nullptr in tfvars: no var., local. or module. there
  const SourceFile* file = nullptr;  // the file the expression is written in
  const Binding* bindings = nullptr;
  const Node* count_index = nullptr;
  const Node* each_key = nullptr;
  const Node* each_value = nullptr;
  bool template_scope = false;  // a templatefile() template: only its own variables are in scope
};

struct ModuleCall {
  enum class State { Pending, Expanding, Done };
  State state = State::Pending;
  bool local = false;        // source = "./..." or "../...": evaluated; otherwise outputs are unknown
  bool known_instances = true;  // false when count/for_each could not be known
  bool repeated = false;     // has count or for_each: instances are addressed by key
  bool by_count = false;     // count (a list of instances) rather than for_each (a map)
  std::vector<std::unique_ptr<ModuleInstance>> instances;
};

struct ModuleInstance {
  const ModuleSource* source = nullptr;
  std::string address;  // "" for the root, `module.app`, `module.app["web"]`
  uint32_t depth = 0;
  const VariableValues* root_values = nullptr;  // the root module's tfvars
  // For a called module: the call and the parent's frame values its arguments are evaluated with.
  ModuleInstance* parent = nullptr;
  Declared call;
  Node instance_key;  // Null, a count index or a for_each key
  Node each_value;
  bool has_count = false;
  bool has_each = false;

  std::unordered_map<std::string, Memo> variables;
  std::unordered_map<std::string, Memo> locals;
  std::unordered_map<std::string, Memo> outputs;
  std::unordered_map<std::string, ModuleCall> calls;
  std::vector<std::string> evaluating;  // locals being evaluated, for the cycle message
};

class Evaluator {
 public:
  Evaluator(ScanRoot& scan_root, const EvaluationLimits& limits, std::string cwd);

  // ---- expressions (expressions.cpp) ----
  Node evaluate(const hcl::Expression& expression, const Frame& frame);
  // Applies the traversal from `step` down to (not including) `stop`, starting from `base`.
  Node apply_traversal(const hcl::Expression& step, const hcl::Expression* stop, Node base, const Frame& frame);

  // ---- modules (module_evaluation.cpp) ----
  Node variable(ModuleInstance& module, std::string_view name, const hcl::Expression& at, const Frame& frame);
  Node local(ModuleInstance& module, std::string_view name, const hcl::Expression& at, const Frame& frame);
  // `module.NAME` (instance_key null) or `module.NAME[KEY]`, then `.OUTPUT` when output is not empty.
  Node module_reference(ModuleInstance& module, std::string_view name, const Node* instance_key,
                        std::string_view output, const hcl::Expression& at, const Frame& frame);
  Module build_module(ModuleInstance& module);
  Node evaluate_body(const hcl::Body& body, const Frame& frame, Span span, bool resource_level);

  // ---- failures and budgets ----
  void fail(const hcl::Expression& at, const Frame& frame, std::string message);
  void fail(const SourceFile* file, Span span, std::string message);
  Node unknown(const hcl::Expression& at, const Frame& frame) const;
  Node unknown_text(const hcl::Expression& at, const Frame& frame, std::string text) const;
  // Swaps the failure sink: failures go to `sink` until the returned previous sink is restored.
  std::vector<EvaluationFailure>* swap_sink(std::vector<EvaluationFailure>* sink) {
    std::swap(sink, sink_);
    return sink;
  }
  std::vector<EvaluationFailure>& sink() { return *sink_; }
  // Charges a copy of a memoized value to the copy budget; false (and reported once) when it is spent.
  bool charge_copy(uint64_t size, const hcl::Expression& at, const Frame& frame);
  bool exhausted() const { return exhausted_; }

  ScanRoot& scan_root() { return scan_root_; }
  const EvaluationLimits& limits() const { return limits_; }
  const std::string& cwd() const { return cwd_; }
  std::vector<EvaluationFailure>& reported() { return reported_; }
  // Whether the module's folder holds Terraform's JSON syntax (`*.tf.json`), which Terraform merges
  // into the module and shiftlint does not read: a name missing from its .tf files may be declared
  // there. Asked only when a name is missing; the answer is kept per folder.
  bool has_json_configuration(const std::string& directory);

 private:
  // expressions.cpp
  Node evaluate_variable(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_get_attr(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_index(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_splat(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_tuple(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_object(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_for(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_conditional(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_unary(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_binary(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_call(const hcl::Expression& expression, const Frame& frame);
  Node evaluate_template(const hcl::Expression& expression, const Frame& frame, bool from_file);
  Node get_attribute(Node base, const hcl::Expression& step, const Frame& frame);
  Node get_index(Node base, const Node& key, const hcl::Expression& step, const Frame& frame);
  Node call_try(const hcl::Expression& expression, const Frame& frame);
  Node call_can(const hcl::Expression& expression, const Frame& frame);
  Node call_file(const hcl::Expression& expression, const Frame& frame, std::string_view function);
  Node call_templatefile(const hcl::Expression& expression, const Frame& frame);
  // The template file read and rendered with `variables` (templatefile()'s second argument, or a
  // `data "template_file"` block's vars); the value is placed at `at`.
  Node render_template_file(const std::shared_ptr<const SourceFile>& file, const Node& variables,
                            const hcl::Expression& variables_at, const hcl::Expression& at, const Frame& frame);
  // `data.template_file.NAME.rendered`: the data source's template rendered with its vars, as the
  // template provider does at plan time. Unknown for a template that is not read from a file.
  Node template_file_rendered(ModuleInstance& module, std::string_view name, const hcl::Expression& at,
                              const Frame& frame);
  // Renders template parts; `opaque` when a directive's outcome is not known.
  void render(const hcl::Expression& parts, const Frame& frame, std::string& text, RenderedText* rendered,
              bool& unknown, bool& opaque, uint32_t depth);

  ScanRoot& scan_root_;
  EvaluationLimits limits_;
  std::string cwd_;
  std::vector<EvaluationFailure> discarded_;
  std::vector<EvaluationFailure> reported_;
  std::vector<EvaluationFailure>* sink_ = &discarded_;
  uint64_t steps_ = 0;
  uint64_t copied_nodes_ = 0;
  uint32_t depth_ = 0;
  bool exhausted_ = false;
  std::unordered_map<std::string, bool> json_configuration_;
  // The `data "template_file"` blocks being rendered: one whose vars refer to its own output is unknown.
  std::vector<const hcl::Block*> template_files_rendering_;
};

// Nodes in a value (for the copy budget), counted up to `limit`.
uint64_t count_nodes(const Node& value, uint64_t limit);

// A short, one-line rendering of source text for unknown values and messages.
std::string shortened_source(std::string_view text);

}  // namespace shiftlint::terraform
