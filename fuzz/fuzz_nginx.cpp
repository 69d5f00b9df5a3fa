// The nginx config reader (directives, blocks, quoting, includes), and the Apache one beside it:
// both read server configs an image copies in.
#include "analyzer/parse/apache_config.h"
#include "analyzer/parse/nginx_config.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = shiftlint::fuzz::source_of(data, size, "nginx.conf");
  (void)shiftlint::nginx::parse_nginx_config(*file);
  (void)shiftlint::apache::parse_apache_config(*file);
  return 0;
}
