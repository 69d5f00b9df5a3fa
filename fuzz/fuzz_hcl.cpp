// HCL through tree-sitter-hcl and the partial evaluator (variables, locals, for expressions,
// templates, functions), as a module of one file, then the Terraform rules.
#include "analyzer/engine/terraform_phase.h"
#include "analyzer/parse/hcl/hcl_loader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = shiftlint::fuzz::source_of(data, size, "main.tf");
  (void)shiftlint::hcl::load_hcl(file, shiftlint::fuzz::fuzz_limits());
  static const shiftlint::Config config;
  static const shiftlint::RuleSelection selection = shiftlint::select_rules(config, {"ALL"}, {});
  (void)shiftlint::lint_terraform_source(file, config, selection, shiftlint::fuzz::fuzz_limits());
  return 0;
}
