#include "analyzer/source/classify.h"

#include "analyzer/source/ascii_case.h"
#include "analyzer/source/kubernetes_manifest.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace shiftlint {

namespace {
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

// The first character that is not white space (after an optional BOM).
char first_significant(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) return c;
  return 0;
}

bool is_json_name(std::string_view name) { return ends_with(name, ".json"); }
bool is_yaml_name(std::string_view name) {
  return ends_with(name, ".yaml") || ends_with(name, ".yml");
}
bool is_template_name(std::string_view name) {
  return ends_with(name, ".template") || ends_with(name, ".cfn");
}
// `deployment.yaml.template`, `service.yml.tmpl`: manifests a pipeline fills in with envsubst or
// sed before `kubectl apply` (common where deployments moved off VMs onto scripts and CI).
bool is_yaml_template_name(std::string_view name) {
  for (std::string_view suffix : {".yaml.template", ".yml.template", ".yaml.tmpl", ".yml.tmpl", ".yaml.tpl", ".yml.tpl"})
    if (ends_with(name, suffix)) return true;
  return false;
}

// Dockerfiles by name, as Docker tools and editors recognise them: `Dockerfile`, `Dockerfile.prod`,
// `web.Dockerfile`, `Containerfile` (Podman, Buildah), any case; also `Dockerfile-alpine` and
// `Dockerfile_dev`, a naming many repositories use for variants. Not the names of files that go with
// them: `Dockerfile.dockerignore`, templates rendered into a Dockerfile (`Dockerfile.j2`,
// `Dockerfile.template`), editor backups, or JSON/YAML that merely starts with the name.
bool is_dockerfile_name(std::string_view name) {
  auto extension = [&](std::string_view stem) -> std::optional<std::string_view> {
    if (name == stem) return std::string_view();
    if (name.size() > stem.size() + 1 && name.substr(0, stem.size()) == stem &&
        (name[stem.size()] == '.' || name[stem.size()] == '-' || name[stem.size()] == '_'))
      return name.substr(stem.size() + 1);
    return std::nullopt;
  };
  std::optional<std::string_view> suffix = extension("dockerfile");
  if (!suffix) suffix = extension("containerfile");
  if (!suffix) return ends_with(name, ".dockerfile") && name.size() > 11;
  if (suffix->empty()) return true;  // the plain name, by far the most common: no excluded suffix
  for (std::string_view excluded : {"dockerignore", "template", "tmpl", "tpl", "j2", "jinja", "jinja2", "erb",
                                    "mustache", "hbs", "in", "m4", "ncl", "jsonnet", "libsonnet", "cue", "nix",
                                    "bak", "orig", "swp", "json", "yaml", "yml", "toml", "md", "txt", "rst",
                                    // source code about Dockerfiles: dockerfile.go, dockerfile.py, and
                                    // TeamCity's image generator's Model/Dockerfile.cs
                                    "go", "py", "rb", "js", "ts", "java", "rs", "sh", "ps1", "tf", "lock",
                                    "cs", "fs", "vb", "kt", "kts", "swift", "scala", "groovy", "gradle", "dart",
                                    "c", "h", "cc", "cpp", "cxx", "hpp", "php", "pl", "pm", "lua", "exs", "erl",
                                    "hs", "clj", "jl", "mjs", "cjs", "jsx", "tsx", "vue", "bash", "zsh", "fish",
                                    "bat", "psm1", "sql", "xml", "html", "htm", "css", "scss", "ini", "cfg",
                                    "properties", "csv", "log", "diff", "patch", "gz", "tgz", "zip", "tar"})
    if (*suffix == excluded || (suffix->size() > excluded.size() && ends_with(*suffix, excluded) &&
                                (*suffix)[suffix->size() - excluded.size() - 1] == '.'))
      return false;
  return !ends_with(name, "~");
}

bool is_shell_script_name(std::string_view name) { return ends_with(name, ".sh") || ends_with(name, ".bash"); }

// Keys an ECS service definition (create-service input, ecspresso's ecs-service-def.json) carries.
bool has_service_definition_keys(std::string_view head) {
  int hits = 0;
  for (std::string_view key : {"\"launchType\"", "\"desiredCount\"", "\"deploymentController\"",
                               "\"deploymentConfiguration\"", "\"loadBalancers\"", "\"networkConfiguration\"",
                               "\"capacityProviderStrategy\"", "\"schedulingStrategy\"", "\"platformVersion\"",
                               "\"serviceName\"", "\"serviceRegistries\""})
    if (contains(head, key)) ++hits;
  return hits >= 2;
}

// An ecspresso config names the app's task definition and service definition files (`ecspresso
// init` writes ecspresso.yml; any name can be passed with --config). ecs-cli's ecs-params.yml has a
// `task_definition:` section too, but no `service_definition`.
bool looks_like_ecspresso_config(std::string_view name, std::string_view head, bool yaml) {
  auto top_level_key = [&](std::string_view key) {
    std::string yaml_key = std::string(key) + ":";
    if (!yaml) return contains(head, "\"" + std::string(key) + "\"");
    return head.rfind(yaml_key, 0) == 0 || contains(head, "\n" + yaml_key);
  };
  if (!top_level_key("task_definition") && !top_level_key("service_definition")) return false;
  // A Terraform plan's aws_ecs_service has a "task_definition" attribute: the plan is read as a plan.
  if (!yaml && contains(head, "\"format_version\"")) return false;
  return name.rfind("ecspresso.", 0) == 0 || (top_level_key("task_definition") && top_level_key("service_definition"));
}

// --- Elastic Beanstalk source bundles ---
// The path below a folder named `folder` (".platform/" → "hooks/predeploy/x.sh"), or nullopt.
std::optional<std::string_view> below_folder(std::string_view path, std::string_view folder) {
  for (size_t at = path.find(folder); at != std::string_view::npos; at = path.find(folder, at + 1))
    if (at == 0 || path[at - 1] == '/') return path.substr(at + folder.size());
  return std::nullopt;
}

// EB reads only `.config` files directly in `.ebextensions/`; its sub-folders hold files those
// configs copy (and nginx configs on the Amazon Linux AMI platforms).
FileKind elastic_beanstalk_kind(std::string_view path, std::string_view name, std::string_view head) {
  if (auto inside = below_folder(path, ".ebextensions/")) {
    if (inside->find('/') == std::string_view::npos && ends_with(name, ".config"))
      return first_significant(head) == '{' ? FileKind::ElasticBeanstalkConfigJson : FileKind::ElasticBeanstalkConfigYaml;
    if (inside->starts_with("nginx/") && (ends_with(name, ".conf") || name == "nginx.conf"))
      return FileKind::ElasticBeanstalkNginx;
  }
  if (auto inside = below_folder(path, ".platform/")) {
    if (inside->starts_with("hooks/") || inside->starts_with("confighooks/")) return FileKind::ElasticBeanstalkHook;
    if (inside->starts_with("nginx/") && ends_with(name, ".conf")) return FileKind::ElasticBeanstalkNginx;
  }
  if (name == "procfile") return FileKind::Procfile;
  if (name == "buildfile") return FileKind::Buildfile;
  // cron.yaml is a common name (Google App Engine has one too): EB's carries `version: 1`.
  if (name == "cron.yaml" && contains(head, "cron:") && contains(head, "version:") && contains(head, "schedule:"))
    return FileKind::ElasticBeanstalkWorkerCron;
  return FileKind::Unknown;
}

bool is_elastic_beanstalk_name(std::string_view path, std::string_view name) {
  return (below_folder(path, ".ebextensions/") && (ends_with(name, ".config") || ends_with(name, ".conf"))) ||
         below_folder(path, ".platform/") || name == "procfile" || name == "buildfile";
}
// --- end Elastic Beanstalk ---

// Keys that only ECS container definitions carry together with "image".
bool has_container_definition_keys(std::string_view head) {
  int hits = 0;
  for (std::string_view key : {"\"essential\"", "\"portMappings\"", "\"logConfiguration\"",
                               "\"memoryReservation\"", "\"containerPort\"", "\"mountPoints\"",
                               "\"entryPoint\"", "\"environment\""})
    if (contains(head, key)) ++hits;
  return hits >= 2;
}
}  // namespace

std::string classification_path(std::string_view display_path, std::string_view path_on_disk) {
  if (display_path.empty() || display_path.front() == '/' || display_path.starts_with("../") ||
      below_folder(display_path, ".ebextensions/") || below_folder(display_path, ".platform/"))
    return std::string(display_path);
  if (path_on_disk.size() <= display_path.size() || !path_on_disk.ends_with(display_path) ||
      path_on_disk[path_on_disk.size() - display_path.size() - 1] != '/')
    return std::string(display_path);
  std::string_view above = path_on_disk.substr(0, path_on_disk.size() - display_path.size() - 1);
  // The EB folder is at most four folders up (.platform/nginx/conf.d/elasticbeanstalk/).
  for (int level = 0; level < 4 && !above.empty(); ++level) {
    size_t slash = above.rfind('/');
    std::string_view folder = slash == std::string_view::npos ? above : above.substr(slash + 1);
    if (folder == ".ebextensions" || folder == ".platform") {
      size_t begin = folder.data() - path_on_disk.data();
      return std::string(path_on_disk.substr(begin));
    }
    if (slash == std::string_view::npos) break;
    above = above.substr(0, slash);
  }
  return std::string(display_path);
}

Syntax syntax_of(FileKind kind) {
  switch (kind) {
    case FileKind::EcsTaskDefinitionJson:
    case FileKind::KubernetesManifestJson:
    case FileKind::CloudFormationJson: return Syntax::Json;
    case FileKind::CloudFormationYaml:
    case FileKind::KubernetesManifest:
    case FileKind::HelmValues: return Syntax::Yaml;
    case FileKind::Dockerfile: return Syntax::Dockerfile;
    case FileKind::Terraform:
    case FileKind::TerraformVariables: return Syntax::Hcl;
    case FileKind::EcsServiceDefinitionJson:
    case FileKind::StepFunctionsJson:
    case FileKind::TerraformPlanJson: return Syntax::Json;
    case FileKind::StepFunctionsYaml: return Syntax::Yaml;
    case FileKind::RunTaskScript: return Syntax::Shell;
    case FileKind::EcspressoConfigYaml: return Syntax::Yaml;
    case FileKind::EcspressoConfigJson:
    case FileKind::ScheduledTargetsJson: return Syntax::Json;
    case FileKind::ElasticBeanstalkConfigYaml:
    case FileKind::ElasticBeanstalkWorkerCron: return Syntax::Yaml;
    case FileKind::ElasticBeanstalkConfigJson: return Syntax::Json;
    case FileKind::ElasticBeanstalkHook: return Syntax::Shell;
    case FileKind::ElasticBeanstalkNginx: return Syntax::Nginx;
    case FileKind::Procfile:
    case FileKind::Buildfile: return Syntax::ProcessList;
    case FileKind::Unknown: return Syntax::None;
  }
  return Syntax::None;
}

std::vector<std::string> comment_markers(FileKind kind) {
  switch (syntax_of(kind)) {
    case Syntax::Yaml:
    case Syntax::Dockerfile:
    case Syntax::Shell:
    case Syntax::Nginx:
    case Syntax::ProcessList: return {"#"};
    case Syntax::Hcl: return {"#", "//"};
    case Syntax::Json:
    case Syntax::None: return {};
  }
  return {};
}

bool has_end_of_line_comments(FileKind kind) { return syntax_of(kind) != Syntax::Dockerfile; }

std::string_view to_string(FileKind kind) {
  switch (kind) {
    case FileKind::Unknown: return "unknown";
    case FileKind::EcsTaskDefinitionJson: return "ECS task definition (JSON)";
    case FileKind::CloudFormationJson: return "CloudFormation template (JSON)";
    case FileKind::CloudFormationYaml: return "CloudFormation template (YAML)";
    case FileKind::Dockerfile: return "Dockerfile";
    case FileKind::Terraform: return "Terraform configuration";
    case FileKind::TerraformVariables: return "Terraform variables";
    case FileKind::KubernetesManifest: return "Kubernetes manifest";
    case FileKind::KubernetesManifestJson: return "Kubernetes manifest (JSON)";
    case FileKind::HelmValues: return "Helm values file";
    case FileKind::EcsServiceDefinitionJson: return "ECS service definition (JSON)";
    case FileKind::StepFunctionsJson: return "Step Functions state machine (JSON)";
    case FileKind::StepFunctionsYaml: return "Step Functions state machine (YAML)";
    case FileKind::TerraformPlanJson: return "Terraform plan (JSON)";
    case FileKind::RunTaskScript: return "shell script running ECS tasks";
    case FileKind::EcspressoConfigYaml: return "ecspresso configuration (YAML)";
    case FileKind::EcspressoConfigJson: return "ecspresso configuration (JSON)";
    case FileKind::ScheduledTargetsJson: return "EventBridge targets or schedule input (JSON)";
    case FileKind::ElasticBeanstalkConfigYaml: return "Elastic Beanstalk configuration file (YAML)";
    case FileKind::ElasticBeanstalkConfigJson: return "Elastic Beanstalk configuration file (JSON)";
    case FileKind::ElasticBeanstalkHook: return "Elastic Beanstalk platform hook";
    case FileKind::ElasticBeanstalkNginx: return "Elastic Beanstalk nginx configuration";
    case FileKind::ElasticBeanstalkWorkerCron: return "Elastic Beanstalk cron.yaml";
    case FileKind::Procfile: return "Procfile";
    case FileKind::Buildfile: return "Buildfile";
  }
  return "unknown";
}

bool is_terraform_name(std::string_view file_name) {
  std::string name = to_lower_ascii(base_name(file_name));
  return ends_with(name, ".tf") || ends_with(name, ".tfvars") || ends_with(name, ".tfvars.json");
}

bool is_candidate_name(std::string_view file_name) {
  std::string name = to_lower_ascii(base_name(file_name));
  return is_json_name(name) || is_yaml_name(name) || is_template_name(name) || is_yaml_template_name(name) ||
         is_dockerfile_name(name) ||
         is_terraform_name(name) || is_shell_script_name(name) || is_elastic_beanstalk_name(file_name, name);
}

bool is_build_context_name(std::string_view path) {
  std::string name = to_lower_ascii(base_name(path));
  for (std::string_view suffix : {".sh", ".bash", ".conf", ".cnf", ".ini", ".cron"})
    if (name.size() > suffix.size() && ends_with(name, suffix)) return true;
  return contains(name, "crontab") || contains(name, "entrypoint");
}

FileKind classify(std::string_view display_path, std::string_view head) {
  std::string name = to_lower_ascii(base_name(display_path));
  if (is_dockerfile_name(name)) return FileKind::Dockerfile;
  if (ends_with(name, ".tf")) return FileKind::Terraform;
  if (ends_with(name, ".tfvars") || ends_with(name, ".tfvars.json")) return FileKind::TerraformVariables;
  if (FileKind eb = elastic_beanstalk_kind(display_path, name, head); eb != FileKind::Unknown) return eb;
  // Shell scripts are read for the ECS tasks they start (model/aws/shell_run_task.h).
  if (is_shell_script_name(name)) return contains(head, "run-task") ? FileKind::RunTaskScript : FileKind::Unknown;
  bool json_name = is_json_name(name);
  bool yaml_name = is_yaml_name(name);
  bool template_name = is_template_name(name);
  if (is_yaml_template_name(name)) {
    // Placeholders such as ${IMAGE} leave valid YAML; Go or Jinja templates ({{ }}, {% %}) do not,
    // so those are not read (their text is not the manifest that is applied).
    bool go_or_jinja = contains(head, "{{") || contains(head, "{%");
    if (!go_or_jinja && !contains(head, "AWSTemplateFormatVersion") && looks_like_kubernetes_yaml(head))
      return FileKind::KubernetesManifest;
  }
  if (!json_name && !yaml_name && !template_name) return FileKind::Unknown;
  char first = first_significant(head);

  if (yaml_name && is_helm_values_name(name)) return FileKind::HelmValues;
  if (yaml_name && !contains(head, "AWSTemplateFormatVersion") && looks_like_kubernetes_yaml(head))
    return FileKind::KubernetesManifest;
  if (json_name && looks_like_kubernetes_json(head)) return FileKind::KubernetesManifestJson;

  // --- running tasks and infrastructure outside Terraform ---
  if (yaml_name && contains(head, "StartAt:") && contains(head, "States:")) return FileKind::StepFunctionsYaml;
  if ((yaml_name || json_name) && looks_like_ecspresso_config(name, head, yaml_name))
    return yaml_name ? FileKind::EcspressoConfigYaml : FileKind::EcspressoConfigJson;
  // --- end running tasks ---
  bool cloudformation = contains(head, "AWSTemplateFormatVersion") ||
                        (contains(head, "AWS::") && contains(head, "Resources"));
  if (cloudformation) {
    if (json_name || (template_name && first == '{')) return FileKind::CloudFormationJson;
    return FileKind::CloudFormationYaml;
  }
  if (!json_name) return FileKind::Unknown;

  if (first == '{' && contains(head, "\"format_version\"") &&  // `terraform show -json` (running tasks)
      (contains(head, "\"planned_values\"") || contains(head, "\"root_module\"")))
    return FileKind::TerraformPlanJson;
  if (name == "dockerrun.aws.json") return FileKind::EcsTaskDefinitionJson;
  if (contains(head, "\"containerDefinitions\"") || contains(head, "\"taskDefinition\""))
    return FileKind::EcsTaskDefinitionJson;
  if (first == '[' && contains(head, "\"image\"") && contains(head, "\"name\"")) {
    bool named_for_it = contains(name, "container") || contains(name, "task") || contains(name, "ecs");
    if (named_for_it || has_container_definition_keys(head)) return FileKind::EcsTaskDefinitionJson;
  }
  // --- running tasks and infrastructure outside Terraform ---
  if (first == '{' && contains(head, "\"StartAt\"") && contains(head, "\"States\"")) return FileKind::StepFunctionsJson;
  if (first == '{' && has_service_definition_keys(head)) return FileKind::EcsServiceDefinitionJson;
  // The input of `aws events put-targets` ("Rule", "Targets") or `aws scheduler create-schedule`
  // ("ScheduleExpression", "Target") that starts an ECS task.
  if (first == '{' && contains(head, "\"EcsParameters\"") &&
      ((contains(head, "\"Rule\"") && contains(head, "\"Targets\"")) ||
       (contains(head, "\"ScheduleExpression\"") && contains(head, "\"Target\""))))
    return FileKind::ScheduledTargetsJson;
  // --- end running tasks ---
  return FileKind::Unknown;
}

FileKind refine_by_location(FileKind kind, std::string_view path_on_disk) {
  if (is_kubernetes_manifest(kind) && in_helm_chart_templates(path_on_disk)) return FileKind::Unknown;
  if (kind == FileKind::HelmValues && !beside_helm_chart(path_on_disk)) return FileKind::Unknown;
  return kind;
}

}  // namespace shiftlint
