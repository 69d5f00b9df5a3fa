#pragma once
// Procfiles: one `name: command` line per process. Elastic Beanstalk reads them from a source
// bundle (Procfile, Buildfile), and the Procfile runners (forego, foreman, honcho, overmind,
// hivemind) read them inside images, where they keep every process in one container.
#include <cstddef>
#include <string_view>
#include <vector>

namespace shiftlint {

// One line that is neither blank nor a comment, as offsets into the text. `valid` is false when
// the line is not `name: command` (the offsets of name and command are then unset).
struct ProcfileLine {
  size_t line_begin = 0;
  size_t line_end = 0;       // before the line break (and a '\r' before it)
  size_t first = 0;          // first character that is not a blank
  bool valid = false;
  size_t name_begin = 0;
  size_t name_end = 0;
  size_t command_begin = 0;  // equal to command_end when the command is empty
  size_t command_end = 0;    // trailing blanks left out
};

// The lines of a Procfile that declare something; a name is letters, digits, '_' and '-'.
std::vector<ProcfileLine> read_procfile_lines(std::string_view text);

}  // namespace shiftlint
