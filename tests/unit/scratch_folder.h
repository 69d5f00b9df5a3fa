#pragma once
// A folder of files written by a test, removed with everything in it when the test ends. Its path
// is canonical (symbolic links resolved), as discovery reports the paths under it.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace shiftlint::testing {

class ScratchFolder {
 public:
  // `prefix` names the test in the temporary folder's name ("shiftlint-chart-args").
  explicit ScratchFolder(const std::string& prefix) {
    static int counter = 0;
    std::random_device random;
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / fmt::format("{}-{}-{}-{}", prefix, ::getpid(), counter++, random());
    std::filesystem::create_directories(path);
    root_ = std::filesystem::canonical(path);
  }
  ~ScratchFolder() {
    std::error_code error;
    std::filesystem::remove_all(root_, error);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  std::string path(const std::string& relative = "") const {
    return relative.empty() ? root_.generic_string() : (root_ / relative).generic_string();
  }
  void file(const std::string& relative, const std::string& text = "") const {
    std::filesystem::path path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace shiftlint::testing
