#include "analyzer/report/json_writer.h"

#include <charconv>
#include <cstring>

namespace shiftlint {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// How many continuation bytes a well-formed sequence starting with `lead` has, and the range its
// first continuation byte must fall in (Unicode's table of well-formed UTF-8: no overlong forms,
// no surrogates, nothing above U+10FFFF). -1 for a byte that cannot start a sequence.
struct Lead {
  int continuation_bytes;
  unsigned char first_low, first_high;
};

Lead lead_of(unsigned char byte) {
  if (byte >= 0xC2 && byte <= 0xDF) return {1, 0x80, 0xBF};
  if (byte == 0xE0) return {2, 0xA0, 0xBF};
  if ((byte >= 0xE1 && byte <= 0xEC) || byte == 0xEE || byte == 0xEF) return {2, 0x80, 0xBF};
  if (byte == 0xED) return {2, 0x80, 0x9F};
  if (byte == 0xF0) return {3, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {3, 0x80, 0xBF};
  if (byte == 0xF4) return {3, 0x80, 0x8F};
  return {-1, 0, 0};
}

bool plain(unsigned char byte) { return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\'; }

// Whether all eight bytes of `word` are plain, tested at once (messages are long runs of plain
// ASCII). Each test is exact as a yes/no: a byte below 0x20, one with the high bit set, a quote or
// a backslash makes it false.
bool all_plain(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  auto has_zero_byte = [&](uint64_t x) { return ((x - kOnes) & ~x & kHighBits) != 0; };
  bool has_control = ((word - kOnes * 0x20) & ~word & kHighBits) != 0;  // a byte < 0x20
  return (word & kHighBits) == 0 && !has_control && !has_zero_byte(word ^ (kOnes * '"')) &&
         !has_zero_byte(word ^ (kOnes * '\\'));
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t index = 0;
  while (index < text.size()) {
    size_t run = index;
    for (uint64_t word; run + 8 <= text.size(); run += 8) {
      std::memcpy(&word, text.data() + run, 8);
      if (!all_plain(word)) break;
    }
    while (run < text.size() && plain(static_cast<unsigned char>(text[run]))) ++run;
    out.append(text.data() + index, run - index);
    index = run;
    if (index == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte < 0x80) {
      switch (byte) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\f': out += "\\f"; break;
        case '\r': out += "\\r"; break;
        default:
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
      }
      ++index;
      continue;
    }
    // A multi-byte sequence: copied when well-formed. Otherwise its valid prefix becomes one
    // U+FFFD and the byte that broke it starts over (a lone bad lead byte is consumed).
    Lead lead = lead_of(byte);
    if (lead.continuation_bytes < 0) {
      out += kReplacement;
      ++index;
      continue;
    }
    size_t end = index + 1;
    bool well_formed = true;
    for (int i = 0; i < lead.continuation_bytes; ++i, ++end) {
      if (end == text.size()) {
        well_formed = false;
        break;
      }
      const auto next = static_cast<unsigned char>(text[end]);
      const unsigned char low = i == 0 ? lead.first_low : 0x80, high = i == 0 ? lead.first_high : 0xBF;
      if (next < low || next > high) {
        well_formed = false;
        break;
      }
    }
    if (well_formed) {
      out.append(text.data() + index, end - index);
    } else {
      out += kReplacement;
    }
    index = end;
  }
  out += '"';
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

void JsonWriter::number(uint64_t value) {
  element();
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, value);
  out_.append(digits, result.ptr);
}

void JsonWriter::open(char bracket) {
  element();
  out_ += bracket;
  has_value_.push_back(false);
}

void JsonWriter::close(char bracket) {
  bool had_value = has_value_.back();
  has_value_.pop_back();
  if (had_value) {
    out_ += '\n';
    out_.append(2 * (depth_ + has_value_.size()), ' ');
  }
  out_ += bracket;
}

void JsonWriter::element() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_value_.empty()) separate();
}

void JsonWriter::separate() {
  out_ += has_value_.back() ? ",\n" : "\n";
  has_value_.back() = true;
  out_.append(2 * (depth_ + has_value_.size()), ' ');
}

}  // namespace shiftlint
