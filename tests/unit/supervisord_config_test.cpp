#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/model/docker/supervisord_config.h"

using shiftlint::dkr::is_default_supervisord_path;
using shiftlint::dkr::supervisord_include_patterns;

TEST_CASE("supervisord config: the [include] files are read from its section only, made absolute") {
  std::string text =
      "[supervisord]\n"
      "files = /not/this/*.conf\n"
      "\n"
      "; [include]\n"
      "[include]\n"
      "files = conf.d/*.conf /etc/supervisor.d/*.ini\n"
      "    %(here)s/extra/*.conf\n"
      "\n"
      "[program:web]\n"
      "command=gunicorn app:app\n";
  std::vector<std::string> patterns = supervisord_include_patterns(text, "/etc/supervisor");
  CHECK(patterns == std::vector<std::string>{"/etc/supervisor/conf.d/*.conf", "/etc/supervisor.d/*.ini",
                                             "/etc/supervisor/extra/*.conf"});
  CHECK(supervisord_include_patterns("[include]\nfiles: /run/supervisor.conf.d/*.conf\n", "/etc") ==
        std::vector<std::string>{"/run/supervisor.conf.d/*.conf"});
  CHECK(supervisord_include_patterns("[supervisord]\nnodaemon=true\n", "/etc").empty());
}

TEST_CASE("supervisord config: the distributions' default files and include folders") {
  for (const char* path : {"/etc/supervisord.conf", "/etc/supervisor/supervisord.conf", "/etc/supervisor/conf.d/web.conf",
                           "/etc/supervisord.d/web.ini", "/etc/supervisor.d/web.ini", "/usr/local/etc/supervisord.conf"}) {
    INFO(path);
    CHECK(is_default_supervisord_path(path));
  }
  CHECK_FALSE(is_default_supervisord_path("/data/supervisord.conf"));
  CHECK_FALSE(is_default_supervisord_path("/etc/nginx/nginx.conf"));
}
