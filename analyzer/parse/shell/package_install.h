#pragma once
// Packages a script installs: `apt-get install -y --no-install-recommends cron supervisor`,
// `yum install`, `dnf`, `apk add`, `zypper install`, `rpm -i`, `pip install`, `gem install`,
// `npm install -g`, `yarn global add`, behind any wrapper (`sudo`, `sh -c`).
//
// DKR rules look for cron, supervisord, sshd, logrotate and log agents here; the EB/Dockerfile
// parity rule compares what the old host installed with what the image installs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

enum class PackageManager : uint8_t { Apt, Yum, Dnf, Zypper, Apk, Rpm, Pip, Gem, Npm, Yarn };

std::string_view package_manager_name(PackageManager manager);

struct Package {
  // Without a version: `nginx` from `nginx=1.24.0-1`, `flask` from `flask==2.3`, `uvicorn[standard]`,
  // `@scope/tool` from `@scope/tool@1.2`. As written for a file or URL (`./x.deb`).
  std::string name;
  // What followed the name: `1.24.0-1`, `==2.3`, `>=1,<2`, `1.2`; empty when none.
  std::string version;
  const Word* word = nullptr;  // the argument, with its span (has_expansion: `$PACKAGES`)
};

struct PackageInstall {
  PackageManager manager = PackageManager::Apt;
  uint32_t command = kNoParent;  // index in Script::commands of the command holding the program
  const Word* program = nullptr; // `apt-get`, `pip3`, `python3` (for `python3 -m pip`)
  std::vector<Package> packages;
  std::vector<const Word*> requirement_files;  // `pip install -r requirements.txt`, `gem install -g Gemfile`
  bool global = false;  // npm -g / yarn global: a tool installed into the image, not a project dependency
};

// Every install in the script, in order. Installs that name no package (`npm install -g` alone,
// `pip install -r x`) are kept: requirement_files says what they install. Found once and kept with
// the Script: the list lives as long as the Script does.
const std::vector<PackageInstall>& find_package_installs(const Script& script);

}  // namespace shiftlint::shell
