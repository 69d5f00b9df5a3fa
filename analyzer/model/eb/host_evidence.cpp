#include "analyzer/model/eb/host_evidence.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/detect/cron_usage.h"
#include "analyzer/detect/host_tuning.h"
#include "analyzer/detect/log_shipper.h"
#include "analyzer/detect/startup_work.h"
#include "analyzer/detect/state_path.h"
#include "analyzer/detect/worker_process.h"
#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/crontab_call.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/package_install.h"
#include "analyzer/parse/shell/path_write.h"
#include "analyzer/parse/shell/service_start.h"
#include "analyzer/parse/shell/ulimit_call.h"

namespace shiftlint::eb {
namespace {

// Log shipping configured by writing its configuration: the folder says which product.
struct LogConfigFolder {
  std::string_view folder;
  std::string_view product;
};
// Product names as detect::log_shipper_from_package gives them, so one product is one item.
constexpr std::array<LogConfigFolder, 12> kLogConfigFolders = {{
    {"/etc/awslogs/", "awslogs agent"},
    {"/var/awslogs/", "awslogs agent"},
    {"/opt/aws/amazon-cloudwatch-agent/", "CloudWatch agent"},
    {"/etc/td-agent/", "fluentd"},
    {"/etc/fluent/", "fluentd"},
    {"/etc/fluentd/", "fluentd"},
    {"/etc/td-agent-bit/", "fluent-bit"},
    {"/etc/fluent-bit/", "fluent-bit"},
    {"/etc/filebeat/", "filebeat"},
    {"/etc/logrotate.d/", "logrotate"},
    {"/etc/logrotate.elasticbeanstalk.hourly/", "logrotate"},
    {"/etc/logrotate.conf", "logrotate"},
}};

std::optional<std::string_view> log_config_product(std::string_view path) {
  for (const LogConfigFolder& folder : kLogConfigFolders)
    if (path.starts_with(folder.folder)) return folder.product;
  return std::nullopt;
}

// Services of log shippers (what `service X start` and `services: sysvinit:` name), by product.
std::optional<std::string_view> log_shipper_service(std::string_view service) {
  static constexpr std::array<LogConfigFolder, 10> services = {{
      {"awslogs", "awslogs agent"},
      {"awslogsd", "awslogs agent"},
      {"td-agent", "fluentd"},
      {"fluentd", "fluentd"},
      {"google-fluentd", "fluentd"},
      {"td-agent-bit", "fluent-bit"},
      {"fluent-bit", "fluent-bit"},
      {"filebeat", "filebeat"},
      {"amazon-cloudwatch-agent", "CloudWatch agent"},
      {"datadog-agent", "datadog-agent"},
  }};
  for (const LogConfigFolder& entry : services)
    if (service == entry.folder) return entry.product;
  return std::nullopt;
}

// nginx's own folder, and where the Amazon Linux AMI platforms (Ruby/Puma, Node.js) keep the
// nginx server blocks they include (/opt/elasticbeanstalk/support/conf/webapp_healthd.conf).
bool is_nginx_config_path(std::string_view path) {
  return (path.starts_with("/etc/nginx/") || path.starts_with("/opt/elasticbeanstalk/support/conf/")) &&
         path.ends_with(".conf");
}

std::string join_words(std::string_view program, std::span<const shell::Word> arguments) {
  std::string text(program);
  for (const shell::Word& word : arguments) text += " " + std::string(word.value);
  return text;
}

std::vector<std::string> command_words(const shell::EffectiveCommand& effective) {
  std::vector<std::string> words;
  if (!effective.program) return words;
  words.emplace_back(effective.program->value);
  for (const shell::Word& word : effective.arguments) words.emplace_back(word.value);
  return words;
}

// An init script whose `start` function only keeps the books (its lock file, messages) while its
// `stop` function runs commands that do work: it exists to run that work when the instance shuts
// down (AWS's publishlogs sample uploads the logs then), not to keep a process running.
bool is_shutdown_hook(const shell::Script& script) {
  static constexpr std::array<std::string_view, 15> kBookkeeping = {
      "touch", "echo", "printf", "mkdir", "rm", "[", "test", "true", ":", "return", "logger", "success", "failure",
      "echo_success", "echo_failure"};
  bool has_start = false;
  bool stop_works = false;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const shell::Command& command = script.commands[index];
    std::string_view program = shell::effective_program_name(command);
    bool bookkeeping = program.empty() || std::find(kBookkeeping.begin(), kBookkeeping.end(), program) != kBookkeeping.end();
    if (command.function_name == "start") {
      has_start = true;
      if (!bookkeeping) return false;
    } else if (command.function_name == "stop" && !bookkeeping && program != "sleep") {
      stop_works = true;
    }
  }
  return has_start && stop_works;
}

class EvidenceReader {
 public:
  EvidenceReader(const BundleFile& bundle, HostEvidence& evidence)
      : bundle_(bundle), file_(*bundle.file), evidence_(evidence) {}

  void read() {
    switch (bundle_.kind) {
      case BundleFileKind::Extension: read_extension(); break;
      case BundleFileKind::PlatformHook:
      case BundleFileKind::ConfigHook: {
        std::string origin = bundle_.kind == BundleFileKind::ConfigHook ? "configuration hook" : "platform hook";
        if (!bundle_.hook.phase.empty()) origin += " (" + bundle_.hook.phase + ")";
        scan_script(bundle_.hook.script, origin);
        break;
      }
      case BundleFileKind::PlatformNginx: scan_nginx(bundle_.nginx.config, "platform nginx configuration"); break;
      case BundleFileKind::Procfile:
      case BundleFileKind::Buildfile:
        for (const Process& process : bundle_.processes)
          scan_script(process.script, fmt::format("{}: {}", to_string(bundle_.kind), process.name), true);
        break;
      case BundleFileKind::WorkerCron: read_worker_cron(); break;
      case BundleFileKind::DockerrunV1: read_dockerrun_volumes(); break;
    }
  }

 private:
  HostPlace place(Span span, std::string origin) const { return {&file_, span, std::move(origin)}; }
  HostPlace place(const Node& node, std::string origin, bool key = false) const {
    return {&file_, key ? node.key_or_value_span() : node.span, std::move(origin)};
  }

  // --- Dockerrun.aws.json (version 1) ---
  // `"Volumes": [{"HostDirectory": "/var/app/data", "ContainerDirectory": "/data"}]`: the container
  // writes into a folder of the instance.
  void read_dockerrun_volumes() {
    const Node* volumes = bundle_.dockerrun.volumes;
    if (!volumes || !volumes->is_list()) return;
    for (const Node& volume : volumes->children) {
      const Node* host = volume.find("HostDirectory");
      if (!host || !host->is_string() || host->text.empty()) continue;
      const Node* container = volume.find("ContainerDirectory");
      std::string at = container && container->is_string() ? container->text : std::string("the container");
      std::optional<detect::StatePath> state = detect::classify_state_path(at);
      evidence_.instance_state.push_back({state ? std::string(state->what) : std::string("data the container writes"),
                                          host->text, fmt::format("mounted into the container at {}", at),
                                          place(*host, "Dockerrun.aws.json")});
    }
  }

  // --- .ebextensions ---

  void read_extension() {
    const Extension& extension = bundle_.extension;
    for (const FileEntry& entry : extension.files)
      if (entry.path.starts_with("/etc/init.d/") || entry.path.starts_with("/etc/rc.d/init.d/")) {
        std::string service = entry.path.substr(entry.path.rfind('/') + 1);
        if (entry.is_script && is_shutdown_hook(entry.script)) shutdown_hooks_.insert(service);
        init_scripts_.insert(std::move(service));
      }
    for (const Package& package : extension.packages) read_package(package);
    for (const FileEntry& entry : extension.files) read_file_entry(entry);
    for (const Command& command : extension.commands) read_command(command, "commands");
    for (const Service& service : extension.services) read_service(service);
    for (const Command& command : extension.container_commands) read_command(command, "container_commands");
    for (const OptionSetting& setting : extension.option_settings) read_option(setting);
  }

  void read_package(const Package& package) {
    std::string version;
    if (auto text = package.entry->as_string()) version = std::string(*text);
    else if (package.entry->is_list() && !package.entry->children.empty())
      if (auto text = package.entry->children[0].as_string()) version = std::string(*text);
    if (package.manager == "rpm") version.clear();  // an rpm entry's value is the package's URL
    std::string origin = "packages: " + package.manager;
    evidence_.packages.push_back({package.manager, package.name, version, place(*package.entry, origin, true)});
    bool language = package.manager == "rubygems" || package.manager == "python";
    std::string_view source = package.manager == "rpm" && package.entry->as_string() ? *package.entry->as_string()
                                                                                      : std::string_view(package.name);
    if (auto shipper = detect::log_shipper_from_package(source, language))
      evidence_.log_shipping.push_back({std::string(shipper->product), "installs the package " + package.name,
                                        place(*package.entry, origin, true)});
    else if (package.name == "logrotate")
      evidence_.log_shipping.push_back({"logrotate", "installs the package logrotate", place(*package.entry, origin, true)});
  }

  void read_file_entry(const FileEntry& entry) {
    std::string origin = "files: " + entry.path;
    HostPlace key_place = place(*entry.entry, origin, true);
    const TextMap& content = entry.content_text;
    if (auto cron = detect::cron_path(entry.path)) {
      if (cron->kind == detect::CronPathKind::PeriodicFolder) {
        std::string schedule(cron->place.substr(std::string_view("/etc/cron.").size()));
        evidence_.cron_jobs.push_back({CronSource::PeriodicScript, schedule, entry.path, "", std::string(cron->place),
                                       key_place});
      } else if (!content.empty()) {
        add_crontab(content, cron->has_user_field, CronSource::CronFile, entry.path, origin);
      } else {
        evidence_.cron_jobs.push_back({CronSource::CronFile, "", "", "", entry.path, key_place});
      }
    }
    if (detect::is_limits_conf_path(entry.path)) {
      if (content.empty()) evidence_.limits.push_back({"", "", "", "limits.conf", key_place});
      else add_limits(content, origin);
    }
    if (detect::is_sysctl_conf_path(entry.path) && !content.empty()) add_sysctl_text(content, origin);
    if (detect::is_time_zone_path(entry.path) && !content.empty()) {
      if (auto zone = detect::zone_in_time_zone_file(entry.path, content.text()))
        evidence_.time_zones.push_back({content.text().substr(zone->begin, zone->length), entry.path,
                                        place(content.span_of(file_, zone->begin, zone->begin + zone->length), origin)});
    }
    // The CloudWatch agent also collects metrics only: its config ships logs when it has a "logs" section.
    if (auto product = log_config_product(entry.path);
        product && (*product != "CloudWatch agent" || content.empty() || content.text().find("\"logs\"") != std::string::npos))
      evidence_.log_shipping.push_back({std::string(*product), "writes " + entry.path, key_place});
    if (is_nginx_config_path(entry.path) && !content.empty())
      scan_nginx(nginx::parse_nginx_config(file_, content), origin);
    if (entry.is_script) scan_script(entry.script, origin);
  }

  void read_command(const Command& command, std::string_view section) {
    std::string origin = fmt::format("{}: {}", section, command.name);
    scan_script(command.script, origin);
    if (command.leader_only_value() == true) {
      LeaderOnlyCommand leader;
      leader.name = command.name;
      leader.place = place(*command.leader_only, origin);
      leader.command = command.command ? place(*command.command, origin) : leader.place;
      for (uint32_t index = 0; index < command.script.commands.size() && leader.purpose.empty(); ++index) {
        std::vector<std::string> words = command_words(shell::effective_command(command.script, index));
        if (words.empty()) continue;
        for (const detect::StartupWork& work : detect::detect_startup_work(words)) {
          leader.purpose = fmt::format("{} ({})", work.description, detect::startup_work_kind_name(work.kind));
          leader.kind = work.kind;
          break;
        }
      }
      evidence_.leader_only.push_back(std::move(leader));
    }
  }

  void read_service(const Service& service) {
    std::string origin = fmt::format("services: {}: {}", service.manager, service.name);
    bool running = service.ensure_running && service.ensure_running->as_boolean() == true;
    bool enabled = service.enabled && service.enabled->as_boolean() == true;
    if (!running && !enabled) return;
    if (auto shipper = log_shipper_service(service.name))
      evidence_.log_shipping.push_back({std::string(*shipper), "keeps the service running", place(*service.entry, origin, true)});
    else if (init_scripts_.count(service.name))
      evidence_.daemonized.push_back({service.name, "as a service from its own /etc/init.d script",
                                      place(*service.entry, origin, true), shutdown_hooks_.contains(service.name)});
  }

  void read_option(const OptionSetting& setting) {
    const std::string& space = setting.namespace_name;
    HostPlace option_place =
        setting.option_node ? place(*setting.option_node, "option_settings", setting.option_node == setting.entry)
                            : place(*setting.entry, "option_settings");
    std::string value;
    bool known = false;
    if (setting.value) {
      if (auto text = setting.value->as_string()) {
        value = std::string(*text);
        known = true;
      } else if (setting.value->kind == NodeKind::Boolean) {
        value = setting.value->boolean ? "true" : "false";
        known = true;
      } else if (setting.value->is_null()) {
        known = true;
      }
    }
    if (space == kEnvironmentNamespace) {
      EnvironmentVariable variable{setting.option_name, value, known, option_place, {}};
      if (setting.value) variable.value_span = setting.value->span;
      evidence_.environment.push_back(std::move(variable));
      // The app reads its zone from TZ: on the instance that was this property.
      if (setting.option_name == "TZ" && detect::is_time_zone_name(value))
        evidence_.time_zones.push_back({value, "the TZ environment property",
                                        setting.value ? place(*setting.value, "option_settings") : option_place});
    } else if (space == "aws:elasticbeanstalk:cloudwatch:logs" && setting.option_name == "StreamLogs" &&
               (value == "true" || value == "True")) {
      evidence_.log_shipping.push_back({"Elastic Beanstalk's log streaming", "turns on StreamLogs", option_place});
    } else if (space == "aws:elasticbeanstalk:environment:proxy:staticfiles" ||
               space.ends_with(":staticfiles")) {
      // The folder is relative to the source bundle's root, which the instance unpacks into
      // /var/app/current: `/static: static` and `/static: /static` both serve /var/app/current/static.
      std::string folder(value);
      while (!folder.empty() && folder.front() == '/') folder.erase(0, 1);
      evidence_.instance_state.push_back({"static files served by the instance's proxy", "/var/app/current/" + folder,
                                          fmt::format("{} maps {} to the source bundle's folder {}", space,
                                                      setting.option_name, folder.empty() ? "/" : folder),
                                          option_place});
    } else if (setting.option_name == "StaticFiles" && !value.empty()) {
      evidence_.instance_state.push_back({"static files served by the instance's proxy", value,
                                          fmt::format("{} StaticFiles", space), option_place});
    }
  }

  // --- content readers shared by files:, heredocs and echoed text ---

  void add_crontab(const TextMap& text, bool has_user_field, CronSource source, const std::string& table,
                   const std::string& origin) {
    for (const detect::CrontabEntry& entry : detect::parse_crontab(text.text(), has_user_field, 200)) {
      evidence_.cron_jobs.push_back({source, std::string(entry.schedule), std::string(entry.command),
                                     std::string(entry.user), table,
                                     place(text.span_of(file_, entry.line_begin, entry.line_end), origin)});
    }
  }

  void add_limits(const TextMap& text, const std::string& origin) {
    for (const detect::LimitsEntry& entry : detect::parse_limits_conf(text.text())) {
      RaisedLimit limit;
      limit.resource = std::string(entry.item);
      if (entry.sets_soft()) limit.soft = std::string(entry.value);
      if (entry.sets_hard()) limit.hard = std::string(entry.value);
      limit.mechanism = "limits.conf";
      limit.place = place(text.span_of(file_, entry.item_begin, entry.line_end), origin);
      evidence_.limits.push_back(std::move(limit));
    }
  }

  void add_sysctl(std::string_view name, std::string_view value, HostPlace where) {
    if (detect::is_file_limit_sysctl(name))
      evidence_.limits.push_back({"nofile", "", std::string(value), fmt::format("sysctl {}", name), where});
    else
      evidence_.kernel_parameters.push_back({std::string(name), std::string(value), std::move(where)});
  }

  void add_sysctl_text(const TextMap& text, const std::string& origin) {
    for (const detect::SysctlEntry& entry : detect::parse_sysctl_conf(text.text()))
      add_sysctl(entry.name, entry.value, place(text.span_of(file_, entry.name_begin, entry.line_end), origin));
  }

  // --- nginx ---

  // The server's `location /` passes requests on or answers them itself (proxy_pass, fastcgi_pass,
  // return...) or serves its own root: what is not matched elsewhere never reaches the server's root.
  static bool catch_all_handled(const nginx::Config& config, uint32_t server) {
    static constexpr std::array<std::string_view, 9> kHandlers = {
        "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass", "return", "root", "alias"};
    for (uint32_t index = server + 1; index < config.directives.size(); ++index) {
      const nginx::Directive& location = config.directives[index];
      if (location.depth <= config.directives[server].depth) break;  // past the server's block
      if (location.name != "location" || location.parent != server || location.arguments.size() != 1 ||
          location.arguments[0].value != "/")
        continue;
      for (uint32_t inside = index + 1; inside < config.directives.size(); ++inside) {
        const nginx::Directive& directive = config.directives[inside];
        if (directive.depth <= location.depth) break;
        if (directive.parent == index &&
            std::find(kHandlers.begin(), kHandlers.end(), directive.name) != kHandlers.end())
          return true;
      }
      return false;
    }
    return false;
  }

  void scan_nginx(const nginx::Config& config, const std::string& origin) {
    for (size_t index = 0; index < config.directives.size(); ++index) {
      const nginx::Directive& directive = config.directives[index];
      if ((directive.name != "root" && directive.name != "alias") || directive.arguments.empty()) continue;
      uint32_t location = config.enclosing(static_cast<uint32_t>(index), "location");
      std::string how;
      if (location != nginx::kNoParent) {
        const nginx::Directive& block = config.directives[location];
        how = fmt::format("nginx `location {}` serves them with `{} {}`",
                          block.arguments.empty() ? "" : block.arguments.back().value, directive.name,
                          directive.arguments[0].value);
      } else {
        // A server's root serves what no location hands elsewhere: nothing for a proxied app whose
        // `location /` passes every request on, the files themselves when there is no such
        // location or it is empty (eb-java-scorekeep's `location / { }` beside `location /api`).
        uint32_t server = config.enclosing(static_cast<uint32_t>(index), "server");
        if (server == nginx::kNoParent || directive.name != "root" || catch_all_handled(config, server)) continue;
        how = fmt::format("the nginx `server` serves them with `root {}`, which no proxying `location /` overrides",
                          directive.arguments[0].value);
      }
      const std::string& path = directive.arguments[0].value;
      std::string what = "static files served by nginx";
      if (auto state = detect::classify_state_path(path); state && state->kind != detect::StateKind::Data)
        what = std::string(state->what) + " served by nginx";
      evidence_.instance_state.push_back({what, path, std::move(how), place(directive.span, origin)});
    }
  }

  // --- shell ---

  // What an echo/printf prints into a redirection or a `| tee`, and where its words are.
  std::optional<std::pair<std::string, Span>> printed_text(const shell::Script& script, uint32_t index) const {
    shell::EffectiveCommand effective = shell::effective_command(script.commands[index]);
    std::string_view name = effective.program_name();
    if ((name != "echo" && name != "printf") || effective.arguments.empty()) return std::nullopt;
    std::string text;
    for (const shell::Word& word : effective.arguments) {
      if (word.value.starts_with("-") && text.empty()) continue;  // echo -e
      if (!text.empty()) text += ' ';
      text += word.value;
    }
    // `echo -e "a\nb"` and printf write real line breaks.
    std::string decoded;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
        decoded += '\n';
        ++i;
      } else {
        decoded += text[i];
      }
    }
    Span span{effective.arguments.front().span.begin, effective.arguments.back().span.end};
    return std::pair{decoded, span};
  }

  std::optional<std::pair<std::string, Span>> written_text(const shell::Script& script, const shell::PathWrite& write) const {
    if (write.method == shell::WriteMethod::Redirection) return printed_text(script, write.command);
    if (write.method == shell::WriteMethod::Tee && write.command > 0 &&
        script.commands[write.command].connector == shell::Connector::Pipe)
      return printed_text(script, write.command - 1);
    return std::nullopt;
  }

  void scan_script(const shell::Script& script, const std::string& origin, bool process = false) {
    if (script.commands.empty()) return;
    for (const shell::PackageInstall& install : shell::find_package_installs(script)) {
      std::string manager(shell::package_manager_name(install.manager));
      bool language = install.manager == shell::PackageManager::Pip || install.manager == shell::PackageManager::Gem ||
                      install.manager == shell::PackageManager::Npm || install.manager == shell::PackageManager::Yarn;
      for (const shell::Package& package : install.packages) {
        if (!package.word || package.word->has_expansion) continue;
        evidence_.packages.push_back({manager, package.name, package.version, place(package.word->span, origin)});
        if (auto shipper = detect::log_shipper_from_package(package.name, language))
          evidence_.log_shipping.push_back({std::string(shipper->product), "installs the package " + package.name,
                                            place(package.word->span, origin)});
        else if (package.name == "logrotate")
          evidence_.log_shipping.push_back({"logrotate", "installs the package logrotate", place(package.word->span, origin)});
      }
    }
    for (const shell::CrontabCall& call : shell::find_crontab_calls(script)) {
      if (call.action != shell::CrontabAction::Install) continue;
      if (call.content) {
        add_crontab(call.content->body, false, CronSource::CrontabCommand, "crontab", origin);
        continue;
      }
      if (call.from_whenever) {
        evidence_.cron_jobs.push_back({CronSource::ScheduleFile, "", "", "",
                                       call.file ? std::string(call.file->value) : "config/schedule.rb",
                                       place(script.commands[call.command].span, origin)});
        continue;
      }
      std::string table = call.file ? std::string(call.file->value) : "crontab";
      if (call.from_standard_input && call.command > 0 &&
          script.commands[call.command].connector == shell::Connector::Pipe) {
        if (auto printed = printed_text(script, call.command - 1)) {
          size_t before = evidence_.cron_jobs.size();
          for (const detect::CrontabEntry& entry : detect::parse_crontab(printed->first, false, 200))
            evidence_.cron_jobs.push_back({CronSource::CrontabCommand, std::string(entry.schedule),
                                           std::string(entry.command), "", "crontab", place(printed->second, origin)});
          if (evidence_.cron_jobs.size() > before) continue;
        }
      }
      evidence_.cron_jobs.push_back(
          {CronSource::CrontabCommand, "", "", "", table, place(script.commands[call.command].span, origin)});
    }
    for (const shell::PathWrite& write : shell::find_path_writes(script)) scan_write(script, write, origin);
    for (const shell::UlimitCall& call : shell::find_ulimit_calls(script)) {
      for (const shell::UlimitSetting& setting : call.settings) {
        if (!setting.value) continue;
        evidence_.limits.push_back({std::string(setting.resource), setting.soft ? std::string(setting.value->value) : "",
                                    setting.hard ? std::string(setting.value->value) : "", "ulimit",
                                    place(script.commands[call.command].span, origin)});
      }
    }
    for (const shell::ServiceStart& start : shell::find_service_starts(script)) {
      if (auto shipper = log_shipper_service(start.service)) {
        evidence_.log_shipping.push_back({std::string(*shipper), "starts the service", place(start.word->span, origin)});
      } else if (start.action != shell::ServiceAction::Enable && init_scripts_.count(start.service)) {
        evidence_.daemonized.push_back({start.service, "as a service from its own /etc/init.d script",
                                        place(start.word->span, origin), shutdown_hooks_.contains(start.service)});
      }
    }
    for (uint32_t index = 0; index < script.commands.size(); ++index) scan_command(script, index, origin, process);
    for (const shell::Assignment& assignment : script.assignments) {
      if (assignment.name != "TZ" || assignment.declaration != "export" || assignment.value.has_expansion) continue;
      std::string zone(assignment.value.value);
      if (zone.starts_with(":")) zone.erase(0, 1);
      if (auto from_path = detect::zoneinfo_zone(zone)) zone = std::string(*from_path);
      if (detect::is_time_zone_name(zone)) evidence_.time_zones.push_back({zone, "TZ", place(assignment.span, origin)});
    }
  }

  void scan_write(const shell::Script& script, const shell::PathWrite& write, const std::string& origin) {
    if (!write.path || write.path->has_expansion) return;
    const std::string path(write.path->value);
    HostPlace at = place(write.path->span, origin);
    auto text = written_text(script, write);
    if (auto cron = detect::cron_path(path); cron && write.method != shell::WriteMethod::MakeDirectory) {
      size_t before = evidence_.cron_jobs.size();
      if (write.content) {
        add_crontab(write.content->body, cron->has_user_field, CronSource::CronFile, path, origin);
      } else if (text) {
        for (const detect::CrontabEntry& entry : detect::parse_crontab(text->first, cron->has_user_field, 200))
          evidence_.cron_jobs.push_back({CronSource::CronFile, std::string(entry.schedule), std::string(entry.command),
                                         std::string(entry.user), path, place(text->second, origin)});
      }
      if (evidence_.cron_jobs.size() == before) {
        bool periodic = cron->kind == detect::CronPathKind::PeriodicFolder;
        evidence_.cron_jobs.push_back(
            {periodic ? CronSource::PeriodicScript : CronSource::CronFileCopy,
             periodic ? std::string(cron->place.substr(std::string_view("/etc/cron.").size())) : "",
             write.source ? std::string(write.source->value) : "", "", path, at});
      }
    }
    if (detect::is_limits_conf_path(path) && write.method != shell::WriteMethod::MakeDirectory) {
      size_t before = evidence_.limits.size();
      if (write.content) add_limits(write.content->body, origin);
      else if (text)
        for (const detect::LimitsEntry& entry : detect::parse_limits_conf(text->first))
          evidence_.limits.push_back({std::string(entry.item), entry.sets_soft() ? std::string(entry.value) : "",
                                      entry.sets_hard() ? std::string(entry.value) : "", "limits.conf",
                                      place(text->second, origin)});
      if (evidence_.limits.size() == before) evidence_.limits.push_back({"", "", "", "limits.conf", at});
    }
    if (detect::is_sysctl_conf_path(path)) {
      if (write.content) add_sysctl_text(write.content->body, origin);
      else if (text)
        for (const detect::SysctlEntry& entry : detect::parse_sysctl_conf(text->first))
          add_sysctl(entry.name, entry.value, place(text->second, origin));
    }
    if (path == "/etc/localtime" && write.source && !write.source->has_expansion) {
      if (auto zone = detect::zoneinfo_zone(write.source->value))
        evidence_.time_zones.push_back({std::string(*zone), "/etc/localtime link", place(write.source->span, origin)});
    }
    if ((path == "/etc/sysconfig/clock" || path == "/etc/timezone") && write.method != shell::WriteMethod::MakeDirectory) {
      // `echo 'ZONE="Asia/Tokyo"' > /etc/sysconfig/clock`, or `sed -i 's|ZONE=.*|ZONE="Asia/Tokyo"|'`.
      std::string written = text ? text->first : write.content ? write.content->body.text() : "";
      if (write.method == shell::WriteMethod::EditInPlace)
        for (const shell::Word& word : script.commands[write.command].arguments) written += "\n" + std::string(word.value);
      size_t zone_at = written.find("ZONE=");
      if (path == "/etc/sysconfig/clock" && zone_at != std::string::npos) {
        size_t begin = zone_at + 5;
        while (begin < written.size() && (written[begin] == '"' || written[begin] == '\'' || written[begin] == '\\')) ++begin;
        size_t end = begin;
        while (end < written.size() && written[end] != '"' && written[end] != '\'' && written[end] != '|' &&
               written[end] != '\n' && written[end] != ' ' && !(written[end] == '/' && end + 1 < written.size() &&
                                                                 written[end + 1] == '/'))
          ++end;
        std::string zone = written.substr(begin, end - begin);
        std::erase(zone, '\\');
        if (!zone.empty() && zone != ".*") evidence_.time_zones.push_back({zone, path, at});
      } else if (path == "/etc/timezone" && text) {
        if (auto zone = detect::zone_in_time_zone_file(path, text->first))
          evidence_.time_zones.push_back({text->first.substr(zone->begin, zone->length), path, at});
      }
    }
    if (auto product = log_config_product(path); product && write.method != shell::WriteMethod::MakeDirectory)
      evidence_.log_shipping.push_back({std::string(*product), "writes " + path, at});
    if (write.method == shell::WriteMethod::MakeDirectory || write.method == shell::WriteMethod::Touch) {
      if (auto state = detect::classify_state_path(path))
        evidence_.instance_state.push_back({std::string(state->what), path,
                                            write.method == shell::WriteMethod::Touch ? "creates the file"
                                                                                      : "creates the folder",
                                            at});
    }
    if (write.method == shell::WriteMethod::Copy && (path.starts_with("/etc/init.d/") || path.starts_with("/etc/rc.d/init.d/")))
      init_scripts_.insert(path.substr(path.rfind('/') + 1));
  }

  void scan_command(const shell::Script& script, uint32_t index, const std::string& origin, bool process) {
    const shell::Command& command = script.commands[index];
    shell::EffectiveCommand effective = shell::effective_command(command);
    std::string_view program = effective.program_name();
    if (program.empty()) return;

    if (program == "sysctl") {
      for (const shell::Word& word : effective.arguments)
        if (auto assignment = detect::split_sysctl_assignment(word.value); assignment && !word.has_expansion)
          add_sysctl(assignment->first, assignment->second, place(word.span, origin));
    } else if (program == "timedatectl") {
      auto arguments = effective.arguments;
      for (size_t i = 0; i + 1 < arguments.size(); ++i)
        if (arguments[i].value == "set-timezone" && !arguments[i + 1].has_expansion)
          evidence_.time_zones.push_back({std::string(arguments[i + 1].value), "timedatectl", place(arguments[i + 1].span, origin)});
    }

    // Daemonized processes: a worker with its daemon flag, anything left running with `nohup ... &`,
    // a worker sent to the background, start-stop-daemon.
    std::vector<std::string> words = command_words(effective);
    auto worker = detect::detect_worker_process(words);
    std::string daemon_flag;
    for (const shell::Word& word : effective.arguments) {
      const std::string value(word.value);
      if (value == "-d" || value == "--daemon" || value == "--daemonize" || value == "--detach" || value == "-D" ||
          value == "--daemonise") {
        daemon_flag = value;
        break;
      }
    }
    bool celery_multi = program == "celery" &&
                        std::any_of(effective.arguments.begin(), effective.arguments.end(),
                                    [](const shell::Word& word) { return word.value == "multi"; });
    // `bin/delayed_job start|restart` runs the workers as daemons (`run` keeps them in front).
    bool delayed_job_daemon = program == "delayed_job" &&
                              std::any_of(effective.arguments.begin(), effective.arguments.end(),
                                          [](const shell::Word& word) { return word.value == "start" || word.value == "restart"; });
    std::string name = worker ? std::string(worker->name) : std::string(program);
    HostPlace at = place(command.span, origin);
    if (delayed_job_daemon) {
      evidence_.daemonized.push_back({name, "with `delayed_job start`, which runs the workers as daemons", at});
    } else if (worker && !daemon_flag.empty()) {
      evidence_.daemonized.push_back({name, fmt::format("with {}, which forks it into the background", daemon_flag), at});
    } else if (celery_multi) {
      evidence_.daemonized.push_back({"celery multi", "with `celery multi`, which starts detached workers", at});
    } else if (program == "start-stop-daemon" || program == "daemonize") {
      evidence_.daemonized.push_back({join_words(program, effective.arguments.subspan(0, std::min<size_t>(3, effective.arguments.size()))),
                                      fmt::format("with {}", program), at});
    } else if (command.background && !command.in_command_substitution) {
      bool nohup = effective.has_wrapper(shell::WrapperKind::Nohup) || effective.has_wrapper(shell::WrapperKind::Setsid);
      if (nohup || worker)
        evidence_.daemonized.push_back({name, nohup ? "with nohup ... &, detached from the deployment"
                                                    : "in the background with `&`",
                                        at});
    } else if (process && worker && !daemon_flag.empty()) {
      evidence_.daemonized.push_back({name, fmt::format("with {}", daemon_flag), at});
    }
  }

  void read_worker_cron() {
    for (const WorkerCronTask& task : bundle_.cron) {
      CronJob job;
      job.source = CronSource::WorkerTier;
      if (task.schedule) job.schedule = std::string(task.schedule->as_string().value_or(""));
      if (task.url) job.command = std::string(task.url->as_string().value_or(""));
      job.place_name = "cron.yaml";
      job.place = place(task.schedule ? *task.schedule : *task.entry, "cron.yaml: " + task.name);
      evidence_.cron_jobs.push_back(std::move(job));
    }
  }

  const BundleFile& bundle_;
  const SourceFile& file_;
  HostEvidence& evidence_;
  std::set<std::string> init_scripts_;  // service names whose /etc/init.d script this file writes
  std::set<std::string> shutdown_hooks_;  // those whose script is a shutdown hook (is_shutdown_hook)
};

// Cron jobs that rotate or upload the instance's log files (logrotate; EB's own publishLogs.py, as
// AWS's samples install it) are log handling, not scheduled work: no scheduled task could rotate or
// ship another container's files. They go with the log shipping (EB007), not the cron jobs (EB002).
void move_log_jobs(HostEvidence& evidence) {
  struct LogJob {
    std::string_view product;
    std::string_view program;
  };
  auto log_job = [](const CronJob& job) -> std::optional<LogJob> {
    if (job.source == CronSource::WorkerTier) return std::nullopt;
    if (job.command.find("logrotate") != std::string::npos) return LogJob{"logrotate", "logrotate"};
    if (job.command.find("publishLogs.py") != std::string::npos ||
        job.command.find("/opt/elasticbeanstalk/tasks/publishlogs") != std::string::npos)
      return LogJob{"Elastic Beanstalk's log publication to S3", "publishLogs.py"};
    return std::nullopt;
  };
  std::vector<CronJob> kept;
  for (CronJob& job : evidence.cron_jobs) {
    if (auto log = log_job(job)) {
      std::string when = job.schedule.empty() ? std::string() : fmt::format(" ({})", job.schedule);
      evidence.log_shipping.push_back(
          {std::string(log->product), fmt::format("runs {} from cron{}", log->program, when), std::move(job.place)});
    } else {
      kept.push_back(std::move(job));
    }
  }
  evidence.cron_jobs = std::move(kept);
}

}  // namespace

const HostEvidence& host_evidence(const BundleFile& bundle) {
  if (bundle.evidence) return *bundle.evidence;
  auto evidence = std::make_shared<HostEvidence>();
  // A configuration file EB rejects changed nothing on the host (EB001 says so): what it would
  // have done is not evidence of what the old host did.
  bool rejected = bundle.kind == BundleFileKind::Extension && !bundle.extension.problems.empty();
  if (bundle.file && !rejected) EvidenceReader(bundle, *evidence).read();
  move_log_jobs(*evidence);
  bundle.evidence = std::move(evidence);
  return *bundle.evidence;
}

}  // namespace shiftlint::eb
