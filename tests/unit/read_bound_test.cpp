#include <catch2/catch.hpp>

#include "analyzer/source/read_bound.h"
#include "tests/unit/scratch_folder.h"

using namespace shiftlint;

TEST_CASE("read bound: a scan root inside a git repository reads up to the repository's root") {
  testing::ScratchFolder scratch("shiftlint-read-bound");
  scratch.file("repo/.git/HEAD", "ref: refs/heads/main\n");
  scratch.file("repo/envs/prod/main.tf", "");
  scratch.file("plain/envs/prod/main.tf", "");
  CHECK(repository_root_at_or_above(scratch.path("repo/envs/prod")) == scratch.path("repo"));
  CHECK(repository_root_at_or_above(scratch.path("repo")) == scratch.path("repo"));
  CHECK(read_bound_of(scratch.path("repo/envs/prod")) == scratch.path("repo"));
  // No repository at or above it (a temporary folder): the scan root itself.
  CHECK(read_bound_of(scratch.path("plain/envs/prod")) == scratch.path("plain/envs/prod"));
  // A worktree's or submodule's .git is a file.
  scratch.file("plain/envs/.git", "gitdir: ../../.git/worktrees/envs\n");
  CHECK(read_bound_of(scratch.path("plain/envs/prod")) == scratch.path("plain/envs"));
}

TEST_CASE("read bound: files above the scan root are named from it with ../") {
  CHECK(path_from_scan_root("/repo/modules/service/main.tf", "/repo/envs/prod") == "../../modules/service/main.tf");
  CHECK(path_from_scan_root("/repo/envs/prod/main.tf", "/repo/envs/prod") == "main.tf");
  CHECK(path_from_scan_root("/repo/envs/shared.tf", "/repo/envs/prod") == "../shared.tf");
  CHECK(path_from_scan_root("/repo/envs/prod", "/repo/envs/prod") == ".");
  CHECK(path_from_scan_root("/repo/x", "/") == "repo/x");
}
