#include "analyzer/engine/terraform_phase.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "analyzer/engine/suppression.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/terraform/aws_resources.h"
#include "analyzer/model/terraform/ecs_task_definitions.h"
#include "analyzer/model/terraform/evaluator.h"
#include "analyzer/model/terraform/scan_root.h"
#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/json_loader.h"
#include "analyzer/project/task_definition_index.h"
#include "analyzer/source/ascii_case.h"
#include "analyzer/source/classify.h"

namespace fs = std::filesystem;

namespace shiftlint {

namespace {

using terraform::EvaluationFailure;
using terraform::ModuleSource;
using terraform::ScanRoot;
using terraform::VariableValues;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string base_name(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// `terraform init` copies registry modules and providers into .terraform/: a cache, not the
// user's code (and usually git-ignored). Its modules are not linted as root modules.
bool in_terraform_cache(std::string_view display_path) {
  return display_path.rfind(".terraform/", 0) == 0 || display_path.find("/.terraform/") != std::string_view::npos;
}

bool is_module_file(std::string_view name) { return ends_with(to_lower_ascii(name), ".tf"); }
bool is_json_variables(std::string_view name) { return ends_with(to_lower_ascii(name), ".tfvars.json"); }

// terraform.tfvars, terraform.tfvars.json and *.auto.tfvars(.json): what `terraform plan` loads by itself.
bool is_auto_loaded(std::string_view name) {
  std::string lower = to_lower_ascii(name);
  return lower == "terraform.tfvars" || lower == "terraform.tfvars.json" || ends_with(lower, ".auto.tfvars") ||
         ends_with(lower, ".auto.tfvars.json");
}

// Terraform's order: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars* by name.
int load_rank(std::string_view name) {
  std::string lower = to_lower_ascii(name);
  if (lower == "terraform.tfvars") return 0;
  if (lower == "terraform.tfvars.json") return 1;
  return 2;
}

std::string canonical_directory(const std::string& path) {
  std::error_code error;
  fs::path folder = fs::path(path).parent_path();
  fs::path canonical = fs::weakly_canonical(folder, error);
  return (error ? folder : canonical).generic_string();
}

template <typename Work>
void parallel_for(size_t count, unsigned jobs, Work work) {
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t index = next++; index < count; index = next++) work(index);
  };
  jobs = static_cast<unsigned>(std::min<size_t>(std::max(1u, jobs), std::max<size_t>(1, count)));
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < jobs; ++i) workers.emplace_back(run);
  run();
  for (std::thread& worker : workers) worker.join();
}

// One Terraform file of the run, parsed.
struct ParsedFile {
  std::string display_path;
  std::string directory;  // canonical folder
  std::string name;
  hcl::File hcl;           // .tf and .tfvars
  Document json;           // .tfvars.json
  bool is_json = false;
  std::shared_ptr<const SourceFile> source() const { return is_json ? json.file : hcl.source; }
  const std::vector<ParseDiagnostic>& errors() const { return is_json ? json.errors : hcl.errors; }
};

ParsedFile parse_file(const DiscoveredFile& discovered, const LoadLimits& limits) {
  ParsedFile parsed;
  parsed.display_path = discovered.display_path;
  parsed.directory = canonical_directory(discovered.path);
  parsed.name = base_name(discovered.display_path);
  parsed.is_json = is_json_variables(parsed.name);
  if (!parsed.is_json) {
    parsed.hcl = terraform::load_hcl_file(discovered.path, discovered.display_path, limits);
    return parsed;
  }
  std::string text, error;
  if (!terraform::read_whole_file(discovered.path, terraform::kMaxHclFileBytes, text, error)) {
    parsed.json.file = std::make_shared<const SourceFile>(discovered.path, discovered.display_path, "");
    parsed.json.errors.push_back({{{1, 1}, {1, 1}}, "cannot read file: " + error});
    return parsed;
  }
  parsed.json = load_json(std::make_shared<const SourceFile>(discovered.path, discovered.display_path, std::move(text)),
                          limits);
  return parsed;
}

void add_values(ScanRoot& scan_root, const ParsedFile& file, VariableValues& values,
                std::vector<EvaluationFailure>& failures) {
  if (!file.errors().empty()) return;  // reported as SL001; a half-read file would give wrong values
  if (file.is_json) {
    if (!file.json.roots.empty()) terraform::read_variable_values(file.json.roots.front(), values);
    return;
  }
  terraform::read_variable_values(scan_root, file.hcl, values, failures);
}

// Reports for one run of the phase: which rules are on, how findings are made.
class TerraformReporter {
 public:
  TerraformReporter(const Config& config, const RuleSelection& selection)
      : config_(config), selection_(selection), parse_error_(selection.find("SL001")),
        render_incomplete_(selection.find("SL002")) {}

  void parse_errors(const SourceFile& file, const std::vector<ParseDiagnostic>& errors,
                    std::vector<Finding>& findings) const {
    if (!parse_error_) return;
    for (const ParseDiagnostic& error : errors) findings.push_back(make(*parse_error_, file, error.span, error.message));
  }

  void failures(const std::vector<EvaluationFailure>& failures, std::vector<Finding>& findings) const {
    if (!render_incomplete_) return;
    for (const EvaluationFailure& failure : failures)
      if (failure.file) findings.push_back(make(*render_incomplete_, *failure.file, failure.span, failure.message));
  }

  void module_diagnostics(const ModuleSource& module, std::vector<Finding>& findings) const {
    if (!parse_error_) return;
    for (const terraform::ModuleDiagnostic& diagnostic : module.diagnostics)
      findings.push_back(make(*parse_error_, *diagnostic.file, diagnostic.span, diagnostic.message));
  }

  void task_definition_rules(const ecs::TaskDefinition& task, std::vector<Finding>& findings) const {
    for (const RuleSelection::Entry& entry : selection_.enabled) {
      if (!entry.rule->check_task_definition) continue;
      RuleContext context(*entry.rule, entry.severity, entry.options, config_.target, findings);
      entry.rule->check_task_definition(task, context);
    }
  }

  void infrastructure_rules(const aws::Infrastructure& infrastructure, std::vector<Finding>& findings) const {
    for (const RuleSelection::Entry& entry : selection_.enabled) {
      if (!entry.rule->check_infrastructure) continue;
      RuleContext context(*entry.rule, entry.severity, entry.options, config_.target, findings);
      entry.rule->check_infrastructure(infrastructure, context);
    }
  }

  void unused_suppressions(const SourceFile& file, const std::vector<InlineSuppression>& suppressions,
                           std::vector<Finding>& findings) const {
    report_unused_suppressions(file, suppressions, selection_, findings);
  }

 private:
  static Finding make(const RuleSelection::Entry& entry, const SourceFile& file, Span span, std::string message) {
    Finding finding;
    finding.rule_id = std::string(entry.rule->id);
    finding.severity = entry.severity;
    finding.message = std::move(message);
    finding.location = make_location(file, span);
    return finding;
  }

  const Config& config_;
  const RuleSelection& selection_;
  const RuleSelection::Entry* parse_error_;
  const RuleSelection::Entry* render_incomplete_;
};

// Evaluates one root module and runs the rules over what it holds. The evaluated module is dropped
// when this returns: findings carry their own text, so memory stays that of the largest module.
// With `contribution`, its task definitions are summarised for the run's index, with what its
// RunTask targets and services name without holding; with `index`, those are linked to task
// definitions of other files.
std::vector<Finding> lint_root(ScanRoot& scan_root, const ModuleSource& module, const VariableValues& values,
                               const terraform::RootModuleFacts* root, const TerraformReporter& reporter,
                               std::set<std::string>& container_files, IndexContribution* contribution = nullptr,
                               const TaskDefinitionIndex* index = nullptr, project::FileFacts* facts = nullptr) {
  std::vector<Finding> findings;
  terraform::EvaluatedRoot evaluated = terraform::evaluate_root_module(scan_root, module, values);
  terraform::TerraformTaskDefinitions tasks;
  terraform::extract_task_definitions(evaluated.module, tasks);
  if (contribution) {
    std::vector<const ecs::TaskDefinition*> own;
    for (const ecs::TaskDefinition& task : tasks.tasks) own.push_back(&task);
    contribution->task_definitions = summarize_task_definitions(own);
  }
  for (const ecs::TaskDefinition& task : tasks.tasks) {
    reporter.task_definition_rules(task, findings);
    for (const ecs::ContainerDefinition& container : task.containers)
      if (container.node->file && container.node->file != task.file)
        container_files.insert(container.node->file->display_path());
  }
  // Services, RunTask targets, networks, DNS, load balancers, Firehose and the backend.
  aws::Infrastructure infrastructure;
  terraform::extract_infrastructure(evaluated.module, tasks, root, infrastructure);
  if (contribution) note_unlinked(infrastructure, *contribution);
  if (index) index->link(infrastructure);
  reporter.infrastructure_rules(infrastructure, findings);
  if (facts) {  // for the project phase (project/app_facts.h)
    for (const ecs::TaskDefinition& task : tasks.tasks)
      facts->deployments.push_back(project::task_definition_facts(task, task.file ? task.file->path() : ""));
    project::FileFacts runs;
    runs.scheduled_runs = project::scheduled_run_facts(infrastructure);
    facts->append(std::move(runs));
  }
  reporter.failures(evaluated.failures, findings);
  reporter.failures(tasks.failures, findings);
  return findings;
}

bool same_finding(const Finding& a, const Finding& b) {
  return a.rule_id == b.rule_id && a.location.path == b.location.path && a.location.span == b.location.span &&
         a.message == b.message;
}

// A module called several times (or linted alone and through a call) reports the same finding
// once; suppressions and the report need each finding once.
void remove_duplicates(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), finding_order);
  findings.erase(std::unique(findings.begin(), findings.end(), same_finding), findings.end());
}

// Inline suppressions of each Terraform file, then SL003 for those that matched nothing.
void apply_inline_suppressions(std::vector<Finding>& findings, const std::vector<std::shared_ptr<const SourceFile>>& files,
                               const TerraformReporter& reporter) {
  std::map<std::string, std::vector<Finding>> by_path;
  for (Finding& finding : findings) by_path[finding.location.path].push_back(std::move(finding));
  findings.clear();
  for (const std::shared_ptr<const SourceFile>& file : files) {
    std::vector<InlineSuppression> suppressions = scan_suppressions(*file, {"#", "//"}, true);
    if (suppressions.empty()) continue;
    std::vector<Finding>& own = by_path[file->display_path()];
    apply_suppressions(own, suppressions);
    reporter.unused_suppressions(*file, suppressions, own);
  }
  for (auto& [path, own] : by_path)
    for (Finding& finding : own) findings.push_back(std::move(finding));
  for (Finding& finding : findings) redact_sensitive_text(finding);
  std::stable_sort(findings.begin(), findings.end(), finding_order);
}

// The `terraform: {var_files: [...]}` setting: a list for every root module, or a map from a root
// module's folder (relative to the config file) to its list.
struct VarFileSetting {
  std::vector<std::string> all_roots;
  std::map<std::string, std::vector<std::string>> by_root;  // canonical folder → files
};

std::vector<std::string> strings_of(const Node& list, const std::string& base) {
  std::vector<std::string> paths;
  auto add = [&](const Node& item) {
    if (auto text = item.as_string()) paths.push_back((fs::path(base) / std::string(*text)).lexically_normal().string());
  };
  if (list.is_list()) {
    for (const Node& item : list.children) add(item);
  } else {
    add(list);
  }
  return paths;
}

VarFileSetting var_file_setting(const Config& config) {
  VarFileSetting setting;
  if (!config.terraform) return setting;
  const Node* files = config.terraform->find("var_files");
  if (!files) return setting;
  std::string base = config.directory().empty() ? "." : config.directory();
  if (files->is_map()) {
    for (const Node& entry : files->children) {
      std::string folder = (fs::path(base) / entry.key).lexically_normal().string();
      std::error_code error;
      fs::path canonical = fs::weakly_canonical(folder, error);
      setting.by_root[(error ? fs::path(folder) : canonical).generic_string()] = strings_of(entry, base);
    }
  } else {
    setting.all_roots = strings_of(*files, base);
  }
  return setting;
}

// Reads a var file named by the config (it may live outside the scanned folder: the user chose it).
bool load_var_file(ScanRoot& scan_root, const std::string& path, const LoadLimits& limits, VariableValues& values,
                   std::vector<EvaluationFailure>& failures, std::vector<std::shared_ptr<const SourceFile>>& keep,
                   std::string& error) {
  std::error_code status;
  if (!fs::is_regular_file(path, status)) {
    error = "no such file";
    return false;
  }
  std::string display = fs::path(path).lexically_relative(scan_root.root()).generic_string();
  if (display.empty() || display.rfind("..", 0) == 0) display = path;
  DiscoveredFile discovered{fs::absolute(path).string(), display};
  ParsedFile parsed = parse_file(discovered, limits);
  if (!parsed.errors().empty()) {
    error = fmt::format("{}:{}: {}", parsed.errors().front().span.begin.line, parsed.errors().front().span.begin.column,
                        parsed.errors().front().message);
    return false;
  }
  add_values(scan_root, parsed, values, failures);
  keep.push_back(parsed.source());
  return true;
}

}  // namespace

bool TerraformPhaseOutcome::supersedes(const Finding& finding) const {
  if (!container_files.count(finding.location.path)) return false;
  const Rule* rule = find_rule(finding.rule_id);
  return rule && rule->check_task_definition;
}

TerraformPhaseOutcome run_terraform_phase(const DiscoveryResult& discovered, const Config& config,
                                          const RuleSelection& selection, const LoadLimits& limits, unsigned jobs,
                                          TaskDefinitionIndex* task_definitions) {
  TerraformPhaseOutcome outcome;
  std::vector<const DiscoveredFile*> inputs;
  for (const DiscoveredFile& file : discovered.files)
    if (is_terraform_name(file.display_path) && !in_terraform_cache(file.display_path)) inputs.push_back(&file);
  if (inputs.empty()) return outcome;
  outcome.files_analyzed = inputs.size();
  TerraformReporter reporter(config, selection);

  // 1. Parse every file, in parallel (the parse is most of the work).
  std::vector<ParsedFile> parsed(inputs.size());
  parallel_for(inputs.size(), jobs, [&](size_t index) { parsed[index] = parse_file(*inputs[index], limits); });

  ScanRoot scan_root(discovered.root.empty() ? std::string(".") : discovered.root, limits);
  std::vector<Finding> findings;
  std::vector<std::shared_ptr<const SourceFile>> sources;
  for (const ParsedFile& file : parsed) {
    scan_root.set_display_path(file.directory + "/" + file.name, file.display_path);
    reporter.parse_errors(*file.source(), file.errors(), findings);
    sources.push_back(file.source());
  }

  // 2. Modules: the .tf files of each folder.
  std::map<std::string, std::vector<hcl::File>> module_files;
  std::map<std::string, std::vector<const ParsedFile*>> variable_files;
  for (ParsedFile& file : parsed) {
    if (is_module_file(file.name)) module_files[file.directory].push_back(std::move(file.hcl));
    else if (is_auto_loaded(file.name)) variable_files[file.directory].push_back(&file);
  }
  std::vector<const ModuleSource*> modules;
  for (auto& [directory, files] : module_files) {
    const ModuleSource* module = scan_root.add_module(terraform::index_module(directory, std::move(files)));
    reporter.module_diagnostics(*module, findings);
    modules.push_back(module);
  }

  // 3. Root modules: folders no other scanned folder calls (and any left unreached in a cycle).
  std::map<std::string, std::vector<std::string>> calls;
  std::set<std::string> called;
  for (const ModuleSource* module : modules) {
    for (const auto& [name, declaration] : module->module_calls) {
      const hcl::Attribute* source = declaration.block->body.find_attribute("source");
      if (!source || source->value.kind != hcl::ExpressionKind::String) continue;
      const std::string& text = source->value.text;
      if (text.rfind("./", 0) != 0 && text.rfind("../", 0) != 0) continue;
      ScanRoot::Resolved resolved = scan_root.resolve(module->directory, text);
      if (!resolved.error.empty() || !module_files.count(resolved.path) || resolved.path == module->directory) continue;
      calls[module->directory].push_back(resolved.path);
      called.insert(resolved.path);
    }
  }
  std::vector<const ModuleSource*> roots;
  std::set<std::string> reached;
  std::vector<std::string> pending;
  for (const ModuleSource* module : modules) {
    if (called.count(module->directory)) continue;
    roots.push_back(module);
    pending.push_back(module->directory);
  }
  while (!pending.empty()) {
    std::string directory = std::move(pending.back());
    pending.pop_back();
    if (!reached.insert(directory).second) continue;
    for (const std::string& callee : calls[directory]) pending.push_back(callee);
  }
  for (const ModuleSource* module : modules)
    if (!reached.count(module->directory)) {
      roots.push_back(module);
      reached.insert(module->directory);
    }

  // 4. Variable values of each root: auto-loaded tfvars beside it, then the config's var files.
  VarFileSetting setting = var_file_setting(config);
  std::vector<VariableValues> root_values(roots.size());
  std::vector<EvaluationFailure> variable_failures;
  std::vector<std::shared_ptr<const SourceFile>> var_file_sources;
  std::set<std::string> warned;
  for (size_t i = 0; i < roots.size(); ++i) {
    std::vector<const ParsedFile*> files = variable_files[roots[i]->directory];
    std::stable_sort(files.begin(), files.end(), [](const ParsedFile* a, const ParsedFile* b) {
      int rank_a = load_rank(a->name), rank_b = load_rank(b->name);
      return rank_a != rank_b ? rank_a < rank_b : a->name < b->name;
    });
    for (const ParsedFile* file : files) add_values(scan_root, *file, root_values[i], variable_failures);
    std::vector<std::string> extra = setting.all_roots;
    if (auto found = setting.by_root.find(roots[i]->directory); found != setting.by_root.end())
      extra.insert(extra.end(), found->second.begin(), found->second.end());
    for (const std::string& path : extra) {
      std::string error;
      if (!load_var_file(scan_root, path, limits, root_values[i], variable_failures, var_file_sources, error) &&
          warned.insert(path).second)
        outcome.warnings.push_back(fmt::format("terraform.var_files: {}: {}", path, error));
    }
  }
  reporter.failures(variable_failures, findings);

  std::vector<char> has_variable_files(roots.size());
  for (size_t i = 0; i < roots.size(); ++i) has_variable_files[i] = !variable_files[roots[i]->directory].empty();

  // 5. Evaluate and lint each root module, in parallel; each writes its own slot.
  std::vector<std::vector<Finding>> per_root(roots.size());
  std::vector<std::set<std::string>> per_root_files(roots.size());
  std::vector<IndexContribution> per_root_index(roots.size());
  std::vector<project::FileFacts> per_root_facts(roots.size());
  parallel_for(roots.size(), jobs, [&](size_t index) {
    terraform::RootModuleFacts root{roots[index], has_variable_files[index] != 0};
    per_root[index] = lint_root(scan_root, *roots[index], root_values[index], &root, reporter, per_root_files[index],
                                task_definitions ? &per_root_index[index] : nullptr, nullptr, &per_root_facts[index]);
  });
  // --- task definitions across files: roots naming one that another file or root defines are
  // evaluated again once every root has added its own to the index (project/task_definition_index.h) ---
  if (task_definitions) {
    for (size_t index = 0; index < roots.size(); ++index) task_definitions->add(per_root_index[index].task_definitions);
    std::vector<size_t> linkable;
    for (size_t index = 0; index < roots.size(); ++index)
      if (task_definitions->resolves_any(per_root_index[index])) linkable.push_back(index);
    parallel_for(linkable.size(), jobs, [&](size_t position) {
      size_t index = linkable[position];
      terraform::RootModuleFacts root{roots[index], has_variable_files[index] != 0};
      per_root_facts[index] = {};  // summarised again, with the links
      per_root[index] = lint_root(scan_root, *roots[index], root_values[index], &root, reporter, per_root_files[index],
                                  nullptr, task_definitions, &per_root_facts[index]);
    });
  }
  // --- end task definitions across files ---
  for (project::FileFacts& facts : per_root_facts) outcome.facts.append(std::move(facts));
  for (std::vector<Finding>& own : per_root)
    for (Finding& finding : own) findings.push_back(std::move(finding));
  for (std::set<std::string>& files : per_root_files) outcome.container_files.merge(files);

  // 6. Only files the discovery listed are reported on (a template under an excluded folder is not).
  std::set<std::string> listed;
  for (const DiscoveredFile& file : discovered.files) listed.insert(file.display_path);
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& finding) { return !listed.count(finding.location.path); }),
                 findings.end());
  remove_duplicates(findings);
  apply_inline_suppressions(findings, sources, reporter);
  outcome.findings = std::move(findings);
  return outcome;
}

std::vector<Finding> lint_terraform_source(const std::shared_ptr<const SourceFile>& file, const Config& config,
                                           const RuleSelection& selection, const LoadLimits& limits) {
  TerraformReporter reporter(config, selection);
  std::vector<Finding> findings;
  std::string folder = file->path().empty() ? std::string(".") : canonical_directory(file->path());
  ScanRoot scan_root(folder, limits);
  std::string name = base_name(file->display_path());
  if (!is_module_file(name)) {
    // A variables file on its own: only its syntax can be checked.
    if (is_json_variables(name)) reporter.parse_errors(*file, load_json(file, limits).errors, findings);
    else reporter.parse_errors(*file, hcl::load_hcl(file, limits).errors, findings);
  } else {
    hcl::File parsed = hcl::load_hcl(file, limits);
    reporter.parse_errors(*file, parsed.errors, findings);
    scan_root.set_display_path(folder + "/" + name, file->display_path());
    std::vector<hcl::File> files;
    files.push_back(std::move(parsed));
    ModuleSource module = terraform::index_module(folder, std::move(files));
    reporter.module_diagnostics(module, findings);
    std::set<std::string> container_files;
    // One buffer is not the whole folder: where state lives (a backend in another file) is not judged here.
    std::vector<Finding> own = lint_root(scan_root, module, {}, nullptr, reporter, container_files);
    for (Finding& finding : own)
      if (finding.location.path == file->display_path()) findings.push_back(std::move(finding));
  }
  remove_duplicates(findings);
  apply_inline_suppressions(findings, {file}, reporter);
  return findings;
}

}  // namespace shiftlint
