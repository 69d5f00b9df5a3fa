#pragma once
// Local file locks used for mutual exclusion: `flock -n /tmp/sync.lock cmd`, procmail's `lockfile`,
// `lockrun`, `lockfile-create`, `dotlockfile`, `shlock`, moreutils' `lckdo`, daemontools' `setlock`,
// the `set -o noclobber; echo $$ > "$LOCKFILE"` idiom, and `mkdir /tmp/job.lock` as a mutex.
//
// On one host these keep two cron runs of a job apart. In containers every replica has its own
// filesystem, so the lock excludes nothing (DKR017); on Elastic Beanstalk it only ever held on one
// instance. Model-independent: callers pass a parsed script (a RUN body, an entrypoint, a crontab
// command, an .ebextensions command).
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::detect {

struct FileLockUse {
  // How messages name it: "flock", "lockfile", "set -o noclobber", "mkdir as a lock".
  std::string_view pattern;
  uint32_t command = shell::kNoParent;     // index in Script::commands
  Span span;                               // where to point: the program, the `-C` / `noclobber` word
  // The lock file or folder when the script names it: the operand, or for `flock 9` the file the
  // script opened on descriptor 9 (`( flock -n 9 ... ) 9> /var/lock/job`, `exec 9> ...`).
  const shell::Word* lock_path = nullptr;
};

// A program that takes a file lock: flock, lockfile, lockrun, ... (last path component).
bool is_lock_program(std::string_view program);

// The lock uses in a script, in order. The noclobber idiom counts only when a later `>` writes a
// path that looks like a lock (`lock` or `.pid` in it); `mkdir` only without -p, on a path with
// `lock` in its last component, whose success decides what runs next (`if mkdir`, `mkdir ... ||`).
std::vector<FileLockUse> find_file_locks(const shell::Script& script);

// Whether text mentions a lock program as a word of its own (`... && flock -n /tmp/x.lock job`):
// for command lines kept as strings (an echoed crontab line). The offset of the first one, or npos;
// `program` receives the word as written (`/usr/bin/flock`).
size_t find_lock_program_mention(std::string_view text, std::string_view* program = nullptr);

}  // namespace shiftlint::detect
