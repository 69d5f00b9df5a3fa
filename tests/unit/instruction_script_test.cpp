#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/dockerfile_parser.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/shell_parser.h"

using namespace shiftlint;

namespace {
std::string where(const Span& span) {
  return std::to_string(span.begin.line) + ":" + std::to_string(span.begin.column) + "-" +
         std::to_string(span.end.line) + ":" + std::to_string(span.end.column);
}

struct Built {
  std::shared_ptr<const SourceFile> file;
  docker::Dockerfile dockerfile;
};

Built build(const std::string& text) {
  auto file = std::make_shared<const SourceFile>("Dockerfile", "Dockerfile", text);
  docker::ParsedDockerfile parsed = docker::parse_dockerfile(*file);
  return {file, docker::build_dockerfile(file, std::move(parsed))};
}

// Each start-up command's words, each followed by a space: "rake db:migrate ".
std::vector<std::string> listed_commands(const dkr::ImageStartup& startup) {
  std::vector<std::string> listed;
  for (const dkr::StartupCommand& command : dkr::startup_commands(startup)) {
    std::string words;
    for (std::string_view word : command.words) words += std::string(word) + " ";
    listed.push_back(words);
  }
  return listed;
}
}  // namespace

TEST_CASE("instruction_script: exec form is one command with the JSON strings' spans") {
  Built built = build("FROM alpine\nCMD [\"crond\", \"-f\", \"-l\", \"2\"]\n");
  const docker::Instruction& cmd = built.dockerfile.instructions()[1];
  shell::Script script = docker::instruction_script(*built.file, cmd);
  REQUIRE(script.commands.size() == 1);
  const shell::Command& command = script.commands[0];
  CHECK(command.name.value == "crond");
  CHECK(where(command.name.span) == "2:6-2:13");  // "crond" with its quotes
  REQUIRE(command.arguments.size() == 3);
  CHECK(command.arguments[2].value == "2");
  CHECK_FALSE(command.arguments[2].has_expansion);
}

TEST_CASE("instruction_script: a sh -c string in exec form is parsed on the file's columns") {
  Built built = build("FROM alpine\nENTRYPOINT [\"/bin/sh\", \"-c\", \"busybox crond -b && exec nginx -g 'daemon off;'\"]\n");
  const docker::Instruction& entrypoint = built.dockerfile.instructions()[1];
  shell::Script script = docker::instruction_script(*built.file, entrypoint);
  auto crond = shell::find_commands(script, {"crond"});
  REQUIRE(crond.size() == 1);
  CHECK(where(script.commands[crond[0]].span) == "2:31-2:47");
  auto nginx = shell::find_commands(script, {"nginx"});
  REQUIRE(nginx.size() == 1);
  const shell::Command& command = script.commands[nginx[0]];
  CHECK(command.name.value == "exec");
  REQUIRE(command.arguments.size() == 3);
  CHECK(command.arguments[2].value == "daemon off;");
}

TEST_CASE("instruction_script: JSON escapes map back to where they were written") {
  Built built = build("FROM alpine\nCMD [\"sh\", \"-c\", \"echo \\\"hi\\\" && \\u0063rond -f\"]\n");
  const docker::Instruction& cmd = built.dockerfile.instructions()[1];
  shell::Script script = docker::instruction_script(*built.file, cmd);
  auto crond = shell::find_commands(script, {"crond"});
  REQUIRE(crond.size() == 1);
  // `\u0063rond`: the escaped letter stands at its escape, the rest are copies.
  CHECK(where(script.commands[crond[0]].name.span) == "2:34-2:44");
  REQUIRE(script.commands[1].arguments.size() == 1);
  CHECK(script.commands[1].arguments[0].value == "hi");
}

TEST_CASE("instruction_script: shell form, heredoc RUN, HEALTHCHECK and instructions that run nothing") {
  Built built = build(
      "FROM alpine\n"
      "RUN apk add --no-cache dcron \\\n"
      "    && echo ok\n"
      "RUN <<EOF\n"
      "crontab /etc/app.cron\n"
      "EOF\n"
      "HEALTHCHECK CMD [\"pgrep\", \"crond\"]\n"
      "COPY app /app\n");
  const auto& instructions = built.dockerfile.instructions();
  shell::Script run = docker::instruction_script(*built.file, instructions[1]);
  REQUIRE(run.commands.size() == 2);
  CHECK(where(run.commands[1].span) == "3:8-3:15");
  shell::Script heredoc = docker::instruction_script(*built.file, instructions[2]);
  REQUIRE(heredoc.commands.size() == 1);
  CHECK(where(heredoc.commands[0].name.span) == "5:1-5:8");
  shell::Script healthcheck = docker::instruction_script(*built.file, instructions[3]);
  REQUIRE(healthcheck.commands.size() == 1);
  CHECK(healthcheck.commands[0].name.value == "pgrep");
  CHECK(docker::instruction_script(*built.file, instructions[4]).commands.empty());
}

TEST_CASE("stage_scripts: built once per stage inside a file's scope, anew outside it") {
  Built built = build("FROM alpine AS base\nRUN apk add cron\nFROM base\nRUN crond\nCMD [\"crond\", \"-f\"]\n");
  const docker::Stage& base = built.dockerfile.stages[0];
  const docker::Stage& final_stage = built.dockerfile.stages[1];
  {
    docker::InstructionScriptCache scope;
    const dkr::StageScripts& first = dkr::stage_scripts(built.dockerfile, final_stage);
    const dkr::StageScripts& base_scripts = dkr::stage_scripts(built.dockerfile, base);
    CHECK(&dkr::stage_scripts(built.dockerfile, final_stage) == &first);
    CHECK(&base_scripts != &first);
    REQUIRE(first.sources().size() == 2);  // RUN crond, CMD
    CHECK(first.sources()[0].where == "RUN");
    CHECK(first.sources()[1].where == "CMD");
    REQUIRE(base_scripts.sources().size() == 1);
    CHECK(base_scripts.sources()[0].script->commands.front().name.value == "apk");
  }
  {
    // A new scope (the next file) starts empty: the earlier file's scripts are not answered.
    docker::InstructionScriptCache scope;
    Built other = build("FROM alpine\nRUN echo one\n");
    const dkr::StageScripts& scripts = dkr::stage_scripts(other.dockerfile, other.dockerfile.stages[0]);
    REQUIRE(scripts.sources().size() == 1);
    CHECK(scripts.sources()[0].script->commands.front().name.value == "echo");
  }
  // Outside any scope: built on each call, with the same content.
  const dkr::StageScripts& unscoped = dkr::stage_scripts(built.dockerfile, final_stage);
  REQUIRE(unscoped.sources().size() == 2);
  CHECK(unscoped.sources()[0].script->commands.front().name.value == "crond");
}

TEST_CASE("startup_commands and startup_work: listed once and shared by the rules that ask") {
  Built built = build("FROM python:3.12\nCMD [\"sh\", \"-c\", \"python manage.py migrate && gunicorn app\"]\n");
  docker::InstructionScriptCache scope;
  const dkr::ImageStartup& startup = dkr::image_startup(built.dockerfile);
  const std::vector<dkr::StartupCommand>& commands = dkr::startup_commands(startup);
  CHECK(&dkr::startup_commands(startup) == &commands);
  REQUIRE(commands.size() == 2);
  CHECK(commands[0].words.front() == "python");
  const std::vector<detect::StartupWork>& work = dkr::startup_work(commands[0]);
  CHECK(&dkr::startup_work(commands[0]) == &work);
  REQUIRE(work.size() == 1);
  CHECK(work[0].kind == detect::StartupWorkKind::Migration);
  CHECK(dkr::startup_work(commands[1]).empty());  // gunicorn
}

TEST_CASE("startup_commands: a call to a function that hands its arguments to a command runs that command") {
  // Redmine's entrypoint: `execute_raketask db:migrate`, where the function runs `rake $@` as the
  // app's user through a function that runs its arguments.
  Built built = build(
      "FROM ruby:3.3\n"
      "CMD as_app() { sudo -u app \"$@\"; }; task() { as_app bundle exec rake $@; }; one() { rake \"${2}\"; }; "
      "task db:migrate; one x assets:precompile; exec puma\n");
  docker::InstructionScriptCache scope;
  const dkr::ImageStartup& startup = dkr::image_startup(built.dockerfile);
  std::vector<std::string> listed = listed_commands(startup);
  CHECK(listed == std::vector<std::string>{"$@ ", "rake $@ ", "rake ${2} ", "task db:migrate ", "rake db:migrate ",
                                           "one x assets:precompile ", "rake assets:precompile ", "puma "});
}

TEST_CASE("startup_commands: a call to a function that runs an argument as a command line runs its commands") {
  // Nextcloud's entrypoint: `run_as 'php /var/www/html/occ upgrade'`, where run_as hands its first
  // argument to `su -c` as root and to `sh -c` otherwise: the line is listed once, split into its
  // commands.
  Built built = build(
      "FROM php:8.3-apache\n"
      "CMD run_as() { if [ \"$(id -u)\" = 0 ]; then su -p www-data -s /bin/sh -c \"$1\"; else sh -c \"$1\"; fi; }; "
      "run_as 'php occ upgrade && php occ app:list'; run_as; exec apache2-foreground\n");
  docker::InstructionScriptCache scope;
  const dkr::ImageStartup& startup = dkr::image_startup(built.dockerfile);
  std::vector<std::string> listed = listed_commands(startup);
  CHECK(std::count(listed.begin(), listed.end(), "php occ upgrade ") == 1);
  CHECK(std::count(listed.begin(), listed.end(), "php occ app:list ") == 1);
  CHECK(std::count(listed.begin(), listed.end(), "run_as ") == 1);  // no argument: nothing more runs
  CHECK(listed.back() == "apache2-foreground ");
}

TEST_CASE("startup_commands: a command line string of many commands is followed a bounded number of times") {
  std::string line;
  for (int index = 0; index < 100; ++index) line += "rake db:migrate ; ";
  Built built = build("FROM ruby:3.3\nCMD run() { sh -c \"$1\"; }; run '" + line + "'; exec puma\n");
  docker::InstructionScriptCache scope;
  std::vector<std::string> listed = listed_commands(dkr::image_startup(built.dockerfile));
  auto migrations = std::count(listed.begin(), listed.end(), "rake db:migrate ");
  CHECK(migrations > 0);
  CHECK(migrations < 32);  // the call itself counts among the 32 lists it may give
  CHECK(listed.back() == "puma ");
}

TEST_CASE("startup_commands: functions forwarding to one another are followed a bounded number of times") {
  // Six calls of six calls of a forwarding function would be 85 commands; 32 are followed.
  std::string calls_a, calls_b;
  for (int index = 0; index < 6; ++index) {
    calls_a += "t \"$@\"; ";
    calls_b += "a \"$@\"; ";
  }
  Built built = build("FROM ruby:3.3\nCMD t() { rake \"$1\"; }; a() { " + calls_a + "}; b() { " + calls_b +
                      "}; b db:migrate; exec puma\n");
  docker::InstructionScriptCache scope;
  const dkr::ImageStartup& startup = dkr::image_startup(built.dockerfile);
  const std::vector<dkr::StartupCommand>& commands = dkr::startup_commands(startup);
  const shell::Command* call = nullptr;
  for (const dkr::StartupCommand& command : commands)
    if (command.words.front() == "b") call = command.command;
  REQUIRE(call);
  size_t from_call = 0, migrations = 0;
  for (const dkr::StartupCommand& command : commands) {
    if (command.command != call) continue;
    ++from_call;
    if (command.words.size() == 2 && command.words[0] == "rake" && command.words[1] == "db:migrate") ++migrations;
  }
  CHECK(from_call == 32);  // `b db:migrate` itself, the `a` and `t` calls it comes to, and the rakes
  CHECK(migrations == 14);
}

TEST_CASE("context_script: copies of one script in two files share a parse, a heredoc never does") {
  const std::string script = "#!/bin/sh\nset -e\ncrond\nexec \"$@\"\n";
  auto first = std::make_shared<const SourceFile>("/a/docker-entrypoint.sh", "a/docker-entrypoint.sh", script);
  auto second = std::make_shared<const SourceFile>("/b/docker-entrypoint.sh", "b/docker-entrypoint.sh", script);
  auto other = std::make_shared<const SourceFile>("/c/docker-entrypoint.sh", "c/docker-entrypoint.sh",
                                                  "#!/bin/sh\n\ncrond -f\n");
  auto whole = [](const std::shared_ptr<const SourceFile>& file) {
    TextMap map;
    map.append_copy(file->text(), 0);
    return docker::ContextText{file, map};
  };
  docker::InstructionScriptCache scope;
  const shell::Script* from_first = &docker::context_script(whole(first));
  REQUIRE(from_first->commands.size() == 3);
  CHECK(where(from_first->commands[1].span) == "3:1-3:6");
  const shell::Script& from_second = docker::context_script(whole(second));
  CHECK(&from_second == from_first);  // one parse for both files
  const shell::Script& from_other = docker::context_script(whole(other));
  CHECK(&from_other != from_first);
  REQUIRE(from_other.commands.size() == 1);
  CHECK(where(from_other.commands[0].span) == "3:1-3:9");

  // Part of a file (a heredoc body in a Dockerfile) keeps the file's own lines: never shared.
  auto dockerfile = std::make_shared<const SourceFile>("Dockerfile", "Dockerfile", "RUN <<EOF\n" + script + "EOF\n");
  TextMap body;
  body.append_copy(script, 10);
  const shell::Script& heredoc = docker::context_script(docker::ContextText{dockerfile, body});
  CHECK(&heredoc != from_first);
  REQUIRE(heredoc.commands.size() == 3);
  CHECK(where(heredoc.commands[1].span) == "4:1-4:6");
}

TEST_CASE("is_shell_script_text: the #! line decides, through env and its options") {
  CHECK(dkr::is_shell_script_text(""));
  CHECK(dkr::is_shell_script_text("set -e\nexec \"$@\"\n"));  // no #!: run by sh
  CHECK(dkr::is_shell_script_text("#!/bin/sh\n"));
  CHECK(dkr::is_shell_script_text("#! /bin/bash -e\n"));
  CHECK(dkr::is_shell_script_text("#!/usr/bin/env bash\n"));
  CHECK(dkr::is_shell_script_text("#!/usr/bin/env -S bash -eu\n"));
  CHECK(dkr::is_shell_script_text("#!/bin/ash"));  // no newline at all
  CHECK_FALSE(dkr::is_shell_script_text("#!/usr/bin/env python3\nimport sys\n"));
  CHECK_FALSE(dkr::is_shell_script_text("#!/usr/bin/node\n"));
  CHECK_FALSE(dkr::is_shell_script_text("#!/usr/bin/env -S node --no-warnings\n"));
  CHECK_FALSE(dkr::is_shell_script_text("#!\n"));  // names no shell
  // Without #!, a name of another language's file is not read as shell; a .sh or a bare name is.
  CHECK_FALSE(dkr::is_shell_script_text("const x = 1;\n", "/app/src/server.js"));
  CHECK_FALSE(dkr::is_shell_script_text("import sys\n", "/app/main.py"));
  CHECK(dkr::is_shell_script_text("set -e\n", "/usr/local/bin/start.sh"));
  CHECK(dkr::is_shell_script_text("set -e\n", "/usr/local/bin/start"));
  CHECK(dkr::is_shell_script_text("#!/bin/sh\nexec node server.js\n", "/app/run.js"));  // its #! decides
}

TEST_CASE("instruction_script: shell form under a PowerShell or cmd SHELL is not read as sh") {
  Built built = build(
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base\n"
      "RUN echo before > C:\\log.txt\n"
      "SHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\n"
      "RUN Remove-Item -Recurse C:\\tmp; crond\n"
      "FROM base\n"
      "RUN Write-Host inherited\n"
      "CMD [\"crond\", \"-f\"]\n"
      "SHELL [\"C:\\\\Program Files\\\\PowerShell\\\\7\\\\PWSH.EXE\", \"-Command\"]\n"
      "RUN Write-Host pwsh\n"
      "SHELL [\"cmd\", \"/S\", \"/C\"]\n"
      "HEALTHCHECK CMD curl -f http://localhost/\n"
      "SHELL [\"/bin/bash\", \"-c\"]\n"
      "RUN echo back in bash\n");
  docker::InstructionScriptCache scope;
  const auto& instructions = built.dockerfile.instructions();
  auto commands = [&](size_t index) { return docker::instruction_script(*built.file, instructions[index]).commands.size(); };
  REQUIRE(instructions.size() == 13);
  CHECK_FALSE(instructions[1].windows_shell);  // before any SHELL
  CHECK(commands(1) == 1);
  CHECK(instructions[3].windows_shell);
  CHECK(commands(3) == 0);
  CHECK(instructions[5].windows_shell);  // FROM base keeps base's SHELL
  CHECK(commands(5) == 0);
  CHECK(commands(6) == 1);               // exec form runs no shell at all
  CHECK(instructions[8].windows_shell);  // a full path to pwsh.exe
  CHECK(instructions[10].windows_shell);
  CHECK(commands(10) == 0);
  CHECK_FALSE(instructions[12].windows_shell);
  CHECK(commands(12) == 1);
}

namespace {
// Every position a Script holds, in order, with the words' values: two parses that print the same
// are the same for every rule.
std::string describe(const SourceFile& file, const shell::Script& script) {
  std::string out;
  auto word = [&](const shell::Word& word) { out += std::string(word.value) + "@" + where(word.span) + " "; };
  for (const shell::Command& command : script.commands) {
    out += "command ";
    word(command.name);
    for (const shell::Word& argument : command.arguments) word(argument);
    for (const shell::Assignment& assignment : command.environment) {
      out += "env " + std::string(assignment.name) + "@" + where(assignment.span) + " ";
      word(assignment.value);
    }
    for (const shell::Redirection& redirection : command.redirections) {
      out += "redirect " + std::string(redirection.operator_text) + "@" + where(redirection.span) + " ";
      word(redirection.target);
    }
    for (const shell::Heredoc& heredoc : command.heredocs) {
      out += "heredoc " + heredoc.delimiter + "@" + where(heredoc.operator_span) + " body@" + where(heredoc.body_span) +
             " mapped@" + where(heredoc.body.span(file)) + " [" + heredoc.body.text() + "] ";
    }
    out += "span@" + where(command.span) + " parent " + std::to_string(command.parent) + "\n";
  }
  for (const shell::Assignment& assignment : script.assignments)
    out += "assignment " + std::string(assignment.name) + "@" + where(assignment.span) + "\n";
  for (const shell::ShellOption& option : script.options)
    out += "option " + std::string(option.name) + "@" + where(option.span) + "\n";
  out += "syntax errors " + std::to_string(script.has_syntax_errors) + "@" + where(script.first_syntax_error) + "\n";
  return out;
}
}  // namespace

TEST_CASE("instruction_script: a text repeated in other files gives the script a fresh parse gives there") {
  // Each text is seen three times (kept on the second): the third answer is the kept script with
  // its positions moved, and must equal a parse of the third file itself, heredoc bodies included.
  const std::string body =
      "RUN set -eux; \\\n"
      "    X=repeat-test-1 apt-get install -y curl > /tmp/log 2>&1; \\\n"
      "    # a comment line inside the continuation\n"
      "    sh -c \"crond -b && echo $(date)\" ; \\\n"
      "    cat <<EOF > /etc/app.conf\n"
      "setting=1\n"
      "EOF\n";
  const std::string exec_form = "  CMD [\"sh\", \"-c\", \"repeat-test-2 --port 80 && exec nginx\"]\n";
  const std::string syntax_error = "RUN repeat-test-3 && if then fi (\n";
  for (const std::string& text : {body, exec_form, syntax_error}) {
    Built first = build("FROM alpine\n" + text);
    Built second = build("FROM debian\nENV A=1\n" + text);
    Built third = build("# syntax=docker/dockerfile:1\nFROM ubuntu:24.04\n\nARG LONGER_PREFIX=abcdefghijklmnop\nUSER root\n" + text);
    for (Built* built : {&first, &second, &third}) {
      docker::InstructionScriptCache scope;
      const docker::Instruction& instruction = built->dockerfile.instructions().back();
      const shell::Script& script = docker::instruction_script(*built->file, instruction);
      REQUIRE_FALSE(script.commands.empty());
      shell::Script fresh = instruction.form == docker::Form::Exec
                                ? shell::parse_shell(*built->file, docker::exec_form_as_shell(instruction))
                                : shell::parse_shell(*built->file, docker::instruction_shell_source(*built->file, instruction));
      CHECK(describe(*built->file, script) == describe(*built->file, fresh));
    }
  }
}

TEST_CASE("shift_positions: moves every position, leaves empty spans empty") {
  Built built = build("FROM alpine\nRUN set -e; A=1 b > c <<EOF\nx\nEOF\n");
  docker::InstructionScriptCache scope;
  const docker::Instruction& run = built.dockerfile.instructions()[1];
  shell::Script script = shell::parse_shell(*built.file, docker::instruction_shell_source(*built.file, run));
  REQUIRE(script.first_syntax_error.empty());
  shell::shift_positions(script, 3, 0);
  CHECK(script.first_syntax_error.empty());
  REQUIRE(script.commands.size() == 2);
  CHECK(where(script.commands[1].name.span).starts_with("5:"));
  CHECK(where(script.commands[1].environment.at(0).span).starts_with("5:"));
  CHECK(where(script.commands[1].redirections.at(0).target.span).starts_with("5:"));
  REQUIRE(script.commands[1].heredocs.size() == 1);
  CHECK(where(script.commands[1].heredocs[0].body_span).starts_with("6:"));
  CHECK(where(script.options.at(0).span).starts_with("5:"));
}
