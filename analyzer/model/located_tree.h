#pragma once
// The located tree: one value type for every structured format (JSON, YAML, evaluated HCL, rendered
// Helm). Every node knows its file and its span; a map value also knows the span of its key, so a
// finding can point at `"stopTimeout": 300` (the value) or at the key when that reads better.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/source_file.h"

namespace shiftlint {

enum class NodeKind : uint8_t { Null, Boolean, Number, String, List, Map, Unknown };

struct Node {
  NodeKind kind = NodeKind::Null;
  bool boolean = false;
  double number = 0;
  // String: the decoded value. Number: the literal as written. Unknown: what it stands for
  // (e.g. "!Ref TaskCpu", "var.cpu").
  std::string text;
  // YAML tag as written (e.g. "!Ref", "!!str"), empty when none.
  std::string tag;
  const SourceFile* file = nullptr;
  Span span;
  // For a map value: its key and the key's span. Empty for list items and roots.
  std::string key;
  Span key_span;
  // List items, or map values in source order (each carrying its key).
  std::vector<Node> children;

  bool is_null() const { return kind == NodeKind::Null; }
  bool is_map() const { return kind == NodeKind::Map; }
  bool is_list() const { return kind == NodeKind::List; }
  bool is_string() const { return kind == NodeKind::String; }
  bool is_number() const { return kind == NodeKind::Number; }
  bool is_unknown() const { return kind == NodeKind::Unknown; }
  bool is_scalar() const { return kind != NodeKind::List && kind != NodeKind::Map; }

  // Map lookup by exact key; nullptr when absent or not a map.
  const Node* find(std::string_view name) const;
  // Map lookup ignoring ASCII case: the AWS API spells fields `stopTimeout`, CloudFormation
  // `StopTimeout`, so one model reads both.
  const Node* find_any_case(std::string_view name) const;

  // Typed readings. AWS accepts numbers and booleans as strings in many places ("512", "true"),
  // so these accept both; an unknown or non-matching value gives nullopt.
  std::optional<std::string_view> as_string() const;
  std::optional<int64_t> as_integer() const;
  std::optional<double> as_number() const;
  std::optional<bool> as_boolean() const;

  // The span a finding about this map value's key should use (the key when there is one).
  Span key_or_value_span() const { return key_span.empty() ? span : key_span; }
  // A short rendering for messages: `"nofile"`, `300`, `map`, `!Ref TaskCpu`.
  std::string describe() const;
};

const char* to_string(NodeKind kind);

// The tag of an Unknown Terraform string template whose literal parts are known
// (`"${aws_ecr_repository.app.repository_url}:latest"`): its one String child is the text with each
// unknown part left as `${...}`, as a CloudFormation `!Sub` keeps its template.
inline constexpr std::string_view kTemplateWithUnknownPartsTag = "${}";

}  // namespace shiftlint
