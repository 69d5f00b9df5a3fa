#pragma once
// The storage behind ScriptFindings (command.h): each finder's result and the flag that it was
// computed. Only the finders and command.cpp include this.
#include <list>
#include <vector>

#include "analyzer/source/once.h"

#include "analyzer/parse/shell/command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"

namespace shiftlint::shell {

struct ScriptFindings::Slots {
  Once package_installs_found;
  std::vector<PackageInstall> package_installs;
  // The words of variables' values that name packages (Package::word points here).
  std::list<Word> variable_package_words;  // a list: no allocation while empty, as it mostly is
  Once path_writes_found;
  std::vector<PathWrite> path_writes;
  Once service_starts_found;
  std::vector<ServiceStart> service_starts;
};

}  // namespace shiftlint::shell
