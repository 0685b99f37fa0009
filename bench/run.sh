#!/usr/bin/env bash
# Runs every benchmark suite against the Release build, writes JSON results to bench/results/,
# derives the latency each extra destination adds, and draws bench/results/fanout_latency.svg;
# then load_bench: throughput against a bare cpp-httplib client and latency under open-loop load
# (bench/results/load_bench.txt).
#   bench/run.sh           full run (a few minutes)
#   bench/run.sh --quick   smoke run for CI (under a minute; figures are not meaningful)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[[ "${1:-}" == "--quick" ]] && quick=true

scripts/install-deps --bench
# CI reuses the build it already has (MULTIHOOK_BENCH_PRESET=ci); people get the Release preset.
preset=${MULTIHOOK_BENCH_PRESET:-release}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target delivery_bench config_api_bench micro_bench \
  load_bench sink_receiver >/dev/null
bin=build/$preset/bench
out=bench/results
mkdir -p "$out"

if $quick; then
  args=(--benchmark_min_time=0.02)
  fanout_filter='BM_(Bare|InboundAccept|FanOut/extras:[03]/service_ms:0/|ExtraCost/extras:3/service_ms:0/parallel:0|Throughput/extras:0)'
  load_args=(--quick)  # 1 round of 1 s, 1 s per load: ~6 s
else
  args=(--benchmark_min_time=0.5 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
  fanout_filter='.'
  load_args=()  # 5 rounds of 2 s, then 2 s at 50 % and 90 %: ~40 s
fi

run() {  # name filter
  "$bin/$1" --benchmark_filter="$2" "${args[@]}" \
    --benchmark_out="$out/$1.json" --benchmark_out_format=json --benchmark_counters_tabular=false
}
source bench/cpu_steal.sh
steal_mark
run micro_bench .
run config_api_bench .
run delivery_bench "$fanout_filter"
"$bin/load_bench" "${load_args[@]}" | tee "$out/load_bench.txt"
steal_report | tee "$out/steal.txt"

python3 bench/summarize.py "$out/delivery_bench.json" "$out"
if command -v gnuplot >/dev/null && [[ -s "$out/fanout_latency.dat" ]]; then
  gnuplot -e "datafile='$out/fanout_latency.dat'; outfile='$out/fanout_latency.svg'; titles='$(cat "$out/fanout_latency.titles")'" \
    bench/fanout_latency.gnuplot
  echo "plot: $out/fanout_latency.svg"
fi
