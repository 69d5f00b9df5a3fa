#include "analyzer/lsp/configuration.h"

#include <filesystem>

namespace shiftlint::lsp {

namespace fs = std::filesystem;

namespace {

std::string parent_folder(const std::string& path) { return fs::path(path).parent_path().string(); }

bool is_inside(const std::string& path, const std::string& folder) {
  if (folder.empty() || path.size() <= folder.size() || path.compare(0, folder.size(), folder) != 0) return false;
  return folder.back() == '/' || path[folder.size()] == '/';
}

}  // namespace

std::string relative_to(const std::string& path, const std::string& base) {
  if (!is_inside(path, base)) return path;
  std::string relative = path.substr(base.size());
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  return relative;
}

void ConfigurationCache::set_settings(Settings settings) {
  settings_ = std::move(settings);
  invalidate();
}

void ConfigurationCache::invalidate() {
  config_of_folder_.clear();
  loaded_.clear();
}

std::string ConfigurationCache::configured_file() const {
  if (settings_.config_file.empty()) return "";
  fs::path configured(settings_.config_file);
  if (configured.is_relative() && !workspace_folders_.empty())
    configured = fs::path(workspace_folders_.front()) / configured;
  return configured.lexically_normal().string();
}

bool ConfigurationCache::is_config_file(const std::string& path) const {
  std::string name = fs::path(path).filename().string();
  if (name == ".shiftlint.yaml" || name == ".shiftlint.yml") return true;
  return !settings_.config_file.empty() && fs::path(path).lexically_normal().string() == configured_file();
}

std::string ConfigurationCache::workspace_folder_of(const std::string& path) const {
  std::string best;
  for (const std::string& folder : workspace_folders_)
    if ((is_inside(path, folder) || path == folder) && folder.size() > best.size()) best = folder;
  return best;
}

const EffectiveConfig& ConfigurationCache::for_file(const std::string& path) {
  std::string folder = parent_folder(path);
  std::string workspace = workspace_folder_of(path);
  return for_folder_with_base(folder, workspace.empty() ? folder : workspace);
}

const EffectiveConfig& ConfigurationCache::for_folder(const std::string& folder) {
  std::string workspace = workspace_folder_of(folder);
  return for_folder_with_base(folder, workspace.empty() ? folder : workspace);
}

const EffectiveConfig& ConfigurationCache::for_folder_with_base(const std::string& folder,
                                                                const std::string& fallback_base) {
  std::string config_path = configured_file();
  if (config_path.empty()) {
    auto known = config_of_folder_.find(folder);
    if (known == config_of_folder_.end())
      known = config_of_folder_.emplace(folder, find_config_file(folder.empty() ? "/" : folder)).first;
    config_path = known->second;
  }
  return load(config_path, fallback_base);
}

const EffectiveConfig& ConfigurationCache::load(const std::string& config_path, const std::string& fallback_base) {
  std::string key = config_path.empty() ? "\n" + fallback_base : config_path;
  auto cached = loaded_.find(key);
  if (cached != loaded_.end()) return *cached->second;

  auto effective = std::make_unique<EffectiveConfig>();
  effective->config_path = config_path;
  effective->base_directory = config_path.empty() ? fallback_base : parent_folder(config_path);
  if (!config_path.empty()) {
    auto loaded = load_config_file(config_path);
    if (auto* error = std::get_if<ConfigError>(&loaded)) {
      effective->error = *error;
    } else {
      effective->config = std::move(std::get<Config>(loaded));
    }
  }
  // The selection points into the config's nodes: both live in the same heap object.
  effective->selection = select_rules(effective->config, {}, {});
  return *loaded_.emplace(std::move(key), std::move(effective)).first->second;
}

}  // namespace shiftlint::lsp
