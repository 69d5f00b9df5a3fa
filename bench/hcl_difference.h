#pragma once
// The first field-by-field difference between two HCL Files: what the differential check of the HCL
// front ends (bench/hcl_differential.cpp, tests/unit/hcl_reader_test.cpp) reports.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/parse/hcl/hcl_syntax.h"

namespace shiftlint::hcl {

inline std::string describe(const Span& span) {
  return fmt::format("{}:{}-{}:{}", span.begin.line, span.begin.column, span.end.line, span.end.column);
}

// The first difference between two trees, as "where: reader vs tree-sitter"; empty when equal.
class FileComparison {
 public:
  std::string first_difference;

  void expressions(const Expression& a, const Expression& b, const std::string& where) {
    if (!first_difference.empty()) return;
    auto differ = [&](std::string_view field, const std::string& left, const std::string& right) {
      if (left != right && first_difference.empty())
        first_difference = fmt::format("{}.{}: reader {} vs tree-sitter {}", where, field, left, right);
    };
    differ("kind", std::to_string(static_cast<int>(a.kind)), std::to_string(static_cast<int>(b.kind)));
    differ("text", fmt::format("{:?}", a.text), fmt::format("{:?}", b.text));
    differ("boolean", std::to_string(a.boolean), std::to_string(b.boolean));
    differ("expand_final", std::to_string(a.expand_final), std::to_string(b.expand_final));
    differ("heredoc", std::to_string(a.heredoc), std::to_string(b.heredoc));
    differ("splat_attribute_only", std::to_string(a.splat_attribute_only), std::to_string(b.splat_attribute_only));
    differ("parenthesized", std::to_string(a.parenthesized), std::to_string(b.parenthesized));
    differ("number", fmt::format("{}", a.number), fmt::format("{}", b.number));
    differ("span", describe(a.span), describe(b.span));
    differ("offsets", fmt::format("{}-{}", a.begin_offset, a.end_offset), fmt::format("{}-{}", b.begin_offset, b.end_offset));
    differ("operands", std::to_string(a.operands.size()), std::to_string(b.operands.size()));
    if (!first_difference.empty()) return;
    for (size_t i = 0; i < a.operands.size(); ++i)
      expressions(a.operands[i], b.operands[i], fmt::format("{}[{}]", where, i));
  }

  void bodies(const Body& a, const Body& b, const std::string& where) {
    if (!first_difference.empty()) return;
    if (a.attributes.size() != b.attributes.size() || a.blocks.size() != b.blocks.size()) {
      first_difference = fmt::format("{}: reader {} attributes, {} blocks vs tree-sitter {}, {}", where,
                                     a.attributes.size(), a.blocks.size(), b.attributes.size(), b.blocks.size());
      return;
    }
    for (size_t i = 0; i < a.attributes.size() && first_difference.empty(); ++i) {
      const Attribute &left = a.attributes[i], &right = b.attributes[i];
      std::string at = fmt::format("{}.{}", where, right.name);
      if (left.name != right.name || left.name_span != right.name_span || left.span != right.span)
        first_difference = fmt::format("{}: reader {} {} {} vs tree-sitter {} {} {}", at, left.name,
                                       describe(left.name_span), describe(left.span), right.name,
                                       describe(right.name_span), describe(right.span));
      expressions(left.value, right.value, at);
    }
    for (size_t i = 0; i < a.blocks.size() && first_difference.empty(); ++i) {
      const Block &left = a.blocks[i], &right = b.blocks[i];
      std::string at = fmt::format("{}.{}[{}]", where, right.type, i);
      if (left.type != right.type || left.type_span != right.type_span || left.labels != right.labels ||
          left.label_spans != right.label_spans || left.span != right.span)
        first_difference = fmt::format("{}: block header or span: reader {} vs tree-sitter {}", at, describe(left.span),
                                       describe(right.span));
      bodies(left.body, right.body, at);
    }
  }
};

}  // namespace shiftlint::hcl
