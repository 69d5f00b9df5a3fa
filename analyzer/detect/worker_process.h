#pragma once
// Recognises a queue/job worker (sidekiq, celery, resque, ...) from a command line, and works out
// how long it may take to stop after SIGTERM: its own shutdown timeout, where that value came from,
// and where else it could be set that shiftlint cannot see (a config file inside the image).
//
// Model-independent on purpose: ECS002 passes a container's entryPoint + command and environment,
// K8S003 a pod container's command + args and env, EB rules a Procfile line. Callers compare the
// worker's need (`required_stop_seconds`) with the platform's grace period.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::detect {

// One environment entry of the process. `value` is nullopt when the variable is set to something
// that cannot be read statically (a CloudFormation !Ref, a Terraform unknown, a secret).
struct EnvironmentVariable {
  std::string name;
  std::optional<std::string> value;
};

enum class WorkerKind {
  Sidekiq,         // sidekiq, sidekiqswarm
  Celery,          // celery ... worker, python -m celery ... worker
  Rq,              // rq worker, rq worker-pool, rqworker
  DelayedJob,      // rake jobs:work, bin/delayed_job run|start
  Resque,          // rake resque:work|resque:workers, resque-pool
  Shoryuken,       // shoryuken [start]
  GoodJob,         // good_job start
  SolidQueue,      // bin/jobs, rails solid_queue:start
  LaravelQueue,    // php artisan queue:work|queue:listen
  LaravelHorizon,  // php artisan horizon
  Dramatiq,        // dramatiq, python -m dramatiq
};

// What bounds the worker's shutdown.
enum class TimeoutOrigin {
  CommandLine,  // a flag on the command line: `-t 60`, `--timeout=90`, `--time-limit 300`
  Environment,  // an environment variable: RESQUE_TERM_TIMEOUT=10 (container env or inline NAME=value)
  Default,      // nothing set where shiftlint can see: the worker's documented default applies
  Unbounded,    // the worker waits for running jobs to finish, with no limit shiftlint can see
  Unresolved,   // set, but to a value that cannot be read statically (`-t $TIMEOUT`, an unknown env value)
};

struct ShutdownTimeout {
  TimeoutOrigin origin = TimeoutOrigin::Default;
  // The most the worker takes between SIGTERM and exit. Set for CommandLine, Environment and Default.
  std::optional<double> seconds;
  // The setting as the user wrote it: "-t 60", "RESQUE_TERM_TIMEOUT=10". Empty for Default/Unbounded.
  std::string setting;
  // Where the value may also be set out of shiftlint's sight, for messages: "a :timeout: in
  // config/sidekiq.yml". For Unbounded, what bounds the wait instead: "each job's job_timeout, 180 s
  // by default". Empty when nothing else can change it.
  std::string may_be_overridden_by;
};

struct WorkerProcess {
  WorkerKind kind = WorkerKind::Sidekiq;
  // How users call it: "sidekiq", "celery worker", "php artisan queue:work".
  std::string_view name;
  ShutdownTimeout timeout;
  // The knob that bounds the shutdown, for fix advice: "-t", "--time-limit", "RESQUE_TERM_TIMEOUT".
  std::string_view timeout_knob;
};

// The worker run by a command line, or nullopt. `command_words` is an exec-form word list
// (ENTRYPOINT + CMD, entryPoint + command, command + args): `sh -c "..."` scripts and words that are
// whole shell command lines ("bundle exec sidekiq -t 60") are split with shell rules, and every simple
// command in them is considered (`rake db:migrate && exec sidekiq` runs sidekiq). Inline assignments
// (`QUEUE=* rake resque:work`, `env X=1 ...`, rake's `resque:work TERM_CHILD=1`) override `environment`.
std::optional<WorkerProcess> detect_worker_process(const std::vector<std::string>& command_words,
                                                   const std::vector<EnvironmentVariable>& environment = {});

// Seconds a platform must wait between SIGTERM and SIGKILL for this worker: its timeout rounded up,
// plus `margin_seconds` for the process to exit. nullopt when the timeout is unbounded or unresolved.
std::optional<int64_t> required_stop_seconds(const ShutdownTimeout& timeout, int64_t margin_seconds = 5);

// For messages: "sidekiq with -t 60", "sidekiq (shutdown timeout 25 s by default; a :timeout: in
// config/sidekiq.yml would change it)", "celery worker, which waits for running jobs to finish
// (bounded only by task_time_limit in the Celery app's configuration, if set)".
std::string describe_shutdown(const WorkerProcess& worker);

std::string_view to_string(WorkerKind kind);
std::string_view to_string(TimeoutOrigin origin);

// Splits a command line into simple commands, each a list of words, with shell quoting rules.
// Exec-form words stay whole unless they contain whitespace or shell operators; the script after
// `sh -c` / `bash -lc` is parsed as shell. Operators (&&, ||, ;, |, &, newlines) separate commands;
// redirections and comments are dropped. Shared with the log shipper detector.
std::vector<std::vector<std::string>> split_simple_commands(const std::vector<std::string>& command_words);

// The last path component of a command word: "/usr/local/bin/sidekiq" -> "sidekiq".
std::string_view program_basename(std::string_view word);

}  // namespace shiftlint::detect
