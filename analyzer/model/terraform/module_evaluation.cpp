// Module evaluation: variables, locals and outputs on demand (memoized, cycles reported), module
// calls with count/for_each, resources with count/for_each, dynamic blocks, and the root entry.
#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "analyzer/model/terraform/aws_resources.h"
#include "analyzer/model/terraform/evaluation_state.h"
#include "analyzer/model/terraform/functions.h"

namespace shiftlint::terraform {

using hcl::Expression;
using hcl::ExpressionKind;

namespace {

// Arguments of a resource or module block that are Terraform's, not the resource's.
bool is_meta_argument(std::string_view name) {
  return name == "count" || name == "for_each" || name == "depends_on" || name == "provider" ||
         name == "providers" || name == "source" || name == "version";
}

bool is_local_source(std::string_view source) {
  return source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0 || source == "." || source == "..";
}

std::string key_text(const Node& key) {
  if (key.kind == NodeKind::Number) return fmt::format("[{}]", key.text);
  if (key.kind == NodeKind::String) return fmt::format("[\"{}\"]", key.text);
  return "[?]";
}

Node literal_key(NodeKind kind, const SourceFile* file, Span span) {
  Node node;
  node.kind = kind;
  node.file = file;
  node.span = span;
  return node;
}

// The instances of a block with count or for_each: (key, each.value) pairs, or one representative
// with unknown keys when the collection is not known. `repeated` is false without count/for_each.
struct Instances {
  bool repeated = false;
  bool known = true;
  std::vector<std::pair<Node, Node>> keys;  // key (count.index or each.key), each.value
};


// A variable's `type` applied to its value, as Terraform converts it: object attributes declared
// optional() and missing from the value are added (null, or the optional's default), so code that
// reads them (`each.value.create`) sees what Terraform sees; strings, numbers and bools convert
// into each other where the type asks for it.
Node convert_to_type(Evaluator& evaluator, Node value, const Expression& type, const Frame& frame, uint32_t depth) {
  if (depth > 32 || value.kind == NodeKind::Unknown) return value;
  if (type.kind == ExpressionKind::Variable) {
    if (value.kind == NodeKind::Null || value.kind == NodeKind::List || value.kind == NodeKind::Map) return value;
    if (type.text == "string" && value.kind != NodeKind::String) {
      if (auto text = string_of(value)) {
        value.kind = NodeKind::String;
        value.text = *text;
      }
    } else if (type.text == "number" && value.kind == NodeKind::String) {
      if (auto number = value.as_number()) {
        value.kind = NodeKind::Number;
        value.number = *number;
        value.text = format_number(*number);
      }
    } else if (type.text == "bool" && value.kind == NodeKind::String) {
      if (auto flag = value.as_boolean()) {
        value.kind = NodeKind::Boolean;
        value.boolean = *flag;
        value.text.clear();
      }
    }
    return value;
  }
  if (type.kind != ExpressionKind::FunctionCall || type.operands.empty()) return value;
  const std::string& kind = type.text;
  const Expression& inner = type.operands[0];
  if (kind == "optional") {
    if (value.kind == NodeKind::Null && type.operands.size() > 1) {
      Node fallback = evaluator.evaluate(type.operands[1], frame);
      return convert_to_type(evaluator, std::move(fallback), inner, frame, depth + 1);
    }
    return convert_to_type(evaluator, std::move(value), inner, frame, depth + 1);
  }
  if ((kind == "list" || kind == "set") && value.kind == NodeKind::List) {
    for (Node& item : value.children) item = convert_to_type(evaluator, std::move(item), inner, frame, depth + 1);
    return value;
  }
  if (kind == "tuple" && value.kind == NodeKind::List && inner.kind == ExpressionKind::Tuple) {
    for (size_t i = 0; i < value.children.size() && i < inner.operands.size(); ++i)
      value.children[i] = convert_to_type(evaluator, std::move(value.children[i]), inner.operands[i], frame, depth + 1);
    return value;
  }
  if (kind == "map" && value.kind == NodeKind::Map) {
    for (Node& member : value.children) {
      std::string key = std::move(member.key);
      Span key_span = member.key_span;
      member = convert_to_type(evaluator, std::move(member), inner, frame, depth + 1);
      member.key = std::move(key);
      member.key_span = key_span;
    }
    return value;
  }
  if (kind == "object" && value.kind == NodeKind::Map && inner.kind == ExpressionKind::Object) {
    for (size_t i = 0; i + 1 < inner.operands.size(); i += 2) {
      const Expression& name = inner.operands[i];
      const Expression& attribute_type = inner.operands[i + 1];
      if (name.kind != ExpressionKind::String) continue;
      auto present = std::find_if(value.children.begin(), value.children.end(),
                                  [&](const Node& member) { return member.key == name.text; });
      if (present != value.children.end()) {
        std::string key = std::move(present->key);
        Span key_span = present->key_span;
        *present = convert_to_type(evaluator, std::move(*present), attribute_type, frame, depth + 1);
        present->key = std::move(key);
        present->key_span = key_span;
        continue;
      }
      bool optional = attribute_type.kind == ExpressionKind::FunctionCall && attribute_type.text == "optional";
      if (!optional) continue;  // Terraform rejects the value; reading the attribute will fail
      Node absent;
      absent.kind = NodeKind::Null;
      absent.file = frame.file;
      absent.span = attribute_type.span;
      Node filled = convert_to_type(evaluator, std::move(absent), attribute_type, frame, depth + 1);
      place_under_key(filled, name.text, name.span, frame.file);
      value.children.push_back(std::move(filled));
    }
    return value;
  }
  return value;
}

}  // namespace

// Memoized evaluation of a local, variable or output: computed once, failures kept with it.
template <typename Compute>
Node memoized(Evaluator& evaluator, Memo& memo, std::string_view what, const Expression& at, const Frame& frame,
              Compute compute) {
  if (memo.state == Memo::State::Evaluating) {
    evaluator.fail(at, frame, fmt::format("{} refers to itself (a cycle); the value is unknown", what));
    return evaluator.unknown(at, frame);
  }
  if (memo.state == Memo::State::Pending) {
    memo.state = Memo::State::Evaluating;
    std::vector<EvaluationFailure>* outer = evaluator.swap_sink(&memo.failures);
    memo.value = compute();
    evaluator.swap_sink(outer);
    memo.size = count_nodes(memo.value, UINT64_MAX);
    memo.state = Memo::State::Done;
  }
  for (const EvaluationFailure& failure : memo.failures) evaluator.sink().push_back(failure);
  if (!evaluator.charge_copy(memo.size, at, frame)) return evaluator.unknown(at, frame);
  return memo.value;
}

bool Evaluator::has_json_configuration(const std::string& directory) {
  auto [known, inserted] = json_configuration_.try_emplace(directory, false);
  if (!inserted) return known->second;
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end; it.increment(error))
    if (it->path().filename().string().ends_with(".tf.json")) return known->second = true;
  return false;
}

Node Evaluator::variable(ModuleInstance& module, std::string_view name, const Expression& at, const Frame& frame) {
  auto declared = module.source->variables.find(name);
  if (declared == module.source->variables.end()) {
    if (!has_json_configuration(module.source->directory))
      fail(at, frame, fmt::format("var.{} is not declared in this module; the value is unknown", name));
    return unknown(at, frame);
  }
  Memo& memo = module.variables[std::string(name)];
  return memoized(*this, memo, fmt::format("var.{}", name), at, frame, [&]() -> Node {
    const hcl::Block& block = *declared->second.block;
    Frame declaration;
    declaration.module = &module;
    declaration.file = declared->second.file;
    std::optional<Node> given;
    // A called module's input: the call's argument, evaluated where the call is written.
    if (module.parent) {
      if (const hcl::Attribute* argument = module.call.block->body.find_attribute(name)) {
        Frame caller;
        caller.module = module.parent;
        caller.file = module.call.file;
        if (module.has_count) caller.count_index = &module.instance_key;
        if (module.has_each) {
          caller.each_key = &module.instance_key;
          caller.each_value = &module.each_value;
        }
        given = evaluate(argument->value, caller);
      }
    } else if (module.root_values) {
      if (auto found = module.root_values->find(name); found != module.root_values->end()) given = found->second;
    }
    const hcl::Attribute* fallback = block.body.find_attribute("default");
    const hcl::Attribute* nullable = block.body.find_attribute("nullable");
    bool null_is_default = nullable && nullable->value.kind == ExpressionKind::Boolean && !nullable->value.boolean;
    Node value;
    if (given && !(given->kind == NodeKind::Null && null_is_default && fallback)) {
      value = std::move(*given);
    } else if (fallback) {
      value = evaluate(fallback->value, declaration);
    } else {
      // No value here: `terraform plan` would ask for it. Unknown, and nothing to report.
      return unknown_text(at, frame, fmt::format("var.{}", name));
    }
    if (const hcl::Attribute* type = block.body.find_attribute("type"))
      value = convert_to_type(*this, std::move(value), type->value, declaration, 0);
    return value;
  });
}

Node Evaluator::local(ModuleInstance& module, std::string_view name, const Expression& at, const Frame& frame) {
  auto declared = module.source->locals.find(name);
  if (declared == module.source->locals.end()) {
    if (!has_json_configuration(module.source->directory))
      fail(at, frame, fmt::format("local.{} is not declared in this module; the value is unknown", name));
    return unknown(at, frame);
  }
  Memo& memo = module.locals[std::string(name)];
  if (memo.state == Memo::State::Evaluating) {
    // Name the whole cycle: local.a → local.b → local.a.
    std::string cycle;
    auto start = std::find(module.evaluating.begin(), module.evaluating.end(), name);
    for (auto it = start; it != module.evaluating.end(); ++it) cycle += fmt::format("local.{} → ", *it);
    cycle += fmt::format("local.{}", name);
    fail(at, frame, fmt::format("local values refer to each other in a cycle ({}); the value is unknown", cycle));
    return unknown(at, frame);
  }
  return memoized(*this, memo, fmt::format("local.{}", name), at, frame, [&]() -> Node {
    module.evaluating.emplace_back(name);
    Frame declaration;
    declaration.module = &module;
    declaration.file = declared->second.file;
    Node value = evaluate(declared->second.attribute->value, declaration);
    module.evaluating.pop_back();
    return value;
  });
}

namespace {

// count/for_each of a block, evaluated in `frame`.
Instances expand(Evaluator& evaluator, const hcl::Body& body, const Frame& frame) {
  Instances instances;
  const hcl::Attribute* count = body.find_attribute("count");
  const hcl::Attribute* for_each = body.find_attribute("for_each");
  if (!count && !for_each) {
    instances.keys.emplace_back(Node{}, Node{});
    return instances;
  }
  instances.repeated = true;
  const uint32_t max_instances = evaluator.limits().max_instances;
  auto representative = [&](const hcl::Attribute& attribute) {
    instances.known = false;
    instances.keys.clear();
    Node key = evaluator.unknown(attribute.value, frame);
    Node value = evaluator.unknown_text(attribute.value, frame, count ? "count.index" : "each.value");
    key.text = count ? "count.index" : "each.key";
    instances.keys.emplace_back(std::move(key), std::move(value));
  };
  if (count) {
    Node value = evaluator.evaluate(count->value, frame);
    auto number = value.as_integer();
    if (value.kind == NodeKind::Unknown || !number || *number < 0 || *number > max_instances) {
      if (value.kind != NodeKind::Unknown && !number)
        evaluator.fail(count->value, frame, fmt::format("count must be a whole number, not {}", value.describe()));
      representative(*count);
      return instances;
    }
    for (int64_t i = 0; i < *number; ++i) {
      Node index = literal_key(NodeKind::Number, frame.file, count->value.span);
      index.number = static_cast<double>(i);
      index.text = std::to_string(i);
      instances.keys.emplace_back(std::move(index), Node{});
    }
    return instances;
  }
  Node collection = evaluator.evaluate(for_each->value, frame);
  // A map's keys are what for_each needs: values may be unknown. A set needs every item.
  bool unknown_keys = collection.kind == NodeKind::Unknown ||
                      (collection.kind == NodeKind::List &&
                       std::any_of(collection.children.begin(), collection.children.end(),
                                   [](const Node& item) { return item.kind == NodeKind::Unknown; }));
  if (unknown_keys || collection.children.size() > max_instances) {
    representative(*for_each);
    return instances;
  }
  if (collection.kind == NodeKind::Map) {
    std::vector<Node*> members;
    for (Node& member : collection.children) members.push_back(&member);
    std::stable_sort(members.begin(), members.end(), [](const Node* a, const Node* b) { return a->key < b->key; });
    for (Node* member : members) {
      Node key = literal_key(NodeKind::String, member->file, member->key_span.empty() ? member->span : member->key_span);
      key.text = member->key;
      instances.keys.emplace_back(std::move(key), std::move(*member));
    }
    return instances;
  }
  if (collection.kind == NodeKind::List) {
    // A set of strings: each.key and each.value are the string.
    std::vector<Node*> items;
    for (Node& item : collection.children) items.push_back(&item);
    std::stable_sort(items.begin(), items.end(), [](const Node* a, const Node* b) { return a->text < b->text; });
    for (Node* item : items) {
      auto text = string_of(*item);
      if (!text) {
        evaluator.fail(for_each->value, frame, "for_each over a list needs strings (a set of strings)");
        representative(*for_each);
        return instances;
      }
      Node key = *item;
      key.kind = NodeKind::String;
      key.text = *text;
      key.key.clear();
      instances.keys.emplace_back(std::move(key), std::move(*item));
    }
    return instances;
  }
  evaluator.fail(for_each->value, frame, fmt::format("for_each needs a map or a set of strings, not {}", collection.describe()));
  representative(*for_each);
  return instances;
}

}  // namespace

Node Evaluator::evaluate_body(const hcl::Body& body, const Frame& frame, Span span, bool resource_level) {
  Node map;
  map.kind = NodeKind::Map;
  map.file = frame.file;
  map.span = span;
  for (const hcl::Attribute& attribute : body.attributes) {
    if (resource_level && is_meta_argument(attribute.name)) continue;
    Node value = evaluate(attribute.value, frame);
    place_under_key(value, attribute.name, attribute.name_span, frame.file);
    map.children.push_back(std::move(value));
  }
  // Nested blocks: a List of Maps under the block type, static and dynamic ones in source order.
  auto list_for = [&](const std::string& type, const hcl::Block& block) -> Node& {
    for (Node& member : map.children)
      if (member.key == type) {
        member.span.end = block.span.end;
        return member;
      }
    Node list;
    list.kind = NodeKind::List;
    list.file = frame.file;
    list.span = block.span;
    list.key = type;
    list.key_span = block.type_span;
    map.children.push_back(std::move(list));
    return map.children.back();
  };
  for (const hcl::Block& block : body.blocks) {
    if (block.type == "provisioner" || block.type == "connection") continue;  // never run, never read
    if (block.type != "dynamic") {
      Node item = evaluate_body(block.body, frame, block.span, false);
      list_for(block.type, block).children.push_back(std::move(item));
      continue;
    }
    if (block.labels.empty()) continue;
    const std::string& type = block.labels[0];
    const hcl::Block* content = block.body.find_block("content");
    const hcl::Attribute* for_each = block.body.find_attribute("for_each");
    Node& list = list_for(type, block);
    if (list.kind == NodeKind::Unknown || !content || !for_each) continue;
    std::string iterator = type;
    if (const hcl::Attribute* name = block.body.find_attribute("iterator"))
      if (name->value.kind == ExpressionKind::Variable) iterator = name->value.text;
    Node collection = evaluate(for_each->value, frame);
    if (collection.kind == NodeKind::Unknown) {
      // How many blocks there are is not known: the whole list is not.
      list.kind = NodeKind::Unknown;
      list.text = fmt::format("dynamic \"{}\" blocks", type);
      list.children.clear();
      continue;
    }
    if (collection.kind != NodeKind::List && collection.kind != NodeKind::Map) continue;
    std::vector<std::pair<Node, const Node*>> elements;
    if (collection.kind == NodeKind::List) {
      for (size_t i = 0; i < collection.children.size(); ++i) {
        Node index = literal_key(NodeKind::Number, frame.file, for_each->value.span);
        index.number = static_cast<double>(i);
        index.text = std::to_string(i);
        elements.emplace_back(std::move(index), &collection.children[i]);
      }
    } else {
      for (const Node& member : collection.children) {
        Node key = literal_key(NodeKind::String, member.file, member.key_span.empty() ? member.span : member.key_span);
        key.text = member.key;
        elements.emplace_back(std::move(key), &member);
      }
      std::stable_sort(elements.begin(), elements.end(),
                       [](const auto& a, const auto& b) { return a.first.text < b.first.text; });
    }
    for (auto& [key, value] : elements) {
      Node iteration;
      iteration.kind = NodeKind::Map;
      iteration.file = frame.file;
      iteration.span = for_each->value.span;
      Node key_member = key;
      key_member.key = "key";
      Node value_member = *value;
      value_member.key = "value";
      iteration.children.push_back(std::move(key_member));
      iteration.children.push_back(std::move(value_member));
      Binding binding{iterator, &iteration, frame.bindings};
      Frame inner = frame;
      inner.bindings = &binding;
      list.children.push_back(evaluate_body(content->body, inner, content->span, false));
    }
  }
  return map;
}

Node Evaluator::module_reference(ModuleInstance& module, std::string_view name, const Node* instance_key,
                                 std::string_view output, const Expression& at, const Frame& frame) {
  auto declared = module.source->module_calls.find(name);
  if (declared == module.source->module_calls.end()) {
    if (!has_json_configuration(module.source->directory))
      fail(at, frame, fmt::format("module.{} is not declared in this module; the value is unknown", name));
    return unknown(at, frame);
  }
  ModuleCall& call = module.calls[std::string(name)];
  if (call.state == ModuleCall::State::Expanding) {
    fail(at, frame, fmt::format("module.{}'s count, for_each or source refers to itself; the value is unknown", name));
    return unknown(at, frame);
  }
  if (call.state == ModuleCall::State::Pending) {
    call.state = ModuleCall::State::Expanding;
    const Declared& declaration = declared->second;
    const hcl::Body& body = declaration.block->body;
    const hcl::Attribute* source = body.find_attribute("source");
    std::string source_text = source && source->value.kind == ExpressionKind::String ? source->value.text : "";
    std::vector<EvaluationFailure> expansion_failures;  // problems of the call itself, not of a value
    std::vector<EvaluationFailure>* outer = swap_sink(&expansion_failures);
    if (is_local_source(source_text)) {
      std::string error;
      ScanRoot::Resolved resolved = scan_root_.resolve(module.source->directory, source_text);
      const ModuleSource* child_source = nullptr;
      if (resolved.error.empty()) child_source = scan_root_.module(resolved.path, error);
      else error = resolved.error;
      if (!child_source) {
        fail(declaration.file, source->value.span,
             fmt::format("module \"{}\" is not read: {}; its outputs are unknown", name, error));
      } else if (module.depth + 1 > limits_.max_module_depth) {
        fail(declaration.file, declaration.block->span,
             fmt::format("module \"{}\" is nested more than {} modules deep (a module that calls itself?); its "
                         "outputs are unknown",
                         name, limits_.max_module_depth));
      } else {
        call.local = true;
        Frame caller;
        caller.module = &module;
        caller.file = declaration.file;
        Instances instances = expand(*this, body, caller);
        call.repeated = instances.repeated;
        call.by_count = body.find_attribute("count") != nullptr;
        call.known_instances = instances.known;
        for (auto& [key, each_value] : instances.keys) {
          auto child = std::make_unique<ModuleInstance>();
          child->source = child_source;
          child->parent = &module;
          child->call = declaration;
          child->depth = module.depth + 1;
          child->address = fmt::format("{}{}module.{}{}", module.address, module.address.empty() ? "" : ".", name,
                                       instances.repeated ? key_text(key) : "");
          child->has_count = body.find_attribute("count") != nullptr;
          child->has_each = body.find_attribute("for_each") != nullptr;
          child->instance_key = std::move(key);
          child->each_value = std::move(each_value);
          call.instances.push_back(std::move(child));
        }
      }
    }
    swap_sink(outer);
    for (EvaluationFailure& failure : expansion_failures) reported_.push_back(std::move(failure));
    call.state = ModuleCall::State::Done;
  }
  if (!call.local || !call.known_instances) return unknown(at, frame);

  auto output_of = [&](ModuleInstance& child, std::string_view output_name) -> Node {
    auto declared_output = child.source->outputs.find(output_name);
    if (declared_output == child.source->outputs.end()) {
      fail(at, frame, fmt::format("module.{} has no output \"{}\"; the value is unknown", name, output_name));
      return unknown(at, frame);
    }
    Memo& memo = child.outputs[std::string(output_name)];
    return memoized(*this, memo, fmt::format("module.{}.{}", name, output_name), at, frame, [&]() -> Node {
      const hcl::Attribute* value = declared_output->second.block->body.find_attribute("value");
      if (!value) return unknown(at, frame);
      Frame inside;
      inside.module = &child;
      inside.file = declared_output->second.file;
      return evaluate(value->value, inside);
    });
  };
  auto all_outputs = [&](ModuleInstance& child) -> Node {
    Node map;
    map.kind = NodeKind::Map;
    map.file = frame.file;
    map.span = at.span;
    for (const auto& [output_name, declaration] : child.source->outputs) {
      Node value = output_of(child, output_name);
      place_under_key(value, output_name,
                      declaration.block->label_spans.empty() ? declaration.block->span : declaration.block->label_spans[0],
                      declaration.file);
      map.children.push_back(std::move(value));
    }
    return map;
  };
  auto instance_value = [&](ModuleInstance& child) {
    return output.empty() ? all_outputs(child) : output_of(child, output);
  };

  if (!call.repeated) {
    if (instance_key) {
      fail(at, frame, fmt::format("module.{} has no count or for_each: it cannot be indexed", name));
      return unknown(at, frame);
    }
    return instance_value(*call.instances.front());
  }
  if (instance_key) {
    if (instance_key->kind == NodeKind::Unknown) return unknown(at, frame);
    auto wanted = string_of(*instance_key);
    for (auto& child : call.instances)
      if (wanted && string_of(child->instance_key) == wanted) return instance_value(*child);
    fail(at, frame, fmt::format("module.{} has no instance {}; the value is unknown", name, instance_key->describe()));
    return unknown(at, frame);
  }
  if (!output.empty()) {
    fail(at, frame, fmt::format("module.{} has count or for_each: name an instance (module.{}[...]); the value is unknown",
                                name, name));
    return unknown(at, frame);
  }
  // The whole call: a list (count) or a map (for_each) of each instance's outputs (none for count = 0).
  bool by_count = call.by_count;
  Node all;
  all.kind = by_count ? NodeKind::List : NodeKind::Map;
  all.file = frame.file;
  all.span = at.span;
  for (auto& child : call.instances) {
    Node value = all_outputs(*child);
    if (!by_count) value.key = child->instance_key.text;
    all.children.push_back(std::move(value));
  }
  return all;
}

bool reports_evaluation_failures(std::string_view resource_type) {
  // The resources a model reads. Extend this list when a model starts reading another type.
  return resource_type == "aws_ecs_task_definition" || is_infrastructure_resource_type(resource_type);
}

Module Evaluator::build_module(ModuleInstance& module) {
  Module result;
  result.directory = module.source->directory;
  result.address = module.address;
  for (const Declared& declaration : module.source->resources) {
    const hcl::Block& block = *declaration.block;
    Resource resource;
    resource.data = block.type == "data";
    resource.type = block.labels[0];
    resource.name = block.labels[1];
    resource.declaration = declaration;
    resource.address = fmt::format("{}{}{}{}.{}", module.address, module.address.empty() ? "" : ".",
                                   resource.data ? "data." : "", resource.type, resource.name);
    bool report = !resource.data && reports_evaluation_failures(resource.type);
    std::vector<EvaluationFailure> failures;
    std::vector<EvaluationFailure>* outer = swap_sink(&failures);
    Frame frame;
    frame.module = &module;
    frame.file = declaration.file;
    Instances instances = expand(*this, block.body, frame);
    bool has_count = block.body.find_attribute("count") != nullptr;
    for (auto& [key, each_value] : instances.keys) {
      Frame instance_frame = frame;
      if (instances.repeated && has_count) instance_frame.count_index = &key;
      if (instances.repeated && !has_count) {
        instance_frame.each_key = &key;
        instance_frame.each_value = &each_value;
      }
      ResourceInstance instance;
      instance.value = evaluate_body(block.body, instance_frame, block.span, true);
      instance.key = std::move(key);
      resource.instances.push_back(std::move(instance));
    }
    swap_sink(outer);
    if (report)
      for (EvaluationFailure& failure : failures) reported_.push_back(std::move(failure));
    result.resources.push_back(std::move(resource));
  }
  for (const Declared& declaration : module.source->settings) {
    Frame frame;
    frame.module = &module;
    frame.file = declaration.file;
    result.settings.push_back(evaluate_body(declaration.block->body, frame, declaration.block->span, false));
  }
  for (const auto& [name, declaration] : module.source->outputs) {
    const hcl::Attribute* value = declaration.block->body.find_attribute("value");
    if (!value) continue;
    Frame frame;
    frame.module = &module;
    frame.file = declaration.file;
    result.outputs.emplace_back(name, evaluate(value->value, frame));
  }
  // Every local module call, referenced or not: its resources are linted with the call's inputs.
  for (const auto& [name, declaration] : module.source->module_calls) {
    Frame frame;
    frame.module = &module;
    frame.file = declaration.file;
    Expression at;
    at.span = declaration.block->span;
    module_reference(module, name, nullptr, {}, at, frame);
  }
  for (const auto& [name, declaration] : module.source->module_calls) {
    ModuleCall& call = module.calls[name];
    for (auto& child : call.instances) result.children.push_back(build_module(*child));
  }
  return result;
}

EvaluatedRoot evaluate_root_module(ScanRoot& scan_root, const ModuleSource& module, const VariableValues& values,
                                   const EvaluationLimits& limits) {
  Evaluator evaluator(scan_root, limits, module.directory);
  ModuleInstance root;
  root.source = &module;
  root.root_values = &values;
  EvaluatedRoot result;
  result.module = evaluator.build_module(root);
  std::vector<EvaluationFailure>& failures = evaluator.reported();
  // Memoized values report their failures at every use: keep each once, in file order.
  std::stable_sort(failures.begin(), failures.end(), [](const EvaluationFailure& a, const EvaluationFailure& b) {
    if (a.file != b.file) {
      if (!a.file || !b.file) return a.file == nullptr;
      return a.file->display_path() < b.file->display_path();
    }
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.message < b.message;
  });
  failures.erase(std::unique(failures.begin(), failures.end(),
                             [](const EvaluationFailure& a, const EvaluationFailure& b) {
                               return a.file == b.file && a.span == b.span && a.message == b.message;
                             }),
                 failures.end());
  result.failures = std::move(failures);
  return result;
}

void read_variable_values(ScanRoot& scan_root, const hcl::File& file, VariableValues& values,
                          std::vector<EvaluationFailure>& failures) {
  Evaluator evaluator(scan_root, {}, scan_root.root());
  std::vector<EvaluationFailure>* outer = evaluator.swap_sink(&failures);
  Frame frame;
  frame.file = file.source.get();
  for (const hcl::Attribute& attribute : file.body.attributes) {
    Node value = evaluator.evaluate(attribute.value, frame);
    place_under_key(value, attribute.name, attribute.name_span, frame.file);
    values[attribute.name] = std::move(value);
  }
  evaluator.swap_sink(outer);
}

void read_variable_values(const Node& json_root, VariableValues& values) {
  if (!json_root.is_map()) return;
  for (const Node& member : json_root.children) values[member.key] = member;
}

}  // namespace shiftlint::terraform
