#include "analyzer/engine/finding_spill.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shiftlint {

namespace {

class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}
  void number(uint64_t value) {  // LEB128: most numbers here are lines and lengths, one or two bytes
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

class Decoder {
 public:
  explicit Decoder(std::string_view in, size_t at = 0) : in_(in), at_(at) {}
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
  std::string text() {
    uint64_t size = number();
    if (failed_ || size > in_.size() - at_) {
      failed_ = true;
      return {};
    }
    std::string value(in_.substr(at_, size));
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

}  // namespace

std::string FindingSpill::encode(const std::vector<Finding>& findings) {
  std::string bytes;
  Encoder out(bytes);
  out.number(findings.size());
  for (const Finding& finding : findings) {
    out.text(finding.rule_id);
    out.number(static_cast<uint64_t>(finding.severity));
    out.text(finding.message);
    out.location(finding.location);
    out.number(finding.related.size());
    for (const RelatedLocation& related : finding.related) {
      out.location(related.location);
      out.text(related.message);
    }
    out.number(finding.fix ? 1 : 0);
    if (finding.fix) {
      out.text(finding.fix->description);
      out.number(finding.fix->edits.size());
      for (const TextEdit& edit : finding.fix->edits) {
        out.span(edit.span);
        out.text(edit.replacement);
      }
    }
    out.text(finding.fingerprint);
    out.text(finding.fingerprint_detail);
    out.number(finding.sensitive ? 1 : 0);
  }
  return bytes;
}

namespace {

// One finding, as Encoder wrote it.
Finding decode_finding(Decoder& in) {
  Finding finding;
  finding.rule_id = in.text();
  finding.severity = static_cast<Severity>(in.number());
  finding.message = in.text();
  finding.location = in.location();
  uint64_t related = in.number();
  for (uint64_t item = 0; item < related && !in.failed(); ++item) {
    RelatedLocation place;
    place.location = in.location();
    place.message = in.text();
    finding.related.push_back(std::move(place));
  }
  if (in.number() == 1) {
    Fix fix;
    fix.description = in.text();
    uint64_t edits = in.number();
    for (uint64_t item = 0; item < edits && !in.failed(); ++item) {
      TextEdit edit;
      edit.span = in.span();
      edit.replacement = in.text();
      fix.edits.push_back(std::move(edit));
    }
    finding.fix = std::move(fix);
  }
  finding.fingerprint = in.text();
  finding.fingerprint_detail = in.text();
  finding.sensitive = in.number() == 1;
  return finding;
}

}  // namespace

bool FindingSpill::decode(std::string_view bytes, std::vector<Finding>& findings) {
  Decoder in(bytes);
  uint64_t count = in.number();
  if (count <= bytes.size()) findings.reserve(findings.size() + count);  // a finding takes bytes: a bad count stays small
  for (uint64_t index = 0; index < count && !in.failed(); ++index) findings.push_back(decode_finding(in));
  return !in.failed() && in.done();
}

bool FindingSpill::Cursor::open(const FindingSpill& spill, const Record& record) {
  at_ = 0;
  left_ = 0;
  failed_ = !spill.read_bytes(record, bytes_);
  if (failed_) return false;
  Decoder in(bytes_);
  left_ = in.number();
  at_ = in.at();
  failed_ = in.failed();
  return !failed_;
}

bool FindingSpill::Cursor::next(Finding& finding) {
  if (failed_ || left_ == 0) {
    std::string().swap(bytes_);  // done: its room goes back
    return false;
  }
  Decoder in(bytes_, at_);
  finding = decode_finding(in);
  at_ = in.at();
  --left_;
  failed_ = in.failed() || (left_ == 0 && !in.done());
  return !failed_;
}

FindingSpill::FindingSpill() : file_(std::tmpfile(), &std::fclose) {}

std::optional<FindingSpill::Record> FindingSpill::write(std::vector<Finding>& findings) {
  if (!file_) return std::nullopt;
  std::string bytes = encode(findings);
  int descriptor = fileno(file_.get());
  std::lock_guard lock(mutex_);
  Record record{end_, bytes.size(), findings.size()};
  for (size_t written = 0; written < bytes.size();) {
    ssize_t count = pwrite(descriptor, bytes.data() + written, bytes.size() - written, static_cast<off_t>(end_ + written));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return std::nullopt;  // the part written is never read: end_ stays
    written += static_cast<size_t>(count);
  }
  end_ += bytes.size();
  std::vector<Finding>().swap(findings);  // its room too: `findings = {}` would keep the capacity
  return record;
}

bool FindingSpill::read_bytes(const Record& record, std::string& bytes) const {
  if (!file_) return false;
  bytes.assign(record.size, '\0');
  int descriptor = fileno(file_.get());
  for (size_t done = 0; done < bytes.size();) {
    ssize_t count = pread(descriptor, bytes.data() + done, bytes.size() - done, static_cast<off_t>(record.offset + done));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    done += static_cast<size_t>(count);
  }
  return true;
}

bool FindingSpill::read(const Record& record, std::vector<Finding>& findings) const {
  std::string bytes;
  return read_bytes(record, bytes) && decode(bytes, findings);
}

}  // namespace shiftlint
