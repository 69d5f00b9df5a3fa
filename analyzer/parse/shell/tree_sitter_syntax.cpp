// tree-sitter-bash → SyntaxTree: the fallback front end, for whatever the hand-written reader
// declines (syntax errors, rare constructs).
#include <tree_sitter/api.h>

#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/parse/shell/syntax_tree.h"

extern "C" const TSLanguage* tree_sitter_bash();

namespace shiftlint::shell {

namespace {

// Kinds and fields by tree-sitter id, looked up once. Several symbol ids can share a name
// (aliases), so a table over all ids is safer than one id per name.
struct Grammar {
  std::vector<NodeKind> kinds;   // by symbol id
  std::vector<NodeField> fields;  // by field id

  Grammar() {
    const TSLanguage* language = tree_sitter_bash();
    static const std::unordered_map<std::string_view, NodeKind> named = {
        {"program", NodeKind::Program},
        {"command", NodeKind::Command},
        {"command_name", NodeKind::CommandName},
        {"word", NodeKind::Word},
        {"string", NodeKind::String},
        {"raw_string", NodeKind::RawString},
        {"ansi_c_string", NodeKind::AnsiCString},
        {"translated_string", NodeKind::TranslatedString},
        {"string_content", NodeKind::StringContent},
        {"simple_expansion", NodeKind::SimpleExpansion},
        {"expansion", NodeKind::Expansion},
        {"command_substitution", NodeKind::CommandSubstitution},
        {"process_substitution", NodeKind::ProcessSubstitution},
        {"arithmetic_expansion", NodeKind::ArithmeticExpansion},
        {"brace_expression", NodeKind::BraceExpression},
        {"variable_assignment", NodeKind::VariableAssignment},
        {"variable_assignments", NodeKind::VariableAssignments},
        {"declaration_command", NodeKind::DeclarationCommand},
        {"unset_command", NodeKind::UnsetCommand},
        {"test_command", NodeKind::TestCommand},
        {"redirected_statement", NodeKind::RedirectedStatement},
        {"file_redirect", NodeKind::FileRedirect},
        {"heredoc_redirect", NodeKind::HeredocRedirect},
        {"herestring_redirect", NodeKind::HerestringRedirect},
        {"heredoc_start", NodeKind::HeredocStart},
        {"heredoc_body", NodeKind::HeredocBody},
        {"heredoc_end", NodeKind::HeredocEnd},
        {"file_descriptor", NodeKind::FileDescriptor},
        {"list", NodeKind::List},
        {"pipeline", NodeKind::Pipeline},
        {"subshell", NodeKind::Subshell},
        {"compound_statement", NodeKind::CompoundStatement},
        {"if_statement", NodeKind::IfStatement},
        {"elif_clause", NodeKind::ElifClause},
        {"else_clause", NodeKind::ElseClause},
        {"while_statement", NodeKind::WhileStatement},
        {"for_statement", NodeKind::ForStatement},
        {"c_style_for_statement", NodeKind::CStyleForStatement},
        {"case_statement", NodeKind::CaseStatement},
        {"case_item", NodeKind::CaseItem},
        {"do_group", NodeKind::DoGroup},
        {"function_definition", NodeKind::FunctionDefinition},
        {"negated_command", NodeKind::NegatedCommand},
        {"comment", NodeKind::Comment},
        {"ERROR", NodeKind::Error},
    };
    static const std::unordered_map<std::string_view, NodeKind> anonymous = {
        {"&", NodeKind::Ampersand},     {"&&", NodeKind::AndAnd},      {"||", NodeKind::OrOr},
        {"|", NodeKind::Bar},           {"|&", NodeKind::BarAmpersand}, {"then", NodeKind::Then},
        {"+=", NodeKind::PlusEquals},   {"if", NodeKind::Keyword},     {"fi", NodeKind::Keyword},
        {"do", NodeKind::Keyword},      {"done", NodeKind::Keyword},   {"{", NodeKind::Keyword},
        {"}", NodeKind::Keyword},       {"(", NodeKind::Keyword},      {")", NodeKind::Keyword},
        {"case", NodeKind::Keyword},    {"esac", NodeKind::Keyword},   {"in", NodeKind::Keyword},
        {"elif", NodeKind::Keyword},    {"else", NodeKind::Keyword},   {"while", NodeKind::Keyword},
        {"until", NodeKind::Keyword},   {"for", NodeKind::Keyword},    {";;", NodeKind::Keyword},
        {";&", NodeKind::Keyword},      {";;&", NodeKind::Keyword},
    };
    uint32_t count = ts_language_symbol_count(language);
    kinds.assign(count, NodeKind::Other);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      const char* symbol_name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
      if (!symbol_name) continue;
      TSSymbolType type = ts_language_symbol_type(language, static_cast<TSSymbol>(symbol));
      const auto& table = type == TSSymbolTypeAnonymous ? anonymous : named;
      if (auto found = table.find(symbol_name); found != table.end()) kinds[symbol] = found->second;
    }
    fields.assign(ts_language_field_count(language) + 1, NodeField::None);
    auto field = [&](const char* field_name, NodeField value) {
      TSFieldId id =
          ts_language_field_id_for_name(language, field_name, static_cast<uint32_t>(std::strlen(field_name)));
      if (id != 0 && id < fields.size()) fields[id] = value;
    };
    field("name", NodeField::Name);
    field("argument", NodeField::Argument);
    field("redirect", NodeField::Redirect);
    field("body", NodeField::Body);
    field("value", NodeField::Value);
    field("descriptor", NodeField::Descriptor);
    field("destination", NodeField::Destination);
    field("right", NodeField::Right);
    field("operator", NodeField::Operator);
  }

  NodeKind kind(TSNode node) const {
    if (ts_node_is_error(node)) return NodeKind::Error;
    TSSymbol symbol = ts_node_symbol(node);
    return symbol < kinds.size() ? kinds[symbol] : NodeKind::Other;
  }
  NodeField field(TSFieldId id) const { return id < fields.size() ? fields[id] : NodeField::None; }
};

const Grammar& grammar() {
  static const Grammar instance;
  return instance;
}

// One parser per thread: parsers are not thread-safe, and creating one per text is wasteful.
TSParser* thread_parser() {
  struct Holder {
    TSParser* parser = ts_parser_new();
    Holder() { ts_parser_set_language(parser, tree_sitter_bash()); }
    ~Holder() { ts_parser_delete(parser); }
  };
  thread_local Holder holder;
  return holder.parser;
}

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePointer = std::unique_ptr<TSTree, TreeDeleter>;

// The innermost node along the first path of children holding an error.
void note_first_error(TSNode root, SyntaxTree& out) {
  TSNode node = root;
  for (;;) {
    if (ts_node_is_error(node) || ts_node_is_missing(node)) break;
    TSNode next = node;
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode child = ts_tree_cursor_current_node(&cursor);
        if (ts_node_has_error(child) || ts_node_is_missing(child)) {
          next = child;
          break;
        }
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    if (ts_node_eq(next, node)) break;
    node = next;
  }
  out.has_error = true;
  out.first_error_begin = ts_node_start_byte(node);
  out.first_error_end = ts_node_end_byte(node);
}

}  // namespace

void parse_with_tree_sitter(std::string_view text, SyntaxTree& tree) {
  tree.clear();
  TreePointer parsed(
      ts_parser_parse_string(thread_parser(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
  if (!parsed) {
    tree.nodes.push_back({0, 0, 1, 0, NodeKind::Program, NodeField::None, true});
    return;
  }
  TSNode root = ts_tree_root_node(parsed.get());
  if (ts_node_has_error(root)) note_first_error(root, tree);
  // Copied in pre-order with a cursor: a loop, not recursion, since nesting is attacker-controlled.
  const Grammar& symbols = grammar();
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  std::vector<uint32_t> open;  // indices of the nodes whose subtree is being copied
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    SyntaxNode copy;
    copy.begin = ts_node_start_byte(node);
    copy.end = ts_node_end_byte(node);
    copy.child_count = ts_node_child_count(node);
    copy.kind = symbols.kind(node);
    copy.field = symbols.field(ts_tree_cursor_current_field_id(&cursor));
    copy.named = ts_node_is_named(node);
    auto index = static_cast<uint32_t>(tree.nodes.size());
    tree.nodes.push_back(copy);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      open.push_back(index);
      continue;
    }
    // A leaf: close every ancestor that has no further child, then go on with the next sibling.
    bool done = false;
    for (;;) {
      if (open.empty()) {
        done = true;
        break;
      }
      if (ts_tree_cursor_goto_next_sibling(&cursor)) break;
      ts_tree_cursor_goto_parent(&cursor);
      uint32_t parent = open.back();
      open.pop_back();
      tree.nodes[parent].size = static_cast<uint32_t>(tree.nodes.size()) - parent;
    }
    if (done) break;
  }
  ts_tree_cursor_delete(&cursor);
  tree.nodes[0].size = static_cast<uint32_t>(tree.nodes.size());
}

}  // namespace shiftlint::shell
