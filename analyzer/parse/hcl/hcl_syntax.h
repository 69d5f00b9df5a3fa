#pragma once
// The HCL syntax tree: what a .tf or .tfvars file says, before any evaluation. Blocks, attributes
// and expressions with their exact spans; string escapes and heredoc indentation already decoded,
// template strip markers (`~`) already applied to the literal text they trim.
//
// The tree is plain structs (no tree-sitter types), so the evaluator and tests never see the
// parser. Expressions are one tagged struct; the meaning of `operands` per kind is listed below.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::hcl {

enum class ExpressionKind : uint8_t {
  Invalid,        // a part the parser could not read (a syntax error inside); evaluates to unknown
  Null,
  Boolean,        // `boolean`
  Number,         // `number`, `text` as written
  String,         // decoded literal text in `text`: a quoted string without interpolation, or a
                  // literal piece of a template
  Template,       // quoted string or heredoc with interpolations/directives: operands are its parts
                  // (String, Interpolation, TemplateIf, TemplateFor); `heredoc` tells which
  Interpolation,  // `${ operand[0] }` inside a template
  TemplateIf,     // `%{if operand[0]}` operand[1] (Template) `%{else}` operand[2] (Template) `%{endif}`
  TemplateFor,    // `%{for key, value in collection}` body `%{endfor}`: see loop layout below
  Tuple,          // `[a, b]`: operands are the items
  Object,         // `{k = v}`: operands alternate key, value. A bare identifier key is a String.
  Variable,       // a root name (`var`, `local`, `aws_iam_role`, a for-loop symbol): `text`
  GetAttr,        // operand[0] `.` text
  Index,          // operand[0] `[` operand[1] `]`, also the legacy `.0`
  Splat,          // operand[0] `[*]` or `.*`, then operand[1]: the traversal applied to each element,
                  // written over a SplatItem. `splat_attribute_only` for `.*` (see evaluator).
  SplatItem,      // the element inside a Splat traversal
  FunctionCall,   // `text`(operands...), `expand_final` when the last argument ends with `...`
  ForTuple,       // `[for key, value in collection : result if condition]`: loop layout below
  ForObject,      // `{for key, value in collection : key_result => value_result... if condition}`
  Conditional,    // operand[0] ? operand[1] : operand[2]
  Unary,          // `text` (`-` or `!`) operand[0]
  Binary,         // operand[0] `text` operand[1]
};

// Loop layout (ForTuple, ForObject, TemplateFor): operands[0] the key symbol (Variable, or Invalid
// when the loop names only a value), operands[1] the value symbol (Variable), operands[2] the
// collection, then
//   ForTuple:    [3] result, [4] condition (absent when none)
//   ForObject:   [3] key result, [4] value result, [5] condition (absent when none);
//                `expand_final` for the grouping form `...`
//   TemplateFor: [3] the body (Template)
struct Expression {
  ExpressionKind kind = ExpressionKind::Invalid;
  bool boolean = false;
  bool expand_final = false;          // FunctionCall `f(list...)`, ForObject grouping `...`
  bool heredoc = false;               // Template: written as a heredoc
  bool splat_attribute_only = false;  // Splat: the legacy `.*` form
  bool parenthesized = false;         // written in parentheses: `(a ? b : c) ? d : e`
  double number = 0;
  Span span;
  uint32_t begin_offset = 0;  // byte offsets of the expression in its file
  uint32_t end_offset = 0;
  std::string text;
  std::vector<Expression> operands;

  const Expression* operand(size_t index) const { return index < operands.size() ? &operands[index] : nullptr; }
  bool is_literal() const {
    return kind == ExpressionKind::Null || kind == ExpressionKind::Boolean || kind == ExpressionKind::Number ||
           kind == ExpressionKind::String;
  }
};

struct Attribute {
  std::string name;
  Span name_span;
  Span span;  // name through the end of the value
  Expression value;
};

struct Block;

struct Body {
  std::vector<Attribute> attributes;  // in source order
  std::vector<Block> blocks;          // in source order
  const Attribute* find_attribute(std::string_view name) const;
  // The first nested block of this type, or nullptr.
  const Block* find_block(std::string_view type) const;
};

struct Block {
  std::string type;  // `resource`, `variable`, `container_definitions`...
  Span type_span;
  std::vector<std::string> labels;  // decoded: `resource "aws_ecs_task_definition" "app"`
  std::vector<Span> label_spans;
  Span span;  // the type through the closing brace
  Body body;
  std::string_view label(size_t index) const {
    return index < labels.size() ? std::string_view(labels[index]) : std::string_view();
  }
};

// One parsed file. Blocks and attributes that contain a syntax error are left out of `body`
// (a half-read block would give misleading values); the errors say where and why.
struct File {
  std::shared_ptr<const SourceFile> source;
  Body body;
  std::vector<ParseDiagnostic> errors;
  bool ok() const { return errors.empty(); }
};

// The source text of an expression, for messages and unknown values (`var.cpu`).
std::string_view source_text(const SourceFile& file, const Expression& expression);

}  // namespace shiftlint::hcl
