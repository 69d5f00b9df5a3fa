#pragma once
// A value inside a rendering Helm template: what Go's text/template sees through reflection
// (nil, bool, int64, float64, string, []interface{}, map[string]interface{}) plus Helm's objects
// with methods (.Files, .Capabilities.APIVersions). Maps are shared references, as in Go: Sprig's
// `set` on a dict passed to an `include` changes the caller's dict too.
//
// A value read from values.yaml keeps the located node it came from (`origin`), so a finding on a
// rendered line can name the values.yaml line behind it.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/helm/rendered_text.h"
#include "analyzer/model/located_tree.h"

namespace shiftlint::helm {

struct Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value, std::less<>>;  // Go prints and ranges maps in key order

class Executor;

// A Helm object with fields and methods (Files, Capabilities.APIVersions, semver versions).
class Object {
 public:
  virtual ~Object() = default;
  virtual std::string_view type_name() const = 0;  // as Go names it: "chartutil.Files"
  // A field or a method without arguments; nullopt when there is none.
  virtual std::optional<Value> field(std::string_view name) const;
  // Whether `name` is a method taking arguments (then `call` runs it).
  virtual bool has_method(std::string_view name) const;
  virtual Value call(std::string_view name, const std::vector<Value>& arguments) const;
  // What fmt's %v prints.
  virtual std::string print() const;
  // For objects Go sees as maps (.Files): their entries, for range and len.
  virtual std::optional<ValueMap> entries() const;
};

enum class ValueKind : uint8_t { Nil, Boolean, Integer, Float, String, List, Map, Object };

struct Value {
  ValueKind kind = ValueKind::Nil;
  bool boolean = false;
  // An Integer whose Go type is int64, not int: what --set integers (Helm's strvals), Sprig's
  // integer arithmetic, int64 and toDecimal give. kindOf/typeOf/kindIs tell them apart, as charts do.
  bool go_int64 = false;
  int64_t integer = 0;
  double real = 0;
  std::string text;
  std::shared_ptr<ValueList> list;
  std::shared_ptr<ValueMap> map;
  // An Object's, or for a List whose Go type is a named slice with methods (chartutil.VersionSet),
  // that type's methods and name.
  std::shared_ptr<const Object> object;
  // Nil read from a map (an interface holding nil): a field of it is an error, as in Go. A nil
  // that went through a pipeline is Go's invalid value instead, and a field of it is nil.
  bool nil_interface = false;
  // A struct shown as a map (.Chart, .Release, .Capabilities): a missing field is an error, not nil.
  bool is_struct = false;
  std::string struct_type;  // "*chart.Metadata" for messages
  // The values.yaml node this value was read from (or derived from by a string function).
  const Node* origin = nullptr;
  // A string rendered by `include` (or derived from one by indent, trim...): where each of its
  // bytes came from, so printing it keeps the lines of the define that produced them.
  std::shared_ptr<const RenderedText> rendering;

  Value() = default;
  Value(const Value&) = default;
  Value(Value&&) noexcept = default;
  Value& operator=(const Value&) = default;
  Value& operator=(Value&&) noexcept = default;
  // Releases nested lists and maps without recursion: a template loop can nest a dict 200,000
  // deep (`$d = dict "a" $d`), and tearing that down recursively overflowed the stack.
  ~Value();
  static Value nil() { return {}; }
  static Value from_bool(bool value);
  static Value from_int(int64_t value);    // Go's int
  static Value from_int64(int64_t value);  // Go's int64
  static Value from_float(double value);
  static Value from_string(std::string value, const Node* origin = nullptr);
  static Value from_list(ValueList items);
  static Value new_map();
  static Value from_map(ValueMap entries);
  static Value from_object(std::shared_ptr<const Object> object);

  bool is_nil() const { return kind == ValueKind::Nil; }
  bool is_string() const { return kind == ValueKind::String; }
  bool is_list() const { return kind == ValueKind::List; }
  bool is_map() const { return kind == ValueKind::Map; }
  bool is_number() const { return kind == ValueKind::Integer || kind == ValueKind::Float; }

  // A map entry, nullptr when absent or not a map.
  const Value* find(std::string_view key) const;
};

// How deep functions that walk a value (deepCopy, toYaml, toJson, deepEqual, fromJson, printing)
// follow nested lists and maps: deeper is a FunctionError, not a stack overflow. values.yaml
// nests at most 512 levels (the loaders' limit); only a template loop builds more.
inline constexpr int kMaxValueDepth = 1000;

// Go's notion of truth for if/with/and/or/not: false, 0, "", nil, empty list or map are false.
bool is_true(const Value& value);
// Go's fmt %v (also what an action prints): `map[a:1 b:2]`, `[x y]`, `<nil>`, 1e+06 for a float.
std::string print_value(const Value& value);
// The Go type name for messages and typeOf: "string", "float64", "map[string]interface {}", ...
std::string type_name(const Value& value);
// Sprig's kindOf: "string", "int64", "float64", "bool", "slice", "map", "invalid", "ptr"...
std::string kind_name(const Value& value);
// strconv.FormatFloat(f, 'g', -1, 64): what %v prints for a float64.
std::string format_float_shortest(double value);
// A deep copy: maps and lists get their own storage (Sprig's deepCopy, values merging). Throws a
// FunctionError past kMaxValueDepth.
Value deep_copy(const Value& value);
// Whether `container` (a list or map) is reachable from `value`: storing `value` inside
// `container` would make a cycle (`set $a "b" $b` where $b holds $a), which no walk can end.
bool reaches(const Value& value, const Value& container);

// values.yaml (or any located tree) as template values, each keeping its node as `origin`.
// Numbers become float64 as Helm's YAML reader makes them; plain `yes`/`no`/`on`/`off` are booleans
// (YAML 1.1, as Helm's go-yaml reads them).
Value value_from_node(const Node& node);

}  // namespace shiftlint::helm
