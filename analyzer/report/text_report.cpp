// The text report reads like a compiler's: `path:line:col: severity: message [ID slug]`, a code
// frame with a caret under the span, related locations as notes, and a one-line summary.
#include <fmt/format.h>

#include <algorithm>

#include "analyzer/report/columns.h"
#include "analyzer/report/report.h"
#include "analyzer/report/summary.h"
#include "analyzer/report/writers.h"

namespace shiftlint {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr uint32_t kTabStop = 4;
// Frames longer than this many terminal cells are cut around the caret.
constexpr uint32_t kMaxFrameWidth = 120;
// How many cells of the line to keep before the caret when a frame is cut.
constexpr uint32_t kContextBeforeCaret = 40;

std::string_view severity_color(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\x1b[1;31m";
    case Severity::Warning: return "\x1b[1;33m";
    case Severity::Note: return "\x1b[1;36m";
  }
  return kBold;
}

std::string paint(std::string_view text, std::string_view code, bool color) {
  if (!color || text.empty()) return std::string(text);
  return fmt::format("{}{}{}", code, text, kReset);
}

// Characters that must not reach a terminal as they are: control characters (an ESC from a
// hostile file would be interpreted) and bidirectional overrides (they reorder what is shown).
bool unsafe_for_terminal(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

// Terminal cells taken by a printable character: 0 for combining marks and zero-width
// characters, 2 for East Asian wide characters and emoji, 1 otherwise.
uint32_t cell_width(char32_t c) {
  if (in(c, 0x0300, 0x036F) || in(c, 0x0483, 0x0489) || in(c, 0x0591, 0x05BD) ||
      in(c, 0x1AB0, 0x1AFF) || in(c, 0x1DC0, 0x1DFF) || in(c, 0x200B, 0x200D) ||
      in(c, 0x2060, 0x2064) || in(c, 0x20D0, 0x20FF) || in(c, 0xFE00, 0xFE0F) ||
      in(c, 0xFE20, 0xFE2F) || c == 0xFEFF || in(c, 0xE0100, 0xE01EF))
    return 0;
  if (in(c, 0x1100, 0x115F) || in(c, 0x2E80, 0x303E) || in(c, 0x3041, 0x33FF) ||
      in(c, 0x3400, 0x4DBF) || in(c, 0x4E00, 0x9FFF) || in(c, 0xA000, 0xA4CF) ||
      in(c, 0xAC00, 0xD7A3) || in(c, 0xF900, 0xFAFF) || in(c, 0xFE30, 0xFE4F) ||
      in(c, 0xFF00, 0xFF60) || in(c, 0xFFE0, 0xFFE6) || in(c, 0x1F300, 0x1F64F) ||
      in(c, 0x1F680, 0x1F6FF) || in(c, 0x1F900, 0x1F9FF) || in(c, 0x20000, 0x3FFFD))
    return 2;
  return 1;
}

// A message on one line, safe for a terminal: line breaks become spaces, other control
// characters and invalid UTF-8 become U+FFFD.
std::string printable_message(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (size_t offset = 0; offset < message.size();) {
    const Utf8Sequence sequence = decode_utf8(message, offset);
    if (!sequence.valid) {
      out += kReplacement;
    } else if (sequence.code_point == '\n' || sequence.code_point == '\r' ||
               sequence.code_point == '\t') {
      out += ' ';
    } else if (unsafe_for_terminal(sequence.code_point)) {
      out += kReplacement;
    } else {
      out.append(message.substr(offset, sequence.length));
    }
    offset += sequence.length;
  }
  return out;
}

// A source line laid out in terminal cells: tabs expanded to the next multiple of kTabStop,
// unprintable characters replaced, and each byte mapped to the cell where its character starts.
struct FrameLine {
  struct Cell {
    std::string text;
    uint32_t width = 1;
  };
  std::vector<Cell> cells;
  std::vector<uint32_t> column_of_byte;  // size: bytes + 1; the last entry is the total width
  std::vector<bool> starts_character;    // size: bytes + 1
  uint32_t width = 0;

  explicit FrameLine(std::string_view text) {
    column_of_byte.assign(text.size() + 1, 0);
    starts_character.assign(text.size() + 1, false);
    for (size_t offset = 0; offset < text.size();) {
      const Utf8Sequence sequence = decode_utf8(text, offset);
      for (uint32_t i = 0; i < sequence.length; ++i) column_of_byte[offset + i] = width;
      starts_character[offset] = true;
      if (sequence.valid && sequence.code_point == '\t') {
        const uint32_t spaces = kTabStop - width % kTabStop;
        for (uint32_t i = 0; i < spaces; ++i) cells.push_back({" ", 1});
        width += spaces;
      } else if (!sequence.valid || unsafe_for_terminal(sequence.code_point)) {
        cells.push_back({std::string(kReplacement), 1});
        width += 1;
      } else {
        const uint32_t cells_taken = cell_width(sequence.code_point);
        cells.push_back({std::string(text.substr(offset, sequence.length)), cells_taken});
        width += cells_taken;
      }
      offset += sequence.length;
    }
    column_of_byte.back() = width;
    starts_character.back() = true;
  }

  // The 0-based cell column of a 1-based byte column. With `round_up`, a column inside a
  // character moves to the character's end (for the exclusive end of a span).
  uint32_t column(uint32_t byte_column, bool round_up) const {
    size_t offset = byte_column > 0 ? byte_column - 1 : 0;
    const size_t size = column_of_byte.size() - 1;
    if (offset > size) return width + static_cast<uint32_t>(offset - size);
    if (round_up)
      while (!starts_character[offset]) ++offset;
    return column_of_byte[offset];
  }
};

// The gutter, the source line and the caret line under the span. A multi-line span is underlined
// to the end of its first line.
void append_code_frame(std::string& out, const Location& location, Severity severity,
                       const TextStyle& style) {
  const Span& span = location.span;
  const FrameLine line(location.begin_line_text);
  // A position past the end of the line (its line break, or a bogus column) sits just after it.
  const uint32_t caret_begin = std::min(line.column(span.begin.column, false), line.width);
  uint32_t caret_end =
      span.end.line == span.begin.line ? line.column(span.end.column, true) : line.width;
  caret_end = std::clamp(caret_end, caret_begin + 1, std::max(line.width, caret_begin + 1));

  // The cells shown: [first, last), with an ellipsis on each side that was cut.
  uint32_t first = 0;
  uint32_t last = line.width;
  if (line.width > kMaxFrameWidth) {
    const uint32_t room = kMaxFrameWidth - 2;
    first = caret_begin > kContextBeforeCaret ? caret_begin - kContextBeforeCaret : 0;
    first = std::min(first, line.width - room);
    last = first + room;
  }
  std::string shown;
  uint32_t shown_from = 0;  // the cell column where `shown` starts, after a cut inside a wide cell
  bool started = false;
  uint32_t column = 0;
  for (const FrameLine::Cell& cell : line.cells) {
    if (column >= first && column + cell.width <= last) {
      if (!started) shown_from = column, started = true;
      shown += cell.text;
    }
    column += cell.width;
  }
  if (!started) shown_from = first;
  const bool cut_before = first > 0;
  const bool cut_after = last < line.width;

  const std::string number = std::to_string(span.begin.line);
  const std::string gutter(number.size(), ' ');
  std::string source_line = fmt::format(" {} |", number);
  if (!shown.empty() || cut_before || cut_after) {
    source_line += ' ';
    if (cut_before) source_line += kEllipsis;
    source_line += shown;
    if (cut_after) source_line += kEllipsis;
  }
  out += source_line;
  out += '\n';

  const uint32_t indent = (cut_before ? 1 : 0) + (caret_begin - std::min(caret_begin, shown_from));
  uint32_t caret_width = caret_end - caret_begin;
  if (cut_after && caret_begin < last) caret_width = std::min(caret_width, last - caret_begin);
  std::string carets = "^" + std::string(caret_width - 1, '~');
  out += fmt::format(" {} | {}{}\n", gutter, std::string(indent, ' '),
                     paint(carets, severity_color(severity), style.color));
}

std::string position_prefix(const Location& location, const TextStyle& style) {
  if (location.span.empty()) return paint(location.path, kBold, style.color) + ":";
  return fmt::format("{}:{}:{}:", paint(location.path, kBold, style.color),
                     location.span.begin.line, location.span.begin.column);
}

std::string plural(size_t count, std::string_view singular, std::string_view plural_form) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural_form);
}

}  // namespace

std::string summary_lines(const ReportTotals& totals) {
  // A finding's file was analysed even if the caller did not count it (e.g. an unreadable file).
  const size_t files = std::max(totals.files_analyzed, totals.files_with_findings);
  std::string out;
  if (totals.findings == 0) {
    out = fmt::format("No problems found in {}.\n", plural(files, "file", "files"));
  } else {
    out = fmt::format("Found {} ({}, {}, {}) in {}.\n",
                      plural(totals.findings, "problem", "problems"),
                      plural(totals.errors, "error", "errors"), plural(totals.warnings, "warning", "warnings"),
                      plural(totals.notes, "note", "notes"), plural(files, "file", "files"));
  }
  if (totals.stale_baseline_entries == 1) {
    out +=
        "1 baseline entry no longer matches (fixed or moved): update the baseline with "
        "--write-baseline.\n";
  } else if (totals.stale_baseline_entries > 1) {
    out += fmt::format(
        "{} baseline entries no longer match (fixed or moved): update the baseline with "
        "--write-baseline.\n",
        totals.stale_baseline_entries);
  }
  return out;
}

namespace {

class TextWriter final : public ReportWriter {
 public:
  explicit TextWriter(const TextStyle& style) : style_(style) {}

  void begin(size_t) override {}

  void add(std::span<const Finding> findings) override {
    std::string& out = out_;
    for (const Finding& finding : findings) {
      if (written_++ > 0 && style_.code_frames) out += '\n';

      const Rule* rule = find_rule(finding.rule_id);
      const std::string rule_label = rule ? fmt::format("[{} {}]", finding.rule_id, rule->slug)
                                          : fmt::format("[{}]", finding.rule_id);
      out += fmt::format("{} {} {} {}\n", position_prefix(finding.location, style_),
                         paint(fmt::format("{}:", to_string(finding.severity)),
                               severity_color(finding.severity), style_.color),
                         printable_message(finding.message), paint(rule_label, kDim, style_.color));
      if (style_.code_frames && !finding.location.span.empty())
        append_code_frame(out, finding.location, finding.severity, style_);
      for (const RelatedLocation& related : finding.related) {
        out += fmt::format("  {} {} {}\n", position_prefix(related.location, style_),
                           paint("note:", severity_color(Severity::Note), style_.color),
                           printable_message(related.message));
      }
      if (finding.fix && !finding.fix->description.empty())
        out += fmt::format("  {} {}\n", paint("help:", kBold, style_.color),
                           printable_message(finding.fix->description));
    }
  }

  void end(const ReportTotals& totals) override {
    if (written_ > 0) out_ += '\n';
    out_ += summary_lines(totals);
  }

 private:
  TextStyle style_;
  size_t written_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> make_text_writer(const TextStyle& style) { return std::make_unique<TextWriter>(style); }

std::string render_text(const RunSummary& run, const TextStyle& style) {
  TextWriter writer(style);
  return render_whole(writer, run);
}

}  // namespace shiftlint
