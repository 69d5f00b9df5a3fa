#include "analyzer/model/helm/executor.h"

#include <algorithm>

#include <fmt/format.h>

namespace shiftlint::helm {

using go_template::Argument;
using go_template::ArgumentKind;
using go_template::Command;
using go_template::NodeType;
using go_template::Pipeline;
using go_template::TemplateNode;

void TemplateSet::add(std::string file_name, const SourceFile* file, go_template::ParsedTemplate parsed) {
  parsed_.push_back(std::move(parsed));
  go_template::ParsedTemplate& stored = parsed_.back();
  entries_[std::move(file_name)] = {&stored.body, file};
  for (const go_template::Definition& definition : stored.definitions) entries_[definition.name] = {&definition.body, file};
}

const TemplateSet::Entry* TemplateSet::find(std::string_view name) const {
  auto found = entries_.find(name);
  return found == entries_.end() ? nullptr : &found->second;
}

namespace {

enum class Flow { Normal, Break, Continue };

// Thrown by a field or function failure at the position being executed.
struct ExecutionError {
  std::string message;
};

std::string excerpt_at(const SourceFile* file, uint32_t offset) {
  if (!file) return {};
  std::string_view text = file->text();
  size_t end = offset;
  int depth = 0;
  while (end < text.size()) {
    char c = text[end];
    if (c == '(') ++depth;
    if (c == ')') {
      if (depth == 0) break;
      --depth;
    }
    if (depth == 0 && (c == ' ' || c == '\n' || c == '|' || c == '}')) break;
    ++end;
  }
  return std::string(text.substr(offset, std::min<size_t>(end - offset, 80)));
}

}  // namespace

struct Executor::State {
  struct Variable {
    std::string name;
    Value value;
  };
  std::vector<Variable> variables;
  size_t frame_base = 0;  // variables below belong to the calling template
  RenderedText* out = nullptr;
  const SourceFile* file = nullptr;
  uint32_t position = 0;  // the action or argument being executed, for error messages
  uint32_t depth = 0;
  uint32_t nesting = 0;  // nested lists and parentheses being executed (RenderLimits::max_nesting)
  uint64_t steps = 0;
  // Templates parsed from `tpl` strings, kept alive for the render, with their defines.
  std::deque<std::unique_ptr<SourceFile>> tpl_files;
  std::deque<go_template::ParsedTemplate> tpl_parsed;
  std::map<std::string, TemplateSet::Entry, std::less<>> tpl_definitions;
};

const Node* PlacedValues::values_origin_of(const Node* node) const {
  auto found = values_origin_.find(node);
  return found == values_origin_.end() ? node : found->second;
}

void PlacedValues::keep(std::shared_ptr<const SourceFile> file, std::unique_ptr<Document> document,
                        std::unordered_map<const Node*, const Node*> values_origin) {
  bytes_ += file->text().size();
  values_origin_.merge(values_origin);
  documents_.emplace_back(std::move(file), std::move(document));
}

Executor::Executor(const TemplateSet& templates, RenderLimits limits)
    : state_(std::make_unique<State>()), templates_(templates), limits_(limits) {}
Executor::~Executor() = default;

void Executor::check_size(size_t size) const {
  if (size > limits_.max_output_bytes || size > limits_.max_collection_size * 64)
    throw FunctionError{fmt::format("result too large ({} bytes or items; the limit keeps a template from "
                                    "exhausting memory)", size)};
}

namespace {

// "32 MiB" for the limits users meet; a limit set under a MiB (tests) in bytes.
std::string describe_size(size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  return fmt::format("{} bytes", bytes);
}

class Run {
 public:
  Run(Executor& executor, Executor::State& state, const TemplateSet& templates, const RenderLimits& limits)
      : executor_(executor), state_(state), templates_(templates), limits_(limits) {}

  [[noreturn]] void fail(std::string message) const {
    throw RenderFailure{state_.file, state_.position, std::move(message)};
  }

  void step() {
    if (++state_.steps > limits_.max_steps)
      fail(fmt::format("template execution exceeded {} steps (a loop or recursion that does not end?)",
                       limits_.max_steps));
  }

  const TemplateSet::Entry* find_template(std::string_view name) const {
    auto local = state_.tpl_definitions.find(name);
    if (local != state_.tpl_definitions.end()) return &local->second;
    return templates_.find(name);
  }

  // Executes a named template into the current output with a fresh variable frame.
  void call_template(std::string_view name, const Value& dot) {
    const TemplateSet::Entry* entry = find_template(name);
    if (!entry) fail(fmt::format("template: no template \"{}\" associated with template \"gotpl\"", name));
    if (++state_.depth > limits_.max_include_depth)
      fail(fmt::format("rendering template has a nested reference name: {}: templates nest deeper than {} "
                       "(an include that calls itself?)",
                       name, limits_.max_include_depth));
    const SourceFile* saved_file = state_.file;
    uint32_t saved_position = state_.position;
    size_t saved_base = state_.frame_base;
    size_t saved_size = state_.variables.size();
    state_.file = entry->file;
    state_.frame_base = state_.variables.size();
    state_.variables.push_back({"$", dot});
    execute_list(*entry->body, dot);
    state_.variables.resize(saved_size);
    state_.frame_base = saved_base;
    state_.file = saved_file;
    state_.position = saved_position;
    --state_.depth;
  }

  // Counts one level of recursion for as long as it lives.
  class Nested {
   public:
    explicit Nested(Run& run) : run_(run) {
      if (++run_.state_.nesting > run_.limits_.max_nesting)
        run_.fail(fmt::format("templates nest deeper than {} levels (bodies and parentheses, across include "
                              "and tpl calls)", run_.limits_.max_nesting));
    }
    ~Nested() { --run_.state_.nesting; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Run& run_;
  };

  Flow execute_list(const std::vector<TemplateNode>& list, const Value& dot) {
    Nested nested(*this);
    for (const TemplateNode& node : list) {
      Flow flow = execute(node, dot);
      if (flow != Flow::Normal) return flow;
    }
    return Flow::Normal;
  }

  Flow execute(const TemplateNode& node, const Value& dot) {
    step();
    switch (node.type) {
      case NodeType::Text: {
        std::string_view text = state_.file->text().substr(node.offset, node.end - node.offset);
        state_.out->append_copy(text, state_.file, node.offset);
        check_output();
        return Flow::Normal;
      }
      case NodeType::Action: {
        state_.position = node.offset;
        Value value = evaluate_pipeline(*node.pipeline, dot);
        if (node.pipeline->variables.empty()) print(value, node);
        return Flow::Normal;
      }
      case NodeType::If:
      case NodeType::With: {
        state_.position = node.offset;
        size_t mark = state_.variables.size();
        Value value = evaluate_pipeline(*node.pipeline, dot);
        Flow flow = Flow::Normal;
        if (is_true(value)) flow = execute_list(node.list, node.type == NodeType::With ? value : dot);
        else flow = execute_list(node.else_list, dot);
        state_.variables.resize(mark);
        return flow;
      }
      case NodeType::Range: return execute_range(node, dot);
      case NodeType::Template: {
        state_.position = node.offset;
        Value argument = node.pipeline ? evaluate_pipeline(*node.pipeline, dot) : Value();
        call_template(node.name, argument);
        return Flow::Normal;
      }
      case NodeType::Break: return Flow::Break;
      case NodeType::Continue: return Flow::Continue;
    }
    return Flow::Normal;
  }

  void check_output() const {
    if (state_.out->text.size() > limits_.max_output_bytes)
      fail(fmt::format("rendering stopped: the output passed {} (the output limit)", describe_size(limits_.max_output_bytes)));
  }

  void print(const Value& value, const TemplateNode& node) {
    if (value.kind == ValueKind::String && value.rendering && value.rendering->text.size() == value.text.size()) {
      // Text a function made (toYaml, indentation) has no template position of its own: it is
      // where this action printed it.
      bool complete = std::all_of(value.rendering->segments.begin(), value.rendering->segments.end(),
                                  [](const OutputSegment& segment) { return segment.file != nullptr; });
      if (complete) {
        state_.out->append_printed(*value.rendering, state_.file, node.offset, node.end);
      } else {
        RenderedText placed = *value.rendering;
        for (OutputSegment& segment : placed.segments) {
          if (segment.file) continue;
          segment.file = state_.file;
          segment.file_offset = node.offset;
          segment.file_end = node.end;
          segment.copied = false;
        }
        state_.out->append_printed(placed, state_.file, node.offset, node.end);
      }
    } else {
      std::string text = value.is_nil() ? std::string("<no value>") : print_value(value);
      state_.out->append_inserted(text, state_.file, node.offset, node.end,
                                  executor_.placed_values().values_origin_of(value.origin));
    }
    check_output();
  }

  Flow execute_range(const TemplateNode& node, const Value& dot) {
    state_.position = node.offset;
    const Pipeline& pipeline = *node.pipeline;
    size_t mark = state_.variables.size();
    // The pipeline's value without its declarations: range assigns them per element.
    Value collection = evaluate_commands(pipeline, dot);
    auto iterate = [&](const Value& key, const Value& element) -> Flow {
      step();
      if (pipeline.variables.size() == 1) {
        set_or_push(pipeline.variables[0], element, pipeline.is_assignment, mark);
      } else if (pipeline.variables.size() == 2) {
        set_or_push(pipeline.variables[0], key, pipeline.is_assignment, mark);
        set_or_push(pipeline.variables[1], element, pipeline.is_assignment, mark);
      }
      size_t body_mark = state_.variables.size();
      Flow flow = execute_list(node.list, element);
      state_.variables.resize(body_mark);
      return flow;
    };
    bool any = false;
    switch (collection.kind) {
      case ValueKind::List:
        for (size_t i = 0; i < collection.list->size(); ++i) {
          any = true;
          Value element = (*collection.list)[i];
          if (iterate(Value::from_int(static_cast<int64_t>(i)), element) == Flow::Break) break;
        }
        break;
      case ValueKind::Map:
        if (collection.is_struct) fail(fmt::format("range can't iterate over {}", print_value(collection)));
        {
          // Copy the keys: the body may `set` the map being ranged over.
          std::vector<std::pair<std::string, Value>> entries(collection.map->begin(), collection.map->end());
          for (auto& [key, element] : entries) {
            any = true;
            if (iterate(Value::from_string(key), element) == Flow::Break) break;
          }
        }
        break;
      case ValueKind::Integer:
        if (pipeline.variables.size() > 1)
          fail(fmt::format("can't use {} to iterate over more than one variable", collection.integer));
        for (int64_t i = 0; i < collection.integer; ++i) {
          any = true;
          Value index = Value::from_int(i);
          if (iterate(index, index) == Flow::Break) break;
        }
        break;
      case ValueKind::Nil: break;
      case ValueKind::Object:
        if (std::optional<ValueMap> entries = collection.object->entries()) {
          for (auto& [key, element] : *entries) {
            any = true;
            if (iterate(Value::from_string(key), element) == Flow::Break) break;
          }
          break;
        }
        fail(fmt::format("range can't iterate over {}", print_value(collection)));
      default: fail(fmt::format("range can't iterate over {}", print_value(collection)));
    }
    state_.variables.resize(mark);
    if (!any) {
      Flow flow = execute_list(node.else_list, dot);
      state_.variables.resize(mark);
      return flow;
    }
    return Flow::Normal;
  }

  void set_or_push(const std::string& name, const Value& value, bool assignment, size_t mark) {
    if (assignment) {
      set_variable(name, value);
      return;
    }
    for (size_t i = mark; i < state_.variables.size(); ++i)
      if (state_.variables[i].name == name) {
        state_.variables[i].value = value;
        return;
      }
    state_.variables.push_back({name, value});
  }

  Value* find_variable(std::string_view name) {
    for (size_t i = state_.variables.size(); i-- > state_.frame_base;)
      if (state_.variables[i].name == name) return &state_.variables[i].value;
    return nullptr;
  }

  void set_variable(const std::string& name, const Value& value) {
    Value* variable = find_variable(name);
    if (!variable) fail(fmt::format("undefined variable: {}", name));
    *variable = value;
  }

  Value evaluate_commands(const Pipeline& pipeline, const Value& dot) {
    Value value;
    bool has_final = false;
    for (const Command& command : pipeline.commands) {
      value = evaluate_command(command, dot, has_final ? &value : nullptr);
      value.nil_interface = false;  // Go digs into interface{} results: a nil becomes invalid
      has_final = true;
    }
    return value;
  }

  Value evaluate_pipeline(const Pipeline& pipeline, const Value& dot) {
    Value value = evaluate_commands(pipeline, dot);
    for (const std::string& name : pipeline.variables) {
      if (pipeline.is_assignment) set_variable(name, value);
      else state_.variables.push_back({name, value});
    }
    return value;
  }

  Value evaluate_command(const Command& command, const Value& dot, const Value* final) {
    step();
    const Argument& first = command.arguments.front();
    state_.position = first.offset;
    switch (first.kind) {
      case ArgumentKind::Field: return field_chain(dot, first.fields, &command, final, dot);
      case ArgumentKind::Variable: {
        Value* variable = find_variable(first.text);
        if (!variable) fail(fmt::format("undefined variable: {}", first.text));
        if (first.fields.empty()) {
          if (command.arguments.size() > 1 || final) fail(fmt::format("can't give argument to non-function {}", first.text));
          return *variable;
        }
        return field_chain(*variable, first.fields, &command, final, dot);
      }
      case ArgumentKind::Pipeline: {
        Value value = evaluate_parenthesised(first, dot);
        if (first.fields.empty()) {
          if (command.arguments.size() > 1 || final) fail("can't give argument to non-function");
          return value;
        }
        return field_chain(value, first.fields, &command, final, dot);
      }
      case ArgumentKind::Identifier: return call_function(first, command, dot, final);
      case ArgumentKind::Nil: fail("nil is not a command");
      default:
        if (command.arguments.size() > 1 || final)
          fail(fmt::format("can't give argument to non-function {}", excerpt_at(state_.file, first.offset)));
        return literal(first, dot);
    }
  }

  Value literal(const Argument& argument, const Value& dot) {
    switch (argument.kind) {
      case ArgumentKind::Dot: return dot;
      case ArgumentKind::Boolean: return Value::from_bool(argument.boolean);
      case ArgumentKind::Number:
        return argument.is_integer ? Value::from_int(argument.integer) : Value::from_float(argument.real);
      case ArgumentKind::String: return Value::from_string(argument.text);
      default: return {};
    }
  }

  Value evaluate_parenthesised(const Argument& argument, const Value& dot) {
    Nested nested(*this);
    size_t mark = state_.variables.size();
    Value value = evaluate_pipeline(*argument.pipeline, dot);
    // Go keeps variables declared inside parentheses for the rest of the action; so do we.
    (void)mark;
    return value;
  }

  // An argument's value (not the first word of a command).
  Value evaluate_argument(const Argument& argument, const Value& dot) {
    state_.position = argument.offset;
    switch (argument.kind) {
      case ArgumentKind::Field: return field_chain(dot, argument.fields, nullptr, nullptr, dot);
      case ArgumentKind::Variable: {
        Value* variable = find_variable(argument.text);
        if (!variable) fail(fmt::format("undefined variable: {}", argument.text));
        return argument.fields.empty() ? *variable : field_chain(*variable, argument.fields, nullptr, nullptr, dot);
      }
      case ArgumentKind::Pipeline: {
        Value value = evaluate_parenthesised(argument, dot);
        return argument.fields.empty() ? value : field_chain(value, argument.fields, nullptr, nullptr, dot);
      }
      case ArgumentKind::Identifier: {
        Command niladic;
        niladic.offset = argument.offset;
        niladic.arguments.push_back(argument);
        return call_function(argument, niladic, dot, nullptr);
      }
      case ArgumentKind::Nil: return {};
      default: return literal(argument, dot);
    }
  }

  // .a.b.c on `receiver`; the last field may be a method taking the command's other arguments.
  Value field_chain(const Value& receiver, const std::vector<std::string>& fields, const Command* command,
                    const Value* final, const Value& dot) {
    Value current = receiver;
    for (size_t i = 0; i < fields.size(); ++i) {
      bool last = i + 1 == fields.size();
      current = field(current, fields[i], last ? command : nullptr, last ? final : nullptr, dot);
    }
    return current;
  }

  // A method of the receiver's object (.Files.Get "a", .Capabilities.APIVersions.Has "v1") called
  // with the command's other arguments and the pipeline's value.
  Value call_method(const Value& receiver, const std::string& name, const Command* command, const Value* final,
                    const Value& dot) {
    std::vector<Value> arguments;
    if (command)
      for (size_t i = 1; i < command->arguments.size(); ++i) arguments.push_back(evaluate_argument(command->arguments[i], dot));
    if (final) arguments.push_back(*final);
    try {
      return receiver.object->call(name, arguments);
    } catch (const FunctionError& error) {
      fail(fmt::format("error calling {}: {}", name, error.message));
    }
  }

  Value field(const Value& receiver, const std::string& name, const Command* command, const Value* final,
              const Value& dot) {
    bool has_arguments = (command && command->arguments.size() > 1) || final;
    switch (receiver.kind) {
      case ValueKind::Nil:
        if (receiver.nil_interface) fail(fmt::format("nil pointer evaluating interface {{}}.{}", name));
        return {};  // a field of Go's invalid value is the zero value
      case ValueKind::List:
        if (receiver.object && receiver.object->has_method(name)) return call_method(receiver, name, command, final, dot);
        fail(fmt::format("can't evaluate field {} in type {}", name, type_name(receiver)));
      case ValueKind::Object: {
        if (receiver.object->has_method(name)) return call_method(receiver, name, command, final, dot);
        std::optional<Value> value = receiver.object->field(name);
        if (!value) fail(fmt::format("can't evaluate field {} in type {}", name, receiver.object->type_name()));
        if (has_arguments) fail(fmt::format("{} has arguments but cannot be invoked as function", name));
        return *value;
      }
      case ValueKind::Map: {
        if (has_arguments) fail(fmt::format("{} is not a method but has arguments", name));
        if (const Value* value = receiver.find(name)) {
          if (!value->is_nil()) return *value;
          Value nil = *value;
          nil.nil_interface = true;
          return nil;
        }
        if (receiver.is_struct) fail(fmt::format("can't evaluate field {} in type {}", name, receiver.struct_type));
        Value missing;  // missingkey=zero: the zero value of interface{}, printed as nothing
        missing.nil_interface = true;
        return missing;
      }
      default: fail(fmt::format("can't evaluate field {} in type {}", name, type_name(receiver)));
    }
  }

  Value call_function(const Argument& name_argument, const Command& command, const Value& dot, const Value* final) {
    const std::string& name = name_argument.text;
    uint32_t call_offset = name_argument.offset;
    // and/or evaluate their arguments only as far as needed (Go 1.18+).
    if (name == "and" || name == "or") {
      size_t count = command.arguments.size() - 1 + (final ? 1 : 0);
      if (count == 0) fail(fmt::format("wrong number of args for {}: want at least 1 got 0", name));
      Value value;
      for (size_t i = 1; i <= count; ++i) {
        value = i < command.arguments.size() ? evaluate_argument(command.arguments[i], dot) : *final;
        if (is_true(value) != (name == "and")) return value;
      }
      return value;
    }
    Function function = find_function(name);
    if (!function) {
      state_.position = call_offset;
      fail(fmt::format("function \"{}\" not defined", name));
    }
    std::vector<Value> arguments;
    arguments.reserve(command.arguments.size());
    for (size_t i = 1; i < command.arguments.size(); ++i) arguments.push_back(evaluate_argument(command.arguments[i], dot));
    if (final) arguments.push_back(*final);
    step();
    const SourceFile* file = state_.file;
    state_.position = call_offset;
    Value result;
    try {
      FunctionCall call{executor_, name, arguments};
      result = function(call);
    } catch (const FunctionError& error) {
      state_.file = file;
      state_.position = call_offset;
      fail(fmt::format("error calling {}: {}", name, error.message));
    }
    // A string that doubles in a loop (`$s = print $s $s`) grows past any memory in a few dozen
    // steps: each function's string is held to the output limit, so the largest one built is about
    // twice the limit before the template stops.
    if (result.kind == ValueKind::String && result.text.size() > limits_.max_output_bytes) {
      state_.file = file;
      state_.position = call_offset;
      fail(fmt::format("rendering stopped: the string {} built passed {} (the output limit)", name,
                       describe_size(limits_.max_output_bytes)));
    }
    return result;
  }

  Executor& executor_;
  Executor::State& state_;
  const TemplateSet& templates_;
  const RenderLimits& limits_;
};

}  // namespace

RenderedText Executor::render(std::string_view name, const Value& dot) {
  RenderedText output;
  state_->variables.clear();
  state_->frame_base = 0;
  state_->steps = 0;
  state_->depth = 0;
  state_->nesting = 0;
  state_->out = &output;
  state_->file = nullptr;
  Run run(*this, *state_, templates_, limits_);
  run.call_template(name, dot);
  state_->out = nullptr;
  return output;
}

Value Executor::include(std::string_view name, const Value& dot) {
  auto output = std::make_shared<RenderedText>();
  RenderedText* saved = state_->out;
  state_->out = output.get();
  Run run(*this, *state_, templates_, limits_);
  try {
    run.call_template(name, dot);
  } catch (...) {
    state_->out = saved;
    throw;
  }
  state_->out = saved;
  Value result = Value::from_string(output->text);
  result.rendering = std::move(output);
  return result;
}

namespace {

// The earliest call of an unknown function under `nodes` (and/or are the executor's own).
void find_undefined(const go_template::Pipeline* pipeline, const go_template::Argument** first);

void find_undefined(const std::vector<go_template::TemplateNode>& nodes, const go_template::Argument** first) {
  for (const go_template::TemplateNode& node : nodes) {
    find_undefined(node.pipeline.get(), first);
    find_undefined(node.list, first);
    find_undefined(node.else_list, first);
  }
}

void find_undefined(const go_template::Pipeline* pipeline, const go_template::Argument** first) {
  if (!pipeline) return;
  for (const go_template::Command& command : pipeline->commands) {
    for (const go_template::Argument& argument : command.arguments) {
      if (argument.kind == go_template::ArgumentKind::Pipeline) find_undefined(argument.pipeline.get(), first);
      if (argument.kind != go_template::ArgumentKind::Identifier || argument.text == "and" || argument.text == "or") continue;
      if (!find_function(argument.text) && (!*first || argument.offset < (*first)->offset)) *first = &argument;
    }
  }
}

}  // namespace

void reject_undefined_functions(go_template::ParsedTemplate& parsed) {
  if (!parsed.ok()) return;
  const go_template::Argument* first = nullptr;
  find_undefined(parsed.body, &first);
  for (const go_template::Definition& definition : parsed.definitions) find_undefined(definition.body, &first);
  if (first) parsed.errors.push_back({first->offset, fmt::format("function \"{}\" not defined", first->text)});
}

namespace {

// A tpl call's output mapped back through the rendering of its template text (`tpl (toYaml
// .Values.env) $`): text the call copied keeps where toYaml or include got it (a values.yaml line, a
// define's line), and what an action inside it printed is placed where that action's text came
// from. The tpl string's own offsets mean nothing to a user.
RenderedText through_rendering(const RenderedText& output, const SourceFile* source, const RenderedText& rendering) {
  RenderedText result;
  result.text.reserve(output.text.size());
  size_t covered = 0;
  for (const OutputSegment& segment : output.segments) {
    if (segment.output_offset > covered)
      result.append_inserted(std::string_view(output.text).substr(covered, segment.output_offset - covered), nullptr, 0,
                             0, nullptr);
    std::string_view piece = std::string_view(output.text).substr(segment.output_offset, segment.length);
    covered = segment.output_offset + segment.length;
    if (segment.file != source) {
      OutputSegment kept = segment;  // an include's or a values string's: already placed
      kept.output_offset = static_cast<uint32_t>(result.text.size());
      result.segments.push_back(kept);
      result.text.append(piece);
    } else if (segment.copied) {
      result.append(rendering.slice(segment.file_offset, segment.file_offset + segment.length));
    } else {
      RenderedText::Place place = rendering.place_of(segment.file_offset);
      result.append_inserted(piece, place.file, static_cast<uint32_t>(place.file_offset),
                             static_cast<uint32_t>(place.file_offset), segment.origin ? segment.origin : place.origin);
    }
  }
  if (covered < output.text.size())
    result.append_inserted(std::string_view(output.text).substr(covered), nullptr, 0, 0, nullptr);
  return result;
}

}  // namespace

Value Executor::tpl(const Value& text, const Value& dot) {
  if (!text.is_string()) throw FunctionError{fmt::format("expected string; found {}", type_name(text))};
  auto file = std::make_unique<SourceFile>("tpl", "tpl", text.text);
  go_template::ParsedTemplate parsed = go_template::parse_template(file->text());
  reject_undefined_functions(parsed);
  if (!parsed.ok())
    throw FunctionError{fmt::format("cannot parse template: {} (in \"{}\")", parsed.errors.front().message,
                                    text.text.substr(0, 80))};
  state_->tpl_parsed.push_back(std::move(parsed));
  go_template::ParsedTemplate& stored = state_->tpl_parsed.back();
  const SourceFile* source = file.get();
  state_->tpl_files.push_back(std::move(file));
  for (const go_template::Definition& definition : stored.definitions)
    state_->tpl_definitions[definition.name] = {&definition.body, source};
  std::string key = fmt::format("tpl#{}", state_->tpl_parsed.size());
  state_->tpl_definitions[key] = {&stored.body, source};

  auto output = std::make_shared<RenderedText>();
  RenderedText* saved = state_->out;
  const SourceFile* saved_file = state_->file;
  uint32_t saved_position = state_->position;
  state_->out = output.get();
  Run run(*this, *state_, templates_, limits_);
  try {
    run.call_template(key, dot);
  } catch (RenderFailure& failure) {
    state_->out = saved;
    // A position inside the tpl string means nothing to the user: report the tpl call instead.
    if (failure.file == source) throw FunctionError{failure.message};
    throw;
  }
  state_->out = saved;
  state_->file = saved_file;
  state_->position = saved_position;
  Value result = Value::from_string(output->text, text.origin);
  if (text.rendering && text.rendering->text == text.text)
    result.rendering = std::make_shared<const RenderedText>(through_rendering(*output, source, *text.rendering));
  return result;
}

RenderedText remove_no_value(const RenderedText& text) {
  constexpr std::string_view kNoValue = "<no value>";
  if (text.text.find(kNoValue) == std::string::npos) return text;
  RenderedText result;
  size_t start = 0;
  while (true) {
    size_t found = text.text.find(kNoValue, start);
    if (found == std::string::npos) break;
    result.append(text.slice(start, found));
    start = found + kNoValue.size();
  }
  result.append(text.slice(start, text.text.size()));
  return result;
}

}  // namespace shiftlint::helm
