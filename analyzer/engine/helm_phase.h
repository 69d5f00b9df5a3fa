#pragma once
// Helm charts are linted as rendered, not file by file: this phase of `shiftlint check` finds the
// charts among the discovered files (a folder with Chart.yaml that is not a subchart in another
// chart's charts/), renders each one (in parallel across charts) with the config's helm settings,
// and runs the Kubernetes workload rules over the rendered manifests. Findings point at template
// lines, with the values.yaml line behind a printed value as a related location. What cannot be
// rendered is SL002 at its template line (SL001 for template syntax and rendered YAML that does
// not parse); inline suppressions in templates (`# shiftlint-ignore: K8S003`) apply. A chart that a
// Skaffold configuration of the run deploys (in its folder or above) has the images Skaffold builds
// replaced when it deploys, as a manifest has (project/skaffold_index.h).
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/project/app_facts.h"
#include "analyzer/source/discovery.h"

namespace shiftlint {

struct HelmPhaseOutcome {
  std::vector<Finding> findings;  // inline suppressions applied; config suppressions are the caller's
  size_t files_analyzed = 0;      // template files rendered
  std::vector<std::string> warnings;  // helm.values files that cannot be read
  project::FileFacts facts;  // the rendered workloads, for the project phase (project/app_facts.h)
};

class SkaffoldIndex;

HelmPhaseOutcome run_helm_phase(const DiscoveryResult& discovered, const Config& config, const RuleSelection& selection,
                                const LoadLimits& limits, unsigned jobs, std::string_view today,
                                const SkaffoldIndex* skaffold = nullptr);

}  // namespace shiftlint
