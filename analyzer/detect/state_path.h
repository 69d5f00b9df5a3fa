#pragma once
// Paths where an application keeps state on its own disk: uploaded files (`public/uploads`,
// `storage/app`, `wp-content/uploads`, `sites/default/files`), sessions (`/var/lib/php/sessions`,
// `tmp/sessions`, `storage/framework/sessions`), SQLite databases (`db/production.sqlite3`,
// `data/app.db`) and data folders (`/data`, `/app/data`).
//
// On a VM that disk outlived every deploy and there was one of it; in a container it is gone with
// the task and each replica has its own. Shared by DKR009 (VOLUME, mkdir, chown in a Dockerfile),
// K8S004 (emptyDir/hostPath mounts) and EB006 (files and commands on the instance).
#include <cstdint>
#include <optional>
#include <string_view>

namespace shiftlint::detect {

enum class StateKind : uint8_t {
  Uploads,   // files users upload
  Sessions,  // session files
  Sqlite,    // a SQLite database file (or its folder)
  Data,      // a data folder: state by its name only, so a weaker sign than the others
  Database,  // a database server's own data folder (database_server_folder)
};

struct StatePath {
  StateKind kind = StateKind::Uploads;
  std::string_view what;  // "uploaded files", "sessions", "a SQLite database", "application data"
};

// What `path` holds, judged by its components (absolute or relative, case-insensitive); nullopt
// for anything else. Nothing under /usr, /etc, /proc, /sys, /lib, /bin... counts, but for the
// applications in /usr/src/<app> and /usr/local/<app>. A folder merely
// named `data` counts outside /var/lib, /var/cache, /var/log, /tmp, /run and /mnt only: a database
// server's own /var/lib/postgresql/data is that server's business, not the app's.
std::optional<StatePath> classify_state_path(std::string_view path);

// A database server's data folder in the official and Bitnami images, or a folder inside one:
// /var/lib/postgresql/data, /var/lib/mysql, /data/db (MongoDB), /bitnami/redis... `what` names the
// server ("PostgreSQL's data files"). Not part of classify_state_path: an image that declares
// VOLUME /var/lib/mysql is the database's own, but a pod that mounts an emptyDir there runs a
// database whose files go with the pod (K8S004). etcd's is left out: kubeadm's static etcd pod
// keeps it on a hostPath on purpose.
std::optional<StatePath> database_server_folder(std::string_view path);

}  // namespace shiftlint::detect
