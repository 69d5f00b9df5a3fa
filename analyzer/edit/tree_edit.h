#pragma once
// Text edits that change a JSON, YAML or HCL document through its located tree, written once for
// every rule that declares a fix: insert a member into a map, append an item to a list, replace a
// scalar. Each edit touches only the text it adds or replaces, so formatting and comments around it
// stay as they were, and what it adds follows the document's own style: its indentation (read from
// the neighbouring members), its line breaks (CRLF or LF), block or flow layout, quoted or bare keys,
// `=` or `:` in HCL objects.
//
// Every function returns nullopt when it cannot be sure the edit is right: a node whose text is not
// a literal of its own (a Terraform `merge(...)` or `for` expression, a value from a template, a YAML
// merge key or alias pulling members from elsewhere), members out of order, an unrecognised layout,
// or a Terraform input (a `variable` default, a .tfvars file: other callers and environments set
// it differently, so the module's own code is not the place to change). A rule then offers no fix.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/model/located_tree.h"

namespace shiftlint::edit {

// A value to write, rendered in the syntax of the document it goes into.
struct ValueMember;

struct Value {
  enum class Kind { Number, String, Boolean, List, Map };
  Kind kind = Kind::String;
  std::string text;  // the number as written, the string, "true"/"false"
  // Map, in order. A struct rather than std::pair: a pair of the type being defined is rejected
  // by clang with libstdc++ (pair's conditionally explicit constructors need Value complete).
  std::vector<ValueMember> members;
  std::vector<Value> items;  // List

  static Value number(int64_t value);
  static Value string(std::string value);
  static Value boolean(bool value);
  static Value list(std::vector<Value> items);
  static Value map(std::vector<ValueMember> members);
};

struct ValueMember {
  std::string key;
  Value value;
};

// The document syntaxes the edits know. `Yaml` covers block and flow style.
enum class DocumentSyntax { Json, Yaml, Hcl };

// The syntax of the file a node was read from: HCL for .tf/.tfvars, JSON or YAML by its kind;
// nullopt for anything else (a node without a file, a Dockerfile).
std::optional<DocumentSyntax> syntax_of_node(const Node& node);

// `key: value` as a new last member of `map` (on its own line after the last member, at its
// indentation, or inline when the map is written on one line).
std::optional<TextEdit> insert_member(const Node& map, std::string_view key, const Value& value);

// `value` as a new last item of `list`.
std::optional<TextEdit> append_item(const Node& list, const Value& value);

// Replaces a scalar literal (a number, string or boolean as written) with `value`, keeping its
// quoting when it is a quoted number or boolean (`"30"` becomes `"95"`).
std::optional<TextEdit> replace_scalar(const Node& scalar, const Value& value);

// Whether `node` is written inside `owner`'s own text (same file, inside its span): not a value
// referenced from elsewhere (`ulimits = local.default_ulimits`), which other places may share.
bool written_within(const Node& node, const Node& owner);

// A rendering of `value` on one line in `syntax` (for fix descriptions and messages).
std::string render_inline(const Value& value, DocumentSyntax syntax);

}  // namespace shiftlint::edit
