// go_path_match against the behaviour of Go's path/filepath.Match on a Unix system (worked out from
// its documented grammar; each case notes the point it checks).
#include <catch2/catch.hpp>

#include "analyzer/source/go_path_match.h"

using shiftlint::go_path_match;

namespace {

struct Case {
  const char* pattern;
  const char* name;
  std::optional<bool> expected;  // nullopt: Go's ErrBadPattern
};

template <size_t N>
void check_all(const Case (&cases)[N]) {
  for (const Case& test : cases) {
    INFO(test.pattern << " against " << test.name);
    CHECK(go_path_match(test.pattern, test.name) == test.expected);
  }
}

}  // namespace

TEST_CASE("go_path_match: literals, stars and question marks", "[helm][glob]") {
  const Case cases[] = {
      {"values.yaml", "values.yaml", true},
      {"values.yaml", "values.yml", false},
      {"*", "anything", true},
      {"*", "", true},
      {"*", "a/b", false},                      // a star never crosses '/'
      {"*.yaml", "deployment.yaml", true},
      {"*.yaml", "templates/deployment.yaml", false},
      {"*/*.yaml", "templates/deployment.yaml", true},
      {"a*", "a", true},
      {"a*z", "abcz", true},
      {"a*z", "ab/cz", false},
      {"*x", "xxx", true},                      // the last chunk must use up the name
      {"a*b*c", "aXbYbZc", true},
      {"a*b?c*x", "aXbYcZZx", true},
      {"a*b?c*x", "aXbYcZZy", false},
      {"?", "é", true},                         // one code point, not one byte
      {"??", "é", false},
      {"a?b", "a/b", false},
      {"a\\*b", "a*b", true},
      {"a\\*b", "aXb", false},
      {"\\?", "?", true},
      {"", "", true},
      {"", "a", false},
  };
  check_all(cases);
}

TEST_CASE("go_path_match: character classes", "[helm][glob]") {
  const Case cases[] = {
      {"file[0-9].txt", "file7.txt", true},
      {"file[0-9].txt", "fileA.txt", false},
      {"[abc]", "b", true},
      {"[^abc]", "b", false},
      {"[^abc]", "d", true},
      {"[!abc]", "!", true},                    // Go negates with '^' only
      {"[!abc]", "d", false},
      {"[^a]", "/", true},                      // unlike '?', a class may match '/'
      {"[a-c][x-z]", "by", true},
      {"[α-ω]", "λ", true},
      {"[\\]]", "]", true},
      {"[\\-]", "-", true},
      {"[x\\-]", "-", true},
      {"[x\\-]", "y", false},
      {"*[0-9]", "v12", true},
  };
  check_all(cases);
}

TEST_CASE("go_path_match: malformed patterns are errors, also after a mismatch", "[helm][glob]") {
  const Case cases[] = {
      {"[", "a", std::nullopt},
      {"[^", "a", std::nullopt},
      {"[a-", "a", std::nullopt},
      {"[]a]", "]", std::nullopt},              // an empty class
      {"[-]", "-", std::nullopt},
      {"[x-]", "x", std::nullopt},
      {"[a-b-c]", "a", std::nullopt},
      {"\\", "a", std::nullopt},                // nothing to escape
      {"a[", "x", std::nullopt},                // the mismatch at 'a' does not hide the bad class
      {"x*[", "xyz", std::nullopt},
      {"nomatch*[", "abc", std::nullopt},       // a later chunk is still checked
      {"[\xff]", "a", std::nullopt},            // not UTF-8 inside a class
  };
  check_all(cases);
}
