#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

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

  std::error_code error;
  fs::remove_all(root, error);
}
