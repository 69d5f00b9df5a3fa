#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <map>
#include <string>
#include <vector>

#include "analyzer/source/discovery.h"
#include "analyzer/source/glob.h"
#include "tests/sanitized_build.h"

namespace fs = std::filesystem;
using shiftlint::discover;
using shiftlint::DiscoveryOptions;
using shiftlint::DiscoveredFile;
using shiftlint::DiscoveryResult;
using shiftlint::glob_match;
using shiftlint::IgnorePattern;
using shiftlint::IgnoreRules;

namespace {

// A scratch folder under the system temp folder, removed afterwards.
class TempTree {
 public:
  TempTree() {
    static int counter = 0;
    std::random_device random;
    fs::path path = fs::temp_directory_path() /
                    ("shiftlint-discovery-" + std::to_string(::getpid()) + "-" +
                     std::to_string(counter++) + "-" + std::to_string(random()));
    fs::create_directories(path);
    root_ = fs::canonical(path);
  }
  ~TempTree() {
    std::error_code error;
    for (const fs::path& locked : locked_) {
      fs::permissions(locked, fs::perms::owner_all, fs::perm_options::replace, error);
    }
    fs::remove_all(root_, error);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  std::string path(const std::string& relative = "") const {
    return relative.empty() ? root_.generic_string() : (root_ / relative).generic_string();
  }
  void file(const std::string& relative, const std::string& text = "") const {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  void folder(const std::string& relative) const { fs::create_directories(root_ / relative); }
  void symlink(const std::string& target, const std::string& relative) const {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    fs::create_symlink(target, path);
  }
  void lock(const std::string& relative) {
    locked_.push_back(root_ / relative);
    fs::permissions(locked_.back(), fs::perms::none, fs::perm_options::replace);
  }

 private:
  fs::path root_;
  std::vector<fs::path> locked_;
};

// Runs a block in another current folder, restoring it after.
class InFolder {
 public:
  explicit InFolder(const std::string& path) : saved_(fs::current_path()) { fs::current_path(path); }
  ~InFolder() {
    std::error_code error;
    fs::current_path(saved_, error);
  }
  InFolder(const InFolder&) = delete;
  InFolder& operator=(const InFolder&) = delete;

 private:
  fs::path saved_;
};

std::vector<std::string> displays(const DiscoveryResult& result) {
  std::vector<std::string> paths;
  for (const auto& file : result.files) paths.push_back(std::string(file.display_path()));
  return paths;
}

using Paths = std::vector<std::string>;

}  // namespace

TEST_CASE("discovery: a listed file gives back both its paths, whether or not one ends the other") {
  DiscoveredFile walked("/work/repo/services/web/Dockerfile", "services/web/Dockerfile");
  CHECK(walked.path() == "/work/repo/services/web/Dockerfile");
  CHECK(walked.display_path() == "services/web/Dockerfile");
  DiscoveredFile typed("/work/other/task.json", "../other/task.json");  // a single file argument, as typed
  CHECK(typed.path() == "/work/other/task.json");
  CHECK(typed.display_path() == "../other/task.json");
  DiscoveredFile same("/abs/task.json", "/abs/task.json");
  CHECK(same.path() == "/abs/task.json");
  CHECK(same.display_path() == "/abs/task.json");
  CHECK(DiscoveredFile().path().empty());
  CHECK(DiscoveredFile().display_path().empty());
}

TEST_CASE("discovery: a regular file argument carries its size; walked files and links do not") {
  // The size lstat gave spares the read an fstat (check_run.cpp); a walked file's listing has none.
  TempTree tree;
  tree.file("given/Dockerfile", "FROM debian:12\n");
  tree.file("walked/Dockerfile", "FROM debian:12\nRUN true\n");
  tree.symlink("../given/Dockerfile", "linked/Dockerfile");
  DiscoveryResult result = discover({tree.path("given/Dockerfile"), tree.path("walked"), tree.path("linked/Dockerfile")}, {});
  std::map<std::string, std::optional<uint64_t>> sizes;
  for (const DiscoveredFile& file : result.files) sizes[std::string(file.display_path())] = file.size_hint();
  REQUIRE(sizes.size() == 2);  // the link leads to the file given already
  CHECK(sizes["given/Dockerfile"] == std::optional<uint64_t>(15));
  CHECK(sizes["walked/Dockerfile"] == std::nullopt);
  CHECK(DiscoveredFile("/a/b", "b").size_hint() == std::nullopt);
  CHECK(DiscoveredFile("/a/b", "b", 0).size_hint() == std::optional<uint64_t>(0));
  CHECK(DiscoveredFile("/a/b", "b", uint64_t{5} << 32).size_hint() == std::nullopt);  // 4 GiB and more: unknown
}

TEST_CASE("discovery: glob_match follows the gitignore documentation examples") {
  struct Case {
    const char* pattern;
    const char* path;
    bool matches;
  };
  const Case cases[] = {
      // "hello.*" matches any file or folder whose name begins with "hello.".
      {"hello.*", "hello.txt", true},
      {"hello.*", "a/b/hello.c", true},
      {"hello.*", "ahello.c", false},
      // "doc/frotz/" matches the folder doc/frotz but not a/doc/frotz; "frotz/" matches both.
      {"doc/frotz/", "doc/frotz/notes.txt", true},
      {"doc/frotz/", "a/doc/frotz/notes.txt", false},
      {"doc/frotz/", "doc/frotz", false},  // a file: the pattern wants a folder
      {"frotz/", "a/frotz/notes.txt", true},
      {"frotz/", "frotz/notes.txt", true},
      {"doc/frotz", "doc/frotz", true},
      {"/doc/frotz", "doc/frotz", true},
      // "foo/*" matches foo/test.json and the folder foo/bar (so everything inside it).
      {"foo/*", "foo/test.json", true},
      {"foo/*", "foo/bar/hello.c", true},
      {"foo/*", "foo", false},
      {"foo/*", "a/foo/test.json", false},
      // A leading slash anchors: "/*.c" matches cat-file.c but not mozilla-sha1/sha1.c.
      {"/*.c", "cat-file.c", true},
      {"/*.c", "mozilla-sha1/sha1.c", false},
      // "Documentation/*.html" is anchored by its middle slash.
      {"Documentation/*.html", "Documentation/git.html", true},
      {"Documentation/*.html", "Documentation/ppc/ppc.html", false},
      {"Documentation/*.html", "tools/perf/Documentation/perf.html", false},
      // No slash: matches at any depth.
      {"*.log", "debug.log", true},
      {"*.log", "logs/deep/debug.log", true},
      {"*.log", "debug.log.txt", false},
      // "**/foo" matches foo anywhere; "**/foo/bar" matches bar directly under any foo.
      {"**/foo", "foo", true},
      {"**/foo", "a/b/foo", true},
      {"**/foo/bar", "foo/bar", true},
      {"**/foo/bar", "x/foo/bar", true},
      {"**/foo/bar", "x/foo/y/bar", false},
      // "abc/**" matches everything inside abc, not abc itself.
      {"abc/**", "abc/x", true},
      {"abc/**", "abc/x/y/z", true},
      {"abc/**", "abc", false},
      {"abc/**", "x/abc/y", false},
      // "a/**/b" matches a/b, a/x/b, a/x/y/b.
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"a/**/b", "a/x/y/c", false},
      {"a/**/b", "b", false},
      // Other consecutive asterisks are a regular "*".
      {"a**b", "axyzb", true},
      {"a**b", "ax/yb", false},
      // `*`, `?` and brackets never cross a slash.
      {"foo?bar", "foo/bar", false},
      {"foo?bar", "fooxbar", true},
      {"a/*/b", "a/x/b", true},
      {"a/*/b", "a/x/y/b", false},
      {"[a-c]at", "bat", true},
      {"[a-c]at", "dat", false},
      {"[!a]x", "bx", true},
      {"[!a]x", "ax", false},
      {"[^a]x", "ax", false},
      {"[]]x", "]x", true},
      {"[[:digit:]]*", "7up", true},
      {"[[:digit:]]*", "up", false},
      {"[abc", "[abc", false},  // unclosed bracket: git never matches
      {"\\*x", "*x", true},
      {"\\*x", "ax", false},
      // The project's own uses.
      {"ecs/legacy-*.json", "ecs/legacy-web.json", true},
      {"ecs/legacy-*.json", "ecs/sub/legacy-web.json", false},
      {"ecs/legacy-*.json", "legacy-web.json", false},
      {"**/testdata/**", "testdata/a.json", true},
      {"**/testdata/**", "pkg/testdata/deep/a.json", true},
      {"**/testdata/**", "pkg/testdata", false},
      {"vendor/**", "vendor/x/y.yaml", true},
      {"./ecs/*.json", "ecs/a.json", true},
  };
  for (const Case& c : cases) {
    INFO("pattern " << c.pattern << ", path " << c.path);
    CHECK(glob_match(c.pattern, c.path) == c.matches);
  }
}

TEST_CASE("discovery: a pattern matches the path itself, not what is under it") {
  auto pattern = IgnorePattern::parse_glob("foo/*");
  CHECK(pattern.matches("foo/bar", true));
  CHECK(pattern.matches("foo/test.json", false));
  CHECK_FALSE(pattern.matches("foo/bar/hello.c", false));
  auto folders = IgnorePattern::parse_glob("build/");
  CHECK(folders.directory_only());
  CHECK(folders.matches("build", true));
  CHECK_FALSE(folders.matches("build", false));
  CHECK(folders.matches("a/build", true));
}

TEST_CASE("discovery: .gitignore line syntax") {
  CHECK_FALSE(IgnorePattern::parse_line(""));
  CHECK_FALSE(IgnorePattern::parse_line("   "));
  CHECK_FALSE(IgnorePattern::parse_line("# a comment"));
  CHECK_FALSE(IgnorePattern::parse_line("!"));

  auto hash = IgnorePattern::parse_line("\\#notes");
  REQUIRE(hash);
  CHECK(hash->matches("#notes", false));
  CHECK_FALSE(hash->negated());

  auto bang = IgnorePattern::parse_line("\\!important");
  REQUIRE(bang);
  CHECK_FALSE(bang->negated());
  CHECK(bang->matches("!important", false));

  auto negated = IgnorePattern::parse_line("!keep.log");
  REQUIRE(negated);
  CHECK(negated->negated());
  CHECK(negated->matches("keep.log", false));

  auto trimmed = IgnorePattern::parse_line("foo   ");
  REQUIRE(trimmed);
  CHECK(trimmed->matches("foo", false));
  CHECK_FALSE(trimmed->matches("foo ", false));

  auto escaped_space = IgnorePattern::parse_line("foo\\ ");
  REQUIRE(escaped_space);
  CHECK(escaped_space->matches("foo ", false));
  CHECK_FALSE(escaped_space->matches("foo", false));

  auto crlf = IgnorePattern::parse_line("foo.log\r");
  REQUIRE(crlf);
  CHECK(crlf->matches("foo.log", false));

  CHECK(IgnorePattern::parse_line("doc/frotz")->anchored());
  CHECK(IgnorePattern::parse_line("/frotz")->anchored());
  CHECK_FALSE(IgnorePattern::parse_line("frotz")->anchored());
  CHECK_FALSE(IgnorePattern::parse_line("frotz/")->anchored());
  CHECK(IgnorePattern::parse_line("frotz/")->directory_only());
}

TEST_CASE("discovery: ignore rules, negation and precedence") {
  SECTION("the last matching pattern wins") {
    IgnoreRules rules;
    rules.add_file("", "*.log\n!keep.log\n");
    CHECK(rules.is_ignored("debug.log", false));
    CHECK_FALSE(rules.is_ignored("keep.log", false));
    CHECK(rules.match("keep.log", false) == IgnoreRules::Verdict::included);
    IgnoreRules reversed;
    reversed.add_file("", "!keep.log\n*.log\n");
    CHECK(reversed.is_ignored("keep.log", false));
  }
  SECTION("a file under an ignored folder cannot be re-included") {
    IgnoreRules rules;
    rules.add_file("", "build/\n!build/keep.txt\n");
    CHECK(rules.is_ignored("build/keep.txt", false));
    CHECK(rules.is_ignored("build", true));
    CHECK_FALSE(rules.is_ignored("build", false));
  }
  SECTION("everything but one nested folder") {
    IgnoreRules rules;
    rules.add_file("", "/*\n!/foo\n/foo/*\n!/foo/bar\n");
    CHECK_FALSE(rules.is_ignored("foo/bar/x.yaml", false));
    CHECK(rules.is_ignored("foo/baz/x.yaml", false));
    CHECK(rules.is_ignored("other.yaml", false));
  }
  SECTION("a rule set applies below its base folder only") {
    IgnoreRules rules;
    rules.add_file("/repo", "*.json\n");
    rules.add_file("/repo/sub", "!keep.json\n/local.yaml\n");
    CHECK(rules.is_ignored("/repo/a.json", false));
    CHECK(rules.is_ignored("/repo/keep.json", false));
    CHECK_FALSE(rules.is_ignored("/repo/sub/keep.json", false));
    CHECK(rules.is_ignored("/repo/sub/local.yaml", false));
    CHECK_FALSE(rules.is_ignored("/repo/sub/deeper/local.yaml", false));
    CHECK_FALSE(rules.is_ignored("/repo/local.yaml", false));
    CHECK_FALSE(rules.is_ignored("/elsewhere/a.json", false));
    CHECK_FALSE(rules.is_ignored("/repository/a.json", false));
    rules.pop_to(1);
    CHECK(rules.is_ignored("/repo/sub/keep.json", false));
  }
  SECTION("patterns added one by one behave like one file") {
    IgnoreRules rules;
    rules.add_pattern("cfg", "vendor/**");
    rules.add_pattern("cfg", "!vendor/keep/**");
    CHECK(rules.depth() == 1);
    CHECK(rules.is_ignored("cfg/vendor/x.yaml", false));
    // vendor/keep itself matched "vendor/**": as in git, its contents stay ignored...
    CHECK(rules.is_ignored("cfg/vendor/keep/x.yaml", false));
    // ...until the folder is re-included too.
    rules.add_pattern("cfg", "!vendor/keep/");
    CHECK_FALSE(rules.is_ignored("cfg/vendor/keep/x.yaml", false));
    CHECK_FALSE(rules.is_ignored("vendor/x.yaml", false));
  }
}

TEST_CASE("discovery: nested .gitignore files with negation and folder-only patterns") {
  TempTree tree;
  tree.file(".gitignore", "*.log\nbuild/\n!important.log\n");
  tree.file("a.yaml");
  tree.file("debug.log");
  tree.file("important.log");
  tree.file("build/out.json");
  tree.file("sub/build");  // a file: "build/" only ignores folders
  tree.file("sub/.gitignore", "!debug.log\n*.yaml\n!keep.yaml\n");
  tree.file("sub/debug.log");
  tree.file("sub/x.yaml");
  tree.file("sub/keep.yaml");
  tree.file("sub/deep/y.yaml");
  tree.file("other/x.yaml");  // sub's rules must not leak into a sibling

  DiscoveryResult result = discover({tree.path()}, {});
  CHECK(result.root == tree.path());
  CHECK(displays(result) == Paths{".gitignore", "a.yaml", "important.log", "other/x.yaml",
                                  "sub/.gitignore", "sub/build", "sub/debug.log", "sub/keep.yaml"});
  CHECK(result.problems.empty());
  REQUIRE(!result.files.empty());
  CHECK(result.files[1].path() == tree.path("a.yaml"));
}

TEST_CASE("discovery: anchored patterns belong to their .gitignore's folder") {
  TempTree tree;
  tree.file(".gitignore", "/top.yaml\ndocs/gen\n");
  tree.file("top.yaml");
  tree.file("sub/top.yaml");
  tree.file("docs/gen/x.yaml");
  tree.file("sub/docs/gen/x.yaml");
  tree.file("sub/.gitignore", "/local.yaml\n");
  tree.file("sub/local.yaml");
  tree.file("sub/deeper/local.yaml");

  DiscoveryResult result = discover({tree.path()}, {});
  CHECK(displays(result) == Paths{".gitignore", "sub/.gitignore", "sub/deeper/local.yaml",
                                  "sub/docs/gen/x.yaml", "sub/top.yaml"});
}

TEST_CASE("discovery: ** patterns") {
  TempTree tree;
  tree.file(".gitignore", "**/testdata/**\nlogs/**/*.txt\n**/cache\n");
  tree.file("a/testdata/x.json");
  tree.file("testdata/y.json");
  tree.file("logs/a.txt");
  tree.file("logs/deep/b.txt");
  tree.file("logs/c.json");
  tree.file("x/cache/z.yaml");
  tree.file("cache/q.yaml");
  tree.file("cached/ok.yaml");

  DiscoveryResult result = discover({tree.path()}, {});
  CHECK(displays(result) == Paths{".gitignore", "cached/ok.yaml", "logs/c.json"});
}

TEST_CASE("discovery: .gitignore files above the scanned folder, up to the repository root") {
  TempTree tree;
  tree.file(".gitignore", "*.yaml\n");  // above the repository: not ours
  tree.folder("repo/.git/objects");
  tree.file("repo/.git/config");
  tree.file("repo/.git/info/exclude", "secret.yaml\n");
  tree.file("repo/.gitignore", "*.bak\n");
  tree.file("repo/app/.gitignore", "gen/\n");
  tree.file("repo/app/svc/x.bak");
  tree.file("repo/app/svc/gen/y.yaml");
  tree.file("repo/app/svc/secret.yaml");
  tree.file("repo/app/svc/ok.yaml");

  DiscoveryResult scoped = discover({tree.path("repo/app/svc")}, {});
  CHECK(scoped.root == tree.path("repo/app/svc"));
  CHECK(displays(scoped) == Paths{"ok.yaml"});

  DiscoveryResult whole = discover({tree.path("repo")}, {});
  CHECK(displays(whole) == Paths{".gitignore", "app/.gitignore", "app/svc/ok.yaml"});

  DiscoveryOptions no_gitignore;
  no_gitignore.use_gitignore = false;
  DiscoveryResult everything = discover({tree.path("repo/app/svc")}, no_gitignore);
  CHECK(displays(everything) == Paths{"gen/y.yaml", "ok.yaml", "secret.yaml", "x.bak"});
}

TEST_CASE("discovery: VCS folders are always skipped, nothing else is") {
  TempTree tree;
  tree.file(".git/config");
  tree.file(".hg/store");
  tree.file(".svn/entries");
  tree.file("sub/.git", "gitdir: ../.git/modules/sub\n");
  tree.file("node_modules/pkg/values.yaml");
  tree.file(".github/workflows/ci.yaml");

  DiscoveryResult result = discover({tree.path()}, {});
  CHECK(displays(result) == Paths{".github/workflows/ci.yaml", "node_modules/pkg/values.yaml"});
}

TEST_CASE("discovery: a requested root above the arguments is the scan root, one below them is not") {
  TempTree tree;
  tree.file("charts/web/Chart.yaml");
  tree.file("charts/web/templates/deployment.yaml");
  tree.file("charts/common/Chart.yaml");

  DiscoveryOptions options;
  options.root = tree.path();  // the editor's workspace, when one chart of it is linted
  DiscoveryResult result = discover({tree.path("charts/web")}, options);
  CHECK(result.root == tree.path());
  CHECK(displays(result) == Paths{"charts/web/Chart.yaml", "charts/web/templates/deployment.yaml"});

  options.root = tree.path("charts/web/templates");  // would leave Chart.yaml outside: not taken
  result = discover({tree.path("charts/web")}, options);
  CHECK(result.root == tree.path("charts/web"));
  CHECK(displays(result) == Paths{"Chart.yaml", "templates/deployment.yaml"});
}

TEST_CASE("discovery: config exclude globs") {
  TempTree tree;
  tree.file("project/vendor/a.yaml");
  tree.file("project/sub/vendor/a.yaml");
  tree.file("project/x.tmp.yaml");
  tree.file("project/keep.tmp.yaml");
  tree.file("project/app/skip.yaml");
  tree.file("project/app/ok.yaml");
  tree.file("project/.gitignore", "ignored.yaml\n");
  tree.file("project/ignored.yaml");

  DiscoveryOptions options;
  options.exclude = {"vendor/**", "*.tmp.yaml", "!keep.tmp.yaml", "app/skip.yaml"};
  options.exclude_base = tree.path("project");

  DiscoveryResult result = discover({tree.path("project")}, options);
  CHECK(displays(result) == Paths{".gitignore", "app/ok.yaml", "keep.tmp.yaml", "sub/vendor/a.yaml"});

  // Relative to the config's folder even when scanning below it.
  DiscoveryResult below = discover({tree.path("project/app")}, options);
  CHECK(displays(below) == Paths{"ok.yaml"});

  // A given file escapes .gitignore but not the config's exclude.
  InFolder in(tree.path("project"));
  DiscoveryResult given = discover({"vendor/a.yaml", "ignored.yaml"}, options);
  CHECK(displays(given) == Paths{"ignored.yaml"});
  CHECK(given.problems.empty());

  // A given folder inside an excluded one is excluded too.
  DiscoveryOptions folder_excluded;
  folder_excluded.exclude = {"app"};
  folder_excluded.exclude_base = tree.path("project");
  CHECK(discover({tree.path("project/app")}, folder_excluded).files.empty());
}

TEST_CASE("discovery: file arguments, scan root and display paths") {
  TempTree tree;
  tree.file(".gitignore", "*.log\n");
  tree.file("ignored.log");
  tree.file("a/x.json");
  tree.file("a/y.json");
  tree.file("b/z.json");
  InFolder in(tree.path());

  SECTION("a given file is linted even when .gitignore ignores it, shown as typed") {
    DiscoveryResult result = discover({"./a/../ignored.log"}, {});
    REQUIRE(result.files.size() == 1);
    CHECK(result.files[0].display_path() == "ignored.log");
    CHECK(result.files[0].path() == tree.path("ignored.log"));
    CHECK(result.root == tree.path());
  }
  SECTION("a single file in a subfolder keeps its folders") {
    DiscoveryResult result = discover({"a/x.json"}, {});
    CHECK(displays(result) == Paths{"a/x.json"});
    CHECK(result.root == tree.path());
  }
  SECTION("several files: relative to the current folder") {
    DiscoveryResult result = discover({"a/y.json", "a/x.json"}, {});
    CHECK(displays(result) == Paths{"a/x.json", "a/y.json"});
    CHECK(result.root == tree.path());
  }
  SECTION("a folder is its own root") {
    DiscoveryResult result = discover({"a"}, {});
    CHECK(displays(result) == Paths{"x.json", "y.json"});
    CHECK(result.root == tree.path("a"));
  }
  SECTION("\".\" is the current folder") {
    DiscoveryResult result = discover({"."}, {});
    CHECK(displays(result) == Paths{".gitignore", "a/x.json", "a/y.json", "b/z.json"});
    CHECK(result.root == tree.path());
  }
  SECTION("several folders: their common folder") {
    DiscoveryResult result = discover({"b", "a/"}, {});
    CHECK(displays(result) == Paths{"a/x.json", "a/y.json", "b/z.json"});
    CHECK(result.root == tree.path());
  }
  SECTION("overlapping arguments give no duplicates") {
    DiscoveryResult result = discover({".", "a", "a/x.json", "./a/x.json"}, {});
    CHECK(displays(result) == Paths{".gitignore", "a/x.json", "a/y.json", "b/z.json"});
  }
  SECTION("absolute arguments, in normal form or not, are the same files") {
    DiscoveryResult normal = discover({tree.path("a/x.json"), tree.path("b/z.json")}, {});
    DiscoveryResult written = discover({tree.path() + "/a/./x.json", tree.path() + "//b/../b/z.json/"}, {});
    CHECK(displays(normal) == Paths{"a/x.json", "b/z.json"});
    CHECK(displays(written) == displays(normal));
    REQUIRE(written.files.size() == 2);
    CHECK(written.files[0].path() == tree.path("a/x.json"));
    CHECK(written.root == normal.root);
  }
  SECTION("a missing path is a problem, the rest goes on") {
    DiscoveryResult result = discover({"missing/file.json", "b"}, {});
    CHECK(displays(result) == Paths{"z.json"});
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].path == "missing/file.json");
    CHECK(result.problems[0].message == "no such file or folder");
  }
}

TEST_CASE("discovery: symbolic links never lead out of the root and list a file once") {
  TempTree tree;
  tree.file("outside/secret.json", "{}");
  tree.file("proj/.gitignore", "hidden/\n");
  tree.file("proj/real/a.json");
  tree.file("proj/hidden/b.json");
  tree.symlink("../outside/secret.json", "proj/escape.json");
  tree.symlink(tree.path("outside/secret.json"), "proj/escape-absolute.json");
  tree.symlink("real/a.json", "proj/duplicate.json");  // its target is listed already
  tree.symlink("hidden/b.json", "proj/z-alias.json");  // its target is ignored: listed by the link
  tree.symlink("hidden/b.json", "proj/y-alias.json");  // a second link to it: only one is listed
  tree.symlink("real", "proj/linked-folder");          // folders behind links are not followed
  tree.symlink("nowhere.json", "proj/dangling.json");
  tree.symlink("../outside", "proj/real/outside-folder");

  DiscoveryResult result = discover({tree.path("proj")}, {});
  CHECK(displays(result) == Paths{".gitignore", "real/a.json", "y-alias.json"});
  CHECK(result.files.back().path() == tree.path("proj/y-alias.json"));
  // The links out are not read, and said so (a user expects a .json under the root to be linted).
  REQUIRE(result.problems.size() == 2);
  CHECK(result.problems[0].path == "escape-absolute.json");
  CHECK(result.problems[1].path == "escape.json");
  CHECK(result.problems[1].message.find("outside the scanned folder; not read") != std::string::npos);

  InFolder in(tree.path("proj"));
  SECTION("a given link out of the root is refused") {
    DiscoveryResult given = discover({"escape.json", "escape-absolute.json"}, {});
    CHECK(given.files.empty());
    REQUIRE(given.problems.size() == 2);
    CHECK(given.problems[0].path == "escape-absolute.json");
    CHECK(given.problems[1].path == "escape.json");
  }
  SECTION("a given link inside the root is listed by its own path") {
    DiscoveryResult given = discover({"y-alias.json"}, {});
    REQUIRE(given.files.size() == 1);
    CHECK(given.files[0].path() == tree.path("proj/y-alias.json"));
  }
}

TEST_CASE("discovery: symlink loops do not hang the walk") {
  TempTree tree;
  tree.file("proj/a/f.yaml");
  tree.symlink("..", "proj/a/parent");
  tree.symlink(tree.path("proj"), "proj/a/b/root");
  tree.symlink("self", "proj/self");
  tree.symlink("ping", "proj/pong");
  tree.symlink("pong", "proj/ping");

  DiscoveryResult result = discover({tree.path("proj")}, {});
  CHECK(displays(result) == Paths{"a/f.yaml"});
  CHECK(result.problems.empty());
}

TEST_CASE("discovery: an unreadable folder is a problem, not an exception") {
  TempTree tree;
  tree.file("proj/ok.yaml");
  tree.file("proj/locked/secret.yaml");
  tree.lock("proj/locked");

  DiscoveryResult result;
  REQUIRE_NOTHROW(result = discover({tree.path("proj")}, {}));
  if (::geteuid() == 0) {
    // root reads through mode 000: nothing to observe but that the walk went on.
    CHECK(displays(result) == Paths{"locked/secret.yaml", "ok.yaml"});
  } else {
    CHECK(displays(result) == Paths{"ok.yaml"});
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].path == "locked");
    CHECK(result.problems[0].message.find("cannot read folder") == 0);
  }
}

TEST_CASE("discovery: byte-order sort and no duplicates") {
  TempTree tree;
  for (const char* name : {"b.yaml", "a-b/x.yaml", "a/x.yaml", "A.yaml", "a.yaml", "a/B/c.yaml"}) {
    tree.file(name);
  }
  InFolder in(tree.path());
  DiscoveryResult result = discover({".", "a", "a/x.yaml", tree.path("a/B")}, {});
  CHECK(displays(result) ==
        Paths{"A.yaml", "a-b/x.yaml", "a.yaml", "a/B/c.yaml", "a/x.yaml", "b.yaml"});
}

TEST_CASE("discovery: 2,000 files in one folder") {
  TempTree tree;
  tree.folder("many");
  for (int i = 0; i < 2000; ++i) tree.file("many/file-" + std::to_string(i) + ".yaml");
  tree.file("many/.gitignore", "file-1*.yaml\n");  // 1, 10-19, 100-199, 1000-1999

  double start = shiftlint::test_bounds::cpu_seconds();
  DiscoveryResult result = discover({tree.path("many")}, {});
  double seconds = shiftlint::test_bounds::cpu_seconds() - start;
  CHECK(result.files.size() == 2000 - 1111 + 1);
  CHECK(std::is_sorted(result.files.begin(), result.files.end(),
                       [](const auto& a, const auto& b) { return a.display_path() < b.display_path(); }));
  CHECK(seconds < 0.5 * shiftlint::test_bounds::kTimeScale);
}

TEST_CASE("discovery: listed files hand over the real paths of their folders") {
  TempTree tree;
  tree.file("repo/web/Dockerfile", "FROM alpine\n");
  tree.file("repo/api/Dockerfile", "FROM alpine\n");
  tree.symlink("web", "repo/web-link");  // a folder reached through a link
  DiscoveryResult result = discover({tree.path("repo/web/Dockerfile"), tree.path("repo/api/Dockerfile"),
                                     tree.path("repo/web-link/Dockerfile")},
                                    {});
  REQUIRE(result.problems.empty());
  std::map<std::string, std::string> real_paths(result.real_paths.begin(), result.real_paths.end());
  CHECK(real_paths[tree.path("repo/web")] == tree.path("repo/web"));
  CHECK(real_paths[tree.path("repo/api")] == tree.path("repo/api"));
  CHECK(real_paths[tree.path("repo")] == tree.path("repo"));
  CHECK(real_paths[tree.path("repo/web-link")] == tree.path("repo/web"));
  CHECK(real_paths.count(tree.path("repo/web/Dockerfile")) == 0);  // files are asked once: not kept
}

TEST_CASE("discovery: a long argument list gives the same result on several threads as on one") {
  // 600 arguments: past the threshold, so jobs 4 examines them on four threads, each a contiguous
  // part of the list. Problems (missing files, a link out of the root, a FIFO), links inside the
  // root and repeated arguments are spread over every part; the order of files, problems and the
  // real paths handed over must not depend on the threads.
  TempTree tree;
  tree.file("outside/secret/Dockerfile", "FROM alpine\n");
  Paths arguments;
  for (int i = 0; i < 600; ++i) {
    std::string folder = "repo/service-" + std::to_string(i / 3);
    switch (i % 50) {
      case 7: arguments.push_back(tree.path(folder + "/missing/Dockerfile")); break;
      case 19:
        tree.symlink(tree.path("outside/secret"), folder + "/escape");
        arguments.push_back(tree.path(folder + "/escape/Dockerfile"));
        break;
      case 23:
        tree.symlink("../service-0", folder + "/inside");
        arguments.push_back(tree.path(folder + "/inside/Dockerfile"));
        break;
      case 31:
        tree.folder(folder);
        REQUIRE(::mkfifo(tree.path(folder + "/pipe.Dockerfile").c_str(), 0600) == 0);
        arguments.push_back(tree.path(folder + "/pipe.Dockerfile"));
        break;
      case 42: arguments.push_back(arguments.front()); break;
      default:
        tree.file(folder + "/Dockerfile." + std::to_string(i), "FROM alpine\n");
        arguments.push_back(tree.path(folder + "/Dockerfile." + std::to_string(i)));
    }
  }
  tree.file("repo/service-0/Dockerfile", "FROM alpine\n");  // what the links inside lead to
  DiscoveryOptions one, four;
  one.jobs = 1;
  four.jobs = 4;
  DiscoveryResult alone = discover(arguments, one);
  DiscoveryResult threaded = discover(arguments, four);
  CHECK(displays(threaded) == displays(alone));
  CHECK(alone.files.size() == 600 - 12 * 3 - 12);  // less the problems and the repeats
  REQUIRE(threaded.problems.size() == alone.problems.size());
  CHECK(alone.problems.size() == 12 * 3);
  for (size_t i = 0; i < alone.problems.size(); ++i) {
    CHECK(threaded.problems[i].path == alone.problems[i].path);
    CHECK(threaded.problems[i].message == alone.problems[i].message);
  }
  auto sorted = [](std::vector<std::pair<std::string, std::string>> pairs) {
    std::sort(pairs.begin(), pairs.end());
    return pairs;
  };
  CHECK(sorted(threaded.real_paths) == sorted(alone.real_paths));
  CHECK(threaded.root == alone.root);
}

TEST_CASE("discovery: a bound on the entries listed stops the walk and says so", "[discovery]") {
  TempTree tree;
  for (int folder = 0; folder < 10; ++folder)
    for (int file = 0; file < 10; ++file)
      tree.file("repo/f" + std::to_string(folder) + "/k8s-" + std::to_string(file) + ".yaml", "kind: List\n");
  DiscoveryOptions unbounded;
  CHECK(discover({tree.path("repo")}, unbounded).files.size() == 100);
  CHECK(discover({tree.path("repo")}, unbounded).problems.empty());

  DiscoveryOptions bounded;
  bounded.max_entries = 25;  // the top folder's 10 entries, then folders of 10 until past 25
  DiscoveryResult result = discover({tree.path("repo")}, bounded);
  CHECK(result.files.size() == 20);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message == "stopped after listing 30 entries (the walk's limit): the files beyond are not read");
}

TEST_CASE("discovery: a walk stops when it is cancelled", "[discovery]") {
  TempTree tree;
  for (int folder = 0; folder < 3; ++folder)
    tree.file("repo/f" + std::to_string(folder) + "/k8s.yaml", "kind: List\n");
  std::atomic<bool> cancel{false};
  DiscoveryOptions options;
  options.cancel = &cancel;
  CHECK(discover({tree.path("repo")}, options).files.size() == 3);  // not set: the whole walk
  cancel = true;
  DiscoveryResult result = discover({tree.path("repo")}, options);
  CHECK(result.files.empty());
  CHECK(result.problems.empty());  // the caller knows why it stopped: nothing to tell the user
}
