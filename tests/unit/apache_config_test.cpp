#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "analyzer/parse/apache_config.h"

using namespace shiftlint;
using namespace shiftlint::apache;

namespace {
SourceFile file_of(std::string text) { return SourceFile("/work/site.conf", "site.conf", std::move(text)); }

std::string at(Span span) { return fmt::format("{}:{}-{}:{}", span.begin.line, span.begin.column, span.end.line, span.end.column); }
}  // namespace

TEST_CASE("apache_config: sections, directives and their spans") {
  SourceFile file = file_of(
      "ServerName shop.example.com\n"
      "<VirtualHost *:80>\n"
      "    DocumentRoot /var/www/html/public\n"
      "    # CustomLog /var/log/commented.log combined\n"
      "    ErrorLog ${APACHE_LOG_DIR}/error.log\n"
      "    customlog \"/var/log/apache2/shop access.log\" combined\n"
      "    <Directory /var/www/html/public>\n"
      "        AllowOverride All\n"
      "    </Directory>\n"
      "</VirtualHost>\n");
  Config config = parse_apache_config(file);
  REQUIRE(config.errors.empty());
  REQUIRE(config.directives.size() == 7);
  const Directive& host = config.directives[1];
  CHECK(host.section);
  CHECK(host.name == "VirtualHost");
  CHECK(at(host.name_span) == "2:1-2:13");
  REQUIRE(host.arguments.size() == 1);
  CHECK(host.arguments[0].value == "*:80");
  CHECK(at(host.arguments[0].span) == "2:14-2:18");
  CHECK(at(host.section_end) == "10:1-10:15");
  uint32_t error_log = config.find("ErrorLog").at(0);
  CHECK(config.directives[error_log].arguments[0].value == "${APACHE_LOG_DIR}/error.log");
  CHECK(config.enclosing(error_log, "virtualhost") == 1);
  uint32_t custom_log = config.find("CustomLog").at(0);
  const Directive& custom = config.directives[custom_log];
  CHECK(custom.name == "customlog");
  CHECK(custom.arguments[0].value == "/var/log/apache2/shop access.log");
  CHECK(custom.arguments[0].quoted);
  CHECK(at(custom.arguments[0].span) == "6:15-6:49");
  uint32_t allow = config.find("AllowOverride").at(0);
  CHECK(config.directives[allow].depth == 2);
  CHECK(config.directives[config.directives[allow].parent].name == "Directory");
}

TEST_CASE("apache_config: continuation lines and comments") {
  SourceFile file = file_of(
      "LogFormat \"%h %l %u %t \\\"%r\\\" %>s\" \\\n"
      "    common\n"
      "CustomLog \"|/usr/bin/rotatelogs /var/log/httpd/access_log 86400\" common # not a comment\n");
  Config config = parse_apache_config(file);
  REQUIRE(config.errors.empty());
  REQUIRE(config.directives.size() == 2);
  const Directive& format = config.directives[0];
  REQUIRE(format.arguments.size() == 2);
  CHECK(format.arguments[0].value == "%h %l %u %t \"%r\" %>s");
  CHECK(format.arguments[1].value == "common");
  CHECK(at(format.arguments[1].span) == "2:5-2:11");
  CHECK(at(format.span) == "1:1-2:11");
  const Directive& custom = config.directives[1];
  CHECK(custom.arguments[0].value == "|/usr/bin/rotatelogs /var/log/httpd/access_log 86400");
  // httpd only treats '#' as a comment at the start of a line.
  CHECK(custom.arguments.size() == 6);
}

TEST_CASE("apache_config: Include is recorded; broken sections are reported") {
  Config include = parse_apache_config(file_of("IncludeOptional sites-enabled/*.conf\nInclude conf.d/*.conf\n"));
  CHECK(include.find("IncludeOptional").size() == 1);
  CHECK(include.find("include").size() == 1);

  Config unclosed = parse_apache_config(file_of("<VirtualHost *:443>\n  ErrorLog logs/ssl_error_log\n"));
  REQUIRE(unclosed.errors.size() == 1);
  CHECK(unclosed.errors[0].message == "<VirtualHost> is not closed with </VirtualHost>");
  CHECK(unclosed.find("ErrorLog").size() == 1);

  Config stray = parse_apache_config(file_of("</Directory>\n"));
  REQUIRE(stray.errors.size() == 1);
  CHECK(stray.errors[0].message == "</Directory> without a matching <Directory>");

  Config mismatch = parse_apache_config(file_of("<IfModule mod_ssl.c>\n</VirtualHost>\n"));
  REQUIRE(mismatch.errors.size() == 1);
  CHECK(mismatch.errors[0].message == "</VirtualHost> closes <IfModule>");
}

TEST_CASE("apache_config: hostile nesting is bounded") {
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += "<IfModule x>\n";
  for (int i = 0; i < 3000; ++i) deep += "</IfModule>\n";
  Config config = parse_apache_config(file_of(deep));
  CHECK(config.errors.size() == 1);
  CHECK(config.directives.size() == 3000);
  CHECK(config.directives.back().depth == kMaxSectionDepth);
}
