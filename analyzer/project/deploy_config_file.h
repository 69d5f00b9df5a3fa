#pragma once
// A deploy tool's configuration file of the run (a kustomization, a Skaffold configuration), read
// whole and loaded as YAML for the indexes that read them (kustomize_index.h, skaffold_index.h).
#include <cstdint>
#include <optional>

#include "analyzer/parse/document.h"
#include "analyzer/source/discovery.h"

namespace shiftlint {

// nullopt when it cannot be read, is larger than `max_bytes` (not a configuration worth reading
// here) or does not parse.
std::optional<Document> load_deploy_config_file(const DiscoveredFile& file, uint64_t max_bytes, LoadLimits limits);

}  // namespace shiftlint
