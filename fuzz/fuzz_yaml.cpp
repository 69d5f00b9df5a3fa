// The YAML loader (yaml-cpp events into the located tree: anchors, aliases, merge keys, duplicate
// keys, multi-document streams), then the rules that read YAML (a CloudFormation template).
#include "analyzer/parse/yaml_loader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = shiftlint::fuzz::source_of(data, size, "template.yaml");
  (void)shiftlint::load_yaml(file, shiftlint::fuzz::fuzz_limits());
  shiftlint::fuzz::lint(file);
  return 0;
}
