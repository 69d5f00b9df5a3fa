#include "analyzer/cli/arguments.h"

#include <fmt/format.h>

namespace shiftlint::cli {

std::optional<std::string> option_value(const std::vector<std::string>& args, size_t& index, std::string_view name,
                                        std::string& error) {
  const std::string& arg = args[index];
  if (arg == name) {
    if (index + 1 >= args.size()) {
      error = fmt::format("{} needs a value", name);
      return std::nullopt;
    }
    return args[++index];
  }
  if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 && arg[name.size()] == '=')
    return arg.substr(name.size() + 1);
  return std::nullopt;
}

}  // namespace shiftlint::cli
