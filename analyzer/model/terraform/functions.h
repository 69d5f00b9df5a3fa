#pragma once
// Terraform's built-in functions that depend on their arguments only (merge, format, jsonencode,
// lookup...). Functions that read files or evaluate lazily (file, templatefile, try, can) live in
// the evaluator. A result that comes from an argument keeps that argument's node, spans included
// (lookup() returns the map's own value, merge() keeps each member's key and value spans); new
// values get the call's span.
//
// Unknown arguments give unknown results, except where the result does not depend on them
// (length of a list with unknown items, lookup of a known key, coalesce with a known first value).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/located_tree.h"

namespace shiftlint::terraform {

// Where a call is written: new nodes get this file and span, unknown results say `text`.
struct CallSite {
  const SourceFile* file = nullptr;
  Span span;
  std::string_view text;  // the call as written
};

struct FunctionResult {
  Node value;
  std::string error;  // non-empty: the call fails (wrong argument type, index out of range...)
};

// nullopt when `name` is not one of these functions.
std::optional<FunctionResult> call_function(std::string_view name, std::vector<Node>& arguments, const CallSite& site);

// Functions whose values shiftlint does not compute on purpose (time, randomness, hashes, CIDR
// arithmetic): no rule depends on them, so they are unknown without a render-incomplete finding.
bool is_uncomputed_function(std::string_view name);

// How Terraform writes a number in a string: `300`, `0.5`.
std::string format_number(double number);

// A value as template or string-function text: strings as they are, numbers and booleans written
// out. nullopt for null, collections and unknown values.
std::optional<std::string> string_of(const Node& value);

// Bounds that keep a hostile configuration from exhausting memory through a function.
constexpr size_t kMaxStringBytes = 4u << 20;
constexpr size_t kMaxCollectionItems = 100'000;

}  // namespace shiftlint::terraform
