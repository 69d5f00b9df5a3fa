// Elastic Beanstalk's source bundle files: the .ebextensions reader (YAML or JSON; every section,
// option_settings in both forms, EB's own validation, `files:` contents read as shell, crontabs
// and nginx), a worker tier's cron.yaml and the Procfile reader, then the EB rules and the host
// evidence the parity rules use. The same bytes are linted as each of the three files: one
// format's corner is often another's (a `web: ...` line is a Procfile and YAML).
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shiftlint::fuzz::lint(shiftlint::fuzz::source_of(data, size, ".ebextensions/01-app.config"));
  shiftlint::fuzz::lint(shiftlint::fuzz::source_of(data, size, "cron.yaml"));
  shiftlint::fuzz::lint(shiftlint::fuzz::source_of(data, size, "Procfile"));
  return 0;
}
