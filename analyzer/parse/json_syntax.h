#pragma once
// A strict RFC 8259 syntax check that finds the FIRST error and says what was expected there.
// tree-sitter's error recovery can start an ERROR region lines before the real mistake (a missing
// comma is "found" at the start of the enclosing object), so broken files get their message from
// here. It is a non-recursive state machine, safe on any input, and only runs on broken files.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint {

struct JsonSyntaxError {
  size_t offset = 0;  // byte offset of the offending character (or the end of the text)
  size_t length = 1;  // bytes to underline
  std::string message;
};

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text);

}  // namespace shiftlint
