#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/detect/startup_work.h"

using namespace shiftlint::detect;

namespace {

// "migration: rails db:migrate @1; build: ..." for a command line split at spaces.
std::string detect(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream stream(line);
  for (std::string word; stream >> word;) words.push_back(word);
  std::string result;
  for (const StartupWork& work : detect_startup_work(words)) {
    if (!result.empty()) result += "; ";
    result += std::string(startup_work_kind_name(work.kind)) + ": " + work.description + " @" + std::to_string(work.word);
  }
  return result;
}

}  // namespace

TEST_CASE("startup work: migrations of the common frameworks") {
  CHECK(detect("rails db:migrate") == "migration: rails db:migrate @1");
  CHECK(detect("bin/rails db:prepare") == "migration: rails db:prepare @1");
  CHECK(detect("rake db:migrate:primary") == "migration: rake db:migrate:primary @1");
  CHECK(detect("python manage.py migrate --noinput") == "migration: python manage.py migrate @2");
  CHECK(detect("python3.11 /app/manage.py migrate") == "migration: python manage.py migrate @2");
  CHECK(detect("./manage.py migrate") == "migration: manage.py migrate @1");
  CHECK(detect("django-admin migrate") == "migration: django-admin migrate @1");
  CHECK(detect("php artisan migrate --force") == "migration: php artisan migrate @2");
  CHECK(detect("php8.2 artisan migrate:fresh --seed") == "migration: php artisan migrate:fresh @2");
  CHECK(detect("php bin/console doctrine:migrations:migrate -n") ==
        "migration: php bin/console doctrine:migrations:migrate @2");
  CHECK(detect("alembic -c /app/alembic.ini upgrade head") == "migration: alembic upgrade @3");
  CHECK(detect("python -m alembic upgrade head") == "migration: alembic upgrade @3");
  CHECK(detect("flask db upgrade") == "migration: flask db upgrade @2");
  CHECK(detect("flyway -url=jdbc:postgresql://db/app migrate") == "migration: flyway migrate @2");
  CHECK(detect("npx knex migrate:latest") == "migration: knex migrate:latest @2");
  CHECK(detect("npx sequelize-cli db:migrate") == "migration: sequelize-cli db:migrate @2");
  CHECK(detect("npx prisma migrate deploy") == "migration: prisma migrate deploy @3");
  CHECK(detect("goose -dir db/migrations postgres postgres://app:secret@db/app up") == "migration: goose up @5");
  CHECK(detect("migrate -path /migrations -database postgres://db up") == "migration: migrate up @5");
  CHECK(detect("dbmate up") == "migration: dbmate up @1");
  CHECK(detect("mix ecto.migrate") == "migration: mix ecto.migrate @1");
  CHECK(detect("npm run migrate") == "migration: npm run migrate @2");
  CHECK(detect("yarn db:migrate") == "migration: yarn db:migrate @1");
  CHECK(detect("typeorm migration:run -d dist/data-source.js") == "migration: typeorm migration:run @1");
  CHECK(detect("airflow db migrate") == "migration: airflow db migrate @2");
  CHECK(detect("php $MAUTIC_CONSOLE doctrine:migrations:migrate -n") ==
        "migration: php $MAUTIC_CONSOLE doctrine:migrations:migrate @2");
  CHECK(detect("php $APP_SCRIPT serve").empty());
  CHECK(detect("airflow initdb") == "migration: airflow initdb @1");
  CHECK(detect("airflow upgradedb") == "migration: airflow upgradedb @1");
  CHECK(detect("airflow webserver").empty());
  CHECK(detect("liquibase --changelog-file=changelog.xml update") == "migration: liquibase update @2");
  CHECK(detect("bin/gmg dbupdate") == "migration: gmg dbupdate @1");
  CHECK(detect("occ upgrade") == "migration: occ upgrade @1");
  CHECK(detect("php /var/www/html/occ upgrade --no-interaction") == "migration: php occ upgrade @2");
  // PHP applications' own schema upgrades.
  CHECK(detect("php yii migrate/up --includeModuleMigrations=1 --interactive=0") == "migration: php yii migrate/up @2");
  CHECK(detect("./yii migrate --interactive=0") == "migration: yii migrate @1");
  CHECK(detect("/usr/share/php/passbolt/bin/cake passbolt migrate --no-clear-cache") ==
        "migration: cake passbolt migrate @2");
  CHECK(detect("bin/cake migrations migrate") == "migration: cake migrations migrate @2");
  CHECK(detect("php /var/www/matomo/console core:update --yes") == "migration: php console core:update @2");
  CHECK(detect("php application/commands/console.php updatedb") == "migration: php console.php updatedb @2");
  CHECK(detect("php /var/www/update.php --update-schema=force-yes") == "migration: php update.php --update-schema @2");
  CHECK(detect("bin/initdb.sh --dir=/var/www/html/SQL --update") == "migration: initdb.sh --update @0");
  CHECK(detect("/elabftw/bin/console db:update") == "migration: bin/console db:update @1");
  CHECK(detect("weblate migrate --noinput") == "migration: weblate migrate @1");
}

TEST_CASE("startup work: builds and dependency installs") {
  CHECK(detect("rake assets:precompile") == "build: rake assets:precompile @1");
  CHECK(detect("rails assets:precompile db:migrate") ==
        "build: rails assets:precompile @1; migration: rails db:migrate @2");
  CHECK(detect("npm run build") == "build: npm run build @2");
  CHECK(detect("npm run build:prod") == "build: npm run build:prod @2");
  CHECK(detect("yarn build") == "build: yarn build @1");
  CHECK(detect("pnpm run build") == "build: pnpm run build @2");
  CHECK(detect("npm ci --omit=dev") == "dependency install: npm ci @1");
  CHECK(detect("npm install") == "dependency install: npm install @1");
  CHECK(detect("yarn") == "dependency install: yarn install @0");
  CHECK(detect("yarn install --frozen-lockfile") == "dependency install: yarn install @1");
  CHECK(detect("composer install --no-dev --optimize-autoloader") == "dependency install: composer install @1");
  CHECK(detect("php composer.phar install") == "dependency install: composer install @2");
  CHECK(detect("bundle install --jobs 4") == "dependency install: bundle install @1");
  CHECK(detect("bundle") == "dependency install: bundle install @0");
  CHECK(detect("bundle exec rake assets:precompile") == "build: rake assets:precompile @3");
  CHECK(detect("webpack --mode production") == "build: webpack @0");
  CHECK(detect("npx webpack --config webpack.prod.js") == "build: webpack @1");
  CHECK(detect("npx vite build") == "build: vite build @2");
  CHECK(detect("python manage.py collectstatic --noinput") == "build: python manage.py collectstatic @2");
  CHECK(detect("pip install -r requirements.txt") == "dependency install: pip install @1");
  CHECK(detect("python3 -m pip install gunicorn") == "dependency install: python -m pip install @3");
  CHECK(detect("mix deps.get") == "dependency install: mix deps.get @1");
  CHECK(detect("go mod download") == "dependency install: go mod download @2");
  CHECK(detect("./mvnw -q clean package") == "build: mvn package @3");
  CHECK(detect("apt-get install -y curl") == "dependency install: apt-get install @1");
  // A package file installed by itself (plexinc/pms-docker's start), not a query of one.
  CHECK(detect("dpkg -i --force-confold /tmp/plexmediaserver.deb") == "dependency install: dpkg -i @1");
  CHECK(detect("rpm -Uvh /tmp/app.rpm") == "dependency install: rpm -Uvh @1");
  CHECK(detect("rpm -qi app").empty());
  CHECK(detect("dpkg --get-selections plexmediaserver").empty());
  CHECK(detect("apk add --no-cache curl") == "dependency install: apk add @1");
  CHECK(detect("tsc -p tsconfig.build.json") == "build: tsc @0");
}

TEST_CASE("startup work: what starts the app, or only reports, is not startup work") {
  for (const char* line : {"rails server -b 0.0.0.0", "bundle exec puma -C config/puma.rb", "rake db:migrate:status",
                           "python manage.py runserver", "python manage.py migrate --check", "php artisan serve",
                           "php artisan migrate:status", "php artisan queue:work", "npm start", "npm run start",
                           "npm test", "yarn start", "yarn dev", "npm run migrate:status", "npm run migration:create",
                           "webpack serve", "webpack --watch", "tsc --noEmit", "node server.js", "alembic current",
                           "flyway info", "prisma generate", "goose status", "composer dump-autoload",
                           "migrate -path /m -database x version", "npm run build.js", "occ status",
                           "php occ config:system:get installed", "php yii migrate/history", "./yii migrate/create x",
                           "bin/cake migrations status", "php console core:version", "php console.php listusers",
                           "php update.php --daemon", "bin/initdb.sh --dir=SQL", "weblate runserver", ""}) {
    INFO(line);
    CHECK(detect(line).empty());
  }
}

// The detector sends a program away unless its name is in kToolNames (a binary search before the
// chain of comparisons), so a tool added to the chain and not to the table would never be found.
// The table and the chain are read from the source and compared both ways.
TEST_CASE("startup work: every program name the detector compares with is in its table, and no other") {
  std::ifstream file(std::string(SHIFTLINT_SOURCE_DIR) + "/analyzer/detect/startup_work.cpp");
  REQUIRE(file);
  std::string source((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto literals = [](const std::string& text) {
    std::set<std::string> names;
    static const std::regex literal("\"([^\"]*)\"");
    for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) names.insert((*it)[1]);
    return names;
  };
  // The table: the initializer after "kToolNames = {".
  size_t table = source.find("kToolNames = {");
  REQUIRE(table != std::string::npos);
  std::set<std::string> in_table = literals(source.substr(table, source.find("};", table) - table));
  REQUIRE(in_table.size() > 50);

  // The member functions that compare the program's family: command() and migration_tool(), each up
  // to the end of its body (the first line that is only "  }" at the class's indentation).
  std::set<std::string> compared;
  for (const char* signature : {"  void command(size_t program, int depth) {", "  void migration_tool(size_t program,"}) {
    size_t begin = source.find(signature);
    REQUIRE(begin != std::string::npos);
    size_t end = source.find("\n  }\n", begin);
    REQUIRE(end != std::string::npos);
    std::string body = source.substr(begin, end - begin);
    static const std::regex equals("\\bname == \"([^\"]+)\"");
    for (std::sregex_iterator it(body.begin(), body.end(), equals), done; it != done; ++it) compared.insert((*it)[1]);
    static const std::regex any_of("one_of\\(name, \\{([^}]*)\\}\\)");
    for (std::sregex_iterator it(body.begin(), body.end(), any_of), done; it != done; ++it)
      for (const std::string& name : literals((*it)[1])) compared.insert(name);
  }
  REQUIRE(compared.size() > 50);
  for (const std::string& name : compared) {
    INFO("compared with, missing from kToolNames: " << name);
    CHECK(in_table.count(name) == 1);
  }
  for (const std::string& name : in_table) {
    INFO("in kToolNames, compared with nowhere: " << name);
    CHECK(compared.count(name) == 1);
  }
}
