#!/usr/bin/env bash
# Builds the micro-benchmarks (Release, -DSHIFTLINT_BENCH=ON) into build-bench/ (or
# $SHIFTLINT_BENCH_BUILD_DIR), generates their corpus once (bench/generate_corpus.py --mixed 0.01:
# about 200 files of every format) and runs them. Extra arguments go to Google Benchmark:
#   bench/micro/run.sh                                   every benchmark
#   bench/micro/run.sh --benchmark_filter=yaml --benchmark_repetitions=5
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${SHIFTLINT_BENCH_BUILD_DIR:-build-bench}
scripts/install-deps --bench
# clang (install-deps --bench installs it): the compiler the Release figures are measured with.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSHIFTLINT_BENCH=ON -DSHIFTLINT_TESTS=OFF >/dev/null
cmake --build "$build_dir" --target micro_benchmarks
corpus="$build_dir/micro-corpus"
if [[ ! -d $corpus ]]; then
  python3 bench/generate_corpus.py "$corpus.tmp" --mixed 0.01 >/dev/null
  mv "$corpus.tmp" "$corpus"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build_dir/bench/micro/micro_benchmarks" --corpus "$corpus" "$@"
