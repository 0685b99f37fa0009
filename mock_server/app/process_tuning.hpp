// Process-wide settings of a long-running mock: what multihook-mock's main() applies before it
// starts any thread, and what the benchmarks apply so that they measure the same process.
#pragma once

namespace multihook::app {

// glibc malloc, tuned for many short-lived HTTP and delivery threads on a small machine:
// - at most 4 arenas (glibc's default is 8 per core, each keeping what its threads freed);
// - no "fast bins": httplib allocates a 4 KiB buffer for every request and response it handles,
//   and with fast bins each such allocation first consolidates every small chunk freed since
//   the previous one (malloc_consolidate was ~2 % of all CPU time in the throughput benchmark).
//   Small chunks go to the per-thread cache and are coalesced when freed instead, which also
//   leaves less memory stranded after a burst.
// Call it first thing in main(), before any thread starts.
void TuneAllocator();

}  // namespace multihook::app
