#pragma once
// Apache httpd configuration files (httpd.conf, apache2.conf, sites-enabled/*.conf, conf.d/*.conf,
// .htaccess) read the way httpd's config reader splits them: one directive per line, `\` at the end
// of a line continues it, `#` starts a comment only at the start of a line, arguments split at
// white space with "double" or 'single' quotes, and sections such as `<VirtualHost *:80>` ...
// `</VirtualHost>` or `<IfModule mod_ssl.c>` holding directives. Directive names are
// case-insensitive (`customlog` is `CustomLog`).
//
// The result is a flat list in file order (a section before what it holds) with parent indices, as
// for nginx (nginx_config.h). `Include` and `IncludeOptional` are recorded, not followed.
//
// Never fails: an unclosed or mismatched section is a diagnostic, and the directives are kept.
// Sections nested deeper than kMaxSectionDepth are not descended into.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/document.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint::apache {

inline constexpr uint32_t kNoParent = std::numeric_limits<uint32_t>::max();
inline constexpr uint32_t kMaxSectionDepth = 64;

struct Argument {
  std::string value;  // quotes removed, `\"` decoded; ${VAR} and %{...} kept as written
  Span span;          // as written, quotes included
  bool quoted = false;
};

struct Directive {
  std::string name;  // as written: `CustomLog`, `<VirtualHost` is stored as `VirtualHost`
  Span name_span;
  std::vector<Argument> arguments;  // for a section: what is inside `<VirtualHost ...>`
  Span span;                        // the whole logical line (continuations included)
  bool section = false;             // `<Name ...>` opening a section
  Span section_end;                 // the `</Name>` line; empty when missing
  uint32_t parent = kNoParent;      // the enclosing section
  uint32_t depth = 0;

  // Case-insensitive, as httpd compares directive names.
  bool is(std::string_view directive_name) const;
};

struct Config {
  std::vector<Directive> directives;
  std::vector<ParseDiagnostic> errors;

  // The directives named `name` (case-insensitive), in order.
  std::vector<uint32_t> find(std::string_view name) const;
  // The nearest enclosing section of `index` named `name` (`VirtualHost`), or kNoParent.
  uint32_t enclosing(uint32_t index, std::string_view name) const;
};

// `text_map.text()` is the config; spans are spans of `file` (see nginx_config.h).
Config parse_apache_config(const SourceFile& file, const TextMap& text_map);
Config parse_apache_config(const SourceFile& file);

}  // namespace shiftlint::apache
