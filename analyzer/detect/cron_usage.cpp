#include "analyzer/detect/cron_usage.h"

#include <algorithm>
#include <array>
#include <string>

#include "analyzer/detect/worker_process.h"

namespace shiftlint::detect {

namespace {

template <size_t N>
bool is_one_of(std::string_view value, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

// `/etc//cron.d/` → `/etc/cron.d`.
std::string normalise(std::string_view path) {
  std::string result;
  result.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !result.empty() && result.back() == '/') continue;
    result += c;
  }
  while (result.size() > 1 && result.back() == '/') result.pop_back();
  return result;
}

// `path` is `folder` or inside it.
bool at_or_under(std::string_view path, std::string_view folder) {
  if (!path.starts_with(folder)) return false;
  return path.size() == folder.size() || path[folder.size()] == '/';
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A crontab time field: digits, ranges, steps, lists, `*`, and month/day names (`mon-fri`, `jan`).
// The minute field has no names, which tells a job from `SHELL=/bin/bash` or a comment.
bool is_time_field(std::string_view field, bool minute) {
  if (field.empty()) return false;
  if (minute && !((field[0] >= '0' && field[0] <= '9') || field[0] == '*')) return false;
  return std::all_of(field.begin(), field.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '*' || c == ',' || c == '-' || c == '/' || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '?';
  });
}

}  // namespace

std::optional<std::string_view> cron_daemon_package(std::string_view package_name) {
  // Debian/Ubuntu cron and its helpers, RHEL/Fedora cronie, Alpine dcron/cronie/supercronic, SUSE
  // cronie, the old vixie-cron of CentOS 5, and the pip-installed yacron.
  static constexpr std::array<std::string_view, 13> packages = {
      "cron",   "cronie",      "cronie-anacron", "cronie-noanacron", "anacron",   "dcron",  "fcron",
      "bcron",  "vixie-cron",  "systemd-cron",   "supercronic",      "go-crond", "yacron"};
  for (std::string_view package : packages)
    if (package == package_name) return package;
  return std::nullopt;
}

bool is_cron_program(std::string_view program) {
  static constexpr std::array<std::string_view, 8> programs = {"cron",        "crond",    "anacron", "fcron",
                                                               "supercronic", "go-crond", "yacron",  "dcron"};
  return is_one_of(program_basename(program), programs);
}

bool is_cron_service(std::string_view service) {
  static constexpr std::array<std::string_view, 6> services = {"cron", "crond", "cronie", "anacron", "dcron", "fcron"};
  return is_one_of(service, services);
}

bool is_supercronic_binary(std::string_view path) {
  std::string_view name = program_basename(path);
  return name == "supercronic" || name.starts_with("supercronic-");
}

namespace {

// A file in /etc/cron.d or /etc/cron.daily that cron does not run: an editor's or a package
// manager's leftover (`job~`, `job.dpkg-old`, `job.rpmnew`), a hidden file, or one set aside
// (`dovecot-purge.disabled`, `job.bak`). Debian's cron and run-parts skip every name with a dot;
// cronie skips the backups and hidden files.
bool skipped_drop_in_name(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos) return false;  // deeper: not read at all, judged as written
  if (name.front() == '.' || name.front() == '#' || name.back() == '~') return true;
  for (std::string_view suffix : {".disabled", ".bak", ".orig", ".old", ".swp", ".rpmsave", ".rpmorig", ".rpmnew",
                                  ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp", ".ucf-old", ".ucf-dist"})
    if (name.ends_with(suffix)) return true;
  return false;
}

}  // namespace

std::optional<CronPath> cron_path(std::string_view path) {
  if (path.empty() || path[0] != '/' || path.find('$') != std::string_view::npos) return std::nullopt;
  // Every place below holds "cron", and normalising only drops repeated or trailing slashes, which
  // never joins letters: most paths asked (every file a RUN writes) need no normalised copy.
  if (path.find("cron") == std::string_view::npos) return std::nullopt;
  std::string normalised = normalise(path);
  struct Place {
    std::string_view folder;
    CronPathKind kind;
    bool has_user_field;
  };
  static constexpr std::array<Place, 10> places = {{
      {"/etc/cron.d", CronPathKind::DropInFolder, true},
      {"/etc/cron.hourly", CronPathKind::PeriodicFolder, false},
      {"/etc/cron.daily", CronPathKind::PeriodicFolder, false},
      {"/etc/cron.weekly", CronPathKind::PeriodicFolder, false},
      {"/etc/cron.monthly", CronPathKind::PeriodicFolder, false},
      {"/etc/cron.yearly", CronPathKind::PeriodicFolder, false},
      {"/etc/crontab", CronPathKind::SystemTable, true},
      {"/etc/anacrontab", CronPathKind::SystemTable, false},
      {"/etc/crontabs", CronPathKind::UserTables, false},
      {"/var/spool/cron", CronPathKind::UserTables, false},
  }};
  for (const Place& place : places) {
    if (!at_or_under(normalised, place.folder)) continue;
    bool drop_in = place.kind == CronPathKind::DropInFolder || place.kind == CronPathKind::PeriodicFolder;
    if (drop_in && normalised.size() > place.folder.size() && skipped_drop_in_name(std::string_view(normalised).substr(place.folder.size() + 1)))
      return std::nullopt;
    return CronPath{place.kind, place.folder, place.has_user_field};
  }
  return std::nullopt;
}

std::vector<CrontabEntry> parse_crontab(std::string_view text, bool has_user_field, size_t max_entries) {
  std::vector<CrontabEntry> entries;
  size_t line_begin = 0;
  while (line_begin < text.size() && entries.size() < max_entries) {
    size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    size_t next = line_end + 1;
    size_t content_end = line_end;
    if (content_end > line_begin && text[content_end - 1] == '\r') --content_end;
    // Blanks that end the line are not the command's (cron hands them to the shell, which drops them).
    while (content_end > line_begin && (text[content_end - 1] == ' ' || text[content_end - 1] == '\t')) --content_end;

    // Splits off whitespace-separated fields from `position`.
    size_t position = line_begin;
    auto field = [&]() -> std::string_view {
      while (position < content_end && is_space(text[position])) ++position;
      size_t begin = position;
      while (position < content_end && !is_space(text[position])) ++position;
      return text.substr(begin, position - begin);
    };

    std::string_view first = field();
    size_t schedule_begin = position - first.size();
    bool job = false;
    if (!first.empty() && first[0] == '@') {
      job = true;
    } else if (is_time_field(first, true)) {
      job = true;
      for (int i = 0; i < 4 && job; ++i) job = is_time_field(field(), false);
    }
    if (job) {
      CrontabEntry entry;
      entry.line_begin = line_begin;
      entry.line_end = content_end;
      entry.schedule = text.substr(schedule_begin, position - schedule_begin);
      if (has_user_field) entry.user = field();
      while (position < content_end && is_space(text[position])) ++position;
      size_t command_end = position;
      // An unescaped '%' ends the command: what follows is its standard input.
      while (command_end < content_end && text[command_end] != '%') {
        command_end += text[command_end] == '\\' && command_end + 1 < content_end ? 2 : 1;
      }
      command_end = std::min(command_end, content_end);
      if (command_end > position && (!has_user_field || !entry.user.empty())) {
        entry.command_begin = position;
        entry.command = text.substr(position, command_end - position);
        entries.push_back(entry);
      }
    }
    line_begin = next;
  }
  return entries;
}

}  // namespace shiftlint::detect
