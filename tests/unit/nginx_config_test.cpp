#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "analyzer/parse/nginx_config.h"

using namespace shiftlint;
using namespace shiftlint::nginx;

namespace {
SourceFile file_of(std::string text) { return SourceFile("/work/nginx.conf", "nginx.conf", std::move(text)); }

std::string at(Span span) { return fmt::format("{}:{}-{}:{}", span.begin.line, span.begin.column, span.end.line, span.end.column); }
}  // namespace

TEST_CASE("nginx_config: directives, blocks and parents with exact spans") {
  SourceFile file = file_of(
      "user nginx;\n"
      "http {\n"
      "  access_log /var/log/nginx/access.log main;\n"
      "  server {\n"
      "    listen 80;\n"
      "    location /uploads/ {\n"
      "      root /var/app/shared;\n"
      "    }\n"
      "  }\n"
      "}\n");
  Config config = parse_nginx_config(file);
  REQUIRE(config.errors.empty());
  REQUIRE(config.directives.size() == 7);
  const Directive& access_log = config.directives[2];
  CHECK(access_log.name == "access_log");
  CHECK(at(access_log.name_span) == "3:3-3:13");
  REQUIRE(access_log.arguments.size() == 2);
  CHECK(access_log.arguments[0].value == "/var/log/nginx/access.log");
  CHECK(at(access_log.arguments[0].span) == "3:14-3:39");
  CHECK(at(access_log.span) == "3:3-3:45");
  CHECK(config.directives[access_log.parent].name == "http");
  CHECK(access_log.depth == 1);
  const Directive& http = config.directives[1];
  CHECK(http.block);
  CHECK(at(http.block_end) == "10:1-10:2");
  uint32_t root = config.find("root").at(0);
  CHECK(config.enclosing(root, "server") == config.find("server").at(0));
  CHECK(config.enclosing(root, "upstream") == kNoParent);
  CHECK(config.directives[config.enclosing(root, "location")].arguments[0].value == "/uploads/");
}

TEST_CASE("nginx_config: comments, quotes, escapes and variables") {
  SourceFile file = file_of(
      "# access_log /var/log/commented.log;\n"
      "log_format main '$remote_addr - \"$request\"' # trailing comment\n"
      "                \"ua=\\\"$http_user_agent\\\"\";\n"
      "error_log \"/var/log/nginx/error log.log\" warn;\n"
      "set $path ${root}/x;\n"
      "return 200 \"ok;{}\";\n");
  Config config = parse_nginx_config(file);
  REQUIRE(config.errors.empty());
  REQUIRE(config.directives.size() == 4);
  const Directive& format = config.directives[0];
  REQUIRE(format.arguments.size() == 3);
  CHECK(format.arguments[1].value == "$remote_addr - \"$request\"");
  CHECK(format.arguments[1].quoted);
  CHECK(format.arguments[2].value == "ua=\"$http_user_agent\"");
  CHECK(at(format.arguments[2].span) == "3:17-3:42");
  CHECK(config.directives[1].arguments[0].value == "/var/log/nginx/error log.log");
  CHECK(config.directives[2].arguments[1].value == "${root}/x");
  CHECK(config.directives[3].arguments[1].value == "ok;{}");
}

TEST_CASE("nginx_config: include is recorded, Lua blocks are skipped") {
  SourceFile file = file_of(
      "http {\n"
      "  include /etc/nginx/conf.d/*.conf;\n"
      "  init_by_lua_block {\n"
      "    local t = { a = \"}\" } -- a } in a comment\n"
      "    print(#t)\n"
      "  }\n"
      "  access_log off;\n"
      "}\n");
  Config config = parse_nginx_config(file);
  REQUIRE(config.errors.empty());
  REQUIRE(config.find("include").size() == 1);
  CHECK(config.directives[config.find("include")[0]].arguments[0].value == "/etc/nginx/conf.d/*.conf");
  uint32_t lua = config.find("init_by_lua_block").at(0);
  CHECK(at(config.directives[lua].block_end) == "6:3-6:4");
  uint32_t access_log = config.find("access_log").at(0);
  CHECK(config.directives[access_log].parent == 0);
  CHECK(config.directives.size() == 4);
}

TEST_CASE("nginx_config: broken files keep what parsed and say where") {
  Config missing_semicolon = parse_nginx_config(file_of("server {\n  listen 80\n}\naccess_log /x.log;\n"));
  REQUIRE(missing_semicolon.errors.size() == 1);
  CHECK(missing_semicolon.errors[0].message == "\"listen\" has no \";\" before \"}\"");
  CHECK(at(missing_semicolon.errors[0].span) == "2:3-2:9");
  CHECK(missing_semicolon.find("access_log").size() == 1);

  Config unclosed = parse_nginx_config(file_of("http {\n  server {\n"));
  REQUIRE(unclosed.errors.size() == 2);
  CHECK(unclosed.errors[0].message == "unexpected end of file: the \"server\" block opened here is not closed with \"}\"");

  Config stray = parse_nginx_config(file_of("}\nlisten 80;\n"));
  REQUIRE(stray.errors.size() == 1);
  CHECK(stray.errors[0].message == "unexpected \"}\"");
  CHECK(stray.find("listen").size() == 1);

  // A `{` with no directive before it, never closed (found by fuzz_nginx: it once read past the list).
  Config stray_open = parse_nginx_config(file_of("server {\n  {\n"));
  REQUIRE(stray_open.errors.size() == 2);
  CHECK(stray_open.errors[0].message == "unexpected \"{\"");
  CHECK(stray_open.errors[1].message ==
        "unexpected end of file: the \"server\" block opened here is not closed with \"}\"");

  Config quote = parse_nginx_config(file_of("return 200 \"ok;\n"));
  CHECK(quote.errors.at(0).message == "unterminated quoted string");
}

TEST_CASE("nginx_config: hostile nesting is bounded") {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "location / {\n";
  for (int i = 0; i < 5000; ++i) deep += "}\n";
  Config config = parse_nginx_config(file_of(deep));
  CHECK(config.directives.size() == kMaxBlockDepth + 1);
  REQUIRE(config.errors.size() == 1);
  CHECK(config.errors[0].message == "blocks nested deeper than 64 levels are not read");
}

TEST_CASE("nginx_config: a heredoc body maps back to its Dockerfile lines") {
  SourceFile dockerfile("/work/Dockerfile", "Dockerfile",
                        "FROM nginx:1.27\n"
                        "COPY <<EOF /etc/nginx/conf.d/app.conf\n"
                        "server { access_log /var/log/app.log; }\n"
                        "EOF\n");
  TextMap body;
  size_t begin = dockerfile.text().find("server");
  size_t end = dockerfile.text().find("EOF\n", begin);
  body.append_copy(dockerfile.text().substr(begin, end - begin), begin);
  Config config = parse_nginx_config(dockerfile, body);
  REQUIRE(config.errors.empty());
  CHECK(at(config.directives[config.find("access_log").at(0)].arguments[0].span) == "3:21-3:37");
}
