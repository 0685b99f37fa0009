// Process-wide settings for a process that serves or runs the mock: what multihook-mock's and
// multihook's main() apply before any thread starts, and what the benchmarks apply so that they
// measure the same process.
#pragma once

namespace multihook::app {

// - SIGPIPE ignored: cpp-httplib 0.11 sends without MSG_NOSIGNAL, so a peer that closes
//   mid-request would otherwise kill the process instead of failing that request.
// - glibc malloc tuned for many short-lived HTTP and delivery threads on a small machine:
//   at most 4 arenas (glibc's default is 8 per core, each keeping what its threads freed), and no
//   "fast bins": httplib allocates a 4 KiB buffer for every request and response it handles, and
//   with fast bins each such allocation first consolidates every small chunk freed since the
//   previous one (malloc_consolidate was ~2 % of all CPU time in the throughput benchmark). Small
//   chunks go to the per-thread cache and are coalesced when freed instead, which also leaves
//   less memory stranded after a burst.
// Call it first thing in main().
void PrepareProcess();

}  // namespace multihook::app
