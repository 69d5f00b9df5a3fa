#include <catch2/catch.hpp>
#include "analyzer/source/source_file.h"
TEST_CASE("source file positions") {
  shiftlint::SourceFile file("a", "a", "ab\ncd\r\nef");
  CHECK(file.line_count() == 3);
  CHECK(file.line(2) == "cd");
  CHECK(file.position_at(4).line == 2);
  CHECK(file.position_at(4).column == 2);
}
