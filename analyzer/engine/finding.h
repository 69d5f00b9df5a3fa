#pragma once
// A finding is self-contained: it keeps the path and the text of the lines it points at, so that
// reports (code frames, fingerprints, UTF-16 columns) never need the parsed file again.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/severity.h"
#include "analyzer/source/source_file.h"

namespace shiftlint {

struct Location {
  std::string path;  // display path, relative to the scan root, '/'-separated
  Span span;
  std::string begin_line_text;  // the text of span.begin.line
  std::string end_line_text;    // the text of span.end.line (same as begin for one-line spans)
};

Location make_location(const SourceFile& file, Span span);

struct RelatedLocation {
  Location location;
  std::string message;
};

// A text replacement in the finding's own file. Spans use the same positions as locations.
struct TextEdit {
  Span span;
  std::string replacement;
};

struct Fix {
  std::string description;
  std::vector<TextEdit> edits;
};

struct Finding {
  std::string rule_id;  // "ECS001"
  Severity severity = Severity::Warning;
  std::string message;
  Location location;
  std::vector<RelatedLocation> related;
  std::optional<Fix> fix;
  // Stable across line moves: rule + path + normalised text of the flagged line (+ occurrence).
  std::string fingerprint;
  // What tells this finding from others of its rule on the same line (a project rule's item: the
  // variable or package it is about), hashed into the fingerprint; empty for most rules.
  std::string fingerprint_detail;
  // The flagged text is a secret: the engine masks it in the line texts before anything reports
  // them (code frames, SARIF snippets, CI logs), keeping only a short prefix.
  bool sensitive = false;
};

// Masks the flagged part of a sensitive finding's line texts; no-op for other findings.
void redact_sensitive_text(Finding& finding);

// Findings in report order: path, line, column, rule id, message.
bool finding_order(const Finding& a, const Finding& b);

}  // namespace shiftlint
