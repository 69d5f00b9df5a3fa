#pragma once
// Packages a script installs: `apt-get install -y --no-install-recommends cron supervisor`,
// `yum install`, `dnf`, `apk add`, `zypper install`, `rpm -i`, `pip install`, `gem install`,
// `npm install -g`, `yarn global add`, behind any wrapper (`sudo`, `sh -c`).
//
// DKR rules look for cron, supervisord, sshd, logrotate and log agents here; the EB/Dockerfile
// parity rule compares what the old host installed with what the image installs.
//
// A list kept in a variable the script assigns first (zabbix's `INSTALL_PKGS="bash tzdata apache2
// ..." && apk add ${INSTALL_PKGS}`) is read from the assignment: each literal word of its value is
// a package, placed in the value.
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
  // The argument, with its span (has_expansion: `$PACKAGES` whose value is not known here). For a
  // package named in a variable's value, a word of that value: its span is the whole value's (the
  // text may be spread over continuation lines the script lost); `offset` places it there.
  const Word* word = nullptr;
  // Named through a variable: the install's `${INSTALL_PKGS}` word, and the assignment whose value
  // holds the name, `offset` bytes into its value as written (Assignment::value.text).
  const Word* variable = nullptr;
  const Assignment* assignment = nullptr;
  uint32_t offset = 0;
};

// `word` read as a package of `manager`: the name split from a version the way that manager writes
// it (`nginx=1.24.0-1`, `flask==2.3`, `@scope/tool@1.2`, `rails:7.1`).
Package read_package(PackageManager manager, const Word& word);

// The variable a package argument names when it is nothing else: `$PKGS`, `${PKGS}`, `"$PKGS"`;
// empty otherwise (`${PKGS:-x}`, `$A$B`, `pkg-$VERSION`).
std::string_view named_variable(const Word& word);

// The literal words of a list written as one shell or Dockerfile word (`curl cron`, `"bash tzdata \`
// with more names on the next lines): [begin, end) byte ranges in `written`, quotes and line
// continuations left out. Words holding an expansion (`$BASE_PKGS`, `pkg-${V}`) are skipped, their
// value is not known here, and so are options (`--no-cache`).
std::vector<std::pair<uint32_t, uint32_t>> literal_list_words(std::string_view written, char escape = '\\');

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
