// The Dockerfile parser, the model built from it, the shell analysis of its RUN/CMD bodies and
// every DKR rule.
#include "analyzer/parse/dockerfile_parser.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = shiftlint::fuzz::source_of(data, size, "Dockerfile");
  (void)shiftlint::docker::parse_dockerfile(*file);
  shiftlint::fuzz::lint(file);
  return 0;
}
