#include "analyzer/engine/helm_phase.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "analyzer/engine/helm_settings.h"
#include "analyzer/engine/kubernetes_rules.h"
#include "analyzer/engine/suppression.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/located_manifest.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/model/k8s/extract.h"
#include "analyzer/project/app_facts.h"
#include "analyzer/project/skaffold_index.h"

namespace shiftlint {

namespace fs = std::filesystem;

namespace {

struct ChartRoot {
  std::string directory;          // absolute
  std::string display_directory;  // relative to the scan root ("" for the root itself)
};

// Folders with a Chart.yaml that are not subcharts of another chart (in its charts/ folder).
std::vector<ChartRoot> find_chart_roots(const DiscoveryResult& discovered) {
  std::vector<ChartRoot> roots;
  for (const DiscoveredFile& file : discovered.files) {
    std::string_view display = file.display_path();
    if (display != "Chart.yaml" && !display.ends_with("/Chart.yaml")) continue;
    fs::path directory = fs::path(file.path()).parent_path();
    std::error_code error;
    if (directory.parent_path().filename() == "charts" &&
        fs::is_regular_file(directory.parent_path().parent_path() / "Chart.yaml", error))
      continue;  // rendered as a subchart of its parent
    std::string display_directory = display == "Chart.yaml" ? "" : std::string(display.substr(0, display.size() - 11));
    roots.push_back({directory.string(), display_directory});
  }
  return roots;
}

class ChartLinter {
 public:
  ChartLinter(const DiscoveryResult& discovered, const Config& config, const RuleSelection& selection,
              const LoadLimits& limits, std::string_view today, const SkaffoldIndex* skaffold)
      : discovered_(discovered), config_(config), selection_(selection), limits_(limits), today_(today), skaffold_(skaffold),
        settings_(read_helm_settings(config)), parse_error_(selection.find("SL001")),
        render_incomplete_(selection.find("SL002")) {}

  struct Result {
    std::vector<Finding> findings;
    size_t templates = 0;
    std::vector<std::string> warnings;
    std::vector<project::DeploymentFacts> workloads;  // for the project phase (project/app_facts.h)
  };

  Result lint(const ChartRoot& root) const {
    Result result;
    helm::ChartLoadOptions options;
    options.scan_root = discovered_.root;
    helm::LoadedChart loaded = helm::load_chart(root.directory, root.display_directory, options);
    SourceFile chart_yaml(root.directory + "/Chart.yaml",
                          root.display_directory.empty() ? "Chart.yaml" : root.display_directory + "/Chart.yaml", "");
    for (const helm::ChartProblem& problem : loaded.problems) report(problem, chart_yaml, result.findings);
    if (!loaded.chart) return result;
    if (loaded.chart->is_library) {  // never rendered: no values say which dependencies are off
      for (const helm::ChartProblem& problem : helm::all_missing_dependency_problems(*loaded.chart))
        report(problem, chart_yaml, result.findings);
      return result;
    }

    helm::UserValues values;
    std::vector<helm::ChartProblem> value_problems;
    settings_.apply_values(config_, values, value_problems, discovered_.root);
    for (const helm::ChartProblem& problem : value_problems) result.warnings.push_back(problem.message);
    // As the deploy tool renders it: a Skaffold release's values and names, Argo CD's parameters.
    helm::RenderOptions render_options = settings_.options;
    if (const SkaffoldRelease* release = skaffold_ ? skaffold_->release_of(root.directory) : nullptr)
      apply_skaffold_release(*release, discovered_.root, values, render_options, result.warnings);
    ArgoSourceOverrides argo = apply_argo_parameters(root.directory, root.display_directory, limits_, values, result.warnings);

    helm::ChartRendering rendering = helm::render_chart(*loaded.chart, values, render_options);
    for (const helm::ChartProblem& problem : rendering.problems) report(problem, chart_yaml, result.findings);
    result.templates = loaded.chart->templates.size();

    // The rendered manifests as located trees, then the workload rules over all of them at once
    // (an HPA or a claim links to its workload across templates).
    helm::ValueOrigins origins;
    std::vector<helm::LocatedManifest> located;
    located.reserve(rendering.manifests.size());
    for (const helm::RenderedManifest& manifest : rendering.manifests) {
      located.push_back(helm::locate_manifest(manifest, limits_, origins));
      for (const helm::LocatedManifest::Error& error : located.back().errors) {
        report_at(parse_error_, *error.file, error.span,
                  error.duplicate_key
                      ? fmt::format("{} renders a {}", manifest.source_name, error.message)
                      : fmt::format("{} renders YAML that does not parse: {}", manifest.source_name, error.message),
                  result.findings);
        if (parse_error_ && error.first_file && (error.first_file != error.file || error.first_span != error.span))
          result.findings.back().related.push_back(
              {make_location(*error.first_file, error.first_span), "the key's first copy is printed here"});
      }
    }
    std::vector<const Node*> roots;
    for (const helm::LocatedManifest& manifest : located)
      for (const Node& node : manifest.document.roots) roots.push_back(&node);
    std::vector<Finding> rule_findings;
    k8s::Manifests manifests = k8s::extract_manifests(roots);
    if (skaffold_) apply_skaffold(root, manifests);
    std::vector<const Node*> values_files = values.file_roots();
    run_kubernetes_workload_rules(manifests, selection_, config_.target, today_, rule_findings, nullptr,
                                  &origins.of_node, loaded.chart->default_values(), values_files);
    result.workloads = project::workload_facts(manifests);
    for (Finding& finding : rule_findings) {
      relate_value_origin(finding, origins);
      result.findings.push_back(std::move(finding));
    }
    apply_template_suppressions(*loaded.chart, result.findings);
    return result;
  }

 private:
  // Skaffold deploys a chart the way it deploys manifests (since v2 through its post-renderer):
  // every rendered `image:` naming an artifact it builds becomes the reference it built.
  void apply_skaffold(const ChartRoot& root, k8s::Manifests& manifests) const {
    std::string chart_file = root.directory + "/Chart.yaml";
    for (k8s::Workload& workload : manifests.workloads)
      for (std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers})
        for (k8s::Container& container : *list) {
          std::string_view name = k8s::image_name_without_tag(container.image_text());
          if (std::optional<std::string> builder = skaffold_->builder_of(chart_file, name))
            container.image_built_by_skaffold = std::move(*builder);
        }
  }

  // `fallback`: the chart's Chart.yaml, for problems of the chart as a whole.
  void report(const helm::ChartProblem& problem, const SourceFile& fallback, std::vector<Finding>& findings) const {
    const RuleSelection::Entry* entry = problem.parse_error ? parse_error_ : render_incomplete_;
    const SourceFile& file = problem.file ? *problem.file : fallback;
    size_t before = findings.size();
    report_at(entry, file, problem.span.empty() ? Span{{1, 1}, {1, 1}} : problem.span, problem.message, findings);
    if (findings.size() == before) return;
    for (const helm::ChartProblem::Related& related : problem.related)
      if (related.file) findings.back().related.push_back({make_location(*related.file, related.span), related.message});
  }

  static void report_at(const RuleSelection::Entry* entry, const SourceFile& file, Span span, std::string message,
                        std::vector<Finding>& findings) {
    if (!entry) return;
    Finding finding;
    finding.rule_id = std::string(entry->rule->id);
    finding.severity = entry->severity;
    finding.message = std::move(message);
    finding.location = make_location(file, span);
    findings.push_back(std::move(finding));
  }

  // A finding on a value printed from values.yaml also names that line: it is where the value
  // is set, and often where the fix goes. Where the finding's position printed several values
  // (a list or a helper printing each in turn), each is named: one of them is the finding's.
  // A map or list is named from its key (`livenessProbe:` and the block under it), unless values
  // inside it were printed at the same place (every line of `{{ toYaml .Values.env | nindent 12 }}`
  // maps to that action): those are the candidates, not the block around them. A finding whose
  // rule already named the value, or a line inside it (the probe's `initialDelaySeconds:`), keeps
  // the rule's words alone.
  void relate_value_origin(Finding& finding, const helm::ValueOrigins& origins) const {
    // The value's own line, which RuleContext::report named, after the rule's own words.
    std::stable_partition(finding.related.begin(), finding.related.end(), [](const RelatedLocation& related) {
      return related.message != RuleContext::kOwnSourceMessage;
    });
    for (const auto& [key, at] : origins.at_position) {
      const auto& [file, position] = key;
      if (position != finding.location.span.begin || file->display_path() != finding.location.path) continue;
      auto span_of = [](const Node& origin) {
        return !origin.is_scalar() && !origin.key_span.empty() ? Span{origin.key_span.begin, origin.span.end} : origin.span;
      };
      std::vector<std::pair<const Node*, Span>> named;
      for (const Node* origin : at.nodes) {
        if (!origin->file) continue;
        Span span = span_of(*origin);
        bool holds_another = !origin->is_scalar() && std::any_of(at.nodes.begin(), at.nodes.end(), [&](const Node* other) {
          return other != origin && other->file == origin->file && span.begin <= other->span.begin &&
                 other->span.end <= span.end;
        });
        if (!holds_another) named.emplace_back(origin, span);
      }
      const size_t named_by_rule = finding.related.size();
      // The rule named a values line itself (`the image comes from here`): it knows which of the
      // values printed there the finding is about, and the others (the same block's other keys,
      // another range iteration's values) would only mislead.
      bool rule_named_a_value = std::any_of(finding.related.begin(), finding.related.end(), [&](const RelatedLocation& other) {
        return std::any_of(named.begin(), named.end(), [&](const auto& value) {
          return other.location.path == value.first->file->display_path();
        });
      });
      if (rule_named_a_value) return;
      for (const auto& named_value : named) {
        // Not a structured binding: clang 14 (Debian 12's, the sanitizer build) cannot capture one.
        const Node* origin = named_value.first;
        const Span& span = named_value.second;
        bool overlaps = std::any_of(finding.related.begin(), finding.related.begin() + named_by_rule,
                                    [&](const RelatedLocation& other) {
                                      return other.location.path == origin->file->display_path() &&
                                             other.location.span.begin < span.end && span.begin < other.location.span.end;
                                    });
        if (overlaps) continue;
        RelatedLocation related;
        related.location = make_location(*origin->file, span);
        related.message = named.size() == 1 && !at.unsourced_scalar ? "the value comes from here"
                                                                     : "one of the values printed there comes from here";
        finding.related.push_back(std::move(related));
      }
      return;
    }
  }

  // `# shiftlint-ignore: K8S003` comments in templates silence findings on their lines.
  void apply_template_suppressions(const helm::Chart& chart, std::vector<Finding>& findings) const {
    std::vector<const SourceFile*> files;
    collect_templates(chart, files);
    for (const SourceFile* file : files) {
      if (file->text().find("shiftlint-ignore") == std::string_view::npos) continue;
      std::vector<InlineSuppression> suppressions = scan_suppressions(*file, {"#"}, true);
      if (suppressions.empty()) continue;
      auto here = std::stable_partition(findings.begin(), findings.end(), [&](const Finding& finding) {
        return finding.location.path != file->display_path();
      });
      std::vector<Finding> own(std::make_move_iterator(here), std::make_move_iterator(findings.end()));
      findings.erase(here, findings.end());
      apply_suppressions(own, suppressions);
      report_unused_suppressions(*file, suppressions, selection_, own);
      for (Finding& finding : own) findings.push_back(std::move(finding));
    }
  }

  static void collect_templates(const helm::Chart& chart, std::vector<const SourceFile*>& files) {
    for (const helm::ChartFile& file : chart.templates) files.push_back(file.file.get());
    for (const helm::Chart::Subchart& subchart : chart.subcharts) collect_templates(*subchart.chart, files);
  }

  const DiscoveryResult& discovered_;
  const Config& config_;
  const RuleSelection& selection_;
  LoadLimits limits_;
  std::string_view today_;
  const SkaffoldIndex* skaffold_;  // null: no Skaffold configuration applies
  HelmSettings settings_;
  const RuleSelection::Entry* parse_error_;
  const RuleSelection::Entry* render_incomplete_;
};

}  // namespace

HelmPhaseOutcome run_helm_phase(const DiscoveryResult& discovered, const Config& config, const RuleSelection& selection,
                                const LoadLimits& limits, unsigned jobs, std::string_view today,
                                const SkaffoldIndex* skaffold) {
  HelmPhaseOutcome outcome;
  std::vector<ChartRoot> roots = find_chart_roots(discovered);
  if (roots.empty()) return outcome;
  ChartLinter linter(discovered, config, selection, limits, today, skaffold);
  std::vector<ChartLinter::Result> results(roots.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t index = next++; index < results.size(); index = next++) results[index] = linter.lint(roots[index]);
  };
  jobs = static_cast<unsigned>(std::clamp<size_t>(jobs, 1, roots.size()));
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < jobs; ++i) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  // An umbrella chart whose dependencies are other charts of the run (`repository: file://../orders`)
  // renders their templates a second time, with its own release name and values: a finding the
  // dependency's own rendering makes at the same place is the same finding (its message names the
  // object as each rendering names it) and is reported once, from the chart it is in.
  std::set<std::tuple<std::string_view, std::string_view, Position, Position>> own_findings;
  auto within = [](std::string_view path, std::string_view folder) {
    return folder.empty() || (path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/');
  };
  for (size_t index = 0; index < results.size(); ++index)
    for (const Finding& finding : results[index].findings)
      if (within(finding.location.path, roots[index].display_directory))
        own_findings.emplace(finding.rule_id, finding.location.path, finding.location.span.begin, finding.location.span.end);
  auto reported_by_own_chart = [&](size_t index, const Finding& finding) {
    if (within(finding.location.path, roots[index].display_directory)) return false;
    return own_findings.contains({finding.rule_id, finding.location.path, finding.location.span.begin,
                                  finding.location.span.end});
  };
  std::vector<std::vector<bool>> dropped(results.size());
  for (size_t index = 0; index < results.size(); ++index)
    for (const Finding& finding : results[index].findings) dropped[index].push_back(reported_by_own_chart(index, finding));
  std::set<std::string> warned;
  for (size_t index = 0; index < results.size(); ++index) {
    ChartLinter::Result& result = results[index];
    outcome.files_analyzed += result.templates;
    for (size_t at = 0; at < result.findings.size(); ++at)
      if (!dropped[index][at]) outcome.findings.push_back(std::move(result.findings[at]));
    for (project::DeploymentFacts& workload : result.workloads) outcome.facts.deployments.push_back(std::move(workload));
    for (std::string& warning : result.warnings)
      if (warned.insert(warning).second) outcome.warnings.push_back(std::move(warning));
  }
  return outcome;
}

}  // namespace shiftlint
