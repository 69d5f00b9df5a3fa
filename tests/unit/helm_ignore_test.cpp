// .helmignore rules as Helm's pkg/ignore applies them when it loads a chart folder.
#include <catch2/catch.hpp>

#include "analyzer/model/helm/helm_ignore.h"

using shiftlint::helm::HelmIgnore;
using shiftlint::helm::HelmIgnoreError;

namespace {

HelmIgnore parse_clean(std::string_view text) {
  std::optional<HelmIgnoreError> error;
  HelmIgnore ignore = HelmIgnore::parse(text, error);
  REQUIRE_FALSE(error);
  return ignore;
}

}  // namespace

TEST_CASE("helmignore: base names, whole paths, rooted patterns and folders", "[helm][helmignore]") {
  HelmIgnore ignore = parse_clean(
      "# editor and CI leftovers\n"
      "\n"
      "*.swp\n"
      "  .DS_Store  \r\n"
      "ci/\n"
      "templates/*.md\n"
      "/secrets.yaml\n");
  CHECK(ignore.ignores("templates/deployment.yaml.swp", false));  // no '/': the base name only
  CHECK(ignore.ignores(".DS_Store", false));                       // spaces and '\r' trimmed
  CHECK(ignore.ignores("templates/.DS_Store", false));
  CHECK(ignore.ignores("ci", true));                               // a folder rule ...
  CHECK(ignore.ignores("charts/db/ci", true));
  CHECK_FALSE(ignore.ignores("ci", false));                        // ... not a file of that name
  CHECK(ignore.ignores("templates/README.md", false));             // with '/': the whole path
  CHECK_FALSE(ignore.ignores("charts/db/templates/README.md", false));
  CHECK(ignore.ignores("secrets.yaml", false));                    // rooted at the chart folder
  CHECK_FALSE(ignore.ignores("config/secrets.yaml", false));
  CHECK_FALSE(ignore.ignores("templates/deployment.yaml", false));
  CHECK_FALSE(ignore.ignores("# editor and CI leftovers", false));  // comments are not patterns
}

TEST_CASE("helmignore: Helm's default rule hides dot files in templates/", "[helm][helmignore]") {
  for (const HelmIgnore& ignore : {HelmIgnore::defaults(), parse_clean("*.bak\n")}) {
    CHECK(ignore.ignores("templates/.deployment.yaml.swp", false));
    CHECK(ignore.ignores("templates/.hidden", true));
    CHECK_FALSE(ignore.ignores("templates/deployment.yaml", false));
    CHECK_FALSE(ignore.ignores("templates/sub/.hidden.yaml", false));  // only directly in templates/
    CHECK_FALSE(ignore.ignores(".helmignore", false));
  }
  CHECK_FALSE(HelmIgnore::defaults().ignores("", true));
  CHECK_FALSE(parse_clean("*\n").ignores(".", true));  // never the chart folder itself
}

TEST_CASE("helmignore: '!' rules leave out everything they do not match", "[helm][helmignore]") {
  // Helm's negation is not gitignore's: a `!` rule that does not match a path leaves it out at once.
  HelmIgnore keep_yaml = parse_clean("!*.yaml\n");
  CHECK_FALSE(keep_yaml.ignores("templates/deployment.yaml", false));
  CHECK(keep_yaml.ignores("templates/NOTES.txt", false));
  CHECK(keep_yaml.ignores("templates", true));
  // A matching `!` rule hands over to the rules after it; an earlier rule has already decided.
  HelmIgnore ordered = parse_clean("*.txt\n!NOTES.txt\n");
  CHECK(ordered.ignores("templates/NOTES.txt", false));
  HelmIgnore folder_negation = parse_clean("!templates/\n");
  CHECK(folder_negation.ignores("values.yaml", false));  // a folder-only `!` rule leaves out files
  CHECK_FALSE(folder_negation.ignores("templates", true));
}

TEST_CASE("helmignore: lines Helm rejects", "[helm][helmignore]") {
  std::optional<HelmIgnoreError> error;
  std::string text = "*.bak\n  logs/**\n*.tmp\n";
  HelmIgnore ignore = HelmIgnore::parse(text, error);
  REQUIRE(error);
  CHECK(error->line == 2);
  CHECK(text.substr(error->begin_offset, error->end_offset - error->begin_offset) == "logs/**");
  CHECK(error->message == "double-star (**) syntax is not supported");
  CHECK(ignore.ignores("a.bak", false));       // the rules before the line still apply
  CHECK_FALSE(ignore.ignores("a.tmp", false));  // the ones after it are never read
  CHECK(ignore.ignores("templates/.hidden", false));

  HelmIgnore::parse("ok\nfile[0-9\n", error);
  REQUIRE(error);
  CHECK(error->line == 2);
  CHECK(error->message == "syntax error in pattern");

  HelmIgnore::parse("a\n" + std::string(70000, 'x') + "\n", error);
  REQUIRE(error);
  CHECK(error->line == 2);
}
