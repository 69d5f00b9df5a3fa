#pragma once
// Work a container should not do every time it starts: database migrations, and builds or
// dependency installs that belong in the image. Recognised from one command line:
//
//   rails db:migrate · python manage.py migrate · php artisan migrate · alembic upgrade head ·
//   flyway migrate · knex migrate:latest · prisma migrate deploy · goose up · migrate -path db up
//   rake assets:precompile · npm run build · yarn install · composer install · bundle install ·
//   webpack · manage.py collectstatic · pip install · mix deps.get · apt-get install ...
//
// Model-independent: DKR007/DKR008 pass the commands of CMD, ENTRYPOINT and entrypoint scripts,
// K8S007/K8S008 a pod's command and args. The caller strips the wrappers that do not change the
// program (exec, sudo, env, gosu, `bundle exec`: shell::effective_command) and splits shell
// strings; this file handles the launchers that name the real tool in their arguments
// (`npx knex`, `python -m pip`, `php artisan`, `yarn run`).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::detect {

enum class StartupWorkKind : uint8_t {
  Migration,          // changes the database schema
  Build,              // compiles assets or the application
  DependencyInstall,  // installs libraries or OS packages
};

struct StartupWork {
  StartupWorkKind kind = StartupWorkKind::Migration;
  // How users name it: "rails db:migrate", "python manage.py collectstatic", "npm run build".
  std::string description;
  // The word that says what is done (the task, subcommand or script name), an index in `words`.
  size_t word = 0;
};

// What one command does at start, in argument order (`rake db:migrate assets:precompile` is two).
// `words[0]` is the program as written (a path is fine: `bin/rails`, `/usr/local/bin/composer`).
std::vector<StartupWork> detect_startup_work(std::span<const std::string_view> words);
std::vector<StartupWork> detect_startup_work(const std::vector<std::string>& words);

// "migration", "build", "dependency install": for messages.
std::string_view startup_work_kind_name(StartupWorkKind kind);

}  // namespace shiftlint::detect
