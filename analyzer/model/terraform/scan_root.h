#pragma once
// What Terraform evaluation may read: files and module folders under the scanned root, and nothing
// outside it. Paths are resolved with symbolic links followed first, so a link that points out of
// the root is refused like `../../etc/passwd`. Everything read is cached and lives as long as the
// ScanRoot (located-tree nodes point into the files). Thread-safe: one ScanRoot can serve all
// workers; a check run gives each root module a ScanRoot of its own instead (sharing the run's
// ListedFiles), so that what one evaluation reads is freed with it.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "analyzer/model/terraform/module.h"
#include "analyzer/parse/document.h"

namespace shiftlint::terraform {

// A template file (templatefile()) parsed as an HCL template. `body` is nullptr when it could not be
// parsed; `error` then says why.
struct TemplateSyntax {
  std::unique_ptr<hcl::Expression> body;
  std::string error;
};

// The Terraform files a run lists, for every ScanRoot of the run: a listed folder's module is made
// of these files (a .tf file the config excludes stays out of it), named as the discovery names them.
struct ListedFiles {
  struct File {
    std::string path;          // as discovered (read from there)
    std::string display_path;  // relative to the scan root
  };
  std::map<std::string, std::vector<File>> module_files;  // canonical folder → its .tf files, in run order
  // Canonical path → display path, for the files whose display path is not their path under the
  // root (a folder reached through a symbolic link).
  std::map<std::string, std::string> display_paths;
};

class ScanRoot {
 public:
  // `root`: the scan root (made absolute and canonical here). Nothing is read outside it or, when it
  // is inside a git repository, outside the repository's root (source/read_bound.h).
  // `listed`: the files of the run, when there is one (module() and display_path() read it).
  explicit ScanRoot(const std::string& root, LoadLimits limits = {}, std::shared_ptr<const ListedFiles> listed = nullptr);

  const std::string& root() const { return root_; }
  const LoadLimits& limits() const { return limits_; }

  struct Resolved {
    std::string path;   // absolute and canonical; empty on error
    std::string error;  // why the path cannot be used
  };
  // `path` (absolute, or relative to `base_directory`) resolved inside the read bound.
  Resolved resolve(std::string_view base_directory, std::string_view path) const;

  // How reports name a file: relative to the root ("../modules/x/main.tf" above it, within the read
  // bound). Files the discovery listed keep its name for them.
  std::string display_path(const std::string& absolute_path) const;
  void set_display_path(const std::string& absolute_path, std::string display_path);

  // The text of a file inside the root, read once; nullptr with `error` set otherwise.
  std::shared_ptr<const SourceFile> read_file(const std::string& absolute_path, std::string& error);

  // The module in a folder inside the root: its .tf files (the listed ones for a listed folder)
  // parsed on first use. nullptr with `error` set when the folder is outside the root or holds no .tf file.
  const ModuleSource* module(const std::string& directory, std::string& error);
  // Registers a module parsed ahead of evaluation (the engine parses all modules in parallel).
  const ModuleSource* add_module(ModuleSource module);

  // A template file parsed once (templatefile() of the same file for every instance).
  const TemplateSyntax& template_syntax(const std::shared_ptr<const SourceFile>& file);

 private:
  std::string root_;
  std::string bound_;  // the read bound: root_ or its repository's root
  LoadLimits limits_;
  std::shared_ptr<const ListedFiles> listed_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> display_paths_;
  std::map<std::string, std::shared_ptr<const SourceFile>> files_;
  std::map<std::string, std::unique_ptr<ModuleSource>> modules_;
  std::map<std::string, std::string> module_errors_;
  std::map<const SourceFile*, std::unique_ptr<TemplateSyntax>> templates_;
};

// Reads and parses one .tf file. Never throws: a file that cannot be read is a File with an error.
hcl::File load_hcl_file(const std::string& path, const std::string& display_path, const LoadLimits& limits);

// Files larger than this are not parsed: tree-sitter needs about 80 bytes of memory per byte of HCL.
constexpr uint64_t kMaxHclFileBytes = 8ull << 20;

// Reads a whole file (up to max_bytes + 1 bytes, so the caller can tell it is too large).
bool read_whole_file(const std::string& path, uint64_t max_bytes, std::string& text, std::string& error);

}  // namespace shiftlint::terraform
