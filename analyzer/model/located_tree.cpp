#include "analyzer/model/located_tree.h"

#include "analyzer/source/ascii_case.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace shiftlint {

namespace {
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}
}  // namespace

const Node* Node::find(std::string_view name) const {
  if (kind != NodeKind::Map) return nullptr;
  // The last occurrence wins, as in most JSON and YAML readers; duplicates are reported at load.
  for (auto it = children.rbegin(); it != children.rend(); ++it)
    if (it->key == name) return &*it;
  return nullptr;
}

const Node* Node::find_any_case(std::string_view name) const {
  if (kind != NodeKind::Map) return nullptr;
  for (auto it = children.rbegin(); it != children.rend(); ++it)
    if (equal_ignoring_case(it->key, name)) return &*it;
  return nullptr;
}

std::optional<std::string_view> Node::as_string() const {
  if (kind == NodeKind::String || kind == NodeKind::Number) return std::string_view(text);
  return std::nullopt;
}

std::optional<double> Node::as_number() const {
  if (kind == NodeKind::Number) return number;
  if (kind != NodeKind::String) return std::nullopt;
  std::string_view value = trim(text);
  if (value.empty()) return std::nullopt;
  double result = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return result;
}

std::optional<int64_t> Node::as_integer() const {
  auto value = as_number();
  if (!value || !std::isfinite(*value) || std::floor(*value) != *value) return std::nullopt;
  if (*value > 9.2e18 || *value < -9.2e18) return std::nullopt;
  return static_cast<int64_t>(*value);
}

std::optional<bool> Node::as_boolean() const {
  if (kind == NodeKind::Boolean) return boolean;
  if (kind == NodeKind::String) {
    if (equal_ignoring_case(text, "true")) return true;
    if (equal_ignoring_case(text, "false")) return false;
  }
  return std::nullopt;
}

std::string Node::describe() const {
  switch (kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Boolean: return boolean ? "true" : "false";
    case NodeKind::Number: return text;
    case NodeKind::String: {
      std::string shown = text.size() > 60 ? text.substr(0, 57) + "..." : text;
      return "\"" + shown + "\"";
    }
    case NodeKind::List: return "a list";
    case NodeKind::Map: return "a map";
    case NodeKind::Unknown: return text.empty() ? "an unknown value" : text;
  }
  return "";
}

const char* to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Boolean: return "boolean";
    case NodeKind::Number: return "number";
    case NodeKind::String: return "string";
    case NodeKind::List: return "list";
    case NodeKind::Map: return "map";
    case NodeKind::Unknown: return "unknown";
  }
  return "";
}

}  // namespace shiftlint
