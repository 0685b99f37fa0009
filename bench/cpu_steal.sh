# Sourced by the benchmark scripts. On a virtual machine the hypervisor may run other guests on
# "our" cores: that time is counted as steal in /proc/stat, and every figure of a run with much
# steal is low. `steal_mark` notes the counters; `steal_report` prints the share of CPU time
# stolen since the mark, to be quoted next to the figures.
_steal_counters() { awk '/^cpu / {t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t}' /proc/stat; }
steal_mark() { read -r _steal0 _total0 < <(_steal_counters); }
steal_report() {
  local steal total
  read -r steal total < <(_steal_counters)
  awk -v s=$((steal - _steal0)) -v t=$((total - _total0)) \
    'BEGIN { printf "CPU time stolen by the hypervisor during the run: %.0f %%\n", t ? 100 * s / t : 0 }'
}
