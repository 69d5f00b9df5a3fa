// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. The output must stay valid against
// the official schema (tests/sarif validates it) and within GitHub's upload limits.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "analyzer/report/columns.h"
#include "analyzer/report/report.h"

namespace shiftlint {

namespace {

using Json = nlohmann::ordered_json;

// The project's home, the one place it is spelled: SARIF informationUri and every rule's helpUri.
constexpr std::string_view kProjectHome = "https://github.com/shiftlint/shiftlint";
constexpr std::string_view kSourceRoot = "%SRCROOT%";
// GitHub code scanning rejects a run with more results than this, and a result with more locations.
constexpr size_t kMaxResults = 25000;
constexpr size_t kMaxRelatedLocations = 1000;

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Percent-encodes a '/'-separated path for a URI (RFC 3986): spaces, '%', '#', '?', '\' and every
// non-ASCII byte become %XX, so that the path can never be read as a query or fragment. ':' is
// encoded too unless `keep_colons` (a relative path must not look like a scheme).
std::string encode_path(std::string_view path, bool keep_colons) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char raw : path) {
    const auto c = static_cast<unsigned char>(raw);
    if (unreserved(c) || c == '/' || (keep_colons && c == ':')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string relative_uri(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  return encode_path(path, false);
}

// "file:///abs/root/" for the scan root, with the trailing slash that makes it a base for
// relative references.
std::string root_uri(std::string_view root) {
  std::string separated(root);  // a Windows root (C:\src) uses '\' where a URI has '/'
  if (separated.size() >= 2 && separated[1] == ':')
    std::replace(separated.begin(), separated.end(), '\\', '/');
  std::string path = encode_path(separated, true);
  if (!path.starts_with('/')) path.insert(path.begin(), '/');  // a Windows drive: /C:/src
  if (!path.ends_with('/')) path += '/';
  return "file://" + path;
}

std::string_view level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "warning";
}

// The first paragraph of Markdown that is not a heading, code or a bold "**Label:** value" line,
// joined into one line.
std::string first_paragraph(std::string_view markdown) {
  std::string paragraph;
  bool in_code_block = false;
  while (!markdown.empty()) {
    const size_t newline = markdown.find('\n');
    std::string_view line = markdown.substr(0, newline);
    markdown.remove_prefix(newline == std::string_view::npos ? markdown.size() : newline + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);

    if (line.starts_with("```")) {
      if (!paragraph.empty()) break;
      in_code_block = !in_code_block;
      continue;
    }
    if (in_code_block) continue;
    const bool label_line =
        paragraph.empty() && line.starts_with("**") && line.find(":**") != std::string_view::npos;
    if (line.empty() || line.starts_with('#') || label_line) {
      if (!paragraph.empty()) break;
      continue;
    }
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += line;
  }
  return paragraph;
}

// A rule's full description: the first paragraph of its doc's "What it does" section (the
// section every rule doc has, STYLE.md), else the first paragraph after the title.
std::string full_description(std::string_view doc) {
  const size_t section = doc.find("\n## What it does");
  if (section != std::string_view::npos) {
    std::string text = first_paragraph(doc.substr(section + 1));
    if (!text.empty()) return text;
  }
  return first_paragraph(doc);
}

Json rule_descriptor(const Rule& rule) {
  const std::string summary(rule.summary.empty() ? rule.id : rule.summary);
  const std::string_view doc = rule.doc();
  std::string full = full_description(doc);
  if (full.empty()) full = summary;

  Json descriptor = Json::object();
  descriptor["id"] = std::string(rule.id);
  descriptor["name"] = std::string(rule.slug);
  descriptor["shortDescription"] = Json{{"text", summary}};
  descriptor["fullDescription"] = Json{{"text", full}};
  Json help = Json::object();
  help["text"] = doc.empty() ? summary : std::string(doc);
  if (!doc.empty()) help["markdown"] = std::string(doc);
  descriptor["help"] = std::move(help);
  descriptor["helpUri"] = rule_help_uri(rule);
  descriptor["defaultConfiguration"] = Json{{"level", std::string(level(rule.severity))}};
  Json tags = Json::array();
  if (!rule.family().empty()) tags.push_back(std::string(rule.family()));
  descriptor["properties"] = Json{{"tags", std::move(tags)}};
  return descriptor;
}

// The text of the lines a finding knows about in its own file, by line number: what is needed to
// turn byte columns of fix edits into UTF-16 columns.
using KnownLines = std::map<uint32_t, std::string_view>;

KnownLines known_lines(const Finding& finding) {
  KnownLines lines;
  auto add = [&](const Location& location) {
    if (location.path != finding.location.path || location.span.empty()) return;
    lines.emplace(location.span.begin.line, location.begin_line_text);
    lines.emplace(location.span.end.line, location.end_line_text);
  };
  add(finding.location);
  for (const RelatedLocation& related : finding.related) add(related.location);
  return lines;
}

Json region(const Location& location) {
  const Span& span = location.span;
  Json object = Json::object();
  if (span.empty()) {
    // GitHub needs a line; a finding about a whole file is shown on its first line.
    object["startLine"] = 1;
    return object;
  }
  object["startLine"] = span.begin.line;
  // Columns are 1-based; a location without them (column 0) covers its whole lines.
  if (span.begin.column > 0)
    object["startColumn"] = utf16_column(location.begin_line_text, span.begin.column);
  object["endLine"] = std::max(span.end.line, span.begin.line);
  if (span.begin.column > 0 && span.end.column > 0)
    object["endColumn"] = utf16_column(location.end_line_text, span.end.column);
  if (span.begin.line == span.end.line && span.begin.column > 0 &&
      span.begin.column < span.end.column && span.begin.column <= location.begin_line_text.size()) {
    const std::string_view text =
        std::string_view(location.begin_line_text)
            .substr(span.begin.column - 1, span.end.column - span.begin.column);
    if (!text.empty()) object["snippet"] = Json{{"text", std::string(text)}};
  }
  return object;
}

Json physical_location(const Location& location) {
  Json artifact = Json::object();
  artifact["uri"] = relative_uri(location.path);
  artifact["uriBaseId"] = std::string(kSourceRoot);
  Json object = Json::object();
  object["artifactLocation"] = std::move(artifact);
  object["region"] = region(location);
  return object;
}

// A SARIF fix, or null when an edit's columns cannot be converted to UTF-16 because the finding
// does not carry the text of the edited line (column 1 needs no text).
Json fix_json(const Finding& finding) {
  const Fix& fix = *finding.fix;
  const KnownLines lines = known_lines(finding);
  auto convert = [&](Position position) -> std::optional<uint32_t> {
    if (position.column == 0) return std::nullopt;
    if (position.column == 1) return 1u;
    auto line = lines.find(position.line);
    if (line == lines.end()) return std::nullopt;
    return utf16_column(line->second, position.column);
  };

  Json replacements = Json::array();
  for (const TextEdit& edit : fix.edits) {
    const auto start_column = convert(edit.span.begin);
    const auto end_column = convert(edit.span.end);
    if (edit.span.empty() || !start_column || !end_column) return nullptr;
    Json deleted = Json::object();
    deleted["startLine"] = edit.span.begin.line;
    deleted["startColumn"] = *start_column;
    deleted["endLine"] = edit.span.end.line;
    deleted["endColumn"] = *end_column;
    Json replacement = Json::object();
    replacement["deletedRegion"] = std::move(deleted);
    replacement["insertedContent"] = Json{{"text", edit.replacement}};
    replacements.push_back(std::move(replacement));
  }
  if (replacements.empty()) return nullptr;

  Json artifact = Json::object();
  artifact["uri"] = relative_uri(finding.location.path);
  artifact["uriBaseId"] = std::string(kSourceRoot);
  Json change = Json::object();
  change["artifactLocation"] = std::move(artifact);
  change["replacements"] = std::move(replacements);
  Json object = Json::object();
  if (!fix.description.empty()) object["description"] = Json{{"text", fix.description}};
  object["artifactChanges"] = Json::array({std::move(change)});
  return object;
}

Json result_json(const Finding& finding, const Rule* rule, std::optional<size_t> rule_index) {
  Json result = Json::object();
  result["ruleId"] = finding.rule_id;
  if (rule_index) result["ruleIndex"] = *rule_index;
  result["level"] = std::string(level(finding.severity));
  std::string message = finding.message;
  if (message.empty())
    message = rule && !rule->summary.empty() ? std::string(rule->summary) : finding.rule_id;
  result["message"] = Json{{"text", message}};
  Json location = Json::object();
  location["physicalLocation"] = physical_location(finding.location);
  result["locations"] = Json::array({std::move(location)});

  if (!finding.related.empty()) {
    Json related = Json::array();
    for (size_t index = 0; index < finding.related.size() && index < kMaxRelatedLocations;
         ++index) {
      const RelatedLocation& entry = finding.related[index];
      Json object = Json::object();
      object["id"] = index + 1;
      object["physicalLocation"] = physical_location(entry.location);
      if (!entry.message.empty()) object["message"] = Json{{"text", entry.message}};
      related.push_back(std::move(object));
    }
    result["relatedLocations"] = std::move(related);
  }
  result["partialFingerprints"] = Json{{"shiftlint/v1", finding.fingerprint}};
  if (finding.fix) {
    Json fix = fix_json(finding);
    if (!fix.is_null()) result["fixes"] = Json::array({std::move(fix)});
  }
  return result;
}

}  // namespace

std::string rule_help_uri(const Rule& rule) {
  const std::string_view path = rule.doc_path();
  if (path.empty()) return std::string(kProjectHome) + "#rules";
  return std::string(kProjectHome) + "/blob/main/" + encode_path(path, false);
}

std::string render_sarif(const RunSummary& run) {
  const auto& rules = registered_rules();
  std::unordered_map<std::string_view, size_t> rule_indexes;
  Json rule_descriptors = Json::array();
  for (size_t index = 0; index < rules.size(); ++index) {
    rule_indexes.emplace(rules[index]->id, index);
    rule_descriptors.push_back(rule_descriptor(*rules[index]));
  }

  Json driver = Json::object();
  driver["name"] = "shiftlint";
  if (!run.tool_version.empty()) {
    driver["version"] = run.tool_version;
    driver["semanticVersion"] = run.tool_version;
  }
  driver["informationUri"] = std::string(kProjectHome);
  driver["rules"] = std::move(rule_descriptors);

  Json results = Json::array();
  for (size_t index = 0; index < run.findings.size() && index < kMaxResults; ++index) {
    const Finding& finding = run.findings[index];
    auto found = rule_indexes.find(finding.rule_id);
    const Rule* rule = found != rule_indexes.end() ? rules[found->second] : nullptr;
    results.push_back(
        result_json(finding, rule, rule ? std::optional<size_t>(found->second) : std::nullopt));
  }

  Json invocation = Json::object();
  invocation["executionSuccessful"] = true;
  if (run.findings.size() > kMaxResults) {
    const std::string text = "Only the first " + std::to_string(kMaxResults) + " of " +
                             std::to_string(run.findings.size()) +
                             " results are included: GitHub code scanning rejects more per run.";
    invocation["toolExecutionNotifications"] =
        Json::array({Json{{"level", "warning"}, {"message", Json{{"text", text}}}}});
  }

  Json sarif_run = Json::object();
  sarif_run["tool"] = Json{{"driver", std::move(driver)}};
  sarif_run["invocations"] = Json::array({std::move(invocation)});
  if (!run.root_directory.empty()) {
    sarif_run["originalUriBaseIds"] =
        Json{{std::string(kSourceRoot), Json{{"uri", root_uri(run.root_directory)}}}};
  }
  sarif_run["columnKind"] = "utf16CodeUnits";
  sarif_run["results"] = std::move(results);

  Json log = Json::object();
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(sarif_run)});
  // Messages, snippets and paths come from the analysed files and may hold invalid UTF-8: it
  // becomes U+FFFD rather than an exception.
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace shiftlint
