#pragma once
// A deploy tool's configuration file of the run (a kustomization, a Skaffold configuration), read
// whole and loaded as YAML for the indexes that read them (kustomize_index.h, skaffold_index.h).
#include <cstdint>
#include <optional>
#include <string_view>

#include "analyzer/parse/document.h"
#include "analyzer/source/discovery.h"

namespace shiftlint {

// nullopt when it cannot be read, is larger than `max_bytes` (not a configuration worth reading
// here) or does not parse.
std::optional<Document> load_deploy_config_file(const DiscoveredFile& file, uint64_t max_bytes, LoadLimits limits);

// The last part of a display path (`overlays/dev/kustomization.yaml` -> `kustomization.yaml`): the
// deploy tools find their configurations by file name.
inline std::string_view file_name_of(std::string_view path) { return path.substr(path.find_last_of('/') + 1); }

// The text of a scalar as the deploy tools' Go types read it into a string: a value written as a
// number or a boolean (`version: 2`, `value: true`) is its text. nullopt for null, a map or a list.
std::optional<std::string_view> scalar_text(const Node* node);

}  // namespace shiftlint
