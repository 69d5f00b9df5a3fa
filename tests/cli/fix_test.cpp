// `shiftlint check --fix` as users meet it: files fixed in place, atomically, idempotently, never a
// broken or read-only file touched, and the other options (--select, --baseline, --format) honoured.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/process.h"

using shiftlint::testing::read_file;
using shiftlint::testing::run_shiftlint;
using shiftlint::testing::TemporaryFolder;

namespace {

// A Fargate worker: no nofile ulimit (ECS001) and no stopTimeout for sidekiq -t 60 (ECS002).
constexpr const char* kWorkerTask = R"({
  "family": "jobs",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "worker",
      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1",
      "essential": true,
      "command": ["bundle", "exec", "sidekiq", "-t", "60"]
    }
  ]
}
)";

constexpr const char* kFixedWorkerTask = R"({
  "family": "jobs",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "worker",
      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1",
      "essential": true,
      "command": ["bundle", "exec", "sidekiq", "-t", "60"],
      "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}],
      "stopTimeout": 65
    }
  ]
}
)";

constexpr const char* kShellFormDockerfile = "FROM ruby:3.3-slim\nWORKDIR /app\nCMD bundle exec puma -C config/puma.rb\n";
constexpr const char* kExecFormDockerfile =
    "FROM ruby:3.3-slim\nWORKDIR /app\nCMD [\"bundle\", \"exec\", \"puma\", \"-C\", \"config/puma.rb\"]\n";

mode_t mode_of(const std::string& path) {
  struct stat status {};
  stat(path.c_str(), &status);
  return status.st_mode & 07777;
}

}  // namespace

TEST_CASE("fix: writes the fixes in place, keeps permissions, reports what remains, and is idempotent") {
  TemporaryFolder folder;
  std::string task = folder.write("ecs/worker.json", kWorkerTask);
  std::string dockerfile = folder.write("Dockerfile", kShellFormDockerfile);
  chmod(task.c_str(), 0640);

  auto first = run_shiftlint({"check", "--fix", "."}, folder.path());
  INFO(first.out << first.err);
  CHECK(first.exit_code == 0);
  CHECK(read_file(task) == kFixedWorkerTask);
  CHECK(read_file(dockerfile) == kExecFormDockerfile);
  CHECK(mode_of(task) == 0640);
  CHECK(first.err.find("Fixed 3 findings (2 files); 0 remaining") != std::string::npos);
  // No temporary file is left beside the fixed ones.
  size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder.path() + "/ecs")) entries += entry.exists();
  CHECK(entries == 1);

  auto second = run_shiftlint({"check", "--fix", "."}, folder.path());
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("No fixes applied; 0 remaining") != std::string::npos);
  CHECK(read_file(task) == kFixedWorkerTask);
  CHECK(read_file(dockerfile) == kExecFormDockerfile);
  CHECK(run_shiftlint({"check", "."}, folder.path()).exit_code == 0);
}

TEST_CASE("fix: --select limits the fixes; what is not fixed is reported and fails the run") {
  TemporaryFolder folder;
  std::string task = folder.write("worker.json", kWorkerTask);
  auto run = run_shiftlint({"check", "--fix", "--select", "ECS002", "--format", "json", "worker.json"}, folder.path());
  CHECK(run.exit_code == 0);
  CHECK(read_file(task).find("\"stopTimeout\": 65") != std::string::npos);
  CHECK(read_file(task).find("ulimits") == std::string::npos);
  // --format json still prints only the report on stdout.
  CHECK(nlohmann::json::parse(run.out)["findings"].empty());

  auto rest = run_shiftlint({"check", "worker.json", "--format", "json"}, folder.path());
  CHECK(rest.exit_code == 1);
  CHECK(nlohmann::json::parse(rest.out)["findings"][0]["rule_id"] == "ECS001");
}

TEST_CASE("fix: findings in the baseline are left as they are") {
  TemporaryFolder folder;
  std::string old_task = folder.write("old.json", kWorkerTask);
  REQUIRE(run_shiftlint({"check", "--write-baseline", "baseline.json"}, folder.path()).exit_code == 0);
  std::string new_task = folder.write("new.json", kWorkerTask);
  auto run = run_shiftlint({"check", "--fix", "--baseline", "baseline.json"}, folder.path());
  CHECK(run.exit_code == 0);
  CHECK(read_file(old_task) == kWorkerTask);
  CHECK(read_file(new_task) == kFixedWorkerTask);
  CHECK(run.err.find("Fixed 2 findings (1 file); 0 remaining") != std::string::npos);
}

TEST_CASE("fix: a file that does not parse is left byte for byte; a read-only one is an error; others are fixed") {
  TemporaryFolder folder;
  // A Dockerfile with an instruction BuildKit rejects (SL001) and a fixable shell-form CMD.
  std::string broken_dockerfile =
      folder.write("broken/Dockerfile", "FROM ruby:3.3-slim\nENV A\nCMD bundle exec puma\n");
  std::string broken_json = folder.write("broken.json", std::string(kWorkerTask).substr(0, 200));
  std::string read_only = folder.write("readonly/task.json", kWorkerTask);
  chmod(read_only.c_str(), 0444);
  std::string writable = folder.write("task.json", kWorkerTask);
  std::string dockerfile_before = read_file(broken_dockerfile), json_before = read_file(broken_json);

  auto run = run_shiftlint({"check", "--fix", "."}, folder.path());
  INFO(run.err);
  CHECK(run.exit_code == 2);
  CHECK(read_file(broken_dockerfile) == dockerfile_before);
  CHECK(read_file(broken_json) == json_before);
  CHECK(read_file(read_only) == kWorkerTask);
  CHECK(mode_of(read_only) == 0444);
  CHECK(read_file(writable) == kFixedWorkerTask);
  CHECK(run.err.find("readonly/task.json: cannot write") != std::string::npos);
  CHECK(run.err.find("broken/Dockerfile: has syntax errors (SL001); not fixed") != std::string::npos);
}

TEST_CASE("fix: CloudFormation YAML and Terraform are fixed in their own syntax and re-lint clean") {
  TemporaryFolder folder;
  std::string template_path = folder.write("stack.yaml", R"(Resources:
  Jobs:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "512"
      Memory: "1024"
      ContainerDefinitions:
        # the queue worker
        - Name: worker
          Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1
          Command: [bundle, exec, sidekiq, -t, "60"]
          StopTimeout: 30
)");
  std::string main_tf = folder.write("infra/main.tf", R"(resource "aws_ecs_task_definition" "jobs" {
  family                   = "jobs"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([
    {
      name    = "worker"
      image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1"
      command = ["bundle", "exec", "sidekiq", "-t", "60"] # shutdown after 60 s
    }
  ])
}
)");
  auto run = run_shiftlint({"check", "--fix", "."}, folder.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(read_file(template_path) == R"(Resources:
  Jobs:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "512"
      Memory: "1024"
      ContainerDefinitions:
        # the queue worker
        - Name: worker
          Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1
          Command: [bundle, exec, sidekiq, -t, "60"]
          StopTimeout: 65
          Ulimits:
            - Name: nofile
              SoftLimit: 65535
              HardLimit: 65535
)");
  CHECK(read_file(main_tf) == R"(resource "aws_ecs_task_definition" "jobs" {
  family                   = "jobs"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([
    {
      name    = "worker"
      image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1"
      command = ["bundle", "exec", "sidekiq", "-t", "60"] # shutdown after 60 s
      ulimits = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]
      stopTimeout = 65
    }
  ])
}
)");
  CHECK(run_shiftlint({"check", "."}, folder.path()).exit_code == 0);
}

TEST_CASE("fix: --format gitlab is a Code Quality report") {
  TemporaryFolder folder;
  folder.write("ecs/worker.json", kWorkerTask);
  auto run = run_shiftlint({"check", "--format", "gitlab", "."}, folder.path());
  CHECK(run.exit_code == 1);
  auto report = nlohmann::json::parse(run.out);
  REQUIRE(report.is_array());
  REQUIRE(report.size() == 2);
  std::set<std::string> fingerprints;
  for (const auto& issue : report) {
    CHECK(issue["description"].get<std::string>().find(issue["check_name"].get<std::string>().substr(0, 6)) == 0);
    CHECK(issue["severity"] == "major");
    CHECK(issue["location"]["path"] == "ecs/worker.json");
    CHECK(issue["location"]["lines"]["begin"] == 8);
    fingerprints.insert(issue["fingerprint"].get<std::string>());
  }
  CHECK(fingerprints.size() == 2);
  CHECK(report[0]["check_name"] == "ECS001 nofile-ulimit-missing");
  auto clean = run_shiftlint({"check", "--format", "gitlab", "--select", "DKR", "."}, folder.path());
  CHECK(clean.exit_code == 0);
  CHECK(nlohmann::json::parse(clean.out) == nlohmann::json::array());
}

TEST_CASE("fix: JSON in a Terraform heredoc and values from variables are left alone") {
  TemporaryFolder folder;
  const std::string heredoc = R"(resource "aws_ecs_task_definition" "jobs" {
  family                   = "jobs"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions    = <<EOF
[
  {
    "name": "worker",
    "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1",
    "command": ["bundle", "exec", "sidekiq", "-t", "60"]
  }
]
EOF
}
)";
  const std::string from_variable = R"(variable "containers" {
  default = [
    {
      name    = "worker"
      image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1"
      command = ["bundle", "exec", "sidekiq", "-t", "60"]
    }
  ]
}

resource "aws_ecs_task_definition" "jobs" {
  family                   = "jobs"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions    = jsonencode(var.containers)
}
)";
  std::string heredoc_path = folder.write("heredoc/main.tf", heredoc);
  std::string variable_path = folder.write("variable/main.tf", from_variable);
  auto run = run_shiftlint({"check", "--fix", "."}, folder.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK(read_file(heredoc_path) == heredoc);
  CHECK(read_file(variable_path) == from_variable);
  CHECK(run.err.find("No fixes applied; 4 remaining") != std::string::npos);
}

TEST_CASE("fix: Kubernetes manifests get the grace period; Helm templates are never edited") {
  TemporaryFolder folder;
  const std::string manifest = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: jobs
spec:
  replicas: 2
  selector:
    matchLabels: {app: jobs}
  template:
    metadata:
      labels: {app: jobs}
    spec:
      containers:
        - name: sidekiq
          image: registry.example.com/jobs:2.0.1
          command: ["bundle", "exec", "sidekiq", "-t", "60"]
)";
  const std::string chart_template = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-jobs
spec:
  replicas: 2
  selector:
    matchLabels: {app: jobs}
  template:
    metadata:
      labels: {app: jobs}
    spec:
      containers:
        - name: sidekiq
          image: "registry.example.com/jobs:{{ .Values.tag }}"
          command: ["bundle", "exec", "sidekiq", "-t", "60"]
)";
  std::string manifest_path = folder.write("k8s/jobs.yaml", manifest);
  folder.write("chart/Chart.yaml", "apiVersion: v2\nname: jobs\nversion: 1.0.0\n");
  folder.write("chart/values.yaml", "tag: 2.0.1\n");
  std::string template_path = folder.write("chart/templates/deployment.yaml", chart_template);
  auto run = run_shiftlint({"check", "--fix", "--select", "K8S003", "."}, folder.path());
  INFO(run.out << run.err);
  // After the pod spec's last member (its containers), at the members' indentation.
  std::string fixed = manifest + "      terminationGracePeriodSeconds: 65\n";
  CHECK(read_file(manifest_path) == fixed);
  CHECK(read_file(template_path) == chart_template);
}
