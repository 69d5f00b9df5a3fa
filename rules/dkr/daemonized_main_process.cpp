#include <algorithm>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/engine/rule.h"
#include "analyzer/parse/nginx_config.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/model/docker/supervisord_config.h"

namespace shiftlint {
namespace {

using dkr::StartupPart;

constexpr std::string_view kUnwatched =
    "runs unwatched: not restarted if it dies while the container looks healthy, and no SIGTERM when the container stops";

bool has_argument(std::span<const std::string_view> words, std::initializer_list<std::string_view> options) {
  return std::any_of(words.begin() + 1, words.end(), [&](std::string_view word) {
    return std::find(options.begin(), options.end(), word) != options.end();
  });
}

// nginx takes its one-letter flags grouped (`nginx -qt`, `-tq`): a group holding one of `letters`.
bool has_nginx_flag_group(std::span<const std::string_view> words, std::string_view letters) {
  return std::any_of(words.begin() + 1, words.end(), [&](std::string_view word) {
    if (word.size() < 3 || word[0] != '-' || word[1] == '-') return false;
    if (word.find_first_not_of("qtTvVh?", 1) != std::string_view::npos) return false;
    return word.find_first_of(letters, 1) != std::string_view::npos;
  });
}

std::optional<std::string_view> value_after(std::span<const std::string_view> words, std::string_view option) {
  for (size_t i = 1; i + 1 < words.size(); ++i)
    if (words[i] == option) return words[i + 1];
  return std::nullopt;
}

std::string_view base_name(std::string_view word) {
  size_t slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

// The copied config at `image_path`, as text; nullopt when the build context does not provide it.
std::optional<docker::ContextText> copied_text(const docker::Dockerfile& dockerfile, std::string_view image_path) {
  if (!dockerfile.build_context) return std::nullopt;
  std::vector<docker::ContextFile> files = dockerfile.build_context->files_copied_to(image_path);
  if (files.empty()) return std::nullopt;
  return dockerfile.build_context->text(files.front());
}

// `daemon off;` at the top of the nginx.conf the image copies in.
bool nginx_config_runs_in_foreground(const docker::Dockerfile& dockerfile, std::string_view config_path) {
  std::optional<docker::ContextText> text = copied_text(dockerfile, config_path);
  if (!text) return false;
  nginx::Config config = nginx::parse_nginx_config(*text->file, text->text);
  for (uint32_t index : config.find("daemon")) {
    const nginx::Directive& directive = config.directives[index];
    if (directive.depth == 0 && !directive.arguments.empty() && directive.arguments[0].value == "off") return true;
  }
  return false;
}

// A RUN of the image (its final stage or a stage it is built FROM) that writes `daemon off;` into
// the config: `echo "daemon off;" >> /etc/nginx/nginx.conf`, `sed -i '1i daemon off;' nginx.conf`,
// `printf 'daemon off;\n' | tee -a /etc/nginx/nginx.conf`. A common way to keep nginx in the
// foreground, as the official image's CMD does with -g.
bool run_writes_daemon_off(const docker::Dockerfile& dockerfile, std::string_view config_path) {
  const docker::Stage* stage = dockerfile.final_stage();
  for (size_t hops = 0; stage && hops <= dockerfile.stages.size(); ++hops) {
    for (const docker::Instruction* instruction : stage->instructions) {
      if (instruction->keyword != "RUN" || !docker::shell_source_may_contain(*instruction, "daemon off")) continue;
      const shell::Script& script = docker::instruction_script(*dockerfile.file, *instruction);
      for (const shell::PathWrite& write : shell::find_path_writes(script)) {
        if (write.method != shell::WriteMethod::Redirection && write.method != shell::WriteMethod::Tee &&
            write.method != shell::WriteMethod::EditInPlace)
          continue;
        if (!write.path || !write.path->is_literal() || write.path->value != config_path) continue;
        // The text written: the writing command's words, or for `echo ... | tee` the command before.
        auto says_daemon_off = [&](uint32_t index) {
          const shell::Command& command = script.commands[index];
          return std::any_of(command.arguments.begin(), command.arguments.end(), [](const shell::Word& word) {
            return word.value.find("daemon off") != std::string::npos;
          });
        };
        if (says_daemon_off(write.command) ||
            (write.method == shell::WriteMethod::Tee && write.command > 0 && says_daemon_off(write.command - 1)))
          return true;
      }
    }
    stage = stage->parent ? &dockerfile.stages[*stage->parent] : nullptr;
  }
  return false;
}

// A php-fpm config line that keeps it in the foreground: `daemonize = no` (also false, off, 0).
bool says_daemonize_no(std::string_view body) {
  size_t line_start = 0;
  while (line_start < body.size()) {
    size_t line_end = body.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = body.size();
    std::string line;
    for (char c : body.substr(line_start, line_end - line_start))
      if (c != ' ' && c != '\t' && c != '\r') line += c;
    line_start = line_end + 1;
    if (line == "daemonize=no" || line == "daemonize=false" || line == "daemonize=off" || line == "daemonize=0")
      return true;
  }
  return false;
}

// The image tells php-fpm not to daemonize: a config it copies in says `daemonize = no` (the file
// given with -y, a php-fpm.conf, or an included file under php-fpm.d/ or pool.d/ with a [global]
// section: the official images' zz-docker.conf, grocy's Alpine /etc/php82/php-fpm.d/zz-docker.conf),
// or a RUN of the image writes it (`sed -i 's/;daemonize = yes/daemonize = no/' php-fpm.conf`).
bool php_fpm_told_to_stay_in_foreground(const docker::Dockerfile& dockerfile, std::optional<std::string_view> given) {
  if (dockerfile.build_context) {
    for (const docker::ContextFile& file : dockerfile.build_context->copied_files()) {
      std::string_view path = file.image_path;
      bool fpm_config = path.ends_with(".conf") && path.find("fpm") != std::string_view::npos;
      if (!fpm_config && !(given && path == *given)) continue;
      std::optional<docker::ContextText> text = dockerfile.build_context->text(file);
      if (text && says_daemonize_no(text->text.text())) return true;
    }
  }
  for (const docker::Stage* stage : docker::final_image_stages(dockerfile)) {
    for (const docker::Instruction* instruction : stage->instructions) {
      if (instruction->keyword != "RUN") continue;
      for (std::string_view written : {"daemonize = no", "daemonize=no", "daemonize = false", "daemonize=false"})
        if (docker::shell_source_may_contain(*instruction, written)) return true;
    }
  }
  return false;
}

// The image installs the distribution's php-fpm whose bare `php-fpm` daemonizes by default: RHEL's,
// Fedora's, Rocky's and Remi's packages (`dnf install php-fpm`, `php81-php-fpm`). The official php
// images' php-fpm (built from source) and Debian's or Alpine's versioned php-fpm8.2 / php-fpm82
// are told apart by their names.
bool installs_rpm_php_fpm(const docker::Dockerfile& dockerfile) {
  return dkr::final_image_installs(dockerfile, [](const dkr::InstalledPackage& package) {
    bool rpm = package.manager == shell::PackageManager::Yum || package.manager == shell::PackageManager::Dnf;
    return rpm && (package.name == "php-fpm" || package.name.ends_with("-php-fpm"));
  });
}

// `needle` in `text` on a line that does not start a comment before it (a `#` after a word, as in
// `sed -i 's/#nodaemon/nodaemon/'`, does not count as one).
bool mentioned_outside_comments(std::string_view text, std::string_view needle) {
  for (size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size())) {
    size_t line = text.rfind('\n', at);
    line = line == std::string_view::npos ? 0 : line + 1;
    size_t first = text.find_first_not_of(" \t", line);
    if (first == at || text[first] != '#') return true;
  }
  return false;
}

class Checker {
 public:
  Checker(const docker::Dockerfile& dockerfile, RuleContext& context)
      : dockerfile_(dockerfile), context_(context), startup_(dkr::image_startup(dockerfile)) {}

  void run() {
    for (const StartupPart& part : startup_.parts) check_services(part);
    for (const dkr::StartupCommand& command : dkr::startup_commands(startup_)) check_daemonizing_server(command);
    for (const StartupPart& part : startup_.parts) {
      check_keep_alive(part);
      check_background_before_main(part);
    }
  }

 private:
  void check_services(const StartupPart& part) {
    for (const shell::ServiceStart& start : shell::find_service_starts(*part.script)) {
      if (start.action == shell::ServiceAction::Enable) continue;
      const shell::Command& command = part.script->commands[start.command];
      if (command.in_command_substitution || !part.runs(command)) continue;
      if (stopped_later(*part.script, start.command, static_cast<uint32_t>(part.script->commands.size()), start.service))
        continue;  // `service mysql start` to load a dump, then `service mysql stop`
      dkr::report_in_part(
          context_, dockerfile_, part, command.span,
          fmt::format("{} starts {} with `{}`, which leaves it as a background daemon that {}; run {} in the "
                      "foreground as the main process of its own container",
                      dkr::part_subject(part), start.service, dkr::command_text(*part.file, command.span), kUnwatched,
                      start.service));
    }
  }

  void check_daemonizing_server(const dkr::StartupCommand& command) {
    std::span<const std::string_view> words(command.words);
    std::string_view name = base_name(words[0]);
    std::string how;
    std::string fix;
    if (name == "nginx") {
      // `nginx -t`, `nginx -s reload`: no server started.
      if (has_argument(words, {"-t", "-T", "-s", "-v", "-V", "-h", "-?"}) || has_nginx_flag_group(words, "tTsvVh?"))
        return;
      std::optional<std::string_view> directives = value_after(words, "-g");
      if (directives && directives->find("daemon off") != std::string_view::npos) return;
      // Without -c: the config compiled in, which depends on the build (distribution packages,
      // the official image, OpenResty, a source build).
      const std::vector<std::string> packaged = {"/etc/nginx/nginx.conf", "/usr/local/openresty/nginx/conf/nginx.conf",
                                                 "/usr/local/nginx/conf/nginx.conf", "/etc/openresty/nginx.conf"};
      std::vector<std::string> configs;
      if (std::optional<std::string_view> given = value_after(words, "-c")) {
        // A config of its own that the build context does not provide (`-p $PREFIX -c nginx.conf`
        // after `kong prepare` renders it, a template filled in at start-up): what it says is not
        // known here, so nothing is reported.
        bool is_packaged = std::find(packaged.begin(), packaged.end(), *given) != packaged.end();
        if (!is_packaged && !copied_text(dockerfile_, *given)) return;
        configs.emplace_back(*given);
      } else {
        configs = packaged;
      }
      for (const std::string& config : configs)
        if (nginx_config_runs_in_foreground(dockerfile_, config) || run_writes_daemon_off(dockerfile_, config)) return;
      how = "nginx without `daemon off`";
      fix = "start it as nginx -g 'daemon off;' (or put `daemon off;` in nginx.conf)";
    } else if (name.substr(0, 7) == "php-fpm") {
      if (has_argument(words, {"-F", "--nodaemonize", "-t", "--test", "-v", "--version", "-i", "--info", "-m"})) return;
      bool daemonize_flag = has_argument(words, {"-D", "--daemonize"});
      if (!daemonize_flag) {
        // The distribution's versioned php-fpm8.2 / php-fpm82, and the bare php-fpm of RHEL's
        // packages, daemonize by default; the official php images' php-fpm is configured with
        // daemonize = no.
        if (name == "php-fpm" && !installs_rpm_php_fpm(dockerfile_)) return;
        std::optional<std::string_view> given = value_after(words, "-y");
        if (!given) given = value_after(words, "--fpm-config");
        if (php_fpm_told_to_stay_in_foreground(dockerfile_, given)) return;
      }
      how = daemonize_flag ? fmt::format("{} with {}", name, has_argument(words, {"-D"}) ? "-D" : "--daemonize")
                           : fmt::format("{} (the distribution's php-fpm daemonizes unless its config says daemonize = no)", name);
      fix = fmt::format("start it as {} --nodaemonize (-F)", name);
    } else if (name == "apachectl" || name == "apache2ctl" || name == "httpd" || name == "apache2") {
      std::optional<std::string_view> signal = value_after(words, "-k");
      bool starts = (signal && (*signal == "start" || *signal == "restart" || *signal == "graceful")) ||
                    ((name == "apachectl" || name == "apache2ctl") &&
                     has_argument(words, {"start", "restart", "graceful"}));
      // `-DFOREGROUND` keeps httpd attached whatever the -k action (fauria/docker-lamp's
      // `apachectl -DFOREGROUND -k start`).
      bool foreground = has_argument(words, {"-DFOREGROUND"});
      for (size_t i = 1; i + 1 < words.size(); ++i) foreground = foreground || (words[i] == "-D" && words[i + 1] == "FOREGROUND");
      if (!starts || foreground) return;
      how = fmt::format("Apache with `{} {}`", name, signal ? fmt::format("-k {}", *signal) : std::string("start"));
      fix = "start it in the foreground: apachectl -D FOREGROUND (or httpd -DFOREGROUND)";
    } else if (name == "gunicorn" || name == "uwsgi") {
      // Python app servers stay in the foreground unless told to detach (nominatim-docker's
      // `gunicorn --daemon`); uWSGI's --daemonize takes the log file it then writes to.
      bool detaches = name == "gunicorn" ? has_argument(words, {"-D", "--daemon"})
                                         : std::any_of(words.begin() + 1, words.end(), [](std::string_view word) {
                                             return word == "--daemonize" || word == "--daemonize2" ||
                                                    word.starts_with("--daemonize=") || word.starts_with("--daemonize2=");
                                           });
      if (!detaches) return;
      how = fmt::format("{} with {}", name, name == "gunicorn" ? (has_argument(words, {"-D"}) ? "-D" : "--daemon")
                                                               : "--daemonize");
      fix = fmt::format("drop {} so that it stays in the foreground", name == "gunicorn" ? "--daemon" : "--daemonize");
    } else if (name == "postfix") {
      // `postfix start` starts the master daemon and returns; `postfix start-fg` (Postfix 3.3 and
      // later) keeps it attached.
      if (words.size() < 2 || words[1] != "start") return;
      how = "Postfix with `postfix start`";
      fix = "start it as postfix start-fg";
    } else if (name == "redis-server") {
      std::optional<std::string_view> daemonize = value_after(words, "--daemonize");
      if (!daemonize || *daemonize != "yes") return;
      how = "redis-server with --daemonize yes";
      fix = "drop --daemonize yes so that it stays in the foreground";
    } else if (name == "memcached") {
      if (!has_argument(words, {"-d", "--daemon"})) return;
      how = fmt::format("memcached with {}", has_argument(words, {"-d"}) ? "-d" : "--daemon");
      fix = "drop -d so that it stays in the foreground";
    } else if (name == "supervisord") {
      if (has_argument(words, {"-n", "--nodaemon", "-v", "--version", "-h", "--help"})) return;
      if (!supervisord_config_daemonizes(words)) return;
      how = "supervisord without -n (its config does not set nodaemon=true)";
      fix = "start it as supervisord -n (or set nodaemon=true in its [supervisord] section)";
    } else {
      return;
    }
    // The last thing CMD/ENTRYPOINT (or its `sh -c` string, or the script) runs.
    const shell::Command& run = *command.command;
    bool last = run.ends_script && !run.background && !run.in_condition && !run.in_function() &&
                !run.in_command_substitution;
    // Started for a moment and stopped again (Apache for certbot's webroot challenge, then `httpd
    // -k stop`): not the container's server.
    std::string_view service = name == "apachectl" || name == "apache2ctl" ? std::string_view("apache2") : name;
    if (!last && command.part->script &&
        stopped_later(*command.part->script, command.index,
                      static_cast<uint32_t>(command.part->script->commands.size()), service))
      return;
    std::string message =
        last ? fmt::format("{} ends by starting {}: it forks into the background and returns at once, so the "
                           "container's main process exits and the container stops; {}",
                           dkr::part_subject(*command.part), how, fix)
             : fmt::format("{} starts {}: it forks into the background, where it {}; {}", dkr::part_subject(*command.part),
                           how, kUnwatched, fix);
    dkr::report_in_part(context_, dockerfile_, *command.part, command.command->span, std::move(message));
  }

  // supervisord forks into the background unless `nodaemon=true` in the [supervisord] section of the
  // files it reads (linkding's `supervisord -c supervisord-tasks.conf` before `exec uwsgi`). Only
  // when that section is in a file the image copies in, and neither a RUN of the image nor a start-up
  // script edits the setting (`sed -i 's/nodaemon=false/nodaemon=true/'`): otherwise what it will
  // say is not known here.
  bool supervisord_config_daemonizes(std::span<const std::string_view> words) const {
    std::optional<std::string> config = dkr::supervisord_config_option(words, startup_.stage);
    bool main_section = false;
    for (const docker::ContextFile& file : dkr::supervisord_config_files(dockerfile_, startup_.stage, config)) {
      std::optional<docker::ContextText> text = dockerfile_.build_context->text(file);
      if (!text) continue;
      for (const dkr::SupervisordSetting& setting : dkr::supervisord_settings(text->text.text())) {
        if (setting.section != "supervisord") continue;
        main_section = true;
        if (setting.key == "nodaemon" && (dkr::supervisord_true(setting.value) || setting.value.starts_with("%(")))
          return false;
      }
    }
    if (!main_section) return false;
    for (const StartupPart& part : startup_.parts)
      if (part.file && mentioned_outside_comments(part.file->text(), "nodaemon")) return false;
    for (const docker::Stage* stage : docker::final_image_stages(dockerfile_))
      for (const docker::Instruction* instruction : stage->instructions)
        if (instruction->keyword == "RUN" && docker::shell_source_may_contain(*instruction, "nodaemon")) return false;
    return true;
  }

  // `app & ... tail -f /dev/null` (or `sleep infinity`, `wait`, `while true; do sleep 60; done`).
  void check_keep_alive(const StartupPart& part) {
    const shell::Script& script = *part.script;
    std::optional<uint32_t> keep_alive;
    std::string keep_alive_text;
    for (uint32_t index : dkr::ending_commands(script)) {
      if (auto text = keep_alive_of(script, index)) {
        keep_alive = index;
        keep_alive_text = *text;
      }
    }
    if (!keep_alive && (keep_alive = wait_loop_at_end(script))) keep_alive_text = "`wait`";
    if (!keep_alive && (keep_alive = wait_before_clean_up(script))) keep_alive_text = "`wait`";
    if (!keep_alive) keep_alive = sleep_loop_at_end(script);
    if (keep_alive && keep_alive_text.empty()) keep_alive_text = "a sleep loop";
    if (!keep_alive) return;
    // A sleep loop's own background job (`tail -f /dev/null & wait ${!}`) is the keep-alive itself.
    uint32_t loop_first = *keep_alive + 1;
    if (keep_alive_text == "a sleep loop")
      for (loop_first = *keep_alive; loop_first > 0 && script.commands[loop_first - 1].in_loop;) --loop_first;
    std::vector<uint32_t> background;
    for (uint32_t index = 0; index < std::min(*keep_alive, loop_first); ++index) {
      const shell::Command& command = script.commands[index];
      if (!command.background || command.in_command_substitution || command.parent != shell::kNoParent) continue;
      // Another branch of an if or case than the keep-alive's does not run before it.
      if (!reaches(script, index, *keep_alive)) continue;
      // In a function, when the script calls it before the keep-alive (ZoneMinder's start_mysql
      // running `mysqld_safe &`).
      if (command.in_function() && !(part.runs(command) && called_before(script, command.function_name, *keep_alive)))
        continue;
      if (stopped_later(script, index, *keep_alive)) continue;  // a temporary server (a dump loaded, then stopped)
      if (is_one_off_command(script, command)) continue;  // `locale-gen &`: done in seconds
      // `audit.sh && app &` is one job: its commands run one after the other, and the last is the
      // one that stays (photoprism's entrypoint).
      if (!background.empty() && command.background_job != shell::kNoParent &&
          script.commands[background.back()].background_job == command.background_job) {
        background.back() = index;
        continue;
      }
      background.push_back(index);
    }
    // (A daemon from `service x start` or bare `nginx` kept alive this way is reported as such.)
    if (background.empty()) return;
    const shell::Command& alive = script.commands[*keep_alive];
    // Several processes: two background commands, or one in a loop (`for q in a b; do worker $q & done`).
    // Alternatives (`if [ cluster ]; then a & else b & fi`) are one process, whichever runs.
    bool alternatives = background.size() > 1;
    for (size_t i = 0; i < background.size() && alternatives; ++i)
      for (size_t j = i + 1; j < background.size() && alternatives; ++j)
        alternatives = !reaches(script, background[i], background[j]);
    bool several = (background.size() > 1 && !alternatives) ||
                   std::any_of(background.begin(), background.end(), [&](uint32_t index) {
                     return script.commands[index].in_loop;
                   });
    // `wait` returns when what it waits for ends, and the script with it: a crash of the one process
    // it waits for (`wait`, `wait $!`) or of any (`wait -n`) stops the container. Only `tail -f`,
    // `sleep infinity`, a sleep loop or a `wait` for all of several processes outlive a crash.
    // (A sleep loop's own `wait $!` waits for its sleep.)
    Waits waits = keep_alive_text == "a sleep loop" ? Waits::Nothing : waits_for(script, *keep_alive);
    bool crash_unnoticed = waits == Waits::Nothing || (waits == Waits::All && several) ||
                           (waits == Waits::Last && background.size() > 1 && !alternatives);
    // (The sleep loop is the script's last commands.)
    bool sleep_in_background = false;
    for (size_t index = script.commands.size(); keep_alive_text == "a sleep loop" && index-- > 0;) {
      if (!script.commands[index].in_loop) break;
      sleep_in_background = sleep_in_background || script.commands[index].background;
    }
    bool trapped = handles_sigterm(script, sleep_in_background);
    if (!crash_unnoticed && trapped) return;  // the shell stops what it waits for, and ends when it ends
    std::string list = alternatives ? listed_commands(part, background, " or ") : listed_processes(part, background);
    bool one = !several;
    // The finding lands on what the keep-alive leaves unwatched: the first background command, or
    // for `wait $!` the last one, which is the process it waits for when nothing else is unwatched.
    uint32_t at = waits == Waits::Last && !crash_unnoticed ? background.back() : background.front();
    std::string message;
    if (!crash_unnoticed) {
      message = fmt::format(
          "{} runs {} in the background (&) and waits for it with {}: the shell is the main process and has no "
          "SIGTERM trap, so the stop signal does not reach {} and it is SIGKILLed when the stop timeout ends, with "
          "no graceful shutdown; run it in the foreground with exec (or trap TERM and pass it on)",
          dkr::part_subject(part), list, keep_alive_text, one ? "it" : "them");
    } else {
      std::string signal =
          trapped ? fmt::format("the shell is the main process: its SIGTERM trap stops {} when the container stops, but",
                                one ? "it" : "them")
          : sleep_in_background && handles_sigterm(script)
              ? fmt::format("the shell is the main process and its SIGTERM trap kills `$!`, the keep-alive loop's own job, so {} "
                            "no SIGTERM when the container stops, and",
                            one ? "it gets" : "they get")
              : fmt::format("the shell is the main process, so {} no SIGTERM when the container stops, and",
                            one ? "it gets" : "they get");
      message = fmt::format(
          "{} runs {} in the background (&) and keeps the container alive with {}: {} if {} the container keeps "
          "running without it; run {} in the foreground with exec, one process per container",
          dkr::part_subject(part), list, keep_alive_text, signal, one ? "it crashes" : "one crashes", one ? "it" : "each");
    }
    Finding& finding = dkr::report_in_part(context_, dockerfile_, part, script.commands[at].span, std::move(message));
    finding.related.push_back({make_location(*part.file, alive.span), "the keep-alive command"});
    kept_alive_ = &part;
    kept_alive_background_ = background;
  }

  // `airflow scheduler &` and then `exec airflow webserver` (or the script's last command run in
  // the foreground): the main process is the last command, and what was sent to the background
  // before it runs beside it unwatched. A script that keeps itself alive instead is
  // check_keep_alive's. Log pumps (`tail -F file &`), cron daemons (DKR002) and short waits are
  // not counted.
  void check_background_before_main(const StartupPart& part) {
    if (!runs_main_process(part)) return;
    const shell::Script& script = *part.script;
    std::vector<uint32_t> reported;
    for (uint32_t main : dkr::ending_commands(script)) {
      const shell::Command& last = script.commands[main];
      if (last.background || last.in_loop || keep_alive_of(script, main)) continue;
      shell::EffectiveCommand main_program = shell::effective_command(script, main);
      if (!main_program.program || is_helper(main_program.program_name()) || is_builtin(main_program.program_name()))
        continue;
      // A function of the script's own (`shutdown` after `wait "$RUNSVDIR"`) is not a program.
      if (std::any_of(script.commands.begin(), script.commands.end(), [&](const shell::Command& command) {
            return command.function_name == main_program.program_name();
          }))
        continue;
      std::vector<uint32_t> background;
      for (uint32_t index = 0; index < main; ++index) {
        const shell::Command& command = script.commands[index];
        if (!command.background || command.in_command_substitution || command.in_process_substitution ||
            command.in_condition || command.in_function() || !part.runs(command))
          continue;
        // The statement of the script that runs it: the command itself, or the `sh -c "worker &"`
        // whose string ends by sending it to the background (bitwarden-lite's `/bin/sh -c
        // "/logrotate.sh loop >/dev/null 2>&1 &"`): that shell returns at once and leaves it running.
        uint32_t statement = index;
        if (command.parent != shell::kNoParent || command.shell_string_depth != 0) {
          if (command.nesting != shell::Nesting::ShellString || command.shell_string_depth != 1) continue;
          statement = command.parent;
          // The string's last command (`sh -c "worker & wait"` waits for it).
          bool last_in_string = true;
          for (uint32_t next = index + 1; next < script.commands.size() && last_in_string; ++next)
            last_in_string = script.commands[next].parent != statement;
          if (!last_in_string) continue;
          const shell::Command& holder = script.commands[statement];
          if (holder.parent != shell::kNoParent || holder.background || holder.in_condition || holder.in_function() ||
              !part.runs(holder))
            continue;
        }
        if (std::find(reported.begin(), reported.end(), index) != reported.end()) continue;
        // What check_keep_alive reported already (the script keeps itself alive in that branch).
        if (kept_alive_ == &part &&
            std::any_of(kept_alive_background_.begin(), kept_alive_background_.end(), [&](uint32_t kept) {
              return kept == index || (command.background_job != shell::kNoParent &&
                                       script.commands[kept].background_job == command.background_job);
            }))
          continue;
        // (`mysqld_safe &` ... `mysqladmin shutdown` as the last command: a set-up server.)
        if (!reaches(script, statement, main) || stopped_later(script, statement, main + 1)) continue;
        // Waited for before the last command (`runsvdir &`, `wait $!`): the keep-alive's business.
        bool waited = false;
        for (uint32_t between = statement + 1; between < main && !waited; ++between)
          waited = script.commands[between].parent == shell::kNoParent && !script.commands[between].in_function() &&
                   reaches(script, statement, between) && waits_for_command(script, statement, between);
        if (waited) continue;
        shell::EffectiveCommand effective = shell::effective_command(script, index);
        if (!effective.program || is_helper(effective.program_name()) || is_one_off_command(script, command)) continue;
        // One job (`migrate && worker &`): its last command is the one left running.
        if (!background.empty() && command.background_job != shell::kNoParent &&
            script.commands[background.back()].background_job == command.background_job) {
          background.back() = index;
          continue;
        }
        background.push_back(index);
      }
      if (background.empty()) continue;
      reported.insert(reported.end(), background.begin(), background.end());
      // Several processes, or one of alternatives (`if [ -x /build/cpu-exec ]; then cpu-exec db &
      // else db & fi`): two that can both run, or one in a loop.
      bool one = true;
      for (size_t i = 0; i < background.size() && one; ++i) {
        if (script.commands[background[i]].in_loop) one = false;
        for (size_t j = i + 1; j < background.size() && one; ++j)
          if (reaches(script, background[i], background[j])) one = false;
      }
      std::string list = listed_commands(part, background, one ? " or " : " and ");
      std::string_view trap = main_program.exec && handles_sigterm(script)
                                  ? " (exec replaces the shell, and its SIGTERM trap with it)"
                                  : "";
      Finding& finding = dkr::report_in_part(
          context_, dockerfile_, part, script.commands[background.front()].span,
          fmt::format("{} runs {} in the background (&) and then `{}` as the main process: the orchestrator only "
                      "watches that one, so if {} the container keeps running without it, and {} no SIGTERM when "
                      "the container stops{}, only the SIGKILL at the end; run {} as its own container (an ECS "
                      "service or task, a Kubernetes Deployment, or a sidecar where it must share localhost)",
                      dkr::part_subject(part), list, dkr::command_text(*part.file, last.span), one ? "it crashes" : "one crashes",
                      one ? "it gets" : "they get", trap, one ? "it" : "each"));
      finding.related.push_back({make_location(*part.file, last.span), "the main process"});
    }
  }

  // The part's last command is the container's main process: it is the ENTRYPOINT or CMD, or a
  // script they (or a script that does) run as their last command. A set-up script the entrypoint
  // calls on its way (`create_mysql_admin_user.sh`, then more) ends before the main process starts,
  // and neither do s6-overlay's cont-init scripts run it.
  bool runs_main_process(const StartupPart& part) const {
    const StartupPart* current = &part;
    for (size_t hops = 0; hops <= startup_.parts.size(); ++hops) {
      if (current->kind != StartupPart::Kind::Script) return true;
      if (current->run_by_init != StartupPart::Init::None || current->runner >= startup_.parts.size()) return false;
      const StartupPart& runner = startup_.parts[current->runner];
      if (current->runner_command >= runner.script->commands.size()) return false;
      const shell::Command& command = runner.script->commands[current->runner_command];
      if (!command.ends_script || command.background || command.in_function()) return false;
      current = &runner;
    }
    return false;
  }

  // Programs sent to the background that are not a second service: a log pump, a short wait, a
  // message, cron (DKR002's).
  static bool is_helper(std::string_view name) {
    for (std::string_view helper : {"tail", "logger", "wait", "cron", "crond", "busybox", "supercronic", "anacron"})
      if (name == helper) return true;
    return is_one_off(name);
  }

  // Programs that do their work and end, sent to the background only so as not to wait for them;
  // also the clients of a server that send it a request and end, sent off to wait until the server
  // is up (CentOS' rabbitmq image: `(sleep 10 && rabbitmqctl add_vhost develop && ...) &`).
  static bool is_one_off(std::string_view name) {
    for (std::string_view one_off : {"sleep", "echo", "printf", "cat", "true", "locale-gen", "update-ca-certificates",
                                     "ldconfig", "chown", "chmod", "chgrp", "cp", "mv", "rm", "mkdir", "ln", "touch",
                                     "find", "sed", "rabbitmqctl", "rabbitmq-plugins", "redis-cli", "mysql",
                                     "mysqladmin", "psql", "pg_isready", "createdb", "createuser", "mongo", "mongosh",
                                     "cqlsh", "curl", "wget"})
      if (name == one_off) return true;
    return false;
  }

  // The command does its work and ends: a one-off program, or a function of the script's own whose
  // every command is one, or a text tool or builtin (dperson/samba's `perms &`, a loop of `chown -R`
  // and `find -exec chmod` over the shares).
  static bool is_one_off_command(const shell::Script& script, const shell::Command& command) {
    std::string_view name = shell::effective_program_name(command);
    if (is_one_off(name)) return true;
    if (name.empty() || command.name.has_expansion) return false;
    bool defined = false;
    for (const shell::Command& inner : script.commands) {
      if (inner.function_name != name) continue;
      defined = true;
      std::string_view program = shell::effective_program_name(inner);
      if (inner.name.empty() || is_one_off(program) || is_builtin(program)) continue;
      bool tool = false;
      for (std::string_view text_tool : {"awk", "grep", "cut", "tr", "sort", "uniq", "head", "wc", "xargs", "which",
                                         "id", "stat", "basename", "dirname", "readlink", "setfacl", "chattr"})
        tool = tool || program == text_tool;
      if (!tool) return false;
    }
    return defined;
  }

  // The `wait` at `at` waits for the background command at `index`: `wait` alone, `wait $!` with
  // no other background command in between, or `wait "$PID"` where `PID=$!` follows that command.
  static bool waits_for_command(const shell::Script& script, uint32_t index, uint32_t at) {
    shell::EffectiveCommand effective = shell::effective_command(script, at);
    if (!effective.program || effective.program_name() != "wait") return false;
    Position after = script.commands[index].span.end;
    Position before = script.commands[at].span.begin;
    for (uint32_t other = index + 1; other < at; ++other)
      if (script.commands[other].background) {
        before = std::min(before, script.commands[other].span.begin);
        break;
      }
    bool operands = false;
    for (const shell::Word& argument : effective.arguments) {
      std::string_view value = argument.value;
      if (value.starts_with('-')) continue;
      operands = true;
      if (value == "$!" || value == "${!}") {
        if (before == script.commands[at].span.begin) return true;
        continue;
      }
      std::string_view name = value;
      if (name.starts_with("${") && name.ends_with('}')) name = name.substr(2, name.size() - 3);
      else if (name.starts_with('$')) name = name.substr(1);
      else continue;
      for (const shell::Assignment& assignment : script.assignments)
        if (assignment.name == name && (assignment.value.value == "$!" || assignment.value.value == "${!}") &&
            assignment.span.begin >= after && assignment.span.begin < before)
          return true;
    }
    return !operands;
  }

  // Shell builtins that end a script without starting a main process (`wait "$pid" && exit $?`).
  static bool is_builtin(std::string_view name) {
    for (std::string_view builtin : {"exit", "return", ":", "false", "trap", "set", "shift", "export", "unset", "cd",
                                     "kill", "test", "[", "[[", "read", "local", "declare", "source", ".", "eval"})
      if (name == builtin) return true;
    return false;
  }

  // The command at `from` may run before the one at `to`: they are not in two branches of one `if`
  // or `case` statement (`then worker &` ... `else exec web`).
  static bool reaches(const shell::Script& script, uint32_t from, uint32_t to) {
    auto if_chain = [&](uint32_t branch) {
      std::vector<uint32_t> chain;
      for (; branch != shell::kNoParent && chain.size() < 64; branch = script.if_branches[branch].enclosing)
        chain.push_back(branch);
      return chain;
    };
    for (uint32_t a : if_chain(script.commands[from].if_branch))
      for (uint32_t b : if_chain(script.commands[to].if_branch))
        if (a != b && script.if_branches[a].first_of_statement == script.if_branches[b].first_of_statement) return false;
    uint32_t a = script.commands[from].case_branch;
    uint32_t b = script.commands[to].case_branch;
    if (a != shell::kNoParent && b != shell::kNoParent && a != b &&
        script.case_branches[a].first_of_statement == script.case_branches[b].first_of_statement)
      return false;
    return true;
  }

  // What runs in the background, as written: `node src/consumer.js` and `node src/api.js --port ...`
  // (once each: the same command in two places of the script is one; three at most, then "more").
  static std::string listed_commands(const StartupPart& part, const std::vector<uint32_t>& indices,
                                     std::string_view last_separator) {
    std::vector<std::string> commands;
    for (uint32_t index : indices) {
      std::string text = fmt::format("`{}`", dkr::command_text(*part.file, part.script->commands[index].span));
      if (std::find(commands.begin(), commands.end(), text) != commands.end()) continue;
      if (commands.size() == 3) {
        commands.back() = "more";
        break;
      }
      commands.push_back(std::move(text));
    }
    std::string list;
    for (size_t i = 0; i < commands.size(); ++i)
      list += std::string(i == 0 ? "" : i + 1 == commands.size() ? last_separator : ", ") + commands[i];
    return list;
  }

  // The commands as a list for a message, where the branches of one if or case statement are one
  // process whichever runs: "`su postgres -c "$CMD"` or `$CMD`, and `runsvdir -P /etc/service`"
  // (spilo's launch.sh), not three processes.
  static std::string listed_processes(const StartupPart& part, const std::vector<uint32_t>& indices) {
    const shell::Script& script = *part.script;
    std::vector<std::vector<uint32_t>> groups;
    for (uint32_t index : indices) {
      bool exclusive = !groups.empty() && std::none_of(groups.back().begin(), groups.back().end(), [&](uint32_t other) {
        return reaches(script, other, index);
      });
      if (exclusive) groups.back().push_back(index);
      else groups.push_back({index});
    }
    if (groups.size() == indices.size()) return listed_commands(part, indices, " and ");
    std::string list;
    for (size_t i = 0; i < groups.size(); ++i)
      list += std::string(i == 0 ? "" : i + 1 == groups.size() ? ", and " : ", ") + listed_commands(part, groups[i], " or ");
    return list;
  }

  enum class Waits : uint8_t { Nothing, All, Last, Any };

  // What the keep-alive command at `index` waits for: `wait` and `wait "${pids[@]}"` all jobs,
  // `wait $!` or `wait "$pid"` one (taken for the last one started), `wait -n` the first to end;
  // `tail -f`, `sleep infinity` and sleep loops nothing.
  static Waits waits_for(const shell::Script& script, uint32_t index) {
    shell::EffectiveCommand effective = shell::effective_command(script, index);
    if (!effective.program || effective.program_name() != "wait") return Waits::Nothing;
    std::vector<const shell::Word*> operands;
    for (const shell::Word& argument : effective.arguments) {
      if (argument.value == "-n") return Waits::Any;
      if (!argument.value.starts_with('-')) operands.push_back(&argument);
    }
    if (operands.size() != 1) return Waits::All;
    std::string_view value = operands.front()->value;
    if (value.find("[@]") != std::string_view::npos || value.find("[*]") != std::string_view::npos ||
        value.find("jobs") != std::string_view::npos)
      return Waits::All;
    return Waits::Last;
  }

  // The background command at `index` is stopped before the keep-alive at `keep_alive`, in the same
  // branch of the script: a server started to load a dump or run migrations, then shut down
  // (`pg_ctl stop`, `mysqladmin shutdown`, `kill $!`, `nginx -s quit`, `httpd -k stop`,
  // `apachectl stop`, `service nginx stop`). `service`: the name a service manager's stop must give
  // (`service apache2 start` ... `service apache2 stop`); empty for any.
  static bool stopped_later(const shell::Script& script, uint32_t index, uint32_t keep_alive,
                            std::string_view service = {}) {
    const shell::Command& started = script.commands[index];
    for (uint32_t next = index + 1; next < keep_alive; ++next) {
      const shell::Command& command = script.commands[next];
      if (command.if_branch != started.if_branch || command.case_branch != started.case_branch ||
          command.in_function() != started.in_function())
        continue;
      shell::EffectiveCommand effective = shell::effective_command(script, next);
      if (!effective.program) continue;
      std::string_view name = effective.program_name();
      auto has = [&](std::string_view word) {
        return std::any_of(effective.arguments.begin(), effective.arguments.end(),
                           [&](const shell::Word& argument) { return argument.value == word; });
      };
      if (name == "kill" || name == "pkill" || name == "killall") return true;
      if ((name == "pg_ctl" || name == "pg_ctlcluster") && has("stop")) return true;
      if ((name == "mysqladmin" || name == "mariadb-admin") && has("shutdown")) return true;
      if (name == "redis-cli" && has("shutdown")) return true;
      if (has("-s") && (has("stop") || has("quit"))) return true;
      bool stop = has("stop") || has("graceful-stop");
      if (has("-k") && stop) return true;  // httpd -k stop
      if ((name == "apachectl" || name == "apache2ctl") && stop) return true;
      // A service manager's stop: `service nginx stop`, `/etc/init.d/nginx stop`, `systemctl stop
      // nginx`, `rc-service nginx stop`.
      bool manager = name == "service" || name == "rc-service" || name == "systemctl" ||
                     (effective.program->value.find("/init.d/") != std::string_view::npos);
      if (manager && stop) {
        if (service.empty() || name == service || has(service) || has(std::string(service) + ".service")) return true;
      }
    }
    return false;
  }

  // `while true; do sleep 10; done` (or `while :`, `until false`) as the script's last statement:
  // the body's commands are the script's last ones, all sleeps. (They are in_loop, so none of
  // them is an ending command.)
  // The script ends with a loop that only waits, `while [[ -e /proc/$pid ]]; do wait "$pid"; done`
  // (acme-companion's start.sh: `wait` returns early when a trapped signal arrives, and the loop
  // waits again): a `wait`. The index of its last `wait`.
  // Where the script's work ends, before what it does once the process it waits for has ended:
  // its own clean-up function (acme-companion's `term_handler`), `exit`, a last message, a short
  // sleep (percona's `sleep 1000` after `wait $pid`). Nullopt when something else follows.
  static std::optional<uint32_t> end_before_clean_up(const shell::Script& script) {
    uint32_t end = static_cast<uint32_t>(script.commands.size());
    while (end > 0 && !script.commands[end - 1].in_loop && script.commands[end - 1].parent == shell::kNoParent &&
           !script.commands[end - 1].in_function() && !script.commands[end - 1].background) {
      std::string_view name = shell::effective_program_name(script.commands[end - 1]);
      if (name == "wait") break;
      bool own_function = std::any_of(script.commands.begin(), script.commands.end(),
                                      [&](const shell::Command& command) { return command.function_name == name; });
      if (!(own_function || name == "exit" || name == "echo" || name == "printf" || name == "sleep" || name == "true"))
        return std::nullopt;
      --end;
    }
    return end;
  }

  // The script's last work is a `wait` at its own level, followed only by clean-up: `wait $pid`,
  // then `echo ...; sleep 1000` (percona-server-master-slave's ps-entry.sh).
  static std::optional<uint32_t> wait_before_clean_up(const shell::Script& script) {
    std::optional<uint32_t> end = end_before_clean_up(script);
    if (!end || *end == 0 || *end == script.commands.size()) return std::nullopt;
    const shell::Command& last = script.commands[*end - 1];
    if (last.in_loop || last.background || last.parent != shell::kNoParent || last.in_function() || last.in_condition ||
        shell::effective_program_name(last) != "wait")
      return std::nullopt;
    return *end - 1;
  }

  static std::optional<uint32_t> wait_loop_at_end(const shell::Script& script) {
    std::optional<uint32_t> clean_up_begins = end_before_clean_up(script);
    if (!clean_up_begins) return std::nullopt;
    uint32_t end = *clean_up_begins;
    uint32_t first = end;
    while (first > 0 && script.commands[first - 1].in_loop) --first;
    std::optional<uint32_t> last_wait;
    for (uint32_t index = first; index < end; ++index) {
      const shell::Command& command = script.commands[index];
      if (command.shell_string_depth != 0 || command.in_function() || command.in_endless_loop) return std::nullopt;
      if (command.in_condition) continue;
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      if (!effective.program || effective.program_name() != "wait" || command.background) return std::nullopt;
      last_wait = index;
    }
    return last_wait;
  }

  static std::optional<uint32_t> sleep_loop_at_end(const shell::Script& script) {
    uint32_t end = static_cast<uint32_t>(script.commands.size());
    uint32_t first = end;
    while (first > 0 && script.commands[first - 1].in_loop) --first;
    // The loop's condition says it never ends (`while true`, `while [ 1 ]`): a for loop, or
    // `while read`, does.
    if (first == end || !script.commands[first].in_endless_loop) return std::nullopt;
    // The body sleeps: `sleep 60`, or `sleep 60 & wait $!` (so that a trap runs at once).
    for (uint32_t index = first; index < end; ++index) {
      const shell::Command& command = script.commands[index];
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      if (command.shell_string_depth != 0 || command.in_function() || !command.in_endless_loop || !effective.program)
        return std::nullopt;
      std::string_view name = effective.program_name();
      // (`tail -f /dev/null & wait ${!}`: a tail that never ends, in the place of the sleep.)
      bool endless_tail = name == "tail" && command.background &&
                          std::any_of(effective.arguments.begin(), effective.arguments.end(), [](const shell::Word& word) {
                            return word.value == "-f" || word.value == "-F" || word.value == "--follow";
                          });
      if (!(name == "sleep" || endless_tail || (name == "wait" && !command.background))) return std::nullopt;
    }
    return end - 1;
  }

  // A trap on TERM that stops what the script started: `trap 'kill -TERM $PID' TERM`, or one that
  // calls the script's own handler (omnibus-gitlab's `trap "sigterm_handler; exit" TERM`, whose
  // handler runs `gitlab-ctl stop`). `trap exit TERM` only ends the shell.
  // `last_job_is_sleep`: the keep-alive loop sends its own sleep to the background (`sleep 60 &
  // wait $!`), so a trap that kills `$!` stops that sleep, not the app (seafile's entrypoint).
  static bool handles_sigterm(const shell::Script& script, bool last_job_is_sleep = false) {
    std::vector<std::string_view> functions;
    for (const shell::Command& command : script.commands)
      if (command.in_function() &&
          std::find(functions.begin(), functions.end(), command.function_name) == functions.end())
        functions.push_back(command.function_name);
    for (uint32_t index = 0; index < script.commands.size(); ++index) {
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      if (!effective.program || effective.program_name() != "trap" || effective.arguments.size() < 2) continue;
      std::string_view action = effective.arguments.front().value;
      auto calls = [&](std::string_view function) {
        size_t at = action.find(function);
        auto boundary = [&](size_t position) {
          return position >= action.size() ||
                 !(std::isalnum(static_cast<unsigned char>(action[position])) || action[position] == '_' ||
                   action[position] == '-');
        };
        return at != std::string_view::npos && (at == 0 || boundary(at - 1)) && boundary(at + function.size());
      };
      // (`supervisorctl shutdown`, `nginx -s quit`: a control tool's stop.)
      auto stops_in_text = [](std::string_view text) {
        return text.find("kill") != std::string_view::npos || text.find("stop") != std::string_view::npos ||
               text.find("shutdown") != std::string_view::npos || text.find("quit") != std::string_view::npos;
      };
      bool stops = false;
      if (stops_in_text(action)) stops = !(last_job_is_sleep && kills_only_last_job(action));
      for (std::string_view function : functions) {
        if (stops || !calls(function)) continue;
        stops = !last_job_is_sleep || !handler_kills_only_last_job(script, function);
      }
      if (!stops) continue;
      for (size_t i = 1; i < effective.arguments.size(); ++i) {
        std::string_view signal = effective.arguments[i].value;
        if (signal == "TERM" || signal == "SIGTERM" || signal == "15") return true;
      }
    }
    return false;
  }

  static bool is_last_job(std::string_view word) { return word == "$!" || word == "\"$!\"" || word == "${!}"; }

  // `kill -s TERM $!` (a trap's action text): every process it names is the last background job.
  static bool kills_only_last_job(std::string_view action) {
    bool in_kill = false, named = false, command_start = true;
    for (size_t at = 0; at < action.size();) {
      while (at < action.size() && (action[at] == ' ' || action[at] == '\t')) ++at;
      size_t begin = at;
      while (at < action.size() && action[at] != ' ' && action[at] != '\t' && action[at] != ';') ++at;
      std::string_view word = action.substr(begin, at - begin);
      // `kill ${!}; exit 143`: the word before the `;` is still the kill's.
      bool ends_command = at < action.size() && action[at] == ';';
      if (ends_command) ++at;
      auto next_command = [&] {
        if (ends_command) in_kill = false;
        command_start = ends_command;
      };
      if (word.empty()) {
        next_command();
        continue;
      }
      if (word == "kill") {
        in_kill = true;
      } else if (command_start && word != "exit" && word != "echo" && word != "printf" && word != ":" &&
                 word != "true" && word != "wait") {
        // Another command (a handler from a sourced file: docker-otrs' `kill ${!}; term_handler`)
        // may stop the processes: not known to kill the loop's job only.
        return false;
      } else if (in_kill && word.front() != '-' && word != "TERM" && word != "SIGTERM" && word != "15") {
        if (!is_last_job(word)) return false;
        named = true;
      } else if (!in_kill && (word.find("stop") != std::string_view::npos || word.find("shutdown") != std::string_view::npos ||
                              word.find("quit") != std::string_view::npos)) {
        return false;
      }
      next_command();
    }
    return named;
  }

  // The handler function stops processes only with `kill ... $!`.
  static bool handler_kills_only_last_job(const shell::Script& script, std::string_view function) {
    bool named = false;
    for (uint32_t index = 0; index < script.commands.size(); ++index) {
      const shell::Command& command = script.commands[index];
      if (command.function_name != function) continue;
      shell::EffectiveCommand effective = shell::effective_command(script, index);
      if (!effective.program) continue;
      std::string_view name = effective.program_name();
      if (name == "kill") {
        for (const shell::Word& argument : effective.arguments) {
          if (!argument.text.empty() && argument.text.front() == '-') continue;
          if (argument.value == "TERM" || argument.value == "SIGTERM" || argument.value == "15") continue;
          if (!is_last_job(argument.text)) return false;
          named = true;
        }
      } else if (name.find("stop") != std::string_view::npos || name.find("ctl") != std::string_view::npos) {
        return false;  // `supervisorctl`, `gitlab-ctl stop`, `s6-svc`: stops something else
      } else {
        for (const shell::Word& argument : effective.arguments)
          if (argument.value == "stop" || argument.value == "shutdown" || argument.value == "quit") return false;
      }
    }
    return named;
  }

  // A command of the script's own level, before `end`, calls `function`.
  static bool called_before(const shell::Script& script, std::string_view function, uint32_t end) {
    for (uint32_t index = 0; index < end; ++index) {
      const shell::Command& command = script.commands[index];
      if (command.in_function() || command.parent != shell::kNoParent || command.background) continue;
      if (shell::effective_program_name(command) == function) return true;
    }
    return false;
  }

  // `tail -f ...`, `sleep infinity`, `wait`: the command that keeps a shell alive after `&`.
  static std::optional<std::string> keep_alive_of(const shell::Script& script, uint32_t index) {
    const shell::Command& command = script.commands[index];
    if (command.background) return std::nullopt;
    shell::EffectiveCommand effective = shell::effective_command(script, index);
    if (!effective.program) return std::nullopt;
    std::string_view name = effective.program_name();
    // (`while [ 1 ]; do sleep 60 & wait $!; done` waits for the sleep: a sleep loop.)
    if (name == "wait") return command.in_loop ? std::nullopt : std::optional<std::string>("`wait`");
    if (name == "tail") {
      for (const shell::Word& argument : effective.arguments)
        if (argument.value == "-f" || argument.value == "-F" || argument.value == "--follow" ||
            argument.value.substr(0, 9) == "--follow=" || (argument.value.size() > 1 && argument.value[0] == '-' &&
                                                           argument.value.find_first_of("fF") != std::string::npos))
          return std::string(argument.value == "-F" ? "`tail -F`" : "`tail -f`");
      return std::nullopt;
    }
    if (name == "sleep") {
      // `sleep infinity`, or an hour and more.
      for (const shell::Word& argument : effective.arguments) {
        const std::string value(argument.value);
        bool digits = !value.empty() && value.size() < 12 &&
                      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (value == "infinity" || value == "inf" || (digits && std::stoll(value) >= 3600))
          return fmt::format("`sleep {}`", value);
      }
    }
    return std::nullopt;
  }

  const docker::Dockerfile& dockerfile_;
  RuleContext& context_;
  const dkr::ImageStartup& startup_;
  const StartupPart* kept_alive_ = nullptr;  // the part check_keep_alive reported
  std::vector<uint32_t> kept_alive_background_;  // and the background commands it named
};

void check(const docker::Dockerfile& dockerfile, RuleContext& context) { Checker(dockerfile, context).run(); }

const RuleRegistration registration{{
    .id = "DKR015",
    .slug = "daemonized-main-process",
    .severity = Severity::Warning,
    .summary = "The container's processes background themselves (service start, nginx without daemon off, php-fpm -D, "
               "`&` then tail -f / sleep infinity)",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
