#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/detect/file_lock.h"
#include "analyzer/parse/shell/shell_parser.h"

using namespace shiftlint;
using namespace shiftlint::detect;

namespace {
struct Found {
  std::string pattern;
  std::string at;  // line:column
  std::string lock_path;
};

std::vector<Found> locks(const std::string& text) {
  SourceFile file("job.sh", "job.sh", text);
  shell::Script script = shell::parse_shell_file(file);
  std::vector<Found> found;
  for (const FileLockUse& use : find_file_locks(script)) {
    found.push_back({std::string(use.pattern),
                     std::to_string(use.span.begin.line) + ":" + std::to_string(use.span.begin.column),
                     use.lock_path ? std::string(use.lock_path->value) : ""});
  }
  return found;
}
}  // namespace

TEST_CASE("file_lock: lock programs, behind wrappers, with their lock file") {
  auto found = locks("cd /app\nexec flock -n /tmp/sync.lock bundle exec rake sync\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].pattern == "flock");
  CHECK(found[0].at == "2:6");
  CHECK(found[0].lock_path == "/tmp/sync.lock");

  // A descriptor: the file opened on it around the command, or by an earlier `exec`.
  found = locks("( flock -n 9 || exit 1; run ) 9>/var/lock/job\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].lock_path == "/var/lock/job");
  found = locks("exec 9>/var/lock/consumer.lock\nflock -n 9 || exit 0\nexec consumer\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].lock_path == "/var/lock/consumer.lock");
  found = locks("flock -n 3 || exit 0\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].lock_path.empty());  // opened where the script cannot see

  found = locks("lockfile -r 0 /tmp/export.lock && export-orders\nsudo -u app /usr/bin/lockrun --lockfile=/tmp/x.lock -- job\n");
  REQUIRE(found.size() == 2);
  CHECK(found[0].pattern == "lockfile");
  CHECK(found[0].lock_path == "/tmp/export.lock");
  CHECK(found[1].pattern == "lockrun");
  CHECK(found[1].at == "2:13");
}

TEST_CASE("file_lock: the noclobber idiom needs a lock-like write after it") {
  auto found = locks("if ( set -o noclobber; echo \"$$\" > \"$LOCKFILE\" ) 2> /dev/null; then\n  run\nfi\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].pattern == "set -o noclobber");
  CHECK(found[0].at == "1:13");
  CHECK(found[0].lock_path == "$LOCKFILE");

  CHECK(locks("set -C\necho $$ > /var/run/job.pid\n").size() == 1);
  // noclobber as a safety net, writing ordinary files: no lock.
  CHECK(locks("set -o noclobber\necho done > /tmp/report.txt\n").empty());
  // Switched off, or a forced write.
  CHECK(locks("set +o noclobber\necho $$ > /tmp/x.lock\n").empty());
  CHECK(locks("set -C\necho $$ >| /tmp/x.lock\n").empty());
}

TEST_CASE("file_lock: mkdir as a mutex only when its success decides") {
  CHECK(locks("if mkdir /tmp/job.lock; then run; fi\n").size() == 1);
  auto found = locks("mkdir /tmp/job.lock 2>/dev/null || exit 0\nrun\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].pattern == "mkdir as a lock");
  CHECK(found[0].lock_path == "/tmp/job.lock");
  // -p never fails on an existing folder; plain folders named lock without a decision are setup.
  CHECK(locks("mkdir -p /tmp/job.lock || exit 0\n").empty());
  CHECK(locks("mkdir /var/lock/app\nrun\n").empty());
  CHECK(locks("mkdir /tmp/cache || exit 1\n").empty());
}

TEST_CASE("file_lock: lock programs named in text") {
  std::string_view program;
  std::string line = "0 * * * * root cd /app && /usr/bin/flock -n /tmp/x.lock rake sync";
  size_t at = find_lock_program_mention(line, &program);
  CHECK(at == line.find("/usr/bin/flock"));
  CHECK(program == "/usr/bin/flock");
  CHECK(find_lock_program_mention("\"flock\"") == 1);
  CHECK(find_lock_program_mention("echo flocking unlock flock.conf") == std::string_view::npos);
  CHECK(is_lock_program("/usr/bin/lockfile-create"));
  CHECK_FALSE(is_lock_program("lock"));
}
