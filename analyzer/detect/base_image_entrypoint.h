#pragma once
// The ENTRYPOINT a Dockerfile inherits from its base image when it sets none itself, for the base
// images whose ENTRYPOINT decides what runs at every start and that migrated apps are built on.
//
// linuxserver.io's images (ghcr.io/linuxserver/*, lscr.io/linuxserver/*, linuxserver/* on Docker
// Hub) all descend from its baseimage-* images, which end with `ENTRYPOINT ["/init"]`: s6-overlay
// runs the app's init scripts (/etc/cont-init.d, s6-rc oneshots) before the services at every
// start, and the app images copy those scripts in without writing the ENTRYPOINT again
// (github.com/linuxserver/docker-baseimage-alpine, -ubuntu, -debian, -arch, -fedora).
#include <optional>
#include <string_view>

namespace shiftlint::detect {

// The program the inherited exec-form ENTRYPOINT starts ("/init"), or nullopt when the base image
// `image` (as written after FROM, expanded) is not one of them or the reference is a placeholder.
std::optional<std::string_view> inherited_entrypoint(std::string_view image);

}  // namespace shiftlint::detect
