// Delivery statistics (GET /mock/stats) and StatsRecorder, which builds them by observing the
// journal's attempt records and the events that become final: the counters have no source of
// their own, so they cannot disagree with the journal.
//
// StatsRecorder is not thread-safe: the engine calls it under its own lock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/delivery/event_status.hpp"
#include "mock_server/delivery/histogram.hpp"
#include "mock_server/delivery/journal.hpp"

namespace multihook::delivery {

// Counters and histograms of one destination of one channel.
struct DestinationStats {
  std::string api_key;
  std::string destination;  // kMainDestination or the extra's name
  std::uint64_t attempts = 0;
  std::uint64_t succeeded = 0;
  std::map<std::string, std::uint64_t> outcomes;  // OutcomeName -> count
  Histogram latency;        // duration of every attempt that got an HTTP answer (any status)
  Histogram added_latency;  // extras, first attempts: main's 200 -> this extra's answer
};

// GET /mock/stats.
struct EngineStats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t expired = 0;
  std::uint64_t undeliverable = 0;
  std::uint64_t in_progress = 0;      // pending, retrying or fanning out
  std::uint64_t scheduled_tasks = 0;  // attempts queued (due now or later)
  std::uint64_t journal_dropped = 0;
  std::vector<DestinationStats> destinations;  // sorted by (api_key, destination)
};

class StatsRecorder {
 public:
  void Submitted(std::uint64_t count) { submitted_ += count; }
  // One journaled attempt. `added_latency`: an extra's first answer, measured from main's 200.
  void Observe(const AttemptRecord& record, std::optional<core::Micros> added_latency);
  // An event reached `state` (delivered, expired or undeliverable).
  void Finished(EventState state);

  // Everything but scheduled_tasks and journal_dropped, which the engine fills in.
  EngineStats Snapshot() const;
  void Clear() { *this = StatsRecorder(); }

 private:
  std::uint64_t submitted_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t expired_ = 0;
  std::uint64_t undeliverable_ = 0;
  std::map<std::pair<std::string, std::string>, DestinationStats> destinations_;
};

}  // namespace multihook::delivery
