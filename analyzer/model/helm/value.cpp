#include "analyzer/model/helm/value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "analyzer/model/helm/executor.h"

namespace shiftlint::helm {

namespace {

// The last owner of a list or map hands its elements to this list instead of destroying them in
// place; the outermost destructor drains it. Each level then costs a loop turn, not a stack frame.
thread_local std::vector<Value>* pending_release = nullptr;

bool sole_owner_of_elements(const Value& value) {
  return (value.list && value.list.use_count() == 1 && !value.list->empty()) ||
         (value.map && value.map.use_count() == 1 && !value.map->empty());
}

void hand_over_elements(Value& value, std::vector<Value>& to) {
  if (value.list && value.list.use_count() == 1) {
    for (Value& item : *value.list) to.push_back(std::move(item));
    value.list->clear();
  }
  if (value.map && value.map.use_count() == 1) {
    for (auto& entry : *value.map) to.push_back(std::move(entry.second));
    value.map->clear();
  }
}

}  // namespace

Value::~Value() {
  if (!sole_owner_of_elements(*this)) return;
  if (pending_release) {
    hand_over_elements(*this, *pending_release);
    return;
  }
  std::vector<Value> pending;
  pending_release = &pending;
  hand_over_elements(*this, pending);
  while (!pending.empty()) {
    Value next = std::move(pending.back());
    pending.pop_back();
    // `next` is destroyed here and adds its own elements to `pending`.
  }
  pending_release = nullptr;
}

std::optional<Value> Object::field(std::string_view) const { return std::nullopt; }
bool Object::has_method(std::string_view) const { return false; }
Value Object::call(std::string_view, const std::vector<Value>&) const { return {}; }
std::string Object::print() const { return "{}"; }
std::optional<ValueMap> Object::entries() const { return std::nullopt; }

Value Value::from_bool(bool value) {
  Value result;
  result.kind = ValueKind::Boolean;
  result.boolean = value;
  return result;
}

Value Value::from_int(int64_t value) {
  Value result;
  result.kind = ValueKind::Integer;
  result.integer = value;
  return result;
}

Value Value::from_int64(int64_t value) {
  Value result = from_int(value);
  result.go_int64 = true;
  return result;
}

Value Value::from_float(double value) {
  Value result;
  result.kind = ValueKind::Float;
  result.real = value;
  return result;
}

Value Value::from_string(std::string value, const Node* origin) {
  Value result;
  result.kind = ValueKind::String;
  result.text = std::move(value);
  result.origin = origin;
  return result;
}

Value Value::from_list(ValueList items) {
  Value result;
  result.kind = ValueKind::List;
  result.list = std::make_shared<ValueList>(std::move(items));
  return result;
}

Value Value::new_map() {
  Value result;
  result.kind = ValueKind::Map;
  result.map = std::make_shared<ValueMap>();
  return result;
}

Value Value::from_map(ValueMap entries) {
  Value result;
  result.kind = ValueKind::Map;
  result.map = std::make_shared<ValueMap>(std::move(entries));
  return result;
}

Value Value::from_object(std::shared_ptr<const Object> object) {
  Value result;
  result.kind = ValueKind::Object;
  result.object = std::move(object);
  return result;
}

const Value* Value::find(std::string_view key) const {
  if (kind != ValueKind::Map || !map) return nullptr;
  auto found = map->find(key);
  return found == map->end() ? nullptr : &found->second;
}

bool is_true(const Value& value) {
  switch (value.kind) {
    case ValueKind::Nil: return false;
    case ValueKind::Boolean: return value.boolean;
    case ValueKind::Integer: return value.integer != 0;
    case ValueKind::Float: return value.real != 0;
    case ValueKind::String: return !value.text.empty();
    case ValueKind::List: return value.list && !value.list->empty();
    case ValueKind::Map: return value.is_struct || (value.map && !value.map->empty());
    case ValueKind::Object: {
      std::optional<ValueMap> entries = value.object->entries();  // .Files is a map to Go
      return !entries || !entries->empty();
    }
  }
  return false;
}

std::string format_float_shortest(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  // Shortest round-trip digits and the decimal exponent, then Go's %g layout: exponent form when
  // the exponent is below -4 or at least 6 (the precision Go uses for the shortest form).
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view scientific(buffer, end - buffer);
  bool negative = scientific.front() == '-';
  if (negative) scientific.remove_prefix(1);
  size_t e = scientific.find('e');
  std::string digits;
  for (char c : scientific.substr(0, e))
    if (c != '.') digits += c;
  int exponent = std::atoi(std::string(scientific.substr(e + 1)).c_str());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += exponent < 0 ? "e-" : "e+";
    int magnitude = std::abs(exponent);
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
    return out;
  }
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out += digits;
    out.append(point - digits.size(), '0');
  } else {
    out += digits.substr(0, point);
    out += '.';
    out += digits.substr(point);
  }
  return out;
}

namespace {

void print_into(const Value& value, std::string& out, int depth) {
  // Past the output limit the action fails anyway (check_output): stop walking, as a value whose
  // sub-values are shared level after level prints exponentially long.
  if (out.size() > (32u << 20)) return;
  if (depth > 100) {
    out += "...";
    return;
  }
  switch (value.kind) {
    case ValueKind::Nil: out += "<nil>"; return;
    case ValueKind::Boolean: out += value.boolean ? "true" : "false"; return;
    case ValueKind::Integer: out += std::to_string(value.integer); return;
    case ValueKind::Float: out += format_float_shortest(value.real); return;
    case ValueKind::String: out += value.text; return;
    case ValueKind::List: {
      out += '[';
      bool first = true;
      for (const Value& item : *value.list) {
        if (!first) out += ' ';
        first = false;
        print_into(item, out, depth + 1);
      }
      out += ']';
      return;
    }
    case ValueKind::Map: {
      out += value.is_struct ? "{" : "map[";
      bool first = true;
      for (const auto& [key, item] : *value.map) {
        if (!first) out += ' ';
        first = false;
        if (!value.is_struct) {
          out += key;
          out += ':';
        }
        print_into(item, out, depth + 1);
      }
      out += value.is_struct ? "}" : "]";
      return;
    }
    case ValueKind::Object: out += value.object->print(); return;
  }
}

// YAML 1.1 booleans that YAML 1.2 reads as strings: Helm's values reader (go-yaml v2) takes them
// as booleans.
std::optional<bool> yaml11_boolean(std::string_view text) {
  static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
  for (std::string_view word : kTrue)
    if (text == word) return true;
  for (std::string_view word : kFalse)
    if (text == word) return false;
  return std::nullopt;
}

bool written_plain(const Node& node) {
  if (!node.tag.empty() || !node.file || node.span.empty()) return false;
  size_t offset = node.file->offset_of(node.span.begin);
  std::string_view text = node.file->text();
  if (offset >= text.size()) return false;
  char first = text[offset];
  return first != '"' && first != '\'' && first != '|' && first != '>';
}

// A YAML 1.1 octal integer (`0644`, `-017`) as written: Helm's values reader takes it as octal
// (`defaultMode: 0644` is 420), where YAML 1.2 reads the decimal 644.
std::optional<double> yaml11_octal(const Node& node) {
  if (!written_plain(node)) return std::nullopt;
  size_t begin = node.file->offset_of(node.span.begin);
  size_t end = node.file->offset_of(node.span.end);
  std::string_view text = node.file->text().substr(begin, end > begin ? end - begin : 0);
  bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  if (text.size() < 2 || text.front() != '0' || text.size() > 22) return std::nullopt;
  double value = 0;
  for (char digit : text.substr(1)) {
    if (digit < '0' || digit > '7') return std::nullopt;
    value = value * 8 + (digit - '0');
  }
  return negative ? -value : value;
}

}  // namespace

std::string print_value(const Value& value) {
  std::string out;
  print_into(value, out, 0);
  return out;
}

std::string type_name(const Value& value) {
  switch (value.kind) {
    case ValueKind::Nil: return "<nil>";
    case ValueKind::Boolean: return "bool";
    case ValueKind::Integer: return value.go_int64 ? "int64" : "int";
    case ValueKind::Float: return "float64";
    case ValueKind::String: return "string";
    case ValueKind::List: return value.object ? std::string(value.object->type_name()) : "[]interface {}";
    case ValueKind::Map: return value.is_struct ? value.struct_type : "map[string]interface {}";
    case ValueKind::Object: return std::string(value.object->type_name());
  }
  return "";
}

std::string kind_name(const Value& value) {
  switch (value.kind) {
    case ValueKind::Nil: return "invalid";
    case ValueKind::Boolean: return "bool";
    case ValueKind::Integer: return value.go_int64 ? "int64" : "int";
    case ValueKind::Float: return "float64";
    case ValueKind::String: return "string";
    case ValueKind::List: return "slice";
    case ValueKind::Map: return value.is_struct ? "ptr" : "map";
    case ValueKind::Object: return "ptr";
  }
  return "";
}

namespace {

Value deep_copy_at(const Value& value, int depth) {
  if (depth > kMaxValueDepth)
    throw FunctionError{fmt::format("the value nests deeper than {} levels", kMaxValueDepth)};
  Value copy = value;
  if (value.kind == ValueKind::List && value.list) {
    copy.list = std::make_shared<ValueList>();
    copy.list->reserve(value.list->size());
    for (const Value& item : *value.list) copy.list->push_back(deep_copy_at(item, depth + 1));
  } else if (value.kind == ValueKind::Map && value.map) {
    copy.map = std::make_shared<ValueMap>();
    for (const auto& [key, item] : *value.map) copy.map->emplace(key, deep_copy_at(item, depth + 1));
  }
  return copy;
}

}  // namespace

Value deep_copy(const Value& value) { return deep_copy_at(value, 0); }

bool reaches(const Value& value, const Value& container) {
  const void* target = container.kind == ValueKind::Map ? static_cast<const void*>(container.map.get())
                       : container.kind == ValueKind::List ? static_cast<const void*>(container.list.get())
                                                           : nullptr;
  if (!target) return false;
  // Iterative, each list or map visited once: shared sub-values (a dict put into itself under two
  // keys, level after level) would make a naive walk exponential.
  std::set<const void*> visited;
  std::vector<const Value*> stack{&value};
  while (!stack.empty()) {
    const Value* current = stack.back();
    stack.pop_back();
    if (current->kind == ValueKind::List && current->list) {
      if (current->list.get() == target) return true;
      if (!visited.insert(current->list.get()).second) continue;
      for (const Value& item : *current->list) stack.push_back(&item);
    } else if (current->kind == ValueKind::Map && current->map) {
      if (current->map.get() == target) return true;
      if (!visited.insert(current->map.get()).second) continue;
      for (const auto& entry : *current->map) stack.push_back(&entry.second);
    }
  }
  return false;
}

Value value_from_node(const Node& node) {
  Value value;
  switch (node.kind) {
    case NodeKind::Null: break;
    case NodeKind::Boolean: value = Value::from_bool(node.boolean); break;
    case NodeKind::Number: value = Value::from_float(yaml11_octal(node).value_or(node.number)); break;
    case NodeKind::String:
    case NodeKind::Unknown:
      if (node.kind == NodeKind::String && written_plain(node)) {
        if (auto flag = yaml11_boolean(node.text)) {
          value = Value::from_bool(*flag);
          break;
        }
      }
      value = Value::from_string(node.kind == NodeKind::Unknown && !node.children.empty() ? node.children[0].text
                                                                                            : node.text);
      break;
    case NodeKind::List: {
      ValueList items;
      items.reserve(node.children.size());
      for (const Node& child : node.children) items.push_back(value_from_node(child));
      value = Value::from_list(std::move(items));
      break;
    }
    case NodeKind::Map: {
      value = Value::new_map();
      for (const Node& child : node.children) (*value.map)[child.key] = value_from_node(child);
      break;
    }
  }
  value.origin = &node;
  return value;
}

}  // namespace shiftlint::helm
