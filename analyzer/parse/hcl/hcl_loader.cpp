#include "analyzer/parse/hcl/hcl_loader.h"


#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/parse/hcl/hcl_reader.h"
#include "analyzer/parse/hcl/template_parts.h"
#include "analyzer/parse/tree_sitter_support.h"
#include "analyzer/source/utf8.h"

extern "C" const TSLanguage* tree_sitter_hcl();

namespace shiftlint::hcl {

namespace {

constexpr size_t kMaxErrors = 20;

// Symbol ids looked up once: comparing ids is much cheaper than comparing type names.
struct HclSymbols {
  TSSymbol body, block, attribute, identifier, string_lit, block_start, block_end, expression, conditional,
      literal_value, numeric_lit, bool_lit, null_lit, template_expr, quoted_template, heredoc_template,
      heredoc_start, heredoc_identifier, quoted_template_start, quoted_template_end, template_literal,
      template_interpolation, template_directive, template_if, template_for, template_if_intro,
      template_else_intro, template_if_end, template_for_start, template_for_end, strip_marker,
      template_interpolation_start, template_interpolation_end, template_directive_start,
      template_directive_end, collection_value, tuple, object, object_elem, variable_expr, function_call,
      function_arguments, ellipsis, for_expr, for_tuple_expr, for_object_expr, for_intro, for_cond, operation,
      unary_operation, binary_operation, index, new_index, legacy_index, get_attr, splat, attr_splat,
      full_splat, comment;
  HclSymbols() {
    const TSLanguage* language = tree_sitter_hcl();
    auto named = [&](const char* name) {
      return ts_language_symbol_for_name(language, name, static_cast<uint32_t>(std::strlen(name)), true);
    };
    body = named("body");
    block = named("block");
    attribute = named("attribute");
    identifier = named("identifier");
    string_lit = named("string_lit");
    block_start = named("block_start");
    block_end = named("block_end");
    expression = named("expression");
    conditional = named("conditional");
    literal_value = named("literal_value");
    numeric_lit = named("numeric_lit");
    bool_lit = named("bool_lit");
    null_lit = named("null_lit");
    template_expr = named("template_expr");
    quoted_template = named("quoted_template");
    heredoc_template = named("heredoc_template");
    heredoc_start = named("heredoc_start");
    heredoc_identifier = named("heredoc_identifier");
    quoted_template_start = named("quoted_template_start");
    quoted_template_end = named("quoted_template_end");
    template_literal = named("template_literal");
    template_interpolation = named("template_interpolation");
    template_directive = named("template_directive");
    template_if = named("template_if");
    template_for = named("template_for");
    template_if_intro = named("template_if_intro");
    template_else_intro = named("template_else_intro");
    template_if_end = named("template_if_end");
    template_for_start = named("template_for_start");
    template_for_end = named("template_for_end");
    strip_marker = named("strip_marker");
    template_interpolation_start = named("template_interpolation_start");
    template_interpolation_end = named("template_interpolation_end");
    template_directive_start = named("template_directive_start");
    template_directive_end = named("template_directive_end");
    collection_value = named("collection_value");
    tuple = named("tuple");
    object = named("object");
    object_elem = named("object_elem");
    variable_expr = named("variable_expr");
    function_call = named("function_call");
    function_arguments = named("function_arguments");
    ellipsis = named("ellipsis");
    for_expr = named("for_expr");
    for_tuple_expr = named("for_tuple_expr");
    for_object_expr = named("for_object_expr");
    for_intro = named("for_intro");
    for_cond = named("for_cond");
    operation = named("operation");
    unary_operation = named("unary_operation");
    binary_operation = named("binary_operation");
    index = named("index");
    new_index = named("new_index");
    legacy_index = named("legacy_index");
    get_attr = named("get_attr");
    splat = named("splat");
    attr_splat = named("attr_splat");
    full_splat = named("full_splat");
    comment = named("comment");
  }
};

const HclSymbols& symbols() {
  static const HclSymbols instance;
  return instance;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A template part the builder has to place: an interpolation or a directive, with its strip markers.
struct TemplateElement {
  TSNode node;
  bool strip_before = false;  // `${~` / `%{~`: trims the literal before it
  bool strip_after = false;   // `~}`: trims the literal after it
};

class HclBuilder {
 public:
  HclBuilder(const SourceFile& file, File& result, const LoadLimits& limits)
      : file_(file), text_(file.text()), result_(result), limits_(limits), symbols_(symbols()) {}

  void build(TSNode root) {
    report_syntax_errors(root);
    for (TSNode child : children_of(root)) {
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.body) build_body(child, result_.body, 0);
      else if (symbol == symbols_.object) build_object_as_body(child);
    }
  }

 private:
  // ---- positions and text ------------------------------------------------------------------------
  static Span span_of(TSNode node) { return shiftlint::span_of(node); }
  std::string_view source(TSNode node) const {
    uint32_t begin = ts_node_start_byte(node);
    uint32_t end = ts_node_end_byte(node);
    return text_.substr(begin, end - begin);
  }
  void locate(Expression& expression, TSNode first, TSNode last) const {
    expression.begin_offset = ts_node_start_byte(first);
    expression.end_offset = ts_node_end_byte(last);
    expression.span = {span_of(first).begin, span_of(last).end};
  }
  void locate_offsets(Expression& expression, size_t begin, size_t end) const {
    expression.begin_offset = static_cast<uint32_t>(begin);
    expression.end_offset = static_cast<uint32_t>(end);
    expression.span = file_.span_of(begin, end);
  }
  bool is(TSNode node, TSSymbol symbol) const { return ts_node_symbol(node) == symbol; }

  void error(Span span, std::string message) {
    if (result_.errors.size() < kMaxErrors) result_.errors.push_back({span, std::move(message)});
  }

  // ---- syntax errors -----------------------------------------------------------------------------
  void report_syntax_errors(TSNode root) {
    if (!ts_node_has_error(root)) return;
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    while (result_.errors.size() < kMaxErrors) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      bool descend = ts_node_has_error(node);
      if (ts_node_is_missing(node)) {
        error(span_of(node), fmt::format("syntax error: missing {}", describe_missing(node)));
        descend = false;
      } else if (ts_node_is_error(node)) {
        std::string unexpected = describe_unexpected(node);
        if (unexpected == "'='")  // `cpu =` with the value forgotten: the next line's name is read as it
          error(span_of(node), "syntax error: an attribute has no value after '='");
        else if (reaches_end(node))
          error(span_of(node), fmt::format("syntax error: unexpected end of file: {} is not finished", unexpected));
        else
          error(span_of(node), fmt::format("syntax error: unexpected {}", unexpected));
        descend = false;  // one message per ERROR region
      }
      if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
      if (ts_tree_cursor_goto_next_sibling(&cursor)) continue;
      bool done = true;
      while (ts_tree_cursor_goto_parent(&cursor)) {
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          done = false;
          break;
        }
      }
      if (done) break;
    }
    ts_tree_cursor_delete(&cursor);
  }

  // Whether an error region runs to the end of the file: something opened there was never closed.
  bool reaches_end(TSNode node) const {
    size_t end = text_.size();
    while (end > 0 && is_space(text_[end - 1])) --end;
    return ts_node_end_byte(node) >= end && ts_node_start_byte(node) < end;
  }

  std::string describe_missing(TSNode node) const {
    std::string_view type = ts_node_type(node);
    if (type == "block_end" || type == "object_end" || type == "template_interpolation_end" ||
        type == "template_directive_end")
      return "'}'";
    if (type == "tuple_end") return "']'";
    if (type == "quoted_template_end" || type == "quoted_template_start") return "'\"' (the string is not closed)";
    if (type == "heredoc_identifier") return "the heredoc's closing marker";
    if (type == "identifier") return "a name";
    if (type == "expression") return "a value";
    if (type.size() <= 3) return fmt::format("'{}'", type);
    return std::string(type);
  }

  std::string describe_unexpected(TSNode node) const {
    std::string_view text = source(node);
    size_t length = 0;
    while (length < text.size() && length < 24 && text[length] != '\n' && text[length] != '\r') ++length;
    std::string_view shown = text.substr(0, length);
    while (!shown.empty() && is_space(shown.back())) shown.remove_suffix(1);
    if (shown.empty()) return text.empty() ? "end of file" : "line break";
    std::string printable;
    for (char c : shown) {
      auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F) printable += fmt::format("\\x{:02x}", byte);
      else printable += c;
    }
    return fmt::format("'{}'", printable);
  }

  bool too_deep(uint32_t depth, TSNode at) {
    if (depth <= limits_.max_depth) return false;
    if (!depth_reported_) {
      error(span_of(at), fmt::format("nesting deeper than {} levels: not analysed", limits_.max_depth));
      depth_reported_ = true;
    }
    return true;
  }

  // ---- bodies, blocks, attributes ----------------------------------------------------------------
  void build_body(TSNode node, Body& body, uint32_t depth) {
    if (too_deep(depth, node)) return;
    for (TSNode child : children_of(node)) {
      if (ts_node_has_error(child)) continue;  // reported by report_syntax_errors
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.attribute) {
        body.attributes.push_back(build_attribute(child, depth));
      } else if (symbol == symbols_.block) {
        body.blocks.push_back(build_block(child, depth));
      }
    }
  }

  Attribute build_attribute(TSNode node, uint32_t depth) {
    Attribute attribute;
    attribute.span = span_of(node);
    for (TSNode child : children_of(node)) {
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.identifier) {
        attribute.name = std::string(source(child));
        attribute.name_span = span_of(child);
      } else if (symbol == symbols_.expression) {
        attribute.value = build_expression(child, depth + 1);
      }
    }
    return attribute;
  }

  Block build_block(TSNode node, uint32_t depth) {
    Block block;
    block.span = span_of(node);
    bool seen_type = false;
    for (TSNode child : children_of(node)) {
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.identifier) {
        if (!seen_type) {
          block.type = std::string(source(child));
          block.type_span = span_of(child);
          seen_type = true;
        } else {
          block.labels.emplace_back(source(child));
          block.label_spans.push_back(span_of(child));
        }
      } else if (symbol == symbols_.string_lit) {
        block.labels.push_back(string_literal_text(child));
        block.label_spans.push_back(span_of(child));
      } else if (symbol == symbols_.body) {
        build_body(child, block.body, depth + 1);
      }
    }
    return block;
  }

  // `.tfvars` written as one object (`{ cpu = 256 }`): its elements are the attributes.
  void build_object_as_body(TSNode node) {
    if (ts_node_has_error(node)) return;
    for (TSNode element : children_of(node)) {
      if (!is(element, symbols_.object_elem)) continue;
      TSNode key = ts_node_child_by_field_name(element, "key", 3);
      TSNode value = ts_node_child_by_field_name(element, "val", 3);
      if (ts_node_is_null(key) || ts_node_is_null(value)) continue;
      Expression key_expression = build_object_key(key, 1);
      if (key_expression.kind != ExpressionKind::String) continue;
      Attribute attribute;
      attribute.name = key_expression.text;
      attribute.name_span = key_expression.span;
      attribute.span = span_of(element);
      attribute.value = build_expression(value, 1);
      result_.body.attributes.push_back(std::move(attribute));
    }
  }

  // ---- expressions -------------------------------------------------------------------------------
  Expression invalid(TSNode node) const {
    Expression expression;
    expression.kind = ExpressionKind::Invalid;
    locate(expression, node, node);
    return expression;
  }

  // An `expression` node: a conditional, or a term written as a sequence of children (a primary
  // value followed by attribute, index and splat operations, or a parenthesised expression).
  Expression build_expression(TSNode node, uint32_t depth) {
    if (too_deep(depth, node)) return invalid(node);
    if (ts_node_is_error(node) || ts_node_is_missing(node)) return invalid(node);
    TSSymbol symbol = ts_node_symbol(node);
    if (symbol != symbols_.expression) return build_term({node}, 0, 1, depth);
    std::vector<TSNode> children = children_of(node);
    return build_term(children, 0, children.size(), depth);
  }

  Expression build_term(const std::vector<TSNode>& nodes, size_t begin, size_t end, uint32_t depth) {
    Expression current;
    bool have = false;
    for (size_t i = begin; i < end; ++i) {
      TSNode child = nodes[i];
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.comment) continue;
      if (ts_node_is_error(child) || ts_node_is_missing(child)) return invalid(nodes[begin]);
      if (!ts_node_is_named(child)) {
        std::string_view token = ts_node_type(child);
        if (token == "(" || token == ")") continue;  // the parenthesised expression is its own child
        continue;
      }
      if (symbol == symbols_.get_attr || symbol == symbols_.index || symbol == symbols_.splat) {
        if (!have) return invalid(child);
        current = apply_postfix(std::move(current), child, nodes[begin], depth);
        continue;
      }
      current = build_primary(child, depth);
      if (i > begin && !ts_node_is_named(nodes[i - 1]) && std::string_view(ts_node_type(nodes[i - 1])) == "(") {
        // Keep the parentheses in the span: `(a).b` reads from the opening one.
        current.begin_offset = ts_node_start_byte(nodes[i - 1]);
        current.span.begin = span_of(nodes[i - 1]).begin;
        current.parenthesized = true;
      }
      have = true;
    }
    if (!have) return invalid(nodes[begin]);
    return current;
  }

  Expression build_primary(TSNode node, uint32_t depth) {
    if (too_deep(depth, node)) return invalid(node);
    TSSymbol symbol = ts_node_symbol(node);
    if (symbol == symbols_.expression) return build_expression(node, depth + 1);
    if (symbol == symbols_.literal_value) return build_literal(node);
    if (symbol == symbols_.template_expr) {
      for (TSNode child : children_of(node)) {
        if (is(child, symbols_.quoted_template)) return build_quoted_template(child, depth);
        if (is(child, symbols_.heredoc_template)) return build_heredoc(child, depth);
      }
      return invalid(node);
    }
    if (symbol == symbols_.collection_value) {
      for (TSNode child : children_of(node)) {
        if (is(child, symbols_.tuple)) return build_tuple(child, depth);
        if (is(child, symbols_.object)) return build_object(child, depth);
      }
      return invalid(node);
    }
    if (symbol == symbols_.variable_expr) {
      Expression expression;
      expression.kind = ExpressionKind::Variable;
      expression.text = std::string(source(node));
      locate(expression, node, node);
      return expression;
    }
    if (symbol == symbols_.function_call) return build_function_call(node, depth);
    if (symbol == symbols_.for_expr) {
      for (TSNode child : children_of(node)) {
        if (is(child, symbols_.for_tuple_expr) || is(child, symbols_.for_object_expr)) return build_for(child, depth);
      }
      return invalid(node);
    }
    if (symbol == symbols_.operation) {
      for (TSNode child : children_of(node)) {
        if (is(child, symbols_.unary_operation)) return build_unary(child, depth);
        if (is(child, symbols_.binary_operation)) return build_binary(child, depth);
      }
      return invalid(node);
    }
    if (symbol == symbols_.conditional) return build_conditional(node, depth);
    return invalid(node);
  }

  Expression build_literal(TSNode node) {
    Expression expression;
    locate(expression, node, node);
    for (TSNode child : children_of(node)) {
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.numeric_lit) {
        expression.kind = ExpressionKind::Number;
        expression.text = std::string(source(child));
        expression.number = expression.text.rfind("0x", 0) == 0
                                ? static_cast<double>(std::strtoull(expression.text.c_str() + 2, nullptr, 16))
                                : std::strtod(expression.text.c_str(), nullptr);
      } else if (symbol == symbols_.bool_lit) {
        expression.kind = ExpressionKind::Boolean;
        expression.boolean = source(child) == "true";
      } else if (symbol == symbols_.null_lit) {
        expression.kind = ExpressionKind::Null;
      } else if (symbol == symbols_.string_lit) {
        expression.kind = ExpressionKind::String;
        expression.text = string_literal_text(child);
      }
    }
    return expression;
  }

  // The decoded content of a string_lit (between its quotes).
  std::string string_literal_text(TSNode node) const {
    size_t begin = ts_node_start_byte(node), end = ts_node_end_byte(node);
    for (TSNode child : children_of(node)) {
      if (is(child, symbols_.quoted_template_start)) begin = ts_node_end_byte(child);
      else if (is(child, symbols_.quoted_template_end)) end = ts_node_start_byte(child);
    }
    if (end < begin) end = begin;
    return decode_template_literal(text_.substr(begin, end - begin), true);
  }

  Expression apply_postfix(Expression object, TSNode postfix, TSNode first, uint32_t depth) {
    TSSymbol symbol = ts_node_symbol(postfix);
    if (symbol == symbols_.splat) {
      for (TSNode child : children_of(postfix)) {
        if (is(child, symbols_.attr_splat) || is(child, symbols_.full_splat))
          return build_splat(std::move(object), child, first, depth);
      }
      return invalid(postfix);
    }
    Expression result;
    locate(result, first, postfix);
    result.begin_offset = object.begin_offset;
    result.span.begin = object.span.begin;
    if (symbol == symbols_.get_attr) {
      result.kind = ExpressionKind::GetAttr;
      for (TSNode child : children_of(postfix))
        if (is(child, symbols_.identifier)) result.text = std::string(source(child));
      result.operands.push_back(std::move(object));
      return result;
    }
    // index: `[expression]` or the legacy `.0`
    result.kind = ExpressionKind::Index;
    result.operands.push_back(std::move(object));
    for (TSNode child : children_of(postfix)) {
      if (is(child, symbols_.new_index)) {
        for (TSNode inner : children_of(child))
          if (is(inner, symbols_.expression)) result.operands.push_back(build_expression(inner, depth + 1));
      } else if (is(child, symbols_.legacy_index)) {
        Expression key;
        key.kind = ExpressionKind::Number;
        std::string_view digits = source(child);
        if (!digits.empty() && digits.front() == '.') digits.remove_prefix(1);
        key.text = std::string(digits);
        key.number = std::strtod(key.text.c_str(), nullptr);
        locate(key, child, child);
        result.operands.push_back(std::move(key));
      }
    }
    if (result.operands.size() != 2) return invalid(postfix);
    return result;
  }

  Expression build_splat(Expression source_expression, TSNode splat, TSNode first, uint32_t depth) {
    Expression result;
    result.kind = ExpressionKind::Splat;
    result.splat_attribute_only = is(splat, symbols_.attr_splat);
    locate(result, first, splat);
    result.begin_offset = source_expression.begin_offset;
    result.span.begin = source_expression.span.begin;
    Expression item;
    item.kind = ExpressionKind::SplatItem;
    locate(item, splat, splat);
    item.end_offset = item.begin_offset;
    Expression traversal = std::move(item);
    for (TSNode child : children_of(splat)) {
      if (is(child, symbols_.get_attr) || is(child, symbols_.index))
        traversal = apply_postfix(std::move(traversal), child, splat, depth);
    }
    result.operands.push_back(std::move(source_expression));
    result.operands.push_back(std::move(traversal));
    return result;
  }

  Expression build_tuple(TSNode node, uint32_t depth) {
    Expression expression;
    expression.kind = ExpressionKind::Tuple;
    locate(expression, node, node);
    for (TSNode child : children_of(node))
      if (is(child, symbols_.expression)) expression.operands.push_back(build_expression(child, depth + 1));
    return expression;
  }

  // A bare identifier as an object key is the key's name, not a reference (`{ cpu = 256 }`).
  Expression build_object_key(TSNode key, uint32_t depth) {
    std::vector<TSNode> children = children_of(key);
    if (children.size() == 1 && is(children[0], symbols_.variable_expr)) {
      Expression expression;
      expression.kind = ExpressionKind::String;
      expression.text = std::string(source(children[0]));
      locate(expression, children[0], children[0]);
      return expression;
    }
    return build_expression(key, depth);
  }

  Expression build_object(TSNode node, uint32_t depth) {
    Expression expression;
    expression.kind = ExpressionKind::Object;
    locate(expression, node, node);
    for (TSNode element : children_of(node)) {
      if (!is(element, symbols_.object_elem)) continue;
      TSNode key = ts_node_child_by_field_name(element, "key", 3);
      TSNode value = ts_node_child_by_field_name(element, "val", 3);
      if (ts_node_is_null(key) || ts_node_is_null(value)) continue;
      expression.operands.push_back(build_object_key(key, depth + 1));
      expression.operands.push_back(build_expression(value, depth + 1));
    }
    return expression;
  }

  Expression build_function_call(TSNode node, uint32_t depth) {
    Expression expression;
    expression.kind = ExpressionKind::FunctionCall;
    locate(expression, node, node);
    for (TSNode child : children_of(node)) {
      if (is(child, symbols_.identifier)) {
        expression.text = std::string(source(child));
      } else if (is(child, symbols_.function_arguments)) {
        for (TSNode argument : children_of(child)) {
          if (is(argument, symbols_.expression)) expression.operands.push_back(build_expression(argument, depth + 1));
          else if (is(argument, symbols_.ellipsis)) expression.expand_final = true;
        }
      }
    }
    return expression;
  }

  // for_intro: `for key, value in collection :` into operands [key symbol, value symbol, collection].
  void build_for_intro(TSNode intro, Expression& loop, uint32_t depth) {
    std::vector<TSNode> names;
    TSNode collection{};
    bool has_collection = false;
    for (TSNode child : children_of(intro)) {
      if (is(child, symbols_.identifier)) names.push_back(child);
      else if (is(child, symbols_.expression)) {
        collection = child;
        has_collection = true;
      }
    }
    Expression key, value;
    key.kind = ExpressionKind::Invalid;
    value.kind = ExpressionKind::Invalid;
    if (names.size() == 2) {
      key.kind = ExpressionKind::Variable;
      key.text = std::string(source(names[0]));
      locate(key, names[0], names[0]);
    }
    if (!names.empty()) {
      value.kind = ExpressionKind::Variable;
      value.text = std::string(source(names.back()));
      locate(value, names.back(), names.back());
    }
    loop.operands.push_back(std::move(key));
    loop.operands.push_back(std::move(value));
    loop.operands.push_back(has_collection ? build_expression(collection, depth + 1) : invalid(intro));
  }

  Expression build_for(TSNode node, uint32_t depth) {
    Expression expression;
    expression.kind = is(node, symbols_.for_object_expr) ? ExpressionKind::ForObject : ExpressionKind::ForTuple;
    locate(expression, node, node);
    std::vector<Expression> results;
    Expression condition;
    bool has_condition = false;
    for (TSNode child : children_of(node)) {
      TSSymbol symbol = ts_node_symbol(child);
      if (symbol == symbols_.for_intro) {
        build_for_intro(child, expression, depth);
      } else if (symbol == symbols_.expression) {
        results.push_back(build_expression(child, depth + 1));
      } else if (symbol == symbols_.ellipsis) {
        expression.expand_final = true;
      } else if (symbol == symbols_.for_cond) {
        for (TSNode inner : children_of(child)) {
          if (is(inner, symbols_.expression)) {
            condition = build_expression(inner, depth + 1);
            has_condition = true;
          }
        }
      }
    }
    size_t wanted = expression.kind == ExpressionKind::ForObject ? 2 : 1;
    if (expression.operands.size() != 3 || results.size() != wanted) return invalid(node);
    for (Expression& result : results) expression.operands.push_back(std::move(result));
    if (has_condition) expression.operands.push_back(std::move(condition));
    return expression;
  }

  Expression build_conditional(TSNode node, uint32_t depth) {
    std::vector<Expression> operands;
    for (TSNode child : children_of(node))
      if (is(child, symbols_.expression)) operands.push_back(build_expression(child, depth + 1));
    if (operands.size() != 3) return invalid(node);
    return chain_conditional(std::move(operands[0]), std::move(operands[1]), std::move(operands[2]));
  }

  // tree-sitter-hcl groups `a ? b : c ? d : e` as `(a ? b : c) ? d : e`; chain_conditional
  // (template_parts.h) re-associates it the way HCL means it.

  Expression build_unary(TSNode node, uint32_t depth) {
    Expression expression;
    expression.kind = ExpressionKind::Unary;
    locate(expression, node, node);
    std::vector<TSNode> children = children_of(node);
    if (children.size() < 2) return invalid(node);
    expression.text = std::string(source(children[0]));
    expression.operands.push_back(build_term(children, 1, children.size(), depth + 1));
    return expression;
  }

  Expression build_binary(TSNode node, uint32_t depth) {
    Expression expression;
    expression.kind = ExpressionKind::Binary;
    locate(expression, node, node);
    std::vector<TSNode> children = children_of(node);
    // The operator is the one anonymous child that is not a parenthesis.
    size_t at = children.size();
    for (size_t i = 0; i < children.size(); ++i) {
      if (ts_node_is_named(children[i])) continue;
      std::string_view token = ts_node_type(children[i]);
      if (token == "(" || token == ")") continue;
      at = i;
      break;
    }
    if (at == 0 || at + 1 >= children.size()) return invalid(node);
    expression.text = std::string(ts_node_type(children[at]));
    expression.operands.push_back(build_term(children, 0, at, depth + 1));
    expression.operands.push_back(build_term(children, at + 1, children.size(), depth + 1));
    return expression;
  }

  // ---- templates ---------------------------------------------------------------------------------
  TemplateElement element_of(TSNode node) const {
    TemplateElement element{node};
    TSNode tag = node;
    TSNode closing = node;
    if (is(node, symbols_.template_directive)) {
      std::vector<TSNode> inner = children_of(node);
      if (inner.empty()) return element;
      std::vector<TSNode> parts = children_of(inner[0]);
      if (parts.empty()) return element;
      tag = parts.front();       // template_if_intro / template_for_start
      closing = parts.back();    // template_if_end / template_for_end
    }
    element.strip_before = strip_marker_at(tag, true);
    element.strip_after = strip_marker_at(closing, false);
    return element;
  }

  // Whether a tag (`${~ x }`, `%{ if x ~}`) has a strip marker at its opening (leading) or closing end.
  bool strip_marker_at(TSNode tag, bool leading) const {
    std::vector<TSNode> children = children_of(tag);
    if (children.size() < 2) return false;
    TSNode neighbour = leading ? children[1] : children[children.size() - 2];
    return is(neighbour, symbols_.strip_marker);
  }

  // The parts of the template text in [begin, end) whose interpolations and directives are `nodes`
  // (in order). The literal pieces are the gaps between them: tree-sitter-hcl leaves some white
  // space out of its template_literal nodes, so their extents cannot be trusted.
  std::vector<Expression> build_section(size_t begin, size_t end, const std::vector<TSNode>& nodes, bool trim_first,
                                        bool trim_last, const TemplateContext& context, uint32_t depth) {
    std::vector<PlacedElement> elements;
    elements.reserve(nodes.size());
    for (TSNode node : nodes) {
      TemplateElement element = element_of(node);
      elements.push_back({ts_node_start_byte(node), ts_node_end_byte(node), element.strip_before, element.strip_after,
                          build_template_element(node, context, depth)});
    }
    return template_section(file_, context, begin, end, std::move(elements), trim_first, trim_last);
  }

  bool is_template_element(TSNode node) const {
    return is(node, symbols_.template_interpolation) || is(node, symbols_.template_directive);
  }

  Expression make_template(std::vector<Expression> parts, size_t begin, size_t end) const {
    return hcl::make_template(file_, std::move(parts), begin, end);
  }

  Expression build_template_element(TSNode node, const TemplateContext& context, uint32_t depth) {
    if (too_deep(depth, node)) return invalid(node);
    if (is(node, symbols_.template_interpolation)) {
      Expression interpolation;
      interpolation.kind = ExpressionKind::Interpolation;
      locate(interpolation, node, node);
      for (TSNode child : children_of(node))
        if (is(child, symbols_.expression)) interpolation.operands.push_back(build_expression(child, depth + 1));
      if (interpolation.operands.empty()) return invalid(node);
      return interpolation;
    }
    std::vector<TSNode> inner = children_of(node);
    if (inner.empty()) return invalid(node);
    TSNode directive = inner[0];
    std::vector<TSNode> children = children_of(directive);
    if (children.size() < 2) return invalid(node);
    TSNode opening = children.front(), closing = children.back();
    bool open_strip_after = strip_marker_at(opening, false);
    bool close_strip_before = strip_marker_at(closing, true);

    if (is(directive, symbols_.template_if)) {
      Expression expression;
      expression.kind = ExpressionKind::TemplateIf;
      locate(expression, node, node);
      Expression condition = invalid(opening);
      for (TSNode child : children_of(opening))
        if (is(child, symbols_.expression)) condition = build_expression(child, depth + 1);
      // Split the body at the else tag.
      std::vector<TSNode> then_nodes, else_nodes;
      const TSNode* else_tag = nullptr;
      for (size_t i = 1; i + 1 < children.size(); ++i) {
        if (is(children[i], symbols_.template_else_intro)) else_tag = &children[i];
        else if (is_template_element(children[i])) (else_tag ? else_nodes : then_nodes).push_back(children[i]);
      }
      size_t then_begin = ts_node_end_byte(opening);
      size_t then_end = else_tag ? ts_node_start_byte(*else_tag) : ts_node_start_byte(closing);
      bool else_strip_before = else_tag && strip_marker_at(*else_tag, true);
      bool else_strip_after = else_tag && strip_marker_at(*else_tag, false);
      expression.operands.push_back(std::move(condition));
      expression.operands.push_back(make_template(
          build_section(then_begin, then_end, then_nodes, open_strip_after,
                        else_tag ? else_strip_before : close_strip_before, context, depth + 1),
          then_begin, then_end));
      if (else_tag) {
        size_t else_begin = ts_node_end_byte(*else_tag), else_end = ts_node_start_byte(closing);
        expression.operands.push_back(make_template(
            build_section(else_begin, else_end, else_nodes, else_strip_after, close_strip_before, context, depth + 1),
            else_begin, else_end));
      } else {
        expression.operands.push_back(make_template({}, then_end, then_end));
      }
      return expression;
    }
    if (is(directive, symbols_.template_for)) {
      Expression expression;
      expression.kind = ExpressionKind::TemplateFor;
      locate(expression, node, node);
      build_for_intro(opening, expression, depth);
      std::vector<TSNode> body_nodes;
      for (size_t i = 1; i + 1 < children.size(); ++i)
        if (is_template_element(children[i])) body_nodes.push_back(children[i]);
      size_t body_begin = ts_node_end_byte(opening), body_end = ts_node_start_byte(closing);
      expression.operands.push_back(make_template(
          build_section(body_begin, body_end, body_nodes, open_strip_after, close_strip_before, context, depth + 1),
          body_begin, body_end));
      return expression;
    }
    return invalid(node);
  }

  Expression finish_template(std::vector<Expression> parts, TSNode node, bool heredoc) const {
    return hcl::finish_template(file_, std::move(parts), ts_node_start_byte(node), ts_node_end_byte(node), heredoc);
  }

  Expression build_quoted_template(TSNode node, uint32_t depth) {
    size_t begin = ts_node_start_byte(node), end = ts_node_end_byte(node);
    std::vector<TSNode> elements;
    for (TSNode child : children_of(node)) {
      if (is(child, symbols_.quoted_template_start)) begin = ts_node_end_byte(child);
      else if (is(child, symbols_.quoted_template_end)) end = ts_node_start_byte(child);
      else if (is_template_element(child)) elements.push_back(child);
    }
    if (end < begin) end = begin;
    TemplateContext context;
    context.quoted = true;
    context.content_begin = begin;
    return finish_template(build_section(begin, end, elements, false, false, context, depth + 1), node, false);
  }

  Expression build_heredoc(TSNode node, uint32_t depth) {
    std::vector<TSNode> children = children_of(node);
    bool flush = false;
    std::vector<TSNode> identifiers, elements;
    for (TSNode child : children) {
      if (is(child, symbols_.heredoc_start)) flush = source(child) == "<<-";
      else if (is(child, symbols_.heredoc_identifier)) identifiers.push_back(child);
      else if (is_template_element(child)) elements.push_back(child);
    }
    if (identifiers.size() != 2) return invalid(node);
    // The content runs from the line after the opening marker to the start of the closing
    // marker's line; the last line break belongs to the content.
    size_t begin = text_.find('\n', ts_node_end_byte(identifiers[0]));
    begin = begin == std::string_view::npos ? text_.size() : begin + 1;
    size_t end = ts_node_start_byte(identifiers[1]);
    while (end > begin && text_[end - 1] != '\n') --end;
    TemplateContext context;
    context.quoted = false;
    context.content_begin = begin;
    if (flush) context.flush_indent = common_indent(text_, begin, end);
    return finish_template(build_section(begin, end, elements, false, false, context, depth + 1), node, true);
  }

  const SourceFile& file_;
  std::string_view text_;
  File& result_;
  const LoadLimits& limits_;
  const HclSymbols& symbols_;
  bool depth_reported_ = false;
};

}  // namespace

std::string decode_quoted(std::string_view raw) { return decode_template_literal(raw, true); }

File load_hcl(std::shared_ptr<const SourceFile> file, const LoadLimits& limits) {
  if (std::optional<File> read = read_hcl(file, limits)) return std::move(*read);
  return load_hcl_with_tree_sitter(std::move(file), limits);
}

File load_hcl_with_tree_sitter(std::shared_ptr<const SourceFile> file, const LoadLimits& limits) {
  File result;
  result.source = file;
  std::string_view text = file->text();
  if (text.size() > UINT32_MAX) {
    result.errors.push_back({{{1, 1}, {1, 1}}, "file too large to parse"});
    return result;
  }
  TSParser* parser = thread_parser<tree_sitter_hcl>();
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (!tree) {
    result.errors.push_back({{{1, 1}, {1, 1}}, "the HCL parser gave up on this file"});
    return result;
  }
  HclBuilder builder(*file, result, limits);
  builder.build(ts_tree_root_node(tree));
  ts_tree_delete(tree);
  return result;
}

}  // namespace shiftlint::hcl
