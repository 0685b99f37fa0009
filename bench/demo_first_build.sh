#!/usr/bin/env bash
# How long a partner's first `scripts/dev demo` takes: a fresh clone of this checkout, nothing in
# the compiler cache, until the mock prints its first line. Prints the wall time, the CPU time
# (user + system: on an idle 2-core machine the build takes about half of it), and the CPU steal of
# the run. Installing the Debian packages (scripts/install-deps --demo) comes on top on a new
# machine and is not timed here: they must already be installed.
#   bench/demo_first_build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cpu_steal.sh
work=$(mktemp -d)
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
git clone -q . "$work/clone"
mkfifo "$work/out"
steal_mark
start=$(date +%s.%N)
(cd "$work/clone" && CCACHE_DISABLE=1 exec scripts/dev demo --port 0) >"$work/out" 2>"$work/build.log" &
pid=$!
exec 3<"$work/out"
read -r -t 900 -u 3 line || { tail -20 "$work/build.log" >&2; echo "no first line" >&2; exit 1; }
end=$(date +%s.%N)
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
# The build's CPU time: the children of this shell that have been waited for.
read -r cutime cstime < <(awk '{print $16, $17}' /proc/$$/stat)
ticks=$(getconf CLK_TCK)
echo "$line"
awk -v s="$start" -v e="$end" -v u="$cutime" -v y="$cstime" -v t="$ticks" 'BEGIN {
  printf "first demo: %.1f s wall, %.1f s CPU (%.1f s on 2 idle cores)\n", e - s, (u + y) / t, (u + y) / t / 2 }'
steal_report
