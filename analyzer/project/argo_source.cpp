#include "analyzer/project/argo_source.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include "analyzer/parse/yaml_loader.h"
#include "analyzer/project/deploy_config_file.h"
#include "analyzer/source/file_read.h"

namespace shiftlint {

namespace {

constexpr std::string_view kSharedFile = ".argocd-source.yaml";
constexpr std::string_view kApplicationPrefix = ".argocd-source-";
constexpr std::string_view kExtension = ".yaml";
// An override file is a few lines; a larger one is not read.
constexpr uint64_t kMaxOverrideBytes = 1 << 20;
// Folder entries looked at for the files: a source folder is small, and the lookup is one per
// kustomization or chart.
constexpr size_t kMaxFolderEntries = 10000;

void read_file(const std::string& path, const std::string& display_path, LoadLimits limits,
               ArgoSourceOverrides& overrides) {
  // A regular file only: opening a FIFO would wait for a writer forever.
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return;
  std::string text;
  if (read_whole_file(path, kMaxOverrideBytes, text) != 0 || text.size() > kMaxOverrideBytes) return;
  auto document = std::make_shared<const Document>(
      load_yaml(std::make_shared<const SourceFile>(path, display_path, std::move(text)), limits));
  if (!document->ok() || document->roots.empty() || !document->roots.front().is_map()) return;
  const Node& root = document->roots.front();
  if (const Node* kustomize = root.find("kustomize"); kustomize && kustomize->is_map())
    if (const Node* images = kustomize->find("images"); images && images->is_list())
      for (const Node& entry : images->children)
        if (std::optional<std::string_view> argument = entry.as_string(); argument && !argument->empty())
          overrides.kustomize_images.push_back({std::string(*argument), make_location(*document->file, entry.span)});
  if (const Node* helm = root.find("helm"); helm && helm->is_map())
    if (const Node* parameters = helm->find("parameters"); parameters && parameters->is_list())
      for (const Node& entry : parameters->children) {
        if (!entry.is_map()) continue;
        std::optional<std::string_view> name = scalar_text(entry.find("name"));
        const Node* value = entry.find("value");
        std::optional<std::string_view> value_text = scalar_text(value);
        if (!name || name->empty() || !value_text) continue;
        const Node* force = entry.find("forcestring");
        bool force_string = force && force->kind == NodeKind::Boolean && force->boolean;
        // Argo CD merges parameters by name: the application's file replaces the shared one's.
        std::erase_if(overrides.helm_parameters,
                      [&](const ArgoSourceOverrides::HelmParameter& held) { return held.name == *name; });
        overrides.helm_parameters.push_back({std::string(*name), std::string(*value_text), force_string, value});
      }
  overrides.documents.push_back(std::move(document));
}

}  // namespace

bool is_argo_source_name(std::string_view file_name) {
  return file_name == kSharedFile ||
         (file_name.size() > kApplicationPrefix.size() + kExtension.size() && file_name.starts_with(kApplicationPrefix) &&
          file_name.ends_with(kExtension));
}

ArgoSourceOverrides read_argo_source_overrides(const std::string& folder, const std::string& display_folder,
                                               LoadLimits limits) {
  ArgoSourceOverrides overrides;
  bool shared = false;
  std::vector<std::string> applications;
  std::error_code error;
  size_t listed = 0;
  for (std::filesystem::directory_iterator entry(folder, error), end;
       !error && entry != end && listed++ < kMaxFolderEntries; entry.increment(error)) {
    std::string name = entry->path().filename().string();
    // A folder of that name is not a file Argo CD reads (nor a FIFO, which would wait for a writer).
    std::error_code type_error;
    if (!is_argo_source_name(name) || !entry->is_regular_file(type_error)) continue;
    if (name == kSharedFile)
      shared = true;
    else
      applications.push_back(std::move(name));
  }
  auto path_of = [&](std::string_view name) {
    std::string path = folder;
    if (path.empty() || path.back() != '/') path += '/';
    path.append(name);
    std::string display = display_folder.empty() ? std::string(name) : display_folder + "/" + std::string(name);
    return std::pair(path, display);
  };
  if (shared) {
    auto [path, display] = path_of(kSharedFile);
    read_file(path, display, limits, overrides);
  }
  if (applications.size() == 1) {
    auto [path, display] = path_of(applications.front());
    read_file(path, display, limits, overrides);
  }
  return overrides;
}

}  // namespace shiftlint
