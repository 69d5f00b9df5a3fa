#include "analyzer/lsp/code_actions.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/edit/apply_fixes.h"
#include "analyzer/lsp/diagnostics.h"
#include "analyzer/lsp/text_positions.h"
#include "analyzer/lsp/uri.h"
#include "analyzer/source/glob.h"

namespace shiftlint::lsp {

using Json = nlohmann::json;

namespace {

Json position_json(LspPosition position) { return {{"line", position.line}, {"character", position.character}}; }

Json text_edit(const LspRange& range, std::string new_text) {
  return {{"range", {{"start", position_json(range.start)}, {"end", position_json(range.end)}}},
          {"newText", std::move(new_text)}};
}

// A workspace edit of one document: versioned when the client can check versions, so that an
// edit computed on an older text is refused rather than applied in the wrong place.
Json workspace_edit(const std::string& uri, std::optional<int64_t> version, Json edits, bool versioned) {
  if (!versioned) return {{"changes", {{uri, std::move(edits)}}}};
  Json identifier = {{"uri", uri}, {"version", version ? Json(*version) : Json(nullptr)}};
  return {{"documentChanges", Json::array({{{"textDocument", std::move(identifier)}, {"edits", std::move(edits)}}})}};
}

Json quick_fix(std::string title, const Json& diagnostic, Json edit, bool preferred) {
  Json action = {{"title", std::move(title)}, {"kind", "quickfix"}, {"diagnostics", Json::array({diagnostic})},
                 {"edit", std::move(edit)}};
  if (preferred) action["isPreferred"] = true;
  return action;
}

std::map<std::string, size_t> count_by_rule(const std::vector<Finding>& findings) {
  std::map<std::string, size_t> counts;
  for (const Finding& finding : findings) ++counts[finding.rule_id];
  return counts;
}

// Whether `after` silences `rule_id` somewhere without adding any finding: what a suppression or
// a fix must achieve.
bool silences_only(const std::vector<Finding>& before, const std::vector<Finding>& after, const std::string& rule_id) {
  std::map<std::string, size_t> old_counts = count_by_rule(before), new_counts = count_by_rule(after);
  for (const auto& [rule, count] : new_counts)
    if (count > old_counts[rule]) return false;
  return new_counts[rule_id] < old_counts[rule_id];
}

std::string line_break(const SourceFile& file) { return file.uses_crlf() ? "\r\n" : "\n"; }

std::optional<Json> fix_action(const Finding& finding, const OpenDocument& document, const EffectiveConfig& config,
                               const Json& diagnostic, const CodeActionOptions& options) {
  if (!finding.fix || finding.fix->edits.empty()) return std::nullopt;
  const SourceFile& file = *document.linted;
  // Offered only when it works: applied in memory (as `check --fix` applies it), the text re-lints
  // with fewer findings of this rule and no new ones.
  edit::AppliedFixes applied = edit::apply_fixes(file, {&*finding.fix});
  if (applied.applied != 1) return std::nullopt;
  auto relinted = lint_source(std::make_shared<const SourceFile>(file.path(), file.display_path(), std::move(applied.text)),
                              config.config, config.selection);
  if (!relinted || !silences_only(document.findings, *relinted, finding.rule_id)) return std::nullopt;
  Json edits = Json::array();
  for (const TextEdit& edit : finding.fix->edits) {
    if (edit.span.empty()) return std::nullopt;
    edits.push_back(text_edit(to_lsp_range(file, edit.span), edit.replacement));
  }
  std::string title = finding.fix->description.empty() ? fmt::format("Fix {}", finding.rule_id)
                                                       : finding.fix->description;
  return quick_fix(std::move(title), diagnostic,
                   workspace_edit(document.uri, document.version, std::move(edits), options.versioned_document_changes),
                   true);
}

std::optional<Json> suppress_on_line_action(const Finding& finding, const OpenDocument& document,
                                            const EffectiveConfig& config, const Json& diagnostic,
                                            const CodeActionOptions& options) {
  std::vector<std::string> markers = comment_markers(document.kind);
  if (markers.empty()) return std::nullopt;
  const SourceFile& file = *document.linted;
  const Span& span = finding.location.span;
  std::string comment;
  uint32_t line = 1;
  if (span.empty()) {
    comment = fmt::format("{} shiftlint-ignore-file: {} -- {}", markers.front(), finding.rule_id, kSuppressionReason);
  } else {
    line = span.begin.line;
    std::string_view text = file.line(line);
    std::string_view indentation = text.substr(0, text.find_first_not_of(" \t"));
    if (indentation.size() == text.size()) indentation = {};
    comment = fmt::format("{}{} shiftlint-ignore: {} -- {}", indentation, markers.front(), finding.rule_id,
                          kSuppressionReason);
  }
  comment += line_break(file);

  // Check it on the text: insert, re-lint, compare.
  std::string edited(file.text());
  edited.insert(file.offset_of({line, 1}), comment);
  auto relinted = lint_source(std::make_shared<const SourceFile>(file.path(), file.display_path(), std::move(edited)),
                              config.config, config.selection);
  if (!relinted || !silences_only(document.findings, *relinted, finding.rule_id)) return std::nullopt;

  LspPosition at{line - 1, 0};
  Json edits = Json::array({text_edit({at, at}, std::move(comment))});
  std::string title = span.empty() ? fmt::format("Suppress {} in this file", finding.rule_id)
                                   : fmt::format("Suppress {} on this line", finding.rule_id);
  return quick_fix(std::move(title), diagnostic,
                   workspace_edit(document.uri, document.version, std::move(edits), options.versioned_document_changes),
                   false);
}

// Config text is YAML: a double-quoted scalar holds anything once '\\' and '"' are escaped.
std::string yaml_quoted(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

size_t line_indentation(std::string_view line) {
  size_t indentation = 0;
  while (indentation < line.size() && line[indentation] == ' ') ++indentation;
  return indentation;
}

// Where to insert a new `suppress:` entry in `text`, and what to insert; nullopt when the
// config's shape is not one this can extend safely (flow style, a `suppress: [...]` list).
struct ConfigInsertion {
  size_t offset = 0;
  std::string text;
};

std::optional<ConfigInsertion> plan_config_insertion(std::string_view text, const std::string& entry) {
  SourceFile file("", "", std::string(text));
  std::string newline = line_break(file);
  uint32_t key_line = 0;
  for (uint32_t number = 1; number <= file.line_count(); ++number) {
    std::string_view line = file.line(number);
    if (line.rfind("suppress:", 0) == 0) {
      key_line = number;
      break;
    }
  }
  if (key_line == 0) {
    // No suppress list yet: a new top-level key at the end.
    std::string insertion;
    if (!text.empty() && text.back() != '\n') insertion += newline;
    insertion += "suppress:" + newline + "  - " + entry + newline;
    return ConfigInsertion{text.size(), std::move(insertion)};
  }
  std::string_view after_key = file.line(key_line).substr(9);
  size_t comment = after_key.find('#');
  after_key = after_key.substr(0, comment);
  if (after_key.find_first_not_of(" \t") != std::string_view::npos) return std::nullopt;  // `suppress: [...]`

  // The block: following lines that are blank, comments, indented, or `- ` items at column 1.
  uint32_t last_content = key_line;
  std::optional<size_t> item_indentation;
  for (uint32_t number = key_line + 1; number <= file.line_count(); ++number) {
    std::string_view line = file.line(number);
    size_t indentation = line_indentation(line);
    std::string_view content = line.substr(indentation);
    if (content.empty() || content.front() == '#') continue;
    bool item = content.front() == '-' && (content.size() == 1 || content[1] == ' ');
    if (indentation == 0 && !item) break;
    if (item && !item_indentation) item_indentation = indentation;
    last_content = number;
  }
  std::string insertion = std::string(item_indentation.value_or(2), ' ') + "- " + entry + newline;
  size_t offset = file.offset_of({last_content + 1, 1});
  if (last_content == file.line_count()) {
    offset = text.size();
    if (!text.empty() && text.back() != '\n') insertion = newline + insertion;
  }
  return ConfigInsertion{offset, std::move(insertion)};
}

// Loads config text through the real loader (it reads files): a private temporary file.
std::optional<Config> load_config_text(const std::string& text) {
  std::string name = (std::filesystem::temp_directory_path() / "shiftlint-lsp-config-XXXXXX.yaml").string();
  int descriptor = mkstemps(name.data(), 5);
  if (descriptor < 0) return std::nullopt;
  bool written = write(descriptor, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(descriptor);
  std::optional<Config> config;
  if (written) {
    auto loaded = load_config_file(name);
    if (auto* valid = std::get_if<Config>(&loaded)) config = std::move(*valid);
  }
  unlink(name.c_str());
  return config;
}

bool is_safe_literal_path(std::string_view path) {
  if (path.empty() || path.front() == ' ' || path.back() == ' ') return false;
  return path.find_first_of("*?[]\\!#\n\r\t") == std::string_view::npos;
}

std::optional<Json> suppress_in_config_action(const Finding& finding, const OpenDocument& document,
                                              const EffectiveConfig& config, const Json& diagnostic,
                                              const CodeActionOptions& options) {
  if (!comment_markers(document.kind).empty() || !document.path || config.error) return std::nullopt;
  if (finding.rule_id == "SL003") return std::nullopt;  // config suppressions cannot silence it either

  // The path as the config sees it: relative to the config's folder, anchored to it.
  std::string config_folder = options.config_file ? std::filesystem::path(options.config_file->path).parent_path().string()
                                                  : options.new_config_folder;
  if (config_folder.empty()) return std::nullopt;
  std::string relative = relative_to(*document.path, config_folder);
  if (relative == *document.path || !is_safe_literal_path(relative)) return std::nullopt;
  std::string glob = relative.find('/') == std::string::npos ? "/" + relative : relative;
  std::string entry = fmt::format("{{rule: {}, path: {}, reason: {}}}", finding.rule_id, yaml_quoted(glob),
                                  yaml_quoted(kSuppressionReason));

  std::string old_text = options.config_file ? options.config_file->text : std::string();
  if (!options.config_file && !(options.create_files && options.versioned_document_changes)) return std::nullopt;
  auto insertion = plan_config_insertion(old_text, entry);
  if (!insertion) return std::nullopt;
  std::string new_text = old_text;
  new_text.insert(insertion->offset, insertion->text);

  // The new config must load, keep everything else as it was, and match this file.
  auto reloaded = load_config_text(new_text);
  if (!reloaded || reloaded->suppress.size() != config.config.suppress.size() + 1) return std::nullopt;
  const SuppressEntry& added = reloaded->suppress.back();
  if (added.rule != finding.rule_id || !glob_match(added.path_glob, relative)) return std::nullopt;

  std::string title = fmt::format("Suppress {} for this file in .shiftlint.yaml", finding.rule_id);
  if (options.config_file) {
    SourceFile config_source(options.config_file->path, options.config_file->path, old_text);
    LspPosition at = to_lsp_position(config_source, config_source.position_at(insertion->offset));
    Json edits = Json::array({text_edit({at, at}, insertion->text)});
    return quick_fix(std::move(title), diagnostic,
                     workspace_edit(options.config_file->uri, options.config_file->version, std::move(edits),
                                    options.versioned_document_changes),
                     false);
  }
  std::string uri = file_uri_from_path((std::filesystem::path(config_folder) / ".shiftlint.yaml").string());
  Json create = {{"kind", "create"}, {"uri", uri}, {"options", {{"ignoreIfExists", true}}}};
  Json insert = {{"textDocument", {{"uri", uri}, {"version", nullptr}}},
                 {"edits", Json::array({text_edit({}, insertion->text)})}};
  return quick_fix(std::move(title), diagnostic, {{"documentChanges", Json::array({create, insert})}}, false);
}

}  // namespace

std::vector<Json> code_actions_for(const Finding& finding, const OpenDocument& document, const EffectiveConfig& config,
                                   const CodeActionOptions& options) {
  std::vector<Json> actions;
  if (!document.linted) return actions;
  Json diagnostic = to_diagnostic(finding, document.linted.get(), document.uri, document.base_directory);
  if (auto action = fix_action(finding, document, config, diagnostic, options)) actions.push_back(std::move(*action));
  if (auto action = suppress_on_line_action(finding, document, config, diagnostic, options))
    actions.push_back(std::move(*action));
  if (auto action = suppress_in_config_action(finding, document, config, diagnostic, options))
    actions.push_back(std::move(*action));
  return actions;
}

}  // namespace shiftlint::lsp
