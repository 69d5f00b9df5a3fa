#include "analyzer/engine/terraform_phase.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <thread>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/engine/finding_spill.h"
#include "analyzer/engine/suppression.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/terraform/aws_resources.h"
#include "analyzer/model/terraform/ecs_task_definitions.h"
#include "analyzer/model/terraform/evaluator.h"
#include "analyzer/model/terraform/scan_root.h"
#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/json_loader.h"
#include "analyzer/project/facts_spill.h"
#include "analyzer/project/task_definition_index.h"
#include "analyzer/source/ascii_case.h"
#include "analyzer/source/classify.h"
#include "analyzer/source/real_path.h"

namespace fs = std::filesystem;

namespace shiftlint {

namespace {

using terraform::Declared;
using terraform::EvaluationFailure;
using terraform::ListedFiles;
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
  parsed.display_path = discovered.display_path();
  parsed.directory = canonical_directory(discovered.path());
  parsed.name = base_name(discovered.display_path());
  parsed.is_json = is_json_variables(parsed.name);
  if (!parsed.is_json) {
    parsed.hcl = terraform::load_hcl_file(discovered.path(), std::string(discovered.display_path()), limits);
    return parsed;
  }
  std::string text, error;
  if (!terraform::read_whole_file(discovered.path(), terraform::kMaxHclFileBytes, text, error)) {
    parsed.json.file = std::make_shared<const SourceFile>(discovered.path(), std::string(discovered.display_path()), "");
    parsed.json.errors.push_back({{{1, 1}, {1, 1}}, "cannot read file: " + error});
    return parsed;
  }
  parsed.json = load_json(std::make_shared<const SourceFile>(discovered.path(), std::string(discovered.display_path()), std::move(text)),
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

// A finding inside a local module the root calls (`modules/container/main.tf`, a module's variable
// default) is about what this root builds through that call: the user changes the call, and the
// module's line is shared by every caller. It moves to the `module "NAME"` line in the root (or, for
// a container the call writes as an object, to that object: ContainerInCall), and
// its place in the module becomes a related location (not when the finding carries a fix: the
// module's line writes the value, and the fix edits it there). Findings of a root that calls the same
// module twice stay where they are, with both calls named, unless a container written in one call
// tells it; when the module is outside the scanned folder, they go to the first call.
// `from`: the first finding to look at. `through`: the module instance that built what they are
// about (`module.ecs_service` for its task definition), when known; else the module's folder tells.
// Where a container built by a module call was written in the call: a finding about the container
// as a whole (a field it lacks) is placed there rather than on the `module "NAME"` line.
struct ContainerInCall {
  std::string module_path;  // the container's place in the module, as findings name it
  Position module_position;
  Location in_call;         // its object in the call: the key through the opening brace
  std::string label;        // `container "web"`: how findings about it start
};

// The object literal in `expression` that holds the most of `values` as its own fields' values
// (the container's object: its key may be one of them, `name` from `each.key`), with its key (null
// for a list item or a top-level value). `hits`: how many the best one holds.
void find_container_object(const hcl::Expression& expression, const hcl::Expression* key,
                           const std::vector<Span>& values, const hcl::Expression*& found,
                           const hcl::Expression*& found_key, size_t& hits) {
  auto encloses = [](const Span& outer, const Span& inner) {
    return !(inner.begin < outer.begin) && !(outer.end < inner.end);
  };
  if (std::none_of(values.begin(), values.end(), [&](const Span& value) { return encloses(expression.span, value); }))
    return;
  if (expression.kind == hcl::ExpressionKind::Object) {
    size_t own = 0;
    for (size_t index = 1; index < expression.operands.size(); index += 2)
      own += std::count(values.begin(), values.end(), expression.operands[index].span);
    if (own > hits) {
      found = &expression;
      found_key = key;
      hits = own;
    }
  }
  for (size_t index = 0; index < expression.operands.size(); ++index) {
    bool object_value = expression.kind == hcl::ExpressionKind::Object && index % 2 == 1;
    find_container_object(expression.operands[index], object_value ? &expression.operands[index - 1] : nullptr, values,
                          found, found_key, hits);
  }
}

// For each container of `task` that a local module builds (its map is written in the module) from
// fields the root's call gives (`container_definitions = { web = { image = ... } }`), its object
// in the call.
std::vector<ContainerInCall> containers_in_calls(const ecs::TaskDefinition& task, const ModuleSource& root) {
  std::vector<ContainerInCall> found;
  for (const ecs::ContainerDefinition& container : task.containers) {
    const Node* node = container.node;
    if (!node || !node->file) continue;
    for (const auto& [name, call] : root.module_calls) {
      if (!call.file || !call.block || call.file == node->file) continue;
      std::vector<Span> values;
      for (const Node& field : node->children)
        if (field.file == call.file && !(field.span.begin < call.block->span.begin) &&
            !(call.block->span.end < field.span.end))
          values.push_back(field.span);
      if (values.empty()) continue;
      const hcl::Expression* object = nullptr;
      const hcl::Expression* key = nullptr;
      size_t hits = 0;
      for (const hcl::Attribute& attribute : call.block->body.attributes)
        find_container_object(attribute.value, nullptr, values, object, key, hits);
      if (!object) continue;
      Span span{key ? key->span.begin : object->span.begin, object->span.begin};
      span.end.column += 1;  // through the `{`
      found.push_back({node->file->display_path(), node->span.begin, make_location(*call.file, span), container.label()});
      break;
    }
  }
  return found;
}

void relocate_to_module_calls(std::vector<Finding>& findings, size_t from, ScanRoot& scan_root,
                              const ModuleSource& root, const terraform::Module& evaluated,
                              std::string_view through_address = {},
                              const std::vector<ContainerInCall>& containers = {}) {
  if (evaluated.children.empty()) return;
  struct Call {
    std::string display_directory;  // the called module's folder, then '/' ("" for the scan root)
    const Declared* declared = nullptr;
    std::string address;
    // The module is the scan root or a folder above it (`source = "../../"` from examples/web): only
    // its own files are its, not the files of the folders below it, where the callers are.
    bool own_files_only = false;
    // The module lies outside the scanned folder (`source = "../../modules/svc"` from live/prod):
    // its files are not the scan's, so even a finding with a fix there is shown on the call.
    bool outside_scan = false;
    // The module the call names itself (not one it calls in turn), with its files: its `var.x` is
    // the call's argument `x`.
    const ModuleSource* called = nullptr;
  };
  std::vector<Call> calls;
  std::function<void(const terraform::Module&, const Declared*, const std::string&, bool)> add =
      [&](const terraform::Module& module, const Declared* declared, const std::string& address, bool direct) {
        // The folder as the findings name it: from the display path of one of its files (a listed
        // file keeps the name it was given, absolute when typed so; a file above the scan root is
        // named with ../).
        std::string error;
        bool local = module.directory.starts_with('/') && module.directory != root.directory;
        const ModuleSource* source = local ? scan_root.module(module.directory, error) : nullptr;
        if (source && !source->files.empty() && source->files.front().source) {
          std::string_view file = source->files.front().source->display_path();
          calls.push_back({std::string(file.substr(0, file.rfind('/') + 1)), declared, address,
                           is_within_folder(scan_root.root(), module.directory),
                           !is_within_folder(module.directory, scan_root.root()), direct ? source : nullptr});
        }
        for (const terraform::Module& child : module.children) add(child, declared, address, false);
      };
  for (const terraform::Module& child : evaluated.children) {
    std::string_view name = std::string_view(child.address).substr(0, child.address.find('['));
    if (!name.starts_with("module.")) continue;
    auto call = root.module_calls.find(name.substr(7));
    if (call == root.module_calls.end() || !call->second.file || !call->second.block) continue;
    add(child, &call->second, std::string(name), true);
  }
  // `module.ecs.module.service["web"]` → `module.ecs`.
  std::string_view top = through_address.substr(0, through_address.find_first_of(".[", 7));
  for (size_t index = from; index < findings.size(); ++index) {
    Finding& finding = findings[index];
    std::vector<const Call*> through;
    std::string_view path = finding.location.path;
    std::string_view folder = path.substr(0, path.rfind('/') + 1);  // "" for a file of the scan root
    for (const Call& call : calls)
      if ((call.own_files_only ? folder == call.display_directory : path.starts_with(call.display_directory)) &&
          (top.empty() || call.address == top) &&
          std::none_of(through.begin(), through.end(), [&](const Call* seen) { return seen->declared == call.declared; }))
        through.push_back(&call);
    if (through.empty()) continue;
    // A fix edits the module's own line (a default of "LATEST" written there): that line is the one
    // to change, and the fix's edits are in its file. Not when the module is outside the scanned
    // folder: the finding is shown on the call (where the scan can report it), the module's line as
    // its related location, and `--fix` leaves files outside the scan alone.
    if (finding.fix) {
      if (std::none_of(through.begin(), through.end(), [](const Call* call) { return call->outside_scan; })) continue;
      finding.fix.reset();
    }
    if (through.size() > 1) {
      // Messages about a resource name its address (`module.ecs_service.aws_ecs_service.this[0] runs
      // on ...`): the call it starts with built it.
      std::vector<const Call*> named;
      for (const Call* call : through)
        if (finding.message.find(call->address + ".") != std::string::npos ||
            finding.message.find(call->address + "[") != std::string::npos)
          named.push_back(call);
      if (named.size() == 1) through = std::move(named);
    }
    if (through.size() > 1) {
      // A container the call writes (`container_definitions = { web = {...} }`) tells the call.
      std::vector<const Call*> writing;
      for (const ContainerInCall& container : containers) {
        if (container.module_path != path || container.module_position != finding.location.span.begin ||
            !finding.message.starts_with(container.label + " "))
          continue;
        for (const Call* call : through) {
          const hcl::Block& block = *call->declared->block;
          if (call->declared->file->display_path() == container.in_call.path &&
              !(container.in_call.span.begin < block.span.begin) && !(block.span.end < container.in_call.span.begin) &&
              std::find(writing.begin(), writing.end(), call) == writing.end())
            writing.push_back(call);
        }
      }
      if (writing.size() == 1) through = std::move(writing);
    }
    // The call's argument `x` when the flagged text in the module is the variable alone: `var.x`,
    // or a string that is only its interpolation (`"${var.x}"` in a heredoc of JSON).
    auto argument_behind = [](const Call& call, const Location& at) -> const hcl::Attribute* {
      if (!call.called || at.span.end.line != at.span.begin.line) return nullptr;
      for (const hcl::File& file : call.called->files) {
        if (!file.source || file.source->display_path() != at.path) continue;
        std::string_view line = file.source->line(at.span.begin.line);
        if (at.span.begin.column < 1 || at.span.end.column - 1 > line.size()) return nullptr;
        std::string_view text = line.substr(at.span.begin.column - 1, at.span.end.column - at.span.begin.column);
        static const RE2 variable_alone(R"((?:"\$\{~?\s*)?var\.([A-Za-z_][A-Za-z0-9_-]*)(?:\s*~?\}")?)");
        std::string name;
        if (!RE2::FullMatch(re2::StringPiece(text.data(), text.size()), variable_alone, &name)) return nullptr;
        bool quoted_open = text.starts_with('"'), quoted_close = text.ends_with('"');
        if (quoted_open != quoted_close) return nullptr;
        return call.declared->block->body.find_attribute(name);
      }
      return nullptr;
    };
    auto header = [](const Declared& declared) {
      const hcl::Block& block = *declared.block;
      return Span{block.type_span.begin, block.label_spans.empty() ? block.type_span.end : block.label_spans.back().end};
    };
    if (through.size() == 1) {
      RelatedLocation inside{finding.location, fmt::format("in {}, here", through.front()->address)};
      // The module writes every container's map at one place: the message tells which it is.
      std::vector<const ContainerInCall*> at_place;
      for (const ContainerInCall& container : containers)
        if (container.module_path == finding.location.path && container.module_position == finding.location.span.begin)
          at_place.push_back(&container);
      if (at_place.size() > 1)
        std::erase_if(at_place, [&](const ContainerInCall* container) {
          return !finding.message.starts_with(container->label + " ");
        });
      if (at_place.size() == 1) {
        finding.location = at_place.front()->in_call;
      } else if (const hcl::Attribute* argument = argument_behind(*through.front(), finding.location)) {
        // The flagged value is the module's variable as it came: the call's argument is what to change.
        finding.location = make_location(*through.front()->declared->file, argument->value.span);
      } else {
        finding.location = make_location(*through.front()->declared->file, header(*through.front()->declared));
      }
      finding.related.insert(finding.related.begin(), std::move(inside));
    } else if (through.front()->outside_scan) {
      // The module's files are not the scan's: the first call carries the finding, the module's
      // line and the other calls are related.
      RelatedLocation inside{finding.location, "in the module, here"};
      finding.location = make_location(*through.front()->declared->file, header(*through.front()->declared));
      finding.related.insert(finding.related.begin(), std::move(inside));
      for (const Call* call : through)
        if (call != through.front())
          finding.related.push_back({make_location(*call->declared->file, header(*call->declared)),
                                     fmt::format("{} calls the module too", call->address)});
    } else {
      for (const Call* call : through)
        finding.related.push_back({make_location(*call->declared->file, header(*call->declared)),
                                   fmt::format("{} calls the module", call->address)});
    }
  }
}

// Evaluates one root module and runs the rules over what it holds. The evaluated module is dropped
// when this returns: findings carry their own text, so memory stays that of the largest module.
// With `contribution`, its task definitions are summarised for the run's index, with what its
// RunTask targets and services name without holding; with `index`, those are linked to task
// definitions of other files.
std::vector<Finding> lint_root(ScanRoot& scan_root, const ModuleSource& module, const VariableValues& values,
                               const terraform::RootModuleFacts* root, const TerraformReporter& reporter,
                               FilesReadByTerraform& read_files, IndexContribution* contribution = nullptr,
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
  for (size_t index = 0; index < tasks.tasks.size(); ++index) {
    const ecs::TaskDefinition& task = tasks.tasks[index];
    size_t first = findings.size();
    reporter.task_definition_rules(task, findings);
    // A task definition of a called module, or one of the root whose containers a called module
    // assembles (`container_definitions = jsonencode([module.web.json_map_object])`): findings in
    // the module's files go to the call.
    std::string_view address = index < tasks.identities.size() ? std::string_view(tasks.identities[index].module_address)
                                                               : std::string_view();
    relocate_to_module_calls(findings, first, scan_root, module, evaluated.module, address,
                             containers_in_calls(task, module));
    for (const ecs::ContainerDefinition& container : task.containers)
      if (container.node->file && container.node->file != task.file)
        read_files.container_definitions.insert(container.node->file->display_path());
  }
  // Services, RunTask targets, networks, DNS, load balancers, Firehose and the backend.
  aws::Infrastructure infrastructure;
  terraform::extract_infrastructure(evaluated.module, tasks, root, infrastructure);
  for (const aws::StateMachine& machine : infrastructure.state_machines)
    if (machine.definition && machine.definition->file && machine.definition->file != machine.file)
      read_files.state_machine_definitions.insert(machine.definition->file->display_path());
  if (contribution) note_unlinked(infrastructure, *contribution);
  std::vector<std::shared_ptr<const TaskDefinitionSummary>> linked;  // `infrastructure` points into them
  if (index) linked = index->link(infrastructure);
  if (facts) {  // for the project phase (project/app_facts.h)
    for (const ecs::TaskDefinition& task : tasks.tasks)
      facts->deployments.push_back(project::task_definition_facts(task));
    project::FileFacts runs;
    runs.scheduled_runs = project::scheduled_run_facts(infrastructure);
    facts->append(std::move(runs));
  }
  size_t task_findings = findings.size();  // placed above, by the instance that built each task
  reporter.infrastructure_rules(infrastructure, findings);
  relocate_to_module_calls(findings, task_findings, scan_root, module, evaluated.module);
  // What could not be evaluated stays on the module's line: it is about that expression.
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

// One path's findings of one root module, sorted: on disk in the run's spill, or in memory when it
// could not take them. A root's findings go there as soon as it is evaluated, so the phase holds
// one root's findings at a time, not the run's.
struct RootFindings {
  std::string path;
  std::optional<FindingSpill::Record> spilled;
  std::vector<Finding> findings;  // when not spilled
};

std::vector<RootFindings> set_aside(std::vector<Finding> findings, FindingSpill& spill) {
  std::stable_sort(findings.begin(), findings.end(), finding_order);
  std::vector<RootFindings> lists;
  for (auto begin = findings.begin(); begin != findings.end();) {
    auto end = std::find_if(begin, findings.end(),
                            [&](const Finding& finding) { return finding.location.path != begin->location.path; });
    RootFindings list;
    list.path = begin->location.path;
    list.findings.assign(std::make_move_iterator(begin), std::make_move_iterator(end));
    list.spilled = spill.write(list.findings);
    lists.push_back(std::move(list));
    begin = end;
  }
  return lists;
}

// A Terraform file's inline suppressions, scanned when the file is read; the file is kept (for the
// locations of SL003) only when it has some.
struct FileSuppressions {
  std::shared_ptr<const SourceFile> file;
  std::vector<InlineSuppression> suppressions;
};

std::optional<FileSuppressions> suppressions_of(const std::shared_ptr<const SourceFile>& file) {
  std::vector<InlineSuppression> suppressions = scan_suppressions(*file, {"#", "//"}, true);
  if (suppressions.empty()) return std::nullopt;
  return FileSuppressions{file, std::move(suppressions)};
}

// One path's findings made final, as the report takes them: one per place, the file's inline
// suppressions applied, then SL003 for those that matched nothing, secrets masked, in report order.
// `findings` holds the path's findings in the order the phase made them, each source sorted.
void finish_path(std::vector<Finding>& findings, FileSuppressions* file, const TerraformReporter& reporter) {
  std::stable_sort(findings.begin(), findings.end(), finding_order);
  findings.erase(std::unique(findings.begin(), findings.end(), same_finding), findings.end());
  if (file) {
    apply_suppressions(findings, file->suppressions);
    reporter.unused_suppressions(*file->file, file->suppressions, findings);
  }
  for (Finding& finding : findings) redact_sensitive_text(finding);
  std::stable_sort(findings.begin(), findings.end(), finding_order);
}

// Inline suppressions of each Terraform file, then SL003 for those that matched nothing.
void apply_inline_suppressions(std::vector<Finding>& findings, std::vector<FileSuppressions>& files,
                               const TerraformReporter& reporter) {
  std::map<std::string, std::vector<Finding>> by_path;
  for (Finding& finding : findings) by_path[finding.location.path].push_back(std::move(finding));
  findings.clear();
  for (FileSuppressions& file : files) {
    std::vector<Finding>& own = by_path[file.file->display_path()];
    apply_suppressions(own, file.suppressions);
    reporter.unused_suppressions(*file.file, file.suppressions, own);
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
  bool container_definitions = read_files.container_definitions.count(finding.location.path) > 0;
  bool state_machine_definition = read_files.state_machine_definitions.count(finding.location.path) > 0;
  if (!container_definitions && !state_machine_definition) return false;
  const Rule* rule = find_rule(finding.rule_id);
  return rule && ((container_definitions && rule->check_task_definition) ||
                  (state_machine_definition && rule->check_infrastructure));
}

TerraformPhaseOutcome run_terraform_phase(const DiscoveryResult& discovered, const Config& config,
                                          const RuleSelection& selection, const LoadLimits& limits, unsigned jobs,
                                          FindingSpill& spill, const std::function<bool(const Finding&)>& keep,
                                          TaskDefinitionIndex* task_definitions, project::FactsSpill* facts_spill) {
  TerraformPhaseOutcome outcome;
  std::vector<const DiscoveredFile*> inputs;
  for (const DiscoveredFile& file : discovered.files)
    if (is_terraform_name(file.display_path()) && !in_terraform_cache(file.display_path())) inputs.push_back(&file);
  if (inputs.empty()) return outcome;
  outcome.files_analyzed = inputs.size();
  TerraformReporter reporter(config, selection);
  // Memory stays that of the largest root module with the modules it calls, whatever the number of
  // modules: folders are read one at a time for what the run needs of all of them (syntax errors,
  // suppressions, module calls), then each root module is read again and evaluated with a ScanRoot of
  // its own, dropped when its findings and summaries are made.
  const std::string root_folder = discovered.root.empty() ? std::string(".") : discovered.root;
  ScanRoot names(root_folder, limits);  // resolves module sources; reads nothing

  // 1. The folders of the run's files (canonical), and which of them are modules.
  std::vector<std::string> directories(inputs.size());
  parallel_for(inputs.size(), jobs, [&](size_t index) { directories[index] = canonical_directory(inputs[index]->path()); });
  auto listed = std::make_shared<ListedFiles>();
  std::map<std::string, std::vector<size_t>> folder_inputs;  // canonical folder → inputs, in run order
  for (size_t index = 0; index < inputs.size(); ++index) {
    const DiscoveredFile& file = *inputs[index];
    std::string name = base_name(file.display_path());
    std::string absolute = directories[index] + "/" + name;
    if (names.display_path(absolute) != file.display_path()) listed->display_paths[absolute] = file.display_path();
    if (is_module_file(name)) listed->module_files[directories[index]].push_back({file.path(), std::string(file.display_path())});
    folder_inputs[directories[index]].push_back(index);
  }

  // 2. Each folder read once (in parallel): syntax errors, inline suppressions, the module's
  // diagnostics and the local modules it calls. Its trees are dropped when it is done.
  struct FolderReading {
    std::vector<std::string> calls;  // canonical folders of the listed modules it calls
    std::vector<Finding> diagnostics;
  };
  std::vector<std::vector<Finding>> parse_findings(inputs.size());
  std::vector<std::optional<FileSuppressions>> file_suppressions(inputs.size());
  std::vector<const std::pair<const std::string, std::vector<size_t>>*> folders;
  for (const auto& folder : folder_inputs) folders.push_back(&folder);
  std::vector<FolderReading> readings(folders.size());
  parallel_for(folders.size(), jobs, [&](size_t position) {
    const auto& [directory, indices] = *folders[position];
    std::vector<hcl::File> module_files;
    for (size_t index : indices) {
      ParsedFile parsed = parse_file(*inputs[index], limits);
      reporter.parse_errors(*parsed.source(), parsed.errors(), parse_findings[index]);
      file_suppressions[index] = suppressions_of(parsed.source());
      if (is_module_file(parsed.name)) module_files.push_back(std::move(parsed.hcl));
    }
    if (module_files.empty()) return;
    ModuleSource module = terraform::index_module(directory, std::move(module_files));
    reporter.module_diagnostics(module, readings[position].diagnostics);
    for (const auto& [name, declaration] : module.module_calls) {
      const hcl::Attribute* source = declaration.block->body.find_attribute("source");
      if (!source || source->value.kind != hcl::ExpressionKind::String) continue;
      const std::string& text = source->value.text;
      if (text.rfind("./", 0) != 0 && text.rfind("../", 0) != 0) continue;
      ScanRoot::Resolved resolved = names.resolve(directory, text);
      if (!resolved.error.empty() || !listed->module_files.count(resolved.path) || resolved.path == directory) continue;
      readings[position].calls.push_back(resolved.path);
    }
  });
  std::vector<Finding> findings;
  for (std::vector<Finding>& own : parse_findings)
    for (Finding& finding : own) findings.push_back(std::move(finding));
  decltype(parse_findings)().swap(parse_findings);
  std::vector<FileSuppressions> suppressions;
  for (std::optional<FileSuppressions>& file : file_suppressions)
    if (file) suppressions.push_back(std::move(*file));
  decltype(file_suppressions)().swap(file_suppressions);
  std::vector<std::string> modules;  // canonical folders holding listed .tf files, in order
  std::map<std::string, std::vector<std::string>> calls;
  std::set<std::string> called;
  for (size_t position = 0; position < folders.size(); ++position) {
    const std::string& directory = folders[position]->first;
    if (!listed->module_files.count(directory)) continue;
    modules.push_back(directory);
    for (Finding& finding : readings[position].diagnostics) findings.push_back(std::move(finding));
    for (std::string& callee : readings[position].calls) {
      called.insert(callee);
      calls[directory].push_back(std::move(callee));
    }
  }
  decltype(readings)().swap(readings);

  // 3. Root modules: folders no other scanned folder calls (and any left unreached in a cycle).
  std::vector<std::string> roots;
  std::set<std::string> reached;
  std::vector<std::string> pending;
  for (const std::string& module : modules) {
    if (called.count(module)) continue;
    roots.push_back(module);
    pending.push_back(module);
  }
  while (!pending.empty()) {
    std::string directory = std::move(pending.back());
    pending.pop_back();
    if (!reached.insert(directory).second) continue;
    for (const std::string& callee : calls[directory]) pending.push_back(callee);
  }
  for (const std::string& module : modules)
    if (!reached.count(module)) {
      roots.push_back(module);
      reached.insert(module);
    }

  // 4. Variable values of a root: auto-loaded tfvars beside it, then the config's var files. Read
  // again for each evaluation (values point into their files, which live as long as the evaluation).
  VarFileSetting setting = var_file_setting(config);
  auto variable_inputs = [&](const std::string& directory) {
    std::vector<const DiscoveredFile*> files;
    for (size_t index : folder_inputs[directory])
      if (is_auto_loaded(base_name(inputs[index]->display_path()))) files.push_back(inputs[index]);
    std::stable_sort(files.begin(), files.end(), [](const DiscoveredFile* a, const DiscoveredFile* b) {
      std::string name_a = base_name(a->display_path()), name_b = base_name(b->display_path());
      int rank_a = load_rank(name_a), rank_b = load_rank(name_b);
      return rank_a != rank_b ? rank_a < rank_b : name_a < name_b;
    });
    return files;
  };
  struct RootValues {
    VariableValues values;
    std::vector<ParsedFile> files;  // the auto-loaded tfvars the values point into
    std::vector<std::shared_ptr<const SourceFile>> var_files;  // the config's, likewise
    std::vector<EvaluationFailure> failures;
    std::vector<std::pair<std::string, std::string>> unreadable;  // the config's var files: path, why
  };
  auto read_values = [&](ScanRoot& scan_root, const std::string& directory, RootValues& read) {
    for (const DiscoveredFile* input : variable_inputs(directory)) {
      read.files.push_back(parse_file(*input, limits));
      add_values(scan_root, read.files.back(), read.values, read.failures);
    }
    std::vector<std::string> extra = setting.all_roots;
    if (auto found = setting.by_root.find(directory); found != setting.by_root.end())
      extra.insert(extra.end(), found->second.begin(), found->second.end());
    for (const std::string& path : extra) {
      std::string error;
      if (!load_var_file(scan_root, path, limits, read.values, read.failures, read.var_files, error))
        read.unreadable.emplace_back(path, std::move(error));
    }
  };
  std::vector<char> has_variable_files(roots.size());
  for (size_t i = 0; i < roots.size(); ++i) has_variable_files[i] = !variable_inputs(roots[i]).empty();

  // 5. Evaluate and lint each root module, in parallel; each writes its own slot.
  std::vector<std::vector<Finding>> per_root_values(roots.size());  // SL002 of the variable values
  std::vector<std::vector<std::pair<std::string, std::string>>> per_root_unreadable(roots.size());
  std::vector<std::vector<RootFindings>> per_root(roots.size());  // set aside (set_aside)
  std::vector<FilesReadByTerraform> per_root_files(roots.size());
  std::vector<IndexContribution> per_root_index(roots.size());
  std::vector<project::FileFacts> per_root_facts(roots.size());
  // `first`: the first evaluation of the root, which reports its variable values' problems.
  auto evaluate = [&](size_t index, bool first, const TaskDefinitionIndex* index_to_link) {
    ScanRoot scan_root(root_folder, limits, listed);
    RootValues values;
    read_values(scan_root, roots[index], values);
    if (first) {
      reporter.failures(values.failures, per_root_values[index]);
      per_root_unreadable[index] = std::move(values.unreadable);
    }
    std::string error;
    const ModuleSource* module = scan_root.module(roots[index], error);
    if (!module) return;  // listed folders always give a module (unreadable files are SL001)
    terraform::RootModuleFacts root{module, has_variable_files[index] != 0};
    per_root_facts[index] = {};  // summarised again, with the links
    // An evaluation again (linked) replaces the first one's findings; those stay unread on disk.
    per_root[index] = set_aside(lint_root(scan_root, *module, values.values, &root, reporter, per_root_files[index],
                                          first && task_definitions ? &per_root_index[index] : nullptr, index_to_link,
                                          &per_root_facts[index]),
                                spill);
    if (first && task_definitions) task_definitions->stow(per_root_index[index]);  // on disk until linked
    if (facts_spill) facts_spill->stow(per_root_facts[index]);  // the bulk on disk until the project phase
  };
  parallel_for(roots.size(), jobs, [&](size_t index) { evaluate(index, true, nullptr); });
  std::set<std::string> warned;
  for (size_t i = 0; i < roots.size(); ++i) {
    for (Finding& finding : per_root_values[i]) findings.push_back(std::move(finding));
    for (auto& [path, error] : per_root_unreadable[i])
      if (warned.insert(path).second) outcome.warnings.push_back(fmt::format("terraform.var_files: {}: {}", path, error));
  }
  decltype(per_root_values)().swap(per_root_values);
  // --- task definitions across files: roots naming one that another file or root defines are
  // evaluated again once every root has added its own to the index (project/task_definition_index.h) ---
  if (task_definitions) {
    for (size_t index = 0; index < roots.size(); ++index) task_definitions->add(per_root_index[index]);
    std::vector<size_t> linkable;
    for (size_t index = 0; index < roots.size(); ++index)
      if (task_definitions->resolves_any(per_root_index[index])) linkable.push_back(index);
    decltype(per_root_index)().swap(per_root_index);
    parallel_for(linkable.size(), jobs, [&](size_t position) { evaluate(linkable[position], false, task_definitions); });
  }
  // --- end task definitions across files ---
  for (project::FileFacts& facts : per_root_facts) outcome.facts.append(std::move(facts));
  for (FilesReadByTerraform& files : per_root_files) outcome.read_files.merge(files);

  // 6. One path at a time, in path order: its findings (those read when folders were read, then
  // each root's), only for files the discovery listed (a template under an excluded folder is not
  // reported on), made final and set aside again as one list, the report's source for that path.
  // What a global stable sort, one-per-place and per-file suppressions gave, path by path.
  std::stable_sort(findings.begin(), findings.end(), finding_order);
  // Keys of their own: the findings they are read from move.
  std::map<std::string, std::vector<RootFindings*>, std::less<>> by_path;  // in root order
  for (std::vector<RootFindings>& lists : per_root)
    for (RootFindings& list : lists) by_path[list.path].push_back(&list);
  std::map<std::string_view, FileSuppressions*> suppressed_in;
  for (FileSuppressions& file : suppressions) {
    suppressed_in.emplace(file.file->display_path(), &file);
    by_path[file.file->display_path()];
  }
  for (const Finding& finding : findings) by_path[finding.location.path];
  auto listed_path = [&](std::string_view path) {
    auto found = std::lower_bound(discovered.files.begin(), discovered.files.end(), path,
                                  [](const DiscoveredFile& file, std::string_view display) { return file.display_path() < display; });
    return found != discovered.files.end() && found->display_path() == path;
  };
  size_t unreadable = 0;
  auto in_memory = findings.begin();
  for (auto& [path, lists] : by_path) {
    std::vector<Finding> own;
    for (; in_memory != findings.end() && in_memory->location.path == path; ++in_memory) own.push_back(std::move(*in_memory));
    for (RootFindings* list : lists) {
      if (!list->spilled) {
        for (Finding& finding : list->findings) own.push_back(std::move(finding));
      } else if (!spill.read(*list->spilled, own)) {
        ++unreadable;
      }
    }
    if (!listed_path(path)) own.clear();
    auto file = suppressed_in.find(path);
    finish_path(own, file == suppressed_in.end() ? nullptr : file->second, reporter);
    own.erase(std::remove_if(own.begin(), own.end(), [&](const Finding& finding) { return !keep(finding); }), own.end());
    if (own.empty()) continue;
    FindingStream::FileFindings list;
    list.first_path = own.front().location.path;
    list.first_position = own.front().location.span.begin;
    list.filtered = false;
    list.spilled = spill.write(own);
    list.findings = std::move(own);  // empty once spilled
    outcome.findings.push_back(std::move(list));
  }
  if (unreadable) outcome.warnings.push_back(unreadable_findings_warning(unreadable));
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
    FilesReadByTerraform read_files;
    // One buffer is not the whole folder: where state lives (a backend in another file) is not judged here.
    std::vector<Finding> own = lint_root(scan_root, module, {}, nullptr, reporter, read_files);
    for (Finding& finding : own)
      if (finding.location.path == file->display_path()) findings.push_back(std::move(finding));
  }
  remove_duplicates(findings);
  std::vector<FileSuppressions> suppressions;
  if (std::optional<FileSuppressions> own = suppressions_of(file)) suppressions.push_back(std::move(*own));
  apply_inline_suppressions(findings, suppressions, reporter);
  return findings;
}

}  // namespace shiftlint
