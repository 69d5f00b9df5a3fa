#include "analyzer/detect/end_of_life.h"

#include <array>
#include <charconv>
#include <chrono>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint::detect {

namespace {

// FACTS.md §12, checked on kEndOfLifeTableChecked. Dates are the end of standard (free) support:
// Ubuntu's ESM, Debian's ELTS and Amazon Linux 2's paid extensions do not count. Month-only dates
// in the sources are the last day of that month. Successors are supported releases on the check
// date.
constexpr std::array<EndOfLife, 69> kEndOfLifeTable = {{
    {Product::AmazonLinux, "1", "Amazon Linux AMI (Amazon Linux 1)", {2023, 12, 31}, "Amazon Linux 2023", "amazonlinux:2023"},
    {Product::AmazonLinux, "2", "Amazon Linux 2", {2026, 6, 30}, "Amazon Linux 2023", "amazonlinux:2023"},
    // Only ever a preview: renamed Amazon Linux 2023 at its release (March 2023); its images got no
    // update since.
    {Product::AmazonLinux, "2022", "Amazon Linux 2022 (a preview, released as Amazon Linux 2023)", {2023, 3, 31},
     "Amazon Linux 2023", "amazonlinux:2023"},
    {Product::CentOs, "6", "CentOS 6", {2020, 11, 30}, "AlmaLinux 9 or Rocky Linux 9", "almalinux:9"},
    {Product::CentOs, "7", "CentOS 7", {2024, 6, 30}, "AlmaLinux 9 or Rocky Linux 9", "almalinux:9"},
    {Product::CentOs, "8", "CentOS Linux 8", {2021, 12, 31}, "AlmaLinux 9 or Rocky Linux 9", "almalinux:9"},
    {Product::Ubuntu, "16.04", "Ubuntu 16.04 (xenial)", {2021, 4, 30}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "18.04", "Ubuntu 18.04 (bionic)", {2023, 5, 31}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "20.04", "Ubuntu 20.04 (focal)", {2025, 5, 31}, "Ubuntu 24.04", "ubuntu:24.04"},
    // Interim (non-LTS) releases: nine months of support each, so each ends years before the LTS
    // release older than it.
    {Product::Ubuntu, "20.10", "Ubuntu 20.10 (groovy)", {2021, 7, 22}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "21.04", "Ubuntu 21.04 (hirsute)", {2022, 1, 20}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "21.10", "Ubuntu 21.10 (impish)", {2022, 7, 14}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "22.10", "Ubuntu 22.10 (kinetic)", {2023, 7, 20}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "23.04", "Ubuntu 23.04 (lunar)", {2024, 1, 25}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "23.10", "Ubuntu 23.10 (mantic)", {2024, 7, 11}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "24.10", "Ubuntu 24.10 (oracular)", {2025, 7, 10}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "25.04", "Ubuntu 25.04 (plucky)", {2026, 1, 31}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Ubuntu, "25.10", "Ubuntu 25.10 (questing)", {2026, 7, 31}, "Ubuntu 24.04", "ubuntu:24.04"},
    {Product::Debian, "9", "Debian 9 (stretch)", {2022, 6, 30}, "Debian 13 (trixie)", "debian:trixie"},
    {Product::Debian, "10", "Debian 10 (buster)", {2024, 6, 30}, "Debian 13 (trixie)", "debian:trixie"},
    {Product::Debian, "11", "Debian 11 (bullseye)", {2026, 8, 31}, "Debian 13 (trixie)", "debian:trixie"},
    // Alpine: the end of the main repository's support for each stable branch (about two years).
    {Product::Alpine, "3.10", "Alpine 3.10", {2021, 5, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.11", "Alpine 3.11", {2021, 11, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.12", "Alpine 3.12", {2022, 5, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.13", "Alpine 3.13", {2022, 11, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.14", "Alpine 3.14", {2023, 5, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.15", "Alpine 3.15", {2023, 11, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.16", "Alpine 3.16", {2024, 5, 23}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.17", "Alpine 3.17", {2024, 11, 22}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.18", "Alpine 3.18", {2025, 5, 9}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.19", "Alpine 3.19", {2025, 11, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.20", "Alpine 3.20", {2026, 4, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.21", "Alpine 3.21", {2026, 11, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.22", "Alpine 3.22", {2027, 5, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Alpine, "3.23", "Alpine 3.23", {2027, 11, 1}, "Alpine 3.24", "alpine:3.24"},
    {Product::Php, "7.0", "PHP 7.0", {2019, 1, 10}, "PHP 8.4", "8.4"},
    {Product::Php, "7.1", "PHP 7.1", {2019, 12, 1}, "PHP 8.4", "8.4"},
    {Product::Php, "7.2", "PHP 7.2", {2020, 11, 30}, "PHP 8.4", "8.4"},
    {Product::Php, "7.3", "PHP 7.3", {2021, 12, 6}, "PHP 8.4", "8.4"},
    {Product::Php, "7.4", "PHP 7.4", {2022, 11, 28}, "PHP 8.4", "8.4"},
    {Product::Php, "8.0", "PHP 8.0", {2023, 11, 26}, "PHP 8.4", "8.4"},
    {Product::Php, "8.1", "PHP 8.1", {2025, 12, 31}, "PHP 8.4", "8.4"},
    {Product::Ruby, "2.3", "Ruby 2.3", {2019, 3, 31}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "2.4", "Ruby 2.4", {2020, 3, 31}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "2.5", "Ruby 2.5", {2021, 4, 5}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "2.6", "Ruby 2.6", {2022, 4, 12}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "2.7", "Ruby 2.7", {2023, 3, 31}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "3.0", "Ruby 3.0", {2024, 4, 23}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "3.1", "Ruby 3.1", {2025, 3, 26}, "Ruby 3.4", "3.4"},
    {Product::Ruby, "3.2", "Ruby 3.2", {2026, 3, 31}, "Ruby 3.4", "3.4"},
    {Product::Python, "2.7", "Python 2.7", {2020, 1, 1}, "Python 3.13", "3.13"},
    {Product::Python, "3.6", "Python 3.6", {2021, 12, 23}, "Python 3.13", "3.13"},
    {Product::Python, "3.7", "Python 3.7", {2023, 6, 27}, "Python 3.13", "3.13"},
    {Product::Python, "3.8", "Python 3.8", {2024, 10, 7}, "Python 3.13", "3.13"},
    {Product::Python, "3.9", "Python 3.9", {2025, 10, 31}, "Python 3.13", "3.13"},
    {Product::Python, "3.10", "Python 3.10", {2026, 10, 31}, "Python 3.13", "3.13"},
    {Product::Node, "12", "Node.js 12", {2022, 4, 30}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "14", "Node.js 14", {2023, 4, 30}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "16", "Node.js 16", {2023, 9, 11}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "18", "Node.js 18", {2025, 4, 30}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "20", "Node.js 20", {2026, 4, 30}, "Node.js 24 (LTS)", "24"},
    // Odd-numbered releases are never LTS: released each October, unsupported the next June 1.
    {Product::Node, "13", "Node.js 13", {2020, 6, 1}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "15", "Node.js 15", {2021, 6, 1}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "17", "Node.js 17", {2022, 6, 1}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "19", "Node.js 19", {2023, 6, 1}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "21", "Node.js 21", {2024, 6, 1}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "23", "Node.js 23", {2025, 6, 1}, "Node.js 24 (LTS)", "24"},
    {Product::Node, "25", "Node.js 25", {2026, 6, 1}, "Node.js 24 (LTS)", "24"},
}};

std::span<const EndOfLife> table() { return kEndOfLifeTable; }

// Releases whose lines each end no later than every newer line: a release older than an ended one
// has ended too. Not CentOS (CentOS Linux 8 was cut short and ended before 7).
bool ends_in_order(Product product) { return product != Product::CentOs; }

// The newest minor of a major line that has closed: `php:7` is PHP 7.4, `ruby:2` and `python:2`
// are 2.7. (`python:3`, `node:22` follow the newest release and say nothing.)
std::string_view closed_major(Product product, std::string_view major) {
  if (product == Product::Php && major == "7") return "7.4";
  if (product == Product::Ruby && major == "2") return "2.7";
  if (product == Product::Python && major == "2") return "2.7";
  return {};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "7.4.33" → {7, 4, 33}; empty unless it is dot-separated numbers.
std::vector<int> version_parts(std::string_view version) {
  std::vector<int> parts;
  while (!version.empty()) {
    size_t dot = version.find('.');
    std::string_view part = version.substr(0, dot);
    int value = 0;
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 9 || error != std::errc() || end != part.data() + part.size()) return {};
    parts.push_back(value);
    if (dot == std::string_view::npos) break;
    version.remove_prefix(dot + 1);
    if (version.empty()) return {};
  }
  return parts;
}

// Whether `version` is the release line `cycle` or a release in it ("7.4.33" in "7.4").
bool in_cycle(std::string_view version, std::string_view cycle) {
  return version == cycle || (version.size() > cycle.size() && version.substr(0, cycle.size()) == cycle &&
                              version[cycle.size()] == '.');
}

// Whether `version` is older than `cycle`, comparing the parts both have: "5.6" is older than
// "7.0", "3" is not older than "3.6" (it could be any 3.x).
bool older_than(std::string_view version, std::string_view cycle) {
  std::vector<int> a = version_parts(version), b = version_parts(cycle);
  if (a.empty() || b.empty()) return false;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (a[i] != b[i]) return a[i] < b[i];
  return false;
}

struct Codename {
  std::string_view name;
  std::string_view version;
};

constexpr std::array<Codename, 19> kUbuntuCodenames = {{
    {"trusty", "14.04"},  {"xenial", "16.04"},  {"artful", "17.10"},   {"bionic", "18.04"}, {"cosmic", "18.10"},
    {"disco", "19.04"},   {"eoan", "19.10"},    {"focal", "20.04"},    {"groovy", "20.10"}, {"hirsute", "21.04"},
    {"impish", "21.10"},  {"jammy", "22.04"},   {"kinetic", "22.10"},  {"lunar", "23.04"},  {"mantic", "23.10"},
    {"noble", "24.04"},   {"oracular", "24.10"}, {"plucky", "25.04"},  {"questing", "25.10"},
}};
constexpr std::array<Codename, 8> kDebianCodenames = {{
    {"squeeze", "6"}, {"wheezy", "7"}, {"jessie", "8"}, {"stretch", "9"}, {"buster", "10"},
    {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"},
}};
// Node.js LTS lines by codename (`node:fermium`, `node:lts-gallium-alpine`).
constexpr std::array<Codename, 11> kNodeCodenames = {{
    {"argon", "4"}, {"boron", "6"}, {"carbon", "8"}, {"dubnium", "10"}, {"erbium", "12"}, {"fermium", "14"},
    {"gallium", "16"}, {"hydrogen", "18"}, {"iron", "20"}, {"jod", "22"}, {"krypton", "24"},
}};

template <size_t N>
std::string_view codename_version(const std::array<Codename, N>& names, std::string_view name) {
  for (const Codename& codename : names)
    if (codename.name == name) return codename.version;
  return {};
}

bool looks_like_version(std::string_view text) { return !version_parts(text).empty(); }

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return parts;
}

// `alpine3.18` → "3.18"; empty for any other part (a bare `alpine` follows the newest release).
std::string_view alpine_version(std::string_view part) {
  if (part.size() <= 6 || part.substr(0, 6) != "alpine") return {};
  part.remove_prefix(6);
  return looks_like_version(part) ? part : std::string_view();
}

// The OS release a tag names in one of its `-` parts (`2.7-slim-buster`, `14-bullseye`, `focal`,
// `3.11-alpine3.18`).
std::optional<Release> os_in_tag_parts(const std::vector<std::string_view>& parts, size_t first) {
  for (size_t i = first; i < parts.size(); ++i) {
    if (std::string_view version = alpine_version(parts[i]); !version.empty())
      return Release{Product::Alpine, std::string(version)};
    if (std::string_view version = codename_version(kDebianCodenames, parts[i]); !version.empty())
      return Release{Product::Debian, std::string(version)};
    if (std::string_view version = codename_version(kUbuntuCodenames, parts[i]); !version.empty())
      return Release{Product::Ubuntu, std::string(version)};
  }
  return std::nullopt;
}

ImageReleases os_image_releases(std::string_view name, std::string_view tag) {
  ImageReleases releases;
  std::vector<std::string_view> parts = split(tag, '-');
  std::string_view first = parts.front();
  if (name == "ubuntu") {
    std::string_view version = codename_version(kUbuntuCodenames, first);
    if (version.empty() && looks_like_version(first)) version = first;
    if (!version.empty()) releases.os = Release{Product::Ubuntu, std::string(version)};
  } else if (name == "debian") {
    std::string_view version = codename_version(kDebianCodenames, first);
    if (version.empty() && looks_like_version(first)) version = first;
    if (!version.empty()) releases.os = Release{Product::Debian, std::string(version)};
  } else if (name == "alpine") {
    // `alpine:3.18`, `alpine:3.18.4`; `alpine`, `alpine:latest` and `alpine:edge` say nothing.
    if (looks_like_version(first)) releases.os = Release{Product::Alpine, std::string(first)};
  } else if (name == "centos") {
    // Every CentOS Linux release has ended; `centos` and `centos:latest` were CentOS Linux 8.
    if (tag.empty() || tag == "latest") first = "8";
    if (first.substr(0, 6) == "centos") first.remove_prefix(6);
    if (looks_like_version(first)) releases.os = Release{Product::CentOs, std::string(first)};
  } else if (name == "amazonlinux") {
    std::vector<int> version = version_parts(first);
    // The Amazon Linux AMI was versioned by date (2016.09, 2018.03); Amazon Linux 2 as 2.0.<date>.
    if (!version.empty() && version[0] >= 2000 && version[0] < 2022) first = "1";
    if (!version.empty() && version[0] < 2000) releases.os = Release{Product::AmazonLinux, std::string(first)};
    else if (first == "1") releases.os = Release{Product::AmazonLinux, "1"};
    else if (!version.empty() && version[0] == 2022) releases.os = Release{Product::AmazonLinux, "2022"};
  }
  return releases;
}

ImageReleases runtime_image_releases(Product product, std::string_view tag) {
  ImageReleases releases;
  std::vector<std::string_view> parts = split(tag, '-');
  size_t index = 0;
  std::string version;
  if (product == Product::Node) {
    if (parts[index] == "lts" && parts.size() > 1) ++index;  // `lts-fermium`
    if (std::string_view codename = codename_version(kNodeCodenames, parts[index]); !codename.empty())
      version = codename;
  }
  if (version.empty() && looks_like_version(parts[index])) version = parts[index];
  if (!version.empty()) {
    if (std::string_view closed = closed_major(product, version); !closed.empty()) version = closed;
    releases.runtime = Release{product, version};
    ++index;
  }
  releases.os = os_in_tag_parts(parts, index);
  return releases;
}

std::optional<Product> runtime_product(std::string_view name) {
  if (name == "php") return Product::Php;
  if (name == "ruby") return Product::Ruby;
  if (name == "python") return Product::Python;
  if (name == "node") return Product::Node;
  return std::nullopt;
}

}  // namespace

std::string CalendarDate::to_string() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

std::optional<CalendarDate> parse_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(text[i])) return std::nullopt;
  auto number = [&](size_t at, size_t length) {
    int value = 0;
    for (size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  CalendarDate date{number(0, 4), number(5, 2), number(8, 2)};
  std::chrono::year_month_day check{std::chrono::year(date.year), std::chrono::month(static_cast<unsigned>(date.month)),
                                    std::chrono::day(static_cast<unsigned>(date.day))};
  if (!check.ok()) return std::nullopt;
  return date;
}

CalendarDate system_today() {
  std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return {static_cast<int>(today.year()), static_cast<int>(static_cast<unsigned>(today.month())),
          static_cast<int>(static_cast<unsigned>(today.day()))};
}

std::string_view product_name(Product product) {
  switch (product) {
    case Product::AmazonLinux: return "Amazon Linux";
    case Product::CentOs: return "CentOS";
    case Product::Ubuntu: return "Ubuntu";
    case Product::Debian: return "Debian";
    case Product::Alpine: return "Alpine";
    case Product::Php: return "PHP";
    case Product::Ruby: return "Ruby";
    case Product::Python: return "Python";
    case Product::Node: return "Node.js";
  }
  return "";
}

std::span<const EndOfLife> end_of_life_table() { return table(); }

const EndOfLife* find_end_of_life(Product product, std::string_view version) {
  for (const EndOfLife& entry : table())
    if (entry.product == product && in_cycle(version, entry.cycle)) return &entry;
  return nullptr;
}

namespace {
// `21`, `23.1`: an odd major version.
bool odd_major(std::string_view cycle) {
  size_t digits = 0;
  while (digits < cycle.size() && cycle[digits] >= '0' && cycle[digits] <= '9') ++digits;
  return digits > 0 && (cycle[digits - 1] - '0') % 2 == 1;
}

// `22.04`: an LTS release (April of an even year); `22.10`, `23.04` are interim releases.
bool ubuntu_lts(std::string_view cycle) {
  return cycle.size() == 5 && cycle.substr(2) == ".04" && is_digit(cycle[0]) && is_digit(cycle[1]) &&
         (cycle[1] - '0') % 2 == 0;
}
}  // namespace

std::optional<EndedRelease> find_ended_release(const Release& release, CalendarDate today) {
  if (const EndOfLife* entry = find_end_of_life(release.product, release.version))
    return has_ended(*entry, today) ? std::optional<EndedRelease>(EndedRelease{entry, false}) : std::nullopt;
  if (!ends_in_order(release.product)) return std::nullopt;
  // Not in the table: older than a release line that has ended means ended too. Name the oldest
  // such line, the one closest in age to what the user runs.
  const EndOfLife* oldest = nullptr;
  for (const EndOfLife& entry : table()) {
    if (entry.product != release.product || !has_ended(entry, today) || !older_than(release.version, entry.cycle))
      continue;
    // An odd Node.js release ends before the older LTS lines do (25 before 24): only the LTS lines
    // tell what is older and over.
    if (entry.product == Product::Node && odd_major(entry.cycle)) continue;
    // Likewise an Ubuntu interim release (22.10) ends years before the LTS release older than it
    // (22.04): only the LTS releases, April of even years, tell what is older and over.
    if (entry.product == Product::Ubuntu && !ubuntu_lts(entry.cycle)) continue;
    if (!oldest || older_than(entry.cycle, oldest->cycle)) oldest = &entry;
  }
  if (!oldest) return std::nullopt;
  return EndedRelease{oldest, true};
}

ImageReleases image_releases(std::string_view registry, std::string_view repository, std::string_view tag) {
  std::string name = official_repository(registry, repository);
  if (name.empty()) return {};
  std::string lower_tag = to_lower_ascii(tag);
  if (auto product = runtime_product(name)) {
    ImageReleases releases = lower_tag.empty() ? ImageReleases{} : runtime_image_releases(*product, lower_tag);
    releases.runtime_image = true;
    return releases;
  }
  if (name == "ubuntu" || name == "debian" || name == "alpine" || name == "centos" || name == "amazonlinux")
    return os_image_releases(name, lower_tag);
  // Another official image (`golang:1.9.2-stretch`, `openjdk:8-jdk-buster`, `postgres:13-bullseye`):
  // its own software is not judged, the Debian or Ubuntu release its tag names is.
  ImageReleases releases;
  if (!lower_tag.empty()) releases.os = os_in_tag_parts(split(lower_tag, '-'), 0);
  releases.built_on = releases.os.has_value();
  return releases;
}

ImageReleases platform_releases(std::string_view platform_name) {
  ImageReleases releases;
  static const RE2 amazon_linux(R"((?i)Amazon Linux (\d+(?:\.\d+)?))");
  static const RE2 runtime(R"((?i)\b(PHP|Ruby|Python|Node\.js) (\d+(?:\.\d+)?))");
  std::string version;
  if (RE2::PartialMatch(platform_name, amazon_linux, &version)) {
    std::vector<int> parts = version_parts(version);
    if (!parts.empty() && parts[0] >= 2000 && parts[0] < 2022) version = "1";
    if (!parts.empty() && (parts[0] < 2000 || version == "1")) releases.os = Release{Product::AmazonLinux, version};
  }
  std::string language;
  if (RE2::PartialMatch(platform_name, runtime, &language, &version)) {
    std::string lower = to_lower_ascii(language);
    Product product = lower == "php" ? Product::Php : lower == "ruby" ? Product::Ruby
                    : lower == "python" ? Product::Python : Product::Node;
    if (std::string_view closed = closed_major(product, version); !closed.empty()) version = closed;
    releases.runtime = Release{product, version};
  }
  return releases;
}

}  // namespace shiftlint::detect
