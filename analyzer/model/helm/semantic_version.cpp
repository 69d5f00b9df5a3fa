#include "analyzer/model/helm/semantic_version.h"

#include <cctype>
#include <vector>

namespace shiftlint::helm {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool is_number(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_wildcard(std::string_view text) { return text == "x" || text == "X" || text == "*"; }

int compare_prerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;
  if (b.empty()) return -1;
  while (true) {
    size_t dot_a = a.find('.'), dot_b = b.find('.');
    std::string_view part_a = a.substr(0, dot_a), part_b = b.substr(0, dot_b);
    if (part_a != part_b) {
      bool number_a = is_number(part_a), number_b = is_number(part_b);
      if (number_a && number_b) {
        if (part_a.size() != part_b.size()) return part_a.size() < part_b.size() ? -1 : 1;
        return part_a < part_b ? -1 : 1;
      }
      if (number_a != number_b) return number_a ? -1 : 1;
      return part_a < part_b ? -1 : 1;
    }
    if (dot_a == std::string_view::npos || dot_b == std::string_view::npos) {
      if (dot_a == dot_b) return 0;
      return dot_a == std::string_view::npos ? -1 : 1;
    }
    a = a.substr(dot_a + 1);
    b = b.substr(dot_b + 1);
  }
}

// A constraint's version, where parts may be missing or wildcards ("1.2", "1.x").
struct PartialVersion {
  SemanticVersion version;
  int given = 0;  // how many of major/minor/patch were written as numbers
};

std::optional<PartialVersion> parse_partial(std::string_view text) {
  text = trim(text);
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  PartialVersion result;
  result.version.original = std::string(text);
  if (size_t plus = text.find('+'); plus != std::string_view::npos) {
    result.version.metadata = std::string(text.substr(plus + 1));
    text = text.substr(0, plus);
  }
  size_t dash = std::string_view::npos;
  // The prerelease starts at the first '-' after the numeric core.
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '-') {
      dash = i;
      break;
    }
  if (dash != std::string_view::npos) {
    result.version.prerelease = std::string(text.substr(dash + 1));
    text = text.substr(0, dash);
  }
  int64_t* parts[] = {&result.version.major, &result.version.minor, &result.version.patch};
  int index = 0;
  bool wildcard = false;
  while (!text.empty() || index == 0) {
    if (index >= 3) return std::nullopt;
    size_t dot = text.find('.');
    std::string_view part = text.substr(0, dot);
    if (is_wildcard(part) || wildcard) {
      wildcard = true;
    } else if (is_number(part)) {
      *parts[index] = std::stoll(std::string(part));
      ++result.given;
    } else {
      return std::nullopt;
    }
    ++index;
    if (dot == std::string_view::npos) break;
    text = text.substr(dot + 1);
  }
  return result;
}

bool satisfies_one(const SemanticVersion& version, std::string_view constraint, std::string& error, bool& ok) {
  constraint = trim(constraint);
  std::string op;
  while (!constraint.empty() && std::string_view("=!<>~^").find(constraint.front()) != std::string_view::npos)
    op += constraint.front(), constraint.remove_prefix(1);
  std::optional<PartialVersion> parsed = parse_partial(constraint);
  if (!parsed) {
    error = "improper constraint: " + std::string(constraint);
    ok = false;
    return false;
  }
  const SemanticVersion& bound = parsed->version;
  int given = parsed->given;
  if (op != "!=" && !version.prerelease.empty() && bound.prerelease.empty()) return false;
  int comparison = compare_versions(version, bound);
  // The first version past the written parts ("1.2" -> 1.3.0), for ranges.
  auto next_after = [&](int level) {
    SemanticVersion upper;
    if (level <= 0) upper.major = bound.major + 1;
    else if (level == 1) upper.major = bound.major, upper.minor = bound.minor + 1;
    else upper.major = bound.major, upper.minor = bound.minor, upper.patch = bound.patch + 1;
    return upper;
  };
  auto in_range = [&](const SemanticVersion& upper) {
    SemanticVersion stripped = version;
    stripped.prerelease.clear();
    return comparison >= 0 && compare_versions(stripped, upper) < 0;
  };
  if (op.empty() || op == "=" || op == "==") {
    if (given < 3) return in_range(next_after(given - 1));
    return comparison == 0;
  }
  if (op == "!=") {
    if (given < 3) return !in_range(next_after(given - 1));
    return comparison != 0;
  }
  if (op == ">") {
    if (given < 3) return compare_versions(version, next_after(given - 1)) >= 0;
    return comparison > 0;
  }
  if (op == ">=" || op == "=>") return comparison >= 0;
  if (op == "<") return comparison < 0;
  if (op == "<=" || op == "=<") {
    if (given < 3) return compare_versions(version, next_after(given - 1)) < 0;
    return comparison <= 0;
  }
  if (op == "~" || op == "~>") return in_range(next_after(given >= 2 ? 1 : 0));
  if (op == "^") {
    if (bound.major > 0 || given <= 1) return in_range(next_after(0));
    if (bound.minor > 0 || given == 2) return in_range(next_after(1));
    return in_range(next_after(2));
  }
  error = "improper constraint: " + op + std::string(constraint);
  ok = false;
  return false;
}

}  // namespace

std::optional<SemanticVersion> parse_semantic_version(std::string_view text) {
  std::optional<PartialVersion> partial = parse_partial(text);
  if (!partial || partial->given == 0) return std::nullopt;
  std::string_view core = trim(text);
  for (char c : core)
    if (is_wildcard(std::string_view(&c, 1))) return std::nullopt;
  partial->version.original = std::string(trim(text));
  return partial->version;
}

int compare_versions(const SemanticVersion& a, const SemanticVersion& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return compare_prerelease(a.prerelease, b.prerelease);
}

std::optional<bool> semantic_version_satisfies(const SemanticVersion& version, std::string_view constraint,
                                               std::string& error) {
  bool any_group = false;
  size_t start = 0;
  while (true) {
    size_t bar = constraint.find("||", start);
    std::string_view group = trim(constraint.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    // Split the group into single constraints: by commas, and by spaces that start a new operator.
    std::vector<std::string> parts;
    std::string current;
    bool all = true;
    // "1.0 - 2.0" is a range.
    if (size_t hyphen = group.find(" - "); hyphen != std::string_view::npos) {
      parts.push_back(">=" + std::string(group.substr(0, hyphen)));
      parts.push_back("<=" + std::string(group.substr(hyphen + 3)));
    } else {
      for (size_t i = 0; i < group.size(); ++i) {
        char c = group[i];
        if (c == ',') {
          if (!trim(current).empty()) parts.push_back(current);
          current.clear();
          continue;
        }
        if (c == ' ') {
          // A space ends a constraint unless it separates an operator from its version.
          std::string_view so_far = trim(current);
          bool only_operator = !so_far.empty() && so_far.find_first_not_of("=!<>~^") == std::string_view::npos;
          if (!so_far.empty() && !only_operator) {
            parts.push_back(current);
            current.clear();
          }
          continue;
        }
        current += c;
      }
      if (!trim(current).empty()) parts.push_back(current);
    }
    if (parts.empty()) parts.push_back("*");
    for (const std::string& part : parts) {
      bool ok = true;
      bool matched = trim(part) == "*" || satisfies_one(version, part, error, ok);
      if (!ok) return std::nullopt;
      if (!matched) all = false;
    }
    if (all) any_group = true;
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return any_group;
}

}  // namespace shiftlint::helm
