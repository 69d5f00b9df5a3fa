#include "analyzer/config/target.h"

namespace shiftlint {

std::string_view to_string(Target target) {
  switch (target) {
    case Target::Auto: return "auto";
    case Target::Fargate: return "fargate";
    case Target::Ec2: return "ec2";
    case Target::Eks: return "eks";
  }
  return "auto";
}

std::optional<Target> parse_target(std::string_view text) {
  if (text == "auto") return Target::Auto;
  if (text == "fargate") return Target::Fargate;
  if (text == "ec2") return Target::Ec2;
  if (text == "eks") return Target::Eks;
  return std::nullopt;
}

}  // namespace shiftlint
