#!/usr/bin/env bash
# Side-by-side Dockerfile benchmark: shiftlint's whole process against the in-process engines of the
# npm peers (dockerfilelint, dockerfile-utils), on the same real Dockerfiles, in one run.
#
# Usage: bench/dockerfile_bench.sh DIR [BINARY]
#   DIR     a folder of real Dockerfiles (e.g. clones of public repositories); every file under it that
#           shiftlint classifies as a Dockerfile by name (Dockerfile, Dockerfile.*, Dockerfile-*,
#           *.Dockerfile, Containerfile, any case; not Dockerfile.j2/.template/...), .git and
#           node_modules skipped.
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
cue nix bak orig swp json yaml yml toml md txt rst go py rb js ts java rs sh ps1 tf lock
cs fs vb kt kts swift scala groovy gradle dart c h cc cpp cxx hpp php pl pm lua exs erl hs clj jl mjs cjs jsx
tsx vue bash zsh fish bat psm1 sql xml html htm css scss ini cfg properties csv log diff patch gz tgz zip tar""".split()
def is_dockerfile(name):
    name = name.lower()
    for stem in ("dockerfile", "containerfile"):
        if name == stem:
            return True
        if name[:len(stem) + 1] in (stem + ".", stem + "-", stem + "_") and len(name) > len(stem) + 1:
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

# --- the runs, interleaved ---------------------------------------------------------------------------
# Each round times one pass of each peer engine (in one node process kept warm: peers/dockerfile_peers.mjs
# --serve), then one shiftlint run with --jobs 1 and one with --jobs 2. On a shared machine the load
# changes from one second to the next: timing all of one tool and then all of the other can give one
# a quiet minute and the other a busy one (ratios moved from 0.26 to 0.58 between two such runs of
# this script, minutes apart); interleaved, every tool samples the same moments.

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

less_than() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a < b)}'; }

with_peers=1 with_shiftlint=1
if [[ -n ${SHIFTLINT_ONLY:-} ]]; then with_peers=""; fi
if [[ -n ${PEERS_ONLY:-} ]]; then with_shiftlint=""; fi
declare -A best_wall=() best_cpu=() peak=() analyzed=() found=()

if [[ -n $with_shiftlint ]]; then
  for jobs in 1 2; do
    # A warm-up (page cache), and the report to count what was analysed.
    "$binary" check "${paths[@]}" --select DKR,SL --jobs "$jobs" --format json --output "$work/report.json" \
      --fail-on never
    read -r "analyzed[$jobs]" "found[$jobs]" < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["summary"]["files_analyzed"], len(r.get("findings", [])))' "$work/report.json")
    peak[$jobs]=0
  done
fi
peer_names=()
if [[ -n $with_peers ]]; then
  coproc PEERS { exec node "$here/peers/dockerfile_peers.mjs" "$list" --serve; }
  # Copies of the coprocess's pipes: bash closes its own when the process ends, and its summaries are
  # read after that.
  exec {peers_in}>&"${PEERS[1]}" {peers_out}<&"${PEERS[0]}"
  eval "exec ${PEERS[1]}>&- ${PEERS[0]}<&-"
  read -r ready names <&"$peers_out" || { echo "the peers' node process did not start" >&2; exit 1; }
  [[ $ready == ready ]] || { echo "the peers' node process said: $ready $names" >&2; exit 1; }
  read -r -a peer_names <<<"$names"
fi

for ((run = 0; run < repetitions; run++)); do
  for name in "${peer_names[@]}"; do
    echo "$name" >&"$peers_in"
    read -r reply <&"$peers_out"
    [[ $reply == *'"wall_ms"'* ]] || { echo "the peers' node process said: $reply" >&2; exit 1; }
  done
  [[ -n $with_shiftlint ]] || continue
  for jobs in 1 2; do
    read -r wall cpu rss < <(run_measured "$binary" check "${paths[@]}" --select DKR,SL --jobs "$jobs" \
      --format json --output /dev/null --fail-on never)
    if [[ -z ${best_wall[$jobs]:-} ]] || less_than "$wall" "${best_wall[$jobs]}"; then best_wall[$jobs]=$wall; fi
    if [[ -z ${best_cpu[$jobs]:-} ]] || less_than "$cpu" "${best_cpu[$jobs]}"; then best_cpu[$jobs]=$cpu; fi
    ((rss > peak[$jobs])) && peak[$jobs]=$rss
  done
done

# The end of its input makes the node process print each peer's summary over the passes it timed.
peer_rows=()
if [[ -n $with_peers ]]; then
  exec {peers_in}>&-
  cat <&"$peers_out" >"$work/peers.jsonl"
  exec {peers_out}<&-
  while IFS= read -r row; do peer_rows+=("$row"); done < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    p = json.loads(line)
    print(p["peer"], p["version"], p["best_ms"], p["best_cpu_ms"], p["findings"], p["failures"])
' "$work/peers.jsonl")
fi

shiftlint_rows=()
if [[ -n $with_shiftlint ]]; then
  for jobs in 1 2; do
    shiftlint_rows+=("$jobs ${best_wall[$jobs]} ${best_cpu[$jobs]} ${peak[$jobs]} ${analyzed[$jobs]} ${found[$jobs]}")
  done
fi

# --- table --------------------------------------------------------------------------------------------
printf '%s Dockerfiles, %.2f MB, under %s; best of %s interleaved rounds (wall and CPU minima taken separately)\n\n' \
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
