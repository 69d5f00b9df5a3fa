#include <catch2/catch.hpp>

#include <string>

#include <fmt/core.h>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/model/eb/bundle_file.h"
#include "analyzer/model/eb/host_evidence.h"
#include "analyzer/source/classify.h"

using namespace shiftlint;

namespace {

eb::BundleFile read(std::string path, std::string text) {
  auto file = std::make_shared<SourceFile>(path, path, std::move(text));
  FileKind kind = classify(path, file->text());
  auto bundle_kind = eb::bundle_file_kind(kind, path);
  INFO(path << " classified as " << to_string(kind));
  REQUIRE(bundle_kind);
  return eb::read_bundle_file(file, *bundle_kind, {});
}

std::string where(Span span) { return fmt::format("{}:{}", span.begin.line, span.begin.column); }

}  // namespace

TEST_CASE("eb classify: bundle files by their place in the tree") {
  CHECK(classify("app/.ebextensions/01.config", "packages: {}") == FileKind::ElasticBeanstalkConfigYaml);
  CHECK(classify(".ebextensions/01.config", "  {\"packages\": {}}") == FileKind::ElasticBeanstalkConfigJson);
  // Only configs directly in .ebextensions are read by EB.
  CHECK(classify(".ebextensions/files/01.config", "packages: {}") == FileKind::Unknown);
  CHECK(classify(".ebextensions/nginx/conf.d/proxy.conf", "") == FileKind::ElasticBeanstalkNginx);
  CHECK(classify(".platform/hooks/predeploy/01.sh", "") == FileKind::ElasticBeanstalkHook);
  CHECK(classify(".platform/confighooks/postdeploy/x", "") == FileKind::ElasticBeanstalkHook);
  CHECK(classify(".platform/nginx/conf.d/elasticbeanstalk/x.conf", "") == FileKind::ElasticBeanstalkNginx);
  CHECK(classify("Procfile", "web: x") == FileKind::Procfile);
  CHECK(classify("Buildfile", "make: x") == FileKind::Buildfile);
  CHECK(classify("cron.yaml", "version: 1\ncron:\n - name: a\n   url: /a\n   schedule: '* * * * *'\n") ==
        FileKind::ElasticBeanstalkWorkerCron);
  // Google App Engine's cron.yaml has no version.
  CHECK(classify("cron.yaml", "cron:\n- description: x\n  url: /a\n  schedule: every 24 hours\n") == FileKind::Unknown);
  CHECK(is_candidate_name(".ebextensions/01.config"));
  CHECK(is_candidate_name(".platform/hooks/prebuild/run"));
  CHECK_FALSE(is_candidate_name("app.config"));
}

TEST_CASE("eb model: commands in block scalars keep their file positions") {
  eb::BundleFile bundle = read(".ebextensions/01.config",
                               "container_commands:\n"
                               "  01_cron:\n"
                               "    command: |\n"
                               "      echo start\n"
                               "      crontab /tmp/jobs\n"
                               "    leader_only: yes\n"
                               "  02_list:\n"
                               "    command: [\"ls\", \"-la\"]\n");
  REQUIRE(bundle.errors.empty());
  const eb::Extension& extension = bundle.extension;
  CHECK(extension.problems.empty());
  REQUIRE(extension.container_commands.size() == 2);
  const eb::Command& cron = extension.container_commands[0];
  CHECK(cron.leader_only_value() == true);
  REQUIRE(cron.script.commands.size() == 2);
  CHECK(cron.script.commands[1].name.value == "crontab");
  CHECK(where(cron.script.commands[1].span) == "5:7");
  CHECK(where(cron.script.commands[1].arguments[0].span) == "5:15");
  const eb::Command& list = extension.container_commands[1];
  REQUIRE(list.script.commands.size() == 1);
  CHECK(list.script.commands[0].name.value == "ls");
  CHECK(where(list.script.commands[0].arguments[0].span) == "8:21");
}

TEST_CASE("eb model: option_settings in list and map form") {
  eb::BundleFile list = read(".ebextensions/a.config",
                             "option_settings:\n"
                             "  - option_name: DB_HOST\n"
                             "    value: db.internal\n"
                             "  - namespace: aws:autoscaling:asg\n"
                             "    option_name: MinSize\n"
                             "    value: 2\n");
  REQUIRE(list.extension.option_settings.size() == 2);
  CHECK(list.extension.option_settings[0].namespace_name == eb::kEnvironmentNamespace);
  CHECK_FALSE(list.extension.option_settings[0].namespace_written);
  CHECK(list.extension.option_settings[1].option_name == "MinSize");

  eb::BundleFile map = read(".ebextensions/b.config",
                            "option_settings:\n"
                            "  aws:elasticbeanstalk:application:environment:\n"
                            "    DB_HOST: db.internal\n");
  REQUIRE(map.extension.option_settings.size() == 1);
  eb::HostEvidence evidence = eb::host_evidence(map);
  REQUIRE(evidence.environment.size() == 1);
  CHECK(evidence.environment[0].name == "DB_HOST");
  CHECK(evidence.environment[0].value == "db.internal");
  CHECK(where(evidence.environment[0].place.span) == "3:5");
  CHECK(where(evidence.environment[0].value_span) == "3:14");
}

TEST_CASE("eb model: shape problems are where EB would reject the file") {
  eb::BundleFile bundle = read(".ebextensions/c.config",
                               "container-commands:\n"
                               "  01: {command: x}\n"
                               "commands:\n"
                               "  - echo\n"
                               "option_settings:\n"
                               "  - namespace: aws:x\n");
  const auto& problems = bundle.extension.problems;
  REQUIRE(problems.size() == 3);
  CHECK(where(problems[0].span) == "1:1");
  CHECK(problems[0].suggestion == "container_commands");
  CHECK(where(problems[1].span) == "4:3");
  CHECK(where(problems[2].span) == "6:5");
  CHECK(problems[2].message.find("option_name") != std::string::npos);
}

TEST_CASE("eb evidence: the host's limits, cron jobs, time zone and packages") {
  eb::BundleFile bundle = read(".ebextensions/d.config",
                               "packages:\n"
                               "  yum:\n"
                               "    cronie: []\n"
                               "files:\n"
                               "  /etc/security/limits.d/nofile.conf:\n"
                               "    content: |\n"
                               "      * soft nofile 65536\n"
                               "  /etc/cron.d/jobs:\n"
                               "    content: |\n"
                               "      # comment\n"
                               "      */5 * * * * root /usr/bin/sync\n"
                               "commands:\n"
                               "  01_tz:\n"
                               "    command: ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime\n"
                               "  02_deps:\n"
                               "    command: yum install -y jq && pip install awscli==1.32.0\n");
  eb::HostEvidence evidence = eb::host_evidence(bundle);
  REQUIRE(evidence.limits.size() == 1);
  CHECK(evidence.limits[0].resource == "nofile");
  CHECK(evidence.limits[0].soft == "65536");
  CHECK(evidence.limits[0].hard.empty());
  CHECK(where(evidence.limits[0].place.span) == "7:14");
  REQUIRE(evidence.cron_jobs.size() == 1);
  CHECK(evidence.cron_jobs[0].schedule == "*/5 * * * *");
  CHECK(evidence.cron_jobs[0].user == "root");
  CHECK(evidence.cron_jobs[0].command == "/usr/bin/sync");
  CHECK(where(evidence.cron_jobs[0].place.span) == "11:7");
  REQUIRE(evidence.time_zones.size() == 1);
  CHECK(evidence.time_zones[0].zone == "Asia/Tokyo");
  REQUIRE(evidence.packages.size() == 3);
  CHECK(evidence.packages[0].name == "cronie");
  CHECK(evidence.packages[1].name == "jq");
  CHECK(evidence.packages[2].name == "awscli");
  CHECK(evidence.packages[2].version == "==1.32.0");
}

TEST_CASE("eb model: hooks, Procfile and cron.yaml") {
  eb::BundleFile hook = read(".platform/hooks/postdeploy/01_workers.sh", "#!/bin/bash\nsidekiq -d\n");
  CHECK(hook.kind == eb::BundleFileKind::PlatformHook);
  CHECK(hook.hook.phase == "postdeploy");
  REQUIRE(eb::host_evidence(hook).daemonized.size() == 1);

  eb::BundleFile procfile = read("Procfile", "web: bundle exec puma\n# comment\nworker:   bundle exec sidekiq\nbroken line\n");
  REQUIRE(procfile.processes.size() == 2);
  CHECK(procfile.processes[1].name == "worker");
  CHECK(where(procfile.processes[1].script.commands[0].span) == "3:11");
  REQUIRE(procfile.errors.size() == 1);
  CHECK(where(procfile.errors[0].span) == "4:1");

  eb::BundleFile cron = read("cron.yaml", "version: 1\ncron:\n  - name: a\n    url: /tasks/a\n    schedule: \"0 1 * * *\"\n");
  REQUIRE(cron.cron.size() == 1);
  eb::HostEvidence evidence = eb::host_evidence(cron);
  REQUIRE(evidence.cron_jobs.size() == 1);
  CHECK(evidence.cron_jobs[0].source == eb::CronSource::WorkerTier);
  CHECK(evidence.cron_jobs[0].command == "/tasks/a");
}

TEST_CASE("eb model: the bundle a file belongs to") {
  CHECK(eb::bundle_root(".ebextensions/01.config") == "");
  CHECK(eb::bundle_root("apps/web/.ebextensions/01.config") == "apps/web");
  CHECK(eb::bundle_root("apps/web/.platform/hooks/predeploy/01.sh") == "apps/web");
  CHECK(eb::bundle_root("apps/web/Procfile") == "apps/web");
  CHECK(eb::bundle_root("Procfile") == "");
}

TEST_CASE("eb: an editor buffer of an .ebextensions file is linted like the file (lint_source)") {
  Config config;
  RuleSelection selection = select_rules(config, {}, {});
  auto file = std::make_shared<const SourceFile>("/nonexistent-folder/.ebextensions/01.config", ".ebextensions/01.config",
                                                 "container_commands:\n"
                                                 "  01_migrate:\n"
                                                 "    command: bundle exec rake db:migrate\n"
                                                 "    leader_only: true\n"
                                                 "optionsettings: {}\n");
  auto findings = lint_source(file, config, selection);
  REQUIRE(findings.has_value());
  REQUIRE(findings->size() == 1);  // the invalid key makes EB ignore the file: nothing else applies
  CHECK(findings->front().rule_id == "EB001");
  CHECK(findings->front().location.span.begin.line == 5);
  CHECK(findings->front().message.find("did you mean `option_settings`") != std::string::npos);
}
