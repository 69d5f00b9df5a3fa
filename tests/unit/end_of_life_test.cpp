#include <catch2/catch.hpp>

#include <string>

#include "analyzer/detect/end_of_life.h"

using namespace shiftlint::detect;

namespace {

const CalendarDate kChecked{2026, 11, 22};

// "PHP 7.4" / "older than PHP 7.0" / "" for an image reference's runtime or OS, on `today`.
std::string judged(const std::optional<Release>& release, CalendarDate today = kChecked) {
  if (!release) return "no release";
  auto ended = find_ended_release(*release, today);
  if (!ended) return "supported";
  return (ended->older_than_entry ? "older than " : "") + std::string(ended->entry->name);
}

ImageReleases image(std::string_view registry, std::string_view repository, std::string_view tag) {
  return image_releases(registry, repository, tag);
}

}  // namespace

TEST_CASE("end_of_life: dates parse strictly and order by day") {
  CHECK(parse_calendar_date("2024-02-29") == CalendarDate{2024, 2, 29});
  CHECK_FALSE(parse_calendar_date("2023-02-29"));
  CHECK_FALSE(parse_calendar_date("2023-13-01"));
  CHECK_FALSE(parse_calendar_date("2023-1-01"));
  CHECK_FALSE(parse_calendar_date("20230101"));
  CHECK(CalendarDate{2022, 11, 28}.to_string() == "2022-11-28");
  CHECK(CalendarDate{2022, 11, 28} < CalendarDate{2022, 11, 29});
  CHECK(parse_calendar_date(kEndOfLifeTableChecked));
  CHECK(system_today() > CalendarDate{2024, 1, 1});
}

TEST_CASE("end_of_life: a release ends at the end of its last day") {
  const EndOfLife* php74 = find_end_of_life(Product::Php, "7.4.33");
  REQUIRE(php74);
  CHECK(php74->name == "PHP 7.4");
  CHECK(php74->end == CalendarDate{2022, 11, 28});
  CHECK_FALSE(has_ended(*php74, {2022, 11, 28}));
  CHECK(has_ended(*php74, {2022, 11, 29}));
  CHECK(find_end_of_life(Product::AmazonLinux, "2.0.20230404.0")->name == "Amazon Linux 2");
  CHECK_FALSE(find_end_of_life(Product::Php, "7.40"));
  CHECK_FALSE(find_end_of_life(Product::Php, "8.3"));
  // Every entry of the table can be found by its own cycle.
  for (const EndOfLife& entry : end_of_life_table()) CHECK(find_end_of_life(entry.product, entry.cycle) == &entry);
}

TEST_CASE("end_of_life: releases older than an ended line have ended, except where lines end out of order") {
  CHECK(judged(Release{Product::Php, "5.6"}) == "older than PHP 7.0");
  CHECK(judged(Release{Product::Node, "10"}) == "older than Node.js 12");
  CHECK(judged(Release{Product::Node, "11"}) == "older than Node.js 12");
  CHECK(judged(Release{Product::Node, "15"}) == "Node.js 15");
  // Node.js's odd releases end before the older LTS line: 25 ended on 2026-06-01, 24 goes on.
  CHECK(judged(Release{Product::Node, "25"}, {2026, 11, 25}) == "Node.js 25");
  CHECK(judged(Release{Product::Node, "24"}, {2026, 11, 25}) == "supported");
  CHECK(judged(Release{Product::Node, "22"}, {2026, 11, 25}) == "supported");
  CHECK(judged(Release{Product::Debian, "8"}) == "older than Debian 9 (stretch)");
  CHECK(judged(Release{Product::Python, "3.5"}) == "older than Python 3.6");
  // Newer than everything in the table: nothing known.
  CHECK(judged(Release{Product::Python, "3.12"}) == "supported");
  // `python:3` could be any 3.x.
  CHECK(judged(Release{Product::Python, "3"}) == "supported");
  // CentOS Linux 8 ended before 7 did: no inference from the order.
  CHECK(judged(Release{Product::CentOs, "5"}) == "supported");
  // Before the older line itself ended, nothing is inferred.
  CHECK(judged(Release{Product::Php, "5.6"}, {2018, 6, 1}) == "supported");
}

TEST_CASE("end_of_life: Alpine branches, as the alpine image and as another image's -alpineX.Y tag") {
  CHECK(judged(image("", "alpine", "3.18").os) == "Alpine 3.18");
  CHECK(judged(image("", "alpine", "3.18.4").os) == "Alpine 3.18");
  CHECK(judged(image("", "alpine", "3.9").os) == "older than Alpine 3.10");
  CHECK(judged(image("", "alpine", "3.23").os) == "supported");
  // `3.2` is neither 3.20 nor older than 3.10's line by string: the parts are compared.
  CHECK(judged(image("", "alpine", "3.2").os) == "older than Alpine 3.10");
  CHECK(judged(image("", "alpine", "3").os) == "supported");
  CHECK(judged(image("", "alpine", "latest").os) == "no release");
  CHECK(judged(image("", "alpine", "edge").os) == "no release");
  CHECK(judged(image("", "alpine", "").os) == "no release");
  ImageReleases python = image("", "python", "3.12-alpine3.16");
  CHECK(judged(python.runtime) == "supported");
  CHECK(judged(python.os) == "Alpine 3.16");
  CHECK(judged(image("", "nginx", "1.25-alpine3.18").os) == "Alpine 3.18");
  CHECK(image("", "nginx", "1.25-alpine3.18").built_on);
  // A bare `-alpine` follows the newest branch.
  CHECK(judged(image("", "node", "18-alpine").os) == "no release");
  CHECK(judged(image("", "alpine", "3.21").os, {2026, 11, 1}) == "supported");
  CHECK(judged(image("", "alpine", "3.21").os, {2026, 11, 2}) == "Alpine 3.21");
  // Every branch names its successor as an alpine image, which DKR010 turns into a "-alpineX.Y" tag,
  // and the successor is a branch the table holds as supported on the check date.
  for (const EndOfLife& entry : end_of_life_table()) {
    if (entry.product != Product::Alpine) continue;
    INFO(entry.name);
    REQUIRE(entry.image_successor.starts_with("alpine:"));
    CHECK(judged(image("", "alpine", entry.image_successor.substr(7)).os) == "supported");
  }
}

TEST_CASE("end_of_life: official OS images by version, codename and dated tag") {
  CHECK(judged(image("", "ubuntu", "18.04").os) == "Ubuntu 18.04 (bionic)");
  CHECK(judged(image("", "ubuntu", "bionic").os) == "Ubuntu 18.04 (bionic)");
  CHECK(judged(image("docker.io", "library/ubuntu", "xenial-20210804").os) == "Ubuntu 16.04 (xenial)");
  CHECK(judged(image("", "ubuntu", "trusty").os) == "older than Ubuntu 16.04 (xenial)");
  CHECK(judged(image("", "ubuntu", "24.04").os) == "supported");
  // Interim releases end after nine months; an LTS release older than an ended interim one has not
  // ended for that (22.04 outlives 22.10 through 23.10).
  CHECK(judged(image("", "ubuntu", "groovy").os) == "Ubuntu 20.10 (groovy)");
  CHECK(judged(image("", "ubuntu", "23.10").os) == "Ubuntu 23.10 (mantic)");
  CHECK(judged(image("", "ubuntu", "oracular-20250619").os) == "Ubuntu 24.10 (oracular)");
  CHECK(judged(image("", "ubuntu", "25.10").os, {2026, 7, 31}) == "supported");
  CHECK(judged(image("", "ubuntu", "25.10").os, {2026, 8, 1}) == "Ubuntu 25.10 (questing)");
  CHECK(judged(image("", "ubuntu", "jammy").os) == "supported");
  CHECK(judged(image("", "ubuntu", "22.04").os) == "supported");
  CHECK(judged(image("", "ubuntu", "noble").os) == "supported");
  CHECK(judged(image("", "ubuntu", "19.10").os) == "older than Ubuntu 20.04 (focal)");
  CHECK(judged(image("", "eclipse-temurin", "21-jdk-noble").os) == "supported");
  CHECK(judged(image("", "eclipse-temurin", "17-jdk-kinetic").os) == "Ubuntu 22.10 (kinetic)");
  CHECK(judged(image("", "ubuntu", "").os) == "no release");
  CHECK(judged(image("", "debian", "stretch-slim").os) == "Debian 9 (stretch)");
  CHECK(judged(image("", "debian", "10.13").os) == "Debian 10 (buster)");
  CHECK(judged(image("", "debian", "bookworm").os) == "supported");
  CHECK(judged(image("", "centos", "7").os) == "CentOS 7");
  CHECK(judged(image("", "centos", "centos7.9.2009").os) == "CentOS 7");
  CHECK(judged(image("", "centos", "").os) == "CentOS Linux 8");
  CHECK(judged(image("", "amazonlinux", "2").os) == "Amazon Linux 2");
  CHECK(judged(image("", "amazonlinux", "2018.03").os) == "Amazon Linux AMI (Amazon Linux 1)");
  CHECK(judged(image("public.ecr.aws", "amazonlinux/amazonlinux", "2.0.20231218.0").os) == "Amazon Linux 2");
  CHECK(judged(image("", "amazonlinux", "2023").os) == "no release");
  // The 2022 preview, renamed 2023 at its release.
  CHECK(judged(image("public.ecr.aws", "amazonlinux/amazonlinux", "2022").os) ==
        "Amazon Linux 2022 (a preview, released as Amazon Linux 2023)");
  CHECK(judged(image("", "amazonlinux", "2022.0.20221207.4").os) ==
        "Amazon Linux 2022 (a preview, released as Amazon Linux 2023)");
  CHECK(judged(image("", "amazonlinux", "latest").os) == "no release");
}

TEST_CASE("end_of_life: official runtime images, their variants and the OS they name") {
  ImageReleases php = image("", "php", "7.4-fpm-buster");
  CHECK(judged(php.runtime) == "PHP 7.4");
  CHECK(judged(php.os) == "Debian 10 (buster)");
  CHECK(judged(image("", "php", "7-apache").runtime) == "PHP 7.4");
  CHECK(judged(image("", "php", "fpm").runtime) == "no release");
  CHECK(judged(image("", "ruby", "2.7-slim").runtime) == "Ruby 2.7");
  CHECK(judged(image("", "ruby", "2.7.8-alpine3.16").runtime) == "Ruby 2.7");
  CHECK(judged(image("", "ruby", "2").runtime) == "Ruby 2.7");
  CHECK(judged(image("", "python", "3.6-alpine").runtime) == "Python 3.6");
  CHECK(judged(image("", "python", "2").runtime) == "Python 2.7");
  CHECK(judged(image("", "python", "3").runtime) == "supported");
  CHECK(judged(image("", "node", "14").runtime) == "Node.js 14");
  CHECK(judged(image("", "node", "fermium-alpine").runtime) == "Node.js 14");
  CHECK(judged(image("", "node", "lts-gallium").runtime) == "Node.js 16");
  CHECK(judged(image("", "node", "lts").runtime) == "no release");
  ImageReleases lts = image("", "node", "lts-buster-slim");
  CHECK(lts.runtime_image);
  CHECK(judged(lts.runtime) == "no release");
  CHECK(judged(lts.os) == "Debian 10 (buster)");
  CHECK_FALSE(image("", "debian", "buster").runtime_image);
  ImageReleases python = image("", "python", "3.11-slim-buster");
  CHECK(judged(python.runtime) == "supported");
  CHECK(judged(python.os) == "Debian 10 (buster)");
}

TEST_CASE("end_of_life: the lines that ended from 2023 to the check date") {
  CHECK(judged(image("", "debian", "bullseye-slim").os) == "Debian 11 (bullseye)");
  CHECK(judged(image("", "debian", "bullseye").os, {2026, 8, 31}) == "supported");  // its last day
  CHECK(judged(image("", "php", "8.0-apache").runtime) == "PHP 8.0");
  CHECK(judged(image("", "php", "8.1-fpm").runtime) == "PHP 8.1");
  CHECK(judged(image("", "php", "8.2-fpm").runtime) == "supported");  // until 2026-12-31
  CHECK(judged(image("", "ruby", "3.0").runtime) == "Ruby 3.0");
  CHECK(judged(image("", "ruby", "3.1-slim").runtime) == "Ruby 3.1");
  CHECK(judged(image("", "ruby", "3.2.9-alpine").runtime) == "Ruby 3.2");
  CHECK(judged(image("", "ruby", "3.3").runtime) == "supported");
  CHECK(judged(image("", "python", "3.8").runtime) == "Python 3.8");
  CHECK(judged(image("", "python", "3.9-slim").runtime) == "Python 3.9");
  CHECK(judged(image("", "python", "3.10-slim").runtime) == "Python 3.10");
  CHECK(judged(image("", "python", "3.10").runtime, {2026, 10, 31}) == "supported");  // its last day
  CHECK(judged(image("", "python", "3.11").runtime) == "supported");
  CHECK(judged(image("", "node", "18-alpine").runtime) == "Node.js 18");
  CHECK(judged(image("", "node", "hydrogen").runtime) == "Node.js 18");
  CHECK(judged(image("", "node", "20").runtime) == "Node.js 20");
  CHECK(judged(image("", "node", "22").runtime) == "supported");
  CHECK(judged(platform_releases("Node.js 18 running on 64bit Amazon Linux 2023").runtime) == "Node.js 18");
}

TEST_CASE("end_of_life: other official images are judged by the Debian or Ubuntu release their tag names") {
  ImageReleases golang = image("", "golang", "1.9.2-stretch");
  CHECK(golang.built_on);
  CHECK_FALSE(golang.runtime_image);
  CHECK(judged(golang.runtime) == "no release");
  CHECK(judged(golang.os) == "Debian 9 (stretch)");
  CHECK(judged(image("", "postgres", "13-bullseye").os) == "Debian 11 (bullseye)");
  CHECK(judged(image("", "eclipse-temurin", "11-jdk-focal").os) == "Ubuntu 20.04 (focal)");
  CHECK(judged(image("", "golang", "1.25-trixie").os) == "supported");
  CHECK_FALSE(image("", "golang", "1.25-alpine").built_on);
  CHECK_FALSE(image("", "nginx", "").built_on);
  // Not an official image: its tags mean what its owner decides.
  CHECK_FALSE(image("ghcr.io", "acme/golang", "1.9-stretch").os.has_value());
}

TEST_CASE("end_of_life: only official images and their mirrors are read") {
  CHECK(judged(image("public.ecr.aws", "docker/library/ruby", "2.7").runtime) == "Ruby 2.7");
  CHECK(judged(image("mirror.gcr.io", "library/node", "12").runtime) == "Node.js 12");
  CHECK(judged(image("", "library/python", "2.7").runtime) == "Python 2.7");
  // The same images published per architecture.
  CHECK(judged(image("", "arm64v8/ruby", "2.6-buster").runtime) == "Ruby 2.6");
  CHECK(judged(image("docker.io", "amd64/debian", "stretch").os) == "Debian 9 (stretch)");
  CHECK(judged(image("", "arm64v8/acme", "1.0").runtime) == "no release");
  CHECK(judged(image("public.ecr.aws", "lts/ubuntu", "18.04").os) == "Ubuntu 18.04 (bionic)");
  CHECK(judged(image("", "bitnami/php-fpm", "7.4").runtime) == "no release");
  CHECK(judged(image("ghcr.io", "acme/ruby", "2.7").runtime) == "no release");
  CHECK(judged(image("123456789012.dkr.ecr.us-east-1.amazonaws.com", "ruby", "2.7").runtime) == "no release");
  CHECK(judged(image("public.ecr.aws", "bitnami/node", "14").runtime) == "no release");
}

TEST_CASE("end_of_life: Elastic Beanstalk platform names") {
  ImageReleases ruby = platform_releases("64bit Amazon Linux 2 v3.4.1 running Ruby 2.7");
  CHECK(judged(ruby.os) == "Amazon Linux 2");
  CHECK(judged(ruby.runtime) == "Ruby 2.7");
  ImageReleases php = platform_releases("PHP 7.4 running on 64bit Amazon Linux 2");
  CHECK(judged(php.runtime) == "PHP 7.4");
  ImageReleases node = platform_releases("64bit Amazon Linux 2018.03 v4.17.0 running Node.js");
  CHECK(judged(node.os) == "Amazon Linux AMI (Amazon Linux 1)");
  CHECK(judged(node.runtime) == "no release");
  ImageReleases current = platform_releases("64bit Amazon Linux 2023 v4.3.0 running Python 3.12");
  CHECK(judged(current.os) == "no release");
  CHECK(judged(current.runtime) == "supported");
  CHECK(judged(platform_releases("Node.js 14 running on 64bit Amazon Linux 2").runtime) == "Node.js 14");
}
