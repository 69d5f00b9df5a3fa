#include "analyzer/detect/host_tuning.h"

#include <array>

#include <re2/re2.h>

namespace shiftlint::detect {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Calls `line(begin, end)` for each line of `text`.
template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    visit(begin, end);
    begin = end + 1;
  }
}

bool under(std::string_view path, std::string_view folder) {
  return path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/';
}

}  // namespace

bool is_limits_conf_path(std::string_view path) {
  return path == "/etc/security/limits.conf" || under(path, "/etc/security/limits.d");
}

std::vector<LimitsEntry> parse_limits_conf(std::string_view text) {
  std::vector<LimitsEntry> entries;
  for_each_line(text, [&](size_t begin, size_t end) {
    std::array<std::string_view, 5> fields;
    std::array<size_t, 5> starts{};
    size_t count = 0;
    for (size_t at = begin; at < end && count < fields.size();) {
      while (at < end && is_blank(text[at])) ++at;
      if (at >= end || text[at] == '#') break;
      size_t start = at;
      while (at < end && !is_blank(text[at])) ++at;
      starts[count] = start;
      fields[count++] = text.substr(start, at - start);
    }
    if (count != 4) return;
    if (fields[1] != "soft" && fields[1] != "hard" && fields[1] != "-") return;
    entries.push_back({fields[0], fields[1], fields[2], fields[3], begin, end, starts[2]});
  });
  return entries;
}

bool is_sysctl_conf_path(std::string_view path) {
  return path == "/etc/sysctl.conf" || under(path, "/etc/sysctl.d") || under(path, "/usr/lib/sysctl.d") ||
         under(path, "/run/sysctl.d");
}

std::vector<SysctlEntry> parse_sysctl_conf(std::string_view text) {
  std::vector<SysctlEntry> entries;
  for_each_line(text, [&](size_t begin, size_t end) {
    size_t at = begin;
    while (at < end && is_blank(text[at])) ++at;
    if (at >= end || text[at] == '#' || text[at] == ';') return;
    if (text[at] == '-') ++at;
    size_t equals = text.find('=', at);
    if (equals == std::string_view::npos || equals >= end) return;
    size_t name_end = equals;
    while (name_end > at && is_blank(text[name_end - 1])) --name_end;
    size_t value_begin = equals + 1;
    while (value_begin < end && is_blank(text[value_begin])) ++value_begin;
    size_t value_end = end;
    while (value_end > value_begin && is_blank(text[value_end - 1])) --value_end;
    if (name_end == at || value_end == value_begin) return;
    std::string_view name = text.substr(at, name_end - at);
    if (name.find_first_of(" \t") != std::string_view::npos) return;
    entries.push_back({name, text.substr(value_begin, value_end - value_begin), begin, end, at});
  });
  return entries;
}

std::optional<std::pair<std::string_view, std::string_view>> split_sysctl_assignment(std::string_view word) {
  size_t equals = word.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 >= word.size()) return std::nullopt;
  std::string_view name = word.substr(0, equals);
  // A kernel parameter has at least one dot (or slash): `net.core.somaxconn`, `vm/swappiness`.
  if (name.find_first_of("./") == std::string_view::npos || name.starts_with("-")) return std::nullopt;
  return std::pair{name, word.substr(equals + 1)};
}

bool is_file_limit_sysctl(std::string_view name) {
  return name == "fs.file-max" || name == "fs.nr_open" || name == "fs/file-max" || name == "fs/nr_open";
}

FargateSysctl fargate_sysctl_support(std::string_view name) {
  // Namespaced on paper, and known to be rejected on Fargate (FACTS.md §7).
  for (std::string_view failing : {"net.core.rmem_max", "net.core.wmem_max", "net.core.rmem_default",
                                   "net.core.wmem_default", "net.core.netdev_max_backlog"})
    if (name == failing) return FargateSysctl::KnownToFail;
  if (name == "net.core.somaxconn") return FargateSysctl::Unconfirmed;
  if (name.starts_with("net.")) return FargateSysctl::Settable;
  if (name == "kernel.sem" || name.starts_with("kernel.shm") || name.starts_with("kernel.msg") ||
      name.starts_with("fs.mqueue."))
    return FargateSysctl::Settable;
  return FargateSysctl::NotSettable;
}

std::optional<std::string_view> zoneinfo_zone(std::string_view path) {
  for (std::string_view folder : {"/usr/share/zoneinfo/", "/usr/share/zoneinfo/posix/", "/usr/share/zoneinfo/right/",
                                  "/usr/lib/zoneinfo/"}) {
    if (!path.starts_with(folder)) continue;
    std::string_view zone = path.substr(folder.size());
    if (zone.empty() || zone.starts_with("posix/") || zone.starts_with("right/")) continue;
    if (zone.find_first_of("$*? ") != std::string_view::npos) return std::nullopt;
    return zone;
  }
  return std::nullopt;
}

bool is_time_zone_path(std::string_view path) {
  return path == "/etc/localtime" || path == "/etc/timezone" || path == "/etc/sysconfig/clock";
}

std::optional<ZoneInText> zone_in_time_zone_file(std::string_view path, std::string_view text) {
  std::optional<ZoneInText> found;
  for_each_line(text, [&](size_t begin, size_t end) {
    if (found) return;
    size_t at = begin;
    while (at < end && is_blank(text[at])) ++at;
    if (at >= end || text[at] == '#') return;
    if (path == "/etc/sysconfig/clock") {
      std::string_view line = text.substr(at, end - at);
      if (!line.starts_with("ZONE=")) return;
      at += 5;
      while (at < end && (text[at] == '"' || text[at] == '\'')) ++at;
      size_t value_end = at;
      while (value_end < end && text[value_end] != '"' && text[value_end] != '\'' && !is_blank(text[value_end])) ++value_end;
      if (value_end > at) found = ZoneInText{at, value_end - at};
    } else if (path == "/etc/timezone") {
      size_t value_end = at;
      while (value_end < end && !is_blank(text[value_end])) ++value_end;
      if (value_end > at) found = ZoneInText{at, value_end - at};
    }
  });
  return found;
}

bool is_utc_zone(std::string_view zone) {
  if (zone.starts_with("Etc/")) zone.remove_prefix(4);
  for (std::string_view utc : {"UTC", "GMT", "Universal", "Zulu", "UCT", "GMT0", "GMT+0", "GMT-0", "Greenwich"})
    if (zone == utc) return true;
  return false;
}

bool is_time_zone_name(std::string_view value) {
  if (value.starts_with(":")) value.remove_prefix(1);
  if (value.empty() || value.size() > 64) return false;
  // IANA: Area/Location[/Sub], or one word (UTC, GMT, Japan, Singapore) with a capital first letter.
  static const RE2 iana(R"([A-Z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){0,2})");
  // POSIX: std offset [dst [offset] [,start[/time],end[/time]]], names of 3+ letters or <...>.
  static const RE2 posix(R"((?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)[+-]?\d{1,2}(?::\d{2}){0,2})"
                         R"((?:(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)(?:[+-]?\d{1,2}(?::\d{2}){0,2})?(?:,[^,]+,[^,]+)?)?)");
  re2::StringPiece text(value.data(), value.size());
  if (RE2::FullMatch(text, posix)) return true;
  if (!RE2::FullMatch(text, iana)) return false;
  // A single word must be a zone's own name, not a hyphenated phrase (`My-Timezone`).
  return value.find('/') != std::string_view::npos || value.find('-') == std::string_view::npos ||
         value.starts_with("GMT") || value.starts_with("Etc");
}

}  // namespace shiftlint::detect
