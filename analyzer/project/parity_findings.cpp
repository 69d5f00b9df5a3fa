#include "analyzer/project/parity_findings.h"

#include <algorithm>

#include <fmt/format.h>

namespace shiftlint::project {

std::string old_host_place(const HostItem& item) {
  return fmt::format("`{}` in {}:{}", item.origin, item.location.path, item.location.span.begin.line);
}

std::string linked_files_clause(const Project& project, const App& app, std::vector<std::string_view> focus,
                                bool listed_below) {
  size_t linked = app.images.size() + app.deployments.size() + app.scheduled_runs.size();
  if (linked <= kLinkedFilesNamedInFull) return fmt::format(" (linked: {})", describe_links(app, project.facts));
  // A large app: the files this finding is about, with why they belong to the app; the others are
  // one `shiftlint parity` away (or listed below, as related locations, on an old-host line).
  std::string named;
  auto name = [&](const std::string& path, const std::string& reason) {
    if (std::find(focus.begin(), focus.end(), path) == focus.end()) return;
    named += fmt::format("; {} ({})", path, reason);
  };
  for (const LinkedFile& link : app.images) name(project.facts.images[link.index].path, link.reason);
  for (const LinkedFile& link : app.deployments) name(project.facts.deployments[link.index].path, link.reason);
  for (const LinkedFile& link : app.scheduled_runs) name(project.facts.scheduled_runs[link.index].path, link.reason);
  std::string bundle = !app.has_bundle            ? std::string(app.configured_by)
                       : app.bundle_root.empty() ? std::string("the Elastic Beanstalk bundle at the scan root")
                                                 : fmt::format("the Elastic Beanstalk bundle at {}", app.bundle_root);
  return fmt::format(" (linked: app {}: {}{}; {} linked files in all, {})", app.name, bundle, named, linked,
                     listed_below ? "each shown below with why it was linked"
                                  : "`shiftlint parity` lists them with why each was linked");
}

void report_parity_gaps(const Project& project, HostItemCategory category, RuleContext& context,
                        const std::function<std::string(const ParityItem& item, const NewSidePlace* at)>& message) {
  for (const AppParity& parity : project.parity) {
    const App& app = project.apps[parity.app];
    for (const ParityItem& item : parity.items) {
      if (item.item.category != category) continue;
      if (item.status != ParityStatus::Missing && item.status != ParityStatus::Weaker) continue;
      const NewSidePlace* at = item.missing_at.empty() ? nullptr : &item.missing_at.front();
      Finding& finding = context.report(
          at ? at->location : item.item.location,
          message(item, at) + (at ? linked_files_clause(project, app, {at->location.path})
                                  : linked_files_clause(project, app, {}, true)));
      // Several items of one rule share a line (variables at one `environment` block): a baseline
      // must tell them apart whatever their order.
      finding.fingerprint_detail = item.item.name;
      if (at) {
        context.relate(finding, item.item.location, fmt::format("the old host: {}", item.item.origin));
      } else {
        // On the old-host line: the linked new-side files are the other side.
        for (const LinkedFile& link : app.images)
          context.relate(finding, project.facts.images[link.index].anchor, "linked Dockerfile: " + link.reason.text());
        for (const LinkedFile& link : app.deployments)
          context.relate(finding, project.facts.deployments[link.index].location,
                         fmt::format("linked {}: {}", project.facts.deployments[link.index].label, link.reason.text()));
      }
      for (size_t index = 1; index < item.missing_at.size(); ++index)
        context.relate(finding, item.missing_at[index].location,
                       fmt::format("also lacking it: {}", item.missing_at[index].subject));
    }
  }
}

}  // namespace shiftlint::project
