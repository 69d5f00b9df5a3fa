#include "analyzer/engine/finding_spill.h"

namespace shiftlint {

namespace {

using Encoder = SpillEncoder;
using Decoder = SpillDecoder;

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

// Where a finding is, as views into the bytes; the rest of it is stepped over (decode_finding's order).
void skim_finding(Decoder& in, FindingSpill::Place& place) {
  place.rule_id = in.view();
  in.number();  // severity
  in.view();    // message
  auto skim_location = [&](bool keep) {
    std::string_view path = in.view();
    Span span = in.span();
    in.view();  // the first line's text
    if (in.number() != 1) in.view();  // the last line's, when it differs
    if (keep) {
      place.path = path;
      place.begin = span.begin;
    }
  };
  skim_location(true);
  uint64_t related = in.number();
  for (uint64_t item = 0; item < related && !in.failed(); ++item) {
    skim_location(false);
    in.view();
  }
  if (in.number() == 1) {
    in.view();
    uint64_t edits = in.number();
    for (uint64_t item = 0; item < edits && !in.failed(); ++item) {
      in.span();
      in.view();
    }
  }
  in.view();    // fingerprint
  in.view();    // its detail
  in.number();  // sensitive
}

}  // namespace

bool FindingSpill::Cursor::skim(Place& place) {
  if (failed_ || left_ == 0) return false;
  Decoder in(bytes_, at_);
  skim_finding(in, place);
  at_ = in.at();
  --left_;
  failed_ = in.failed() || (left_ == 0 && !in.done());
  return !failed_;
}

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

std::optional<FindingSpill::Record> FindingSpill::write(std::vector<Finding>& findings) {
  std::optional<SpillFile::Extent> extent = file_.append(encode(findings));
  if (!extent) return std::nullopt;
  Record record{extent->offset, extent->size, findings.size()};
  std::vector<Finding>().swap(findings);  // its room too: `findings = {}` would keep the capacity
  return record;
}

bool FindingSpill::read_bytes(const Record& record, std::string& bytes) const {
  return file_.read(SpillFile::Extent{record.offset, record.size}, bytes);
}

bool FindingSpill::read(const Record& record, std::vector<Finding>& findings) const {
  std::string bytes;
  return read_bytes(record, bytes) && decode(bytes, findings);
}

}  // namespace shiftlint
