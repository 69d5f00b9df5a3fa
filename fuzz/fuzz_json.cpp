// The strict JSON parser and the recovering loader (tree-sitter-json), then the task definition
// extraction and the ECS rules.
#include "analyzer/parse/json_loader.h"
#include "analyzer/parse/strict_json.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = shiftlint::fuzz::source_of(data, size, "task-definition.json");
  (void)shiftlint::parse_strict_json(*file, shiftlint::fuzz::fuzz_limits());
  (void)shiftlint::load_json(file, shiftlint::fuzz::fuzz_limits());
  shiftlint::fuzz::lint(file);
  return 0;
}
