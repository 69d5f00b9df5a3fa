#include <catch2/catch.hpp>

#include "analyzer/engine/finding.h"
#include "analyzer/report/columns.h"

using namespace shiftlint;

namespace {
Finding sensitive_finding(const std::string& line, uint32_t begin_column, uint32_t end_column) {
  Finding finding;
  finding.rule_id = "ECS009";
  finding.sensitive = true;
  finding.location.span = {{3, begin_column}, {3, end_column}};
  finding.location.begin_line_text = line;
  finding.location.end_line_text = line;
  return finding;
}
}  // namespace

TEST_CASE("finding: a sensitive value is masked, keeping a short prefix and the quotes") {
  std::string line = R"(  {"name": "DB_PASSWORD", "value": "correct-horse-battery"},)";
  size_t begin = line.find("\"correct");
  Finding finding = sensitive_finding(line, static_cast<uint32_t>(begin + 1), static_cast<uint32_t>(begin + 24));
  redact_sensitive_text(finding);
  CHECK(finding.location.begin_line_text == R"(  {"name": "DB_PASSWORD", "value": "corr*****************"},)");
  CHECK(finding.location.end_line_text == finding.location.begin_line_text);
}

TEST_CASE("finding: masking keeps byte and UTF-16 columns of multi-byte secrets") {
  // "pässwörd-😀-geheim" has 2-byte, 4-byte and ASCII characters.
  std::string secret = "\"p\xC3\xA4sswo\xCC\x88rd-\xF0\x9F\x98\x80-geheim\"";
  std::string line = "      Value: " + secret + "  # tail";
  auto begin = static_cast<uint32_t>(line.find('"') + 1);
  auto end = static_cast<uint32_t>(begin + secret.size());
  Finding finding = sensitive_finding(line, begin, end);
  redact_sensitive_text(finding);
  const std::string& masked = finding.location.begin_line_text;
  CHECK(masked.size() == line.size());
  CHECK(masked.find("geheim") == std::string::npos);
  CHECK(masked.substr(masked.size() - 8) == "  # tail");
  CHECK(utf16_column(masked, end) == utf16_column(line, end));
  CHECK(utf16_column(masked, static_cast<uint32_t>(masked.size() + 1)) ==
        utf16_column(line, static_cast<uint32_t>(line.size() + 1)));
}

TEST_CASE("finding: findings that are not sensitive are left alone") {
  Finding finding = sensitive_finding("image: app:latest", 8, 18);
  finding.sensitive = false;
  redact_sensitive_text(finding);
  CHECK(finding.location.begin_line_text == "image: app:latest");
}
