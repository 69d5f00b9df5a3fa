// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. The output must stay valid against
// the official schema (tests/sarif validates it) and within GitHub's upload limits.
#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "analyzer/report/columns.h"
#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"
#include "analyzer/report/repository_paths.h"
#include "analyzer/report/writers.h"

namespace shiftlint {

namespace {

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

// "file:///abs/path" for an absolute path.
std::string file_uri(std::string_view absolute_path) {
  std::string separated(absolute_path);  // a Windows root (C:\src) uses '\' where a URI has '/'
  if (separated.size() >= 2 && separated[1] == ':')
    std::replace(separated.begin(), separated.end(), '\\', '/');
  std::string path = encode_path(separated, true);
  if (!path.starts_with('/')) path.insert(path.begin(), '/');  // a Windows drive: /C:/src
  return "file://" + path;
}

// "file:///abs/root/" for the source root, with the trailing slash that makes it a base for
// relative references.
std::string root_uri(std::string_view root) {
  std::string uri = file_uri(root);
  if (!uri.ends_with('/')) uri += '/';
  return uri;
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

void write_text(JsonWriter& json, std::string_view key, std::string_view text) {
  json.key(key).begin_object();
  json.key("text").string(text);
  json.end_object();
}

void write_rule_descriptor(JsonWriter& json, const Rule& rule) {
  const std::string summary(rule.summary.empty() ? rule.id : rule.summary);
  const std::string_view doc = rule.doc();
  std::string full = full_description(doc);
  if (full.empty()) full = summary;

  json.begin_object();
  json.key("id").string(rule.id);
  json.key("name").string(rule.slug);
  write_text(json, "shortDescription", summary);
  write_text(json, "fullDescription", full);
  json.key("help").begin_object();
  json.key("text").string(doc.empty() ? std::string_view(summary) : doc);
  if (!doc.empty()) json.key("markdown").string(doc);
  json.end_object();
  json.key("helpUri").string(rule_help_uri(rule));
  json.key("defaultConfiguration").begin_object();
  json.key("level").string(level(rule.severity));
  json.end_object();
  json.key("properties").begin_object();
  json.key("tags").begin_array();
  if (!rule.family().empty()) json.string(rule.family());
  json.end_array();
  json.end_object();
  json.end_object();
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

void write_region(JsonWriter& json, const Location& location) {
  const Span& span = location.span;
  json.key("region").begin_object();
  if (span.empty()) {
    // GitHub needs a line; a finding about a whole file is shown on its first line.
    json.key("startLine").number(1);
    json.end_object();
    return;
  }
  json.key("startLine").number(span.begin.line);
  // Columns are 1-based; a location without them (column 0) covers its whole lines.
  if (span.begin.column > 0)
    json.key("startColumn").number(utf16_column(location.begin_line_text, span.begin.column));
  json.key("endLine").number(std::max(span.end.line, span.begin.line));
  if (span.begin.column > 0 && span.end.column > 0)
    json.key("endColumn").number(utf16_column(location.end_line_text, span.end.column));
  if (span.begin.line == span.end.line && span.begin.column > 0 &&
      span.begin.column < span.end.column && span.begin.column <= location.begin_line_text.size()) {
    const std::string_view text =
        std::string_view(location.begin_line_text)
            .substr(span.begin.column - 1, span.end.column - span.begin.column);
    if (!text.empty()) write_text(json, "snippet", text);
  }
  json.end_object();
}

// A file of the repository (or of the scan root, outside one) as a relative reference to
// %SRCROOT%; any other as an absolute file URI, which must carry no uriBaseId.
void write_artifact_location(JsonWriter& json, const RepositoryPaths& paths, std::string_view path) {
  json.key("artifactLocation").begin_object();
  RepositoryPaths::Named named = paths.name(path);
  if (named.from_base) {
    json.key("uri").string(relative_uri(named.path));
    json.key("uriBaseId").string(kSourceRoot);
  } else {
    json.key("uri").string(file_uri(named.path));
  }
  json.end_object();
}

void write_physical_location(JsonWriter& json, const RepositoryPaths& paths, const Location& location) {
  json.key("physicalLocation").begin_object();
  write_artifact_location(json, paths, location.path);
  write_region(json, location);
  json.end_object();
}

// A fix edit's deleted region in UTF-16 columns.
struct Replacement {
  const TextEdit* edit;
  uint32_t start_column, end_column;
};

// The edits of a SARIF fix, or nothing when an edit's columns cannot be converted to UTF-16
// because the finding does not carry the text of the edited line (column 1 needs no text).
std::vector<Replacement> fix_replacements(const Finding& finding) {
  const KnownLines lines = known_lines(finding);
  auto convert = [&](Position position) -> std::optional<uint32_t> {
    if (position.column == 0) return std::nullopt;
    if (position.column == 1) return 1u;
    auto line = lines.find(position.line);
    if (line == lines.end()) return std::nullopt;
    return utf16_column(line->second, position.column);
  };
  std::vector<Replacement> replacements;
  for (const TextEdit& edit : finding.fix->edits) {
    const auto start_column = convert(edit.span.begin);
    const auto end_column = convert(edit.span.end);
    if (edit.span.empty() || !start_column || !end_column) return {};
    replacements.push_back({&edit, *start_column, *end_column});
  }
  return replacements;
}

void write_fix(JsonWriter& json, const RepositoryPaths& paths, const Finding& finding,
               const std::vector<Replacement>& replacements) {
  json.begin_object();
  if (!finding.fix->description.empty()) write_text(json, "description", finding.fix->description);
  json.key("artifactChanges").begin_array();
  json.begin_object();
  write_artifact_location(json, paths, finding.location.path);
  json.key("replacements").begin_array();
  for (const Replacement& replacement : replacements) {
    json.begin_object();
    json.key("deletedRegion").begin_object();
    json.key("startLine").number(replacement.edit->span.begin.line);
    json.key("startColumn").number(replacement.start_column);
    json.key("endLine").number(replacement.edit->span.end.line);
    json.key("endColumn").number(replacement.end_column);
    json.end_object();
    write_text(json, "insertedContent", replacement.edit->replacement);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_array();
  json.end_object();
}

void write_result(JsonWriter& json, const RepositoryPaths& paths, const Finding& finding, const Rule* rule,
                  std::optional<size_t> rule_index) {
  json.begin_object();
  json.key("ruleId").string(finding.rule_id);
  if (rule_index) json.key("ruleIndex").number(*rule_index);
  json.key("level").string(level(finding.severity));
  std::string_view message = finding.message;
  if (message.empty()) message = rule && !rule->summary.empty() ? rule->summary : std::string_view(finding.rule_id);
  write_text(json, "message", message);
  json.key("locations").begin_array();
  json.begin_object();
  write_physical_location(json, paths, finding.location);
  json.end_object();
  json.end_array();

  if (!finding.related.empty()) {
    json.key("relatedLocations").begin_array();
    for (size_t index = 0; index < finding.related.size() && index < kMaxRelatedLocations; ++index) {
      const RelatedLocation& entry = finding.related[index];
      json.begin_object();
      json.key("id").number(index + 1);
      write_physical_location(json, paths, entry.location);
      if (!entry.message.empty()) write_text(json, "message", entry.message);
      json.end_object();
    }
    json.end_array();
  }
  json.key("partialFingerprints").begin_object();
  json.key("shiftlint/v1").string(finding.fingerprint);
  json.end_object();
  if (finding.fix) {
    std::vector<Replacement> replacements = fix_replacements(finding);
    if (!replacements.empty()) {
      json.key("fixes").begin_array();
      write_fix(json, paths, finding, replacements);
      json.end_array();
    }
  }
  json.end_object();
}

}  // namespace

std::string rule_help_uri(const Rule& rule) {
  const std::string_view path = rule.doc_path();
  // fmt rather than string +: gcc 12 -O2 warns falsely (-Warray-bounds) of the concatenations.
  if (path.empty()) return fmt::format("{}#rules", kProjectHome);
  return fmt::format("{}/blob/main/{}", kProjectHome, encode_path(path, false));
}

namespace {

class SarifWriter final : public ReportWriter {
 public:
  explicit SarifWriter(const ReportSettings& settings)
      : tool_version_(settings.tool_version), paths_(settings.root_directory) {
    const auto& rules = registered_rules();
    for (size_t index = 0; index < rules.size(); ++index) rule_indexes_.emplace(rules[index]->id, index);
  }

  bool needs_count(size_t at_most) const override { return at_most > kMaxResults; }

  void begin(size_t findings) override {
    JsonWriter& json = json_;
    json.begin_object();
    json.key("$schema").string("https://json.schemastore.org/sarif-2.1.0.json");
    json.key("version").string("2.1.0");
    json.key("runs").begin_array();
    json.begin_object();

    json.key("tool").begin_object();
    json.key("driver").begin_object();
    json.key("name").string("shiftlint");
    if (!tool_version_.empty()) {
      json.key("version").string(tool_version_);
      json.key("semanticVersion").string(tool_version_);
    }
    json.key("informationUri").string(kProjectHome);
    json.key("rules").begin_array();
    for (const Rule* rule : registered_rules()) write_rule_descriptor(json, *rule);
    json.end_array();
    json.end_object();
    json.end_object();

    json.key("invocations").begin_array();
    json.begin_object();
    json.key("executionSuccessful").boolean(true);
    if (findings > kMaxResults) {
      const std::string text = "Only the first " + std::to_string(kMaxResults) + " of " +
                               std::to_string(findings) +
                               " results are included: GitHub code scanning rejects more per run.";
      json.key("toolExecutionNotifications").begin_array();
      json.begin_object();
      json.key("level").string("warning");
      write_text(json, "message", text);
      json.end_object();
      json.end_array();
    }
    json.end_object();
    json.end_array();

    if (!paths_.base().empty()) {
      json.key("originalUriBaseIds").begin_object();
      json.key(kSourceRoot).begin_object();
      json.key("uri").string(root_uri(paths_.base()));
      json.end_object();
      json.end_object();
    }
    json.key("columnKind").string("utf16CodeUnits");
    json.key("results").begin_array();
  }

  void add(std::span<const Finding> findings) override {
    const auto& rules = registered_rules();
    for (const Finding& finding : findings) {
      if (written_ == kMaxResults) return;
      ++written_;
      auto found = rule_indexes_.find(finding.rule_id);
      const Rule* rule = found != rule_indexes_.end() ? rules[found->second] : nullptr;
      write_result(json_, paths_, finding, rule, rule ? std::optional<size_t>(found->second) : std::nullopt);
    }
  }

  void end(const ReportTotals&) override {
    json_.end_array();
    json_.end_object();
    json_.end_array();
    json_.end_object();
    // Messages, snippets and paths come from the analysed files and may hold invalid UTF-8: the
    // writer puts U+FFFD in its place.
    out_ += '\n';
  }

 private:
  std::string tool_version_;
  RepositoryPaths paths_;  // %SRCROOT%: the repository's root, else the scan root
  std::unordered_map<std::string_view, size_t> rule_indexes_;  // keys view the registered rules' ids
  JsonWriter json_{out_};
  size_t written_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> make_sarif_writer(const ReportSettings& settings) {
  return std::make_unique<SarifWriter>(settings);
}

std::string render_sarif(const RunSummary& run) {
  ReportSettings settings;
  settings.tool_version = run.tool_version;
  settings.root_directory = run.root_directory;
  SarifWriter writer(settings);
  return render_whole(writer, run);
}

}  // namespace shiftlint
