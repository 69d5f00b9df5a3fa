#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzer/lsp/json_rpc.h"

using shiftlint::lsp::FramedEvent;
using shiftlint::lsp::frame_message;
using shiftlint::lsp::MessageReader;

namespace {

std::vector<FramedEvent> drain(MessageReader& reader) {
  std::vector<FramedEvent> events;
  FramedEvent event;
  while (reader.next(event)) events.push_back(event);
  return events;
}

std::vector<FramedEvent> read_all(std::string_view stream, size_t max_message_bytes = 1 << 20) {
  MessageReader reader(max_message_bytes);
  reader.feed(stream);
  return drain(reader);
}

const std::string kInitialize = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})";
const std::string kShutdown = R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})";

}  // namespace

TEST_CASE("lsp: a framed message is read back whole", "[lsp]") {
  auto events = read_all(frame_message(kInitialize));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == FramedEvent::Kind::Message);
  CHECK(events[0].body == kInitialize);
  CHECK(frame_message("{}") == "Content-Length: 2\r\n\r\n{}");
}

TEST_CASE("lsp: split reads at every byte boundary give the same messages", "[lsp]") {
  std::string stream = frame_message(kInitialize) + frame_message(kShutdown);
  for (size_t split = 0; split <= stream.size(); ++split) {
    MessageReader reader;
    reader.feed(std::string_view(stream).substr(0, split));
    std::vector<FramedEvent> events = drain(reader);
    reader.feed(std::string_view(stream).substr(split));
    for (FramedEvent& event : drain(reader)) events.push_back(event);
    INFO("split at " << split);
    REQUIRE(events.size() == 2);
    CHECK(events[0].body == kInitialize);
    CHECK(events[1].body == kShutdown);
    CHECK(reader.buffered_bytes() == 0);
  }
  // One byte at a time.
  MessageReader reader;
  std::vector<FramedEvent> events;
  for (char c : stream) {
    reader.feed(std::string_view(&c, 1));
    for (FramedEvent& event : drain(reader)) events.push_back(event);
  }
  REQUIRE(events.size() == 2);
  CHECK(events[1].body == kShutdown);
}

TEST_CASE("lsp: several messages in one buffer, headers in any order and case", "[lsp]") {
  std::string stream = frame_message(kInitialize) +
                       "content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  " +
                       std::to_string(kShutdown.size()) + "\r\n\r\n" + kShutdown + "\r\n" + frame_message("{}");
  auto events = read_all(stream);
  REQUIRE(events.size() == 3);
  CHECK(events[0].body == kInitialize);
  CHECK(events[1].body == kShutdown);
  CHECK(events[2].body == "{}");  // the stray CRLF between messages is skipped
}

TEST_CASE("lsp: bad headers are reported once and the reader resynchronises", "[lsp]") {
  SECTION("garbage before a message") {
    auto events = read_all("hello there\r\n" + frame_message(kInitialize));
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == FramedEvent::Kind::BadHeader);
    CHECK(events[0].problem == "expected a header line such as 'Content-Length: 42', got 'hello there'");
    CHECK(events[1].body == kInitialize);
  }
  SECTION("a JSON body sent without a header, then a proper message right after it") {
    auto events = read_all(kShutdown + frame_message(kInitialize));
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == FramedEvent::Kind::BadHeader);
    CHECK(events[1].body == kInitialize);
  }
  SECTION("a length that is not a number") {
    auto events = read_all("Content-Length: 12x\r\n\r\n" + kShutdown + frame_message(kInitialize));
    REQUIRE(events.size() == 2);
    CHECK(events[0].problem == "Content-Length is not a number: '12x'");
    CHECK(events[1].body == kInitialize);
  }
  SECTION("a negative length") {
    auto events = read_all("Content-Length: -5\r\n\r\n" + frame_message(kInitialize));
    REQUIRE(events.size() == 2);
    CHECK(events[0].problem == "Content-Length is not a number: '-5'");
    CHECK(events[1].body == kInitialize);
  }
  SECTION("a header block without Content-Length") {
    auto events = read_all("Content-Type: application/json\r\n\r\n" + kShutdown + frame_message(kInitialize));
    REQUIRE(events.size() == 2);
    CHECK(events[0].problem == "a header block without Content-Length");
    CHECK(events[1].body == kInitialize);
  }
  SECTION("two lengths") {
    auto events = read_all("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}" + frame_message(kInitialize));
    REQUIRE(events.size() == 2);
    CHECK(events[0].problem == "two Content-Length headers in one message");
    CHECK(events[1].body == kInitialize);
  }
  SECTION("binary noise") {
    std::string noise;
    for (int i = 0; i < 3000; ++i) noise += static_cast<char>((i * 37) % 256);
    auto events = read_all(noise + frame_message(kInitialize));
    REQUIRE_FALSE(events.empty());
    CHECK(events.front().kind == FramedEvent::Kind::BadHeader);
    CHECK(events.back().body == kInitialize);
    for (size_t i = 0; i + 1 < events.size(); ++i) CHECK(events[i].kind == FramedEvent::Kind::BadHeader);
  }
}

TEST_CASE("lsp: garbage without line breaks is not buffered without bound", "[lsp]") {
  MessageReader reader;
  std::string letters(MessageReader::kMaxHeaderBytes / 4, 'A');
  for (int i = 0; i < 40; ++i) reader.feed(letters);  // header-name characters, never a colon
  auto events = drain(reader);
  REQUIRE(events.size() == 1);
  CHECK(events[0].problem == "a header block longer than 8192 bytes");
  CHECK(reader.buffered_bytes() <= MessageReader::kMaxHeaderBytes);
  reader.feed(frame_message(kInitialize));
  events = drain(reader);
  REQUIRE(events.size() == 1);
  CHECK(events[0].body == kInitialize);
}

TEST_CASE("lsp: a message over the size limit is skipped as it streams, not buffered", "[lsp]") {
  const size_t limit = 4096;
  std::string big_body = R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"text":")" + std::string(100000, 'x') + "\"}}";
  std::string stream = frame_message(big_body) + frame_message(kShutdown);
  MessageReader reader(limit);
  std::vector<FramedEvent> events;
  size_t most_buffered = 0;
  for (size_t at = 0; at < stream.size(); at += 1000) {
    reader.feed(std::string_view(stream).substr(at, 1000));
    most_buffered = std::max(most_buffered, reader.buffered_bytes());
    for (FramedEvent& event : drain(reader)) events.push_back(event);
  }
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == FramedEvent::Kind::TooLarge);
  CHECK(events[0].problem == "a message of " + std::to_string(big_body.size()) +
                                 " bytes exceeds the limit of 4096 bytes; it was skipped");
  CHECK(events[1].body == kShutdown);
  CHECK(most_buffered < 2000);
}
