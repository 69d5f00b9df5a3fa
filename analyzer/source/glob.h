#pragma once
// Gitignore patterns (https://git-scm.com/docs/gitignore), used for .gitignore files, the config's
// `exclude:` globs and its `suppress:` paths. One syntax everywhere, so users need learn only git's.
//
// Paths given to the matchers are '/'-separated, with no leading "./" and no trailing '/'.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint {

// One compiled pattern. Matching is the "wildmatch with WM_PATHNAME" git uses: `*`, `?` and
// `[...]` never match a '/', `**` as a whole path segment matches any number of segments. Checked
// against `git check-ignore` on random patterns; the one known difference: git strips a pattern's
// literal prefix before matching, so its "x**/b" lets `**` cross folders ("xa/c/b"). We follow the
// documentation ("other consecutive asterisks are considered regular asterisks").
class IgnorePattern {
 public:
  // One line of a .gitignore file. Blank lines, comments and a lone `!` give nullopt. Handles
  // trailing-space trimming (unless escaped), the `!` prefix and the `\#`, `\!` escapes.
  static std::optional<IgnorePattern> parse_line(std::string_view line);
  // A bare glob (config values): no comments, no `!`, nothing trimmed, a leading "./" dropped;
  // otherwise as a .gitignore line.
  static IgnorePattern parse_glob(std::string_view glob);

  // Does the pattern match this path itself? Its parent folders are not considered: that is
  // IgnoreRules::is_ignored. `relative_path` is relative to the folder the pattern belongs to.
  bool matches(std::string_view relative_path, bool is_directory) const;

  bool negated() const { return negated_; }
  bool directory_only() const { return directory_only_; }
  // A '/' at the start or in the middle ties the pattern to its folder; otherwise it matches the
  // last path segment at any depth.
  bool anchored() const { return anchored_; }

 private:
  enum class SegmentKind : unsigned char { literal, wildcard, any_depth, any_one };
  struct Segment {
    SegmentKind kind = SegmentKind::literal;
    std::string text;  // literal: unescaped; wildcard: as written (escapes kept)
    bool suffix_only = false;  // wildcard is `*` + literal `text`, a cheap ends-with test ("*.log")
  };

  static IgnorePattern compile(std::string_view body);
  static bool match_segment(const Segment& segment, std::string_view text);
  bool match_anchored(std::string_view path) const;

  std::vector<Segment> segments_;
  bool negated_ = false;
  bool directory_only_ = false;
  bool anchored_ = false;
  bool valid_ = true;  // git never matches a pattern with an unclosed `[` or a dangling `\`
};

// Would a .gitignore at the root holding only `pattern` (glob syntax, see parse_glob) ignore the
// file `path`? True when the pattern matches the path or one of its parent folders, so
// "ecs/legacy-*.json", "**/testdata/**", "vendor/" and "*.json" all mean what they mean to git.
bool glob_match(std::string_view pattern, std::string_view path);

// Rule sets, each tied to a base folder; a rule set applies only below its base. Later rule sets
// and later patterns win, which is git's precedence when sets are added outermost first:
// .git/info/exclude, then .gitignore files from the repository root down. A walk records depth()
// before descending and calls pop_to() on the way out, so nested .gitignore files apply to their
// own subtree only.
//
// Base folders and paths share one coordinate system: both absolute, or both relative to one root
// (the base "" is that root).
class IgnoreRules {
 public:
  enum class Verdict { none, ignored, included };  // included: last matched by a `!` pattern

  // Adds `text` (a .gitignore file's contents) as a new rule set.
  void add_file(std::string_view base_folder, std::string_view text);
  // Adds one .gitignore line; consecutive calls with the same base share one rule set.
  void add_pattern(std::string_view base_folder, std::string_view line);

  // The verdict of the last pattern matching `path` itself, assuming its parent folders are not
  // ignored (a walk prunes ignored folders, so it only asks this).
  Verdict match(std::string_view path, bool is_directory) const;
  // Full git semantics: ignored if the path or any parent folder is; a file under an ignored
  // folder cannot be re-included.
  bool is_ignored(std::string_view path, bool is_directory) const;

  bool empty() const { return sets_.empty(); }
  size_t depth() const { return sets_.size(); }
  void pop_to(size_t depth);

 private:
  struct RuleSet {
    std::string base;
    std::vector<IgnorePattern> patterns;
  };
  std::vector<RuleSet> sets_;
};

}  // namespace shiftlint
