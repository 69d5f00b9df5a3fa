#!/usr/bin/env bash
# Whole-run benchmark on the mixed repository of every format: generates the corpora once (1×, 2×,
# 4×: 20,000 files / 100 MB each unit), then prints a Markdown table of wall time, CPU time and peak
# RSS for the scaling, --jobs 1 against --jobs 2, start-up on one small file and the largest file
# alone. Usage: bench/run.sh [--binary build/shiftlint] [--scales 1,2,4] [--repetitions 3]
#                            [--corpus-dir /tmp/shiftlint-bench]   (see bench/whole_run.py)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/whole_run.py "$@"
