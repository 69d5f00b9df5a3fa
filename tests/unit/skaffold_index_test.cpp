// The images the run's Skaffold configurations build (project/skaffold_index.h): by artifact name,
// for the manifests in the configuration's folder and below it, profiles included, in any of the
// configurations a file holds; files that are not Skaffold configurations say nothing.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/project/skaffold_index.h"
#include "analyzer/source/discovery.h"
#include "tests/unit/scratch_folder.h"

using namespace shiftlint;

TEST_CASE("skaffold index: the artifacts a configuration builds, for the manifests below it", "[skaffold]") {
  testing::ScratchFolder scratch("shiftlint-skaffold");
  scratch.file("shop/skaffold.yaml",
               "apiVersion: skaffold/v2beta29\nkind: Config\nbuild:\n  artifacts:\n    - image: frontend\n"
               "      context: src/frontend\n---\napiVersion: skaffold/v4beta6\nkind: Config\nmetadata: {name: jobs}\n"
               "profiles:\n  - name: debug\n    build:\n      artifacts:\n        - image: worker-debug\n");
  scratch.file("shop/k8s/frontend.yaml", "kind: Deployment\n");
  scratch.file("other/k8s/frontend.yaml", "kind: Deployment\n");
  // Not Skaffold's: a file of that name with another apiVersion, and a broken one.
  scratch.file("tools/skaffold.yaml", "apiVersion: example.com/v1\nbuild:\n  artifacts:\n    - image: tool\n");
  scratch.file("broken/skaffold.yml", "apiVersion: skaffold/v4\nbuild: [\n");
  std::vector<DiscoveredFile> files = discover({scratch.path()}, {}).files;
  SkaffoldIndex index(LoadLimits{}, files);

  CHECK(index.builder_of(scratch.path("shop/k8s/frontend.yaml"), "frontend") == std::optional<std::string>("shop/skaffold.yaml"));
  CHECK(index.builder_of(scratch.path("shop/k8s/frontend.yaml"), "worker-debug") == std::optional<std::string>("shop/skaffold.yaml"));
  CHECK_FALSE(index.builder_of(scratch.path("shop/k8s/frontend.yaml"), "redis"));
  CHECK_FALSE(index.builder_of(scratch.path("shop/k8s/frontend.yaml"), "frontend:1.2"));  // names come without tags
  CHECK_FALSE(index.builder_of(scratch.path("other/k8s/frontend.yaml"), "frontend"));   // not below it
  CHECK_FALSE(index.builder_of(scratch.path("tools/deploy.yaml"), "tool"));
  CHECK_FALSE(index.builder_of(scratch.path("shopping/k8s/frontend.yaml"), "frontend"));  // a folder that only starts alike
  CHECK(SkaffoldIndex::is_skaffold_name("skaffold.yml"));
  CHECK(SkaffoldIndex::is_skaffold_name("skaffold-gradle.yaml"));
  CHECK_FALSE(SkaffoldIndex::is_skaffold_name("skaffold.yaml.bak"));
  CHECK_FALSE(SkaffoldIndex::is_skaffold_name("my-skaffold.yaml"));
}

TEST_CASE("skaffold index: a variant file and artifacts a profile's JSON patch adds", "[skaffold]") {
  testing::ScratchFolder scratch("shiftlint-skaffold");
  scratch.file("jib/skaffold-gradle.yaml", "apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n"
                                           "    - image: test-file-sync\n      jib: {type: gradle}\n");
  scratch.file("patched/skaffold.yaml",
               "apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: skaffold-base\n"
               "profiles:\n  - name: hello\n    patches:\n      - op: add\n        path: /build/artifacts/1\n"
               "        value:\n          image: skaffold-hello\n  - name: all\n    patches:\n      - op: replace\n"
               "        path: /build/artifacts\n        value:\n          - image: skaffold-world\n"
               "      - op: add\n        path: /manifests/rawYaml/1\n        value: {image: not-an-artifact}\n");
  std::vector<DiscoveredFile> files = discover({scratch.path()}, {}).files;
  SkaffoldIndex index(LoadLimits{}, files);
  CHECK(index.builder_of(scratch.path("jib/k8s/pod.yaml"), "test-file-sync") == std::optional<std::string>("jib/skaffold-gradle.yaml"));
  for (const char* image : {"skaffold-base", "skaffold-hello", "skaffold-world"})
    CHECK(index.builder_of(scratch.path("patched/hello/pod.yaml"), image));
  CHECK_FALSE(index.builder_of(scratch.path("patched/hello/pod.yaml"), "not-an-artifact"));
}
