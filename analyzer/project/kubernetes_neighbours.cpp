#include "analyzer/project/kubernetes_neighbours.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "analyzer/parse/yaml_loader.h"
#include "analyzer/source/classify.h"

namespace shiftlint {

namespace fs = std::filesystem;

namespace {

// Bounds on what one folder may cost: a folder of generated manifests is read, a dump is not.
constexpr size_t kMaxFilesPerFolder = 200;
constexpr uintmax_t kMaxFileBytes = 2u << 20;

bool read_whole(const fs::path& path, std::string& text) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return false;
  char buffer[1 << 16];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, count);
  return !std::ferror(file.get());
}

// As fs::path::extension() tells it (a leading dot starts no extension), without building a
// path: every file of a run is asked, Dockerfiles included.
bool is_yaml_name(std::string_view path) {
  std::string_view name = path.substr(path.find_last_of('/') + 1);
  size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view extension = name.substr(dot);
  return extension == ".yaml" || extension == ".yml";
}

bool links_to_workloads(const Node& root) {
  const Node* kind = root.is_map() ? root.find("kind") : nullptr;
  std::optional<std::string_view> name = kind ? kind->as_string() : std::nullopt;
  if (!name) return false;
  // `kind: List` (and typed lists such as PersistentVolumeClaimList) carry their objects as items.
  return *name == "HorizontalPodAutoscaler" || *name == "ScaledObject" || *name == "PersistentVolumeClaim" ||
         name->ends_with("List");
}

bool mentions_linkable_kind(std::string_view text) {
  return text.find("HorizontalPodAutoscaler") != std::string_view::npos ||
         text.find("ScaledObject") != std::string_view::npos ||
         text.find("PersistentVolumeClaim") != std::string_view::npos;
}

// Blanks (spaces, line breaks kept) every document of a multi-document stream that cannot hold a
// linkable object, so that a rendered manifest of hundreds of objects costs one parse of its
// autoscaler, not of all of it, while every kept line and column stays where it is. A `---` at
// column 0 always starts a document: block scalar content is indented.
void blank_unlinkable_documents(std::string& text) {
  auto is_marker = [&](size_t line_start) {
    return text.compare(line_start, 3, "---") == 0 &&
           (line_start + 3 == text.size() || text[line_start + 3] == '\n' || text[line_start + 3] == '\r' ||
            text[line_start + 3] == ' ' || text[line_start + 3] == '\t');
  };
  auto blank_unless_linkable = [&](size_t begin, size_t end) {
    if (mentions_linkable_kind(std::string_view(text).substr(begin, end - begin))) return;
    for (size_t at = begin; at < end; ++at)
      if (text[at] != '\n' && text[at] != '\r') text[at] = ' ';
  };
  size_t document_begin = 0;
  for (size_t line_start = 0; line_start < text.size();) {
    size_t line_end = text.find('\n', line_start);
    size_t next = line_end == std::string::npos ? text.size() : line_end + 1;
    if (is_marker(line_start)) {
      blank_unless_linkable(document_begin, line_start);
      document_begin = next;
    }
    line_start = next;
  }
  blank_unless_linkable(document_begin, text.size());
}

std::shared_ptr<const FolderManifests> load_files(const std::vector<DiscoveredFile>& files, const LoadLimits& limits) {
  auto manifests = std::make_shared<FolderManifests>();
  if (files.size() > kMaxFilesPerFolder) return manifests;  // too many to link by folder
  for (const DiscoveredFile& entry : files) {
    std::error_code error;
    if (fs::file_size(entry.path(), error) > kMaxFileBytes || error) continue;
    std::string text;
    if (!read_whole(entry.path(), text)) continue;
    // Only the objects a workload links to matter here: a file without any is not parsed (an editor
    // buffer asks for its folder on every change).
    std::string_view whole = text;
    if (!mentions_linkable_kind(whole)) continue;
    std::string_view head = whole.substr(0, 1 << 16);
    if (refine_by_location(classify(entry.display_path(), head), entry.path()) != FileKind::KubernetesManifest) continue;
    blank_unlinkable_documents(text);
    auto file = std::make_shared<const SourceFile>(entry.path(), std::string(entry.display_path()), std::move(text));
    Document document = load_yaml(file, limits);
    if (!document.ok()) continue;
    // Keep only the objects a workload links to: a rendered manifest of hundreds of objects with one
    // autoscaler in it must not stay in memory whole while its folder is being linted.
    std::erase_if(document.roots, [](const Node& root) { return !links_to_workloads(root); });
    if (!document.roots.empty()) manifests->documents.push_back(std::move(document));
  }
  return manifests;
}

std::vector<DiscoveredFile> list_folder(const fs::path& folder, const std::string& display_folder) {
  std::vector<DiscoveredFile> files;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (!is_yaml_name(it->path().native())) continue;
    std::error_code status_error;
    // Symbolic links are not followed: they could lead out of the scanned tree.
    if (!it->is_regular_file(status_error) || it->is_symlink(status_error)) continue;
    std::string name = it->path().filename().string();
    files.push_back({it->path().string(), display_folder.empty() ? name : display_folder + "/" + name});
    if (files.size() > kMaxFilesPerFolder) break;
  }
  std::sort(files.begin(), files.end(),
            [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.display_path() < b.display_path(); });
  return files;
}

}  // namespace

KubernetesNeighbourCache::KubernetesNeighbourCache(LoadLimits limits, const std::vector<DiscoveredFile>& run_files)
    : limits_(limits), from_run_files_(true) {
  for (const DiscoveredFile& file : run_files) {
    if (!is_yaml_name(file.path())) continue;
    std::error_code error;
    fs::path folder = fs::absolute(fs::path(file.path()), error).parent_path();
    if (!error) run_files_[folder.string()].push_back(&file);
  }
  for (const auto& [folder, files] : run_files_) unfinished_[folder] = files.size();
}

void KubernetesNeighbourCache::file_done(const std::string& path_on_disk) {
  if (!from_run_files_ || !is_yaml_name(path_on_disk)) return;
  std::error_code error;
  fs::path folder = fs::absolute(fs::path(path_on_disk), error).parent_path();
  if (error) return;
  std::lock_guard lock(mutex_);
  auto unfinished = unfinished_.find(folder.string());
  if (unfinished == unfinished_.end() || unfinished->second == 0) return;
  // The last file of the folder is linted: no later file asks for these manifests again.
  if (--unfinished->second == 0) folders_.erase(folder.string());
}

std::shared_ptr<const FolderManifests> KubernetesNeighbourCache::folder_of(const std::string& path_on_disk,
                                                                          const std::string& display_path) {
  std::error_code error;
  fs::path folder = fs::absolute(fs::path(path_on_disk), error).parent_path();
  if (error) return std::make_shared<FolderManifests>();
  std::string key = folder.string();
  // One load per folder: the files of a folder are linted side by side by the worker threads, and
  // each would otherwise parse the folder's manifests again. The others wait for the first.
  std::shared_ptr<FolderEntry> entry;
  {
    std::lock_guard lock(mutex_);
    std::shared_ptr<FolderEntry>& slot = folders_[key];
    if (!slot) slot = std::make_shared<FolderEntry>();
    entry = slot;
  }
  entry->loaded.call([&] {
    size_t slash = display_path.find_last_of('/');
    std::string display_folder = slash == std::string::npos ? std::string() : display_path.substr(0, slash);
    if (from_run_files_) {
      auto listed = run_files_.find(key);  // never modified after construction: no lock needed
      std::vector<DiscoveredFile> files;
      if (listed != run_files_.end())
        for (const DiscoveredFile* file : listed->second) files.push_back(*file);
      entry->manifests = load_files(files, limits_);
    } else {
      entry->manifests = load_files(list_folder(folder, display_folder), limits_);
    }
  });
  return entry->manifests;
}

}  // namespace shiftlint
