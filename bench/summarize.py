#!/usr/bin/env python3
"""Derives the figures of docs/benchmarks.md from delivery_bench's JSON output.

Prints, per receiver service time and fan-out mode:
- from BM_ExtraCost (the headline: its timings alternate within each iteration), the latency each
  extra adds ((p50 with 3 - p50 main only) / 3), what each extra beyond the first adds
  ((p50 with 3 - p50 with 1) / 2), and their ratios to the bare client round trip timed alongside;
- from BM_FanOut, the end-to-end p50 for 0..3 extras and the same per-extra figure derived across
  separate benchmarks (noisier: each ran at a different moment);
and writes fanout_latency.dat for gnuplot.
"""
import json
import re
import sys
from collections import defaultdict


def main(path, outdir):
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") not in (None, "median"):
            continue
        rows[b["run_name"]] = b
    bare = {}
    fanout = defaultdict(dict)  # (service, mode) -> extras -> p50
    for name, b in rows.items():
        m = re.match(r"BM_BareClientRoundTrip/service_ms:(\d+)", name)
        if m:
            bare[int(m.group(1))] = b["p50_us"]
        m = re.match(r"BM_FanOut/extras:(\d)/service_ms:(\d+)/parallel:(\d)", name)
        if m:
            fanout[(int(m.group(2)), int(m.group(3)))][int(m.group(1))] = b["p50_us"]
        m = re.match(r"BM_Throughput/extras:(\d)", name)
        if m:
            print(f"throughput, main + {m.group(1)} extras: "
                  f"{b['notifications_per_s']:.0f} notifications/s, "
                  f"{b['deliveries_per_s']:.0f} deliveries/s")
        if name.startswith("BM_InboundAccept"):
            print(f"POST /mock/inbound answered (202): p50 {b['p50_us']:.0f} us")
        m = re.match(r"BM_ExtraCost/extras:(\d)/service_ms:(\d+)/parallel:(\d)", name)
        if m:
            mode = "parallel  " if m.group(3) == "1" else "sequential"
            print(f"paired, service {int(m.group(2)):>2} ms, {mode}: "
                  f"p50 {b['main_only_p50_us']:.0f} / {b['one_extra_p50_us']:.0f} / "
                  f"{b['with_extras_p50_us']:.0f} us for 0 / 1 / {m.group(1)} extras, "
                  f"bare {b['bare_p50_us']:.0f} us; each extra adds {b['per_extra_us']:.0f} us "
                  f"= {b['ratio']:.2f}x, each beyond the first {b['further_extra_us']:.0f} us "
                  f"= {b['further_ratio']:.2f}x")
    titles = []
    with open(f"{outdir}/fanout_latency.dat", "w") as dat:
        for (service, mode), by_extras in sorted(fanout.items()):
            titles.append(f"{service}ms-{'parallel' if mode else 'sequential'}")
            dat.write(f"# receivers answer after {titles[-1]}\n")
            for extras in sorted(by_extras):
                dat.write(f"{extras} {by_extras[extras] / 1000.0:.3f}\n")
            dat.write("\n\n")
            if 0 in by_extras and 3 in by_extras and service in bare:
                added = (by_extras[3] - by_extras[0]) / 3
                print(f"service {service:>2} ms, {'parallel  ' if mode else 'sequential'}: "
                      f"end-to-end p50 {', '.join(f'{by_extras[e]:.0f}' for e in sorted(by_extras))} us "
                      f"for {', '.join(str(e) for e in sorted(by_extras))} extras; "
                      f"each extra adds {added:.0f} us = {added / bare[service]:.2f}x "
                      f"the bare round trip ({bare[service]:.0f} us)")
    with open(f"{outdir}/fanout_latency.titles", "w") as f:
        f.write(" ".join(titles))
    print_targets(rows)


def print_targets(rows):
    """The delivery targets of docs/benchmarks.md, judged on this run (the others come from
    bench/config_api_wrk.sh and bench/memory_startup.sh)."""
    checks = []
    seq = rows.get("BM_ExtraCost/extras:3/service_ms:0/parallel:0/real_time")
    if seq:
        checks.append(("each sequential extra <= 1.5x the bare round trip (0 ms)",
                       f"{seq['ratio']:.2f}x", seq["ratio"] <= 1.5))
    for service in (0, 1, 10):
        par = rows.get(f"BM_ExtraCost/extras:3/service_ms:{service}/parallel:1/real_time")
        if par:
            checks.append((f"each parallel extra beyond the first <= 0.3x ({service} ms)",
                           f"{par['further_ratio']:.2f}x", par["further_ratio"] <= 0.3))
    tput = rows.get("BM_Throughput/extras:3/real_time")
    if tput:
        checks.append(("main + 3 extras >= 5,000 notifications/s",
                       f"{tput['notifications_per_s']:.0f}/s", tput["notifications_per_s"] >= 5000))
    if not checks:
        return
    print("targets (this run):")
    for what, value, met in checks:
        print(f"  {'met    ' if met else 'not met'}  {what}: {value}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
