#include <catch2/catch.hpp>

#include <initializer_list>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "analyzer/detect/process_supervisor.h"
#include "analyzer/detect/worker_process.h"

using namespace shiftlint::detect;

namespace {
std::optional<WorkerProcess> detect(std::vector<std::string> words, std::vector<EnvironmentVariable> environment = {}) {
  return detect_worker_process(words, environment);
}
}  // namespace

TEST_CASE("worker_process: sidekiq behind bundle exec, with and without -t") {
  auto worker = detect({"bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml", "-t", "60"});
  REQUIRE(worker);
  CHECK(worker->kind == WorkerKind::Sidekiq);
  CHECK(worker->timeout.origin == TimeoutOrigin::CommandLine);
  CHECK(worker->timeout.seconds == 60);
  CHECK(worker->timeout.setting == "-t 60");
  CHECK(required_stop_seconds(worker->timeout) == 65);
  CHECK(describe_shutdown(*worker) == "sidekiq with -t 60");

  auto plain = detect({"bundle", "exec", "sidekiq", "-C", "config/sidekiq_prod.yml"});
  REQUIRE(plain);
  CHECK(plain->timeout.origin == TimeoutOrigin::Default);
  CHECK(plain->timeout.seconds == 25);
  CHECK(plain->timeout.may_be_overridden_by == "a :timeout: in config/sidekiq_prod.yml");
  CHECK(describe_shutdown(*plain) ==
        "sidekiq (shutdown timeout 25 s by default; a :timeout: in config/sidekiq_prod.yml would change it)");

  auto long_flag = detect({"sidekiq", "--timeout=90"});
  REQUIRE(long_flag);
  CHECK(long_flag->timeout.seconds == 90);
  CHECK(long_flag->timeout.setting == "--timeout=90");
}

TEST_CASE("worker_process: a timeout past int64 is clamped, not cast out of range") {
  // Found by fuzz_yaml under UBSan: `-t 2222...` (70 digits) made ceil() a double beyond int64.
  auto worker = detect({"sidekiq", "-t", std::string(70, '2')});
  REQUIRE(worker);
  REQUIRE(worker->timeout.seconds);
  CHECK(required_stop_seconds(worker->timeout) == int64_t(1e15) + 5);
  CHECK(describe_shutdown(*worker).starts_with("sidekiq with -t 2222"));
  ShutdownTimeout endless;
  endless.seconds = std::numeric_limits<double>::infinity();
  CHECK(required_stop_seconds(endless, 0) == int64_t(1e15));
  ShutdownTimeout not_a_number;
  not_a_number.seconds = std::numeric_limits<double>::quiet_NaN();
  CHECK_FALSE(required_stop_seconds(not_a_number));
}

TEST_CASE("worker_process: shell-form and sh -c command lines are split") {
  auto worker = detect({"sh", "-c", "bundle exec rake db:migrate && exec sidekiq -C config/sidekiq.yml -t 45"});
  REQUIRE(worker);
  CHECK(worker->kind == WorkerKind::Sidekiq);
  CHECK(worker->timeout.seconds == 45);

  // A whole command line given as one exec-form word (a common task definition mistake).
  auto one_word = detect({"bundle exec sidekiq -t 30"});
  REQUIRE(one_word);
  CHECK(one_word->timeout.seconds == 30);

  auto bash = detect({"/bin/bash", "-o", "pipefail", "-lc", "exec celery -A proj worker --time-limit=300 2>&1"});
  REQUIRE(bash);
  CHECK(bash->kind == WorkerKind::Celery);
  CHECK(bash->timeout.seconds == 300);

  auto wrapped = detect({"/usr/bin/dumb-init", "--", "sh", "-c", "exec sidekiq -t \"20\""});
  REQUIRE(wrapped);
  CHECK(wrapped->timeout.seconds == 20);

  auto commands = split_simple_commands({"sh", "-c", "echo 'a && b' > /dev/null; exec foo --x=1 2>&1 | tee out"});
  REQUIRE(commands.size() == 3);
  CHECK(commands[0] == std::vector<std::string>{"echo", "a && b"});
  CHECK(commands[1] == std::vector<std::string>{"exec", "foo", "--x=1"});
  CHECK(commands[2] == std::vector<std::string>{"tee", "out"});
}

TEST_CASE("worker_process: flag values from the environment") {
  auto worker = detect({"sidekiq", "-t", "${SIDEKIQ_TIMEOUT:-25}"}, {{"SIDEKIQ_TIMEOUT", "50"}});
  REQUIRE(worker);
  CHECK(worker->timeout.seconds == 50);

  auto fallback = detect({"sidekiq", "-t", "${SIDEKIQ_TIMEOUT:-25}"});
  REQUIRE(fallback);
  CHECK(fallback->timeout.seconds == 25);

  auto unknown = detect({"sidekiq", "-t", "$SIDEKIQ_TIMEOUT"}, {{"SIDEKIQ_TIMEOUT", std::nullopt}});
  REQUIRE(unknown);
  CHECK(unknown->timeout.origin == TimeoutOrigin::Unresolved);
  CHECK_FALSE(required_stop_seconds(unknown->timeout));
}

TEST_CASE("worker_process: celery workers, not beat") {
  auto worker = detect({"celery", "-A", "proj", "worker", "-l", "INFO"});
  REQUIRE(worker);
  CHECK(worker->kind == WorkerKind::Celery);
  CHECK(worker->timeout.origin == TimeoutOrigin::Unbounded);
  CHECK_FALSE(required_stop_seconds(worker->timeout));

  auto module = detect({"python", "-m", "celery", "-A", "proj", "worker", "--soft-time-limit", "120"});
  REQUIRE(module);
  CHECK(module->timeout.seconds == 120);

  CHECK_FALSE(detect({"celery", "-A", "proj", "beat"}));
  CHECK_FALSE(detect({"celery", "-A", "proj", "flower"}));
}

TEST_CASE("worker_process: rq, delayed_job, resque, shoryuken, good_job, solid_queue, dramatiq") {
  auto rq = detect({"rq", "worker", "--url", "redis://redis:6379", "high", "default"});
  REQUIRE(rq);
  CHECK(rq->kind == WorkerKind::Rq);
  CHECK(rq->timeout.origin == TimeoutOrigin::Unbounded);
  CHECK_FALSE(detect({"rq", "info"}));

  auto delayed = detect({"bundle", "exec", "rake", "jobs:work"});
  REQUIRE(delayed);
  CHECK(delayed->kind == WorkerKind::DelayedJob);
  auto delayed_script = detect({"bin/delayed_job", "run"});
  REQUIRE(delayed_script);
  CHECK(delayed_script->kind == WorkerKind::DelayedJob);

  auto resque = detect({"sh", "-c", "QUEUE=* TERM_CHILD=1 RESQUE_TERM_TIMEOUT=10 bundle exec rake environment resque:work"});
  REQUIRE(resque);
  CHECK(resque->kind == WorkerKind::Resque);
  CHECK(resque->timeout.origin == TimeoutOrigin::Environment);
  CHECK(resque->timeout.seconds == 10);
  CHECK(resque->timeout.setting == "RESQUE_TERM_TIMEOUT=10");

  auto resque_env = detect({"bundle", "exec", "rake", "resque:work"},
                           {{"RESQUE_PRE_SHUTDOWN_TIMEOUT", "20"}, {"RESQUE_TERM_TIMEOUT", "8"}});
  REQUIRE(resque_env);
  CHECK(resque_env->timeout.seconds == 28);
  auto resque_default = detect({"rake", "resque:work"});
  REQUIRE(resque_default);
  CHECK(resque_default->timeout.origin == TimeoutOrigin::Default);
  CHECK(resque_default->timeout.seconds == 4);
  CHECK(required_stop_seconds(resque_default->timeout) == 9);

  auto shoryuken = detect({"bundle", "exec", "shoryuken", "-R", "-C", "config/shoryuken.yml"});
  REQUIRE(shoryuken);
  CHECK(shoryuken->kind == WorkerKind::Shoryuken);
  CHECK(shoryuken->timeout.seconds == 8);
  CHECK(shoryuken->timeout.may_be_overridden_by == "a timeout: in config/shoryuken.yml");
  CHECK_FALSE(detect({"shoryuken", "sqs", "ls"}));

  auto good_job = detect({"bundle", "exec", "good_job", "start", "--max-threads=5"});
  REQUIRE(good_job);
  CHECK(good_job->kind == WorkerKind::GoodJob);
  CHECK(good_job->timeout.origin == TimeoutOrigin::Unbounded);
  auto good_job_flag = detect({"good_job", "start", "--shutdown-timeout", "25"});
  REQUIRE(good_job_flag);
  CHECK(good_job_flag->timeout.seconds == 25);
  auto good_job_env = detect({"good_job", "start"}, {{"GOOD_JOB_SHUTDOWN_TIMEOUT", "40"}});
  REQUIRE(good_job_env);
  CHECK(good_job_env->timeout.origin == TimeoutOrigin::Environment);
  CHECK(good_job_env->timeout.seconds == 40);

  auto solid = detect({"./bin/jobs"});
  REQUIRE(solid);
  CHECK(solid->kind == WorkerKind::SolidQueue);
  CHECK(solid->timeout.seconds == 5);

  auto dramatiq = detect({"dramatiq", "app.tasks", "--worker-shutdown-timeout", "30000"});
  REQUIRE(dramatiq);
  CHECK(dramatiq->timeout.seconds == Approx(30));
  auto dramatiq_default = detect({"python", "-m", "dramatiq", "app.tasks"});
  REQUIRE(dramatiq_default);
  CHECK(dramatiq_default->timeout.seconds == 600);
}

TEST_CASE("worker_process: laravel queue workers and horizon") {
  auto work = detect({"php", "artisan", "queue:work", "sqs", "--timeout=90", "--tries=3"});
  REQUIRE(work);
  CHECK(work->kind == WorkerKind::LaravelQueue);
  CHECK(work->timeout.seconds == 90);
  CHECK(describe_shutdown(*work) == "php artisan queue:work with --timeout=90");

  auto default_work = detect({"php", "/var/www/html/artisan", "queue:work"});
  REQUIRE(default_work);
  CHECK(default_work->timeout.seconds == 60);

  auto unlimited = detect({"php", "artisan", "queue:work", "--timeout=0"});
  REQUIRE(unlimited);
  CHECK(unlimited->timeout.origin == TimeoutOrigin::Unbounded);

  auto horizon = detect({"php", "artisan", "horizon"});
  REQUIRE(horizon);
  CHECK(horizon->kind == WorkerKind::LaravelHorizon);
  CHECK(horizon->timeout.seconds == 60);

  CHECK_FALSE(detect({"php", "artisan", "migrate", "--force"}));
}

TEST_CASE("worker_process: web servers and vague commands are not workers") {
  CHECK_FALSE(detect({"bundle", "exec", "puma", "-C", "config/puma.rb"}));
  CHECK_FALSE(detect({"node", "worker.js"}));
  CHECK_FALSE(detect({"sh", "-c", "echo starting sidekiq-like thing"}));
  CHECK_FALSE(detect({"gunicorn", "app:app", "--workers", "4"}));
  CHECK_FALSE(detect({}));
}

TEST_CASE("worker_process: descriptions name the setting, the default, or what bounds the wait") {
  auto celery = detect({"celery", "-A", "proj", "worker"});
  REQUIRE(celery);
  CHECK(describe_shutdown(*celery) ==
        "celery worker, which waits for running jobs to finish (bounded only by task_time_limit in the Celery app's "
        "configuration, if set)");

  auto unlimited = detect({"php", "artisan", "queue:work", "--timeout=0"});
  REQUIRE(unlimited);
  CHECK(describe_shutdown(*unlimited) ==
        "php artisan queue:work with --timeout=0, which waits for running jobs to finish with no time limit");

  auto good_job_env = detect({"good_job", "start"}, {{"GOOD_JOB_SHUTDOWN_TIMEOUT", "40"}});
  REQUIRE(good_job_env);
  CHECK(describe_shutdown(*good_job_env) ==
        "good_job with GOOD_JOB_SHUTDOWN_TIMEOUT=40 (unless config.good_job.shutdown_timeout in the Rails app sets "
        "another value)");

  auto forever = detect({"good_job", "start"}, {{"GOOD_JOB_SHUTDOWN_TIMEOUT", "-1"}});
  REQUIRE(forever);
  CHECK(forever->timeout.origin == TimeoutOrigin::Unbounded);

  auto unknown = detect({"sidekiq", "-t", "$TIMEOUT"});
  REQUIRE(unknown);
  CHECK(describe_shutdown(*unknown) == "sidekiq with -t $TIMEOUT (a value shiftlint cannot read)");
}

TEST_CASE("worker_process: inline assignments override the container environment") {
  auto worker = detect({"env", "RESQUE_TERM_TIMEOUT=15", "bundle", "exec", "resque-pool"}, {{"RESQUE_TERM_TIMEOUT", "4"}});
  REQUIRE(worker);
  CHECK(worker->kind == WorkerKind::Resque);
  CHECK(worker->timeout.seconds == 15);

  // rake takes NAME=value arguments after the task name too.
  auto rake = detect({"bundle", "exec", "rake", "resque:work", "QUEUE=*", "RESQUE_TERM_TIMEOUT=6.5"});
  REQUIRE(rake);
  CHECK(rake->timeout.seconds == 6.5);
  CHECK(required_stop_seconds(rake->timeout) == 12);

  auto unknown_env = detect({"rake", "resque:work"}, {{"RESQUE_TERM_TIMEOUT", std::nullopt}});
  REQUIRE(unknown_env);
  CHECK(unknown_env->timeout.origin == TimeoutOrigin::Unresolved);

  auto legacy_rq = detect({"rqworker", "default"});
  REQUIRE(legacy_rq);
  CHECK(legacy_rq->kind == WorkerKind::Rq);
}

TEST_CASE("process supervisors by their program, shared by DKR003 and K8S006") {
  CHECK(supervisor_of("/usr/bin/supervisord") == Supervisor::Supervisord);
  CHECK(supervisor_of("/sbin/my_init") == Supervisor::Runit);
  CHECK(supervisor_of("runsvdir") == Supervisor::Runit);
  CHECK(supervisor_of("/init") == Supervisor::S6);
  CHECK(supervisor_of("/usr/local/init") == Supervisor::None);  // only s6-overlay's /init
  CHECK(supervisor_of("circusd") == Supervisor::Circus);
  CHECK(supervisor_of("pm2-runtime") == Supervisor::Pm2Runtime);
  CHECK(supervisor_of("pm2") == Supervisor::Pm2);
  CHECK(supervisor_of("puma") == Supervisor::None);
  CHECK(supervisor_name(Supervisor::S6) == "s6");
  CHECK(supervisor_name(Supervisor::None).empty());
  CHECK(supervisor_of("/usr/local/bin/forego") == Supervisor::ProcfileRunner);
  CHECK(supervisor_of("hivemind") == Supervisor::ProcfileRunner);
}

namespace {
std::optional<ProcfileRun> run_of(std::initializer_list<std::string_view> words) {
  std::vector<std::string_view> list(words);
  return procfile_run(list);
}
}  // namespace

TEST_CASE("Procfile runners: the Procfile, the processes picked and restarts") {
  std::optional<ProcfileRun> forego = run_of({"forego", "start", "-r"});
  REQUIRE(forego);
  CHECK(forego->procfile.empty());
  CHECK(forego->named_processes == 0);
  CHECK(forego->restarts);

  // Options before the subcommand, and a value that is not a process name.
  std::optional<ProcfileRun> honcho = run_of({"honcho", "-f", "ops/Procfile.prod", "-e", ".env", "start"});
  REQUIRE(honcho);
  CHECK(honcho->procfile == "ops/Procfile.prod");
  CHECK(honcho->named_processes == 0);
  CHECK_FALSE(honcho->restarts);

  std::optional<ProcfileRun> foreman = run_of({"foreman", "start", "web", "--root=/srv/app", "-p", "3000"});
  REQUIRE(foreman);
  CHECK(foreman->root == "/srv/app");
  CHECK(foreman->named_processes == 1);

  std::optional<ProcfileRun> overmind = run_of({"overmind", "s", "-l", "web,worker", "--auto-restart", "all"});
  REQUIRE(overmind);
  CHECK(overmind->named_processes == 2);
  CHECK(overmind->restarts);

  std::optional<ProcfileRun> hivemind = run_of({"hivemind", "--port", "5000", "Procfile.dev"});
  REQUIRE(hivemind);
  CHECK(hivemind->procfile == "Procfile.dev");

  CHECK_FALSE(run_of({"foreman", "export", "systemd", "/etc/systemd/system"}));  // writes unit files
  CHECK_FALSE(run_of({"forego", "run", "rake", "db:migrate"}));                  // one command, no Procfile
  CHECK_FALSE(run_of({"honcho"}));
  CHECK_FALSE(run_of({"supervisord", "start"}));
}
