#include "analyzer/model/terraform/scan_root.h"

#include "analyzer/source/read_bound.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/hcl/hcl_template.h"

namespace fs = std::filesystem;

namespace shiftlint::terraform {

namespace {

std::string generic(const fs::path& path) { return path.generic_string(); }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool inside(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (root == "/") return !path.empty() && path.front() == '/';
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
}

}  // namespace

bool read_whole_file(const std::string& path, uint64_t max_bytes, std::string& text, std::string& error) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    error = std::strerror(errno);
    return false;
  }
  char buffer[1 << 16];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, count);
    if (text.size() > max_bytes) break;
  }
  if (std::ferror(file.get())) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

hcl::File load_hcl_file(const std::string& path, const std::string& display_path, const LoadLimits& limits) {
  std::string text, error;
  if (!read_whole_file(path, kMaxHclFileBytes, text, error)) {
    hcl::File result;
    result.source = std::make_shared<const SourceFile>(path, display_path, "");
    result.errors.push_back({{{1, 1}, {1, 1}}, "cannot read file: " + error});
    return result;
  }
  if (text.size() > kMaxHclFileBytes) {
    hcl::File result;
    result.source = std::make_shared<const SourceFile>(path, display_path, "");
    result.errors.push_back(
        {{{1, 1}, {1, 1}}, fmt::format("file is larger than {} MiB (the HCL size limit): not analysed",
                                       kMaxHclFileBytes >> 20)});
    return result;
  }
  if (std::string_view(text).substr(0, 1 << 16).find('\0') != std::string_view::npos) {
    hcl::File result;
    result.source = std::make_shared<const SourceFile>(path, display_path, "");
    result.errors.push_back({{{1, 1}, {1, 1}}, "binary content in a file named like Terraform: not analysed"});
    return result;
  }
  return hcl::load_hcl(std::make_shared<const SourceFile>(path, display_path, std::move(text)), limits);
}

ScanRoot::ScanRoot(const std::string& root, LoadLimits limits, std::shared_ptr<const ListedFiles> listed)
    : limits_(limits), listed_(std::move(listed)) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(fs::absolute(root, error), error);
  root_ = generic(error ? fs::path(root) : canonical);
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  bound_ = read_bound_of(root_);
}

ScanRoot::Resolved ScanRoot::resolve(std::string_view base_directory, std::string_view path) const {
  Resolved resolved;
  if (path.empty()) {
    resolved.error = "the path is empty";
    return resolved;
  }
  fs::path candidate(std::string{path});
  if (candidate.is_relative()) candidate = fs::path(std::string{base_directory}) / candidate;
  std::error_code error;
  // weakly_canonical follows every symbolic link that exists, so the check below sees the target.
  fs::path canonical = fs::weakly_canonical(candidate, error);
  if (error) {
    resolved.error = error.message();
    return resolved;
  }
  std::string absolute = generic(canonical);
  if (!inside(absolute, bound_)) {
    resolved.error = fmt::format("\"{}\" is outside the scanned folder and the git repository it is in; shiftlint "
                                 "never reads outside them",
                                 path);
    return resolved;
  }
  resolved.path = std::move(absolute);
  return resolved;
}

std::string ScanRoot::display_path(const std::string& absolute_path) const {
  {
    std::lock_guard lock(mutex_);
    if (auto found = display_paths_.find(absolute_path); found != display_paths_.end()) return found->second;
  }
  if (listed_)
    if (auto found = listed_->display_paths.find(absolute_path); found != listed_->display_paths.end()) return found->second;
  if (absolute_path == root_) return ".";
  if (inside(absolute_path, root_)) return absolute_path.substr(root_ == "/" ? 1 : root_.size() + 1);
  if (inside(absolute_path, bound_)) return path_from_scan_root(absolute_path, root_);
  return absolute_path;
}

void ScanRoot::set_display_path(const std::string& absolute_path, std::string display_path) {
  std::lock_guard lock(mutex_);
  display_paths_[absolute_path] = std::move(display_path);
}

std::shared_ptr<const SourceFile> ScanRoot::read_file(const std::string& absolute_path, std::string& error) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = files_.find(absolute_path); found != files_.end()) return found->second;
  }
  if (!inside(absolute_path, bound_)) {
    error = "the file is outside the scanned folder and the git repository it is in";
    return nullptr;
  }
  std::error_code status_error;
  if (fs::is_directory(absolute_path, status_error)) {
    error = "it is a folder";
    return nullptr;
  }
  std::string text;
  if (!read_whole_file(absolute_path, kMaxHclFileBytes, text, error)) return nullptr;
  if (text.size() > kMaxHclFileBytes) {
    error = fmt::format("the file is larger than {} MiB", kMaxHclFileBytes >> 20);
    return nullptr;
  }
  auto file = std::make_shared<const SourceFile>(absolute_path, display_path(absolute_path), std::move(text));
  std::lock_guard lock(mutex_);
  auto [at, inserted] = files_.emplace(absolute_path, std::move(file));
  return at->second;
}

const ModuleSource* ScanRoot::add_module(ModuleSource module) {
  std::lock_guard lock(mutex_);
  std::string directory = module.directory;
  auto& slot = modules_[directory];
  if (!slot) slot = std::make_unique<ModuleSource>(std::move(module));
  return slot.get();
}

const ModuleSource* ScanRoot::module(const std::string& directory, std::string& error) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = modules_.find(directory); found != modules_.end()) return found->second.get();
    if (auto failed = module_errors_.find(directory); failed != module_errors_.end()) {
      error = failed->second;
      return nullptr;
    }
  }
  if (listed_)
    if (auto found = listed_->module_files.find(directory); found != listed_->module_files.end()) {
      std::vector<hcl::File> files;
      for (const ListedFiles::File& file : found->second)
        files.push_back(load_hcl_file(file.path, file.display_path, limits_));
      return add_module(index_module(directory, std::move(files)));
    }
  std::vector<std::string> paths;
  std::error_code list_error;
  if (inside(directory, bound_)) {
    for (fs::directory_iterator it(directory, list_error), end; !list_error && it != end; it.increment(list_error)) {
      std::string name = it->path().filename().string();
      if (!ends_with(name, ".tf")) continue;
      Resolved resolved = resolve(directory, name);  // a symlinked .tf must stay inside the root
      std::error_code type_error;
      if (!resolved.error.empty() || !fs::is_regular_file(resolved.path, type_error)) continue;
      paths.push_back(generic(it->path()));
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    error = !inside(directory, bound_) ? "the module folder is outside the scanned folder and the git repository it is in"
            : list_error              ? "cannot read the module folder: " + list_error.message()
                                      : "the module folder holds no .tf file";
    std::lock_guard lock(mutex_);
    module_errors_[directory] = error;
    return nullptr;
  }
  std::vector<hcl::File> files;
  for (const std::string& path : paths) files.push_back(load_hcl_file(path, display_path(path), limits_));
  return add_module(index_module(directory, std::move(files)));
}

const TemplateSyntax& ScanRoot::template_syntax(const std::shared_ptr<const SourceFile>& file) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = templates_.find(file.get()); found != templates_.end()) return *found->second;
  }
  hcl::TemplateParse parsed = hcl::parse_template(*file, limits_);
  auto syntax = std::make_unique<TemplateSyntax>();
  syntax->body = std::move(parsed.body);
  syntax->error = std::move(parsed.error);
  std::lock_guard lock(mutex_);
  auto [at, inserted] = templates_.emplace(file.get(), std::move(syntax));
  return *at->second;
}

}  // namespace shiftlint::terraform
