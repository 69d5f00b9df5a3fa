#include "analyzer/parse/procfile.h"

namespace shiftlint {
namespace {

bool is_name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

}  // namespace

std::vector<ProcfileLine> read_procfile_lines(std::string_view text) {
  std::vector<ProcfileLine> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    size_t next = end + 1;
    while (end > begin && text[end - 1] == '\r') --end;
    size_t first = begin;
    while (first < end && (text[first] == ' ' || text[first] == '\t')) ++first;
    if (first < end && text[first] != '#') {
      ProcfileLine line{.line_begin = begin, .line_end = end, .first = first};
      size_t name_end = first;
      while (name_end < end && is_name_character(text[name_end])) ++name_end;
      if (name_end > first && name_end < end && text[name_end] == ':') {
        size_t command_begin = name_end + 1;
        while (command_begin < end && is_blank(text[command_begin])) ++command_begin;
        size_t command_end = end;
        while (command_end > command_begin && is_blank(text[command_end - 1])) --command_end;
        line.valid = true;
        line.name_begin = first;
        line.name_end = name_end;
        line.command_begin = command_begin;
        line.command_end = command_end;
      }
      lines.push_back(line);
    }
    begin = next;
  }
  return lines;
}

}  // namespace shiftlint
