#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/detect/image_reference.h"
#include "analyzer/model/docker/bake_file.h"

using namespace shiftlint;
using docker::bake_context_names;

namespace {

std::shared_ptr<const SourceFile> bake(const std::string& path, const std::string& text) {
  return std::make_shared<const SourceFile>(path, path, text);
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("bake: the named contexts of the targets that build a Dockerfile, from HCL") {
  auto file = bake("/repo/docker-bake.hcl", R"(
target "base" {
  context = "images/base"
}
target "common" {
  dockerfile = "Containerfile"
  contexts = { tools = "docker-image://alpine:3.22" }
}
target "api" {
  inherits = ["common"]
  context = "./images/api/"
  contexts = {
    base = "target:base"
    "shared-src" = "../shared"
  }
}
target "other" {
  context = "images/other"
  contexts = { unrelated = "target:base" }
}
)");
  CHECK(bake_context_names(file, {"/repo"}, "/repo/images/api/Containerfile") == Names{"base", "shared-src", "tools"});
  // The default Dockerfile name is not what "api" builds (it inherits Containerfile).
  CHECK(bake_context_names(file, {"/repo"}, "/repo/images/api/Dockerfile").empty());
  CHECK(bake_context_names(file, {"/repo"}, "/repo/images/other/Dockerfile") == Names{"unrelated"});
  // Run from another folder, the contexts point elsewhere.
  CHECK(bake_context_names(file, {"/elsewhere"}, "/repo/images/api/Containerfile").empty());
  CHECK(bake_context_names(file, {"/elsewhere", "/repo"}, "/repo/images/api/Containerfile").size() == 3);
}

TEST_CASE("bake: JSON bake files, and a context only an evaluation knows counts") {
  auto json = bake("/repo/docker-bake.json", R"({
  "target": {
    "web": {"context": "web", "contexts": {"assets": "target:assets"}},
    "assets": {"context": "assets"}
  }
})");
  CHECK(bake_context_names(json, {"/repo"}, "/repo/web/Dockerfile") == Names{"assets"});
  CHECK(bake_context_names(json, {"/repo"}, "/repo/assets/Dockerfile").empty());

  auto variable = bake("/repo/ci/build.hcl", R"(
variable "ROOT" { default = "." }
target "admin" {
  context = "${ROOT}/core/admin"
  contexts = { base = "target:base" }
}
)");
  CHECK(bake_context_names(variable, {"/repo/ci", "/repo"}, "/repo/anything/Dockerfile") == Names{"base"});
}

TEST_CASE("bake: files that are not bake files give nothing") {
  CHECK(bake_context_names(bake("/repo/image.pkr.hcl", "source \"amazon-ebs\" \"app\" {\n  region = \"eu-west-1\"\n}\n"),
                           {"/repo"}, "/repo/Dockerfile")
            .empty());
  CHECK(bake_context_names(bake("/repo/broken.hcl", "target \"x\" { contexts = { a = "), {"/repo"}, "/repo/Dockerfile")
            .empty());
  CHECK(docker::may_be_bake_file("docker-bake.hcl"));
  CHECK(docker::may_be_bake_file("build.hcl"));
  CHECK(docker::may_be_bake_file("docker-bake.override.json"));
  CHECK_FALSE(docker::may_be_bake_file("package.json"));
}

TEST_CASE("image names: Docker Official Images") {
  CHECK(detect::is_official_image_name("alpine"));
  CHECK(detect::is_official_image_name("eclipse-temurin"));
  CHECK(detect::is_official_image_name("zookeeper"));
  CHECK(detect::is_official_image_name("adminer"));
  CHECK_FALSE(detect::is_official_image_name("base"));
  CHECK_FALSE(detect::is_official_image_name("builder"));
  CHECK_FALSE(detect::is_official_image_name("library/alpine"));
}
