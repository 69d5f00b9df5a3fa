#pragma once
// JSON-RPC 2.0 over the Language Server Protocol's base protocol: each message is a header block
// ("Content-Length: N\r\n", optionally "Content-Type: ...\r\n", then "\r\n") followed by N bytes of
// UTF-8 JSON. The reader is a pure byte-stream parser, fed whatever read(2) returned, so it is
// tested without pipes: split reads, several messages in one buffer, garbage between them.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace shiftlint::lsp {

// Error codes from JSON-RPC 2.0 and the LSP specification.
namespace error_code {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestFailed = -32803;
constexpr int kRequestCancelled = -32800;
}  // namespace error_code

// What the reader found in the byte stream: a message body, or a framing problem worth reporting
// (the reader has already skipped the broken part and resynchronised on the next header).
struct FramedEvent {
  enum class Kind { Message, BadHeader, TooLarge };
  Kind kind = Kind::Message;
  std::string body;     // Message: the JSON text (not yet parsed)
  std::string problem;  // BadHeader, TooLarge: what was wrong, for the error reply and the log
};

class MessageReader {
 public:
  // Bodies larger than `max_message_bytes` are skipped as they stream in (never buffered) and
  // reported as TooLarge.
  explicit MessageReader(size_t max_message_bytes = kDefaultMaxMessageBytes)
      : max_message_bytes_(max_message_bytes) {}

  static constexpr size_t kDefaultMaxMessageBytes = size_t{64} << 20;
  // A header block longer than this is garbage, not a header.
  static constexpr size_t kMaxHeaderBytes = 8192;

  void feed(std::string_view bytes);
  // The next complete event, in stream order; false when more bytes are needed.
  bool next(FramedEvent& event);
  // Bytes held for a message not complete yet (for tests and the end-of-input check).
  size_t buffered_bytes() const { return buffer_.size() - consumed_; }

 private:
  enum class State { Header, Body, Skip, Garbage };
  void parse();
  bool parse_header();
  bool skip_garbage();
  void report_garbage(std::string problem, size_t bad_line_offset);
  void compact();

  size_t max_message_bytes_;
  std::string buffer_;
  size_t consumed_ = 0;  // bytes at the front of buffer_ already parsed
  State state_ = State::Header;
  size_t body_length_ = 0;     // Body: the announced Content-Length
  uint64_t skip_remaining_ = 0;  // Skip: bytes of an oversized body still to drop
  bool garbage_may_resume_at_front_ = false;  // Garbage: whether a header may start at consumed_
  std::deque<FramedEvent> events_;
};

// Adds the base protocol header to a JSON text.
std::string frame_message(std::string_view json_text);

// Message builders. `id` is the request's id as received (number or string), or null.
nlohmann::json make_response(const nlohmann::json& id, nlohmann::json result);
nlohmann::json make_error_response(const nlohmann::json& id, int code, std::string_view message);
nlohmann::json make_notification(std::string_view method, nlohmann::json params);
nlohmann::json make_request(const nlohmann::json& id, std::string_view method, nlohmann::json params);
// Serialises a message for the wire: compact, invalid UTF-8 replaced rather than thrown on.
std::string serialize(const nlohmann::json& message);

}  // namespace shiftlint::lsp
