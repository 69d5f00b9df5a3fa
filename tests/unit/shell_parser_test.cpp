#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/crontab_call.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/parse/shell/shell_reader.h"
#include "analyzer/parse/shell/syntax_tree_cache.h"
#include "analyzer/parse/shell/ulimit_call.h"

using namespace shiftlint;
using namespace shiftlint::shell;

namespace {

// "line:column-line:column", to compare spans at a glance.
std::string where(const Span& span) {
  return std::to_string(span.begin.line) + ":" + std::to_string(span.begin.column) + "-" +
         std::to_string(span.end.line) + ":" + std::to_string(span.end.column);
}

// Appends file bytes from (line, column) up to, not including, (line, end_column).
void append_part(TextMap& map, const SourceFile& file, uint32_t line, uint32_t column, uint32_t end_column) {
  size_t begin = file.offset_of({line, column});
  size_t end = file.offset_of({line, end_column});
  map.append_copy(file.text().substr(begin, end - begin), begin);
}

std::vector<std::string> values(std::span<const Word> words) {
  std::vector<std::string> result;
  for (const Word& word : words) result.emplace_back(word.value);
  return result;
}

std::vector<std::string> wrapper_names(const EffectiveCommand& effective) {
  std::vector<std::string> result;
  for (const Wrapper& wrapper : effective.wrappers) result.emplace_back(wrapper_name(wrapper.kind));
  return result;
}

// A command's redirection targets, "(group)" marking those an enclosing loop or group hands it.
std::vector<std::string> redirection_targets(const Command& command) {
  std::vector<std::string> result;
  for (const Redirection& redirection : command.redirections)
    result.push_back(std::string(redirection.target.value) + (redirection.from_enclosing_group ? " (group)" : ""));
  return result;
}

}  // namespace

TEST_CASE("shell: a RUN body joined over continuation lines maps every word back to its line") {
  SourceFile file("Dockerfile", "Dockerfile",
                  "FROM debian:12\n"
                  "RUN apt-get update \\\n"
                  "    && apt-get install -y --no-install-recommends cron supervisor \\\n"
                  "    && rm -rf /var/lib/apt/lists/*\n");
  // What a Dockerfile parser hands over: the body after `RUN `, with each `\` + line break removed.
  TextMap body;
  append_part(body, file, 2, 5, 20);
  append_part(body, file, 3, 1, 67);
  append_part(body, file, 4, 1, 35);
  REQUIRE(body.text() ==
          "apt-get update     && apt-get install -y --no-install-recommends cron supervisor     && rm -rf "
          "/var/lib/apt/lists/*");

  Script script = parse_shell(file, body);
  REQUIRE(script.commands.size() == 3);
  CHECK_FALSE(script.has_syntax_errors);

  const Command& update = script.commands[0];
  CHECK(update.name.value == "apt-get");
  CHECK(values(update.arguments) == std::vector<std::string>{"update"});
  CHECK(where(update.span) == "2:5-2:19");
  CHECK(update.connector == Connector::None);

  const Command& install = script.commands[1];
  CHECK(install.connector == Connector::And);
  CHECK(where(install.span) == "3:8-3:66");
  CHECK(where(install.arguments[2].span) == "3:27-3:50");
  CHECK_FALSE(install.ends_script);

  const Command& cleanup = script.commands[2];
  CHECK(cleanup.connector == Connector::And);
  CHECK(values(cleanup.arguments) == std::vector<std::string>{"-rf", "/var/lib/apt/lists/*"});
  CHECK(where(cleanup.arguments[1].span) == "4:15-4:35");
  CHECK(cleanup.ends_script);

  std::vector<PackageInstall> installs = find_package_installs(script);
  REQUIRE(installs.size() == 1);
  CHECK(installs[0].manager == PackageManager::Apt);
  CHECK(installs[0].command == 1);
  REQUIRE(installs[0].packages.size() == 2);
  CHECK(installs[0].packages[0].name == "cron");
  CHECK(where(installs[0].packages[0].word->span) == "3:51-3:55");
  CHECK(installs[0].packages[1].name == "supervisor");
  CHECK(where(installs[0].packages[1].word->span) == "3:56-3:66");
}

TEST_CASE("shell: a YAML block scalar without its indentation maps back inside the YAML file") {
  SourceFile file("app.config", ".ebextensions/app.config",
                  "container_commands:\n"
                  "  01_cron:\n"
                  "    command: |\n"
                  "      echo \"* * * * * root /app/bin/task\" > /etc/cron.d/task\n"
                  "      chmod 0644 /etc/cron.d/task\n");
  TextMap block;
  append_part(block, file, 4, 7, 61);
  block.append_copy("\n", file.offset_of({4, 61}));
  append_part(block, file, 5, 7, 34);
  block.append_copy("\n", file.offset_of({5, 34}));
  REQUIRE(block.text() == "echo \"* * * * * root /app/bin/task\" > /etc/cron.d/task\nchmod 0644 /etc/cron.d/task\n");

  Script script = parse_shell(file, block);
  REQUIRE(script.commands.size() == 2);
  const Command& echo = script.commands[0];
  CHECK(where(echo.name.span) == "4:7-4:11");
  REQUIRE(echo.arguments.size() == 1);
  CHECK(echo.arguments[0].value == "* * * * * root /app/bin/task");
  CHECK(echo.arguments[0].text == "\"* * * * * root /app/bin/task\"");
  CHECK(where(echo.arguments[0].span) == "4:12-4:42");
  REQUIRE(echo.redirections.size() == 1);
  CHECK(where(echo.redirections[0].target.span) == "4:45-4:61");

  CHECK(where(script.commands[1].span) == "5:7-5:34");
  CHECK(script.commands[1].connector == Connector::Sequence);

  std::vector<PathWrite> writes = find_path_writes(script);
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].method == WriteMethod::Redirection);
  CHECK(writes[0].path->value == "/etc/cron.d/task");
  CHECK_FALSE(writes[0].appends);
}

TEST_CASE("shell: a command followed only by || in the script's last list may be its last command") {
  auto ends = [](const std::string& text) {
    SourceFile file("x.sh", "x.sh", text);
    Script script = parse_shell_file(file);
    std::vector<std::string> names;
    for (const Command& command : script.commands)
      if (command.ends_script) names.emplace_back(command.name.value);
    return names;
  };
  // Success skips the || branch: npm is the last command then (NodeBB's entrypoint).
  CHECK(ends("npm start || { echo failed; exit 1; }\n") == std::vector<std::string>{"npm", "exit"});
  CHECK(ends("a || b || c\n") == std::vector<std::string>{"a", "b", "c"});
  // A success of a runs b next; b's success skips c.
  CHECK(ends("a && b || c\n") == std::vector<std::string>{"b", "c"});
  CHECK(ends("a || b && c\n") == std::vector<std::string>{"c"});
  CHECK(ends("a && b\n") == std::vector<std::string>{"b"});
  // Not the script's last statement: nothing in it ends the script.
  CHECK(ends("a || b\nc\n") == std::vector<std::string>{"c"});
}

TEST_CASE("shell: commands inside a sh -c string land on the columns of the string literal") {
  SourceFile file("entrypoint.sh", "entrypoint.sh", "sh -c \"nginx -g 'daemon off;' && echo \\\"up\\\"\"\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 3);

  const Command& shell = script.commands[0];
  CHECK(shell.name.value == "sh");
  CHECK(shell.arguments[1].value == "nginx -g 'daemon off;' && echo \"up\"");
  CHECK(shell.ends_script);

  const Command& nginx = script.commands[1];
  CHECK(nginx.parent == 0);
  CHECK(nginx.nesting == Nesting::ShellString);
  CHECK(nginx.shell_string_depth == 1);
  CHECK(where(nginx.name.span) == "1:8-1:13");
  CHECK(where(nginx.arguments[0].span) == "1:14-1:16");
  CHECK(nginx.arguments[1].value == "daemon off;");
  CHECK(where(nginx.arguments[1].span) == "1:17-1:30");
  CHECK_FALSE(nginx.ends_script);

  const Command& echo = script.commands[2];
  CHECK(echo.connector == Connector::And);
  CHECK(where(echo.name.span) == "1:34-1:38");
  CHECK(echo.arguments[0].value == "up");
  // The escaped quotes: `\"up\"` in the file, `"up"` in the string; the backslash is not part of it.
  CHECK(where(echo.arguments[0].span) == "1:40-1:45");
  CHECK(echo.ends_script);

  CHECK(script.nested_in(0) == std::vector<uint32_t>{1, 2});
  // Two commands in the string: the effective program stays the shell.
  EffectiveCommand effective = effective_command(script, 0);
  CHECK(effective.program_name() == "sh");
  REQUIRE(effective.shell_string != nullptr);
  CHECK(effective.shell_string == &shell.arguments[1]);
}

TEST_CASE("shell: the heredoc a shell reads as its script is walked like a sh -c string") {
  SourceFile file("setup.sh", "setup.sh",
                  "bash -eu -o pipefail <<'EOF'\n"
                  "\tapt-get install -y cron\n"
                  "chown -R app /srv\n"
                  "EOF\n"
                  "sh -s -- one two <<EOF\n"
                  "echo \"$1\"\n"
                  "EOF\n");
  Script script = parse_shell_file(file);
  std::vector<std::string> names;
  for (const Command& command : script.commands) names.emplace_back(command.name.value);
  REQUIRE(names == std::vector<std::string>{"bash", "apt-get", "chown", "sh", "echo"});

  const Command& install = script.commands[1];
  CHECK(install.parent == 0);
  CHECK(install.nesting == Nesting::ShellString);
  CHECK(install.shell_string_depth == 1);
  CHECK(where(install.name.span) == "2:2-2:9");  // on the file's own line and column
  CHECK(values(install.arguments) == std::vector<std::string>{"install", "-y", "cron"});
  CHECK_FALSE(install.ends_script);
  CHECK(script.commands[2].ends_script);  // the last command of the script bash reads
  CHECK(script.nested_in(0) == std::vector<uint32_t>{1, 2});
  CHECK(where(script.commands[4].name.span) == "6:1-6:5");
  CHECK(script.commands[4].parent == 3);
  // The shell itself stays the program: the heredoc is no `-c` string.
  CHECK(effective_command(script, 0).program_name() == "bash");
  CHECK(effective_command(script, 0).shell_string == nullptr);

  // A shell given a script file (or `-c`), or a program that is no shell, reads the heredoc as
  // data: nothing in it runs as a command here.
  for (std::string text : {"bash ./install.sh <<EOF\napt-get install -y cron\nEOF\n",
                           "cat <<EOF\napt-get install -y cron\nEOF\n",
                           "sh -c 'cat' <<EOF\napt-get install -y cron\nEOF\n",
                           "$SHELL <<EOF\napt-get install -y cron\nEOF\n"}) {
    SourceFile data("data.sh", "data.sh", text);
    Script parsed = parse_shell_file(data);
    for (const Command& command : parsed.commands) CHECK(command.name.value != "apt-get");
  }
}

TEST_CASE("shell: an exec-form command list parses to its words, and a sh -c string inside it to commands") {
  SourceFile file("pod.yaml", "pod.yaml", "command: [\"sh\", \"-c\", \"exec sidekiq -C config/sidekiq.yml\", \"it's\"]\n");
  // What a Kubernetes or ECS model hands over: each list item decoded and mapped to the file.
  std::vector<ExecWord> words;
  for (auto [begin, end] : std::vector<std::pair<uint32_t, uint32_t>>{{11, 15}, {17, 21}, {23, 59}, {61, 67}}) {
    ExecWord word;
    append_part(word.value, file, 1, begin + 1, end - 1);
    word.file_begin = file.offset_of({1, begin});
    word.file_end = file.offset_of({1, end});
    words.push_back(std::move(word));
  }
  REQUIRE(exec_form_text(words).text() == "'sh' '-c' 'exec sidekiq -C config/sidekiq.yml' 'it'\\''s'");

  Script script = parse_exec_form(file, words);
  REQUIRE(script.commands.size() == 2);
  const Command& shell = script.commands[0];
  CHECK(where(shell.name.span) == "1:11-1:15");
  REQUIRE(shell.arguments.size() == 3);
  CHECK(where(shell.arguments[1].span) == "1:23-1:59");
  CHECK(shell.arguments[2].value == "it's");
  CHECK(where(shell.arguments[2].span) == "1:61-1:67");

  const Command& inner = script.commands[1];
  CHECK(inner.nesting == Nesting::ShellString);
  CHECK(where(inner.arguments[0].span) == "1:29-1:36");
  EffectiveCommand effective = effective_command(script, 0);
  CHECK(effective.program_name() == "sidekiq");
  CHECK(effective.exec);
  CHECK(wrapper_names(effective) == std::vector<std::string>{"sh -c", "exec"});
}

TEST_CASE("shell: heredocs keep their body, tab stripping and positions") {
  SourceFile file("setup.sh", "setup.sh",
                  "cat <<-EOF > /etc/cron.d/backup\n"
                  "\t0 3 * * * root /usr/local/bin/backup\n"
                  "\tEOF\n"
                  "cat <<'END' | crontab -\n"
                  "*/5 * * * * /app/run $(date)\n"
                  "END\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 3);  // no `date`: the quoted delimiter turns expansion off

  const Command& cron_file = script.commands[0];
  CHECK(where(cron_file.span) == "1:1-1:32");
  REQUIRE(cron_file.heredocs.size() == 1);
  const Heredoc& backup = cron_file.heredocs[0];
  CHECK(backup.delimiter == "EOF");
  CHECK(backup.strip_tabs);
  CHECK_FALSE(backup.quoted);
  CHECK(backup.terminated);
  CHECK(where(backup.operator_span) == "1:5-1:11");
  CHECK(backup.body.text() == "0 3 * * * root /usr/local/bin/backup\n");
  CHECK(where(backup.body.span_of(file, 0, 1)) == "2:2-2:3");
  CHECK(where(backup.body.span_of(file, 15, 36)) == "2:17-2:38");
  REQUIRE(cron_file.redirections.size() == 1);
  CHECK(where(cron_file.redirections[0].target.span) == "1:14-1:32");

  const Command& table = script.commands[1];
  REQUIRE(table.heredocs.size() == 1);
  CHECK(table.heredocs[0].quoted);
  CHECK(table.heredocs[0].delimiter == "END");
  CHECK(table.heredocs[0].body.text() == "*/5 * * * * /app/run $(date)\n");
  CHECK(table.in_pipeline);

  const Command& crontab = script.commands[2];
  CHECK(crontab.connector == Connector::Pipe);
  CHECK(crontab.ends_script);

  std::vector<PathWrite> writes = find_path_writes(script);
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].content == &backup);

  std::vector<CrontabCall> calls = find_crontab_calls(script);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].action == CrontabAction::Install);
  CHECK(calls[0].from_standard_input);
  CHECK(calls[0].command == 2);
}

TEST_CASE("shell: a heredoc piped into a command that an && list continues") {
  SourceFile file("x.sh", "x.sh", "cat <<EOF | sh -x && echo done\nls /\nEOF\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 3);
  CHECK(script.commands[0].in_pipeline);
  CHECK_FALSE(script.commands[0].ends_script);
  CHECK(script.commands[1].name.value == "sh");
  CHECK(script.commands[1].connector == Connector::Pipe);
  CHECK(script.commands[1].in_pipeline);
  CHECK(script.commands[2].name.value == "echo");
  CHECK(script.commands[2].connector == Connector::And);
  CHECK_FALSE(script.commands[2].in_pipeline);
  CHECK(script.commands[2].ends_script);
  CHECK(script.commands[0].heredocs[0].body.text() == "ls /\n");
}

TEST_CASE("shell: an unquoted heredoc's command substitutions are nested commands") {
  SourceFile file("x.sh", "x.sh", "cat > /etc/motd <<EOF\nbuilt $(date -u)\nEOF\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 2);
  CHECK(script.commands[1].name.value == "date");
  CHECK(script.commands[1].parent == 0);
  CHECK(script.commands[1].nesting == Nesting::CommandSubstitution);
  CHECK(where(script.commands[1].span) == "2:9-2:16");
  CHECK(script.commands[0].heredocs[0].body.text() == "built $(date -u)\n");
}

TEST_CASE("shell: wrappers are stripped down to the program that runs") {
  struct Case {
    std::string line;
    std::string program;
    std::vector<std::string> wrappers;
    bool exec;
  };
  std::vector<Case> cases = {
      {"exec \"$@\"", "$@", {"exec"}, true},
      {"sudo -u app -E env RAILS_ENV=production bundle exec sidekiq -C config.yml", "sidekiq",
       {"sudo", "env", "bundle exec"}, false},
      {"nohup timeout -s KILL 30 nice -n 10 python3 worker.py", "python3", {"nohup", "timeout", "nice"}, false},
      {"gosu www-data php-fpm -F", "php-fpm", {"gosu"}, false},
      // Short options clustered, the last taking the next word; an attached argument takes none.
      {"sudo -HEu git bundle exec rake db:migrate", "rake", {"sudo", "bundle exec"}, false},
      {"sudo -ugit -H rake db:migrate", "rake", {"sudo"}, false},
      {"nice -n10 ionice -c2 -n7 backup.sh", "backup.sh", {"nice", "nice"}, false},
      {"exec su-exec app:app node server.js", "node", {"exec", "su-exec"}, true},
      {"setuser app bundle exec rake db:migrate", "rake", {"setuser", "bundle exec"}, false},
      {"s6-setuidgid node npm run build", "npm", {"s6-setuidgid"}, false},
      {"/sbin/tini -g -- /usr/local/bin/docker-entrypoint.sh postgres", "docker-entrypoint.sh", {"tini"}, false},
      {"dumb-init --rewrite 15:3 -- nginx -g 'daemon off;'", "nginx", {"dumb-init"}, false},
      {"exec sh -c 'exec crond -f -l 2'", "crond", {"exec", "sh -c", "exec"}, true},
      {"bash -o pipefail -ec \"exec puma -C config/puma.rb\"", "puma", {"sh -c", "exec"}, true},
      {"busybox crond -f", "crond", {"busybox"}, false},
      {"su - deploy -c \"sidekiq -d\"", "sidekiq", {"su"}, false},
      {"runuser -u app -- celery -A proj worker", "celery", {"runuser"}, false},
      {"chpst -u app:app -- rake jobs:work", "rake", {"chpst"}, false},
      {"command -v nginx", "command", {}, false},
      {"env", "", {"env"}, false},
      {"exec > /var/log/app.log 2>&1", "", {"exec"}, true},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    SourceFile file("x.sh", "x.sh", c.line + "\n");
    Script script = parse_shell_file(file);
    REQUIRE_FALSE(script.commands.empty());
    EffectiveCommand effective = effective_command(script, 0);
    CHECK(std::string(effective.program_name()) == c.program);
    CHECK(wrapper_names(effective) == c.wrappers);
    CHECK(effective.exec == c.exec);
  }

  SourceFile file("x.sh", "x.sh", "sudo -E env RAILS_ENV=production TZ=UTC bundle exec sidekiq -C config.yml\n");
  Script script = parse_shell_file(file);
  EffectiveCommand effective = effective_command(script, 0);
  REQUIRE(effective.environment.size() == 2);
  CHECK(effective.environment[0]->value == "RAILS_ENV=production");
  CHECK(values({effective.arguments.begin(), effective.arguments.end()}) == std::vector<std::string>{"-C", "config.yml"});
  CHECK(where(effective.program->span) == "1:53-1:60");
  CHECK(find_commands(script, {"sidekiq"}) == std::vector<uint32_t>{0});
  CHECK(find_commands(script, {"sudo"}).empty());
}

TEST_CASE("shell: a variable the script sets only to nothing or a wrapper is seen through as a command name") {
  auto program_of_last = [](const std::string& text) {
    SourceFile file("x.sh", "x.sh", text);
    Script script = parse_shell_file(file);
    REQUIRE_FALSE(script.commands.empty());
    return std::string(effective_command(script, static_cast<uint32_t>(script.commands.size() - 1)).program_name());
  };
  // myoung34's runner entrypoint: empty as root, sudo otherwise.
  CHECK(program_of_last("_PREFIX=\"\"\n[[ $(id -u) -ne 0 ]] && _PREFIX=\"sudo\"\n${_PREFIX} service docker start\n") ==
        "service");
  CHECK(program_of_last("AS_APP='gosu app'\n$AS_APP php artisan migrate --force\n") == "php");
  CHECK(program_of_last("f() {\n  local maybe_sudo=\n  [ \"$(id -u)\" = 0 ] || maybe_sudo='sudo -E'\n  $maybe_sudo apt-get update\n}\n") ==
        "apt-get");
  // Any other value, a value from elsewhere, or no assignment at all: the variable is the program.
  CHECK(program_of_last("RUNNER=\"\"\nRUNNER=python3\n$RUNNER worker.py\n") == "$RUNNER");
  CHECK(program_of_last("SUDO=$(command -v sudo)\n$SUDO service cron start\n") == "$SUDO");
  CHECK(program_of_last("$CMD service cron start\n") == "$CMD");
  CHECK(program_of_last("for p in '' sudo; do :; done\n$p service cron start\n") == "$p");
  // Quoted, an empty value is still an (empty) command name.
  CHECK(program_of_last("P=\"\"\n\"$P\" service cron start\n") == "$P");
}

TEST_CASE("shell: a prefix variable whose every value starts with exec makes the command exec its program") {
  auto last = [](const std::string& text, bool& exec) {
    SourceFile file("x.sh", "x.sh", text);
    Script script = parse_shell_file(file);
    REQUIRE_FALSE(script.commands.empty());
    EffectiveCommand effective = effective_command(script, static_cast<uint32_t>(script.commands.size() - 1));
    exec = effective.exec;
    return effective.program ? std::string(effective.program->value) : std::string();
  };
  bool exec = false;
  // neo4j's entrypoint: gosu as root, plain exec otherwise; either way the CMD replaces the shell.
  CHECK(last("if [ \"$(id -u)\" = \"0\" ]; then\n  exec_cmd=\"exec gosu neo4j:neo4j\"\nelse\n  exec_cmd=\"exec\"\nfi\n"
             "${exec_cmd} \"${@}\"\n",
             exec) == "${@}");
  CHECK(exec);
  // exec on one path only: the program is still the next word, not exec-ed.
  CHECK(last("RUN=\"\"\n[ -n \"$X\" ] && RUN=\"exec\"\n$RUN app serve\n", exec) == "app");
  CHECK_FALSE(exec);
  // exec followed by anything but a wrapper: the variable stays the program.
  CHECK(last("RUN=\"exec python3\"\n$RUN app.py\n", exec) == "$RUN");
}

TEST_CASE("shell: the wrapper chain kept with each command answers as reading its words again") {
  SourceFile file("x.sh", "x.sh",
                  "exec sudo -u app -E env RAILS_ENV=production bundle exec sidekiq -C config.yml\n"
                  "su - deploy -c \"sidekiq -d\"\n"
                  "bash -o pipefail -ec 'apt-get update && apt-get install -y cron'\n"
                  "exec > /var/log/app.log 2>&1\n"
                  "env -i A=1 B=2 C=3 D=4 E=5 python3 worker.py\n"
                  "exec sudo nohup nice -n 5 setsid timeout 30 python3 worker.py --once\n"
                  "command -v nginx\n"
                  "\"$RUNNER\" serve\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() >= 8);
  auto describe = [](const Command& command, const EffectiveCommand& effective) {
    std::string text = std::string(effective.program_name()) + "|";
    for (const Wrapper& wrapper : effective.wrappers) {
      text += std::string(wrapper_name(wrapper.kind)) + "@" + std::string(wrapper.word->value) + ",";
    }
    text += "|";
    for (const Word* word : effective.environment) text += std::string(word->value) + ",";
    text += "|";
    for (const Word& word : effective.arguments) text += std::string(word.value) + ",";
    text += effective.exec ? "|exec" : "|";
    text += effective.shell_string ? "|" + std::string(effective.shell_string->value) : "|";
    text += effective.command == &command ? "" : "|other command";
    return text;
  };
  size_t kept = 0;
  for (const Command& command : script.commands) {
    INFO(command.name.value);
    Command read_again = command;
    read_again.chain = {};
    CHECK(describe(command, effective_command(command)) == describe(read_again, effective_command(read_again)));
    if (command.chain.known) ++kept;
  }
  // Five `env` assignments and six wrappers are more than a command keeps: those are read again.
  CHECK(kept == script.commands.size() - 2);
  CHECK(describe(script.commands[0], effective_command(script.commands[0])) ==
        "sidekiq|exec@exec,sudo@sudo,env@env,bundle exec@bundle,|RAILS_ENV=production,|-C,config.yml,|exec|");

  // A moved Script keeps the answers: they name words by position, not by address.
  Script moved = std::move(script);
  EffectiveCommand effective = effective_command(moved.commands[0]);
  REQUIRE(effective.program);
  CHECK(effective.program == &moved.commands[0].arguments[8]);
  CHECK(where(effective.program->span) == "1:58-1:65");
}

TEST_CASE("shell: words stay valid after the parsed text and the original Script are gone") {
  SourceFile file("x.sh", "x.sh",
                  "apt-get install -y 'cron' \"super\"visor a\\ b $'tab\\there' \"$HOME/x\"\n"
                  "sh -c 'exec nginx -g \"daemon off;\"'\n");
  Script copy;
  {
    auto text = std::make_unique<TextMap>(text_map_of_range(file, 0, file.text().size()));
    Script original = parse_shell(file, *text);
    text.reset();
    // Reuse the freed memory, so that a view into it would read other bytes.
    std::vector<std::string> filler(64, std::string(file.text().size(), 'X'));
    copy = original;
  }
  REQUIRE(copy.commands.size() == 3);
  CHECK(copy.commands[0].name.value == "apt-get");
  std::vector<std::string> arguments = values(copy.commands[0].arguments);
  CHECK(arguments == std::vector<std::string>{"install", "-y", "cron", "supervisor", "a b", "tab\there", "$HOME/x"});
  CHECK(copy.commands[0].arguments[3].text == "\"super\"visor");
  CHECK(copy.commands[2].name.value == "exec");
  CHECK(values(copy.commands[2].arguments) == std::vector<std::string>{"nginx", "-g", "daemon off;"});
  CHECK(where(copy.commands[2].arguments[2].span) == "2:22-2:35");
}

TEST_CASE("shell: package installs from every package manager, with versions") {
  SourceFile file("x.sh", "x.sh",
                  "apt-get update && apt-get install -y --no-install-recommends cron=3.0pl1-162 supervisor\n"
                  "apk add --no-cache --virtual .build-deps gcc musl-dev=1.2.4-r2\n"
                  "yum -y install httpd mod_ssl\n"
                  "dnf install -y --setopt=install_weak_deps=False nginx\n"
                  "sudo pip3 install --no-cache-dir -r requirements.txt \"uvicorn[standard]>=0.23\" flask==2.3.2\n"
                  "python3 -m pip install gunicorn\n"
                  "gem install bundler -v 2.4.22 --no-document\n"
                  "npm install -g pm2@5 @aws/cli\n"
                  "npm install\n"
                  "yarn global add serve\n"
                  "rpm -ivh https://example.com/epel-release.rpm\n"
                  "apt-get install -y $BUILD_DEPS\n");
  Script script = parse_shell_file(file);
  std::vector<PackageInstall> installs = find_package_installs(script);
  REQUIRE(installs.size() == 11);

  auto names = [](const PackageInstall& install) {
    std::vector<std::string> result;
    for (const Package& package : install.packages) result.push_back(package.name);
    return result;
  };
  CHECK(installs[0].manager == PackageManager::Apt);
  CHECK(names(installs[0]) == std::vector<std::string>{"cron", "supervisor"});
  CHECK(installs[0].packages[0].version == "3.0pl1-162");

  CHECK(installs[1].manager == PackageManager::Apk);
  CHECK(names(installs[1]) == std::vector<std::string>{"gcc", "musl-dev"});
  CHECK(installs[1].packages[1].version == "1.2.4-r2");

  CHECK(installs[2].manager == PackageManager::Yum);
  CHECK(names(installs[2]) == std::vector<std::string>{"httpd", "mod_ssl"});
  CHECK(installs[3].manager == PackageManager::Dnf);
  CHECK(names(installs[3]) == std::vector<std::string>{"nginx"});

  CHECK(installs[4].manager == PackageManager::Pip);
  CHECK(names(installs[4]) == std::vector<std::string>{"uvicorn[standard]", "flask"});
  CHECK(installs[4].packages[0].version == ">=0.23");
  CHECK(installs[4].packages[1].version == "==2.3.2");
  REQUIRE(installs[4].requirement_files.size() == 1);
  CHECK(installs[4].requirement_files[0]->value == "requirements.txt");
  CHECK(where(installs[4].requirement_files[0]->span) == "5:37-5:53");

  CHECK(installs[5].manager == PackageManager::Pip);
  CHECK(installs[5].program->value == "python3");
  CHECK(names(installs[5]) == std::vector<std::string>{"gunicorn"});

  CHECK(installs[6].manager == PackageManager::Gem);
  CHECK(names(installs[6]) == std::vector<std::string>{"bundler"});
  CHECK(installs[6].packages[0].version == "2.4.22");

  CHECK(installs[7].manager == PackageManager::Npm);
  CHECK(installs[7].global);
  CHECK(names(installs[7]) == std::vector<std::string>{"pm2", "@aws/cli"});
  CHECK(installs[7].packages[0].version == "5");

  CHECK(installs[8].manager == PackageManager::Yarn);
  CHECK(names(installs[8]) == std::vector<std::string>{"serve"});
  CHECK(installs[9].manager == PackageManager::Rpm);

  REQUIRE(installs[10].packages.size() == 1);
  CHECK(installs[10].packages[0].word->has_expansion);
}

TEST_CASE("shell: a package list kept in a variable the script assigns is read from the assignment") {
  SourceFile file("x.sh", "x.sh",
                  "PKGS=\"bash \\\n    cron=3.0pl1-162\"\n"
                  "PKGS=\"$PKGS supervisor\"\n"
                  "EXTRA=logrotate; EXTRA+=\" rsync --no-op $(cat more.txt)\"\n"
                  "apt-get install -y $PKGS \"${EXTRA}\" $UNSET ${PKGS:-x}\n"
                  "LATER=openssh-server\n"
                  "apt-get install -y $LATER\n");
  Script script = parse_shell_file(file);
  const std::vector<PackageInstall>& installs = find_package_installs(script);
  REQUIRE(installs.size() == 2);
  std::vector<std::string> names;
  for (const Package& package : installs[0].packages) names.push_back(package.name);
  // The words the script does not assign stay as written; the others stand for their values.
  CHECK(names == std::vector<std::string>{"$UNSET", "${PKGS:-x}", "bash", "cron", "supervisor", "logrotate", "rsync"});
  const Package& cron = installs[0].packages[3];
  CHECK(cron.version == "3.0pl1-162");
  CHECK_FALSE(cron.word->has_expansion);
  REQUIRE(cron.variable);
  CHECK(cron.variable->text == "$PKGS");
  REQUIRE(cron.assignment);
  CHECK(cron.assignment->value.text.substr(cron.offset, 4) == "cron");
  // Placed in the file through the value's own span.
  CHECK(where(file.span_within(cron.assignment->value.span, cron.assignment->value.text, cron.offset,
                               cron.offset + cron.word->text.size())) == "2:5-2:20");
  CHECK(installs[0].packages[4].assignment->span.begin.line == 3);
  // Assigned after the install that names it, at the second install only.
  REQUIRE(installs[1].packages.size() == 1);
  CHECK(installs[1].packages[0].name == "openssh-server");
}

TEST_CASE("shell: package-list helpers") {
  CHECK(named_variable(Word{"$PKGS", "$PKGS", true, {}}) == "PKGS");
  CHECK(named_variable(Word{"\"${INSTALL_PKGS}\"", "${INSTALL_PKGS}", true, {}}) == "INSTALL_PKGS");
  CHECK(named_variable(Word{"${PKGS:-x}", "${PKGS:-x}", true, {}}).empty());
  CHECK(named_variable(Word{"pkg-$V", "pkg-$V", true, {}}).empty());
  CHECK(named_variable(Word{"$1", "$1", true, {}}).empty());

  auto words = [](std::string_view written, char escape = '\\') {
    std::vector<std::string> result;
    for (auto [begin, end] : literal_list_words(written, escape)) result.emplace_back(written.substr(begin, end - begin));
    return result;
  };
  CHECK(words("\"bash \\\n  tzdata\"") == std::vector<std::string>{"bash", "tzdata"});
  CHECK(words("'a' b\tc") == std::vector<std::string>{"a", "b", "c"});
  CHECK(words("\"$BASE cron pkg-${V} --no-cache x\\y *\"") == std::vector<std::string>{"cron"});
  CHECK(words("\"a `\n b\"", '`') == std::vector<std::string>{"a", "b"});
}

TEST_CASE("shell: options kept in a variable before the subcommand do not hide the install") {
  // OCS Inventory's images: `ARG YUM_FLAGS="-y"`, then `yum ${YUM_FLAGS} install ...`.
  SourceFile file("x.sh", "x.sh",
                  "yum ${YUM_FLAGS} install httpd cronie\n"
                  "apt-get $APT_FLAGS install -y cron\n"
                  "apk \"$APK_OPTS\" add openssh-server\n"
                  "apt-get $ACTION nginx\n"
                  "apt-get ${APT_FLAGS}\n");
  Script script = parse_shell_file(file);
  std::vector<PackageInstall> installs = find_package_installs(script);
  REQUIRE(installs.size() == 3);
  CHECK(installs[0].manager == PackageManager::Yum);
  REQUIRE(installs[0].packages.size() == 2);
  CHECK(installs[0].packages[1].name == "cronie");
  CHECK(installs[1].manager == PackageManager::Apt);
  REQUIRE(installs[1].packages.size() == 1);
  CHECK(installs[1].packages[0].name == "cron");
  CHECK(installs[2].manager == PackageManager::Apk);
  REQUIRE(installs[2].packages.size() == 1);
  CHECK(installs[2].packages[0].name == "openssh-server");
}

TEST_CASE("shell: yum and dnf packages pinned as name-version-release name their package") {
  // CentOS images pin `openssh-server-7.4p1-21.el7`; names with hyphens and digits stay whole.
  SourceFile file("x.sh", "x.sh",
                  "yum -y install openssh-server-7.4p1-21.el7 cronie-1.5.7-8.el9.x86_64 nginx-1:1.20.1-14.el9 "
                  "logrotate-3.18.0 java-1.8.0-openjdk java-1.8.0-openjdk-devel-1.8.0.292.b10-1.el7_9 "
                  "gcc-toolset-12 devtoolset-8-gcc @development ./local-1.0-1.rpm\n");
  Script script = parse_shell_file(file);
  std::vector<PackageInstall> installs = find_package_installs(script);
  REQUIRE(installs.size() == 1);
  std::vector<std::pair<std::string, std::string>> packages;
  for (const Package& package : installs[0].packages) packages.emplace_back(package.name, package.version);
  CHECK(packages == std::vector<std::pair<std::string, std::string>>{
                        {"openssh-server", "7.4p1-21.el7"},
                        {"cronie", "1.5.7-8.el9.x86_64"},
                        {"nginx", "1:1.20.1-14.el9"},
                        {"logrotate", "3.18.0"},
                        {"java-1.8.0-openjdk", ""},
                        {"java-1.8.0-openjdk-devel", "1.8.0.292.b10-1.el7_9"},
                        {"gcc-toolset-12", ""},
                        {"devtoolset-8-gcc", ""},
                        {"@development", ""},
                        {"./local-1.0-1.rpm", ""},
                    });
}

TEST_CASE("shell: distribution wrappers around apt-get install name their packages directly") {
  SourceFile file("x.sh", "x.sh",
                  "install_packages ca-certificates cron=3.0pl1-162\n"
                  "clean-install supervisor\n"
                  "install_package_list\n");
  Script script = parse_shell_file(file);
  std::vector<PackageInstall> installs = find_package_installs(script);
  REQUIRE(installs.size() == 2);
  CHECK(installs[0].manager == PackageManager::Apt);
  CHECK(installs[0].program->value == "install_packages");
  REQUIRE(installs[0].packages.size() == 2);
  CHECK(installs[0].packages[1].name == "cron");
  CHECK(installs[0].packages[1].version == "3.0pl1-162");
  CHECK(where(installs[0].packages[1].word->span) == "1:34-1:49");
  REQUIRE(installs[1].packages.size() == 1);
  CHECK(installs[1].packages[0].name == "supervisor");
}

TEST_CASE("shell: every package manager name is recognised, and nothing else") {
  SourceFile file("x.sh", "x.sh",
                  "apt install -y a1\naptitude install a2\nmicrodnf install d1\ntdnf install d2\n"
                  "zypper in z1\npip install p1\npython -m pip install p2\npython3.12 -m pip3.12 install p3\n"
                  "echo install e1\ncurl install c1\nap install x1\nyumm install y1\nnpmx install -g n1\n"
                  "sudo -u root dnf install d3\n");
  Script script = parse_shell_file(file);
  const std::vector<PackageInstall>& installs = find_package_installs(script);
  std::vector<std::string> found;
  for (const PackageInstall& install : installs) {
    for (const Package& package : install.packages) found.push_back(package.name);
  }
  CHECK(found == std::vector<std::string>{"a1", "a2", "d1", "d2", "z1", "p1", "p2", "p3", "d3"});
}

TEST_CASE("shell: backgrounded servers and the last command") {
  SourceFile file("start.sh", "start.sh", "nginx & tail -f /dev/null\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 2);
  CHECK(script.commands[0].name.value == "nginx");
  CHECK(script.commands[0].background);
  CHECK_FALSE(script.commands[0].ends_script);
  CHECK(script.commands[1].name.value == "tail");
  CHECK_FALSE(script.commands[1].background);
  CHECK(script.commands[1].ends_script);
  CHECK(script.commands[1].connector == Connector::Sequence);

  SourceFile list("start.sh", "start.sh", "php-fpm -D && nginx -g 'daemon off;' &\nwait\n");
  Script listed = parse_shell_file(list);
  REQUIRE(listed.commands.size() == 3);
  CHECK(listed.commands[0].background);  // the whole `a && b` list runs in the background
  CHECK(listed.commands[1].background);
  CHECK_FALSE(listed.commands[2].background);
  CHECK(listed.commands[2].ends_script);
}

TEST_CASE("shell: exec \"$@\" ends a docker-entrypoint.sh") {
  SourceFile file("docker-entrypoint.sh", "docker-entrypoint.sh",
                  "#!/bin/sh\n"
                  "set -e\n"
                  "\n"
                  "# first arg is `-f` or `--some-option`\n"
                  "if [ \"${1#-}\" != \"$1\" ]; then\n"
                  "\tset -- php-fpm \"$@\"\n"
                  "fi\n"
                  "\n"
                  "exec \"$@\"\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 3);
  CHECK_FALSE(script.has_syntax_errors);
  REQUIRE(script.options.size() == 1);
  CHECK(script.options[0].name == "errexit");
  CHECK(where(script.options[0].span) == "2:5-2:7");

  const Command& set = script.commands[1];
  CHECK(set.in_branch);
  CHECK_FALSE(set.ends_script);

  const Command& last = script.commands[2];
  CHECK(last.ends_script);
  CHECK(where(last.span) == "9:1-9:10");
  REQUIRE(last.arguments.size() == 1);
  CHECK(last.arguments[0].text == "\"$@\"");
  CHECK(last.arguments[0].has_expansion);
  EffectiveCommand effective = effective_command(script, 2);
  CHECK(effective.exec);
  CHECK(effective.program == &last.arguments[0]);
}

TEST_CASE("shell: the body of a loop whose condition never changes is marked endless") {
  SourceFile file("run.sh", "run.sh",
                  "while true; do a; done\n"
                  "while :; do b; done\n"
                  "while [ 1 ]; do c; done\n"
                  "while [[ \"yes\" ]]; do d; done\n"
                  "while test 1; do e; done\n"
                  "until /bin/false; do f; done\n"
                  "while [ -f /run/app.pid ]; do g; done\n"
                  "while [ \"$RUN\" ]; do h; done\n"
                  "while false; do i; done\n"
                  "until true; do j; done\n"
                  "while read -r line; do k; done\n"
                  "for x in 1 2; do l; done\n"
                  "while true; do for y in 1; do m; done; done\n");
  Script script = parse_shell_file(file);
  std::string endless, bounded;
  for (const Command& command : script.commands) {
    if (!command.in_loop) continue;
    (command.in_endless_loop ? endless : bounded) += command.name.value;
  }
  CHECK(endless == "abcdefm");
  CHECK(bounded == "ghijkl");
}

TEST_CASE("shell: loops, conditions, branches, functions and substitutions are marked") {
  SourceFile file("run.sh", "run.sh",
                  "start() {\n"
                  "  for f in $(ls /docker-entrypoint.d); do\n"
                  "    . \"$f\"\n"
                  "  done\n"
                  "}\n"
                  "while ! pg_isready -q; do sleep 1; done\n"
                  "( cd /app && rake db:migrate ) || exit 1\n"
                  "case \"$MODE\" in\n"
                  "  worker) exec sidekiq ;;\n"
                  "  *) exec puma ;;\n"
                  "esac\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 9);

  const Command& ls = script.commands[0];
  CHECK(ls.name.value == "ls");
  CHECK(ls.in_command_substitution);
  CHECK(ls.nesting == Nesting::CommandSubstitution);
  CHECK(ls.function_name == "start");
  CHECK(where(ls.span) == "2:14-2:37");

  const Command& source = script.commands[1];
  CHECK(source.name.value == ".");
  CHECK(source.in_loop);
  CHECK(source.in_function());

  CHECK(script.commands[2].name.value == "pg_isready");
  CHECK(script.commands[2].in_condition);
  CHECK(script.commands[3].name.value == "sleep");
  CHECK(script.commands[3].in_loop);

  CHECK(script.commands[4].name.value == "cd");
  CHECK(script.commands[4].in_subshell);
  CHECK(script.commands[5].name.value == "rake");
  CHECK(script.commands[5].connector == Connector::And);
  CHECK(script.commands[6].name.value == "exit");
  CHECK(script.commands[6].connector == Connector::Or);
  CHECK_FALSE(script.commands[6].in_subshell);

  CHECK(script.commands[7].name.value == "exec");
  CHECK(script.commands[7].in_branch);
  CHECK(script.commands[7].ends_script);
  CHECK(effective_command(script, 7).program_name() == "sidekiq");
  CHECK(script.commands[8].ends_script);
  CHECK(effective_command(script, 8).program_name() == "puma");
}

TEST_CASE("shell: a case item keeps what its statement tests and its patterns, for every command in it") {
  SourceFile file("entrypoint.sh", "entrypoint.sh",
                  "case \"$1\" in\n"
                  "  app:start|start)\n"
                  "    rake db:migrate\n"
                  "    exec puma\n"
                  "    ;;\n"
                  "  'app:worker') exec sidekiq ;;\n"
                  "  *) exec \"$@\" ;;\n"
                  "esac\n"
                  "case $MODE in web) echo web ;; esac\n"
                  "echo done\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 6);
  REQUIRE(script.case_branches.size() == 4);
  CHECK(script.case_branches[0].subject == "\"$1\"");
  CHECK(script.case_branches[0].patterns == std::vector<std::string_view>{"app:start", "start"});
  CHECK(script.case_branches[1].patterns == std::vector<std::string_view>{"'app:worker'"});
  CHECK(script.case_branches[2].patterns == std::vector<std::string_view>{"*"});
  CHECK(script.case_branches[2].first_of_statement == 0);
  CHECK(script.case_branches[3].subject == "$MODE");
  CHECK(script.case_branches[3].first_of_statement == 3);
  CHECK(script.commands[0].case_branch == 0);  // rake
  CHECK(script.commands[1].case_branch == 0);  // exec puma
  CHECK(script.commands[2].case_branch == 1);
  CHECK(script.commands[3].case_branch == 2);
  CHECK(script.commands[4].case_branch == 3);
  CHECK(script.commands[5].case_branch == shiftlint::shell::kNoParent);
}

TEST_CASE("shell: if branches keep their tests, and commands the branch holding them") {
  SourceFile file("entrypoint.sh", "entrypoint.sh",
                  "set -- \"$@\"\n"
                  "if [ -z \"$1\" ]; then\n"
                  "  rake db:migrate\n"
                  "  if [[ $2 == web ]] \\\n"
                  "  then exec puma; fi\n"
                  "elif test \"$1\" = worker\n"
                  "then\n"
                  "  exec sidekiq\n"
                  "else\n"
                  "  exec \"$@\"\n"
                  "fi\n"
                  "echo done\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 7);
  REQUIRE(script.if_branches.size() == 4);
  using shiftlint::shell::kNoParent;
  CHECK(script.if_branches[0].condition == "[ -z \"$1\" ]");
  CHECK(script.if_branches[0].first_of_statement == 0);
  CHECK(script.if_branches[0].enclosing == kNoParent);
  CHECK(script.if_branches[0].first_command == 1);  // after `set --`
  CHECK(script.if_branches[1].condition == "[[ $2 == web ]]");  // the line continuation dropped
  CHECK(script.if_branches[1].first_of_statement == 1);
  CHECK(script.if_branches[1].enclosing == 0);
  CHECK(script.if_branches[2].condition == "test \"$1\" = worker");
  CHECK(script.if_branches[2].first_of_statement == 0);
  CHECK(script.if_branches[3].is_else);
  CHECK(script.if_branches[3].condition.empty());
  CHECK(script.if_branches[3].first_of_statement == 0);
  CHECK(script.commands[0].if_branch == kNoParent);  // set
  CHECK(script.commands[1].if_branch == 0);           // rake
  CHECK(script.commands[2].if_branch == 1);           // exec puma
  CHECK(script.commands[3].if_branch == kNoParent);   // test: the elif's own test
  CHECK(script.commands[3].in_condition);
  CHECK(script.commands[4].if_branch == 2);           // exec sidekiq
  CHECK(script.commands[5].if_branch == 3);           // exec "$@"
  CHECK(script.commands[6].if_branch == kNoParent);   // echo
}

TEST_CASE("shell: the last command of a function body ends the function, not the script") {
  SourceFile file("docker-entrypoint.sh", "docker-entrypoint.sh",
                  "_main() {\n"
                  "  if [ \"$(id -u)\" = '0' ]; then\n"
                  "    exec gosu postgres \"$BASH_SOURCE\" \"$@\"\n"
                  "  fi\n"
                  "  exec \"$@\"\n"
                  "}\n"
                  "_main \"$@\"\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 4);
  CHECK(script.commands[0].name.value == "id");
  CHECK_FALSE(script.commands[0].ends_function);
  CHECK(script.commands[1].in_branch);
  CHECK_FALSE(script.commands[1].ends_function);
  CHECK(script.commands[2].function_name == "_main");
  CHECK(script.commands[2].ends_function);
  CHECK_FALSE(script.commands[2].ends_script);
  CHECK(script.commands[3].name.value == "_main");
  CHECK(script.commands[3].ends_script);
  CHECK_FALSE(script.commands[3].ends_function);
}

TEST_CASE("shell: every case branch can end the script") {
  SourceFile file("run.sh", "run.sh", "case \"$1\" in\n  worker) exec sidekiq ;;\n  *) exec puma ;;\nesac\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 2);
  CHECK(script.commands[0].ends_script);
  CHECK(script.commands[1].ends_script);
}

TEST_CASE("shell: command substitutions are nested in the command whose word holds them") {
  SourceFile file("x.sh", "x.sh", "echo \"$(date +%s)\" > /tmp/started; echo `hostname`\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 4);
  CHECK(script.commands[0].arguments[0].has_expansion);
  CHECK(script.commands[1].name.value == "date");
  CHECK(script.commands[1].parent == 0);
  CHECK(script.commands[1].connector == Connector::None);
  CHECK(script.commands[2].connector == Connector::Sequence);
  CHECK(script.commands[3].name.value == "hostname");
  CHECK(script.commands[3].parent == 2);
  CHECK(script.nested_in(0) == std::vector<uint32_t>{1});
  CHECK(script.nested_in(2) == std::vector<uint32_t>{3});
  CHECK(script.nested_in(1).empty());
}

TEST_CASE("shell: redirections with their kinds, descriptors and targets") {
  SourceFile file("x.sh", "x.sh",
                  "app >> /var/log/app.log 2>&1; worker &> /var/log/w.log; x 2>/dev/null <input; y >&2\n"
                  "{ a; b; } > /var/log/both.log\n"
                  "z <<< \"$payload\"\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 7);

  const auto& app = script.commands[0].redirections;
  REQUIRE(app.size() == 2);
  CHECK(app[0].kind == RedirectionKind::Append);
  CHECK(app[0].descriptor == 1);
  CHECK(app[0].target.value == "/var/log/app.log");
  CHECK(where(app[0].span) == "1:5-1:24");
  CHECK(app[1].kind == RedirectionKind::DuplicateOutput);
  CHECK(app[1].descriptor == 2);
  CHECK(app[1].target.value == "1");
  CHECK(where(script.commands[0].span) == "1:1-1:29");

  CHECK(script.commands[1].redirections[0].kind == RedirectionKind::OutputAndError);
  const auto& x = script.commands[2].redirections;
  REQUIRE(x.size() == 2);
  CHECK(x[0].kind == RedirectionKind::Output);
  CHECK(x[0].descriptor == 2);
  CHECK(x[1].kind == RedirectionKind::Input);
  CHECK(x[1].descriptor == 0);
  CHECK(script.commands[3].redirections[0].kind == RedirectionKind::DuplicateOutput);
  CHECK(script.commands[3].redirections[0].descriptor == 1);

  REQUIRE(script.commands[4].redirections.size() == 1);
  CHECK(script.commands[4].redirections[0].from_enclosing_group);
  CHECK(script.commands[5].redirections[0].target.value == "/var/log/both.log");
  CHECK(script.commands[6].redirections[0].kind == RedirectionKind::HereString);

  std::vector<PathWrite> writes = find_path_writes(script);
  std::vector<std::string> paths;
  for (const PathWrite& write : writes) paths.emplace_back(write.path->value);
  // `2>/dev/null` is a write like any other; `{ a; b; } > log` is one write, not two.
  CHECK(paths == std::vector<std::string>{"/var/log/app.log", "/var/log/w.log", "/dev/null", "/var/log/both.log"});
  CHECK(writes[0].appends);
}

TEST_CASE("shell: redirections after a pipeline's last stage belong to that stage") {
  // tree-sitter hangs them on the whole pipeline; the shell redirects the last command only.
  SourceFile file("x.sh", "x.sh",
                  "cat x | grep y > /var/log/out.log\n"
                  "a | b 2>&1 | c >> /var/log/c.log && d\n"
                  "curl -s u | while read l; do echo $l; done > /tmp/lines\n"
                  "{ e | f > /dev/null; } 2> /tmp/err\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 11);
  auto targets = [&](size_t index) { return redirection_targets(script.commands[index]); };
  CHECK(targets(0).empty());
  CHECK(targets(1) == std::vector<std::string>{"/var/log/out.log"});
  // The stage's own redirection widens its span as it would without the pipe.
  CHECK(where(script.commands[1].span) == "1:9-1:34");
  CHECK(targets(2).empty());
  CHECK(targets(3) == std::vector<std::string>{"1"});
  CHECK(targets(4) == std::vector<std::string>{"/var/log/c.log"});
  CHECK(targets(5).empty());
  // A loop as the last stage passes them to every command in it.
  CHECK(targets(6).empty());
  CHECK(script.commands[7].name.value == "read");
  CHECK(targets(7) == std::vector<std::string>{"/tmp/lines (group)"});
  CHECK(targets(8) == std::vector<std::string>{"/tmp/lines (group)"});
  CHECK(targets(9) == std::vector<std::string>{"/tmp/err (group)"});
  CHECK(targets(10) == std::vector<std::string>{"/dev/null", "/tmp/err (group)"});

  std::vector<std::string> writers;
  for (const PathWrite& write : find_path_writes(script)) {
    writers.push_back(std::string(effective_command(script, write.command).program_name()) + " " +
                      std::string(write.path->value));
  }
  CHECK(writers == std::vector<std::string>{"grep /var/log/out.log", "c /var/log/c.log", "read /tmp/lines",
                                            "e /tmp/err", "f /dev/null"});
}

TEST_CASE("shell: redirections after a list's last command belong to that command") {
  // tree-sitter reads `a && b > f` as redirected_statement(list(a, b), > f), on either front end;
  // the shell redirects `b` only, as after a pipeline's last stage.
  SourceFile file("x.sh", "x.sh",
                  "apt-get update && apt-get install -y x > /dev/null\n"
                  "a || b && c | d 2> /tmp/err\n"
                  "e && while read l; do echo $l; done > /tmp/lines\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 9);
  auto targets = [&](size_t index) { return redirection_targets(script.commands[index]); };
  CHECK(targets(0).empty());
  CHECK(targets(1) == std::vector<std::string>{"/dev/null"});
  CHECK(where(script.commands[1].span) == "1:19-1:51");
  CHECK(targets(2).empty());
  CHECK(targets(3).empty());
  CHECK(targets(4).empty());
  CHECK(targets(5) == std::vector<std::string>{"/tmp/err"});
  CHECK(script.commands[5].connector == Connector::Pipe);
  // A loop as the list's last command passes them to every command in it.
  CHECK(targets(6).empty());
  CHECK(targets(7) == std::vector<std::string>{"/tmp/lines (group)"});
  CHECK(targets(8) == std::vector<std::string>{"/tmp/lines (group)"});

  std::vector<std::string> writers;
  for (const PathWrite& write : find_path_writes(script)) {
    writers.push_back(std::string(effective_command(script, write.command).program_name()) + " " +
                      std::string(write.path->value));
  }
  CHECK(writers == std::vector<std::string>{"apt-get /dev/null", "d /tmp/err", "read /tmp/lines"});
}

TEST_CASE("shell: words lose their quotes and escapes; expansions are marked") {
  SourceFile file("x.sh", "x.sh", "echo $'a\\tb' \"x\\\"y\\$z\" a\\ b 'it''s' \"$HOME\"/bin ${X:-1} plain\n");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 1);
  const auto& arguments = script.commands[0].arguments;
  REQUIRE(arguments.size() == 7);
  CHECK(arguments[0].value == "a\tb");
  CHECK(arguments[1].value == "x\"y$z");
  CHECK_FALSE(arguments[1].has_expansion);
  CHECK(arguments[2].value == "a b");
  CHECK(arguments[3].value == "its");
  CHECK(arguments[4].value == "$HOME/bin");
  CHECK(arguments[4].has_expansion);
  CHECK(arguments[5].has_expansion);
  CHECK(arguments[6].is_literal());
}

TEST_CASE("shell: assignments and shell options") {
  SourceFile file("x.sh", "x.sh",
                  "set -euo pipefail\nset +x\nset -o noclobber\n"
                  "export TZ=Asia/Tokyo PATH=\"/app/bin:$PATH\"\nRAILS_ENV=production\nLOG=/var/log/app.log app\n");
  Script script = parse_shell_file(file);
  std::vector<std::pair<std::string, bool>> options;
  for (const ShellOption& option : script.options) options.emplace_back(option.name, option.enabled);
  CHECK(options == std::vector<std::pair<std::string, bool>>{
                       {"errexit", true}, {"nounset", true}, {"pipefail", true}, {"xtrace", false}, {"noclobber", true}});
  CHECK(where(script.options[2].span) == "1:10-1:18");

  REQUIRE(script.assignments.size() == 3);
  CHECK(script.assignments[0].declaration == "export");
  CHECK(script.assignments[0].name == "TZ");
  CHECK(script.assignments[0].value.value == "Asia/Tokyo");
  CHECK(where(script.assignments[0].value.span) == "4:11-4:21");
  CHECK(script.assignments[1].value.value == "/app/bin:$PATH");
  CHECK(script.assignments[2].name == "RAILS_ENV");
  CHECK(script.assignments[2].declaration.empty());

  const Command& app = script.commands.back();
  CHECK(app.name.value == "app");
  REQUIRE(app.environment.size() == 1);
  CHECK(app.environment[0].name == "LOG");
  CHECK(app.environment[0].value.value == "/var/log/app.log");
}

TEST_CASE("shell: writes to paths: links, tee, copies, directories, in-place edits, downloads") {
  SourceFile file("x.sh", "x.sh",
                  "ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime\n"
                  "echo \"* soft nofile 65536\" | sudo tee -a /etc/security/limits.conf\n"
                  "cp /app/crontab /etc/cron.d/app\n"
                  "mkdir -p /app/uploads /app/tmp\n"
                  "sed -i 's/^;date.timezone =.*/date.timezone = UTC/' /etc/php.ini\n"
                  "curl -fsSL -o /usr/local/bin/supercronic https://example.com/supercronic\n");
  Script script = parse_shell_file(file);
  std::vector<PathWrite> writes = find_path_writes(script);
  REQUIRE(writes.size() == 7);
  CHECK(writes[0].method == WriteMethod::Link);
  CHECK(writes[0].path->value == "/etc/localtime");
  CHECK(where(writes[0].path->span) == "1:39-1:53");
  CHECK(writes[0].source->value == "/usr/share/zoneinfo/Asia/Tokyo");
  CHECK(writes[1].method == WriteMethod::Tee);
  CHECK(writes[1].appends);
  CHECK(writes[1].path->value == "/etc/security/limits.conf");
  CHECK(writes[2].method == WriteMethod::Copy);
  CHECK(writes[2].source->value == "/app/crontab");
  CHECK(writes[3].method == WriteMethod::MakeDirectory);
  CHECK(writes[3].path->value == "/app/uploads");
  CHECK(writes[4].path->value == "/app/tmp");
  CHECK(writes[5].method == WriteMethod::EditInPlace);
  CHECK(writes[5].path->value == "/etc/php.ini");
  CHECK(writes[6].method == WriteMethod::Download);
  CHECK(writes[6].path->value == "/usr/local/bin/supercronic");
}

TEST_CASE("shell: services started or enabled through an init system") {
  SourceFile file("x.sh", "x.sh",
                  "service nginx start; systemctl enable --now crond.service; /etc/init.d/php7.4-fpm start\n"
                  "rc-update add sshd default; chkconfig httpd on; service nginx stop; sudo service cron restart\n");
  Script script = parse_shell_file(file);
  std::vector<ServiceStart> starts = find_service_starts(script);
  REQUIRE(starts.size() == 6);
  CHECK(starts[0].manager == ServiceManager::Service);
  CHECK(starts[0].action == ServiceAction::Start);
  CHECK(starts[0].service == "nginx");
  CHECK(where(starts[0].word->span) == "1:9-1:14");
  CHECK(starts[1].manager == ServiceManager::Systemctl);
  CHECK(starts[1].action == ServiceAction::Enable);
  CHECK(starts[1].service == "crond");
  CHECK(starts[2].manager == ServiceManager::InitScript);
  CHECK(starts[2].service == "php7.4-fpm");
  CHECK(starts[3].manager == ServiceManager::OpenRc);
  CHECK(starts[3].service == "sshd");
  CHECK(starts[4].manager == ServiceManager::Chkconfig);
  CHECK(starts[4].service == "httpd");
  CHECK(starts[5].action == ServiceAction::Restart);
  CHECK(starts[5].service == "cron");
}

TEST_CASE("shell: ulimit calls and what they set") {
  SourceFile file("x.sh", "x.sh", "ulimit -n 65536; ulimit -Hn unlimited; ulimit -c 0 -u 4096; ulimit -n\n");
  Script script = parse_shell_file(file);
  std::vector<UlimitCall> calls = find_ulimit_calls(script);
  REQUIRE(calls.size() == 4);
  REQUIRE(calls[0].settings.size() == 1);
  CHECK(calls[0].settings[0].resource == "nofile");
  CHECK(calls[0].settings[0].soft);
  CHECK(calls[0].settings[0].hard);
  CHECK(calls[0].settings[0].value->value == "65536");
  CHECK(where(calls[0].settings[0].value->span) == "1:11-1:16");
  CHECK_FALSE(calls[1].settings[0].soft);
  CHECK(calls[1].settings[0].hard);
  CHECK(calls[1].settings[0].value->value == "unlimited");
  REQUIRE(calls[2].settings.size() == 2);
  CHECK(calls[2].settings[0].resource == "core");
  CHECK(calls[2].settings[1].resource == "nproc");
  CHECK(calls[2].settings[1].value->value == "4096");
  CHECK(calls[3].settings[0].value == nullptr);
}

TEST_CASE("shell: crontab installs, listings and removals") {
  SourceFile file("x.sh", "x.sh",
                  "crontab /etc/app.cron\ncrontab -u www -l\n(crontab -l; echo \"0 * * * * job\") | crontab -\n");
  Script script = parse_shell_file(file);
  std::vector<CrontabCall> calls = find_crontab_calls(script);
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].action == CrontabAction::Install);
  CHECK(calls[0].file->value == "/etc/app.cron");
  CHECK(calls[1].action == CrontabAction::List);
  CHECK(calls[1].user->value == "www");
  CHECK(calls[2].action == CrontabAction::List);
  CHECK(calls[3].action == CrontabAction::Install);
  CHECK(calls[3].from_standard_input);
  CHECK(script.commands[calls[3].command].connector == Connector::Pipe);
}

TEST_CASE("shell: the whenever gem's crontab writes and clears are crontab calls; printing is not") {
  SourceFile file("x.sh", "x.sh",
                  "bundle exec whenever --update-crontab --set environment=production\n"
                  "whenever -w -f config/jobs.rb\n"
                  "bundle exec whenever --clear-crontab\n"
                  "bundle exec whenever\n"
                  "whenever --set environment=staging\n");
  Script script = parse_shell_file(file);
  std::vector<CrontabCall> calls = find_crontab_calls(script);
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].from_whenever);
  CHECK(calls[0].action == CrontabAction::Install);
  CHECK(calls[0].file == nullptr);
  CHECK(calls[0].program->value == "whenever");
  CHECK(calls[1].action == CrontabAction::Install);
  REQUIRE(calls[1].file);
  CHECK(calls[1].file->value == "config/jobs.rb");
  CHECK(calls[2].action == CrontabAction::Remove);
  CHECK(calls[2].command == 2);
}

TEST_CASE("shell: a text parsed before is walked on the cached tree, with this file's positions") {
  // Long enough to be cached, and unique to this test so that no other test cached it first.
  const std::string body = "apt-get install -y tree-cache-test && echo \"$(date)\" > /var/log/cache-test.log\n";
  REQUIRE(body.size() >= kMinCachedTextBytes);
  const ShellParseStatistics before = thread_statistics();
  SourceFile first("first.sh", "first.sh", body);
  Script from_reader = parse_shell_file(first);
  CHECK(thread_statistics().hand_written_texts == before.hand_written_texts + 1);
  std::shared_ptr<const CachedTree> kept = find_cached_tree(tree_cache_key(body));
  REQUIRE(kept);
  CHECK_FALSE(kept->from_tree_sitter);
  CHECK(find_cached_tree(tree_cache_key(body + " ")) == nullptr);

  // The same text two lines down in another file: the same commands, at that file's lines.
  SourceFile second("second.sh", "second.sh", "#!/bin/sh\n\n" + body);
  Script from_cache = parse_shell(second, text_map_of_range(second, 11, second.text().size()));
  CHECK(thread_statistics().hand_written_texts == before.hand_written_texts + 2);
  REQUIRE(from_cache.commands.size() == from_reader.commands.size());
  REQUIRE(from_cache.commands.size() == 3);
  for (size_t i = 0; i < from_cache.commands.size(); ++i) {
    CHECK(from_cache.commands[i].name.value == from_reader.commands[i].name.value);
    CHECK(values(from_cache.commands[i].arguments) == values(from_reader.commands[i].arguments));
    CHECK(from_cache.commands[i].span.begin.line == from_reader.commands[i].span.begin.line + 2);
    CHECK(from_cache.commands[i].span.begin.column == from_reader.commands[i].span.begin.column);
  }
  CHECK(from_cache.commands[2].name.value == "date");
  CHECK(from_cache.commands[2].nesting == Nesting::CommandSubstitution);
  REQUIRE(from_cache.commands[1].redirections.size() == 1);
  CHECK(where(from_cache.commands[1].redirections[0].target.span) == "3:56-3:79");
}

TEST_CASE("shell: forgetting the cached trees frees them for later texts, not for a walk holding one") {
  const std::string body = "forget-trees-test --once && echo \"$(hostname)\" > /tmp/forget-trees-test.log\n";
  REQUIRE(body.size() >= kMinCachedTextBytes);
  SourceFile file("forget.sh", "forget.sh", body);
  Script parsed = parse_shell_file(file);
  std::shared_ptr<const CachedTree> held = find_cached_tree(tree_cache_key(body));
  REQUIRE(held);
  forget_trees();
  CHECK(find_cached_tree(tree_cache_key(body)) == nullptr);
  CHECK_FALSE(held->tree.nodes.empty());  // still readable by whoever holds it
  // Parsed again, the same commands, and cached again.
  Script again = parse_shell_file(file);
  REQUIRE(again.commands.size() == parsed.commands.size());
  CHECK(again.commands[0].name.value == "forget-trees-test");
  CHECK(find_cached_tree(tree_cache_key(body)) != nullptr);
}

TEST_CASE("shell: positions at line ends, line starts and the end of the file") {
  // No final line break: the last word ends at the end of the text.
  SourceFile file("x.sh", "x.sh", "a bb\nccc d\n\ne fff");
  Script script = parse_shell_file(file);
  REQUIRE(script.commands.size() == 3);
  CHECK(where(script.commands[0].arguments[0].span) == "1:3-1:5");
  CHECK(where(script.commands[1].name.span) == "2:1-2:4");
  CHECK(where(script.commands[1].arguments[0].span) == "2:5-2:6");
  CHECK(where(script.commands[2].name.span) == "4:1-4:2");
  CHECK(where(script.commands[2].arguments[0].span) == "4:3-4:6");
  CHECK(where(script.commands[2].span) == "4:1-4:6");

  // Word after word down the lines of a continued command, and `set` options found by name.
  SourceFile lines("y.sh", "y.sh", "set -e\na \\\n  b \\\n  cc \\\n\n  d\n/bin/set -x; reset -y\n");
  Script continued = parse_shell_file(lines);
  REQUIRE(continued.commands.size() == 5);
  const Command& a = continued.commands[1];
  REQUIRE(a.arguments.size() == 2);
  CHECK(where(a.arguments[0].span) == "3:3-3:4");
  CHECK(where(a.arguments[1].span) == "4:3-4:5");
  CHECK(where(a.span) == "2:1-4:5");
  CHECK(continued.commands[2].name.value == "d");
  CHECK(where(continued.commands[2].span) == "6:3-6:4");
  REQUIRE(continued.options.size() == 2);
  CHECK(continued.options[0].name == "errexit");
  CHECK(continued.options[1].name == "xtrace");
}

TEST_CASE("shell: a command's argument list keeps a few words in place and grows past them") {
  auto word = [](std::string_view value) {
    Word result;
    result.text = value;
    result.value = value;
    return result;
  };
  const std::vector<std::string_view> names = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
  for (size_t count : {0u, 1u, 4u, 5u, 9u}) {
    INFO("words: " << count);
    WordList list;
    for (size_t i = 0; i < count; ++i) list.push_back(word(names[i]));
    REQUIRE(list.size() == count);
    CHECK(list.empty() == (count == 0));
    // Copies and moves keep every word, whether they sat in place or on the heap.
    WordList copy = list;
    WordList moved = std::move(copy);
    WordList assigned;
    assigned.push_back(word("old"));
    assigned = moved;
    WordList move_assigned;
    for (int i = 0; i < 6; ++i) move_assigned.push_back(word("old"));
    move_assigned = std::move(assigned);
    std::span<const Word> view(move_assigned);
    REQUIRE(view.size() == count);
    for (size_t i = 0; i < count; ++i) CHECK(view[i].value == names[i]);
    CHECK(values(list) == values(move_assigned));
    if (count > 0) {
      CHECK(list.back().value == names[count - 1]);
      list.pop_back();
      CHECK(list.size() == count - 1);
    }
  }
  // A Script's commands keep their words through the moves of the list that holds them.
  SourceFile file("x.sh", "x.sh", "a 1 2\nb 1 2 3 4 5 6\nc\n");
  Script script = parse_shell_file(file);
  Script moved = std::move(script);
  REQUIRE(moved.commands.size() == 3);
  CHECK(values(moved.commands[0].arguments) == std::vector<std::string>{"1", "2"});
  CHECK(values(moved.commands[1].arguments) == std::vector<std::string>{"1", "2", "3", "4", "5", "6"});
  CHECK(moved.commands[2].arguments.empty());
}

TEST_CASE("shell: syntax errors keep what parsed, flagged") {
  SourceFile file("x.sh", "x.sh", "apt-get install -y curl\necho \"unterminated\n");
  Script script = parse_shell_file(file);
  CHECK(script.has_syntax_errors);
  REQUIRE_FALSE(script.commands.empty());
  CHECK(script.commands[0].name.value == "apt-get");
  CHECK(find_package_installs(script).size() == 1);
  CHECK(script.first_syntax_error.begin.line == 2);
}

TEST_CASE("shell: hostile input is bounded") {
  SECTION("deeply nested command substitutions") {
    std::string text = "echo ";
    for (int i = 0; i < 3000; ++i) text += "$(";
    text += "x";
    for (int i = 0; i < 3000; ++i) text += ")";
    SourceFile file("x.sh", "x.sh", text + "\n");
    Script script = parse_shell_file(file);
    CHECK(script.truncated);
    CHECK(script.commands.size() < 3000);
    CHECK(script.commands[0].name.value == "echo");
  }
  SECTION("deeply nested groups") {
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "if a; then ";
    text += "b; ";
    for (int i = 0; i < 3000; ++i) text += "fi; ";
    SourceFile file("x.sh", "x.sh", text + "\n");
    Script script = parse_shell_file(file);
    CHECK(script.truncated);
  }
  SECTION("a long && chain costs no depth") {
    std::string text = "c0";
    for (int i = 1; i < 5000; ++i) text += " && c" + std::to_string(i);
    SourceFile file("x.sh", "x.sh", text + "\n");
    Script script = parse_shell_file(file);
    CHECK_FALSE(script.truncated);
    REQUIRE(script.commands.size() == 5000);
    CHECK(script.commands[4999].name.value == "c4999");
    CHECK(script.commands[4999].ends_script);
    CHECK_FALSE(script.commands[4998].ends_script);
  }
  SECTION("sh -c strings nested deeper than the limit") {
    std::string text = "x";
    for (int i = 0; i < 8; ++i) {
      std::string quoted;
      for (char c : text) {
        if (c == '\\' || c == '"' || c == '$' || c == '`') quoted += '\\';
        quoted += c;
      }
      text = "sh -c \"" + quoted + "\"";
    }
    SourceFile file("x.sh", "x.sh", text + "\n");
    Script script = parse_shell_file(file);
    CHECK(script.truncated);
    CHECK(script.commands.size() == kMaxShellStringDepth + 1);
    CHECK(script.commands.back().shell_string_depth == kMaxShellStringDepth);
  }
  SECTION("binary garbage") {
    std::mt19937 random(7);
    std::string text(64 * 1024, '\0');
    for (char& c : text) c = static_cast<char>(random() & 0xFF);
    SourceFile file("x.sh", "x.sh", text);
    Script script = parse_shell_file(file);
    CHECK(script.has_syntax_errors);
  }
}

TEST_CASE("shell: what the finders found is kept with the Script, and a copy finds its own") {
  SourceFile file("run.sh", "run.sh", "apt-get install -y cron && service cron start > /var/log/start.log\n");
  Script script = parse_shell_file(file);
  std::vector<PackageInstall> installs = find_package_installs(script);
  REQUIRE(installs.size() == 1);
  CHECK(installs[0].program == &script.commands[0].name);
  // Asked again: the same list, kept with the Script and still pointing into it.
  CHECK(&find_package_installs(script) == &find_package_installs(script));
  CHECK(find_package_installs(script)[0].program == &script.commands[0].name);
  REQUIRE(find_service_starts(script).size() == 1);
  CHECK(&find_service_starts(script) == &find_service_starts(script));
  REQUIRE(find_path_writes(script).size() == 1);
  CHECK(&find_path_writes(script) == &find_path_writes(script));

  // A copy has its own words: its answers must point into it, not into the original.
  Script copy = script;
  std::vector<PackageInstall> copied = find_package_installs(copy);
  REQUIRE(copied.size() == 1);
  CHECK(copied[0].program == &copy.commands[0].name);
  CHECK(find_service_starts(copy)[0].word != find_service_starts(script)[0].word);
  CHECK(find_path_writes(copy)[0].path != find_path_writes(script)[0].path);

  // Moved: the storage moves with it, and so do the answers.
  const Word* name = &copy.commands[0].name;
  Script moved = std::move(copy);
  CHECK(find_package_installs(moved)[0].program == name);
}

TEST_CASE("shell arguments: first_leading_operand is parse_leading_options' first operand") {
  const std::initializer_list<std::string_view> with_value = {"-o", "--option"};
  for (std::string text : {"x", "x install a", "x -y install a", "x -o Opt=1 install a", "x -o", "x -o -y",
                           "x -- -y install", "x -y --", "x -y -q", "x --option v -- install", "x \"$A\" install",
                           "x -y \"$FLAGS\" install", "x - install"}) {
    INFO("text: [" << text << "]");
    SourceFile file("x.sh", "x.sh", text + "\n");
    Script script = parse_shell_file(file);
    REQUIRE(script.commands.size() == 1);
    std::span<const Word> arguments(script.commands[0].arguments);
    ParsedArguments parsed = parse_leading_options(arguments, with_value);
    const Word* expected = parsed.operands.empty() ? nullptr : parsed.operands.front();
    CHECK(first_leading_operand(arguments, with_value) == expected);
  }
}

TEST_CASE("shell parser: a script's approximate size grows with what it holds") {
  // Caches that keep scripts (the build context's shared entrypoints) budget by this figure.
  SourceFile small("small.sh", "small.sh", "#!/bin/sh\nexec \"$@\"\n");
  std::string long_text = "#!/bin/sh\nset -e\n";
  for (int line = 0; line < 200; ++line)
    long_text += "FOO_" + std::to_string(line) + "=1 printf '%s\\n' \"value " + std::to_string(line) + "\" a b c d e f > /tmp/out" +
                 std::to_string(line) + "\n";
  SourceFile large("large.sh", "large.sh", long_text);
  Script small_script = parse_shell_file(small);
  Script large_script = parse_shell_file(large);
  REQUIRE(large_script.commands.size() >= 200);
  size_t small_bytes = approximate_bytes(small_script);
  size_t large_bytes = approximate_bytes(large_script);
  CHECK(small_bytes >= sizeof(Script) + sizeof(Command));
  // Each command with its words, variables and redirection: more than its text, which the storage keeps too.
  CHECK(large_bytes > long_text.size() + 200 * (sizeof(Command) + 6 * sizeof(Word)));
  CHECK(large_bytes > 20 * small_bytes);
}
TEST_CASE("shell parser: a [[ ]] pattern tree-sitter-bash cannot read does not lose the commands after it") {
  // RSS-Bridge's entrypoint: tree-sitter-bash reads `= *" "*` as an error and its recovery drops
  // every later command, so the script seemed to end in `read` (a false DKR001) and the nginx it
  // starts in the background (DKR015) was never seen.
  std::string text =
      "find /config/ -type f -print0 |\n"
      "while IFS= read -r -d '' file; do\n"
      "    if [[ $file = *\" \"* ]]; then\n"
      "        continue\n"
      "    fi\n"
      "    cp \"$file\" /app/\n"
      "done\n"
      "nginx\n"
      "exec php-fpm8.2 --nodaemonize\n";
  SourceFile file("docker-entrypoint.sh", "docker-entrypoint.sh", text);
  std::optional<Script> by_tree_sitter =
      parse_shell_with(file, text_map_of_range(file, 0, text.size()), ShellFrontEnd::TreeSitter);
  REQUIRE(by_tree_sitter);
  CHECK(by_tree_sitter->has_syntax_errors);  // what tree-sitter-bash does with it
  Script script = parse_shell_file(file);
  CHECK_FALSE(script.has_syntax_errors);
  std::vector<std::string> names;
  for (const Command& command : script.commands) names.emplace_back(command.name.value);
  CHECK(names == std::vector<std::string>{"find", "read", "continue", "cp", "nginx", "exec"});
  CHECK(where(script.commands.back().span) == "9:1-9:30");
  CHECK(script.commands.back().ends_script);

  // Only a text tree-sitter cannot read takes this way: the same pattern after `==`, which it reads,
  // keeps tree-sitter's tree.
  SyntaxTree tree;
  CHECK_FALSE(read_shell("[[ $f = *\" \"* ]] && echo x\n", tree));
  CHECK(read_shell_past_tree_sitter("[[ $f = *\" \"* ]] && echo x\n", tree));
  CHECK_FALSE(read_shell_past_tree_sitter("[[ $f = *\"unclosed ]]\n", tree));
}

TEST_CASE("shell parser: extended globs do not lose the commands after them") {
  // OCS Inventory's entrypoints: tree-sitter-bash cannot read `!("conf")`, bash with extglob can.
  SourceFile file("entrypoint.sh", "entrypoint.sh",
                  "cd /tmp\nshopt -s extglob\nrm -rf -v !(\"conf\") +([0-9]).log\nservice cron start\nexec \"$@\"\n");
  Script script = parse_shell_file(file);
  CHECK_FALSE(script.has_syntax_errors);
  std::vector<std::string> names;
  for (const Command& command : script.commands) names.emplace_back(command.name.value);
  CHECK(names == std::vector<std::string>{"cd", "shopt", "rm", "service", "exec"});
  REQUIRE(script.commands.size() == 5);
  REQUIRE(script.commands[2].arguments.size() == 4);
  CHECK(script.commands[2].arguments[3].text == "+([0-9]).log");
  CHECK(where(script.commands[2].arguments[2].span) == "3:11-3:20");
  CHECK(script.commands.back().ends_script);
  SyntaxTree tree;
  CHECK_FALSE(read_shell_past_tree_sitter("rm -rf !(conf\necho x\n", tree));
}

TEST_CASE("shell parser: a [[ =~ ]] regex with quotes and parentheses does not lose the commands after it") {
  // percona-server-mongodb's ps-entry.sh: `"$oldArg"=(.*)` after `=~` in a function made tree-sitter's
  // error recovery drop the rest of the script, which then seemed to end in the function's
  // `continue` (a false DKR001), and the background helper before `exec "$@"` (DKR015) was lost.
  std::string text =
      "rename_arg() {\n"
      "\twhile [ \"$#\" -gt 0 ]; do\n"
      "\t\tlocal arg=\"$1\"; shift\n"
      "\t\tif [[ \"$arg\" =~ \"$1\"=(.*) ]]; then\n"
      "\t\t\tcontinue\n"
      "\t\tfi\n"
      "\tdone\n"
      "}\n"
      "/usr/bin/telemetry-agent-supervisor.sh &\n"
      "exec \"$@\"\n";
  SourceFile file("ps-entry.sh", "ps-entry.sh", text);
  Script script = parse_shell_file(file);
  CHECK_FALSE(script.has_syntax_errors);
  std::vector<std::string> names;
  for (const Command& command : script.commands) names.emplace_back(command.name.value);
  CHECK(names == std::vector<std::string>{"local", "shift", "continue", "/usr/bin/telemetry-agent-supervisor.sh", "exec"});
  CHECK(script.commands.back().ends_script);
  SyntaxTree tree;
  CHECK(read_shell_past_tree_sitter("[[ $x =~ (a|b)\" \"(c d) ]] && echo y\n", tree));
  CHECK_FALSE(read_shell_past_tree_sitter("[[ $x =~ (unclosed ]]\n", tree));
  // The rest of docker-library's mongo entrypoint, which that script holds too: read the shell's way
  // when there is no tree-sitter tree to match.
  size_t declined_at = 0;
  CHECK(read_shell("case \"$a\" in \"$checkArg\"|\"${checkArg}\"=*) return 0 ;; esac\n", tree));
  CHECK(read_shell_past_tree_sitter("if ! { [ -s \"$p\" ] && ps \"$(< \"$p\")\" &> /dev/null; }; then x; fi\n", tree));
  CHECK(read_shell_past_tree_sitter("[ x ] || mongod --help 2>&1 | grep -q -- ' --tlsMode '\n", tree));
  CHECK_FALSE(read_shell_past_tree_sitter("echo $(\n", tree, &declined_at));
  CHECK(declined_at > 0);
}
