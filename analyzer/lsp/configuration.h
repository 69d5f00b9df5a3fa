#pragma once
// Which .shiftlint.yaml applies to a document, loaded once and cached: the folder-to-config lookup
// (a walk up the tree) and each config file's parsed contents. Invalidated when a config file is
// created, changed, saved or deleted, or when the client's settings change.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"

namespace shiftlint::lsp {

// The client's `shiftlint` settings section (workspace/didChangeConfiguration, workspace/
// configuration, or initializationOptions).
struct Settings {
  bool enable = true;
  // A config file for every document instead of the search upward: absolute, or relative to the
  // first workspace folder. Empty: search.
  std::string config_file;
};

struct EffectiveConfig {
  std::string config_path;  // "" when no config file applies: the defaults
  Config config;
  RuleSelection selection;
  // The config file exists but is broken: `config` holds the defaults meanwhile.
  std::optional<ConfigError> error;
  // What finding paths and the config's globs are relative to: the config's folder, else the
  // workspace folder holding the document, else the document's folder.
  std::string base_directory;
};

class ConfigurationCache {
 public:
  void set_workspace_folders(std::vector<std::string> folders) { workspace_folders_ = std::move(folders); }
  const std::vector<std::string>& workspace_folders() const { return workspace_folders_; }
  void set_settings(Settings settings);
  const Settings& settings() const { return settings_; }

  // The config for the file at `path` (absolute). The reference stays valid until invalidate().
  const EffectiveConfig& for_file(const std::string& path);
  // The config for a whole folder (the workspace lint): the same lookup, from the folder.
  const EffectiveConfig& for_folder(const std::string& folder);
  // Forget everything: config files may have appeared, changed or gone.
  void invalidate();
  // Whether `path` names a config file (.shiftlint.yaml / .shiftlint.yml, or the configured one).
  bool is_config_file(const std::string& path) const;

  // The workspace folder holding `path` (the deepest), or "".
  std::string workspace_folder_of(const std::string& path) const;

 private:
  const EffectiveConfig& for_folder_with_base(const std::string& folder, const std::string& fallback_base);
  const EffectiveConfig& load(const std::string& config_path, const std::string& fallback_base);
  std::string configured_file() const;

  Settings settings_;
  std::vector<std::string> workspace_folders_;
  std::map<std::string, std::string> config_of_folder_;  // folder -> config path ("" for none)
  // By config path; the defaults are cached per base folder under "\n" + folder.
  std::map<std::string, std::unique_ptr<EffectiveConfig>> loaded_;
};

// `path` relative to `base` with '/' separators when it lies below it, else `path` itself.
std::string relative_to(const std::string& path, const std::string& base);

}  // namespace shiftlint::lsp
