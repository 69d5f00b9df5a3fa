// A chart's .helmignore (model/helm/helm_ignore) and the Go filepath.Match globs under it
// (source/go_path_match): the input is the file; each of its lines is also tried as a path, and
// each pair of lines as a pattern and a name. One property is checked, not only crashes: a
// pattern without glob characters matches exactly itself.
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/helm/helm_ignore.h"
#include "analyzer/source/go_path_match.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<shiftlint::helm::HelmIgnoreError> error;
  shiftlint::helm::HelmIgnore ignore = shiftlint::helm::HelmIgnore::parse(text, error);
  if (error && (error->begin_offset > error->end_offset || error->end_offset > size)) __builtin_trap();

  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size() && lines.size() < 64;) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (std::string_view line : lines) {
    (void)ignore.ignores(line, true);
    (void)ignore.ignores(line, false);
    bool plain = line.find_first_of("*?[\\") == std::string_view::npos;
    if (plain && shiftlint::go_path_match(line, line) != true) __builtin_trap();
  }
  for (size_t index = 0; index + 1 < lines.size() && index < 16; ++index)
    (void)shiftlint::go_path_match(lines[index], lines[index + 1]);
  return 0;
}
