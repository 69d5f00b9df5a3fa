#include "analyzer/detect/template_placeholder.h"

#include <re2/re2.h>

namespace shiftlint::detect {

bool contains_template_placeholder(std::string_view text) {
  static const RE2 placeholder(
      R"(\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*\b|\{\{.*?\}\}|<[A-Za-z0-9_. -]+>|)"
      R"(%[A-Za-z_][A-Za-z0-9_]*%|#\{[^}]*\}|__[A-Za-z0-9_]+__)");
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), placeholder);
}

}  // namespace shiftlint::detect
