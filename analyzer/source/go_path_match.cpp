#include "analyzer/source/go_path_match.h"

#include <cstdint>

#include "analyzer/source/utf8.h"

namespace shiftlint {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

// One character of a class (`\` quotes the next); false when the class is malformed here.
bool class_character(std::string_view& chunk, uint32_t& character) {
  if (chunk.empty() || chunk[0] == '-' || chunk[0] == ']') return false;
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) return false;
  }
  auto [value, length] = decode_rune(chunk);
  if (value == kReplacement && length == 1) return false;  // not UTF-8
  chunk.remove_prefix(length);
  character = value;
  return !chunk.empty();  // a class must still be closed
}

enum class ChunkResult { matched, failed, malformed };

// Matches `chunk` (no unquoted `*` outside a class) against the start of `text`, which on a match
// is left holding the rest. The whole chunk is read even after a mismatch, so a malformed part is
// always reported.
ChunkResult match_chunk(std::string_view chunk, std::string_view& text) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && text.empty()) failed = true;
    char head = chunk[0];
    if (head == '[') {
      uint32_t character = 0;
      if (!failed) {
        auto [value, length] = decode_rune(text);
        character = value;
        text.remove_prefix(length);
      }
      chunk.remove_prefix(1);
      bool negated = !chunk.empty() && chunk[0] == '^';
      if (negated) chunk.remove_prefix(1);
      bool in_class = false;
      for (int ranges = 0;; ++ranges) {
        if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
          chunk.remove_prefix(1);
          break;
        }
        uint32_t low = 0;
        if (!class_character(chunk, low)) return ChunkResult::malformed;
        uint32_t high = low;
        if (chunk[0] == '-') {
          chunk.remove_prefix(1);
          if (!class_character(chunk, high)) return ChunkResult::malformed;
        }
        if (low <= character && character <= high) in_class = true;
      }
      if (in_class == negated) failed = true;
      continue;
    }
    if (head == '?') {
      if (!failed) {
        if (text[0] == '/') failed = true;
        text.remove_prefix(decode_rune(text).second);
      }
      chunk.remove_prefix(1);
      continue;
    }
    if (head == '\\') {
      chunk.remove_prefix(1);
      if (chunk.empty()) return ChunkResult::malformed;
    }
    if (!failed) {
      if (chunk[0] != text[0]) failed = true;
      text.remove_prefix(1);
    }
    chunk.remove_prefix(1);
  }
  return failed ? ChunkResult::failed : ChunkResult::matched;
}

struct Chunk {
  bool after_star = false;
  std::string_view text;
};

// The next chunk of `pattern`: the stars before it, then everything up to the next `*` that is
// neither quoted nor inside a class.
Chunk next_chunk(std::string_view& pattern) {
  Chunk chunk;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    chunk.after_star = true;
  }
  bool in_class = false;
  size_t end = 0;
  for (; end < pattern.size(); ++end) {
    char c = pattern[end];
    if (c == '\\') {
      if (end + 1 < pattern.size()) ++end;
    } else if (c == '[') {
      in_class = true;
    } else if (c == ']') {
      in_class = false;
    } else if (c == '*' && !in_class) {
      break;
    }
  }
  chunk.text = pattern.substr(0, end);
  pattern.remove_prefix(end);
  return chunk;
}

}  // namespace

std::optional<bool> go_path_match(std::string_view pattern, std::string_view name) {
  while (!pattern.empty()) {
    Chunk chunk = next_chunk(pattern);
    if (chunk.after_star && chunk.text.empty()) return name.find('/') == std::string_view::npos;  // a trailing `*`
    // The chunk where we are; the last chunk must also use up the name.
    std::string_view rest = name;
    ChunkResult result = match_chunk(chunk.text, rest);
    if (result == ChunkResult::malformed) return std::nullopt;
    if (result == ChunkResult::matched && (rest.empty() || !pattern.empty())) {
      name = rest;
      continue;
    }
    // After a star, each later start up to the next '/'; the first that matches is kept, as in Go
    // (which does not go back to try a later one when the chunks after it fail).
    bool moved_on = false;
    if (chunk.after_star) {
      for (size_t skip = 0; skip < name.size() && name[skip] != '/'; ++skip) {
        rest = name.substr(skip + 1);
        result = match_chunk(chunk.text, rest);
        if (result == ChunkResult::malformed) return std::nullopt;
        if (result == ChunkResult::matched && (rest.empty() || !pattern.empty())) {
          name = rest;
          moved_on = true;
          break;
        }
      }
    }
    if (moved_on) continue;
    // No match; a malformed chunk later in the pattern is still an error, as in Go.
    while (!pattern.empty()) {
      Chunk later = next_chunk(pattern);
      std::string_view nothing;
      if (match_chunk(later.text, nothing) == ChunkResult::malformed) return std::nullopt;
    }
    return false;
  }
  return name.empty();
}

}  // namespace shiftlint
