#include "analyzer/project/app_facts.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzer/detect/host_tuning.h"
#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/sidecar.h"
#include "analyzer/detect/worker_process.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/model/eb/bundle_file.h"
#include "analyzer/model/eb/host_evidence.h"
#include "analyzer/model/ecs/task_definition.h"
#include "analyzer/model/k8s/workload.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"

namespace shiftlint::project {

namespace {

// Facts keep places without their lines' text: a minified JSON file is one long line and a place
// is kept per container, so texts would make the summaries as big as the files. The project phase
// reads the texts of the places its findings and report use (fill_line_texts).
Location located(const SourceFile& file, Span span) { return Location{file.display_path(), span, {}, {}}; }

// ECS takes at most 10 containers per task definition: a file with thousands is not one to
// compare, and its summary must stay small.
constexpr size_t kMaxContainers = 100;

Location location_of(const SourceFile* file, Span span) {
  if (!file) return {};
  return located(*file, span);
}

Location location_of(const Node* node, bool key = false) {
  if (!node || !node->file) return {};
  return located(*node->file, key ? node->key_or_value_span() : node->span);
}

Location location_of(const eb::HostPlace& place) { return location_of(place.file, place.span); }

// The places of one file share its display path: each thread keeps the last one it made, and the
// places of a summary come mostly from one file at a time.
std::shared_ptr<const std::string> shared_display_path(const std::string& display_path) {
  thread_local std::shared_ptr<const std::string> last;
  if (!last || *last != display_path) last = std::make_shared<const std::string>(display_path);
  return last;
}

Place place_in(const SourceFile& file, Span span) { return Place{shared_display_path(file.display_path()), span}; }

Place place_of(const SourceFile* file, Span span) {
  if (!file) return {};
  return place_in(*file, span);
}

Place place_of(const Node* node, bool key = false) {
  if (!node || !node->file) return {};
  return place_in(*node->file, key ? node->key_or_value_span() : node->span);
}

std::string text_of(const Node* node) {
  if (!node) return "";
  if (auto text = node->as_string()) return std::string(*text);
  if (auto number = node->as_integer()) return std::to_string(*number);
  return "";
}

std::string_view bundle_role(eb::BundleFileKind kind) {
  switch (kind) {
    case eb::BundleFileKind::Extension: return ".ebextensions";
    case eb::BundleFileKind::PlatformHook: return "platform hook";
    case eb::BundleFileKind::ConfigHook: return "configuration hook";
    case eb::BundleFileKind::PlatformNginx: return "platform nginx configuration";
    case eb::BundleFileKind::Procfile: return "Procfile";
    case eb::BundleFileKind::Buildfile: return "Buildfile";
    case eb::BundleFileKind::WorkerCron: return "cron.yaml";
    case eb::BundleFileKind::DockerrunV1: return "Dockerrun.aws.json";
  }
  return "Elastic Beanstalk file";
}

HostItem item(HostItemCategory category, std::string name, std::string value, std::string detail,
              const eb::HostPlace& place) {
  HostItem result;
  result.category = category;
  result.name = std::move(name);
  result.value = std::move(value);
  result.detail = std::move(detail);
  result.origin = place.origin;
  result.location = location_of(place);
  return result;
}

}  // namespace

std::string_view to_string(HostItemCategory category) {
  switch (category) {
    case HostItemCategory::Package: return "package";
    case HostItemCategory::EnvironmentVariable: return "environment variable";
    case HostItemCategory::NofileLimit: return "nofile limit";
    case HostItemCategory::KernelParameter: return "kernel parameter";
    case HostItemCategory::TimeZone: return "time zone";
    case HostItemCategory::CronJob: return "cron job";
    case HostItemCategory::LogShipping: return "log shipping";
    case HostItemCategory::Hook: return "deploy hook";
  }
  return "item";
}

const std::string& Place::path() const {
  static const std::string none;
  return file ? *file : none;
}

Location Place::location() const { return Location{path(), span, {}, {}}; }

void FileFacts::append(FileFacts&& other) {
  auto move_all = [](auto& into, auto& from) {
    into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  move_all(host_files, other.host_files);
  move_all(images, other.images);
  move_all(deployments, other.deployments);
  move_all(scheduled_runs, other.scheduled_runs);
}

void FileFacts::shrink_to_fit() {
  host_files.shrink_to_fit();
  images.shrink_to_fit();
  deployments.shrink_to_fit();
  scheduled_runs.shrink_to_fit();
}

// --- the old host ---

HostFileFacts host_file_facts(const eb::BundleFile& bundle) {
  HostFileFacts facts;
  const SourceFile& file = *bundle.file;
  facts.path = file.display_path();
  facts.bundle_root = eb::bundle_root(facts.path);
  facts.role = std::string(bundle_role(bundle.kind));
  facts.anchor = located(file, {{1, 1}, {1, 1}});
  if (bundle.dockerrun.image_name) facts.dockerrun_image = text_of(bundle.dockerrun.image_name);
  if (!bundle.errors.empty()) return facts;  // EB could not read it: it did nothing

  const eb::HostEvidence& evidence = eb::host_evidence(bundle);
  for (const eb::InstalledPackage& package : evidence.packages)
    facts.items.push_back(item(HostItemCategory::Package, package.name, package.version, package.manager, package.place));
  for (const eb::EnvironmentVariable& variable : evidence.environment) {
    HostItem entry = item(HostItemCategory::EnvironmentVariable, variable.name, variable.value, "", variable.place);
    entry.value_known = variable.value_known;
    facts.items.push_back(std::move(entry));
  }
  for (const eb::RaisedLimit& limit : evidence.limits) {
    if (limit.resource != "nofile") continue;  // Fargate sets only nofile; the others are EB003's
    facts.items.push_back(item(HostItemCategory::NofileLimit, "nofile", limit.soft, limit.hard, limit.place));
    facts.items.back().detail = limit.hard;
    facts.items.back().origin = limit.place.origin + " (" + limit.mechanism + ")";
  }
  for (const eb::KernelParameter& parameter : evidence.kernel_parameters)
    facts.items.push_back(item(HostItemCategory::KernelParameter, parameter.name, parameter.value, "", parameter.place));
  for (const eb::TimeZoneSetting& zone : evidence.time_zones)
    facts.items.push_back(item(HostItemCategory::TimeZone, zone.zone, zone.zone, zone.mechanism, zone.place));
  for (const eb::CronJob& job : evidence.cron_jobs)
    facts.items.push_back(item(HostItemCategory::CronJob, job.command, job.schedule, job.place_name, job.place));
  for (const eb::LogShipping& shipping : evidence.log_shipping)
    facts.items.push_back(item(HostItemCategory::LogShipping, shipping.product, shipping.how, "", shipping.place));
  for (const eb::LeaderOnlyCommand& leader : evidence.leader_only)
    facts.items.push_back(item(HostItemCategory::Hook, leader.name, leader.purpose, "leader_only container command",
                               leader.command));
  if (bundle.kind == eb::BundleFileKind::PlatformHook || bundle.kind == eb::BundleFileKind::ConfigHook) {
    std::string name = facts.path.substr(facts.path.rfind('/') + 1);
    eb::HostPlace place{&file, {{1, 1}, {1, 1}}, std::string(bundle_role(bundle.kind))};
    facts.items.push_back(item(HostItemCategory::Hook, name, bundle.hook.phase, facts.role, place));
  }
  return facts;
}

// --- Dockerfiles ---

namespace {

void add_time_zone_writes(const docker::Dockerfile& dockerfile, const docker::Stage& stage,
                          const docker::Instruction& instruction, const shell::Script& script, ImageFacts& facts) {
  for (const shell::PathWrite& write : shell::find_path_writes(script)) {
    if (!write.path || write.path->has_expansion) continue;
    const std::string path(write.path->value);
    if (path == "/etc/localtime" && write.source) {
      size_t position = 0;
      dockerfile.stage_of(instruction, &position);
      std::string source = dkr::expanded_value(dockerfile, stage, position, *write.source).value_or("");
      if (auto zone = detect::zoneinfo_zone(source))
        facts.time_zone.push_back({"/etc/localtime", std::string(*zone), place_of(dockerfile.file.get(), write.path->span)});
    } else if (path == "/etc/timezone") {
      facts.time_zone.push_back({"/etc/timezone", "", place_of(dockerfile.file.get(), write.path->span)});
    }
  }
}

}  // namespace

ImageFacts image_facts(const docker::Dockerfile& dockerfile) {
  ImageFacts facts;
  const SourceFile& file = *dockerfile.file;
  facts.path = file.display_path();
  size_t slash = facts.path.rfind('/');
  facts.folder = slash == std::string::npos ? "" : facts.path.substr(0, slash);
  facts.anchor = located(file, {{1, 1}, {1, 1}});
  const docker::Stage* final_stage = dockerfile.final_stage();
  if (!final_stage) return facts;
  if (final_stage->from) facts.anchor = located(file, final_stage->from->span);
  facts.base_image = final_stage->image.text;
  facts.command_words = dkr::image_command_words(*final_stage);
  for (const dkr::StartupCommand& command : dkr::startup_commands(dkr::image_startup(dockerfile)))
    facts.startup_commands.emplace_back(command.words.begin(), command.words.end());

  std::map<std::string, Provided> environment;
  std::vector<std::string> environment_order;
  for (const docker::Stage* stage : docker::final_image_stages(dockerfile)) {
    for (const dkr::CommandInstruction& at : dkr::command_instructions(*stage)) {
      if (at.at_run_time) continue;
      const shell::Script& script = docker::instruction_script(file, *at.instruction);
      for (const shell::PackageInstall& install : shell::find_package_installs(script)) {
        std::string manager(shell::package_manager_name(install.manager));
        if (!install.requirement_files.empty() || (install.packages.empty() && install.manager != shell::PackageManager::Apt &&
                                                   install.manager != shell::PackageManager::Yum &&
                                                   install.manager != shell::PackageManager::Dnf &&
                                                   install.manager != shell::PackageManager::Apk))
          facts.opaque_managers.push_back(manager);
      }
      // Placed where each name is written, also in a variable's value (dkr::installed_packages).
      dkr::ScriptSource source;
      source.file = source.dockerfile_file = &file;
      source.script = &script;
      source.instruction = at.instruction;
      source.position = at.position;
      for (const dkr::InstalledPackage& package : dkr::installed_packages(dockerfile, *stage, source)) {
        if (facts.install_anchor.path.empty()) facts.install_anchor = located(file, at.instruction->span);
        facts.packages.push_back({std::string(package.name), std::string(shell::package_manager_name(package.manager)),
                                  place_in(file, package.span)});
      }
      // `bundle install`, `composer install`, `npm ci`: dependency files the image installs from.
      for (const shell::Command& command : script.commands) {
        std::string_view program = detect::program_basename(command.name.value);
        if (program.empty()) continue;
        std::string_view verb = command.arguments.empty() ? "" : std::string_view(command.arguments[0].value);
        if (program == "bundle" && (verb == "install" || verb.empty())) facts.opaque_managers.push_back("gem");
        if (program == "composer" && verb == "install") facts.opaque_managers.push_back("composer");
        if ((program == "npm" || program == "yarn" || program == "pnpm") && (verb == "ci" || verb == "install" || verb.empty()))
          facts.opaque_managers.push_back("npm");
        if ((program == "pipenv" || program == "poetry") && verb == "install") facts.opaque_managers.push_back("pip");
        if (verb == "install" && (program == "nvm" || program == "n")) facts.runtimes.push_back("node");
        if (verb == "install" && (program == "pyenv" || program == "uv")) facts.runtimes.push_back("python");
        if (verb == "install" && (program == "rbenv" || program == "ruby-install")) facts.runtimes.push_back("ruby");
      }
      add_time_zone_writes(dockerfile, *stage, *at.instruction, script, facts);
    }
    if (stage->index < dockerfile.scopes.size()) {
      for (const docker::Variable& variable : dockerfile.scopes[stage->index].bindings) {
        if (variable.kind != docker::Variable::Kind::Env || !variable.instruction) continue;
        Place where = place_in(file, variable.pair ? variable.pair->span : variable.instruction->span);
        if (!environment.count(variable.name)) environment_order.push_back(variable.name);
        environment[variable.name] = {variable.name, variable.known ? variable.value : "", where};
      }
    }
  }
  for (const std::string& name : environment_order) {
    facts.environment.push_back(environment[name]);
    if (name == "TZ") facts.time_zone.push_back(environment[name]);
  }
  // The official images of a language runtime carry it (and, for node, npm; for python, pip).
  for (const docker::Stage* stage : docker::final_image_stages(dockerfile)) {
    detect::ImageReference base = detect::parse_image_reference(stage->image.text);
    std::string_view repository = base.repository;
    if (size_t slash = repository.rfind('/'); slash != std::string_view::npos) repository.remove_prefix(slash + 1);
    for (std::string_view runtime : {"node", "python", "ruby", "php", "golang", "openjdk", "perl"})
      if (repository == runtime) facts.runtimes.emplace_back(runtime);
    if (repository == "eclipse-temurin" || repository == "amazoncorretto") facts.runtimes.emplace_back("openjdk");
  }
  std::sort(facts.runtimes.begin(), facts.runtimes.end());
  facts.runtimes.erase(std::unique(facts.runtimes.begin(), facts.runtimes.end()), facts.runtimes.end());
  std::sort(facts.opaque_managers.begin(), facts.opaque_managers.end());
  facts.opaque_managers.erase(std::unique(facts.opaque_managers.begin(), facts.opaque_managers.end()),
                              facts.opaque_managers.end());

  // PID 1 and signals: DKR001's own detection, run whether or not DKR001 is selected.
  if (const Rule* shell_form = find_rule("DKR001"); shell_form && shell_form->check_dockerfile) {
    std::vector<Finding> findings;
    RuleContext context(*shell_form, shell_form->severity, RuleOptions(), Target::Auto, findings);
    shell_form->check_dockerfile(dockerfile, context);
    for (const Finding& finding : findings) {
      if (finding.location.path != facts.path) continue;  // in an entrypoint script: keep the Dockerfile's view
      std::string keyword = "CMD";
      if (final_stage->config.entrypoint && finding.location.span.begin.line >= final_stage->config.entrypoint->span.begin.line &&
          finding.location.span.begin.line <= final_stage->config.entrypoint->span.end.line)
        keyword = "ENTRYPOINT";
      facts.shell_entrypoint = ImageFacts::ShellEntrypoint{keyword, finding.message, finding.location};
      break;
    }
    if (!facts.shell_entrypoint) {
      for (const Finding& finding : findings) {
        // The shell is in a script the ENTRYPOINT runs: the Dockerfile line that runs it.
        const docker::Instruction* runner = final_stage->config.entrypoint ? final_stage->config.entrypoint : final_stage->config.cmd;
        if (!runner) break;
        facts.shell_entrypoint = ImageFacts::ShellEntrypoint{runner->keyword, finding.message, finding.location};
        break;
      }
    }
  }
  return facts;
}

// --- task definitions ---

DeploymentFacts task_definition_facts(const ecs::TaskDefinition& task) {
  DeploymentFacts facts;
  facts.kind = DeploymentFacts::Kind::TaskDefinition;
  facts.path = task.file ? task.file->display_path() : "";
  facts.name = task.family ? text_of(task.family) : task.display_name;
  if (facts.name.empty()) facts.name = task.display_name;
  facts.label = fmt::format("task definition \"{}\"", task.display_name);
  facts.location = place_of(task.node, true);
  for (const ecs::ContainerDefinition& container : task.containers) {
    if (facts.containers.size() >= kMaxContainers) break;
    ContainerFacts entry;
    entry.name = std::string(container.name_text());
    entry.image = std::string(container.image_text());
    entry.location = place_of(container.name ? container.name : container.node);
    entry.environment_block = place_of(container.environment ? container.environment : container.node, true);
    for (const ecs::NameValue& pair : container.environment_entries) {
      std::string name = text_of(pair.name);
      if (name.empty()) {
        entry.environment_open = true;
        continue;
      }
      entry.environment.push_back({name, text_of(pair.value), place_of(pair.name)});
    }
    for (const ecs::NameValue& pair : container.secret_entries) {
      std::string name = text_of(pair.name);
      if (name.empty()) {
        entry.environment_open = true;
        continue;
      }
      entry.environment.push_back({name, "(secret)", place_of(pair.name)});
    }
    if ((container.environment && !container.environment->is_list()) || (container.secrets && !container.secrets->is_list()) ||
        (container.node && container.node->find_any_case("environmentFiles")))
      entry.environment_open = true;
    entry.ulimits_block = place_of(container.ulimits ? container.ulimits : container.node, true);
    if (const ecs::Ulimit* nofile = container.find_ulimit("nofile")) {
      std::string soft = text_of(nofile->soft_limit), hard = text_of(nofile->hard_limit);
      if (soft.empty() && hard.empty()) entry.nofile_unknown = true;
      else entry.nofile = Provided{hard, soft, place_of(nofile->node)};
    } else if (container.ulimits && !container.ulimits->is_list()) {
      entry.nofile_unknown = true;
    }
    if (container.stop_timeout) entry.stop_timeout = Provided{"stopTimeout", text_of(container.stop_timeout), place_of(container.stop_timeout, true)};
    if (std::string_view driver = container.log_driver(); !driver.empty())
      entry.log_driver = Provided{std::string(driver), "", place_of(container.log_configuration, true)};
    if (container.system_controls && container.system_controls->is_list())
      for (const Node& control : container.system_controls->children)
        entry.system_controls.push_back({text_of(control.find_any_case("namespace")), text_of(control.find_any_case("value")),
                                         place_of(&control)});
    entry.overrides_entrypoint = container.entry_point != nullptr;
    entry.overrides_command = container.command != nullptr;
    entry.command_words = container.command_line();
    entry.sidecar = container.firelens_configuration || detect::detect_sidecar(entry.image, entry.command_words).has_value();
    entry.environment.shrink_to_fit();
    facts.containers.push_back(std::move(entry));
  }
  facts.containers.shrink_to_fit();
  return facts;
}

// --- Kubernetes workloads ---

std::vector<DeploymentFacts> workload_facts(const k8s::Manifests& manifests) {
  std::vector<DeploymentFacts> result;
  for (const k8s::Workload& workload : manifests.workloads) {
    DeploymentFacts facts;
    facts.kind = DeploymentFacts::Kind::KubernetesWorkload;
    facts.path = workload.file ? workload.file->display_path() : "";
      facts.name = std::string(workload.name_text());
    facts.label = workload.label();
    facts.location = place_of(workload.name ? workload.name : workload.node);
    facts.scheduled = workload.kind == k8s::WorkloadKind::CronJob;
    if (facts.scheduled && workload.spec) facts.schedule = text_of(workload.spec->find("schedule"));
    for (const k8s::Container& container : workload.containers) {
      if (facts.containers.size() >= kMaxContainers) break;
      ContainerFacts entry;
      entry.name = std::string(container.name_text());
      entry.image = std::string(container.image_text());
      entry.location = place_of(container.name ? container.name : container.node);
      entry.environment_block = place_of(container.env ? container.env : container.node, true);
      for (const k8s::EnvironmentEntry& variable : container.environment) {
        std::string name = text_of(variable.name);
        if (name.empty()) {
          entry.environment_open = true;
          continue;
        }
        entry.environment.push_back({name, variable.value_from ? "(from a reference)" : text_of(variable.value),
                                     place_of(variable.name)});
      }
      if ((container.env && !container.env->is_list()) || (container.node && container.node->find("envFrom")))
        entry.environment_open = true;
      entry.ulimits_block = entry.location;
      if (workload.termination_grace_period_seconds)
        entry.stop_timeout = Provided{"terminationGracePeriodSeconds", text_of(workload.termination_grace_period_seconds),
                                      place_of(workload.termination_grace_period_seconds, true)};
      entry.overrides_entrypoint = container.command != nullptr;
      entry.overrides_command = container.command != nullptr || container.args != nullptr;
      entry.command_words = container.command_line().value_or(std::vector<std::string>{});
      entry.sidecar = detect::detect_sidecar(entry.image, entry.command_words).has_value();
      entry.environment.shrink_to_fit();
      facts.containers.push_back(std::move(entry));
    }
    facts.containers.shrink_to_fit();
    result.push_back(std::move(facts));
  }
  return result;
}

// --- scheduled runs ---

std::vector<ScheduledRunFacts> scheduled_run_facts(const aws::Infrastructure& infrastructure) {
  std::vector<ScheduledRunFacts> result;
  for (const aws::RunTask& run : infrastructure.run_tasks) {
    if (run.source != aws::RunTaskSource::EventBridgeTarget && run.source != aws::RunTaskSource::SchedulerTarget) continue;
    ScheduledRunFacts facts;
    facts.path = run.file ? run.file->display_path() : "";
    facts.label = run.display_name;
    facts.location = location_of(run.node, true);
    if (run.task) {
      facts.task_family = text_of(run.task->family);
      for (const ecs::ContainerDefinition& container : run.task->containers)
        if (std::vector<std::string> words = container.command_line(); !words.empty()) facts.commands.push_back(words);
    }
    if (run.overrides) {
      const Node* overrides = run.overrides->find_any_case("containerOverrides");
      if (overrides && overrides->is_list())
        for (const Node& container : overrides->children)
          if (const Node* command = container.find_any_case("command"); command && command->is_list()) {
            std::vector<std::string> words;
            for (const Node& word : command->children) words.push_back(text_of(&word));
            facts.commands.push_back(std::move(words));
          }
    }
    result.push_back(std::move(facts));
  }
  return result;
}

}  // namespace shiftlint::project
