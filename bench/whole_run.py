#!/usr/bin/env python3
"""Whole-run benchmark of `shiftlint check` on the mixed repository (bench/mixed_corpus.py).

Usage: bench/whole_run.py [--binary build/shiftlint] [--scales 1,2,4] [--repetitions 3] [--corpus-dir DIR]

Generates the mixed corpus at each scale once (kept in --corpus-dir, default /tmp/shiftlint-bench),
then times the whole process (start-up, walking, reading, parsing, models, rules, JSON report) and
prints a Markdown table:

- every scale with --jobs 2 (linear scaling: CPU and wall per MB should stay flat);
- scale 1 with --jobs 1 (the speed-up of --jobs 2);
- start-up: `check` on one small Dockerfile (best of 20);
- the largest file of the corpus alone (peak RSS should follow the largest file, not the repository).

Each row is the run with the least CPU time out of --repetitions (CPU is what the code costs; on a
shared machine wall time mostly measures waiting for a core), with that run's wall time, and the peak
RSS of one more run.
The load average before and after the runs is printed with the table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mixed_corpus import write_mixed  # noqa: E402


def spawn(argv):
    """(wall s, resource usage) of one run of argv, its output to /dev/null. posix_spawn, not fork: a
    forked copy of this Python process pays for tearing its address space down at exec, and that
    lands in the child's CPU time (about 5 ms a run here, more than shiftlint's whole start-up)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        child = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, usage = os.wait4(child, 0)
        wall = time.perf_counter() - start
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), argv)
    return wall, usage


def run_once(command):
    """(wall s, CPU s) of one run of `command` alone. CPU comes from the resource usage wait4 returns
    for that child, in microseconds (RUSAGE_CHILDREN would also count whatever the Python launcher ran
    before us, e.g. a pyenv shim's subprocesses, which survive exec; /usr/bin/time truncates CPU to 10 ms)."""
    wall, usage = spawn(command)
    return wall, usage.ru_utime + usage.ru_stime


def peak_rss_kb(command):
    """Peak RSS of one run, from /usr/bin/time: a child started from Python keeps Python's own peak in
    its maximum RSS across exec (fork and posix_spawn alike), so wait4's figure can be Python's."""
    with tempfile.NamedTemporaryFile("r") as rss_file:
        spawn(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *command])
        return int(rss_file.read().split()[-1])


def best_of(command, repetitions):
    """The run with the least CPU of `repetitions`, and the peak RSS of one more run under /usr/bin/time
    (which would add its own start-up to the CPU)."""
    wall, cpu = min((run_once(command) for _ in range(repetitions)), key=lambda result: result[1])
    return wall, cpu, peak_rss_kb(command)


def corpus_figures(path):
    files, size, largest, largest_path = 0, 0, 0, None
    for root, _, names in os.walk(path):
        for name in names:
            full = os.path.join(root, name)
            length = os.path.getsize(full)
            files, size = files + 1, size + length
            if length > largest:
                largest, largest_path = length, full
    return files, size, largest, largest_path


def findings(report):
    with open(report) as handle:
        data = json.load(handle)
    if isinstance(data, dict):
        for key in ("findings", "results", "diagnostics"):
            if isinstance(data.get(key), list):
                return len(data[key])
    return len(data) if isinstance(data, list) else -1


def load_average():
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="build/shiftlint")
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--corpus-dir", default="/tmp/shiftlint-bench")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    scales = [float(scale) for scale in args.scales.split(",")]
    report = os.path.join(args.corpus_dir, "report.json")

    corpora = {}
    for scale in scales:
        path = os.path.join(args.corpus_dir, f"mixed-{scale:g}x")
        if not os.path.isdir(path):
            print(f"generating {path} ...", file=sys.stderr)
            write_mixed(path + ".partial", scale, seed=1)
            os.rename(path + ".partial", path)
        corpora[scale] = path

    def check(paths, jobs):
        return [binary, "check", *paths, "--jobs", str(jobs), "--fail-on", "never", "--format", "json",
                "--output", report]

    rows = []
    load_before = load_average()

    def row(case, paths, files, size, jobs, repetitions):
        wall, cpu, rss = best_of(check(paths, jobs), repetitions)
        rows.append((case, files, size, jobs, wall, cpu, rss, findings(report)))
        print(f"  {case}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss / 1024:.0f} MB", file=sys.stderr)

    largest_overall = (0, None)
    for scale in scales:
        files, size, largest, largest_path = corpus_figures(corpora[scale])
        largest_overall = max(largest_overall, (largest, largest_path), key=lambda item: item[0])
        row(f"mixed {scale:g}×", [corpora[scale]], files, size, 2, args.repetitions)
    first = corpora[scales[0]]
    files, size, _, _ = corpus_figures(first)
    row(f"mixed {scales[0]:g}×", [first], files, size, 1, args.repetitions)

    small = os.path.join(args.corpus_dir, "startup", "Dockerfile")
    os.makedirs(os.path.dirname(small), exist_ok=True)
    with open(small, "w") as handle:
        handle.write("FROM python:3.12-slim\nCOPY app.py /app/\nUSER nobody\nCMD [\"python\", \"/app/app.py\"]\n")
    row("start-up: one small Dockerfile", [small], 1, os.path.getsize(small), 1, 20)
    largest, largest_path = largest_overall
    row(f"largest file alone ({os.path.relpath(largest_path, args.corpus_dir)})", [largest_path], 1, largest, 1,
        args.repetitions)
    load_after = load_average()

    print(f"`{os.path.relpath(binary)}`, {os.cpu_count()} cores, load average (1/5/15 min) {load_before} before, "
          f"{load_after} after; best CPU of {args.repetitions} runs (start-up: of 20).\n")
    print("| case | files | MB | jobs | wall (s) | CPU (s) | CPU per MB (ms) | peak RSS (MB) | findings |")
    print("|---|---|---|---|---|---|---|---|---|")
    for case, files, size, jobs, wall, cpu, rss, count in rows:
        per_mb = f"{cpu * 1000 / (size / 1e6):.0f}" if size > 1e6 else "–"
        wall_text = f"{wall * 1000:.1f} ms" if wall < 1 else f"{wall:.2f}"
        cpu_text = f"{cpu * 1000:.1f} ms" if cpu < 1 else f"{cpu:.2f}"
        print(f"| {case} | {files} | {size / 1e6:.1f} | {jobs} | {wall_text} | {cpu_text} | {per_mb} | "
              f"{rss / 1024:.0f} | {count} |")
    one = [r for r in rows if r[0] == f"mixed {scales[0]:g}×"]
    if len(one) == 2:
        two_jobs, one_job = one
        print(f"\n--jobs 2 vs --jobs 1 on mixed {scales[0]:g}×: wall {one_job[4] / two_jobs[4]:.2f}× faster, "
              f"CPU {two_jobs[5] / one_job[5]:.2f}× of --jobs 1's.")


if __name__ == "__main__":
    main()
