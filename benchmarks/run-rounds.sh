#!/usr/bin/env bash
# Runs every benchmark ROUNDS times (default 3), one JMH run per benchmark, rotating
# the order of the implementations of each workload from one round to the next so
# that no implementation is always measured first, then prints the per-round
# figures and the Muxgate ratios (summarize.py). For noisy or shared machines.
#
#   [BENCH_JAR=/copy/of/benchmarks.jar] benchmarks/run-rounds.sh [rounds] [extra JMH options...]
#
# Results: benchmarks/target/rounds/r<round>-<Workload>.<impl>.json
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
shift || true
jar=${BENCH_JAR:-target/benchmarks.jar}  # BENCH_JAR: a copy, safe from rebuilds during the run
out=target/rounds
[ -f "$jar" ] || { echo "build first: mvn -B -q -pl benchmarks package (from the repository root)" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.json

declare -A impls=(
  [SelfWakeBenchmark]="muxgate nettyDefaultEventLoop stpe"
  [PingPongBenchmark]="muxgate nettyDefaultEventLoop stpe"
  [TimerRearmBenchmark]="muxgate nettyHashedWheelTimer nettyDefaultEventLoop stpe"
  [TimerArmCancelBenchmark]="muxgate nettyHashedWheelTimer nettyDefaultEventLoop stpe"
)

for ((r = 1; r <= rounds; r++)); do
  for w in SelfWakeBenchmark PingPongBenchmark TimerRearmBenchmark TimerArmCancelBenchmark; do
    read -r -a list <<<"${impls[$w]}"
    n=${#list[@]}
    for ((k = 0; k < n; k++)); do
      impl=${list[$(((k + r - 1) % n))]}
      echo "round $r: $w.$impl" >&2
      java -jar "$jar" -f 1 -wi 3 -w 2s -i 5 -r 2s "$@" \
        -rf json -rff "$out/r$r-$w.$impl.json" "^org\.muxgate\.benchmarks\.$w\.$impl\$" \
        > "$out/r$r-$w.$impl.log" 2>&1 || { echo "FAILED: see $out/r$r-$w.$impl.log" >&2; exit 1; }
    done
  done
done
python3 summarize.py "$out"
