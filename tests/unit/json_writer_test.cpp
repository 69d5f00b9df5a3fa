// The reports write JSON with their own writer, byte for byte what nlohmann::json's dump(2) with
// error_handler_t::replace gave before: scripts diff reports, and goldens hold them.
#include "analyzer/report/json_writer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

using namespace shiftlint;
using Json = nlohmann::ordered_json;

namespace {

std::string dumped(const Json& value) { return value.dump(2, ' ', false, Json::error_handler_t::replace); }

std::string written_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace

TEST_CASE("json writer: strings are escaped as nlohmann escapes them") {
  for (std::string text : {std::string(""), std::string("plain"), std::string("quote \" and \\ slash /"),
                           std::string("\b\f\n\r\t\x01\x1f\x7f", 8), std::string("nul \0 inside", 12),
                           std::string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3")})
    CHECK(written_string(text) == dumped(Json(text)));
}

TEST_CASE("json writer: any byte at any place of a long plain run is escaped as nlohmann escapes it") {
  // Plain runs are skipped eight bytes at a time: one byte to escape must stop the skip wherever
  // it sits in the eight, and next to any neighbour.
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t at = 0; at < 24; ++at) {
      std::string text(24, 'a' + static_cast<char>(at % 26));
      text[at] = static_cast<char>(byte);
      if (at + 1 < text.size()) text[at + 1] = static_cast<char>(0x7F - (byte & 0x1F));
      INFO("byte " << byte << " at " << at);
      CHECK(written_string(text) == dumped(Json(text)));
    }
  }
}

TEST_CASE("json writer: invalid UTF-8 becomes U+FFFD where nlohmann puts it") {
  const std::string replacement = "\xEF\xBF\xBD";
  CHECK(written_string("a\xFF" "b") == "\"a" + replacement + "b\"");
  // A truncated sequence is one replacement; the byte that broke it is read again.
  CHECK(written_string("\xE2\x82" "x") == "\"" + replacement + "x\"");
  CHECK(written_string("\xE2\x82") == "\"" + replacement + "\"");
  // Overlong forms, surrogates and code points above U+10FFFF are not UTF-8.
  for (std::string text : {std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"), std::string("\xED\xA0\x80"),
                           std::string("\xF4\x90\x80\x80"), std::string("\xF5\x80\x80\x80"),
                           std::string("\x80\xBF\xE2\x82\xE2\x82\xAC")})
    CHECK(written_string(text) == dumped(Json(text)));

  // Random bytes biased towards the edges of the UTF-8 ranges.
  std::mt19937 random(20261122);
  const unsigned char interesting[] = {0x00, 0x1F, 0x20, 0x22, 0x5C, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                       0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1,
                                       0xF3, 0xF4, 0xF5, 0xFF, 'a'};
  for (int round = 0; round < 20000; ++round) {
    std::string text(random() % 12, '\0');
    for (char& c : text)
      c = static_cast<char>(random() % 2 ? interesting[random() % sizeof interesting] : random() % 256);
    INFO("round " << round);
    REQUIRE(written_string(text) == dumped(Json(text)));
  }
}

TEST_CASE("json writer: layout is nlohmann's dump(2)") {
  Json expected = Json::object();
  expected["name"] = "shiftlint";
  expected["empty_list"] = Json::array();
  expected["empty_object"] = Json::object();
  expected["nothing"] = nullptr;
  expected["yes"] = true;
  expected["count"] = uint64_t{18446744073709551615ull};
  expected["list"] = Json::array({1, Json::object({{"a", 0}}), Json::array({Json::array()}), "x"});

  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.key("name").string("shiftlint");
  json.key("empty_list").begin_array();
  json.end_array();
  json.key("empty_object").begin_object();
  json.end_object();
  json.key("nothing").null();
  json.key("yes").boolean(true);
  json.key("count").number(18446744073709551615ull);
  json.key("list").begin_array();
  json.number(1);
  json.begin_object();
  json.key("a").number(0);
  json.end_object();
  json.begin_array();
  json.begin_array();
  json.end_array();
  json.end_array();
  json.string("x");
  json.end_array();
  json.end_object();
  CHECK(out == dumped(expected));
}

TEST_CASE("json writer: a fragment written at a depth fits the document around it") {
  std::string fragment;
  JsonWriter inner(fragment, 2);
  inner.begin_object();
  inner.key("id").number(7);
  inner.end_object();

  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.key("items").begin_array();
  json.raw(fragment);
  json.raw(fragment);
  json.end_array();
  json.end_object();
  CHECK(out == dumped(Json{{"items", Json::array({Json{{"id", 7}}, Json{{"id", 7}}})}}));
}

TEST_CASE("json writer: array elements written apart join as if written in one go") {
  std::string whole;
  JsonWriter json(whole);
  json.begin_object();
  json.key("items").begin_array();
  for (int i = 0; i < 3; ++i) {
    json.begin_object();
    json.key("id").number(i);
    json.end_object();
  }
  json.end_array();
  json.end_object();

  std::string first_part, second_part, joined;
  JsonWriter first = JsonWriter::array_elements(first_part, 1, true);
  for (int i = 0; i < 2; ++i) {
    first.begin_object();
    first.key("id").number(i);
    first.end_object();
  }
  JsonWriter second = JsonWriter::array_elements(second_part, 1, false);
  second.begin_object();
  second.key("id").number(2);
  second.end_object();
  JsonWriter outer(joined);
  outer.begin_object();
  outer.key("items").begin_array();
  outer.append_elements(first_part);
  outer.append_elements("");
  outer.append_elements(second_part);
  outer.end_array();
  outer.end_object();
  CHECK(joined == whole);
}
