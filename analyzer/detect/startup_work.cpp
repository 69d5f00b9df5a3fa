#include "analyzer/detect/startup_work.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>

#include "analyzer/detect/worker_process.h"

namespace shiftlint::detect {

namespace {

using Kind = StartupWorkKind;

// Launchers that hand over to the tool named after them nest only so deep (`npx yarn run ...`).
constexpr int kMaxLauncherDepth = 4;


bool is_digits_and_dots(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// `python3.11` → `python`, `pip3` → `pip`, `php8.2` → `php`, `./mvnw` → `mvn`, `gradlew` → `gradle`.
std::string_view program_family(std::string_view word) {
  std::string_view name = program_basename(word);
  static constexpr std::array<std::string_view, 3> kVersioned = {"python", "pip", "php"};  // no strlen per call
  for (std::string_view family : kVersioned)
    if (name.size() > family.size() && name.substr(0, family.size()) == family &&
        is_digits_and_dots(name.substr(family.size())))
      return family;
  if (name == "mvnw") return "mvn";
  if (name == "gradlew") return "gradle";
  return name;
}

bool one_of(std::string_view text, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), text) != options.end();
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Every name Detector::command and migration_tool compare the program's family with, sorted (the
// compiler checks the order). Most commands an image starts (nginx, java, its entrypoint script)
// are none of them: one binary search sends them away before the chain of some ninety comparisons.
// A tool added to the chain must be added here too.
constexpr std::array<std::string_view, 89> kToolNames = {
    "airflow", "alembic", "apk", "apt", "apt-get", "artisan", "astro", "atlas", "bun", "bundle", "bunx",
    "cake", "cargo", "composer", "composer.phar", "conda", "console", "db-migrate", "dbmate", "diesel",
    "django-admin", "dnf", "dotnet", "dpkg", "esbuild", "flask", "flyway", "gatsby", "gem", "gmg", "go", "goose",
    "gradle", "grunt", "gulp", "hanami", "initdb.sh", "knex", "liquibase", "lnms", "mamba", "manage.py",
    "microdnf", "micromamba", "migrate", "mix", "mvn", "next", "ng", "node-pg-migrate", "npm", "npx", "nuxi",
    "nuxt", "occ", "parcel", "php", "pip", "pipenv", "pnpm", "pnpx", "poetry", "prisma", "python", "rails",
    "rake", "react-scripts", "remix", "ridgepole", "rpm", "sequelize", "sequelize-cli", "sqitch", "sqlx", "superset",
    "svelte-kit", "tdnf", "tsc", "uv", "vite", "vue-cli-service", "weblate", "webpack", "webpack-cli", "yarn",
    "yii", "yiic", "yum", "zypper"};
static_assert(std::is_sorted(kToolNames.begin(), kToolNames.end()));

// Searched shortest first: most probes are told apart by length alone, without a memcmp.
constexpr bool shorter_first(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}
constexpr auto kToolNamesByLength = [] {
  std::array<std::string_view, kToolNames.size()> names = kToolNames;
  std::sort(names.begin(), names.end(), shorter_first);
  return names;
}();

bool is_tool_name(std::string_view name) {
  return std::binary_search(kToolNamesByLength.begin(), kToolNamesByLength.end(), name, shorter_first) ||
         starts_with(name, "typeorm");
}

class Detector {
 public:
  explicit Detector(std::span<const std::string_view> words) : words_(words) {}

  std::vector<StartupWork> run() {
    if (!words_.empty()) command(0, 0);
    return std::move(found_);
  }

 private:
  std::string_view word(size_t index) const { return index < words_.size() ? words_[index] : std::string_view(); }
  bool is_option(size_t index) const { return starts_with(word(index), "-") && word(index) != "-"; }

  // Indices of the words after `from` that are not options (`--` ends options).
  std::vector<size_t> operands(size_t from) const {
    std::vector<size_t> result;
    bool options_done = false;
    for (size_t index = from + 1; index < words_.size(); ++index) {
      if (!options_done && word(index) == "--") {
        options_done = true;
        continue;
      }
      if (options_done || !is_option(index)) result.push_back(index);
    }
    return result;
  }
  // operands(from).front(), without listing the others: every command asks it of its program.
  std::optional<size_t> first_operand(size_t from) const {
    for (size_t index = from + 1; index < words_.size(); ++index) {
      if (word(index) == "--") return index + 1 < words_.size() ? std::optional<size_t>(index + 1) : std::nullopt;
      if (!is_option(index)) return index;
    }
    return std::nullopt;
  }
  bool has_word(size_t from, std::initializer_list<std::string_view> options) const {
    for (size_t index = from + 1; index < words_.size(); ++index)
      if (one_of(word(index), options)) return true;
    return false;
  }

  // "npm run build": the tool's name, the subcommand word before `at` when it leads to it (`run`,
  // `migrate` in `prisma migrate deploy`), and `at`. Other words stay out: they may hold a DSN
  // with a password (`goose postgres "user:secret@db" up`).
  void add(Kind kind, size_t program, size_t at, std::string_view name) {
    std::string text(name);
    std::optional<size_t> sub = first_operand(program);
    if (sub && *sub + 1 == at && one_of(word(*sub), {"run", "run-script", "migrate", "migration", "db", "database", "mod"})) {
      text += ' ';
      text += word(*sub);
    }
    if (at != program) {
      text += ' ';
      text += word(at);
    }
    found_.push_back({kind, std::move(text), at});
  }

  void command(size_t program, int depth) {
    if (program >= words_.size() || depth > kMaxLauncherDepth) return;
    std::string_view name = program_family(word(program));
    if (!is_tool_name(name)) return;
    std::optional<size_t> sub = first_operand(program);
    std::string_view subcommand = sub ? word(*sub) : std::string_view();

    if (one_of(name, {"npx", "pnpx", "bunx"})) {
      // `npx -y -p pkg tool args`: the first operand is the tool.
      for (size_t index = program + 1; index < words_.size(); ++index) {
        if (one_of(word(index), {"-p", "--package", "-c", "--call"})) {
          ++index;
          continue;
        }
        if (!is_option(index)) return command(index, depth + 1);
      }
      return;
    }
    if (name == "npm") return package_script_runner(program, sub, depth, {"install", "i", "ci", "add", "in", "isntall"}, "npm");
    if (name == "pnpm") return package_script_runner(program, sub, depth, {"install", "i", "add"}, "pnpm");
    if (name == "yarn") {
      if (!sub) return add(Kind::DependencyInstall, program, program, "yarn install");
      return package_script_runner(program, sub, depth, {"install", "add"}, "yarn");
    }
    if (name == "bun") {
      if (subcommand == "build") return add(Kind::Build, program, *sub, name);
      return package_script_runner(program, sub, depth, {"install", "i", "add"}, "bun");
    }
    if (name == "rails" || name == "rake") return rake_tasks(program, name);
    if (name == "bundle") {
      if (!sub) return add(Kind::DependencyInstall, program, program, "bundle install");
      if (subcommand == "install") return add(Kind::DependencyInstall, program, *sub, name);
      if (subcommand == "exec") return command(*sub + 1, depth + 1);
      return;
    }
    if (name == "gem" && subcommand == "install") return add(Kind::DependencyInstall, program, *sub, name);
    if (name == "composer" || name == "composer.phar") {
      if (one_of(subcommand, {"install", "update", "i", "u", "require"}))
        add(Kind::DependencyInstall, program, *sub, "composer");
      return;
    }
    if (name == "php") {
      if (!sub) return;
      std::string_view script = program_basename(subcommand);
      if (script == "artisan") return artisan(program, *sub);
      if (script == "occ") return nextcloud_occ(program, *sub);
      if (script == "console" && contains(subcommand, "bin/")) return symfony_console(program, *sub);
      if (script == "console") return matomo_console(program, *sub);
      if (script == "yii" || script == "yiic") return yii(program, *sub);
      if (script == "cake") return cake(program, *sub);
      // LimeSurvey's `php application/commands/console.php updatedb`.
      if (script == "console.php") {
        std::optional<size_t> next = first_operand(*sub);
        if (next && word(*next) == "updatedb")
          found_.push_back({Kind::Migration, describe_launcher(program, *sub) + " updatedb", *next});
        return;
      }
      // Tiny Tiny RSS's `php update.php --update-schema=force-yes`.
      if (script == "update.php") {
        for (size_t index = *sub + 1; index < words_.size(); ++index)
          if (starts_with(word(index), "--update-schema"))
            return found_.push_back({Kind::Migration, describe_launcher(program, *sub) + " --update-schema", index});
        return;
      }
      // `php $MAUTIC_CONSOLE doctrine:migrations:migrate`: a console named by a variable is read by
      // its command, which only a Symfony console has (doctrine:..., assets:install).
      if (starts_with(subcommand, "$")) return symfony_console(program, *sub);
      if (script == "composer" || script == "composer.phar") return command(*sub, depth + 1);
      return;
    }
    // LibreNMS's `lnms` is its Laravel console under another name (`lnms migrate`).
    if (name == "artisan" || name == "lnms") return artisan(program, program);
    if (name == "occ") return nextcloud_occ(program, program);
    if (name == "console" && contains(word(program), "bin/")) return symfony_console(program, program);
    if (name == "console") return matomo_console(program, program);
    if (name == "yii" || name == "yiic") return yii(program, program);
    if (name == "cake") return cake(program, program);
    if (name == "weblate") return django(program, program);  // Weblate's manage.py under its own name
    // Roundcube's `bin/initdb.sh --dir=SQL --update` brings an existing schema up to the code's.
    if (name == "initdb.sh") {
      if (has_word(program, {"--update"})) found_.push_back({Kind::Migration, "initdb.sh --update", program});
      return;
    }
    if (name == "python") {
      for (size_t index = program + 1; index < words_.size(); ++index) {
        if (word(index) == "-m" && index + 1 < words_.size()) return python_module(program, index + 1, depth);
        if (!is_option(index)) {
          if (program_basename(word(index)) == "manage.py") return django(program, index);
          return;
        }
      }
      return;
    }
    if (name == "manage.py" || name == "django-admin") return django(program, program);
    if (name == "pip") {
      if (subcommand == "install") add(Kind::DependencyInstall, program, *sub, name);
      return;
    }
    if (name == "uv") {
      if (subcommand == "sync") return add(Kind::DependencyInstall, program, *sub, name);
      if (subcommand == "pip") return command(*sub, depth + 1);
      return;
    }
    if (name == "poetry" && subcommand == "install") return add(Kind::DependencyInstall, program, *sub, name);
    if (name == "pipenv" && one_of(subcommand, {"install", "sync"})) return add(Kind::DependencyInstall, program, *sub, name);
    if (one_of(name, {"conda", "mamba", "micromamba"}) && one_of(subcommand, {"install", "create"}))
      return add(Kind::DependencyInstall, program, *sub, name);
    if (name == "mix") return mix_tasks(program);
    if (name == "go") {
      if (one_of(subcommand, {"build", "install"})) return add(Kind::Build, program, *sub, name);
      if (subcommand == "get") return add(Kind::DependencyInstall, program, *sub, name);
      if (subcommand == "mod" && word(*sub + 1) == "download") return add(Kind::DependencyInstall, program, *sub + 1, name);
      return;
    }
    if (name == "mvn") {
      for (size_t index : operands(program))
        if (one_of(word(index), {"package", "install", "compile", "verify"})) return add(Kind::Build, program, index, name);
      return;
    }
    if (name == "gradle") {
      for (size_t index : operands(program))
        if (one_of(word(index), {"build", "assemble", "bootJar", "installDist", "shadowJar"}))
          return add(Kind::Build, program, index, name);
      return;
    }
    if (name == "cargo" && one_of(subcommand, {"build", "install"})) return add(Kind::Build, program, *sub, name);
    if (name == "dotnet") {
      if (one_of(subcommand, {"build", "publish"})) return add(Kind::Build, program, *sub, name);
      if (subcommand == "restore") return add(Kind::DependencyInstall, program, *sub, name);
      return;
    }
    if (name == "webpack" || name == "webpack-cli") {
      // `webpack serve` and `--watch` are development servers, not a build step gone astray.
      if (one_of(subcommand, {"serve", "watch"}) || has_word(program, {"--watch", "-w"})) return;
      return add(Kind::Build, program, program, name);
    }
    if (one_of(name, {"vite", "next", "nuxt", "nuxi", "ng", "gatsby", "react-scripts", "vue-cli-service", "astro",
                      "parcel", "gulp", "grunt", "remix", "svelte-kit"})) {
      if (subcommand == "build") add(Kind::Build, program, *sub, name);
      return;
    }
    if (name == "tsc") {
      if (!has_word(program, {"--watch", "-w", "--noEmit", "--version", "-v", "--help", "-h"}))
        add(Kind::Build, program, program, name);
      return;
    }
    if (name == "esbuild") {
      if (has_word(program, {"--bundle"}) && !has_word(program, {"--watch", "--serve"}))
        add(Kind::Build, program, program, name);
      return;
    }
    if (one_of(name, {"apt-get", "apt"}) && subcommand == "install")
      return add(Kind::DependencyInstall, program, *sub, name);
    if (name == "apk" && subcommand == "add") return add(Kind::DependencyInstall, program, *sub, name);
    if (one_of(name, {"yum", "dnf", "microdnf", "tdnf"}) && subcommand == "install")
      return add(Kind::DependencyInstall, program, *sub, name);
    if (name == "zypper" && one_of(subcommand, {"install", "in"})) return add(Kind::DependencyInstall, program, *sub, name);
    // A package file installed by itself: `dpkg -i /tmp/app.deb` (plexinc/pms-docker installs Plex
    // so at every start), `rpm -Uvh app.rpm`.
    if (name == "dpkg" || name == "rpm") {
      for (size_t index = program + 1; index < words_.size(); ++index) {
        std::string_view option = word(index);
        bool installs = name == "dpkg" ? option == "-i" || option == "--install"
                                       : option == "--install" || option == "--upgrade" || option == "--freshen" ||
                                             // the mode is the first letter: `-ivh`, `-Uvh`, not `-qi`
                                             (option.size() > 1 && option[0] == '-' &&
                                              (option[1] == 'i' || option[1] == 'U' || option[1] == 'F'));
        if (installs) return add(Kind::DependencyInstall, program, index, name);
      }
      return;
    }
    migration_tool(program, name, sub);
  }

  // npm/yarn/pnpm/bun: an install subcommand, or a package.json script (`run build`, `yarn build`).
  void package_script_runner(size_t program, std::optional<size_t> sub, int depth,
                             std::initializer_list<std::string_view> installs, std::string_view name) {
    if (!sub) return;
    std::string_view subcommand = word(*sub);
    if (one_of(subcommand, installs)) return add(Kind::DependencyInstall, program, *sub, name);
    if (one_of(subcommand, {"exec", "x", "dlx"})) {
      std::optional<size_t> tool = first_operand(*sub);
      if (tool) command(*tool, depth + 1);
      return;
    }
    size_t script = *sub;
    if (one_of(subcommand, {"run", "run-script"})) {
      std::optional<size_t> named = first_operand(*sub);
      if (!named) return;
      script = *named;
    } else if (name == "npm") {
      return;  // npm runs package.json scripts only through `run` (and start/test, not builds)
    }
    std::string_view script_name = word(script);
    if (is_migration_script(script_name)) return add(Kind::Migration, program, script, name);
    if (is_build_script(script_name)) return add(Kind::Build, program, script, name);
  }

  static bool is_migration_script(std::string_view script) {
    if (!contains(script, "migrat")) return false;
    for (std::string_view harmless : {"status", "create", "generate", "make", "new", "check", "list"})
      if (contains(script, harmless)) return false;
    return true;
  }
  static bool is_build_script(std::string_view script) {
    return one_of(script, {"build", "compile", "prod", "production", "dist", "bundle", "webpack"}) ||
           starts_with(script, "build:") || starts_with(script, "build-") || ends_with(script, ":build") ||
           starts_with(script, "compile:");
  }

  void rake_tasks(size_t program, std::string_view name) {
    for (size_t index = program + 1; index < words_.size(); ++index) {
      std::string_view task = word(index);
      if (task == "db:migrate" || (starts_with(task, "db:migrate:") && task != "db:migrate:status") ||
          one_of(task, {"db:prepare", "db:setup", "db:schema:load", "db:structure:load", "db:reset"})) {
        found_.push_back({Kind::Migration, std::string(name) + " " + std::string(task), index});
      } else if (one_of(task, {"assets:precompile", "webpacker:compile", "shakapacker:compile", "javascript:build",
                               "css:build", "tailwindcss:build", "dartsass:build", "vite:build"})) {
        found_.push_back({Kind::Build, std::string(name) + " " + std::string(task), index});
      }
    }
  }

  void artisan(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    if (!sub) return;
    std::string_view command = word(*sub);
    if ((command == "migrate" || starts_with(command, "migrate:")) &&
        !one_of(command, {"migrate:status", "migrate:install"}))
      found_.push_back({Kind::Migration, describe_launcher(program, script) + " " + std::string(command), *sub});
  }

  // Nextcloud's console: `occ upgrade` brings the database schema and the apps' tables to the
  // installed code's version (the official image's and linuxserver.io's start scripts both run it).
  void nextcloud_occ(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    if (sub && word(*sub) == "upgrade")
      found_.push_back({Kind::Migration, describe_launcher(program, script) + " upgrade", *sub});
  }

  void symfony_console(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    if (!sub) return;
    std::string_view command = word(*sub);
    std::string launcher = describe_launcher(program, script);
    // (`db:update`: elabftw's console.)
    if (one_of(command, {"doctrine:migrations:migrate", "doctrine:schema:update", "d:m:m", "db:update"}))
      found_.push_back({Kind::Migration, launcher + " " + std::string(command), *sub});
    else if (one_of(command, {"assets:install", "asset-map:compile"}))
      found_.push_back({Kind::Build, launcher + " " + std::string(command), *sub});
  }

  // Matomo's `console core:update` upgrades its database schema (the analogue of `occ upgrade`).
  void matomo_console(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    // (Its console is not Symfony's bin/console, which describe_launcher names.)
    std::string launcher = script == program ? "console" : std::string(program_family(word(program))) + " console";
    if (sub && word(*sub) == "core:update") found_.push_back({Kind::Migration, launcher + " core:update", *sub});
  }

  // Yii's `yii migrate` / `yii migrate/up` (HumHub, Craft CMS); `migrate/history`, `migrate/new`,
  // `migrate/create` and `migrate/down` do not bring the schema up.
  void yii(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    if (!sub) return;
    std::string_view command = word(*sub);
    if (command == "migrate" ||
        (starts_with(command, "migrate/") &&
         !one_of(command, {"migrate/history", "migrate/new", "migrate/create", "migrate/down", "migrate/mark"})))
      found_.push_back({Kind::Migration, describe_launcher(program, script) + " " + std::string(command), *sub});
  }

  // CakePHP's `bin/cake migrations migrate`, and a plugin's own (`cake passbolt migrate`).
  void cake(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    if (!sub) return;
    std::optional<size_t> next = first_operand(*sub);
    if (next && word(*next) == "migrate")
      found_.push_back({Kind::Migration, describe_launcher(program, script) + " " + std::string(word(*sub)) + " migrate", *next});
  }

  void django(size_t program, size_t script) {
    std::optional<size_t> sub = first_operand(script);
    if (!sub) return;
    std::string_view command = word(*sub);
    std::string launcher = describe_launcher(program, script);
    if (command == "migrate") {
      // `migrate --check` / `--plan` only report.
      if (!has_word(*sub, {"--check", "--plan", "--list"}))
        found_.push_back({Kind::Migration, launcher + " migrate", *sub});
    } else if (one_of(command, {"collectstatic", "compress", "compilemessages"})) {
      found_.push_back({Kind::Build, launcher + " " + std::string(command), *sub});
    }
  }

  // "python manage.py", "php artisan", "./manage.py".
  std::string describe_launcher(size_t program, size_t script) const {
    std::string text(program_family(word(program)));
    if (script != program) {
      std::string_view name = program_basename(word(script));
      text += ' ';
      text += name == "console" ? std::string_view("bin/console") : name;
    } else if (text == "console") {
      text = "bin/console";
    }
    return text;
  }

  void python_module(size_t program, size_t module, int depth) {
    std::string_view name = word(module);
    if (name == "pip") {
      std::optional<size_t> sub = first_operand(module);
      if (sub && word(*sub) == "install")
        found_.push_back({Kind::DependencyInstall, "python -m pip install", *sub});
      return;
    }
    if (name == "django") return django(program, module);
    if (one_of(name, {"alembic", "flask"})) return command(module, depth + 1);
  }

  void mix_tasks(size_t program) {
    for (size_t index = program + 1; index < words_.size(); ++index) {
      std::string_view task = word(index);
      if (one_of(task, {"ecto.migrate", "ecto.setup", "ecto.reset"}))
        found_.push_back({Kind::Migration, "mix " + std::string(task), index});
      else if (one_of(task, {"deps.get", "deps.compile"}))
        found_.push_back({Kind::DependencyInstall, "mix " + std::string(task), index});
      else if (one_of(task, {"compile", "assets.deploy", "phx.digest", "release"}))
        found_.push_back({Kind::Build, "mix " + std::string(task), index});
    }
  }

  // Tools whose only job is migrating: the subcommand that applies migrations.
  void migration_tool(size_t program, std::string_view name, std::optional<size_t> sub) {
    std::string_view subcommand = sub ? word(*sub) : std::string_view();
    std::string_view next = sub ? word(*sub + 1) : std::string_view();
    auto operand_in = [&](std::initializer_list<std::string_view> wanted) -> std::optional<size_t> {
      for (size_t index : operands(program))
        if (one_of(word(index), wanted)) return index;
      return std::nullopt;
    };
    std::optional<size_t> at;
    if (name == "alembic") at = operand_in({"upgrade"});
    else if (one_of(name, {"flask", "superset"}) && subcommand == "db" && next == "upgrade") at = *sub + 1;
    else if (name == "airflow" && subcommand == "db" && one_of(next, {"upgrade", "migrate", "init", "reset"})) at = *sub + 1;
    // Airflow 1.10's spellings of the same (puckel/docker-airflow's entrypoint runs `airflow initdb`).
    else if (name == "airflow" && one_of(subcommand, {"initdb", "upgradedb", "resetdb"})) at = *sub;
    else if (name == "flyway") at = operand_in({"migrate"});
    else if (name == "liquibase") at = operand_in({"update", "update-count", "updateCount"});
    else if (name == "knex") at = operand_in({"migrate:latest", "migrate:up"});
    else if (one_of(name, {"sequelize", "sequelize-cli"})) at = operand_in({"db:migrate"});
    else if (name == "prisma" && ((subcommand == "migrate" && one_of(next, {"deploy", "dev", "reset"})) ||
                                  (subcommand == "db" && next == "push")))
      at = *sub + 1;
    else if (starts_with(name, "typeorm")) at = operand_in({"migration:run"});
    else if (name == "goose") at = operand_in({"up", "up-by-one", "up-to", "redo"});
    else if (name == "migrate") at = operand_in({"up", "goto"});
    else if (name == "dbmate") at = operand_in({"up", "migrate"});
    else if (name == "diesel" && subcommand == "migration" && next == "run") at = *sub + 1;
    else if (name == "sqlx" && ((subcommand == "migrate" && next == "run") || (subcommand == "database" && next == "setup")))
      at = *sub + 1;
    else if (one_of(name, {"node-pg-migrate", "db-migrate"})) at = operand_in({"up"});
    else if (name == "ridgepole") {
      for (size_t index = program + 1; index < words_.size(); ++index)
        if (one_of(word(index), {"-a", "--apply"})) at = index;
    } else if (name == "hanami" && subcommand == "db" && one_of(next, {"migrate", "prepare"})) at = *sub + 1;
    else if (name == "sqitch") at = operand_in({"deploy"});
    else if (name == "gmg") at = operand_in({"dbupdate"});
    else if (name == "atlas" && one_of(subcommand, {"migrate", "schema"}) && next == "apply") at = *sub + 1;
    if (at) add(Kind::Migration, program, *at, name);
  }

  std::span<const std::string_view> words_;
  std::vector<StartupWork> found_;
};

}  // namespace

std::vector<StartupWork> detect_startup_work(std::span<const std::string_view> words) {
  return Detector(words).run();
}

std::vector<StartupWork> detect_startup_work(const std::vector<std::string>& words) {
  std::vector<std::string_view> views(words.begin(), words.end());
  return detect_startup_work(std::span<const std::string_view>(views));
}

std::string_view startup_work_kind_name(StartupWorkKind kind) {
  switch (kind) {
    case StartupWorkKind::Migration: return "migration";
    case StartupWorkKind::Build: return "build";
    case StartupWorkKind::DependencyInstall: return "dependency install";
  }
  return "";
}

}  // namespace shiftlint::detect
