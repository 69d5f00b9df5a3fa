#include <catch2/catch.hpp>

#include <string>

#include "analyzer/source/utf8.h"

using shiftlint::decode_rune;
using shiftlint::find_invalid_utf8;
using shiftlint::is_valid_runes;
using shiftlint::replace_invalid_runes;

TEST_CASE("utf8: the loaders' check tells text from bytes; Go's check is the standard's") {
  // Valid everywhere: ASCII, 2-, 3- and 4-byte characters.
  for (std::string text : {std::string("plain"), std::string("caf\xC3\xA9"), std::string("\xE2\x82\xAC 5"),
                           std::string("\xF0\x9F\x90\xB3 whale")}) {
    CAPTURE(text);
    CHECK_FALSE(find_invalid_utf8(text));
    CHECK(is_valid_runes(text));
    CHECK(replace_invalid_runes(text) == text);
  }
  // Broken shapes are refused by both, at the byte that starts them.
  CHECK(find_invalid_utf8("ab\xFF") == 2u);            // a byte that starts nothing
  CHECK(find_invalid_utf8("a\xC3") == 1u);             // truncated
  CHECK(find_invalid_utf8("a\xC3(") == 1u);            // a lead byte without its continuation
  CHECK(find_invalid_utf8("\xC0\xAF") == 0u);          // C0/C1 lead only overlong 2-byte forms
  CHECK_FALSE(is_valid_runes("ab\xFF"));
  CHECK_FALSE(is_valid_runes("a\xC3"));
  // Well-shaped but outside the standard: text to the loaders, invalid to Go (so to Helm's toJson).
  for (std::string text : {std::string("\xED\xA0\x80"),           // a UTF-16 surrogate, U+D800
                           std::string("\xE0\x80\xAF"),            // an overlong '/'
                           std::string("\xF4\x90\x80\x80")}) {    // past U+10FFFF
    CAPTURE(text);
    CHECK_FALSE(find_invalid_utf8(text));
    CHECK_FALSE(is_valid_runes(text));
    // Go replaces each byte that starts no valid sequence: three or four U+FFFD.
    CHECK(replace_invalid_runes(text) == [&] {
      std::string replaced;
      for (size_t i = 0; i < text.size(); ++i) replaced += "\xEF\xBF\xBD";
      return replaced;
    }());
  }
  // decode_rune gives the code point and its length, or U+FFFD of length 1.
  CHECK(decode_rune("\xE2\x82\xAC") == std::pair<uint32_t, size_t>{0x20AC, 3});
  CHECK(decode_rune("\xED\xA0\x80") == std::pair<uint32_t, size_t>{0xFFFD, 1});
}
