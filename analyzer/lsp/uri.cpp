#include "analyzer/lsp/uri.h"

#include <cctype>

#include <fmt/format.h>

namespace shiftlint::lsp {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

std::optional<std::string> path_from_file_uri(std::string_view uri) {
  if (!starts_with_ignoring_case(uri, "file://")) return std::nullopt;
  std::string_view rest = uri.substr(7);
  // The authority: empty or "localhost" is this machine; anything else is a remote share.
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view host = rest.substr(0, slash);
  if (!host.empty() && !(host.size() == 9 && starts_with_ignoring_case(host, "localhost"))) return std::nullopt;
  rest = rest.substr(slash);
  // A query or fragment is not part of the path.
  rest = rest.substr(0, rest.find_first_of("?#"));

  std::string path;
  path.reserve(rest.size());
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hex_value(rest[i + 1]) >= 0 && hex_value(rest[i + 2]) >= 0) {
      char decoded = static_cast<char>(hex_value(rest[i + 1]) * 16 + hex_value(rest[i + 2]));
      if (decoded == '\0') return std::nullopt;
      path += decoded;
      i += 2;
    } else {
      path += rest[i];
    }
  }
  return path;
}

std::string file_uri_from_path(std::string_view absolute_path) {
  std::string uri = "file://";
  for (char c : absolute_path) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') uri += c;
    else uri += fmt::format("%{:02X}", byte);
  }
  return uri;
}

}  // namespace shiftlint::lsp
