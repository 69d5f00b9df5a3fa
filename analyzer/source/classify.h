#pragma once
// Decides what a file is from its name and, where the name is not enough, a sniff of its content.
// Files of no known kind are skipped silently.
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint {

enum class FileKind {
  Unknown,
  EcsTaskDefinitionJson,  // register/describe task definition JSON, container lists, Dockerrun v2
  CloudFormationJson,
  CloudFormationYaml,
  Dockerfile,  // Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile, Containerfile.* (by name only)
  Terraform,           // *.tf: linted per module (folder) by the Terraform phase, not per file
  TerraformVariables,  // *.tfvars, *.tfvars.json: values for a module's variables
  KubernetesManifest,  // YAML with apiVersion + kind documents (not a Helm chart's templates/)
  KubernetesManifestJson,  // *.json holding a Kubernetes object or List (`kubectl get -o json`)
  HelmValues,          // values*.yaml beside a Chart.yaml
  // --- running tasks and infrastructure outside Terraform (model/aws/extract.h) ---
  EcsServiceDefinitionJson,  // create-service / update-service input, ecspresso ecs-service-def.json
  StepFunctionsJson,         // an Amazon States Language definition
  StepFunctionsYaml,
  TerraformPlanJson,         // `terraform show -json` output
  RunTaskScript,             // a shell script (*.sh, *.bash) that calls `aws ecs run-task`
  EcspressoConfigYaml,       // ecspresso.yml: links an app's service definition and task definition files
  EcspressoConfigJson,       // ecspresso.json
  ScheduledTargetsJson,      // `aws events put-targets` / `aws scheduler create-schedule` --cli-input-json
  // --- Elastic Beanstalk source bundles (model/eb/bundle_file.h) ---
  ElasticBeanstalkConfigYaml,  // .ebextensions/*.config written in YAML
  ElasticBeanstalkConfigJson,  // .ebextensions/*.config written in JSON
  ElasticBeanstalkHook,        // any file under .platform/hooks/ or .platform/confighooks/
  ElasticBeanstalkNginx,       // .platform/nginx/** and .ebextensions/nginx/** (*.conf, nginx.conf)
  ElasticBeanstalkWorkerCron,  // cron.yaml of a worker environment (`version: 1`, `cron:`)
  Procfile,                    // Procfile (by name)
  Buildfile,                   // Buildfile (by name)
};

// Shell: scripts; Nginx: nginx configuration; ProcessList: `name: command` lines.
enum class Syntax { None, Json, Yaml, Dockerfile, Hcl, Shell, Nginx, ProcessList };

Syntax syntax_of(FileKind kind);
// A Kubernetes manifest, written in YAML or JSON.
inline bool is_kubernetes_manifest(FileKind kind) {
  return kind == FileKind::KubernetesManifest || kind == FileKind::KubernetesManifestJson;
}
// How line comments start in this kind of file (for inline suppressions); empty when it has none.
std::vector<std::string> comment_markers(FileKind kind);
// Whether a comment can end a line of content. In a Dockerfile only whole lines are comments: a `#`
// after an instruction is part of its arguments (shell text), so suppressions there do not count.
bool has_end_of_line_comments(FileKind kind);
std::string_view to_string(FileKind kind);

// Terraform files (.tf, .tfvars, .tfvars.json): the Terraform phase reads them, module by module.
bool is_terraform_name(std::string_view file_name);

// Whether a file with this name could be of a known kind: only those are read at all.
bool is_candidate_name(std::string_view file_name);
// What images commonly get from their build context (scripts, crontabs, *.conf, *.cnf, *.ini and
// *.cron files, entrypoints): the names the pre-commit hooks pass (.pre-commit-hooks.yaml) and the
// editor sends (vscode-ext/src/documentSelector.ts) to be judged through the Dockerfiles that copy
// them. The three lists are checked against tests/build_context_names.txt.
bool is_build_context_name(std::string_view path);
// `head` is the start of the file (the first 64 KiB is plenty): enough to sniff its kind.
FileKind classify(std::string_view display_path, std::string_view head);
// The path `classify` should read for a file: `display_path`, with the folders above the scan root
// that make an Elastic Beanstalk file what it is (`.ebextensions/`, `.platform/hooks/prebuild/`)
// when the run is inside one of them (`cd .ebextensions && shiftlint check .`, `check .platform`),
// read from `path_on_disk`.
std::string classification_path(std::string_view display_path, std::string_view path_on_disk);
// What the file's place on disk says on top of `classify`: a manifest inside a Helm chart's
// templates/ is a template (the chart renderer reads it), and a values file counts only beside a
// Chart.yaml. Returns Unknown for files to skip.
FileKind refine_by_location(FileKind kind, std::string_view path_on_disk);

}  // namespace shiftlint
