#include "analyzer/parse/hcl/template_parts.h"

#include <cstdint>
#include <utility>

#include "analyzer/source/utf8.h"

namespace shiftlint::hcl {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void add_literal(const SourceFile& file, std::vector<Expression>& parts, size_t begin, size_t end, bool trim_before,
                 bool trim_after, const TemplateContext& context) {
  std::string_view text = file.text();
  if (trim_before)
    while (begin < end && is_space(text[begin])) ++begin;
  if (trim_after)
    while (end > begin && is_space(text[end - 1])) --end;
  if (begin >= end) return;
  std::string raw;
  if (context.flush_indent > 0) {
    // Remove the common indentation at each line start inside this piece.
    raw.reserve(end - begin);
    size_t i = begin;
    while (i < end) {
      bool line_start = i == context.content_begin || text[i - 1] == '\n';
      if (line_start) {
        size_t removed = 0;
        while (i < end && removed < context.flush_indent && (text[i] == ' ' || text[i] == '\t')) {
          ++i;
          ++removed;
        }
      }
      size_t line_end = text.find('\n', i);
      line_end = line_end == std::string_view::npos || line_end >= end ? end : line_end + 1;
      raw.append(text.substr(i, line_end - i));
      i = line_end;
    }
  } else {
    raw = std::string(text.substr(begin, end - begin));
  }
  Expression literal;
  literal.kind = ExpressionKind::String;
  literal.text = decode_template_literal(raw, context.quoted);
  literal.begin_offset = static_cast<uint32_t>(begin);
  literal.end_offset = static_cast<uint32_t>(end);
  literal.span = file.span_of(begin, end);
  if (!literal.text.empty()) parts.push_back(std::move(literal));
}

}  // namespace

std::string decode_template_literal(std::string_view raw, bool quoted) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{') {
      out += c;
      out += '{';
      i += 2;
      continue;
    }
    if (!quoted || c != '\\' || i + 1 >= raw.size()) {
      out += c;
      continue;
    }
    char escape = raw[++i];
    switch (escape) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'u':
      case 'U': {
        size_t digits = escape == 'u' ? 4 : 8;
        uint32_t value = 0;
        size_t read = 0;
        while (read < digits && i + 1 + read < raw.size() && hex_digit_value(raw[i + 1 + read]) >= 0) {
          value = value * 16 + static_cast<uint32_t>(hex_digit_value(raw[i + 1 + read]));
          ++read;
        }
        if (read == digits) {
          append_utf8(out, value);
          i += digits;
        } else {
          out += '\\';
          out += escape;
        }
        break;
      }
      default:
        out += '\\';
        out += escape;
    }
  }
  return out;
}

std::vector<Expression> template_section(const SourceFile& file, const TemplateContext& context, size_t begin,
                                         size_t end, std::vector<PlacedElement> elements, bool trim_first,
                                         bool trim_last) {
  std::vector<Expression> parts;
  size_t cursor = begin;
  bool trim_next = trim_first;
  for (PlacedElement& element : elements) {
    add_literal(file, parts, cursor, element.begin, trim_next, element.strip_before, context);
    parts.push_back(std::move(element.expression));
    cursor = element.end;
    trim_next = element.strip_after;
  }
  add_literal(file, parts, cursor, end, trim_next, trim_last, context);
  return parts;
}

size_t common_indent(std::string_view text, size_t begin, size_t end) {
  size_t smallest = SIZE_MAX;
  size_t i = begin;
  while (i < end) {
    size_t indent = 0;
    while (i + indent < end && (text[i + indent] == ' ' || text[i + indent] == '\t')) ++indent;
    size_t line_end = text.find('\n', i);
    if (line_end == std::string_view::npos || line_end > end) line_end = end;
    bool blank = i + indent >= line_end || (text[i + indent] == '\r' && i + indent + 1 == line_end);
    if (!blank && indent < smallest) smallest = indent;
    i = line_end + 1;
  }
  return smallest == SIZE_MAX ? 0 : smallest;
}

Expression finish_template(const SourceFile& file, std::vector<Expression> parts, size_t begin, size_t end,
                           bool heredoc) {
  Expression expression;
  expression.begin_offset = static_cast<uint32_t>(begin);
  expression.end_offset = static_cast<uint32_t>(end);
  expression.span = file.span_of(begin, end);
  if (parts.empty() || (!heredoc && parts.size() == 1 && parts[0].kind == ExpressionKind::String)) {
    expression.kind = ExpressionKind::String;
    if (!parts.empty()) expression.text = std::move(parts[0].text);
    return expression;
  }
  expression.kind = ExpressionKind::Template;
  expression.heredoc = heredoc;
  expression.operands = std::move(parts);
  return expression;
}

Expression make_template(const SourceFile& file, std::vector<Expression> parts, size_t begin, size_t end) {
  Expression expression;
  expression.kind = ExpressionKind::Template;
  expression.begin_offset = static_cast<uint32_t>(begin);
  expression.end_offset = static_cast<uint32_t>(end);
  expression.span = file.span_of(begin, end);
  expression.operands = std::move(parts);
  return expression;
}

Expression chain_conditional(Expression condition, Expression when_true, Expression when_false) {
  if (condition.kind == ExpressionKind::Conditional && !condition.parenthesized && condition.operands.size() == 3) {
    Expression result = std::move(condition);
    Expression rest = std::move(result.operands[2]);
    result.operands[2] = chain_conditional(std::move(rest), std::move(when_true), std::move(when_false));
    result.end_offset = result.operands[2].end_offset;
    result.span.end = result.operands[2].span.end;
    return result;
  }
  Expression result;
  result.kind = ExpressionKind::Conditional;
  result.begin_offset = condition.begin_offset;
  result.span.begin = condition.span.begin;
  result.end_offset = when_false.end_offset;
  result.span.end = when_false.span.end;
  result.operands.push_back(std::move(condition));
  result.operands.push_back(std::move(when_true));
  result.operands.push_back(std::move(when_false));
  return result;
}

}  // namespace shiftlint::hcl
