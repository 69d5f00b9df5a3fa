#include "analyzer/cli/render_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "analyzer/cli/arguments.h"
#include "analyzer/config/config.h"
#include "analyzer/engine/helm_settings.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/project/skaffold_index.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/real_path.h"

namespace shiftlint::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kExitClean = 0;
constexpr int kExitIncomplete = 1;
constexpr int kExitError = 2;

void print_problem(const helm::ChartProblem& problem) {
  if (problem.file && !problem.span.empty())
    std::fprintf(stderr, "%s:%u:%u: %s\n", problem.file->display_path().c_str(), problem.span.begin.line,
                 problem.span.begin.column, problem.message.c_str());
  else
    std::fprintf(stderr, "%s\n", problem.message.c_str());
}

// The Skaffold files in the chart's folder and the folders above it, up to the repository's root
// (the folder that holds .git) or the file system's: one of their releases may deploy the chart.
// Display paths continue the chart's own (`charts/web` → `skaffold.yaml` beside `charts/`).
// `repository`: that root, or empty when no folder above holds .git.
std::vector<DiscoveredFile> skaffold_files_above(const std::string& chart_directory, const std::string& display,
                                                 std::string& repository) {
  std::vector<DiscoveredFile> files;
  repository.clear();
  std::error_code error;
  fs::path folder = chart_directory;
  std::string relative;  // from the chart folder up to `folder`: "", "..", "../..", ...
  for (int depth = 0; depth < 64; ++depth) {
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      std::string name = it->path().filename().string();
      if (!SkaffoldIndex::is_skaffold_name(name) || !it->is_regular_file(error)) continue;
      std::string shown = (fs::path(display) / relative / name).lexically_normal().generic_string();
      files.emplace_back(it->path().string(), shown);
    }
    error.clear();
    if (fs::exists(folder / ".git", error)) {
      repository = folder.string();
      break;
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) break;
    folder = folder.parent_path();
    relative = relative.empty() ? ".." : relative + "/..";
  }
  return files;
}

}  // namespace

int run_render_command(const std::vector<std::string>& args) {
  std::optional<std::string> chart_path;
  std::vector<std::string> value_files, sets, api_versions;
  std::optional<std::string> release_name, namespace_name, kube_version, config_path;
  std::string error;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (auto value = option_value(args, i, "--values", error)) value_files.push_back(*value);
    else if (auto value = option_value(args, i, "-f", error)) value_files.push_back(*value);
    else if (auto value = option_value(args, i, "--set", error)) sets.push_back(*value);
    else if (auto value = option_value(args, i, "--release-name", error)) release_name = *value;
    else if (auto value = option_value(args, i, "--namespace", error)) namespace_name = *value;
    else if (auto value = option_value(args, i, "-n", error)) namespace_name = *value;
    else if (auto value = option_value(args, i, "--kube-version", error)) kube_version = *value;
    else if (auto value = option_value(args, i, "--api-versions", error)) api_versions.push_back(*value);
    else if (auto value = option_value(args, i, "-a", error)) api_versions.push_back(*value);
    else if (auto value = option_value(args, i, "--config", error)) config_path = *value;
    else if (!error.empty()) break;
    else if (!arg.empty() && arg[0] == '-') error = fmt::format("unknown option '{}' for render", arg);
    else if (chart_path) error = "render takes one chart folder";
    else chart_path = arg;
    if (!error.empty()) break;
  }
  if (error.empty() && !chart_path) error = "render needs a chart folder: shiftlint render CHART";
  if (!error.empty()) {
    std::fprintf(stderr, "shiftlint: %s\n", error.c_str());
    return kExitError;
  }
  std::error_code filesystem_error;
  if (!fs::is_regular_file(fs::path(*chart_path) / "Chart.yaml", filesystem_error)) {
    std::fprintf(stderr, "shiftlint: %s has no Chart.yaml: not a chart\n", chart_path->c_str());
    return kExitError;
  }

  // The config's helm settings apply (as for `check`); the command line adds to and overrides them.
  Config config;
  std::string found = config_path ? *config_path : find_config_file(*chart_path);
  if (!found.empty()) {
    auto loaded = load_config_file(found);
    if (auto* problem = std::get_if<ConfigError>(&loaded)) {
      std::fprintf(stderr, "shiftlint: %s\n", problem->to_string().c_str());
      return kExitError;
    }
    config = std::move(std::get<Config>(loaded));
  }
  HelmSettings settings = read_helm_settings(config);
  if (release_name) settings.options.release_name = *release_name;
  if (namespace_name) settings.options.namespace_name = *namespace_name;
  if (kube_version) settings.options.kube_version = *kube_version;
  for (const std::string& version : api_versions)
    for (size_t start = 0; start <= version.size();) {
      size_t comma = version.find(',', start);
      settings.options.api_versions.push_back(version.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }

  std::string chart_directory = fs::absolute(*chart_path, filesystem_error).lexically_normal().string();
  helm::ChartLoadOptions load_options;
  load_options.scan_root = chart_directory;
  // A chart may take a dependency from a sibling folder: the scan root is the chart's parent.
  load_options.scan_root = fs::path(chart_directory).parent_path().string();
  std::string display = fs::path(*chart_path).lexically_normal().generic_string();
  while (display.size() > 1 && display.back() == '/') display.pop_back();
  helm::LoadedChart loaded = helm::load_chart(chart_directory, display, load_options);
  for (const helm::ChartProblem& problem : loaded.problems) print_problem(problem);
  if (!loaded.chart) {
    std::fprintf(stderr, "shiftlint: %s: the chart cannot be loaded\n", chart_path->c_str());
    return kExitError;
  }

  std::vector<helm::ChartProblem> value_problems;
  helm::UserValues user_values;
  settings.apply_values(config, user_values, value_problems, fs::current_path(filesystem_error).string());
  // As `check` renders the chart: with the values of the Skaffold release that deploys it and the
  // Argo CD parameters kept beside it, before the command line's own values.
  std::vector<std::string> argo_warnings;
  std::string repository;
  std::vector<DiscoveredFile> skaffold_files = skaffold_files_above(chart_directory, display, repository);
  SkaffoldIndex skaffold(LoadLimits{}, skaffold_files);
  size_t deployments = 0;
  const SkaffoldRelease* release = skaffold.release_of(lexically_normal_absolute(chart_directory), &deployments);
  if (release) {
    apply_skaffold_release(*release, repository, user_values, settings.options, argo_warnings);
    std::fprintf(stderr, "shiftlint: rendered as the release %s of %s deploys it\n", release->name.c_str(),
                 release->configuration.c_str());
    for (const std::string& skipped : release->skipped)
      std::fprintf(stderr, "shiftlint: %s: left out: Skaffold fills it in at deploy time\n", skipped.c_str());
  } else if (deployments > 1) {
    std::fprintf(stderr, "shiftlint: %zu Skaffold releases deploy this chart: rendered with its own values\n",
                 deployments);
  }
  if (release_name) settings.options.release_name = *release_name;  // the command line has the last word
  if (namespace_name) settings.options.namespace_name = *namespace_name;
  ArgoSourceOverrides argo = apply_argo_parameters(chart_directory, display, LoadLimits{}, user_values, argo_warnings);
  for (const std::string& warning : argo_warnings) std::fprintf(stderr, "shiftlint: %s\n", warning.c_str());
  for (const std::string& path : value_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "shiftlint: cannot read values file %s\n", path.c_str());
      return kExitError;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    user_values.add_file(std::make_shared<const SourceFile>(path, path, std::move(text)), value_problems);
  }
  for (const std::string& assignment : sets) {
    std::string set_error;
    if (!user_values.add_set(assignment, set_error)) {
      std::fprintf(stderr, "shiftlint: --set %s: %s\n", assignment.c_str(), set_error.c_str());
      return kExitError;
    }
  }
  for (const helm::ChartProblem& problem : value_problems) print_problem(problem);
  if (!value_problems.empty()) return kExitError;

  helm::ChartRendering rendering = helm::render_chart(*loaded.chart, user_values, settings.options);
  std::string output = helm::format_manifests(rendering.manifests);
  std::fwrite(output.data(), 1, output.size(), stdout);
  std::fflush(stdout);
  for (const helm::ChartProblem& problem : rendering.problems) print_problem(problem);
  return rendering.problems.empty() && loaded.problems.empty() ? kExitClean : kExitIncomplete;
}

}  // namespace shiftlint::cli
