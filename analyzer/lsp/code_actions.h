#pragma once
// Quick fixes for a document's findings: the rule's own fix when it declares one, "suppress ID on
// this line" in formats with comments, and "suppress ID for this file in .shiftlint.yaml" for JSON.
// Every suppression is checked before it is offered: the edit is applied to the text in memory and
// the result re-linted; an edit that would not silence the finding, or would break the file (a
// comment inside a YAML block scalar, say), is not offered.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analyzer/lsp/configuration.h"
#include "analyzer/lsp/document_store.h"

namespace shiftlint::lsp {

// The text of the config file the JSON suppression would edit: the editor's buffer when it is
// open (with its version), else the file on disk.
struct ConfigFileText {
  std::string path;
  std::string uri;
  std::string text;
  std::optional<int64_t> version;  // the editor's version when open
};

struct CodeActionOptions {
  bool versioned_document_changes = false;  // client: workspace.workspaceEdit.documentChanges
  bool create_files = false;                // client: resourceOperations includes "create"
  // Where a new .shiftlint.yaml goes when no config applies (the document's workspace folder).
  std::string new_config_folder;
  // The existing config file's text when one applies and loads cleanly.
  std::optional<ConfigFileText> config_file;
};

inline constexpr std::string_view kSuppressionReason = "TODO: why this is safe here";

// Code actions for `finding` (one of document.findings, computed on document.linted).
std::vector<nlohmann::json> code_actions_for(const Finding& finding, const OpenDocument& document,
                                             const EffectiveConfig& config, const CodeActionOptions& options);

}  // namespace shiftlint::lsp
