#include "analyzer/detect/state_path.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzer/source/ascii_case.h"

namespace shiftlint::detect {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

template <size_t N>
bool one_of(std::string_view text, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), text) != names.end();
}

// Top-level folders that hold the system, not an application's state.
constexpr std::array<std::string_view, 10> kSystemRoots = {"usr", "etc", "proc", "sys", "dev", "boot",
                                                          "lib", "lib64", "bin", "sbin"};
constexpr std::array<std::string_view, 4> kNonAppRoots = {"tmp", "run", "mnt", "media"};
// What /usr/local holds besides applications.
constexpr std::array<std::string_view, 10> kLocalSystemFolders = {"bin", "sbin", "lib", "lib64", "libexec",
                                                                  "include", "share", "etc", "man", "games"};
constexpr std::array<std::string_view, 7> kSystemVarFolders = {"lib", "cache", "log", "run", "spool", "tmp", "mail"};
constexpr std::array<std::string_view, 6> kUploadFolders = {"uploads", "upload", "user_uploads", "user-uploads",
                                                            "useruploads", "attachments"};
constexpr std::array<std::string_view, 2> kSessionFolders = {"sessions", "php_sessions"};
constexpr std::array<std::string_view, 4> kDatabaseFolders = {"db", "data", "database", "databases"};

const StatePath kUploads{StateKind::Uploads, "uploaded files"};
const StatePath kSessions{StateKind::Sessions, "sessions"};
const StatePath kSqlite{StateKind::Sqlite, "a SQLite database"};
const StatePath kData{StateKind::Data, "application data"};

}  // namespace

std::optional<StatePath> classify_state_path(std::string_view path) {
  if (path.size() > 4096) return std::nullopt;
  std::string lower = to_lower_ascii(path);
  bool absolute = !lower.empty() && lower.front() == '/';
  std::vector<std::string_view> parts;
  std::string_view rest = lower;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (!part.empty() && part != ".") parts.push_back(part);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.empty()) return std::nullopt;
  // Applications do live under /usr: the official node and python images' /usr/src/app, and
  // /usr/local/<app> (paperless-ngx's /usr/src/paperless/data, /usr/local/apache2/htdocs).
  bool application_under_usr = absolute && parts.size() > 2 && parts[0] == "usr" &&
                               (parts[1] == "src" || (parts[1] == "local" && !one_of(parts[2], kLocalSystemFolders)));
  if (absolute && one_of(parts.front(), kSystemRoots) && !application_under_usr) return std::nullopt;

  std::string_view last = parts.back();
  if (ends_with(last, ".sqlite") || ends_with(last, ".sqlite3") || ends_with(last, ".db3")) return kSqlite;
  if (ends_with(last, ".db") && last.size() > 3 && parts.size() > 1 &&
      std::any_of(parts.begin(), parts.end() - 1, [](std::string_view part) { return one_of(part, kDatabaseFolders); }))
    return kSqlite;

  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    std::string_view next = i + 1 < parts.size() ? parts[i + 1] : std::string_view();
    if (one_of(part, kSessionFolders)) return kSessions;
    // `session` alone names many things (rtorrent's, systemd's); PHP's on RHEL is /var/lib/php/session.
    if (part == "session" && i > 0 && parts[i - 1].substr(0, 3) == "php") return kSessions;
    if (one_of(part, kUploadFolders)) return kUploads;
    // Rails' Paperclip, Laravel's storage disk, Drupal's public files, Magento's and Django's media.
    if ((part == "public" && next == "system") || (part == "storage" && next == "app")) return kUploads;
    if (part == "sites" && i + 2 < parts.size() && parts[i + 2] == "files") return kUploads;
    // `media` in an app's folder, or relative to the WORKDIR (`mkdir -p media static` in a Django
    // image); not /media (a mount point) nor /usr/share/media.
    if (part == "media" && (i > 0 ? parts[i - 1] != "share" : !absolute)) return kUploads;
    // WordPress keeps uploads, and the plugins and themes installed from the admin, in wp-content;
    // Ghost its images and SQLite database in content/; Sentry its attachments in files/.
    if (part == "wp-content") return kUploads;
    if ((part == "ghost" && next == "content") || (part == "sentry" && next == "files")) return kUploads;
  }

  // A folder named data: the app's own, not a system service's (/var/lib/postgresql/data). Under
  // /mnt, where a VM mounted its extra disk, it is the app's (ownCloud's VOLUME /mnt/data); /mnt
  // itself is only the mount point.
  if (absolute && parts.size() > 1 && parts.front() == "mnt" && last == "data") return kData;
  if (absolute && (one_of(parts.front(), kNonAppRoots) ||
                   (parts.front() == "var" && parts.size() > 1 && one_of(parts[1], kSystemVarFolders))))
    return std::nullopt;
  if (last == "data") return kData;
  return std::nullopt;
}

std::optional<StatePath> database_server_folder(std::string_view path) {
  struct ServerFolder {
    std::string_view folder;
    std::string_view what;
  };
  static constexpr std::array<ServerFolder, 22> kServerFolders = {{
      {"/var/lib/postgresql", "PostgreSQL's data files"},
      {"/var/lib/pgsql", "PostgreSQL's data files"},
      {"/bitnami/postgresql", "PostgreSQL's data files"},
      {"/home/postgres/pgdata", "PostgreSQL's data files"},
      {"/var/lib/mysql", "MySQL's data files"},
      {"/bitnami/mysql", "MySQL's data files"},
      {"/bitnami/mariadb", "MariaDB's data files"},
      {"/data/db", "MongoDB's data files"},
      {"/var/lib/mongodb", "MongoDB's data files"},
      {"/bitnami/mongodb", "MongoDB's data files"},
      {"/var/lib/redis", "Redis's data files"},
      {"/bitnami/redis", "Redis's data files"},
      {"/var/lib/rabbitmq", "RabbitMQ's data files"},
      {"/bitnami/rabbitmq", "RabbitMQ's data files"},
      {"/usr/share/elasticsearch/data", "Elasticsearch's data files"},
      {"/var/lib/elasticsearch", "Elasticsearch's data files"},
      {"/usr/share/opensearch/data", "OpenSearch's data files"},
      {"/var/lib/cassandra", "Cassandra's data files"},
      {"/var/lib/clickhouse", "ClickHouse's data files"},
      {"/var/lib/influxdb", "InfluxDB's data files"},
      {"/var/lib/influxdb2", "InfluxDB's data files"},
      {"/var/lib/couchdb", "CouchDB's data files"},
  }};
  if (path.size() > 4096) return std::nullopt;
  std::string lower = to_lower_ascii(path);
  while (lower.size() > 1 && lower.back() == '/') lower.pop_back();
  for (const ServerFolder& server : kServerFolders) {
    std::string_view folder = server.folder;
    if (lower == folder || (lower.size() > folder.size() && lower.starts_with(folder) && lower[folder.size()] == '/'))
      return StatePath{StateKind::Database, server.what};
  }
  return std::nullopt;
}

}  // namespace shiftlint::detect
