#pragma once
// Environment variables that Docker Official Images set with ENV and that Dockerfiles built on them
// use in paths: `COPY php.ini "$PHP_INI_DIR/php.ini"` on `php:8.3-apache`. Without them the
// destination is unknown, and the rules that read what an image copies in (PHP's session handler,
// Tomcat's logs) miss the file.
//
// Only variables whose value is the same in every tag the library publishes are listed (postgres'
// PGDATA, which moved in postgres 18, is not). Values come from the images' Dockerfiles
// (github.com/docker-library/php, tomcat, httpd, ruby, jetty); the images built FROM php (wordpress,
// drupal, nextcloud...) inherit PHP_INI_DIR.
#include <optional>
#include <string_view>

namespace shiftlint::detect {

// The value `name` has in the base image `image` (as written after FROM, expanded), or nullopt when
// the image is not an official image that sets it.
std::optional<std::string_view> official_image_environment(std::string_view image, std::string_view name);

}  // namespace shiftlint::detect
