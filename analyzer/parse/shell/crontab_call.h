#pragma once
// `crontab` calls: installing a table (`crontab /etc/app.cron`, `echo "..." | crontab -`,
// `crontab - <<EOF`), listing, removing or editing one. Also the Ruby `whenever` gem's command,
// which writes the user's crontab from config/schedule.rb (`bundle exec whenever --update-crontab`,
// the usual Rails deploy step) or clears it.
//
// On an Elastic Beanstalk host these are the cron jobs to migrate (EB002, XF005); in an image, a
// sign the container expects a cron daemon (DKR002).
#include <cstdint>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

enum class CrontabAction : uint8_t { Install, List, Remove, Edit };

struct CrontabCall {
  CrontabAction action = CrontabAction::Install;
  uint32_t command = kNoParent;     // index in Script::commands
  const Word* program = nullptr;    // the `crontab` word
  const Word* file = nullptr;       // the table installed from a file
  const Word* user = nullptr;       // -u USER
  // Install from standard input: what the previous stage of the pipeline prints, or `content`.
  bool from_standard_input = false;
  const Heredoc* content = nullptr; // `crontab - <<EOF`
  // `whenever --update-crontab`: the table is generated from a schedule file (config/schedule.rb,
  // or the one `-f` names) that `file` then points to when written.
  bool from_whenever = false;
};

std::vector<CrontabCall> find_crontab_calls(const Script& script);

}  // namespace shiftlint::shell
