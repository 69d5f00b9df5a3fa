#pragma once
// Field-by-field differences between two shell Scripts, as readable lines: what the differential
// check of the shell front ends (bench/shell_differential.cpp, tests/unit/shell_reader_test.cpp)
// reports.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

inline std::string describe_span(const Span& span) {
  return std::to_string(span.begin.line) + ":" + std::to_string(span.begin.column) + "-" +
         std::to_string(span.end.line) + ":" + std::to_string(span.end.column);
}

// Collects the differences between two Scripts as readable lines.
class ScriptComparison {
 public:
  std::vector<std::string> differences;

  void script(const Script& a, const Script& b) {
    value("has_syntax_errors", a.has_syntax_errors, b.has_syntax_errors);
    span("first_syntax_error", a.first_syntax_error, b.first_syntax_error);
    value("truncated", a.truncated, b.truncated);
    value("commands.size", a.commands.size(), b.commands.size());
    for (size_t i = 0; i < std::min(a.commands.size(), b.commands.size()); ++i) {
      command("commands[" + std::to_string(i) + "]", a.commands[i], b.commands[i]);
    }
    value("assignments.size", a.assignments.size(), b.assignments.size());
    for (size_t i = 0; i < std::min(a.assignments.size(), b.assignments.size()); ++i) {
      assignment("assignments[" + std::to_string(i) + "]", a.assignments[i], b.assignments[i]);
    }
    value("options.size", a.options.size(), b.options.size());
    for (size_t i = 0; i < std::min(a.options.size(), b.options.size()); ++i) {
      std::string where = "options[" + std::to_string(i) + "]";
      text(where + ".name", a.options[i].name, b.options[i].name);
      value(where + ".enabled", a.options[i].enabled, b.options[i].enabled);
      span(where + ".span", a.options[i].span, b.options[i].span);
      value(where + ".command", a.options[i].command, b.options[i].command);
    }
    value("case_branches.size", a.case_branches.size(), b.case_branches.size());
    for (size_t i = 0; i < std::min(a.case_branches.size(), b.case_branches.size()); ++i) {
      std::string where = "case_branches[" + std::to_string(i) + "]";
      value(where + ".first_of_statement", a.case_branches[i].first_of_statement, b.case_branches[i].first_of_statement);
      text(where + ".subject", a.case_branches[i].subject, b.case_branches[i].subject);
      value(where + ".patterns.size", a.case_branches[i].patterns.size(), b.case_branches[i].patterns.size());
      for (size_t j = 0; j < std::min(a.case_branches[i].patterns.size(), b.case_branches[i].patterns.size()); ++j)
        text(where + ".patterns[" + std::to_string(j) + "]", a.case_branches[i].patterns[j], b.case_branches[i].patterns[j]);
    }
    value("if_branches.size", a.if_branches.size(), b.if_branches.size());
    for (size_t i = 0; i < std::min(a.if_branches.size(), b.if_branches.size()); ++i) {
      std::string where = "if_branches[" + std::to_string(i) + "]";
      value(where + ".first_of_statement", a.if_branches[i].first_of_statement, b.if_branches[i].first_of_statement);
      value(where + ".enclosing", a.if_branches[i].enclosing, b.if_branches[i].enclosing);
      value(where + ".first_command", a.if_branches[i].first_command, b.if_branches[i].first_command);
      text(where + ".condition", a.if_branches[i].condition, b.if_branches[i].condition);
      value(where + ".is_else", a.if_branches[i].is_else, b.if_branches[i].is_else);
    }
  }

 private:
  template <typename T>
  void value(const std::string& where, const T& a, const T& b) {
    if (a == b) return;
    std::ostringstream line;
    line << where << ": tree-sitter " << +a << ", reader " << +b;
    differences.push_back(line.str());
  }
  void text(const std::string& where, std::string_view a, std::string_view b) {
    if (a != b) differences.push_back(where + ": tree-sitter [" + std::string(a) + "], reader [" + std::string(b) + "]");
  }
  void span(const std::string& where, const Span& a, const Span& b) {
    if (!(a == b)) differences.push_back(where + ": tree-sitter " + describe_span(a) + ", reader " + describe_span(b));
  }
  void word(const std::string& where, const Word& a, const Word& b) {
    text(where + ".text", a.text, b.text);
    text(where + ".value", a.value, b.value);
    value(where + ".has_expansion", a.has_expansion, b.has_expansion);
    span(where + ".span", a.span, b.span);
  }
  void assignment(const std::string& where, const Assignment& a, const Assignment& b) {
    text(where + ".name", a.name, b.name);
    word(where + ".value", a.value, b.value);
    span(where + ".span", a.span, b.span);
    text(where + ".declaration", a.declaration, b.declaration);
    value(where + ".appends", a.appends, b.appends);
    value(where + ".shell_string_depth", a.shell_string_depth, b.shell_string_depth);
  }
  void text_map(const std::string& where, const TextMap& a, const TextMap& b) {
    text(where + ".text", a.text(), b.text());
    value(where + ".pieces.size", a.pieces().size(), b.pieces().size());
    for (size_t i = 0; i < std::min(a.pieces().size(), b.pieces().size()); ++i) {
      const TextMap::Piece& x = a.pieces()[i];
      const TextMap::Piece& y = b.pieces()[i];
      if (x.text_offset != y.text_offset || x.file_offset != y.file_offset || x.length != y.length ||
          x.inserted != y.inserted) {
        differences.push_back(where + ".pieces[" + std::to_string(i) + "] differ");
      }
    }
  }
  void command(const std::string& where, const Command& a, const Command& b) {
    word(where + ".name", a.name, b.name);
    value(where + ".arguments.size", a.arguments.size(), b.arguments.size());
    for (size_t i = 0; i < std::min(a.arguments.size(), b.arguments.size()); ++i) {
      word(where + ".arguments[" + std::to_string(i) + "]", a.arguments[i], b.arguments[i]);
    }
    value(where + ".environment.size", a.environment.size(), b.environment.size());
    for (size_t i = 0; i < std::min(a.environment.size(), b.environment.size()); ++i) {
      assignment(where + ".environment[" + std::to_string(i) + "]", a.environment[i], b.environment[i]);
    }
    value(where + ".redirections.size", a.redirections.size(), b.redirections.size());
    for (size_t i = 0; i < std::min(a.redirections.size(), b.redirections.size()); ++i) {
      std::string at = where + ".redirections[" + std::to_string(i) + "]";
      const Redirection& x = a.redirections[i];
      const Redirection& y = b.redirections[i];
      value(at + ".kind", static_cast<int>(x.kind), static_cast<int>(y.kind));
      value(at + ".descriptor", x.descriptor, y.descriptor);
      text(at + ".operator_text", x.operator_text, y.operator_text);
      word(at + ".target", x.target, y.target);
      span(at + ".span", x.span, y.span);
      value(at + ".from_enclosing_group", x.from_enclosing_group, y.from_enclosing_group);
    }
    value(where + ".heredocs.size", a.heredocs.size(), b.heredocs.size());
    for (size_t i = 0; i < std::min(a.heredocs.size(), b.heredocs.size()); ++i) {
      std::string at = where + ".heredocs[" + std::to_string(i) + "]";
      const Heredoc& x = a.heredocs[i];
      const Heredoc& y = b.heredocs[i];
      text(at + ".delimiter", x.delimiter, y.delimiter);
      value(at + ".quoted", x.quoted, y.quoted);
      value(at + ".strip_tabs", x.strip_tabs, y.strip_tabs);
      span(at + ".operator_span", x.operator_span, y.operator_span);
      text_map(at + ".body", x.body, y.body);
      span(at + ".body_span", x.body_span, y.body_span);
      value(at + ".terminated", x.terminated, y.terminated);
    }
    span(where + ".span", a.span, b.span);
    value(where + ".connector", static_cast<int>(a.connector), static_cast<int>(b.connector));
    value(where + ".background", a.background, b.background);
    value(where + ".in_pipeline", a.in_pipeline, b.in_pipeline);
    value(where + ".in_condition", a.in_condition, b.in_condition);
    value(where + ".in_branch", a.in_branch, b.in_branch);
    value(where + ".case_branch", a.case_branch, b.case_branch);
    value(where + ".if_branch", a.if_branch, b.if_branch);
    value(where + ".in_loop", a.in_loop, b.in_loop);
    value(where + ".in_subshell", a.in_subshell, b.in_subshell);
    value(where + ".in_command_substitution", a.in_command_substitution, b.in_command_substitution);
    value(where + ".in_process_substitution", a.in_process_substitution, b.in_process_substitution);
    text(where + ".function_name", a.function_name, b.function_name);
    value(where + ".ends_script", a.ends_script, b.ends_script);
    value(where + ".ends_function", a.ends_function, b.ends_function);
    value(where + ".parent", a.parent, b.parent);
    value(where + ".nesting", static_cast<int>(a.nesting), static_cast<int>(b.nesting));
    value(where + ".shell_string_depth", a.shell_string_depth, b.shell_string_depth);
  }
};

}  // namespace shiftlint::shell
