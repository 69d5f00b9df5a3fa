#include "analyzer/detect/base_image_entrypoint.h"

#include "analyzer/detect/image_reference.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint::detect {

std::optional<std::string_view> inherited_entrypoint(std::string_view image) {
  ImageReference reference = parse_image_reference(image);
  if (!reference.known) return std::nullopt;
  // The same images are published under every one of these names.
  std::string registry = to_lower_ascii(reference.registry);
  bool linuxserver_registry = registry.empty() || registry == "docker.io" || registry == "index.docker.io" ||
                              registry == "ghcr.io" || registry == "lscr.io";
  std::string_view repository = reference.repository;
  if (linuxserver_registry && repository.starts_with("linuxserver/") && repository.size() > 12) return "/init";
  // hotio's base images (hotio/base: alpine, noble...) set ENTRYPOINT ["/init"] as well, on Docker
  // Hub and ghcr.io; their apps (hotio/sonarr) build FROM them.
  bool hotio_registry = registry.empty() || registry == "docker.io" || registry == "index.docker.io" || registry == "ghcr.io";
  if (hotio_registry && repository == "hotio/base") return "/init";
  return std::nullopt;
}

}  // namespace shiftlint::detect
