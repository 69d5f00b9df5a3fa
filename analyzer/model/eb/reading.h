#pragma once
// Pieces of read_bundle_file shared by the files of model/eb (not for rules).
#include <string_view>

#include "analyzer/model/eb/bundle_file.h"

namespace shiftlint::eb {

// Fills `extension` from an .ebextensions file's document (extension.cpp).
void read_extension(const SourceFile& file, const Document& document, Extension& extension);

// Whether a file written on the instance is a shell script: a shebang, a `.sh` name, or a folder
// whose files are run or sourced by a shell (hooks, init.d, cron.daily, profile.d, sysconfig).
bool is_shell_script(std::string_view path, std::string_view content);

}  // namespace shiftlint::eb
