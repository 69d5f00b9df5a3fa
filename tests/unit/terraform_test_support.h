#pragma once
// Scratch module folders for the Terraform tests: files written to a temporary folder (file(),
// templatefile() and local modules read the disk), evaluated the way the engine does.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "analyzer/model/terraform/evaluator.h"
#include "analyzer/model/terraform/scan_root.h"
#include "analyzer/parse/hcl/hcl_loader.h"

namespace shiftlint::terraform::testing {

class ScratchFolder {
 public:
  ScratchFolder() {
    static int counter = 0;
    std::random_device random;
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("shiftlint-terraform-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(counter++) + "-" + std::to_string(random()));
    std::filesystem::create_directories(path);
    root_ = std::filesystem::canonical(path).generic_string();
  }
  ~ScratchFolder() {
    std::error_code error;
    std::filesystem::remove_all(root_, error);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& relative) const { return root_ + "/" + relative; }
  void write(const std::string& relative, const std::string& text) const {
    std::filesystem::path target = path(relative);
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << text;
  }

 private:
  std::string root_;
};

// Parses the .tf files of `folder` (relative to the scratch root) into a module.
inline ModuleSource load_module(const ScratchFolder& scratch, const std::string& folder,
                                const std::vector<std::string>& names) {
  std::string directory = folder.empty() ? scratch.root() : scratch.path(folder);
  std::vector<hcl::File> files;
  for (const std::string& name : names) {
    std::string display = folder.empty() ? name : folder + "/" + name;
    files.push_back(load_hcl_file(directory + "/" + name, display, {}));
  }
  return index_module(directory, std::move(files));
}

// The evaluated value of an output of the root module, or nullptr.
inline const Node* output(const EvaluatedRoot& evaluated, std::string_view name) {
  for (const auto& [output_name, value] : evaluated.module.outputs)
    if (output_name == name) return &value;
  return nullptr;
}

// A module of one main.tf, evaluated with the given tfvars text (may be empty).
struct Evaluated {
  ScratchFolder scratch;
  std::unique_ptr<ScanRoot> scan_root;
  ModuleSource module;
  VariableValues values;
  EvaluatedRoot result;

  explicit Evaluated(const std::string& main_tf, const std::string& tfvars = "",
                     const std::vector<std::pair<std::string, std::string>>& other_files = {}) {
    scratch.write("main.tf", main_tf);
    for (const auto& [name, text] : other_files) scratch.write(name, text);
    scan_root = std::make_unique<ScanRoot>(scratch.root());
    module = load_module(scratch, "", {"main.tf"});
    if (!tfvars.empty()) {
      scratch.write("terraform.tfvars", tfvars);
      hcl::File file = load_hcl_file(scratch.path("terraform.tfvars"), "terraform.tfvars", {});
      tfvars_file = file.source;
      std::vector<EvaluationFailure> failures;
      read_variable_values(*scan_root, file, values, failures);
    }
    result = evaluate_root_module(*scan_root, module, values);
  }
  const Node* output(std::string_view name) const { return testing::output(result, name); }
  std::shared_ptr<const SourceFile> tfvars_file;
};

}  // namespace shiftlint::terraform::testing
