#pragma once
// Node-by-node differences between two loaded YAML documents, as readable lines: what the
// differential check of the YAML front ends (bench/yaml_differential.cpp,
// tests/unit/yaml_reader_test.cpp) reports. Compares every field a rule or a report can see:
// kind, value, tag, key, spans, key spans, children, and the diagnostics.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"

namespace shiftlint {

class YamlTreeComparison {
 public:
  std::vector<std::string> differences;

  void document(const Document& expected, const Document& actual) {
    if (expected.roots.size() != actual.roots.size())
      differ("roots", std::to_string(expected.roots.size()), std::to_string(actual.roots.size()));
    for (size_t i = 0; i < std::min(expected.roots.size(), actual.roots.size()); ++i)
      node("root " + std::to_string(i), expected.roots[i], actual.roots[i]);
    if (expected.errors.size() != actual.errors.size())
      differ("errors", std::to_string(expected.errors.size()), std::to_string(actual.errors.size()));
    for (size_t i = 0; i < std::min(expected.errors.size(), actual.errors.size()); ++i) {
      const ParseDiagnostic& a = expected.errors[i];
      const ParseDiagnostic& b = actual.errors[i];
      if (a.span != b.span) differ("error " + std::to_string(i) + " span", where(a.span), where(b.span));
      if (a.message != b.message) differ("error " + std::to_string(i), a.message, b.message);
    }
  }

  static std::string where(const Span& span) {
    return std::to_string(span.begin.line) + ":" + std::to_string(span.begin.column) + "-" +
           std::to_string(span.end.line) + ":" + std::to_string(span.end.column);
  }

 private:
  static std::string shown(std::string_view text) {
    std::string out(text.substr(0, 40));
    for (char& c : out)
      if (c == '\n') c = '|';
    return "\"" + out + (text.size() > 40 ? "...\"" : "\"");
  }

  void differ(const std::string& what, const std::string& expected, const std::string& actual) {
    differences.push_back(what + ": yaml-cpp " + expected + ", reader " + actual);
  }

  void node(const std::string& path, const Node& a, const Node& b) {
    if (differences.size() > 20) return;
    const std::string here = path + " (" + where(a.span) + ")";
    if (a.kind != b.kind) differ(here + " kind", to_string(a.kind), to_string(b.kind));
    if (a.boolean != b.boolean) differ(here + " boolean", std::to_string(a.boolean), std::to_string(b.boolean));
    const bool same_number = a.number == b.number || (std::isnan(a.number) && std::isnan(b.number));
    if (!same_number) differ(here + " number", std::to_string(a.number), std::to_string(b.number));
    if (a.text != b.text) differ(here + " text", shown(a.text), shown(b.text));
    if (a.tag != b.tag) differ(here + " tag", a.tag, b.tag);
    if (a.file != b.file) differ(here + " file", "one file", "another");
    if (a.span != b.span) differ(here + " span", where(a.span), where(b.span));
    if (a.key != b.key) differ(here + " key", shown(a.key), shown(b.key));
    if (a.key_span != b.key_span) differ(here + " key span", where(a.key_span), where(b.key_span));
    if (a.children.size() != b.children.size())
      differ(here + " children", std::to_string(a.children.size()), std::to_string(b.children.size()));
    for (size_t i = 0; i < std::min(a.children.size(), b.children.size()); ++i)
      node(path + "/" + (a.children[i].key.empty() ? std::to_string(i) : a.children[i].key), a.children[i],
           b.children[i]);
  }
};

}  // namespace shiftlint
