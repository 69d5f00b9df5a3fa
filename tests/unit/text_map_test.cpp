#include <catch2/catch.hpp>

#include "analyzer/source/text_map.h"

using namespace shiftlint;

TEST_CASE("text map: a joined continuation maps each token back to its own line") {
  //                    0         1          2
  //                    0123456789 0123456789012345
  SourceFile file("f", "f", "RUN a \\\n    bc\n");
  TextMap map;
  map.append_copy(file.text().substr(4, 2), 4);    // "a "
  map.append_copy(file.text().substr(12, 2), 12);  // "bc"
  REQUIRE(map.text() == "a bc");
  CHECK(map.pieces().size() == 2);
  CHECK(map.span_of(file, 0, 1) == Span{{1, 5}, {1, 6}});
  CHECK(map.span_of(file, 2, 4) == Span{{2, 5}, {2, 7}});
  // A range that ends at the seam ends on the first line, not at the start of the second.
  CHECK(map.span_of(file, 0, 2) == Span{{1, 5}, {1, 7}});
  CHECK(map.file_offset(2) == 12);
  CHECK(map.file_end_offset(2) == 6);
  CHECK(map.span(file) == Span{{1, 5}, {2, 7}});
}

TEST_CASE("text map: copies adjacent in the file merge; inserted text maps to one point") {
  SourceFile file("f", "f", "abcdef");
  TextMap map;
  map.append_copy("ab", 0);
  map.append_copy("cd", 2);
  CHECK(map.pieces().size() == 1);
  map.append_inserted("\n", 4);
  map.append_copy("f", 5);
  REQUIRE(map.text() == "abcd\nf");
  CHECK(map.pieces().size() == 3);
  CHECK(map.file_offset(4) == 4);
  CHECK(map.file_offset(5) == 5);
  CHECK(map.span_of(file, 3, 6) == Span{{1, 4}, {1, 7}});
}

TEST_CASE("text map: empty maps and out-of-range offsets are safe") {
  SourceFile file("f", "f", "abc");
  TextMap empty;
  CHECK(empty.span(file).empty());
  CHECK(empty.file_offset(10) == 0);
  TextMap map;
  map.append_copy("bc", 1);
  CHECK(map.file_offset(99) == 3);
  CHECK(map.span_of(file, 5, 1) == Span{{1, 4}, {1, 4}});
}

TEST_CASE("text map: a slice keeps the file offsets of its bytes; append concatenates maps") {
  SourceFile file("f", "f", "RUN a \\\n    bc\nxyz\n");
  TextMap map;
  map.append_copy(file.text().substr(0, 6), 0);    // "RUN a "
  map.append_copy(file.text().substr(12, 2), 12);  // "bc"
  TextMap command = map.slice(4, 8);
  REQUIRE(command.text() == "a bc");
  CHECK(command.span_of(file, 2, 4) == Span{{2, 5}, {2, 7}});
  CHECK(map.slice(6, 6).empty());
  TextMap body;
  body.append_copy(file.text().substr(15, 4), 15);  // "xyz\n"
  command.append_inserted("\n", 14);
  command.append(body);
  REQUIRE(command.text() == "a bc\nxyz\n");
  CHECK(command.span_of(file, 5, 8) == Span{{3, 1}, {3, 4}});
}
