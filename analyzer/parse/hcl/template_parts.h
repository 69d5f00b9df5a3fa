#pragma once
// What both HCL front ends (the hand-written reader, hcl_reader.h, and the tree-sitter builder,
// hcl_loader.cpp) share once they know where a template's interpolations and directives are: the
// literal pieces between them (escapes decoded, strip markers and `<<-` indentation applied), the
// String-or-Template decision, and HCL's right-associative conditional chains. Written once, so
// the two front ends cannot drift apart.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::hcl {

// Template literal text: `$${` and `%%{` stand for a literal `${` and `%{`; quoted strings also
// have backslash escapes, heredocs do not.
std::string decode_template_literal(std::string_view raw, bool quoted);

struct TemplateContext {
  bool quoted = true;
  size_t flush_indent = 0;   // `<<-`: leading white space removed from each line
  size_t content_begin = 0;  // where the template's text starts (a line start, for heredocs)
};

// An interpolation or directive, built, with where it sits and its strip markers.
struct PlacedElement {
  size_t begin = 0;
  size_t end = 0;
  bool strip_before = false;  // `${~` / `%{~`: trims the literal before it
  bool strip_after = false;   // `~}`: trims the literal after it
  Expression expression;
};

// The parts of the template text in [begin, end) of `file` whose interpolations and directives are
// `elements` (in order): the literal pieces are the gaps between them.
std::vector<Expression> template_section(const SourceFile& file, const TemplateContext& context, size_t begin,
                                         size_t end, std::vector<PlacedElement> elements, bool trim_first,
                                         bool trim_last);

// The smallest indentation of the non-blank lines in [begin, end) of `text`.
size_t common_indent(std::string_view text, size_t begin, size_t end);

// A template of `parts` written at [begin, end): a quoted template that is one literal becomes a
// String; otherwise a Template of its parts. Heredocs stay templates: their literal keeps its own
// offsets, so JSON inside maps back to lines.
Expression finish_template(const SourceFile& file, std::vector<Expression> parts, size_t begin, size_t end,
                           bool heredoc);

// A directive's branch or loop body written at [begin, end): always a Template, even when empty.
Expression make_template(const SourceFile& file, std::vector<Expression> parts, size_t begin, size_t end);

// `condition ? when_true : when_false` where `condition` may itself be an unparenthesised
// conditional read left-associatively (as tree-sitter-hcl groups `a ? b : c ? d : e`): HCL means
// `a ? b : (c ? d : e)`, so the chain is re-associated to the right.
Expression chain_conditional(Expression condition, Expression when_true, Expression when_false);

}  // namespace shiftlint::hcl
