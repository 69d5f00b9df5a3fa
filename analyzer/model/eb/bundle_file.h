#pragma once
// One file of an Elastic Beanstalk source bundle, read the way Elastic Beanstalk reads it
// (FACTS.md §11):
//
//   .ebextensions/*.config     YAML or JSON: packages, groups, users, sources, files, commands,
//                              services, container_commands, option_settings, Resources, Outputs
//   .platform/hooks/**         shell scripts run at prebuild / predeploy / postdeploy
//   .platform/confighooks/**   the same, when only the configuration changes
//   .platform/nginx/**         nginx configuration replacing or extending the platform's
//   Procfile, Buildfile        `name: command` lines
//   cron.yaml                  periodic tasks of a worker environment
//   Dockerrun.aws.json v1      the single-container Docker platform (v2 is an ECS task definition:
//                              model/ecs/extract.cpp reads it)
//
// Every field keeps its located-tree node (nullptr when absent), so a rule points at the exact key
// or value, or at the enclosing entry when something is missing. Shell text — `command:` strings,
// `files:` contents that are scripts, hooks, Procfile commands — is parsed into shell::Script with
// positions mapped back into the file, inside YAML block scalars too (parse/yaml_scalar_text.h).
//
// `read_bundle_file` never fails: what EB would reject is in Extension::problems (EB001), what
// cannot be parsed at all is in `errors` (SL001). What the old host ended up doing (packages, env
// vars, limits, cron jobs...) is derived from this model by host_evidence.h.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/located_tree.h"
#include "analyzer/parse/document.h"
#include "analyzer/parse/nginx_config.h"
#include "analyzer/parse/shell/command.h"
#include "analyzer/source/source_file.h"
#include "analyzer/source/text_map.h"

namespace shiftlint {
enum class FileKind;  // source/classify.h: kept out of this header, which every rule includes
}

namespace shiftlint::eb {

enum class BundleFileKind : uint8_t {
  Extension,      // .ebextensions/*.config
  PlatformHook,   // .platform/hooks/<phase>/*
  ConfigHook,     // .platform/confighooks/<phase>/*
  PlatformNginx,  // .platform/nginx/**, and .ebextensions/nginx/** of the Amazon Linux AMI platforms
  Procfile,
  Buildfile,
  WorkerCron,     // cron.yaml
  DockerrunV1,    // Dockerrun.aws.json with "AWSEBDockerrunVersion": 1
};
std::string_view to_string(BundleFileKind kind);

// A `commands:` or `container_commands:` entry.
struct Command {
  std::string name;              // the entry's key ("01_migrate"); EB runs entries in name order
  const Node* entry = nullptr;   // the entry's value (a map); its key_span is the name
  const Node* command = nullptr; // a string (run by a shell) or a list (run without one)
  const Node* cwd = nullptr;
  const Node* env = nullptr;
  const Node* test = nullptr;
  const Node* ignore_errors = nullptr;
  const Node* leader_only = nullptr;  // container_commands only
  bool container_command = false;
  shell::Script script;          // `command`, parsed; a list is parsed as exec-form words

  // `leader_only` as EB reads it (PyYAML, YAML 1.1: yes/no/on/off are booleans too); nullopt when
  // absent or not a boolean.
  std::optional<bool> leader_only_value() const;
};

// An entry under `packages: <manager>:` (yum, rpm, rubygems, python, apt, msi).
struct Package {
  std::string manager;
  std::string name;             // the key: `cronie`, or an rpm's name whose value is its URL
  const Node* entry = nullptr;  // the value (version string, list of versions, [], or a URL); key = name
};

// An entry of `files:`: a file EB writes on the instance.
struct FileEntry {
  std::string path;               // the key: "/etc/cron.d/app"
  const Node* entry = nullptr;    // the map; key_span is the path
  const Node* content = nullptr;  // inline text
  const Node* source = nullptr;   // a URL EB downloads it from
  const Node* encoding = nullptr; // plain (default) or base64
  const Node* mode = nullptr;
  const Node* owner = nullptr;
  const Node* group = nullptr;
  // `content` decoded, mapped to where it is written (empty without plain inline content).
  TextMap content_text;
  // The content is a script (a shebang, a .sh name, or a hook folder): parsed as shell.
  bool is_script = false;
  shell::Script script;
};

// `sources: {/target/folder: https://.../archive.tar.gz}`.
struct Source {
  std::string target;
  const Node* url = nullptr;  // key_span is the target
};

// `groups:` and `users:` entries.
struct Account {
  std::string name;
  const Node* entry = nullptr;
};

// `services: sysvinit: <name>: {enabled, ensureRunning, files, sources, packages, commands}`.
struct Service {
  std::string manager;  // "sysvinit" (Linux), "windows"
  std::string name;
  const Node* entry = nullptr;
  const Node* enabled = nullptr;
  const Node* ensure_running = nullptr;
};

// One configuration option, from either form:
//   option_settings:                         option_settings:
//     - namespace: aws:...:environment          aws:elasticbeanstalk:application:environment:
//       option_name: DB_HOST                      DB_HOST: db.internal
//       value: db.internal
// An entry without a namespace sets an environment property (FACTS.md §11).
struct OptionSetting {
  std::string namespace_name;       // the namespace, the default one when none was written
  bool namespace_written = false;
  std::string option_name;
  const Node* value = nullptr;      // nullptr when the entry has none
  const Node* entry = nullptr;      // the list item, or the value in the map form (key = option name)
  const Node* option_node = nullptr;  // where the option name is written (map form: `entry`, its key)
  const Node* resource_name = nullptr;
};

// The namespace EB uses for an option_settings entry without one: environment properties.
inline constexpr std::string_view kEnvironmentNamespace = "aws:elasticbeanstalk:application:environment";

// Something in an .ebextensions file that EB rejects, which makes it ignore the whole file.
struct ShapeProblem {
  Span span;
  std::string message;     // what is wrong: "`container-commands` is not a key Elastic Beanstalk knows"
  std::string suggestion;  // the name that was probably meant ("container_commands"); empty when none
};

struct Extension {
  const Node* root = nullptr;
  std::vector<Package> packages;
  std::vector<Account> groups;
  std::vector<Account> users;
  std::vector<Source> sources;
  std::vector<FileEntry> files;
  std::vector<Command> commands;
  std::vector<Service> services;
  std::vector<Command> container_commands;
  std::vector<OptionSetting> option_settings;
  const Node* resources = nullptr;  // CloudFormation resources EB adds to the environment's stack
  const Node* outputs = nullptr;
  std::vector<ShapeProblem> problems;
};

// `.platform/hooks/predeploy/01_setup.sh` and the like.
struct Hook {
  std::string phase;  // "prebuild", "predeploy", "postdeploy"; empty when the folder is not one
  shell::Script script;
};

// `.platform/nginx/nginx.conf`, `conf.d/*.conf`, `conf.d/elasticbeanstalk/*.conf`.
struct NginxFile {
  nginx::Config config;
  // Where nginx reads the file: "main" (nginx.conf), "http" (conf.d/*.conf), "server"
  // (conf.d/elasticbeanstalk/*.conf, included in the platform's server block).
  std::string context;
};

// A `name: command` line of a Procfile or Buildfile.
struct Process {
  std::string name;
  Span name_span;
  TextMap command;  // the command as written on the line
  shell::Script script;
};

// A cron.yaml task: EB's worker daemon POSTs to `url` on `schedule`.
struct WorkerCronTask {
  std::string name;
  const Node* entry = nullptr;
  const Node* url = nullptr;
  const Node* schedule = nullptr;
};

struct DockerrunV1 {
  const Node* root = nullptr;
  const Node* image_name = nullptr;  // Image.Name
  const Node* ports = nullptr;
  const Node* volumes = nullptr;
  const Node* logging = nullptr;     // the container's log folder EB rotates and ships
};

struct HostEvidence;  // host_evidence.h

struct BundleFile {
  BundleFileKind kind = BundleFileKind::Extension;
  std::shared_ptr<const SourceFile> file;
  Document document;  // YAML and JSON files: the tree the nodes below point into

  Extension extension;                 // Extension
  Hook hook;                           // PlatformHook, ConfigHook
  NginxFile nginx;                     // PlatformNginx
  std::vector<Process> processes;      // Procfile, Buildfile
  std::vector<WorkerCronTask> cron;    // WorkerCron
  DockerrunV1 dockerrun;               // DockerrunV1
  // The file cannot be read as its kind at all (SL001): YAML/JSON syntax, a cron.yaml that is not
  // a map. Rules do not run on such a file.
  std::vector<ParseDiagnostic> errors;
  // host_evidence() computes it once for all the rules that ask.
  mutable std::shared_ptr<const HostEvidence> evidence;

  BundleFile() = default;
  BundleFile(BundleFile&&) = default;
  BundleFile& operator=(BundleFile&&) = default;
  // Nodes and scripts point into the document: a copy would point into the original.
  BundleFile(const BundleFile&) = delete;
  BundleFile& operator=(const BundleFile&) = delete;
};

// The bundle role of a classified file (a hook's folder tells a platform hook from a config hook);
// nullopt for files that are not part of an EB bundle. Dockerrun.aws.json is classified as an ECS
// task definition (v2 is one): the caller asks for DockerrunV1 by name.
std::optional<BundleFileKind> bundle_file_kind(FileKind kind, std::string_view display_path);

// Reads one bundle file. For DockerrunV1, a file of another version gives an empty model.
BundleFile read_bundle_file(std::shared_ptr<const SourceFile> file, BundleFileKind kind, const LoadLimits& limits);

// The root folder of the source bundle a file belongs to ('/'-separated, "" for the current folder):
// the folder holding `.ebextensions/` or `.platform/` for files inside them, the file's own folder
// for Procfile, Buildfile, cron.yaml and Dockerrun.aws.json. Files of one bundle describe one
// application: the parity rules group host evidence by it.
std::string bundle_root(std::string_view display_path);

// The text of a string node mapped to the file, for parsing it again (shell, crontab, nginx).
TextMap node_text(const SourceFile& file, const Node& node);

}  // namespace shiftlint::eb
