#!/usr/bin/env bash
# Side by side with the HCL and YAML peers, same files, one run, ratios.
#
# Usage: bench/peers_bench.sh TF_DIR YAML_DIR [BINARY] [REPETITIONS]
#   TF_DIR    clones of public Terraform repositories (never committed); every .tf file under it.
#   YAML_DIR  a folder whose .yaml/.yml files are linted (e.g. a mixed corpus from generate_corpus.py).
#
# Terraform: @cdktf/hcl2json (HashiCorp's HCL parser as WebAssembly) parses every .tf file in-process,
# files in memory, best of REPETITIONS after a warm-up (bench/peers/hcl2json_peer.mjs): parse only.
# shiftlint's figure is the whole process on the same .tf files: start-up, reading, parsing, module
# evaluation, the infrastructure model, every rule, the JSON report.
# YAML: yamllint (the Debian package, default rules) and shiftlint, both whole processes, on the same
# list of YAML files. Times are the best of REPETITIONS by CPU (the machine is shared; CPU is what
# the code costs), with that run's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
tf_dir=${1:?TF_DIR} yaml_dir=${2:?YAML_DIR} binary=$(realpath "${3:-build/shiftlint}") repetitions=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[[ -d bench/peers/node_modules/@cdktf/hcl2json ]] || (cd bench/peers && npm ci --ignore-scripts >/dev/null)
find "$(realpath "$tf_dir")" -name .git -prune -o -name node_modules -prune -o -name '*.tf' -type f -print | sort >"$work/tf.list"
find "$(realpath "$yaml_dir")" -name .git -prune -o \( -name '*.yaml' -o -name '*.yml' \) -type f -print | sort >"$work/yaml.list"

measure() {  # best CPU of $repetitions runs of "$@": prints "wall_s cpu_s peak_rss_kb"
  local best="" wall user sys rss cpu
  for _ in $(seq "$repetitions"); do
    /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
    read -r wall user sys rss < <(tail -1 "$work/time")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
    if [[ -z $best ]] || awk -v a="$cpu" -v b="$(cut -d' ' -f2 <<<"$best")" 'BEGIN {exit !(a < b)}'; then best="$wall $cpu $rss"; fi
  done
  echo "$best"
}

bytes() { xargs -d '\n' stat -c %s <"$1" | awk '{s += $1} END {printf "%.1f", s / 1e6}'; }

echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | files | MB | wall (s) | CPU (s) | peak RSS (MB) | CPU ÷ peer |"
echo "|---|---|---|---|---|---|---|"

peer=$(node bench/peers/hcl2json_peer.mjs "$work/tf.list" "$repetitions")
peer_cpu=$(node -e 'const r = JSON.parse(process.argv[1]); console.log((r.best_cpu_ms / 1000).toFixed(2))' "$peer")
peer_wall=$(node -e 'const r = JSON.parse(process.argv[1]); console.log((r.best_ms / 1000).toFixed(2))' "$peer")
tf_files=$(wc -l <"$work/tf.list") tf_mb=$(bytes "$work/tf.list")
echo "| @cdktf/hcl2json $(node -p 'require("./bench/peers/node_modules/@cdktf/hcl2json/package.json").version'), parse only, in-process | $tf_files | $tf_mb | $peer_wall | $peer_cpu | – | 1.00 |"
for jobs in 1 2; do
  read -r wall cpu rss <<<"$(measure xargs -d '\n' -a "$work/tf.list" "$binary" check --jobs "$jobs" --fail-on never --format json --output /dev/null)"
  echo "| shiftlint --jobs $jobs, whole lint (whole process) | $tf_files | $tf_mb | $wall | $cpu | $((rss / 1024)) | **$(awk -v a="$cpu" -v b="$peer_cpu" 'BEGIN {printf "%.2f", a / b}')** |"
done

yaml_files=$(wc -l <"$work/yaml.list") yaml_mb=$(bytes "$work/yaml.list")
read -r ywall ycpu yrss <<<"$(measure xargs -d '\n' -a "$work/yaml.list" yamllint -f parsable)"
echo "| yamllint $(yamllint --version | cut -d' ' -f2), default rules (whole process) | $yaml_files | $yaml_mb | $ywall | $ycpu | $((yrss / 1024)) | 1.00 |"
for jobs in 1 2; do
  read -r wall cpu rss <<<"$(measure xargs -d '\n' -a "$work/yaml.list" "$binary" check --jobs "$jobs" --fail-on never --format json --output /dev/null)"
  echo "| shiftlint --jobs $jobs, whole lint (whole process) | $yaml_files | $yaml_mb | $wall | $cpu | $((rss / 1024)) | **$(awk -v a="$cpu" -v b="$ycpu" 'BEGIN {printf "%.2f", a / b}')** |"
done
