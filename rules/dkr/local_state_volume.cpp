#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/state_path.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Instruction;
using docker::Stage;
using detect::StateKind;

// Where the state should live instead, by what it is.
std::string_view remedy(StateKind kind) {
  switch (kind) {
    case StateKind::Uploads: return "store uploads in S3 (or an EFS volume every replica mounts)";
    case StateKind::Sessions: return "keep sessions in Redis, Memcached or the database";
    case StateKind::Sqlite: return "move the data to a database server (RDS), or at least to an EFS volume with one writer";
    case StateKind::Data: return "keep it in a managed store (S3, a database) or on an EFS volume every replica mounts";
    case StateKind::Database: return "run the database as a managed service (RDS) or on storage that outlives the task";
  }
  return "";
}

constexpr std::string_view kLostWithTheTask =
    "it is gone when the task (or pod) stops, and every replica has its own";

// Data stores declare their data folder as a VOLUME so that whoever runs them mounts storage there:
// in their images a `/data` VOLUME is the design, not an app keeping state by accident.
constexpr std::array<std::string_view, 26> kDataStorePrograms = {
    "redis-server", "redis-sentinel", "valkey-server", "mongod",  "postgres",     "mysqld",       "mariadbd",
    "elasticsearch", "opensearch",    "zkServer.sh",   "rabbitmq-server", "memcached", "etcd",     "minio",
    "influxd",      "cassandra",      "couchdb",       "neo4j",   "solr",         "tile38-server", "clickhouse-server",
    "kafka-server-start.sh", "nats-server", "consul", "prometheus", "keydb-server"};
constexpr std::array<std::string_view, 21> kDataStoreImages = {
    "redis", "valkey/valkey", "mongo", "postgres", "mysql", "mariadb", "elasticsearch", "opensearchproject/opensearch",
    "zookeeper", "rabbitmq", "memcached", "influxdb", "cassandra", "couchdb", "neo4j", "solr", "minio/minio",
    "clickhouse/clickhouse-server", "nats", "consul", "apache/hadoop"};


template <size_t N>
bool one_of(std::string_view text, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), text) != names.end();
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// HDFS's storage daemons, started as `hdfs [--config DIR] datanode` (big-data-europe's images run
// it from their run.sh): their VOLUME is where the operator mounts the disks.
bool is_hdfs_store(std::span<const std::string_view> words) {
  if (words.empty() || base_name(words[0]) != "hdfs") return false;
  return std::any_of(words.begin() + 1, words.end(), [](std::string_view word) {
    return word == "datanode" || word == "namenode" || word == "journalnode" || word == "secondarynamenode";
  });
}

// The final image is a data store: built FROM an official data store image, or running one as the
// first word of its ENTRYPOINT or CMD.
bool runs_data_store(const Dockerfile& dockerfile) {
  for (const Stage* stage : docker::final_image_stages(dockerfile)) {
    if (stage->parent || !stage->image.ok()) continue;
    detect::ImageReference base = detect::parse_image_reference(stage->image.text);
    std::string repository = to_lower_ascii(base.repository);
    if (repository.starts_with("library/")) repository.erase(0, 8);
    if (base.known && (base.registry.empty() || base.registry == "docker.io") && one_of(repository, kDataStoreImages))
      return true;
  }
  const Stage* stage = dockerfile.final_stage();
  for (const Instruction* instruction : {stage->config.entrypoint, stage->config.cmd}) {
    if (!instruction || instruction->arguments.empty()) continue;
    std::string_view first = instruction->arguments[0].text;
    if (instruction->form == docker::Form::Shell) first = first.substr(0, first.find_first_of(" \t"));
    if (one_of(base_name(first), kDataStorePrograms)) return true;
  }
  // Or from a start script: the command that ends it, or any it runs (`hdfs datanode` in run.sh).
  for (const dkr::StartupCommand& command : dkr::startup_commands(dkr::image_startup(dockerfile))) {
    if (command.words.empty() || command.command->in_command_substitution) continue;
    if (is_hdfs_store(command.words) || (command.command->ends_script && one_of(base_name(command.words[0]), kDataStorePrograms)))
      return true;
  }
  return false;
}

struct Collector {
  const Dockerfile& dockerfile;
  RuleContext& context;
  std::vector<std::string> volumes;  // state paths declared as VOLUME, for de-duplication
  std::vector<std::string> reported;  // paths already reported as created: one finding per folder
  bool data_store = false;            // the image is a data store (runs_data_store)

  void volume(const docker::Word& word, const std::string& path) {
    auto state = detect::classify_state_path(path);
    if (!state || (state->kind == StateKind::Data && data_store)) return;
    volumes.push_back(path);
    // A folder named data is declared for state, but whether the app writes there is not known.
    std::string message =
        state->kind == StateKind::Data
            ? fmt::format("VOLUME \"{}\" declares a folder for application data as an anonymous volume on the "
                          "container's own disk: whatever the app keeps there is gone when the task (or pod) stops, "
                          "and every replica has its own; {}",
                          path, remedy(state->kind))
            : fmt::format("VOLUME \"{}\" keeps {} in an anonymous volume on the container's own disk: {}; {}", path,
                          state->what, kLostWithTheTask, remedy(state->kind));
    context.report(*dockerfile.file, word.span, std::move(message));
  }

  bool covered_by_volume(std::string_view path, const std::optional<std::string>& workdir) const {
    for (const std::string& volume : volumes) {
      if (volume == path) return true;
      if (workdir && docker::image_path_from(*workdir, path) == volume) return true;
      if (workdir) continue;
      // `mkdir -p public/uploads` under a WORKDIR not known here that may be the one
      // `VOLUME /var/app/current/public/uploads` names.
      if (!path.empty() && path.front() != '/' && volume.size() > path.size() &&
          volume.compare(volume.size() - path.size(), path.size(), path) == 0 &&
          volume[volume.size() - path.size() - 1] == '/')
        return true;
    }
    return false;
  }

  // `stage` and `position`: where the RUN is, for the WORKDIR a relative path is in.
  void created(const Stage& stage, size_t position, const shell::Word& word, std::string_view path,
               std::string_view verb) {
    auto state = detect::classify_state_path(path);
    // A folder merely named `data` that the image creates is too weak a sign on its own.
    if (!state || state->kind == StateKind::Data) return;
    std::optional<std::string> workdir;
    // `~/media` is in the home folder of the RUN's user, not in the WORKDIR (wger's `mkdir -p
    // ~/media ~/static`).
    bool in_home = path == "~" || path.starts_with("~/");
    if (!path.starts_with('/') && !in_home) {
      workdir = dockerfile.workdir_at(stage, position);
      if (workdir) workdir = docker::image_path_from("/", *workdir);
    }
    if (covered_by_volume(path, workdir)) return;
    if (std::find(reported.begin(), reported.end(), path) != reported.end()) return;
    reported.emplace_back(path);
    std::string where = in_home ? std::string(" (in the home folder of the RUN's user)")
                        : workdir && !path.starts_with('/') ? fmt::format(" in {}", *workdir)
                                                            : std::string();
    context.report(*dockerfile.file, word.span,
                   fmt::format("RUN {} \"{}\"{}, a place for {} on the container's own disk: {}; {}", verb, path,
                               where, state->what, kLostWithTheTask, remedy(state->kind)));
  }
};

std::string trim_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// A shell word's value with the stage's ENV/ARG expanded; nullopt when the shell decides it.
std::optional<std::string> word_path(const Dockerfile& dockerfile, const Stage& stage, size_t position,
                                     const shell::Word& word) {
  if (!word.has_expansion) return trim_slashes(std::string(word.value));
  if (word.text.find("$(") != std::string::npos || word.text.find('`') != std::string::npos) return std::nullopt;
  docker::Expansion expanded = dockerfile.expand(stage, position, word.text);
  if (!expanded.ok()) return std::nullopt;
  return trim_slashes(expanded.text);
}

// Whether the text may hold `install [-options] -d...` (\binstall\s+(-\S+\s+)*-[a-zA-Z]*d): the same
// test by hand, byte by byte, so that RE2 confirms only the few texts that pass it. RE2's search
// over every RUN that says `apt-get install` cost more than the rest of the rule. (It may say yes
// where RE2 says no: \S does not match bytes that are not UTF-8; never the other way round.)
bool may_install_directory(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; };
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto word = [&](char c) { return letter(c) || (c >= '0' && c <= '9') || c == '_'; };
  for (size_t at = text.find("install"); at != std::string_view::npos; at = text.find("install", at + 1)) {
    if (at > 0 && word(text[at - 1])) continue;
    size_t pos = at + 7;
    if (pos >= text.size() || !space(text[pos])) continue;
    while (pos < text.size() && space(text[pos])) ++pos;
    // Option words in a row; the one whose first letters hold a `d` is the folder option.
    while (pos < text.size() && text[pos] == '-') {
      for (size_t after = pos + 1; after < text.size() && letter(text[after]); ++after)
        if (text[after] == 'd') return true;
      size_t end = pos + 1;
      while (end < text.size() && !space(text[end])) ++end;
      if (end == pos + 1 || end == text.size()) break;
      pos = end;
      while (pos < text.size() && space(text[pos])) ++pos;
    }
  }
  return false;
}

void check_run(const Dockerfile& dockerfile, const Stage& stage, size_t position, const Instruction& instruction,
               Collector& collector) {
  // Most RUNs create no folder: skip the shell parser for them, and building their text.
  if (!docker::shell_source_may_contain(instruction, "mkdir") && !docker::shell_source_may_contain(instruction, "chown") &&
      !docker::shell_source_may_contain(instruction, "install"))
    return;
  const TextMap& source = docker::instruction_shell_source(*dockerfile.file, instruction);  // the parse's text too
  const std::string& text = source.text();
  static const RE2 install_directory(R"(\binstall\s+(-\S+\s+)*-[a-zA-Z]*d)");
  if (source.empty() || (text.find("mkdir") == std::string::npos && text.find("chown") == std::string::npos &&
                         !(may_install_directory(text) && RE2::PartialMatch(text, install_directory))))
    return;
  // Parsed once per file for all rules (instruction_script's cache).
  const shell::Script& script = docker::instruction_script(*dockerfile.file, instruction);
  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    if (write.method != shell::WriteMethod::MakeDirectory || !write.path) continue;
    if (auto path = word_path(dockerfile, stage, position, *write.path)) collector.created(stage, position, *write.path, *path, "creates");
  }
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    shell::EffectiveCommand command = shell::effective_command(script, index);
    if (command.program_name() != "chown") continue;
    shell::ParsedArguments parsed = shell::parse_arguments(command.arguments, {"--from"});
    // `chown OWNER PATH...`, or `chown --reference=FILE PATH...`.
    size_t first_path = std::any_of(parsed.options.begin(), parsed.options.end(), [](const auto& option) {
                          return option.word->value.starts_with("--reference");
                        }) ? 0 : 1;
    for (size_t i = first_path; i < parsed.operands.size(); ++i) {
      if (auto path = word_path(dockerfile, stage, position, *parsed.operands[i]))
        collector.created(stage, position, *parsed.operands[i], *path, "changes the owner of");
    }
  }
}

// PHP's session.save_handler set to `files` (php.ini lines written by RUN, `php -d` in CMD) and the
// framework settings that pick file sessions: Laravel's SESSION_DRIVER=file, Django's file backend.
const RE2& php_file_sessions() {
  // `session.save_handler = files`, `-d session.save_handler=files`, php-fpm's
  // `php_value[session.save_handler] = files`, .htaccess `php_value session.save_handler files`; not
  // a line commented out with ';' or '#'.
  static const RE2 pattern(R"((?m)^(?:[^;#\n]*[^;#\n\w.])?session\.save_handler\]?\s*[=\s]\s*["']?(files)\b)");
  return pattern;
}

constexpr std::string_view kSaveHandler = "save_handler";

void check_session_text(const SourceFile& file, const TextMap& text, RuleContext& context, std::string_view where) {
  if (text.text().find(kSaveHandler) == std::string::npos) return;
  re2::StringPiece input(text.text());
  re2::StringPiece value;
  size_t offset = 0;
  while (offset < text.text().size()) {
    re2::StringPiece rest(text.text().data() + offset, text.text().size() - offset);
    if (!RE2::PartialMatch(rest, php_file_sessions(), &value)) return;
    size_t begin = static_cast<size_t>(value.data() - input.data());
    size_t end = begin + value.size();
    context.report(file, text.span_of(file, begin, end),
                   fmt::format("{} sets PHP's session.save_handler to \"files\": sessions land on the container's "
                               "own disk, so a user is logged out whenever the next request reaches another replica "
                               "or a replaced task; set session.save_handler = redis (or memcached) with a shared "
                               "session.save_path",
                               where));
    offset = end;
  }
}

void check_session_env(const Dockerfile& dockerfile, const docker::Variable& variable, RuleContext& context) {
  if (!variable.pair || !variable.pair->has_value || !variable.known) return;
  std::string name = to_upper_ascii(variable.name);
  std::string value = to_lower_ascii(variable.value);
  std::string_view framework;
  if (name == "SESSION_DRIVER" && value == "file") framework = "Laravel";
  else if (name == "SESSION_ENGINE" && value == "django.contrib.sessions.backends.file") framework = "Django";
  else if (name.find("SESSION_SAVE_HANDLER") != std::string::npos && value == "files") framework = "PHP";
  if (framework.empty()) return;
  context.report(*dockerfile.file, variable.pair->value.span,
                 fmt::format("ENV {}={} makes {} keep sessions in files on the container's own disk: a user is logged "
                             "out whenever the next request reaches another replica or a replaced task; use a shared "
                             "store (Redis, Memcached, the database)",
                             variable.name, variable.value, framework));
}

// PHP configuration the image copies in: php.ini, conf.d/*.ini and php-fpm pools in PHP's own
// folders (/usr/local/etc/php*, /etc/php*: /etc/php/8.2/fpm/pool.d, /etc/php83, /etc/php.d), and the
// per-folder .user.ini and .htaccess (mod_php) anywhere. A php.ini that `COPY . .` puts into the app
// tree is not read by PHP.
bool is_php_config(std::string_view image_path) {
  std::string path = to_lower_ascii(image_path);
  std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
  if (name == ".user.ini" || name == ".htaccess") return true;
  bool php_folder = path.starts_with("/usr/local/etc/php") || path.starts_with("/etc/php");
  return php_folder && (name.ends_with(".ini") || name.ends_with(".conf"));
}

void check_copied_php_config(const Dockerfile& dockerfile, RuleContext& context) {
  const docker::BuildContext* build_context = dockerfile.build_context;
  if (!build_context) return;
  std::vector<std::string> read;
  for (const docker::ContextFile& copied : build_context->copied_files(dockerfile.final_stage())) {
    if (!is_php_config(copied.image_path)) continue;
    if (!copied.heredoc) {
      if (std::find(read.begin(), read.end(), copied.context_path) != read.end()) continue;
      read.push_back(copied.context_path);
    }
    std::optional<docker::ContextText> text = build_context->text(copied);
    if (!text) continue;
    check_session_text(*text->file, text->text, context, fmt::format("the PHP config copied to {}", copied.image_path));
  }
}

void check(const Dockerfile& dockerfile, RuleContext& context) {
  if (!dockerfile.final_stage()) return;
  Collector collector{dockerfile, context, {}, {}, runs_data_store(dockerfile)};
  std::vector<const Stage*> stages = docker::final_image_stages(dockerfile);
  // VOLUMEs first, so that the folders they cover are not reported twice.
  for (const Stage* stage : stages) {
    for (size_t position = 0; position < stage->instructions.size(); ++position) {
      const Instruction& instruction = *stage->instructions[position];
      if (!instruction.is("VOLUME")) continue;
      // Docker expands variables in VOLUME in either form: `VOLUME ["${GITLAB_DATA_DIR}"]`.
      for (const docker::Word& word : instruction.arguments)
        collector.volume(word, trim_slashes(dockerfile.expand(*stage, position, word.text).text));
    }
  }
  for (const Stage* stage : stages) {
    for (size_t position = 0; position < stage->instructions.size(); ++position) {
      const Instruction& instruction = *stage->instructions[position];
      if (instruction.is("RUN")) {
        check_run(dockerfile, *stage, position, instruction, collector);
        if (docker::shell_source_may_contain(instruction, kSaveHandler))
          check_session_text(*dockerfile.file, docker::shell_source(*dockerfile.file, instruction), context, "RUN");
      } else if ((instruction.is("CMD") || instruction.is("ENTRYPOINT")) &&
                 docker::shell_source_may_contain(instruction, kSaveHandler)) {
        TextMap text = instruction.form == docker::Form::Exec ? instruction.arguments_map()
                                                              : docker::shell_source(*dockerfile.file, instruction);
        check_session_text(*dockerfile.file, text, context, instruction.keyword);
      }
    }
    for (const docker::Variable& variable : dockerfile.scopes[stage->index].bindings)
      if (variable.kind == docker::Variable::Kind::Env) check_session_env(dockerfile, variable, context);
  }
  check_copied_php_config(dockerfile, context);
}

const RuleRegistration registration{{
    .id = "DKR009",
    .slug = "local-state-volume",
    .severity = Severity::Warning,
    .summary = "The image keeps uploads, sessions, SQLite or app data on its own disk (VOLUME, created dirs, file sessions)",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
