#pragma once
#include <optional>
#include <string_view>

namespace shiftlint {

// Where the workload is going. `auto` reads it from each task definition's requiresCompatibilities
// (or a service's launch type); the others apply when the file itself does not say.
enum class Target { Auto, Fargate, Ec2, Eks };

std::string_view to_string(Target target);
std::optional<Target> parse_target(std::string_view text);

}  // namespace shiftlint
