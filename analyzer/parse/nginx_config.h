#pragma once
// nginx configuration files (nginx.conf, conf.d/*.conf, sites-enabled/*, Elastic Beanstalk's
// .platform/nginx/) read the way nginx's own parser (ngx_conf_file.c) splits them: directives made
// of words up to `;`, blocks in `{ }`, `#` comments, single and double quotes with backslash
// escapes. Every directive keeps the span of its name and of each argument, so a rule reports on
// the config line that writes a log file or serves uploads from disk.
//
// The result is a flat list in file order (a block's directive before what it holds) with parent
// indices, like shell::Script: rules ask "every access_log, and the server block it is in".
// `include` is recorded, not followed: which files it names depends on the image's file system.
//
// Never fails: what cannot be parsed (an unbalanced brace, an unterminated quote, a directive
// without `;` at the end of the file) is a diagnostic, and everything before it is kept. Nesting
// deeper than kMaxBlockDepth is not descended into.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::nginx {

inline constexpr uint32_t kNoParent = std::numeric_limits<uint32_t>::max();
inline constexpr uint32_t kMaxBlockDepth = 64;

struct Argument {
  std::string value;  // quotes removed, escapes decoded (`"a b"` → `a b`); variables kept as written
  Span span;          // as written, quotes included
  bool quoted = false;
};

struct Directive {
  std::string name;  // as written (nginx directive names are case-sensitive)
  Span name_span;
  std::vector<Argument> arguments;
  Span span;  // from the name to its `;` or `{`
  bool block = false;            // has a `{ ... }` body (http, server, location, upstream...)
  Span block_end;                // the closing `}`; empty when missing
  uint32_t parent = kNoParent;   // index of the enclosing block directive
  uint32_t depth = 0;            // 0 at the top level (main context)
};

struct Config {
  std::vector<Directive> directives;  // file order, a block before its contents
  std::vector<ParseDiagnostic> errors;

  // The directives named `name`, in order.
  std::vector<uint32_t> find(std::string_view name) const;
  // The nearest enclosing block directive of `index` named `name` (`server`, `location`), or kNoParent.
  uint32_t enclosing(uint32_t index, std::string_view name) const;
};

// `text` is the config as nginx reads it; `text_map` maps it back into `file` (a file's whole text,
// or a heredoc body in a Dockerfile). Every span is a span of `file`.
Config parse_nginx_config(const SourceFile& file, const TextMap& text_map);
// The whole file is the config.
Config parse_nginx_config(const SourceFile& file);

}  // namespace shiftlint::nginx
