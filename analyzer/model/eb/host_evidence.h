#pragma once
// What the old Elastic Beanstalk host was made to do, read from one bundle file: the packages it
// installed, the environment it set, the limits, kernel parameters and time zone it changed, the
// cron jobs and log shippers it ran, the state it kept on its disk, the processes it daemonized.
//
// These are the questions both the EB rules (EB002–EB010: "this will not carry over by itself") and
// the parity rules (XF001–XF005, `shiftlint parity`: "did it carry over?") ask, so they are
// answered once, here. Each item says where it was configured (HostPlace: a file, a span, and the
// EB construct that did it, e.g. "container_commands: 01_cron") and carries only values, no
// pointers, so the evidence outlives the scripts it was read from.
//
// Sources: option_settings, packages, services, `files:` contents (crontabs, limits.conf,
// sysctl.conf, /etc/sysconfig/clock, nginx configs, scripts), `commands:`/`container_commands:`,
// platform hooks, Procfile/Buildfile commands, nginx files and cron.yaml.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/detect/startup_work.h"
#include "analyzer/model/eb/bundle_file.h"

namespace shiftlint::eb {

struct HostPlace {
  const SourceFile* file = nullptr;
  Span span;
  // The EB construct that did it: "commands: 01_limits", "files: /etc/cron.d/app",
  // "option_settings", "packages: yum", "platform hook (postdeploy)", "Procfile: worker".
  std::string origin;
};

struct InstalledPackage {
  std::string manager;  // "yum", "rpm", "rubygems", "python", or the shell tool: "pip", "gem", "npm"...
  std::string name;
  std::string version;  // empty when not pinned
  HostPlace place;      // the package name
};

struct EnvironmentVariable {
  std::string name;
  std::string value;       // as written; empty when unknown (a CloudFormation function) or absent
  bool value_known = false;
  HostPlace place;         // the option name
  Span value_span;         // the value, when there is one
};

struct RaisedLimit {
  std::string resource;  // "nofile", "nproc", ... ("nofile" for fs.file-max and fs.nr_open)
  std::string soft;      // as written ("65536", "unlimited"); empty when this setting leaves it
  std::string hard;
  std::string mechanism;  // "limits.conf", "ulimit", "sysctl fs.file-max", "LimitNOFILE"
  HostPlace place;
};

struct KernelParameter {
  std::string name;   // "net.core.somaxconn"
  std::string value;
  HostPlace place;
};

struct TimeZoneSetting {
  std::string zone;       // "Asia/Tokyo"
  std::string mechanism;  // "/etc/localtime link", "/etc/sysconfig/clock", "timedatectl", "TZ"
  HostPlace place;
};

enum class CronSource : uint8_t {
  CronFile,        // a crontab line in a file written under /etc/cron.d, /etc/crontab, /var/spool/cron
  PeriodicScript,  // a script placed in /etc/cron.hourly|daily|weekly|monthly
  CrontabCommand,  // `crontab FILE` / `crontab -` run by a command or hook (the table may be unknown)
  CronFileCopy,    // a command copies or writes a file into a cron folder (its lines are not visible)
  ScheduleFile,    // `whenever --update-crontab` writes the user's crontab from config/schedule.rb
  WorkerTier,      // a cron.yaml task: the worker daemon POSTs to a URL on a schedule
};

struct CronJob {
  CronSource source = CronSource::CronFile;
  std::string schedule;  // "*/5 * * * *", "@daily", "daily" (periodic folders); empty when unknown
  std::string command;   // the job's command, or the URL of a worker-tier task; empty when unknown
  std::string user;      // system crontabs name the user
  std::string place_name;  // "/etc/cron.d/app", "crontab", "cron.yaml"
  HostPlace place;         // the job's line, or the command that installs it
};

struct LogShipping {
  // "awslogs agent", "CloudWatch agent", "fluentd", "fluent-bit", "logrotate", "Elastic Beanstalk's
  // log streaming" (detect::log_shipper_from_package's names)
  std::string product;
  std::string how;      // "installs the package", "writes /etc/awslogs/awslogs.conf", ...
  HostPlace place;
};

struct InstanceState {
  std::string what;  // "uploaded files", "sessions", "a SQLite database", "static assets served by nginx"
  std::string path;  // the folder or file on the instance
  std::string how;   // "creates the folder", "nginx `root`", "aws:elasticbeanstalk:environment:proxy:staticfiles"
  HostPlace place;
};

struct DaemonizedProcess {
  std::string program;  // "sidekiq", "celery worker", "php artisan queue:work", "my-daemon"
  std::string how;      // "with -d", "in the background with `&`", "with nohup ... &", "through /etc/init.d"
  HostPlace place;
  // An init.d service whose `start` only keeps the books (touches its lock file) and whose `stop`
  // does the work: a hook for the instance's shutdown rather than a daemon (AWS's publishlogs).
  bool shutdown_hook = false;
};

struct LeaderOnlyCommand {
  std::string name;     // the container_commands entry
  std::string purpose;  // "rails db:migrate (migration)", or empty when not recognised
  // What the recognised work is; nullopt when not recognised.
  std::optional<detect::StartupWorkKind> kind;
  HostPlace place;      // the `leader_only: true` value
  HostPlace command;    // the `command:` value
};

struct HostEvidence {
  std::vector<InstalledPackage> packages;
  std::vector<EnvironmentVariable> environment;
  std::vector<RaisedLimit> limits;
  std::vector<KernelParameter> kernel_parameters;
  std::vector<TimeZoneSetting> time_zones;
  std::vector<CronJob> cron_jobs;
  std::vector<LogShipping> log_shipping;
  std::vector<InstanceState> instance_state;
  std::vector<DaemonizedProcess> daemonized;
  std::vector<LeaderOnlyCommand> leader_only;
};

// Everything one bundle file says about the host, in file order within each list. Nothing for an
// .ebextensions file with shape problems: EB ignores the whole file, so it did nothing.
// Computed on the first call and kept in the bundle file (the EB rules all ask).
const HostEvidence& host_evidence(const BundleFile& bundle);

}  // namespace shiftlint::eb
