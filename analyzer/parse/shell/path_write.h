#pragma once
// Paths a script writes or creates: `echo ... > /etc/cron.d/x`, `tee -a /etc/security/limits.conf`,
// `cp crontab /etc/cron.d/app`, `ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime`,
// `mkdir -p /app/uploads`, `sed -i ... /etc/php.ini`, `curl -o /usr/local/bin/x`.
//
// Rules ask "does this script put something under /etc/cron.*, into limits.conf, at /etc/localtime,
// into a log file?" of the list.
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

enum class WriteMethod : uint8_t {
  Redirection,    // > file, >> file, &> file (on any command, `exec >> log` included)
  Tee,            // tee [-a] file...
  Copy,           // cp, install (the destination)
  Move,           // mv
  Link,           // ln [-s] target link: the link is the written path, the target its source
  MakeDirectory,  // mkdir, install -d
  Touch,          // touch
  EditInPlace,    // sed -i, perl -pi
  Download,       // curl -o, wget -O
};

std::string_view write_method_name(WriteMethod method);

struct PathWrite {
  WriteMethod method = WriteMethod::Redirection;
  uint32_t command = kNoParent;  // index in Script::commands
  const Word* path = nullptr;    // the path written, with its span; may hold an expansion
  const Word* source = nullptr;  // cp/mv/install source or ln target, when there is exactly one
  bool appends = false;          // >>, &>>, tee -a
  // What is written, when the script says: the heredoc fed to the command (`cat <<EOF > path`).
  const Heredoc* content = nullptr;
};

// Found once and kept with the Script: the list lives as long as the Script does.
const std::vector<PathWrite>& find_path_writes(const Script& script);

}  // namespace shiftlint::shell
