#include "analyzer/lsp/diagnostics.h"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "analyzer/engine/rule.h"
#include "analyzer/lsp/text_positions.h"
#include "analyzer/lsp/uri.h"
#include "analyzer/report/columns.h"
#include "analyzer/report/report.h"

namespace shiftlint::lsp {

using Json = nlohmann::json;

namespace {

int lsp_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    case Severity::Note: return 3;  // Information: a note is worth a look, not a hint to ignore
  }
  return 2;
}

Json range_of(const LspRange& range) {
  return range_json(range.start.line, range.start.character, range.end.line, range.end.character);
}

}  // namespace

Json range_json(uint32_t start_line, uint32_t start_character, uint32_t end_line, uint32_t end_character) {
  return {{"start", {{"line", start_line}, {"character", start_character}}},
          {"end", {{"line", end_line}, {"character", end_character}}}};
}

Json location_range(const Location& location) {
  const Span& span = location.span;
  if (span.empty()) return range_json(0, 0, 0, 0);
  auto character = [](std::string_view line, uint32_t column) {
    return column == 0 ? 0u : utf16_column(line, column) - 1;
  };
  uint32_t end_character = span.end.column == 0 ? utf16_column(location.end_line_text,
                                                               static_cast<uint32_t>(location.end_line_text.size()) + 1) - 1
                                                : character(location.end_line_text, span.end.column);
  return range_json(span.begin.line - 1, character(location.begin_line_text, span.begin.column),
                    std::max(span.end.line, span.begin.line) - 1, end_character);
}

Json to_diagnostic(const Finding& finding, const SourceFile* file, const std::string& document_uri,
                   const std::string& base_directory) {
  // Positions in the linted text convert exactly; the line texts a finding carries may be redacted
  // (secrets masked byte for byte), so they are only the fallback.
  auto range_in_file = [&](const Location& location) {
    return file ? range_of(to_lsp_range(*file, location.span)) : location_range(location);
  };
  Json diagnostic = Json::object();
  diagnostic["range"] = range_in_file(finding.location);
  diagnostic["severity"] = lsp_severity(finding.severity);
  diagnostic["code"] = finding.rule_id;
  if (const Rule* rule = find_rule(finding.rule_id)) diagnostic["codeDescription"] = {{"href", rule_help_uri(*rule)}};
  diagnostic["source"] = "shiftlint";
  diagnostic["message"] = finding.message;

  Json related = Json::array();
  for (const RelatedLocation& entry : finding.related) {
    Json location = Json::object();
    if (entry.location.path == finding.location.path) {
      location["uri"] = document_uri;
      location["range"] = range_in_file(entry.location);
    } else {
      std::filesystem::path path(entry.location.path);
      if (path.is_relative()) path = std::filesystem::path(base_directory) / path;
      location["uri"] = file_uri_from_path(path.lexically_normal().string());
      location["range"] = location_range(entry.location);
    }
    related.push_back({{"location", std::move(location)}, {"message", entry.message}});
  }
  if (!related.empty()) diagnostic["relatedInformation"] = std::move(related);
  diagnostic["data"] = {{"fingerprint", finding.fingerprint}};
  return diagnostic;
}

Json config_error_diagnostic(const ConfigError& error, std::string_view config_text) {
  SourceFile file(error.path, error.path, std::string(config_text));
  LspPosition start = to_lsp_position(file, error.position);
  // The error names a point; underline to the end of its line so that it is visible.
  LspPosition end = start;
  if (error.position.line >= 1 && error.position.line <= file.line_count())
    end = to_lsp_position(file, {error.position.line, static_cast<uint32_t>(file.line(error.position.line).size()) + 1});
  Json diagnostic = Json::object();
  diagnostic["range"] = range_json(start.line, start.character, end.line, end.character);
  diagnostic["severity"] = 1;
  diagnostic["source"] = "shiftlint";
  diagnostic["message"] = "invalid shiftlint configuration: " + error.message +
                          " (documents are linted with the default configuration until this is fixed)";
  return diagnostic;
}

}  // namespace shiftlint::lsp
