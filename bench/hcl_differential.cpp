// The differential check of the two HCL front ends: every .tf and .tfvars file under the given
// paths is read by the hand-written reader (analyzer/parse/hcl/hcl_reader.h) and parsed by
// tree-sitter-hcl with the builder (load_hcl_with_tree_sitter), and the two Files are compared
// field by field: blocks, attributes, every expression's kind, text, flags, span and offsets.
// Prints the reader's coverage (files it read without handing them to tree-sitter), each
// difference, and the time each front end took. Exit status 1 when any difference was found.
//
//   build/tests/hcl_differential [--show-declined] PATH...   (a PATH is a file, a folder, or @LIST: a file of paths)
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/hcl/hcl_reader.h"
#include "bench/hcl_difference.h"

namespace fs = std::filesystem;
using namespace shiftlint;
using namespace shiftlint::hcl;

namespace {

void collect(const fs::path& path, std::vector<fs::path>& files) {
  std::string name = path.string();
  if (!name.empty() && name[0] == '@') {
    std::ifstream list(name.substr(1));
    for (std::string line; std::getline(list, line);)
      if (!line.empty()) collect(line, files);
    return;
  }
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      std::string file_name = it->path().filename().string();
      if (it->is_directory() && (file_name == ".git" || file_name == "node_modules" || file_name == ".terraform")) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && (it->path().extension() == ".tf" || it->path().extension() == ".tfvars"))
        files.push_back(it->path());
    }
  } else if (fs::is_regular_file(path, error)) {
    files.push_back(path);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool show_declined = false;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--show-declined") show_declined = true;
    else collect(argument, files);
  }
  uint64_t read = 0, declined = 0, differing = 0, bytes = 0, read_bytes = 0;
  double reader_seconds = 0, tree_sitter_seconds = 0;
  for (const fs::path& path : files) {
    std::ifstream input(path, std::ios::binary);
    std::stringstream content;
    content << input.rdbuf();
    auto file = std::make_shared<const SourceFile>(path.string(), path.string(), content.str());
    bytes += file->text().size();
    auto start = std::chrono::steady_clock::now();
    std::optional<File> by_reader = read_hcl(file);
    auto middle = std::chrono::steady_clock::now();
    File by_tree_sitter = load_hcl_with_tree_sitter(file);
    auto stop = std::chrono::steady_clock::now();
    reader_seconds += std::chrono::duration<double>(middle - start).count();
    tree_sitter_seconds += std::chrono::duration<double>(stop - middle).count();
    if (!by_reader) {
      ++declined;
      if (show_declined)
        std::cout << "declined: " << path.string() << (by_tree_sitter.ok() ? "" : " (tree-sitter: syntax error)") << "\n";
      continue;
    }
    ++read;
    read_bytes += file->text().size();
    FileComparison comparison;
    if (!by_tree_sitter.ok())
      comparison.first_difference = fmt::format("the reader accepted a file tree-sitter rejects: {} {}",
                                                describe(by_tree_sitter.errors[0].span), by_tree_sitter.errors[0].message);
    comparison.bodies(by_reader->body, by_tree_sitter.body, "");
    if (!comparison.first_difference.empty()) {
      ++differing;
      std::cout << "DIFFERENCE " << path.string() << ": " << comparison.first_difference << "\n";
    }
  }
  std::cout << fmt::format(
      "{} files ({:.1f} MB): {} read by the hand-written reader ({:.1f}%, {:.1f}% of bytes), {} declined; {} differences\n"
      "reader {:.3f} s (declines included), tree-sitter {:.3f} s\n",
      files.size(), bytes / 1e6, read, files.empty() ? 0.0 : 100.0 * read / files.size(),
      bytes ? 100.0 * read_bytes / bytes : 0.0, declined, differing, reader_seconds, tree_sitter_seconds);
  return differing ? 1 : 0;
}
