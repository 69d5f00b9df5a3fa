#pragma once
// Variable substitution in Dockerfile words, as BuildKit does it for FROM, COPY, ENV, WORKDIR...
// (frontend/dockerfile/shell): `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
// `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`, `${VAR#pattern}`, `${VAR%pattern}` (and ## %%),
// `${VAR/pattern/replacement}`; quotes are removed, the escape character escapes.
//
// A rule needs to know whether it may trust the result: a variable whose value is only known at
// build time (an ARG without a default, TARGETARCH, an ENV inherited from an unknown base image)
// makes the expansion incomplete.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint::docker {

struct VariableValue {
  std::string_view value;
  bool known = true;  // false: set, but to a value only known at build time
};

// nullopt: the variable is not set (BuildKit substitutes the empty string).
using VariableLookup = std::function<std::optional<VariableValue>(std::string_view name)>;

struct Expansion {
  std::string text;
  bool complete = true;  // every variable it used had a known value
  std::string error;     // what BuildKit would reject (`${}`, `${VAR:?unset}`), empty when fine
  bool ok() const { return complete && error.empty(); }
};

// Expands one word (quotes removed). `escape` is the file's escape character.
Expansion expand_word(std::string_view word, char escape, const VariableLookup& lookup);

// False when expanding `word` gives the word itself, complete: no '$', quote or escape character in
// it (most paths and names), so callers can skip building a lookup.
bool needs_expansion(std::string_view word, char escape);

}  // namespace shiftlint::docker
