#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "analyzer/parse/shell/argument_test.h"

using shiftlint::shell::evaluate_argument_test;

namespace {

std::optional<bool> test(const char* condition, std::vector<std::string> arguments) {
  return evaluate_argument_test(condition, arguments);
}

}  // namespace

TEST_CASE("argument test: the first argument compared with a word") {
  CHECK(test(R"([ "$1" = 'rails' ])", {"rails", "server"}) == true);
  CHECK(test(R"([ "$1" = 'rails' ])", {"puma"}) == false);
  CHECK(test(R"([ "$1" = 'rails' ])", {}) == false);
  CHECK(test(R"([ "$1" == "rails" ])", {"rails"}) == true);
  CHECK(test(R"([ "$1" != 'rake' ])", {"rails"}) == true);
  CHECK(test(R"([ "${1}" = rails ])", {"rails"}) == true);
  CHECK(test(R"(test "$1" = rails)", {"rails"}) == true);
  CHECK(test(R"([ 'rails' = "$1" ])", {"puma"}) == false);
  // A literal word is compared as written, quotes removed.
  CHECK(test(R"([ "x$1" = "xrails" ])", {"rails"}) == true);
}

TEST_CASE("argument test: empty and non-empty arguments") {
  CHECK(test(R"([ -z "$1" ])", {}) == true);
  CHECK(test(R"([ -z "$1" ])", {"web"}) == false);
  CHECK(test(R"([ -n "$1" ])", {"web"}) == true);
  CHECK(test(R"([ "$1" ])", {}) == false);
  CHECK(test(R"([ -z "${1:-}" ])", {}) == true);
  CHECK(test(R"([ $# -eq 0 ])", {}) == true);
  CHECK(test(R"([ "$#" -gt 0 ])", {"a", "b"}) == true);
  CHECK(test(R"([ $# -ge 2 ])", {"a"}) == false);
}

TEST_CASE("argument test: the docker-library tests of a first argument that is an option") {
  CHECK(test(R"([ "${1:0:1}" = '-' ])", {"--verbose"}) == true);
  CHECK(test(R"([ "${1:0:1}" = '-' ])", {"redis-server"}) == false);
  CHECK(test(R"([ "${1#-}" != "$1" ])", {"-c", "x"}) == true);
  CHECK(test(R"([ "${1#-}" != "$1" ])", {"mysqld"}) == false);
  CHECK(test(R"([ "${1%%:*}" = 'app' ])", {"app:start"}) == true);
  CHECK(test(R"([ "${1:-server}" = 'server' ])", {}) == true);
}

TEST_CASE("argument test: double brackets match patterns, quoted parts literally") {
  CHECK(test(R"([[ $1 == app:* ]])", {"app:start"}) == true);
  CHECK(test(R"([[ $1 == "app:*" ]])", {"app:start"}) == false);
  CHECK(test(R"([[ -z $1 ]])", {}) == true);  // no word splitting inside [[ ]]
  CHECK(test(R"([[ $1 = web || $1 = worker ]])", {"worker"}) == true);
  CHECK(test(R"([[ $1 = web && -n $2 ]])", {"web"}) == false);
}

TEST_CASE("argument test: joined and negated tests") {
  CHECK(test(R"([ "$1" = web ] || [ "$1" = start ])", {"start"}) == true);
  CHECK(test(R"([ "$1" = web ] && [ "$2" = --migrate ])", {"web"}) == false);
  CHECK(test(R"(! [ "$1" = web ])", {"web"}) == false);
  CHECK(test(R"([ ! -z "$1" ])", {}) == false);
  CHECK(test(R"([ "$1" = web -o "$1" = start ])", {"start"}) == true);
  CHECK(test(R"([ "$1" = web -a -z "$2" ])", {"web"}) == true);
  // A false part decides an `&&` whatever the other part is.
  CHECK(test(R"([ "$1" != 'rake' -a -z "$REDMINE_NO_DB_MIGRATE" ])", {"rake"}) == false);
  CHECK(test(R"([ "$1" = web ] || [ -f /app/web ])", {"web"}) == true);
}

TEST_CASE("argument test: what the arguments do not decide is not evaluated") {
  // Another variable, a file, a command: known only at run time.
  CHECK_FALSE(test(R"-([ "$(id -u)" = '0' ])-", {"rails"}).has_value());
  CHECK_FALSE(test(R"([ "$DATABASE_URL" ])", {}).has_value());
  CHECK_FALSE(test(R"([ -f config/database.yml ])", {}).has_value());
  CHECK_FALSE(test(R"(grep -q web /etc/mode)", {}).has_value());
  CHECK_FALSE(test(R"([ "$1" = web ] && [ -f /app/web ])", {"web"}).has_value());
  // `[` splits an unquoted expansion: an empty one leaves `[ = web ]`, an error.
  CHECK_FALSE(test(R"([ $1 = web ])", {}).has_value());
  CHECK_FALSE(test(R"([ $1 = web ])", {"a b"}).has_value());
  // `"$@"` is as many words as there are arguments.
  CHECK_FALSE(test(R"([ -z "$@" ])", {}).has_value());
  // Commands that change the arguments before the test.
  CHECK_FALSE(test(R"(shift; [ "$1" = web ])", {"x", "web"}).has_value());
  CHECK_FALSE(test(R"([ "$1" = 1 ] | cat)", {"1"}).has_value());
  CHECK_FALSE(test(R"([ "$1" -eq 1 ])", {"one"}).has_value());  // the shell reports an error
  CHECK_FALSE(test(R"([ "$1" \< b ])", {"a"}).has_value());
}
