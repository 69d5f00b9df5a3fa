// Expression evaluation: literals, templates, references, operators, for expressions, splats and
// function calls (file(), templatefile(), try() and can() here; the rest in functions.cpp).
#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "analyzer/model/terraform/evaluation_state.h"
#include "analyzer/model/terraform/functions.h"
#include "analyzer/parse/json_loader.h"

namespace shiftlint::terraform {

using hcl::Expression;
using hcl::ExpressionKind;

namespace {

Node made(NodeKind kind, const Expression& at, const Frame& frame) {
  Node node;
  node.kind = kind;
  node.file = frame.file;
  node.span = at.span;
  return node;
}

Node made_string(std::string text, const Expression& at, const Frame& frame) {
  Node node = made(NodeKind::String, at, frame);
  node.text = std::move(text);
  return node;
}

Node made_number(double number, const Expression& at, const Frame& frame) {
  Node node = made(NodeKind::Number, at, frame);
  node.number = number;
  node.text = format_number(number);
  return node;
}

Node made_boolean(bool value, const Expression& at, const Frame& frame) {
  Node node = made(NodeKind::Boolean, at, frame);
  node.boolean = value;
  return node;
}

std::string_view text_of(const Expression& expression, const Frame& frame) {
  return frame.file ? hcl::source_text(*frame.file, expression) : std::string_view();
}

const char* kind_name(const Node& value) {
  switch (value.kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Boolean: return "bool";
    case NodeKind::Number: return "number";
    case NodeKind::String: return "string";
    case NodeKind::List: return "list";
    case NodeKind::Map: return "object";
    case NodeKind::Unknown: return "unknown value";
  }
  return "value";
}

std::optional<double> number_of(const Node& value) {
  if (value.kind == NodeKind::Number) return value.number;
  if (value.kind == NodeKind::String) return value.as_number();
  return std::nullopt;
}

std::optional<bool> boolean_of(const Node& value) {
  if (value.kind == NodeKind::Boolean) return value.boolean;
  if (value.kind == NodeKind::String && value.text == "true") return true;
  if (value.kind == NodeKind::String && value.text == "false") return false;
  return std::nullopt;
}

bool equal_values(const Node& a, const Node& b, uint32_t depth = 0) {
  if (depth > 200 || a.kind != b.kind) return false;
  switch (a.kind) {
    case NodeKind::Null: return true;
    case NodeKind::Boolean: return a.boolean == b.boolean;
    case NodeKind::Number: return a.number == b.number;
    case NodeKind::String: return a.text == b.text;
    case NodeKind::Unknown: return false;
    case NodeKind::List:
      if (a.children.size() != b.children.size()) return false;
      for (size_t i = 0; i < a.children.size(); ++i)
        if (!equal_values(a.children[i], b.children[i], depth + 1)) return false;
      return true;
    case NodeKind::Map:
      if (a.children.size() != b.children.size()) return false;
      for (const Node& member : a.children) {
        const Node* other = b.find(member.key);
        if (!other || !equal_values(member, *other, depth + 1)) return false;
      }
      return true;
  }
  return false;
}

// The elements a for expression, a splat or a for_each walks: (key, value) pairs. Lists give
// their index, maps their keys in lexical order (Terraform's order).
struct Element {
  Node key;
  const Node* value;
};

std::vector<Element> elements_of(const Node& collection, const Expression& at, const Frame& frame) {
  std::vector<Element> elements;
  if (collection.kind == NodeKind::List) {
    elements.reserve(collection.children.size());
    for (size_t i = 0; i < collection.children.size(); ++i)
      elements.push_back({made_number(static_cast<double>(i), at, frame), &collection.children[i]});
  } else if (collection.kind == NodeKind::Map) {
    std::vector<const Node*> members;
    for (const Node& member : collection.children) members.push_back(&member);
    std::stable_sort(members.begin(), members.end(), [](const Node* a, const Node* b) { return a->key < b->key; });
    for (const Node* member : members) {
      Node key = made_string(member->key, at, frame);
      if (!member->key_span.empty()) key.span = member->key_span;
      if (member->file) key.file = member->file;
      elements.push_back({std::move(key), member});
    }
  }
  return elements;
}

// Whether a traversal chain (GetAttr/Index steps over a SplatItem) has only attribute steps below
// `step`, i.e. whether `step` is the first index step of a legacy `.*` splat.
const Expression* first_index_step(const Expression& chain) {
  std::vector<const Expression*> steps;
  for (const Expression* step = &chain; step && step->kind != ExpressionKind::SplatItem; step = step->operand(0))
    steps.push_back(step);
  for (auto it = steps.rbegin(); it != steps.rend(); ++it)
    if ((*it)->kind != ExpressionKind::GetAttr) return *it;
  return nullptr;
}

void append_literal(RenderedText& rendered, const Expression& part, std::string_view file_text) {
  if (part.end_offset > file_text.size() || part.begin_offset > part.end_offset) {
    rendered.append_inserted(part.text, part.begin_offset, part.end_offset - part.begin_offset);
    return;
  }
  std::string_view raw = file_text.substr(part.begin_offset, part.end_offset - part.begin_offset);
  if (raw == part.text) {
    rendered.append_copy(part.text, part.begin_offset);
    return;
  }
  // Indentation removed (`<<-`) or escapes decoded: map line by line, the difference at each
  // line's start, so values still land on their own lines.
  std::string_view decoded = part.text;
  if (std::count(raw.begin(), raw.end(), '\n') != std::count(decoded.begin(), decoded.end(), '\n')) {
    rendered.append_inserted(part.text, part.begin_offset, part.end_offset - part.begin_offset);
    return;
  }
  size_t raw_at = 0, decoded_at = 0;
  while (decoded_at < decoded.size()) {
    size_t raw_end = raw.find('\n', raw_at);
    size_t decoded_end = decoded.find('\n', decoded_at);
    raw_end = raw_end == std::string_view::npos ? raw.size() : raw_end + 1;
    decoded_end = decoded_end == std::string_view::npos ? decoded.size() : decoded_end + 1;
    size_t raw_length = raw_end - raw_at, decoded_length = decoded_end - decoded_at;
    size_t shift = raw_length > decoded_length ? raw_length - decoded_length : 0;
    rendered.append_copy(decoded.substr(decoded_at, decoded_length), part.begin_offset + raw_at + shift);
    raw_at = raw_end;
    decoded_at = decoded_end;
  }
}

}  // namespace

std::string shortened_source(std::string_view text) {
  std::string result;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !result.empty();
      continue;
    }
    if (space) result += ' ';
    space = false;
    result += c;
    if (result.size() > 100) return result + "...";
  }
  return result;
}

uint64_t count_nodes(const Node& value, uint64_t limit) {
  uint64_t count = 1;
  for (const Node& child : value.children) {
    if (count > limit) break;
    count += count_nodes(child, limit - count);
  }
  return count;
}

Evaluator::Evaluator(ScanRoot& scan_root, const EvaluationLimits& limits, std::string cwd)
    : scan_root_(scan_root), limits_(limits), cwd_(std::move(cwd)) {}

void Evaluator::fail(const SourceFile* file, Span span, std::string message) {
  sink_->push_back({file, span, std::move(message)});
}

void Evaluator::fail(const Expression& at, const Frame& frame, std::string message) {
  fail(frame.file, at.span, std::move(message));
}

Node Evaluator::unknown(const Expression& at, const Frame& frame) const {
  return unknown_text(at, frame, shortened_source(text_of(at, frame)));
}

Node Evaluator::unknown_text(const Expression& at, const Frame& frame, std::string text) const {
  Node node = made(NodeKind::Unknown, at, frame);
  node.text = std::move(text);
  return node;
}

bool Evaluator::charge_copy(uint64_t size, const Expression& at, const Frame& frame) {
  copied_nodes_ += size;
  if (copied_nodes_ <= limits_.max_copied_nodes) return true;
  if (!exhausted_) {
    exhausted_ = true;
    reported_.push_back({frame.file, at.span,
                         fmt::format("evaluation stopped: values copied more than {} nodes (a local that doubles "
                                     "itself?); the rest of this module is unknown",
                                     limits_.max_copied_nodes)});
  }
  return false;
}

Node Evaluator::evaluate(const Expression& expression, const Frame& frame) {
  if (exhausted_) return unknown(expression, frame);
  if (++steps_ > limits_.max_steps) {
    exhausted_ = true;
    reported_.push_back({frame.file, expression.span,
                         fmt::format("evaluation stopped after {} steps; the rest of this module is unknown",
                                     limits_.max_steps)});
    return unknown(expression, frame);
  }
  if (depth_ >= limits_.max_depth) {
    fail(expression, frame,
         fmt::format("evaluation nested deeper than {} levels (locals that refer to each other in a long chain?); "
                     "the value is unknown",
                     limits_.max_depth));
    return unknown(expression, frame);
  }
  struct DepthGuard {
    uint32_t& depth;
    explicit DepthGuard(uint32_t& value) : depth(++value) {}
    ~DepthGuard() { --depth; }
  } guard(depth_);

  switch (expression.kind) {
    case ExpressionKind::Invalid: return unknown(expression, frame);
    case ExpressionKind::Null: return made(NodeKind::Null, expression, frame);
    case ExpressionKind::Boolean: return made_boolean(expression.boolean, expression, frame);
    case ExpressionKind::Number: {
      Node node = made(NodeKind::Number, expression, frame);
      node.number = expression.number;
      node.text = expression.text;
      return node;
    }
    case ExpressionKind::String: return made_string(expression.text, expression, frame);
    case ExpressionKind::Template: return evaluate_template(expression, frame, false);
    case ExpressionKind::Tuple: return evaluate_tuple(expression, frame);
    case ExpressionKind::Object: return evaluate_object(expression, frame);
    case ExpressionKind::Variable: return evaluate_variable(expression, frame);
    case ExpressionKind::GetAttr: return evaluate_get_attr(expression, frame);
    case ExpressionKind::Index: return evaluate_index(expression, frame);
    case ExpressionKind::Splat: return evaluate_splat(expression, frame);
    case ExpressionKind::FunctionCall: return evaluate_call(expression, frame);
    case ExpressionKind::ForTuple:
    case ExpressionKind::ForObject: return evaluate_for(expression, frame);
    case ExpressionKind::Conditional: return evaluate_conditional(expression, frame);
    case ExpressionKind::Unary: return evaluate_unary(expression, frame);
    case ExpressionKind::Binary: return evaluate_binary(expression, frame);
    case ExpressionKind::Interpolation:
      return expression.operands.empty() ? unknown(expression, frame) : evaluate(expression.operands[0], frame);
    case ExpressionKind::TemplateIf:
    case ExpressionKind::TemplateFor:
    case ExpressionKind::SplatItem: return unknown(expression, frame);
  }
  return unknown(expression, frame);
}

// ---- references ----------------------------------------------------------------------------------

Node Evaluator::evaluate_variable(const Expression& expression, const Frame& frame) {
  for (const Binding* binding = frame.bindings; binding; binding = binding->next)
    if (binding->name == expression.text) return *binding->value;
  if (frame.template_scope) {
    fail(expression, frame,
         fmt::format("the template uses \"{}\", which its variables (templatefile()'s map, a template_file's vars) do not give; the value is unknown",
                     expression.text));
    return unknown(expression, frame);
  }
  // `var`, `local`, `module`, `path`, `count`, `each` are read through their attributes (see
  // evaluate_get_attr); any other name is a resource type, whose attributes are only known at apply.
  return unknown(expression, frame);
}

Node Evaluator::evaluate_get_attr(const Expression& expression, const Frame& frame) {
  const Expression& object = expression.operands[0];
  const std::string& name = expression.text;
  bool bound = false;
  if (object.kind == ExpressionKind::Variable) {
    for (const Binding* binding = frame.bindings; binding; binding = binding->next)
      bound = bound || binding->name == object.text;
  }
  if (object.kind == ExpressionKind::Variable && !bound && !frame.template_scope) {
    const std::string& root = object.text;
    if (root == "var" || root == "local") {
      if (!frame.module) {
        fail(expression, frame, fmt::format("{}.{} cannot be used here: only literal values are allowed", root, name));
        return unknown(expression, frame);
      }
      return root == "var" ? variable(*frame.module, name, expression, frame) : local(*frame.module, name, expression, frame);
    }
    if (root == "module") {
      if (!frame.module) return unknown(expression, frame);
      return module_reference(*frame.module, name, nullptr, {}, expression, frame);
    }
    if (root == "count") {
      if (name == "index" && frame.count_index) return *frame.count_index;
      if (name == "index" && !frame.count_index)
        fail(expression, frame, "count.index is used in a block that has no count; the value is unknown");
      return unknown(expression, frame);
    }
    if (root == "each") {
      if (name == "key" && frame.each_key) return *frame.each_key;
      if (name == "value" && frame.each_value) return *frame.each_value;
      if (!frame.each_key)
        fail(expression, frame, fmt::format("each.{} is used in a block that has no for_each; the value is unknown", name));
      return unknown(expression, frame);
    }
    if (root == "path") {
      if (!frame.module) return unknown(expression, frame);
      if (name == "root") return made_string(".", expression, frame);
      if (name == "cwd") return made_string(cwd_, expression, frame);
      if (name == "module") {
        // Relative to where Terraform runs (the root module's folder): ".", "modules/app", "../shared".
        std::string relative = std::filesystem::path(frame.module->source->directory)
                                   .lexically_relative(cwd_)
                                   .generic_string();
        return made_string(relative.empty() ? "." : relative, expression, frame);
      }
      return unknown(expression, frame);
    }
    // terraform.workspace, self.*, and resource types: known only at plan or apply time.
    return unknown(expression, frame);
  }
  // module.NAME.OUTPUT and module.NAME[KEY].OUTPUT without building every output of the module.
  if (frame.module && !frame.template_scope) {
    if (object.kind == ExpressionKind::GetAttr && object.operands[0].kind == ExpressionKind::Variable &&
        object.operands[0].text == "module")
      return module_reference(*frame.module, object.text, nullptr, name, expression, frame);
    if (object.kind == ExpressionKind::Index && object.operands[0].kind == ExpressionKind::GetAttr &&
        object.operands[0].operands[0].kind == ExpressionKind::Variable &&
        object.operands[0].operands[0].text == "module") {
      Node key = evaluate(object.operands[1], frame);
      return module_reference(*frame.module, object.operands[0].text, &key, name, expression, frame);
    }
    if (object.kind == ExpressionKind::GetAttr && object.operands[0].kind == ExpressionKind::Variable &&
        object.operands[0].text == "data")
      return unknown(expression, frame);
    // data.template_file.NAME.rendered: the template provider's (deprecated, still common) render.
    if (name == "rendered" && object.kind == ExpressionKind::GetAttr && object.operands[0].kind == ExpressionKind::GetAttr &&
        object.operands[0].text == "template_file" && object.operands[0].operands[0].kind == ExpressionKind::Variable &&
        object.operands[0].operands[0].text == "data")
      return template_file_rendered(*frame.module, object.text, expression, frame);
  }
  return get_attribute(evaluate(object, frame), expression, frame);
}

Node Evaluator::get_attribute(Node base, const Expression& step, const Frame& frame) {
  if (base.kind == NodeKind::Unknown) return unknown(step, frame);
  if (base.kind == NodeKind::Map) {
    for (Node& member : base.children)
      if (member.key == step.text) return std::move(member);
    fail(step, frame, fmt::format("the object has no attribute \"{}\"; the value is unknown", step.text));
    return unknown(step, frame);
  }
  if (base.kind == NodeKind::Null) {
    fail(step, frame, fmt::format("cannot read \"{}\" of a null value; the value is unknown", step.text));
    return unknown(step, frame);
  }
  fail(step, frame, fmt::format("cannot read attribute \"{}\" of a {}; the value is unknown", step.text, kind_name(base)));
  return unknown(step, frame);
}

Node Evaluator::evaluate_index(const Expression& expression, const Frame& frame) {
  Node key = evaluate(expression.operands[1], frame);
  return get_index(evaluate(expression.operands[0], frame), key, expression, frame);
}

Node Evaluator::get_index(Node base, const Node& key, const Expression& step, const Frame& frame) {
  if (base.kind == NodeKind::Unknown || key.kind == NodeKind::Unknown) return unknown(step, frame);
  if (base.kind == NodeKind::List) {
    auto index = number_of(key);
    if (!index || *index < 0 || std::floor(*index) != *index || *index >= static_cast<double>(base.children.size())) {
      fail(step, frame,
           fmt::format("index {} is out of range for a list of {} items; the value is unknown", key.describe(),
                       base.children.size()));
      return unknown(step, frame);
    }
    return std::move(base.children[static_cast<size_t>(*index)]);
  }
  if (base.kind == NodeKind::Map) {
    auto name = string_of(key);
    if (name) {
      for (Node& member : base.children)
        if (member.key == *name) return std::move(member);
    }
    fail(step, frame, fmt::format("the map has no key {}; the value is unknown", key.describe()));
    return unknown(step, frame);
  }
  fail(step, frame, fmt::format("cannot index a {}; the value is unknown", kind_name(base)));
  return unknown(step, frame);
}

Node Evaluator::apply_traversal(const Expression& step, const Expression* stop, Node base, const Frame& frame) {
  if (&step == stop || step.kind == ExpressionKind::SplatItem) return base;
  if (step.operands.empty()) return unknown(step, frame);
  Node inner = apply_traversal(step.operands[0], stop, std::move(base), frame);
  if (step.kind == ExpressionKind::GetAttr) return get_attribute(std::move(inner), step, frame);
  if (step.kind == ExpressionKind::Index) {
    Node key = evaluate(step.operands[1], frame);
    return get_index(std::move(inner), key, step, frame);
  }
  return unknown(step, frame);
}

Node Evaluator::evaluate_splat(const Expression& expression, const Frame& frame) {
  Node source = evaluate(expression.operands[0], frame);
  if (source.kind == NodeKind::Unknown) return unknown(expression, frame);
  Node result = made(NodeKind::List, expression, frame);
  if (source.kind == NodeKind::Null) return result;
  const Expression& chain = expression.operands[1];
  // The legacy `.*` applies only attribute steps to each element; an index after them applies
  // to the resulting list.
  const Expression* split = expression.splat_attribute_only ? first_index_step(chain) : nullptr;
  const Expression& per_element = split ? split->operands[0] : chain;
  std::vector<Node> items;
  if (source.kind == NodeKind::List) {
    items = std::move(source.children);
  } else {
    items.push_back(std::move(source));  // a single value splats as a list of one
  }
  for (Node& item : items) {
    if (++steps_ > limits_.max_steps) return unknown(expression, frame);
    result.children.push_back(apply_traversal(per_element, nullptr, std::move(item), frame));
  }
  if (split) return apply_traversal(chain, &split->operands[0], std::move(result), frame);
  return result;
}

// ---- collections -------------------------------------------------------------------------------

Node Evaluator::evaluate_tuple(const Expression& expression, const Frame& frame) {
  Node list = made(NodeKind::List, expression, frame);
  list.children.reserve(expression.operands.size());
  for (const Expression& item : expression.operands) {
    Node value = evaluate(item, frame);
    value.key.clear();
    value.key_span = {};
    list.children.push_back(std::move(value));
  }
  return list;
}

Node Evaluator::evaluate_object(const Expression& expression, const Frame& frame) {
  Node map = made(NodeKind::Map, expression, frame);
  map.children.reserve(expression.operands.size() / 2);
  for (size_t i = 0; i + 1 < expression.operands.size(); i += 2) {
    const Expression& key_expression = expression.operands[i];
    std::string key;
    if (key_expression.kind == ExpressionKind::String) {
      key = key_expression.text;
    } else {
      Node key_value = evaluate(key_expression, frame);
      if (key_value.kind == NodeKind::Unknown) {
        // An object with a key nobody knows could hold any key: nothing about it is certain.
        return unknown(expression, frame);
      }
      auto text = string_of(key_value);
      if (!text) {
        fail(key_expression, frame,
             fmt::format("an object key must be a string, not a {}; the object is unknown", kind_name(key_value)));
        return unknown(expression, frame);
      }
      key = std::move(*text);
    }
    Node value = evaluate(expression.operands[i + 1], frame);
    place_under_key(value, std::move(key), key_expression.span, frame.file);
    auto same = std::find_if(map.children.begin(), map.children.end(),
                             [&](const Node& member) { return member.key == value.key; });
    if (same != map.children.end()) *same = std::move(value);
    else map.children.push_back(std::move(value));
  }
  return map;
}

Node Evaluator::evaluate_for(const Expression& expression, const Frame& frame) {
  bool object = expression.kind == ExpressionKind::ForObject;
  const Expression& key_symbol = expression.operands[0];
  const Expression& value_symbol = expression.operands[1];
  Node collection = evaluate(expression.operands[2], frame);
  if (collection.kind == NodeKind::Unknown) return unknown(expression, frame);
  if (collection.kind != NodeKind::List && collection.kind != NodeKind::Map) {
    fail(expression.operands[2], frame,
         fmt::format("a for expression needs a list or a map, not a {}; the value is unknown", kind_name(collection)));
    return unknown(expression, frame);
  }
  const Expression* key_result = object ? expression.operand(3) : nullptr;
  const Expression* value_result = expression.operand(object ? 4 : 3);
  const Expression* condition = expression.operand(object ? 5 : 4);
  if (!value_result) return unknown(expression, frame);

  Node result = made(object ? NodeKind::Map : NodeKind::List, expression, frame);
  for (const Element& element : elements_of(collection, expression.operands[2], frame)) {
    if (++steps_ > limits_.max_steps || exhausted_) return unknown(expression, frame);
    Binding value_binding{value_symbol.text, element.value, frame.bindings};
    Binding key_binding{key_symbol.text, &element.key, &value_binding};
    Frame inner = frame;
    inner.bindings = key_symbol.kind == ExpressionKind::Variable ? &key_binding : &value_binding;
    bool maybe = false;  // the condition is not known: the element may or may not be kept
    if (condition) {
      Node keep = evaluate(*condition, inner);
      // A list whose length is not known is not known. An object that may or may not have a key
      // gets the key with an unknown value: "unknown" already covers "absent" for every rule.
      if (keep.kind == NodeKind::Unknown && !object) return unknown(expression, frame);
      maybe = keep.kind == NodeKind::Unknown;
      auto flag = boolean_of(keep);
      if (!maybe && !flag) {
        fail(*condition, inner, "a for expression's condition must be true or false; the value is unknown");
        return unknown(expression, frame);
      }
      if (!maybe && !*flag) continue;
    }
    if (!object) {
      Node item = evaluate(*value_result, inner);
      item.key.clear();
      item.key_span = {};
      result.children.push_back(std::move(item));
      continue;
    }
    Node key = evaluate(*key_result, inner);
    if (key.kind == NodeKind::Unknown) return unknown(expression, frame);
    auto key_text = string_of(key);
    if (!key_text) {
      fail(*key_result, inner, fmt::format("an object key must be a string, not a {}; the value is unknown", kind_name(key)));
      return unknown(expression, frame);
    }
    Node value = evaluate(*value_result, inner);
    if (maybe && value.kind != NodeKind::Unknown) {
      value.kind = NodeKind::Unknown;
      value.children.clear();
      value.text = shortened_source(text_of(*value_result, inner)) + " if " +
                   shortened_source(text_of(*condition, inner));
    }
    auto same = std::find_if(result.children.begin(), result.children.end(),
                             [&](const Node& member) { return member.key == *key_text; });
    if (expression.expand_final) {
      // Grouping mode (`...`): values with the same key are collected into a list.
      value.key.clear();
      value.key_span = {};
      if (same == result.children.end()) {
        Node group = made(NodeKind::List, *value_result, inner);
        place_under_key(group, *key_text, key.span, key.file);
        group.children.push_back(std::move(value));
        result.children.push_back(std::move(group));
      } else {
        same->children.push_back(std::move(value));
      }
      continue;
    }
    if (same != result.children.end()) {
      fail(*key_result, inner,
           fmt::format("the for expression makes the key \"{}\" twice (use `...` to group); the value is unknown",
                       *key_text));
      return unknown(expression, frame);
    }
    place_under_key(value, std::move(*key_text), key.span, key.file);
    result.children.push_back(std::move(value));
  }
  return result;
}

// ---- operators ---------------------------------------------------------------------------------

Node Evaluator::evaluate_conditional(const Expression& expression, const Frame& frame) {
  Node condition = evaluate(expression.operands[0], frame);
  if (condition.kind == NodeKind::Unknown) return unknown(expression, frame);
  auto flag = boolean_of(condition);
  if (!flag) {
    fail(expression.operands[0], frame,
         fmt::format("a condition must be true or false, not {}; the value is unknown", condition.describe()));
    return unknown(expression, frame);
  }
  return evaluate(expression.operands[*flag ? 1 : 2], frame);
}

Node Evaluator::evaluate_unary(const Expression& expression, const Frame& frame) {
  Node operand = evaluate(expression.operands[0], frame);
  if (operand.kind == NodeKind::Unknown) return unknown(expression, frame);
  if (expression.text == "!") {
    auto flag = boolean_of(operand);
    if (flag) return made_boolean(!*flag, expression, frame);
  } else {
    auto number = number_of(operand);
    if (number) return made_number(-*number, expression, frame);
  }
  fail(expression, frame, fmt::format("{} cannot be applied to {}; the value is unknown", expression.text, operand.describe()));
  return unknown(expression, frame);
}

Node Evaluator::evaluate_binary(const Expression& expression, const Frame& frame) {
  const std::string& op = expression.text;
  Node left = evaluate(expression.operands[0], frame);
  if (op == "&&" || op == "||") {
    // Only evaluate the right side when it decides the result.
    auto left_flag = left.kind == NodeKind::Unknown ? std::nullopt : boolean_of(left);
    if (left_flag && *left_flag == (op == "||")) return made_boolean(*left_flag, expression, frame);
    Node right = evaluate(expression.operands[1], frame);
    auto right_flag = right.kind == NodeKind::Unknown ? std::nullopt : boolean_of(right);
    if (right_flag && *right_flag == (op == "||")) return made_boolean(*right_flag, expression, frame);
    if (left.kind == NodeKind::Unknown || right.kind == NodeKind::Unknown) return unknown(expression, frame);
    if (!left_flag || !right_flag) {
      fail(expression, frame, fmt::format("{} needs true or false on both sides; the value is unknown", op));
      return unknown(expression, frame);
    }
    return made_boolean(op == "&&" ? (*left_flag && *right_flag) : (*left_flag || *right_flag), expression, frame);
  }
  Node right = evaluate(expression.operands[1], frame);
  if (op == "==" || op == "!=") {
    // `v != null` is known for any v that is not itself unknown, even a list with unknown items.
    if (left.kind == NodeKind::Unknown || right.kind == NodeKind::Unknown) return unknown(expression, frame);
    bool same_shape = left.kind == right.kind && left.children.size() == right.children.size();
    if (same_shape && (contains_unknown(left) || contains_unknown(right))) return unknown(expression, frame);
    bool equal = same_shape && equal_values(left, right);
    // Terraform converts a number to a string for comparison with a string only through tostring();
    // compare strictly, but treat 1 and "1" as equal, as most real conditions intend.
    if (!equal && left.kind != right.kind && left.is_scalar() && right.is_scalar()) {
      auto a = string_of(left), b = string_of(right);
      equal = a && b && *a == *b;
    }
    return made_boolean(op == "==" ? equal : !equal, expression, frame);
  }
  if (left.kind == NodeKind::Unknown || right.kind == NodeKind::Unknown) return unknown(expression, frame);
  auto a = number_of(left), b = number_of(right);
  if (!a || !b) {
    fail(expression, frame,
         fmt::format("{} needs numbers, not {} and {}; the value is unknown", op, left.describe(), right.describe()));
    return unknown(expression, frame);
  }
  if (op == "+") return made_number(*a + *b, expression, frame);
  if (op == "-") return made_number(*a - *b, expression, frame);
  if (op == "*") return made_number(*a * *b, expression, frame);
  if (op == "/" || op == "%") {
    if (*b == 0) {
      fail(expression, frame, "division by zero; the value is unknown");
      return unknown(expression, frame);
    }
    return made_number(op == "/" ? *a / *b : std::fmod(*a, *b), expression, frame);
  }
  if (op == "<") return made_boolean(*a < *b, expression, frame);
  if (op == "<=") return made_boolean(*a <= *b, expression, frame);
  if (op == ">") return made_boolean(*a > *b, expression, frame);
  if (op == ">=") return made_boolean(*a >= *b, expression, frame);
  fail(expression, frame, fmt::format("unknown operator {}", op));
  return unknown(expression, frame);
}

// ---- templates ---------------------------------------------------------------------------------

void Evaluator::render(const Expression& parts, const Frame& frame, std::string& text, RenderedText* rendered,
                       bool& is_unknown, bool& opaque, uint32_t depth) {
  if (depth > 64) {
    opaque = true;
    return;
  }
  std::string_view file_text = frame.file ? frame.file->text() : std::string_view();
  for (const Expression& part : parts.operands) {
    if (text.size() > kMaxStringBytes) {
      fail(part, frame, fmt::format("the template's text is longer than {} MiB; the value is unknown", kMaxStringBytes >> 20));
      opaque = true;
      return;
    }
    switch (part.kind) {
      case ExpressionKind::String:
        text += part.text;
        if (rendered) append_literal(*rendered, part, file_text);
        break;
      case ExpressionKind::Interpolation: {
        Node value = evaluate(part.operands[0], frame);
        if (value.kind == NodeKind::Unknown) {
          is_unknown = true;
          std::string shown = "${" + shortened_source(text_of(part.operands[0], frame)) + "}";
          text += shown;
          if (rendered) rendered->append_unknown(shown, part.begin_offset, part.end_offset - part.begin_offset);
          break;
        }
        auto piece = string_of(value);
        if (!piece) {
          fail(part, frame,
               fmt::format("a {} cannot be inserted into a string template; the value is unknown", kind_name(value)));
          is_unknown = true;
          opaque = true;
          break;
        }
        text += *piece;
        if (rendered) rendered->append_inserted(*piece, part.begin_offset, part.end_offset - part.begin_offset, &value);
        break;
      }
      case ExpressionKind::TemplateIf: {
        Node condition = evaluate(part.operands[0], frame);
        auto flag = condition.kind == NodeKind::Unknown ? std::nullopt : boolean_of(condition);
        if (!flag) {
          if (condition.kind != NodeKind::Unknown)
            fail(part.operands[0], frame, "a template %{if} condition must be true or false; the value is unknown");
          is_unknown = true;
          opaque = true;
          break;
        }
        const Expression* branch = part.operand(*flag ? 1 : 2);
        if (branch) render(*branch, frame, text, rendered, is_unknown, opaque, depth + 1);
        break;
      }
      case ExpressionKind::TemplateFor: {
        Node collection = evaluate(part.operands[2], frame);
        if (collection.kind != NodeKind::List && collection.kind != NodeKind::Map) {
          if (collection.kind != NodeKind::Unknown)
            fail(part.operands[2], frame, "a template %{for} needs a list or a map; the value is unknown");
          is_unknown = true;
          opaque = true;
          break;
        }
        const Expression* body = part.operand(3);
        if (!body) break;
        for (const Element& element : elements_of(collection, part.operands[2], frame)) {
          if (++steps_ > limits_.max_steps || exhausted_ || opaque) break;
          Binding value_binding{part.operands[1].text, element.value, frame.bindings};
          Binding key_binding{part.operands[0].text, &element.key, &value_binding};
          Frame inner = frame;
          inner.bindings = part.operands[0].kind == ExpressionKind::Variable ? &key_binding : &value_binding;
          render(*body, inner, text, rendered, is_unknown, opaque, depth + 1);
        }
        break;
      }
      default: break;
    }
  }
}

Node Evaluator::evaluate_template(const Expression& expression, const Frame& frame, bool from_file) {
  // "${x}" alone is x itself, not converted to a string.
  if (expression.operands.size() == 1 && expression.operands[0].kind == ExpressionKind::Interpolation)
    return evaluate(expression.operands[0].operands[0], frame);
  bool keep_map = expression.heredoc || from_file;
  RenderedText rendered(frame.file);
  std::string text;
  bool is_unknown = false, opaque = false;
  render(expression, frame, text, keep_map ? &rendered : nullptr, is_unknown, opaque, 0);
  Node result = made(is_unknown ? NodeKind::Unknown : NodeKind::String, expression, frame);
  result.text = is_unknown ? shortened_source(from_file ? std::string_view(text) : text_of(expression, frame)) : text;
  // Its literal parts are still known: `"${aws_ecr_repository.app.repository_url}:latest"` is
  // :latest whatever the repository's URL (detect/template_text.h reads the child).
  constexpr size_t kMaxKeptTemplate = 1024;
  if (is_unknown && !opaque && !keep_map && text.size() <= kMaxKeptTemplate) {
    result.tag = std::string(kTemplateWithUnknownPartsTag);
    Node parts = made(NodeKind::String, expression, frame);
    parts.text = std::move(text);
    result.children.push_back(std::move(parts));
    return result;
  }
  if (keep_map && !opaque && looks_like_json(rendered.text())) {
    Node structure;
    std::string error;
    if (decode_rendered_json(rendered, structure, error)) result.children.push_back(std::move(structure));
  }
  return result;
}

// ---- function calls ----------------------------------------------------------------------------

Node Evaluator::evaluate_call(const Expression& expression, const Frame& frame) {
  const std::string& name = expression.text;
  if (name == "try") return call_try(expression, frame);
  if (name == "can") return call_can(expression, frame);
  if (name == "file" || name == "fileexists") return call_file(expression, frame, name);
  if (name == "templatefile") return call_templatefile(expression, frame);

  std::vector<Node> arguments;
  arguments.reserve(expression.operands.size());
  for (const Expression& argument : expression.operands) arguments.push_back(evaluate(argument, frame));
  if (expression.expand_final && !arguments.empty()) {
    // f(a, list...): the list's items become the last arguments.
    Node last = std::move(arguments.back());
    arguments.pop_back();
    if (last.kind == NodeKind::Unknown) return unknown(expression, frame);
    if (last.kind != NodeKind::List) {
      fail(expression, frame, fmt::format("`...` needs a list, not a {}; the value is unknown", kind_name(last)));
      return unknown(expression, frame);
    }
    for (Node& item : last.children) arguments.push_back(std::move(item));
  }
  CallSite site{frame.file, expression.span, text_of(expression, frame)};
  std::optional<FunctionResult> result = call_function(name, arguments, site);
  if (!result) {
    if (is_uncomputed_function(name) || name.find("::") != std::string::npos) return unknown(expression, frame);
    fail(expression, frame,
         fmt::format("shiftlint does not evaluate the function {}(); the value is unknown", name));
    return unknown(expression, frame);
  }
  if (!result->error.empty()) {
    fail(expression, frame, fmt::format("{}; the value is unknown", result->error));
    return unknown(expression, frame);
  }
  return std::move(result->value);
}

Node Evaluator::call_try(const Expression& expression, const Frame& frame) {
  std::vector<EvaluationFailure> last_failures;
  for (const Expression& argument : expression.operands) {
    std::vector<EvaluationFailure> attempt;
    std::vector<EvaluationFailure>* outer = swap_sink(&attempt);
    Node value = evaluate(argument, frame);
    swap_sink(outer);
    if (attempt.empty()) return value;  // an unknown value stays unknown: Terraform's try() waits for it
    last_failures = std::move(attempt);
  }
  if (!last_failures.empty()) {
    fail(expression, frame,
         fmt::format("try(): no expression could be evaluated ({}); the value is unknown", last_failures.front().message));
  }
  return unknown(expression, frame);
}

Node Evaluator::call_can(const Expression& expression, const Frame& frame) {
  if (expression.operands.size() != 1) {
    fail(expression, frame, "can() takes one expression; the value is unknown");
    return unknown(expression, frame);
  }
  std::vector<EvaluationFailure> attempt;
  std::vector<EvaluationFailure>* outer = swap_sink(&attempt);
  Node value = evaluate(expression.operands[0], frame);
  swap_sink(outer);
  if (!attempt.empty()) return made_boolean(false, expression, frame);
  if (value.kind == NodeKind::Unknown) return unknown(expression, frame);
  return made_boolean(true, expression, frame);
}

Node Evaluator::call_file(const Expression& expression, const Frame& frame, std::string_view function) {
  if (expression.operands.size() != 1) {
    fail(expression, frame, fmt::format("{}() takes one path; the value is unknown", function));
    return unknown(expression, frame);
  }
  Node path = evaluate(expression.operands[0], frame);
  if (path.kind == NodeKind::Unknown) return unknown(expression, frame);
  auto text = string_of(path);
  if (!text) {
    fail(expression, frame, fmt::format("{}() needs a path string; the value is unknown", function));
    return unknown(expression, frame);
  }
  ScanRoot::Resolved resolved = scan_root_.resolve(cwd_, *text);
  if (!resolved.error.empty()) {
    fail(expression, frame, fmt::format("{}(\"{}\") is not read: {}; the value is unknown", function, *text, resolved.error));
    return unknown(expression, frame);
  }
  std::string error;
  std::shared_ptr<const SourceFile> file = scan_root_.read_file(resolved.path, error);
  if (function == "fileexists") return made_boolean(file != nullptr, expression, frame);
  if (!file) {
    fail(expression, frame, fmt::format("file(\"{}\") cannot be read: {}; the value is unknown", *text, error));
    return unknown(expression, frame);
  }
  Node result = made_string(std::string(file->text()), expression, frame);
  if (looks_like_json(file->text())) {
    // Decoded straight from the file: positions are exact.
    Document document = load_json(file);
    if (document.ok() && document.roots.size() == 1) result.children.push_back(std::move(document.roots.front()));
  }
  return result;
}

Node Evaluator::call_templatefile(const Expression& expression, const Frame& frame) {
  if (expression.operands.size() != 2) {
    fail(expression, frame, "templatefile() takes a path and a map of variables; the value is unknown");
    return unknown(expression, frame);
  }
  Node path = evaluate(expression.operands[0], frame);
  Node variables = evaluate(expression.operands[1], frame);
  if (path.kind == NodeKind::Unknown) return unknown(expression, frame);
  auto text = string_of(path);
  if (!text) {
    fail(expression, frame, "templatefile() needs a path string; the value is unknown");
    return unknown(expression, frame);
  }
  ScanRoot::Resolved resolved = scan_root_.resolve(cwd_, *text);
  if (!resolved.error.empty()) {
    fail(expression, frame, fmt::format("templatefile(\"{}\") is not read: {}; the value is unknown", *text, resolved.error));
    return unknown(expression, frame);
  }
  std::string error;
  std::shared_ptr<const SourceFile> file = scan_root_.read_file(resolved.path, error);
  if (!file) {
    fail(expression, frame, fmt::format("templatefile(\"{}\") cannot be read: {}; the value is unknown", *text, error));
    return unknown(expression, frame);
  }
  return render_template_file(file, variables, expression.operands[1], expression, frame);
}

Node Evaluator::render_template_file(const std::shared_ptr<const SourceFile>& file, const Node& variables,
                                     const Expression& variables_at, const Expression& expression, const Frame& frame) {
  const TemplateSyntax& syntax = scan_root_.template_syntax(file);
  if (!syntax.body) {
    fail(expression, frame,
         fmt::format("the template {} has a syntax error at {}; the value is unknown", file->display_path(), syntax.error));
    return unknown(expression, frame);
  }
  if (variables.kind == NodeKind::Unknown) return unknown(expression, frame);
  if (variables.kind != NodeKind::Map && variables.kind != NodeKind::Null) {
    fail(variables_at, frame, "the template's variables must be a map; the value is unknown");
    return unknown(expression, frame);
  }
  std::vector<Binding> bindings(variables.children.size());
  const Binding* chain = nullptr;
  for (size_t i = 0; i < variables.children.size(); ++i) {
    bindings[i] = {variables.children[i].key, &variables.children[i], chain};
    chain = &bindings[i];
  }
  Frame template_frame;
  template_frame.module = frame.module;
  template_frame.file = file.get();
  template_frame.bindings = chain;
  template_frame.template_scope = true;
  Node rendered;
  if (syntax.body->kind == ExpressionKind::Template) {
    rendered = evaluate_template(*syntax.body, template_frame, true);
  } else {
    rendered = evaluate(*syntax.body, template_frame);
    if (rendered.kind == NodeKind::String && rendered.children.empty() && looks_like_json(rendered.text)) {
      Document document = load_json(file);
      if (document.ok() && document.roots.size() == 1) rendered.children.push_back(std::move(document.roots.front()));
    }
  }
  // The value is the call's; its decoded JSON keeps the template's positions.
  rendered.file = frame.file;
  rendered.span = expression.span;
  if (rendered.kind == NodeKind::Unknown) rendered.text = shortened_source(text_of(expression, frame));
  return rendered;
}

Node Evaluator::template_file_rendered(ModuleInstance& module, std::string_view name, const Expression& at,
                                       const Frame& frame) {
  const Declared* declared = nullptr;
  for (const Declared& resource : module.source->resources) {
    const hcl::Block& block = *resource.block;
    if (block.type == "data" && block.labels.size() == 2 && block.labels[0] == "template_file" && block.labels[1] == name) {
      declared = &resource;
      break;
    }
  }
  if (!declared) return unknown(at, frame);
  const hcl::Body& body = declared->block->body;
  // With count or for_each the reference needs an index, and `.rendered` of the whole is not a string.
  if (body.find_attribute("count") || body.find_attribute("for_each")) return unknown(at, frame);
  const hcl::Attribute* template_attribute = body.find_attribute("template");
  if (!template_attribute) return unknown(at, frame);
  // Only `template = file("...")` (or "${file("...")}") is read: an inline template is HCL text whose
  // `${...}` Terraform interpolates before the provider renders what is left (`$${...}`).
  const Expression* call = &template_attribute->value;
  if (call->kind == ExpressionKind::Template && call->operands.size() == 1 &&
      call->operands[0].kind == ExpressionKind::Interpolation && !call->operands[0].operands.empty())
    call = &call->operands[0].operands[0];
  if (call->kind != ExpressionKind::FunctionCall || call->text != "file" || call->operands.size() != 1)
    return unknown(at, frame);
  const hcl::Block* block = declared->block;
  if (std::find(template_files_rendering_.begin(), template_files_rendering_.end(), block) !=
      template_files_rendering_.end()) {
    fail(at, frame, fmt::format("data.template_file.{}'s vars refer to its own output; the value is unknown", name));
    return unknown(at, frame);
  }
  template_files_rendering_.push_back(block);
  Frame data_frame;
  data_frame.module = &module;
  data_frame.file = declared->file;
  Node path = evaluate(call->operands[0], data_frame);
  Node result;
  if (auto text = string_of(path); path.kind != NodeKind::Unknown && text) {
    ScanRoot::Resolved resolved = scan_root_.resolve(cwd_, *text);
    std::string error;
    std::shared_ptr<const SourceFile> file;
    if (resolved.error.empty()) file = scan_root_.read_file(resolved.path, error);
    else error = resolved.error;
    if (!file) {
      fail(*call, data_frame,
           fmt::format("data.template_file.{}'s template \"{}\" cannot be read: {}; the value is unknown", name, *text, error));
      result = unknown(at, frame);
    } else {
      const hcl::Attribute* vars = body.find_attribute("vars");
      Node variables;
      if (vars) {
        variables = evaluate(vars->value, data_frame);
      } else if (const hcl::Block* vars_block = body.find_block("vars")) {
        // Terraform 0.11 wrote the map as a block: `vars { image = "..." }`.
        variables = evaluate_body(vars_block->body, data_frame, vars_block->span, false);
      }
      // The rendered value is the reference's (where it is used), its decoded JSON the template's.
      result = render_template_file(file, variables, vars ? vars->value : at, at, frame);
    }
  } else {
    result = unknown(at, frame);
  }
  template_files_rendering_.pop_back();
  return result;
}

}  // namespace shiftlint::terraform
