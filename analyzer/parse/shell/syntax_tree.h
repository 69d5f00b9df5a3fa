#pragma once
// The shell syntax tree the walker in shell_parser.cpp turns into a Script: tree-sitter-bash's
// concrete syntax tree, reduced to what the walk reads (node kinds, fields, byte ranges, named or
// anonymous), stored flat in pre-order.
//
// Two front ends fill it. The hand-written reader (shell_reader.h) covers the shell real
// Dockerfiles and entrypoint scripts are written in, at a small fraction of tree-sitter's cost, and
// declines anything it cannot parse exactly as tree-sitter would (or, on the few valid texts
// tree-sitter reports errors on, as the shell would); tree-sitter (copied node by node) handles
// the rest, syntax errors included. One walker over one tree shape is what keeps the two
// paths' Scripts identical.
#include <cstdint>
#include <string_view>
#include <vector>

namespace shiftlint::shell {

// The node types the walk tells apart (tree-sitter-bash's names in the comments).
enum class NodeKind : uint8_t {
  Other,
  Program,              // program
  Command,              // command
  CommandName,          // command_name
  Word,                 // word
  String,               // string: "..."
  RawString,            // raw_string: '...'
  AnsiCString,          // ansi_c_string: $'...'
  TranslatedString,     // translated_string: $"..."
  StringContent,        // string_content
  SimpleExpansion,      // simple_expansion: $NAME
  Expansion,            // expansion: ${...}
  CommandSubstitution,  // command_substitution: $(...), `...`
  ProcessSubstitution,  // process_substitution: <(...), >(...)
  ArithmeticExpansion,  // arithmetic_expansion: $((...))
  BraceExpression,      // brace_expression: {1..3}
  VariableAssignment,   // variable_assignment
  VariableAssignments,  // variable_assignments
  DeclarationCommand,   // declaration_command: export, local, ...
  UnsetCommand,         // unset_command
  TestCommand,          // test_command: [ ], [[ ]]
  RedirectedStatement,  // redirected_statement
  FileRedirect,         // file_redirect
  HeredocRedirect,      // heredoc_redirect
  HerestringRedirect,   // herestring_redirect
  HeredocStart,         // heredoc_start
  HeredocBody,          // heredoc_body
  HeredocEnd,           // heredoc_end
  FileDescriptor,       // file_descriptor
  List,                 // list: a && b, a || b
  Pipeline,             // pipeline
  Subshell,             // subshell
  CompoundStatement,    // compound_statement: { ...; }
  IfStatement,          // if_statement
  ElifClause,           // elif_clause
  ElseClause,           // else_clause
  WhileStatement,       // while_statement (and until)
  ForStatement,         // for_statement
  CStyleForStatement,   // c_style_for_statement
  CaseStatement,        // case_statement
  CaseItem,             // case_item
  DoGroup,              // do_group
  FunctionDefinition,   // function_definition
  NegatedCommand,       // negated_command
  Comment,              // comment
  Error,                // ERROR (tree-sitter only)
  // Anonymous tokens.
  Ampersand,     // &
  AndAnd,        // &&
  OrOr,          // ||
  Bar,           // |
  BarAmpersand,  // |&
  Then,          // then
  PlusEquals,    // +=
  Keyword,       // if fi do done { } ( ) case esac in elif else while until for ;; ;& ;;&: statement boundaries
};

// The fields the walk reads.
enum class NodeField : uint8_t {
  None,
  Name,
  Argument,
  Redirect,
  Body,
  Value,
  Descriptor,
  Destination,
  Right,
  Operator,
};

struct SyntaxNode {
  uint32_t begin = 0;  // byte range in the parsed text
  uint32_t end = 0;
  uint32_t size = 1;   // nodes in the subtree, this one included: the next sibling is at index + size
  uint32_t child_count = 0;
  NodeKind kind = NodeKind::Other;
  NodeField field = NodeField::None;  // the field this node fills in its parent
  bool named = true;
};

// Nodes in pre-order: a node's first child follows it, each child's next sibling is at
// child + nodes[child].size.
struct SyntaxTree {
  std::vector<SyntaxNode> nodes;  // nodes[0] is the program
  // tree-sitter found a syntax error; first_error_begin/end is the innermost node holding the first.
  bool has_error = false;
  uint32_t first_error_begin = 0;
  uint32_t first_error_end = 0;

  void clear() {
    nodes.clear();
    has_error = false;
    first_error_begin = first_error_end = 0;
  }
  uint32_t first_child(uint32_t node) const { return node + 1; }
  uint32_t next_sibling(uint32_t node) const { return node + nodes[node].size; }
  uint32_t end_of_children(uint32_t node) const { return node + nodes[node].size; }
};

// tree-sitter-bash parses `text` into `tree` (replacing what it held).
void parse_with_tree_sitter(std::string_view text, SyntaxTree& tree);

}  // namespace shiftlint::shell
