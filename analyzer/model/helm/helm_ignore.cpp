#include "analyzer/model/helm/helm_ignore.h"

#include "analyzer/source/go_path_match.h"

namespace shiftlint::helm {
namespace {

// Go's bufio.Scanner gives up on a line that does not fit its 64 KiB buffer.
constexpr size_t kLongestLine = 64 * 1024 - 1;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// strings.TrimSpace for ASCII white space (Go also trims U+0085 and U+00A0, which no real
// .helmignore holds around a pattern).
std::string_view trim(std::string_view text, size_t& offset) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
    ++offset;
  }
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// filepath.Base on a '/'-separated relative path.
std::string_view base_name(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<std::string> HelmIgnore::add(std::string_view line) {
  if (line.find("**") != std::string_view::npos) return "double-star (**) syntax is not supported";
  // Helm tries each pattern on a non-empty name so that a malformed one is caught here.
  if (!go_path_match(line, "abc")) return "syntax error in pattern";
  Rule rule;
  if (line.front() == '!') {
    rule.negated = true;
    line.remove_prefix(1);
  }
  if (!line.empty() && line.back() == '/') {
    rule.directories_only = true;
    line.remove_suffix(1);
  }
  if (!line.empty() && line.front() == '/') {
    rule.scope = Scope::whole_path;
    line.remove_prefix(1);
  } else if (line.find('/') != std::string_view::npos) {
    rule.scope = Scope::whole_path;
  }
  rule.pattern = std::string(line);
  rules_.push_back(std::move(rule));
  return std::nullopt;
}

HelmIgnore HelmIgnore::defaults() {
  HelmIgnore ignore;
  ignore.add("templates/.?*");
  return ignore;
}

HelmIgnore HelmIgnore::parse(std::string_view text, std::optional<HelmIgnoreError>& error) {
  error.reset();
  HelmIgnore ignore;
  uint32_t number = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    size_t offset = start;
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kLongestLine) {
      error = HelmIgnoreError{number, offset, offset + line.size(), "bufio.Scanner: token too long"};
      break;
    }
    line = trim(line, offset);
    if (line.empty() || line.front() == '#') continue;
    if (std::optional<std::string> message = ignore.add(line)) {
      error = HelmIgnoreError{number, offset, offset + line.size(), std::move(*message)};
      break;
    }
  }
  ignore.add("templates/.?*");
  return ignore;
}

bool HelmIgnore::ignores(std::string_view path, bool is_directory) const {
  // Helm never leaves out the chart folder itself.
  if (path.empty() || path == "." || path == "./") return false;
  for (const Rule& rule : rules_) {
    std::string_view name = rule.scope == Scope::base_name ? base_name(path) : path;
    bool matches = go_path_match(rule.pattern, name).value_or(false);
    if (rule.negated) {
      // As in Helm, a `!` rule leaves out whatever it does not match (a file, for a folder rule)
      // and lets the rules after it decide on what it matches.
      if ((rule.directories_only && !is_directory) || !matches) return true;
      continue;
    }
    if (rule.directories_only && !is_directory) continue;
    if (matches) return true;
  }
  return false;
}

}  // namespace shiftlint::helm
