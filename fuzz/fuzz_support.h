#pragma once
// Shared by the fuzz targets: the bytes as a SourceFile of a given name, and a lint of it through
// the same path the language server uses (classify, parse, every rule, suppressions), so a target
// exercises its parser and everything that reads the parser's output.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::fuzz {

inline std::shared_ptr<const SourceFile> source_of(const uint8_t* data, size_t size, const std::string& path) {
  // The folder does not exist: nothing the input names (a COPY source, file(), an include) is on disk.
  std::string full = "/nonexistent-shiftlint-fuzz/" + path;
  return std::make_shared<const SourceFile>(full, path, std::string(reinterpret_cast<const char*>(data), size));
}

// Limits small enough that a run of the fuzzer is not spent on inputs that are merely large.
inline LoadLimits fuzz_limits() {
  LoadLimits limits;
  limits.max_depth = 128;
  limits.max_nodes = 100'000;
  return limits;
}

inline void lint(const std::shared_ptr<const SourceFile>& file) {
  static const Config config;
  static const RuleSelection selection = select_rules(config, {"ALL"}, {});
  (void)lint_source(file, config, selection, fuzz_limits());
}

}  // namespace shiftlint::fuzz
