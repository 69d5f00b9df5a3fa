#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit itself (offline) in scratch
# repositories: a hazardous file blocks, a clean one passes, only the files shiftlint reads are
# passed, a changed Terraform file is linted with its module, a real `git commit` is blocked, a
# baseline written by a full run silences old findings in the hook, and the shiftlint-build hook
# runs the binary cached for its commit.
#
# Usage: hook_test.sh SOURCE_DIR SHIFTLINT_BINARY
set -euo pipefail

source_dir=$(cd "$1" && pwd)
binary=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (scripts/install-deps installs it)" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/shiftlint-pre-commit.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# Nothing from the user's own git or pre-commit setup may leak in (a global core.hooksPath makes
# `pre-commit install` refuse; a shared cache would hide what this test installs).
: >"$scratch/gitconfig"
export GIT_CONFIG_GLOBAL="$scratch/gitconfig" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=shiftlint-test GIT_AUTHOR_EMAIL=test@shiftlint.invalid
export GIT_COMMITTER_NAME=shiftlint-test GIT_COMMITTER_EMAIL=test@shiftlint.invalid
export PRE_COMMIT_HOME="$scratch/pre-commit-home" SHIFTLINT_CACHE_DIR="$scratch/shiftlint-cache"
unset PRE_COMMIT_COLOR NO_COLOR
export NO_COLOR=1
# The `shiftlint` hook finds the binary on PATH, as a user's install would provide it.
mkdir -p "$scratch/bin"
ln -s "$binary" "$scratch/bin/shiftlint"
base_path=$PATH
export PATH="$scratch/bin:$base_path"

failures=0
checks=0
pass() { checks=$((checks + 1)); echo "ok - $1"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $1"; sed 's/^/    | /' "$scratch/output" | head -n 60; }

# run NAME EXPECTED_STATUS COMMAND...: runs in the current folder, output in $scratch/output.
run() {
  local name=$1 expected=$2 status=0
  shift 2
  "$@" >"$scratch/output" 2>&1 || status=$?
  if [[ $expected == fail && $status != 0 ]] || [[ $expected == pass && $status == 0 ]]; then
    pass "$name (exit $status)"
  else
    fail "$name: expected the hook to $expected, exit status $status"
  fi
}
# expect_output NAME FIXED_STRING: the last run's output holds the string.
expect_output() {
  if grep -qF -- "$2" "$scratch/output"; then pass "$1"; else fail "$1: output lacks: $2"; fi
}
expect_no_output() {
  if grep -qF -- "$2" "$scratch/output"; then fail "$1: output has: $2"; else pass "$1"; fi
}

new_repo() {
  rm -rf "$scratch/repo"
  mkdir -p "$scratch/repo"
  cd "$scratch/repo"
  git init -q -b main
}

# try-repo runs the hook from the source tree (tracked files with their uncommitted edits).
try_hook() { pre-commit try-repo "$source_dir" "$@"; }

task_definition() {  # NAME [ULIMITS]: a Fargate task definition, with or without a nofile ulimit
  local ulimits=""
  [[ ${2:-} == with-ulimits ]] && ulimits='
      "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}],'
  cat <<EOF
{
  "family": "$1",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "$1",
      "image": "registry.example.com/storefront/$1:2024.06.3",
      "essential": true,$ulimits
      "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]
    }
  ]
}
EOF
}

# --- a hazardous task definition blocks, with the finding in the hook's output ---------------------
new_repo
mkdir ecs
task_definition web >ecs/web.json
git add ecs/web.json
run "hazardous task definition: the hook fails" fail try_hook shiftlint
expect_output "the finding names the file, line and column" \
  'ecs/web.json:8:5: warning: container "web" has no "nofile" ulimit'
expect_output "the finding names the rule" '[ECS001 nofile-ulimit-missing]'
expect_output "pre-commit reports the hook failed" '- exit code: 1'

# --- a hazardous Dockerfile blocks --------------------------------------------------------------------
new_repo
mkdir -p services/api
printf 'FROM debian:12-slim\nCOPPY app /srv/app\nCMD ["/srv/app/run"]\n' >services/api/Dockerfile
git add services/api/Dockerfile
run "hazardous Dockerfile: the hook fails" fail try_hook shiftlint
expect_output "the Dockerfile finding" \
  'services/api/Dockerfile:2:1: error: unknown instruction "COPPY": docker build fails on it; did you mean COPY? [DKR019 unknown-instruction]'

# --- clean files pass; files of other kinds are never passed ----------------------------------------
new_repo
mkdir ecs
task_definition web with-ulimits >ecs/web.json
printf 'FROM debian:12-slim\nCOPY app /srv/app\nCMD ["/srv/app/run"]\n' >Dockerfile
printf '{"name": "storefront", "version": "1.0.0"}\n' >package.json
printf '# storefront\n' >README.md
git add .
run "clean task definition and Dockerfile: the hook passes" pass try_hook shiftlint
expect_output "pre-commit shows it passed" 'shiftlint................................................................Passed'
new_repo
printf '# docs only\n' >README.md
printf 'COPPY is not an instruction\n' >notes.txt
git add .
run "no file of a known kind: the hook is skipped" pass try_hook shiftlint
expect_output "pre-commit shows it skipped" '(no files to check)Skipped'

# --- Terraform: a changed file is linted with the rest of its module ----------------------------------
new_repo
mkdir infra
cat >infra/main.tf <<'EOF'
resource "aws_ecs_task_definition" "worker" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([{
    name        = var.name
    image       = "registry.example.com/worker:1.4.2"
    essential   = true
    stopTimeout = var.stop_timeout
    ulimits     = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]
  }])
}
EOF
cat >infra/variables.tf <<'EOF'
terraform {
  backend "s3" {}
}

variable "name" {
  type = string
}

variable "stop_timeout" {
  type = number
}
EOF
printf 'name         = "invoice-worker"\nstop_timeout = 60\n' >infra/terraform.tfvars
git add infra
git commit -q -m "a clean module" --no-verify
run "a clean module, fully staged: passes" pass try_hook shiftlint --all-files
# Only main.tf changes: its variables live in variables.tf and terraform.tfvars, which the hook
# does not pass. Without them every var.* would be "not declared" (SL002) and the hook would fail.
sed -i 's/cpu                      = 512/cpu                      = 512 # two workers per task/' infra/main.tf
git add infra/main.tf
run "only main.tf staged: its variables are still read (no SL002 noise)" pass try_hook shiftlint
expect_no_output "no render-incomplete finding" 'SL002'
git commit -q -m "comment" --no-verify
# Only the values change, and they make the task definition in main.tf invalid on Fargate.
printf 'name         = "invoice-worker"\nstop_timeout = 300\n' >infra/terraform.tfvars
git add infra/terraform.tfvars
run "only terraform.tfvars staged: the hazard it creates in main.tf blocks" fail try_hook shiftlint
expect_output "the finding points at the value in terraform.tfvars, with the container name from main.tf" \
  'infra/terraform.tfvars:2:16: error: container "invoice-worker" has stopTimeout 300'
expect_output "the whole module was read" 'in 3 files.'

# --- Helm: a changed values.yaml is linted as its chart renders it ------------------------------------
new_repo
mkdir -p charts/web/templates
printf 'apiVersion: v2\nname: web\nversion: 1.0.0\n' >charts/web/Chart.yaml
printf 'image:\n  repository: registry.example.com/web\n  tag: "2.4.1"\n' >charts/web/values.yaml
cat >charts/web/templates/deployment.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
EOF
git add charts
git commit -q -m "a clean chart" --no-verify
run "a clean chart: passes" pass try_hook shiftlint --all-files
# Only values.yaml changes, to a mutable tag: the finding is in the template it renders into.
printf 'image:\n  repository: registry.example.com/web\n  tag: latest\n' >charts/web/values.yaml
git add charts/web/values.yaml
run "only values.yaml staged: the chart is rendered and the hazard blocks" fail try_hook shiftlint
expect_output "the finding is at the template line, from the staged values" \
  'charts/web/templates/deployment.yaml:14:18: warning: container "web" of Deployment "release-name" uses image "registry.example.com/web:latest"'

# --- kustomize: a changed base is judged by the overlays that deploy it, staged or not ---------------
new_repo
mkdir -p k8s/base k8s/overlays/production
cat >k8s/base/deployment.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  selector:
    matchLabels: {app: orders}
  template:
    metadata:
      labels: {app: orders}
    spec:
      containers:
        - name: orders
          image: registry.example.com/orders
EOF
printf 'resources:\n  - deployment.yaml\n' >k8s/base/kustomization.yaml
printf 'resources:\n  - ../../base\nimages:\n  - name: registry.example.com/orders\n    newTag: "4.2.0"\n' \
  >k8s/overlays/production/kustomization.yaml
git add k8s
git commit -q -m "a base its overlay pins" --no-verify
run "a base its overlay pins: passes" pass try_hook shiftlint --all-files
# Only the base changes (a new port): the overlay, not staged, still pins its untagged image.
sed -i 's|          image: registry.example.com/orders|&\n          ports: [{containerPort: 8080}]|' k8s/base/deployment.yaml
git add k8s/base/deployment.yaml
run "only the base staged: judged with the overlay around it, passes" pass try_hook shiftlint
# A new overlay that leaves the tag to the base (none) is staged alone: the base it deploys is not
# staged, so nothing is linted against it in this commit; the full run reports it.
git commit -q -m "a port" --no-verify
mkdir -p k8s/overlays/dev
printf 'resources:\n  - ../../base\n' >k8s/overlays/dev/kustomization.yaml
git add k8s/overlays/dev/kustomization.yaml
run "a new overlay staged alone: its kustomization is read, not linted" pass try_hook shiftlint
run "the full run reports the base the new overlay leaves untagged" fail try_hook shiftlint --all-files
expect_output "the finding names the overlay" 'k8s/overlays/dev/kustomization.yaml deploys it without pinning it'

# --- an app moved off Elastic Beanstalk: judged whole, whichever of its files a commit stages --------
new_repo
mkdir -p shop/.ebextensions infra/ecs
printf 'FROM ruby:3.3-slim\nWORKDIR /app\nCOPY . .\nCMD ["bundle", "exec", "puma"]\n' >shop/Dockerfile
# (EB003 says of any old-host limit that the container does not inherit it: known here, and silenced.)
printf '# shiftlint-ignore-file: EB003 -- infra/ecs/shop.json carries it\nfiles:\n  /etc/security/limits.d/90-webapp.conf:\n    mode: "000644"\n    content: |\n      webapp soft nofile 65536\n' \
  >shop/.ebextensions/01-limits.config
write_task_definition() {
  cat >infra/ecs/shop.json <<EOF
{
  "family": "shop",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "shop",
      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4",
      "essential": true$1
    }
  ]
}
EOF
}
write_task_definition ',
      "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}]'
git add shop infra
git commit -q -m "an app carried over" --no-verify
run "an app whose task definition keeps the old host's nofile: passes" pass try_hook shiftlint --all-files
# The image and the old host change; the task definition, not staged, still carries the limit.
printf 'FROM ruby:3.3-slim\nWORKDIR /srv\nCOPY . .\nCMD ["bundle", "exec", "puma"]\n' >shop/Dockerfile
printf '\n# raised for the checkout service\n' >>shop/.ebextensions/01-limits.config
git add shop
run "the image and the old host staged without the task definition: judged with it, passes" pass try_hook shiftlint
git commit -q -m "moved the app" --no-verify
# The task definition alone loses the limit: the hook reports it there.
write_task_definition ''
git add infra/ecs/shop.json
run "the task definition staged alone, without the old host's limit: blocks" fail try_hook shiftlint
expect_output "XF001 at the task definition" 'infra/ecs/shop.json:'
expect_output "the rule" '[XF001 ulimit-regression]'

# --- a file the image gets from its build context, staged alone ---------------------------------------
# The Dockerfile copies an entrypoint script; a commit that changes only the script is judged through
# the (unchanged) Dockerfile, as the full run judges it.
new_repo
mkdir -p web
printf 'FROM ruby:3.3-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["bundle", "exec", "puma"]\n' >web/Dockerfile
printf '#!/bin/sh\nset -e\nexec "$@"\n' >web/docker-entrypoint.sh
git add web
git commit -q -m "a web image" --no-verify
run "an image whose entrypoint script is clean: passes" pass try_hook shiftlint --all-files
printf '#!/bin/sh\nset -e\nexport AWS_REGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)\nexec "$@"\n' \
  >web/docker-entrypoint.sh
git add web/docker-entrypoint.sh
run "the entrypoint script staged alone, now asking the instance metadata service: blocks" fail try_hook shiftlint
expect_output "DKR016 at the script's line" 'web/docker-entrypoint.sh:3:'
expect_output "the rule" '[DKR016 image-instance-metadata-access]'

# --- installed in a repository: `git commit` is blocked, then allowed ---------------------------------
# The hook repository as a user pins it: a git URL (here a local clone) at a revision. The clone
# carries the working tree's hook files, so edits to them are tested before they are committed.
hook_repo="$scratch/hook-repo"
git clone -q --no-hardlinks "$source_dir" "$hook_repo"
for file in .pre-commit-hooks.yaml scripts/pre-commit-build-and-run; do
  mkdir -p "$hook_repo/$(dirname "$file")"
  cp -p "$source_dir/$file" "$hook_repo/$file"
done
git -C "$hook_repo" add .pre-commit-hooks.yaml scripts/pre-commit-build-and-run
git -C "$hook_repo" diff --cached --quiet || git -C "$hook_repo" commit -q -m "hook files from the working tree"
hook_rev=$(git -C "$hook_repo" rev-parse HEAD)

new_repo
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook_repo
    rev: $hook_rev
    hooks:
      - id: shiftlint
EOF
git add .pre-commit-config.yaml
git commit -q -m "pre-commit config" --no-verify
run "pre-commit install" pass pre-commit install
printf 'FROM debian:12-slim\nCOPPY app /srv/app\n' >Dockerfile
git add Dockerfile
run "git commit of a hazardous Dockerfile is blocked" fail git commit -q -m "add the Dockerfile"
expect_output "the commit output shows the finding" 'Dockerfile:2:1: error: unknown instruction "COPPY"'
if [[ $(git rev-list --count HEAD) == 1 ]]; then pass "no commit was made"; else fail "a commit was made"; fi
printf 'FROM debian:12-slim\nCOPY app /srv/app\n' >Dockerfile
git add Dockerfile
run "git commit of the fixed Dockerfile goes through" pass git commit -q -m "add the Dockerfile"
if [[ $(git rev-list --count HEAD) == 2 ]]; then pass "the commit was made"; else fail "no commit was made"; fi

# --- a baseline written by a full run applies to the files the hook passes ----------------------------
# Fingerprints hash the path as a run from the repository root shows it; the hook's run (files
# given one by one, from the root) must show the same paths, or the baseline would not match.
mkdir -p ecs/legacy
task_definition billing >ecs/legacy/billing.json
git add ecs/legacy/billing.json
git commit -q -m "legacy task definition" --no-verify
run "write the baseline with a full run" pass shiftlint check --write-baseline .shiftlint-baseline.json
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook_repo
    rev: $hook_rev
    hooks:
      - id: shiftlint
        args: [--baseline, .shiftlint-baseline.json]
EOF
git add .pre-commit-config.yaml .shiftlint-baseline.json
git commit -q -m "baseline" --no-verify
sed -i 's/"cpu": "512"/"cpu": "1024"/; s/"memory": "1024"/"memory": "2048"/' ecs/legacy/billing.json
git add ecs/legacy/billing.json
run "a commit editing the baselined file passes (its finding is in the baseline)" pass git commit -q -m "bigger billing"
task_definition orders >ecs/orders.json
git add ecs/orders.json
run "a new finding still blocks" fail git commit -q -m "orders"
expect_output "the new file's finding is reported" 'ecs/orders.json:8:5: warning: container "orders" has no "nofile" ulimit'
git rm -q --cached ecs/orders.json
rm ecs/orders.json

# --- args: [--fix] (the README's snippet): the hook fixes the file, the commit stops for review --------
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook_repo
    rev: $hook_rev
    hooks:
      - id: shiftlint
        args: [--fix]
EOF
git add .pre-commit-config.yaml
git commit -q -m "shiftlint fixes in the hook" --no-verify
task_definition payments >ecs/payments.json
git add ecs/payments.json
run "--fix: the commit of a fixable file stops, the hook changed it" fail git commit -q -m "payments"
expect_output "pre-commit says the hook modified files" 'files were modified by this hook'
expect_output "shiftlint says what it fixed" 'Fixed 1 finding (1 file); 0 remaining'
if grep -qF '"ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]' ecs/payments.json; then
  pass "the fix is in the working tree"
else
  fail "the fix is not in the working tree"
fi
git add ecs/payments.json
run "--fix: after staging the fix, the commit goes through" pass git commit -q -m "payments"

# --- shiftlint-build runs the binary built for its revision -------------------------------------------
# A real build takes minutes (tests/CMakeLists.txt registers it as the slow test
# pre_commit_build_hook_builds). Here the cache already holds the build of this revision: the hook
# must find it by the commit, never look for shiftlint on PATH, and never run cmake.
mkdir -p "$SHIFTLINT_CACHE_DIR/build-$hook_rev" "$scratch/no-cmake"
cp "$binary" "$SHIFTLINT_CACHE_DIR/build-$hook_rev/shiftlint"
touch "$SHIFTLINT_CACHE_DIR/build-$hook_rev/.shiftlint-built"
printf '#!/bin/sh\necho "cmake must not run: the build is cached" >&2\nexit 3\n' >"$scratch/no-cmake/cmake"
chmod +x "$scratch/no-cmake/cmake"
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook_repo
    rev: $hook_rev
    hooks:
      - id: shiftlint-build
EOF
git add .pre-commit-config.yaml
git commit -q -m "use shiftlint-build" --no-verify
task_definition orders >ecs/orders.json
git add ecs/orders.json
run "shiftlint-build: a hazardous file is blocked by the cached build" fail \
  env PATH="$scratch/no-cmake:$base_path" git commit -q -m "orders"
expect_output "shiftlint-build reports the finding" 'ecs/orders.json:8:5: warning: container "orders" has no "nofile" ulimit'
expect_no_output "shiftlint-build did not build" 'cmake must not run'
task_definition orders with-ulimits >ecs/orders.json
git add ecs/orders.json
run "shiftlint-build: the fixed file is committed" pass env PATH="$scratch/no-cmake:$base_path" git commit -q -m "orders"

echo "$checks checks, $failures failed"
((failures == 0))
