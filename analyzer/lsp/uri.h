#pragma once
// file:// URIs (RFC 8089) as LSP clients send them, and back. Only local files are linted: other
// schemes (untitled:, git:, vscode-notebook-cell:) have no path on disk to find a config from.
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint::lsp {

// "file:///home/me/a%20b.json" -> "/home/me/a b.json". nullopt for other schemes, a remote host,
// a relative path, or an escape that decodes to NUL.
std::optional<std::string> path_from_file_uri(std::string_view uri);

// "/home/me/a b.json" -> "file:///home/me/a%20b.json": everything but unreserved characters and
// '/' is percent-encoded, as VS Code does.
std::string file_uri_from_path(std::string_view absolute_path);

}  // namespace shiftlint::lsp
