#include "analyzer/engine/finding_stream.h"

#include <queue>
#include <utility>

#include "analyzer/engine/check_run.h"

namespace shiftlint {

FindingStream::FindingStream(std::shared_ptr<const FindingSpill> spill, std::vector<Finding> phases,
                             std::vector<FileFindings> files, std::function<bool(const Finding&)> keep_file_finding,
                             std::function<std::string(std::string_view)> fingerprint_path)
    : spill_(std::move(spill)), phases_(std::move(phases)), files_(std::move(files)),
      keep_file_finding_(std::move(keep_file_finding)), fingerprint_path_(std::move(fingerprint_path)) {
  at_most_ = phases_.size();
  for (const FileFindings& file : files_) at_most_ += file.spilled ? file.spilled->count : file.findings.size();
}

namespace {

// A source of the merge whose findings are being read: the phases' (index 0) or a file's.
struct OpenSource {
  Finding current;
  FindingSpill::Cursor cursor;  // a spilled file's
  const std::vector<Finding>* in_memory = nullptr;  // the phases', or a file's that was not spilled
  size_t next_in_memory = 0;

  // Reads the next finding into `current`; false at the end (or when the rest cannot be read).
  bool advance() {
    if (in_memory) {
      if (next_in_memory == in_memory->size()) return false;
      current = (*in_memory)[next_in_memory++];  // a copy: the stream may be read again
      return true;
    }
    return cursor.next(current);
  }
};

// An entry of the merge's heap: a source not opened yet stands at the place of its first finding.
struct Entry {
  size_t source;  // 0: the phases; 1 + i: files_[i]
  OpenSource* open;
};

}  // namespace

size_t FindingStream::for_each(const std::function<void(Finding&)>& visit) const {
  std::vector<std::unique_ptr<OpenSource>> open(files_.size() + 1);
  auto path_of = [&](const Entry& entry) -> const std::string& {
    return entry.open ? entry.open->current.location.path : files_[entry.source - 1].first_path;
  };
  auto position_of = [&](const Entry& entry) -> Position {
    return entry.open ? entry.open->current.location.span.begin : files_[entry.source - 1].first_position;
  };
  // Whether `a` comes out before `b`: finding_order, then the source's order (phases first, files
  // in discovery order), which a stable sort of them all would have kept. A source not opened yet
  // goes before an open one at the same place, so that it is opened before anything there is out.
  auto before = [&](const Entry& a, const Entry& b) {
    if (int order = path_of(a).compare(path_of(b))) return order < 0;
    Position place_a = position_of(a), place_b = position_of(b);
    if (place_a != place_b) return place_a < place_b;
    if ((a.open == nullptr) != (b.open == nullptr)) return a.open == nullptr;
    if (a.open) {
      const Finding& first = a.open->current;
      const Finding& second = b.open->current;
      if (int order = first.rule_id.compare(second.rule_id)) return order < 0;
      if (int order = first.message.compare(second.message)) return order < 0;
    }
    return a.source < b.source;
  };
  auto after = [&](const Entry& a, const Entry& b) { return before(b, a); };
  std::priority_queue<Entry, std::vector<Entry>, decltype(after)> heap(after);

  size_t unreadable = 0;
  if (!phases_.empty()) {
    open[0] = std::make_unique<OpenSource>();
    open[0]->in_memory = &phases_;
    if (open[0]->advance()) heap.push({0, open[0].get()});
  }
  for (size_t index = 0; index < files_.size(); ++index) {
    const FileFindings& file = files_[index];
    if (file.spilled ? file.spilled->count > 0 : !file.findings.empty()) heap.push({index + 1, nullptr});
  }

  Finding finding;
  // The last finding out, for one finding per place: rule, path, span and message.
  bool any_out = false;
  std::string last_rule, last_path, last_message;
  Span last_span;
  FingerprintCounter fingerprints(fingerprint_path_);
  while (!heap.empty()) {
    Entry entry = heap.top();
    heap.pop();
    if (!entry.open) {  // the merge got to this file's first finding: read its findings
      const FileFindings& file = files_[entry.source - 1];
      auto source = std::make_unique<OpenSource>();
      if (file.spilled) {
        if (!source->cursor.open(*spill_, *file.spilled)) {
          ++unreadable;
          continue;
        }
      } else {
        source->in_memory = &file.findings;
      }
      if (!source->advance()) {
        if (source->cursor.failed()) ++unreadable;
        continue;
      }
      entry.open = source.get();
      open[entry.source] = std::move(source);
      heap.push(entry);
      continue;
    }
    finding = std::move(entry.open->current);
    if (entry.open->advance()) {
      heap.push(entry);
    } else {
      if (entry.open->cursor.failed()) ++unreadable;
      open[entry.source].reset();
    }
    if (entry.source > 0 && files_[entry.source - 1].filtered && !keep_file_finding_(finding)) continue;
    // --- one finding per place: Dockerfiles that share a build context (Dockerfile, Dockerfile.dev)
    // report the same line of the entrypoint script they both copy; keep the first ---
    bool same_path = any_out && finding.location.path == last_path;
    if (same_path && finding.rule_id == last_rule && finding.location.span == last_span &&
        finding.message == last_message)
      continue;
    // --- end one finding per place ---
    if (!same_path) fingerprints.forget();  // the hash holds the path: no later finding shares it
    any_out = true;
    last_rule = finding.rule_id;
    last_path = finding.location.path;
    last_message = finding.message;
    last_span = finding.location.span;
    fingerprints.assign(finding);
    visit(finding);
  }
  return unreadable;
}

}  // namespace shiftlint
