#pragma once
// Container image references as Docker, ECS and Kubernetes read them:
// [registry/]repository[:tag][@digest]. Used by the mutable-tag rules (ECS010, K8S011, DKR011) and
// by the rules that care where an image is pulled from (ECR).
#include <string>
#include <string_view>

namespace shiftlint::detect {

struct ImageReference {
  // False when the reference is empty or its repository/tag part is a template placeholder
  // (`${IMAGE}`, `{{ .Values.image }}`, `<IMAGE1_NAME>`, `%TAG%`): nothing can be said about it.
  // A placeholder only in the registry part (`${ECR_REGISTRY}/app:1.2`) still parses, and so does
  // a literal tag after a placeholder name (`${Repo}:latest`: the repository is the placeholder).
  bool known = false;
  std::string registry;    // "" for Docker Hub; "localhost:5000", "123456789012.dkr.ecr.us-east-1.amazonaws.com"
  std::string repository;  // as written, without registry: "nginx", "library/nginx", "team/app"
  std::string tag;         // "" when none
  std::string digest;      // "sha256:..." or "" when none

  bool has_tag() const { return !tag.empty(); }
  bool has_digest() const { return !digest.empty(); }
  // Known, no digest, and no tag or the tag `latest`: what the image is can change under the same
  // reference. A digest pins it whatever the tag says.
  bool is_mutable() const;
  // A private Amazon ECR registry: <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn].
  bool is_ecr() const;
  // Amazon ECR Public (public.ecr.aws).
  bool is_ecr_public() const;
};

ImageReference parse_image_reference(std::string_view image);

// A Docker Official Image's name (`alpine`, `node`, `postgres`, `eclipse-temurin`): a bare FROM
// name that is one is pulled from Docker Hub's library; another bare name (`base`, `builder`) may
// be a named build context a bake file provides (docker/bake_file.h). The list holds the
// library's images as of 2026 (deprecated ones people still pull included).
bool is_official_image_name(std::string_view name);

// The Docker Official Image a reference pulls (`php`, `ubuntu`, `amazonlinux`) from Docker Hub,
// its mirrors or the ECR Public mirror, or "" when it is not one.
std::string official_repository(std::string_view registry, std::string_view repository);

}  // namespace shiftlint::detect
