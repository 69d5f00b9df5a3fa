#pragma once
// Semantic versions and constraints as Helm reads them (Masterminds/semver v3): `semverCompare`
// in templates, `kubeVersion` in Chart.yaml, dependency version ranges.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint::helm {

struct SemanticVersion {
  int64_t major = 0;
  int64_t minor = 0;
  int64_t patch = 0;
  std::string prerelease;
  std::string metadata;
  std::string original;
};

// "v1.31.0", "1.2", "1.27.3-eks-a5565ad", "2.0.0+build.1"; nullopt when it is not a version.
std::optional<SemanticVersion> parse_semantic_version(std::string_view text);
// <0, 0, >0 (metadata ignored; a prerelease sorts before its release).
int compare_versions(const SemanticVersion& a, const SemanticVersion& b);
// Whether `version` satisfies `constraint` (">=1.19-0", "^1.2 || ~2.0", ">= 1.0, < 2", "1.2.x",
// "1.0 - 2.0"); nullopt with `error` set when the constraint does not parse.
std::optional<bool> semantic_version_satisfies(const SemanticVersion& version, std::string_view constraint,
                                               std::string& error);

}  // namespace shiftlint::helm
