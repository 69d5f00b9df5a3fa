#pragma once
// Bytes set aside on disk while a check run goes on, and the compact encoding they are written in.
// The file is anonymous (std::tmpfile: removed when closed, even on a crash). When it cannot be
// made or written (a read-only /tmp, a full disk), `append` says so and the caller keeps its data
// in memory.
//
// The first kMemoryBytes appended stay in memory and the file is only made when they are used up:
// most runs (a pre-commit hook, a few hundred Dockerfiles) set aside less than that, and the
// system calls of a write and a read per file were a visible part of their time. The buffer is a
// constant, so memory is still bounded by it, not by the repository.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/engine/finding.h"

namespace shiftlint {

class SpillFile {
 public:
  static constexpr size_t kMemoryBytes = 512 * 1024;

  SpillFile();
  explicit SpillFile(size_t memory_bytes);

  struct Extent {
    uint64_t offset = 0;
    uint64_t size = 0;
  };
  // Appends `bytes` (any thread); nullopt when the file is missing or the write fails.
  std::optional<Extent> append(std::string_view bytes);
  // Reads back what `append` wrote at `extent` (any thread); false on an I/O error.
  bool read(const Extent& extent, std::string& bytes) const;
  // Whether the file on disk was made (the memory part ran out).
  bool on_disk() const;

 private:
  bool write_to_file(std::string_view bytes);  // with mutex_ held

  // Offsets [0, memory_size_) are in memory_ (allocated when first needed, never moved, so reads
  // need no lock: an extent is read only after the append that returned it); the rest are in
  // file_ at offset - memory_size_.
  size_t memory_size_;
  std::unique_ptr<char[]> memory_;
  std::unique_ptr<FILE, int (*)(FILE*)> file_;
  bool file_failed_ = false;
  mutable std::mutex mutex_;
  uint64_t end_ = 0;
};

// Numbers as LEB128 (most numbers are lines and lengths: one or two bytes), texts with their length.
class SpillEncoder {
 public:
  explicit SpillEncoder(std::string& out) : out_(out) {}
  void number(uint64_t value) {
    do {
      uint8_t byte = value & 0x7f;
      value >>= 7;
      out_ += static_cast<char>(byte | (value ? 0x80 : 0));
    } while (value);
  }
  void text(std::string_view value) {
    number(value.size());
    out_.append(value);
  }
  void span(const Span& span) {
    for (uint32_t part : {span.begin.line, span.begin.column, span.end.line, span.end.column}) number(part);
  }
  void location(const Location& location) {
    text(location.path);
    span(location.span);
    text(location.begin_line_text);
    // One-line spans carry the same text twice: said once.
    bool same = location.end_line_text == location.begin_line_text;
    number(same ? 1 : 0);
    if (!same) text(location.end_line_text);
  }

 private:
  std::string& out_;
};

// Reads what SpillEncoder wrote; a read past the end or a malformed number sets failed().
class SpillDecoder {
 public:
  explicit SpillDecoder(std::string_view in, size_t at = 0) : in_(in), at_(at) {}
  bool failed() const { return failed_; }
  size_t at() const { return at_; }
  bool done() const { return at_ == in_.size(); }
  uint64_t number() {
    uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at_ >= in_.size()) break;
      uint8_t byte = static_cast<uint8_t>(in_[at_++]);
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    failed_ = true;
    return 0;
  }
  uint32_t small() { return static_cast<uint32_t>(number()); }
  // A count of things still to read, each taking at least one byte: bounded by what is left.
  size_t count() {
    uint64_t value = number();
    if (value > in_.size() - at_) {
      failed_ = true;
      return 0;
    }
    return static_cast<size_t>(value);
  }
  std::string text() { return std::string(view()); }
  // A text as a view into the bytes, for what is only looked at.
  std::string_view view() {
    uint64_t size = number();
    if (failed_ || size > in_.size() - at_) {
      failed_ = true;
      return {};
    }
    std::string_view value = in_.substr(at_, size);
    at_ += size;
    return value;
  }
  Span span() {
    Span span;
    span.begin.line = small();
    span.begin.column = small();
    span.end.line = small();
    span.end.column = small();
    return span;
  }
  Location location() {
    Location location;
    location.path = text();
    location.span = span();
    location.begin_line_text = text();
    location.end_line_text = number() == 1 ? location.begin_line_text : text();
    return location;
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
  bool failed_ = false;
};

}  // namespace shiftlint
