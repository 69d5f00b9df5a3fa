// Where reports and baselines are written: atomic replacement of regular files, and never replacing
// what is not a regular file (a device, a FIFO, the file behind a symbolic link). The FIFO stands for
// the devices too (same path in OutputFile::open): a test must not risk /dev/null itself.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "analyzer/cli/interrupt_cleanup.h"
#include "analyzer/cli/output_file.h"
#include "tests/cli/process.h"

using shiftlint::OutputFile;
using shiftlint::write_file_atomically;
using shiftlint::testing::read_file;
using shiftlint::testing::TemporaryFolder;

namespace {

size_t entries_in(const std::string& folder) {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++count;
  return count;
}

mode_t type_of(const std::string& path, bool follow) {
  struct stat status {};
  REQUIRE((follow ? stat(path.c_str(), &status) : lstat(path.c_str(), &status)) == 0);
  return status.st_mode & S_IFMT;
}

}  // namespace

TEST_CASE("output file: a new file is created whole, with no temporary file left") {
  TemporaryFolder folder;
  std::string path = folder.path() + "/report.json";
  CHECK(write_file_atomically(path, "{}\n").empty());
  CHECK(read_file(path) == "{}\n");
  CHECK(entries_in(folder.path()) == 1);
}

TEST_CASE("output file: an existing file is replaced and keeps its permissions") {
  TemporaryFolder folder;
  std::string path = folder.write("report.sarif", "old");
  REQUIRE(chmod(path.c_str(), 0600) == 0);
  CHECK(write_file_atomically(path, "new").empty());
  CHECK(read_file(path) == "new");
  struct stat status {};
  REQUIRE(stat(path.c_str(), &status) == 0);
  CHECK((status.st_mode & 07777) == 0600);
  CHECK(entries_in(folder.path()) == 1);
}

TEST_CASE("output file: written in pieces, nothing is visible before commit; abandoned, the old file stays") {
  TemporaryFolder folder;
  std::string path = folder.write("report.json", "old");
  {
    OutputFile output;
    REQUIRE(output.open(path).empty());
    REQUIRE(output.write("part one, ").empty());
    REQUIRE(output.write("part two").empty());
    CHECK(read_file(path) == "old");
    REQUIRE(output.commit().empty());
  }
  CHECK(read_file(path) == "part one, part two");
  {
    OutputFile output;
    REQUIRE(output.open(path).empty());
    REQUIRE(output.write("half a rep").empty());
  }  // never committed: abandoned
  CHECK(read_file(path) == "part one, part two");
  CHECK(entries_in(folder.path()) == 1);
}

TEST_CASE("output file: a symbolic link is written through, and stays a link") {
  TemporaryFolder folder;
  std::string target = folder.write("reports/latest.json", "old");
  std::string link = folder.path() + "/report.json";
  REQUIRE(symlink("reports/latest.json", link.c_str()) == 0);
  CHECK(write_file_atomically(link, "new").empty());
  CHECK(type_of(link, false) == S_IFLNK);
  CHECK(read_file(target) == "new");

  std::string dangling = folder.path() + "/dangling.json";
  REQUIRE(symlink("reports/first.json", dangling.c_str()) == 0);
  CHECK(write_file_atomically(dangling, "first").empty());
  CHECK(type_of(dangling, false) == S_IFLNK);
  CHECK(read_file(folder.path() + "/reports/first.json") == "first");
}

TEST_CASE("output file: a FIFO is written in place, not replaced by a regular file") {
  TemporaryFolder folder;
  std::string fifo = folder.path() + "/report.pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // The reading end is opened first without blocking, so a regression that renames a regular file
  // over the FIFO fails the checks instead of leaving a reader waiting forever.
  int reading_end = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reading_end >= 0);
  CHECK(write_file_atomically(fifo, "streamed report").empty());
  char buffer[64] = {};
  ssize_t count = read(reading_end, buffer, sizeof buffer);
  close(reading_end);
  CHECK(std::string(buffer, count > 0 ? static_cast<size_t>(count) : 0) == "streamed report");
  CHECK(type_of(fifo, false) == S_IFIFO);
  CHECK(entries_in(folder.path()) == 1);
}

TEST_CASE("output file: a folder is refused with a reason and left alone") {
  TemporaryFolder folder;
  std::string error = write_file_atomically(folder.path(), "x");
  CHECK(error == std::strerror(EISDIR));
  CHECK(type_of(folder.path(), false) == S_IFDIR);
  CHECK(entries_in(folder.path()) == 0);
}

TEST_CASE("output file: an interrupted run removes its temporary file and dies of the signal") {
  TemporaryFolder folder;
  std::string path = folder.path() + "/report.json";
  for (int number : {SIGINT, SIGTERM}) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // only async-signal-safe steps would be required here; the child exits either way
      shiftlint::remove_temporaries_on_signal();
      OutputFile output;
      if (!output.open(path).empty() || !output.write("{\"half\": ").empty()) _exit(3);
      raise(number);
      _exit(4);  // not reached when the handler re-raises the signal
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    if (WIFSIGNALED(status)) CHECK(WTERMSIG(status) == number);
    CHECK(entries_in(folder.path()) == 0);  // neither the temporary file nor a half report
  }
}

TEST_CASE("output file: a committed or abandoned file frees its slot for the next") {
  TemporaryFolder folder;
  // More files than there are slots, one after another: each gets one, so each is cleaned up.
  for (int i = 0; i < 100; ++i) {
    OutputFile output;
    REQUIRE(output.open(folder.path() + "/file" + std::to_string(i % 3)).empty());
    if (i % 2) REQUIRE(output.commit().empty());
  }
  int slot = shiftlint::register_temporary("/nonexistent/shiftlint-slot-check");
  CHECK(slot >= 0);
  shiftlint::unregister_temporary(slot);
}
