#include "analyzer/detect/template_placeholder.h"

#include <re2/re2.h>

namespace shiftlint::detect {

bool contains_template_placeholder(std::string_view text) {
  // Every placeholder form starts with one of these characters: skip RE2 for the plain values
  // that make up nearly all of a real file.
  // (A plain loop: find_first_of would call memchr for every byte.)
  bool may_hold = false;
  for (char c : text)
    if (c == '$' || c == '<' || c == '%' || c == '#' || c == '{' || c == '_') {
      may_hold = true;
      break;
    }
  if (!may_hold) return false;
  static const RE2 placeholder(
      R"(\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*\b|\{\{.*?\}\}|<[A-Za-z0-9_. -]+>|)"
      R"(%[A-Za-z_][A-Za-z0-9_]*%|#\{[^}]*\}|__[A-Za-z0-9_]+__)");
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), placeholder);
}

bool contains_template_action(std::string_view text) {
  for (size_t at = text.find('{'); at != std::string_view::npos && at + 1 < text.size(); at = text.find('{', at + 1)) {
    if (text[at + 1] == '%') return true;
    if (text[at + 1] == '{' && !text.substr(at + 2).starts_with("resolve:")) return true;
  }
  return false;
}

}  // namespace shiftlint::detect
