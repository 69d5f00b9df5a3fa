#include <catch2/catch.hpp>

#include "analyzer/source/source_file.h"

using shiftlint::SourceFile;

TEST_CASE("source: positions are 1-based and CRLF gives the same columns as LF") {
  SourceFile file("a", "a", "ab\ncd\r\nef");
  CHECK(file.line_count() == 3);
  CHECK(file.line(2) == "cd");
  CHECK(file.line(3) == "ef");
  CHECK(file.line(4).empty());
  CHECK(file.position_at(4) == shiftlint::Position{2, 2});
  CHECK(file.position_at(7) == shiftlint::Position{3, 1});
  CHECK(file.offset_of({3, 2}) == 8);
  CHECK(file.uses_crlf());
}

TEST_CASE("source: a UTF-8 byte order mark is dropped and remembered") {
  SourceFile file("a", "a", "\xEF\xBB\xBF{\"a\": 1}");
  CHECK(file.text() == "{\"a\": 1}");
  CHECK(file.had_byte_order_mark());
}
