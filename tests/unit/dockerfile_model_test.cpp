#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>

#include "analyzer/model/docker/dockerfile.h"

using namespace shiftlint;
using namespace shiftlint::docker;

namespace {

Dockerfile model(std::string text) {
  auto file = std::make_shared<const SourceFile>("Dockerfile", "Dockerfile", std::move(text));
  return build_dockerfile(file, parse_dockerfile(*file));
}

Expansion expand_with(std::string_view word, const std::map<std::string, std::string>& values,
                      std::string_view unknown = "") {
  return expand_word(word, '\\', [&](std::string_view name) -> std::optional<VariableValue> {
    if (name == unknown) return VariableValue{"", false};
    auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return VariableValue{found->second, true};
  });
}

}  // namespace

TEST_CASE("dockerfile: substitution forms as BuildKit expands them") {
  std::map<std::string, std::string> values = {{"A", "alpha"}, {"EMPTY", ""}, {"PATHS", "/usr/local/bin:/usr/bin"}};
  CHECK(expand_with("$A-${A}", values).text == "alpha-alpha");
  CHECK(expand_with("${UNSET:-fallback}", values).text == "fallback");
  CHECK(expand_with("${EMPTY:-fallback}", values).text == "fallback");
  CHECK(expand_with("${EMPTY-fallback}", values).text.empty());
  CHECK(expand_with("${A:+set}", values).text == "set");
  CHECK(expand_with("${UNSET+set}", values).text.empty());
  CHECK(expand_with("${PATHS#*:}", values).text == "/usr/bin");
  CHECK(expand_with("${PATHS%%:*}", values).text == "/usr/local/bin");
  CHECK(expand_with("${A/ph/PH}", values).text == "alPHa");
  CHECK(expand_with("${A:-${UNSET:-deep}}", values).text == "alpha");
  CHECK(expand_with("'$A' \"$A\" \\$A", values).text == "$A alpha $A");
  CHECK(expand_with("$", values).text == "$");

  Expansion failed = expand_with("${UNSET:?must be set}", values);
  CHECK(failed.error == "UNSET: must be set");
  CHECK(expand_with("${}", values).error == "syntax error: bad substitution");
  CHECK(expand_with("${A", values).error == "syntax error: missing '}'");

  Expansion partial = expand_with("ruby:${VERSION}-slim", values, "VERSION");
  CHECK_FALSE(partial.complete);
  CHECK(partial.text == "ruby:-slim");

  // Words with nothing to expand are their own text, whatever the lookup.
  CHECK_FALSE(needs_expansion("/usr/local/bin/app", '\\'));
  CHECK(needs_expansion("$HOME/app", '\\'));
  CHECK(needs_expansion("'quoted'", '\\'));
  CHECK(needs_expansion("a\\ b", '\\'));
  CHECK_FALSE(needs_expansion("C:\\app", '`'));
  CHECK(needs_expansion("a`b", '`'));
  // Long words are tested eight bytes at a time: any byte at any place, next to any neighbour.
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t at = 0; at < 20; ++at) {
      std::string word(20, 'a');
      word[at] = static_cast<char>(byte);
      if (at + 1 < word.size()) word[at + 1] = static_cast<char>(0xFF - byte);
      bool special = [&] {
        for (char c : word)
          if (c == '$' || c == '\'' || c == '"' || c == '\\') return true;
        return false;
      }();
      INFO("byte " << byte << " at " << at);
      CHECK(needs_expansion(word, '\\') == special);
    }
  }
  Expansion plain = expand_with("/app/", values);
  CHECK(plain.text == "/app/");
  CHECK(plain.ok());
  Expansion windows = expand_word("C:\\app", '`', [](std::string_view) { return std::optional<VariableValue>(); });
  CHECK(windows.text == "C:\\app");

  // Plain text around what means something, inside and outside quotes and operands.
  CHECK(expand_with("pre-$A-mid\"in $A \\\" q\"post\\ x${UNSET:-d e f}end", values).text ==
        "pre-alpha-midin alpha \" qpost xd e fend");
  CHECK(expand_with("${UNSET:-a}b}c", values).text == "ab}c");
  CHECK(expand_with("tail\\", values).text == "tail");
}

TEST_CASE("dockerfile: substitution is bounded on hostile nesting") {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "${A:-";
  Expansion expansion = expand_with(deep, {});
  CHECK_FALSE(expansion.error.empty());
}

TEST_CASE("dockerfile: stages, global ARGs in FROM, FROM an earlier stage, scratch") {
  Dockerfile dockerfile = model(
      "ARG RUBY_VERSION=2.7\n"
      "ARG VARIANT\n"
      "FROM --platform=$BUILDPLATFORM ruby:${RUBY_VERSION}-slim AS Base\n"
      "ENV APP_HOME=/app\n"
      "FROM base AS assets\n"
      "RUN echo\n"
      "FROM scratch\n"
      "FROM node:${VARIANT}\n");
  REQUIRE(dockerfile.stages.size() == 4);
  REQUIRE(dockerfile.global_args.size() == 2);
  CHECK(dockerfile.global_args[0].value == "2.7");
  CHECK_FALSE(dockerfile.global_args[1].known);

  const Stage& base = dockerfile.stages[0];
  CHECK(base.image_word->text == "ruby:${RUBY_VERSION}-slim");
  CHECK(base.image.text == "ruby:2.7-slim");
  CHECK(base.image.ok());
  CHECK(base.name == "base");
  CHECK(base.name_word->span == Span{{3, 61}, {3, 65}});
  REQUIRE(base.platform);
  CHECK(*base.platform->value == "$BUILDPLATFORM");
  CHECK(base.external_base);

  const Stage& assets = dockerfile.stages[1];
  REQUIRE(assets.parent);
  CHECK(*assets.parent == 0);
  CHECK(dockerfile.variable(assets, 0, "APP_HOME")->value == "/app");  // ENV carries over

  CHECK(dockerfile.stages[2].scratch);
  CHECK_FALSE(dockerfile.stages[2].external_base);
  CHECK_FALSE(dockerfile.stages[3].image.complete);  // VARIANT has no default
  CHECK(dockerfile.final_stage() == &dockerfile.stages[3]);
  CHECK(dockerfile.find_stage("BASE") == &base);
  CHECK(dockerfile.find_stage("1") == &assets);
  CHECK(dockerfile.find_stage("9") == nullptr);
}

TEST_CASE("dockerfile: ENV and ARG in scope at each instruction") {
  Dockerfile dockerfile = model(
      "ARG VERSION=1.0\n"
      "FROM scratch\n"
      "ENV A=one\n"
      "ENV A=two B=$A\n"
      "ARG VERSION\n"
      "ARG LOCAL=x-${VERSION}\n"
      "COPY app /opt/$A/$LOCAL\n");
  const Stage& stage = dockerfile.stages[0];
  REQUIRE(stage.instructions.size() == 5);
  CHECK(dockerfile.variable(stage, 0, "A") == nullptr);
  CHECK(dockerfile.variable(stage, 1, "A")->value == "one");
  // Every value of one ENV is expanded with the scope before it.
  CHECK(dockerfile.variable(stage, 2, "B")->value == "one");
  CHECK(dockerfile.variable(stage, 2, "A")->value == "two");
  // A global ARG is visible in a stage only once re-declared, with its default.
  CHECK(dockerfile.variable(stage, 2, "VERSION") == nullptr);
  CHECK(dockerfile.variable(stage, 4, "VERSION")->value == "1.0");
  CHECK(dockerfile.variable(stage, 4, "LOCAL")->value == "x-1.0");
  CHECK(dockerfile.expand(stage, 4, "/opt/$A/$LOCAL").text == "/opt/two/x-1.0");
  size_t position = 99;
  CHECK(dockerfile.stage_of(dockerfile.instructions()[6], &position) == &stage);
  CHECK(position == 4);
  CHECK(dockerfile.stage_of(dockerfile.instructions()[0]) == nullptr);
}

TEST_CASE("dockerfile: a variable the base image may set is unknown, not empty") {
  Dockerfile dockerfile = model("FROM ruby:3.3\nENV PATH=/app/bin:$PATH\n");
  const Variable* path = dockerfile.variable(dockerfile.stages[0], 1, "PATH");
  REQUIRE(path);
  CHECK_FALSE(path->known);
}

TEST_CASE("dockerfile: what an official base image sets in its own ENV and every tag keeps") {
  Dockerfile dockerfile = model(
      "ARG PHP=8.3\n"
      "FROM php:${PHP}-apache AS base\n"
      "COPY php.ini $PHP_INI_DIR/php.ini\n"
      "FROM base\n"
      "COPY sessions.ini ${PHP_INI_DIR}/conf.d/ $GEM_HOME\n"
      "FROM public.ecr.aws/docker/library/tomcat:10\n"
      "COPY app.war $CATALINA_HOME/webapps/\n"
      "FROM mycorp/php:8.3\n"
      "COPY php.ini $PHP_INI_DIR/php.ini\n"
      "FROM php:${UNSET_TAG}\n"
      "COPY php.ini $PHP_INI_DIR/php.ini\n");
  Expansion php = dockerfile.expand(dockerfile.stages[0], 0, "$PHP_INI_DIR/php.ini");
  CHECK(php.ok());
  CHECK(php.text == "/usr/local/etc/php/php.ini");
  // A stage FROM an earlier one inherits its base image's environment.
  CHECK(dockerfile.expand(dockerfile.stages[1], 0, "${PHP_INI_DIR}/conf.d/").text == "/usr/local/etc/php/conf.d/");
  // A variable the image does not set stays unknown.
  CHECK_FALSE(dockerfile.expand(dockerfile.stages[1], 0, "$GEM_HOME").ok());
  CHECK(dockerfile.expand(dockerfile.stages[2], 0, "$CATALINA_HOME/webapps/").text == "/usr/local/tomcat/webapps/");
  // Not an official image, or a tag only the build knows: unknown.
  CHECK_FALSE(dockerfile.expand(dockerfile.stages[3], 0, "$PHP_INI_DIR/php.ini").ok());
  CHECK_FALSE(dockerfile.expand(dockerfile.stages[4], 0, "$PHP_INI_DIR/php.ini").ok());
}

TEST_CASE("dockerfile: the final image's CMD and ENTRYPOINT, inherited across stages") {
  Dockerfile dockerfile = model(
      "FROM ruby:3.3 AS base\n"
      "WORKDIR /app\n"
      "CMD [\"rails\", \"server\"]\n"
      "USER app\n"
      "EXPOSE 3000\n"
      "FROM base AS web\n"
      "WORKDIR tmp\n"
      "VOLUME /app/uploads /app/tmp/${NAME:-cache}\n"
      "STOPSIGNAL SIGQUIT\n"
      "FROM base AS worker\n"
      "ENTRYPOINT [\"bundle\", \"exec\"]\n");
  const ImageConfig& web = dockerfile.stages[1].config;
  REQUIRE(web.cmd);
  CHECK(web.cmd->span.begin.line == 3);
  CHECK(web.user->span.begin.line == 4);
  CHECK(web.expose.size() == 1);
  CHECK(web.workdir == "/app/tmp");
  CHECK(web.workdir_known);
  REQUIRE(web.volumes.size() == 2);
  CHECK(web.volumes[1] == "/app/tmp/cache");
  CHECK(web.stopsignal->arguments[0].text == "SIGQUIT");
  // ENTRYPOINT without a CMD in the same stage drops the inherited CMD.
  const ImageConfig& worker = dockerfile.final_stage()->config;
  CHECK(worker.entrypoint);
  CHECK(worker.cmd == nullptr);
  CHECK(worker.cmd_reset);
}

TEST_CASE("dockerfile: the WORKDIR an instruction runs in, and VOLUME expanded in exec form") {
  Dockerfile dockerfile = model(
      "FROM python:3.12 AS base\n"
      "RUN mkdir media\n"
      "WORKDIR /srv\n"
      "ENV APP=shop DATA=/srv/data\n"
      "WORKDIR ${APP}/src\n"
      "RUN mkdir media\n"
      "VOLUME [\"${DATA}\"]\n"
      "FROM base AS web\n"
      "RUN mkdir media\n"
      "WORKDIR ${UNSET_ARG}\n"
      "RUN mkdir media\n"
      "FROM scratch\n"
      "COPY --from=web /srv /srv\n");
  const Stage& base = dockerfile.stages[0];
  CHECK_FALSE(dockerfile.workdir_at(base, 1));  // the python image's own WORKDIR
  CHECK(dockerfile.workdir_at(base, 5) == std::optional<std::string>("/srv/shop/src"));
  CHECK(base.config.volumes == std::vector<std::string>{"/srv/data"});
  const Stage& web = dockerfile.stages[1];
  CHECK(dockerfile.workdir_at(web, 1) == std::optional<std::string>("/srv/shop/src"));  // inherited
  CHECK_FALSE(dockerfile.workdir_at(web, 3));  // a variable this file does not set
  CHECK(dockerfile.workdir_at(dockerfile.stages[2], 1) == std::optional<std::string>("/"));
}

TEST_CASE("dockerfile: COPY sources, destination, heredoc sources and --from") {
  Dockerfile dockerfile = model(
      "FROM alpine\n"
      "COPY --from=build /out/app /usr/local/bin/\n"
      "COPY <<EOF ./second /etc/conf.d/\n"
      "key=value\n"
      "EOF\n");
  auto copy = copy_arguments(dockerfile.instructions()[1]);
  REQUIRE(copy);
  REQUIRE(copy->from);
  CHECK(*copy->from->value == "build");
  REQUIRE(copy->sources.size() == 1);
  CHECK(copy->sources[0].word->text == "/out/app");
  CHECK(copy->destination->text == "/usr/local/bin/");
  auto inline_file = copy_arguments(dockerfile.instructions()[2]);
  REQUIRE(inline_file->sources.size() == 2);
  REQUIRE(inline_file->sources[0].heredoc);
  CHECK(inline_file->sources[0].heredoc->body.text() == "key=value\n");
  CHECK(inline_file->sources[1].heredoc == nullptr);
  CHECK_FALSE(copy_arguments(dockerfile.instructions()[0]));
}

TEST_CASE("dockerfile: shell source of RUN maps back to the file, heredocs included") {
  auto file = std::make_shared<const SourceFile>(
      "Dockerfile", "Dockerfile",
      "FROM alpine\n"
      "RUN apk add \\\n"
      "      cron\n"
      "RUN <<EOF\n"
      "crond -f\n"
      "EOF\n"
      "RUN python3 <<PY\n"
      "print(1)\n"
      "PY\n"
      "CMD [\"crond\"]\n");
  Dockerfile dockerfile = build_dockerfile(file, parse_dockerfile(*file));
  TextMap joined = shell_source(*file, dockerfile.instructions()[1]);
  CHECK(joined.text() == "apk add       cron");
  size_t cron = joined.text().find("cron");
  CHECK(joined.span_of(*file, cron, cron + 4) == Span{{3, 7}, {3, 11}});

  TextMap script = shell_source(*file, dockerfile.instructions()[2]);
  CHECK(script.text() == "crond -f\n");
  CHECK(script.span_of(*file, 0, 5) == Span{{5, 1}, {5, 6}});

  TextMap with_heredoc = shell_source(*file, dockerfile.instructions()[3]);
  CHECK(with_heredoc.text() == "python3 <<PY\nprint(1)\nPY");
  size_t print = with_heredoc.text().find("print");
  CHECK(with_heredoc.span_of(*file, print, print + 5) == Span{{8, 1}, {8, 6}});
  CHECK(shell_source(*file, dockerfile.instructions()[4]).empty());  // exec form

  // The pre-test answers true for every word shell_source holds, joined lines and heredocs included.
  for (size_t index = 1; index <= 3; ++index) {
    const Instruction& instruction = dockerfile.instructions()[index];
    std::string text = shell_source(*file, instruction).text();
    for (std::string_view word : {"apk", "cron", "crond -f", "print(1)", "python3", "PY"})
      if (text.find(word) != std::string::npos) CHECK(shell_source_may_contain(instruction, word));
  }
  CHECK(shell_source_may_contain(dockerfile.instructions()[1], "add       cron"));  // across the continuation
  CHECK_FALSE(shell_source_may_contain(dockerfile.instructions()[1], "mkdir"));
  CHECK_FALSE(shell_source_may_contain(dockerfile.instructions()[3], "crond"));
}

TEST_CASE("dockerfile: --mount fields") {
  auto fields = flag_fields("type=cache,target=/root/.npm,sharing=locked,readonly");
  REQUIRE(fields.size() == 4);
  CHECK(fields[0] == std::pair<std::string, std::string>{"type", "cache"});
  CHECK(fields[3].first == "readonly");
  CHECK(fields[3].second.empty());
}

TEST_CASE("dockerfile: template syntax marks the file as a template") {
  CHECK(model("FROM debian:%%SUITE%%\n").is_template);
  CHECK(model("FROM x\n  {{ if .cron }}\nRUN a\n{{ end }}\n").is_template);
  CHECK_FALSE(model("FROM x\nRUN echo '{{ not at line start }}' 100%% done %%\n").is_template);
}

TEST_CASE("dockerfile: unquoted template syntax anywhere marks a template; a quoted Go template does not") {
  CHECK(model("FROM mcr.microsoft.com/windows/{{ env.variant }}:ltsc2022\n").is_template);
  CHECK(model("FROM x\nRUN v={{ARGS[\"version\"]}} && echo $v\n").is_template);
  CHECK_FALSE(model("FROM x\nHEALTHCHECK CMD docker inspect -f '{{.State.Health.Status}}' db\n").is_template);
}
