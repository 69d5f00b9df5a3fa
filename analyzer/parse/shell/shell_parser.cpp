#include "analyzer/parse/shell/shell_parser.h"

#include "analyzer/parse/shell/effective_command.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

extern "C" const TSLanguage* tree_sitter_bash();

namespace shiftlint::shell {

namespace {

// The node types the walk tells apart. Looked up per symbol id once: several ids can share a name
// (aliases), so a table over all ids is safer than one id per name.
enum class Kind : uint8_t {
  Other,
  Program,
  Command,
  CommandName,
  Word,
  String,
  RawString,
  AnsiCString,
  TranslatedString,
  StringContent,
  SimpleExpansion,
  Expansion,
  CommandSubstitution,
  ProcessSubstitution,
  ArithmeticExpansion,
  BraceExpression,
  VariableAssignment,
  VariableAssignments,
  DeclarationCommand,
  UnsetCommand,
  TestCommand,
  RedirectedStatement,
  FileRedirect,
  HeredocRedirect,
  HerestringRedirect,
  HeredocStart,
  HeredocBody,
  HeredocEnd,
  FileDescriptor,
  List,
  Pipeline,
  Subshell,
  CompoundStatement,
  IfStatement,
  ElifClause,
  ElseClause,
  WhileStatement,
  ForStatement,
  CStyleForStatement,
  CaseStatement,
  CaseItem,
  DoGroup,
  FunctionDefinition,
  NegatedCommand,
  Comment,
  Error,
  // Anonymous tokens.
  Ampersand,     // &
  AndAnd,        // &&
  OrOr,          // ||
  Bar,           // |
  BarAmpersand,  // |&
  Then,          // then
  PlusEquals,    // +=
  Keyword,       // if fi do done { } ( ) case esac in elif else while until for: statement boundaries
};

struct Grammar {
  std::vector<Kind> kinds;  // by symbol id
  TSFieldId name = 0, argument = 0, redirect = 0, body = 0, value = 0, descriptor = 0, destination = 0,
            right = 0, operator_field = 0;

  Grammar() {
    const TSLanguage* language = tree_sitter_bash();
    static const std::unordered_map<std::string_view, Kind> named = {
        {"program", Kind::Program},
        {"command", Kind::Command},
        {"command_name", Kind::CommandName},
        {"word", Kind::Word},
        {"string", Kind::String},
        {"raw_string", Kind::RawString},
        {"ansi_c_string", Kind::AnsiCString},
        {"translated_string", Kind::TranslatedString},
        {"string_content", Kind::StringContent},
        {"simple_expansion", Kind::SimpleExpansion},
        {"expansion", Kind::Expansion},
        {"command_substitution", Kind::CommandSubstitution},
        {"process_substitution", Kind::ProcessSubstitution},
        {"arithmetic_expansion", Kind::ArithmeticExpansion},
        {"brace_expression", Kind::BraceExpression},
        {"variable_assignment", Kind::VariableAssignment},
        {"variable_assignments", Kind::VariableAssignments},
        {"declaration_command", Kind::DeclarationCommand},
        {"unset_command", Kind::UnsetCommand},
        {"test_command", Kind::TestCommand},
        {"redirected_statement", Kind::RedirectedStatement},
        {"file_redirect", Kind::FileRedirect},
        {"heredoc_redirect", Kind::HeredocRedirect},
        {"herestring_redirect", Kind::HerestringRedirect},
        {"heredoc_start", Kind::HeredocStart},
        {"heredoc_body", Kind::HeredocBody},
        {"heredoc_end", Kind::HeredocEnd},
        {"file_descriptor", Kind::FileDescriptor},
        {"list", Kind::List},
        {"pipeline", Kind::Pipeline},
        {"subshell", Kind::Subshell},
        {"compound_statement", Kind::CompoundStatement},
        {"if_statement", Kind::IfStatement},
        {"elif_clause", Kind::ElifClause},
        {"else_clause", Kind::ElseClause},
        {"while_statement", Kind::WhileStatement},
        {"for_statement", Kind::ForStatement},
        {"c_style_for_statement", Kind::CStyleForStatement},
        {"case_statement", Kind::CaseStatement},
        {"case_item", Kind::CaseItem},
        {"do_group", Kind::DoGroup},
        {"function_definition", Kind::FunctionDefinition},
        {"negated_command", Kind::NegatedCommand},
        {"comment", Kind::Comment},
        {"ERROR", Kind::Error},
    };
    static const std::unordered_map<std::string_view, Kind> anonymous = {
        {"&", Kind::Ampersand}, {"&&", Kind::AndAnd},     {"||", Kind::OrOr},       {"|", Kind::Bar},
        {"|&", Kind::BarAmpersand}, {"then", Kind::Then}, {"+=", Kind::PlusEquals}, {"if", Kind::Keyword},
        {"fi", Kind::Keyword},  {"do", Kind::Keyword},    {"done", Kind::Keyword},  {"{", Kind::Keyword},
        {"}", Kind::Keyword},   {"(", Kind::Keyword},     {")", Kind::Keyword},     {"case", Kind::Keyword},
        {"esac", Kind::Keyword}, {"in", Kind::Keyword},   {"elif", Kind::Keyword},  {"else", Kind::Keyword},
        {"while", Kind::Keyword}, {"until", Kind::Keyword}, {"for", Kind::Keyword}, {";;", Kind::Keyword},
        {";&", Kind::Keyword},  {";;&", Kind::Keyword},
    };
    uint32_t count = ts_language_symbol_count(language);
    kinds.assign(count, Kind::Other);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      const char* symbol_name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
      if (!symbol_name) continue;
      TSSymbolType type = ts_language_symbol_type(language, static_cast<TSSymbol>(symbol));
      const auto& table = type == TSSymbolTypeAnonymous ? anonymous : named;
      if (auto found = table.find(symbol_name); found != table.end()) kinds[symbol] = found->second;
    }
    auto field = [&](const char* field_name) {
      return ts_language_field_id_for_name(language, field_name, static_cast<uint32_t>(std::strlen(field_name)));
    };
    name = field("name");
    argument = field("argument");
    redirect = field("redirect");
    body = field("body");
    value = field("value");
    descriptor = field("descriptor");
    destination = field("destination");
    right = field("right");
    operator_field = field("operator");
  }

  Kind kind(TSNode node) const {
    if (ts_node_is_error(node)) return Kind::Error;
    TSSymbol symbol = ts_node_symbol(node);
    return symbol < kinds.size() ? kinds[symbol] : Kind::Other;
  }
};

const Grammar& grammar() {
  static const Grammar instance;
  return instance;
}

// One parser per thread: parsers are not thread-safe, and creating one per file is wasteful.
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

struct Child {
  TSNode node;
  TSFieldId field;
  Kind kind;
};

// Children through a cursor: ts_node_child(i) walks from the first child each time. One cursor per
// thread, reset for each node: creating one allocates.
std::vector<Child> children_of(TSNode node) {
  struct Holder {
    TSTreeCursor cursor;
    bool created = false;
    ~Holder() {
      if (created) ts_tree_cursor_delete(&cursor);
    }
  };
  thread_local Holder holder;
  if (holder.created) {
    ts_tree_cursor_reset(&holder.cursor, node);
  } else {
    holder.cursor = ts_tree_cursor_new(node);
    holder.created = true;
  }
  TSTreeCursor& cursor = holder.cursor;
  std::vector<Child> children;
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    children.reserve(ts_node_child_count(node));
    const Grammar& symbols = grammar();
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      children.push_back({child, ts_tree_cursor_current_field_id(&cursor), symbols.kind(child)});
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  return children;
}

// Whether text may hold a command or process substitution: `$(`, `<(`, `>(` or a backtick.
bool may_hold_substitution(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '`') return true;
    if (c == '(' && i > 0 && (text[i - 1] == '$' || text[i - 1] == '<' || text[i - 1] == '>')) return true;
  }
  return false;
}

bool is_statement(Kind kind) {
  switch (kind) {
    case Kind::Command:
    case Kind::RedirectedStatement:
    case Kind::List:
    case Kind::Pipeline:
    case Kind::Subshell:
    case Kind::CompoundStatement:
    case Kind::IfStatement:
    case Kind::WhileStatement:
    case Kind::ForStatement:
    case Kind::CStyleForStatement:
    case Kind::CaseStatement:
    case Kind::FunctionDefinition:
    case Kind::NegatedCommand:
    case Kind::TestCommand:
    case Kind::VariableAssignment:
    case Kind::VariableAssignments:
    case Kind::DeclarationCommand:
    case Kind::UnsetCommand:
    case Kind::Error:
      return true;
    default:
      return false;
  }
}

bool is_expansion(Kind kind) {
  return kind == Kind::SimpleExpansion || kind == Kind::Expansion || kind == Kind::CommandSubstitution ||
         kind == Kind::ProcessSubstitution || kind == Kind::ArithmeticExpansion || kind == Kind::BraceExpression;
}

// Where a command runs, handed down the walk.
struct Context {
  bool background = false;
  bool in_pipeline = false;
  bool in_condition = false;
  bool in_branch = false;
  bool in_loop = false;
  bool in_subshell = false;
  bool in_command_substitution = false;
  bool in_process_substitution = false;
  bool tail = false;  // the statement may be the last one the script (or function body) runs
  bool tail_of_function = false;  // `tail` is about the enclosing function body, not the script
  // Only the first command of this list is a pipeline stage: `cat <<EOF | sh && echo done`, which
  // the grammar nests as `cat <<EOF` + `| (sh && echo done)`.
  bool pipeline_head = false;
  std::string_view function_name;
  uint32_t parent = kNoParent;
  Nesting nesting = Nesting::None;
  const std::vector<Redirection>* inherited_redirections = nullptr;
};

// Builds a word's value, and optionally the TextMap of that value (for a `sh -c` string).
class ValueBuilder {
 public:
  ValueBuilder(const TextMap& source, TextMap* map) : source_(source), map_(map) {}
  void copy(size_t begin, size_t end) {
    if (begin >= end) return;
    value_.append(std::string_view(source_.text()).substr(begin, end - begin));
    if (map_) append_mapped(*map_, source_, begin, end);
  }
  void insert(std::string_view text, size_t at) {
    value_.append(text);
    if (map_ && !text.empty()) map_->append_inserted(text, source_.file_offset(at));
  }
  std::string take() { return std::move(value_); }

 private:
  const TextMap& source_;
  TextMap* map_;
  std::string value_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Walker {
 public:
  Walker(const SourceFile& file, const TextMap& map, Script& out, uint32_t shell_string_depth)
      : file_(file), map_(map), text_(map.text()), out_(out), shell_string_depth_(shell_string_depth) {}

  void run(const Context& context) {
    TSParser* parser = thread_parser();
    TreePointer tree(ts_parser_parse_string(parser, nullptr, text_.data(), static_cast<uint32_t>(text_.size())));
    if (!tree) return;
    TSNode root = ts_tree_root_node(tree.get());
    if (ts_node_has_error(root)) note_syntax_error(root);
    statements(root, context);
  }

 private:
  // --- positions --------------------------------------------------------------------------------
  Span span_of(size_t begin, size_t end) const { return map_.span_of(file_, begin, end); }
  Span span_of(TSNode node) const { return span_of(ts_node_start_byte(node), ts_node_end_byte(node)); }
  std::string_view text_of(TSNode node) const {
    uint32_t begin = ts_node_start_byte(node), end = ts_node_end_byte(node);
    return text_.substr(begin, end - begin);
  }

  // Guards every recursive step: nesting is attacker-controlled.
  struct DepthGuard {
    Walker& walker;
    bool ok;
    explicit DepthGuard(Walker& w) : walker(w), ok(++w.depth_ <= kMaxNestingDepth) {
      if (!ok) w.out_.truncated = true;
    }
    ~DepthGuard() { --walker.depth_; }
  };

  void note_syntax_error(TSNode root) {
    out_.has_syntax_errors = true;
    if (!out_.first_syntax_error.empty()) return;
    // Descend along the first child holding an error: a loop, not recursion.
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
    out_.first_syntax_error = span_of(ts_node_start_byte(node), ts_node_end_byte(node));
  }

  // --- statements -------------------------------------------------------------------------------

  // The statements of a program, group, branch or loop body, with what separates them.
  void statements(TSNode container, const Context& context) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    std::vector<Child> children = children_of(container);
    Kind container_kind = grammar().kind(container);
    bool in_if = container_kind == Kind::IfStatement || container_kind == Kind::ElifClause;
    bool seen_then = false;
    bool first = true;
    for (size_t i = 0; i < children.size(); ++i) {
      const Child& child = children[i];
      if (child.kind == Kind::Then) seen_then = true;
      if (!is_statement(child.kind)) {
        if (child.kind == Kind::ElifClause || child.kind == Kind::ElseClause) {
          Context branch = context;
          branch.in_branch = true;
          pending_ = Connector::Sequence;
          statements(child.node, branch);
        } else if (container_kind == Kind::Error) {
          scan_substitutions(child.node, context);
        }
        continue;
      }
      // The statement is backgrounded when `&` follows it; it is the last of its run when no other
      // statement follows before a keyword (`fi`, `else`, `}`, `done`, `;;`) or the end.
      bool background = false;
      bool last = true;
      for (size_t j = i + 1; j < children.size(); ++j) {
        Kind next = children[j].kind;
        if (next == Kind::Comment) continue;
        if (next == Kind::Ampersand && j == i + 1) background = true;
        if (is_statement(next)) last = false;
        if (is_statement(next) || next == Kind::Keyword || next == Kind::Then || next == Kind::ElifClause ||
            next == Kind::ElseClause) {
          break;
        }
      }
      Context inner = context;
      inner.background = context.background || background;
      if (in_if) {
        inner.in_condition = context.in_condition || !seen_then;
        inner.in_branch = context.in_branch || seen_then;
      }
      inner.tail = context.tail && last && !(in_if && !seen_then) && !background;
      if (container_kind == Kind::CaseItem) inner.in_branch = true;
      if (!first) pending_ = Connector::Sequence;
      first = false;
      statement(child.node, child.kind, inner);
    }
  }

  void statement(TSNode node, Kind kind, const Context& context) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    switch (kind) {
      case Kind::Command:
        command(node, context, {});
        break;
      case Kind::RedirectedStatement:
        redirected_statement(node, context);
        break;
      case Kind::List:
        list(node, context);
        break;
      case Kind::Pipeline:
        pipeline(node, context);
        break;
      case Kind::Subshell: {
        Context inner = context;
        inner.in_subshell = true;
        statements(node, inner);
        break;
      }
      case Kind::CompoundStatement:
      case Kind::Error:
        statements(node, context);
        break;
      case Kind::IfStatement:
        statements(node, context);
        break;
      case Kind::WhileStatement:
        while_statement(node, context);
        break;
      case Kind::ForStatement:
      case Kind::CStyleForStatement:
        for_statement(node, context);
        break;
      case Kind::CaseStatement:
        case_statement(node, context);
        break;
      case Kind::FunctionDefinition:
        function_definition(node, context);
        break;
      case Kind::NegatedCommand:
        for (const Child& child : children_of(node)) {
          if (is_statement(child.kind)) statement(child.node, child.kind, context);
        }
        break;
      case Kind::TestCommand:
        scan_substitutions(node, context);
        break;
      case Kind::VariableAssignment:
        out_.assignments.push_back(assignment(node, ""));
        scan_substitutions(node, context);
        break;
      case Kind::VariableAssignments:
        for (const Child& child : children_of(node)) {
          if (child.kind == Kind::VariableAssignment) out_.assignments.push_back(assignment(child.node, ""));
        }
        scan_substitutions(node, context);
        break;
      case Kind::DeclarationCommand:
      case Kind::UnsetCommand:
        declaration(node, context);
        break;
      default:
        break;
    }
  }

  // `a && b || c`: tree-sitter nests lists to the left, one level per operator. Walked iteratively so
  // that a long chain of `&&` costs no depth.
  void list(TSNode node, const Context& context) {
    std::vector<TSNode> chain{node};
    for (;;) {
      std::vector<Child> children = children_of(chain.back());
      if (children.empty() || children.front().kind != Kind::List) break;
      chain.push_back(children.front().node);
    }
    for (size_t level = chain.size(); level-- > 0;) {
      std::vector<Child> children = children_of(chain[level]);
      for (size_t i = 0; i < children.size(); ++i) {
        const Child& child = children[i];
        if (i == 0 && level + 1 < chain.size()) continue;  // the inner list, already walked
        if (child.kind == Kind::AndAnd) {
          pending_ = Connector::And;
        } else if (child.kind == Kind::OrOr) {
          pending_ = Connector::Or;
        } else if (is_statement(child.kind)) {
          Context inner = context;
          inner.tail = context.tail && level == 0 && i + 1 == children.size();
          inner.pipeline_head = false;
          if (context.pipeline_head && level + 1 == chain.size() && i == 0) inner.in_pipeline = true;
          statement(child.node, child.kind, inner);
        }
      }
    }
  }

  void pipeline(TSNode node, const Context& context) {
    std::vector<Child> children = children_of(node);
    size_t last_statement = children.size();
    for (size_t i = 0; i < children.size(); ++i) {
      if (is_statement(children[i].kind)) last_statement = i;
    }
    for (size_t i = 0; i < children.size(); ++i) {
      const Child& child = children[i];
      if (child.kind == Kind::Bar || child.kind == Kind::BarAmpersand) {
        pending_ = Connector::Pipe;
      } else if (is_statement(child.kind)) {
        Context inner = context;
        if (child.kind == Kind::List) {
          inner.pipeline_head = true;
        } else {
          inner.in_pipeline = true;
        }
        inner.tail = context.tail && i == last_statement;
        statement(child.node, child.kind, inner);
      }
    }
  }

  void while_statement(TSNode node, const Context& context) {
    for (const Child& child : children_of(node)) {
      Context inner = context;
      inner.tail = false;
      if (child.kind == Kind::DoGroup) {
        inner.in_loop = true;
        pending_ = Connector::Sequence;
        statements(child.node, inner);
      } else if (is_statement(child.kind)) {
        inner.in_condition = true;
        statement(child.node, child.kind, inner);
      }
    }
  }

  void for_statement(TSNode node, const Context& context) {
    Context inner = context;
    inner.tail = false;
    for (const Child& child : children_of(node)) {
      if (child.kind == Kind::DoGroup || child.kind == Kind::CompoundStatement) {
        Context body = inner;
        body.in_loop = true;
        statements(child.node, body);
      } else if (child.field == grammar().value) {
        scan_substitutions(child.node, inner);
      }
    }
  }

  void case_statement(TSNode node, const Context& context) {
    for (const Child& child : children_of(node)) {
      if (child.kind == Kind::CaseItem) {
        Context item = context;
        item.in_branch = true;
        pending_ = Connector::Sequence;
        statements(child.node, item);
      } else if (child.field == grammar().value) {
        scan_substitutions(child.node, context);
      }
    }
  }

  void function_definition(TSNode node, const Context& context) {
    Context inner = context;
    inner.tail = true;
    inner.tail_of_function = true;
    inner.background = false;
    for (const Child& child : children_of(node)) {
      if (child.field == grammar().name) inner.function_name = text_of(child.node);
    }
    for (const Child& child : children_of(node)) {
      if (child.field != grammar().body) continue;
      Connector saved = pending_;
      pending_ = Connector::None;
      if (child.kind == Kind::CompoundStatement || child.kind == Kind::Subshell) {
        Context body = inner;
        body.in_subshell = child.kind == Kind::Subshell;
        statements(child.node, body);
      } else {
        statement(child.node, child.kind, inner);
      }
      pending_ = saved;
    }
  }

  void redirected_statement(TSNode node, const Context& context) {
    std::vector<Child> children = children_of(node);
    std::vector<TSNode> redirects;
    const Child* body = nullptr;
    // Text after a heredoc operator on its line (`cat <<EOF | sh`, `cat <<EOF && x`) is nested in
    // the heredoc redirect by the grammar.
    std::vector<TSNode> trailing;
    bool trailing_pipe = false;
    for (const Child& child : children) {
      if (child.field == grammar().body) {
        body = &child;
      } else if (child.kind == Kind::FileRedirect || child.kind == Kind::HeredocRedirect ||
                 child.kind == Kind::HerestringRedirect) {
        redirects.push_back(child.node);
        if (child.kind == Kind::HeredocRedirect) {
          for (const Child& part : children_of(child.node)) {
            if (part.kind == Kind::Pipeline || part.field == grammar().right ||
                part.field == grammar().operator_field) {
              trailing.push_back(part.node);
              if (part.kind == Kind::Pipeline) trailing_pipe = true;
            }
          }
        }
      }
    }
    Context head = context;
    if (!trailing.empty()) head.tail = false;
    if (trailing_pipe) head.in_pipeline = true;
    if (body && body->kind == Kind::Command) {
      command(body->node, head, redirects);
    } else if (body) {
      std::vector<Redirection> inherited;
      if (context.inherited_redirections) inherited = *context.inherited_redirections;
      for (TSNode redirect : redirects) {
        if (grammar().kind(redirect) == Kind::HeredocRedirect) continue;
        Redirection redirection = redirection_of(redirect);
        redirection.from_enclosing_group = true;
        inherited.push_back(std::move(redirection));
      }
      Context group = head;
      group.inherited_redirections = &inherited;
      statement(body->node, body->kind, group);
      for (TSNode redirect : redirects) scan_substitutions(redirect, context);
    }
    for (TSNode part : trailing) {
      Kind kind = grammar().kind(part);
      if (kind == Kind::AndAnd) {
        pending_ = Connector::And;
      } else if (kind == Kind::OrOr) {
        pending_ = Connector::Or;
      } else if (is_statement(kind)) {
        statement(part, kind, context);
      }
    }
  }

  // --- commands ---------------------------------------------------------------------------------

  void command(TSNode node, const Context& context, const std::vector<TSNode>& outer_redirects) {
    Command result;
    std::vector<TSNode> word_nodes;  // name, then arguments: to parse a `sh -c` string again
    std::vector<TSNode> nested;      // nodes that may hold substitutions
    std::vector<TSNode> heredoc_nodes;
    uint32_t end = ts_node_end_byte(node);
    auto add_redirect = [&](TSNode redirect) {
      Kind kind = grammar().kind(redirect);
      nested.push_back(redirect);
      if (kind == Kind::HeredocRedirect) {
        heredoc_nodes.push_back(redirect);
        for (const Child& part : children_of(redirect)) {
          if (part.kind == Kind::HeredocStart) end = std::max(end, ts_node_end_byte(part.node));
          if (part.kind == Kind::FileRedirect || part.kind == Kind::HerestringRedirect) {
            result.redirections.push_back(redirection_of(part.node));
            end = std::max(end, ts_node_end_byte(part.node));
          }
        }
        return;
      }
      result.redirections.push_back(redirection_of(redirect));
      end = std::max(end, ts_node_end_byte(redirect));
    };
    for (const Child& child : children_of(node)) {
      if (child.kind == Kind::VariableAssignment) {
        result.environment.push_back(assignment(child.node, ""));
        nested.push_back(child.node);
      } else if (child.field == grammar().name) {
        result.name = word(child.node);
        word_nodes.push_back(child.node);
        nested.push_back(child.node);
      } else if (child.field == grammar().argument) {
        result.arguments.push_back(word(child.node));
        word_nodes.push_back(child.node);
        nested.push_back(child.node);
      } else if (child.field == grammar().redirect) {
        add_redirect(child.node);
      } else if (is_statement(child.kind)) {
        nested.push_back(child.node);
      }
    }
    for (TSNode redirect : outer_redirects) add_redirect(redirect);
    for (TSNode heredoc : heredoc_nodes) result.heredocs.push_back(heredoc_of(heredoc));
    if (context.inherited_redirections) {
      result.redirections.insert(result.redirections.end(), context.inherited_redirections->begin(),
                                 context.inherited_redirections->end());
    }
    result.span = span_of(ts_node_start_byte(node), end);
    apply(context, result);
    auto index = static_cast<uint32_t>(out_.commands.size());
    out_.commands.push_back(std::move(result));
    if (program_name(out_.commands[index].name) == "set") shell_options(index);

    Context inner = context;
    inner.parent = index;
    inner.tail = false;
    inner.in_pipeline = false;
    inner.inherited_redirections = nullptr;
    for (TSNode part : nested) scan_substitutions(part, inner);
    parse_shell_string(index, word_nodes, context);
  }

  void apply(const Context& context, Command& command) {
    command.connector = pending_;
    pending_ = Connector::None;
    command.background = context.background;
    command.in_pipeline = context.in_pipeline;
    command.in_condition = context.in_condition;
    command.in_branch = context.in_branch;
    command.in_loop = context.in_loop;
    command.in_subshell = context.in_subshell;
    command.in_command_substitution = context.in_command_substitution;
    command.in_process_substitution = context.in_process_substitution;
    command.function_name = std::string(context.function_name);
    command.ends_script = context.tail && !context.tail_of_function;
    command.ends_function = context.tail && context.tail_of_function;
    command.parent = context.parent;
    command.nesting = context.nesting;
    command.shell_string_depth = shell_string_depth_;
  }

  // `export A=1 B`, `local -r x=$(y)`, `unset A`: a command named by the builtin, plus the
  // assignments it declares.
  void declaration(TSNode node, const Context& context) {
    Command result;
    bool named = false;
    for (const Child& child : children_of(node)) {
      if (!named && !ts_node_is_named(child.node)) {
        result.name = literal_word(child.node);
        named = true;
        continue;
      }
      if (child.kind == Kind::Comment) continue;
      result.arguments.push_back(word(child.node));
      if (child.kind == Kind::VariableAssignment && grammar().kind(node) == Kind::DeclarationCommand) {
        out_.assignments.push_back(assignment(child.node, result.name.value));
      }
    }
    result.span = span_of(node);
    apply(context, result);
    auto index = static_cast<uint32_t>(out_.commands.size());
    out_.commands.push_back(std::move(result));
    Context inner = context;
    inner.parent = index;
    inner.tail = false;
    inner.in_pipeline = false;
    scan_substitutions(node, inner);
  }

  // `sh -c "..."`: the string is shell too. Parsed with a map into the string literal, so its
  // commands land on the file's columns.
  void parse_shell_string(uint32_t index, const std::vector<TSNode>& word_nodes, const Context& context) {
    if (shell_string_depth_ >= kMaxShellStringDepth) {
      if (effective_command(out_.commands[index]).shell_string) out_.truncated = true;
      return;
    }
    const Command& command = out_.commands[index];
    const Word* string = effective_command(command).shell_string;
    if (!string) return;
    size_t position = string == &command.name ? 0 : static_cast<size_t>(string - command.arguments.data()) + 1;
    if (position >= word_nodes.size()) return;
    TextMap inner_map;
    ValueBuilder builder(map_, &inner_map);
    decode(word_nodes[position], builder, nullptr);
    Context inner;
    inner.background = context.background;
    inner.in_condition = context.in_condition;
    inner.in_branch = context.in_branch;
    inner.in_loop = context.in_loop;
    inner.in_subshell = context.in_subshell;
    inner.in_command_substitution = context.in_command_substitution;
    inner.in_process_substitution = context.in_process_substitution;
    inner.function_name = context.function_name;
    inner.tail = true;
    inner.tail_of_function = false;
    inner.parent = index;
    inner.nesting = Nesting::ShellString;
    Walker nested(file_, inner_map, out_, shell_string_depth_ + 1);
    nested.depth_ = depth_;
    nested.run(inner);
  }

  void shell_options(uint32_t index) {
    static const std::unordered_map<char, std::string_view> letters = {
        {'a', "allexport"}, {'b', "notify"},     {'e', "errexit"},   {'f', "noglob"},     {'h', "hashall"},
        {'k', "keyword"},   {'m', "monitor"},    {'n', "noexec"},    {'p', "privileged"}, {'t', "onecmd"},
        {'u', "nounset"},   {'v', "verbose"},    {'x', "xtrace"},    {'B', "braceexpand"}, {'C', "noclobber"},
        {'E', "errtrace"},  {'H', "histexpand"}, {'P', "physical"},  {'T', "functrace"},
    };
    const std::vector<Word>& arguments = out_.commands[index].arguments;
    for (size_t i = 0; i < arguments.size(); ++i) {
      const Word& argument = arguments[i];
      std::string_view value = argument.value;
      if (argument.has_expansion || value.size() < 2 || (value[0] != '-' && value[0] != '+') || value == "--") break;
      bool enabled = value[0] == '-';
      bool takes_name = false;
      for (char letter : value.substr(1)) {
        if (letter == 'o') {
          takes_name = true;
        } else if (auto found = letters.find(letter); found != letters.end()) {
          out_.options.push_back({std::string(found->second), enabled, argument.span, index});
        }
      }
      if (takes_name && i + 1 < arguments.size()) {
        ++i;
        out_.options.push_back({arguments[i].value, enabled, arguments[i].span, index});
      }
    }
  }

  // --- substitutions ----------------------------------------------------------------------------

  // Finds `$( )`, backticks and `<( )` in a word, expression or redirection, and walks the commands
  // inside as nested in context.parent.
  void scan_substitutions(TSNode node, const Context& context) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    Kind kind = grammar().kind(node);
    if (kind == Kind::CommandSubstitution || kind == Kind::ProcessSubstitution) {
      Context inner = context;
      inner.tail = false;
      inner.in_pipeline = false;
      inner.inherited_redirections = nullptr;
      inner.nesting = kind == Kind::CommandSubstitution ? Nesting::CommandSubstitution : Nesting::ProcessSubstitution;
      if (kind == Kind::CommandSubstitution) inner.in_command_substitution = true;
      if (kind == Kind::ProcessSubstitution) inner.in_process_substitution = true;
      Connector saved = pending_;
      pending_ = Connector::None;
      statements(node, inner);
      pending_ = saved;
      return;
    }
    if (kind == Kind::RawString || kind == Kind::Word || kind == Kind::Comment) return;
    if (!may_hold_substitution(text_of(node))) return;
    if (kind == Kind::HeredocRedirect) {
      // A quoted delimiter turns expansion off in the body.
      bool quoted = false;
      for (const Child& child : children_of(node)) {
        if (child.kind == Kind::HeredocStart) quoted = text_of(child.node).find_first_of("'\"\\") != std::string_view::npos;
      }
      for (const Child& child : children_of(node)) {
        if (child.kind == Kind::HeredocBody && quoted) continue;
        if (child.kind == Kind::Pipeline || is_statement(child.kind)) continue;  // walked as statements
        scan_substitutions(child.node, context);
      }
      return;
    }
    if (ts_node_child_count(node) == 0) return;
    for (const Child& child : children_of(node)) scan_substitutions(child.node, context);
  }

  // --- words ------------------------------------------------------------------------------------

  Word word(TSNode node) {
    Word result;
    result.text = std::string(text_of(node));
    result.span = span_of(node);
    ValueBuilder builder(map_, nullptr);
    decode(node, builder, &result.has_expansion);
    result.value = builder.take();
    return result;
  }

  Word literal_word(TSNode node) {
    Word result;
    result.text = std::string(text_of(node));
    result.value = result.text;
    result.span = span_of(node);
    return result;
  }

  // Quote removal and escapes; expansions are kept as written.
  void decode(TSNode node, ValueBuilder& out, bool* has_expansion) {
    DepthGuard guard(*this);
    if (!guard.ok) return;
    Kind kind = grammar().kind(node);
    uint32_t begin = ts_node_start_byte(node), end = ts_node_end_byte(node);
    auto expansion = [&] {
      if (has_expansion) *has_expansion = true;
      out.copy(begin, end);
    };
    switch (kind) {
      case Kind::RawString:
        // 'text': everything between the quotes, as is.
        if (end - begin >= 2 && text_[end - 1] == '\'') {
          out.copy(begin + 1, end - 1);
        } else {
          out.copy(begin + 1, end);
        }
        return;
      case Kind::String:
      case Kind::TranslatedString: {
        uint32_t open = begin + (text_[begin] == '$' ? 2 : 1);
        uint32_t close = end > open && text_[end - 1] == '"' ? end - 1 : end;
        if (kind == Kind::TranslatedString) {
          // $"..." holds a string node.
          for (const Child& child : children_of(node)) {
            if (child.kind == Kind::String) decode(child.node, out, has_expansion);
          }
          return;
        }
        uint32_t at = open;
        if (text_.substr(open, close - open).find_first_of("$`") == std::string_view::npos) {
          double_quoted(open, close, out);
          return;
        }
        for (const Child& child : children_of(node)) {
          uint32_t child_begin = ts_node_start_byte(child.node), child_end = ts_node_end_byte(child.node);
          if (!is_expansion(child.kind) || child_begin < open || child_end > close) continue;
          double_quoted(at, child_begin, out);
          if (has_expansion) *has_expansion = true;
          out.copy(child_begin, child_end);
          at = child_end;
        }
        double_quoted(at, close, out);
        return;
      }
      case Kind::AnsiCString:
        ansi_c(begin, end, out);
        return;
      case Kind::SimpleExpansion:
      case Kind::Expansion:
      case Kind::CommandSubstitution:
      case Kind::ProcessSubstitution:
      case Kind::ArithmeticExpansion:
      case Kind::BraceExpression:
        expansion();
        return;
      default:
        break;
    }
    // A word, a concatenation, a command name: the gaps between children are unquoted text.
    uint32_t at = begin;
    uint32_t child_count = ts_node_child_count(node);
    if (child_count == 1) {
      // A command name holding one word: no cursor needed.
      TSNode child = ts_node_child(node, 0);
      if (ts_node_is_named(child)) {
        unquoted(at, ts_node_start_byte(child), out);
        decode(child, out, has_expansion);
        at = ts_node_end_byte(child);
      }
    } else if (child_count > 1) {
      for (const Child& child : children_of(node)) {
        uint32_t child_begin = ts_node_start_byte(child.node);
        if (child_begin < at) continue;
        if (!ts_node_is_named(child.node)) continue;  // tokens stay part of the gap text
        unquoted(at, child_begin, out);
        decode(child.node, out, has_expansion);
        at = ts_node_end_byte(child.node);
      }
    }
    unquoted(at, end, out);
  }

  // Unquoted text: a backslash keeps the next character literally; backslash-newline vanishes.
  void unquoted(uint32_t begin, uint32_t end, ValueBuilder& out) {
    uint32_t run = begin;
    for (uint32_t i = begin; i < end; ++i) {
      if (text_[i] != '\\' || i + 1 >= end) continue;
      out.copy(run, i);
      run = text_[i + 1] == '\n' ? i + 2 : i + 1;
      ++i;
    }
    out.copy(run, end);
  }

  // Inside double quotes a backslash escapes only $ ` " \ and newline.
  void double_quoted(uint32_t begin, uint32_t end, ValueBuilder& out) {
    uint32_t run = begin;
    for (uint32_t i = begin; i + 1 < end; ++i) {
      if (text_[i] != '\\') continue;
      char next = text_[i + 1];
      if (next != '$' && next != '`' && next != '"' && next != '\\' && next != '\n') continue;
      out.copy(run, i);
      run = next == '\n' ? i + 2 : i + 1;
      ++i;
    }
    out.copy(run, end);
  }

  // $'...': C escapes.
  void ansi_c(uint32_t begin, uint32_t end, ValueBuilder& out) {
    uint32_t open = begin + 2;
    uint32_t close = end > open && text_[end - 1] == '\'' ? end - 1 : end;
    uint32_t run = open;
    for (uint32_t i = open; i < close; ++i) {
      if (text_[i] != '\\' || i + 1 >= close) continue;
      out.copy(run, i);
      char next = text_[i + 1];
      uint32_t consumed = 2;
      std::string replacement;
      switch (next) {
        case 'n': replacement = "\n"; break;
        case 't': replacement = "\t"; break;
        case 'r': replacement = "\r"; break;
        case 'a': replacement = "\a"; break;
        case 'b': replacement = "\b"; break;
        case 'e':
        case 'E': replacement = "\x1b"; break;
        case 'f': replacement = "\f"; break;
        case 'v': replacement = "\v"; break;
        case 'x': {
          int value = 0, digits = 0;
          while (digits < 2 && i + 2 + digits < close && hex_digit(text_[i + 2 + digits]) >= 0) {
            value = value * 16 + hex_digit(text_[i + 2 + digits]);
            ++digits;
          }
          if (digits == 0) {
            replacement = "\\x";
          } else {
            replacement = std::string(1, static_cast<char>(value));
            consumed += digits;
          }
          break;
        }
        default:
          if (next >= '0' && next <= '7') {
            int value = 0, digits = 0;
            while (digits < 3 && i + 1 + digits < close && text_[i + 1 + digits] >= '0' && text_[i + 1 + digits] <= '7') {
              value = value * 8 + (text_[i + 1 + digits] - '0');
              ++digits;
            }
            replacement = std::string(1, static_cast<char>(value));
            consumed = 1 + digits;
          } else {
            // \\ \' \" \? and unknown escapes: the character itself.
            out.copy(i + 1, i + 2);
            run = i + 2;
            ++i;
            continue;
          }
      }
      out.insert(replacement, i);
      run = i + consumed;
      i += consumed - 1;
    }
    out.copy(run, close);
  }

  Assignment assignment(TSNode node, std::string_view declaration) {
    Assignment result;
    result.span = span_of(node);
    result.declaration = std::string(declaration);
    result.shell_string_depth = shell_string_depth_;
    uint32_t value_at = ts_node_end_byte(node);
    bool has_value = false;
    for (const Child& child : children_of(node)) {
      if (child.field == grammar().name) {
        result.name = std::string(text_of(child.node));
      } else if (child.kind == Kind::PlusEquals) {
        result.appends = true;
        value_at = ts_node_end_byte(child.node);
      } else if (!ts_node_is_named(child.node)) {
        value_at = ts_node_end_byte(child.node);  // `=`
      } else if (child.field == grammar().value) {
        result.value = word(child.node);
        has_value = true;
      }
    }
    if (!has_value) result.value.span = span_of(value_at, value_at);
    return result;
  }

  Redirection redirection_of(TSNode node) {
    Redirection result;
    result.span = span_of(node);
    bool has_descriptor = false;
    bool target_set = false;
    for (const Child& child : children_of(node)) {
      if (child.field == grammar().descriptor || child.kind == Kind::FileDescriptor) {
        std::string_view digits = text_of(child.node);
        int value = -1;
        auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        result.descriptor = error == std::errc() && ptr == digits.data() + digits.size() ? value : -1;
        has_descriptor = true;
      } else if (!ts_node_is_named(child.node)) {
        result.operator_text = std::string(text_of(child.node));
      } else if (!target_set && child.kind != Kind::Comment) {
        result.target = word(child.node);
        target_set = true;
      }
    }
    std::string_view op = result.operator_text;
    bool numeric_target = !result.target.value.empty() &&
                          std::all_of(result.target.value.begin(), result.target.value.end(),
                                      [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    int default_descriptor = 1;
    if (grammar().kind(node) == Kind::HerestringRedirect) {
      result.kind = RedirectionKind::HereString;
      default_descriptor = 0;
    } else if (op == "<") {
      result.kind = RedirectionKind::Input;
      default_descriptor = 0;
    } else if (op == ">>") {
      result.kind = RedirectionKind::Append;
    } else if (op == "&>") {
      result.kind = RedirectionKind::OutputAndError;
    } else if (op == "&>>") {
      result.kind = RedirectionKind::AppendOutputAndError;
    } else if (op == "<>") {
      result.kind = RedirectionKind::ReadWrite;
      default_descriptor = 0;
    } else if (op == ">&" || op == ">&-") {
      result.kind = numeric_target || op == ">&-" || has_descriptor ? RedirectionKind::DuplicateOutput
                                                                   : RedirectionKind::OutputAndError;
    } else if (op == "<&" || op == "<&-") {
      result.kind = RedirectionKind::DuplicateInput;
      default_descriptor = 0;
    } else {
      result.kind = RedirectionKind::Output;  // > and >|
    }
    if (!has_descriptor) result.descriptor = default_descriptor;
    return result;
  }

  Heredoc heredoc_of(TSNode node) {
    Heredoc result;
    uint32_t operator_begin = ts_node_start_byte(node);
    uint32_t operator_end = operator_begin;
    uint32_t body_begin = 0, body_end = 0;
    bool has_body = false, has_end = false;
    for (const Child& child : children_of(node)) {
      std::string_view token = text_of(child.node);
      if (!ts_node_is_named(child.node) && (token == "<<" || token == "<<-")) {
        result.strip_tabs = token == "<<-";
      } else if (child.kind == Kind::HeredocStart) {
        operator_end = ts_node_end_byte(child.node);
        result.quoted = token.find_first_of("'\"\\") != std::string_view::npos;
        for (char c : token) {
          if (c != '\'' && c != '"' && c != '\\') result.delimiter += c;
        }
      } else if (child.kind == Kind::HeredocBody) {
        body_begin = ts_node_start_byte(child.node);
        body_end = ts_node_end_byte(child.node);
        has_body = true;
      } else if (child.kind == Kind::HeredocEnd) {
        body_end = ts_node_start_byte(child.node);
        if (!has_body) body_begin = body_end;
        has_body = true;
        has_end = true;
      }
    }
    result.operator_span = span_of(operator_begin, operator_end);
    result.terminated = has_end;
    if (has_body) {
      // The body ends with the line break before the delimiter line (whose tabs `<<-` strips).
      if (has_end) {
        while (body_end > body_begin && text_[body_end - 1] != '\n') --body_end;
      }
      size_t line = body_begin;
      while (line < body_end) {
        size_t next = text_.find('\n', line);
        next = next == std::string_view::npos || next >= body_end ? body_end : next + 1;
        size_t content = line;
        if (result.strip_tabs) {
          while (content < next && text_[content] == '\t') ++content;
        }
        append_mapped(result.body, map_, content, next);
        line = next;
      }
      result.body_span = span_of(body_begin, body_end);
    }
    return result;
  }

  const SourceFile& file_;
  const TextMap& map_;
  std::string_view text_;
  Script& out_;
  uint32_t shell_string_depth_;
  uint32_t depth_ = 0;
  Connector pending_ = Connector::None;
};

}  // namespace

Script parse_shell(const SourceFile& file, const TextMap& text) {
  Script script;
  Walker walker(file, text, script, 0);
  Context context;
  context.tail = true;
  walker.run(context);
  return script;
}

Script parse_shell_file(const SourceFile& file) {
  return parse_shell(file, text_map_of_range(file, 0, file.text().size()));
}

TextMap exec_form_text(std::span<const ExecWord> words) {
  TextMap text;
  for (const ExecWord& word : words) {
    if (!text.empty()) text.append_inserted(" ", word.file_begin);
    text.append_inserted("'", word.file_begin);
    std::string_view value = word.value.text();
    size_t run = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] != '\'') continue;
      append_mapped(text, word.value, run, i);
      text.append_inserted("'\\''", word.value.file_offset(i));
      run = i + 1;
    }
    append_mapped(text, word.value, run, value.size());
    text.append_inserted("'", word.file_end);
  }
  return text;
}

Script parse_exec_form(const SourceFile& file, std::span<const ExecWord> words) {
  TextMap text = exec_form_text(words);
  if (text.empty()) return {};
  return parse_shell(file, text);
}

TextMap text_map_of_range(const SourceFile& file, size_t begin, size_t end) {
  TextMap map;
  end = std::min(end, file.text().size());
  if (begin < end) map.append_copy(file.text().substr(begin, end - begin), begin);
  return map;
}

void append_mapped(TextMap& to, const TextMap& from, size_t begin, size_t end) {
  const auto& pieces = from.pieces();
  end = std::min(end, from.text().size());
  if (begin >= end) return;
  auto piece = std::upper_bound(pieces.begin(), pieces.end(), begin,
                                [](size_t offset, const TextMap::Piece& p) { return offset < p.text_offset; });
  if (piece != pieces.begin()) --piece;
  std::string_view text = from.text();
  for (; piece != pieces.end() && piece->text_offset < end; ++piece) {
    size_t piece_end = static_cast<size_t>(piece->text_offset) + piece->length;
    size_t from_begin = std::max<size_t>(begin, piece->text_offset);
    size_t from_end = std::min(end, piece_end);
    if (from_begin >= from_end) continue;
    std::string_view part = text.substr(from_begin, from_end - from_begin);
    if (piece->inserted) {
      to.append_inserted(part, piece->file_offset);
    } else {
      to.append_copy(part, piece->file_offset + (from_begin - piece->text_offset));
    }
  }
}

}  // namespace shiftlint::shell
