// Which editor documents go to the language server. Language ids cover files VS Code (or the
// Docker, HashiCorp Terraform and Kubernetes extensions) already recognise; file patterns cover
// the same files when no extension claims them (a .tf file is plain text without the Terraform
// extension) and the formats no language id describes (.ebextensions/*.config, Procfile).
// The server decides what each file is from its name and content and stays silent on the rest
// (a GitHub workflow .yaml, package.json), so a broad selector costs nothing but a message.
// No VS Code API here; package.json's activationEvents must agree (test/manifest.test.ts).

export interface DocumentFilter {
  scheme: 'file';
  language?: string;
  pattern?: string;
}

export const languageIds: readonly string[] = [
  'dockerfile',      // VS Code: Dockerfile, Containerfile, Dockerfile.*, *.dockerfile
  'yaml',            // CloudFormation templates, task definitions in YAML, charts, manifests
  'json',            // task definitions, Dockerrun.aws.json, CloudFormation JSON
  'terraform',       // HashiCorp Terraform extension: *.tf
  'terraform-vars',  // HashiCorp Terraform extension: *.tfvars
  'hcl',             // HCL extensions that claim *.tf
  'helm',            // Kubernetes extension: chart templates
];

export const filePatterns: readonly string[] = [
  '**/{Dockerfile,dockerfile,Containerfile,containerfile}',
  '**/{Dockerfile,dockerfile,Containerfile,containerfile}.*',
  '**/{Dockerfile,dockerfile,Containerfile,containerfile}{-,_}*',  // Dockerfile-alpine, Dockerfile_dev
  '**/*.{Dockerfile,dockerfile,Containerfile,containerfile}',
  '**/*.{tf,tfvars}',
  '**/*.tfvars.json',
  '**/*.{template,cfn}',
  '**/*.{yaml,yml}.{tmpl,tpl}',  // manifests a pipeline fills in with envsubst (*.yaml.template: above)
  '**/templates/**/*.{yaml,yml,tpl}',
  '**/.ebextensions/*.config',
  '**/.platform/**/*.sh',
  '**/Procfile',
  // What images commonly get from their build context, as the pre-commit hooks pass it
  // (.pre-commit-hooks.yaml): the server lints it with the Dockerfiles that copy it. A shell script
  // may also start ECS tasks (aws ecs run-task).
  '**/*.{sh,bash,conf,cnf,ini,cron}',
  '**/*{crontab,entrypoint}*',
];

// Only files on disk: the server reads a file's path for its kind, its configuration
// (.shiftlint.yaml upward) and its project; untitled buffers and diff views have none.
export const documentSelector: readonly DocumentFilter[] = [
  ...languageIds.map((language): DocumentFilter => ({ scheme: 'file', language })),
  ...filePatterns.map((pattern): DocumentFilter => ({ scheme: 'file', pattern })),
];
