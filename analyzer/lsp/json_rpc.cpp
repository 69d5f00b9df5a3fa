#include "analyzer/lsp/json_rpc.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace shiftlint::lsp {

namespace {

constexpr std::string_view kLengthHeader = "content-length";

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_header_name_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// A printable excerpt of garbage for an error message.
std::string excerpt(std::string_view text) {
  std::string shown;
  for (char c : text.substr(0, 40)) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) shown += c;
    else shown += fmt::format("\\x{:02x}", byte);
  }
  if (text.size() > 40) shown += "...";
  return shown;
}

}  // namespace

void MessageReader::feed(std::string_view bytes) {
  if (state_ == State::Skip) {
    // Drop what belongs to an oversized body before it reaches the buffer.
    size_t dropped = static_cast<size_t>(std::min<uint64_t>(skip_remaining_, bytes.size()));
    skip_remaining_ -= dropped;
    bytes.remove_prefix(dropped);
    if (skip_remaining_ == 0) state_ = State::Header;
  }
  buffer_.append(bytes);
  parse();
  compact();
}

bool MessageReader::next(FramedEvent& event) {
  if (events_.empty()) return false;
  event = std::move(events_.front());
  events_.pop_front();
  return true;
}

void MessageReader::parse() {
  for (;;) {
    std::string_view pending = std::string_view(buffer_).substr(consumed_);
    switch (state_) {
      case State::Header:
        if (!parse_header()) return;
        break;
      case State::Body:
        if (pending.size() < body_length_) return;
        events_.push_back({FramedEvent::Kind::Message, std::string(pending.substr(0, body_length_)), {}});
        consumed_ += body_length_;
        state_ = State::Header;
        break;
      case State::Skip: {
        size_t dropped = static_cast<size_t>(std::min<uint64_t>(skip_remaining_, pending.size()));
        consumed_ += dropped;
        skip_remaining_ -= dropped;
        if (skip_remaining_ > 0) return;
        state_ = State::Header;
        break;
      }
      case State::Garbage:
        if (!skip_garbage()) return;
        break;
    }
  }
}

// Parses one header block if it is complete. Returns false when more bytes are needed.
bool MessageReader::parse_header() {
  std::string_view pending = std::string_view(buffer_).substr(consumed_);
  // Blank lines between messages are harmless; skip them.
  size_t start = 0;
  while (start < pending.size() && (pending[start] == '\r' || pending[start] == '\n')) ++start;
  consumed_ += start;
  pending.remove_prefix(start);
  if (pending.empty()) return false;

  bool has_length = false;
  uint64_t length = 0;
  size_t at = 0;
  for (;;) {
    size_t newline = pending.find('\n', at);
    std::string_view line = pending.substr(at, newline == std::string_view::npos ? std::string_view::npos
                                                                                  : newline - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Check the field name as soon as it is there, so that garbage without newlines (a JSON body
    // sent without a header, binary noise) is recognised at once rather than buffered.
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), is_header_name_character) ||
        (colon == 0 && newline != std::string_view::npos) ||
        (colon == std::string_view::npos && newline != std::string_view::npos && !line.empty())) {
      report_garbage("expected a header line such as 'Content-Length: 42', got '" + excerpt(line) + "'", at);
      return true;
    }
    if (newline == std::string_view::npos) {
      if (pending.size() <= kMaxHeaderBytes) return false;  // wait for the rest of the line
      report_garbage(fmt::format("a header block longer than {} bytes", kMaxHeaderBytes), at);
      return true;
    }
    size_t line_offset = at;
    at = newline + 1;
    if (at > kMaxHeaderBytes) {
      report_garbage(fmt::format("a header block longer than {} bytes", kMaxHeaderBytes), line_offset);
      return true;
    }
    if (line.empty()) break;  // the blank line that ends the block
    if (!equal_ignoring_case(name, kLengthHeader)) continue;  // Content-Type and others: ignored
    std::string_view value = trim(line.substr(colon + 1));
    if (has_length) {
      report_garbage("two Content-Length headers in one message", line_offset);
      return true;
    }
    if (value.empty() || value.size() > 18 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      report_garbage("Content-Length is not a number: '" + excerpt(value) + "'", line_offset);
      return true;
    }
    has_length = true;
    for (char c : value) length = length * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!has_length) {
    // The block is complete and consumed; what follows is a body of unknown length: skip it.
    report_garbage("a header block without Content-Length", at);
    garbage_may_resume_at_front_ = true;
    return true;
  }
  consumed_ += at;
  if (length > max_message_bytes_) {
    events_.push_back({FramedEvent::Kind::TooLarge, {},
                       fmt::format("a message of {} bytes exceeds the limit of {} bytes; it was skipped", length,
                                   max_message_bytes_)});
    state_ = State::Skip;
    skip_remaining_ = length;
    return true;
  }
  state_ = State::Body;
  body_length_ = static_cast<size_t>(length);
  return true;
}

// Reports a framing problem once; the reader then drops bytes up to the next Content-Length
// header. Any body that followed a broken header is dropped with it.
void MessageReader::report_garbage(std::string problem, size_t bad_line_offset) {
  events_.push_back({FramedEvent::Kind::BadHeader, {}, std::move(problem)});
  consumed_ += bad_line_offset;
  state_ = State::Garbage;
  garbage_may_resume_at_front_ = false;  // the broken line itself is not where to resume
}

// Drops garbage up to the next "Content-Length", wherever it is: a body is followed by the next
// header without a line break. Returns false when more bytes are needed.
bool MessageReader::skip_garbage() {
  std::string_view pending = std::string_view(buffer_).substr(consumed_);
  for (size_t at = garbage_may_resume_at_front_ ? 0 : 1; at < pending.size(); ++at) {
    std::string_view candidate = pending.substr(at, kLengthHeader.size());
    if (!equal_ignoring_case(candidate, kLengthHeader.substr(0, candidate.size()))) continue;
    consumed_ += at;
    if (candidate.size() < kLengthHeader.size()) {
      garbage_may_resume_at_front_ = true;  // maybe a header cut by the read: wait for more
      return false;
    }
    state_ = State::Header;
    return true;
  }
  if (!pending.empty()) {
    consumed_ = buffer_.size();
    garbage_may_resume_at_front_ = true;
  }
  return false;
}

void MessageReader::compact() {
  if (consumed_ == 0) return;
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ >= (size_t{1} << 16) || consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
}

std::string frame_message(std::string_view json_text) {
  std::string framed = fmt::format("Content-Length: {}\r\n\r\n", json_text.size());
  framed.append(json_text);
  return framed;
}

nlohmann::json make_response(const nlohmann::json& id, nlohmann::json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

nlohmann::json make_error_response(const nlohmann::json& id, int code, std::string_view message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", std::string(message)}}}};
}

nlohmann::json make_notification(std::string_view method, nlohmann::json params) {
  return {{"jsonrpc", "2.0"}, {"method", std::string(method)}, {"params", std::move(params)}};
}

nlohmann::json make_request(const nlohmann::json& id, std::string_view method, nlohmann::json params) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", std::string(method)}, {"params", std::move(params)}};
}

std::string serialize(const nlohmann::json& message) {
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace shiftlint::lsp
