#!/usr/bin/env bash
# Helm chart corpus benchmark: render and lint N real charts in one `shiftlint check` run.
#
# Usage: bench/helm_charts_bench.sh DIR [BINARY] [N]
#   DIR     a folder of chart collections (clones of public repositories, never committed), e.g.
#           bitnami/charts, prometheus-community/helm-charts and grafana/helm-charts side by side.
#   BINARY  the shiftlint executable (default build/shiftlint; build it in Release).
#   N       how many application charts (default 100): the first N folders with a Chart.yaml in
#           path order that are neither subcharts (inside another chart's charts/) nor libraries.
# Environment: REPETITIONS (default 3).
#
# Each run is the whole process under /usr/bin/time: discovery, chart loading (subcharts, .tgz,
# sibling dependencies), rendering every template, parsing the rendered YAML, the Kubernetes rules
# on the manifests and on values.yaml, the JSON report. Prints the best wall time, its CPU time, the
# peak RSS, and what the last run found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: bench/helm_charts_bench.sh DIR [BINARY] [N]}
binary=${2:-$here/../build/shiftlint}
count=${3:-100}
repetitions=${REPETITIONS:-3}
[[ -x $binary ]] || { echo "no shiftlint executable at $binary" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
charts=()
while IFS= read -r chart_yaml; do
  chart=$(dirname "$chart_yaml")
  parent=$(dirname "$chart")
  [[ $(basename "$parent") == charts && -f $(dirname "$parent")/Chart.yaml ]] && continue
  grep -qE '^type: *library' "$chart_yaml" && continue
  charts+=("$chart")
  ((${#charts[@]} >= count)) && break
done < <(find "$dir" -name .git -prune -o -name Chart.yaml -print | sort)
echo "charts: ${#charts[@]} (templates: $(find "${charts[@]}" -path '*/templates/*' -type f | wc -l))"

best_wall=999999
for ((run = 0; run < repetitions; run++)); do
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
    "$binary" check "${charts[@]}" --format json --output "$work/report.json" --fail-on never 2>/dev/null
  read -r wall user system rss < "$work/time"
  if awk "BEGIN{exit !($wall < $best_wall)}"; then
    best_wall=$wall; best_cpu=$(awk "BEGIN{print $user + $system}"); best_rss=$rss
  fi
done
python3 - "$work/report.json" <<'PY'
import collections, json, sys
findings = json.load(open(sys.argv[1]))["findings"]
counts = collections.Counter(f["rule_id"] for f in findings)
print("findings:", len(findings), dict(sorted(counts.items())))
PY
echo "best wall: ${best_wall} s, its CPU: ${best_cpu} s, peak RSS: $((best_rss / 1024)) MB"
