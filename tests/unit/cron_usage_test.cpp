#include <catch2/catch.hpp>

#include <string>

#include "analyzer/detect/cron_usage.h"

using namespace shiftlint::detect;

TEST_CASE("cron_usage: daemon packages by exact name") {
  CHECK(cron_daemon_package("cron") == "cron");
  CHECK(cron_daemon_package("cronie") == "cronie");
  CHECK(cron_daemon_package("dcron") == "dcron");
  CHECK(cron_daemon_package("supercronic") == "supercronic");
  // Names that only sound like cron.
  CHECK_FALSE(cron_daemon_package("cronolog"));
  CHECK_FALSE(cron_daemon_package("cron-apt"));
  CHECK_FALSE(cron_daemon_package("python3-crontab"));
  CHECK_FALSE(cron_daemon_package("croniter"));
  CHECK_FALSE(cron_daemon_package("Cron"));
}

TEST_CASE("cron_usage: programs and services") {
  CHECK(is_cron_program("crond"));
  CHECK(is_cron_program("/usr/sbin/cron"));
  CHECK(is_cron_program("supercronic"));
  CHECK_FALSE(is_cron_program("crontab"));
  CHECK_FALSE(is_cron_program("cronolog"));
  CHECK(is_cron_service("cronie"));
  CHECK_FALSE(is_cron_service("crontab"));
  CHECK(is_supercronic_binary("https://github.com/aptible/supercronic/releases/download/v0.2.29/supercronic-linux-amd64"));
  CHECK(is_supercronic_binary("/usr/local/bin/supercronic"));
  CHECK_FALSE(is_supercronic_binary("/usr/local/bin/supercronic.yml.d"));
}

TEST_CASE("cron_usage: the places cron reads tables from") {
  auto drop_in = cron_path("/etc/cron.d/billing");
  REQUIRE(drop_in);
  CHECK(drop_in->kind == CronPathKind::DropInFolder);
  CHECK(drop_in->place == "/etc/cron.d");
  CHECK(drop_in->has_user_field);
  CHECK(cron_path("/etc/cron.d/")->kind == CronPathKind::DropInFolder);
  CHECK(cron_path("/etc//cron.daily/logrotate")->kind == CronPathKind::PeriodicFolder);
  CHECK(cron_path("/etc/crontab")->kind == CronPathKind::SystemTable);
  CHECK(cron_path("/etc/crontabs/root")->kind == CronPathKind::UserTables);
  CHECK_FALSE(cron_path("/etc/crontabs/root")->has_user_field);
  CHECK(cron_path("/var/spool/cron/crontabs/www-data")->kind == CronPathKind::UserTables);
  // Neighbours, relative paths and unexpanded variables.
  CHECK_FALSE(cron_path("/etc/cron.dx"));
  CHECK_FALSE(cron_path("/etc/crontab.bak"));
  CHECK_FALSE(cron_path("etc/cron.d/x"));
  CHECK_FALSE(cron_path("$CRON_DIR/x"));
  CHECK_FALSE(cron_path("/var/log/cron.log"));
  // Files cron skips in its drop-in folders: set aside, backups, package managers' leftovers.
  for (const char* skipped : {"/etc/cron.d/dovecot-purge.disabled", "/etc/cron.d/billing~", "/etc/cron.d/.placeholder",
                              "/etc/cron.daily/logrotate.dpkg-old", "/etc/cron.d/sysstat.rpmnew", "/etc/cron.d/jobs.bak"}) {
    INFO(skipped);
    CHECK_FALSE(cron_path(skipped));
  }
  CHECK(cron_path("/etc/cron.d/php-sessionclean"));
  CHECK(cron_path("/etc/crontabs/root.bak"));  // not a drop-in folder: judged as written
}

TEST_CASE("cron_usage: crontab entries with and without a user field") {
  std::string system_table =
      "# nightly jobs\n"
      "SHELL=/bin/bash\n"
      "30 2 * * * root cd /app && rake reports:nightly >> /var/log/cron.log 2>&1\n"
      "\n"
      "@hourly www-data /app/bin/sync \t\r\n"
      "0 9 * * mon-fri deploy echo hi%with input\n"
      "not a job line\n";
  auto entries = parse_crontab(system_table, true);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].schedule == "30 2 * * *");
  CHECK(entries[0].user == "root");
  CHECK(entries[0].command == "cd /app && rake reports:nightly >> /var/log/cron.log 2>&1");
  CHECK(system_table.substr(entries[0].command_begin, 6) == "cd /ap");
  CHECK(entries[1].schedule == "@hourly");
  CHECK(entries[1].user == "www-data");
  CHECK(entries[1].command == "/app/bin/sync");  // without the blanks and \r that end the line
  CHECK(entries[2].schedule == "0 9 * * mon-fri");
  CHECK(entries[2].command == "echo hi");  // a '%' starts the job's standard input

  auto user_table = parse_crontab("*/5 * * * * php /app/artisan schedule:run\n", false);
  REQUIRE(user_table.size() == 1);
  CHECK(user_table[0].user.empty());
  CHECK(user_table[0].command == "php /app/artisan schedule:run");

  // A system line without a command is not a job.
  CHECK(parse_crontab("0 * * * * root\n", true).empty());
  CHECK(parse_crontab("0 * * * * a\n0 * * * * b\n0 * * * * c\n", false, 2).size() == 2);
}
