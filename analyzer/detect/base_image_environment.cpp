#include "analyzer/detect/base_image_environment.h"

#include <algorithm>
#include <array>

#include "analyzer/detect/image_reference.h"

namespace shiftlint::detect {

namespace {

struct InheritedVariable {
  std::string_view image;  // the official image's name
  std::string_view name;
  std::string_view value;
};

constexpr std::array<InheritedVariable, 17> kInherited = {{
    {"composer", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"drupal", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"friendica", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"httpd", "HTTPD_PREFIX", "/usr/local/apache2"},
    {"jetty", "JETTY_BASE", "/var/lib/jetty"},
    {"jetty", "JETTY_HOME", "/usr/local/jetty"},
    {"joomla", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"matomo", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"mediawiki", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"nextcloud", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"php", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"phpmyadmin", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"ruby", "BUNDLE_APP_CONFIG", "/usr/local/bundle"},
    {"ruby", "GEM_HOME", "/usr/local/bundle"},
    {"tomcat", "CATALINA_HOME", "/usr/local/tomcat"},
    {"wordpress", "PHP_INI_DIR", "/usr/local/etc/php"},
    {"yourls", "PHP_INI_DIR", "/usr/local/etc/php"},
}};

bool names_inherited_variable(std::string_view name) {
  return std::any_of(kInherited.begin(), kInherited.end(),
                     [&](const InheritedVariable& entry) { return entry.name == name; });
}

}  // namespace

std::optional<std::string_view> official_image_environment(std::string_view image, std::string_view name) {
  // Most unset names a Dockerfile uses are none of these (PATH, HOME, the build's own ARGs): no
  // parse of the image reference for them.
  if (!names_inherited_variable(name)) return std::nullopt;
  ImageReference reference = parse_image_reference(image);
  if (!reference.known) return std::nullopt;
  std::string official = official_repository(reference.registry, reference.repository);
  if (official.empty()) return std::nullopt;
  for (const InheritedVariable& entry : kInherited)
    if (entry.image == official && entry.name == name) return entry.value;
  return std::nullopt;
}

}  // namespace shiftlint::detect
