#!/usr/bin/env bash
# Whole-run benchmark: generates the corpus (once), lints it with --jobs 1 and --jobs N, and prints
# wall time, CPU time, peak RSS and throughput. Usage: bench/run.sh [BINARY] [TASK_DEFINITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/shiftlint}
count=${2:-2000}
corpus=bench/corpus-task-definitions-$count
[[ -d $corpus ]] || python3 bench/generate_corpus.py "$corpus" --task-definitions "$count" >/dev/null
files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

measure() {  # prints: wall_s cpu_s peak_rss_kb
  local jobs=$1 best_wall=999999 line
  for _ in 1 2 3; do
    line=$( { /usr/bin/time -f '%e %U %S %M' "$binary" check "$corpus" --jobs "$jobs" --fail-on never --format json --output /dev/null; } 2>&1 | tail -1)
    read -r wall user sys rss <<<"$line"
    if awk -v a="$wall" -v b="$best_wall" 'BEGIN {exit !(a < b)}'; then
      best_wall=$wall; best="$wall $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u+s}') $rss"
    fi
  done
  echo "$best"
}

printf '%s files, %.1f MB (%s)\n\n' "$files" "$(awk -v b="$bytes" 'BEGIN {print b/1e6}')" "$corpus"
printf '| jobs | wall (s) | cpu (s) | peak RSS (MB) | files/s | MB/s |\n|---|---|---|---|---|---|\n'
for jobs in 1 "$(nproc)"; do
  read -r wall cpu rss <<<"$(measure "$jobs")"
  awk -v j="$jobs" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$files" -v b="$bytes" \
    'BEGIN {printf "| %s | %.2f | %.2f | %.0f | %.0f | %.1f |\n", j, w, c, r/1024, f/w, b/1e6/w}'
done
