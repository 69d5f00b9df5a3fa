#pragma once
// Named build contexts from `docker buildx bake` files (docker-bake.hcl, docker-bake.json).
//
// A bake target can hand its Dockerfile named contexts: `contexts = { base = "target:base" }`
// makes `FROM base` the image another target builds (or a folder, or a pinned image), not
// Docker Hub's `base:latest`. Mailu builds every image this way. Rules that judge a FROM as a
// registry image (DKR011) ask which names the bake targets building a Dockerfile give it.
//
// Only literal values are read (no variables or functions evaluated): a target whose context or
// dockerfile is not a plain string may build this Dockerfile, and its names count, so that a
// FROM it names is never reported as a registry image by mistake.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source/source_file.h"

namespace shiftlint::docker {

// Whether a file name may be a bake file: `docker-bake*.json` or any `.hcl` (bake's default names
// are docker-bake.hcl and docker-bake.json, with .override variants; `-f tests/build.hcl` names
// any other). Whether it is one is for bake_context_names to find.
bool may_be_bake_file(std::string_view name);

// The names of the contexts that the targets of `bake` (an HCL or JSON bake file, by its name)
// give the Dockerfile at `dockerfile` (absolute, normal form). A target's `context` is relative to
// the folder bake runs in, its `dockerfile` to the context: each of `run_folders` (absolute) is
// tried, the bake file's own folder (where `docker buildx bake` finds it by default) and the
// repository's root (where CI runs `docker buildx bake -f tests/build.hcl`). Targets inherit
// (`inherits`) context, dockerfile and contexts. Sorted, without repeats; empty for a file with
// no target that has named contexts (a Packer or Nomad .hcl file).
std::vector<std::string> bake_context_names(const std::shared_ptr<const SourceFile>& bake,
                                            const std::vector<std::string>& run_folders, std::string_view dockerfile);

}  // namespace shiftlint::docker
