// A `check` of files (what the pre-commit hook passes: the staged ones, from the repository's root)
// reads what `check .` reads around them: the kustomization and Skaffold files of its scan root (a
// manifest or a chart is judged as they deploy it whether or not they changed in the commit), and
// the manifests beside its manifests (the autoscaler and the claims a Deployment is linked with).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "tests/cli/process.h"

using shiftlint::testing::run_shiftlint;
using shiftlint::testing::TemporaryFolder;

namespace {

const char* const kDeployment =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: orders\n"
    "spec:\n"
    "  selector:\n"
    "    matchLabels: {app: orders}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: orders}\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: orders\n"
    "          image: registry.example.com/orders\n";

// A repository where nothing is wrong once deployed: both overlays pin the kustomize base's image,
// Skaffold builds the image of the plain manifests, and the Skaffold release pins the chart's tag.
void write_repository(const TemporaryFolder& folder, const std::string& below = "") {
  folder.write(below + ".git/HEAD", "ref: refs/heads/main\n");
  folder.write(below + "kustomize/base/deployment.yaml", kDeployment);
  folder.write(below + "kustomize/base/kustomization.yaml", "resources:\n  - deployment.yaml\n");
  for (const char* overlay : {"staging", "production"})
    folder.write(below + "kustomize/overlays/" + overlay + "/kustomization.yaml",
                 "resources:\n  - ../../base\nimages:\n  - name: registry.example.com/orders\n    newTag: \"4.2.0\"\n");
  folder.write(below + "skaffold/k8s/deployment.yaml", kDeployment);
  folder.write(below + "skaffold/skaffold.yaml",
               "apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n"
               "    - image: registry.example.com/orders\nmanifests:\n  rawYaml:\n    - k8s/deployment.yaml\n");
  folder.write(below + "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  folder.write(below + "charts/web/values.yaml", "image: registry.example.com/web:latest\n");
  // A nightly job of the chart (K8S011 judges every pod template).
  folder.write(below + "charts/web/templates/cronjob.yaml",
               "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {{ .Release.Name }}-report\nspec:\n"
               "  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
               "          restartPolicy: OnFailure\n          containers:\n            - name: report\n"
               "              image: {{ .Values.image | quote }}\n");
  folder.write(below + "skaffold.yaml",
               "apiVersion: skaffold/v4beta14\nkind: Config\ndeploy:\n  helm:\n    releases:\n"
               "    - name: shop\n      chartPath: charts/web\n      setValues:\n"
               "        image: registry.example.com/web:3.1.0\n");
}

using Place = std::tuple<std::string, std::string, int>;  // rule, path, line

std::set<Place> places(const std::string& report) {
  std::set<Place> found;
  const nlohmann::json parsed = nlohmann::json::parse(report);  // kept: the loop reads into it
  for (const nlohmann::json& finding : parsed.at("findings"))
    found.insert({finding.at("rule_id").get<std::string>(), finding.at("path").get<std::string>(),
                  finding.at("line").get<int>()});
  return found;
}

std::set<Place> check(const std::string& directory, std::vector<std::string> arguments,
                      const std::string& rules = "K8S011") {
  std::vector<std::string> command = {"check"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  for (const std::string& option : {std::string("--select"), rules, std::string("--format"), std::string("json"),
                                    std::string("--fail-on"), std::string("never")})
    command.push_back(option);
  auto result = run_shiftlint(command, directory);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return places(result.out);
}

}  // namespace

TEST_CASE("cli: a file argument is judged with the kustomization and Skaffold files of the scan root") {
  TemporaryFolder folder;
  write_repository(folder);
  REQUIRE(check(folder.path(), {"."}).empty());
  // What the hook passes when only the workload or the chart's values changed.
  for (const char* changed : {"kustomize/base/deployment.yaml", "skaffold/k8s/deployment.yaml", "charts/web/values.yaml",
                              "charts/web/templates/cronjob.yaml"}) {
    INFO(changed);
    CHECK(check(folder.path(), {changed}).empty());
  }
  CHECK(check(folder.path(), {"kustomize/base/deployment.yaml", "skaffold/k8s/deployment.yaml", "charts/web/values.yaml"})
            .empty());

  // A change that does break them is still reported, at the place `check .` reports it.
  folder.write("kustomize/overlays/production/kustomization.yaml",
               "resources:\n  - ../../base\nimages:\n  - name: registry.example.com/orders\n    newTag: latest\n");
  std::set<Place> full = check(folder.path(), {"."});
  REQUIRE(full.size() == 1);
  CHECK(check(folder.path(), {"kustomize/base/deployment.yaml"}) == full);
}

TEST_CASE("cli: the search for deploy tools' files stays in the scan root's repository and follows its ignore rules") {
  TemporaryFolder folder;
  write_repository(folder);
  // An overlay that leaves the image unpinned, hidden by .gitignore: `check .` does not read it.
  folder.write(".gitignore", "kustomize/overlays/staging/\n");
  folder.write("kustomize/overlays/staging/kustomization.yaml", "resources:\n  - ../../base\n");
  REQUIRE(check(folder.path(), {"."}).empty());
  CHECK(check(folder.path(), {"kustomize/base/deployment.yaml"}).empty());
  folder.write(".gitignore", "");
  REQUIRE(check(folder.path(), {"."}).size() == 1);
  CHECK(check(folder.path(), {"kustomize/base/deployment.yaml"}).size() == 1);
  folder.write(".gitignore", "kustomize/overlays/staging/\n");

  // From inside the repository (`cd kustomize/base`), the overlays above the scan root are read in
  // the repository, following its ignore rules, as by `check .` at its root: the image is pinned.
  std::string base = folder.path() + "/kustomize/base";
  CHECK(check(base, {"."}).empty());
  CHECK(check(base, {"deployment.yaml"}).empty());
  // So is the Skaffold release at the root that deploys the chart (`cd charts/web`): its tag counts.
  const std::string chart = folder.path() + "/charts/web";
  CHECK(check(chart, {"."}).empty());
  // Outside a repository the scan root bounds the search: the base alone leaves the image unpinned,
  // and the chart renders with its own values.
  std::filesystem::remove_all(folder.path() + "/.git");
  std::set<Place> alone = check(base, {"."});
  REQUIRE(alone.size() == 1);
  CHECK(check(base, {"deployment.yaml"}) == alone);
  CHECK(check(chart, {"."}).size() == 1);
}

TEST_CASE("cli: a manifest given alone is linked with the autoscaler and claims beside it, as in a full run") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("k8s/deployment.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
               "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
               "    spec:\n      containers:\n        - name: web\n          image: registry.example.com/web:1.2.3\n"
               "          volumeMounts: [{name: data, mountPath: /var/lib/web}]\n"
               "      volumes:\n        - name: data\n          persistentVolumeClaim: {claimName: web-data}\n");
  folder.write("k8s/pvc.yaml",
               "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: web-data\nspec:\n"
               "  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 10Gi}}\n");
  // The autoscaler that takes it past one replica: the ReadWriteOnce claim then breaks it (K8S004).
  folder.write("k8s/hpa.yaml",
               "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n"
               "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n");
  // A subfolder's autoscaler is not a neighbour (the ignored one below leaves only this one).
  folder.write("k8s/other/hpa.yaml",
               "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n"
               "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n");
  std::set<Place> full = check(folder.path(), {"."}, "K8S004");
  REQUIRE(full == std::set<Place>{{"K8S004", "k8s/deployment.yaml", 19}});
  CHECK(check(folder.path(), {"k8s/deployment.yaml"}, "K8S004") == full);
  CHECK(check(folder.path(), {"k8s/deployment.yaml", "k8s/pvc.yaml"}, "K8S004") == full);

  // An ignored autoscaler is read by neither.
  folder.write(".gitignore", "k8s/hpa.yaml\n");
  CHECK(check(folder.path(), {"."}, "K8S004").empty());
  CHECK(check(folder.path(), {"k8s/deployment.yaml"}, "K8S004").empty());
}

TEST_CASE("cli: a run of files judges its apps across the scan root and reports the XF findings at its files") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  // An Elastic Beanstalk app whose old host raised nofile, carried into its task definition.
  folder.write("shop/Dockerfile", "FROM ruby:3.3-slim\nWORKDIR /app\nCOPY . .\nCMD [\"bundle\", \"exec\", \"puma\"]\n");
  folder.write("shop/.ebextensions/01-limits.config",
               "files:\n  /etc/security/limits.d/90-webapp.conf:\n    mode: \"000644\"\n    content: |\n"
               "      webapp soft nofile 65536\n      webapp hard nofile 131072\n");
  auto task_definition = [](const std::string& ulimits) {
    return "{\n  \"family\": \"shop\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n  \"networkMode\": \"awsvpc\",\n"
           "  \"cpu\": \"512\",\n  \"memory\": \"1024\",\n  \"containerDefinitions\": [\n    {\n      \"name\": \"shop\",\n"
           "      \"image\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4\",\n      \"essential\": true" +
           ulimits + "\n    }\n  ]\n}\n";
  };
  folder.write("infra/ecs/shop.json",
               task_definition(",\n      \"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 65536, \"hardLimit\": 131072}]"));
  REQUIRE(check(folder.path(), {"."}, "XF").empty());
  // A commit of the old host and the image without the (unchanged) task definition: judged with it.
  CHECK(check(folder.path(), {"shop/Dockerfile", "shop/.ebextensions/01-limits.config"}, "XF").empty());
  CHECK(check(folder.path(), {"shop/.ebextensions/01-limits.config"}, "XF").empty());

  // The task definition loses the ulimit: reported at it, in a commit of it alone as in the full run.
  folder.write("infra/ecs/shop.json", task_definition(""));
  std::set<Place> full = check(folder.path(), {"."}, "XF");
  REQUIRE(full.size() == 1);
  REQUIRE(std::get<1>(*full.begin()) == "infra/ecs/shop.json");
  CHECK(check(folder.path(), {"infra/ecs/shop.json"}, "XF") == full);
  CHECK(check(folder.path(), {"infra/ecs/shop.json", "shop/Dockerfile"}, "XF") == full);
  // A finding at a file the run does not hold is left to the full run.
  CHECK(check(folder.path(), {"shop/.ebextensions/01-limits.config"}, "XF").empty());
}

TEST_CASE("cli: an autoscaler given alone gets the findings its neighbours' workloads make at it, and only those") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  // A Sidekiq worker (untagged: K8S011 at its own file) scaled on CPU (K8S009 at the autoscaler).
  folder.write("k8s/worker.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop-worker\nspec:\n"
               "  selector:\n    matchLabels: {app: shop-worker}\n  template:\n    metadata:\n"
               "      labels: {app: shop-worker}\n    spec:\n      containers:\n        - name: sidekiq\n"
               "          image: registry.example.com/shop\n          command: [\"bundle\", \"exec\", \"sidekiq\"]\n");
  folder.write("k8s/worker-hpa.yaml",
               "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: shop-worker\nspec:\n"
               "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop-worker}\n  maxReplicas: 10\n"
               "  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n"
               "        target: {type: Utilization, averageUtilization: 70}\n");
  std::set<Place> full = check(folder.path(), {"."}, "K8S009,K8S011");
  REQUIRE(full.size() == 2);
  std::set<Place> at_autoscaler;
  for (const Place& place : full)
    if (std::get<1>(place) == "k8s/worker-hpa.yaml") at_autoscaler.insert(place);
  REQUIRE(at_autoscaler.size() == 1);
  CHECK(std::get<0>(*at_autoscaler.begin()) == "K8S009");
  CHECK(check(folder.path(), {"k8s/worker-hpa.yaml"}, "K8S009,K8S011") == at_autoscaler);
  // Typed as an absolute path, a single file keeps that path in the report, its neighbours' findings too.
  const std::string absolute = folder.path() + "/k8s/worker-hpa.yaml";
  CHECK(check(folder.path(), {absolute}, "K8S009,K8S011") ==
        std::set<Place>{{"K8S009", absolute, std::get<2>(*at_autoscaler.begin())}});
  CHECK(check(folder.path(), {"k8s/worker.yaml", "k8s/worker-hpa.yaml"}, "K8S009,K8S011") == full);
  // Its related location (the worker container) is named the same way, from inside and from outside
  // the scan root, and from a folder beside it.
  auto related_path = [&](const std::string& directory, const std::string& argument) {
    auto result = run_shiftlint({"check", argument, "--select", "K8S009", "--format", "json", "--fail-on", "never"}, directory);
    INFO(result.err);
    const nlohmann::json report = nlohmann::json::parse(result.out);
    REQUIRE(report.at("findings").size() == 1);
    REQUIRE(report.at("findings")[0].at("related").size() >= 1);
    return report.at("findings")[0].at("related")[0].at("path").get<std::string>();
  };
  CHECK(related_path(folder.path(), "k8s/worker-hpa.yaml") == "k8s/worker.yaml");
  CHECK(related_path(folder.path(), absolute) == folder.path() + "/k8s/worker.yaml");
  CHECK(related_path(std::filesystem::temp_directory_path().string(), absolute) == folder.path() + "/k8s/worker.yaml");
  folder.write("docs/README.md", "notes\n");
  CHECK(related_path(folder.path() + "/docs", "../k8s/worker-hpa.yaml") == "../k8s/worker.yaml");
}

TEST_CASE("cli: a RunTask script given alone is compared with the task definition another file of the root defines") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("ecs/batch.json",
               "{\n  \"family\": \"batch\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n  \"networkMode\": \"awsvpc\",\n"
               "  \"cpu\": \"1024\",\n  \"memory\": \"2048\",\n  \"containerDefinitions\": [\n"
               "    {\"name\": \"batch\", \"image\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/batch:2.4.1\", "
               "\"essential\": true}\n  ]\n}\n");
  // Below the task definition's size: ECS103 at the override.
  folder.write("scripts/nightly.sh",
               "#!/usr/bin/env bash\nset -euo pipefail\naws ecs run-task --cluster batch --launch-type FARGATE \\\n"
               "  --platform-version 1.4.0 --task-definition batch:3 \\\n"
               "  --overrides '{\"cpu\": \"512\", \"memory\": \"1024\"}'\n");
  // Another JSON file of the root, with no task definition: not linted with the script.
  folder.write("config/settings.json", "{\"cpu\": 1}\n");
  std::set<Place> full = check(folder.path(), {"."}, "ECS103");
  REQUIRE(!full.empty());
  for (const Place& place : full) REQUIRE(std::get<1>(place) == "scripts/nightly.sh");
  CHECK(check(folder.path(), {"scripts/nightly.sh"}, "ECS103") == full);
}

TEST_CASE("cli: a RunTask script given alone is compared with the task definition Terraform defines") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  // The family comes from a local and a module's variable: the module is evaluated whole.
  folder.write("infra/main.tf", "locals {\n  name = \"acme\"\n}\nmodule \"batch\" {\n  source = \"./batch\"\n"
                                "  family = \"${local.name}-import\"\n}\n");
  folder.write("infra/batch/main.tf",
               "variable \"family\" {}\nresource \"aws_ecs_task_definition\" \"import\" {\n  family = var.family\n"
               "  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  cpu = \"2048\"\n"
               "  memory = \"4096\"\n  container_definitions = jsonencode([{ name = \"import\", image = \"import:1.2\" }])\n}\n");
  folder.write("scripts/import-now.sh",
               "#!/usr/bin/env bash\naws ecs run-task --cluster acme --launch-type FARGATE --platform-version 1.4.0 \\\n"
               "  --task-definition acme-import --overrides '{\"cpu\": \"256\", \"memory\": \"512\"}'\n");
  // The task cpu and the task memory, both at the override.
  auto count = [&](std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "check");
    for (const char* option : {"--select", "ECS103", "--format", "json", "--fail-on", "never"}) arguments.push_back(option);
    auto result = run_shiftlint(arguments, folder.path());
    INFO(result.err);
    size_t at_script = 0;
    const nlohmann::json report = nlohmann::json::parse(result.out);  // kept: the loop reads into it
    for (const nlohmann::json& finding : report.at("findings"))
      at_script += finding.at("path").get<std::string>() == "scripts/import-now.sh" && finding.at("line").get<int>() == 3;
    return at_script;
  };
  REQUIRE(count({"."}) == 2);
  CHECK(count({"scripts/import-now.sh"}) == 2);
  // With a file of the module in the run, its Terraform is the run's own: no finding twice.
  CHECK(count({"scripts/import-now.sh", "infra/main.tf"}) == 2);
}

TEST_CASE("cli: a file argument typed above its repository is read around in the repository, not the folders beside it") {
  TemporaryFolder folder;  // a home folder, or /tmp: not a repository
  write_repository(folder, "shop/");
  // A kustomization beside the repository that deploys its base with the image unpinned.
  folder.write("sandbox/kustomization.yaml", "resources:\n  - ../shop/kustomize/base\n");
  REQUIRE(check(folder.path(), {"."}) == std::set<Place>{{"K8S011", "shop/kustomize/base/deployment.yaml", 14}});
  CHECK(check(folder.path(), {"shop"}).empty());
  CHECK(check(folder.path(), {"shop/kustomize/base/deployment.yaml"}).empty());

  // Without a repository between the file and the scan root, the scan root is read, as `check .` reads it.
  std::filesystem::remove_all(folder.path() + "/shop/.git");
  CHECK(check(folder.path(), {"shop/kustomize/base/deployment.yaml"}) == check(folder.path(), {"."}));
}

TEST_CASE("cli: a build-context file given alone gets the findings the Dockerfiles that copy it make at it") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write("app/Dockerfile",
               "FROM ruby:3.3-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\n"
               "ENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"bundle\", \"exec\", \"puma\"]\n");
  // The region from the EC2 instance metadata service: DKR016 at the script's line.
  folder.write("app/docker-entrypoint.sh",
               "#!/bin/sh\nset -e\nexport AWS_REGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)\n"
               "exec \"$@\"\n");
  folder.write("app/tools/notes.sh", "#!/bin/sh\ncurl -s http://169.254.169.254/latest/meta-data/\n");  // not copied
  std::set<Place> full = check(folder.path(), {"."}, "DKR016");
  REQUIRE(full == std::set<Place>{{"DKR016", "app/docker-entrypoint.sh", 3}});
  // What the hook passes when only the entrypoint script changed.
  CHECK(check(folder.path(), {"app/docker-entrypoint.sh"}, "DKR016") == full);
  CHECK(check(folder.path(), {"app/tools/notes.sh"}, "DKR016").empty());
  const std::string absolute = folder.path() + "/app/docker-entrypoint.sh";
  CHECK(check(folder.path(), {absolute}, "DKR016") == std::set<Place>{{"DKR016", absolute, 3}});

  // It counts as analysed, through the Dockerfile that copies it; a file no image gets does not.
  auto analysed = [&](const std::string& file) {
    auto result = run_shiftlint({"check", file, "--format", "json", "--fail-on", "never"}, folder.path());
    INFO(result.err);
    return nlohmann::json::parse(result.out).at("summary").at("files_analyzed").get<int>();
  };
  folder.write("app/docker-entrypoint.sh", "#!/bin/sh\nset -e\nexec \"$@\"\n");
  CHECK(check(folder.path(), {"app/docker-entrypoint.sh"}, "DKR").empty());
  CHECK(analysed("app/docker-entrypoint.sh") == 1);
  CHECK(analysed("app/tools/notes.sh") == 0);
}

TEST_CASE("cli: a Dockerfile whose build context is its repository's root is read so from its folder and by an absolute path") {
  TemporaryFolder folder;
  // `docker build -f docker/web/Dockerfile .` from the repository's root: the entrypoint comes from scripts/.
  auto write_app = [&](const std::string& repository) {
    folder.write(repository + "docker/web/Dockerfile",
                 "FROM ruby:3.3-slim\nCOPY scripts/docker-entrypoint.sh /usr/local/bin/\n"
                 "ENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"bundle\", \"exec\", \"puma\"]\n");
    // The region from the EC2 instance metadata service: DKR016 at the script's line 3.
    folder.write(repository + "scripts/docker-entrypoint.sh",
                 "#!/bin/sh\nset -e\nREGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)\n"
                 "exec \"$@\"\n");
  };
  write_app("repo/");
  folder.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  const std::string repository = folder.path() + "/repo";
  REQUIRE(check(repository, {"."}, "DKR016") == std::set<Place>{{"DKR016", "scripts/docker-entrypoint.sh", 3}});
  // From the Dockerfile's folder the context is above the scan root: read up to the repository's root
  // and named from the current folder.
  const std::set<Place> from_folder{{"DKR016", "../../scripts/docker-entrypoint.sh", 3}};
  CHECK(check(repository + "/docker/web", {"Dockerfile"}, "DKR016") == from_folder);
  CHECK(check(repository + "/docker/web", {"."}, "DKR016") == from_folder);
  CHECK(check(repository + "/docker", {"../docker/web/Dockerfile"}, "DKR016") ==
        std::set<Place>{{"DKR016", "../scripts/docker-entrypoint.sh", 3}});
  // Typed as an absolute path, from outside the repository: the files are named by absolute paths too.
  CHECK(check(folder.path(), {repository + "/docker/web/Dockerfile"}, "DKR016") ==
        std::set<Place>{{"DKR016", repository + "/scripts/docker-entrypoint.sh", 3}});
  CHECK(check(folder.path(), {repository + "/scripts/docker-entrypoint.sh"}, "DKR016") ==
        std::set<Place>{{"DKR016", repository + "/scripts/docker-entrypoint.sh", 3}});

  // Nothing above the repository is read, nor above a scan root in no repository.
  write_app("plain/");
  CHECK(check(folder.path() + "/plain/docker/web", {"Dockerfile"}, "DKR016").empty());
  folder.write("outer/scripts/docker-entrypoint.sh", "#!/bin/sh\ncurl http://169.254.169.254/latest/meta-data/\n");
  folder.write("outer/inner/.git/HEAD", "ref: refs/heads/main\n");
  folder.write("outer/inner/docker/web/Dockerfile",
               "FROM ruby:3.3-slim\nCOPY scripts/docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\n");
  CHECK(check(folder.path() + "/outer/inner/docker/web", {"Dockerfile"}, "DKR016").empty());
}

TEST_CASE("cli: a CloudFormation template named .template given alone gets the XF findings a full run makes at it") {
  TemporaryFolder folder;
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  folder.write(".ebextensions/01-limits.config",
               "commands:\n  01_nofile:\n    command: echo \"* soft nofile 65536\" >> /etc/security/limits.conf\n");
  folder.write("Dockerfile", "FROM ruby:3.3-slim\nWORKDIR /app\nCOPY . .\nCMD [\"bundle\", \"exec\", \"puma\"]\n");
  // Its name says nothing of its format (a `.template` may be what an image copies): its text does.
  folder.write("deploy/web.template",
               "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  WebTask:\n    Type: AWS::ECS::TaskDefinition\n"
               "    Properties:\n      Family: web\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n"
               "      Cpu: \"512\"\n      Memory: \"1024\"\n      ContainerDefinitions:\n        - Name: web\n"
               "          Image: registry.example.com/web:1.4\n          Ulimits:\n            - Name: nofile\n"
               "              SoftLimit: 1024\n              HardLimit: 4096\n");
  std::set<Place> full = check(folder.path(), {"."}, "XF001");
  REQUIRE(full == std::set<Place>{{"XF001", "deploy/web.template", 15}});
  CHECK(check(folder.path(), {"deploy/web.template"}, "XF001") == full);
}

TEST_CASE("cli: a run in a folder of a repository reads the modules and charts its files refer to above it") {
  TemporaryFolder folder;
  folder.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  // Terraform: a root module in envs/prod calls ../../modules/service and reads ../../shared.
  folder.write("repo/modules/service/main.tf", "output \"family\" {\n  value = \"web\"\n}\n");
  folder.write("repo/shared/containers.json", "[{\"name\": \"web\", \"image\": \"web:1.4\"}]\n");
  folder.write("repo/envs/prod/main.tf",
               "module \"service\" {\n  source = \"../../modules/service\"\n}\n"
               "resource \"aws_ecs_task_definition\" \"web\" {\n  family = module.service.family\n"
               "  container_definitions = file(\"${path.module}/../../shared/containers.json\")\n}\n");
  // Helm: a chart whose library dependency lies beside it (file://../common).
  folder.write("repo/charts/common/Chart.yaml", "apiVersion: v2\nname: common\nversion: 1.0.0\ntype: library\n");
  folder.write("repo/charts/common/templates/_image.tpl",
               "{{- define \"common.image\" -}}\n{{ .Values.image.repository }}:{{ .Values.image.tag }}\n{{- end -}}\n");
  folder.write("repo/charts/web/Chart.yaml",
               "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: common\n    version: 1.x.x\n"
               "    repository: file://../common\n");
  folder.write("repo/charts/web/values.yaml", "image:\n  repository: registry.example.com/web\n  tag: latest\n");
  folder.write("repo/charts/web/templates/deployment.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n"
               "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
               "      containers:\n        - name: web\n          image: {{ include \"common.image\" . | quote }}\n");
  const std::string repository = folder.path() + "/repo";
  CHECK(check(repository + "/envs/prod", {"."}, "SL002").empty());
  CHECK(check(repository + "/charts/web", {"."}, "SL002,K8S011") ==
        std::set<Place>{{"K8S011", "templates/deployment.yaml", 14}});
  // The same folders copied out of the repository: what they refer to is not read.
  std::filesystem::remove_all(repository + "/.git");
  CHECK(check(repository + "/envs/prod", {"."}, "SL002").size() == 2);
  std::set<Place> alone = check(repository + "/charts/web", {"."}, "SL002,K8S011");
  CHECK(alone.contains({"SL002", "Chart.yaml", 5}));
  CHECK(!alone.contains({"K8S011", "templates/deployment.yaml", 14}));
}

TEST_CASE("cli: a finding inside a module above the scan root is reported at the module call, as from the root") {
  TemporaryFolder folder;
  folder.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  // A task definition built by a module: a run at the repository's root reports it at the call in
  // examples/web (the line the caller changes). So does a run in examples/web, whether the module
  // lies beside it (../../modules/service) or is the repository's root (../../, the layout of public
  // Terraform modules whose examples/ call them).
  const std::string module =
      "variable \"image\" {\n  type = string\n}\n"
      "resource \"aws_ecs_task_definition\" \"this\" {\n  family                   = \"web\"\n"
      "  requires_compatibilities = [\"FARGATE\"]\n  network_mode             = \"awsvpc\"\n"
      "  cpu                      = 256\n  memory                   = 512\n"
      "  container_definitions = jsonencode([{ name = \"web\", image = var.image, essential = true }])\n}\n";
  folder.write("repo/modules/service/main.tf", module);
  folder.write("repo/examples/web/main.tf",
               "module \"service\" {\n  source = \"../../modules/service\"\n  image  = \"acme/web:1.4\"\n}\n");
  const std::string repository = folder.path() + "/repo";
  REQUIRE(check(repository, {"."}, "ECS001").contains({"ECS001", "examples/web/main.tf", 1}));
  CHECK(check(repository + "/examples/web", {"."}, "ECS001") == std::set<Place>{{"ECS001", "main.tf", 1}});
  CHECK(check(repository + "/examples/web", {"main.tf"}, "ECS001") == std::set<Place>{{"ECS001", "main.tf", 1}});
  // Typed absolutely, from the repository's root and from outside it.
  const std::string typed = repository + "/examples/web/main.tf";
  CHECK(check(repository, {typed}, "ECS001") == std::set<Place>{{"ECS001", typed, 1}});
  CHECK(check(folder.path(), {typed}, "ECS001") == std::set<Place>{{"ECS001", typed, 1}});

  std::filesystem::remove_all(repository + "/modules");
  folder.write("repo/main.tf", module);
  folder.write("repo/examples/web/main.tf", "module \"service\" {\n  source = \"../../\"\n  image  = \"acme/web:1.4\"\n}\n");
  REQUIRE(check(repository, {"."}, "ECS001").contains({"ECS001", "examples/web/main.tf", 1}));
  CHECK(check(repository + "/examples/web", {"."}, "ECS001") == std::set<Place>{{"ECS001", "main.tf", 1}});
  CHECK(check(repository, {typed}, "ECS001") == std::set<Place>{{"ECS001", typed, 1}});
}

TEST_CASE("cli: a run inside .ebextensions or .platform reads its files as Elastic Beanstalk's") {
  // classify reads the folder from the path; from inside the folder the display path lacks it.
  TemporaryFolder folder;
  folder.write("app/.ebextensions/cron.config",
               "files:\n  \"/etc/cron.d/report\":\n    mode: \"000644\"\n    content: |\n"
               "      0 3 * * * root /usr/local/bin/report.sh\n");
  folder.write("app/.platform/hooks/postdeploy/01_cron.sh",
               "#!/bin/bash\necho \"*/5 * * * * root /usr/local/bin/sync.sh\" > /etc/cron.d/sync\n");
  const std::string app = folder.path() + "/app";
  REQUIRE(check(app, {"."}, "EB002") == std::set<Place>{{"EB002", ".ebextensions/cron.config", 5},
                                                        {"EB002", ".platform/hooks/postdeploy/01_cron.sh", 2}});
  // Named from the working directory, as typed.
  CHECK(check(app, {".ebextensions"}, "EB002") == std::set<Place>{{"EB002", ".ebextensions/cron.config", 5}});
  CHECK(check(app, {".platform"}, "EB002") == std::set<Place>{{"EB002", ".platform/hooks/postdeploy/01_cron.sh", 2}});
  CHECK(check(app + "/.ebextensions", {"."}, "EB002") == std::set<Place>{{"EB002", "cron.config", 5}});
  CHECK(check(app + "/.ebextensions", {"cron.config"}, "EB002") == std::set<Place>{{"EB002", "cron.config", 5}});
  CHECK(check(app + "/.platform/hooks/postdeploy", {"01_cron.sh"}, "EB002") ==
        std::set<Place>{{"EB002", "01_cron.sh", 2}});
  // Four folders down: a platform nginx config checked from its own folder.
  folder.write("app/.platform/nginx/conf.d/elasticbeanstalk/static.conf",
               "location /uploads/ {\n    alias /var/app/current/public/uploads/;\n}\n");
  CHECK(check(app + "/.platform/nginx/conf.d/elasticbeanstalk", {"."}, "EB006") ==
        std::set<Place>{{"EB006", "static.conf", 2}});
  // Only the folders EB reads: a .config file in a folder of another name stays unread.
  folder.write("app/config/cron.config", "files:\n  \"/etc/cron.d/x\":\n    content: \"* * * * * root x\"\n");
  CHECK(check(app + "/config", {"."}, "EB002").empty());
}

TEST_CASE("cli: a Dockerfile's bake file is read from its repository whatever folder the check starts from") {
  // A folder of clones: the repository's CI builds with `docker buildx bake -f tests/build.hcl`, whose
  // target gives the admin image the named context `base` (DKR011 must not call it base:latest).
  TemporaryFolder folder;
  folder.write("clones/mail/.git/HEAD", "ref: refs/heads/main\n");
  folder.write("clones/mail/core/base/Dockerfile", "FROM alpine:3.20\nRUN apk add --no-cache python3\n");
  folder.write("clones/mail/core/admin/Dockerfile", "FROM base\nCMD [\"python3\", \"-m\", \"admin\"]\n");
  folder.write("clones/mail/tests/build.hcl",
               "target \"base\" {\n  context = \"core/base/\"\n}\n"
               "target \"admin\" {\n  context = \"core/admin/\"\n  contexts = {\n    base = \"target:base\"\n  }\n}\n");
  const std::string repository = folder.path() + "/clones/mail";
  CHECK(check(repository, {"."}, "DKR011").empty());
  CHECK(check(repository, {"core/admin/Dockerfile"}, "DKR011").empty());
  CHECK(check(folder.path(), {"clones/mail/core/admin/Dockerfile"}, "DKR011").empty());
  CHECK(check(folder.path(), {"clones"}, "DKR011").empty());
  CHECK(check(folder.path() + "/clones", {"."}, "DKR011").empty());
  CHECK(check(folder.path(), {repository + "/core/admin/Dockerfile"}, "DKR011").empty());
  // Without the bake file, `base` is Docker Hub's base:latest from everywhere.
  std::filesystem::remove(repository + "/tests/build.hcl");
  CHECK(check(folder.path(), {"clones"}, "DKR011").size() == 1);
  CHECK(check(repository, {"."}, "DKR011").size() == 1);
}
