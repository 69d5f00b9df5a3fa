#include <catch2/catch.hpp>

#include <string>

#include "analyzer/detect/state_path.h"

using namespace shiftlint::detect;

namespace {
std::string kind_of(std::string_view path) {
  auto state = classify_state_path(path);
  return state ? std::string(state->what) : "none";
}
}  // namespace

TEST_CASE("state_path: upload folders of common frameworks") {
  CHECK(kind_of("/var/app/current/public/uploads") == "uploaded files");
  CHECK(kind_of("public/uploads/") == "uploaded files");
  CHECK(kind_of("/var/www/html/wp-content/uploads") == "uploaded files");
  CHECK(kind_of("/app/public/system") == "uploaded files");
  CHECK(kind_of("/var/www/html/storage/app/public") == "uploaded files");
  CHECK(kind_of("./storage/app") == "uploaded files");
  CHECK(kind_of("/var/www/html/sites/default/files") == "uploaded files");
  CHECK(kind_of("/var/www/magento/pub/media") == "uploaded files");
  CHECK(kind_of("/vol/web/media") == "uploaded files");
  CHECK(kind_of("/var/www/html/wp-content") == "uploaded files");
  CHECK(kind_of("/var/lib/ghost/content") == "uploaded files");
  CHECK(kind_of("/var/lib/sentry/files") == "uploaded files");
  CHECK(kind_of("/var/lib/ghost") == "none");
  CHECK(kind_of("/srv/files") == "none");
  CHECK(kind_of("/media") == "none");
  CHECK(kind_of("/usr/share/media") == "none");
  CHECK(kind_of("/app/public/assets") == "none");
  CHECK(kind_of("/var/www/html/storage") == "none");
  CHECK(kind_of("storage/framework/cache") == "none");
  // Relative to the WORKDIR: a Django image's `mkdir -p media static`.
  CHECK(kind_of("media") == "uploaded files");
  CHECK(kind_of("./media/") == "uploaded files");
  // Applications under /usr/src and /usr/local (the node and python images' /usr/src/app).
  CHECK(kind_of("/usr/src/app/public/uploads") == "uploaded files");
  CHECK(kind_of("/usr/local/apache2/htdocs/uploads") == "uploaded files");
  CHECK(kind_of("/usr/src/paperless/media") == "uploaded files");
  CHECK(kind_of("/usr/local/share/uploads") == "none");
  CHECK(kind_of("/usr/lib/uploads") == "none");
}

TEST_CASE("state_path: session folders") {
  CHECK(kind_of("/var/lib/php/sessions") == "sessions");
  CHECK(kind_of("/var/lib/php/session") == "sessions");
  CHECK(kind_of("tmp/sessions") == "sessions");
  CHECK(kind_of("/var/www/html/storage/framework/sessions") == "sessions");
  CHECK(kind_of("/etc/pam.d/common-session") == "none");
  CHECK(kind_of("/torrents/session") == "none");
  CHECK(kind_of("/var/lib/php7/session") == "sessions");
  CHECK(kind_of("tmp/pids") == "none");
}

TEST_CASE("state_path: SQLite databases") {
  CHECK(kind_of("/app/db/production.sqlite3") == "a SQLite database");
  CHECK(kind_of("/srv/app/app.sqlite") == "a SQLite database");
  CHECK(kind_of("db/development.db") == "a SQLite database");
  CHECK(kind_of("/data/app.db") == "a SQLite database");
  CHECK(kind_of("/etc/aliases.db") == "none");
  CHECK(kind_of("/app/cache.db") == "none");
}

TEST_CASE("state_path: data folders of the app, not of system services") {
  CHECK(kind_of("/data") == "application data");
  CHECK(kind_of("/app/data") == "application data");
  CHECK(kind_of("/var/www/data") == "application data");
  CHECK(kind_of("/var/lib/postgresql/data") == "none");
  CHECK(kind_of("/var/lib/mysql") == "none");
  CHECK(kind_of("/tmp/data") == "none");
  // Where a VM mounted its extra disk: ownCloud's VOLUME /mnt/data.
  CHECK(kind_of("/mnt/data") == "application data");
  CHECK(kind_of("/mnt/efs/app/data") == "application data");
  CHECK(kind_of("/mnt") == "none");
  CHECK(kind_of("/mnt/cache") == "none");
  CHECK(kind_of("/media/data") == "none");
  CHECK(kind_of("/usr/share/data") == "none");
  CHECK(kind_of("/usr/src/paperless/data") == "application data");
  CHECK(kind_of("/usr/local/lib/data") == "none");
  CHECK(kind_of("/usr/local/share/data") == "none");
  CHECK(kind_of("/usr/src") == "none");
  CHECK(kind_of("/app/data/seed.csv") == "none");
  CHECK(kind_of("/var/log/app") == "none");
  CHECK(kind_of("") == "none");
  CHECK(kind_of("/") == "none");
}
