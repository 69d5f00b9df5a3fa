#pragma once
// Parity between the old host and the new containers, per linked app: for every item the Elastic
// Beanstalk host was configured with (a package, an environment variable, the nofile limit, a
// kernel parameter, the time zone, a cron job, log shipping, a deploy hook), where it lives now on
// the new side (file and location) or that it is missing there.
//
// Written once, read by two consumers:
//   - the XF rules (rules/xf/*), through Rule::check_project: each reports the Missing/Weaker items
//     of its category, at the new-side place where the fix belongs (ParityItem::missing_at), with
//     the old-host line as a related location;
//   - `shiftlint parity`, which prints every item with its status.
//
// How to get one: run `run_check` with CheckRequest::build_project set; CheckOutcome::project then
// holds the Project of the run (also when no XF rule is selected). Everything in it is plain values
// with self-contained locations: it outlives the files it was read from. The line texts of the
// locations in `parity` (items, carried_at, missing_at) are filled; those of `facts` are not
// (path and span only), except the places the parity items point at.
//
// The API below is stable: fields may be added, none removed or renamed.
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/project/app_facts.h"
#include "analyzer/project/app_links.h"

namespace shiftlint::project {

enum class ParityStatus : uint8_t {
  Carried,  // the new side has it (ParityItem::carried_at says where)
  Missing,  // the new side has a file where it belongs, and it is not there (missing_at)
  Weaker,   // the new side has it with a lower value: a nofile limit below the old one (missing_at)
  Differs,  // the new side sets it to another value: a different time zone (carried_at)
  Review,   // no automatic answer: a deploy hook, a kernel parameter a pod cannot set, a package the
            // base image may bring (note says why)
};
std::string_view to_string(ParityStatus status);

// A place on the new side: a Dockerfile, a task definition's container, a workload's container,
// a scheduled task.
struct NewSidePlace {
  std::string path;      // display path of the file
  std::string subject;   // `Dockerfile`, `task definition "web", container "web"`, `CronJob "report"`
  std::string detail;    // what is there: `ENV TZ=Asia/Tokyo`, `nofile 1024/4096`; empty for a missing item
  Location location;     // the exact line (carried), or the block where the item belongs (missing)
};

struct ParityItem {
  HostItem item;          // what the old host did, with its old-host location
  std::string app_name;
  ParityStatus status = ParityStatus::Review;
  std::vector<NewSidePlace> carried_at;  // Carried, Differs: where it lives now
  // Missing, Weaker: every new-side place that should have it, the place a finding goes first.
  // Empty when the app has no new-side file of the kind the item belongs in (a finding then goes
  // on the old-host line).
  std::vector<NewSidePlace> missing_at;
  // What belongs where, for messages and the report: "the Dockerfile", "the task definition".
  std::string belongs_in;
  std::string note;  // why Review, what Differs, where a Carried item was found beyond the obvious
};

struct AppParity {
  size_t app = 0;  // into Project::apps
  std::vector<ParityItem> items;  // old-host order: by file (path order), then within the file
};

struct Project {
  ProjectFacts facts;
  std::vector<App> apps;
  std::vector<AppParity> parity;  // parallel to apps; empty items for an app without a new side
  std::string root_directory;     // the scan root (absolute)
};

// The parity of every app (apps without a new side get no items: nothing migrates yet).
std::vector<AppParity> compute_parity(const ProjectFacts& facts, const std::vector<App>& apps);

// The parity of one app; `index` is the app's place in the Project's `apps`.
AppParity compute_app_parity(const ProjectFacts& facts, const App& app, size_t index);

// Facts, links and parity in one step (the project phase of a check run does this).
Project build_project(ProjectFacts facts, const Config& config, std::string root_directory);

}  // namespace shiftlint::project
