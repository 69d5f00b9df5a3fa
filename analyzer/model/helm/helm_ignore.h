#pragma once
// A chart folder's .helmignore, read as Helm reads it (pkg/ignore) when it loads a chart from a
// folder: the files it names are not part of the chart, so templates there are never rendered and
// values files there never read. Not gitignore: patterns are Go's filepath.Match globs (no `**`),
// a pattern without '/' tests the base name only, a leading '/' anchors at the chart root, a
// trailing '/' names folders only, and `!` re-includes what matches it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::helm {

// A line Helm rejects: Helm then refuses to load the chart at all.
struct HelmIgnoreError {
  uint32_t line = 0;          // 1-based
  size_t begin_offset = 0;    // the rejected pattern, as offsets in the parsed text
  size_t end_offset = 0;
  std::string message;        // Helm's own words
};

class HelmIgnore {
 public:
  // The rules of `text` (the file's text without its byte order mark), then Helm's default rule
  // (`templates/.?*`: hidden files in templates/ are never templates). On a rejected line the rules
  // before it are kept and the error says where.
  static HelmIgnore parse(std::string_view text, std::optional<HelmIgnoreError>& error);
  // Only Helm's default rule: a chart folder without .helmignore.
  static HelmIgnore defaults();

  // Whether Helm leaves out `path` ('/'-separated, relative to the chart folder). A folder that is
  // left out takes everything under it along; a file under it is not tested again.
  bool ignores(std::string_view path, bool is_directory) const;

 private:
  enum class Scope { base_name, whole_path };
  struct Rule {
    std::string pattern;  // without its `!`, leading '/' and trailing '/'
    Scope scope = Scope::base_name;
    bool negated = false;
    bool directories_only = false;
  };
  // Adds one trimmed, non-blank, non-comment line; the error message when Helm rejects it.
  std::optional<std::string> add(std::string_view line);

  std::vector<Rule> rules_;
};

}  // namespace shiftlint::helm
