#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "analyzer/source/file_read.h"

namespace fs = std::filesystem;
using shiftlint::read_whole_file;

TEST_CASE("file read: whole files, empty ones, and the stop past the limit") {
  std::random_device random;
  fs::path root = fs::temp_directory_path() / ("shiftlint-file-read-" + std::to_string(random()));
  fs::create_directories(root);
  std::string big(200000, 'x');
  big[123456] = '\n';
  std::ofstream((root / "big").string(), std::ios::binary) << big;
  std::ofstream((root / "empty").string(), std::ios::binary);
  std::ofstream((root / "small").string(), std::ios::binary) << "FROM alpine\n";

  std::string text = "left over";
  CHECK(read_whole_file((root / "big").string(), 1 << 20, text) == 0);
  CHECK(text == big);
  CHECK(read_whole_file((root / "empty").string(), 1 << 20, text) == 0);
  CHECK(text.empty());
  CHECK(read_whole_file((root / "small").string(), 1 << 20, text) == 0);
  CHECK(text == "FROM alpine\n");
  // Over the limit: more than `limit` bytes, so the caller can tell, and not necessarily all.
  CHECK(read_whole_file((root / "big").string(), 1000, text) == 0);
  CHECK(text.size() > 1000);
  CHECK(big.compare(0, text.size(), text) == 0);
  // A file of exactly the limit is whole.
  CHECK(read_whole_file((root / "small").string(), 12, text) == 0);
  CHECK(text == "FROM alpine\n");

  CHECK(read_whole_file((root / "missing").string(), 1 << 20, text) == ENOENT);
  CHECK(read_whole_file(root.string(), 1 << 20, text) == EISDIR);  // a folder opens, and read refuses it

  // With the size a stat gave (no fstat): the same answers, and a file that changed since is read
  // as it is now.
  CHECK(read_whole_file((root / "big").string(), 1 << 20, text, big.size()) == 0);
  CHECK(text == big);
  CHECK(read_whole_file((root / "empty").string(), 1 << 20, text, 0) == 0);
  CHECK(text.empty());
  CHECK(read_whole_file((root / "big").string(), 1000, text, big.size()) == 0);
  CHECK(text.size() > 1000);
  CHECK(big.compare(0, text.size(), text) == 0);
  CHECK(read_whole_file((root / "small").string(), 1 << 20, text, 100) == 0);  // shrank since
  CHECK(text == "FROM alpine\n");
  CHECK(read_whole_file((root / "small").string(), 1 << 20, text, 4) == 0);  // grew since
  CHECK(text == "FROM alpine\n");
  CHECK(read_whole_file((root / "empty").string(), 1 << 20, text, 0) == 0);
  CHECK(text.empty());

  std::error_code error;
  fs::remove_all(root, error);
}
