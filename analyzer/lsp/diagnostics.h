#pragma once
// Findings as LSP diagnostics (textDocument/publishDiagnostics), and a broken config file as a
// diagnostic on that file.
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "analyzer/config/config.h"
#include "analyzer/engine/finding.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::lsp {

// `file` is the text the finding was computed on (its positions are converted with it), or null
// for a file that is not open: then the line texts the finding carries are used. `base_directory`
// is what finding paths are relative to, for related locations in other files. `data` carries the
// finding's fingerprint, which code actions use to find the finding again.
nlohmann::json to_diagnostic(const Finding& finding, const SourceFile* file, const std::string& document_uri,
                             const std::string& base_directory);

// The LSP range of a location in a file other than the linted one, from the line texts the
// location carries.
nlohmann::json location_range(const Location& location);

nlohmann::json config_error_diagnostic(const ConfigError& error, std::string_view config_text);

// {"start": {"line", "character"}, "end": ...}
nlohmann::json range_json(uint32_t start_line, uint32_t start_character, uint32_t end_line, uint32_t end_character);

}  // namespace shiftlint::lsp
