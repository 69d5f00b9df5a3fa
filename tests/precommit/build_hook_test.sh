#!/usr/bin/env bash
# The shiftlint-build hook's first use for real: with an empty cache and no shiftlint on PATH, a
# commit builds shiftlint from the hook repository (minutes), is blocked by a hazardous task
# definition, and the next commit reuses the build (no cmake, about a second).
# Registered only with -DSHIFTLINT_SLOW_TESTS=ON. Usage: build_hook_test.sh SOURCE_DIR
set -euo pipefail

source_dir=$(cd "$1" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/shiftlint-build-hook.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
: >"$scratch/gitconfig"
export GIT_CONFIG_GLOBAL="$scratch/gitconfig" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=shiftlint-test GIT_AUTHOR_EMAIL=test@shiftlint.invalid
export GIT_COMMITTER_NAME=shiftlint-test GIT_COMMITTER_EMAIL=test@shiftlint.invalid
export PRE_COMMIT_HOME="$scratch/pre-commit-home" SHIFTLINT_CACHE_DIR="$scratch/shiftlint-cache"
export NO_COLOR=1
if command -v shiftlint >/dev/null; then
  # The hook must not need it: hide it.
  PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$(dirname "$(command -v shiftlint)")" | paste -sd:)
fi

hook_repo="$scratch/hook-repo"
git clone -q --no-hardlinks "$source_dir" "$hook_repo"
for file in .pre-commit-hooks.yaml scripts/pre-commit-build-and-run; do cp -p "$source_dir/$file" "$hook_repo/$file"; done
git -C "$hook_repo" add .pre-commit-hooks.yaml scripts/pre-commit-build-and-run
git -C "$hook_repo" diff --cached --quiet || git -C "$hook_repo" commit -q -m "hook files from the working tree"
hook_rev=$(git -C "$hook_repo" rev-parse HEAD)

mkdir "$scratch/repo"
cd "$scratch/repo"
git init -q -b main
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook_repo
    rev: $hook_rev
    hooks:
      - id: shiftlint-build
EOF
git add .pre-commit-config.yaml
git commit -q -m "config" --no-verify
pre-commit install >/dev/null

printf '[{"name": "web", "image": "nginx:1.27.0", "essential": true, "portMappings": [{"containerPort": 80}]}]\n' >containers.json
git add containers.json
started=$(date +%s)
status=0
git commit -q -m "web" >"$scratch/first.txt" 2>&1 || status=$?
first=$(( $(date +%s) - started ))
cat "$scratch/first.txt"
[[ $status != 0 ]] || { echo "FAIL: the first commit was not blocked"; exit 1; }
grep -qF 'building shiftlint into' "$scratch/first.txt" || { echo "FAIL: no build on first use"; exit 1; }
grep -qF '[ECS001 nofile-ulimit-missing]' "$scratch/first.txt" || { echo "FAIL: no finding"; exit 1; }
[[ -x $SHIFTLINT_CACHE_DIR/build-$hook_rev/shiftlint ]] || { echo "FAIL: no binary in the cache for $hook_rev"; exit 1; }

printf '[{"name": "web", "image": "nginx:1.27.0", "essential": true, "portMappings": [{"containerPort": 80}], "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]}]\n' >containers.json
git add containers.json
started=$(date +%s)
git commit -q -m "web" >"$scratch/second.txt" 2>&1 || { cat "$scratch/second.txt"; echo "FAIL: the fixed file was blocked"; exit 1; }
second=$(( $(date +%s) - started ))
if grep -qF 'building shiftlint into' "$scratch/second.txt"; then echo "FAIL: built again"; exit 1; fi
echo "ok: first commit (build + lint) ${first} s, second commit (cached) ${second} s"
