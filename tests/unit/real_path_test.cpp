#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "analyzer/source/real_path.h"

namespace fs = std::filesystem;
using shiftlint::RealPaths;
using shiftlint::realpath_or_empty;

TEST_CASE("real paths: the same answers as realpath, links anywhere on the way") {
  std::random_device random;
  fs::path root = fs::canonical(fs::temp_directory_path()) / ("shiftlint-real-path-" + std::to_string(random()));
  fs::create_directories(root / "real" / "inner");
  fs::create_directories(root / "other");
  std::ofstream(root / "real" / "inner" / "file.txt") << "x";
  std::ofstream(root / "other" / "target.txt") << "y";
  fs::create_symlink(root / "real", root / "linked");                                  // a linked folder
  fs::create_symlink(root / "other" / "target.txt", root / "real" / "to-target.txt");  // a linked file
  fs::create_symlink(root / "missing", root / "real" / "dangling");
  std::string base = root.generic_string();

  RealPaths real;
  std::vector<std::string> paths = {base + "/real/inner/file.txt",  base + "/linked/inner/file.txt",
                                    base + "/linked/inner",          base + "/real/to-target.txt",
                                    base + "/linked/to-target.txt",  base + "/real/dangling",
                                    base + "/real/missing.txt",      base + "/linked/../other/target.txt",
                                    base + "/real/./inner/",         base,
                                    "/"};
  for (const std::string& path : paths) {
    CAPTURE(path);
    CHECK(real.of(path) == realpath_or_empty(path));
    CHECK(real.of(path) == realpath_or_empty(path));  // the second answer comes from what is kept
  }
  CHECK(real.of(base + "/linked/inner/file.txt") == base + "/real/inner/file.txt");
  CHECK(real.of(base + "/real/to-target.txt") == base + "/other/target.txt");
  CHECK(real.of(base + "/real/dangling").empty());

  // With the mode lstat gave (discovery's arguments): a regular file is resolved through its
  // folder without being kept, and answers the same, asked once or twice, links on the way or not.
  RealPaths given;
  for (const std::string& path : {base + "/linked/inner/file.txt", base + "/real/inner/file.txt",
                                  base + "/linked/inner/file.txt", base + "/real/to-target.txt", base + "/linked/inner"}) {
    CAPTURE(path);
    struct stat status;
    REQUIRE(::lstat(path.c_str(), &status) == 0);
    CHECK(given.of(path, status.st_mode) == realpath_or_empty(path));
  }

  std::error_code error;
  fs::remove_all(root, error);
}

namespace {
// What discovery answered before it took the current folder once: std::filesystem's absolute and
// lexically_normal, less a trailing '/'.
std::string filesystem_absolute_normal(const std::string& path, const fs::path& cwd) {
  std::string text = (cwd / path).lexically_normal().generic_string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}
}  // namespace

TEST_CASE("real paths: lexically_normal_absolute drops '.', empty segments and what '..' takes off") {
  using shiftlint::lexically_normal_absolute;
  CHECK(lexically_normal_absolute("/") == "/");
  CHECK(lexically_normal_absolute("//") == "/");
  CHECK(lexically_normal_absolute("/..") == "/");
  CHECK(lexically_normal_absolute("/../..") == "/");
  CHECK(lexically_normal_absolute("/.") == "/");
  CHECK(lexically_normal_absolute("/a/..") == "/");
  CHECK(lexically_normal_absolute("/a/../..") == "/");
  CHECK(lexically_normal_absolute("/../a") == "/a");
  CHECK(lexically_normal_absolute("/a/b/../c") == "/a/c");
  CHECK(lexically_normal_absolute("/a/./b/.") == "/a/b");
  CHECK(lexically_normal_absolute("//a//b//") == "/a/b");
  CHECK(lexically_normal_absolute("/a/b/") == "/a/b");
  CHECK(lexically_normal_absolute("/a/b/..") == "/a");
  CHECK(lexically_normal_absolute("/a/b/../") == "/a");
  CHECK(lexically_normal_absolute("/a/.../b") == "/a/.../b");  // "..." and ".x" are names
  CHECK(lexically_normal_absolute("/.x/..y") == "/.x/..y");
}

TEST_CASE("real paths: absolute_normal answers as std::filesystem absolute + lexically_normal") {
  using shiftlint::absolute_normal;
  const std::string cwd = "/work/repo";
  std::error_code error;

  CHECK(absolute_normal("", cwd, error).empty());
  CHECK(error);  // as std::filesystem::absolute("") says
  CHECK(absolute_normal(".", cwd, error) == cwd);
  CHECK_FALSE(error);

  std::vector<std::string> paths = {".",        "./",          "..",          "../..",        "../../../..",
                                    "a",        "a/",          "a//b",        "a/./b",        "a/../b",
                                    "a/b/..",   "./a/../../b", "/",           "//",           "/..",
                                    "/.",       "/a/b",        "/a/b/",       "//a//b",       "/a/../../b",
                                    "/a/./b/.", "a/..",        "a/../..",     ".hidden/x",    "a/.../b",
                                    "Dockerfile"};
  for (const std::string& path : paths) {
    CAPTURE(path);
    std::string answer = absolute_normal(path, cwd, error);
    CHECK_FALSE(error);
    CHECK(answer == filesystem_absolute_normal(path, cwd));
  }
  // The current folder "/" itself: no "//" at the join.
  CHECK(absolute_normal("a", "/", error) == "/a");
  CHECK(absolute_normal("..", "/", error) == "/");
}
