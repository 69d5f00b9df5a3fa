// `shiftlint lsp` as an editor starts it: the real binary, framed messages on stdin and stdout.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/lsp/json_rpc.h"
#include "analyzer/lsp/uri.h"
#include "tests/cli/process.h"

using Json = nlohmann::json;
using shiftlint::lsp::frame_message;
using shiftlint::lsp::FramedEvent;
using shiftlint::lsp::MessageReader;
using shiftlint::testing::run_shiftlint_with_input;
using shiftlint::testing::TemporaryFolder;

namespace {

std::string framed(const Json& message) { return frame_message(message.dump()); }

// Every byte of stdout must be a framed JSON-RPC message.
std::vector<Json> parse_output(const std::string& out) {
  MessageReader reader;
  reader.feed(out);
  std::vector<Json> messages;
  FramedEvent event;
  while (reader.next(event)) {
    REQUIRE(event.kind == FramedEvent::Kind::Message);
    messages.push_back(Json::parse(event.body));
    CHECK(messages.back()["jsonrpc"] == "2.0");
  }
  CHECK(reader.buffered_bytes() == 0);
  return messages;
}

const Json* find(const std::vector<Json>& messages, const std::string& method) {
  for (const Json& message : messages)
    if (message.value("method", "") == method) return &message;
  return nullptr;
}

const Json* response(const std::vector<Json>& messages, const Json& id) {
  for (const Json& message : messages)
    if (message.contains("id") && message["id"] == id && !message.contains("method")) return &message;
  return nullptr;
}

const std::string kTask = R"({
  "family": "api",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {"name": "api", "image": "nginx:1.27.0", "essential": true, "stopTimeout": 300,
     "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]}
  ]
}
)";

}  // namespace

TEST_CASE("lsp: the real binary does the handshake, publishes diagnostics and exits 0", "[lsp][cli]") {
  TemporaryFolder folder;
  std::string uri = shiftlint::lsp::file_uri_from_path(folder.path() + "/task.json");
  std::string input =
      framed({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
              {"params", {{"processId", nullptr}, {"rootUri", shiftlint::lsp::file_uri_from_path(folder.path())},
                          {"capabilities", Json::object()}}}}) +
      framed({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", Json::object()}}) +
      framed({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
              {"params", {{"textDocument", {{"uri", uri}, {"languageId", "json"}, {"version", 1}, {"text", kTask}}}}}}) +
      "this line is not a header\r\n" +
      framed({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}}) +
      framed({{"jsonrpc", "2.0"}, {"method", "exit"}});
  auto result = run_shiftlint_with_input({"lsp", "--stdio"}, input, folder.path());
  CHECK(result.exit_code == 0);
  std::vector<Json> messages = parse_output(result.out);

  const Json* initialized = response(messages, 1);
  REQUIRE(initialized);
  CHECK(initialized->at("result").at("capabilities").at("textDocumentSync").at("change") == 1);
  const Json* published = find(messages, "textDocument/publishDiagnostics");
  REQUIRE(published);
  CHECK(published->at("params").at("uri") == uri);
  REQUIRE(published->at("params").at("diagnostics").size() == 1);
  const Json& diagnostic = published->at("params").at("diagnostics")[0];
  CHECK(diagnostic["code"] == "ECS003");
  CHECK(diagnostic["range"] == Json{{"start", {{"line", 7}, {"character", 79}}}, {"end", {{"line", 7}, {"character", 82}}}});
  // The garbage line got an error with a null id, and the session went on.
  bool garbage_reported = false;
  for (const Json& message : messages)
    garbage_reported = garbage_reported || (message.contains("error") && message["id"].is_null() &&
                                            message["error"]["code"] == -32700);
  CHECK(garbage_reported);
  const Json* shutdown = response(messages, 2);
  REQUIRE(shutdown);
  CHECK(shutdown->at("result").is_null());
  CHECK(result.err.find("expected a header line") != std::string::npos);  // logs go to stderr
}

TEST_CASE("lsp: the binary exits 1 without shutdown, and on end of input", "[lsp][cli]") {
  std::string initialize = framed({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
                                   {"params", {{"capabilities", Json::object()}}}});
  auto abrupt = run_shiftlint_with_input({"lsp"}, initialize + framed({{"jsonrpc", "2.0"}, {"method", "exit"}}));
  CHECK(abrupt.exit_code == 1);
  CHECK(parse_output(abrupt.out).size() == 1);

  auto closed = run_shiftlint_with_input({"lsp", "--stdio"}, initialize);
  CHECK(closed.exit_code == 1);

  auto noise = run_shiftlint_with_input({"lsp", "--stdio"}, std::string(200000, '\0') + "Content-Length: 99999999999\r\n\r\n");
  CHECK(noise.exit_code == 1);
  parse_output(noise.out);  // only protocol messages on stdout, whatever came in

  auto usage = run_shiftlint_with_input({"lsp", "--tcp"}, "");
  CHECK(usage.exit_code == 2);
  CHECK(usage.err == "shiftlint: unknown argument '--tcp' for lsp (the server speaks over stdin/stdout)\n");
}
