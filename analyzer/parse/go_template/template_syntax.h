#pragma once
// The syntax tree of a Go text/template (the language of Helm templates), with the file offset of
// every action, so the renderer can say which template line produced each output line and where a
// failure happened.
//
// The shapes follow Go's text/template/parse package: a template is a list of nodes (text, actions,
// control structures); an action holds a pipeline of commands separated by `|`; a command is a list
// of arguments (a function name, a field chain, a variable, a literal, a parenthesised pipeline).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shiftlint::go_template {

struct Pipeline;

enum class ArgumentKind : uint8_t {
  Field,     // .Values.image.tag: `fields` = {"Values", "image", "tag"}
  Variable,  // $x.y: `text` = "$x" ("$" alone for the root), `fields` = {"y"}
  Dot,       // .
  Nil,
  Boolean,
  Number,
  String,
  Identifier,  // a function name: `text`
  Pipeline,    // (a | b), then optional `fields` when followed by .x.y
};

struct Argument {
  ArgumentKind kind = ArgumentKind::Nil;
  uint32_t offset = 0;  // in the template text
  std::string text;     // variable or function name, decoded string, number as written
  std::vector<std::string> fields;
  std::shared_ptr<Pipeline> pipeline;
  bool boolean = false;
  // Number: Go keeps an untyped constant; an integer literal is an int, anything else a float64.
  bool is_integer = false;
  int64_t integer = 0;
  double real = 0;
};

struct Command {
  uint32_t offset = 0;
  std::vector<Argument> arguments;
};

struct Pipeline {
  uint32_t offset = 0;
  // `$x := ...` declares, `$x = ...` assigns; `range $i, $v := ...` declares two.
  std::vector<std::string> variables;
  bool is_assignment = false;
  std::vector<Command> commands;
};

enum class NodeType : uint8_t { Text, Action, If, Range, With, Template, Break, Continue };

struct TemplateNode {
  NodeType type = NodeType::Text;
  uint32_t offset = 0;  // Text: start of the kept text; others: the `{{` of the action
  uint32_t end = 0;     // Text: end of the kept text; others: just past the action's `}}`
  std::string name;     // Template: the invoked template's name
  std::shared_ptr<Pipeline> pipeline;  // Action, If, Range, With, Template (may be null)
  std::vector<TemplateNode> list;      // If/Range/With body
  std::vector<TemplateNode> else_list;  // else branch (an `else if` is an If node inside it)
};

// A named template: the file's body, or a `{{define}}`/`{{block}}` inside it.
struct Definition {
  std::string name;
  uint32_t offset = 0;  // the `{{define` action
  std::vector<TemplateNode> body;
};

}  // namespace shiftlint::go_template
