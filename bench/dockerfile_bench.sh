#!/usr/bin/env bash
# Side-by-side Dockerfile benchmark: shiftlint's whole process against the in-process engines of the
# npm peers (dockerfilelint, dockerfile-utils), on the same real Dockerfiles, in one run.
#
# Usage: bench/dockerfile_bench.sh DIR [BINARY]
#   DIR     a folder of real Dockerfiles (e.g. clones of public repositories); every file under it that
#           shiftlint classifies as a Dockerfile by name (Dockerfile, Dockerfile.*, *.Dockerfile,
#           Containerfile, any case; not Dockerfile.j2/.template/...), .git and node_modules skipped.
#   BINARY  the shiftlint executable (default build/shiftlint; build it in Release).
# Environment: REPETITIONS (default 5) for both sides; PEERS_ONLY=1 / SHIFTLINT_ONLY=1 to run one side.
#
# shiftlint is timed as a whole process (start-up, reading the files and their build contexts,
# parsing, shell analysis, all DKR and SL rules, the JSON report) from its resource usage; the peers are
# timed inside node on contents already in memory, after a warm-up (see peers/dockerfile_peers.mjs).
# The ratio column is shiftlint ÷ the fastest peer, for CPU time (the goal's measure: on a shared,
# loaded machine CPU time moves far less than wall time) and for wall time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: bench/dockerfile_bench.sh DIR [BINARY]}
binary=${2:-$here/../build/shiftlint}
repetitions=${REPETITIONS:-5}

[[ -x $binary ]] || { echo "no shiftlint executable at $binary" >&2; exit 2; }
[[ -d $here/peers/node_modules/dockerfilelint && -d $here/peers/node_modules/dockerfile-utils ]] ||
  (cd "$here/peers" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/files

# The names shiftlint reads as Dockerfiles (analyzer/source/classify.cpp, is_dockerfile_name).
find "$dir" \( -name .git -o -name .hg -o -name .svn -o -name node_modules \) -prune -o -type f -print |
  python3 -c '
import os, sys
EXCLUDED = """dockerignore template tmpl tpl j2 jinja jinja2 erb mustache hbs in m4 ncl jsonnet libsonnet
cue nix bak orig swp json yaml yml toml md txt rst go py rb js ts java rs sh ps1 tf lock""".split()
def is_dockerfile(name):
    name = name.lower()
    for stem in ("dockerfile", "containerfile"):
        if name == stem:
            return True
        if name.startswith(stem + ".") and len(name) > len(stem) + 1:
            suffix = name[len(stem) + 1:]
            if any(suffix == e or suffix.endswith("." + e) for e in EXCLUDED):
                return False
            return not name.endswith("~")
    return name.endswith(".dockerfile") and len(name) > 11
for line in sys.stdin:
    path = line.rstrip("\n")
    if is_dockerfile(os.path.basename(path)):
        print(path)
' | LC_ALL=C sort >"$list"

files=$(wc -l <"$list")
[[ $files -gt 0 ]] || { echo "no Dockerfiles under $dir" >&2; exit 2; }
bytes=$(tr '\n' '\0' <"$list" | xargs -0 cat | wc -c)
mapfile -t paths <"$list"

# --- peers (in-process engines) -----------------------------------------------------------------------
peer_rows=()
if [[ -z ${SHIFTLINT_ONLY:-} ]]; then
  node "$here/peers/dockerfile_peers.mjs" "$list" "$repetitions" >"$work/peers.jsonl"
  while IFS= read -r row; do peer_rows+=("$row"); done < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    p = json.loads(line)
    print(p["peer"], p["version"], p["best_ms"], p["best_cpu_ms"], p["findings"], p["failures"])
' "$work/peers.jsonl")
fi

# --- shiftlint (whole process) ------------------------------------------------------------------------
# One run of the whole process: "wall_ms cpu_ms peak_rss_kb". CPU is the child's resource usage as wait4
# returns it, in microseconds (/usr/bin/time truncates CPU to 10 ms, a seventh of a run here, and a best
# of N truncated figures is biased low). The peak RSS is /usr/bin/time's, which runs the command: a child
# forked from Python keeps Python's peak in its maximum RSS across exec. /usr/bin/time's own CPU, a
# fraction of a millisecond, is counted in.
run_measured() {
  python3 -c '
import os, sys, tempfile, time
with tempfile.NamedTemporaryFile("r") as rss:
    start = time.perf_counter()
    child = os.fork()
    if child == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv("/usr/bin/time", ["/usr/bin/time", "-f", "%M", "-o", rss.name, *sys.argv[1:]])
    _, _, usage = os.wait4(child, 0)
    wall = time.perf_counter() - start
    print(f"{wall * 1000:.1f} {(usage.ru_utime + usage.ru_stime) * 1000:.1f} {rss.read().split()[-1]}")' "$@"
}

measure_shiftlint() {  # prints: best_wall_ms best_cpu_ms peak_rss_kb files_analyzed findings
  local jobs=$1 best_wall="" best_cpu="" peak=0 wall cpu rss
  "$binary" check "${paths[@]}" --select DKR,SL --jobs "$jobs" --format json --output "$work/report.json" \
    --fail-on never  # warm-up (page cache), and the report to count what was analysed
  for ((run = 0; run < repetitions; run++)); do
    read -r wall cpu rss < <(run_measured "$binary" check "${paths[@]}" --select DKR,SL --jobs "$jobs" \
      --format json --output /dev/null --fail-on never)
    if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN {exit !(a < b)}'; then best_wall=$wall; fi
    if [[ -z $best_cpu ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN {exit !(a < b)}'; then best_cpu=$cpu; fi
    ((rss > peak)) && peak=$rss
  done
  read -r analyzed findings < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["summary"]["files_analyzed"], len(r.get("findings", [])))' "$work/report.json")
  echo "$best_wall $best_cpu $peak $analyzed $findings"
}

shiftlint_rows=()
if [[ -z ${PEERS_ONLY:-} ]]; then
  for jobs in 1 2; do shiftlint_rows+=("$jobs $(measure_shiftlint "$jobs")"); done
fi

# --- table --------------------------------------------------------------------------------------------
printf '%s Dockerfiles, %.2f MB, under %s; best of %s runs each (wall and CPU minima taken separately)\n\n' \
  "$files" "$(awk -v b="$bytes" 'BEGIN {print b / 1e6}')" "$dir" "$repetitions"
fastest_wall=0 fastest_cpu=0
for row in "${peer_rows[@]}"; do
  read -r _ _ wall cpu _ _ <<<"$row"
  if [[ $fastest_wall == 0 ]] || awk -v a="$wall" -v b="$fastest_wall" 'BEGIN {exit !(a < b)}'; then fastest_wall=$wall; fi
  if [[ $fastest_cpu == 0 ]] || awk -v a="$cpu" -v b="$fastest_cpu" 'BEGIN {exit !(a < b)}'; then fastest_cpu=$cpu; fi
done
ratio() { [[ $2 == 0 ]] && echo "–" || awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo '| tool | what is timed | wall (ms) | CPU (ms) | peak RSS (MB) | findings | CPU ÷ fastest peer | wall ÷ fastest peer |'
echo '|---|---|---|---|---|---|---|---|'
for row in "${peer_rows[@]}"; do
  read -r name version wall cpu findings failures <<<"$row"
  failed=""
  [[ $failures != 0 ]] && failed=" (threw on $failures)"
  printf '| %s %s | engine in-process, %s files in memory%s | %.1f | %.1f | – | %s | %s | %s |\n' \
    "$name" "$version" "$files" "$failed" "$wall" "$cpu" "$findings" "$(ratio "$cpu" "$fastest_cpu")" \
    "$(ratio "$wall" "$fastest_wall")"
done
for row in "${shiftlint_rows[@]}"; do
  read -r jobs wall cpu rss analyzed findings <<<"$row"
  printf '| shiftlint --jobs %s | whole process, %s files analysed | %s | %s | %.1f | %s | **%s** | %s |\n' \
    "$jobs" "$analyzed" "$wall" "$cpu" "$(awk -v r="$rss" 'BEGIN {print r / 1024}')" "$findings" \
    "$(ratio "$cpu" "$fastest_cpu")" "$(ratio "$wall" "$fastest_wall")"
done
echo
echo "Goal (issue 7): shiftlint --jobs 1 CPU ÷ fastest peer ≤ 0.33, peak RSS < 100 MB."
