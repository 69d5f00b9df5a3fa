#include "analyzer/engine/severity.h"

namespace shiftlint {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::Error;
  if (text == "warning") return Severity::Warning;
  if (text == "note" || text == "info") return Severity::Note;
  return std::nullopt;
}

}  // namespace shiftlint
