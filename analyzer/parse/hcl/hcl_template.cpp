#include "analyzer/parse/hcl/hcl_template.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/parse/hcl/hcl_loader.h"

namespace shiftlint::hcl {

namespace {

// tree-sitter-hcl has no entry point for a bare template, but a heredoc body is exactly template
// syntax: the file is parsed as the body of a heredoc, and every position is moved back by the
// one line the wrapper adds in front.
constexpr std::string_view kMarker = "SHIFTLINT_TEMPLATE_END_7f3a";
constexpr std::string_view kPrefix = "template = <<SHIFTLINT_TEMPLATE_END_7f3a\n";

void shift(Expression& expression, size_t file_size) {
  auto offset = [&](uint32_t value) {
    size_t moved = value >= kPrefix.size() ? value - kPrefix.size() : 0;
    return static_cast<uint32_t>(std::min(moved, file_size));
  };
  expression.begin_offset = offset(expression.begin_offset);
  expression.end_offset = offset(expression.end_offset);
  auto line = [](Position& position) {
    if (position.line > 1) {
      --position.line;
    } else {
      position = {1, 1};
    }
  };
  line(expression.span.begin);
  line(expression.span.end);
  for (Expression& operand : expression.operands) shift(operand, file_size);
}

}  // namespace

TemplateParse parse_template(const SourceFile& file, const LoadLimits& limits) {
  TemplateParse result;
  std::string_view text = file.text();
  bool added_newline = text.empty() || text.back() != '\n';
  std::string wrapped;
  wrapped.reserve(text.size() + kPrefix.size() + kMarker.size() + 2);
  wrapped.append(kPrefix).append(text);
  if (added_newline) wrapped += '\n';
  wrapped.append(kMarker).append("\n");
  auto wrapper = std::make_shared<const SourceFile>(file.path(), file.display_path(), std::move(wrapped));
  File parsed = load_hcl(wrapper, limits);
  if (!parsed.errors.empty()) {
    const ParseDiagnostic& first = parsed.errors.front();
    result.error = fmt::format("{}:{}: {}", first.span.begin.line > 1 ? first.span.begin.line - 1 : 1,
                               first.span.begin.column, first.message);
    return result;
  }
  const Attribute* attribute = parsed.body.find_attribute("template");
  if (!attribute) {
    result.error = "the template could not be read";
    return result;
  }
  auto body = std::make_unique<Expression>(std::move(attribute->value));
  shift(*body, text.size());
  // The whole template spans the whole file.
  body->begin_offset = 0;
  body->end_offset = static_cast<uint32_t>(text.size());
  body->span = file.span_of(0, text.size());
  if (added_newline) {
    Expression* last = body.get();
    if (last->kind == ExpressionKind::Template && !last->operands.empty()) last = &last->operands.back();
    if (last->kind == ExpressionKind::String && !last->text.empty() && last->text.back() == '\n')
      last->text.pop_back();
  }
  result.body = std::move(body);
  return result;
}

}  // namespace shiftlint::hcl
