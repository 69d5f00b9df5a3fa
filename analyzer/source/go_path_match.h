#pragma once
// Go's path/filepath.Match on '/'-separated paths, for the files Go tools read with it (Helm's
// .helmignore). Unlike gitignore globs (source/glob.h): no `**`, a class is negated with `^`
// (`[!a]` holds '!' and 'a'), and a malformed pattern is an error, not a non-match.
//
//   *        any run of characters but '/'
//   ?        one character (a UTF-8 code point) but '/'
//   [a-z0-9] one character of the class; [^...] one not in it (these may be '/', as in Go)
//   \c       the character c
#include <optional>
#include <string_view>

namespace shiftlint {

// Whether `name` matches the whole of `pattern`; nullopt when the pattern is malformed (an unclosed
// or empty class, a range without its end, a trailing '\'), which Go reports as ErrBadPattern.
std::optional<bool> go_path_match(std::string_view pattern, std::string_view name);

}  // namespace shiftlint
