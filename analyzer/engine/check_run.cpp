#include "analyzer/engine/check_run.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <tuple>
#include <utility>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "analyzer/detect/end_of_life.h"
#include "analyzer/detect/template_placeholder.h"
#include "analyzer/engine/disposal.h"
#include "analyzer/engine/finding_spill.h"
#include "analyzer/engine/finding_stream.h"
#include "analyzer/engine/kubernetes_rules.h"
#include "analyzer/engine/suppression.h"
#include "analyzer/engine/helm_phase.h"
#include "analyzer/engine/project_phase.h"
#include "analyzer/engine/terraform_phase.h"
#include "analyzer/source/ascii_case.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/model/aws/extract.h"
#include "analyzer/model/aws/shell_run_task.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/parse/shell/syntax_tree_cache.h"
#include "analyzer/model/eb/bundle_file.h"
#include "analyzer/model/ecs/extract.h"
#include "analyzer/model/terraform/plan.h"
#include "analyzer/report/repository_paths.h"
#include "analyzer/model/k8s/extract.h"
#include "analyzer/parse/dockerfile_parser.h"
#include "analyzer/parse/json_loader.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/project/app_facts.h"
#include "analyzer/project/kubernetes_neighbours.h"
#include "analyzer/project/deploy_config_file.h"
#include "analyzer/project/deploy_configurations.h"
#include "analyzer/project/kustomize_index.h"
#include "analyzer/project/skaffold_index.h"
#include "analyzer/model/aws/ecspresso.h"
#include "analyzer/project/task_definition_index.h"
#include "analyzer/source/classify.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/file_read.h"
#include "analyzer/source/glob.h"
#include "analyzer/source/read_bound.h"
#include "analyzer/source/real_path.h"

namespace shiftlint {

namespace fs = std::filesystem;

namespace {

std::string format_size(uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

struct ReadResult {
  std::string text;
  std::string error;  // empty on success
};

// `size_hint`: the file's size as discovery's lstat gave it, which spares an fstat.
ReadResult read_file(const std::string& path, uint64_t max_bytes, std::optional<uint64_t> size_hint = std::nullopt) {
  ReadResult result;
  int error = size_hint ? read_whole_file(path, max_bytes, result.text, *size_hint)
                        : read_whole_file(path, max_bytes, result.text);
  if (error) result.error = std::strerror(error);
  return result;
}

// What lint_file gives for one file.
struct FileOutcome {
  bool analyzed = false;
  // The file was read whole and linted, and its text holds no `shiftlint-ignore`: the project phase
  // need not read it again for suppressions.
  bool without_suppressions = false;
  std::vector<Finding> findings;
  // Task definitions across files (project/task_definition_index.h) and what the project phase
  // needs of the file (project/app_facts.h): null when the file adds none (most files).
  std::unique_ptr<IndexContribution> contribution;
  std::unique_ptr<project::FileFacts> facts;
};

// A file's slot, kept for the whole run: 48 bytes, as a run holds one per discovered file. Its
// findings, sorted, and its facts wait on disk until they are read; the rest, which few files have
// (a task definition summary, what could not be set aside on disk, an entrypoint script's path), is
// apart in `rest`.
struct FileSlot {
  uint64_t spill_offset = 0;  // where its findings are on disk (FindingSpill::Record), when `spilled`
  uint64_t facts_offset = 0;  // where its facts are on disk (FactsSpill::set_aside), when facts_size != 0
  uint32_t spill_size = 0;
  uint32_t spill_count = 0;
  uint32_t facts_size = 0;
  Position first_position;  // where the first of its findings is
  bool analyzed = false;
  bool spilled = false;
  bool without_suppressions = false;  // FileOutcome::without_suppressions
  struct Rest {
    std::unique_ptr<IndexContribution> contribution;
    std::unique_ptr<project::FileFacts> facts;  // when they could not be set aside on disk
    std::vector<Finding> findings;  // when they could not be set aside on disk
    std::string first_path;  // the first finding's path when it is not the file's own (an entrypoint script)
    // Where findings or facts are on disk when the offsets above cannot say it (4 GiB or more).
    std::optional<FindingSpill::Record> large_record;
    std::optional<project::StowedPart> large_facts_aside;
  };
  std::unique_ptr<Rest> rest;

  Rest& rest_of() {
    if (!rest) rest = std::make_unique<Rest>();
    return *rest;
  }
  IndexContribution* contribution() const { return rest ? rest->contribution.get() : nullptr; }
  void drop_contribution() {
    if (!rest) return;
    rest->contribution.reset();
    shed_rest();
  }
  void drop_facts() {
    if (!rest) return;
    rest->facts.reset();
    shed_rest();
  }
  // `rest` goes once it holds nothing.
  void shed_rest() {
    if (!rest->contribution && !rest->facts && rest->findings.empty() && rest->first_path.empty() &&
        !rest->large_record && !rest->large_facts_aside)
      rest.reset();
  }
  project::FileFacts* facts() const { return rest ? rest->facts.get() : nullptr; }
  bool has_findings() const { return spilled || (rest && !rest->findings.empty()); }

  void set_record(const FindingSpill::Record& record) {
    spilled = true;
    if (record.size <= UINT32_MAX && record.count <= UINT32_MAX) {
      spill_offset = record.offset;
      spill_size = static_cast<uint32_t>(record.size);
      spill_count = static_cast<uint32_t>(record.count);
    } else {
      rest_of().large_record = record;
    }
  }
  std::optional<FindingSpill::Record> record() const {
    if (!spilled) return std::nullopt;
    if (rest && rest->large_record) return rest->large_record;
    return FindingSpill::Record{spill_offset, spill_size, spill_count};
  }
  void set_facts_aside(const project::StowedPart& where) {
    if (where.size <= UINT32_MAX) {
      facts_offset = where.offset;
      facts_size = static_cast<uint32_t>(where.size);
    } else {
      rest_of().large_facts_aside = where;
    }
  }
  std::optional<project::StowedPart> facts_aside() const {
    if (rest && rest->large_facts_aside) return rest->large_facts_aside;
    if (facts_size == 0) return std::nullopt;
    return project::StowedPart{facts_offset, facts_size};
  }
};
static_assert(sizeof(FileSlot) <= 48, "a slot per discovered file: keep it small");

}  // namespace

// What a run of files reads around them besides its own files (around_run_files, below).
struct AroundRunFiles {
  std::shared_ptr<const DeployConfigurations> deploy;  // the scan root's kustomization and Skaffold files
  std::vector<DiscoveredFile> beside;                  // the other YAML and JSON files of their folders
};

// Lints files: reading and sniffing them (lint_file), or text already in memory (lint_text, for
// the language server's editor buffers). One instance serves all worker threads: it is immutable.
class FileLinter {
 public:
  // `today`: the run date, "YYYY-MM-DD" (see run_date).
  FileLinter(const Config& config, const RuleSelection& selection, const LoadLimits& limits,
             uint64_t max_file_bytes, std::string today)
      : config_(config), selection_(selection), limits_(limits), max_file_bytes_(max_file_bytes),
        parse_error_(selection.find("SL001")),
        today_(std::move(today)) {}

  // `for_copied_files`: a Dockerfile linted only for the run's build-context files (context_only).
  FileOutcome lint_file(const DiscoveredFile& discovered, bool for_copied_files = false) const {
    FileOutcome outcome;
    // Terraform files are linted per module by the Terraform phase (terraform_phase.cpp).
    std::string path = discovered.path();
    std::string display_path(discovered.display_path());
    const std::string named = classification_path(display_path, path);  // what classify reads
    if (!is_candidate_name(named) || is_terraform_name(display_path)) return outcome;
    ReadResult read = read_file(path, max_file_bytes_, discovered.size_hint());
    if (!read.error.empty()) {
      // We cannot sniff what we cannot read: a file named like one we lint deserves a finding.
      SourceFile empty(path, display_path, "");
      report_parse_error(outcome.findings, empty, {{1, 1}, {1, 1}}, "cannot read file: " + read.error);
      outcome.analyzed = true;
      return outcome;
    }
    std::string_view head = std::string_view(read.text).substr(0, 1 << 16);
    FileKind kind = refine_by_location(classify(named, head), path);
    if (kind == FileKind::Unknown) return outcome;
    outcome.analyzed = true;

    if (read.text.size() > max_file_bytes_) {
      SourceFile empty(path, display_path, "");
      report_parse_error(outcome.findings, empty, {{1, 1}, {1, 1}},
                         fmt::format("file is larger than {} (the max_file_size limit): not analysed",
                                     format_size(max_file_bytes_)));
      return outcome;
    }
    if (head.find('\0') != std::string_view::npos) {
      SourceFile empty(path, display_path, "");
      report_parse_error(outcome.findings, empty, {{1, 1}, {1, 1}},
                         fmt::format("binary content in a file named like a {}: not analysed", to_string(kind)));
      return outcome;
    }
    auto file = std::make_shared<const SourceFile>(std::move(path), std::move(display_path), std::move(read.text));
    // Only the project phase asks (a second search of the text, kept off runs without one).
    if (collect_facts_) outcome.without_suppressions = !mentions_directive(file->text());
    if (collect_task_definitions_) outcome.contribution = std::make_unique<IndexContribution>();
    if (collect_facts_) outcome.facts = std::make_unique<project::FileFacts>();
    outcome.findings = lint_text(file, kind, outcome.contribution.get(), outcome.facts.get(), for_copied_files);
    if (outcome.contribution && outcome.contribution->empty()) outcome.contribution.reset();
    if (outcome.facts && outcome.facts->empty()) outcome.facts.reset();
    if (outcome.facts) outcome.facts->shrink_to_fit();  // kept until the project phase
    return outcome;
  }

  // --- task definitions across files: a run lints in two steps (project/task_definition_index.h).
  // First every file adds its task definitions to the index, and files whose RunTask calls or
  // services name one they do not hold wait; then those are linted with the complete index. ---
  void collect_task_definitions() { collect_task_definitions_ = true; }
  // The real paths discovery resolved: the Dockerfiles' build contexts start from them.
  void remember_real_paths(const std::vector<std::pair<std::string, std::string>>& real_paths) {
    context_files_->remember_real_paths(real_paths);
  }
  // The run's files that only a build context reads: which of them one did (docker::NotedReads).
  void note_context_reads(std::shared_ptr<docker::NotedReads> notes) {
    context_reads_ = std::move(notes);
    context_files_->note_reads(context_reads_);
  }
  // After the first step: the files linted again are scripts and templates that name a task
  // definition, never Dockerfiles, so the build-context files the run read go (a fresh cache
  // serves the files linted again, should one read any).
  void forget_build_context_files() {
    context_files_ = std::make_shared<docker::ContextFileCache>();
    context_files_->note_reads(context_reads_);
    // And the scripts and shell syntax trees kept across files (bounded, but tens of MB).
    docker::forget_shared_context_scripts();
    shell::forget_trees();
  }
  void link_task_definitions(const TaskDefinitionIndex& index) {
    collect_task_definitions_ = false;
    task_definition_index_ = &index;
  }
  // --- end task definitions across files ---

  // In a `check` run, workloads link only with the manifests the run lints (kubernetes_neighbours.h;
  // a run of files lints those beside its own with them), and the deploy tools' files are the run's
  // own, or in a run of files those of its scan root (`around`, run_check).
  void link_kubernetes_within(const std::vector<DiscoveredFile>& run_files,
                              const std::shared_ptr<const AroundRunFiles>& around) {
    kubernetes_neighbours_ = std::make_shared<KubernetesNeighbourCache>(limits_, run_files);
    if (!around) {
      kustomizations_ = std::make_shared<KustomizeIndex>(limits_, run_files);
      skaffold_ = std::make_shared<SkaffoldIndex>(limits_, run_files);
      return;
    }
    // Aliasing pointers: each keeps the files its index points into. An index over no file stands
    // for a tool with none.
    static const std::vector<DiscoveredFile> no_files;
    const std::shared_ptr<const DeployConfigurations>& deploy = around->deploy;
    kustomizations_ = deploy->kustomize ? std::shared_ptr<const KustomizeIndex>(deploy, deploy->kustomize.get())
                                        : std::make_shared<KustomizeIndex>(limits_, no_files);
    skaffold_ = deploy->skaffold ? std::shared_ptr<const SkaffoldIndex>(deploy, deploy->skaffold.get())
                                 : std::make_shared<SkaffoldIndex>(limits_, no_files);
  }
  void use_kustomizations(std::shared_ptr<const KustomizeIndex> kustomizations) {
    kustomizations_ = std::move(kustomizations);
  }
  void use_skaffold(std::shared_ptr<const SkaffoldIndex> skaffold) { skaffold_ = std::move(skaffold); }
  const std::shared_ptr<const SkaffoldIndex>& skaffold() const { return skaffold_; }
  void file_done(const DiscoveredFile& discovered) const { kubernetes_neighbours_->file_done(discovered.path()); }

  // The project phase needs each file's summary (project_phase.h).
  void collect_project_facts() { collect_facts_ = true; }

  std::vector<Finding> lint_text(const std::shared_ptr<const SourceFile>& file, FileKind kind,
                                 IndexContribution* contribution = nullptr, project::FileFacts* facts = nullptr,
                                 bool for_copied_files = false) const {
    std::vector<Finding> findings;
    std::vector<LineRange> statements;
    run_rules(file, kind, findings, statements, contribution, facts, for_copied_files);
    std::vector<InlineSuppression> suppressions =
        scan_suppressions(*file, comment_markers(kind), has_end_of_line_comments(kind), statements);
    // --- findings in other files (a Dockerfile's entrypoint script or nginx.conf): the file's
    // line-based suppressions say nothing about their lines ---
    auto elsewhere = std::stable_partition(findings.begin(), findings.end(), [&](const Finding& finding) {
      return finding.location.path == file->display_path();
    });
    std::vector<Finding> other_files(std::make_move_iterator(elsewhere), std::make_move_iterator(findings.end()));
    findings.erase(elsewhere, findings.end());
    apply_suppressions(findings, suppressions);
    for (Finding& finding : other_files) findings.push_back(std::move(finding));
    // --- end findings in other files ---
    report_unused_suppressions(findings, *file, suppressions);
    for (Finding& finding : findings) redact_sensitive_text(finding);
    return findings;
  }

 private:
  // The one place that knows which models each kind of file carries and which rules read them.
  // `statements`: multi-line constructs an inline suppression before them covers whole.
  // `facts`: where to put the file's summary for the project phase; nullptr when not wanted.
  void run_rules(const std::shared_ptr<const SourceFile>& file, FileKind kind, std::vector<Finding>& findings,
                 std::vector<LineRange>& statements, IndexContribution* contribution,
                 project::FileFacts* facts, bool for_copied_files) const {
    // --- Elastic Beanstalk source bundles: .ebextensions, .platform, Procfile, cron.yaml ---
    if (auto bundle_kind = eb::bundle_file_kind(kind, file->display_path())) {
      eb::BundleFile bundle = eb::read_bundle_file(file, *bundle_kind, limits_);
      if (facts) facts->host_files.push_back(project::host_file_facts(bundle));
      run_eb_rules(std::move(bundle), findings);
      return;
    }
    // --- end Elastic Beanstalk ---
    switch (syntax_of(kind)) {
      case Syntax::Json:
      case Syntax::Yaml: {
        Document document = syntax_of(kind) == Syntax::Json ? load_json(file, limits_) : load_yaml(file, limits_);
        // YAML or JSON with `{{ }}` that does not parse is a template of some engine (Helm outside a
        // chart folder, Jinja, gomplate, copilot-cli's CloudFormation), not a broken file: it only
        // becomes YAML once rendered.
        if (!document.ok() && detect::contains_template_action(file->text())) return;
        if (!document.ok()) {
          // A partial model would give misleading findings: report what is broken, and stop.
          for (const ParseDiagnostic& error : document.errors)
            report_parse_error(findings, *file, error.span, error.message);
          return;
        }
        if (is_kubernetes_manifest(kind) || kind == FileKind::HelmValues) {
          run_kubernetes_rules(*file, kind, document, findings, facts);
          return;
        }
        // --- running tasks and infrastructure (model/aws/extract.h, model/terraform/plan.h) ---
        if (kind == FileKind::EcspressoConfigYaml || kind == FileKind::EcspressoConfigJson) {
          if (contribution && !document.roots.empty()) {
            aws::EcspressoConfig config = aws::read_ecspresso_config(document.roots.front());
            contribution->ecspresso_apps.push_back({file->display_path(),
                                                    aws::ecspresso_file(file->display_path(), config.service_definition),
                                                    aws::ecspresso_file(file->display_path(), config.task_definition)});
          }
          return;
        }
        if (kind == FileKind::TerraformPlanJson) {
          if (document.roots.empty()) return;
          std::unique_ptr<terraform::PlanModels> plan = terraform::read_plan(document.roots.front(), *file);
          for (const ecs::TaskDefinition& task : plan->task_definitions.tasks) run_task_definition_rules(task, findings);
          auto linked = link_across_files(plan->infrastructure, plan->task_definitions.tasks, contribution);
          run_infrastructure_rules(plan->infrastructure, findings);
          if (facts) {
            for (const ecs::TaskDefinition& task : plan->task_definitions.tasks)
              facts->deployments.push_back(project::task_definition_facts(task));
            facts->scheduled_runs = project::scheduled_run_facts(plan->infrastructure);
          }
          return;
        }
        std::vector<ecs::TaskDefinition> tasks = ecs::extract_task_definitions(document);
        for (const ecs::TaskDefinition& task : tasks) run_task_definition_rules(task, findings);
        aws::Infrastructure infrastructure;
        aws::extract_infrastructure(document, tasks, infrastructure);
        auto linked = link_across_files(infrastructure, tasks, contribution);
        run_infrastructure_rules(infrastructure, findings);
        if (facts) {
          for (const ecs::TaskDefinition& task : tasks)
            facts->deployments.push_back(project::task_definition_facts(task));
          facts->scheduled_runs = project::scheduled_run_facts(infrastructure);
        }
        // --- end running tasks and infrastructure ---
        if (to_lower_ascii(fs::path(file->display_path()).filename().string()) == "dockerrun.aws.json")
          if (eb::BundleFile v1 = eb::read_bundle_file(file, eb::BundleFileKind::DockerrunV1, limits_); v1.dockerrun.root) {
            if (facts) facts->host_files.push_back(project::host_file_facts(v1));
            run_eb_rules(std::move(v1), findings);
          }
        return;
      }
      case Syntax::Dockerfile: {
        // Unlike JSON, a Dockerfile with a broken instruction still has meaningful ones: report
        // what BuildKit would reject, and run the rules over everything that parsed.
        docker::ParsedDockerfile parsed = docker::parse_dockerfile(*file);
        for (const ParseDiagnostic& error : parsed.errors) report_parse_error(findings, *file, error.span, error.message);
        docker::Dockerfile dockerfile = docker::build_dockerfile(file, std::move(parsed));
        for (const docker::Instruction& instruction : dockerfile.instructions())
          statements.push_back({instruction.span.begin.line, instruction.span.end.line});
        // --- build context: the files COPY takes from disk, read lazily (build_context.h) ---
        docker::BuildContext build_context(dockerfile, docker::context_location_of(*file), context_files_);
        dockerfile.build_context = &build_context;
        // Linted for the run's build-context files only, it reports at them through its context: a
        // context that holds none of them (another service's folder) has nothing to say here.
        if (for_copied_files && context_reads_ && !context_reads_->may_be_within(build_context.display_root())) {
          if (facts) facts->images.push_back(project::image_facts(dockerfile));
          return;
        }
        // --- end build context ---
        docker::InstructionScriptCache scripts;  // each RUN body is parsed once for all rules
        for (const RuleSelection::Entry& entry : selection_.enabled) {
          if (!entry.rule->check_dockerfile) continue;
          RuleContext context(*entry.rule, entry.severity, entry.options, config_.target, findings);
          context.set_today(today_);
          entry.rule->check_dockerfile(dockerfile, context);
        }
        if (facts) facts->images.push_back(project::image_facts(dockerfile));
        return;
      }
      case Syntax::Shell: {  // `aws ecs run-task` calls (model/aws/shell_run_task.h)
        shell::Script script = shell::parse_shell_file(*file);
        aws::Infrastructure infrastructure;
        aws::extract_run_tasks(script, *file, infrastructure);
        auto linked = link_across_files(infrastructure, {}, contribution);
        run_infrastructure_rules(infrastructure, findings);
        return;
      }
      case Syntax::Hcl:  // linted per module: terraform_phase.cpp
      case Syntax::Nginx:
      case Syntax::ProcessList:
      case Syntax::None: return;
    }
  }

  void run_kubernetes_rules(const SourceFile& file, FileKind kind, const Document& document,
                            std::vector<Finding>& findings, project::FileFacts* facts) const {
    if (kind == FileKind::HelmValues) {
      for (const Node& root : document.roots)
        run_helm_values_rules({&file, &root}, selection_, config_.target, today_, findings);
      return;
    }
    std::vector<const Node*> roots;
    for (const Node& root : document.roots) roots.push_back(&root);
    k8s::Manifests manifests = k8s::extract_manifests(roots);
    // --- neighbours: the HPA or claim of a workload is often in another file of its folder ---
    std::shared_ptr<const FolderManifests> neighbours;
    if (!manifests.workloads.empty()) {
      neighbours = kubernetes_neighbours_->folder_of(file.path(), file.display_path());
      std::string_view own_name = std::string_view(file.path()).substr(file.path().find_last_of('/') + 1);
      for (const Document& neighbour : neighbours->documents) {
        std::string_view name = std::string_view(neighbour.file->path());
        if (name.substr(name.find_last_of('/') + 1) == own_name) continue;  // this file, as read from disk
        for (const Node& root : neighbour.roots) roots.push_back(&root);
      }
      if (roots.size() > document.roots.size()) manifests = k8s::extract_manifests(roots);
    }
    // --- end neighbours ---
    if (kustomizations_ && !manifests.workloads.empty()) apply_kustomizations(file, manifests);
    if (skaffold_ && !manifests.workloads.empty()) apply_skaffold(file, manifests);
    run_kubernetes_workload_rules(manifests, selection_, config_.target, today_, findings, &file);
    if (facts) {
      for (project::DeploymentFacts& workload : project::workload_facts(manifests))
        if (workload.path == file.display_path()) facts->deployments.push_back(std::move(workload));  // not a neighbour's
    }
  }

  // What the run's kustomizations do to this file's workloads (project/kustomize_index.h): a file
  // they list as a patch is a fragment, and an image every overlay pins or replaces with a patch is
  // not what the base says.
  void apply_kustomizations(const SourceFile& file, k8s::Manifests& manifests) const {
    KustomizeUse use = kustomizations_->use_of(file.path());
    if (!use.listed) return;
    for (k8s::Workload& workload : manifests.workloads) {
      if (workload.file != &file) continue;  // a neighbour's: linted with its own file
      workload.kustomize_patch = use.patch;
      KustomizeObject object;
      object.name = workload.name ? workload.name->as_string().value_or("") : "";
      if (const Node* kind = workload.node->find("kind")) object.kind = kind->as_string().value_or("");
      if (const Node* metadata = workload.node->find("metadata"); metadata && metadata->is_map())
        object.labels = metadata->find("labels");
      for (std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers})
        for (size_t position = 0; position < list->size(); ++position) {
          k8s::Container& container = (*list)[position];
          std::string_view name = k8s::image_name_without_tag(container.image_text());
          if (name.empty() || use.deployments.empty()) continue;
          // The deployments that run this container's own image: not those whose patches replace it.
          KustomizeUse running;
          for (const KustomizeUse::Deployment& deployment : use.deployments)
            if (!deployment.replaces(object, container.name_text(), position, container.init))
              running.deployments.push_back(deployment);
          if (running.deployments.empty()) {
            container.image_replaced_by_kustomize = true;
            continue;
          }
          if (std::optional<KustomizeUse::LatestTag> latest = running.latest_tag_set(name)) {
            container.image_deployed_unpinned_by = latest->deployment->display_path;
            container.image_tag_set_latest_at = std::make_shared<const Location>(*latest->line);
          } else if (const KustomizeUse::Deployment* unpinned = running.first_unpinned(name))
            container.image_deployed_unpinned_by = unpinned->display_path;
          else
            container.image_pinned_by_kustomize = true;
        }
    }
  }

  // The images the run's Skaffold configurations build and put in place when they deploy
  // (project/skaffold_index.h).
  void apply_skaffold(const SourceFile& file, k8s::Manifests& manifests) const {
    for (k8s::Workload& workload : manifests.workloads) {
      if (workload.file != &file) continue;  // a neighbour's: linted with its own file
      for (std::vector<k8s::Container>* list : {&workload.init_containers, &workload.containers})
        for (k8s::Container& container : *list) {
          std::string_view name = k8s::image_name_without_tag(container.image_text());
          if (std::optional<std::string> builder = skaffold_->builder_of(file.path(), name))
            container.image_built_by_skaffold = std::move(*builder);
        }
    }
  }

  // First step of a run (`contribution`): adds the file's task definitions to the index and notes
  // what its RunTask calls and services name without holding. Second step: links them to the task
  // definitions of other files, whose summaries it returns: `infrastructure` points into them.
  std::vector<std::shared_ptr<const TaskDefinitionSummary>> link_across_files(
      aws::Infrastructure& infrastructure, const std::vector<ecs::TaskDefinition>& tasks,
      IndexContribution* contribution) const {
    if (contribution) {
      std::vector<const ecs::TaskDefinition*> own;
      for (const ecs::TaskDefinition& task : tasks) own.push_back(&task);
      contribution->task_definitions = summarize_task_definitions(own);
      note_unlinked(infrastructure, *contribution);
    }
    if (task_definition_index_) return task_definition_index_->link(infrastructure);
    return {};
  }

  void run_infrastructure_rules(const aws::Infrastructure& infrastructure, std::vector<Finding>& findings) const {
    if (infrastructure.empty()) return;
    for (const RuleSelection::Entry& entry : selection_.enabled) {
      if (!entry.rule->check_infrastructure) continue;
      RuleContext context(*entry.rule, entry.severity, entry.options, config_.target, findings);
      entry.rule->check_infrastructure(infrastructure, context);
    }
  }

  // A bundle file that cannot be read at all (YAML syntax) reports why and has an empty model;
  // a text file with a broken line (nginx, Procfile) keeps the rest.
  void run_eb_rules(eb::BundleFile bundle, std::vector<Finding>& findings) const {
    for (const ParseDiagnostic& error : bundle.errors) report_parse_error(findings, *bundle.file, error.span, error.message);
    for (const RuleSelection::Entry& entry : selection_.enabled) {
      if (!entry.rule->check_eb_file) continue;
      RuleContext context(*entry.rule, entry.severity, entry.options, config_.target, findings);
      context.set_today(today_);
      entry.rule->check_eb_file(bundle, context);
    }
  }

  void run_task_definition_rules(const ecs::TaskDefinition& task, std::vector<Finding>& findings) const {
    for (const RuleSelection::Entry& entry : selection_.enabled) {
      if (!entry.rule->check_task_definition) continue;
      RuleContext context(*entry.rule, entry.severity, entry.options, config_.target, findings);
      context.set_today(today_);
      entry.rule->check_task_definition(task, context);
    }
  }

  void report_parse_error(std::vector<Finding>& findings, const SourceFile& file, Span span,
                          const std::string& message) const {
    if (!parse_error_) return;
    Finding finding;
    finding.rule_id = std::string(parse_error_->rule->id);
    finding.severity = parse_error_->severity;
    finding.message = message;
    finding.location = make_location(file, span);
    findings.push_back(std::move(finding));
  }

  void report_unused_suppressions(std::vector<Finding>& findings, const SourceFile& file,
                                  const std::vector<InlineSuppression>& suppressions) const {
    shiftlint::report_unused_suppressions(file, suppressions, selection_, findings);
  }

  const Config& config_;
  const RuleSelection& selection_;
  LoadLimits limits_;
  uint64_t max_file_bytes_;
  const RuleSelection::Entry* parse_error_;
  std::string today_;
  bool collect_facts_ = false;
  // Build-context files read in this run, shared by the worker threads (thread-safe).
  std::shared_ptr<docker::ContextFileCache> context_files_ = std::make_shared<docker::ContextFileCache>();
  std::shared_ptr<docker::NotedReads> context_reads_;
  bool collect_task_definitions_ = false;
  const TaskDefinitionIndex* task_definition_index_ = nullptr;
  // Kubernetes manifests of each folder read in this run, for linking workloads across files.
  std::shared_ptr<KubernetesNeighbourCache> kubernetes_neighbours_ = std::make_shared<KubernetesNeighbourCache>(limits_);
  // In a `check` run: its kustomization files; in the editor, the workspace's.
  std::shared_ptr<const KustomizeIndex> kustomizations_;
  std::shared_ptr<const SkaffoldIndex> skaffold_;
};

namespace {

// The date end-of-life tables are judged against, fixed once per run so that every file of a run
// (and a run that crosses midnight) sees the same one: --today, else the config's `today:`, else
// the system date.
std::string run_date(const Config& config, const std::optional<std::string>& requested) {
  if (requested) return *requested;
  if (config.today) return *config.today;
  return detect::system_today().to_string();
}

// `suppress:` paths are written relative to the config file's folder, like `exclude:`; findings
// are named relative to the scan root. `file_path` gives a finding's file on disk.
bool suppressed_by_config(const Config& config, const Finding& finding,
                          const std::function<std::string(const std::string&)>& file_path) {
  if (config.suppress.empty()) return false;
  std::string path = finding.location.path;
  if (!config.path.empty()) {
    std::error_code error;
    fs::path base = fs::absolute(config.directory(), error).lexically_normal();
    fs::path relative = fs::absolute(file_path(finding.location.path), error).lexically_normal().lexically_relative(base);
    if (!error && !relative.empty()) path = relative.generic_string();
  }
  for (const SuppressEntry& entry : config.suppress) {
    const Rule* rule = find_rule(entry.rule);
    bool rule_matches = rule ? rule->id == finding.rule_id : entry.rule == finding.rule_id;
    if (rule_matches && glob_match(entry.path_glob, path)) return true;
  }
  return false;
}

uint64_t fnv1a(std::string_view text, uint64_t hash = 1469598103934665603ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// fnv1a of the text with its whitespace normalised (runs of it one space, none at either end), as
// the text is read: no copy of the line per finding.
uint64_t fnv1a_normalised_whitespace(std::string_view text, uint64_t hash) {
  bool started = false, space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = started;
      continue;
    }
    if (space) hash = fnv1a(" ", hash);
    space = false;
    started = true;
    hash = fnv1a(std::string_view(&c, 1), hash);
  }
  return hash;
}

}  // namespace

bool rule_matches_token(const Rule& rule, std::string_view token) {
  if (equal_ignoring_case(token, "ALL")) return true;
  if (token == rule.slug) return true;
  // An id, a family ("ECS") or an id prefix ("ECS1" for ECS1xx).
  return token.size() <= rule.id.size() && equal_ignoring_case(rule.id.substr(0, token.size()), token);
}

const RuleSelection::Entry* RuleSelection::find(std::string_view id) const {
  for (const Entry& entry : enabled)
    if (entry.rule->id == id) return &entry;
  return nullptr;
}

RuleSelection select_rules(const Config& config, const std::vector<std::string>& select,
                           const std::vector<std::string>& ignore) {
  const std::vector<std::string>& selected = select.empty() ? config.select : select;
  RuleSelection selection;
  for (const Rule* rule : registered_rules()) {
    bool on = std::any_of(selected.begin(), selected.end(), [&](const std::string& token) {
      if (!rule->enabled_by_default) return equal_ignoring_case(token, rule->id) || token == rule->slug;
      return rule_matches_token(*rule, token);
    });
    auto ignored = [&](const std::vector<std::string>& tokens) {
      return std::any_of(tokens.begin(), tokens.end(), [&](const std::string& token) {
        return !equal_ignoring_case(token, "ALL") && rule_matches_token(*rule, token);
      });
    };
    if (!on || ignored(config.ignore) || ignored(ignore)) continue;
    Severity severity = rule->severity;
    for (const auto& [key, value] : config.severity)
      if (equal_ignoring_case(key, rule->id) || key == rule->slug) severity = value;
    RuleOptions options;
    for (const auto& [key, node] : config.rule_options)
      if (equal_ignoring_case(key, rule->id) || key == rule->slug) options = RuleOptions(node);
    selection.enabled.push_back({rule, severity, options});
  }
  return selection;
}

std::string unreadable_findings_warning(size_t files) {
  return fmt::format("the findings of {} files could not be read back from the temporary file", files);
}

FingerprintPath fingerprint_path_from_repository(const std::string& scan_root) {
  auto paths = std::make_shared<const RepositoryPaths>(scan_root);
  return [paths](std::string_view display_path) { return paths->name(display_path).path; };
}

void assign_fingerprints(std::vector<Finding>& findings, const FingerprintPath& path) {
  FingerprintCounter counter(path);
  for (Finding& finding : findings) counter.assign(finding);
}

void FingerprintCounter::assign(Finding& finding) {
  uint64_t hash = fnv1a(finding.rule_id);
  hash = fnv1a(std::string_view("\0", 1), hash);
  hash = fnv1a(path_ ? std::string_view(path_(finding.location.path)) : std::string_view(finding.location.path), hash);
  hash = fnv1a(std::string_view("\0", 1), hash);
  hash = fnv1a_normalised_whitespace(finding.location.begin_line_text, hash);
  if (!finding.fingerprint_detail.empty()) hash = fnv1a(finding.fingerprint_detail, fnv1a(std::string_view("\0", 1), hash));
  unsigned occurrence = occurrences_[hash]++;
  char text[16] = {'#'};
  char* end = std::to_chars(text + 1, text + sizeof text, occurrence).ptr;
  hash = fnv1a(std::string_view(text, end - text), hash);
  static constexpr char kHex[] = "0123456789abcdef";
  finding.fingerprint.assign(16, '0');
  for (int digit = 15; digit >= 0; --digit, hash >>= 4) finding.fingerprint[digit] = kHex[hash & 0xF];
}

namespace {

// Work that needs nothing of what the run does meanwhile (the Helm phase beside the Terraform phase,
// the per-file findings sorted beside the project phase): on a thread of its own when the run has
// several jobs, so that no core waits on the other's serial steps; at once with one job.
class WorkBeside {
 public:
  WorkBeside(bool beside, std::function<void()> work) {
    if (!beside) {
      work();
      return;
    }
    thread_ = std::thread([this, work = std::move(work)] {
      try {
        work();
      } catch (...) {
        error_ = std::current_exception();
      }
    });
  }
  ~WorkBeside() {
    if (thread_.joinable()) thread_.join();
  }
  // Waits for the work; what it threw is thrown here.
  void wait() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  std::thread thread_;
  std::exception_ptr error_;
};

// Whether the run's arguments include its scan root itself (`check .`, `check fixtures/demo`): then
// its own files are all there is to read. Otherwise it is a run of files or of folders below the
// root (the pre-commit hook passes the staged files from the repository's root), and reads what
// `check .` from there would read around them, so that they are judged alike.
bool walks_scan_root(const std::vector<std::string>& paths, const DiscoveryResult& discovered) {
  if (discovered.root.empty()) return true;
  std::error_code error;
  std::string current = fs::current_path(error).string();
  for (const std::string& path : paths) {
    std::string absolute = absolute_normal(path, current, error);
    if (!error && absolute == discovered.root) return true;
  }
  return false;
}

bool is_yaml_or_json(std::string_view path) {
  return path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json");
}

// Where a run of files reads around them: the scan root when it is a repository's root (the
// pre-commit hook runs from there), otherwise the repository of each file (the nearest folder
// holding `.git` between the file and the scan root), so that `check src/app/Dockerfile` typed in a
// home folder or in /tmp reads the app's repository and not everything under the current folder. A
// file in no repository below the scan root is read around in the scan root, as `check .` would.
struct ContextRoots {
  std::vector<std::string> folders;
  bool repositories = true;  // false: the scan root, which is none
};

ContextRoots context_roots(const DiscoveryResult& discovered) {
  const std::string& root = discovered.root;
  if (holds_repository(root)) return {{root}};
  const ContextRoots scan_root{{root}, false};
  std::set<std::string> roots;
  std::unordered_map<std::string, std::string> repository_of_folder;  // "" when none below the root
  for (const DiscoveredFile& file : discovered.files) {
    std::string path = file.path();
    if (path.size() <= root.size() + 1 || !path.starts_with(root) || (root != "/" && path[root.size()] != '/'))
      return scan_root;
    std::string folder = path.substr(0, path.find_last_of('/'));
    std::vector<std::string> asked;  // the folders walked up from this file, to remember their answer
    std::string repository;
    while (folder.size() > root.size()) {
      if (auto known = repository_of_folder.find(folder); known != repository_of_folder.end()) {
        repository = known->second;
        break;
      }
      asked.push_back(folder);
      if (holds_repository(folder)) {
        repository = folder;
        break;
      }
      folder.resize(folder.find_last_of('/'));
    }
    for (std::string& walked : asked) repository_of_folder.emplace(std::move(walked), repository);
    if (repository.empty()) return scan_root;
    roots.insert(std::move(repository));
  }
  if (roots.empty()) return scan_root;
  // A repository inside another one (a submodule, a vendored clone) is listed with the outer one.
  std::vector<std::string> outermost;
  for (const std::string& repository : roots)  // shorter first within a line of folders, so outer first
    if (std::none_of(outermost.begin(), outermost.end(),
                     [&](const std::string& outer) { return is_within_folder(repository, outer); }))
      outermost.push_back(repository);
  return {std::move(outermost)};
}

// The files of the run's context roots (context_roots), as a walk of them lists them (.gitignore,
// `exclude:`), with display paths relative to the scan root; bounded as the editor's search is.
DiscoveryResult list_context_roots(const ContextRoots& roots, const DiscoveryResult& discovered,
                                   const DiscoveryOptions& options, CheckOutcome& outcome) {
  DiscoveryOptions walk = options;
  walk.root = discovered.root;
  if (!walk.max_entries) walk.max_entries = kDeployConfigurationSearchEntries;
  DiscoveryResult listed = discover(roots.folders, walk);
  if (listed.stopped && roots.repositories)
    outcome.warnings.push_back(fmt::format("{}: looking for the files around the files given (kustomization, Skaffold, "
                                           "manifests, the apps' other files): stopped after listing {} entries, so the "
                                           "files are judged by the ones found before and the XF rules are left to a "
                                           "run of the whole repository",
                                           roots.folders.size() == 1 ? roots.folders.front() : discovered.root,
                                           walk.max_entries));
  else if (listed.stopped)
    outcome.warnings.push_back(fmt::format("{}: looking for the files around the files given (kustomization, Skaffold, "
                                           "manifests, the apps' other files) in this folder, since they are in no "
                                           "repository below it: stopped after listing {} entries, so the files are "
                                           "judged by the ones found before and the XF rules are left out; run "
                                           "shiftlint from the project's folder",
                                           discovered.root, walk.max_entries));
  return listed;
}

// The files of the scan root's listing, not among the run's, that define ECS task definitions: a
// task-definition JSON, a CloudFormation template (found by a look for `containerDefinitions` or
// `ContainerDefinitions` in their text; they are then linted with the run, which keeps only their
// findings at its own files, so that the task definition index holds theirs).
std::vector<DiscoveredFile> task_definition_files_of(const DiscoveryResult& listed, const DiscoveryResult& discovered,
                                                     uint64_t max_file_bytes) {
  std::unordered_set<std::string> run_paths;
  for (const DiscoveredFile& file : discovered.files) run_paths.insert(file.path());
  std::vector<DiscoveredFile> found;
  std::string text;
  for (const DiscoveredFile& file : listed.files) {
    std::string_view display = file.display_path();
    if (!is_yaml_or_json(display) && !display.ends_with(".template")) continue;
    std::string path = file.path();
    if (run_paths.contains(path) || is_terraform_name(file_name_of(display))) continue;
    text.clear();
    if (read_whole_file(path, max_file_bytes, text) != 0 || text.size() > max_file_bytes) continue;
    if (text.find("ontainerDefinitions") != std::string::npos) found.push_back(file);
  }
  return found;
}

// The Terraform files of the scan root's listing, not among the run's, when one of them defines an
// ECS task definition: the run's RunTask calls and services may name one (ECS103 compares an
// override with it), and Terraform evaluates modules whole, so all of them are read, as `check .`
// reads them. Empty when no .tf file mentions aws_ecs_task_definition.
std::vector<DiscoveredFile> terraform_defining_task_definitions(const DiscoveryResult& listed,
                                                                const DiscoveryResult& discovered,
                                                                uint64_t max_file_bytes) {
  // A module some of whose files are the run's is the run's Terraform phase's (it reads the rest).
  std::unordered_set<std::string> run_modules;
  for (const DiscoveredFile& file : discovered.files)
    if (is_terraform_name(file_name_of(file.display_path()))) run_modules.insert(fs::path(file.path()).parent_path().string());
  std::vector<DiscoveredFile> found;
  bool defines = false;
  std::string text;
  for (const DiscoveredFile& file : listed.files) {
    std::string_view display = file.display_path();
    if (!is_terraform_name(file_name_of(display))) continue;
    std::string path = file.path();
    if (run_modules.contains(fs::path(path).parent_path().string())) continue;
    found.push_back(file);
    if (defines || !display.ends_with(".tf")) continue;
    text.clear();
    if (read_whole_file(path, max_file_bytes, text) == 0 && text.find("aws_ecs_task_definition") != std::string::npos)
      defines = true;
  }
  if (!defines) found.clear();
  return found;
}

// A file's path relative to the scan root, as the files read around it name it: its display path
// but for a single file argument typed "/abs/web/run.sh" or "../web/run.sh", which keeps its path
// as typed (DiscoveryResult::root).
std::string root_path_of(const DiscoveredFile& file, const std::string& root) {
  std::string path = file.path();
  if (root == "/" && path.size() > 1) return path.substr(1);
  if (!root.empty() && path.size() > root.size() + 1 && path.starts_with(root) && path[root.size()] == '/')
    return path.substr(root.size() + 1);
  return std::string(file.display_path());
}

// The run's files by their root paths (root_path_of) and display paths, to the display paths.
std::unordered_map<std::string, std::string> run_files_by_root_path(const DiscoveryResult& discovered) {
  std::unordered_map<std::string, std::string> shown;
  for (const DiscoveredFile& file : discovered.files) {
    std::string display(file.display_path());
    shown.emplace(root_path_of(file, discovered.root), display);
    shown.emplace(display, display);
  }
  return shown;
}

// Keeps the findings at the run's files (run_files_by_root_path), named as its report names them.
void keep_findings_at_run_files(std::vector<Finding>& findings,
                                const std::unordered_map<std::string, std::string>& run_files) {
  std::erase_if(findings, [&](const Finding& finding) { return !run_files.contains(finding.location.path); });
  for (Finding& finding : findings) finding.location.path = run_files.at(finding.location.path);
}

// How the run names its files typed other than from the scan root, for their findings' related
// locations (name_related_as_typed): an absolute path names the others absolutely too; one typed
// "../k8s/hpa.yaml" puts "../k8s/" before the others' root paths.
struct TypedNames {
  std::string root;                                        // absolute, normal form
  std::unordered_map<std::string, std::string> prefixes;  // a "../" display path → what it puts before its root path
};

TypedNames typed_names(const DiscoveryResult& discovered) {
  TypedNames names{discovered.root, {}};
  for (const DiscoveredFile& file : discovered.files) {
    std::string_view display = file.display_path();
    if (!display.starts_with("../")) continue;  // relative to the root, or absolute (named from the root)
    std::string root_path = root_path_of(file, discovered.root);
    if (display.size() <= root_path.size() || !display.ends_with(root_path) ||
        display[display.size() - root_path.size() - 1] != '/')
      continue;
    names.prefixes.emplace(display, display.substr(0, display.size() - root_path.size()));
  }
  return names;
}

// The related locations of findings at files typed so (typed_names) are named the same way: the
// worker Deployment behind an autoscaler typed as /abs/k8s/hpa.yaml is /abs/k8s/worker.yaml, not
// k8s/worker.yaml (relative to a scan root that may not be the current folder).
void name_related_as_typed(std::vector<Finding>& findings, const TypedNames& names) {
  for (Finding& finding : findings) {
    if (finding.related.empty()) continue;
    const std::string& at = finding.location.path;
    std::string prefix;
    if (!at.empty() && at.front() == '/') {
      if (names.root.empty()) continue;
      prefix = names.root == "/" ? names.root : names.root + '/';
    } else if (auto found = names.prefixes.find(at); found != names.prefixes.end()) {
      prefix = found->second;
    } else {
      continue;
    }
    for (RelatedLocation& related : finding.related) {
      std::string& path = related.location.path;
      if (path.empty() || path.front() == '/' || names.prefixes.contains(path)) continue;
      path = fs::path(prefix + path).lexically_normal().generic_string();
    }
  }
}

// A file a Dockerfile may copy into its image and the DKR rules report at (an entrypoint script,
// a crontab, a supervisord.conf, an nginx.conf): any file whose name makes it none of the formats
// shiftlint reads (a shell script's kind depends on its text: it may be a RunTask script of its own
// and an image's entrypoint too), but YAML and JSON.
bool may_be_copied(std::string_view display_path) {
  return !is_yaml_or_json(display_path) && classify(display_path, {}) == FileKind::Unknown;
}

// What a run file is, by its name and, where the name leaves it open (a shell script, a
// `stack.template`, a `deployment.yaml.tmpl`), by its first 64 KiB, as its lint will classify it.
// `named`: the file's classification_path, when the caller has it already.
FileKind kind_of_run_file(const DiscoveredFile& file, std::string_view named) {
  std::string_view display = named;
  if (!is_candidate_name(display)) return FileKind::Unknown;
  if (FileKind by_name = classify(display, {}); by_name != FileKind::Unknown) return by_name;
  std::string head;
  read_whole_file(file.path(), 1 << 16, head);
  return refine_by_location(classify(display, std::string_view(head).substr(0, 1 << 16)), file.path());
}

FileKind kind_of_run_file(const DiscoveredFile& file) {
  return kind_of_run_file(file, classification_path(file.display_path(), file.path()));
}

// Whether a run file is of a format whose rules judge it with the rest of the scan root (the XF
// rules): a file of no format shiftlint reads is judged through the Dockerfiles that copy it
// (may_be_copied), and so is a shell script, whatever else it is.
bool judged_across_root(const DiscoveredFile& file) {
  const std::string named = classification_path(file.display_path(), file.path());
  std::string_view display = named;
  if (!is_candidate_name(display)) return false;
  if (!may_be_copied(display)) return true;
  std::string name = to_lower_ascii(std::string(file_name_of(display)));
  if (name.ends_with(".sh") || name.ends_with(".bash")) return false;
  return kind_of_run_file(file, named) != FileKind::Unknown;  // a CloudFormation `.template`, an envsubst manifest
}

bool selects_dockerfile_rules(const RuleSelection& selection) {
  return std::any_of(selection.enabled.begin(), selection.enabled.end(),
                     [](const RuleSelection::Entry& entry) { return entry.rule->check_dockerfile != nullptr; });
}

// The Dockerfiles of the listing, not among the run's: a file of the run that is neither a
// Dockerfile, Terraform, YAML nor JSON may be what one of them copies into its image (an entrypoint
// script, a crontab, a supervisord.conf, an nginx.conf), and the DKR rules report what the image
// does with it at its lines. Any Dockerfile may copy it: its build context is the folder, from its
// own up to the scan root, that holds the most of its COPY sources (docker/build_context.h).
std::vector<DiscoveredFile> dockerfiles_of(const DiscoveryResult& listed, const DiscoveryResult& discovered) {
  std::unordered_set<std::string> run_paths;
  for (const DiscoveredFile& file : discovered.files) run_paths.insert(file.path());
  std::vector<DiscoveredFile> found;
  for (const DiscoveredFile& file : listed.files)
    if (classify(file_name_of(file.display_path()), {}) == FileKind::Dockerfile && !run_paths.contains(file.path()))
      found.push_back(file);
  return found;
}

// What a run of files reads around its YAML and JSON files in the scan root's listing: the
// kustomization and Skaffold files (a manifest or a chart is judged as they deploy it, whether or
// not they are among the files), and the other YAML and JSON files of their folders (a Deployment
// is linked with the autoscaler and the claims beside it: project/kubernetes_neighbours.h; they are
// linted with the run too, for the findings they make at its files). Null when none of the run's
// files is YAML or JSON.
std::shared_ptr<const AroundRunFiles> around_run_files(const DiscoveryResult& discovered, const DiscoveryResult& listed,
                                                       const LoadLimits& limits) {
  std::unordered_set<std::string> run_paths;
  std::unordered_set<std::string> run_folders;  // of the run's YAML and JSON files
  for (const DiscoveredFile& file : discovered.files) {
    if (!is_yaml_or_json(file.display_path())) continue;
    std::string path = file.path();
    run_folders.insert(path.substr(0, path.find_last_of('/')));
    run_paths.insert(std::move(path));
  }
  if (run_paths.empty()) return nullptr;
  auto around = std::make_shared<AroundRunFiles>();
  around->deploy = index_deploy_configurations(listed.files, discovered.files, limits);
  for (const DiscoveredFile& file : listed.files) {
    if (!is_yaml_or_json(file.display_path())) continue;
    std::string path = file.path();
    if (run_paths.contains(path) || !run_folders.contains(path.substr(0, path.find_last_of('/')))) continue;
    around->beside.push_back(file);
  }
  return around;
}

// A run in a folder of a git repository (`cd k8s/base && shiftlint check .`): the deploy tools'
// files of the whole repository (kustomizations, Skaffold configurations), named from the scan root,
// so that an image every overlay above pins counts as pinned and a chart a Skaffold release at the
// root deploys renders as that release, as in a run from the repository's root. nullptr when the
// scan root is no folder of a repository, or is its root.
std::shared_ptr<const DeployConfigurations> deploy_configurations_above(const DiscoveryResult& discovered,
                                                                        const DiscoveryOptions& options,
                                                                        const LoadLimits& limits) {
  if (discovered.root.empty() || read_bound_of(discovered.root) == discovered.root) return nullptr;
  DiscoveryOptions walk = options;
  if (!walk.max_entries) walk.max_entries = kDeployConfigurationSearchEntries;
  return find_deploy_configurations(discovered.root, walk, limits, discovered.files);
}

// A run of files judges its apps across the whole scan root: the XF rules compare an app's old
// host (.ebextensions, Procfile, cron.yaml) with its new side (Dockerfile, task definition,
// manifests), and a run holding only the files a commit changed would judge an app by the half that
// changed ("no task definition in this run runs app web" when it is only unchanged). So the project
// rules run on the whole root, as `check .` runs them, and the findings at the run's files are kept,
// as for every other rule: a finding elsewhere is left to the full run, even when a change to one of
// the run's files caused it (the hook blocks a commit for what it changed, not for its context).
std::vector<Finding> project_findings_across_root(const CheckRequest& request, const RuleSelection& selection,
                                                  const DiscoveryResult& discovered, const ContextRoots& roots,
                                                  CheckOutcome& outcome) {
  CheckRequest whole = request;
  whole.paths = roots.folders;
  whole.root = discovered.root;  // the same display paths as the run's
  whole.read_around = false;     // its paths are all there is
  whole.select.clear();
  for (const RuleSelection::Entry& entry : selection.enabled)
    if (entry.rule->check_project) whole.select.emplace_back(entry.rule->id);
  whole.ignore.clear();
  whole.stream_findings = false;
  whole.build_project = false;
  CheckOutcome across = run_check(whole);  // cancelled with the run: its own check of the flag says so
  for (std::string& warning : across.warnings) outcome.warnings.push_back(std::move(warning));
  keep_findings_at_run_files(across.summary.findings, run_files_by_root_path(discovered));
  name_related_as_typed(across.summary.findings, typed_names(discovered));
  return std::move(across.summary.findings);
}

}  // namespace

CheckOutcome run_check(const CheckRequest& request) {
  CheckOutcome outcome;
  const Config& config = *request.config;
  RuleSelection selection = select_rules(config, request.select, request.ignore);

  DiscoveryOptions discovery_options;
  discovery_options.exclude = config.exclude;
  discovery_options.exclude_base = config.directory();
  discovery_options.use_gitignore = request.respect_gitignore.value_or(config.respect_gitignore);
  discovery_options.root = request.root;
  discovery_options.jobs = request.jobs ? request.jobs : std::max(1u, std::thread::hardware_concurrency());
  discovery_options.cancel = request.cancel;
  discovery_options.max_entries = request.max_walk_entries;
  auto cancelled = [&] { return request.cancel && request.cancel->load(std::memory_order_relaxed); };
  std::vector<std::string> paths = request.paths.empty() ? std::vector<std::string>{"."} : request.paths;
  DiscoveryResult discovered = discover(paths, discovery_options);
  if (cancelled()) {
    outcome.cancelled = true;
    return outcome;
  }
  for (const DiscoveryProblem& problem : discovered.problems)
    outcome.warnings.push_back(fmt::format("{}: {}", problem.path, problem.message));

  // The config's `limits:` replace the request's defaults (tests and embedders set those).
  LoadLimits limits = request.limits;
  if (config.limits.max_nesting_depth) limits.max_depth = *config.limits.max_nesting_depth;
  if (config.limits.max_nodes) limits.max_nodes = *config.limits.max_nodes;
  uint64_t max_file_bytes = config.limits.max_file_bytes.value_or(request.max_file_bytes);
  FileLinter linter(config, selection, limits, max_file_bytes, run_date(config, request.today));
  // A run of files (not of its scan root) reads around them what `check .` would (walks_scan_root).
  bool of_files = request.read_around && !request.skaffold && !walks_scan_root(paths, discovered);
  // Only files of the formats shiftlint reads by name carry XF findings (an entrypoint script or a
  // crontab a Dockerfile copies gets its findings through the Dockerfile).
  bool project_across_root = of_files && !request.build_project && selects_project_rules(selection) &&
                             std::any_of(discovered.files.begin(), discovered.files.end(), judged_across_root);
  std::shared_ptr<const AroundRunFiles> around;
  std::vector<DiscoveredFile> task_definition_files;  // the root's, for the run's RunTask calls and services
  std::vector<DiscoveredFile> terraform_task_definitions;  // the root's Terraform, for the same
  std::vector<DiscoveredFile> copying_dockerfiles;    // the root's, for the run's build-context files
  ContextRoots context;                               // where the run reads around its files
  bool project_left_out = false;                      // to a run of the whole repository
  // A file a Dockerfile may copy (an entrypoint script, a crontab): the Dockerfiles report its hazards there.
  bool run_may_be_copied = of_files && std::any_of(discovered.files.begin(), discovered.files.end(), [](const DiscoveredFile& file) {
    return may_be_copied(file.display_path());
  });
  if (of_files) {
    bool any_yaml_or_json = std::any_of(discovered.files.begin(), discovered.files.end(),
                                        [](const DiscoveredFile& file) { return is_yaml_or_json(file.display_path()); });
    // A RunTask call, a scheduled target or a service can be written in any file shiftlint reads but a
    // Dockerfile or Terraform (whose modules the Terraform phase reads whole); not in one it does not
    // read (a shell script without `run-task`, a YAML file of no format it knows).
    bool may_name_task_definitions = std::any_of(discovered.files.begin(), discovered.files.end(), [](const DiscoveredFile& file) {
      std::string_view path = file.display_path();
      if (!is_candidate_name(path) || is_terraform_name(file_name_of(path))) return false;
      FileKind kind = kind_of_run_file(file);
      return kind != FileKind::Unknown && kind != FileKind::Dockerfile;
    });
    if (any_yaml_or_json || project_across_root || may_name_task_definitions || run_may_be_copied) {
      context = context_roots(discovered);
      DiscoveryResult listed = list_context_roots(context, discovered, discovery_options, outcome);
      // A listing cut short is of a folder far larger than a project (a home folder): the XF rules
      // over it would lint up to its bound of files to judge the apps by halves.
      if (listed.stopped && project_across_root) {
        project_across_root = false;
        project_left_out = true;
      }
      if (may_name_task_definitions) {
        task_definition_files = task_definition_files_of(listed, discovered, max_file_bytes);
        terraform_task_definitions = terraform_defining_task_definitions(listed, discovered, max_file_bytes);
      }
      if (run_may_be_copied && selects_dockerfile_rules(selection)) copying_dockerfiles = dockerfiles_of(listed, discovered);
      around = around_run_files(discovered, listed, limits);
      // Without an app's old host anywhere in the root, no project rule has anything to judge; and a
      // run given every file of its root (`check $(git ls-files)`) judges its project itself.
      if (project_across_root && may_hold_apps(listed, config)) {
        std::unordered_set<std::string> run_paths;
        for (const DiscoveredFile& file : discovered.files) run_paths.insert(file.path());
        project_across_root = std::any_of(listed.files.begin(), listed.files.end(),
                                          [&](const DiscoveredFile& file) { return !run_paths.contains(file.path()); });
      } else {
        project_across_root = false;
      }
    }
  }
  std::vector<Finding> project_findings_of_root;
  if (project_across_root) project_findings_of_root = project_findings_across_root(request, selection, discovered, context, outcome);
  // The manifests beside the run's own are linted with them, for the findings they make at the
  // run's files (a queue worker's Deployment makes K8S009's finding at the autoscaler in hpa.yaml
  // beside it); their other findings are theirs, not the run's (context_only).
  // So are the files of the root that define task definitions, for the RunTask calls and services of
  // the run's files that name one (ECS103 compares an override with it).
  std::vector<char> context_only;
  std::unordered_map<std::string, std::string> run_files;  // run_files_by_root_path
  if ((around && !around->beside.empty()) || !task_definition_files.empty() || !copying_dockerfiles.empty()) {
    run_files = run_files_by_root_path(discovered);
    std::unordered_set<std::string> beside;
    auto add = [&](const DiscoveredFile& file) {
      std::string_view path = file.display_path();
      if (is_terraform_name(file_name_of(path))) return;  // a module's: Terraform reads it
      if (beside.emplace(path).second) discovered.files.push_back(file);
    };
    if (around)
      for (const DiscoveredFile& file : around->beside) add(file);
    for (const DiscoveredFile& file : task_definition_files) add(file);
    for (const DiscoveredFile& file : copying_dockerfiles) add(file);
    std::vector<DiscoveredFile>().swap(task_definition_files);
    std::vector<DiscoveredFile>().swap(copying_dockerfiles);
    std::sort(discovered.files.begin(), discovered.files.end(),
              [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.display_path() < b.display_path(); });
    context_only.resize(discovered.files.size());
    for (size_t i = 0; i < discovered.files.size(); ++i)
      context_only[i] = beside.contains(std::string(discovered.files[i].display_path()));
  }
  // Those of the run's files that only a Dockerfile's build context reads count as analysed when one did.
  std::vector<std::string> copied_run_files;  // by the path a build context reads them by; "" for the others
  std::shared_ptr<docker::NotedReads> context_reads;
  if (run_may_be_copied) {
    copied_run_files.resize(discovered.files.size());
    std::vector<std::string> watched;
    for (size_t i = 0; i < discovered.files.size(); ++i) {
      if ((!context_only.empty() && context_only[i]) || !may_be_copied(discovered.files[i].display_path())) continue;
      copied_run_files[i] = root_path_of(discovered.files[i], discovered.root);
      watched.push_back(copied_run_files[i]);
    }
    context_reads = std::make_shared<docker::NotedReads>(std::move(watched));
    linter.note_context_reads(context_reads);
  }
  // Run in a folder of a repository, the deploy tools' files are the repository's (above).
  if (!request.skaffold && (!around || !context.repositories) &&
      std::any_of(discovered.files.begin(), discovered.files.end(),
                  [](const DiscoveredFile& file) { return is_yaml_or_json(file.display_path()); })) {
    if (auto deploy = deploy_configurations_above(discovered, discovery_options, limits)) {
      auto above = std::make_shared<AroundRunFiles>();
      above->deploy = std::move(deploy);
      if (around) above->beside = around->beside;
      around = std::move(above);
    }
  }
  linter.link_kubernetes_within(discovered.files, around);
  if (request.skaffold) linter.use_skaffold(request.skaffold);
  linter.remember_real_paths(discovered.real_paths);
  std::vector<std::pair<std::string, std::string>>().swap(discovered.real_paths);  // the cache has them
  linter.collect_task_definitions();
  bool project_phase = !project_across_root && !project_left_out &&
                       (request.build_project || selects_project_rules(selection)) &&
                       may_hold_apps(discovered, config);
  if (project_phase) linter.collect_project_facts();
  const TypedNames typed_run_files = typed_names(discovered);
  std::vector<FileSlot> results(discovered.files.size());
  // Task definitions across files: each file's summaries wait on disk (project/task_definition_index.h).
  auto task_definitions = std::make_unique<TaskDefinitionIndex>();
  // The files' findings wait on disk while the later phases run, and until the report reads them
  // (finding_spill.h, finding_stream.h).
  auto spill = std::make_shared<FindingSpill>();
  project::FactsSpill facts_spill;  // and the bulk of their summaries (project/facts_spill.h)
  unsigned jobs = request.jobs ? request.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Lints discovered.files[order[i]] into its own slot, on `jobs` threads.
  auto lint_files = [&](const std::vector<size_t>& order) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t index = next++; index < order.size() && !cancelled(); index = next++) {
        const DiscoveredFile& file = discovered.files[order[index]];
        bool only_context = !context_only.empty() && context_only[order[index]];
        FileOutcome linted = linter.lint_file(file, only_context && context_reads != nullptr);
        if (only_context) {
          // Linted for the run's files: only what it finds at them is reported.
          keep_findings_at_run_files(linted.findings, run_files);
          linted.analyzed = false;
        }
        name_related_as_typed(linted.findings, typed_run_files);
        FileSlot& result = results[order[index]];
        result = FileSlot();  // a file linted again: its slot anew
        result.analyzed = linted.analyzed;
        result.without_suppressions = linted.without_suppressions;
        if (!linted.findings.empty()) {
          // Sorted here, on the workers: the report merges the files' lists (finding_stream.h).
          std::stable_sort(linted.findings.begin(), linted.findings.end(), finding_order);
          const Location& first = linted.findings.front().location;
          if (first.path != file.display_path()) result.rest_of().first_path = first.path;
          result.first_position = first.span.begin;
          if (std::optional<FindingSpill::Record> record = spill->write(linted.findings)) {
            result.set_record(*record);
          } else {
            result.rest_of().findings = std::move(linted.findings);
          }
        }
        if (linted.contribution) {
          task_definitions->stow(*linted.contribution);
          result.rest_of().contribution = std::move(linted.contribution);
        }
        if (linted.facts) {
          facts_spill.stow(*linted.facts);
          if (std::optional<project::StowedPart> aside = facts_spill.set_aside(*linted.facts))
            result.set_facts_aside(*aside);
          else
            result.rest_of().facts = std::move(linted.facts);
        }
        linter.file_done(discovered.files[order[index]]);  // a second time does nothing
      }
    };
    unsigned threads = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, order.size())));
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < threads; ++i) workers.emplace_back(work);
    work();
    for (std::thread& worker : workers) worker.join();
  };
  std::vector<size_t> every_file(results.size());
  for (size_t i = 0; i < every_file.size(); ++i) every_file[i] = i;
  lint_files(every_file);
  if (cancelled()) {  // before the Helm, Terraform and project phases, which take their time too
    outcome.cancelled = true;
    return outcome;
  }
  linter.forget_build_context_files();
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, results.size())));
  outcome.disposal = std::make_shared<Disposal>(jobs > 1);
  Disposal& disposal = *outcome.disposal;
  // --- task definitions across files: the index, in discovery order (project/task_definition_index.h) ---
  for (FileSlot& result : results) {
    IndexContribution* contribution = result.contribution();
    if (!contribution) continue;
    task_definitions->add(*contribution);
    // Kept only by files that name a task definition they do not hold (linked below).
    if (contribution->unlinked_families.empty() && contribution->unlinked_service_definitions.empty())
      result.drop_contribution();
  }
  // --- end task definitions across files ---

  RunSummary& summary = outcome.summary;
  summary.root_directory = discovered.root;
  auto on_disk = [&](const std::string& display_path) {
    return fs::path(display_path).is_absolute() ? display_path : (fs::path(discovered.root) / display_path).string();
  };
  auto suppressed = [&](const Finding& finding) { return suppressed_by_config(config, finding, on_disk); };
  // --- Helm charts: rendered, then linted as Kubernetes manifests (helm_phase.cpp); nothing of the
  // Terraform phase is read there, so it runs beside it ---
  HelmPhaseOutcome helm;
  std::string today = run_date(config, request.today);
  // The Skaffold configurations the charts are deployed by: held here, since the linter goes (below)
  // while the phase may still run beside.
  std::shared_ptr<const SkaffoldIndex> skaffold = linter.skaffold();
  WorkBeside helm_beside(jobs > 1, [&, skaffold] {
    helm = run_helm_phase(discovered, config, selection, request.limits, jobs, today, skaffold.get());
  });
  // --- Terraform: per module, not per file (terraform_phase.cpp) ---
  // Its findings go to the spill as each root module is evaluated, in lists of one path each: the
  // report reads them as it reads a file's, ranked before every other source.
  TerraformPhaseOutcome terraform =
      run_terraform_phase(discovered, config, selection, limits, jobs, *spill,
                          [&](const Finding& finding) { return !suppressed(finding); }, task_definitions.get(),
                          project_phase ? &facts_spill : nullptr);
  summary.files_analyzed += terraform.files_analyzed;
  for (std::string& warning : terraform.warnings) outcome.warnings.push_back(std::move(warning));
  if (!terraform_task_definitions.empty()) {
    // The root's Terraform, read for its task definitions only: its findings are a full run's.
    DiscoveryResult around_terraform;
    around_terraform.root = discovered.root;
    around_terraform.files = std::move(terraform_task_definitions);
    FindingSpill unused;
    run_terraform_phase(around_terraform, config, selection, limits, jobs, unused, [](const Finding&) { return false; },
                        task_definitions.get());
  }
  // --- task definitions across files: files naming a task definition of another file, linted
  // again with the complete index ---
  std::vector<size_t> linkable;
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].contribution() && task_definitions->resolves_any(*results[i].contribution())) linkable.push_back(i);
  linter.link_task_definitions(*task_definitions);
  lint_files(linkable);
  // No file is linted again: the linter's caches of the run (build-context files, Kubernetes
  // neighbours) go now, not after the project phase.
  disposal.dispose(std::move(linter));
  // Nothing reads the summaries again: they go before the Helm and project phases.
  task_definitions.reset();
  for (FileSlot& result : results) result.drop_contribution();
  // --- end task definitions across files ---
  // --- end Terraform ---
  // --- Helm charts ---
  helm_beside.wait();
  summary.files_analyzed += helm.files_analyzed;
  for (std::string& warning : helm.warnings) outcome.warnings.push_back(std::move(warning));
  // --- end Helm charts: its findings are filtered once the files' findings are back (below) ---
  if (cancelled()) {  // the Helm and Terraform phases ran to their end; the project phase does not start
    outcome.cancelled = true;
    return outcome;
  }
  // --- the project: apps linked across files, their parity, the XF rules (project_phase.cpp) ---
  std::vector<Finding> project_findings;
  // The XF findings, on disk in lists of one path each (project_phase.h): the report reads them as
  // it reads a file's, ranked after the phases' findings and before the files'.
  std::vector<FindingStream::FileFindings> project_lists;
  if (project_phase) {
    facts_spill.stow(terraform.facts);
    facts_spill.stow(helm.facts);
    // The files' facts in discovery order, then the Terraform and Helm phases': those set aside on
    // disk are read back one file at a time, into lists allocated once at their size.
    project::FactsSpill::Counts counts;
    auto count = [&](const project::FileFacts& part) {
      counts.host_files += part.host_files.size();
      counts.images += part.images.size();
      counts.deployments += part.deployments.size();
      counts.scheduled_runs += part.scheduled_runs.size();
    };
    for (const FileSlot& result : results) {
      if (result.facts()) count(*result.facts());
      else if (auto aside = result.facts_aside()) facts_spill.count_aside(*aside, counts);  // take_back tells
    }
    count(terraform.facts);
    count(helm.facts);
    // The deployments go to a compact table as they come (project/deployment_table.h): they are
    // most of the facts, and each waits on disk until its app's turn.
    project::FileFacts facts;
    facts.host_files.reserve(counts.host_files);
    facts.images.reserve(counts.images);
    facts.scheduled_runs.reserve(counts.scheduled_runs);
    project::DeploymentTable deployments;
    deployments.reserve(counts.deployments);
    auto take = [&](project::FileFacts& part) {
      for (project::DeploymentFacts& deployment : part.deployments) deployments.add(std::move(deployment), &facts_spill);
      part.deployments.clear();
      facts.append(std::move(part));
      part.host_files.clear();
      part.images.clear();
      part.scheduled_runs.clear();
    };
    size_t unreadable_files = 0;
    project::FileFacts taken_back;
    for (FileSlot& result : results) {
      if (result.facts()) {
        take(*result.facts());
        result.drop_facts();
      } else if (auto aside = result.facts_aside()) {
        if (facts_spill.take_back(*aside, taken_back)) take(taken_back);
        else ++unreadable_files;
      }
    }
    if (unreadable_files)
      outcome.warnings.push_back(fmt::format("the summaries of {} files could not be read back from the temporary file: "
                                             "the parity and XF findings may be incomplete",
                                             unreadable_files));
    take(terraform.facts);
    take(helm.facts);
    terraform.facts = {};
    helm.facts = {};
    project::ProjectFacts all{std::move(facts.host_files), std::move(facts.images), {}, std::move(facts.scheduled_runs)};
    // The files the per-file phase read whole and found no `shiftlint-ignore` in are not read again
    // for suppressions of project rules (discovered.files is sorted by display path).
    auto may_hold_suppressions = [&](std::string_view display_path) {
      auto found = std::lower_bound(discovered.files.begin(), discovered.files.end(), display_path,
                                    [](const DiscoveredFile& file, std::string_view path) { return file.display_path() < path; });
      if (found == discovered.files.end() || found->display_path() != display_path) return true;
      return !results[static_cast<size_t>(found - discovered.files.begin())].without_suppressions;
    };
    ProjectPhaseOutcome project = run_project_phase(std::move(all), std::move(deployments), discovered, config, selection, request.build_project,
                                                        &facts_spill, spill.get(), may_hold_suppressions, jobs);
    project_findings = std::move(project.findings);
    project_lists = std::move(project.spilled_findings);
    for (std::string& warning : project.warnings) outcome.warnings.push_back(std::move(warning));
    if (request.build_project) outcome.project = std::move(project.project);
    disposal.dispose(std::move(project));
  } else if (request.build_project) {
    outcome.project = std::make_shared<project::Project>();  // nothing of an app in this run
  } else {
    project_findings = std::move(project_findings_of_root);  // a run of files: judged across its root
  }
  // --- end the project ---
  // --- the files' findings stay on disk: the report reads them back in order, merged with the
  // phases' (finding_stream.h) ---
  // The Helm findings a file's finding makes redundant: a rendered value already reported in the
  // chart's values file (K8S010 on a literal secret) is reported there once, not again at every
  // template line that prints it.
  using Place = std::tuple<std::string_view, std::string_view, uint32_t, uint32_t>;  // rule, path, line, column
  std::set<Place> helm_values;
  for (const Finding& finding : helm.findings)
    for (const RelatedLocation& related : finding.related)
      helm_values.emplace(finding.rule_id, related.location.path, related.location.span.begin.line,
                          related.location.span.begin.column);
  std::set<Place> reported_values;  // of helm_values, the places a file's finding reports
  if (!helm_values.empty()) {  // one pass over the files' findings, in one part per job
    std::vector<std::set<Place>> parts(jobs);
    auto read_part = [&](size_t part) {
      auto reports_value = [&](std::string_view rule_id, std::string_view path, Position begin) {
        auto found = helm_values.find(Place{rule_id, path, begin.line, begin.column});
        if (found == helm_values.end()) return;
        Finding finding;
        finding.rule_id = rule_id;
        finding.location.path = path;
        if (terraform.supersedes(finding)) return;  // a file Terraform read into a resource: reported with it
        parts[part].insert(*found);
      };
      FindingSpill::Cursor cursor;  // only where each finding is: the rest is stepped over
      FindingSpill::Place place;
      for (size_t index = part * results.size() / jobs; index < (part + 1) * results.size() / jobs; ++index) {
        const FileSlot& result = results[index];
        if (!result.spilled) {
          if (result.rest)
            for (const Finding& finding : result.rest->findings)
              reports_value(finding.rule_id, finding.location.path, finding.location.span.begin);
        } else if (cursor.open(*spill, *result.record())) {  // what cannot be read the report tells
          while (cursor.skim(place)) reports_value(place.rule_id, place.path, place.begin);
        }
      }
    };
    std::vector<std::unique_ptr<WorkBeside>> beside;
    for (size_t part = 1; part < jobs; ++part)
      beside.push_back(std::make_unique<WorkBeside>(true, [&, part] { read_part(part); }));
    read_part(0);
    for (auto& work : beside) work->wait();
    for (std::set<Place>& part : parts) reported_values.merge(part);
  }
  // --- Helm charts, continued ---
  for (Finding& finding : helm.findings) {
    bool reported_at_value = std::any_of(finding.related.begin(), finding.related.end(), [&](const RelatedLocation& related) {
      return reported_values.count({finding.rule_id, related.location.path, related.location.span.begin.line,
                                    related.location.span.begin.column}) > 0;
    });
    if (!reported_at_value && !suppressed(finding)) summary.findings.push_back(std::move(finding));
  }
  // --- end Helm charts ---
  for (Finding& finding : project_findings)
    if (!suppressed(finding)) summary.findings.push_back(std::move(finding));
  // Terraform's lists, then the Helm and project findings, then the project's lists and the files'
  // ones: where two findings are equal in order, that is the order they keep.
  std::stable_sort(summary.findings.begin(), summary.findings.end(), finding_order);
  std::vector<FindingStream::FileFindings> files = std::move(terraform.findings);
  if (!summary.findings.empty()) {
    FindingStream::FileFindings phases;
    phases.first_path = summary.findings.front().location.path;
    phases.first_position = summary.findings.front().location.span.begin;
    phases.findings = std::move(summary.findings);
    phases.filtered = false;
    files.push_back(std::move(phases));
  }
  // The project's lists take keep_file_finding like a file's: the config's suppressions, as the
  // phases' findings above (no Terraform finding supersedes a project rule's).
  for (FindingStream::FileFindings& list : project_lists) files.push_back(std::move(list));
  for (size_t index = 0; index < results.size(); ++index) {
    FileSlot& result = results[index];
    if (result.analyzed || (context_reads && !copied_run_files[index].empty() &&
                            context_reads->was_read(copied_run_files[index])))
      ++summary.files_analyzed;
    if (!result.has_findings()) continue;
    FindingStream::FileFindings list;
    list.spilled = result.record();
    list.first_position = result.first_position;
    if (result.rest) {
      list.findings = std::move(result.rest->findings);
      list.first_path = std::move(result.rest->first_path);
    }
    if (list.first_path.empty()) list.first_path = discovered.files[index].display_path();
    files.push_back(std::move(list));
  }
  auto superseding = std::make_shared<TerraformPhaseOutcome>();
  superseding->read_files = std::move(terraform.read_files);
  auto keep_file_finding = [&config, root = discovered.root, superseding](const Finding& finding) {
    if (superseding->supersedes(finding)) return false;  // a file Terraform read into a resource: reported with it
    return !suppressed_by_config(config, finding, [&](const std::string& display_path) {
      return fs::path(display_path).is_absolute() ? display_path : (fs::path(root) / display_path).string();
    });
  };
  auto stream = std::make_shared<FindingStream>(std::move(spill), std::vector<Finding>(), std::move(files),
                                                keep_file_finding, fingerprint_path_from_repository(discovered.root));
  summary.findings = {};
  disposal.dispose(std::move(project_findings));
  disposal.dispose(std::move(results));
  disposal.dispose(std::move(terraform));
  disposal.dispose(std::move(helm));
  if (request.stream_findings) {
    outcome.findings = std::move(stream);
    return outcome;
  }
  summary.findings.reserve(stream->at_most());
  if (size_t unreadable = stream->for_each([&](Finding& finding) { summary.findings.push_back(std::move(finding)); }))
    outcome.warnings.push_back(unreadable_findings_warning(unreadable));
  return outcome;
}

}  // namespace shiftlint

namespace shiftlint {

std::optional<std::vector<Finding>> lint_source(const std::shared_ptr<const SourceFile>& file, const Config& config,
                                                const RuleSelection& selection, const LoadLimits& limits,
                                                std::shared_ptr<const KustomizeIndex> kustomizations,
                                                std::shared_ptr<const SkaffoldIndex> skaffold) {
  FileKind kind = refine_by_location(
      classify(classification_path(file->display_path(), file->path()), file->text().substr(0, 1 << 16)), file->path());
  if (kind == FileKind::Unknown) return std::nullopt;
  FileLinter linter(config, selection, limits, UINT64_MAX, run_date(config, std::nullopt));
  if (kustomizations) linter.use_kustomizations(std::move(kustomizations));
  if (skaffold) linter.use_skaffold(std::move(skaffold));
  std::vector<Finding> findings = syntax_of(kind) == Syntax::Hcl ? lint_terraform_source(file, config, selection, limits)
                                                                 : linter.lint_text(file, kind);
  auto on_disk = [&](const std::string& display_path) {
    return display_path == file->display_path() ? file->path() : display_path;
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& finding) { return suppressed_by_config(config, finding, on_disk); }),
                 findings.end());
  std::stable_sort(findings.begin(), findings.end(), finding_order);
  assign_fingerprints(findings);
  return findings;
}

}  // namespace shiftlint

namespace shiftlint {

void report_unused_suppressions(const SourceFile& file, const std::vector<InlineSuppression>& suppressions,
                                const RuleSelection& selection, std::vector<Finding>& findings) {
  const RuleSelection::Entry* unused_suppression = selection.find("SL003");
  if (!unused_suppression) return;
  for (const InlineSuppression& suppression : suppressions) {
    for (size_t i = 0; i < suppression.rules.size(); ++i) {
      if (suppression.used[i]) continue;
      const std::string& id = suppression.rules[i];
      // Project rules (XF) report after every file is linted: the project phase judges these.
      if (const Rule* rule = find_rule(id); rule && rule->check_project) continue;
      std::string message;
      if (!find_rule(id)) {
        message = fmt::format("suppression names an unknown rule '{}'; use an id such as ECS001 "
                              "or a slug (see `shiftlint rules`)", id);
      } else if (selection.find(id)) {
        message = fmt::format("suppression of {} matched no finding; remove it", id);
      } else {
        continue;  // the rule is disabled in this run, so silence is expected
      }
      Finding finding;
      finding.rule_id = std::string(unused_suppression->rule->id);
      finding.severity = unused_suppression->severity;
      finding.message = std::move(message);
      finding.location = make_location(file, suppression.span);
      findings.push_back(std::move(finding));
    }
  }
}

}  // namespace shiftlint
