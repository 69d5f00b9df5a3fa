#pragma once
// Which files of the build context supervisord reads in the image. DKR003 counts the programs they
// define and DKR005 reads their log settings, so both must agree on the files:
//
//   COPY supervisord.conf /etc/supervisor/supervisord.conf     ([include] files = /etc/supervisor.d/*.ini)
//   COPY programs/*.ini /etc/supervisor.d/                      (Alpine's include folder)
//   → supervisord_config_files(...) = {supervisord.conf, programs/api.ini, programs/nginx.ini, ...}
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/dockerfile.h"

namespace shiftlint::dkr {

// `-c FILE`, `--configuration FILE` or `--configuration=FILE` of a supervisord command line (program
// first), made absolute against the stage's WORKDIR; nullopt without one.
std::optional<std::string> supervisord_config_option(std::span<const std::string_view> words,
                                                     const docker::Stage* stage);

// A path supervisord reads without being told: its default config files (/etc/supervisord.conf,
// /etc/supervisor/supervisord.conf, /usr/local/etc/supervisord.conf) and the folders the
// distributions' configs include (Debian's /etc/supervisor/conf.d, RHEL's /etc/supervisord.d,
// Alpine's /etc/supervisor.d).
bool is_default_supervisord_path(std::string_view image_path);

// The copied files supervisord reads in the image `stage` builds (null: the final stage). With a
// `config` (-c) the image provides: that file; otherwise every file at a default path. Then, two
// levels deep, the copied files that the [include] sections of those name (`files = a/*.ini
// /etc/x.conf`, relative to the including file's folder, `%(here)s` read as that folder). An
// include that matches no copied file names a folder the image fills at start: every file at a
// default path is taken then. In COPY order, each once.
std::vector<docker::ContextFile> supervisord_config_files(const docker::Dockerfile& dockerfile, const docker::Stage* stage,
                                                          const std::optional<std::string>& config);

// One `key = value` line of a supervisord configuration.
struct SupervisordSetting {
  std::string_view section;  // between the brackets: "supervisord", "program:web"
  std::string key;           // lowercased, as supervisord's configparser reads it
  std::string_view value;    // the value's first word (up to a space, tab or `;` comment)
  size_t value_begin = 0;    // byte offsets of `value` in the text
  size_t value_end = 0;
};

// The settings of a supervisord configuration text, in order; comment lines and lines without `=`
// are skipped.
std::vector<SupervisordSetting> supervisord_settings(std::string_view text);

// supervisord's truth values (`true`, `yes`, `on`, `1`, any case).
bool supervisord_true(std::string_view value);

// The glob patterns an [include] section's `files =` names (continuation lines included), made
// absolute against `folder`, the including file's.
std::vector<std::string> supervisord_include_patterns(std::string_view text, std::string_view folder);

}  // namespace shiftlint::dkr
