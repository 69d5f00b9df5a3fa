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

TEST_CASE("source: a span inside a word whose text lost its line continuations") {
  // A Dockerfile RUN reaches the shell with `\`, the line break and the comment line removed.
  SourceFile file("Dockerfile", "Dockerfile",
                  "RUN PKGS=\"bash \\\n"
                  "    # why\n"
                  "\n"
                  "    cron\" && apk add $PKGS\n");
  std::string_view written = "\"bash     cron\"";
  shiftlint::Span word{{1, 10}, {4, 10}};
  CHECK(file.span_within(word, written, 1, 5) == shiftlint::Span{{1, 11}, {1, 15}});
  CHECK(file.span_within(word, written, 10, 14) == shiftlint::Span{{4, 5}, {4, 9}});
  // Text the file does not hold gives the whole word back.
  CHECK(file.span_within(word, "\"bash  other\"", 7, 12) == word);
  CHECK(file.span_within(word, written, 10, 99) == word);
}
