#pragma once
// Levenshtein distance, for "did you mean ...?" suggestions (config keys, Dockerfile keywords).
#include <cstddef>
#include <string_view>

namespace shiftlint {

size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace shiftlint
