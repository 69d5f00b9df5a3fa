#pragma once
// How the XF rules report a parity gap, written once: on the new side where the fix belongs (the
// first of ParityItem::missing_at), else on the old-host line; the old-host line, the other
// new-side places lacking the item and the linked files as related locations; the message ends
// with which files were linked and why.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/rule.h"
#include "analyzer/project/parity.h"

namespace shiftlint::project {

// "`files: /etc/cron.d/app` in .ebextensions/cron.config:4": where the old host did it, for messages.
std::string old_host_place(const HostItem& item);

// " (linked: app web: the Elastic Beanstalk bundle at web; web/Dockerfile (Dockerfile in the same
// folder as .ebextensions))": appended to every XF message. An app with more linked files than
// kLinkedFilesNamedInFull names only those in `focus` (the files the finding is about) and counts
// the rest, which `shiftlint parity` lists, or the finding's related locations when `listed_below`.
constexpr size_t kLinkedFilesNamedInFull = 3;
std::string linked_files_clause(const Project& project, const App& app, std::vector<std::string_view> focus = {},
                                bool listed_below = false);

// Reports every item of `category` whose status is Missing or Weaker in every app, once per item.
// `message(item, at)` writes the message; `at` is the new-side place the finding goes to, nullptr
// when it goes on the old-host line (the app has no new-side file for the item).
void report_parity_gaps(const Project& project, HostItemCategory category, RuleContext& context,
                        const std::function<std::string(const ParityItem& item, const NewSidePlace* at)>& message);

}  // namespace shiftlint::project
