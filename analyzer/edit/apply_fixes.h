#pragma once
// Applies the fixes findings declare to the text of one file, the way `shiftlint check --fix` and
// the tests do: whole fixes only, never two edits that touch the same text.
#include <string>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::edit {

struct AppliedFixes {
  std::string text;         // the new text (without the byte order mark the file may have had)
  size_t applied = 0;       // fixes applied (a fix identical to one applied counts as applied)
  size_t deferred = 0;      // fixes that overlap one applied: re-lint and try again
  size_t invalid = 0;       // fixes with edits outside the text or overlapping each other
};

// Fixes in order: a fix is taken whole when none of its edits overlaps an edit already taken (an
// insertion at the same place counts as overlapping: the order would be a guess), else deferred.
// Identical edits from several findings (one Terraform object reported for every `count`
// instance) are applied once.
AppliedFixes apply_fixes(const SourceFile& file, const std::vector<const Fix*>& fixes);

}  // namespace shiftlint::edit
