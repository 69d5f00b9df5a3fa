#include "analyzer/model/helm/value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace shiftlint::helm {

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
    case ValueKind::Integer: return "int";
    case ValueKind::Float: return "float64";
    case ValueKind::String: return "string";
    case ValueKind::List: return "[]interface {}";
    case ValueKind::Map: return value.is_struct ? value.struct_type : "map[string]interface {}";
    case ValueKind::Object: return std::string(value.object->type_name());
  }
  return "";
}

std::string kind_name(const Value& value) {
  switch (value.kind) {
    case ValueKind::Nil: return "invalid";
    case ValueKind::Boolean: return "bool";
    case ValueKind::Integer: return "int";
    case ValueKind::Float: return "float64";
    case ValueKind::String: return "string";
    case ValueKind::List: return "slice";
    case ValueKind::Map: return value.is_struct ? "ptr" : "map";
    case ValueKind::Object: return "ptr";
  }
  return "";
}

Value deep_copy(const Value& value) {
  Value copy = value;
  if (value.kind == ValueKind::List && value.list) {
    copy.list = std::make_shared<ValueList>();
    copy.list->reserve(value.list->size());
    for (const Value& item : *value.list) copy.list->push_back(deep_copy(item));
  } else if (value.kind == ValueKind::Map && value.map) {
    copy.map = std::make_shared<ValueMap>();
    for (const auto& [key, item] : *value.map) copy.map->emplace(key, deep_copy(item));
  }
  return copy;
}

Value value_from_node(const Node& node) {
  Value value;
  switch (node.kind) {
    case NodeKind::Null: break;
    case NodeKind::Boolean: value = Value::from_bool(node.boolean); break;
    case NodeKind::Number: value = Value::from_float(node.number); break;
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
