#include "analyzer/edit/apply_fixes.h"

#include <algorithm>

namespace shiftlint::edit {

namespace {

struct OffsetEdit {
  size_t begin = 0;
  size_t end = 0;
  const std::string* replacement = nullptr;
  bool same_as(const OffsetEdit& other) const {
    return begin == other.begin && end == other.end && *replacement == *other.replacement;
  }
  bool overlaps(const OffsetEdit& other) const {
    if (begin == other.begin) return true;  // two insertions, or an insertion where a replacement starts
    if (begin == end) return other.begin < begin && begin < other.end;
    if (other.begin == other.end) return begin < other.begin && other.begin < end;
    return std::max(begin, other.begin) < std::min(end, other.end);
  }
};

}  // namespace

AppliedFixes apply_fixes(const SourceFile& file, const std::vector<const Fix*>& fixes) {
  AppliedFixes result;
  std::string_view text = file.text();
  std::vector<OffsetEdit> taken;
  for (const Fix* fix : fixes) {
    if (!fix || fix->edits.empty()) continue;
    std::vector<OffsetEdit> edits;
    bool valid = true;
    for (const TextEdit& edit : fix->edits) {
      if (edit.span.empty() || edit.span.end < edit.span.begin || edit.span.end.line > file.line_count()) {
        valid = false;
        break;
      }
      OffsetEdit offsets{file.offset_of(edit.span.begin), file.offset_of(edit.span.end), &edit.replacement};
      if (offsets.end < offsets.begin || offsets.end > text.size()) {
        valid = false;
        break;
      }
      edits.push_back(offsets);
    }
    for (size_t i = 0; valid && i < edits.size(); ++i)
      for (size_t j = i + 1; j < edits.size(); ++j)
        if (edits[i].overlaps(edits[j])) valid = false;
    if (!valid) {
      ++result.invalid;
      continue;
    }
    bool duplicate = std::all_of(edits.begin(), edits.end(), [&](const OffsetEdit& edit) {
      return std::any_of(taken.begin(), taken.end(), [&](const OffsetEdit& other) { return edit.same_as(other); });
    });
    if (duplicate) {
      ++result.applied;
      continue;
    }
    bool conflict = std::any_of(edits.begin(), edits.end(), [&](const OffsetEdit& edit) {
      return std::any_of(taken.begin(), taken.end(), [&](const OffsetEdit& other) { return edit.overlaps(other); });
    });
    if (conflict) {
      ++result.deferred;
      continue;
    }
    taken.insert(taken.end(), edits.begin(), edits.end());
    ++result.applied;
  }
  std::sort(taken.begin(), taken.end(), [](const OffsetEdit& a, const OffsetEdit& b) { return a.begin < b.begin; });
  result.text.reserve(text.size());
  size_t copied = 0;
  for (const OffsetEdit& edit : taken) {
    result.text.append(text.substr(copied, edit.begin - copied));
    result.text.append(*edit.replacement);
    copied = edit.end;
  }
  result.text.append(text.substr(copied));
  return result;
}

}  // namespace shiftlint::edit
