#pragma once
// Findings set aside in a temporary file while a check run goes on. A run keeps every file's
// findings until the report, and the project phase needs every file's summary at the same time:
// with the findings on disk in between, the peak is the larger of the two, not their sum.
//
// The file is anonymous (std::tmpfile: removed when closed, even on a crash). When it cannot be
// made or written (a read-only /tmp, a full disk), findings simply stay in memory.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/engine/spill_file.h"

namespace shiftlint {

class FindingSpill {
 public:
  // Where one list of findings was written.
  struct Record {
    uint64_t offset = 0;
    uint64_t size = 0;
    size_t count = 0;  // findings
  };

  // Writes `findings` (any thread) and empties it; nullopt, leaving it as it is, when it cannot.
  std::optional<Record> write(std::vector<Finding>& findings);
  // Reads the findings written at `record` into `findings`, as they were; false on an I/O error.
  bool read(const Record& record, std::vector<Finding>& findings) const;

  // A finding's rule and place (FindingSpill::Cursor::skim).
  struct Place {
    std::string_view rule_id;
    std::string_view path;
    Position begin;
  };

  // The findings written at one record, decoded one at a time: only one file's findings are in
  // memory at once, as bytes (engine/finding_stream.h).
  class Cursor {
   public:
    // Reads the record's bytes; false on an I/O error.
    bool open(const FindingSpill& spill, const Record& record);
    // The next finding into `finding`; false at the end or when the bytes do not decode (failed()).
    bool next(Finding& finding);
    bool failed() const { return failed_; }
    // Where the next finding is, without decoding the rest of it: views into the bytes the cursor
    // holds, valid until the next call.
    bool skim(Place& place);

   private:
    std::string bytes_;
    size_t at_ = 0;
    uint64_t left_ = 0;
    bool failed_ = false;
  };

  // Encoding, exposed for tests: what `write` stores and `read` decodes.
  static std::string encode(const std::vector<Finding>& findings);
  static bool decode(std::string_view bytes, std::vector<Finding>& findings);

 private:
  bool read_bytes(const Record& record, std::string& bytes) const;

  SpillFile file_;
};

}  // namespace shiftlint
