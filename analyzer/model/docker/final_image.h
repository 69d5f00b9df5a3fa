#pragma once
// The stages whose instructions shape the image `docker build` produces without --target: the last
// stage and the stages it is built FROM, oldest first. What a build stage does that the final image
// only takes artifacts from (`COPY --from`) never ships: VOLUMEs, copied configs and keys stay
// behind. Shared by the DKR rules and the project phase (what the image an app runs installs).
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/model/docker/dockerfile.h"

namespace shiftlint::docker {

inline std::vector<const Stage*> final_image_stages(const Dockerfile& dockerfile) {
  std::vector<const Stage*> chain;
  const Stage* stage = dockerfile.final_stage();
  // A stage's parent is always an earlier stage, so the walk ends; the bound is for safety.
  while (stage && chain.size() <= dockerfile.stages.size()) {
    chain.push_back(stage);
    stage = stage->parent ? &dockerfile.stages[*stage->parent] : nullptr;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// Whether `stage` is one of final_image_stages.
inline bool is_in_final_image(const Dockerfile& dockerfile, const Stage& stage) {
  std::vector<const Stage*> chain = final_image_stages(dockerfile);
  return std::find(chain.begin(), chain.end(), &stage) != chain.end();
}

// What a finding about a stage outside the final image starts with, so that "the image" is not
// read as the one `docker build` produces: `build stage "builder" (the final image is not built on
// it)`; the stage's number (from 1) when it has no name.
inline std::string build_stage_label(const Stage& stage) {
  std::string name = stage.name_word ? fmt::format("\"{}\"", stage.name_word->text) : fmt::format("{}", stage.index + 1);
  return fmt::format("build stage {} (the final image is not built on it)", name);
}

}  // namespace shiftlint::docker
