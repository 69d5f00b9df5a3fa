#pragma once
// Inline suppressions: `# shiftlint-ignore: ECS001,DKR002 -- reason` on the line before a finding
// (or at the end of its line), and `# shiftlint-ignore-file: ECS001` anywhere in the file.
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/source/source_file.h"

namespace shiftlint {

struct InlineSuppression {
  Span span;               // the directive in the comment
  uint32_t target_line = 0;  // the line whose findings it silences (0 for file-level)
  uint32_t target_end_line = 0;  // the last line it silences: a whole Dockerfile instruction
  bool file_level = false;
  std::vector<std::string> rules;  // as resolved: rule ids, or the token as written when unknown
  std::vector<bool> used;          // parallel to `rules`
  std::string reason;
};

// Finds the directives in comments. `comment_markers` are the line-comment starts of the format
// ("#" for YAML, Dockerfiles, shell; "#" and "//" for HCL); JSON has none and gets nothing.
// `end_of_line_comments` false (Dockerfiles): only directives on a line of their own count; a `#`
// after content is not a comment there.
// `statements` (sorted by first line): multi-line constructs such as a Dockerfile RUN with its
// continuation lines; a directive on the line before one covers all of its lines.
struct LineRange {
  uint32_t first = 0;
  uint32_t last = 0;
};
// Whether `text` holds the directive anywhere (`shiftlint-ignore`, the file-level form included):
// a text without it holds no suppression of any kind.
bool mentions_directive(std::string_view text);

std::vector<InlineSuppression> scan_suppressions(const SourceFile& file,
                                                 const std::vector<std::string>& comment_markers,
                                                 bool end_of_line_comments = true,
                                                 const std::vector<LineRange>& statements = {});

// Removes the findings that a suppression covers, marking those suppressions used.
void apply_suppressions(std::vector<Finding>& findings, std::vector<InlineSuppression>& suppressions);

}  // namespace shiftlint
