#pragma once
// The stages whose instructions shape the image `docker build` produces without --target: the last
// stage and the stages it is built FROM, oldest first. What a build stage does that the final image
// only takes artifacts from (`COPY --from`) never ships: VOLUMEs, copied configs and keys stay
// behind. Shared by the DKR rules and the project phase (what the image an app runs installs).
#include <algorithm>
#include <vector>

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

}  // namespace shiftlint::docker
