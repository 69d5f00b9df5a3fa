#pragma once
// The Kubernetes manifests beside a manifest: a Deployment in deployment.yaml is scaled by the HPA
// in hpa.yaml and mounts the claim in pvc.yaml of the same folder (the usual layout of plain
// manifests and kustomize bases). Each file is still linted on its own; its workloads are linked
// with the objects of its folder, read once per run and shared by the worker threads.
//
// In a `check` run the neighbours are the files of the folder that the run itself lints (a run of
// files, what the pre-commit hook passes, lints the other YAML files of their folders with them, so
// that deployment.yaml alone is still judged with the hpa.yaml beside it: engine/check_run.cpp;
// ignored files stay ignored); for an editor buffer, the YAML files of its folder on disk.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/once.h"

namespace shiftlint {

struct FolderManifests {
  // The manifests of one folder that hold an autoscaler or a claim and parse, in name order.
  std::vector<Document> documents;
};

class KubernetesNeighbourCache {
 public:
  explicit KubernetesNeighbourCache(LoadLimits limits) : limits_(limits) {}
  // Neighbours only among these files (a run's discovered files), by folder. `run_files` must
  // outlive the lookups: the cache points into it rather than copy every path of the run.
  KubernetesNeighbourCache(LoadLimits limits, const std::vector<DiscoveredFile>& run_files);

  // The manifests in the folder of `path_on_disk` (itself included: callers skip their own file),
  // named in reports as `display_folder`/<name>. Files that are not Kubernetes manifests, are
  // too large, or do not parse are left out (they are reported when linted themselves).
  std::shared_ptr<const FolderManifests> folder_of(const std::string& path_on_disk, const std::string& display_path);

  // A run's file has been linted. Once every file of a folder has, its manifests are dropped, so a
  // run holds the manifests of the folders being linted, not of the whole repository.
  void file_done(const std::string& path_on_disk);

 private:
  LoadLimits limits_;
  bool from_run_files_ = false;
  // Folder (absolute) -> its files in the run: path on disk and display path.
  std::unordered_map<std::string, std::vector<const DiscoveredFile*>> run_files_;
  std::mutex mutex_;
  struct FolderEntry {
    Once loaded;
    std::shared_ptr<const FolderManifests> manifests;  // set once, under `loaded`
  };
  std::unordered_map<std::string, std::shared_ptr<FolderEntry>> folders_;
  // Folder (absolute) -> how many of its run files are not linted yet (guarded by mutex_).
  std::unordered_map<std::string, size_t> unfinished_;
};

}  // namespace shiftlint
