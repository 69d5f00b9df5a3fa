#pragma once
// How a machine was tuned, read from the files and words that tune it: pam_limits lines
// (/etc/security/limits.conf, limits.d), sysctl settings (/etc/sysctl.conf, sysctl.d, `sysctl -w`)
// and the time zone (/etc/localtime links into zoneinfo, /etc/sysconfig/clock, timedatectl).
//
// On a VM these held; in a container none of them does (FACTS.md §1, §7). Model-independent: the
// Elastic Beanstalk evidence (EB003, EB004, EB008 and the XF parity rules) passes `files:` contents
// and shell words; Dockerfile rules can pass what an image writes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::detect {

// --- resource limits ---

// /etc/security/limits.conf and /etc/security/limits.d/* (pam_limits' files).
bool is_limits_conf_path(std::string_view path);

// One `<domain> <type> <item> <value>` line of a limits file: `webapp soft nofile 65536`. Offsets
// are into the text given to parse_limits_conf.
struct LimitsEntry {
  std::string_view domain;  // `*`, a user, `@group`
  std::string_view type;    // soft, hard or `-` (both)
  std::string_view item;    // nofile, nproc, core, ...
  std::string_view value;   // a number, unlimited, infinity
  size_t line_begin = 0;
  size_t line_end = 0;
  size_t item_begin = 0;
  bool sets_soft() const { return type == "soft" || type == "-"; }
  bool sets_hard() const { return type == "hard" || type == "-"; }
};
// The entries of a limits file; comments, blank lines and lines without four fields are skipped.
std::vector<LimitsEntry> parse_limits_conf(std::string_view text);

// --- kernel parameters ---

// /etc/sysctl.conf, /etc/sysctl.d/*, /usr/lib/sysctl.d/*, /run/sysctl.d/*.
bool is_sysctl_conf_path(std::string_view path);

struct SysctlEntry {
  std::string_view name;   // `net.core.somaxconn` (a `/`-separated name is given as written)
  std::string_view value;  // `1024`, `4096 87380 16777216`
  size_t line_begin = 0;
  size_t line_end = 0;
  size_t name_begin = 0;
};
// `name = value` lines (a leading `-` that tells systemd to ignore errors is dropped).
std::vector<SysctlEntry> parse_sysctl_conf(std::string_view text);

// `net.core.somaxconn=1024` (a `sysctl -w` operand): the name and the value; nullopt otherwise.
std::optional<std::pair<std::string_view, std::string_view>> split_sysctl_assignment(std::string_view word);

// Host-wide descriptor limits (fs.file-max, fs.nr_open): raised together with nofile, and what
// EB003 reports rather than EB004.
bool is_file_limit_sysctl(std::string_view name);

// Whether a task on Fargate can set the parameter through the task definition's `systemControls`
// (FACTS.md §7): only namespaced parameters can be, and some of those are known to fail.
enum class FargateSysctl {
  Settable,       // a namespaced parameter (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*)
  KnownToFail,    // namespaced on paper but rejected on Fargate (net.core.rmem_max, ...)
  Unconfirmed,    // net.core.somaxconn: not confirmed either way
  NotSettable,    // a host-wide parameter (vm.*, fs.file-max, kernel.pid_max, ...)
};
FargateSysctl fargate_sysctl_support(std::string_view name);

// --- time zone ---

// `/usr/share/zoneinfo/Asia/Tokyo` → "Asia/Tokyo"; nullopt when the path is not a zone file.
std::optional<std::string_view> zoneinfo_zone(std::string_view path);

// /etc/localtime, /etc/timezone, /etc/sysconfig/clock: the files that set the system time zone.
bool is_time_zone_path(std::string_view path);

// The zone set by the text of /etc/sysconfig/clock (`ZONE="Asia/Tokyo"`) or /etc/timezone
// (`Asia/Tokyo`): its offset and length in `text`; nullopt when it sets none.
struct ZoneInText {
  size_t begin = 0;
  size_t length = 0;
};
std::optional<ZoneInText> zone_in_time_zone_file(std::string_view path, std::string_view text);

// Whether a TZ value names a zone the C library can use: an IANA name (`Asia/Tokyo`, `UTC`,
// `Etc/GMT-9`) or a POSIX rule (`JST-9`, `EST5EDT`, `<+09>-9`). A sample's `my-timezone` or
// `your-zone-here` is a placeholder, not a zone the host ran in.
bool is_time_zone_name(std::string_view value);

// UTC under any of its names (UTC, Etc/UTC, GMT, Etc/GMT, Universal, Zulu, UCT, GMT0): setting it
// changes nothing for a container, whose default is UTC.
bool is_utc_zone(std::string_view zone);

}  // namespace shiftlint::detect
