#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/detect/base_image_entrypoint.h"
#include "analyzer/detect/image_reference.h"

using namespace shiftlint::detect;

TEST_CASE("image_reference: Docker Hub names") {
  ImageReference bare = parse_image_reference("nginx");
  CHECK(bare.known);
  CHECK(bare.registry.empty());
  CHECK(bare.repository == "nginx");
  CHECK_FALSE(bare.has_tag());
  CHECK(bare.is_mutable());

  ImageReference tagged = parse_image_reference("nginx:1.25");
  CHECK(tagged.repository == "nginx");
  CHECK(tagged.tag == "1.25");
  CHECK_FALSE(tagged.is_mutable());

  ImageReference library = parse_image_reference("docker.io/library/nginx:latest");
  CHECK(library.registry == "docker.io");
  CHECK(library.repository == "library/nginx");
  CHECK(library.tag == "latest");
  CHECK(library.is_mutable());

  ImageReference team = parse_image_reference("bitnami/redis:7.2");
  CHECK(team.registry.empty());
  CHECK(team.repository == "bitnami/redis");
  CHECK(team.tag == "7.2");
}

TEST_CASE("image_reference: registries with ports and ECR") {
  ImageReference local = parse_image_reference("localhost:5000/app");
  CHECK(local.registry == "localhost:5000");
  CHECK(local.repository == "app");
  CHECK(local.tag.empty());
  CHECK(local.is_mutable());

  ImageReference ecr = parse_image_reference("123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:abc123");
  CHECK(ecr.registry == "123456789012.dkr.ecr.us-east-1.amazonaws.com");
  CHECK(ecr.repository == "shop/web");
  CHECK(ecr.tag == "abc123");
  CHECK(ecr.is_ecr());
  CHECK_FALSE(ecr.is_mutable());

  CHECK(parse_image_reference("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1").is_ecr());
  CHECK(parse_image_reference("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:1").is_ecr());
  CHECK_FALSE(parse_image_reference("public.ecr.aws/nginx/nginx:1.25").is_ecr());
  CHECK(parse_image_reference("public.ecr.aws/nginx/nginx:1.25").is_ecr_public());
  CHECK_FALSE(parse_image_reference("ghcr.io/acme/app:2.0").is_ecr());
  CHECK(parse_image_reference("registry.example.com:8443/team/app").registry == "registry.example.com:8443");
}

TEST_CASE("image_reference: digests pin whatever the tag says") {
  ImageReference digest = parse_image_reference("nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31");
  CHECK(digest.has_digest());
  CHECK(digest.tag.empty());
  CHECK_FALSE(digest.is_mutable());

  ImageReference both = parse_image_reference(
      "localhost:5000/app:latest@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31");
  CHECK(both.registry == "localhost:5000");
  CHECK(both.repository == "app");
  CHECK(both.tag == "latest");
  CHECK(both.digest.rfind("sha256:", 0) == 0);
  CHECK_FALSE(both.is_mutable());
}

TEST_CASE("image_reference: placeholders are unknown, never mutable") {
  for (const char* image : {"${IMAGE}", "{{ .Values.image }}", "<IMAGE1_NAME>", "app:${TAG}", "app:${TAG:-latest}",
                            "%DOCKER_IMAGE_URL%/%REPO_NAME%:%BUILD_TAG%", "$IMAGE", "app:#{Octopus.Release.Number}",
                            "", "   ", "nginx:", "repo@",
                            // Tokens a pipeline replaces: not image names Docker can pull.
                            "{IMAGE}", "IMAGE_PLACEHOLDER", "App/Web"}) {
    INFO(image);
    ImageReference reference = parse_image_reference(image);
    CHECK_FALSE(reference.known);
    CHECK_FALSE(reference.is_mutable());
  }
  // A placeholder only in the registry leaves the tag known.
  ImageReference registry_only = parse_image_reference("${ECR_REGISTRY}/shop/web");
  CHECK(registry_only.known);
  CHECK(registry_only.registry == "${ECR_REGISTRY}");
  CHECK(registry_only.is_mutable());
  CHECK_FALSE(parse_image_reference("${ECR_REGISTRY}/shop/web:v42").is_mutable());
  // A tag written after such a token is the one deployed, whatever replaces the name.
  ImageReference sample = parse_image_reference("XXXXX.dkr.ecr.us-east-1.amazonaws.com/myApp:latest");
  CHECK(sample.known);
  CHECK(sample.is_mutable());
  CHECK_FALSE(parse_image_reference("registry.example.com/{APP}:v1").is_mutable());
  // So is a tag written after a placeholder that names the repository (CloudFormation's
  // `!Sub '${Repo}:latest'`, Terraform's `"${aws_ecr_repository.app.repository_url}:latest"`).
  ImageReference after_placeholder = parse_image_reference("${aws_ecr_repository.app.repository_url}:latest");
  CHECK(after_placeholder.known);
  CHECK(after_placeholder.is_mutable());
  CHECK(after_placeholder.repository == "${aws_ecr_repository.app.repository_url}");
  CHECK(parse_image_reference("${Repo}:latest").is_mutable());
  CHECK(parse_image_reference("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/${Repo}:latest").is_mutable());
  CHECK_FALSE(parse_image_reference("${Repo}:v1.4.2").is_mutable());
  CHECK(parse_image_reference("${Repo}:v1.4.2").known);
  CHECK_FALSE(parse_image_reference("${AWS::Region}").known);
  // Tags, unlike repositories, may hold upper case.
  ImageReference upper_tag = parse_image_reference("ghcr.io/org/app:V1.2-RC");
  CHECK(upper_tag.known);
  CHECK(upper_tag.tag == "V1.2-RC");
}

TEST_CASE("image_reference: only the exact tag latest is mutable") {
  CHECK_FALSE(parse_image_reference("app:latest-alpine").is_mutable());
  CHECK_FALSE(parse_image_reference("app:stable").is_mutable());
  CHECK(parse_image_reference("  app:latest  ").is_mutable());
}

TEST_CASE("image_reference: asked again, in turn or from the same buffer, the same answers") {
  // The last answer is kept per thread (a FROM is asked by the model and by several rules): it
  // must be the answer for exactly that text, also when the buffer it came from now says another.
  std::string text = "nginx:1.25";
  ImageReference first = parse_image_reference(text);
  CHECK(first.tag == "1.25");
  text = "nginx:latest";
  ImageReference second = parse_image_reference(text);
  CHECK(second.tag == "latest");
  CHECK(second.is_mutable());
  CHECK(parse_image_reference("nginx:1.25").tag == "1.25");
  CHECK(parse_image_reference("nginx:1.25").tag == "1.25");
  ImageReference unknown = parse_image_reference("${IMAGE}");
  CHECK_FALSE(unknown.known);
  CHECK_FALSE(parse_image_reference("${IMAGE}").known);
  CHECK(parse_image_reference("").repository.empty());
  CHECK(parse_image_reference("nginx").repository == "nginx");
}

TEST_CASE("base image ENTRYPOINT: linuxserver.io and hotio base images inherit s6-overlay's /init under each registry name") {
  for (const char* image : {"ghcr.io/linuxserver/baseimage-alpine-nginx:3.22", "lscr.io/linuxserver/nextcloud:latest",
                            "linuxserver/baseimage-ubuntu:noble", "docker.io/linuxserver/bookstack",
                            "GHCR.IO/linuxserver/baseimage-debian:bookworm", "ghcr.io/hotio/base:alpinevpn",
                            "hotio/base:noble@sha256:f36441ec8e74d9a907bec5d79198239addfefac2870c128da7f260dadb1243c1"}) {
    INFO(image);
    CHECK(inherited_entrypoint(image) == std::optional<std::string_view>("/init"));
  }
  for (const char* image : {"nginx:1.27", "ghcr.io/other/baseimage-alpine:3.22", "quay.io/linuxserver/nextcloud",
                            "linuxserver", "${BASE_IMAGE}", "ghcr.io/linuxserver/", "", "ghcr.io/hotio/sonarr:release",
                            "quay.io/hotio/base"}) {
    INFO(image);
    CHECK_FALSE(inherited_entrypoint(image));
  }
}
