#pragma once
// Command-line options shared by the subcommands (check, render, parity).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::cli {

// The value of option `name` at args[index], written `--name value` (index moves past the value)
// or `--name=value`; nullopt when args[index] is another argument, or when the value is missing
// (then `error` says so).
std::optional<std::string> option_value(const std::vector<std::string>& args, size_t& index, std::string_view name,
                                        std::string& error);

}  // namespace shiftlint::cli
