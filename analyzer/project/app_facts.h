#pragma once
// What one file tells the project phase, kept small: the per-file linter extracts it from the
// models it builds anyway (an EB bundle file's host evidence, a Dockerfile's final image, a task
// definition's containers, a pod's containers) and drops the trees. Everything is plain values;
// locations keep the path and span only (their line texts are empty until the project phase reads
// the ones it reports: project_phase.h), so memory is bounded by the summaries, not by the files.
//
// Old side: what the Elastic Beanstalk host was made to do (eb::host_evidence, one HostItem each).
// New side: what each Dockerfile, task definition and Kubernetes workload provides (packages,
// environment, nofile ulimit, time zone, stop timeout, schedule, command).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/finding.h"

namespace shiftlint {
namespace eb {
struct BundleFile;
}
namespace docker {
struct Dockerfile;
}
namespace ecs {
struct TaskDefinition;
}
namespace k8s {
struct Manifests;
}
namespace aws {
struct Infrastructure;
}
}  // namespace shiftlint

namespace shiftlint::project {

// Where the bulk of a fact waits on disk during a check run (facts_spill.h): what linking needs
// (paths, names, images) stays in memory, the rest is read back for one app at a time. Empty while
// everything is in memory.
struct StowedPart {
  uint64_t offset = 0;
  uint64_t size = 0;
  bool stowed() const { return size != 0; }
};

// What the old host configured, by the kind of parity question it raises.
enum class HostItemCategory : uint8_t {
  Package,              // packages: / yum install / pip install ...
  EnvironmentVariable,  // option_settings environment properties
  NofileLimit,          // limits.conf, ulimit -n, fs.file-max
  KernelParameter,      // sysctl
  TimeZone,             // /etc/localtime, /etc/sysconfig/clock, timedatectl, TZ
  CronJob,              // /etc/cron.d, crontab, cron.yaml
  LogShipping,          // awslogs, CloudWatch agent, fluentd, logrotate, StreamLogs
  Hook,                 // a platform hook or a leader_only container command: runs on deploy
};
std::string_view to_string(HostItemCategory category);

struct HostItem {
  HostItemCategory category = HostItemCategory::Package;
  // Package and variable names, "nofile", the sysctl name, the zone, the cron command (or the
  // worker-tier URL), the log shipping product, the hook's name.
  std::string name;
  // The package version, the variable's value (empty when unknown), the nofile soft limit, the
  // sysctl value, the cron schedule, how the log shipping was set up.
  std::string value;
  // The package manager, the nofile hard limit, the limit/zone mechanism, the cron table...
  std::string detail;
  bool value_known = true;   // EnvironmentVariable: false for a CloudFormation function
  std::string origin;        // the EB construct: "commands: 01_limits", "option_settings"
  Location location;         // the old-host line
};

// One file of an EB source bundle: the items of its host evidence.
struct HostFileFacts {
  std::string path;         // display path
  std::string bundle_root;  // eb::bundle_root: the folder holding .ebextensions, Procfile...
  std::string role;         // ".ebextensions", "platform hook", "Procfile", "cron.yaml", "Dockerrun.aws.json"
  std::vector<HostItem> items;
  std::string dockerrun_image;  // Dockerrun.aws.json v1 Image.Name
  Location anchor;              // the file's first line: where a finding about the file as a whole goes
  StowedPart stowed;            // `items`, while on disk
};

// A place as the facts of containers keep it: a workload has one per variable, so the display path
// is shared by the places of a file (32 bytes a place, not a Location's 112 and its own path).
struct Place {
  std::shared_ptr<const std::string> file;  // display path; nullptr for no place
  Span span;

  const std::string& path() const;  // "" for no place
  Location location() const;        // without line texts, like every location of the facts
  operator Location() const { return location(); }
};

// Something the new side provides, and where.
struct Provided {
  std::string name;
  std::string value;  // the ENV value, the zone, the limit; empty when unknown
  Place location;
};

// A Dockerfile's final image.
struct ImageFacts {
  std::string path;      // display path
  std::string folder;    // display folder ("" for the scan root)
  Location anchor;       // the final stage's FROM, or the file's first line
  std::string base_image;  // the final stage's FROM image, as expanded ("ruby:3.2-slim")
  // Package installs (RUN of the final stage and the stages it is built FROM), in file order.
  std::vector<Provided> packages;  // name = the package, value = the manager ("apt", "pip")
  // Package managers whose installs come from requirement files (`pip install -r`, `bundle install`,
  // `npm ci`): what they install cannot be seen here.
  std::vector<std::string> opaque_managers;
  Location install_anchor;  // the first RUN that installs packages (empty when none)
  // Language runtimes the image has without a package of that name: from its base image
  // (`node:20` → "node") or a version manager (`nvm install` → "node", `pyenv install` → "python").
  std::vector<std::string> runtimes;
  std::vector<Provided> environment;  // ENV of the final image (name, value)
  std::vector<Provided> time_zone;    // ENV TZ, /etc/localtime links, /etc/timezone writes
  // The final image's PID 1 is a shell that does not pass SIGTERM on (the DKR001 detection).
  struct ShellEntrypoint {
    std::string instruction;  // "CMD" or "ENTRYPOINT" (where the shell is started)
    std::string explanation;  // DKR001's message
    Location location;
  };
  std::optional<ShellEntrypoint> shell_entrypoint;
  std::vector<std::string> command_words;  // ENTRYPOINT + CMD, exec-form words
  // The commands the image runs when it starts, its entrypoint scripts included (dkr::image_startup):
  // where a worker started by `docker-entrypoint.sh` is found.
  std::vector<std::vector<std::string>> startup_commands;
  StowedPart stowed;  // everything but path, folder and anchor, while on disk
};

struct ContainerFacts {
  std::string name;
  std::string image;          // as written; "" when unknown
  Place location;           // the container (its name, or its block)
  Place environment_block;  // `environment`/`env`, or the container when it has none
  std::vector<Provided> environment;  // environment + secrets names (value: the literal, or "(secret)")
  // It may get variables this summary cannot list: environmentFiles, envFrom, an unknown list.
  bool environment_open = false;
  std::optional<Provided> nofile;  // value: the soft limit, name: the hard limit ("" when unknown)
  bool nofile_unknown = false;     // a nofile ulimit whose limits are not literals
  Place ulimits_block;             // `ulimits`, or the container
  std::optional<Provided> stop_timeout;  // stopTimeout, or the pod's terminationGracePeriodSeconds
  std::optional<Provided> log_driver;    // logConfiguration.logDriver (name: the driver)
  std::vector<Provided> system_controls; // systemControls (name: namespace, value: value)
  bool overrides_entrypoint = false;  // entryPoint / command (k8s): the image's ENTRYPOINT is replaced
  bool overrides_command = false;     // command / args (k8s): the image's CMD is replaced
  std::vector<std::string> command_words;  // entryPoint + command, command + args
  bool sidecar = false;  // a log router, proxy or agent beside the app (detect::detect_sidecar)
};

// What linking reads of a container (project/app_links.h): all of it that stays in memory while
// the deployment's containers wait on disk.
struct ContainerLinkFacts {
  std::string image;  // ContainerFacts::image
  bool sidecar = false;
};

// A task definition (any carrier), or a Kubernetes workload.
struct DeploymentFacts {
  enum class Kind : uint8_t { TaskDefinition, KubernetesWorkload };
  Kind kind = Kind::TaskDefinition;
  std::string path;       // display path
  std::string name;       // the family (or what the carrier calls it), the object's name
  std::string label;      // `task definition "web"`, `CronJob "report"`
  Place location;         // the task definition's or the object's block (a Place: 32 bytes, the file's path shared)
  bool scheduled = false; // a CronJob
  std::string schedule;   // CronJob spec.schedule
  std::vector<ContainerFacts> containers;
  // While on disk: the label, the schedule and the containers whole (a container in memory is
  // some 600 bytes, what linking reads of it a tenth of that), with `linked_containers` kept here.
  StowedPart stowed;
  std::vector<ContainerLinkFacts> linked_containers;  // one per container, while stowed

  // What linking reads of the containers, whether they are in memory or on disk.
  size_t container_count() const { return stowed.stowed() ? linked_containers.size() : containers.size(); }
  const std::string& container_image(size_t index) const {
    return stowed.stowed() ? linked_containers[index].image : containers[index].image;
  }
  bool container_is_sidecar(size_t index) const {
    return stowed.stowed() ? linked_containers[index].sidecar : containers[index].sidecar;
  }
};

// A scheduled run of a task definition: an EventBridge rule or Scheduler target.
struct ScheduledRunFacts {
  std::string path;
  std::string label;       // "aws_cloudwatch_event_target.nightly"
  Location location;
  std::string task_family; // the task definition it runs, when known
  std::vector<std::vector<std::string>> commands;  // container command overrides, or the task's commands
  StowedPart stowed;  // `commands`, while on disk
};

// Everything one file contributes. A file contributes to one or more lists (a CloudFormation
// template can hold task definitions and scheduled targets).
struct FileFacts {
  std::vector<HostFileFacts> host_files;
  std::vector<ImageFacts> images;
  std::vector<DeploymentFacts> deployments;
  std::vector<ScheduledRunFacts> scheduled_runs;
  bool empty() const { return host_files.empty() && images.empty() && deployments.empty() && scheduled_runs.empty(); }
  void append(FileFacts&& other);
  void shrink_to_fit();  // each list without room to grow
};

// --- extractors, called by the linter with the models it built ---
HostFileFacts host_file_facts(const eb::BundleFile& bundle);
ImageFacts image_facts(const docker::Dockerfile& dockerfile);
DeploymentFacts task_definition_facts(const ecs::TaskDefinition& task);
std::vector<DeploymentFacts> workload_facts(const k8s::Manifests& manifests);
std::vector<ScheduledRunFacts> scheduled_run_facts(const aws::Infrastructure& infrastructure);

}  // namespace shiftlint::project
