#include "analyzer/engine/helm_settings.h"

#include <sys/stat.h>

#include <cstdlib>
#include <optional>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "analyzer/source/file_read.h"
#include "analyzer/source/read_bound.h"
#include "analyzer/source/real_path.h"

namespace shiftlint {

namespace fs = std::filesystem;

HelmSettings read_helm_settings(const Config& config) {
  HelmSettings settings;
  const Node* helm = config.helm;
  if (!helm) return settings;
  auto text = [&](const char* key) -> std::optional<std::string> {
    const Node* node = helm->find(key);
    if (!node || !node->is_scalar() || node->is_null()) return std::nullopt;
    return node->text;
  };
  if (auto value = text("release_name")) settings.options.release_name = *value;
  if (auto value = text("namespace")) settings.options.namespace_name = *value;
  if (auto value = text("kube_version")) settings.options.kube_version = *value;
  if (const Node* versions = helm->find("api_versions"); versions && versions->is_list())
    for (const Node& version : versions->children) settings.options.api_versions.push_back(version.text);
  if (const Node* files = helm->find("values"); files && files->is_list())
    for (const Node& file : files->children) settings.value_files.push_back(file.text);
  return settings;
}

void HelmSettings::apply_values(const Config& config, helm::UserValues& values,
                                std::vector<helm::ChartProblem>& problems, const std::string& display_base) const {
  for (const std::string& file : value_files) {
    fs::path path = (fs::path(config.directory()) / file).lexically_normal();
    // Named from the scan root, as every other file of the run: the config may sit above it.
    std::string display = file;
    std::error_code absolute_error;
    fs::path absolute = fs::absolute(path, absolute_error).lexically_normal();
    if (!display_base.empty() && !absolute_error) {
      std::string relative = absolute.lexically_relative(fs::path(display_base).lexically_normal()).generic_string();
      if (!relative.empty()) display = relative;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      problems.push_back({config.file, {}, fmt::format("helm.values: cannot read {}", path.string()), false});
      continue;
    }
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    values.add_file(std::make_shared<const SourceFile>(path.string(), display, std::move(content)), problems);
  }
  if (!config.helm) return;
  if (const Node* set = config.helm->find("set"); set && set->is_map())
    for (const Node& entry : set->children) values.add_set_node(entry.key, entry);
}

ArgoSourceOverrides apply_argo_parameters(const std::string& chart_directory, const std::string& display_directory,
                                          const LoadLimits& limits, helm::UserValues& values,
                                          std::vector<std::string>& warnings) {
  ArgoSourceOverrides overrides = read_argo_source_overrides(chart_directory, display_directory, limits);
  for (const ArgoSourceOverrides::HelmParameter& parameter : overrides.helm_parameters) {
    std::string error;
    if (!values.add_set_value(parameter.name, parameter.value, parameter.force_string, parameter.value_node, error))
      warnings.push_back(fmt::format("{}: the Argo CD parameter {} is not applied: {}",
                                     parameter.value_node->file->display_path(), parameter.name, error));
  }
  return overrides;
}

namespace {

// A Skaffold file is part of the analysed repository, so what its releases name is untrusted: a
// values file is read only when it is a regular file (not a FIFO that blocks the open, not a
// device), inside `root` once links are resolved, and of a values file's size.
constexpr uint64_t kMaxReleaseValuesBytes = 8u << 20;

std::optional<std::string> read_release_values_file(const std::string& path, const std::string& root,
                                                    std::string& problem) {
  struct stat status;
  if (::stat(path.c_str(), &status) != 0) {
    problem = "cannot be read";
    return std::nullopt;
  }
  if (!S_ISREG(status.st_mode)) {
    problem = "is not a regular file: not read";
    return std::nullopt;
  }
  if (!root.empty()) {
    char* real = ::realpath(path.c_str(), nullptr);
    char* real_root = ::realpath(root.c_str(), nullptr);
    // Within the scan root's repository, as the other files the scanned ones refer to (source/read_bound.h).
    std::string bound = real_root ? read_bound_of(real_root) : std::string();
    std::string_view file = real ? real : "";
    bool inside = !file.empty() && !bound.empty() && is_within_folder(file, bound);
    std::free(real);
    std::free(real_root);
    if (!inside) {
      problem = "is outside the scanned folder and the git repository it is in: not read";
      return std::nullopt;
    }
  }
  std::string text;
  if (read_whole_file(path, kMaxReleaseValuesBytes, text) != 0) {
    problem = "cannot be read";
    return std::nullopt;
  }
  if (text.size() > kMaxReleaseValuesBytes) {
    problem = "is larger than 8 MiB: not read";
    return std::nullopt;
  }
  return text;
}

}  // namespace

void apply_skaffold_release(const SkaffoldRelease& release, const std::string& root, helm::UserValues& values,
                            helm::RenderOptions& options, std::vector<std::string>& warnings) {
  std::vector<helm::ChartProblem> problems;
  uint64_t read_bytes = 0;  // all the release's values files together stay within one file's limit too
  for (const SkaffoldRelease::ValuesFile& file : release.values_files) {
    std::string problem;
    std::optional<std::string> content = read_release_values_file(file.path, root, problem);
    if (content && read_bytes + content->size() > kMaxReleaseValuesBytes) {
      content.reset();
      problem = "would take the release's values files past 8 MiB in all: not read";
    }
    if (content) read_bytes += content->size();
    if (!content) {
      warnings.push_back(fmt::format("{}: the values file {} of the release {} {}", release.configuration,
                                     file.display_path, release.name, problem));
      continue;
    }
    values.add_file(std::make_shared<const SourceFile>(file.path, file.display_path, std::move(*content)), problems);
  }
  for (const helm::ChartProblem& problem : problems)
    warnings.push_back(problem.file ? fmt::format("{}:{}: {}", problem.file->display_path(), problem.span.begin.line,
                                                  problem.message)
                                    : problem.message);
  for (const SkaffoldRelease::Setting& setting : release.settings) {
    std::string error;
    if (!values.add_set_value(setting.key, setting.value->text, setting.as_string, setting.value, error))
      warnings.push_back(fmt::format("{}: the value {} of the release {} is not applied: {}", release.configuration,
                                     setting.key, release.name, error));
  }
  if (!release.name.empty()) options.release_name = release.name;
  if (!release.namespace_name.empty()) options.namespace_name = release.namespace_name;
}

}  // namespace shiftlint
