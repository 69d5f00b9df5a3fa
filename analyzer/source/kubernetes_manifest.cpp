#include "analyzer/source/kubernetes_manifest.h"

#include <sys/stat.h>

#include <filesystem>
#include <vector>
#include <system_error>

#include <re2/re2.h>

#include "analyzer/source/real_path.h"

namespace shiftlint {

namespace fs = std::filesystem;

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool has_chart_file(const fs::path& folder) {
  std::error_code error;
  return fs::is_regular_file(folder / "Chart.yaml", error) || fs::is_regular_file(folder / "Chart.yml", error);
}

// Whether `key` appears as a mapping key in flow-style text: `key:` or `"key":` (or 'key'), with
// spaces allowed before the colon, after `{`, `,` or a line start.
bool has_flow_key(std::string_view text, std::string_view key) {
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    size_t before = at;
    if (before > 0 && (text[before - 1] == '"' || text[before - 1] == '\'')) --before;
    size_t start = before;
    while (start > 0 && (text[start - 1] == ' ' || text[start - 1] == '\t')) --start;
    if (start > 0 && text[start - 1] != '{' && text[start - 1] != ',' && text[start - 1] != '\n') continue;
    size_t after = at + key.size();
    if (before < at && after < text.size() && text[after] == text[before]) ++after;  // the closing quote
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
    if (after < text.size() && text[after] == ':') return true;
  }
  return false;
}

// A document written in flow style, `{apiVersion: v1, kind: Pod, ...}` or JSON saved as .yaml
// (kubernetes/website has such examples; kubectl reads them like any other): the first thing after
// comments and `---` is `{`.
bool looks_like_flow_kubernetes_yaml(std::string_view head) {
  size_t at = 0;
  while (at < head.size()) {
    size_t line_end = head.find('\n', at);
    if (line_end == std::string_view::npos) line_end = head.size();
    std::string_view line = head.substr(at, line_end - at);
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#' || starts_with(line, "---") || starts_with(line, "%")) {
      at = line_end + 1;
      continue;
    }
    if (line[first] != '{') return false;
    std::string_view rest = head.substr(at + first);
    return has_flow_key(rest, "apiVersion") && has_flow_key(rest, "kind");
  }
  return false;
}

}  // namespace

bool looks_like_kubernetes_json(std::string_view head) {
  size_t at = head.find_first_not_of(" \t\r\n");
  if (at == std::string_view::npos || head[at] != '{') return false;
  // Walk the object, noting the keys at depth one and the string value that follows `apiVersion`.
  bool api_version = false, kind = false, items = false;
  int depth = 0;
  bool expecting_key = false;
  std::string_view pending_key;  // a depth-one key whose value comes next
  for (; at < head.size(); ++at) {
    char c = head[at];
    if (c == '"') {
      size_t end = at + 1;
      while (end < head.size() && head[end] != '"') end += head[end] == '\\' ? 2 : 1;
      if (end >= head.size()) break;
      std::string_view text = head.substr(at + 1, end - at - 1);
      if (depth == 1 && expecting_key) {
        pending_key = text;
        expecting_key = false;
      } else if (depth == 1 && pending_key == "apiVersion") {
        static const RE2 version(R"(([a-z0-9.-]+/)?v[0-9]+((alpha|beta)[0-9]+)?)");
        api_version = RE2::FullMatch(re2::StringPiece(text.data(), text.size()), version);
        pending_key = {};
      }
      at = end;
      continue;
    }
    if (c == '{' || c == '[') {
      if (depth == 1 && pending_key == "items") items = true;
      if (depth == 1) pending_key = {};
      ++depth;
      expecting_key = depth == 1;
      continue;
    }
    if (c == '}' || c == ']') {
      if (--depth <= 0) break;
      continue;
    }
    if (depth == 1 && c == ':' && pending_key == "kind") kind = true;
    if (depth == 1 && c == ',') {
      expecting_key = true;
      if (pending_key != "apiVersion") pending_key = {};
    }
  }
  return api_version && (kind || items);
}

bool looks_like_kubernetes_yaml(std::string_view head) {
  if (looks_like_flow_kubernetes_yaml(head)) return true;
  bool api_version = false, kind = false, indented_kind = false;
  size_t line_begin = 0;
  while (line_begin < head.size() && !(api_version && kind)) {
    size_t line_end = head.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = head.size();
    std::string_view line = head.substr(line_begin, line_end - line_begin);
    line_begin = line_end + 1;
    // A List's items are indented under `items:`, but the List itself starts at column 0.
    if (starts_with(line, "apiVersion:")) api_version = true;
    if (starts_with(line, "kind:")) kind = true;
    size_t indent = line.find_first_not_of(' ');
    if (indent != 0 && indent != std::string_view::npos && starts_with(line.substr(indent), "kind:"))
      indented_kind = true;
  }
  // A top-level apiVersion with the kind indented by mistake is still meant as a manifest (a real
  // GKE example does it). Read as one, the file gets its YAML error instead of being passed over.
  return api_version && (kind || indented_kind);
}

bool is_helm_values_name(std::string_view name) {
  if (!ends_with(name, ".yaml") && !ends_with(name, ".yml")) return false;
  return name == "values.yaml" || name == "values.yml" || starts_with(name, "values-") ||
         starts_with(name, "values.");
}

bool in_helm_chart_templates(std::string_view path) {
  std::error_code error;
  fs::path absolute = fs::absolute(fs::path(path), error);
  if (error) return false;
  for (fs::path folder = absolute.parent_path(); folder.has_relative_path(); folder = folder.parent_path())
    if (folder.filename() == "templates" && has_chart_file(folder.parent_path())) return true;
  return false;
}

bool beside_helm_chart(std::string_view path) {
  std::error_code error;
  fs::path absolute = fs::absolute(fs::path(path), error);
  return !error && has_chart_file(absolute.parent_path());
}

std::string enclosing_helm_chart(std::string_view path, bool is_folder, std::string_view limit) {
  HelmChartLookups known;
  return enclosing_helm_chart(path, is_folder, limit, known);
}

std::string enclosing_helm_chart(std::string_view path, bool is_folder, std::string_view limit,
                                 HelmChartLookups& known) {
  auto parent_of = [](std::string_view folder) -> std::string_view {
    size_t slash = folder.rfind('/');
    if (slash == std::string_view::npos) return {};
    return slash == 0 ? folder.substr(0, 1) : folder.substr(0, slash);
  };
  auto holds = [](std::string_view folder, std::string_view name) {
    std::string candidate(folder);
    if (candidate.empty() || candidate.back() != '/') candidate += '/';
    candidate += name;
    struct stat status;
    return ::stat(candidate.c_str(), &status) == 0;
  };
  auto regular_file_in = [](std::string_view folder, std::string_view name) {
    std::string candidate(folder);
    if (candidate.empty() || candidate.back() != '/') candidate += '/';
    candidate += name;
    struct stat status;
    return ::stat(candidate.c_str(), &status) == 0 && S_ISREG(status.st_mode);
  };
  std::string_view folder = is_folder ? path : parent_of(path);
  // The answer for a folder is the answer for the walk that starts there: every folder the walk
  // passes gets the same one.
  std::vector<std::string_view> passed;
  std::string answer;
  // Bounded: a path has few segments, but a hostile one must not make this loop long.
  for (int step = 0; step < 256 && !folder.empty(); ++step) {
    if (!limit.empty() && !is_within_folder(folder, limit)) break;
    if (auto found = known.find(std::string(folder)); found != known.end()) {
      answer = found->second;
      break;
    }
    passed.push_back(folder);
    if (regular_file_in(folder, "Chart.yaml")) {
      answer = std::string(folder);  // unless a parent chart within the limit renders it
      std::string_view parent = parent_of(folder);
      std::string_view grandparent = parent_of(parent);
      bool subchart = parent.size() > 7 && parent.substr(parent.size() - 7) == "/charts" &&
                      regular_file_in(grandparent, "Chart.yaml");
      if (!subchart) break;
      folder = grandparent;  // a subchart: its parent chart renders it
      continue;
    }
    if (folder == "/" || holds(folder, ".git")) break;
    folder = parent_of(folder);
  }
  for (std::string_view visited : passed) known.emplace(std::string(visited), answer);
  return answer;
}

}  // namespace shiftlint
