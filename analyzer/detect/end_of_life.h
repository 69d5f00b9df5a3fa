#pragma once
// End-of-life dates of the operating systems and language runtimes that old instances ran, as data
// (FACTS.md §12), and the ways people name them: official Docker images (`ubuntu:bionic`,
// `php:7.4-fpm`, `node:fermium-alpine`, `python:3.11-alpine3.18`, `public.ecr.aws/docker/library/python:3.6`) and Elastic
// Beanstalk platform names ("64bit Amazon Linux 2 v3.4.1 running Ruby 2.7").
//
// The table ages: it carries the date it was last checked, and callers judge an entry against the
// run date (`--today`, `today:` in the config, else the system date), never against the check date.
// To update it: edit kEndOfLifeTable in end_of_life.cpp from the vendors' pages and bump
// kEndOfLifeTableChecked.
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace shiftlint::detect {

// A day of the proleptic Gregorian calendar; ordered.
struct CalendarDate {
  int year = 0;
  int month = 0;
  int day = 0;
  friend auto operator<=>(const CalendarDate&, const CalendarDate&) = default;
  friend bool operator==(const CalendarDate&, const CalendarDate&) = default;
  std::string to_string() const;  // "2023-05-31"
};

// "2024-06-30" → the date; nullopt unless it is a real day written YYYY-MM-DD.
std::optional<CalendarDate> parse_calendar_date(std::string_view text);
// The system's current date in UTC.
CalendarDate system_today();

// The date the table was last checked against its sources.
inline constexpr std::string_view kEndOfLifeTableChecked = "2026-11-23";

enum class Product : uint8_t { AmazonLinux, CentOs, Ubuntu, Debian, Alpine, Php, Ruby, Python, Node };

struct EndOfLife {
  Product product = Product::Ubuntu;
  std::string_view cycle;  // the release line: "18.04", "7.4", "2" (Amazon Linux 2), "1" (the AMI)
  std::string_view name;   // as its vendor names it: "Ubuntu 18.04 (bionic)", "PHP 7.4", "Node.js 14"
  CalendarDate end;        // support ends at the end of this day (standard support, not paid extensions)
  // A supported successor on the date the table was checked: in prose ("Ubuntu 24.04", "PHP 8.4"),
  // and for images: the image for an OS ("ubuntu:24.04"), the version to put in the tag for a
  // runtime ("8.4", so `php:7.4-fpm` becomes `php:8.4-fpm`).
  std::string_view successor;
  std::string_view image_successor;
  bool is_os() const { return product <= Product::Alpine; }
};

std::span<const EndOfLife> end_of_life_table();

// The entry for a product's release: `version` may be more precise than the cycle ("7.4.33" is
// PHP 7.4, "2.0.20230404.0" is Amazon Linux 2, "2018.03" is the Amazon Linux AMI); nullptr when
// the table has no such release (which says nothing about whether it is supported).
const EndOfLife* find_end_of_life(Product product, std::string_view version);

// Whether `entry` has ended on `today` (support ends at the end of its last day).
inline bool has_ended(const EndOfLife& entry, CalendarDate today) { return today > entry.end; }

std::string_view product_name(Product product);  // "Ubuntu", "Node.js"

// A release of a product as something names it: PHP "7.4.33", Ubuntu "18.04", Amazon Linux "2".
struct Release {
  Product product = Product::Ubuntu;
  std::string version;
};

struct EndedRelease {
  const EndOfLife* entry = nullptr;  // the release's own entry, or the ended line it is older than
  // The release is not in the table but older than `entry` (PHP 5.6, Node.js 10, Debian 8): lines
  // of these products end in order, so it has ended too, at the latest when `entry` did.
  bool older_than_entry = false;
};

// Whether a release has ended on `today`; nullopt when it has not or nothing says so.
std::optional<EndedRelease> find_ended_release(const Release& release, CalendarDate today);

// What an image runs, as far as its name and tag say: the runtime and the OS (the image itself, or
// the one a runtime tag names: `php:7.4-fpm-buster` is PHP 7.4 on Debian 10). Only official images
// are read (Docker Hub's library, with or without `library/` or `docker.io/`, and its mirrors on
// Amazon ECR Public and mirror.gcr.io; Amazon Linux and Canonical's Ubuntu on ECR Public): a tag of
// someone else's repository means whatever they decided.
struct ImageReleases {
  std::optional<Release> runtime;  // PHP, Ruby, Python, Node.js
  std::optional<Release> os;
  // The image is a runtime's (`node:lts-buster`), even when its tag does not say which release.
  bool runtime_image = false;
  // `os` is what another official image is built on (`golang:1.9.2-stretch`); the image's own
  // software is not judged.
  bool built_on = false;
};
ImageReleases image_releases(std::string_view registry, std::string_view repository, std::string_view tag);

// What an Elastic Beanstalk platform (solution stack or platform branch name) runs: "64bit Amazon
// Linux 2 v3.4.1 running Ruby 2.7", "PHP 7.4 running on 64bit Amazon Linux 2", "64bit Amazon Linux
// 2018.03 v2.11.0 running Node.js".
ImageReleases platform_releases(std::string_view platform_name);

}  // namespace shiftlint::detect
