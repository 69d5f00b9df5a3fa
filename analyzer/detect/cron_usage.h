#pragma once
// Recognises cron on a machine or in an image: the packages that install a cron daemon, the
// programs that are one, the service names init systems know it by, the paths cron reads its tables
// from, and the entries of a crontab.
//
// Model-independent: Dockerfile rules (DKR002, DKR017) pass package names from RUN installs,
// command names and paths written or copied; Elastic Beanstalk rules (EB002) pass `packages:`
// entries, `files:` keys and hook commands; both read crontab text with `parse_crontab`.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace shiftlint::detect {

// The cron daemon an OS package installs ("cron" → "cron", "cronie" → "cronie"), by exact name:
// `cronolog`, `cron-apt` and `python3-crontab` are not daemons. nullopt otherwise.
std::optional<std::string_view> cron_daemon_package(std::string_view package_name);

// A program that is a cron daemon or runs crontabs itself: cron, crond, anacron, fcron, dcron,
// supercronic, go-crond, yacron (the last component of a path: "/usr/sbin/crond").
bool is_cron_program(std::string_view program);

// An init-system service name for cron: cron, crond, cronie, anacron, dcron, fcron.
bool is_cron_service(std::string_view service);

// A file, or the binary itself, of supercronic (the container-oriented cron): its release asset
// names are `supercronic-linux-amd64` and the like.
bool is_supercronic_binary(std::string_view path);

enum class CronPathKind {
  DropInFolder,    // /etc/cron.d/*: system crontab fragments, with a user field
  PeriodicFolder,  // /etc/cron.hourly|daily|weekly|monthly/*: scripts run by run-parts
  SystemTable,     // /etc/crontab (with a user field), /etc/anacrontab
  UserTables,      // /etc/crontabs/* (busybox, dcron), /var/spool/cron/** (cronie, Debian's cron)
};

struct CronPath {
  CronPathKind kind = CronPathKind::DropInFolder;
  // How messages name the place: "/etc/cron.d", "/etc/cron.daily", "/etc/crontab".
  std::string_view place;
  // Its crontab lines name the user to run as (system tables), so the command is the 7th field.
  bool has_user_field = false;
};

// The cron place a path writes to: the folder itself or anything inside it. `path` is absolute
// and may carry a trailing '/' or `//`; relative paths and paths with unexpanded variables never match.
std::optional<CronPath> cron_path(std::string_view path);

// One job line of a crontab: offsets into the text given to parse_crontab.
struct CrontabEntry {
  size_t line_begin = 0;
  size_t line_end = 0;  // before the line break
  std::string_view schedule;  // "30 2 * * *" or "@daily"
  std::string_view user;      // system tables only; empty otherwise
  std::string_view command;   // the rest of the line, up to an unescaped '%' (cron's stdin marker)
  size_t command_begin = 0;
};

// The job lines of a crontab: blank lines, comments and `NAME=value` lines are skipped, so are lines
// that are not jobs (too few fields). At most `max_entries` are returned.
std::vector<CrontabEntry> parse_crontab(std::string_view text, bool has_user_field, size_t max_entries = 10000);

}  // namespace shiftlint::detect
