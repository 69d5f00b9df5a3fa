#include "analyzer/engine/suppression.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "analyzer/engine/rule.h"

namespace shiftlint {

namespace {
constexpr std::string_view kDirective = "shiftlint-ignore";

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// The comment marker that directly precedes the directive (only white space between), or npos.
size_t marker_before(std::string_view line, size_t directive_at,
                     const std::vector<std::string>& markers) {
  size_t end = directive_at;
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  for (const std::string& marker : markers)
    if (end >= marker.size() && line.substr(end - marker.size(), marker.size()) == marker)
      return end - marker.size();
  return std::string_view::npos;
}

bool is_comment_or_blank(std::string_view line, const std::vector<std::string>& markers) {
  std::string_view content = trim(line);
  if (content.empty()) return true;
  for (const std::string& marker : markers)
    if (content.substr(0, marker.size()) == marker) return true;
  return false;
}
}  // namespace

// memmem skips through a file in one call, where string_view::find stops at every 's' (a memchr and
// a compare each), and most files hold none.
bool mentions_directive(std::string_view text) {
  return ::memmem(text.data(), text.size(), kDirective.data(), kDirective.size()) != nullptr;
}

std::vector<InlineSuppression> scan_suppressions(const SourceFile& file,
                                                 const std::vector<std::string>& markers,
                                                 bool end_of_line_comments,
                                                 const std::vector<LineRange>& statements) {
  std::vector<InlineSuppression> found;
  if (markers.empty() || !mentions_directive(file.text())) return found;
  for (uint32_t number = 1; number <= file.line_count(); ++number) {
    std::string_view line = file.line(number);
    size_t at = line.find(kDirective);
    if (at == std::string_view::npos) continue;
    size_t marker = marker_before(line, at, markers);
    if (marker == std::string_view::npos) continue;
    if (!end_of_line_comments && !trim(line.substr(0, marker)).empty()) continue;

    InlineSuppression suppression;
    std::string_view rest = line.substr(at + kDirective.size());
    if (rest.substr(0, 5) == "-file") {
      suppression.file_level = true;
      rest.remove_prefix(5);
    }
    rest = trim(rest);
    if (rest.empty() || rest.front() != ':') continue;  // not a directive we understand
    rest.remove_prefix(1);
    size_t reason_at = rest.find("--");
    if (reason_at != std::string_view::npos) {
      suppression.reason = std::string(trim(rest.substr(reason_at + 2)));
      rest = rest.substr(0, reason_at);
    }
    std::string token;
    auto flush = [&] {
      if (token.empty()) return;
      const Rule* rule = find_rule(token);
      suppression.rules.push_back(rule ? std::string(rule->id) : token);
      token.clear();
    };
    for (char c : rest) {
      if (c == ',' || std::isspace(static_cast<unsigned char>(c))) flush();
      else token += c;
    }
    flush();
    if (suppression.rules.empty()) continue;
    suppression.used.assign(suppression.rules.size(), false);
    uint32_t end_column = static_cast<uint32_t>(line.size()) + 1;
    suppression.span = {{number, static_cast<uint32_t>(marker) + 1}, {number, end_column}};

    if (!suppression.file_level) {
      bool own_line = trim(line.substr(0, marker)).empty();
      suppression.target_line = number;
      if (own_line) {
        // A directive on its own line covers the next line with content.
        uint32_t next = number + 1;
        while (next <= file.line_count() && is_comment_or_blank(file.line(next), markers)) ++next;
        suppression.target_line = next;
        auto statement = std::lower_bound(statements.begin(), statements.end(), next,
                                          [](const LineRange& range, uint32_t line) { return range.first < line; });
        if (statement != statements.end() && statement->first == next) suppression.target_end_line = statement->last;
      }
    }
    found.push_back(std::move(suppression));
  }
  return found;
}

void apply_suppressions(std::vector<Finding>& findings, std::vector<InlineSuppression>& suppressions) {
  if (suppressions.empty()) return;
  auto suppressed = [&](const Finding& finding) {
    bool matched = false;
    for (InlineSuppression& suppression : suppressions) {
      uint32_t line = finding.location.span.begin.line;
      uint32_t last = std::max(suppression.target_line, suppression.target_end_line);
      if (!suppression.file_level && (line < suppression.target_line || line > last)) continue;
      for (size_t i = 0; i < suppression.rules.size(); ++i) {
        if (suppression.rules[i] == finding.rule_id) {
          suppression.used[i] = true;
          matched = true;
        }
      }
    }
    return matched;
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(), suppressed), findings.end());
}

}  // namespace shiftlint
