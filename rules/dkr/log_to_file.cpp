#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/supervisord_config.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/apache_config.h"
#include "analyzer/parse/nginx_config.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Instruction;
using docker::Stage;

// Completes "..., a file inside the container: ".
constexpr std::string_view kWhy =
    "the platform collects only stdout and stderr (awslogs, FireLens, kubectl logs), so nobody sees it, it grows on "
    "the task's disk until that is full, and it is gone when the task stops";

// Where a process can write and still end up on the container's stdout or stderr.
bool is_standard_stream(std::string_view path) {
  static constexpr std::array<std::string_view, 8> kStreams = {"/dev/stdout",      "/dev/stderr",      "/proc/self/fd/1",
                                                               "/proc/self/fd/2",  "/dev/fd/1",        "/dev/fd/2",
                                                               "/proc/1/fd/1",     "/proc/1/fd/2"};
  return std::find(kStreams.begin(), kStreams.end(), path) != kStreams.end();
}

// `ln -sf /dev/stdout /var/log/nginx/access.log` in a RUN of the final image.
std::vector<std::string> linked_paths(const Dockerfile& dockerfile, const std::vector<const Stage*>& stages) {
  std::vector<std::string> linked;
  for (const Stage* stage : stages) {
    for (size_t position = 0; position < stage->instructions.size(); ++position) {
      const Instruction& instruction = *stage->instructions[position];
      if (!instruction.is("RUN")) continue;
      const shell::Script& script = docker::instruction_script(*dockerfile.file, instruction);
      for (const shell::PathWrite& write : shell::find_path_writes(script)) {
        if (write.method != shell::WriteMethod::Link || !write.source || !write.path) continue;
        if (!is_standard_stream(write.source->value)) continue;
        // `"$APACHE_LOG_DIR/access.log"`: keep it as written too, configs use the same variable.
        linked.emplace_back(write.path->value);
        docker::Expansion expanded = dockerfile.expand(*stage, position, write.path->text);
        if (expanded.ok()) linked.push_back(expanded.text);
      }
    }
  }
  return linked;
}

struct Image {
  const Dockerfile& dockerfile;
  std::vector<const Stage*> stages;  // final image, oldest first
  // Paths the Dockerfile links to stdout/stderr (`ln -sf /dev/stdout x`): found on first use, so a
  // Dockerfile with nothing to report never has its RUNs parsed here.
  mutable std::optional<std::vector<std::string>> linked;
  // The official image the chain starts from: "nginx", "httpd", "php-apache", "other" (an official
  // image that links nothing), or "" for someone else's image.
  std::string official_base;

  // The image's own RUNs install the server whose default log `path` is (found once per server).
  mutable std::optional<bool> installs_nginx, installs_apache;
  bool installs_server_of(std::string_view path) const {
    bool nginx = path.starts_with("/var/log/nginx/");
    bool apache = path.starts_with("/var/log/apache2/") || path.starts_with("/var/log/httpd/");
    if (!nginx && !apache) return false;
    std::optional<bool>& known = nginx ? installs_nginx : installs_apache;
    if (!known) {
      known = dkr::final_image_installs(dockerfile, [&](const dkr::InstalledPackage& package) {
        if (package.manager == shell::PackageManager::Pip || package.manager == shell::PackageManager::Gem ||
            package.manager == shell::PackageManager::Npm || package.manager == shell::PackageManager::Yarn)
          return false;
        return nginx ? package.name == "nginx" || package.name == "nginx-full" || package.name == "nginx-light" ||
                           package.name == "nginx-extras" || package.name == "nginx-core"
                     : package.name == "apache2" || package.name == "httpd";
      });
    }
    return *known;
  }

  // Whether what is written to `path` stays off the task's disk: a stream, a file linked to one, or
  // /dev/null, which discards it (as `access_log off;` does, nginx-proxy-manager's choice).
  bool writes_to_stream(std::string_view path) const {
    if (is_standard_stream(path) || path == "/dev/null") return true;
    if (!linked) linked = linked_paths(dockerfile, stages);
    if (std::find(linked->begin(), linked->end(), path) != linked->end()) return true;
    // The official images link their servers' default log files to the container's streams.
    if (official_base == "nginx" && (path == "/var/log/nginx/access.log" || path == "/var/log/nginx/error.log"))
      return true;
    if (official_base == "php-apache") {
      for (std::string_view folder : {"/var/log/apache2/", "${APACHE_LOG_DIR}/"})
        for (std::string_view name : {"access.log", "error.log", "other_vhosts_access.log"})
          if (path == std::string(folder) + std::string(name)) return true;
    }
    // Someone else's base image may link the servers' default log files the way the official ones
    // do (many nginx and OpenResty images do): nothing can be said about those paths. Unless the
    // image installs that server itself (bitwarden-lite's `apk add nginx` on a .NET base): the base
    // had no such server, and its package writes real files.
    if (official_base.empty() && !installs_server_of(path)) {
      static constexpr std::array<std::string_view, 10> kDefaultLogFiles = {
          "/var/log/nginx/access.log", "/var/log/nginx/error.log", "/usr/local/openresty/nginx/logs/access.log",
          "/usr/local/openresty/nginx/logs/error.log", "/var/log/apache2/access.log", "/var/log/apache2/error.log",
          "/var/log/httpd/access_log", "/var/log/httpd/error_log", "/usr/local/apache2/logs/access_log",
          "/usr/local/apache2/logs/error_log"};
      if (std::find(kDefaultLogFiles.begin(), kDefaultLogFiles.end(), path) != kDefaultLogFiles.end()) return true;
    }
    return false;
  }

  // A log file in the folder is linked to a stream (`ln -sf /proc/self/fd/1 /var/log/apache2/access.log`,
  // or the official php:*-apache image's links): the image has sent that folder's logs to the
  // container's output, and the variable only tells the server where they are.
  bool links_inside(std::string_view folder) const {
    while (folder.size() > 1 && folder.back() == '/') folder.remove_suffix(1);
    if (!linked) linked = linked_paths(dockerfile, stages);
    std::string prefix = std::string(folder) + "/";
    if (std::any_of(linked->begin(), linked->end(), [&](const std::string& path) { return path.starts_with(prefix); }))
      return true;
    return official_base == "php-apache" && folder == "/var/log/apache2";
  }
};

std::string official_base_of(const std::vector<const Stage*>& stages) {
  if (!stages.empty() && stages.front()->scratch) return "other";
  if (stages.empty() || stages.front()->parent || !stages.front()->image.ok()) return {};
  detect::ImageReference base = detect::parse_image_reference(stages.front()->image.text);
  std::string registry = to_lower_ascii(base.registry);
  std::string repository = to_lower_ascii(base.repository);
  if (registry == "public.ecr.aws" && repository.starts_with("docker/library/")) repository.erase(0, 15);
  else if (!registry.empty() && registry != "docker.io" && registry != "mirror.gcr.io") return {};
  if (repository.starts_with("library/")) repository.erase(0, 8);
  if (repository == "nginx" || repository == "httpd") return repository;
  if (repository == "php" && base.tag.find("apache") != std::string::npos) return "php-apache";
  if (!base.known || repository.find('/') != std::string::npos) return {};
  return "other";
}

bool is_log_path(std::string_view path) {
  return path.starts_with("/var/log/") || path.ends_with(".log") || path.find("/log/") != std::string_view::npos ||
         path.find("/logs/") != std::string_view::npos || path.starts_with("log/") || path.starts_with("logs/");
}

enum class ConfigKind { None, Nginx, Apache, Supervisord };

ConfigKind config_kind(std::string_view image_path) {
  std::string path = to_lower_ascii(image_path);
  std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
  for (std::string_view folder : {"/etc/nginx/", "/usr/local/nginx/conf/", "/usr/local/openresty/nginx/conf/",
                                  "/etc/openresty/"})
    if (path.starts_with(folder)) return name == "mime.types" ? ConfigKind::None : ConfigKind::Nginx;
  for (std::string_view folder : {"/etc/apache2/", "/etc/httpd/", "/usr/local/apache2/conf/"})
    if (path.starts_with(folder))
      return name == "envvars" || name == "magic" || name == "mime.types" ? ConfigKind::None : ConfigKind::Apache;
  return ConfigKind::None;
}

// The program a piped Apache log runs (`|/usr/bin/rotatelogs /var/log/httpd/access_log 86400`,
// `||$cronolog ...`) and the path it writes, when it writes files.
std::optional<std::string> piped_log_file(std::string_view target) {
  while (!target.empty() && (target.front() == '|' || target.front() == '$')) target.remove_prefix(1);
  size_t space = target.find(' ');
  std::string_view program = target.substr(0, space);
  program = program.substr(program.rfind('/') == std::string_view::npos ? 0 : program.rfind('/') + 1);
  if (program != "rotatelogs" && program != "cronolog") return std::nullopt;
  // The first argument that is neither an option nor an option's value: rotatelogs' -L linkname,
  // -p program and -n number-of-files take one (`rotatelogs -n 5 /var/log/error.log 86400` writes
  // error.log, not "5"), as cronolog's short -H, -S, -P, -l, -z, -x and -s do (its long options
  // are written --symlink=NAME, one word).
  std::string_view options_with_value = program == "rotatelogs" ? "Lpn" : "HSPlzxs";
  std::string_view rest = space == std::string_view::npos ? std::string_view() : target.substr(space + 1);
  bool value_next = false;
  while (!rest.empty()) {
    size_t end = rest.find(' ');
    std::string_view word = rest.substr(0, end);
    if (!word.empty()) {
      if (value_next) {
        value_next = false;
      } else if (word.front() != '-') {
        return std::string(word);
      } else if (word.size() == 2 && options_with_value.find(word[1]) != std::string_view::npos) {
        value_next = true;
      }
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const Dockerfile& dockerfile, RuleContext& context) : dockerfile_(dockerfile), context_(context) {
    image_.stages = docker::final_image_stages(dockerfile);
    image_.official_base = official_base_of(image_.stages);
  }

  void run() {
    const Stage* stage = dockerfile_.final_stage();
    for (const Stage* chain : image_.stages)
      for (const docker::Variable& variable : dockerfile_.scopes[chain->index].bindings) check_env(variable);
    for (const Instruction* instruction : main_command(*stage)) check_command(*instruction);
    const docker::BuildContext* build_context = dockerfile_.build_context;
    if (!build_context) return;
    const dkr::ImageStartup& startup = dkr::image_startup(dockerfile_);
    std::vector<docker::ContextFile> supervisord_files = supervisord_configs(startup);
    std::vector<std::string> read;  // a file copied to two places is reported once
    for (const docker::ContextFile& copied : build_context->copied_files(stage)) {
      ConfigKind kind = config_kind(copied.image_path);
      if (kind == ConfigKind::None &&
          std::any_of(supervisord_files.begin(), supervisord_files.end(), [&](const docker::ContextFile& file) {
            return file.image_path == copied.image_path && file.context_path == copied.context_path;
          }))
        kind = ConfigKind::Supervisord;
      if (kind == ConfigKind::None) continue;
      if (!copied.heredoc) {
        if (std::find(read.begin(), read.end(), copied.context_path) != read.end()) continue;
        read.push_back(copied.context_path);
      }
      std::optional<docker::ContextText> text = build_context->text(copied);
      if (!text) continue;
      if (kind == ConfigKind::Nginx) check_nginx(copied, *text);
      else if (kind == ConfigKind::Apache) check_apache(copied, *text);
      else check_supervisord(copied, *text);
    }
    // CMD's words are the ENTRYPOINT's arguments unless it runs them (`exec "$@"`): privoxy's
    // `CMD ["/etc/privoxy/config"]` names a config file, not a script. A Windows image has no
    // start-up walk (stage unset): its CMD is taken as before.
    bool cmd_runs = !startup.stage || startup.cmd_runs;
    for (const std::string& program : main_programs(*stage, cmd_runs)) {
      for (const docker::ContextFile& script : build_context->files_run_as(program, stage)) {
        std::optional<docker::ContextText> text = build_context->text(script);
        // A Python or Node program is not read as shell.
        if (text && dkr::is_shell_script_text(text->text.text(), script.image_path)) check_script(script, *text);
      }
    }
  }

 private:
  // The files the image's supervisord reads (DKR003 counts its programs in the same ones): the
  // config its start-up names with -c, else the default locations, and what they include.
  std::vector<docker::ContextFile> supervisord_configs(const dkr::ImageStartup& startup) const {
    std::optional<std::string> config;
    for (const dkr::StartupCommand& command : dkr::startup_commands(startup)) {
      if (command.words.empty()) continue;
      std::string_view program = command.words.front();
      if (program.substr(program.rfind('/') + 1) != "supervisord") continue;
      config = dkr::supervisord_config_option(command.words, startup.stage);
      if (config) break;
    }
    return dkr::supervisord_config_files(dockerfile_, dockerfile_.final_stage(), config);
  }

  // ENTRYPOINT and the CMD it runs (a shell-form ENTRYPOINT ignores CMD).
  static std::vector<const Instruction*> main_command(const Stage& stage) {
    std::vector<const Instruction*> commands;
    const docker::ImageConfig& config = stage.config;
    if (config.entrypoint) commands.push_back(config.entrypoint);
    bool cmd_used = !(config.entrypoint && config.entrypoint->form == docker::Form::Shell);
    if (config.cmd && cmd_used && !config.cmd_reset) commands.push_back(config.cmd);
    return commands;
  }

  // The programs the main command starts, as written (`/docker-entrypoint.sh`, `./bin/start`).
  std::vector<std::string> main_programs(const Stage& stage, bool cmd_runs) const {
    std::vector<std::string> programs;
    for (const Instruction* instruction : main_command(stage)) {
      if (instruction == stage.config.cmd && !cmd_runs) continue;
      const shell::Script& script = docker::instruction_script(*dockerfile_.file, *instruction);
      for (uint32_t index = 0; index < script.commands.size(); ++index) {
        shell::EffectiveCommand command = shell::effective_command(script, index);
        if (command.program && command.program->is_literal()) programs.emplace_back(command.program->value);
      }
    }
    return programs;
  }

  void relate_copy(Finding& finding, const docker::ContextFile& copied) {
    if (!copied.instruction || copied.heredoc) return;
    finding.related.push_back({make_location(*dockerfile_.file, copied.instruction->span),
                               fmt::format("copied into the image as {} here", copied.image_path)});
  }

  void check_nginx(const docker::ContextFile& copied, const docker::ContextText& text) {
    nginx::Config config = nginx::parse_nginx_config(*text.file, text.text);
    for (const nginx::Directive& directive : config.directives) {
      bool access = directive.name == "access_log";
      if ((!access && directive.name != "error_log") || directive.arguments.empty()) continue;
      const nginx::Argument& target = directive.arguments.front();
      std::string_view path = target.value;
      if (path == "off" || path == "stderr" || path.starts_with("syslog:") || path.starts_with("memory:") ||
          image_.writes_to_stream(path))
        continue;
      Finding& finding = context_.report(
          *text.file, target.span,
          fmt::format("nginx writes its {} log to \"{}\", a file inside the container: {}; log to {} ({} {};) or link the file to {} in the "
                      "Dockerfile, as the official nginx image does",
                      access ? "access" : "error", path, kWhy, access ? "/dev/stdout" : "/dev/stderr",
                      directive.name, access ? "/dev/stdout" : "/dev/stderr", access ? "/dev/stdout" : "/dev/stderr"));
      relate_copy(finding, copied);
    }
  }

  void check_apache(const docker::ContextFile& copied, const docker::ContextText& text) {
    apache::Config config = apache::parse_apache_config(*text.file, text.text);
    for (const apache::Directive& directive : config.directives) {
      bool error = directive.is("ErrorLog");
      if ((!error && !directive.is("CustomLog") && !directive.is("TransferLog")) || directive.arguments.empty())
        continue;
      const apache::Argument& target = directive.arguments.front();
      std::string path = target.value;
      if (error && (path == "syslog" || path.starts_with("syslog:"))) continue;
      std::string through;
      if (path.starts_with("|")) {
        std::optional<std::string> written = piped_log_file(path);
        if (!written) continue;  // piped to logger, cat, a shipper: not a file
        through = fmt::format(" through {}", path.find("cronolog") != std::string::npos ? "cronolog" : "rotatelogs");
        path = *written;
      }
      if (image_.writes_to_stream(path)) continue;
      std::string_view stream = error ? "/dev/stderr" : "/dev/stdout";
      Finding& finding = context_.report(
          *text.file, target.span,
          fmt::format("Apache writes its {} log to \"{}\"{}, a file inside the container: {}; log to {} ({} {}{}) or link the file to {} in the "
                      "Dockerfile",
                      error ? "error" : "access", path, through, kWhy, stream, directive.name, stream,
                      error ? "" : " combined", stream));
      relate_copy(finding, copied);
    }
  }

  // supervisord's own `logfile=` and its programs' `stdout_logfile=` / `stderr_logfile=`.
  void check_supervisord(const docker::ContextFile& copied, const docker::ContextText& text) {
    for (const dkr::SupervisordSetting& setting : dkr::supervisord_settings(text.text.text())) {
      const std::string& key = setting.key;
      if (key != "logfile" && key != "stdout_logfile" && key != "stderr_logfile") continue;
      // supervisord reads its own `logfile` in [supervisord] only, and a child's log files in its own
      // section only: the same keys elsewhere (stdout_logfile under [supervisord]) do nothing.
      std::string_view section = setting.section;
      size_t colon = section.find(':');
      std::string_view kind = section.substr(0, colon == std::string_view::npos ? 0 : colon);
      bool child_section = kind == "program" || kind == "fcgi-program" || kind == "eventlistener";
      if (key == "logfile" ? section != "supervisord" : !child_section) continue;
      std::string_view value = setting.value;
      if (value.empty()) continue;
      if (value == "NONE" || value == "AUTO" || image_.writes_to_stream(value)) continue;
      // `%(ENV_SUPERVISORD_STDOUT)s`: set when the container starts (nextcloud's all-in-one picks
      // /dev/stdout or NONE); `%(here)s/x.log` and `%(program_name)s` still name files.
      if (value.find("%(ENV_") != std::string_view::npos) continue;
      std::string who = child_section ? fmt::format("{} \"{}\"'s {}", kind == "eventlistener" ? "event listener" : "program",
                                                    section.substr(colon + 1),
                                                    key == "stderr_logfile" ? "stderr" : "stdout")
                                      : std::string("its own log");
      std::string fix = key == "logfile" ? "set logfile=/dev/stdout with logfile_maxbytes=0"
                                         : fmt::format("set {}=/dev/{} with {}_maxbytes=0", key,
                                                       key == "stderr_logfile" ? "stderr" : "stdout", key);
      Finding& finding = context_.report(
          *text.file, text.text.span_of(*text.file, setting.value_begin, setting.value_end),
          fmt::format("supervisord writes {} to \"{}\", a file inside the container: {}; {}", who, value, kWhy, fix));
      relate_copy(finding, copied);
    }
  }

  // One finding per log file: later writes to the same file are related locations (dolibarr's
  // entrypoint appends each set-up step's output to initdb.log, nineteen times).
  void report_redirections(const SourceFile& file, const shell::Script& script, std::string_view where,
                           const docker::ContextFile* copied = nullptr) {
    std::vector<std::pair<std::string_view, Finding*>> reported;
    for (const shell::PathWrite& write : shell::find_path_writes(script)) {
      if (write.method != shell::WriteMethod::Redirection && write.method != shell::WriteMethod::Tee) continue;
      if (!write.path || !write.path->is_literal()) continue;
      std::string_view path = write.path->value;
      if (!is_log_path(path) || image_.writes_to_stream(path)) continue;
      shell::EffectiveCommand command = shell::effective_command(script, write.command);
      // `echo "$(date) started" >> /var/log/x.log`: a line the script itself writes, not the output
      // of a program it runs (a redirection of the whole shell, `exec >> log`, has no program).
      if (command.program && command.program->is_literal() &&
          (command.program_name() == "echo" || command.program_name() == "printf"))
        continue;
      std::string what = !command.program              ? std::string("the shell's output")
                         : command.program->is_literal() ? fmt::format("the output of {}", command.program_name())
                                                         : std::string("the command's output");
      std::string_view verb = write.appends ? "appends" : "writes";
      auto earlier = std::find_if(reported.begin(), reported.end(), [&](const auto& entry) { return entry.first == path; });
      if (earlier != reported.end()) {
        earlier->second->related.push_back(
            {make_location(file, write.path->span), fmt::format("also {} {} to it", verb, what)});
        continue;
      }
      Finding& finding = context_.report(
          file, write.path->span,
          fmt::format("{} {} {} to \"{}\", a file inside the container: {}; let it write to stdout and stderr", where,
                      verb, what, path, kWhy));
      if (copied) relate_copy(finding, *copied);
      reported.emplace_back(path, &finding);
    }
  }

  void check_command(const Instruction& instruction) {
    const shell::Script& script = docker::instruction_script(*dockerfile_.file, instruction);
    report_redirections(*dockerfile_.file, script, instruction.keyword);
  }

  void check_script(const docker::ContextFile& copied, const docker::ContextText& text) {
    const shell::Script& script = docker::context_script(text);
    std::string_view name = copied.display_path.empty() ? std::string_view(copied.image_path) : copied.display_path;
    report_redirections(*text.file, script, fmt::format("the entrypoint script {}", name), &copied);
  }

  // A start command's flag that sends the app's logs to the console as well: SonarQube's
  // `-Dsonar.log.console=true` (in its entrypoint's default command array), `--log-to-stdout`,
  // glog's `--logtostderr`. A log folder the app also writes to is then a copy, not the only place
  // the logs go. Whether the image's start commands or its start scripts hold one.
  bool starts_with_console_logging() const {
    auto is_flag = [](std::string_view word) {
      if (word.size() < 4 || word.front() != '-') return false;
      std::string lowered = to_lower_ascii(word);
      size_t equals = lowered.find('=');
      if (equals != std::string::npos && !lowered.ends_with("=true") && !lowered.ends_with("=1")) return false;
      std::string_view name = std::string_view(lowered).substr(0, equals);
      for (std::string_view flag : {"log.console", "log-console", "logtostderr", "logtostdout", "log-to-stdout",
                                    "log-to-stderr", "log-to-console", "logtoconsole"})
        if (name.ends_with(flag)) return true;
      return false;
    };
    const dkr::ImageStartup& startup = dkr::image_startup(dockerfile_);
    for (const dkr::StartupCommand& command : dkr::startup_commands(startup))
      if (std::any_of(command.words.begin(), command.words.end(), is_flag)) return true;
    // Words a script keeps for later (`DEFAULT_CMD=(java -jar app.jar -Dsonar.log.console=true)`).
    for (const dkr::StartupPart& part : startup.parts) {
      if (part.kind != dkr::StartupPart::Kind::Script || !part.file) continue;
      std::string_view text = part.file->text();
      if (text.find("log") == std::string_view::npos) continue;
      size_t begin = 0;
      while (begin < text.size()) {
        size_t end = text.find_first_of(" \t\n'\"()[]", begin);
        if (end == std::string_view::npos) end = text.size();
        if (is_flag(text.substr(begin, end - begin))) return true;
        begin = end + 1;
      }
    }
    return false;
  }

  void check_env(const docker::Variable& variable) {
    if (variable.kind != docker::Variable::Kind::Env || !variable.pair || !variable.pair->has_value || !variable.known)
      return;
    std::string name = to_upper_ascii(variable.name);
    static constexpr std::array<std::string_view, 9> kFileSuffixes = {
        "LOG_FILE", "LOGFILE", "LOG_PATH", "LOG_FILENAME", "LOG_FILE_PATH", "LOG_LOCATION", "LOG_DIR", "LOGS_DIR",
        "LOG_DIRECTORY"};
    bool named = std::any_of(kFileSuffixes.begin(), kFileSuffixes.end(),
                             [&](std::string_view suffix) { return name.ends_with(suffix); });
    // Logs that are data: ZooKeeper's ZOO_DATA_LOG_DIR, write-ahead and transaction logs, binlogs.
    static constexpr std::array<std::string_view, 8> kDataLogs = {"DATA_LOG", "TXN", "TRANSACTION", "WAL",
                                                                  "BINLOG",   "BIN_LOG", "REDO", "COMMIT_LOG"};
    if (std::any_of(kDataLogs.begin(), kDataLogs.end(),
                    [&](std::string_view word) { return name.find(word) != std::string::npos; }))
      return;
    // Folders an app only writes to once a file appender is turned on: ZooKeeper (3.5 and later)
    // logs to the console under `zkServer.sh start-foreground`, and ZOO_LOG_DIR only names the
    // folder of the rolling file its log4j/logback config leaves off by default.
    if (name == "ZOO_LOG_DIR") return;
    std::string_view value = variable.value;
    if (!named || value.empty() || (value.front() != '/' && !value.starts_with("./") && !value.ends_with(".log")))
      return;
    if (image_.writes_to_stream(value)) return;
    bool folder = name.ends_with("DIR") || name.ends_with("DIRECTORY");
    if (folder && image_.links_inside(value)) return;
    // The start command logs to the console too (SonarQube's entrypoint): the folder is a copy.
    if (folder && starts_with_console_logging()) return;
    // A folder cannot be pointed at a stream; the app's own console setting is the fix.
    std::string_view fix = folder ? "turn on the app's console logging (its stdout or console setting or flag), or link "
                                    "the files it writes there to /dev/stdout and /dev/stderr (`ln -sf`), so the "
                                    "platform collects what it logs"
                                  : "leave it unset so the app logs to stdout (RAILS_LOG_TO_STDOUT=1, LOG_CHANNEL=stderr...) "
                                    "or point it at /dev/stdout";
    context_.report(*dockerfile_.file, variable.pair->value.span,
                    fmt::format("ENV {}={} points the app's logs at {} inside the container: {}; {}", variable.name, value,
                                folder ? "a folder" : "a file", kWhy, fix));
  }

  const Dockerfile& dockerfile_;
  RuleContext& context_;
  Image image_{dockerfile_, {}, {}, {}};
};

void check(const Dockerfile& dockerfile, RuleContext& context) {
  if (!dockerfile.final_stage()) return;
  Checker(dockerfile, context).run();
}

const RuleRegistration registration{{
    .id = "DKR005",
    .slug = "log-to-file",
    .severity = Severity::Warning,
    .summary = "Logs go to files inside the image (nginx/Apache/supervisord configs, CMD redirections, LOG_FILE env) "
               "instead of stdout/stderr",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
