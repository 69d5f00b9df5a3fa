// The differential check of the two YAML front ends (analyzer/parse/yaml_reader.h and yaml-cpp):
// every YAML file found under the given paths is loaded with both, and the located trees are
// compared node by node — kind, value, tag, key, every begin/end position and key span — along
// with the diagnostics (duplicate keys...). Prints the hand-written reader's coverage (files and
// bytes it read without yaml-cpp), every difference, and the time each front end took.
//
//   build/tests/yaml_differential [--show-declined] [--min-share PERCENT] PATH...
//
// A PATH is a file, a folder (searched for *.yaml, *.yml, *.config under .ebextensions and
// *.template that is not JSON), or @LIST: a file of paths. Exit status 1 when any difference was
// found, or when the reader read less than --min-share percent of the files.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/parse/yaml_loader.h"
#include "analyzer/parse/yaml_reader.h"
#include "bench/yaml_tree_difference.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

struct Totals {
  uint64_t files = 0;
  uint64_t accepted = 0;
  uint64_t bytes = 0;
  uint64_t accepted_bytes = 0;
  uint64_t differing = 0;
  // yaml-cpp rejects, the reader reads: a tagged block scalar in a list item (yaml-cpp issue #1163)
  uint64_t yaml_cpp_rejects = 0;
  uint64_t declined_templates = 0;  // declined files with `{{`: templates, rendered before loading
  double yaml_cpp_seconds = 0;
  double reader_seconds = 0;
};

bool show_declined = false;

// Events to nowhere: for finding where the reader declines a file.
class IgnoredEvents final : public YamlEvents {
 public:
  void document_start(size_t) override {}
  void document_end() override {}
  void null_value(size_t, size_t) override {}
  void alias(size_t, size_t) override {}
  void scalar(size_t, std::string_view, size_t, std::string) override {}
  void sequence_start(size_t, std::string_view, size_t, bool) override {}
  void sequence_end() override {}
  void map_start(size_t, std::string_view, size_t, bool) override {}
  void map_end() override {}
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check_file(const fs::path& path, Totals& totals) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return;
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (text.size() > 64'000'000) return;
  auto file = std::make_shared<const SourceFile>(path.string(), path.string(), std::move(text));
  ++totals.files;
  totals.bytes += file->text().size();

  auto started = std::chrono::steady_clock::now();
  std::optional<Document> expected = load_yaml_with(file, LoadLimits{}, YamlFrontEnd::YamlCpp);
  totals.yaml_cpp_seconds += seconds_since(started);
  started = std::chrono::steady_clock::now();
  std::optional<Document> actual = load_yaml_with(file, LoadLimits{}, YamlFrontEnd::HandWrittenOnly);
  totals.reader_seconds += seconds_since(started);

  if (!actual) {
    if (file->text().find("{{") != std::string_view::npos) ++totals.declined_templates;
    if (show_declined) {
      IgnoredEvents ignored;
      size_t at = 0;
      read_yaml(file->text(), ignored, 400, &at);
      std::string_view all = file->text();
      const size_t from = at >= 30 ? at - 30 : 0;
      std::string excerpt(all.substr(from, at - from));
      excerpt += "<HERE>";
      excerpt += all.substr(std::min(at, all.size()), 30);
      std::replace(excerpt.begin(), excerpt.end(), '\n', '|');
      const Position position = file->position_at(std::min(at, all.size()));
      std::cout << "declined " << path.string() << ":" << position.line << ":" << position.column << ": "
                << excerpt << "\n";
    }
    return;
  }
  ++totals.accepted;
  totals.accepted_bytes += file->text().size();
  YamlTreeComparison comparison;
  comparison.document(*expected, *actual);
  if (comparison.differences.empty()) return;
  if (expected && !expected->ok() && actual->ok()) {
    IgnoredEvents ignored;
    size_t departures = 0;
    read_yaml(file->text(), ignored, 400, nullptr, &departures);
    if (departures > 0) {
      ++totals.yaml_cpp_rejects;
      return;
    }
  }
  ++totals.differing;
  std::cout << "DIFFERENT " << path.string() << "\n";
  size_t count = 0;
  for (const std::string& difference : comparison.differences) {
    if (++count > 12) break;
    std::cout << "  " << difference << "\n";
  }
  std::cout << "----\n";
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_yaml_file(const fs::path& path) {
  const std::string name = path.filename().string();
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) return true;
  if (ends_with(name, ".config") && path.parent_path().filename() == ".ebextensions") return true;
  if (ends_with(name, ".template")) {
    std::ifstream stream(path, std::ios::binary);
    char first = 0;
    while (stream.get(first) && (first == ' ' || first == '\n' || first == '\r' || first == '\t')) {
    }
    return first != '{';
  }
  return false;
}

void check_path(const fs::path& path, Totals& totals) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      const std::string name = it->path().filename().string();
      if (it->is_directory(error) && (name == ".git" || name == "node_modules")) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error) && !it->is_symlink(error) && is_yaml_file(it->path()))
        files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) check_file(file, totals);
  } else if (fs::is_regular_file(path, error)) {
    check_file(path, totals);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Totals totals;
  double min_share = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--show-declined") {
      show_declined = true;
    } else if (argument == "--min-share" && i + 1 < argc) {
      min_share = std::stod(argv[++i]);
    } else if (!argument.empty() && argument[0] == '@') {
      std::ifstream list(argument.substr(1));
      std::string line;
      while (std::getline(list, line))
        if (!line.empty()) check_path(line, totals);
    } else {
      check_path(argument, totals);
    }
  }
  auto percent = [](uint64_t part, uint64_t whole) {
    return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  };
  const double share = percent(totals.accepted, totals.files);
  std::printf("files: %llu (%.1f MB), read by the reader: %llu (%.1f%% of files, %.1f%% of bytes), differing: %llu\n",
              static_cast<unsigned long long>(totals.files), static_cast<double>(totals.bytes) / 1e6,
              static_cast<unsigned long long>(totals.accepted), share,
              percent(totals.accepted_bytes, totals.bytes), static_cast<unsigned long long>(totals.differing));
  std::printf("valid YAML yaml-cpp rejects and the reader reads (a tagged block scalar in a list item): %llu\n",
              static_cast<unsigned long long>(totals.yaml_cpp_rejects));
  const uint64_t not_templates = totals.files - totals.declined_templates;
  std::printf("declined templates (files with {{, which shiftlint renders before loading): %llu; "
              "the reader read %.1f%% of the other files\n",
              static_cast<unsigned long long>(totals.declined_templates), percent(totals.accepted, not_templates));
  std::printf("time: yaml-cpp %.1f ms, the reader (declined files cost their attempt only) %.1f ms\n",
              totals.yaml_cpp_seconds * 1000, totals.reader_seconds * 1000);
  if (totals.differing > 0) return 1;
  if (share < min_share) {
    std::printf("the reader read %.1f%% of the files, less than the expected %.1f%%\n", share, min_share);
    return 1;
  }
  return 0;
}
