// The names of build-context files (entrypoint scripts, crontabs, *.conf...) are listed in three
// places that cannot share code: the pre-commit hooks' `files:` patterns, the language server's
// is_build_context_name, and the VS Code extension's document selector. Each is checked against
// tests/build_context_names.txt, so that a name added to one and not the others fails a test.
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/source/classify.h"

namespace {

std::string source_file(const std::string& relative) { return std::string(SHIFTLINT_SOURCE_DIR) + "/" + relative; }

// (path, whether it is a build-context file), from the shared list.
std::vector<std::pair<std::string, bool>> listed_names() {
  std::ifstream in(source_file("tests/build_context_names.txt"));
  std::vector<std::pair<std::string, bool>> names;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 3 || (line[0] != '+' && line[0] != '-') || line[1] != ' ') continue;
    names.emplace_back(line.substr(2), line[0] == '+');
  }
  return names;
}

// Each hook's `files:` pattern, as pre-commit reads it (a Python regex, searched in the path).
std::vector<std::string> hook_patterns() {
  std::ifstream in(source_file(".pre-commit-hooks.yaml"));
  std::vector<std::string> patterns;
  const std::string key = "files: '";
  for (std::string line; std::getline(in, line);) {
    size_t at = line.find(key);
    if (at == std::string::npos || line.back() != '\'') continue;
    patterns.push_back(line.substr(at + key.size(), line.size() - at - key.size() - 1));
  }
  return patterns;
}

}  // namespace

TEST_CASE("the shared list of build-context names is read") {
  auto names = listed_names();
  REQUIRE(names.size() >= 10);
  CHECK(std::count_if(names.begin(), names.end(), [](const auto& name) { return !name.second; }) >= 3);
}

TEST_CASE("the pre-commit hooks pass exactly the listed build-context files") {
  std::vector<std::string> patterns = hook_patterns();
  REQUIRE(patterns.size() == 2);  // shiftlint and shiftlint-build
  for (const std::string& pattern : patterns) {
    RE2 files(pattern);
    REQUIRE(files.ok());
    for (const auto& [path, is_build_context] : listed_names()) {
      INFO(path << " against " << pattern);
      CHECK(RE2::PartialMatch(path, files) == is_build_context);
    }
  }
}

TEST_CASE("the language server takes exactly the listed build-context files") {
  for (const auto& [path, is_build_context] : listed_names()) {
    INFO(path);
    CHECK(shiftlint::is_build_context_name(path) == is_build_context);
    CHECK(shiftlint::is_build_context_name("/home/user/project/" + path) == is_build_context);
  }
  // The hooks and the server ignore case.
  CHECK(shiftlint::is_build_context_name("docker/Docker-Entrypoint.SH"));
  CHECK(shiftlint::is_build_context_name("Crontab"));
}
