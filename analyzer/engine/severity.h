#pragma once
#include <optional>
#include <string_view>

namespace shiftlint {

// error: the deploy fails or data/logs/jobs are lost; warning: a likely incident or cost;
// note: worth a look. Ordered so that a smaller value is more severe.
enum class Severity : unsigned char { Error = 0, Warning = 1, Note = 2 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace shiftlint
