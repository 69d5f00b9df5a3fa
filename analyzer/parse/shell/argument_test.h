#pragma once
// What an `if` test of a script's own arguments comes to when the arguments are known:
// `[ -z "$1" ]`, `[ "$1" = 'rails' ]`, `[ "${1#-}" != "$1" ]`, `[[ $1 == app:* ]]`, `[ $# -eq 0 ]`,
// joined by `&&`, `||`, `-a`, `-o` and negated with `!`. An entrypoint script picks its run modes
// this way; the image's CMD gives the arguments a container starts with by default.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace shiftlint::shell {

// True or false when `condition` (the text between `if` and `then`, IfBranch::condition) is made
// only of `[ ]`, `[[ ]]` and `test` commands over literals and the positional parameters
// `arguments`; nullopt for anything else: another variable, a command substitution, a file test, a
// word whose expansion `[` would split into several.
std::optional<bool> evaluate_argument_test(std::string_view condition, std::span<const std::string> arguments);

}  // namespace shiftlint::shell
