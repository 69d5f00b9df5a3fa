#pragma once
// How far shiftlint reads files that the scanned files refer to (a Dockerfile's COPY sources, a
// Terraform module's source and file() paths, a Helm chart's file:// dependency): the scan root, or,
// when the scan root is inside a git repository, that repository's root. A project's files refer to
// one another across it (`docker build -f docker/web/Dockerfile .` from the root, `source =
// "../../modules/service"`, `repository: file://../common`), whichever of its folders shiftlint runs
// in; nothing outside the project is read, and symbolic links out of the bound are refused as before.
#include <string>
#include <string_view>

namespace shiftlint {

// Whether `folder` holds `.git` (a folder, or a worktree's or submodule's file).
bool holds_repository(std::string_view folder);

// The nearest folder at or above `folder` (absolute, normal form) that holds `.git` (a folder, or a
// worktree's or submodule's file); "" when there is none.
std::string repository_root_at_or_above(std::string_view folder);

// The read bound of a scan root (absolute, normal form): its repository's root, or itself.
std::string read_bound_of(const std::string& scan_root);

// `path` (absolute, normal form, inside the bound) as named from `scan_root`: relative, with "../"
// for each folder it lies above the scan root ("../../modules/service/main.tf").
std::string path_from_scan_root(std::string_view path, std::string_view scan_root);

}  // namespace shiftlint
