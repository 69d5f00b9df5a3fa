#include <catch2/catch.hpp>

#include <string>

#include "analyzer/parse/dockerfile_parser.h"

using namespace shiftlint;
using namespace shiftlint::docker;

namespace {

struct Parsed {
  SourceFile file;
  ParsedDockerfile dockerfile;
  explicit Parsed(std::string text) : file("Dockerfile", "Dockerfile", std::move(text)), dockerfile(parse_dockerfile(file)) {}
  const Instruction& at(size_t index) const {
    REQUIRE(index < dockerfile.instructions.size());
    return dockerfile.instructions[index];
  }
};

Span at(uint32_t line, uint32_t column, uint32_t end_line, uint32_t end_column) {
  return {{line, column}, {end_line, end_column}};
}

}  // namespace

TEST_CASE("dockerfile: keywords, flags and arguments with exact positions") {
  Parsed parsed(
      "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
      "run --mount=type=cache,target=/root/.cache/go-build go build ./...\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& from = parsed.at(0);
  CHECK(from.keyword == "FROM");
  CHECK(from.keyword_span == at(1, 1, 1, 5));
  REQUIRE(from.flags.size() == 1);
  CHECK(from.flags[0].name == "platform");
  CHECK(from.flags[0].value == "$BUILDPLATFORM");
  CHECK(from.flags[0].span == at(1, 6, 1, 31));
  CHECK(from.flags[0].name_span == at(1, 6, 1, 16));
  CHECK(from.flags[0].value_span == at(1, 17, 1, 31));
  REQUIRE(from.arguments.size() == 3);
  CHECK(from.arguments[0].text == "golang:1.22");
  CHECK(from.arguments[0].span == at(1, 32, 1, 43));
  CHECK(from.arguments[2].text == "build");
  CHECK(from.arguments[2].span == at(1, 47, 1, 52));
  CHECK(from.span == at(1, 1, 1, 52));

  const Instruction& run = parsed.at(1);
  CHECK(run.keyword == "RUN");  // keywords are case-insensitive
  CHECK(run.form == Form::Shell);
  REQUIRE(run.flag("mount"));
  CHECK(*run.flag("mount")->value == "type=cache,target=/root/.cache/go-build");
  REQUIRE(run.arguments.size() == 1);
  CHECK(run.arguments[0].text == "go build ./...");
  CHECK(run.arguments[0].span == at(2, 53, 2, 67));
}

TEST_CASE("dockerfile: continuation lines join without separators and skip comments and blank lines") {
  Parsed parsed(
      "RUN apt-get update \\\n"
      "    # a comment inside the continuation\n"
      "\n"
      "    && apt-get install -y cron \\\n"
      "    && rm -rf /var/lib/apt/lists/*\n"
      "USER app\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& run = parsed.at(0);
  CHECK(run.arguments_text() == "apt-get update     && apt-get install -y cron     && rm -rf /var/lib/apt/lists/*");
  CHECK(run.span == at(1, 1, 5, 35));
  // "cron" in the joined text maps back to line 4.
  size_t cron = run.line.text().find("cron");
  CHECK(run.line.span_of(parsed.file, cron, cron + 4) == at(4, 27, 4, 31));
  TextMap command = run.arguments_map();
  size_t rm = command.text().find("rm -rf");
  CHECK(command.span_of(parsed.file, rm, rm + 2) == at(5, 8, 5, 10));
  CHECK(parsed.at(1).keyword_span == at(6, 1, 6, 5));
}

TEST_CASE("dockerfile: an escaped escape character does not continue the line") {
  Parsed parsed("RUN echo a\\\\\nCMD x\n");
  REQUIRE(parsed.dockerfile.instructions.size() == 2);
  CHECK(parsed.at(0).arguments_text() == "echo a\\\\");
  Parsed trailing_spaces("RUN echo a \\  \t\n  b\n");
  CHECK(trailing_spaces.at(0).arguments_text() == "echo a   b");
}

TEST_CASE("dockerfile: a continuation at the end of the file is accepted") {
  Parsed parsed("FROM alpine\nRUN echo hi \\\n");
  CHECK(parsed.dockerfile.ok());
  CHECK(parsed.at(1).arguments_text() == "echo hi");
}

TEST_CASE("dockerfile: parser directives, including the backtick escape") {
  Parsed parsed(
      "# syntax=docker/dockerfile:1.7\n"
      "# escape=`\n"
      "# check=skip=JSONArgsRecommended\n"
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "RUN dir c:\\ `\n"
      "    && echo done\n");
  REQUIRE(parsed.dockerfile.ok());
  REQUIRE(parsed.dockerfile.directives.size() == 3);
  CHECK(parsed.dockerfile.directives[0].name == "syntax");
  CHECK(parsed.dockerfile.directives[0].value == "docker/dockerfile:1.7");
  CHECK(parsed.dockerfile.directives[0].value_span == at(1, 10, 1, 31));
  CHECK(parsed.dockerfile.escape == '`');
  CHECK(parsed.at(1).arguments_text() == "dir c:\\     && echo done");
}

TEST_CASE("dockerfile: directives after a comment or blank line are comments") {
  Parsed parsed("# a comment\n# escape=`\nFROM x\nRUN a `\n");
  CHECK(parsed.dockerfile.directives.empty());
  CHECK(parsed.dockerfile.escape == '\\');
  CHECK(parsed.at(1).arguments_text() == "a `");
}

TEST_CASE("dockerfile: an invalid escape and a repeated directive are parse errors") {
  Parsed invalid("# escape=x\nFROM alpine\n");
  REQUIRE(invalid.dockerfile.errors.size() == 1);
  CHECK(invalid.dockerfile.errors[0].span == at(1, 10, 1, 11));
  CHECK(invalid.dockerfile.errors[0].message.find("invalid escape token 'x'") == 0);
  CHECK(invalid.dockerfile.instructions.size() == 1);  // the rest is still parsed

  Parsed repeated("# syntax=a\n# syntax=b\nFROM alpine\n");
  REQUIRE(repeated.dockerfile.errors.size() == 1);
  CHECK(repeated.dockerfile.errors[0].span.begin.line == 2);
  CHECK(repeated.dockerfile.errors[0].message.find("only one syntax parser directive") == 0);
}

TEST_CASE("dockerfile: exec form, shell form, and invalid JSON read as shell form") {
  Parsed parsed(
      "CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
      "ENTRYPOINT ['/entrypoint.sh']\n"
      "CMD [\"a\", \"b\",]\n"
      "CMD [\"caf\\u00e9\"]  \n"
      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& cmd = parsed.at(0);
  CHECK(cmd.form == Form::Exec);
  REQUIRE(cmd.arguments.size() == 3);
  CHECK(cmd.arguments[2].text == "daemon off;");
  CHECK(cmd.arguments[2].span == at(1, 21, 1, 34));
  CHECK(parsed.at(1).form == Form::Shell);  // single quotes are not JSON
  CHECK(parsed.at(1).arguments[0].text == "['/entrypoint.sh']");
  CHECK(parsed.at(2).form == Form::Shell);  // a trailing comma is not JSON either
  CHECK(parsed.at(3).form == Form::Exec);
  CHECK(parsed.at(3).arguments[0].text == "caf\xC3\xA9");
  CHECK(parsed.at(4).arguments.size() == 4);
}

TEST_CASE("dockerfile: a JSON array with a non-string is rejected at that element; the next instruction is still read") {
  Parsed parsed("FROM alpine\nCMD [\"sleep\", 10]\nUSER app\n");
  REQUIRE(parsed.dockerfile.errors.size() == 1);
  CHECK(parsed.dockerfile.errors[0].span == at(2, 15, 2, 16));
  CHECK(parsed.dockerfile.errors[0].message.find("CMD in JSON (exec) form takes only strings") == 0);
  CHECK_FALSE(parsed.at(1).valid);
  CHECK(parsed.at(2).keyword == "USER");
}

TEST_CASE("dockerfile: COPY, ADD and VOLUME split at white space in shell form") {
  Parsed parsed(
      "COPY --from=build --chown=app:app --chmod=755 --link /src/app /usr/local/bin/\n"
      "ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x.tgz /x/\n"
      "COPY --parents --exclude=*.md ./docs/ /d/\n"
      "VOLUME [\"/data\", \"/logs\"]\n"
      "VOLUME /var/lib/mysql /var/log\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& copy = parsed.at(0);
  REQUIRE(copy.flags.size() == 4);
  CHECK(copy.flags[3].name == "link");
  CHECK_FALSE(copy.flags[3].value.has_value());
  CHECK(copy.flags[3].value_span.empty());
  REQUIRE(copy.arguments.size() == 2);
  CHECK(copy.arguments[1].text == "/usr/local/bin/");
  CHECK(copy.arguments[1].span == at(1, 63, 1, 78));
  CHECK(*parsed.at(1).flag("keep-git-dir")->value == "true");
  CHECK(parsed.at(2).flag("exclude")->value == "*.md");
  CHECK(parsed.at(3).form == Form::Exec);
  CHECK(parsed.at(3).arguments[1].text == "/logs");
  CHECK(parsed.at(4).arguments.size() == 2);
}

TEST_CASE("dockerfile: flag values lose their quotes; a lone -- ends the flags") {
  Parsed parsed("RUN --mount=\"type=secret,id=npm\" -- --not-a-flag\n");
  const Instruction& run = parsed.at(0);
  REQUIRE(run.flags.size() == 1);
  CHECK(*run.flags[0].value == "type=secret,id=npm");
  CHECK(run.flags[0].value_span == at(1, 13, 1, 33));
  CHECK(run.arguments_text() == "--not-a-flag");
}

TEST_CASE("dockerfile: ENV and LABEL pairs, both forms") {
  Parsed parsed(
      "ENV A=1 B=\"two words\" C=three\\ words\n"
      "ENV LEGACY value with spaces\n"
      "LABEL maintainer=\"ops@example.com\"\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& env = parsed.at(0);
  REQUIRE(env.pairs.size() == 3);
  CHECK(env.pairs[0].key.text == "A");
  CHECK(env.pairs[0].key.span == at(1, 5, 1, 6));
  CHECK(env.pairs[0].value.span == at(1, 7, 1, 8));
  CHECK(env.pairs[1].value.text == "\"two words\"");
  CHECK(env.pairs[2].value.text == "three\\ words");
  const Instruction& legacy = parsed.at(1);
  CHECK(legacy.legacy_pair);
  REQUIRE(legacy.pairs.size() == 1);
  CHECK(legacy.pairs[0].key.text == "LEGACY");
  CHECK(legacy.pairs[0].value.text == "value with spaces");
  CHECK(legacy.pairs[0].value.span == at(2, 12, 2, 29));
  CHECK(parsed.at(2).pairs[0].value.text == "\"ops@example.com\"");
}

TEST_CASE("dockerfile: pair words keep quotes and escapes around runs of plain text") {
  Parsed parsed(
      "LABEL a=x'y z'w b=\"say \\\"hi\\\" 'there'\" c=\"\" d='it\\s'\u00a0e=tail\n"
      "ARG X=1\u2003Y=2\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& label = parsed.at(0);
  REQUIRE(label.pairs.size() == 5);
  CHECK(label.pairs[0].value.text == "x'y z'w");             // a quote in the middle of a word
  CHECK(label.pairs[1].value.text == "\"say \\\"hi\\\" 'there'\"");  // escapes kept, single quotes plain
  CHECK(label.pairs[2].value.text == "\"\"");                // an empty quoted value is a value
  CHECK(label.pairs[3].value.text == "'it\\s'");           // no escape inside single quotes
  CHECK(label.pairs[4].key.text == "e");                    // NBSP separates words, as Go's IsSpace
  CHECK(label.pairs[4].value.text == "tail");
  const Instruction& arg = parsed.at(1);
  REQUIRE(arg.pairs.size() == 2);
  CHECK(arg.pairs[1].key.text == "Y");
  CHECK(arg.pairs[1].value.span == at(2, 13, 2, 14));

  Parsed backtick("# escape=`\nENV P=C:\\dir\\x Q=a`\"b\n");
  REQUIRE(backtick.dockerfile.ok());
  REQUIRE(backtick.at(0).pairs.size() == 2);
  CHECK(backtick.at(0).pairs[0].value.text == "C:\\dir\\x");  // a backslash is a plain byte
  CHECK(backtick.at(0).pairs[1].value.text == "a`\"b");          // ` escapes the quote
}

TEST_CASE("dockerfile: ENV errors BuildKit rejects") {
  Parsed alone("ENV NAME\nENV A=1 B\nUSER x\n");
  REQUIRE(alone.dockerfile.errors.size() == 2);
  CHECK(alone.dockerfile.errors[0].span == at(1, 5, 1, 9));
  CHECK(alone.dockerfile.errors[0].message == "ENV NAME has no value: write ENV NAME=value (BuildKit rejects a name alone)");
  CHECK(alone.dockerfile.errors[1].span == at(2, 9, 2, 10));
  CHECK(alone.at(2).keyword == "USER");
}

TEST_CASE("dockerfile: ARG with and without defaults") {
  Parsed parsed("ARG VERSION=1.2 DEBUG\n");
  const Instruction& arg = parsed.at(0);
  REQUIRE(arg.pairs.size() == 2);
  CHECK(arg.pairs[0].value.text == "1.2");
  CHECK(arg.pairs[0].value.span == at(1, 13, 1, 16));
  CHECK_FALSE(arg.pairs[1].has_value);
  CHECK(arg.pairs[1].key.span == at(1, 17, 1, 22));
}

TEST_CASE("dockerfile: heredocs: body, terminator, quoting, tabs, several per instruction") {
  Parsed parsed(
      "FROM alpine\n"
      "RUN <<EOF\n"
      "apk add nginx\n"
      "echo done\n"
      "EOF\n"
      "COPY <<-\"CONF\" /etc/app.conf\n"
      "\tkey=$value\n"
      "\tCONF\n"
      "RUN cat <<A > /a && cat 3<<'B' > /b\n"
      "one\n"
      "A\n"
      "two\n"
      "B\n"
      "USER app\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& run = parsed.at(1);
  REQUIRE(run.heredocs.size() == 1);
  const Heredoc& script = run.heredocs[0];
  CHECK(script.name == "EOF");
  CHECK(script.expand);
  CHECK(script.body.text() == "apk add nginx\necho done\n");
  CHECK(script.first_line == 3);
  CHECK(script.line_count == 2);
  CHECK(script.word_span == at(2, 5, 2, 10));
  CHECK(script.terminator_span == at(5, 1, 5, 4));
  CHECK(script.body.span_of(parsed.file, 14, 18) == at(4, 1, 4, 5));
  CHECK(run.span == at(2, 1, 5, 4));

  const Instruction& copy = parsed.at(2);
  REQUIRE(copy.heredocs.size() == 1);
  CHECK(copy.heredocs[0].name == "CONF");
  CHECK(copy.heredocs[0].strip_tabs);
  CHECK_FALSE(copy.heredocs[0].expand);
  CHECK(copy.heredocs[0].body.text() == "key=$value\n");
  CHECK(copy.heredocs[0].body.span_of(parsed.file, 0, 3) == at(7, 2, 7, 5));
  CHECK(copy.arguments.size() == 2);
  CHECK(copy.arguments[1].text == "/etc/app.conf");

  const Instruction& two = parsed.at(3);
  REQUIRE(two.heredocs.size() == 2);
  CHECK(two.heredocs[0].body.text() == "one\n");
  CHECK(two.heredocs[1].name == "B");
  CHECK(two.heredocs[1].file_descriptor == 3);
  CHECK(two.heredocs[1].body.text() == "two\n");
  CHECK(parsed.at(4).keyword_span == at(14, 1, 14, 5));
}

TEST_CASE("dockerfile: what is not a heredoc for BuildKit") {
  Parsed parsed(
      "RUN echo \"<<EOF\" && cat<<X\n"
      "CMD cat <<EOF\n"
      "RUN [\"cat\", \"<<EOF\"]\n"
      "RUN echo $((1<<2))\n");
  REQUIRE(parsed.dockerfile.ok());
  for (const Instruction& instruction : parsed.dockerfile.instructions) CHECK(instruction.heredocs.empty());
  CHECK(parsed.dockerfile.instructions.size() == 4);
}

TEST_CASE("dockerfile: `<< EOF` with a space is a heredoc too") {
  Parsed parsed("RUN cat << EOF\nhi\nEOF\n");
  REQUIRE(parsed.at(0).heredocs.size() == 1);
  CHECK(parsed.at(0).heredocs[0].name == "EOF");
}

TEST_CASE("dockerfile: an unterminated heredoc is an error; parsing resumes at the next instruction") {
  Parsed parsed(
      "FROM alpine\n"
      "RUN <<EOF\n"
      "echo one\n"
      "EOF \n"
      "CMD [\"app\"]\n"
      "USER app\n");
  REQUIRE(parsed.dockerfile.errors.size() == 1);
  CHECK(parsed.dockerfile.errors[0].span == at(2, 5, 2, 10));
  CHECK(parsed.dockerfile.errors[0].message.find("unterminated heredoc: no line \"EOF\" closes it") == 0);
  REQUIRE(parsed.dockerfile.instructions.size() == 4);
  CHECK(parsed.at(1).heredocs[0].body.text() == "echo one\nEOF \n");
  // The lines after the resume are read again, each to its own end.
  CHECK(parsed.at(2).keyword == "CMD");
  CHECK(parsed.at(2).keyword_span == at(5, 1, 5, 4));
  REQUIRE(parsed.at(2).arguments.size() == 1);
  CHECK(parsed.at(2).arguments[0].text == "app");
  CHECK(parsed.at(3).keyword == "USER");
  CHECK(parsed.at(3).span == at(6, 1, 6, 9));
}

TEST_CASE("dockerfile: HEALTHCHECK, ONBUILD and single-word instructions") {
  Parsed parsed(
      "HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1\n"
      "HEALTHCHECK NONE\n"
      "ONBUILD COPY --chown=app . /app\n"
      "WORKDIR /srv/my app\n"
      "STOPSIGNAL SIGQUIT\n");
  REQUIRE(parsed.dockerfile.ok());
  const Instruction& health = parsed.at(0);
  CHECK(health.flags.size() == 2);
  REQUIRE(health.arguments.size() == 2);
  CHECK(health.arguments[0].text == "CMD");
  CHECK(health.arguments[1].text == "curl -f http://localhost/ || exit 1");
  CHECK(health.form == Form::Shell);
  CHECK(parsed.at(1).arguments.size() == 1);
  const Instruction& onbuild = parsed.at(2);
  REQUIRE(onbuild.trigger);
  CHECK(onbuild.trigger->keyword == "COPY");
  CHECK(onbuild.trigger->keyword_span == at(3, 9, 3, 13));
  CHECK(onbuild.trigger->flag("chown"));
  CHECK(onbuild.trigger->arguments.size() == 2);
  CHECK(parsed.at(3).arguments[0].text == "/srv/my app");
  CHECK(parsed.at(4).arguments[0].span == at(5, 12, 5, 19));
}

TEST_CASE("dockerfile: unknown keywords parse (docker build rejects them later)") {
  Parsed parsed("FROM alpine\nCOPPY a b\n");
  CHECK(parsed.dockerfile.ok());
  CHECK(parsed.at(1).keyword == "COPPY");
  CHECK_FALSE(is_known_instruction("COPPY"));
  CHECK(is_known_instruction("HEALTHCHECK"));
}

TEST_CASE("dockerfile: CRLF line ends, leading white space and a BOM") {
  Parsed parsed("\xEF\xBB\xBF" "FROM alpine\r\n  RUN a \\\r\n  b\r\n");
  REQUIRE(parsed.dockerfile.ok());
  CHECK(parsed.at(1).arguments_text() == "a   b");
  CHECK(parsed.at(1).keyword_span == at(2, 3, 2, 6));
  CHECK(parsed.at(1).span == at(2, 3, 3, 4));
}

TEST_CASE("dockerfile: an empty file has no instructions, which BuildKit rejects") {
  Parsed parsed("# only a comment\n\n");
  REQUIRE(parsed.dockerfile.errors.size() == 1);
  CHECK(parsed.dockerfile.errors[0].message.find("no instructions") != std::string::npos);
}

TEST_CASE("dockerfile: a line over 64 KiB is an error at its line") {
  std::string text = "FROM alpine\nRUN echo " + std::string(70000, 'a') + "\nUSER x\n";
  Parsed parsed(text);
  REQUIRE(parsed.dockerfile.errors.size() == 1);
  CHECK(parsed.dockerfile.errors[0].span.begin.line == 2);
  CHECK(parsed.dockerfile.instructions.size() == 3);
}

TEST_CASE("dockerfile: hostile input stays linear and bounded") {
  std::string deep = "CMD " + std::string(100000, '[') + "\n";
  Parsed nested(deep);
  CHECK(nested.at(0).form == Form::Shell);
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "RUN a \\\n";
  many += "b\n";
  Parsed continued(many);
  REQUIRE(continued.dockerfile.instructions.size() == 1);
  CHECK(continued.at(0).line.text().size() == 20000 * 6 + 1);
  std::string onbuild = "ONBUILD";
  for (int i = 0; i < 1000; ++i) onbuild += " ONBUILD";
  Parsed chained(onbuild + " RUN x\n");
  CHECK(chained.dockerfile.instructions.size() == 1);
}

TEST_CASE("dockerfile: past the instruction limit the rest is reported, not parsed") {
  std::string text = "FROM alpine\n";
  for (size_t i = 0; i < kMaxInstructions; ++i) text += "ENV A=1\n";
  Parsed parsed(text);
  CHECK(parsed.dockerfile.instructions.size() == kMaxInstructions);
  REQUIRE(parsed.dockerfile.errors.size() == 1);
  CHECK(parsed.dockerfile.errors[0].span.begin.line == kMaxInstructions + 1);
  CHECK(parsed.dockerfile.errors[0].message == "more than 100000 instructions: the rest of the file is not analysed");
}

TEST_CASE("dockerfile: an empty quoted delimiter is no heredoc (BuildKit's lexer makes no word of it)") {
  Parsed parsed("RUN cat <<\"\"\nUSER app\n");
  CHECK(parsed.at(0).heredocs.empty());
  CHECK(parsed.at(1).keyword == "USER");
}

TEST_CASE("dockerfile: heredoc delimiters as BuildKit's lexer reads them") {
  Parsed parsed(
      "RUN <<eo'f'\necho\neof\n"
      "RUN <<eo\\'f\necho\neo'f\n"
      "RUN <<'one two'\necho\none two\n"
      "RUN <<$EOF\n$EOF\n"
      "RUN <<  EOF  > foo\nEOF\n"
      "COPY <<X <<Y /dest\nY\nX\nX\nY\n");
  REQUIRE(parsed.dockerfile.ok());
  REQUIRE(parsed.dockerfile.instructions.size() == 6);
  CHECK(parsed.at(0).heredocs[0].name == "eof");
  CHECK_FALSE(parsed.at(0).heredocs[0].expand);  // part of it was quoted
  CHECK(parsed.at(1).heredocs[0].name == "eo'f");
  CHECK(parsed.at(1).heredocs[0].expand);  // an escaped quote is not quoting
  CHECK(parsed.at(2).heredocs[0].name == "one two");
  CHECK(parsed.at(3).heredocs[0].name == "$EOF");
  CHECK(parsed.at(4).heredocs[0].name == "EOF");
  CHECK(parsed.at(4).heredocs[0].body.empty());
  const Instruction& copy = parsed.at(5);
  REQUIRE(copy.heredocs.size() == 2);
  CHECK(copy.heredocs[0].body.text() == "Y\n");
  CHECK(copy.heredocs[1].body.text() == "X\n");
  CHECK(copy.heredocs[1].terminator_span == at(18, 1, 18, 2));
}
