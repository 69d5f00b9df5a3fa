#pragma once
// ASCII-only case handling: Dockerfile keywords, AWS enum values (FARGATE), rule ids and file names
// are ASCII, and locale-dependent std::tolower would make results depend on the user's LANG.
#include <string>
#include <string_view>

namespace shiftlint {

inline char to_lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline char to_upper_ascii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
  return true;
}

inline std::string to_lower_ascii(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = to_lower_ascii(c);
  return result;
}

inline std::string to_upper_ascii(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = to_upper_ascii(c);
  return result;
}

}  // namespace shiftlint
