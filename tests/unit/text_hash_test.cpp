// hash_text: the content hash of the shell syntax-tree cache and the repeated instruction scripts.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "analyzer/source/text_hash.h"

using shiftlint::hash_text;

TEST_CASE("text hash: depends on the bytes in the view only, at every length") {
  std::string buffer;
  for (int i = 0; i < 200; ++i) buffer += static_cast<char>('a' + (i * 7) % 26);
  for (size_t length = 0; length <= 70; ++length) {
    CAPTURE(length);
    std::string copy = buffer.substr(5, length);
    // The same bytes elsewhere in memory, with different bytes around them: the same hash.
    CHECK(hash_text(std::string_view(buffer).substr(5, length)) == hash_text(copy));
  }
}

TEST_CASE("text hash: a change of one byte, of the length, or of zero padding changes it") {
  std::string text = "set -eux; apt-get update && apt-get install -y --no-install-recommends ca-certificates";
  size_t original = hash_text(text);
  std::set<size_t> seen = {original};
  for (size_t at = 0; at < text.size(); ++at) {
    std::string changed = text;
    changed[at] ^= 0x01;
    CAPTURE(at);
    CHECK(seen.insert(hash_text(changed)).second);
  }
  // A text and the same text with zero bytes after it (the tail is zero-padded): told apart.
  CHECK(hash_text(std::string("ab", 2)) != hash_text(std::string("ab\0", 3)));
  CHECK(hash_text(std::string(16, '\0')) != hash_text(std::string(17, '\0')));
  CHECK(hash_text("") != hash_text(std::string(1, '\0')));
}
