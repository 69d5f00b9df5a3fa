#pragma once
// Reads the files of a .tar.gz archive (a packaged Helm chart in charts/) into memory, bounded:
// an archive that inflates past `max_bytes` or holds more than `max_files` entries is an error,
// not an OOM. Only regular files are kept; links and devices are ignored.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint {

struct ArchiveEntry {
  std::string path;  // as stored, '/'-separated ("mychart/templates/a.yaml")
  std::string content;
};

struct ArchiveContents {
  std::vector<ArchiveEntry> entries;
  std::string error;  // empty when the archive was read whole
};

ArchiveContents read_tar_gz(std::string_view compressed, uint64_t max_bytes = 64ull << 20, size_t max_files = 10000);

}  // namespace shiftlint
